#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/posture_checks.h"
#include "analysis/role_usage.h"
#include "aws/aws_data.h"
#include "aws/aws_error.h"
#include "aws/sts_client.h"
#include "cli/aws_options.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/format_option.h"
#include "cli/progress_line.h"
#include "cli/security_hub_option.h"
#include "cli/output.h"
#include "core/file_read.h"
#include "core/strings.h"
#include "core/time.h"
#include "report/posture_report.h"
#include "report/report_sink.h"
#include "response/account_inventory.h"
#include "response/account_scope.h"

namespace lir {
namespace {

struct AuditArgs {
  AwsCliArgs aws;
  std::vector<std::string> functions;
  bool all_functions = false;
  std::string regions;
  std::string accounts;  // "", all, or ID,ID,...
  std::string assume_role_name = "OrganizationAccountAccessRole";
  std::string external_id;
  int account_jobs = 4;
  std::string format = "text";
  std::string out;
  bool force = false;
  std::string fail_on;
  int jobs = 8;
  std::string approved_layers;
  int min_log_retention_days = 90;
  bool least_privilege = false;
  std::string usage_window = "90d";
  std::vector<std::string> cloudtrail;
  bool no_last_accessed = false;
  bool quiet = false;  // no progress line
  bool to_security_hub = false;
};

// One ARN per line; blank lines and # comments skipped.
Result<std::vector<std::string>> ReadApprovedLayers(const std::string& path) {
  constexpr uint64_t kMaxListBytes = uint64_t{1} << 20;
  auto text = ReadRegularFile(path, kMaxListBytes);
  if (!text) return MakeError(ErrorCode::kInvalidArgument, fmt::format("--approved-layers {}: {}", path, text.error().message));
  std::vector<std::string> out;
  for (std::string_view line : Split(*text, '\n')) {
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.rfind("arn:", 0) != 0 || line.find(":layer:") == std::string_view::npos) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("--approved-layers {}: '{}' is not a layer version ARN", path, SanitizeForTerminal(line)));
    }
    out.emplace_back(line);
  }
  return out;
}

