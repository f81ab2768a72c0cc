#include "report/incident_summary.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/time.h"
#include "report/report_common.h"
#include "sources/event.h"

namespace lir {
namespace {

// Names from events are attacker-controlled: a command line quotes anything but plain words.
std::string ShellWord(std::string_view word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_./:@=+-,").find(c) != std::string_view::npos;
  });
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A list told once per item, and at most kMaxItems of them: an attacker minting thousands of
// users must not bury the summary (the findings list them all).
constexpr size_t kMaxItems = 50;

class Told {
 public:
  explicit Told(std::vector<std::string>* list) : list_(list) {}
  ~Told() {
    if (more_ > 0) list_->push_back(fmt::format("... and {} more (see the findings)", more_));
  }
  Told(const Told&) = delete;
  Told& operator=(const Told&) = delete;
  void Add(std::string item) {
    if (!seen_.insert(item).second) return;
    if (list_->size() < kMaxItems) {
      list_->push_back(std::move(item));
    } else {
      ++more_;
    }
  }

 private:
  std::vector<std::string>* list_;
  std::set<std::string> seen_;
  size_t more_ = 0;
};

// What Lambda accepts as a function name: anything else (a crafted session name, a name from a
// forged record) is left out of the commands.
bool IsFunctionName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

void AddOnce(std::vector<std::string>* list, std::string item) {
  if (std::find(list->begin(), list->end(), item) == list->end()) list->push_back(std::move(item));
}

bool IsIncident(const Finding& f) { return f.severity >= Severity::kHigh && !f.routine; }

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string UserNameOf(std::string_view arn) {
  const size_t at = arn.find(":user/");
  if (at == std::string_view::npos) return {};
  std::string_view rest = arn.substr(at + 6);
  return std::string(rest.substr(rest.rfind('/') == std::string_view::npos ? 0 : rest.rfind('/') + 1));
}

std::string TellFinding(const Finding& f) {
  return f.resource.empty() ? f.title : fmt::format("{}: {}", f.title, f.resource);
}

}  // namespace

