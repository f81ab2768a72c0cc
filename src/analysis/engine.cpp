#include "analysis/engine.h"

#include "core/progress_meter.h"

#include <algorithm>
#include <limits>
#include <atomic>
#include <cstring>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <simdjson.h>

#include "analysis/baseline.h"
#include "analysis/expr_eval.h"
#include "analysis/rule_prefilter.h"
#include "sources/input_stream.h"
#include "analysis/suspects.h"
#include "analysis/threshold_hits.h"
#include "core/strings.h"
#include "sources/event_view.h"

namespace lir {
namespace {

using simdjson::dom::element;

bool IsFootholdEvent(std::string_view name) {
  for (std::string_view n : {"CreateUser", "CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile", "CreateRole", "PutUserPolicy",
                             "AttachUserPolicy", "AddUserToGroup", "CreateServiceSpecificCredential", "UploadSSHPublicKey"}) {
    if (name == n) return true;
  }
  return false;
}

struct Kept {
  Event event;
  std::vector<uint32_t> matched;     // indexes of non-threshold rules whose match held
  std::vector<uint64_t> match_keys;  // each match's cap key (rule, principal[, resource]), beside `matched`
  bool role_pending = false;      // touches a role not yet known to matter (IAM change, or PassRole in --function)
  bool change = false;            // a Lambda or role change: on the timeline even without a finding
  bool outside_view = false;      // --function: kept only for the suspect pivot
  bool only_for_matches = false;  // nothing but its matches keeps it
  bool dead = false;              // its matches all gave way to earlier ones: dropped at the next compaction
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// For the rules' dispatch maps (a few dozen keys, fixed by the rules): the length and the
// first and last eight bytes tell AWS's source and event names apart at a fraction of the
// cost of hashing every byte, once per record. Any text still finds only its own key (keys
// are compared whole).
struct DispatchHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    uint64_t head = 0, tail = 0;
    if (s.size() >= 8) {
      std::memcpy(&head, s.data(), 8);
      std::memcpy(&tail, s.data() + s.size() - 8, 8);
    } else if (!s.empty()) {
      std::memcpy(&head, s.data(), s.size());
    }
    const uint64_t h = head * 0x9e3779b97f4a7c15ULL ^ (tail + s.size()) * 0xc2b2ae3d27d4eb4fULL;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

// Matches kept per (rule, principal): the earliest ones, the rest only counted. Rules with
// context (checked after the scan) may match most of an archive before the context rules
// them out, so without a cap memory would grow with the archive. Each worker keeps its
// earliest matches and the merge keeps the earliest of those, so the events listed are the
// same whichever worker read which file, and with any --jobs.
constexpr uint32_t kMaxMatchesPerRuleActor = 500;

std::string RuleActorKey(uint32_t rule, std::string_view actor_key) {
  std::string key = std::to_string(rule);
  key += '\x1f';
  key += actor_key;
  return key;
}

struct Partial {
  ScanStats stats;
  struct CapSlot {
    TimestampMs time;
    std::string event_id;
    size_t kept;  // index into `kept`
    bool operator<(const CapSlot& o) const { return std::tie(time, event_id) < std::tie(o.time, o.event_id); }
  };
  struct MatchCount {
    std::string key;  // RuleActorKey; empty outside --function's view (never told)
    uint64_t total = 0;
    std::vector<CapSlot> earliest;  // a max-heap: the latest kept match on top
    // Their event ids: a second copy of one (two inputs hold the event) takes no slot.
    std::unordered_set<std::string, StringHash, std::equal_to<>> ids;
  };
  std::unordered_map<uint64_t, MatchCount> matches_per_rule_actor;
  std::unordered_map<uint64_t, std::string> cap_keys;  // merged: cap key -> RuleActorKey
  std::map<std::string, uint64_t> matches_not_kept;    // merged: RuleActorKey -> count
  std::vector<ReadIssue> issues;
  uint64_t issues_not_listed = 0;
  std::vector<Kept> kept;
  ThresholdHits hits;
  // Ordered with std::less<> so the per-record hot path looks up by string_view, copying
  // nothing unless the entry is new.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> role_functions;   // from function configs
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> lambda_sessions;  // role -> sessions in Lambda
  std::unordered_map<std::string, TimestampMs, StringHash, std::equal_to<>> first_seen;
  std::map<std::string, TimestampMs> coverage_start;  // account|region -> earliest event
};

std::string_view SessionNameOf(const EventView& v) {
  if (!IsLiteral(v.actor_type, "AssumedRole")) return {};
  const size_t slash = v.actor_arn.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : v.actor_arn.substr(slash + 1);
}

// Code running in Lambda reports its runtime in the user agent (exec-env/AWS_Lambda_*).
bool FromLambdaRuntime(const EventView& v) {
  return v.user_agent.find("AWS_Lambda") != std::string_view::npos;
}

// --no-prefilter is the reference mode: every document parsed whole, no skim either.
ReaderOptions ReaderOptionsOf(const ScanOptions& options) {
  ReaderOptions reader = options.reader;
  if (options.no_prefilter) reader.skim = false;
  return reader;
}

class Worker : public RecordSink {
 public:
  Worker(const std::vector<Rule>& rules, const ScanOptions& options, std::string function)
      : rules_(rules), options_(options), function_(std::move(function)), reader_(ReaderOptionsOf(options)) {
    partial_.hits = ThresholdHits(options.threshold_hits_held);
    for (uint32_t i = 0; i < rules.size(); ++i) {
      all_rules_.push_back(i);
      needs_first_seen_ |= rules[i].context.new_principal_min_history_ms.has_value();
      prefilters_.emplace_back(rules[i]);
      const RulePrefilter& filter = prefilters_.back();
      if (filter.sources().empty()) {
        any_source_rules_.push_back(i);
        continue;
      }
      for (const std::string& source : filter.sources()) {
        SourceRules& by_source = rules_by_source_[source];
        if (filter.names() == nullptr) {
          by_source.any_name.push_back(i);
        } else {
          for (const std::string& name : *filter.names()) by_source.by_name[name].push_back(i);
        }
      }
    }
  }

