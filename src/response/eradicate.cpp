#include "response/eradicate.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/case_analysis.h"
#include "analysis/pre_incident.h"
#include "analysis/suspect_functions.h"
#include "core/hashing.h"
#include "core/json_util.h"
#include "core/safe_name.h"
#include "core/strings.h"
#include "evidence/function_collector.h"
#include "response/attacker_footholds.h"
#include "response/contain_plan.h"
#include "response/eradicate_steps.h"
#include "response/response_report.h"
#include "response/role_recreation.h"
#include "sources/event.h"
#include "sources/known_good.h"

namespace lir {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

Result<json> ReadJsonFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, fmt::format("{} {}: cannot read", what, path));
  std::stringstream s;
  s << in.rdbuf();
  json doc = json::parse(s.str(), nullptr, false);
  if (!doc.is_object()) return MakeError(ErrorCode::kCorruptInput, fmt::format("{} {}: not a JSON object", what, path));
  return doc;
}

// Where the files the printed aws CLI lines name are kept: the case, or for a dry run
// without one a private directory (0700, files 0600), named on stderr.
class FileKeeper {
 public:
  FileKeeper(EvidenceCase* evidence, ResponseUi& ui) : evidence_(evidence), ui_(ui) {}

  Result<std::string> Keep(const std::string& relative, const std::string& bytes, const char* why) {
    if (evidence_ != nullptr) {
      const std::string full = evidence_->dir() + "/" + relative;
      std::error_code ec;
      if (!fs::exists(full, ec)) LIR_CHECK(evidence_->AddArtifact(relative, bytes, {"local", why, ""}));
      return full;
    }
    if (dir_.empty()) {
      std::string tmpl = (fs::temp_directory_path() / "lambda-ir-dry-run-XXXXXX").string();
      if (mkdtemp(tmpl.data()) == nullptr) return MakeError(ErrorCode::kIo, "cannot create a directory for the dry run's files");
      dir_ = tmpl;
      ui_.Warning(fmt::format("the files these lines name are in {} (readable only by you); delete it when done", dir_));
    }
    const std::string full = dir_ + "/" + fs::path(relative).filename().string();
    const int fd = open(full.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return MakeError(ErrorCode::kIo, fmt::format("{}: cannot write", full));
    const bool ok = write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    close(fd);
    if (!ok) return MakeError(ErrorCode::kIo, fmt::format("{}: cannot write", full));
    return full;
  }

 private:
  EvidenceCase* evidence_;
  ResponseUi& ui_;
  std::string dir_;
};

// The newest version in the case's snapshot configured before the incident's first high or
// critical finding about the function.
Result<std::string> PreIncidentVersionOf(const std::string& case_dir, const std::string& function, const AnalysisResult& analysis,
                                         ResponseUi& ui) {
  const auto start = IncidentStart(analysis.findings, function);
  if (!start) return MakeError(ErrorCode::kNotFound, fmt::format("pre-incident: no high or critical finding about {}", function));
  std::vector<VersionConfig> versions;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(case_dir + "/" + FunctionArtifactDir(function), ec)) {
    if (entry.path().filename().string().rfind("version-", 0) != 0) continue;
    auto doc = ReadJsonFile(entry.path().string() + "/function.json", "version");
    if (!doc) continue;
    const json& c = JAt(*doc, "Configuration");
    versions.push_back({JStr(c, "Version"), ParseIso8601(JStr(c, "LastModified")).value_or(0)});
  }
  auto version = PreIncidentVersion(versions, *start);
  if (!version) {
    return MakeError(ErrorCode::kNotFound, fmt::format("pre-incident: no published version of {} was configured before {} (the first "
                                                       "finding); give a GetFunctionConfiguration JSON from version control instead",
                                                       function, FormatIso8601(*start)));
  }
  ui.Info(fmt::format("pre-incident configuration: version {} (the incident's first finding about {} is at {})", *version, function,
                      FormatIso8601(*start)));
  return *version;
}

