#include "response/harden.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/case_analysis.h"
#include "analysis/config_analysis.h"
#include "analysis/posture_checks.h"
#include "analysis/role_usage.h"
#include "analysis/suspect_functions.h"
#include "core/json_util.h"
#include "core/strings.h"
#include "response/account_inventory.h"
#include "response/eradicate_steps.h"
#include "response/harden_steps.h"
#include "response/own_role.h"
#include "response/signing_steps.h"
#include "response/response_report.h"

namespace lir {

using nlohmann::json;

namespace {

constexpr const char* kHardenPrefix = "harden/r";
constexpr const char* kUndoPrefix = "harden-undo/r";
constexpr const char* kDefaultSigningProfile = "lambda_ir_release";

std::string SigningProfileName(const HardenRequest& request) {
  return request.signing_profile_name.empty() ? kDefaultSigningProfile : request.signing_profile_name;
}

std::string RoundPrefix(const char* verb, int round) { return fmt::format("{}{}/", verb, round); }

// The latest round harden journaled, and whether its undo completed.
int LatestRound(Journal& journal) {
  auto steps = journal.Steps(kHardenPrefix);
  int latest = 0;
  for (const auto& s : steps ? *steps : std::vector<JournalStep>{}) {
    const char* digits = s.key.c_str() + std::string(kHardenPrefix).size();
    latest = std::max(latest, static_cast<int>(std::strtol(digits, nullptr, 10)));  // our own keys: digits, then '/'

  }
  return latest;
}
bool Undone(Journal& journal, int round) {
  auto marker = journal.Find(RoundPrefix(kUndoPrefix, round) + "complete");
  return marker && *marker && (*marker)->status == StepStatus::kDone;
}

bool IsPublicUrlStatement(const FlaggedStatement& f) {
  const json& action = JAt(f.statement, "Action");
  return f.rule_id == "lambda_config_policy_public" &&
         (action == "lambda:InvokeFunctionUrl" ||
          (action.is_array() && std::find(action.begin(), action.end(), "lambda:InvokeFunctionUrl") != action.end()));
}

bool HasFailureDestination(const FunctionInventory& f) {
  if (!JStr(JAt(f.configuration, "DeadLetterConfig"), "TargetArn").empty()) return true;
  for (const json& c : f.invoke_configs.value_or(json::array())) {
    if (!JStr(JAt(JAt(c, "DestinationConfig"), "OnFailure"), "Destination").empty()) return true;
  }
  return false;
}

class HardenPlanner {
 public:
  HardenPlanner(ResponseSession& rs, const HardenRequest& request, const AccountInventory& inventory, int round, const TrailUsage* trail,
                const AnalysisResult* evidence)
      : rs_(rs), request_(request), inv_(inventory), prefix_(RoundPrefix(kHardenPrefix, round)), trail_(trail), evidence_(evidence) {}
  // What could not be planned, with why (said once, after the final plan).
  const std::vector<std::string>& warnings() const { return warnings_; }
  // A fix asked for was refused at planning (not a gap in the read): the run is partial.
  bool incomplete() const { return incomplete_; }

  std::vector<ResponseStep> Plan() {
    for (const FunctionInventory& f : inv_.functions) PlanFunction(f);
    if (Wants("data-events")) {
      for (const RegionInventory& r : inv_.regions) PlanDataEvents(r);
    }
    return std::move(steps_);
  }

 private:
  bool Wants(const char* fix) const { return request_.fixes.count(fix) > 0; }

  StepContext Context(const std::string& middle, const std::string& function) const {
    StepContext ctx = rs_.Context(prefix_ + middle + "/", request_.common);
    ctx.function = function;
    return ctx;
  }

  void Add(ResponseStep step) {
    const bool known = std::any_of(steps_.begin(), steps_.end(), [&](const ResponseStep& s) { return s.key == step.key; });
    if (!known) steps_.push_back(std::move(step));
  }

