#include "analysis/sql_dialect.h"

#include <fmt/format.h>

#include "core/strings.h"
#include "core/time.h"

namespace lir {
namespace {

// Record paths that are plain columns, and their column names (the DDL's, lower case).
struct Column {
  std::string_view path;
  std::string_view column;
};
constexpr Column kColumns[] = {
    {"eventVersion", "eventversion"},
    {"eventTime", "eventtime"},
    {"eventSource", "eventsource"},
    {"eventName", "eventname"},
    {"awsRegion", "awsregion"},
    {"sourceIPAddress", "sourceipaddress"},
    {"userAgent", "useragent"},
    {"errorCode", "errorcode"},
    {"errorMessage", "errormessage"},
    {"requestID", "requestid"},
    {"eventID", "eventid"},
    {"eventType", "eventtype"},
    {"apiVersion", "apiversion"},
    {"recipientAccountId", "recipientaccountid"},
    {"sharedEventID", "sharedeventid"},
    {"vpcEndpointId", "vpcendpointid"},
    {"eventCategory", "eventcategory"},
    {"userIdentity.type", "useridentity.type"},
    {"userIdentity.principalId", "useridentity.principalid"},
    {"userIdentity.arn", "useridentity.arn"},
    {"userIdentity.accountId", "useridentity.accountid"},
    {"userIdentity.invokedBy", "useridentity.invokedby"},
    {"userIdentity.accessKeyId", "useridentity.accesskeyid"},
    {"userIdentity.userName", "useridentity.username"},
    {"userIdentity.sessionContext.attributes.mfaAuthenticated",
     "useridentity.sessioncontext.attributes.mfaauthenticated"},
    {"userIdentity.sessionContext.sessionIssuer.type", "useridentity.sessioncontext.sessionissuer.type"},
    {"userIdentity.sessionContext.sessionIssuer.principalId",
     "useridentity.sessioncontext.sessionissuer.principalid"},
    {"userIdentity.sessionContext.sessionIssuer.arn", "useridentity.sessioncontext.sessionissuer.arn"},
    {"userIdentity.sessionContext.sessionIssuer.accountId",
     "useridentity.sessioncontext.sessionissuer.accountid"},
    {"userIdentity.sessionContext.sessionIssuer.userName",
     "useridentity.sessioncontext.sessionissuer.username"},
    {"userIdentity.sessionContext.sourceIdentity", "useridentity.sessioncontext.sourceidentity"},
};

// Columns that hold a JSON value as text (Athena) or as a map of JSON texts (Lake).
constexpr Column kJsonColumns[] = {
    {"requestParameters", "requestparameters"},
    {"responseElements", "responseelements"},
    {"additionalEventData", "additionaleventdata"},
};

// A key that every engine's JSON path accepts unquoted.
bool PlainKey(std::string_view key) {
  if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string JsonPath(const std::vector<std::string>& segments, size_t from) {
  std::string path = "$";
  for (size_t i = from; i < segments.size(); ++i) path += "." + segments[i];
  return path;
}

// The scalar at `path` of JSON text `json`, NULL for objects, arrays, null and bad JSON.
std::string JsonScalar(const std::string& json, const std::string& path) {
  return fmt::format("json_extract_scalar({}, {})", json, SqlString(path));
}

// Whole seconds, so the bound compares as CloudTrail writes eventTime (no fraction).
std::string IsoSeconds(long long ms, bool round_up) {
  const long long seconds = ms / 1000 + (round_up && ms % 1000 != 0 ? 1 : 0);
  return FormatIso8601(seconds * 1000);
}

std::string InList(const std::string& column, const std::vector<std::string>& values) {
  std::string list;
  for (const std::string& v : values) list += (list.empty() ? "" : ", ") + SqlString(v);
  return fmt::format("{} IN ({})", column, list);
}

}  // namespace

std::string SqlString(std::string_view text) {
  // Control characters and the bidirectional overrides go in as chr(N): the SQL printed is the
  // SQL run, and a terminal never acts on it.
  std::string out = "'";
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    int code = -1, length = 1;
    if (c < 0x20 || c == 0x7f) {
      code = c;
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      code = static_cast<unsigned char>(text[i + 1]), length = 2;  // C1 controls
    } else if (c == 0xe2 && i + 2 < text.size()) {
      const int cp = 0x2000 + ((static_cast<unsigned char>(text[i + 1]) & 0x3f) << 6) +
                     (static_cast<unsigned char>(text[i + 2]) & 0x3f);
      const bool bidi = (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f;
      if (bidi) code = cp, length = 3;
    }
    if (code < 0) {
      out += text[i];
      if (text[i] == '\'') out += '\'';
      continue;
    }
    out += fmt::format("' || chr({}) || '", code);
    i += length - 1;
  }
  return out + "'";
}

std::string LikePattern(std::string_view text, bool at_start, bool at_end) {
  std::string pattern = at_start ? "" : "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  if (!at_end) pattern += '%';
  return SqlString(pattern) + " ESCAPE '\\'";
}

std::optional<SqlField> FieldFor(SqlEngine engine, const std::vector<std::string>& segments,
                                 bool empty_is_absent) {
  std::string path;
  for (const std::string& s : segments) path += (path.empty() ? "" : ".") + s;
  for (const Column& c : kColumns) {
    if (c.path != path) continue;
    // Lake's creation date and event time are timestamps, not the text CloudTrail wrote.
    if (engine == SqlEngine::kLake && c.path == "eventTime") return std::nullopt;
    SqlField field;
    field.expr = std::string(c.column);
    field.empty_is_absent = empty_is_absent;
    return field;
  }
  if (segments.size() < 2) return std::nullopt;
  for (size_t i = 1; i < segments.size(); ++i) {
    if (!PlainKey(segments[i])) return std::nullopt;
  }
  for (const Column& c : kJsonColumns) {
    if (c.path != segments[0]) continue;
    SqlField field;
    field.kind = SqlField::Kind::kJson;
    const std::string column(c.column);
    if (engine == SqlEngine::kLake) {
      // A map of top-level keys to their values' text; deeper keys are JSON in that text. An
      // array's text is no scalar SQL can compare: the top-level key must be there, no more.
      const std::string top = fmt::format("element_at({}, {})", column, SqlString(segments[1]));
      field.expr = segments.size() == 2 ? top : JsonScalar(top, JsonPath(segments, 2));
      field.reachable = top + " IS NOT NULL";
    } else {
      // The last key's name is in the text, unless JSON held in a string spells it with
      // \\u escapes or URL-encoding: then any such text counts.
      field.expr = JsonScalar(column, JsonPath(segments, 1));
      field.reachable = fmt::format("{0} IS NULL AND (strpos({1}, {2}) > 0 OR strpos({1}, '\\u') > 0 OR strpos({1}, '%') > 0)",
                                    field.expr, column, SqlString(segments.back()));
    }
    return field;
  }
  return std::nullopt;
}

bool TableHolds(std::string_view field) {
  for (std::string_view held :
       {"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
        "userAgent", "errorCode", "errorMessage", "requestParameters", "responseElements", "additionalEventData",
        "requestID", "eventID", "readOnly", "resources", "eventType", "apiVersion", "recipientAccountId",
        "serviceEventDetails", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "eventCategory", "tlsDetails"}) {
    if (field == held) return true;
  }
  return false;
}

std::string RegexCall(const std::string& value, const std::string& pattern) {
  return fmt::format("regexp_like({}, {})", value, SqlString(pattern));
}

std::string ReadOnlyExpr(SqlEngine engine) {
  if (engine == SqlEngine::kLake) return "readonly";
  // The engine reads a recorded readOnly of any text but "true" as false, like this.
  return "(readonly = 'true')";
}

bool SafeTableName(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  // Names between the dots: none empty ("a..b", ".a", "a." are no table).
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string QuotedTable(std::string_view name, SqlEngine engine, bool ddl) {
  if (engine == SqlEngine::kLake) return std::string(name);
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t dot = std::min(name.find('.', start), name.size());
    const std::string_view part = name.substr(start, dot - start);
    const bool quote = !part.empty() && (part.find('-') != std::string_view::npos || part[0] == '_' ||
                                         (part[0] >= '0' && part[0] <= '9'));
    const char* mark = ddl ? "`" : "\"";
    out += quote ? mark + std::string(part) + mark : std::string(part);
    if (dot == name.size()) return out;
    out += '.';
    start = dot + 1;
  }
}

std::string DayPartition(long long ms) {
  const std::string iso = FormatIso8601(ms);
  return iso.substr(0, 4) + "/" + iso.substr(5, 2) + "/" + iso.substr(8, 2);
}

std::string DefaultTable(SqlEngine engine) {
  switch (engine) {
    case SqlEngine::kAthena: return "cloudtrail_logs";
    case SqlEngine::kLake: return "EVENT_DATA_STORE_ID";
  }
  return "cloudtrail_logs";
}

std::string ScopeCondition(SqlEngine engine, const SqlScope& scope) {
  std::vector<std::string> parts;
  const bool athena = engine == SqlEngine::kAthena;
  if (!scope.accounts.empty()) {
    if (athena && scope.account_partition) parts.push_back(InList("account", scope.accounts));
    // The engine's account of an event: the recipient, else the caller's.
    parts.push_back(InList("coalesce(nullif(recipientaccountid, ''), useridentity.accountid)", scope.accounts));
  }
  if (!scope.regions.empty()) {
    if (athena && scope.region_partition) parts.push_back(InList("region", scope.regions));
    parts.push_back(InList("awsregion", scope.regions));
  }
  if (athena && scope.day_partition) {
    // Partition projection turns a range on the day partition into the day folders read.
    if (scope.since_ms) parts.push_back(fmt::format("\"timestamp\" >= {}", SqlString(DayPartition(*scope.since_ms))));
    // A file lands in the folder of the day it was delivered: up to a day after its events.
    constexpr long long kDayMs = 24LL * 3600 * 1000;
    if (scope.until_ms) parts.push_back(fmt::format("\"timestamp\" <= {}", SqlString(DayPartition(*scope.until_ms + kDayMs))));
  }
  auto bound = [&](long long ms, bool up) {
    const std::string iso = IsoSeconds(ms, up);
    if (athena) return SqlString(iso);
    return fmt::format("timestamp {}", SqlString(iso.substr(0, 10) + " " + iso.substr(11, 8)));
  };
  if (scope.since_ms) parts.push_back("eventtime >= " + bound(*scope.since_ms, false));
  if (scope.until_ms) parts.push_back("eventtime <= " + bound(*scope.until_ms, true));
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : " AND ") + p;
  return out;
}

bool ParsePartitions(std::string_view list, SqlScope* scope, std::string* bad) {
  scope->account_partition = scope->region_partition = scope->day_partition = false;
  for (std::string_view name : Split(list, ',')) {
    name = Trim(name);
    if (name == "account") scope->account_partition = true;
    else if (name == "region") scope->region_partition = true;
    else if (name == "timestamp") scope->day_partition = true;
    else if (name != "none" && !name.empty()) {
      *bad = std::string(name);
      return false;
    }
  }
  return true;
}

std::string AthenaTableDdl(const std::string& table, const std::string& location,
                           const std::vector<std::string>& accounts, const std::vector<std::string>& regions,
                           const std::string& first_day) {
  std::string base = location;
  if (base.empty() || base.back() != '/') base += '/';
  auto joined = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
  };
  return fmt::format(R"(CREATE EXTERNAL TABLE {0} (
  eventversion STRING,
  useridentity STRUCT<
    type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
    accesskeyid: STRING, username: STRING,
    onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      ec2roledelivery: STRING,
      sourceidentity: STRING,
      webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  vpcendpointaccountid STRING,
  eventcategory STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>)
PARTITIONED BY (account STRING, region STRING, `timestamp` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '{1}'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.account.type' = 'enum',
  'projection.account.values' = '{2}',
  'projection.region.type' = 'enum',
  'projection.region.values' = '{3}',
  'projection.timestamp.type' = 'date',
  'projection.timestamp.format' = 'yyyy/MM/dd',
  'projection.timestamp.range' = '{4},NOW',
  'projection.timestamp.interval' = '1',
  'projection.timestamp.interval.unit' = 'DAYS',
  'storage.location.template' = '{1}${{account}}/CloudTrail/${{region}}/${{timestamp}}');)",
                     QuotedTable(table, SqlEngine::kAthena, /*ddl=*/true), base, joined(accounts), joined(regions), first_day);
}

}  // namespace lir