// FILE, version:N from the case's snapshot (a published version keeps its whole
// configuration, env values included, which CloudTrail never records), or pre-incident.
Result<json> LoadKnownGoodConfiguration(const EradicateRequest& request, const std::string& function, const AnalysisResult* analysis,
                                        ResponseUi& ui) {
  std::string spec = request.restore_config;
  const std::string& case_dir = request.common.case_dir;
  if (spec == "pre-incident") {
    if (case_dir.empty() || analysis == nullptr) return MakeError(ErrorCode::kInvalidArgument, "--restore-config pre-incident needs --case");
    spec = "version:" + LIR_TRY(PreIncidentVersionOf(case_dir, function, *analysis, ui));
  }
  if (spec.rfind("version:", 0) == 0) {
    if (case_dir.empty()) return MakeError(ErrorCode::kInvalidArgument, "--restore-config version:N needs --case");
    return ReadJsonFile(case_dir + "/" + FunctionArtifactDir(function) + "/version-" + SafeName(spec.substr(8)) + "/function.json",
                        "--restore-config");
  }
  return ReadJsonFile(spec, "--restore-config");
}

// Versions whose code, time or role the eradication replaces: the aliases on them move.
struct Taint {
  std::set<std::string> code;             // CodeSha256 flagged, or the $LATEST code being replaced
  std::optional<TimestampMs> since;       // published at or after the incident began
  std::string role;                       // run with the role being replaced
  std::string Why(const json& version) const {
    if (code.count(JStr(version, "CodeSha256"))) return "its code is the code replaced";
    if (since && ParseIso8601(JStr(version, "LastModified")).value_or(0) >= *since) return "published since the incident began";
    if (!role.empty() && JStr(version, "Role") == role) return "it runs with the old role";
    return "";
  }
};

struct Plan {
  std::vector<ResponseStep> steps;
  std::vector<std::string> fix_keys;  // the $LATEST changes a new version follows
};

}  // namespace

