#include "analysis/least_privilege.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "analysis/role_policy_analysis.h"
#include "core/embedded_files.h"
#include "core/json_util.h"
#include "core/strings.h"

namespace lir {
namespace {

using json = nlohmann::json;

constexpr std::string_view kSignalsPath = "lambda_posture_unused_permissions/usage_signals.yaml";
constexpr TimestampMs kDayMs = TimestampMs{24} * 3600 * 1000;

struct Signals {
  std::map<std::string, std::string> sources;        // host -> prefix
  std::map<std::string, std::string> event_actions;  // "host/Name" -> action
  std::map<std::string, std::string> unobservable;   // lower -> as written
  std::map<std::string, std::map<std::string, std::string>> lambda_uses;  // need -> lower -> as written
};

const Signals& LoadedSignals() {
  static const Signals signals = [] {
    Signals s;
    for (const EmbeddedFile& f : lir_embedded_rules()) {
      if (f.path != kSignalsPath) continue;
      const YAML::Node doc = YAML::Load(std::string(f.content));
      for (const auto& it : doc["event_sources"]) s.sources[it.first.Scalar()] = it.second.Scalar();
      for (const auto& it : doc["event_actions"]) s.event_actions[it.first.Scalar()] = it.second.Scalar();
      for (const auto& it : doc["not_in_management_events"]) s.unobservable[ToLower(it.Scalar())] = it.Scalar();
      for (const auto& need : doc["lambda_service_actions"]) {
        for (const auto& it : need.second) s.lambda_uses[need.first.Scalar()][ToLower(it.Scalar())] = it.Scalar();
      }
    }
    return s;
  }();
  return signals;
}

std::string Day(TimestampMs t) { return FormatIso8601(t).substr(0, 10); }

std::string PrefixOf(std::string_view action) {
  const size_t colon = action.find(':');
  return ToLower(colon == std::string_view::npos ? action : action.substr(0, colon));
}

std::string NameOf(std::string_view action) {
  const size_t colon = action.find(':');
  return std::string(colon == std::string_view::npos ? std::string_view("*") : action.substr(colon + 1));
}

bool HasWildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

json StatementList(const json& document) {
  const json& statements = JAt(document, "Statement");
  if (statements.is_object()) return json::array({statements});
  return statements.is_array() ? statements : json::array();
}

// IAM's last-accessed answer for one service namespace.
struct ServiceAccess {
  std::optional<TimestampMs> last;
  bool action_level = false;
  std::map<std::string, std::pair<std::string, std::optional<TimestampMs>>> actions;  // lower -> (name, last)
};

// IAM's date of a last use: absent is never used; one that does not parse is taken as a use
// now (an odd answer must not make a permission look unused).
std::optional<TimestampMs> TimeField(const json& j, std::string_view key, TimestampMs now) {
  const json& value = JAt(j, key);
  if (value.is_null()) return std::nullopt;
  if (auto t = value.is_string() ? ParseIso8601(value.get<std::string>()) : std::nullopt) return t;
  return now;
}

std::map<std::string, ServiceAccess> ParseLastAccessed(const json& services, TimestampMs now) {
  std::map<std::string, ServiceAccess> out;
  for (const json& s : services.is_array() ? services : json::array()) {
    const std::string ns = ToLower(JStr(s, "ServiceNamespace"));
    if (ns.empty()) continue;
    ServiceAccess& access = out[ns];
    access.last = TimeField(s, "LastAuthenticated", now);
    if (s.contains("TrackedActionsLastAccessed")) {
      access.action_level = true;
      for (const json& a : JArr(s, "TrackedActionsLastAccessed")) {
        const std::string name = JStr(a, "ActionName");
        if (name.empty()) continue;
        const std::string full = name.find(':') == std::string::npos ? fmt::format("{}:{}", ns, name) : name;
        access.actions[ToLower(full)] = {full, TimeField(a, "LastAccessedTime", now)};
      }
    }
  }
  return out;
}

class Judge {
 public:
  Judge(const RoleInventory& role, const UsageWitnesses& w) : role_(role), w_(w), signals_(LoadedSignals()) {
    result_.role_arn = role.arn;
    for (const auto& [need, actions] : signals_.lambda_uses) {
      if (need == "always" || w.lambda_needs.count(need)) lambda_uses_.insert(actions.begin(), actions.end());
    }
    ReadTrail();
    ReadLastAccessed();
  }

