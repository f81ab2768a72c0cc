#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/analysis_runner.h"
#include "cli/collect_runner.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/security_hub_option.h"
#include "evidence/case.h"
#include "report/sqlite_index.h"

namespace lir {
namespace {

struct InvestigateArgs {
  CollectArgs collect;
  AnalyzeArgs report;
  bool to_security_hub = false;
};

int RunInvestigate(InvestigateArgs args) {
  if (args.to_security_hub && args.report.reveal_secrets) {
    fmt::print(stderr, "lambda-ir: --reveal-secrets: not with --to-security-hub (the values would leave this machine)\n");
    return kExitUsage;
  }
  if (auto checked = CheckReportArgs(args.report); !checked) {
    fmt::print(stderr, "lambda-ir: {}\n", checked.error().message);
    return kExitUsage;
  }
  std::string case_dir;
  args.collect.print_custody_head = false;
  args.collect.quiet = args.report.quiet;
  int collected = RunCollect(args.collect, &case_dir);
  if (case_dir.empty()) return collected;  // nothing to analyse
  args.report.paths = {case_dir};
  args.report.function = args.collect.function;
  auto run = ExecuteAnalysis(args.report);
  if (!run) {
    fmt::print(stderr, "lambda-ir: {}\n", run.error().message);
    // The case stands without its analysis: its head is still the thing to note.
    if (auto evidence = EvidenceCase::Open(case_dir, "lambda-ir investigate")) {
      fmt::print("  custody head {} (record it outside the case)\n", (*evidence)->custody_head());
    }
    return kExitUsage;
  }
  // The analysis as run is part of the case too (listed and hashed like any artifact); the
  // custody head printed after it is the case's last.
  auto evidence = EvidenceCase::Open(case_dir, "lambda-ir investigate");
  if (!evidence) {
    fmt::print(stderr, "lambda-ir: the analysis was not added to the case: {}; run `lambda-ir verify {}`\n",
               evidence.error().message, case_dir);
    collected = kExitEvidence;
  } else {
    std::string stamp = FormatIso8601(NowMs() - NowMs() % 1000);
    std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
    if (auto added = (*evidence)->AddArtifact("reports/analysis-" + stamp + ".json", RenderJson(run->result, run->context),
                                              {"lambda-ir", "analyze", ""});
        !added) {
      fmt::print(stderr, "lambda-ir: the analysis was not added to the case: {}\n", added.error().message);
      collected = kExitEvidence;
    }
    fmt::print("  custody head {} (record it outside the case)\n", (*evidence)->custody_head());
  }
  if (auto indexed = WriteCaseIndex(case_dir, run->result); !indexed) {
    fmt::print(stderr, "lambda-ir: {}\n", indexed.error().message);
  }
  const int analysed = EmitAnalysis(args.report, *run);
  const int imported = args.to_security_hub ? SendToSecurityHub(args.collect.aws, run->result, run->context) : kExitOk;
  // A finding at --fail-on wins; then a collection failure; then a failed import.
  if (analysed != kExitOk) return analysed;
  return collected != kExitOk ? collected : imported;
}

}  // namespace

void RegisterInvestigateCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<InvestigateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "investigate", "collect, then analyze the new case: the same findings a later offline `analyze CASE` gives");
  AddCollectOptions(cmd, &args->collect);
  AddReportOptions(cmd, &args->report);
  AddSecurityHubOption(cmd, &args->to_security_hub);
  cmd->footer(
      "Examples:\n"
      "  lambda-ir investigate payments --case cases/payments --since 7d\n"
      "  lambda-ir investigate payments --profile incident --region eu-west-1 --cloudtrail ./AWSLogs --format json --out analysis.json");
  cmd->callback([args, exit_code] { *exit_code = RunInvestigate(*args); });
}

}  // namespace lir