  void Read(const InputFile& input) {
    if (input.content == nullptr) {
      reader_.ReadFile(input.path, *this);
      return;
    }
    // In memory (an S3 object as stored, a rule test): decoded whole when small, else
    // streamed from the bytes as the file on disk would be.
    const std::string& bytes = *input.content;
    const uint64_t whole = options_.reader.whole_document_bytes;
    const uint64_t limit = options_.reader.max_decoded_bytes;
    InputBuffer buffer;
    if (IsGzip(bytes.data(), bytes.size())) {
      auto held = GunzipIfItFits(bytes.data(), bytes.size(), limit, whole, &buffer);
      if (!held) {
        OnIssue({IssueKind::kBadFile, input.path, "", held.error().message});
        return;
      }
      if (!*held) {
        auto source = GunzipSource(MemorySource(bytes, options_.reader.stream_piece_bytes), limit);
        reader_.ReadStream(input.path, *source, *this);
        return;
      }
    } else if (bytes.size() > whole) {
      auto source = MemorySource(bytes, options_.reader.stream_piece_bytes);
      reader_.ReadStream(input.path, *source, *this);
      return;
    } else {
      buffer.Resize(bytes.size());
      std::memcpy(buffer.data(), bytes.data(), bytes.size());
    }
    reader_.ReadBuffer(input.path, buffer, *this);
  }

  Partial& partial() { return partial_; }

  void OnFile(std::string_view, uint64_t bytes) override {
    partial_.stats.bytes += bytes;
  }

  void OnIssue(ReadIssue issue) override {
    if (issue.kind == IssueKind::kBadRecord) ++partial_.stats.skipped_records;
    if (issue.kind == IssueKind::kBadFile) ++partial_.stats.bad_files;
    if (partial_.issues.size() < options_.max_issues) {
      partial_.issues.push_back(std::move(issue));
    } else {
      ++partial_.issues_not_listed;
    }
  }

  void OnRecord(const RecordRef& record) override {
    ++partial_.stats.records;
    EventView scratch;
    std::string why;
    const EventView* view = record.View(&scratch, &why);
    if (view == nullptr) {
      OnIssue({IssueKind::kBadRecord, std::string(record.file), fmt::format("record {}", record.index), why});
      return;
    }
    const EventView& v = *view;
    if (!Observe(v)) return;

    const bool mutating = IsMutating(v);
    const bool role_change = IsLiteral(v.source, "iam.amazonaws.com") && !v.role.empty() && mutating;
    // A Lambda call that hands a role to a function (CreateFunction, UpdateFunctionConfiguration).
    const bool passes_role = IsLiteral(v.source, "lambda.amazonaws.com") && !v.role.empty() && mutating;
    bool relevant = true;
    if (!function_.empty()) {
      relevant = v.function == function_ || SessionNameOf(v) == function_ || role_change || passes_role;
    }

    const EvalInput input{&record, nullptr, v};
    copy_of_kept_match_ = false;
    std::vector<uint32_t> matched;
    std::vector<uint64_t> match_keys;
    // Only rules that can apply to this source (and name) are tried: most records meet none.
    const std::vector<uint32_t>* lists[3];
    CandidateRules(v, lists);
    for (const auto* list : lists) {
      if (list == nullptr) continue;
      for (uint32_t i : *list) {
        // --function: another function's event only teaches who the suspects are (no bursts).
        if (relevant || !rules_[i].threshold) TryRule(i, input, relevant, &matched, &match_keys);
      }
    }
    const bool lambda_change = IsLiteral(v.source, "lambda.amazonaws.com") && mutating;
    // New principals and credentials: the footholds eradicate --attacker-iam takes away.
    const bool foothold = IsLiteral(v.source, "iam.amazonaws.com") && mutating && IsFootholdEvent(v.name);
    const bool keep = (relevant || !matched.empty() || lambda_change || role_change) &&
                      (!matched.empty() || lambda_change || role_change || foothold || !function_.empty());
    if (!keep) {
      // A second copy of an event this worker kept (two inputs hold it) is counted here; copies
      // that two workers both kept are counted by the merge's dedupe. Either way the count is
      // the same whichever worker read which file.
      if (copy_of_kept_match_) ++partial_.stats.duplicate_events;
    } else {
      SortByRule(&matched, &match_keys);
      Kept kept{MakeEvent(v, record.Element(), record.file, record.index), std::move(matched), std::move(match_keys),
                false, false, !relevant};
      const bool own_function = !function_.empty() && (v.function == function_ || SessionNameOf(v) == function_);
      kept.role_pending = (role_change && v.function.empty()) || (passes_role && !function_.empty() && !own_function);
      kept.change = lambda_change || role_change || foothold;
      kept.only_for_matches = !kept.change && !kept.role_pending && (function_.empty() || !relevant);
      partial_.kept.push_back(std::move(kept));
    }
    if (dead_ > 4096 && dead_ * 2 > partial_.kept.size()) Compact();
  }

 private:
  // A record's matches in rule order, whichever list (any source, source, event name) found
  // them: the order the findings are made in (and a suspect's first reason) must not depend
  // on the dispatch, so --no-prefilter gives the same report.
  static void SortByRule(std::vector<uint32_t>* matched, std::vector<uint64_t>* keys) {
    if (std::is_sorted(matched->begin(), matched->end())) return;
    std::vector<std::pair<uint32_t, uint64_t>> pairs;
    for (size_t i = 0; i < matched->size(); ++i) pairs.emplace_back((*matched)[i], (*keys)[i]);
    std::sort(pairs.begin(), pairs.end());
    for (size_t i = 0; i < pairs.size(); ++i) std::tie((*matched)[i], (*keys)[i]) = pairs[i];
  }