  LeastPrivilege Run() {
    json statements = json::array();
    for (const RolePolicyDocument& p : role_.policies) {
      const std::string what = fmt::format("{} policy {}", p.kind, p.name);
      for (const json& st : StatementList(p.document)) {
        if (!st.is_object()) continue;
        if (!IEquals(JStr(st, "Effect"), "Allow")) {
          statements.push_back(st);  // a Deny only narrows: kept as it is
          continue;
        }
        if (auto narrowed = Narrow(st, what)) statements.push_back(std::move(*narrowed));
      }
    }
    for (const auto& [service, state] : services_) {
      if (!state.kept) result_.unused_services.push_back(fmt::format("{} ({})", service, state.why));
    }
    for (auto* list : {&result_.used, &result_.unused_services, &result_.unused_actions, &result_.kept_unseen}) {
      std::sort(list->begin(), list->end());
      list->erase(std::unique(list->begin(), list->end()), list->end());
    }
    // IAM refuses a policy whose Sids repeat (the console's VisualEditor0 is in many): a Sid
    // two statements share is dropped from both.
    std::map<std::string, int> sids;
    for (const json& st : statements) ++sids[JStr(st, "Sid")];
    for (json& st : statements) {
      if (st.contains("Sid") && sids[JStr(st, "Sid")] > 1) st.erase("Sid");
    }
    result_.policy = json{{"Version", "2012-10-17"}, {"Statement", statements}};
    result_.witnessed = la_read_ || trail_proves_;
    return std::move(result_);
  }

 private:
  struct ServiceState {
    bool kept = false;
    std::string why;
  };

  void ReadTrail() {
    trail_given_ = w_.trail && w_.trail->given;
    if (!trail_given_) return;
    // A trail that begins inside the window cannot show a monthly job: its silence proves nothing.
    trail_proves_ = w_.trail->first != 0 && w_.trail->first <= w_.window_start + kDayMs && w_.trail->last + kDayMs >= w_.now;
    result_.sources.push_back(fmt::format(
        "CloudTrail: {} events in {} file(s), {} to {}{}", w_.trail->events, w_.trail->sources.size(),
        w_.trail->first ? Day(w_.trail->first) : "-", w_.trail->last ? Day(w_.trail->last) : "-",
        trail_proves_ ? "" : fmt::format(" (does not cover {} to {}: calls it lacks are not taken as unused)", Day(w_.window_start), Day(w_.now))));
    auto role = w_.trail->roles.find(role_.arn);
    if (role == w_.trail->roles.end()) return;
    for (const auto& [session, actions] : role->second) {
      if (!w_.session.empty() && session != w_.session) continue;
      for (const auto& [lower, use] : actions) {
        if (use.last < w_.window_start) continue;
        ActionUse& total = trail_used_[lower];
        total.action = use.action;
        total.calls += use.calls;
        total.last = std::max(total.last, use.last);
      }
    }
  }

  void ReadLastAccessed() {
    if (!w_.last_accessed || !w_.last_accessed->has_value()) return;
    auto parsed = ParseLastAccessed(**w_.last_accessed, w_.now);
    // IAM lists every service the role's policies allow: none listed for a role that allows
    // something is an answer that cannot be right, and taking it would remove every grant.
    if (parsed.empty() && AllowsSomething()) {
      result_.sources.push_back("IAM last accessed: not used (its report lists no service, though the role's policies allow some)");
      return;
    }
    la_read_ = true;
    la_ = std::move(parsed);
    result_.sources.push_back(fmt::format("IAM last accessed: {} service(s) the role's policies allow", la_.size()));
  }

  bool AllowsSomething() const {
    for (const RolePolicyDocument& p : role_.policies) {
      for (const json& st : StatementList(p.document)) {
        if (st.is_object() && IEquals(JStr(st, "Effect"), "Allow")) return true;
      }
    }
    return false;
  }

  bool Recent(const std::optional<TimestampMs>& t) const { return t && *t >= w_.window_start; }

