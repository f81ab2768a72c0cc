#include "cli/athena_input.h"

#include <random>

#include <fmt/format.h>

#include "analysis/rule_sql.h"
#include "core/interrupt.h"
#include "core/strings.h"
#include "sources/athena_rows.h"

namespace lir {
namespace {

// DB.TABLE: exactly one dot between two names, each SQL-safe.
bool SafeTable(std::string_view name, std::string* database) {
  const auto dot = name.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return false;
  if (name.find('.', dot + 1) != std::string_view::npos || !SafeTableName(name)) return false;
  *database = std::string(name.substr(0, dot));
  return true;
}

// Athena's idempotency token: 32 to 128 characters, new for each run.
std::string ClientToken() {
  std::random_device random;
  std::string token = "lambda-ir-";
  for (int i = 0; i < 32; ++i) token += "0123456789abcdef"[random() % 16];
  return token;
}

// Athena bills the bytes scanned, $5 per TB, at least 10 MB a query (us-east-1 list price).
std::string Cost(uint64_t bytes) {
  const double billed = std::max<double>(static_cast<double>(bytes), 10e6);
  return fmt::format("about ${:.4f} at $5 per TB, 10 MB minimum", billed / 1e12 * 5.0);
}

}  // namespace

std::string AthenaFailureRemedy(const std::string& reason) {
  for (std::string_view access : {"Access Denied", "AccessDenied", "not authorized", "KMS"}) {
    if (IContains(reason, access)) {
      return "Athena reads the trail and writes the results as the caller: grant what `lambda-ir permissions "
             "athena` prints, on the trail's bucket, its KMS key and the output location";
    }
  }
  const bool missing_table = IContains(reason, "does not exist") &&
                             (IContains(reason, "table") || IContains(reason, "schema") || IContains(reason, "database"));
  for (std::string_view shape : {"COLUMN_NOT_FOUND", "TABLE_NOT_FOUND", "SCHEMA_NOT_FOUND", "cannot be resolved",
                                 "SYNTAX_ERROR", "TYPE_MISMATCH"}) {
    if (missing_table || IContains(reason, shape)) {
      return "the table must have the columns and partitions `lambda-ir rules sql --ddl` gives it, or name the "
             "partitions it has with --athena-partitions (timestamp, none)";
    }
  }
  if (IContains(reason, "output location")) return "name where Athena writes results: --output-location s3://BUCKET/PREFIX/";
  return "Athena's reason above says what it refused; the query is `lambda-ir rules sql`'s union, run with --debug to see it";
}

Result<AthenaInput> RunAthenaQuery(const AnalyzeArgs& args, const ScanOptions& options, const std::vector<Rule>& rules) {
  AthenaQuerySpec spec;
  if (!SafeTable(args.athena, &spec.database)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("--athena: '{}' is not DB.TABLE (letters, digits, _ and -)", SanitizeForTerminal(args.athena)));
  }
  if (!args.output_location.empty() && args.output_location.rfind("s3://", 0) != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("--output-location: '{}' is not s3://BUCKET/PREFIX/", SanitizeForTerminal(args.output_location)));
  }
  SqlScope scope;
  scope.since_ms = options.since;
  scope.until_ms = options.until;
  scope.accounts = options.accounts;
  if (!options.region.empty()) scope.regions = {options.region};
  if (std::string bad; !ParsePartitions(args.athena_partitions, &scope, &bad)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("--athena-partitions: '{}' is not account, region, timestamp or none", SanitizeForTerminal(bad)));
  }
  spec.sql = RecordsQuery(rules, SqlEngine::kAthena, args.athena, scope, AthenaRecordColumnNames(), AthenaRecordColumns());
  spec.timeout_ms = args.athena_timeout_s * 1000;
  spec.workgroup = args.workgroup;
  spec.output_location = args.output_location;
  spec.client_token = ClientToken();

  AthenaInput input;
  // What a local scan of the whole archive would learn and this query does not return.
  input.warnings.push_back(
      "history is judged on the records the query returned: a principal's first sight and where the evidence "
      "begins (lambda_change_by_new_principal may say 'no baseline')");
  if (options.since || options.until || !options.accounts.empty() || !options.region.empty()) {
    input.warnings.push_back("functions' roles and the role sessions seen in Lambda come from records inside the "
                             "filters: a function changed only outside them is not known to run its role (wider "
                             "filters read more, and cost more)");
  }
  for (const Rule& rule : rules) {
    for (const std::string& widened : CompileMatch(rule.match, SqlEngine::kAthena).widened) {
      const auto cut = widened.find(" (not in the table)");
      if (cut == std::string::npos) continue;
      input.warnings.push_back(fmt::format("rule {} reads {}, which the Athena table does not hold: it cannot match "
                                           "records from Athena", SanitizeForTerminal(rule.id),
                                           SanitizeForTerminal(widened.substr(0, cut))));
    }
  }
  AwsCliArgs aws_args;
  aws_args.aws = {args.profile, args.athena_region, args.endpoint_url};
  aws_args.debug = args.debug;
  input.live = OpenSession(aws_args);
  if (!input.live) return MakeError(ErrorCode::kInvalidArgument, "the AWS configuration for --athena is unusable");
  input.source = std::make_unique<AthenaTrailSource>(input.live->session->context(), spec);
  if (!args.quiet) fmt::print(stderr, "athena: running the records query in {} ...\n", args.athena);
  {
    // Ctrl-C while the query runs stops it (it would run and bill on); once it has ended,
    // Ctrl-C ends the process as usual.
    InterruptScope interrupt;
    if (auto ran = input.source->Run(); !ran) return tl::unexpected(ran.error());
  }
  const AthenaQueryStats& stats = input.source->stats();
  fmt::print(stderr, "athena: query {} scanned {} bytes ({}), {} ms in the engine\n", SanitizeForTerminal(stats.id),
             stats.bytes_scanned, Cost(stats.bytes_scanned), stats.engine_ms);
  return input;
}

}  // namespace lir
