#include "response/recover_plan.h"

#include <charconv>
#include <set>

#include <fmt/format.h>

#include "core/json_util.h"
#include "core/strings.h"
#include "response/eradicate_steps.h"
#include "response/step_kinds.h"

namespace lir {

using nlohmann::json;

namespace {

// "3" of a key's "r3"; 0 when it is no number.
int RoundNumber(std::string_view digits) {
  int n = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  return error == std::errc() && end == digits.data() + digits.size() ? n : 0;
}

}  // namespace

std::map<std::string, std::string> RolesHeldByOtherContainments(const std::vector<JournalStep>& journal, const std::string& function) {
  std::set<std::string> closed;  // "FUNCTION/rN" whose recovery completed
  // Functions eradicate deleted, each with when: a containment of it from before then holds
  // nothing any more (one from after, of a function made again under that name, still does).
  std::map<std::string, TimestampMs> deleted;
  for (const JournalStep& s : journal) {
    if (s.status == StepStatus::kDone && s.key.rfind("recover/", 0) == 0 && s.key.ends_with("/complete")) {
      closed.insert(s.key.substr(8, s.key.size() - 8 - 9));
    }
    // eradicate/FUNCTION/delete-function/NAME, done
    const auto parts = Split(s.key, '/');
    if (s.status == StepStatus::kDone && parts.size() == 4 && parts[0] == "eradicate" && parts[2] == kKindDeleteFunction) {
      TimestampMs& when = deleted[std::string(parts[3])];
      when = std::max(when, s.finished_at);
    }
  }
  // Each function's latest round: an older one was superseded by a new containment.
  std::map<std::string, int> latest;
  for (const JournalStep& s : journal) {
    if (s.key.rfind("contain/", 0) != 0) continue;
    const auto parts = Split(s.key, '/');
    if (parts.size() < 3 || parts[2].size() < 2) continue;
    const int round = RoundNumber(parts[2].substr(1));
    int& l = latest[std::string(parts[1])];
    l = std::max(l, round);
  }
  std::map<std::string, std::string> held;
  for (const JournalStep& s : journal) {
    // contain/FUNCTION/rN/deny-policy, done: the role is denied for FUNCTION until rN is recovered
    if (s.key.rfind("contain/", 0) != 0 || !s.key.ends_with(std::string("/") + kKindDenyPolicy) || s.prior_state.empty() ||
        s.status != StepStatus::kDone) {
      continue;
    }
    const std::string function_round = s.key.substr(8, s.key.size() - 8 - std::string(kKindDenyPolicy).size() - 1);
    const std::string other = function_round.substr(0, function_round.rfind('/'));
    const int round = RoundNumber(std::string_view(function_round).substr(function_round.rfind('/') + 2));
    const auto gone = deleted.find(other);
    const bool released = gone != deleted.end() && s.started_at <= gone->second;
    if (other == function || closed.count(function_round) || round != latest[other] || released) continue;
    const json prior = json::parse(s.prior_state, nullptr, false);
    held.emplace(JStr(prior, "RoleName"), other);
  }
  return held;
}

RecoveryPlan PlanRecovery(const StepContext& ctx, const std::vector<JournalStep>& contained, const std::string& contain_prefix,
                          const std::map<std::string, std::string>& held) {
  RecoveryPlan plan;
  for (const JournalStep& step : contained) {
    if (step.prior_state.empty()) {
      // Intent recorded but the prior never read: the change cannot have been made.
      plan.unfinished.push_back(step.key);
      continue;
    }
    const std::string rest = step.key.substr(contain_prefix.size());
    const size_t slash = rest.find('/');
    const std::string kind = rest.substr(0, slash);
    const std::string id = slash == std::string::npos ? "" : rest.substr(slash + 1);
    const json prior = json::parse(step.prior_state, nullptr, false);
    if (kind == kKindDenyPolicy) {
      auto holder = held.find(JStr(prior, "RoleName"));
      if (holder != held.end()) {
        plan.kept.push_back(fmt::format("{} on role {} kept: {} is still contained and uses the role", JStr(prior, "PolicyName"),
                                        holder->first, holder->second));
        continue;
      }
    }
    const StepKind* row = FindStepKind(kind);
    if (row == nullptr || row->recover == nullptr) {
      plan.kept.push_back(fmt::format("{}: no recovery known for a step of kind {}: nothing restored", step.key, kind));
      continue;
    }
    RecoveryPlanItem item = row->recover(ctx, id, prior);
    if (item.restorable) {
      plan.steps.push_back(std::move(item.step));
    } else {
      plan.kept.push_back(item.reason);
    }
  }
  return plan;
}

ResponseStep RecoveryCompleteStep(const StepContext& ctx) {
  ResponseStep s;
  s.key = ctx.key_prefix + "complete";
  s.action = fmt::format("(recovery of {} complete)", ctx.function);
  s.phase = 100;
  s.known_prior = json::object();
  s.apply = [](const json&) { return Result<json>(json{{"complete", true}}); };
  return s;
}

}  // namespace lir