  void PlanFunction(const FunctionInventory& f) {
    const std::string name = JStr(f.configuration, "FunctionName");
    const StepContext ctx = Context("fn/" + name, name);
    const std::vector<QualifiedStatement> flagged = FlaggedFunctionStatements(inv_, f);
    if (Wants("url-auth")) {
      for (const json& url : f.urls.value_or(json::array())) {
        if (JStr(url, "AuthType") != "NONE") continue;
        const std::string arn = JStr(url, "FunctionArn");
        const auto parts = Split(arn, ':');
        Add(UrlAuthIamStep(ctx, parts.size() > 7 ? std::string(parts[7]) : "", "NONE"));
      }
      for (const auto& [qualifier, s] : flagged) {
        if (IsPublicUrlStatement(s)) Add(RemoveStatementStep(ctx, qualifier, s.sid, s.statement, s.rule_id));
      }
    }
    if (Wants("resource-policy")) {
      for (const auto& [qualifier, s] : flagged) Add(RemoveStatementStep(ctx, qualifier, s.sid, s.statement, s.rule_id));
    }
    if (Wants("dlq") && f.invoke_configs && !HasFailureDestination(f)) {
      json current;
      for (const json& c : *f.invoke_configs) {
        if (JStr(c, "FunctionArn").ends_with(":$LATEST")) current = c;
      }
      Add(OnFailureDestinationStep(ctx, "", request_.on_failure_destination, current));
    }
    if (Wants("own-role")) PlanOwnRole(f, name, ctx);
    if (Wants("code-signing") && f.code_signing) {
      const std::string attached = JStr(*f.code_signing, "CodeSigningConfigArn");
      auto config = inv_.code_signing_configs.find(attached);
      if (!attached.empty() && config == inv_.code_signing_configs.end()) {
        warnings_.push_back(fmt::format("code-signing: {} has config {}, which could not be read: left as it is", name, attached));
        return;
      }
      const bool enforced = config != inv_.code_signing_configs.end() &&
                            JStr(JAt(config->second, "CodeSigningPolicies"), "UntrustedArtifactOnDeployment") == "Enforce";
      if (!enforced) PlanCodeSigning(ctx, attached);
    }
  }

  // The profile the config trusts: given, found by name, or made by a first step.
  void PlanCodeSigning(const StepContext& ctx, const std::string& attached) {
    if (!signing_) signing_ = PlanSigningProfile();
    if (!*signing_) return;  // refused: said once
    const StepContext account = Context("account", "");
    std::string profile_key;
    if ((*signing_)->version_arn.empty()) {
      ResponseStep profile = CreateSigningProfileStep(account, (*signing_)->name);
      profile_key = profile.key;
      Add(std::move(profile));
    }
    ResponseStep create = CreateSigningConfigStep(account, **signing_, profile_key);
    const std::string create_key = create.key;
    Add(std::move(create));
    Add(AttachSigningConfigStep(ctx, create_key, **signing_, attached));
  }

  std::optional<SigningProfileRef> PlanSigningProfile() {
    if (!request_.signing_profile_version_arn.empty()) return SigningProfileRef{request_.signing_profile_version_arn, "", ""};
    const std::string name = SigningProfileName(request_);
    aws::CallParams p;
    p.path["profileName"] = name;
    auto found = rs_.calls->CallIfPresent(aws::Service::kSigner, "GetSigningProfile", p);
    if (!found) {
      warnings_.push_back(fmt::format("code-signing: Signer profile {} could not be read ({}; {}): not planned; or give "
                                      "--signing-profile-version-arn",
                                      name, found.error().message, aws::RemedyFor(found.error())));
      incomplete_ = true;
      return std::nullopt;
    }
    if (!*found) {  // made by the plan's first step
      const std::string function_arn = JStr(inv_.functions.front().configuration, "FunctionArn");
      const auto arn = Split(function_arn, ':');
      const std::string partition = arn.size() > 1 ? std::string(arn[1]) : "aws";
      return SigningProfileRef{"", name, fmt::format("arn:{}:signer:{}:{}:/signing-profiles/{}", partition, rs_.region, inv_.account, name)};
    }
    if (const std::string why = UnusableSigningProfile(**found); !why.empty()) {
      warnings_.push_back(fmt::format("code-signing: Signer profile {} cannot sign Lambda code ({}): not planned; give another "
                                      "--signing-profile-name or --signing-profile-version-arn",
                                      name, why));
      incomplete_ = true;
      return std::nullopt;
    }
    // The default name is guessable: a profile of that name this case did not make may be anyone's
    // (with signing rights granted to another account): trusted only when named on purpose.
    if (request_.signing_profile_name.empty() && !MadeByThisCase(name)) {
      warnings_.push_back(fmt::format("code-signing: a Signer profile {} exists that this case did not make: not trusted unasked; check "
                                      "who may sign with it (aws signer list-profile-permissions --profile-name {}), then give "
                                      "--signing-profile-name {} to trust it",
                                      name, name, name));
      incomplete_ = true;
      return std::nullopt;
    }
    const std::string version = JStr(**found, "profileVersionArn");
    if (version.rfind(fmt::format(":{}:/signing-profiles/{}/", inv_.account, name)) == std::string::npos) {
      warnings_.push_back(fmt::format("code-signing: Signer profile {} answered version {}, not one of this account's profile: not planned",
                                      name, version));
      incomplete_ = true;
      return std::nullopt;
    }
    return SigningProfileRef{version, "", ""};
  }

