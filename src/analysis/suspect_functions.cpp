#include "analysis/suspect_functions.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "core/json_util.h"
#include "sources/event.h"

#include <nlohmann/json.hpp>

namespace lir {

std::map<std::string, std::string> SuspectActors(const std::vector<Finding>& findings) {
  std::map<std::string, std::string> suspect_because;
  for (const Finding& f : findings) {
    if (f.severity >= Severity::kHigh && !f.actor.empty() && !suspect_because.count(f.actor)) {
      suspect_because[f.actor] = f.rule_id + ": " + f.title;
    }
  }
  return suspect_because;
}

std::vector<SuspectFunction> FunctionsCreatedBySuspects(const std::vector<Finding>& findings) {
  const auto suspect_because = SuspectActors(findings);
  std::vector<SuspectFunction> out;
  std::set<std::string> seen;
  for (const Finding& f : findings) {
    if (f.rule_id != "lambda_function_created") continue;
    auto suspect = suspect_because.find(f.actor);
    if (suspect == suspect_because.end()) continue;
    const std::string name(FunctionNameFromRef(f.resource));
    if (name.empty() || !seen.insert(f.resource).second) continue;
    out.push_back({f.resource, name, f.actor, f.time, suspect->second});
  }
  return out;
}

std::vector<SuspectMapping> MappingsCreatedBySuspects(const std::vector<Finding>& findings, const std::vector<Event>& timeline) {
  const auto suspects = SuspectActors(findings);
  std::vector<SuspectMapping> out;
  for (const Event& e : timeline) {
    if (e.name != "CreateEventSourceMapping" || !e.succeeded()) continue;
    auto suspect = suspects.find(e.actor.arn);
    if (suspect == suspects.end()) continue;
    const auto record = nlohmann::json::parse(e.raw, nullptr, false);
    const std::string uuid = JStr(JAt(record, "responseElements"), "uUID", JStr(JAt(record, "responseElements"), "UUID"));
    if (uuid.empty()) continue;
    out.push_back({uuid, e.function, e.actor.arn, e.time, suspect->second});
  }
  return out;
}

RoleTampering RoleChangesBySuspects(const std::vector<Finding>& findings, const std::vector<Event>& timeline, const std::string& role) {
  const auto suspects = SuspectActors(findings);
  RoleTampering out;
  for (const Event& e : timeline) {
    if (e.source != "iam.amazonaws.com" || !e.succeeded() || !suspects.count(e.actor.arn)) continue;
    const auto record = nlohmann::json::parse(e.raw, nullptr, false);
    const nlohmann::json& request = JAt(record, "requestParameters");
    if (JStr(request, "roleName") != role) continue;
    const std::string by = fmt::format("by {} at {}", e.actor.arn, FormatIso8601(e.time));
    if (e.name == "PutRolePolicy") {
      out.inline_policies.insert(JStr(request, "policyName"));
      out.because[JStr(request, "policyName")] = by;
    } else if (e.name == "AttachRolePolicy") {
      out.attached_policies.insert(JStr(request, "policyArn"));
      out.because[JStr(request, "policyArn")] = by;
    } else if (e.name == "UpdateAssumeRolePolicy") {
      out.trust_changed = true;
      out.because["trust"] = by;
    }
  }
  return out;
}

std::vector<SuspectResource> ResourcesCreatedBySuspects(const std::vector<Finding>& findings, const std::vector<Event>& timeline) {
  const auto suspects = SuspectActors(findings);
  std::vector<SuspectResource> out;
  std::set<std::string> seen;
  for (const Event& e : timeline) {
    if (!e.succeeded()) continue;
    auto suspect = suspects.find(e.actor.arn);
    if (suspect == suspects.end()) continue;
    const auto record = nlohmann::json::parse(e.raw, nullptr, false);
    const nlohmann::json& request = JAt(record, "requestParameters");
    const nlohmann::json& response = JAt(record, "responseElements");
    SuspectResource r;
    r.account = e.account;
    r.region = e.region;
    r.creator = e.actor.arn;
    r.created_at = e.time;
    r.because = suspect->second;
    if (e.name == "CreateAccessKey") {
      r.kind = "access-key";
      r.id = JStr(JAt(response, "accessKey"), "accessKeyId");
      r.user = JStr(JAt(response, "accessKey"), "userName", JStr(request, "userName"));
    } else if (e.name == "CreateUser") {
      r.kind = "user";
      r.id = JStr(request, "userName");
    } else if (e.name == "CreateLoginProfile") {
      r.kind = "login-profile";
      r.id = JStr(request, "userName");
    } else if (e.name == "CreateRole") {
      r.kind = "role";
      r.id = JStr(request, "roleName");
    } else if (e.name == "PublishLayerVersion") {
      r.kind = "layer-version";
      r.id = JStr(response, "layerVersionArn");
    } else if (e.name == "CreateEventSourceMapping") {
      r.kind = "mapping";
      r.id = JStr(response, "uUID", JStr(response, "UUID"));
    } else {
      continue;
    }
    if (r.id.empty() || !seen.insert(r.kind + "/" + r.id).second) continue;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace lir
