// SARIF 2.1.0 (OASIS; validated in tests against ../shared/schemas/sarif-2.1.0): one run,
// the rules that fired as the driver's rules, one result per finding. Findings in collected
// evidence (packages, YARA, logs) have physical locations: the case artifact, the file
// inside a package as a nested artifact, the line where known. CloudTrail findings have a
// logical location, the resource they concern. Read issues are the invocation's
// notifications, so a consumer sees what could not be read.
#include <fmt/format.h>

#include <cctype>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/hashing.h"
#include "report/report_sink.h"

namespace lir {
namespace {

using nlohmann::ordered_json;

// A URI reference from a path: everything but unreserved characters and '/' escaped, so a
// package member named by an attacker cannot make the URI mean something else.
std::string UriPath(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string_view Level(Severity s) {
  if (s >= Severity::kHigh) return "error";
  if (s == Severity::kMedium) return "warning";
  return "note";
}

// GitHub code scanning's rule property: a CVSS-like score that orders alerts.
std::string_view SecuritySeverity(Severity s) {
  switch (s) {
    case Severity::kCritical: return "9.5";
    case Severity::kHigh: return "8.0";
    case Severity::kMedium: return "5.5";
    case Severity::kLow: return "3.0";
    default: return "0.0";
  }
}

class SarifSink final : public ReportSink {
 public:
  void Begin(const ReportHeader& h) override {
    version_ = h.context.version;
  }

  void OnFinding(const Finding& f) override {
    ordered_json result = {{"ruleId", f.rule_id},
                           {"ruleIndex", RuleIndex(f)},
                           {"level", Level(f.severity)},
                           {"message", {{"text", Message(f)}}}};
    ordered_json locations = ordered_json::array();
    for (const EvidenceLocation& l : f.locations) locations.push_back(PhysicalLocation(l));
    if (locations.empty() && !f.resource.empty()) {
      locations.push_back({{"logicalLocations", {{{"fullyQualifiedName", f.resource}, {"kind", "resource"}}}}});
    }
    if (!locations.empty()) result["locations"] = std::move(locations);
    // Stable across runs of the same evidence: what fired, on what (where), for whom.
    result["partialFingerprints"] = {
        {"lambdaIrFinding/v1",
         Sha256Hex(fmt::format("{}\n{}\n{}\n{}\n{}", f.rule_id, f.account, f.region, f.resource, f.actor)).substr(0, 32)}};
    ordered_json properties = {{"severity", ToString(f.severity)}, {"time", FormatIso8601(f.time)},
                               {"actor", f.actor},                 {"sourceIp", f.source_ip},
                               {"account", f.account},             {"region", f.region},
                               {"eventName", f.event_name},        {"eventIds", f.event_ids},
                               {"routine", f.routine}};
    if (!f.note.empty()) properties["note"] = f.note;
    result["properties"] = std::move(properties);
    results_.push_back(std::move(result));
  }

  void OnIssue(const ReadIssue& i) override {
    ordered_json n = {{"level", "warning"},
                      {"message", {{"text", i.position.empty() ? i.message : fmt::format("{}: {}", i.position, i.message)}}}};
    if (!i.file.empty()) n["locations"] = {{{"physicalLocation", {{"artifactLocation", {{"uri", UriPath(i.file)}}}}}}};
    notifications_.push_back(std::move(n));
  }

  std::string Finish() override {
    ordered_json driver = {{"name", "lambda-ir"},
                           {"version", version_},
                           {"rules", std::move(rules_)}};
    ordered_json invocation = {{"executionSuccessful", true}};
    if (!notifications_.empty()) invocation["toolExecutionNotifications"] = std::move(notifications_);
    ordered_json run = {{"tool", {{"driver", std::move(driver)}}}, {"invocations", {std::move(invocation)}}};
    if (!artifacts_.empty()) run["artifacts"] = std::move(artifacts_);
    run["results"] = std::move(results_);
    ordered_json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                        {"version", "2.1.0"},
                        {"runs", {std::move(run)}}};
    return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
  }

 private:
  static std::string Message(const Finding& f) {
    std::string text = f.title;
    if (!f.resource.empty()) text += fmt::format(" ({})", f.resource);
    if (!f.actor.empty()) text += fmt::format(", by {}", f.actor);
    return text + ".";
  }

  // The driver's rules are the rules that fired, described by their first finding.
  size_t RuleIndex(const Finding& f) {
    auto [it, added] = rule_index_.emplace(f.rule_id, rule_index_.size());
    if (added) {
      ordered_json rule = {{"id", f.rule_id},
                           {"shortDescription", {{"text", f.title}}},
                           {"fullDescription", {{"text", f.description.empty() ? f.title : f.description}}}};
      if (!f.remediation.empty()) rule["help"] = {{"text", f.remediation}};
      if (!f.references.empty()) rule["helpUri"] = f.references.front();
      ordered_json tags = ordered_json::array({"security"});
      for (const auto& t : f.mitre) tags.push_back(t);
      if (!f.category.empty()) tags.push_back(f.category);
      rule["properties"] = {{"tags", std::move(tags)}, {"security-severity", SecuritySeverity(f.severity)}};
      rule["defaultConfiguration"] = {{"level", Level(f.severity)}};
      rules_.push_back(std::move(rule));
    }
    return it->second;
  }

  size_t ArtifactIndex(const std::string& uri, std::optional<size_t> parent) {
    const std::string key = parent ? fmt::format("{}\n{}", *parent, uri) : uri;
    auto [it, added] = artifact_index_.emplace(key, artifact_index_.size());
    if (added) {
      ordered_json artifact = {{"location", {{"uri", uri}}}};
      if (parent) artifact["parentIndex"] = *parent;
      artifacts_.push_back(std::move(artifact));
    }
    return it->second;
  }

  ordered_json PhysicalLocation(const EvidenceLocation& l) {
    const std::string artifact_uri = UriPath(l.artifact);
    size_t index = ArtifactIndex(artifact_uri, std::nullopt);
    std::string uri = artifact_uri;
    if (!l.member.empty()) {
      uri = UriPath(l.member);
      index = ArtifactIndex(uri, index);
    }
    ordered_json physical = {{"artifactLocation", {{"uri", uri}, {"index", index}}}};
    if (l.line > 0) physical["region"] = {{"startLine", l.line}};
    return {{"physicalLocation", std::move(physical)}};
  }

  std::string version_;
  ordered_json rules_ = ordered_json::array();
  ordered_json results_ = ordered_json::array();
  ordered_json notifications_ = ordered_json::array();
  ordered_json artifacts_ = ordered_json::array();
  std::map<std::string, size_t> rule_index_;
  std::map<std::string, size_t> artifact_index_;
};

}  // namespace

std::unique_ptr<ReportSink> MakeSarifSink(const SinkOptions&) { return std::make_unique<SarifSink>(); }

}  // namespace lir