  // Whether a round of this case's journal made the profile, or began to and stopped (its prior:
  // not there); a step that failed made nothing, and a profile there now is someone else's.
  bool MadeByThisCase(const std::string& name) const {
    if (!rs_.journal) return false;
    auto steps = rs_.journal->Steps(kHardenPrefix);
    for (const JournalStep& s : steps ? *steps : std::vector<JournalStep>{}) {
      if (!s.key.ends_with(fmt::format("/account/{}/{}", kKindSigningProfile, name)) || s.prior_state.empty()) continue;
      if (s.status == StepStatus::kFailed || s.status == StepStatus::kSkipped) continue;
      if (JAt(json::parse(s.prior_state, nullptr, false), "existed") == false) return true;
    }
    return false;
  }

  // own-role: the function's own role, when its role is shared or grants more than its use.
  void PlanOwnRole(const FunctionInventory& f, const std::string& name, const StepContext& ctx) {
    const std::string role_arn = JStr(f.configuration, "Role"), function_arn = JStr(f.configuration, "FunctionArn");
    const std::string role_name = role_arn.substr(role_arn.rfind('/') + 1);
    const std::string own_key = ctx.key_prefix + kKindOwnRole;
    if (role_name == OwnRoleName(name)) {
      PlanAliasMoves(name, ctx, role_arn, "");  // on its own role (a rerun's): aliases left behind follow
      return;
    }
    auto role = inv_.roles.find(role_arn);
    if (role == inv_.roles.end() || !role->second.policies_complete) {
      warnings_.push_back(fmt::format("own-role: the policies of {}'s role {} could not all be read: not moved", name, role_name));
      incomplete_ = true;
      return;
    }
    for (const RolePolicyDocument& p : role->second.policies) {
      if (p.name == kDenyAllPolicyName || p.name == kRevokeSessionsPolicyName) {
        // A new role would not carry containment's deny: the function would run with its grants again.
        warnings_.push_back(fmt::format("own-role: {} not moved: its role {} carries {} (contained); recover first (lambda-ir recover)", name,
                                        role_name, p.name));
        incomplete_ = true;
        return;
      }
    }
    const RoleTampering tampering = evidence_ ? RoleChangesBySuspects(evidence_->findings, evidence_->timeline, role_name) : RoleTampering{};
    std::optional<LeastPrivilege> least;
    if (role->second.last_accessed || (trail_ && trail_->given)) {
      RoleInventory judged = role->second;  // the suspects' policies grant nothing to the new role
      std::erase_if(judged.policies, [&](const RolePolicyDocument& p) {
        return p.kind == "inline" ? tampering.inline_policies.count(p.name) > 0 : tampering.attached_policies.count(p.arn) > 0;
      });
      UsageWitnesses w;
      w.trail = trail_;
      w.last_accessed = &role->second.last_accessed;
      w.now = inv_.read_at;
      w.window_start = inv_.read_at - TimestampMs{request_.usage_window_days} * 24 * 3600 * 1000;
      w.session = name;  // Lambda names the function's sessions after it
      w.lambda_needs = FunctionLambdaNeeds(inv_, f);
      least = ComputeLeastPrivilege(judged, w);
      if (!least->witnessed) least.reset();  // an answer that could not be used: as without one
    }
    bool shared = false;
    for (const FunctionInventory& other : inv_.functions) {
      shared |= JStr(other.configuration, "Role") == role_arn && JStr(other.configuration, "FunctionArn") != function_arn;
    }
    for (const json& other : inv_.other_functions) shared |= JStr(other, "Role") == role_arn;
    if (!shared && !(least && least->reduces)) return;  // its own already, and nothing narrower to give it
    // A rerun finishes the role an earlier run began (its documents are the step's prior).
    json documents;
    if (rs_.journal) {
      auto begun = rs_.journal->Find(own_key);
      if (begun && *begun && !(*begun)->prior_state.empty()) documents = json::parse((*begun)->prior_state, nullptr, false);
    }
    if (!documents.is_object()) {
      auto read = ReadRoleDocuments(*rs_.calls, role_name);
      if (!read) {
        warnings_.push_back(fmt::format("own-role: {}'s role {} could not be read ({}; {}): not moved", name, role_name, read.error().message,
                                        aws::RemedyFor(read.error())));
        return;
      }
      OwnRoleDocuments planned = PlanOwnRoleDocuments(*read, function_arn, least, tampering);
      for (const std::string& n : planned.notes) warnings_.push_back("own-role: " + n);
      documents = std::move(planned.documents);
    }
    // IAM's quota: 10,240 characters of inline policy per role.
    size_t inline_size = 0;
    for (const auto& [policy, document] : JAt(documents, "Inline").items()) inline_size += document.dump().size();
    if (inline_size > 10240) {
      warnings_.push_back(fmt::format("own-role: {} not moved: its policy is {} characters, over IAM's 10,240 for a role's inline policies; "
                                      "apply audit --least-privilege's policy as managed policies by hand",
                                      name, inline_size));
      incomplete_ = true;
      return;
    }
    auto existing = rs_.calls->CallIfPresent(aws::Service::kIam, "GetRole", FormParams({{"RoleName", JStr(documents, "NewRoleName")}}));
    Result<void> ours = existing ? Result<void>() : Result<void>(tl::unexpected(existing.error()));
    if (existing && *existing) ours = CheckOwnRole(*rs_.calls, documents, function_arn);
    if (!ours) {
      warnings_.push_back(fmt::format("own-role: {} not moved: {}", name, ours.error().message));
      incomplete_ = true;
      return;
    }
    Add(OwnRoleStep(ctx, documents));
    const std::string new_arn = role_arn.substr(0, role_arn.find(":role/") + 6) + JStr(documents, "Path", "/").substr(1) +
                                JStr(documents, "NewRoleName");
    PlanAliasMoves(name, ctx, new_arn, own_key);
  }

