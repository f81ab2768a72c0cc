#include "response/response_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace lir {

RunSummary Summarize(const std::vector<StepOutcome>& outcomes) {
  RunSummary s;
  for (const StepOutcome& o : outcomes) {
    if (!o.journaled && o.kind == StepOutcomeKind::kDone) continue;  // a read or the snapshot: no change to count
    switch (o.kind) {
      case StepOutcomeKind::kDone:
        // "no change": the state was already what the step wanted (absent, disabled already)
        if (o.result.is_object() && o.result.contains("unchanged")) {
          ++s.unchanged;
        } else {
          ++s.changed;
        }
        break;
      case StepOutcomeKind::kAlreadyDone: ++s.done_before; break;
      case StepOutcomeKind::kSkipped: ++s.skipped; break;
      case StepOutcomeKind::kFailed:
        ++s.failed;
        switch (o.cause.code) {
          case ErrorCode::kPermissionDenied:
            if (!o.cause.iam_action.empty()) s.grant.insert(o.cause.iam_action);
            s.rerun = true;
            break;
          case ErrorCode::kUnauthenticated: s.credentials = true; break;
          case ErrorCode::kUnsupported: s.unsupported.push_back(o.cause.operation); break;
          default: s.rerun = true;
        }
        break;
    }
  }
  return s;
}

bool AllDone(const RunSummary& s) { return s.failed == 0 && s.skipped == 0; }

void ReportSummary(const RunSummary& s, const std::string& caller, ResponseUi& ui) {
  std::string counts = fmt::format("{} changed, ", s.changed);
  if (s.unchanged > 0) counts += fmt::format("{} already as wanted, ", s.unchanged);
  counts += fmt::format("{} done by an earlier run, {} failed", s.done_before, s.failed);
  if (s.skipped > 0) counts += fmt::format(", {} not tried", s.skipped);
  ui.Info(counts);
  if (s.credentials) ui.Info("Next: the credentials were refused: refresh them (a new session, aws sso login), then run the same command again.");
  if (!s.grant.empty()) {
    ui.Info(fmt::format("Next: grant {} to {} (lambda-ir permissions prints the whole policy), then run the same command again: "
                        "finished steps are not repeated.",
                        fmt::join(s.grant, ", "), caller));
  } else if (s.rerun && !s.credentials) {
    ui.Info("Next: run the same command again to complete the failed steps: finished steps are not repeated.");
  }
  if (!s.unsupported.empty()) {
    ui.Info(fmt::format("Note: the endpoint does not implement {}: those steps cannot run against it.", fmt::join(s.unsupported, ", ")));
  }
}

}  // namespace lir