  void TryRule(uint32_t i, const EvalInput& input, bool in_view, std::vector<uint32_t>* matched,
               std::vector<uint64_t>* match_keys) {
    const Rule& rule = rules_[i];
    if ((!options_.no_prefilter && !prefilters_[i].MayMatch(input.view)) || !Evaluate(rule.match, input)) return;
    if (rule.threshold) {
      AddHit(i, rule, input);
      return;
    }
    // Keyed by a 64-bit hash so the hot path builds no string; the key is kept on insert. A
    // rule told per resource is capped per resource: 500 reads of a decoy secret must not hide
    // the one read of the real one. Events outside --function's view have caps of their own.
    const std::string_view actor = input.view.actor_key();
    uint64_t hash = std::hash<std::string_view>{}(actor) * 0x9e3779b97f4a7c15ULL + i + (in_view ? 0 : 0x51ed27ULL << 32);
    if (rule.grouping == Grouping::kActorResource) {
      for (const std::string& field : rule.resource_fields) {
        auto values = CollectStrings(input, field);
        if (values.empty()) continue;
        hash ^= std::hash<std::string>{}(values.front()) * 0xc2b2ae3d27d4eb4fULL;
        break;
      }
    }
    auto it = partial_.matches_per_rule_actor.find(hash);
    if (it == partial_.matches_per_rule_actor.end()) {
      const std::string key = in_view ? RuleActorKey(i, actor) : std::string();
      it = partial_.matches_per_rule_actor.emplace(hash, Partial::MatchCount{key}).first;
    }
    Partial::MatchCount& count = it->second;
    const EventView& v = input.view;
    if (count.earliest.size() >= kMaxMatchesPerRuleActor) {
      // Most matches beyond the cap are later than every kept one: counted, nothing copied.
      const Partial::CapSlot& latest = count.earliest.front();
      if (v.time > latest.time || (v.time == latest.time && v.event_id > std::string_view(latest.event_id))) {
        ++count.total;
        return;
      }
    }
    // A second copy of a kept match (two inputs hold the event): the merge's dedupe drops it.
    // Records without an eventID are never copies of each other, as in the dedupe.
    if (!v.event_id.empty() && count.ids.find(v.event_id) != count.ids.end()) {
      copy_of_kept_match_ = true;
      return;
    }
    ++count.total;
    if (count.earliest.size() >= kMaxMatchesPerRuleActor) {
      std::pop_heap(count.earliest.begin(), count.earliest.end());
      GiveWay(count.earliest.back().kept, i, hash);
      count.ids.erase(count.earliest.back().event_id);
      count.earliest.pop_back();
    }
    // This record, when it matches anything, is the next one kept.
    count.earliest.push_back({v.time, std::string(v.event_id), partial_.kept.size()});
    if (!v.event_id.empty()) count.ids.insert(count.earliest.back().event_id);
    std::push_heap(count.earliest.begin(), count.earliest.end());
    matched->push_back(i);
    match_keys->push_back(hash);
  }

  bool Filtered(const EventView& v) const {
    return (options_.since && v.time < *options_.since) || (options_.until && v.time > *options_.until) ||
           !AccountWanted(options_.accounts, v.account()) ||
           (!options_.region.empty() && v.region != options_.region);
  }

  // What every record teaches, whatever the rules say of it: the roles, the coverage, the
  // first sight of each principal. False when the filters leave it out.
  bool Observe(const EventView& v) {
    ScanStats& stats = partial_.stats;
    ObserveRoles(v);
    if (Filtered(v)) {
      ++stats.filtered_out;
      return false;
    }
    ++stats.events;
    if (!stats.first_event || v.time < *stats.first_event) stats.first_event = v.time;
    if (!stats.last_event || v.time > *stats.last_event) stats.last_event = v.time;
    ObserveCoverage(v);
    if (needs_first_seen_) ObserveFirstSeen(v);
    return true;
  }

  // The rules that may apply to a record of this source and name, in three lists (null when
  // none); --no-prefilter: every rule.
  void CandidateRules(const EventView& v, const std::vector<uint32_t>* lists[3]) const {
    lists[1] = lists[2] = nullptr;
    if (options_.no_prefilter) {
      lists[0] = &all_rules_;
      return;
    }
    lists[0] = &any_source_rules_;
    if (auto by_source = rules_by_source_.find(v.source); by_source != rules_by_source_.end()) {
      lists[1] = &by_source->second.any_name;
      if (auto by_name = by_source->second.by_name.find(v.name); by_name != by_source->second.by_name.end()) {
        lists[2] = &by_name->second;
      }
    }
  }

  // A kept record's match of rule i gives way to an earlier match.
  void GiveWay(size_t kept_index, uint32_t rule, uint64_t hash) {
    Kept& k = partial_.kept[kept_index];
    for (size_t j = 0; j < k.matched.size(); ++j) {
      if (k.matched[j] != rule || k.match_keys[j] != hash) continue;
      k.matched.erase(k.matched.begin() + static_cast<std::ptrdiff_t>(j));
      k.match_keys.erase(k.match_keys.begin() + static_cast<std::ptrdiff_t>(j));
      break;
    }
    if (k.matched.empty() && k.only_for_matches && !k.dead) {
      k.dead = true;
      ++dead_;
    }
  }

  // Drops the records whose matches all gave way, so memory stays bounded by the caps.
  void Compact() {
    std::vector<size_t> new_index(partial_.kept.size(), 0);
    size_t live = 0;
    for (size_t j = 0; j < partial_.kept.size(); ++j) {
      if (partial_.kept[j].dead) continue;
      new_index[j] = live;
      if (live != j) partial_.kept[live] = std::move(partial_.kept[j]);
      ++live;
    }
    partial_.kept.resize(live);
    for (auto& [hash, count] : partial_.matches_per_rule_actor) {
      for (Partial::CapSlot& slot : count.earliest) slot.kept = new_index[slot.kept];
    }
    dead_ = 0;
  }

  void ObserveRoles(const EventView& v) {
    if (IsLiteral(v.source, "lambda.amazonaws.com") && !v.role.empty() && !v.function.empty() && v.succeeded()) {
      InsertIfNew(&partial_.role_functions, v.role, v.function, SIZE_MAX);
    }
    if (IsLiteral(v.actor_type, "AssumedRole") && !v.issuer_name.empty() && FromLambdaRuntime(v)) {
      InsertIfNew(&partial_.lambda_sessions, v.issuer_name, SessionNameOf(v), 64);
    }
  }