  // Aliases serving a version that is $LATEST but for the role follow the function to its new
  // role, through a version published after the switch; others are named and left.
  void PlanAliasMoves(const std::string& name, const StepContext& ctx, const std::string& new_role_arn, const std::string& own_key) {
    auto versions = rs_.calls->CallAll(aws::Service::kLambda, "ListVersionsByFunction", LambdaParams(name));
    auto aliases = rs_.calls->CallAll(aws::Service::kLambda, "ListAliases", LambdaParams(name));
    for (const auto* read : {&versions, &aliases}) {
      if (!*read) {
        warnings_.push_back(fmt::format("own-role: {}'s aliases could not be checked ({}; {}): they stay on the old role's versions; "
                                        "run harden again once it can read them",
                                        name, read->error().message, aws::RemedyFor(read->error())));
        incomplete_ = true;
        return;
      }
    }
    std::map<std::string, json> by_version;
    for (const json& v : JArr(*versions, "Versions")) by_version[JStr(v, "Version")] = v;
    const json& latest = by_version["$LATEST"];
    ResponseStep publish = PublishOwnRoleVersionStep(ctx, own_key, JStr(latest, "CodeSha256"));
    const std::string publish_key = publish.key;
    const PublishedVersion published = PublishedVersionIn(rs_.journal.get(), publish_key);
    std::vector<ResponseStep> moves;
    for (const json& a : JArr(*aliases, "Aliases")) {
      const std::string alias = JStr(a, "Name"), version = JStr(a, "FunctionVersion");
      if (version == "$LATEST") continue;  // follows $LATEST, and its role, by itself
      const json& served = by_version[version];
      if (JStr(served, "Role") == new_role_arn || served.is_null()) continue;
      if (!JAt(JAt(a, "RoutingConfig"), "AdditionalVersionWeights").empty()) {
        warnings_.push_back(fmt::format("own-role: alias {} of {} splits traffic between versions: left on them and role {}; move it by "
                                        "hand (aws lambda update-alias) once the versions run on the new role",
                                        alias, name, JStr(served, "Role")));
        incomplete_ = true;
        continue;
      }
      if (!SameButRole(served, latest)) {
        warnings_.push_back(fmt::format("own-role: alias {} of {} serves version {}, whose code or settings differ from $LATEST: it keeps "
                                        "role {}; publish that code under the new role to move it",
                                        alias, name, version, JStr(served, "Role")));
        incomplete_ = true;
        continue;
      }
      moves.push_back(MoveAliasStep(ctx, alias, served, publish_key, published));
    }
    if (moves.empty()) return;
    Add(std::move(publish));
    for (ResponseStep& m : moves) Add(std::move(m));
  }