  // Why a concrete action stays ("" when it goes, with `gone_why` set).
  std::string Keep(const std::string& display, std::string* gone_why) {
    const std::string lower = ToLower(display);
    if (auto it = trail_used_.find(lower); it != trail_used_.end()) {
      result_.used.push_back(fmt::format("{} (CloudTrail: {} call(s), last {})", it->second.action, it->second.calls, Day(it->second.last)));
      return "used";
    }
    const std::string service = PrefixOf(display);
    auto svc = la_.find(service);
    if (svc != la_.end()) {
      if (auto a = svc->second.actions.find(lower); a != svc->second.actions.end() && Recent(a->second.second)) {
        result_.used.push_back(fmt::format("{} (IAM: last {})", a->second.first, Day(*a->second.second)));
        return "used";
      }
    }
    if (lambda_uses_.count(lower)) return "Lambda uses it with the role";
    if (svc != la_.end() && !Recent(svc->second.last)) {
      *gone_why = svc->second.last ? fmt::format("IAM: {} last used {}", service, Day(*svc->second.last)) : fmt::format("IAM: {} never used", service);
      return "";
    }
    if (svc != la_.end()) {
      if (auto a = svc->second.actions.find(lower); a != svc->second.actions.end()) {
        *gone_why = a->second.second ? fmt::format("IAM: last used {}", Day(*a->second.second)) : "IAM: never used";
        return "";
      }
    }
    const bool unobservable = Unobservable(lower);
    if (trail_proves_ && !unobservable && !TrailBlindTo(service)) {
      *gone_why = "not in the trail";
      return "";
    }
    result_.kept_unseen.push_back(fmt::format("{}: {}", display, unobservable ? "no management event of a trail shows it" : "no witness covers it"));
    return "unseen";
  }

  // A trail records it only as a data event, or never (an authorisation such as iam:PassRole).
  bool Unobservable(const std::string& lower) const {
    if (signals_.unobservable.count(lower)) return true;
    if (trail_given_ && w_.trail->read_events == 0) {
      // A trail with no read event logs writes only: reads are invisible to it.
      const std::string name = ToLower(NameOf(lower));
      for (const char* verb : {"get", "list", "describe", "head", "batchget", "query", "scan", "search", "lookup", "select"}) {
        if (name.rfind(verb, 0) == 0) return true;
      }
    }
    return std::any_of(signals_.unobservable.begin(), signals_.unobservable.end(),
                       [&](const auto& entry) { return HasWildcard(entry.first) && IamActionMatches(entry.first, lower); });
  }

  // IAM saw the service used in the window and the trail holds none of its calls: the role
  // uses it through calls the trail does not record, so the trail's silence proves nothing.
  bool TrailBlindTo(const std::string& service) const {
    auto svc = la_.find(service);
    if (svc == la_.end() || !Recent(svc->second.last)) return false;
    return std::none_of(trail_used_.begin(), trail_used_.end(), [&](const auto& u) { return PrefixOf(u.first) == service; });
  }

  // A service IAM's report does not list and the trail does not show, that a wildcard reaches
  // only because Lambda uses some of its actions with the role.
  bool OnlyLambdaKnowsOf(const std::string& service) const {
    if (!la_read_ || la_.count(service)) return false;
    return std::none_of(trail_used_.begin(), trail_used_.end(), [&](const auto& u) { return PrefixOf(u.first) == service; });
  }

  // The services a pattern's prefix names: itself, or every one a witness knows. IAM's report
  // lists every service the policies allow; without it, the tables name those a trail cannot see.
  std::vector<std::string> ServicesOf(std::string_view pattern) const {
    const std::string prefix = PrefixOf(pattern);
    if (!HasWildcard(prefix)) return {prefix};
    std::set<std::string> known;
    for (const auto& [ns, _] : la_) known.insert(ns);
    for (const auto& [lower, _] : trail_used_) known.insert(PrefixOf(lower));
    // What Lambda does with the role always counts; what a trail cannot see, only without IAM's list.
    for (const auto& [lower, _] : lambda_uses_) known.insert(PrefixOf(lower));
    if (!la_read_) {
      for (const auto& [lower, _] : signals_.unobservable) {
        if (!HasWildcard(PrefixOf(lower))) known.insert(PrefixOf(lower));
      }
    }
    std::vector<std::string> out;
    for (const auto& s : known) {
      if (IamActionMatches(prefix, s)) out.push_back(s);
    }
    return out;
  }