int RunAudit(const AuditArgs& args) {
  if (args.functions.empty() == !args.all_functions) {
    fmt::print(stderr, "lambda-ir: audit: name the functions to audit, or give --all-functions (not both)\n");
    return kExitUsage;
  }
  std::optional<Severity> fail_on;
  if (!args.fail_on.empty()) {
    fail_on = ParseSeverity(args.fail_on);
    if (!fail_on) {
      fmt::print(stderr, "lambda-ir: --fail-on: '{}' is not info|low|medium|high|critical\n", args.fail_on);
      return kExitUsage;
    }
  }
  PostureOptions options;
  options.cli = {args.aws.aws.profile, "", args.aws.aws.endpoint_url};
  options.min_log_retention_days = args.min_log_retention_days;
  if (!args.approved_layers.empty()) {
    auto layers = ReadApprovedLayers(args.approved_layers);
    if (!layers) {
      fmt::print(stderr, "lambda-ir: {}\n", layers.error().message);
      return kExitUsage;
    }
    options.approved_layers = std::move(*layers);
  }
  // Least privilege: asked for, or implied by a trail archive to judge usage from.
  const bool least_privilege = args.least_privilege || !args.cloudtrail.empty();
  const auto window = ParseDurationMs(args.usage_window);
  constexpr int64_t kDayMs = 24LL * 3600 * 1000;
  if (!window || *window < kDayMs) {
    fmt::print(stderr, "lambda-ir: --usage-window: '{}' is not a duration of a day or more (90d, 2160h)\n", SanitizeForTerminal(args.usage_window));
    return kExitUsage;
  }
  options.least_privilege = least_privilege;
  options.usage_window_days = static_cast<int>(*window / kDayMs);
  auto live = OpenSession(args.aws);
  if (!live) return kExitUsage;
  aws::StsClient sts(live->session->context());
  auto identity = sts.GetCallerIdentity();
  if (!identity) {
    fmt::print(stderr, "lambda-ir: {}\n", identity.error().message);
    return kExitAws;
  }
  auto resolved = ResolveAccounts(*live->session, args.accounts, identity->account);
  if (!resolved) {
    if (resolved.error().code == ErrorCode::kInvalidArgument) {
      fmt::print(stderr, "lambda-ir: {}\n", resolved.error().message);
      return kExitUsage;
    }
    fmt::print(stderr, "lambda-ir: --accounts {}: {}\n  next: {}\n", SanitizeForTerminal(args.accounts), resolved.error().message,
               ListAccountsRemedy(resolved.error()));
    return kExitAws;
  }
  const std::vector<AccountTarget>* accounts = &resolved->targets;
  InventoryRequest request;
  auto regions = ResolveRegions(args.regions, sts.client().region());
  if (!regions) {
    fmt::print(stderr, "lambda-ir: {}\n", regions.error().message);
    return kExitUsage;
  }
  request.regions = std::move(*regions);
  request.functions = args.functions;
  request.jobs = args.jobs;
  request.last_accessed = least_privilege && !args.no_last_accessed;
  request.event_source_mappings = least_privilege;
  ProgressMeter functions("auditing", "functions");
  request.progress = &functions;
  AccountScope scope;
  scope.flag = args.accounts;
  scope.role_name = args.assume_role_name;
  scope.external_id = args.external_id;
  scope.session_name = "lambda-ir-audit";
  // Each account's inventory, read in its own session; an account that cannot be entered or
  // listed is a gap of the report, never the end of the others.
  std::vector<std::optional<AccountInventory>> inventories(accounts->size());
  std::vector<InventoryGap> failed;
  std::mutex failed_mutex;
  // An account not entered (AssumeRole failed: the role is the remedy) or entered and not read
  // (its inventory failed: the role's or the caller's permissions are).
  auto fail = [&](const std::string& account, const std::string& role_arn, bool entered, const Error& error) {
    std::string remedy =
        !entered ? fmt::format("make sure role {} exists in {} and trusts the caller's account or role (or name another with "
                               "--assume-role-name), and that the caller may call sts:AssumeRole on it",
                               args.assume_role_name, account)
        : error.code == ErrorCode::kPermissionDenied
            ? fmt::format("give {} audit's reads in {} (lambda-ir permissions audit lists them)",
                          role_arn.empty() ? std::string("the caller") : "role " + role_arn, account)
            : aws::RemedyFor(error);
    const std::lock_guard lock(failed_mutex);
    failed.push_back({"", role_arn, entered ? "account" : "account (role assumed)",
                      error.iam_action.empty() ? error.operation : error.iam_action,
                      fmt::format("{}: {}", ToString(error.code), error.message), std::move(remedy), account});
  };
  std::optional<Error> caller_error;  // without --accounts: why the one account could not be read
  std::vector<std::string> region_warnings;  // accounts whose enabled regions could not be listed
  std::vector<AccountFailure> unentered;
  {
    const ProgressLine line({&functions}, ProgressWanted(args.quiet));
    unentered = ForEachAccount(*live->session, *identity, *accounts, scope, args.account_jobs, [&](size_t i, AccountSession& s) {
      InventoryRequest mine = request;
      mine.account = s.account.id;
      if (args.regions == "all") {
        std::string warning;
        mine.regions = RegionsOfAccount(s, request.regions, "read", &warning);
        if (!warning.empty()) {
          const std::lock_guard lock(failed_mutex);
          region_warnings.push_back(std::move(warning));
        }
      }
      auto inventory = ReadAccountInventory(*s.session, mine);
      if (inventory) {
        inventories[i] = std::move(*inventory);
      } else if (args.accounts.empty()) {
        caller_error = inventory.error();
      } else {
        fail(s.account.id, s.role_arn, /*entered=*/true, inventory.error());
      }
    });
  }
  for (const AccountFailure& f : unentered) fail(f.account.id, f.role_arn, /*entered=*/f.role_arn.empty(), f.error);
  std::sort(region_warnings.begin(), region_warnings.end());
  for (const std::string& w : region_warnings) fmt::print(stderr, "lambda-ir: audit: warning: {}\n", w);
  // Threads finish in any order; the report lists accounts as they were asked.
  auto position = [&](const std::string& id) {
    return std::find_if(accounts->begin(), accounts->end(), [&](const AccountTarget& a) { return a.id == id; }) - accounts->begin();
  };
  std::stable_sort(failed.begin(), failed.end(), [&](const InventoryGap& a, const InventoryGap& b) { return position(a.account) < position(b.account); });
  if (inventories.size() > 1) {
    std::vector<AccountInventory*> read;
    for (auto& inventory : inventories) {
      if (inventory) read.push_back(&*inventory);
    }
    ReconcileNamedFunctions(read);
  }
  // One account asked (the caller's, no --accounts) and nothing read: the command failed.
  if (caller_error) {
    fmt::print(stderr, "lambda-ir: {}\n", caller_error->message);
    return kExitAws;
  }
  TrailUsage trail;
  if (!args.cloudtrail.empty()) {
    std::set<std::string> roles;
    for (const auto& inventory : inventories) {
      if (!inventory) continue;
      for (const auto& [arn, role] : inventory->roles) roles.insert(arn);
    }
    std::vector<ReadIssue> issues;
    trail = ReadTrailUsage(args.cloudtrail, roles, &issues);
    for (const ReadIssue& issue : issues) {
      fmt::print(stderr, "lambda-ir: --cloudtrail: {}{}: {}\n", SanitizeForTerminal(issue.file),
                 issue.position.empty() ? "" : " " + issue.position, SanitizeForTerminal(issue.message));
    }
    if (trail.sources.empty()) {
      fmt::print(stderr, "lambda-ir: --cloudtrail: no CloudTrail file found in {}\n", SanitizeForTerminal(fmt::format("{}", fmt::join(args.cloudtrail, ", "))));
      return kExitUsage;
    }
    options.trail = &trail;
  }
  std::vector<PostureReport> reports;
  for (size_t i = 0; i < inventories.size(); ++i) {
    if (!inventories[i]) continue;
    PostureOptions mine = options;
    // Another account's fix lines run with that account's credentials, which the responder names.
    if ((*accounts)[i].id != identity->account) mine.cli.profile = fmt::format("<profile of {}>", (*accounts)[i].id);
    reports.push_back(AuditPosture(*inventories[i], mine));
  }
  PostureReport report = MergePostureReports(std::move(reports), std::move(failed));
  for (const AccountTarget& a : resolved->inactive) {
    report.not_checked.push_back(fmt::format("account {}{}: {} in the organisation, not entered", a.id,
                                             a.name.empty() ? "" : " (" + SanitizeForTerminal(a.name) + ")", SanitizeForTerminal(a.state)));
  }
  report.account = identity->account;
  if (report.accounts.empty()) report.read_at = NowMs();
  const bool color = args.out.empty() && isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nullptr;
  std::string rendered;
  if (args.format == "json") {
    rendered = RenderPostureJson(report, LIR_VERSION);
  } else if (args.format == "text") {
    rendered = RenderPostureTerminal(report, color);
  } else {
    rendered = RenderReport(args.format, PostureAsAnalysis(report), {LIR_VERSION, {}, {}, NowMs()}, {});
  }
  if (!WriteOutput(args.out, rendered, args.force)) return kExitOutput;
  const int imported = args.to_security_hub ? SendToSecurityHub(args.aws, PostureAsAnalysis(report), {LIR_VERSION, {}, {}, NowMs()})
                                            : kExitOk;
  if (fail_on) {
    for (const PostureFinding& p : report.findings) {
      if (p.finding.severity >= *fail_on) return kExitFindings;
    }
  }
  if (imported != kExitOk) return imported;
  if (std::none_of(inventories.begin(), inventories.end(), [](const auto& i) { return i.has_value(); })) {
    return kExitAws;  // no account could be read
  }
  return report.gaps.empty() ? kExitOk : kExitPartial;
}

}  // namespace

void RegisterAuditCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<AuditArgs>();
  CLI::App* cmd = app.add_subcommand(
      "audit", "Check functions' security posture from their live configuration: code signing, roles, URLs, resource policies, "
               "environment, runtime, async destinations, logging, layers (read only)");
  cmd->add_option("functions", args->functions, "Function names or ARNs (or --all-functions)");
  cmd->add_flag("--all-functions", args->all_functions, "Every function of the regions read");
  cmd->add_option("--regions", args->regions, "Regions to read: R1,R2,... or all (each account's enabled regions; default: the configured region)");
  cmd->add_option("--accounts", args->accounts,
                  "Accounts to read: ID,ID,... or all (the organisation's active accounts, organizations:ListAccounts); "
                  "each other than the caller's through --assume-role-name (default: the caller's account)");
  cmd->add_option("--assume-role-name", args->assume_role_name,
                  "The role assumed in each other account (default OrganizationAccountAccessRole)");
  cmd->add_option("--external-id", args->external_id, "The external id the roles' trust policies ask for");
  cmd->add_option("--account-jobs", args->account_jobs, "Accounts read at once, each with --jobs calls in flight (default 4)")
      ->check(CLI::Range(1, 32));
  AddFormatOption(cmd, &args->format, {"text", "json", "sarif", "csv", "asff", "ocsf"});
  AddQuietOption(cmd, &args->quiet);
  AddSecurityHubOption(cmd, &args->to_security_hub);
  cmd->add_option("-o,--out", args->out, "Write the report to this new file (mode 0600, links not followed) instead of stdout");
  cmd->add_flag("--force", args->force, "Let --out replace an existing file");
  cmd->add_option("--fail-on", args->fail_on, "Exit 1 if any finding is at or above this severity");
  cmd->add_option("-j,--jobs", args->jobs, "AWS calls in flight (default 8; 1 = one after another)")->check(CLI::Range(1, 64));
  cmd->add_option("--approved-layers", args->approved_layers, "File of approved layer version ARNs, one per line: others are findings");
  cmd->add_option("--min-log-retention-days", args->min_log_retention_days, "Shorter log retention is a finding (default 90)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--least-privilege", args->least_privilege,
                "Judge each execution role's grants against its use (IAM last-accessed reports; --cloudtrail adds its calls)");
  cmd->add_option("--usage-window", args->usage_window, "How far back use counts (default 90d)");
  cmd->add_option("--cloudtrail", args->cloudtrail,
                  "CloudTrail archive (files or directories, e.g. an AWSLogs/ tree) whose role sessions show use; implies --least-privilege");
  cmd->add_flag("--no-last-accessed", args->no_last_accessed, "Do not ask IAM for last-accessed reports (the trail alone witnesses use)");
  AddAwsOptions(cmd, &args->aws);
  cmd->footer(
      "Exit codes: 0 no read failed (and nothing at --fail-on); 1 a finding at or above --fail-on; 9 some reads failed "
      "(listed under 'Not read': those checks did not run); 6 nothing could be read.\n"
      "Examples:\n"
      "  lambda-ir audit --all-functions --regions all\n"
      "  lambda-ir audit --all-functions --accounts all --regions us-east-1,eu-west-1 --format json --out org.json\n"
      "  lambda-ir audit payments --format json --out audit.json --fail-on high\n"
      "  lambda-ir audit --all-functions --format sarif --out audit.sarif\n"
      "  lambda-ir audit --all-functions --least-privilege --cloudtrail ./AWSLogs --usage-window 90d");
  cmd->callback([args, exit_code] { *exit_code = RunAudit(*args); });
}

}  // namespace lir
