#include "cli/response_common.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "aws/sts_client.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/strings.h"
#include "core/task_pool.h"
#include "evidence/function_collector.h"
#include "sources/event.h"

namespace lir {

void AddResponseOptions(CLI::App* cmd, ResponseArgs* args, bool many) {
  auto* positional = cmd->add_option("function", args->functions, many ? "Function names or ARNs" : "Function name or ARN")->required();
  if (!many) positional->expected(1);
  cmd->add_option("--case", args->case_dir, "Case directory (created, with a configuration snapshot, if missing)");
  cmd->add_flag("--dry-run", args->dry_run, "Print the changes as aws CLI command lines; change nothing");
  cmd->add_flag("-y,--yes", args->yes, "Make the changes without asking");
  cmd->add_flag("--skip-packages", args->skip_packages, "Snapshot without downloading deployment packages");
  cmd->add_option("-j,--jobs", args->jobs, "Independent changes in flight (default 8; 1 = one after another)")->check(CLI::PositiveNumber);
  cmd->add_option("--wait-timeout", args->wait_seconds, "Seconds to wait for mappings and updates to settle (default 300)")
      ->check(CLI::PositiveNumber);
  AddAwsOptions(cmd, &args->aws);
}

StepContext ResponseSession::Context(const std::string& key_prefix, const ResponseArgs& args) const {
  StepContext ctx;
  ctx.calls = calls.get();
  ctx.function = function;
  ctx.key_prefix = key_prefix;
  ctx.wait_seconds = args.wait_seconds;
  ctx.cli.profile = args.aws.aws.profile;
  if (auto region = live->session->config().region()) ctx.cli.region = region->value;
  ctx.cli.endpoint_url = args.aws.aws.endpoint_url;
  return ctx;
}

namespace {

bool HasSnapshot(const std::string& case_dir, const std::string& function) {
  std::error_code ec;
  return std::filesystem::exists(case_dir + "/" + FunctionArtifactDir(function) + "/function.json", ec);
}

}  // namespace

std::unique_ptr<ResponseSession> OpenResponse(const ResponseArgs& args, const char* command, int* exit_code, bool snapshot_now) {
  auto rs = std::make_unique<ResponseSession>();
  for (const auto& f : args.functions) rs->functions.emplace_back(FunctionNameFromRef(f));
  rs->function = rs->functions.front();
  rs->live = OpenSession(args.aws);
  if (!rs->live) {
    *exit_code = kExitUsage;
    return nullptr;
  }
  rs->calls = std::make_unique<AwsCalls>(*rs->live->session);
  aws::StsClient sts(rs->live->session->context());
  auto identity = sts.GetCallerIdentity();
  if (!identity) {
    fmt::print(stderr, "lambda-ir: {}\n", identity.error().message);
    *exit_code = kExitAws;
    return nullptr;
  }
  rs->actor = identity->arn;
  std::string dir = args.case_dir;
  std::error_code ec;
  if (args.dry_run) {
    // Read-only: use the case's journal if there is one (recover needs it), never create.
    if (!dir.empty() && std::filesystem::exists(dir + "/manifest.json", ec)) {
      auto journal = Journal::Open(dir, rs->actor);
      if (journal) rs->journal = std::move(*journal);
    }
    return rs;
  }
  if (dir.empty()) {
    std::string stamp = FormatIso8601(NowMs() - NowMs() % 1000);
    std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
    dir = "cases/" + SafeName(rs->function) + (rs->functions.size() > 1 ? "-and-more" : "") + "-" + stamp;
  }
  auto evidence = std::filesystem::exists(dir + "/manifest.json", ec)
                      ? EvidenceCase::Open(dir, rs->actor)
                      : EvidenceCase::Create(dir, std::string(FunctionNameFromDir(dir)), rs->actor, LIR_VERSION);
  if (!evidence) {
    fmt::print(stderr, "lambda-ir: {}\n", evidence.error().message);
    *exit_code = kExitOutput;
    return nullptr;
  }
  rs->evidence = std::move(*evidence);
  if (snapshot_now && !EnsureSnapshots(*rs, args, command)) {
    *exit_code = kExitAws;
    return nullptr;
  }
  auto journal = Journal::Open(dir, rs->actor);
  if (!journal) {
    fmt::print(stderr, "lambda-ir: {}\n", journal.error().message);
    *exit_code = kExitOutput;
    return nullptr;
  }
  rs->journal = std::move(*journal);
  fmt::print("case {}\n", dir);
  return rs;
}

bool EnsureSnapshots(ResponseSession& rs, const ResponseArgs& args, const char* command) {
  if (!rs.evidence) return true;  // --dry-run: nothing will change
  // Snapshots of the functions that lack one, all at once.
  struct Problem {
    bool fatal = false;  // no snapshot: nothing may change
    std::string message;
  };
  std::vector<Problem> problems(args.functions.size());
  {
    TaskPool pool(std::min<int>(args.jobs, static_cast<int>(args.functions.size())));
    for (size_t i = 0; i < args.functions.size(); ++i) {
      if (HasSnapshot(rs.evidence->dir(), rs.functions[i])) continue;
      fmt::print(stderr, "{}: collecting the configuration snapshot of {} into {} first\n", command, SanitizeForTerminal(rs.functions[i]), rs.evidence->dir());
      pool.Submit([&, i] {
        CollectOptions options;
        options.packages = !args.skip_packages;
        options.jobs = args.jobs;
        auto outcome = CollectFunctionConfiguration(*rs.live->session, *rs.evidence, args.functions[i], options);
        if (!outcome || !HasSnapshot(rs.evidence->dir(), rs.functions[i])) {
          problems[i] = {true, fmt::format("no configuration snapshot of {}, so no change made: {}", rs.functions[i],
                                           outcome ? "GetFunction failed" : outcome.error().message)};
          return;
        }
        for (const auto& f : outcome->failures) problems[i].message += (problems[i].message.empty() ? "" : "; ") + ("snapshot: FAILED " + f);
      });
    }
    pool.Wait();
  }
  bool ok = true;
  for (const auto& p : problems) {
    if (p.message.empty()) continue;
    fmt::print(stderr, "lambda-ir: {}: {}{}\n", command, p.fatal ? "" : "warning: ", SanitizeForTerminal(p.message));
    ok = ok && !p.fatal;
  }
  return ok;
}

bool ConfirmPlan(const ResponseArgs& args, const std::string& verb, const std::vector<ResponseStep>& steps) {
  if (args.yes) return true;
  if (isatty(STDIN_FILENO) != 1) {
    fmt::print(stderr, "lambda-ir: {}: not confirmed. Pass --yes to make these {} changes, or --dry-run to only print them.\n", verb,
               steps.size());
    return false;
  }
  fmt::print("{} {} changes? [y/N] ", verb, steps.size());
  std::fflush(stdout);
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

void PrintDryRun(ResponseSession& rs, const std::vector<ResponseStep>& steps) {
  size_t done = 0;
  for (const auto& s : steps) {
    if (rs.journal) {
      auto recorded = rs.journal->Find(s.key);
      if (recorded && *recorded && (*recorded)->status == StepStatus::kDone) {
        ++done;
        continue;
      }
    }
    fmt::print("{}\n", s.action);
  }
  if (done > 0) fmt::print(stderr, "({} steps already done by an earlier run: not listed)\n", done);
}

int ExecutePlan(ResponseSession& rs, const ResponseArgs& args, const std::string& command, const std::vector<ResponseStep>& steps,
                nlohmann::json detail, const std::function<int(int)>& then) {
  fmt::print("{} changes:\n", steps.size());
  PrintPlan(steps);
  if (!ConfirmPlan(args, "Make these", steps)) return kExitRefused;
  detail["steps"] = steps.size();
  (void)rs.evidence->Record(command + "-started", detail.dump());
  int code = ReportOutcomes(RunSteps(*rs.journal, steps, args.jobs, PrintOutcome));
  if (then) code = then(code);
  detail["exit"] = code;
  (void)rs.evidence->Record(command + "-finished", detail.dump());
  return code;
}

void PrintPlan(const std::vector<ResponseStep>& steps) {
  for (const auto& s : steps) {
    for (std::string_view line : Split(s.action, '\n')) fmt::print("  {}\n", SanitizeForTerminal(line));
  }
}

void PrintOutcome(const StepOutcome& o) {
  const bool unchanged = o.result.is_object() && o.result.contains("unchanged") && o.result["unchanged"].is_string();
  const char* mark = o.kind == StepOutcomeKind::kFailed        ? "FAILED"
                     : o.kind == StepOutcomeKind::kAlreadyDone ? "done before"
                     : unchanged                               ? "no change"
                                                               : "done";
  std::string note;
  if (unchanged) note = " (" + o.result["unchanged"].get<std::string>() + ")";
  if (o.kind == StepOutcomeKind::kFailed) note = ": " + o.error;
  const auto lines = Split(o.action, '\n');
  const std::string more = lines.size() > 1 ? fmt::format(" (and {} more commands)", lines.size() - 1) : "";
  fmt::print("  [{}] {}{}{}\n", mark, SanitizeForTerminal(lines.front()), more, SanitizeForTerminal(note));
}

int ReportOutcomes(const std::vector<StepOutcome>& outcomes) {
  size_t done = 0, before = 0, failed = 0;
  for (const auto& o : outcomes) {
    if (o.kind == StepOutcomeKind::kDone) ++done;
    else if (o.kind == StepOutcomeKind::kAlreadyDone) ++before;
    else ++failed;
  }
  fmt::print("{} changed, {} done by an earlier run, {} failed\n", done, before, failed);
  if (failed > 0) fmt::print("Run the same command again to complete the failed steps: finished steps are not repeated.\n");
  return failed == 0 ? kExitOk : kExitAws;
}

}  // namespace lir
