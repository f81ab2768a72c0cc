#include <filesystem>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/pre_incident.h"
#include "analysis/suspect_functions.h"
#include "cli/analysis_runner.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/response_common.h"
#include "core/hashing.h"
#include "core/json_util.h"
#include "core/strings.h"
#include "evidence/function_collector.h"
#include "response/eradicate_steps.h"
#include "response/role_recreation.h"
#include "sources/known_good.h"

namespace lir {
namespace {

using nlohmann::json;

struct EradicateArgs {
  ResponseArgs response;
  std::vector<std::string> delete_functions;
  bool delete_attacker_functions = false;
  std::string evidence;  // where analysis looks for the attacker's functions (default: the case)
  std::string redeploy;
  std::string restore_config;
  bool revoke_sessions = false;
  bool recreate_role = false;
  bool keep_old_role = false;
};

// Stores `bytes` in the case under `relative` unless an earlier run did; returns the full path.
Result<std::string> KeepInCase(ResponseSession& rs, const std::string& relative, const std::string& bytes, const char* why) {
  const std::string full = rs.evidence->dir() + "/" + relative;
  std::error_code ec;
  if (!std::filesystem::exists(full, ec)) LIR_CHECK(rs.evidence->AddArtifact(relative, bytes, {"local", why, ""}));
  return full;
}

Result<json> ReadJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, fmt::format("--restore-config {}: cannot read", path));
  std::stringstream s;
  s << in.rdbuf();
  json doc = json::parse(s.str(), nullptr, false);
  if (!doc.is_object()) return MakeError(ErrorCode::kCorruptInput, fmt::format("--restore-config {}: not a JSON object", path));
  return doc;
}

// The newest version in the case's snapshot configured before the incident's first high or
// critical finding about the function (findings from --evidence, default the case).
Result<std::string> PreIncidentVersionOf(const EradicateArgs& args, const std::string& function) {
  AnalyzeArgs analyze;
  analyze.paths = {args.evidence.empty() ? args.response.case_dir : args.evidence};
  auto run = LIR_TRY(ExecuteAnalysis(analyze));
  const auto start = IncidentStart(run.result.findings, function);
  if (!start) return MakeError(ErrorCode::kNotFound, fmt::format("pre-incident: no high or critical finding about {} in {}", function, analyze.paths.front()));
  std::vector<VersionConfig> versions;
  std::error_code ec;
  const std::string dir = args.response.case_dir + "/" + FunctionArtifactDir(function);
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().rfind("version-", 0) != 0) continue;
    auto doc = ReadJsonFile(entry.path().string() + "/function.json");
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
  fmt::print("pre-incident configuration: version {} (the incident's first finding about {} is at {})\n", *version, function,
             FormatIso8601(*start));
  return *version;
}

// FILE, version:N from the case's snapshot (a published version keeps its whole
// configuration, env values included, which CloudTrail never records), or pre-incident.
Result<json> LoadKnownGoodConfiguration(const EradicateArgs& args, const ResponseSession& rs) {
  std::string spec = args.restore_config;
  if (spec == "pre-incident") {
    if (args.response.case_dir.empty()) return MakeError(ErrorCode::kInvalidArgument, "--restore-config pre-incident needs --case");
    spec = "version:" + LIR_TRY(PreIncidentVersionOf(args, rs.function));
  }
  if (spec.rfind("version:", 0) == 0) {
    const std::string version = spec.substr(8);
    if (args.response.case_dir.empty()) return MakeError(ErrorCode::kInvalidArgument, "--restore-config version:N needs --case");
    return ReadJsonFile(args.response.case_dir + "/" + FunctionArtifactDir(rs.function) + "/version-" + SafeName(version) + "/function.json");
  }
  return ReadJsonFile(spec);
}

Result<std::vector<SuspectFunction>> AttackerFunctions(const EradicateArgs& args) {
  AnalyzeArgs analyze;
  analyze.paths = {args.evidence.empty() ? args.response.case_dir : args.evidence};
  if (analyze.paths.front().empty()) return MakeError(ErrorCode::kInvalidArgument, "--delete-attacker-functions needs --evidence or --case");
  auto run = LIR_TRY(ExecuteAnalysis(analyze));
  return FunctionsCreatedBySuspects(run.result.findings);
}