  // map[key] gets `value` (while it holds fewer than `cap`): strings are made only when new.
  template <typename Map>
  static void InsertIfNew(Map* map, std::string_view key, std::string_view value, size_t cap) {
    auto it = map->find(key);
    if (it == map->end()) it = map->emplace(std::string(key), typename Map::mapped_type{}).first;
    auto& values = it->second;
    if (values.size() < cap && values.find(value) == values.end()) values.emplace(value);
  }

  // Where the evidence of each account and region begins: history-based rules need it.
  void ObserveCoverage(const EventView& v) {
    const std::string_view account = v.account();
    if (last_scope_.size() == account.size() + 1 + v.region.size() && v.time >= last_scope_time_ &&
        last_scope_.compare(0, account.size(), account) == 0 &&
        last_scope_.compare(account.size() + 1, std::string::npos, v.region) == 0) {
      return;
    }
    last_scope_ = Baseline::ScopeKey(account, v.region);
    auto [it, inserted] = partial_.coverage_start.emplace(last_scope_, v.time);
    if (!inserted && v.time < it->second) it->second = v.time;
    last_scope_time_ = it->second;
  }

  void ObserveFirstSeen(const EventView& v) {
    const std::string_view key = v.actor_key();
    // Records of one principal come in runs, mostly in time order: skip the hash lookup then.
    if (key == last_actor_ && v.time >= last_actor_time_) return;
    last_actor_.assign(key);
    last_actor_time_ = v.time;
    auto it = partial_.first_seen.find(key);
    if (it == partial_.first_seen.end()) {
      partial_.first_seen.emplace(std::string(key), v.time);
    } else if (v.time < it->second) {
      it->second = v.time;
    }
  }

  void AddHit(uint32_t index, const Rule& rule, const EvalInput& input) {
    const auto keys = CollectStrings(input, rule.threshold->group_by);
    const EventView& v = input.view;
    partial_.hits.Add({index, keys.empty() ? std::string("(unknown)") : keys.front(), v.time, std::string(v.event_id),
                       std::string(v.name), std::string(v.source_ip), std::string(v.region), std::string(v.account())});
  }

  const std::vector<Rule>& rules_;
  std::vector<RulePrefilter> prefilters_;
  std::vector<uint32_t> any_source_rules_;
  std::vector<uint32_t> all_rules_;  // 0..n-1: --no-prefilter tries every rule on every record
  struct SourceRules {
    std::vector<uint32_t> any_name;  // rules of this source that name no event
    std::unordered_map<std::string, std::vector<uint32_t>, DispatchHash, std::equal_to<>> by_name;  // by @name
  };
  std::unordered_map<std::string, SourceRules, DispatchHash, std::equal_to<>> rules_by_source_;
  const ScanOptions& options_;
  std::string function_;
  CloudTrailReader reader_;
  Partial partial_;
  size_t dead_ = 0;  // records in partial_.kept marked dead
  bool needs_first_seen_ = false;
  bool copy_of_kept_match_ = false;  // the record being read is a second copy of a kept match
  std::string last_scope_;
  TimestampMs last_scope_time_ = 0;
  std::string last_actor_;
  TimestampMs last_actor_time_ = 0;
};

void Merge(Partial& into, Partial&& from) {
  ScanStats& a = into.stats;
  const ScanStats& b = from.stats;
  a.files += b.files;
  a.files_pruned += b.files_pruned;
  a.bad_files += b.bad_files;
  a.bytes += b.bytes;
  a.records += b.records;
  a.events += b.events;
  a.skipped_records += b.skipped_records;
  a.filtered_out += b.filtered_out;
  a.duplicate_events += b.duplicate_events;
  if (b.first_event && (!a.first_event || *b.first_event < *a.first_event)) a.first_event = b.first_event;
  if (b.last_event && (!a.last_event || *b.last_event > *a.last_event)) a.last_event = b.last_event;
  for (auto& issue : from.issues) into.issues.push_back(std::move(issue));
  into.issues_not_listed += from.issues_not_listed;
  for (auto& k : from.kept) {
    if (!k.dead) into.kept.push_back(std::move(k));
  }
  into.hits.Absorb(std::move(from.hits));
  for (auto& [role, fns] : from.role_functions) into.role_functions[role].insert(fns.begin(), fns.end());
  for (auto& [role, s] : from.lambda_sessions) into.lambda_sessions[role].insert(s.begin(), s.end());
  for (auto& [hash, n] : from.matches_per_rule_actor) {
    if (n.key.empty()) continue;
    into.cap_keys.emplace(hash, n.key);
    if (n.total > n.earliest.size()) into.matches_not_kept[n.key] += n.total - n.earliest.size();
  }
  for (auto& [key, t] : from.first_seen) {
    auto [it, inserted] = into.first_seen.emplace(key, t);
    if (!inserted && t < it->second) it->second = t;
  }
  for (auto& [key, t] : from.coverage_start) {
    auto [it, inserted] = into.coverage_start.emplace(key, t);
    if (!inserted && t < it->second) it->second = t;
  }
}

std::string ResourceOf(const Rule& rule, const Event& e, const EvalInput& input) {
  for (const std::string& field : rule.resource_fields) {
    auto values = CollectStrings(input, field);
    if (!values.empty()) return values.front();
  }
  if (std::string arn = e.ResourceArn(); !arn.empty()) return arn;
  for (const char* path : {"resources.ARN", "requestParameters.name", "requestParameters.trailName"}) {
    auto values = CollectStrings(input, path);
    if (!values.empty()) return values.front();
  }
  return e.source;
}

Finding MakeFinding(const Rule& rule, TimestampMs time) {
  Finding f;
  f.rule_id = rule.id;
  f.severity = rule.severity;
  f.title = rule.title;
  f.description = rule.description;
  f.remediation = rule.remediation;
  f.mitre = rule.mitre;
  f.references = rule.references;
  f.category = rule.category;
  f.time = time;
  return f;
}

class Phase2 {
 public:
  Phase2(const std::vector<Rule>& rules, Partial& all, AnalysisResult& out, bool timeline_all)
      : rules_(rules), all_(all), out_(out), baseline_(all.coverage_start), timeline_all_(timeline_all) {
    for (auto& [role, fns] : all.role_functions) out.lambda_roles[role].insert(fns.begin(), fns.end());
    for (auto& [role, sessions] : all.lambda_sessions) out.lambda_roles[role].insert(sessions.begin(), sessions.end());
  }