  void PlanDataEvents(const RegionInventory& r) {
    if (!r.trails) return;  // unread: the gap was said
    std::vector<std::string> unlogged;
    for (const FunctionInventory& f : inv_.functions) {
      if (f.region != r.region) continue;
      const std::string arn = JStr(f.configuration, "FunctionArn");
      switch (TrailCoverage(*r.trails, r.region, arn)) {
        case Coverage::kLogged: break;
        case Coverage::kNotLogged: unlogged.push_back(arn); break;
        case Coverage::kUnknown:
          warnings_.push_back(fmt::format("data-events: whether {} is logged could not be read (see above): left as it is", arn));
          break;
      }
    }
    if (unlogged.empty()) return;
    // A trail known to be logging that covers the region, whose selectors were read: its home region's first.
    const json* chosen = nullptr;
    for (const json& t : *r.trails) {
      const bool here = JAt(t, "IsMultiRegionTrail") == true || JStr(t, "HomeRegion", r.region) == r.region;
      if (!here || JAt(t, "IsLogging") != true || !t.contains("Selectors")) continue;
      if (chosen == nullptr || (JStr(t, "HomeRegion") == r.region && JStr(*chosen, "HomeRegion") != r.region)) chosen = &t;
    }
    if (chosen == nullptr) {
      warnings_.push_back(fmt::format("data-events: no trail known to be logging covers {} to add the selector to; create one first "
                              "(aws cloudtrail create-trail --name NAME --s3-bucket-name BUCKET --is-multi-region-trail, then start-logging)",
                              r.region));
      return;
    }
    const StepContext ctx = Context("region/" + r.region, "");
    Add(AddLambdaDataEventsStep(ctx, JStr(*chosen, "TrailARN"), JStr(*chosen, "HomeRegion", r.region), JAt(*chosen, "Selectors"),
                                unlogged));
  }