IncidentSummary SummarizeIncident(const AnalysisResult& result, const std::string& case_dir_in) {
  IncidentSummary s;
  std::set<std::string> actors;
  for (const Finding& f : result.findings) {
    if (IsIncident(f)) actors.insert(f.actor);
  }
  s.incident = !actors.empty();
  if (!s.incident) return s;

  std::map<std::string, IncidentSummary::Actor> by_actor;
  std::map<std::string, TimestampMs> first_time;
  std::vector<const Finding*> theirs;  // every finding by an actor, in time order
  for (const Finding& f : result.findings) {
    if (f.routine || !actors.count(f.actor)) continue;
    theirs.push_back(&f);
    IncidentSummary::Actor& a = by_actor[f.actor];
    if (a.findings++ == 0 || f.time < first_time[f.actor]) {
      a.actor = f.actor;
      first_time[f.actor] = f.time;
      a.first_seen = FormatIso8601(f.time);
    }
    if (!f.source_ip.empty()) AddOnce(&a.source_ips, f.source_ip);
    if (!f.access_key_id.empty()) AddOnce(&a.access_keys, f.access_key_id);
  }
  std::stable_sort(theirs.begin(), theirs.end(), [](const Finding* a, const Finding* b) { return a->time < b->time; });
  for (auto& [actor, a] : by_actor) {
    // "(configuration)", "(package)", "(function output)": what a case shows, not who acted.
    if (!StartsWith(actor, "(")) s.actors.push_back(a);
  }
  std::sort(s.actors.begin(), s.actors.end(),
            [&](const auto& a, const auto& b) { return first_time[a.actor] < first_time[b.actor]; });

  const Finding& first = *theirs.front();
  s.entry = fmt::format("{}{} from {}, first seen {}: {}", first.actor,
                        first.access_key_id.empty() ? "" : " with key " + first.access_key_id,
                        first.source_ip.empty() ? "(no address)" : first.source_ip, FormatIso8601(first.time), TellFinding(first));

  std::vector<CreatedIdentity> created;
  std::set<std::pair<std::string, std::string>> created_seen;
  std::vector<std::string> stopped_trails;
  std::set<std::string> created_functions;
  std::map<std::string, std::string> function_arns;  // name -> ARN, where a finding named one
  {
    Told functions(&s.functions), changes(&s.changes), persistence(&s.persistence), data(&s.data),
        evasion(&s.evasion);
    for (const Finding* f : theirs) {
      const std::string& c = f->category;
      if (StartsWith(f->resource, "arn:aws:lambda:") && f->resource.find(":function:") != std::string::npos) {
        const std::string name(FunctionNameFromRef(f->resource));
        if (IsFunctionName(name)) {
          functions.Add(name);
          // The ARN keeps its region and account for the commands; a qualifier is dropped.
          function_arns.emplace(name, f->resource.substr(0, f->resource.find(":function:") + 10) + name);
        }
      }
      std::string_view role = AssumedRoleName(f->actor);
      if (StartsWith(f->resource, "arn:aws:iam:") && f->resource.find(":role/") != std::string::npos) {
        role = RoleNameFromRef(f->resource);
      }
      if (auto fns = result.lambda_roles.find(std::string(role)); !role.empty() && fns != result.lambda_roles.end()) {
        // A role's sessions name their function; a role's policy reaches every function it runs.
        for (const std::string& fn : fns->second) {
          if (IsFunctionName(fn)) functions.Add(fn);
        }
      }
      if (c == "persistence" || c == "privilege_escalation") {
        persistence.Add(TellFinding(*f));
      } else if (c == "defense_evasion") {
        evasion.Add(TellFinding(*f));
      } else if (c == "credential_access") {
        if (StartsWith(f->rule_id, "suspect_")) data.Add(f->resource);
      } else if (StartsWith(f->rule_id, "lambda_") || StartsWith(f->rule_id, "iam_lambda_role")) {
        changes.Add(TellFinding(*f));
      }
      for (const CreatedIdentity& id : f->created) {
        if (created_seen.insert({id.kind, id.id}).second) created.push_back(id);
      }
      if (f->rule_id == "cloudtrail_logging_stopped" && !f->resource.empty()) AddOnce(&stopped_trails, f->resource);
      if (f->rule_id == "lambda_function_created") created_functions.insert(std::string(FunctionNameFromRef(f->resource)));
    }
    for (const CreatedIdentity& id : created) persistence.Add(fmt::format("created {} {}", id.kind, id.id));
  }
  // A function an actor created is theirs even when its finding (medium) is below
  // --min-severity: the timeline keeps every Lambda change.
  for (const Event& e : result.timeline) {
    if (e.name == "CreateFunction" && e.succeeded() && actors.count(e.actor.arn) && !e.function.empty()) created_functions.insert(e.function);
  }

  // What to run next, in order: stop the functions, take the footholds away, disable keys.
  // Options first, then "--": a name can never be read as an option. ARNs where a finding gave
  // one, so the command acts in the function's own region and account.
  auto target = [&](const std::string& fn) {
    auto arn = function_arns.find(fn);
    return ShellWord(arn == function_arns.end() ? fn : arn->second);
  };
  std::vector<std::string> names = s.functions;
  std::erase_if(names, [](const std::string& fn) { return !IsFunctionName(fn); });  // "... and N more"
  if (!names.empty()) {
    const std::string case_dir = ShellWord(case_dir_in.empty() ? "case-" + names[0] : case_dir_in);
    std::vector<std::string> targets;
    targets.reserve(names.size());
    for (const std::string& fn : names) targets.push_back(target(fn));
    s.next.push_back(fmt::format("lambda-ir contain --case {} -- {}", case_dir, fmt::join(targets, " ")));
    for (const std::string& fn : names) {
      // Functions the actors created go with --delete-attacker-functions, not a redeploy.
      if (created_functions.count(fn)) continue;
      s.next.push_back(fmt::format(
          "lambda-ir eradicate --case {} --attacker-iam --delete-attacker-functions --revoke-sessions "
          "--redeploy KNOWN_GOOD_CODE -- {}",
          case_dir, target(fn)));
    }
  }
  for (const IncidentSummary::Actor& a : s.actors) {
    const std::string user = UserNameOf(a.actor);
    if (user.empty()) continue;
    for (const std::string& key : a.access_keys) {
      if (!StartsWith(key, "AKIA")) continue;  // long-term user keys; session keys expire
      AddOnce(&s.next, fmt::format("aws iam update-access-key --user-name={} --access-key-id={} --status Inactive",
                                   ShellWord(user), ShellWord(key)));
    }
  }
  size_t keys = 0;
  for (const CreatedIdentity& id : created) {
    if (id.kind == "access key" && !id.user.empty() && keys++ < kMaxItems) {
      AddOnce(&s.next, fmt::format("aws iam update-access-key --user-name={} --access-key-id={} --status Inactive",
                                   ShellWord(id.user), ShellWord(id.id)));
    }
  }
  if (keys > kMaxItems) {
    s.next.push_back(fmt::format("# ... and {} more created access keys: lambda-ir eradicate --attacker-iam takes them all", keys - kMaxItems));
  }
  for (const std::string& trail : stopped_trails) {
    AddOnce(&s.next, fmt::format("aws cloudtrail start-logging --name={}", ShellWord(trail)));
  }
  return s;
}

}  // namespace lir
