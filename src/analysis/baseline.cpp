#include "analysis/baseline.h"

#include <fmt/format.h>

#include "core/strings.h"

namespace lir {
namespace {

// A deployer is usual only once its history spans a day: an attacker's burst of changes
// minutes apart never makes itself routine.
constexpr TimestampMs kHistorySpanMs = 24LL * 3600 * 1000;
// Changes to other resources of the account that make an actor a usual deployer of a new one.
constexpr uint64_t kChangesForAccountDeployer = 3;

// "github-deploy" for arn:aws:iam::1:role/github-deploy; the key itself when it has no path.
std::string_view ShortName(std::string_view key) {
  const size_t slash = key.rfind('/');
  return slash == std::string_view::npos ? key : key.substr(slash + 1);
}

std::string Span(TimestampMs ms) {
  const int64_t hours = ms / 3600000;
  if (hours >= 48) return fmt::format("{} days", hours / 24);
  return fmt::format("{} h", hours);
}

}  // namespace

std::string ClientClass(std::string_view user_agent) {
  size_t start = 0;
  while (start < user_agent.size() && (user_agent[start] == '[' || user_agent[start] == ' ')) ++start;
  size_t end = start;
  while (end < user_agent.size() && user_agent[end] != '/' && user_agent[end] != ' ' && user_agent[end] != ',' &&
         user_agent[end] != ';' && user_agent[end] != ']') {
    ++end;
  }
  return ToLower(user_agent.substr(start, end - start));
}

std::string_view ActorKeyOf(const Actor& actor) {
  if (actor.type == "AssumedRole" && !actor.session_issuer_arn.empty()) return actor.session_issuer_arn;
  if (!actor.arn.empty()) return actor.arn;
  if (!actor.invoked_by.empty()) return actor.invoked_by;
  return actor.principal_id;
}

std::string Baseline::ScopeKey(std::string_view account, std::string_view region) {
  std::string key(account);
  key += '|';
  key += region;
  return key;
}

Baseline::Baseline(std::map<std::string, TimestampMs> coverage_start) : coverage_start_(std::move(coverage_start)) {
  for (const auto& [scope, start] : coverage_start_) {
    const std::string account = scope.substr(0, scope.find('|'));
    auto [it, inserted] = account_start_.emplace(account, start);
    if (!inserted && start < it->second) it->second = start;
  }
}

std::optional<TimestampMs> Baseline::CoverageStart(std::string_view account, std::string_view region,
                                                   bool account_wide) const {
  if (account_wide) {
    auto it = account_start_.find(account);
    if (it == account_start_.end()) return std::nullopt;
    return it->second;
  }
  auto it = coverage_start_.find(ScopeKey(account, region));
  if (it == coverage_start_.end()) return std::nullopt;
  return it->second;
}

std::string Baseline::ResourceOf(const Event& e) {
  if (!e.function.empty()) return e.function;
  if (!e.role.empty()) return "role/" + e.role;
  return e.ResourceArn();
}

std::string Baseline::RoutineReason(const Event& e) const {
  const std::string_view actor = ActorKeyOf(e.actor);
  if (actor.empty()) return {};
  auto it = history_.find(ScopeKey(e.account, actor));
  if (it == history_.end()) return {};
  const History& h = it->second;
  if (e.time - h.first_change < kHistorySpanMs) return {};
  const std::string client = ClientClass(e.user_agent);
  if (!h.clients.count(client)) return {};
  const std::string resource = ResourceOf(e);
  auto same = h.resources.find(resource);
  const std::string who(ShortName(actor));
  if (same != h.resources.end()) {
    return fmt::format("routine: {} changed {} {} time(s) before, the first {} earlier, from the same client ({})", who,
                       resource, same->second, Span(e.time - h.first_change), client);
  }
  if (h.changes >= kChangesForAccountDeployer) {
    return fmt::format("routine: {} made {} changes in this account before, the first {} earlier, from the same client ({})",
                       who, h.changes, Span(e.time - h.first_change), client);
  }
  return {};
}

void Baseline::Observe(const Event& e) {
  if (!e.succeeded()) return;
  const std::string_view actor = ActorKeyOf(e.actor);
  if (actor.empty()) return;
  History& h = history_[ScopeKey(e.account, actor)];
  if (h.changes == 0 || e.time < h.first_change) h.first_change = e.time;
  ++h.changes;
  // Bounded: a deployer of thousands of functions needs no more to be usual.
  if (h.resources.size() < 4096) ++h.resources[ResourceOf(e)];
  // Clients are learned while the history is being established only: once the actor is
  // known, a change from a new kind of client (stolen CI keys used from a laptop) must not
  // teach that client as usual.
  if (e.time - h.first_change < kHistorySpanMs && h.clients.size() < 16) h.clients.insert(ClientClass(e.user_agent));
}

}  // namespace lir
