// Whether a trail logs a Lambda function's invocations: the runbook's detection of what an
// attacker's code was made to do rests on these data events. Lambda's Invoke is a write data
// event (readOnly false), so a ReadOnly selector does not log it.
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/posture_checks.h"
#include "core/json_util.h"

namespace lir {
namespace {

using json = nlohmann::json;

constexpr const char* kLambdaType = "AWS::Lambda::Function";

// Basic selectors: a DataResources entry of the Lambda type whose value is "arn:PARTITION:lambda"
// (every function) or the function's ARN exactly (CloudTrail does not match Lambda ARNs as
// prefixes: "...:function:leg" does not log "legacy").
bool BasicSelectorLogs(const json& selector, const std::string& arn) {
  const std::string rw = JStr(selector, "ReadWriteType", "All");
  if (rw == "ReadOnly") return false;
  for (const json& resource : JArr(selector, "DataResources")) {
    if (JStr(resource, "Type") != kLambdaType) continue;
    for (const std::string& value : JStrings(JAt(resource, "Values"))) {
      const bool every = value.rfind("arn:", 0) == 0 && value.ends_with(":lambda") && value.find(':', 4) == value.size() - 7;
      if (value == arn || (every && arn.rfind(value + ":", 0) == 0)) return true;
    }
  }
  return false;
}

bool AnyStartsWith(const std::vector<std::string>& prefixes, const std::string& value) {
  for (const std::string& p : prefixes) {
    if (value.rfind(p, 0) == 0) return true;
  }
  return false;
}
bool AnyEndsWith(const std::vector<std::string>& suffixes, const std::string& value) {
  for (const std::string& s : suffixes) {
    if (value.ends_with(s)) return true;
  }
  return false;
}
bool AnyEquals(const std::vector<std::string>& values, const std::string& value) {
  for (const std::string& v : values) {
    if (v == value) return true;
  }
  return false;
}

// One field selector against the value an Invoke of the function has in that field.
bool FieldAccepts(const json& field, const std::string& value) {
  const auto equals = JStrings(JAt(field, "Equals"));
  const auto starts = JStrings(JAt(field, "StartsWith"));
  const auto ends = JStrings(JAt(field, "EndsWith"));
  if (!equals.empty() && !AnyEquals(equals, value)) return false;
  if (!starts.empty() && !AnyStartsWith(starts, value)) return false;
  if (!ends.empty() && !AnyEndsWith(ends, value)) return false;
  if (AnyEquals(JStrings(JAt(field, "NotEquals")), value)) return false;
  if (AnyStartsWith(JStrings(JAt(field, "NotStartsWith")), value)) return false;
  if (AnyEndsWith(JStrings(JAt(field, "NotEndsWith")), value)) return false;
  return true;
}

// Advanced selectors: every field selector must accept the Invoke event; a field we cannot
// evaluate (the caller's ARN, an error code) is taken as accepting, since some invocations
// pass it. A selector must name the data category and the Lambda type to log Lambda data.
bool AdvancedSelectorLogs(const json& selector, const std::string& arn) {
  bool data = false, lambda = false;
  for (const json& field : JArr(selector, "FieldSelectors")) {
    const std::string name = JStr(field, "Field");
    std::string value;
    if (name == "eventCategory") {
      value = "Data";
      data = FieldAccepts(field, value);
      if (!data) return false;
      continue;
    }
    if (name == "resources.type") {
      lambda = FieldAccepts(field, kLambdaType);
      if (!lambda) return false;
      continue;
    }
    if (name == "resources.ARN") value = arn;
    else if (name == "eventName") value = "Invoke";
    else if (name == "readOnly") value = "false";
    else if (name == "eventSource") value = "lambda.amazonaws.com";
    else continue;
    if (!FieldAccepts(field, value)) return false;
  }
  return data && lambda;
}

}  // namespace

bool SelectorsLogInvoke(const json& selectors, const std::string& function_arn) {
  for (const json& s : JArr(selectors, "EventSelectors")) {
    if (BasicSelectorLogs(s, function_arn)) return true;
  }
  for (const json& s : JArr(selectors, "AdvancedEventSelectors")) {
    if (AdvancedSelectorLogs(s, function_arn)) return true;
  }
  return false;
}

}  // namespace lir
