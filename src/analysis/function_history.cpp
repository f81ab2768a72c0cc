#include "analysis/function_history.h"
#include "core/json_util.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace lir {
namespace {

using nlohmann::json;

std::string Text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// Values of a request field, preferring the response's (what Lambda actually applied).
const json* Pick(const json& request, const json& response, const char* key) {
  if (response.is_object() && response.contains(key) && !response[key].is_null()) return &response[key];
  if (request.is_object() && request.contains(key) && !request[key].is_null()) return &request[key];
  return nullptr;
}

class Recorder {
 public:
  Recorder(FunctionHistory* history, const Event& e) : history_(history), e_(e) {}

  void Set(const std::string& field, std::string value) {
    auto& changes = history_->fields[field];
    changes.push_back({e_.time, std::move(value), e_.actor.Display(), e_.source_ip, e_.name_raw, e_.event_id});
  }

  void SetIf(const json& request, const json& response, const char* key, const std::string& field) {
    if (const json* v = Pick(request, response, key)) Set(field, Text(*v));
  }

 private:
  FunctionHistory* history_;
  const Event& e_;
};

// The configuration fields CreateFunction and UpdateFunctionConfiguration can set.
constexpr const char* kConfigFields[] = {
    "runtime", "handler", "role", "timeout", "memorySize", "kmsKeyArn", "description",
    "tracingConfig", "vpcConfig", "deadLetterConfig", "fileSystemConfigs", "imageConfig",
    "ephemeralStorage", "snapStart", "loggingConfig", "architectures", "packageType"};

void RecordLayers(Recorder& r, const json& request, const json& response) {
  const json* layers = Pick(request, response, "layers");
  if (!layers || !layers->is_array()) return;
  json arns = json::array();
  for (const json& l : *layers) arns.push_back(l.is_object() && l.contains("arn") ? l["arn"] : l);
  r.Set("layers", arns.dump());
}

void RecordEnvironment(Recorder& r, const json& request, const json& response) {
  // CloudTrail omits variable values; the keys, when present, still say what changed.
  const json* env = Pick(request, response, "environment");
  if (!env || !env->is_object()) return;
  json keys = json::array();
  if (env->contains("variables") && (*env)["variables"].is_object()) {
    for (auto it = (*env)["variables"].begin(); it != (*env)["variables"].end(); ++it) keys.push_back(it.key());
  }
  r.Set("environment.keys", keys.dump());
}

void Apply(FunctionHistory* history, const Event& e) {
  const json record = json::parse(e.raw, nullptr, false);
  if (record.is_discarded()) return;
  const json empty = json::object();
  const json& request = record.contains("requestParameters") && record["requestParameters"].is_object()
                            ? record["requestParameters"] : empty;
  const json& response = record.contains("responseElements") && record["responseElements"].is_object()
                             ? record["responseElements"] : empty;
  Recorder r(history, e);
  const std::string& n = e.name;
  if (e.source == "lambda.amazonaws.com") {
    if (n == "CreateFunction" || n == "UpdateFunctionConfiguration") {
      const bool create = n == "CreateFunction";
      for (const char* key : kConfigFields) {
        // An update lists only what it changes in the request; the response has everything.
        if (create || request.contains(key)) r.SetIf(request, response, key, key);
      }
      if (create || request.contains("layers")) RecordLayers(r, request, response);
      if (create || request.contains("environment")) RecordEnvironment(r, request, response);
      if (create) {
        r.SetIf(request, response, "codeSha256", "codeSha256");
        r.Set("function", "created");
      }
    } else if (n == "UpdateFunctionCode") {
      r.SetIf(request, response, "codeSha256", "codeSha256");
      for (const char* key : {"s3Bucket", "s3Key", "s3ObjectVersion", "imageUri"}) {
        if (request.contains(key)) r.Set(std::string("code.") + key, Text(request[key]));
      }
    } else if (n == "AddPermission") {
      const std::string sid = JStr(request, "statementId", "?");
      json summary = json::object();
      for (const char* key : {"principal", "action", "sourceArn", "sourceAccount", "principalOrgID",
                              "functionUrlAuthType", "eventSourceToken"}) {
        if (request.contains(key)) summary[key] = request[key];
      }
      r.Set("permission." + sid, summary.dump());
    } else if (n == "RemovePermission") {
      r.Set("permission." + JStr(request, "statementId", "?"), "(removed)");
    } else if (n == "CreateFunctionUrlConfig" || n == "UpdateFunctionUrlConfig") {
      r.SetIf(request, response, "authType", "url.authType");
      r.SetIf(request, response, "cors", "url.cors");
      r.SetIf(request, response, "invokeMode", "url.invokeMode");
    } else if (n == "DeleteFunctionUrlConfig") {
      r.Set("url", "(deleted)");
    } else if (n == "CreateEventSourceMapping" || n == "UpdateEventSourceMapping" ||
               n == "DeleteEventSourceMapping") {
      const json* uuid = Pick(request, response, "uUID");
      if (!uuid) uuid = Pick(request, response, "UUID");
      const std::string id = uuid ? Text(*uuid) : "?";
      json summary = json::object();
      for (const char* key : {"eventSourceArn", "state", "enabled", "batchSize"}) {
        if (const json* v = Pick(request, response, key)) summary[key] = *v;
      }
      r.Set("event_source_mapping." + id, n == "DeleteEventSourceMapping" ? "(deleted)" : summary.dump());
    } else if (n == "PutFunctionConcurrency") {
      r.SetIf(request, response, "reservedConcurrentExecutions", "reservedConcurrency");
    } else if (n == "DeleteFunctionConcurrency") {
      r.Set("reservedConcurrency", "(none)");
    } else if (n == "PutProvisionedConcurrencyConfig" || n == "DeleteProvisionedConcurrencyConfig") {
      const std::string q = JStr(request, "qualifier", "?");
      r.Set("provisionedConcurrency." + q, n[0] == 'D' ? "(none)" : Text(JAt(request, "provisionedConcurrentExecutions")));
    } else if (n == "PublishVersion") {
      const json* version = Pick(request, response, "version");
      const json* sha = Pick(request, response, "codeSha256");
      r.Set("version." + (version ? Text(*version) : std::string("?")), sha ? Text(*sha) : "published");
    } else if (n == "CreateAlias" || n == "UpdateAlias") {
      json summary = json::object();
      if (const json* v = Pick(request, response, "functionVersion")) summary["functionVersion"] = *v;
      if (const json* v = Pick(request, response, "routingConfig")) summary["routingConfig"] = *v;
      r.Set("alias." + JStr(request, "name", "?"), summary.dump());
    } else if (n == "DeleteAlias") {
      r.Set("alias." + JStr(request, "name", "?"), "(deleted)");
    } else if (n == "PutFunctionCodeSigningConfig") {
      r.SetIf(request, response, "codeSigningConfigArn", "codeSigningConfig");
    } else if (n == "DeleteFunctionCodeSigningConfig") {
      r.Set("codeSigningConfig", "(removed)");
    } else if (n == "DeleteFunction") {
      r.Set("function", request.contains("qualifier") ? "version deleted: " + Text(request["qualifier"]) : "deleted");
    }
  } else if (e.source == "iam.amazonaws.com") {
    const std::string prefix = "role." + e.role + ".";
    if (n == "PutRolePolicy") {
      r.Set(prefix + "inline." + JStr(request, "policyName", "?"),
            request.contains("policyDocument") ? Text(request["policyDocument"]) : "(document not recorded)");
    } else if (n == "DeleteRolePolicy") {
      r.Set(prefix + "inline." + JStr(request, "policyName", "?"), "(deleted)");
    } else if (n == "AttachRolePolicy") {
      r.Set(prefix + "attached." + JStr(request, "policyArn", "?"), "attached");
    } else if (n == "DetachRolePolicy") {
      r.Set(prefix + "attached." + JStr(request, "policyArn", "?"), "(detached)");
    } else if (n == "UpdateAssumeRolePolicy") {
      r.Set(prefix + "trust",
            request.contains("policyDocument") ? Text(request["policyDocument"]) : "(document not recorded)");
    }
  }
}

}  // namespace

FunctionHistory BuildFunctionHistory(const std::string& function, const std::vector<std::string>& roles,
                                     const std::vector<Event>& events) {
  FunctionHistory history;
  history.function = function;
  history.roles = roles;
  for (const Event& e : events) {
    if (!e.succeeded()) continue;
    const bool about_function = e.source == "lambda.amazonaws.com" && e.function == function;
    const bool about_role = e.source == "iam.amazonaws.com" &&
                            std::find(roles.begin(), roles.end(), e.role) != roles.end();
    if (about_function || about_role) Apply(&history, e);
  }
  return history;
}

}  // namespace lir