// The role's documents and its replacement's name: from the journal when an earlier run
// began it (so a rerun finishes that role), else read now.
Result<ResponseStep> RecreateRolePlan(const EradicateArgs& args, ResponseSession& rs, const StepContext& ctx) {
  json documents;
  if (rs.journal) {
    auto begun = LIR_TRY(rs.journal->Find(ctx.key_prefix + kKindRecreateRole));
    if (begun && !begun->prior_state.empty()) documents = json::parse(begun->prior_state, nullptr, false);
  }
  if (!documents.is_object()) {
    const json config = LIR_TRY(rs.calls->Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(rs.function)));
    const std::string role_arn = JStr(config, "Role");
    documents = LIR_TRY(ReadRoleDocuments(*rs.calls, role_arn.substr(role_arn.rfind('/') + 1)));
    documents["NewRoleName"] = ReplacementRoleName(JStr(documents, "RoleName"), NowMs());
  }
  return RecreateRoleStep(ctx, documents, !args.keep_old_role);
}

int RunEradicate(const EradicateArgs& args) {
  if (args.delete_functions.empty() && !args.delete_attacker_functions && args.redeploy.empty() && args.restore_config.empty() &&
      !args.revoke_sessions && !args.recreate_role) {
    fmt::print(stderr, "lambda-ir: eradicate: say what to do: --delete-function, --delete-attacker-functions, --redeploy, "
                       "--restore-config, --revoke-sessions or --recreate-role\n");
    return kExitUsage;
  }
  std::vector<std::string> to_delete = args.delete_functions;
  if (args.delete_attacker_functions) {
    auto suspects = AttackerFunctions(args);
    if (!suspects) {
      fmt::print(stderr, "lambda-ir: eradicate: {}\n", suspects.error().message);
      return kExitNoInput;
    }
    for (const auto& s : *suspects) {
      fmt::print("attacker's function {}: created by {} at {} ({})\n", SanitizeForTerminal(s.name), SanitizeForTerminal(s.creator),
                 FormatIso8601(s.created_at), SanitizeForTerminal(s.because));
      to_delete.push_back(s.name);
    }
    if (suspects->empty()) fmt::print("analysis found no function created by a suspect principal\n");
  }
  int exit_code = kExitOk;
  auto rs = OpenResponse(args.response, "eradicate", &exit_code);
  if (!rs) return exit_code;
  for (const auto& name : to_delete) {
    if (FunctionNameFromRef(name) == rs->function && (!args.redeploy.empty() || !args.restore_config.empty())) {
      fmt::print(stderr, "lambda-ir: eradicate: {} is both to be deleted and redeployed\n", SanitizeForTerminal(rs->function));
      return kExitUsage;
    }
  }
  const StepContext ctx = rs->Context("eradicate/" + rs->function + "/", args.response);
  std::vector<ResponseStep> steps;
  ResponseSession* session = rs.get();
  for (const auto& ref : to_delete) {
    const std::string name(FunctionNameFromRef(ref));
    StepContext victim = ctx;
    victim.function = name;
    steps.push_back(DeleteFunctionStep(victim, name, [session, name, &args]() -> Result<std::string> {
      const std::string snapshot = FunctionArtifactDir(name) + "/function.json";
      std::error_code ec;
      if (std::filesystem::exists(session->evidence->dir() + "/" + snapshot, ec)) return snapshot;
      CollectOptions options;
      options.packages = !args.response.skip_packages;
      options.jobs = args.response.jobs;
      LIR_CHECK(CollectFunctionConfiguration(*session->live->session, *session->evidence, name, options));
      if (!std::filesystem::exists(session->evidence->dir() + "/" + snapshot, ec)) {
        return MakeError(ErrorCode::kNotFound, fmt::format("{} could not be collected: not deleted", name));
      }
      return snapshot;
    }));
  }
  if (!args.redeploy.empty()) {
    auto zip = LoadKnownGoodZip(args.redeploy);
    if (!zip) {
      fmt::print(stderr, "lambda-ir: eradicate --redeploy: {}\n", zip.error().message);
      return kExitNoInput;
    }
    const std::string relative = "artifacts/redeploy/" + SafeName(rs->function) + "-" + Sha256Hex(*zip).substr(0, 16) + ".zip";
    std::string path = args.redeploy;
    if (rs->evidence) {
      auto kept = KeepInCase(*rs, relative, *zip, "redeploy-package");
      if (!kept) {
        fmt::print(stderr, "lambda-ir: {}\n", kept.error().message);
        return kExitOutput;
      }
      path = *kept;
    }
    fmt::print("redeploy {}: {} bytes, CodeSha256 {}\n", SanitizeForTerminal(args.redeploy), zip->size(), LambdaCodeSha256(*zip));
    steps.push_back(RedeployStep(ctx, std::move(*zip), path));
  }
  if (!args.restore_config.empty()) {
    auto known = LoadKnownGoodConfiguration(args, *rs);
    if (!known) {
      fmt::print(stderr, "lambda-ir: eradicate: {}\n", known.error().message);
      return kExitNoInput;
    }
    const json target = RestorableConfiguration(*known);
    const std::string environment = target["Environment"].dump();
    std::string path = "(environment of " + args.restore_config + ")";
    if (rs->evidence) {
      auto kept = KeepInCase(*rs, "artifacts/restore/" + SafeName(rs->function) + "-environment-" + Sha256Hex(environment).substr(0, 16) + ".json",
                             environment, "restore-config-environment");
      if (!kept) {
        fmt::print(stderr, "lambda-ir: {}\n", kept.error().message);
        return kExitOutput;
      }
      path = *kept;
    }
    ResponseStep step = RestoreConfigStep(ctx, target, path);
    step.phase = 1;  // after a redeploy: Lambda takes one update at a time
    step.after = {ctx.key_prefix + kKindRedeploy + "/"};
    steps.push_back(std::move(step));
  }
  if (args.revoke_sessions) {
    auto config = rs->calls->Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(rs->function));
    if (!config) {
      fmt::print(stderr, "lambda-ir: eradicate: {}\n", config.error().message);
      return kExitAws;
    }
    const std::string role_arn = JStr(*config, "Role");
    const TimestampMs now = NowMs();
    ResponseStep step = InlinePolicyStep(ctx, kKindRevokeSessions, role_arn.substr(role_arn.rfind('/') + 1), kRevokeSessionsPolicyName,
                                         RevokeOlderSessionsDocument(now));
    // Keyed by the minute: a rerun after a crash finishes it, a revocation later is a new one.
    step.key += "/" + FormatIso8601(now).substr(0, 16);
    steps.push_back(std::move(step));
  }
  if (args.recreate_role) {
    auto step = RecreateRolePlan(args, *rs, ctx);
    if (!step) {
      fmt::print(stderr, "lambda-ir: eradicate --recreate-role: {}\n", step.error().message);
      return kExitAws;
    }
    step->phase = 2;  // after any code and configuration change: one update at a time
    step->after = {ctx.key_prefix + kKindRedeploy + "/", ctx.key_prefix + kKindRestoreConfig + "/"};
    steps.push_back(std::move(*step));
  }
  OrderByPhase(&steps);
  if (args.response.dry_run) {
    PrintDryRun(*rs, steps);
    return kExitOk;
  }
  fmt::print("eradicate {}\n", SanitizeForTerminal(rs->function));
  return ExecutePlan(*rs, args.response, "eradicate", steps, {{"function", rs->function}});
}

}  // namespace

void RegisterEradicateCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<EradicateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "eradicate", "Remove the attacker's foothold: their functions deleted (after collecting them), known-good code redeployed "
                   "and verified, a known-good configuration restored, the role's older sessions revoked");
  AddResponseOptions(cmd, &args->response);
  cmd->add_option("--delete-function", args->delete_functions, "Function to collect into the case, then delete (repeatable)");
  cmd->add_flag("--delete-attacker-functions", args->delete_attacker_functions,
                "Also delete the functions analysis finds created by a suspect principal (listed first)");
  cmd->add_option("--evidence", args->evidence, "CloudTrail evidence for --delete-attacker-functions (default: the case)");
  cmd->add_option("--redeploy", args->redeploy, "Known-good code: a directory (zipped deterministically), a zip, or git:REPO@REF[:SUBDIR]");
  cmd->add_option("--restore-config", args->restore_config,
                  "Known-good configuration: a GetFunction/GetFunctionConfiguration JSON file, version:N from the case's snapshot, "
                  "or pre-incident (the newest version configured before the first high/critical finding about the function)");
  cmd->add_flag("--revoke-sessions", args->revoke_sessions, "Deny the execution role's sessions issued before now (aws:TokenIssueTime)");
  cmd->add_flag("--recreate-role", args->recreate_role,
                "A new execution role with the same trust and policies, the function switched to it, the old role deleted");
  cmd->add_flag("--keep-old-role", args->keep_old_role, "With --recreate-role: leave the old role in place");
  cmd->callback([args, exit_code] { *exit_code = RunEradicate(*args); });
}

}  // namespace lir
