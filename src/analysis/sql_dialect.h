// Where a CloudTrail field lives in a query engine's table and how that engine spells the few
// functions the rule compiler needs. Two tables:
//   Athena    the AWS-documented CloudTrail table (Hive JSON SerDe): scalars and structs as
//             columns, requestParameters/responseElements/additionalEventData as JSON text.
//   Lake      a CloudTrail Lake event data store: the same columns, but those three are
//             map<string,string> whose nested values are JSON text; readOnly is a boolean.
// The Athena text is checked as written in DuckDB (tools/sql_check), where macros give Trino's
// json_extract_scalar and regexp_like their meaning.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lir {

enum class SqlEngine { kAthena, kLake };

// 'text' with quotes doubled. Trino and DuckDB give backslashes no meaning in literals.
std::string SqlString(std::string_view text);

// A LIKE pattern matching `text` literally at the start, end or anywhere, with ESCAPE '\'.
std::string LikePattern(std::string_view text, bool at_start, bool at_end);

// How a record field is read.
struct SqlField {
  enum class Kind {
    kColumn,     // a string column or struct member: `expr` is its value
    kJson,       // a path inside a JSON-text column: `expr` is the scalar found there or NULL
  };
  Kind kind = Kind::kColumn;
  std::string expr;
  // kColumn: CloudTrail never leaves these empty, and the engine treats empty as absent.
  bool empty_is_absent = false;
  // kJson: a condition every record whose path the engine can reach through arrays or JSON
  // held in strings meets (SQL reads neither): where `expr` finds no scalar, it stands for
  // the leaf, so the query returns more, never less.
  std::string reachable;
};

// The field at a dotted record path, or nothing when the engine's table has no column for it.
std::optional<SqlField> FieldFor(SqlEngine engine, const std::vector<std::string>& segments,
                                 bool empty_is_absent);

// Whether the Athena table (and so a record rebuilt from its row) holds this top-level field.
bool TableHolds(std::string_view top_level_field);

// regexp_like: a partial match (RE2's syntax is the common ground of Trino's and RE2's).
std::string RegexCall(const std::string& value, const std::string& pattern);

// The readOnly column read as a boolean (NULL when the record has none).
std::string ReadOnlyExpr(SqlEngine engine);

// A table name goes into the SQL only when it holds what a name may: letters, digits, _, -
// (a Glue name made outside Athena; a Lake event data store id) and one dot between two names,
// so a flag never adds SQL of its own.
bool SafeTableName(std::string_view name);

// A safe table name as Athena must read it: each dotted part with a - or a leading digit or _
// quoted ("ir-logs".cloudtrail in queries, `ir-logs`.cloudtrail in DDL); others, and Lake's
// ids, as written.
std::string QuotedTable(std::string_view name, SqlEngine engine, bool ddl = false);

// The day partition's value of a time: yyyy/MM/dd.
std::string DayPartition(long long ms);

// The table the documented DDL creates, for --table's default.
std::string DefaultTable(SqlEngine engine);

// Partition columns and time: the condition that keeps a query inside the window, accounts
// and regions asked for, so Athena reads only those partitions. Empty when nothing is asked.
struct SqlScope {
  std::optional<long long> since_ms;
  std::optional<long long> until_ms;
  std::vector<std::string> accounts;
  std::vector<std::string> regions;
  // The Athena table's partition columns (docs/athena.md): `account`, `region` and the day
  // `"timestamp"` (yyyy/MM/dd). AWS's single-account table has only the day; a table made by
  // the CloudTrail console has none. The columns themselves are filtered as well, always.
  bool account_partition = true;
  bool region_partition = true;
  bool day_partition = true;
};
std::string ScopeCondition(SqlEngine engine, const SqlScope& scope);

// "account,region,timestamp", "timestamp" or "none": the partitions `scope` puts conditions
// on. False, with `bad` the name, when one is none of those.
bool ParsePartitions(std::string_view list, SqlScope* scope, std::string* bad);

// CREATE EXTERNAL TABLE for an organisation trail's archive at `location`
// (s3://BUCKET/AWSLogs/o-ORGID/ or a single account's s3://BUCKET/AWSLogs/ACCOUNT/ parent):
// the columns the compiler reads, partitions account, region and day by projection over the
// accounts and regions named, from `first_day` (yyyy/MM/dd) on.
std::string AthenaTableDdl(const std::string& table, const std::string& location,
                           const std::vector<std::string>& accounts, const std::vector<std::string>& regions,
                           const std::string& first_day);

}  // namespace lir