  bool IsLambdaRole(std::string_view name) const {
    return out_.lambda_roles.count(std::string(RoleNameFromRef(name))) > 0;
  }

  // kDirect applies every rule but the suspect ones and learns from the event; kLearn does the
  // same for an event outside --function's view, reporting nothing; kSuspects applies the
  // suspect rules once suspects are known.
  enum class Pass { kDirect, kLearn, kSuspects };

  // The findings of one kept event, in time order. Returns whether the event supports at
  // least one finding.
  bool RuleFindings(const Kept& k, Pass pass) {
    bool any = false;
    if (!k.matched.empty()) {
      element record;
      EventView v;
      std::string why;
      if (parser_.parse(k.event.raw).get(record) != simdjson::SUCCESS || !ViewEvent(record, &v, &why)) return false;
      const EvalInput input{nullptr, &record, v};
      for (uint32_t index : k.matched) {
        const Rule& rule = rules_[index];
        if (rule.context.suspect_actor != (pass == Pass::kSuspects)) continue;
        any |= Emit(index, k.event, input, pass == Pass::kLearn);
      }
    }
    if (pass != Pass::kSuspects && k.change) baseline_.Observe(k.event);
    return any;
  }

  // Suspect rules over the events that matched one, until no new suspect appears: what a
  // suspect created (a user, a key) is a suspect whose own calls count too.
  // A routine change whose caller turned out to be a suspect (its key, its address, or a
  // user principal: learned after the change was judged) is not routine: back to the rule's
  // severity. Then the suspect rules again, until nothing new is learned.
  void SuspectFindings(std::vector<Kept>& deferred, std::vector<Event>* timeline) {
    std::vector<bool> done(deferred.size(), false);
    for (int round = 0; round < 8; ++round) {
      const size_t suspects_before = suspects_.size();
      for (size_t i = 0; i < deferred.size(); ++i) {
        if (done[i] || !suspects_.Match(deferred[i].event)) continue;
        done[i] = true;
        if (RuleFindings(deferred[i], Pass::kSuspects) && !on_timeline_.count(deferred[i].event.event_id)) {
          timeline->push_back(deferred[i].event);
        }
      }
      RejudgeRoutine();
      if (suspects_.size() == suspects_before) break;
    }
  }

  void NoteOnTimeline(const Event& e) { on_timeline_.insert(e.event_id); }

  // The hits come sorted by rule and key: each (rule, key) group goes through one detector.
  void ThresholdFindings() {
    std::optional<BurstDetector> group;
    ThresholdHit group_of;
    uint64_t damaged = 0;
    all_.hits.ForEachSorted([&](const ThresholdHit& hit) {
      // Read back from a file of ours; one damaged on disk may name no threshold rule.
      if (hit.rule >= rules_.size() || !rules_[hit.rule].threshold) {
        ++damaged;
        return;
      }
      if (!group || hit.rule != group_of.rule || hit.key != group_of.key) {
        if (group) group->Finish();
        const Threshold& t = *rules_[hit.rule].threshold;
        group.emplace(t.count, t.window_ms, kMaxMatchesPerRuleActor, [this, rule = hit.rule](Burst&& burst) {
          EmitBurst(rule, std::move(burst));
        });
        group_of.rule = hit.rule;
        group_of.key = hit.key;
      }
      group->Add(hit);
    });
    if (group) group->Finish();
    if (!all_.hits.spill_failure().empty()) {
      all_.issues.push_back({IssueKind::kWarning, "", "",
                             "threshold hits held in memory: " + all_.hits.spill_failure()});
    }
    if (damaged != 0) {
      all_.issues.push_back({IssueKind::kWarning, "", "",
                             fmt::format("{} threshold hits read back from their temporary file name no threshold rule "
                                         "(the file was damaged): left out", damaged)});
    }
    if (all_.hits.lost() != 0) {
      all_.issues.push_back({IssueKind::kWarning, "", "",
                             fmt::format("{} threshold hits could not be read back from their temporary file ({}): "
                                         "bursts they would have made are missing; check $TMPDIR (space, the disk) and run again",
                                         all_.hits.lost(), all_.hits.lost_why())});
    }
  }

 private:
  enum class Context { kHolds, kFails, kNoBaseline, kWeakSuspect };

