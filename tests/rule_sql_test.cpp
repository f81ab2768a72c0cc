// The rules' compiled SQL, checked by what it selects: every rule's predicate runs in an
// embedded DuckDB (tools/sql_check, node) over the sample, the third-party corpora and every
// rule's own test events, laid out as Athena's CloudTrail table, and the records it selects are
// compared with the engine's matches, rule by rule. The query may return more than the rule
// matches only where the compiler says it widened; it may never return less.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "analysis/expr_eval.h"
#include "analysis/rule_set.h"
#include "analysis/rule_sql.h"
#include "analysis/sigma_rule.h"
#include "core/time.h"
#include "sources/cloudtrail_reader.h"
#include "sources/event_view.h"
#include "sources/input_files.h"
#include "test_support.h"

namespace lir {
namespace {

// Every record of the inputs, minified, in reading order.
class RecordCollector : public RecordSink {
 public:
  void OnRecord(const RecordRef& ref) override { records.push_back(simdjson::minify(ref.Element())); }
  void OnIssue(ReadIssue issue) override {
    if (issue.kind == IssueKind::kBadFile || issue.kind == IssueKind::kBadRecord) {
      problems.push_back(issue.file + ": " + issue.message);
    }
  }
  std::vector<std::string> records;
  std::vector<std::string> problems;
};

std::vector<std::string> CheckRecords(const RuleSet& set) {
  RecordCollector sink;
  CloudTrailReader reader;
  std::vector<ReadIssue> issues;
  for (const InputFile& input :
       DiscoverInputs({test::SourceDir() + "/examples/incident", test::CorporaDir() + "/cloudtrail-trailscraper",
                       test::CorporaDir() + "/cloudtrail-awsdocs"},
                      &issues)) {
    reader.ReadFile(input.path, sink);
  }
  for (const LoadedRule& rule : set.rules) {
    for (const RuleTestCase& test : rule.tests) {
      InputBuffer buffer;
      buffer.Resize(test.content.size());
      std::memcpy(buffer.data(), test.content.data(), test.content.size());
      reader.ReadBuffer(test.file, buffer, sink);
    }
  }
  EXPECT_TRUE(sink.problems.empty()) << sink.problems.front();
  return sink.records;
}

// The window, account and region of the scoped queries: part of the sample's archive.
SqlScope SampleScope() {
  SqlScope scope;
  scope.since_ms = *ParseIso8601("2026-11-25T12:00:00Z");
  scope.until_ms = *ParseIso8601("2026-11-26T06:00:00Z");
  scope.accounts = {"111122223333"};
  scope.regions = {"us-east-1"};
  return scope;
}

// As the engine filters: the event's account is the recipient's, else the caller's.
bool InScope(const EventView& view, const SqlScope& scope) {
  return view.account() == scope.accounts[0] && view.region == scope.regions[0] &&
         view.time >= *scope.since_ms && view.time <= *scope.until_ms;
}

// The records (by position) a rule's match expression selects, as the engine decides it;
// with a scope, only those inside it.
std::set<int64_t> EngineMatches(const Rule& rule, const std::vector<std::string>& records,
                                const SqlScope* scope = nullptr) {
  std::set<int64_t> out;
  simdjson::dom::parser parser;
  for (size_t i = 0; i < records.size(); ++i) {
    simdjson::dom::element record;
    if (parser.parse(records[i]).get(record) != simdjson::SUCCESS) continue;
    EventView view;
    std::string why;
    if (!ViewEvent(record, &view, &why)) continue;
    if (scope != nullptr && !InScope(view, *scope)) continue;
    if (Evaluate(rule.match, EvalInput{nullptr, &record, view, 0})) out.insert(static_cast<int64_t>(i));
  }
  return out;
}

// Rules and records written to find where SQL and the engine part: the places a review (or
// an attacker choosing how a record is written) found SQL selecting less than the engine.
struct Hostile {
  const char* yaml;
  const char* record;
};
const Hostile kHostile[] = {
    // SQL's lower() folds the Kelvin sign to k; the engine folds ASCII only.
    {R"(match: {all: [{field: eventSource, equals: lambda.amazonaws.com},
                      {not: {field: userAgent, contains: aws-cdk, nocase: true}}]})",
     R"({"eventTime":"2026-11-26T10:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"CreateFunction20150331","userAgent":"aws-cd\u212a/2.0"})"},
    // A capital past ASCII: the engine compares it as it is, lower() would not.
    {R"(match: {field: userAgent, equals: "\u00c9-agent", nocase: true})",
     R"({"eventTime":"2026-11-26T10:00:01Z","eventSource":"lambda.amazonaws.com","eventName":"GetFunction","userAgent":"\u00c9-AGENT"})"},
    // A number is never equal to text in the engine; json_extract_scalar makes it text.
    {R"(match: {all: [{field: eventSource, equals: lambda.amazonaws.com},
                      {not: {field: requestParameters.memorySize, equals: "128"}}]})",
     R"({"eventTime":"2026-11-26T10:00:02Z","eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionConfiguration20150331v2","requestParameters":{"memorySize":128}})"},
    {R"(match: {field: requestParameters.memorySize, some_not_in: ["128", "256"]})",
     R"({"eventTime":"2026-11-26T10:00:03Z","eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionConfiguration20150331v2","requestParameters":{"memorySize":128}})"},
    // A key spelled with \u escapes inside JSON held in a string: the engine decodes it.
    {R"(match: {field: requestParameters.policyDocument.Statement.Action, equals: "*"})",
     R"({"eventTime":"2026-11-26T10:00:04Z","eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy","requestParameters":{"policyDocument":"{\"Statement\":[{\"\\u0041ction\":\"*\"}]}"}})"},
    // A regex under a not: Trino's engine is not RE2 ($ before a last newline), so SQL leaves
    // it out there (DuckDB is RE2: the difference itself cannot show here, the widening does).
    {R"(match: {all: [{field: eventSource, equals: lambda.amazonaws.com}, {not: {field: userAgent, regex: "^aws-cli/[0-9.]+$"}}]})",
     R"({"eventTime":"2026-11-26T10:00:05Z","eventSource":"lambda.amazonaws.com","eventName":"GetFunction","userAgent":"aws-cli/2\n"})"},
    // Empty text where the engine reads it as absent, under a not.
    {R"(match: {all: [{field: eventSource, equals: lambda.amazonaws.com}, {not: {field: errorCode, exists: true}}]})",
     R"({"eventTime":"2026-11-26T10:00:06Z","eventSource":"lambda.amazonaws.com","eventName":"GetFunction","errorCode":""})"},
    // A number literal strtod reads but SQL has no literal for.
    {R"(match: {field: requestParameters.timeout, in: [inf, 3]})",
     R"({"eventTime":"2026-11-26T10:00:07Z","eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionConfiguration20150331v2","requestParameters":{"timeout":3.0}})"},
    // Numbers and booleans are text to json_extract_scalar, never to the engine's string
    // operators: under a not, SQL would drop these.
    {R"(match: {all: [{field: eventSource, equals: lambda.amazonaws.com}, {not: {field: requestParameters.enable, startswith: t}}]})",
     R"({"eventTime":"2026-11-26T10:00:09Z","eventSource":"lambda.amazonaws.com","eventName":"PutX","requestParameters":{"enable":true}})"},
    {R"(match: {all: [{field: eventSource, equals: lambda.amazonaws.com}, {not: {field: requestParameters.timeout, contains: "."}}]})",
     R"({"eventTime":"2026-11-26T10:00:10Z","eventSource":"lambda.amazonaws.com","eventName":"PutX","requestParameters":{"timeout":1.5}})"},
    {R"(match: {all: [{field: eventSource, equals: lambda.amazonaws.com}, {not: {field: requestParameters.timeout, some_not_in: [3]}}]})",
     R"({"eventTime":"2026-11-26T10:00:11Z","eventSource":"lambda.amazonaws.com","eventName":"PutX","requestParameters":{"timeout":3.0}})"},
    // A key URL-encoded inside a URL-encoded document: the engine decodes it.
    {R"(match: {field: requestParameters.policyDocument.Statement.Action, equals: "*"})",
     R"({"eventTime":"2026-11-26T10:00:12Z","eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy","requestParameters":{"policyDocument":"%7B%22Statement%22%3A%5B%7B%22%41ction%22%3A%22*%22%7D%5D%7D"}})"},
    // nocase with a space and a dot: each written \\xhh, read alike by RE2 and Trino's Joni.
    {R"(match: {field: userAgent, contains: "s3 browser.", nocase: true})",
     R"({"eventTime":"2026-11-26T10:00:13Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userAgent":"S3 Browser.9"})"},
    // No recipient: the event's account is the caller's, in the scoped query too.
    {R"(match: {field: eventName, equals: HostileNoRecipient})",
     R"({"eventTime":"2026-11-25T13:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"HostileNoRecipient","awsRegion":"us-east-1","userIdentity":{"type":"IAMUser","accountId":"111122223333"}})"},
    // An event name on a new line: Trino's ^ and $ see lines, hence \\A and \\z (RE2 reads
    // both alike, so here this only shows SQL and the engine agree).
    {R"(match: {field: "@mutating", equals: true})",
     R"({"eventTime":"2026-11-26T10:00:08Z","eventSource":"lambda.amazonaws.com","eventName":"Delete\nGetFunction"})"},
};