  ResponseSession& rs_;
  const HardenRequest& request_;
  const AccountInventory& inv_;
  std::string prefix_;
  std::vector<ResponseStep> steps_;
  std::vector<std::string> warnings_;
  const TrailUsage* trail_;
  const AnalysisResult* evidence_;
  bool incomplete_ = false;
  std::optional<std::optional<SigningProfileRef>> signing_;  // decided at the first function needing it
};

bool AlreadyDone(Journal* journal, const std::string& key) {
  if (journal == nullptr) return false;
  auto recorded = journal->Find(key);
  return recorded && *recorded && (*recorded)->status == StepStatus::kDone;
}

// Runs planned steps: the dry-run's lines, or confirmation, the run and its report.
ResponseStatus Execute(ResponseSession& rs, const ResponseRequest& common, const std::string& verb, std::vector<ResponseStep> steps,
                       ResponseUi& ui, const std::function<void(const RunSummary&)>& on_done) {
  OrderByPhase(&steps);
  if (common.dry_run) {
    for (const ResponseStep& s : steps) {
      if (!AlreadyDone(rs.journal.get(), s.key)) ui.DryRun(s.action);
    }
    return ResponseStatus::kDone;
  }
  if (steps.empty()) {
    ui.Info(fmt::format("{}: nothing to change", verb));
    if (on_done) on_done(RunSummary{});
    return ResponseStatus::kDone;
  }
  if (!ui.Confirm(rs.Header(verb), steps)) return ResponseStatus::kRefused;
  rs.Custody(verb + "-started", json{{"functions", rs.functions}, {"steps", steps.size()}}.dump(), ui);
  StepRun runner(*rs.journal, common.jobs, [&](const StepOutcome& o) { ui.Outcome(o); });
  runner.Add(steps);
  const RunSummary summary = Summarize(runner.Wait());
  ReportSummary(summary, rs.actor, ui);
  rs.Custody(verb + "-finished", json{{"changed", summary.changed}, {"failed", summary.failed}, {"not_tried", summary.skipped}}.dump(), ui);
  if (on_done) on_done(summary);
  if (AllDone(summary)) return ResponseStatus::kDone;
  return summary.changed + summary.done_before > 0 ? ResponseStatus::kPartial : ResponseStatus::kFailed;
}

// A step an earlier run began and did not finish, which the fresh read no longer plans: its
// change is in place (made before that run stopped). Its journal entry is completed as such, so
// undo restores its recorded prior; one that never recorded a prior never changed anything.
void FinishInterrupted(Journal& journal, const std::string& prefix, std::vector<ResponseStep>* steps, ResponseUi& ui) {
  auto begun = journal.Steps(prefix);
  for (const JournalStep& j : begun ? *begun : std::vector<JournalStep>{}) {
    if (j.status == StepStatus::kDone) continue;
    const bool planned = std::any_of(steps->begin(), steps->end(), [&](const ResponseStep& s) { return s.key == j.key; });
    if (planned) continue;
    if (j.prior_state.empty()) {
      if (auto skipped = journal.Skip(j.key, j.action, json{{"skipped", "not needed: a later read found nothing to change"}}.dump());
          !skipped) {
        ui.Warning(fmt::format("harden: the journal could not record {} as not needed: {}", j.key, skipped.error().message));
      }
      continue;
    }
    ResponseStep s;
    s.key = j.key;
    s.action = j.action;
    s.summary = fmt::format("{} (in place: made by the run that stopped)", j.key);
    s.known_prior = json::object();  // the prior recorded first stays
    s.apply = [](const json&) -> Result<json> { return json{{"unchanged", "made by the run that stopped"}}; };
    steps->push_back(std::move(s));
  }
}

// One round's undo, from its done (or interrupted, with a recorded prior) steps, judged by each
// step's prior, not its result: a rerun after a crash finds the change made ("unchanged")
// though this round made it. Keys: harden/rN/fn/NAME/KIND[/ID], harden/rN/region/R/KIND/ID,
// harden/rN/account/KIND.
Result<std::vector<ResponseStep>> PlanUndo(ResponseSession& rs, const ResponseRequest& request, int round, ResponseUi& ui) {
  const std::string from = RoundPrefix(kHardenPrefix, round), to = RoundPrefix(kUndoPrefix, round);
  const auto begun = LIR_TRY(rs.journal->Steps(from));
  std::vector<ResponseStep> steps;
  std::vector<std::string> detaching;
  std::map<std::string, std::vector<std::string>> aliases_back;  // function scope -> its alias undo keys
  std::map<std::string, std::string> published;                   // function scope -> the version own-role published
  for (const JournalStep& s : begun) {
    const std::string rest = s.key.substr(from.size());
    const size_t at = rest.find("/" + std::string(kKindPublishVersion) + "/");
    if (at != std::string::npos && !s.result.empty()) published[rest.substr(0, at)] = JStr(json::parse(s.result, nullptr, false), "Version");
  }
  std::optional<ResponseStep> delete_config;
  for (const JournalStep& s : begun) {
    if (s.status == StepStatus::kSkipped || s.prior_state.empty()) continue;  // never changed anything
    const json prior = json::parse(s.prior_state, nullptr, false);
    const json result = json::parse(s.result.empty() ? "null" : s.result, nullptr, false);
    std::vector<std::string> parts;
    for (std::string_view p : Split(std::string_view(s.key).substr(from.size()), '/')) parts.emplace_back(p);
    size_t scope_len = parts.empty() ? 0 : parts[0] == "account" ? 1 : 2;  // fn/NAME, region/R, account
    if (parts.size() <= scope_len || (parts[0] != "fn" && parts[0] != "region" && parts[0] != "account")) {
      ui.Warning(fmt::format("kept: {}: not a key harden writes", s.key));
      continue;
    }
    std::string scope = parts[0];
    for (size_t i = 1; i < scope_len; ++i) scope += "/" + parts[i];
    const std::string kind = parts[scope_len];
    std::string id;
    for (size_t i = scope_len + 1; i < parts.size(); ++i) id += (id.empty() ? "" : "/") + parts[i];
    StepContext ctx = rs.Context(to + scope + "/", request);
    ctx.function = parts[0] == "fn" ? parts[1] : "";
    RecoveryPlanItem item;
    if (kind == kKindUrl) item = UndoUrlAuth(ctx, id, prior);
    else if (kind == kKindStatement) item = UndoStatementRemoval(ctx, id, prior);
    else if (kind == kKindDestination) item = RecoverDestination(ctx, id, prior);
    else if (kind == kKindDataEvents) item = UndoDataEvents(ctx, id, prior);
    else if (kind == kKindCodeSigning) item = UndoCodeSigning(ctx, prior, result);
    else if (kind == kKindSigningConfig) item = UndoSigningConfig(ctx, prior, result);
    else if (kind == kKindSigningProfile) item = UndoSigningProfile(ctx, prior, result);
    else if (kind == kKindOwnRole) item = UndoOwnRole(ctx, prior);
    else if (kind == kKindAlias) item = UndoAliasMove(ctx, id, prior, result, published[scope]);
    else if (kind == kKindPublishVersion) item = UndoPublishedVersion(ctx, prior, result);
    else item = {false, fmt::format("{}: no undo for this kind of step", s.key), {}};
    if (!item.restorable) {
      ui.Warning(fmt::format("kept: {}", item.reason));
      continue;
    }
    if (kind == kKindCodeSigning) detaching.push_back(item.step.key);
    if (kind == kKindAlias) aliases_back[scope].push_back(item.step.key);
    if (kind == kKindSigningConfig) {
      delete_config = std::move(item.step);
    } else {
      steps.push_back(std::move(item.step));
    }
  }
  if (delete_config) {
    delete_config->needs = detaching;  // in use until every function lets go of it
    steps.push_back(std::move(*delete_config));
  }
  // The new role and the version published under it go only once the aliases are off them.
  for (ResponseStep& s : steps) {
    const bool follows = s.key.ends_with("/" + std::string(kKindOwnRole)) || s.key.find("/" + std::string(kKindPublishVersion) + "/") != std::string::npos;
    if (!follows) continue;
    for (const auto& [scope, keys] : aliases_back) {
      if (s.key.rfind(to + scope + "/", 0) == 0) s.needs.insert(s.needs.end(), keys.begin(), keys.end());
    }
  }
  return steps;
}

}  // namespace

const std::vector<std::string>& HardenFixes() {
  static const std::vector<std::string> fixes = {"own-role", "url-auth", "resource-policy", "dlq", "data-events", "code-signing"};
  return fixes;
}

Result<std::set<std::string>> ParseHardenFixes(const std::string& list) {
  const auto& known = HardenFixes();
  if (list == "all") return std::set<std::string>(known.begin(), known.end());
  std::set<std::string> out;
  for (std::string_view name : Split(list, ',')) {
    name = Trim(name);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("--fixes: unknown fix '{}' (known: {}, all)", name, fmt::join(known, ", ")));
    }
    out.emplace(name);
  }
  return out;
}