  // Returns whether the match became (or joined) a finding. `learn_only`: judge and learn
  // suspects, report nothing (an event outside --function's view).
  bool Emit(uint32_t index, const Event& e, const EvalInput& input, bool learn_only = false) {
    const Rule& rule = rules_[index];
    std::string note;
    const Context context = ContextOf(rule, e, input, &note);
    if (context == Context::kFails) return false;
    Severity severity = rule.severity;
    bool routine = false;
    if (context == Context::kNoBaseline) {
      severity = Severity::kInfo;
    } else if (context == Context::kWeakSuspect) {
      severity = std::min(severity, Severity::kMedium);  // an address alone implicates weakly
    } else if (rule.severity_context.routine) {
      // A suspect's changes are never routine, whatever its history (an address alone, an
      // office NAT or a CI range, does not make one).
      if (std::string reason = baseline_.RoutineReason(e); !reason.empty()) {
        if (const auto match = suspects_.Match(e); match && match->by != SuspectMatch::By::kAddress) {
          note = "not routine: " + match->Told(e);
        } else {
          severity = *rule.severity_context.routine;
          routine = true;
          note = std::move(reason);
        }
      }
    }
    if (!rule.severity_context.escalate.empty()) {
      const std::string document = DocumentKey(rule, e, input);
      // The usual deployer applying the very document it applied before changes nothing.
      const bool repeated = routine && documents_.count(document) > 0;
      for (const auto& escalation : rule.severity_context.escalate) {
        if (repeated || escalation.severity <= severity || !Evaluate(escalation.when, input)) continue;
        severity = escalation.severity;
        routine = false;
        note = escalation.why.empty() ? std::string("raised by what the change grants") : escalation.why;
      }
      if (e.succeeded() && documents_.size() < 100000) documents_.insert(document);
    }
    if (learn_only) {
      LearnSuspects(rule, severity, routine, e, input, rule.title);
      return false;
    }
    const std::string resource = ResourceOf(rule, e, input);
    std::string group_key;
    if (rule.grouping != Grouping::kEvent) {
      group_key = fmt::format("{}\x1f{}", rule.id, input.view.actor_key());
      if (rule.grouping == Grouping::kActorResource) group_key += "\x1f" + resource;
      if (auto grouped = grouped_.find(group_key); grouped != grouped_.end()) {
        Finding& f = out_.findings[grouped->second];
        f.event_ids.push_back(e.event_id);
        if (severity > f.severity) {
          f.severity = severity;
          f.note = note;  // the reason for the raise replaces the lower one's
        }
        if (!routine) f.routine = false;
        TellCreated(LearnSuspects(rule, f.severity, f.routine, e, input, f.title), &f);
        // A low or info finding's further events are in its event ids; on the timeline they
        // would bury the story (AssumeRole by every role: thousands of rows).
        return timeline_all_ || f.severity >= Severity::kMedium;
      }
    }
    Finding f = MakeFinding(rule, e.time);
    f.severity = severity;
    f.routine = routine;
    f.note = std::move(note);
    f.resource = resource;
    f.actor = e.actor.Display();
    f.access_key_id = e.actor.access_key_id;
    f.source_ip = e.source_ip;
    f.region = e.region;
    f.account = e.account;
    f.event_name = e.name_raw;
    f.event_ids.push_back(e.event_id);
    // The first finding of a (rule, principal) whose matches hit the cap carries the count.
    auto overflow = all_.matches_not_kept.find(RuleActorKey(index, input.view.actor_key()));
    if (overflow != all_.matches_not_kept.end()) {
      f.events_not_listed = overflow->second;
      all_.matches_not_kept.erase(overflow);
    }
    TellCreated(LearnSuspects(rule, f.severity, routine, e, input, f.title), &f);
    if (!group_key.empty()) grouped_[group_key] = out_.findings.size();
    if (routine) routine_.push_back({out_.findings.size(), index, e});
    out_.findings.push_back(std::move(f));
    return true;
  }

  void RejudgeRoutine() {
    for (const RoutineJudgement& r : routine_) {
      Finding& f = out_.findings[r.finding];
      if (!f.routine) continue;
      const auto match = suspects_.Match(r.event);
      // Looking back, only the flagged key or a suspect user counts: a role's other sessions and
      // whoever shares an address stay routine.
      if (!match || match->by == SuspectMatch::By::kAddress ||
          (match->by == SuspectMatch::By::kPrincipal && r.event.actor.type == "AssumedRole")) {
        continue;
      }
      const Rule& rule = rules_[r.rule];
      f.routine = false;
      f.severity = std::max(f.severity, rule.severity);
      f.note = "not routine: " + match->Told(r.event);
      if (f.severity >= Severity::kHigh) {
        const bool lambda_role = r.event.actor.type == "AssumedRole" && IsLambdaRole(r.event.actor.session_issuer_name);
        suspects_.AddCaller(r.event, lambda_role, fmt::format("{} ({}, {})", f.title, r.event.name, r.event.event_time));
      }
    }
  }

  // Escalations judge a policy document; a re-apply of the same document by its usual deployer
  // (Terraform every morning) is the same grant, not a new one.
  std::string DocumentKey(const Rule& rule, const Event& e, const EvalInput& input) const {
    const auto docs = CollectStrings(input, "requestParameters.policyDocument");
    const auto arns = CollectStrings(input, "requestParameters.policyArn");
    const auto names = CollectStrings(input, "requestParameters.policyName");
    std::string key = rule.id + '\x1f' + e.account + '\x1f' + e.role + '\x1f';
    key += names.empty() ? "" : names.front();
    key += '\x1f';
    key += arns.empty() ? "" : arns.front();
    key += '\x1f';
    key += std::to_string(std::hash<std::string>{}(docs.empty() ? std::string() : docs.front()));
    return key;
  }


  // A high or critical finding makes its caller a suspect, and what a suspect creates is one
  // too. Returns what the event created, to be named in the finding.
  std::vector<CreatedIdentity> LearnSuspects(const Rule& rule, Severity severity, bool routine, const Event& e,
                                         const EvalInput& input, const std::string& title) {
    // Sigma's levels are a SIEM queue's, untuned to this account: they name no suspects.
    if (rule.is_sigma()) return {};
    if (!rule.context.suspect_actor) {
      if (severity < Severity::kHigh || routine) return {};
      const bool lambda_role = e.actor.type == "AssumedRole" && IsLambdaRole(e.actor.session_issuer_name);
      suspects_.AddCaller(e, lambda_role, fmt::format("{} ({}, {})", title, e.name, e.event_time));
    }
    if (!e.succeeded()) return {};
    return suspects_.AddCreated(input.Record(), e);
  }

  static void TellCreated(std::vector<CreatedIdentity> created, Finding* f) {
    for (CreatedIdentity& what : created) {
      const bool known = std::any_of(f->created.begin(), f->created.end(),
                                     [&](const CreatedIdentity& c) { return c.kind == what.kind && c.id == what.id; });
      if (known) continue;
      f->note += f->note.empty() ? "created: " : (f->created.empty() ? "; created: " : ", ");
      f->note += what.kind + " " + what.id;
      f->created.push_back(std::move(what));
    }
  }