  // The concrete actions of a service that some witness or table names.
  std::map<std::string, std::string> Candidates(const std::string& service) const {
    std::map<std::string, std::string> out;
    for (const auto& [lower, use] : trail_used_) {
      if (PrefixOf(lower) == service) out[lower] = use.action;
    }
    if (auto svc = la_.find(service); svc != la_.end()) {
      for (const auto& [lower, a] : svc->second.actions) out.emplace(lower, a.first);
    }
    for (const auto* table : {&signals_.unobservable, &lambda_uses_}) {
      for (const auto& [lower, written] : *table) {
        if (PrefixOf(lower) == service && !HasWildcard(lower)) out.emplace(lower, written);
      }
    }
    return out;
  }

  // A service IAM says nobody used in the window: every grant of it goes.
  std::optional<std::string> ServiceUnused(const std::string& service) const {
    auto svc = la_.find(service);
    if (svc == la_.end() || Recent(svc->second.last)) return std::nullopt;
    return svc->second.last ? fmt::format("IAM: last used {}", Day(*svc->second.last)) : std::string("IAM: never used");
  }

  void MarkService(const std::string& service, bool kept, const std::string& why) {
    ServiceState& s = services_[service];
    s.kept = s.kept || kept;
    if (s.why.empty() && !kept) s.why = why;
  }

  // The statement with only the actions the evidence keeps; nullopt when none is left.
  std::optional<json> Narrow(const json& statement, const std::string& what) {
    const bool not_action = statement.contains("NotAction");
    const std::vector<std::string> patterns = not_action ? std::vector<std::string>{"*"} : JStrings(JAt(statement, "Action"));
    const std::vector<std::string> excluded = not_action ? JStrings(JAt(statement, "NotAction")) : std::vector<std::string>{};
    auto is_excluded = [&](const std::string& action) {
      return std::any_of(excluded.begin(), excluded.end(), [&](const std::string& e) { return IamActionMatches(e, action); });
    };
    std::set<std::string> kept;
    bool keep_statement_as_is = false;
    for (const std::string& pattern : patterns) {
      const std::string shown = not_action ? fmt::format("NotAction {}", fmt::join(excluded, ",")) : pattern;
      if (!HasWildcard(pattern)) {
        std::string why;
        if (!Keep(pattern, &why).empty()) {
          kept.insert(pattern);
          MarkService(PrefixOf(pattern), true, "");
        } else {
          result_.unused_actions.push_back(fmt::format("{} ({}): {}", pattern, what, why));
          MarkService(PrefixOf(pattern), false, ServiceUnused(PrefixOf(pattern)).value_or(why));
          result_.reduces = true;
        }
        continue;
      }
      std::vector<std::string> became;
      if (HasWildcard(PrefixOf(pattern)) && !la_read_ && !trail_proves_) {
        // Which services it reaches in use, only IAM's list or a covering trail can tell.
        if (not_action) {
          keep_statement_as_is = true;
          continue;
        }
        kept.insert(pattern);
        result_.kept_unseen.push_back(fmt::format("{}: no witness lists the services it reaches", pattern));
        continue;
      }
      for (const std::string& service : ServicesOf(pattern)) {
        const auto unused = ServiceUnused(service);
        if (unused || OnlyLambdaKnowsOf(service)) {
          // Unused, or named by neither witness: only what Lambda itself does with the role stays
          // (it creates a VPC function's interfaces at deploy, writes logs only when invoked).
          bool any = false;
          for (const auto& [lower, display] : lambda_uses_) {
            if (PrefixOf(lower) != service || !IamActionMatches(pattern, display) || is_excluded(display)) continue;
            kept.insert(display);
            became.push_back(display);
            any = true;
          }
          if (unused) MarkService(service, any, *unused);
          if (!unused && any) MarkService(service, true, "");
          continue;
        }
        if (!trail_proves_ || TrailBlindTo(service)) {
          // Nothing shows which of its actions are unused: the grant stays whole for this service.
          if (not_action) {
            keep_statement_as_is = true;
            MarkService(service, true, "");
            continue;
          }
          const std::string restricted = HasWildcard(PrefixOf(pattern)) ? service + ":" + NameOf(pattern) : pattern;
          kept.insert(restricted);
          became.push_back(restricted);
          MarkService(service, true, "");
          result_.kept_unseen.push_back(fmt::format("{}: {}", restricted, trail_proves_ ? "IAM shows calls the trail does not record"
                                                                                        : "no trail covering the window shows which of its actions are used"));
          continue;
        }
        bool any = false;
        for (const auto& [lower, display] : Candidates(service)) {
          if (!IamActionMatches(pattern, display) || is_excluded(display)) continue;
          std::string why;
          if (Keep(display, &why).empty()) continue;
          kept.insert(display);
          became.push_back(display);
          any = true;
        }
        MarkService(service, any, "not in the trail");
      }
      if (keep_statement_as_is) continue;
      std::sort(became.begin(), became.end());
      if (became.size() != 1 || became.front() != pattern) {
        result_.narrowed.push_back(fmt::format("{} ({}) -> {}", shown, what, became.empty() ? "nothing" : fmt::format("{}", fmt::join(became, ", "))));
        result_.reduces = true;
      }
    }
    if (keep_statement_as_is) return statement;
    if (kept.empty()) return std::nullopt;
    json out = statement;
    out.erase("NotAction");
    out["Action"] = json(std::vector<std::string>(kept.begin(), kept.end()));
    return out;
  }