void AddHostileRules(RuleSet* set, std::vector<std::string>* records) {
  for (size_t i = 0; i < std::size(kHostile); ++i) {
    const std::string id = fmt::format("hostile_case_{}", i);
    const std::string yaml = fmt::format(
        "id: {}\ntitle: t\nseverity: low\ndescription: d\nremediation: r\ncategory: persistence\n{}\n", id,
        kHostile[i].yaml);
    std::vector<LintIssue> issues;
    std::optional<Rule> rule = ParseRule(yaml, id, id + "/rule.yaml", &issues);
    ASSERT_TRUE(rule) << id << ": " << (issues.empty() ? "" : issues[0].message);
    set->AddOrReplace(LoadedRule{*rule, {}});
    records->push_back(kHostile[i].record);
  }
}

TEST(RuleSql, EveryRulesSqlSelectsWhatTheEngineMatchesInDuckDb) {
  LIR_REQUIRE_CORPORA();
  const std::string tool_dir = test::SourceDir() + "/tools/sql_check";
  ASSERT_TRUE(std::filesystem::exists(tool_dir + "/node_modules/@duckdb/node-api"))
      << "DuckDB for node is missing: run scripts/setup.sh (npm ci --prefix tools/sql_check)";
  RuleSet set = LoadEmbeddedRules();
  ASSERT_GT(AddSigmaRulesFromDirectory(test::SourceDir() + "/sigma/cloudtrail", &set).loaded, 50u);
  std::vector<std::string> records = CheckRecords(set);
  ASSERT_GT(records.size(), 1000u);
  AddHostileRules(&set, &records);

  const std::string dir = ::testing::TempDir() + "/rule_sql_check";
  std::filesystem::create_directories(dir);
  std::string jsonl;
  for (size_t i = 0; i < records.size(); ++i) jsonl += fmt::format("{{\"n\":{},\"r\":{}}}\n", i, records[i]);
  test::WriteFile(dir + "/records.jsonl", jsonl);
  nlohmann::json queries = nlohmann::json::array();
  std::map<std::string, RuleSql> compiled;
  const std::vector<Rule> rules = set.Rules();
  for (const Rule& rule : rules) {
    compiled[rule.id] = CompileMatch(rule.match, SqlEngine::kAthena);
    // Joni reads \x{hh} as a NUL: every escape is written \xhh.
    EXPECT_EQ(compiled[rule.id].predicate.find("\\x{"), std::string::npos) << rule.id;
    queries.push_back({{"id", rule.id}, {"sql", RuleQuery(rule, SqlEngine::kAthena, "cloudtrail", {}, "n")}});
    queries.push_back({{"id", "scoped/" + rule.id},
                       {"sql", RuleQuery(rule, SqlEngine::kAthena, "cloudtrail", SampleScope(), "n")}});
  }
  test::WriteFile(dir + "/queries.json", queries.dump());
  const test::CommandResult run =
      test::RunCommand({"node", tool_dir + "/check.mjs", dir + "/records.jsonl", dir + "/queries.json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json selected = nlohmann::json::parse(run.out);

  // One line per rule: exact or widened, what the engine matched, what SQL selected.
  std::string table;
  for (const Rule& rule : rules) {
    const std::set<int64_t> engine = EngineMatches(rule, records);
    const std::vector<int64_t> sql_list = selected.at(rule.id).get<std::vector<int64_t>>();
    const std::set<int64_t> sql(sql_list.begin(), sql_list.end());
    for (int64_t n : engine) {
      EXPECT_TRUE(sql.count(n)) << rule.id << ": SQL misses record " << n << ": " << records[n] << "\n"
                                << compiled[rule.id].predicate;
    }
    if (compiled[rule.id].exact) {
      EXPECT_EQ(sql, engine) << rule.id << " is exact, yet SQL selects " << sql.size() << " against "
                             << engine.size() << "\n" << compiled[rule.id].predicate;
    }
    table += fmt::format("{} {} engine={} sql={}\n", rule.id, compiled[rule.id].exact ? "exact" : "widened",
                         engine.size(), sql.size());
    // Inside the partitions and window asked for, the same holds.
    const SqlScope scope = SampleScope();
    const std::set<int64_t> engine_scoped = EngineMatches(rule, records, &scope);
    const std::vector<int64_t> scoped_list = selected.at("scoped/" + rule.id).get<std::vector<int64_t>>();
    const std::set<int64_t> sql_scoped(scoped_list.begin(), scoped_list.end());
    for (int64_t n : sql_scoped) {
      EXPECT_TRUE(sql.count(n)) << rule.id << ": the scoped query selects record " << n << " outside the unscoped";
    }
    for (int64_t n : engine_scoped) {
      EXPECT_TRUE(sql_scoped.count(n)) << rule.id << ": scoped SQL misses record " << n;
    }
    if (compiled[rule.id].exact) {
      EXPECT_EQ(sql_scoped, engine_scoped) << rule.id << " (scoped)";
    }
    if (!engine_scoped.empty()) table += fmt::format("  in scope: engine={} sql={}\n", engine_scoped.size(), sql_scoped.size());
  }
  const std::string golden = test::SourceDir() + "/tests/golden/rule_sql/duckdb_check.txt";
  if (std::getenv("LIR_UPDATE_GOLDEN") != nullptr) test::WriteFile(golden, table);
  EXPECT_EQ(table, test::ReadFile(golden));
}

// What a user pastes into Athena or CloudTrail Lake, for every shipped rule, and the table the
// queries are written for. Golden files: LIR_UPDATE_GOLDEN=1 rewrites them; review the diff.
TEST(RuleSql, PrintedQueriesAndTableAreTheGoldenOnes) {
  const std::string dir = test::SourceDir() + "/tests/golden/rule_sql/";
  const std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
      {"athena.sql", {"rules", "sql", "--table", "security.cloudtrail_org", "--since", "2026-11-01T00:00:00Z",
                      "--until", "2026-11-30T23:59:59Z", "--accounts", "111122223333,444455556666",
                      "--regions", "us-east-1"}},
      {"athena_no_partitions.sql", {"rules", "sql", "--partitions", "none", "--rule", "lambda_function_url_public",
                                    "--since", "2026-11-01T00:00:00Z", "--accounts", "111122223333"}},
      {"lake.sql", {"rules", "sql", "--engine", "lake", "--table", "0c4b6a70-2d5e-4f0a-9b7e-3f1e2d3c4b5a",
                    "--since", "2026-11-01T00:00:00Z", "--regions", "us-east-1,eu-west-1"}},
      {"lake.json", {"rules", "sql", "--engine", "lake", "--format", "json", "--rule", "lambda_layer_added",
                     "--rule", "cloudtrail_lambda_data_events_dropped"}},
      {"table.ddl", {"rules", "sql", "--ddl", "s3://trail-bucket/AWSLogs/o-abc123def4/", "--accounts",
                     "111122223333,444455556666", "--regions", "us-east-1,us-west-2", "--since", "2026-01-01T00:00:00Z",
                     "--table", "security.cloudtrail_org"}},
      {"table_defaults.ddl", {"rules", "sql", "--ddl", "s3://trail-bucket/AWSLogs/o-abc123def4/", "--accounts",
                              "111122223333"}},
      // Glue names made outside Athena (a crawler's): quoted where a part needs it.
      {"athena_quoted_names.sql", {"rules", "sql", "--table", "ir-logs.cloudtrail_2026", "--rule",
                                   "lambda_function_url_public", "--partitions", "none"}},
      {"table_quoted_names.ddl", {"rules", "sql", "--ddl", "s3://trail-bucket/AWSLogs/o-abc123def4/", "--accounts",
                                  "111122223333", "--table", "_ir.2026_trail"}},
  };
  for (const auto& [file, args] : runs) {
    const test::CommandResult r = test::RunTool(args);
    ASSERT_EQ(r.exit_code, 0) << file << ": " << r.err;
    EXPECT_EQ(r.err, "") << file;
    if (std::getenv("LIR_UPDATE_GOLDEN") != nullptr) test::WriteFile(dir + file, r.out);
    EXPECT_EQ(r.out, test::ReadFile(dir + file)) << file;
  }
}

// A flag never writes SQL of its own into the query or the table, and a wrong one says which.
TEST(RuleSql, FlagsThatWouldChangeTheSqlAreRefused) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--engine", "bigquery"}, "lambda-ir: rules sql: --engine: 'bigquery' is not athena or lake\n"},
      {{"--table", "t; DROP TABLE x"},
       "lambda-ir: rules sql: --table: 't; DROP TABLE x' is not a table name (letters, digits, _ and -, a . between names)\n"},
      {{"--table", "ir-logs.\"x"},
       "lambda-ir: rules sql: --table: 'ir-logs.\"x' is not a table name (letters, digits, _ and -, a . between names)\n"},
      {{"--table", "db..t"},
       "lambda-ir: rules sql: --table: 'db..t' is not a table name (letters, digits, _ and -, a . between names)\n"},
      {{"--table", "db."}, "lambda-ir: rules sql: --table: 'db.' is not a table name (letters, digits, _ and -, a . between names)\n"},
      {{"--ddl", "s3://bucket/AWSLogs/", "--accounts", "111122223333", "--table", "ir-logs.trail"},
       "lambda-ir: rules sql: --table: 'ir-logs.trail': a table Athena creates has no - in its names (letters, digits, _)\n"},
      {{"--accounts", "1111"}, "lambda-ir: rules sql: --accounts: '1111' is not a 12-digit account id\n"},
      {{"--regions", "us-east-1') OR (1=1"},
       "lambda-ir: rules sql: --regions: 'us-east-1') OR (1=1' is not a region name\n"},
      {{"--partitions", "day"}, "lambda-ir: rules sql: --partitions: 'day' is not account, region, timestamp or none\n"},
      {{"--rule", "no_such_rule"}, "lambda-ir: rules sql: --rule: no loaded rule is 'no_such_rule' (lambda-ir rules list)\n"},
      {{"--ddl", "s3://bucket/x'/", "--accounts", "111122223333", "--regions", "us-east-1"},
       "lambda-ir: rules sql: --ddl: 's3://bucket/x'/' is not an s3://BUCKET/PREFIX/ location\n"},
      {{"--ddl", "s3://bucket/AWSLogs/"}, "lambda-ir: rules sql: --ddl: name the accounts the table projects (--accounts ID,...)\n"},
  };
  for (const auto& [flags, message] : cases) {
    std::vector<std::string> args = {"rules", "sql"};
    args.insert(args.end(), flags.begin(), flags.end());
    const test::CommandResult r = test::RunTool(args);
    EXPECT_EQ(r.exit_code, 2) << flags[0];
    EXPECT_EQ(r.out, "") << flags[0];
    EXPECT_EQ(r.err, message);
  }
}

}  // namespace
}  // namespace lir