  Context ContextOf(const Rule& rule, const Event& e, const EvalInput& input, std::string* note) const {
    const RuleContext& c = rule.context;
    if (!c.lambda_role_field.empty()) {
      bool any = false;
      for (const auto& value : CollectStrings(input, c.lambda_role_field)) any |= IsLambdaRole(value);
      if (!any) return Context::kFails;
    }
    if (c.actor_is_lambda_role) {
      const bool is = e.actor.type == "AssumedRole" && IsLambdaRole(e.actor.session_issuer_name);
      if (is != *c.actor_is_lambda_role) return Context::kFails;
    }
    if (c.actor_role_runs_in_lambda) {
      const bool is = e.actor.type == "AssumedRole" && all_.lambda_sessions.count(e.actor.session_issuer_name) > 0;
      if (is != *c.actor_role_runs_in_lambda) return Context::kFails;
    }
    bool weak_suspect = false;
    if (c.suspect_actor) {
      const auto match = suspects_.Match(e);
      if (!match) return Context::kFails;
      *note = match->Told(e);
      weak_suspect = match->by == SuspectMatch::By::kAddress;
    }
    if (c.new_principal_min_history_ms) {
      // New means absent from the first min_history of this account and region's evidence;
      // with less evidence than that before the event, nobody can be told new.
      const int64_t needed = *c.new_principal_min_history_ms;
      auto coverage = baseline_.CoverageStart(e.account, e.region);
      if (!coverage || e.time - *coverage < needed) {
        // A region the account never used starts with the attacker's own first call: the
        // account's other regions are the baseline then.
        if (auto account = baseline_.CoverageStart(e.account, e.region, true); account && e.time - *account >= needed) {
          coverage = account;
        }
      }
      auto it = all_.first_seen.find(input.view.actor_key());
      if (!coverage || e.time - *coverage < needed) {
        // Seen long enough before anywhere else (another region): known, not new.
        if (it != all_.first_seen.end() && e.time - it->second >= needed) return Context::kFails;
        *note = fmt::format("no baseline: the evidence for {} in {} begins {} min before this event; {} min are needed",
                            e.account, e.region, coverage ? (e.time - *coverage) / 60000 : 0, needed / 60000);
        return Context::kNoBaseline;
      }
      if (it == all_.first_seen.end() || it->second - *coverage < needed) return Context::kFails;
    }
    return weak_suspect ? Context::kWeakSuspect : Context::kHolds;
  }

  void EmitBurst(uint32_t index, Burst&& burst) {
    const ThresholdHit& first = burst.first;
    Finding f = MakeFinding(rules_[index], first.time);
    f.resource = first.key;
    f.actor = first.key;
    f.source_ip = first.source_ip;
    f.region = first.region;
    f.account = first.account;
    f.event_name = first.event_name;
    f.event_ids = std::move(burst.event_ids);
    f.events_not_listed = burst.not_listed;
    out_.findings.push_back(std::move(f));
  }

