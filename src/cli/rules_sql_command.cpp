// `lambda-ir rules sql`: the rules' event predicates as Athena or CloudTrail Lake queries.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "analysis/rule_set.h"
#include "aws/aws_data.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/format_option.h"
#include "cli/rule_loading.h"
#include "core/strings.h"
#include "core/time.h"
#include "report/sql_listing.h"

namespace lir {
namespace {

struct SqlArgs {
  RuleSources sources;
  std::string engine = "athena";
  std::string table;
  std::vector<std::string> rule_ids;
  std::string since, until, accounts, regions;
  std::string format = "text";
  std::string ddl;           // --ddl s3://BUCKET/AWSLogs/o-ORGID/
  std::string partitions = "account,region,timestamp";
};

// An S3 location written into the DDL as is: a bucket name and key characters only, so
// nothing in it closes the quoted string.
bool SafeLocation(std::string_view location) {
  if (location.substr(0, 5) != "s3://" || location.size() < 9 || location.size() > 1024) return false;
  for (char c : location.substr(5)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

int Fail(const std::string& message) {
  fmt::print(stderr, "lambda-ir: rules sql: {}\n", SanitizeForTerminal(message));
  return kExitUsage;
}

int RunSql(SqlArgs args) {
  SqlListing listing;
  if (args.engine == "athena") {
    listing.engine = SqlEngine::kAthena;
  } else if (args.engine == "lake") {
    listing.engine = SqlEngine::kLake;
  } else {
    return Fail(fmt::format("--engine: '{}' is not athena or lake", args.engine));
  }
  listing.table = args.table.empty() ? DefaultTable(listing.engine) : args.table;
  if (!SafeTableName(listing.table)) {
    return Fail(fmt::format("--table: '{}' is not a table name (letters, digits, _ and -, a . between names)", listing.table));
  }
  const TimestampMs now = NowMs();
  for (auto [text, target, flag] : {std::tuple{&args.since, &listing.scope.since_ms, "--since"},
                                    std::tuple{&args.until, &listing.scope.until_ms, "--until"}}) {
    if (text->empty()) continue;
    auto parsed = ParseTimeArgument(*text, now);
    if (!parsed) return Fail(fmt::format("{}: {}", flag, parsed.error().message));
    *target = *parsed;
  }
  if (!args.accounts.empty()) {
    std::string bad;
    listing.scope.accounts = AccountIdsIn(args.accounts, &bad);
    if (listing.scope.accounts.empty()) return Fail(fmt::format("--accounts: '{}' is not a 12-digit account id", bad));
  }
  for (std::string_view region : Split(args.regions, ',')) {
    region = Trim(region);
    if (region.empty()) continue;
    if (!aws::IsRegionName(region)) return Fail(fmt::format("--regions: '{}' is not a region name", region));
    listing.scope.regions.emplace_back(region);
  }
  if (!args.ddl.empty()) {
    if (listing.engine != SqlEngine::kAthena) return Fail("--ddl: an Athena table; CloudTrail Lake needs none");
    if (!SafeLocation(args.ddl)) return Fail(fmt::format("--ddl: '{}' is not an s3://BUCKET/PREFIX/ location", args.ddl));
    if (listing.scope.accounts.empty()) return Fail("--ddl: name the accounts the table projects (--accounts ID,...)");
    // Athena's DDL takes no - in a name, quoted or not (a crawler's names are Glue's doing).
    if (listing.table.find('-') != std::string::npos) {
      return Fail(fmt::format("--table: '{}': a table Athena creates has no - in its names (letters, digits, _)", listing.table));
    }
    // Every region and all of CloudTrail's years unless narrowed: a region nobody uses is
    // where an attacker works, and a projected day with no files costs nothing.
    if (listing.scope.regions.empty()) listing.scope.regions = aws::LambdaRegions("us-east-1");
    const long long first_day = listing.scope.since_ms.value_or(*ParseIso8601("2013-11-01T00:00:00Z"));
    fmt::print("{}\n", AthenaTableDdl(listing.table, args.ddl, listing.scope.accounts, listing.scope.regions,
                                      DayPartition(first_day)));
    return kExitOk;
  }
  if (std::string bad; !ParsePartitions(args.partitions, &listing.scope, &bad)) {
    return Fail(fmt::format("--partitions: '{}' is not account, region, timestamp or none", bad));
  }
  const RuleSet set = LoadRulesForRun(args.sources);
  std::vector<Rule> rules;
  for (const Rule& rule : set.Rules()) {
    if (args.rule_ids.empty() ||
        std::find(args.rule_ids.begin(), args.rule_ids.end(), rule.id) != args.rule_ids.end()) {
      rules.push_back(rule);
    }
  }
  for (const std::string& id : args.rule_ids) {
    const bool known = std::any_of(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == id; });
    if (!known) return Fail(fmt::format("--rule: no loaded rule is '{}' (lambda-ir rules list)", id));
  }
  fmt::print("{}", args.format == "json" ? RenderSqlJson(rules, listing) : RenderSqlText(rules, listing));
  return kExitOk;
}

}  // namespace

void AddRulesSqlCommand(CLI::App* rules, int* exit_code) {
  auto args = std::make_shared<SqlArgs>();
  auto with_sigma = std::make_shared<bool>(false);
  CLI::App* sql = rules->add_subcommand(
      "sql", "Each rule's event predicate as an Athena (CloudTrail table) or CloudTrail Lake query");
  sql->add_option("--engine", args->engine, "athena (the documented CloudTrail table, docs/athena.md) or lake")
      ->capture_default_str();
  sql->add_option("--table", args->table,
                  "Table (Athena: DB.TABLE, default cloudtrail_logs) or event data store id (Lake)");
  sql->add_option("--rule", args->rule_ids, "Only this rule; repeatable");
  sql->add_option("--since", args->since, "Only events at or after: ISO-8601, epoch ms, or a duration ago (36h, 7d)");
  sql->add_option("--until", args->until, "Only events at or before (same forms as --since)");
  sql->add_option("--accounts", args->accounts, "Only these accounts: ID,ID,... (Athena: the account partition)");
  sql->add_option("--regions", args->regions, "Only these regions: R,R,... (Athena: the region partition)");
  sql->add_option("--partitions", args->partitions,
                  "The Athena table's partition columns: account,region,timestamp (--ddl's table), timestamp "
                  "(AWS's single-account table) or none")
      ->capture_default_str();
  sql->add_option("--ddl", args->ddl,
                  "Print the Athena table for the trail archive at s3://BUCKET/AWSLogs/o-ORGID/ (with --accounts; "
                  "--regions narrows the commercial regions, --since the days from 2013/11/01) instead of queries");
  sql->add_option("--rules", args->sources.rule_dirs, "Extra rule directory; repeatable");
  sql->add_option("--sigma", args->sources.sigma_dirs, "Sigma rule directory (logsource aws/cloudtrail); repeatable");
  sql->add_flag("--with-sigma", *with_sigma, "Include the bundled SigmaHQ CloudTrail rules");
  AddFormatOption(sql, &args->format, {"text", "json"});
  sql->footer(
      "A query returns every record its rule matches; one marked widened returns more, and\n"
      "lambda-ir analyze decides on them. Context and threshold rules need the whole scan.\n"
      "Examples:\n"
      "  lambda-ir rules sql --table security.cloudtrail_org --since 30d --accounts 111122223333\n"
      "  lambda-ir rules sql --engine lake --table EDS_ID --rule lambda_function_url_public\n"
      "  lambda-ir rules sql --ddl s3://trail-bucket/AWSLogs/o-abc123/ --accounts 111122223333 --regions us-east-1");
  sql->callback([=] {
    SqlArgs run = *args;
    run.sources.bundled_sigma = *with_sigma;
    *exit_code = RunSql(run);
  });
}

}  // namespace lir