ResponseStatus RunHarden(aws::AwsSession& session, const HardenRequest& request, ResponseUi& ui) {
  HardenRequest effective = request;
  // A fix whose flag is missing: an error when asked by name, a warning with --fixes all.
  auto needs = [&](const char* fix, const std::string& value, const char* flag) {
    if (!effective.fixes.count(fix) || !value.empty()) return true;
    if (!request.all) {
      ui.Warning(fmt::format("harden: --fixes {} needs {}", fix, flag));
      return false;
    }
    ui.Warning(fmt::format("harden: {} skipped: it needs {}", fix, flag));
    effective.fixes.erase(fix);
    return true;
  };
  if (!needs("dlq", request.on_failure_destination, "--on-failure-destination ARN")) return ResponseStatus::kBadRequest;
  // Enforcing code signing stops unsigned deploys: under --fixes all only with a profile named.
  if (request.all && request.signing_profile_version_arn.empty() && request.signing_profile_name.empty()) {
    ui.Warning("harden: code-signing skipped: it needs --signing-profile-version-arn ARN or --signing-profile-name NAME (once enforced, "
               "unsigned deploys fail)");
    effective.fixes.erase("code-signing");
  }
  auto opened = OpenResponseSession(session, request.common, "harden", /*create_case=*/true);
  if (!opened) {
    ui.Warning(opened.error().message);
    return opened.error().status;
  }
  ResponseSession& rs = **opened;
  InventoryRequest read;
  read.account = rs.account;
  read.regions = {rs.region};
  read.functions = request.common.functions;
  read.jobs = request.common.jobs;
  const bool own_role = effective.fixes.count("own-role") > 0;
  read.last_accessed = own_role && request.last_accessed;
  read.event_source_mappings = own_role;
  read.alias_policies = read.buckets = effective.fixes.count("url-auth") > 0 || effective.fixes.count("resource-policy") > 0;
  auto inventory = ReadAccountInventory(session, read);
  if (!inventory) {
    ui.Warning(fmt::format("harden: {}", inventory.error().message));
    return ResponseStatus::kFailed;
  }
  for (const InventoryGap& g : inventory->gaps) {
    ui.Warning(fmt::format("harden: {} {} not read ({}): what needs it is not planned; {}", g.what, g.resource, g.error, g.remedy));
  }
  TrailUsage trail;
  std::optional<AnalysisResult> evidence;
  if (own_role && !request.cloudtrail.empty()) {
    std::set<std::string> roles;
    for (const auto& [arn, role] : inventory->roles) roles.insert(arn);
    std::vector<ReadIssue> issues;
    trail = ReadTrailUsage(request.cloudtrail, roles, &issues);
    for (const ReadIssue& i : issues) ui.Warning(fmt::format("harden: --cloudtrail: {} {}: {}", i.file, i.position, i.message));
    if (trail.sources.empty()) {
      ui.Warning("harden: --cloudtrail: no CloudTrail file found: no trail witnesses use");
      trail.given = false;
    }
  }
  if (own_role && !request.evidence.empty()) evidence = AnalyzeEvidence({request.evidence});
  int round = rs.journal ? LatestRound(*rs.journal) : 0;
  if (round == 0 || Undone(*rs.journal, round)) ++round;
  HardenPlanner planner(rs, effective, *inventory, round, &trail, evidence ? &*evidence : nullptr);
  std::vector<ResponseStep> steps = planner.Plan();
  // A change this round made that the fresh read finds to make again was undone meanwhile (by
  // hand, or an attacker): a new round makes it again and journals its own prior.
  const bool redo = std::any_of(steps.begin(), steps.end(), [&](const ResponseStep& s) { return AlreadyDone(rs.journal.get(), s.key); });
  std::optional<HardenPlanner> again;
  if (redo) {
    again.emplace(rs, effective, *inventory, ++round, &trail, evidence ? &*evidence : nullptr);
    steps = again->Plan();
  }
  const HardenPlanner& final_plan = again ? *again : planner;
  for (const std::string& w : final_plan.warnings()) ui.Warning("harden: " + w);
  if (rs.journal) FinishInterrupted(*rs.journal, RoundPrefix(kHardenPrefix, round), &steps, ui);
  if (effective.fixes.count("code-signing") && !steps.empty() && !request.common.dry_run) {
    const std::string profile = request.signing_profile_version_arn.empty() ? SigningProfileName(request) : "PROFILE";
    ui.Warning(fmt::format("harden: once code signing is enforced, deploys of unsigned packages fail; sign them first: aws signer "
                           "start-signing-job --source 's3={{bucket=B,key=K,version=V}}' --destination 's3={{bucket=B,prefix=signed/}}' "
                           "--profile-name {}",
                           profile));
  }
  const ResponseStatus status = Execute(rs, request.common, "harden", std::move(steps), ui, nullptr);
  const bool whole = inventory->gaps.empty() && !final_plan.incomplete();
  return whole || status != ResponseStatus::kDone ? status : ResponseStatus::kPartial;
}