  const std::vector<Rule>& rules_;
  Partial& all_;
  AnalysisResult& out_;
  Baseline baseline_;
  bool timeline_all_;  // --timeline all: every supporting event gets its row
  Suspects suspects_;
  struct RoutineJudgement {
    size_t finding;
    uint32_t rule;
    Event event;
  };
  std::vector<RoutineJudgement> routine_;  // findings judged routine, re-judged once suspects are known
  std::set<std::string> documents_;        // policy documents applied before (DocumentKey)
  std::set<std::string> on_timeline_;
  simdjson::dom::parser parser_;
  std::map<std::string, size_t> grouped_;
};

std::vector<std::string> RolesOfFunction(const std::string& function, const Partial& all) {
  std::set<std::string> roles;
  for (const auto& [role, fns] : all.role_functions) {
    if (fns.count(function)) roles.insert(role);
  }
  for (const auto& [role, sessions] : all.lambda_sessions) {
    if (sessions.count(function)) roles.insert(role);
  }
  return {roles.begin(), roles.end()};
}

}  // namespace

namespace {

AnalysisResult AnalyzeFrom(InputStream& stream, const std::vector<Rule>& rules, const ScanOptions& options,
                           size_t max_jobs);

}  // namespace

AnalysisResult Analyze(const std::vector<InputFile>& inputs, const std::vector<Rule>& rules,
                       const ScanOptions& options) {
  if (options.archive_progress != nullptr) {
    uint64_t bytes = 0;
    for (const InputFile& input : inputs) bytes += input.size;
    options.archive_progress->AddTotal(inputs.size(), bytes);
  }
  InputListStream stream(inputs);
  return AnalyzeFrom(stream, rules, options, std::max<size_t>(1, inputs.size()));
}

AnalysisResult Analyze(InputStream& inputs, const std::vector<Rule>& rules, const ScanOptions& options) {
  return AnalyzeFrom(inputs, rules, options, std::numeric_limits<size_t>::max());
}

namespace {

AnalysisResult AnalyzeFrom(InputStream& stream, const std::vector<Rule>& rules, const ScanOptions& options,
                           size_t max_jobs) {
  const std::string function =
      options.function.empty() ? std::string() : std::string(FunctionNameFromRef(options.function));
  size_t jobs = options.jobs > 0 ? static_cast<size_t>(options.jobs) : std::thread::hardware_concurrency();
  jobs = std::clamp<size_t>(jobs, 1, max_jobs);

  std::vector<std::unique_ptr<Worker>> workers;
  workers.reserve(jobs);
  for (size_t i = 0; i < jobs; ++i) workers.push_back(std::make_unique<Worker>(rules, options, function));
  auto run = [&](Worker* worker) {
    while (auto next = stream.Next()) {
      const InputFile& input = next->file;
      // The file name names its account and region: skip reading what the filters exclude.
      if (NameExcludes(input, options.accounts, options.region)) {
        ++worker->partial().stats.files_pruned;
        if (options.archive_progress != nullptr) options.archive_progress->AddDone(1, input.size);
        continue;
      }
      const uint64_t records_before = worker->partial().stats.records;
      if (next->error.empty()) {
        worker->Read(input);
      } else {
        worker->OnIssue({IssueKind::kBadFile, input.path, "", next->error});
      }
      ++worker->partial().stats.files;
      if (options.archive_progress != nullptr) {
        options.archive_progress->AddDone(1, input.size, worker->partial().stats.records - records_before);
      }
    }
  };
  if (jobs == 1) {
    run(workers[0].get());
  } else {
    std::vector<std::thread> threads;
    threads.reserve(workers.size());
    for (auto& w : workers) threads.emplace_back(run, w.get());
    for (auto& t : threads) t.join();
  }

  Partial all;
  all.hits = ThresholdHits(options.threshold_hits_held);
  for (auto& w : workers) Merge(all, std::move(w->partial()));
  workers.clear();

  AnalysisResult out;
  // Same event from two inputs (a trail archive and a saved lookup): keep one.
  std::sort(all.kept.begin(), all.kept.end(), [](const Kept& a, const Kept& b) {
    return std::tie(a.event.time, a.event.event_id, a.event.file, a.event.record_index) <
           std::tie(b.event.time, b.event.event_id, b.event.file, b.event.record_index);
  });
  // The copy kept keeps every copy's matches: a worker that met the event twice matched
  // only its first copy, and that copy may sort second.
  size_t before = all.kept.size();
  size_t survivors = 0;
  for (size_t j = 0; j < all.kept.size(); ++j) {
    Kept& k = all.kept[j];
    if (survivors > 0) {
      Kept& last = all.kept[survivors - 1];
      if (!k.event.event_id.empty() && k.event.event_id == last.event.event_id && k.event.time == last.event.time) {
        for (size_t m = 0; m < k.matched.size(); ++m) {
          bool known = false;
          for (size_t n = 0; n < last.matched.size(); ++n) known |= last.match_keys[n] == k.match_keys[m];
          if (known) continue;
          last.matched.push_back(k.matched[m]);
          last.match_keys.push_back(k.match_keys[m]);
        }
        continue;
      }
    }
    if (survivors != j) all.kept[survivors] = std::move(k);
    ++survivors;
  }
  all.kept.resize(survivors);
  all.stats.duplicate_events += before - all.kept.size();
  // Each worker kept its earliest matches per cap key; of those, the earliest overall stay.
  std::unordered_map<uint64_t, uint32_t> listed;
  for (Kept& k : all.kept) {
    for (size_t j = 0; j < k.matched.size();) {
      if (++listed[k.match_keys[j]] <= kMaxMatchesPerRuleActor) {
        ++j;
        continue;
      }
      if (auto key = all.cap_keys.find(k.match_keys[j]); key != all.cap_keys.end()) ++all.matches_not_kept[key->second];
      k.matched.erase(k.matched.begin() + static_cast<std::ptrdiff_t>(j));
      k.match_keys.erase(k.match_keys.begin() + static_cast<std::ptrdiff_t>(j));
    }
  }

  Phase2 phase2(rules, all, out, options.timeline_all);
  std::vector<std::string> function_roles;
  if (!function.empty()) function_roles = RolesOfFunction(function, all);
  std::vector<Kept> deferred;  // matched a suspect rule: judged once suspects are known
  for (Kept& k : all.kept) {
    if (k.role_pending) {
      // IAM changes count only when they touch a Lambda role (or the viewed function's); in
      // --function, so does a role handed to another function.
      const bool wanted = function.empty()
                              ? phase2.IsLambdaRole(k.event.role) || !k.matched.empty()
                              : std::find(function_roles.begin(), function_roles.end(), k.event.role) !=
                                    function_roles.end();
      if (!wanted) k.outside_view = true;
    }
    const bool suspect_matches = std::any_of(k.matched.begin(), k.matched.end(),
                                             [&](uint32_t i) { return rules[i].context.suspect_actor; });
    if (k.outside_view) {
      // Outside --function's view: it teaches who is a suspect and who deploys what, no more.
      phase2.RuleFindings(k, Phase2::Pass::kLearn);
      if (suspect_matches) deferred.push_back(std::move(k));
      continue;
    }
    const bool supports_finding = phase2.RuleFindings(k, Phase2::Pass::kDirect);
    // Matches whose context failed (a non-Lambda role used outside Lambda) are noise.
    bool on_timeline = supports_finding || k.change || !function.empty();
    if (on_timeline && !supports_finding && !k.change && !options.timeline_all && k.event.succeeded() &&
        k.event.read_only.value_or(false) && k.event.actor.type == "AssumedRole" &&
        std::find(function_roles.begin(), function_roles.end(), k.event.actor.session_issuer_name) != function_roles.end()) {
      // The function going about its work: counted, not listed (--timeline all lists it).
      ++out.own_reads_not_listed[k.event.source + " " + k.event.name];
      on_timeline = false;
    }
    if (suspect_matches) {
      deferred.push_back(k);
      if (on_timeline) phase2.NoteOnTimeline(k.event);
    }
    if (on_timeline) out.timeline.push_back(std::move(k.event));
  }
  phase2.ThresholdFindings();
  phase2.SuspectFindings(deferred, &out.timeline);
  std::stable_sort(out.timeline.begin(), out.timeline.end(),
                   [](const Event& a, const Event& b) { return a.time < b.time; });

  std::erase_if(out.findings, [&](const Finding& f) { return f.severity < options.min_severity; });
  std::stable_sort(out.findings.begin(), out.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.rule_id < b.rule_id;
  });
  if (!function.empty()) out.function_history = BuildFunctionHistory(function, function_roles, out.timeline);
  out.stats = all.stats;
  out.issues = std::move(all.issues);
  out.issues_not_listed = all.issues_not_listed;
  std::sort(out.issues.begin(), out.issues.end(), [](const ReadIssue& a, const ReadIssue& b) {
    return std::tie(a.file, a.position, a.message) < std::tie(b.file, b.position, b.message);
  });
  return out;
}

}  // namespace

}  // namespace lir