  const RoleInventory& role_;
  const UsageWitnesses& w_;
  const Signals& signals_;
  LeastPrivilege result_;
  bool trail_given_ = false, trail_proves_ = false, la_read_ = false;
  std::map<std::string, ActionUse> trail_used_;  // lower action -> use in the window
  std::map<std::string, ServiceAccess> la_;
  std::map<std::string, ServiceState> services_;
  std::map<std::string, std::string> lambda_uses_;  // what Lambda does with the role for these functions
};

}  // namespace

std::string IamActionOfEvent(std::string_view event_source, std::string_view event_name) {
  constexpr std::string_view kHost = ".amazonaws.com";
  if (event_name.empty() || !event_source.ends_with(kHost)) return "";
  const Signals& s = LoadedSignals();
  const std::string key = fmt::format("{}/{}", event_source, event_name);
  if (auto it = s.event_actions.find(key); it != s.event_actions.end()) return it->second;
  if (auto it = s.sources.find(std::string(event_source)); it != s.sources.end()) return it->second + ":" + std::string(event_name);
  const std::string_view host = event_source.substr(0, event_source.size() - kHost.size());
  return fmt::format("{}:{}", host.substr(0, host.find('.')), event_name);
}

bool IamActionMatches(std::string_view pattern, std::string_view action) {
  return GlobMatch(pattern, action, {.ignore_case = true, .question_mark = true});
}

std::set<std::string> LambdaNeeds(const json& configuration, const std::optional<json>& invoke_configs,
                                  const std::optional<json>& event_source_mappings) {
  std::set<std::string> needs;
  auto service_of = [](const std::string& arn) {
    const auto parts = Split(arn, ':');
    return parts.size() > 2 ? std::string(parts[2]) : std::string();
  };
  if (!JArr(JAt(configuration, "VpcConfig"), "SubnetIds").empty()) needs.insert("vpc");
  if (JStr(JAt(configuration, "TracingConfig"), "Mode") == "Active") needs.insert("tracing");
  if (!JStr(configuration, "KMSKeyArn").empty()) needs.insert("kms_key");
  const std::string dlq = JStr(JAt(configuration, "DeadLetterConfig"), "TargetArn");
  if (!dlq.empty()) needs.insert("target_" + service_of(dlq));
  if (!invoke_configs) {
    for (const char* t : {"target_sqs", "target_sns", "target_lambda", "target_events", "target_s3"}) needs.insert(t);
  } else {
    for (const json& c : invoke_configs->is_array() ? *invoke_configs : json::array()) {
      for (const char* on : {"OnSuccess", "OnFailure"}) {
        const std::string arn = JStr(JAt(JAt(c, "DestinationConfig"), on), "Destination");
        if (!arn.empty()) needs.insert("target_" + service_of(arn));
      }
    }
  }
  if (!event_source_mappings) {
    for (const char* s : {"source_sqs", "source_kinesis", "source_dynamodb", "source_kafka", "source_mq", "source_docdb"}) needs.insert(s);
  } else {
    for (const json& m : event_source_mappings->is_array() ? *event_source_mappings : json::array()) {
      const std::string arn = JStr(m, "EventSourceArn");
      const std::string service = arn.empty() ? "kafka" : service_of(arn);  // no ARN: a self-managed Kafka cluster
      needs.insert("source_" + (service == "rds" ? std::string("docdb") : service));
    }
  }
  return needs;
}

LeastPrivilege ComputeLeastPrivilege(const RoleInventory& role, const UsageWitnesses& witnesses) { return Judge(role, witnesses).Run(); }

}  // namespace lir