ResponseStatus RunHardenUndo(aws::AwsSession& session, const ResponseRequest& request, ResponseUi& ui) {
  auto opened = OpenResponseSession(session, request, "harden --undo", /*create_case=*/false);
  if (!opened) {
    ui.Warning(opened.error().message);
    return opened.error().status;
  }
  ResponseSession& rs = **opened;
  if (!rs.journal) {
    ui.Warning("harden --undo: --case must name the case whose journal recorded the hardening");
    return ResponseStatus::kBadRequest;
  }
  std::vector<int> rounds;  // not undone yet, newest first: each undone after the ones made after it
  for (int r = LatestRound(*rs.journal); r >= 1; --r) {
    if (!Undone(*rs.journal, r)) rounds.push_back(r);
  }
  if (rounds.empty()) {
    ui.Info("harden --undo: the journal has no hardening to undo");
    return ResponseStatus::kDone;
  }
  std::vector<ResponseStep> steps;
  std::string newer;  // the undo prefix of the round undone before this one
  for (const int round : rounds) {
    auto planned = PlanUndo(rs, request, round, ui);
    if (!planned) {
      ui.Warning(fmt::format("harden --undo: {}", planned.error().message));
      return ResponseStatus::kCaseError;
    }
    for (ResponseStep& s : *planned) {
      if (!newer.empty()) s.after.push_back(newer);
      s.phase += 10 * static_cast<int>(&round - rounds.data());  // printed in the order they run
      steps.push_back(std::move(s));
    }
    newer = RoundPrefix(kUndoPrefix, round);
  }
  const ResponseRequest& common = request;
  return Execute(rs, common, "harden-undo", std::move(steps), ui, [&](const RunSummary& summary) {
    if (!AllDone(summary)) return;
    std::vector<ResponseStep> markers;
    for (const int round : rounds) {
      ResponseStep marker;
      marker.key = RoundPrefix(kUndoPrefix, round) + "complete";
      marker.action = "(journal) harden round undone";
      marker.summary = fmt::format("hardening round {} is undone", round);
      marker.known_prior = json::object();
      marker.apply = [](const json&) -> Result<json> { return json{{"undone", true}}; };
      markers.push_back(std::move(marker));
    }
    RunSteps(*rs.journal, markers, 1, nullptr);
  });
}

}  // namespace lir
