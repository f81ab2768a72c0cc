#include "report/report_common.h"

#include "core/hashing.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace lir {

std::string SeverityLabel(Severity severity, bool color) {
  static constexpr const char* kCodes[] = {"2", "36", "33", "31", "1;41;97"};
  std::string label(ToString(severity));
  for (char& c : label) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  label = fmt::format("{:<8}", label);
  return color ? fmt::format("\x1b[{}m{}\x1b[0m", kCodes[static_cast<int>(severity)], label) : label;
}

std::array<size_t, 5> SeverityCounts(const std::vector<Finding>& findings) {
  std::array<size_t, 5> counts{};
  for (const Finding& f : findings) ++counts[static_cast<size_t>(f.severity)];
  return counts;
}

std::map<std::string, std::vector<std::string>> RulesByEvent(const std::vector<Finding>& findings) {
  std::map<std::string, std::vector<std::string>> out;
  for (const Finding& f : findings) {
    for (const std::string& id : f.event_ids) {
      auto& rules = out[id];
      if (std::find(rules.begin(), rules.end(), f.rule_id) == rules.end()) rules.push_back(f.rule_id);
    }
  }
  return out;
}

std::string_view IssueKindName(IssueKind kind) {
  switch (kind) {
    case IssueKind::kBadFile: return "bad-file";
    case IssueKind::kBadRecord: return "bad-record";
    case IssueKind::kWarning: return "warning";
    case IssueKind::kSkipped: return "skipped";
  }
  return "unknown";
}

std::vector<const Finding*> BySeverityThenTime(const std::vector<Finding>& findings) {
  std::vector<const Finding*> out;
  out.reserve(findings.size());
  for (const Finding& f : findings) out.push_back(&f);
  std::stable_sort(out.begin(), out.end(), [](const Finding* a, const Finding* b) {
    if (a->severity != b->severity) return a->severity > b->severity;
    return a->time < b->time;
  });
  return out;
}

namespace {

// Sessions of one role are one principal: "arn:aws:sts::1:assumed-role/deploy/run-7" gives
// "arn:aws:iam::1:role/deploy".
std::string PrincipalOf(std::string_view actor) {
  const size_t at = actor.find(":assumed-role/");
  if (actor.substr(0, 12) != "arn:aws:sts:" || at == std::string_view::npos) return std::string(actor);
  return fmt::format("arn:aws:iam:{}:role/{}", actor.substr(12, at - 12), AssumedRoleName(actor));
}

}  // namespace

std::string_view AssumedRoleName(std::string_view arn) {
  const size_t at = arn.find(":assumed-role/");
  if (at == std::string_view::npos) return {};
  std::string_view rest = arn.substr(at + 14);
  return rest.substr(0, rest.find('/'));
}

std::vector<RoutineSummary> SummarizeRoutine(const std::vector<Finding>& findings) {
  std::map<std::string, std::pair<size_t, std::set<std::string>>> by_actor;
  for (const Finding& f : findings) {
    if (!f.routine) continue;
    auto& [count, rules] = by_actor[PrincipalOf(f.actor)];
    ++count;
    rules.insert(f.rule_id);
  }
  std::vector<RoutineSummary> out;
  out.reserve(by_actor.size());
  for (const auto& [actor, entry] : by_actor) {
    out.push_back({actor, entry.first, fmt::format("{}", fmt::join(entry.second, ", "))});
  }
  return out;
}

std::string FindingFingerprint(const Finding& f) {
  std::string key = fmt::format("{}\n{}\n{}\n{}\n{}\n{}", f.rule_id, f.account, f.region, f.resource, f.actor, f.title);
  for (const auto& id : f.event_ids) key += "\ne:" + id;
  for (const auto& l : f.locations) key += fmt::format("\nl:{}\n{}\n{}", l.artifact, l.member, l.line);
  return Sha256Hex(key).substr(0, 32);
}

std::string RegionOfArn(std::string_view arn) {
  if (arn.rfind("arn:", 0) != 0) return "";
  for (int i = 0; i < 3; ++i) {
    const size_t colon = arn.find(':');
    if (colon == std::string_view::npos) return "";
    arn.remove_prefix(colon + 1);
  }
  return std::string(arn.substr(0, arn.find(':')));
}

AwsResourceKind AwsResourceKindOf(std::string_view arn) {
  const auto has = [arn](std::string_view part) { return arn.find(part) != std::string_view::npos; };
  if (has(":lambda:") && has(":function:")) return AwsResourceKind::kLambdaFunction;
  if (has(":iam::") && has(":role/")) return AwsResourceKind::kIamRole;
  if (has(":iam::") && has(":user/")) return AwsResourceKind::kIamUser;
  if (has(":cloudtrail:")) return AwsResourceKind::kCloudTrailTrail;
  return AwsResourceKind::kOther;
}

}  // namespace lir