ResponseStatus RunEradicate(aws::AwsSession& session, const EradicateRequest& request, ResponseUi& ui) {
  if (request.delete_functions.empty() && !request.delete_attacker_functions && request.redeploy.empty() && request.restore_config.empty() &&
      !request.revoke_sessions && !request.recreate_role && !request.attacker_iam) {
    ui.Warning("eradicate: say what to do: --delete-function, --delete-attacker-functions, --redeploy, --restore-config, "
               "--revoke-sessions, --recreate-role or --attacker-iam");
    return ResponseStatus::kBadRequest;
  }
  auto opened = OpenResponseSession(session, request.common, "eradicate", /*create_case=*/true);
  if (!opened) {
    ui.Warning(opened.error().message);
    return opened.error().status;
  }
  ResponseSession& rs = **opened;
  const std::string function = rs.functions.front();
  StepContext ctx = rs.Context("eradicate/" + function + "/", request.common);
  ctx.function = function;
  if (rs.evidence) ui.Info(fmt::format("case {}", rs.evidence->dir()));
  // Nothing that rewrites configuration runs before the snapshot is stored: environment
  // values are recorded nowhere else.
  if (rs.evidence && !HasFunctionSnapshot(rs.evidence->dir(), function)) {
    ui.Info(fmt::format("collecting the configuration snapshot of {} into the case first", function));
    CollectOptions options;
    options.packages = !request.common.skip_packages;
    options.jobs = request.common.jobs;
    auto collected = CollectFunctionConfiguration(session, *rs.evidence, function, options);
    if (!collected || !HasFunctionSnapshot(rs.evidence->dir(), function)) {
      ui.Warning(fmt::format("eradicate: no configuration snapshot of {}, so nothing changed: {}", function,
                             collected ? "GetFunction failed" : collected.error().message + " (" + aws::RemedyFor(collected.error()) + ")"));
      return ResponseStatus::kFailed;
    }
    for (const auto& f : collected->failures) ui.Warning(fmt::format("snapshot: {}", f));
  }

  // What the evidence says (the case by default): analysed once, when something needs it.
  const std::string evidence_path = request.evidence.empty() ? request.common.case_dir : request.evidence;
  std::optional<AnalysisResult> analysis;
  if (!evidence_path.empty() && (request.delete_attacker_functions || request.attacker_iam || request.recreate_role ||
                                 !request.redeploy.empty() || !request.restore_config.empty())) {
    analysis = AnalyzeEvidence({evidence_path});
    std::set<std::string> accounts;
    for (const Finding& f : analysis->findings) {
      if (!f.account.empty()) accounts.insert(f.account);
    }
    if (!accounts.empty() && !accounts.count(rs.account)) {
      ui.Warning(fmt::format("eradicate: the evidence in {} is of account {}, but these credentials act on account {}: nothing in it "
                             "can name what to change here. Nothing changed.",
                             evidence_path, fmt::join(accounts, ", "), rs.account));
      return ResponseStatus::kRefused;
    }
  } else if (request.delete_attacker_functions || request.attacker_iam) {
    ui.Warning("eradicate: --delete-attacker-functions and --attacker-iam need --evidence or --case");
    return ResponseStatus::kBadRequest;
  }

  Plan plan;
  // Deletions: the named functions and the suspects' (matched by full ARN).
  std::vector<std::string> to_delete;
  for (const auto& ref : request.delete_functions) to_delete.emplace_back(FunctionNameFromRef(ref));
  if (request.delete_attacker_functions) {
    for (const auto& s : FunctionsCreatedBySuspects(analysis->findings)) {
      const std::string wanted = fmt::format(":lambda:{}:{}:function:{}", rs.region, rs.account, s.name);
      if (s.arn.find(wanted) == std::string::npos) {
        ui.Warning(fmt::format("attacker's function {} is not in account {} region {}: left alone here", s.arn, rs.account, rs.region));
        continue;
      }
      ui.Info(fmt::format("attacker's function {}: created by {} at {} ({})", s.arn, s.creator, FormatIso8601(s.created_at), s.because));
      to_delete.push_back(s.name);
    }
  }
  for (const auto& name : to_delete) {
    if (name == function && (!request.redeploy.empty() || !request.restore_config.empty() || request.recreate_role)) {
      ui.Warning(fmt::format("eradicate: {} is both to be deleted and fixed", function));
      return ResponseStatus::kBadRequest;
    }
    StepContext victim = ctx;
    victim.function = name;
    aws::AwsSession* aws = rs.aws;
    EvidenceCase* evidence = rs.evidence.get();
    const bool packages = !request.common.skip_packages;
    const int jobs = request.common.jobs;
    plan.steps.push_back(DeleteFunctionStep(victim, name, [aws, evidence, name, packages, jobs]() -> Result<std::string> {
      const std::string snapshot = FunctionArtifactDir(name) + "/function.json";
      if (HasFunctionSnapshot(evidence->dir(), name)) return snapshot;
      CollectOptions options;
      options.packages = packages;
      options.jobs = jobs;
      LIR_CHECK(CollectFunctionConfiguration(*aws, *evidence, name, options));
      if (!HasFunctionSnapshot(evidence->dir(), name)) return MakeError(ErrorCode::kNotFound, fmt::format("{} could not be collected: not deleted", name));
      return snapshot;
    }));
  }

  FileKeeper files(rs.evidence.get(), ui);
  // The $LATEST before any fix: the code it runs is the code a redeploy replaces.
  json latest;
  if (!request.redeploy.empty() || !request.restore_config.empty() || request.recreate_role) {
    auto config = rs.calls->Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(function));
    if (!config) {
      ui.Warning(fmt::format("eradicate: {} ({})", config.error().message, aws::RemedyFor(config.error())));
      return ResponseStatus::kFailed;
    }
    latest = *config;
  }
  Taint taint;
  if (!request.redeploy.empty()) {
    auto zip = LoadKnownGoodZip(request.redeploy);
    if (!zip) {
      ui.Warning(fmt::format("eradicate --redeploy: {}", zip.error().message));
      return ResponseStatus::kBadRequest;
    }
    auto path = files.Keep("artifacts/redeploy/" + SafeName(function) + "-" + Sha256Hex(*zip).substr(0, 16) + ".zip", *zip, "redeploy-package");
    if (!path) {
      ui.Warning(path.error().message);
      return ResponseStatus::kCaseError;
    }
    ui.Info(fmt::format("redeploy {}: {} bytes, CodeSha256 {}", request.redeploy, zip->size(), LambdaCodeSha256(*zip)));
    ResponseStep step = RedeployStep(ctx, std::move(*zip), *path);
    // The code it replaces: as recorded by a run that began it (live, $LATEST may be ours by now).
    std::string replaced = JStr(latest, "CodeSha256");
    if (rs.journal) {
      auto begun = rs.journal->Find(step.key);
      if (begun && *begun && !(*begun)->prior_state.empty()) replaced = JStr(json::parse((*begun)->prior_state, nullptr, false), "CodeSha256");
    }
    taint.code.insert(replaced);
    plan.fix_keys.push_back(step.key);
    plan.steps.push_back(std::move(step));
  }
  if (!request.restore_config.empty()) {
    auto known = LoadKnownGoodConfiguration(request, function, analysis ? &*analysis : nullptr, ui);
    if (!known) {
      ui.Warning(fmt::format("eradicate: {}", known.error().message));
      return ResponseStatus::kBadRequest;
    }
    const json target = RestorableConfiguration(*known);
    const std::string environment = target["Environment"].dump();
    auto path = files.Keep("artifacts/restore/" + SafeName(function) + "-environment-" + RestoreDigest(target, request.restore_config) + ".json",
                           environment, "restore-config-environment");
    if (!path) {
      ui.Warning(path.error().message);
      return ResponseStatus::kCaseError;
    }
    ResponseStep step = RestoreConfigStep(ctx, target, *path, request.restore_config);
    step.after = {ctx.key_prefix + kKindRedeploy + "/"};  // Lambda takes one update at a time
    plan.fix_keys.push_back(step.key);
    plan.steps.push_back(std::move(step));
  }
  if (analysis && (!request.redeploy.empty() || !request.restore_config.empty())) {
    if (!request.common.case_dir.empty()) {
      for (const auto& sha : FlaggedCodeSha256s(request.common.case_dir, function, analysis->findings)) taint.code.insert(sha);
    }
    taint.since = IncidentStart(analysis->findings, function);
  }
  if (request.revoke_sessions) {
    const std::string role_arn = JStr(latest, "Role");
    std::string role = role_arn.substr(role_arn.rfind('/') + 1);
    if (role.empty()) {
      auto config = rs.calls->Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(function));
      if (!config) {
        ui.Warning(fmt::format("eradicate: {} ({})", config.error().message, aws::RemedyFor(config.error())));
        return ResponseStatus::kFailed;
      }
      role = JStr(*config, "Role").substr(JStr(*config, "Role").rfind('/') + 1);
    }
    const TimestampMs now = NowMs();
    ResponseStep step = InlinePolicyStep(ctx, kKindRevokeSessions, role, kRevokeSessionsPolicyName, RevokeOlderSessionsDocument(now));
    // Keyed by the minute: a rerun after a crash finishes it, a revocation later is a new one.
    step.key += "/" + FormatIso8601(now).substr(0, 16);
    plan.steps.push_back(std::move(step));
  }
  std::optional<json> old_role;
  if (request.recreate_role) {
    // The documents and the replacement's name: from the journal when an earlier run began it
    // (a rerun finishes that role), else read now and cleaned of the attacker's parts.
    json documents;
    if (rs.journal) {
      auto begun = rs.journal->Find(ctx.key_prefix + kKindRecreateRole);
      if (begun && *begun && !(*begun)->prior_state.empty()) documents = json::parse((*begun)->prior_state, nullptr, false);
    }
    if (!documents.is_object()) {
      const std::string role_arn = JStr(latest, "Role");
      auto read = ReadRoleDocuments(*rs.calls, role_arn.substr(role_arn.rfind('/') + 1));
      if (!read) {
        ui.Warning(fmt::format("eradicate --recreate-role: {} ({})", read.error().message, aws::RemedyFor(read.error())));
        return ResponseStatus::kFailed;
      }
      const RoleTampering tampering =
          analysis ? RoleChangesBySuspects(analysis->findings, analysis->timeline, JStr(*read, "RoleName")) : RoleTampering{};
      CleanRole clean = CleanRoleDocuments(*read, rs.account, tampering, request.keep);
      for (const auto& l : clean.left_out) ui.Warning(fmt::format("left out of the new role: {} (--keep NAME copies it)", l));
      documents = std::move(clean.documents);
      documents["OldRole"] = *read;
      documents["LeftOut"] = clean.left_out;
      documents["NewRoleName"] = ReplacementRoleName(JStr(*read, "RoleName"), NowMs());
    }
    ResponseStep step = RecreateRoleStep(ctx, documents);
    step.after = {ctx.key_prefix + kKindRedeploy + "/", ctx.key_prefix + kKindRestoreConfig + "/"};  // one update at a time
    plan.fix_keys.push_back(step.key);
    plan.steps.push_back(std::move(step));
    old_role = JAt(documents, "OldRole");
    taint.role = JStr(*old_role, "Arn");
  }

  // $LATEST fixed: a version of it, and every alias (and provisioned config) off the tainted ones.
  std::vector<std::string> old_role_versions;
  if (!plan.fix_keys.empty()) {
    auto versions = rs.calls->CallAll(aws::Service::kLambda, "ListVersionsByFunction", LambdaParams(function));
    auto aliases = rs.calls->CallAll(aws::Service::kLambda, "ListAliases", LambdaParams(function));
    auto provisioned = rs.calls->CallAll(aws::Service::kLambda, "ListProvisionedConcurrencyConfigs", LambdaParams(function));
    for (const auto* read : {&versions, &aliases}) {
      if (!*read) {
        ui.Warning(fmt::format("eradicate: {} ({}): aliases on tainted versions cannot be moved", read->error().message,
                               aws::RemedyFor(read->error())));
        return ResponseStatus::kFailed;
      }
    }
    ResponseStep publish = PublishVersionStep(ctx, plan.fix_keys, "lambda-ir eradicate: the fixed $LATEST");
    const std::string publish_key = publish.key;
    std::string ours;  // the version an earlier run of this eradication published: clean by definition
    if (rs.journal) {
      auto published = rs.journal->Find(publish_key);
      if (published && *published && (*published)->status == StepStatus::kDone) ours = JStr(json::parse((*published)->result, nullptr, false), "Version");
    }
    std::map<std::string, std::string> tainted;  // version -> why
    for (const auto& v : JArr(*versions, "Versions")) {
      const std::string why = taint.Why(v);
      if (JStr(v, "Version") != "$LATEST" && JStr(v, "Version") != ours && !why.empty()) tainted[JStr(v, "Version")] = why;
    }
    const PublishedVersion published = PublishedVersionIn(rs.journal.get(), publish_key);
    std::vector<ResponseStep> repoints;
    for (const auto& a : JArr(*aliases, "Aliases")) {
      std::string from = JStr(a, "FunctionVersion");
      bool moves_off = tainted.count(from) > 0;
      for (const auto& [weighted, _] : JAt(JAt(a, "RoutingConfig"), "AdditionalVersionWeights").items()) {
        if (tainted.count(weighted)) {
          moves_off = true;
          from += "+" + weighted;
        }
      }
      if (!moves_off) continue;
      ui.Info(fmt::format("alias {} serves version {}: {}", JStr(a, "Name"), from, tainted.count(JStr(a, "FunctionVersion")) ? tainted[JStr(a, "FunctionVersion")] : "weighted routing to a tainted version"));
      repoints.push_back(RepointAliasStep(ctx, JStr(a, "Name"), from, publish_key, published));
    }
    if (!provisioned) {
      // Provisioned concurrency on a tainted version keeps serving it: not knowing is a failure.
      plan.steps.push_back(FailedPlanTask(ctx, "provisioned-concurrency",
                                          fmt::format("provisioned concurrency of {} on tainted versions: moved", function), provisioned.error()));
    } else {
      for (const auto& p : JArr(*provisioned, "ProvisionedConcurrencyConfigs")) {
        const std::string q = QualifierOfArn(JStr(p, "FunctionArn"));
        if (tainted.count(q)) {
          repoints.push_back(MoveProvisionedStep(ctx, q, static_cast<int>(JInt(p, "RequestedProvisionedConcurrentExecutions", 0)), publish_key, published));
        }
      }
    }
    for (const auto& v : JArr(*versions, "Versions")) {
      if (!taint.role.empty() && JStr(v, "Role") == taint.role && JStr(v, "Version") != "$LATEST") old_role_versions.push_back(JStr(v, "Version"));
    }
    if (!repoints.empty() || request.recreate_role) plan.steps.push_back(std::move(publish));
    for (auto& r : repoints) plan.steps.push_back(std::move(r));
  }
  if (old_role && !request.keep_old_role) {
    ResponseStep step = DeleteOldRoleStep(ctx, *old_role);
    step.needs = {ctx.key_prefix + kKindRecreateRole, ctx.key_prefix + kKindAlias + "/", ctx.key_prefix + kKindMoveProvisioned + "/"};
    plan.steps.push_back(std::move(step));
    if (!old_role_versions.empty()) {
      ui.Warning(fmt::format("versions {} keep the old role: once it is deleted they cannot run (no alias serves them any more)",
                             fmt::join(old_role_versions, ", ")));
    }
  }
  if (request.attacker_iam) {
    for (auto& step : PlanFootholdSteps(rs, ctx, ResourcesCreatedBySuspects(analysis->findings, analysis->timeline), ui)) {
      plan.steps.push_back(std::move(step));
    }
  }

  OrderByPhase(&plan.steps);
  if (request.common.dry_run) {
    for (const auto& s : plan.steps) {
      if (rs.journal) {
        auto recorded = rs.journal->Find(s.key);
        if (recorded && *recorded && (*recorded)->status == StepStatus::kDone) continue;
      }
      for (std::string_view line : Split(s.action, '\n')) ui.DryRun(std::string(line));
    }
    return ResponseStatus::kDone;
  }
  if (!ui.Confirm(rs.Header("eradicate"), plan.steps)) return ResponseStatus::kRefused;
  rs.Custody("eradicate-started", json{{"function", function}, {"steps", plan.steps.size()}}.dump(), ui);
  StepRun runner(*rs.journal, request.common.jobs, [&](const StepOutcome& o) { ui.Outcome(o); });
  runner.Add(plan.steps);
  const RunSummary summary = Summarize(runner.Wait());
  ReportSummary(summary, rs.actor, ui);
  rs.Custody("eradicate-finished",
             json{{"function", function}, {"changed", summary.changed}, {"failed", summary.failed}, {"not_tried", summary.skipped}}.dump(),
             ui);
  return AllDone(summary) ? ResponseStatus::kDone : summary.changed + summary.done_before > 0 ? ResponseStatus::kPartial : ResponseStatus::kFailed;
}

}  // namespace lir
