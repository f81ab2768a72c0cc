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

#include "report/report_common.h"
#include "sources/event.h"
#include "report/report_sink.h"

namespace lir {
namespace {

using nlohmann::ordered_json;

// A URI reference from a path of ours (a case artifact, an input): everything but unreserved
// characters and '/' escaped.
std::string UriPath(std::string_view path, bool keep_slash = true) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// A file name inside a package, named by whoever built it: one opaque segment ('/' escaped,
// an all-dots name escaped), so "../../.github/workflows/ci.yml" or "//host/x" can neither
// climb out of the package nor name another host or a file of the repository scanned.
std::string MemberUri(std::string_view member) {
  std::string out = UriPath(member, /*keep_slash=*/false);
  if (out.find_first_not_of('.') == std::string::npos) {
    out.clear();
    for (size_t i = 0; i < member.size(); ++i) out += "%2E";
  }
  return out;
}

// SARIF message text turns [text](target) into a link: an attacker's brackets stay text.
std::string PlainText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
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
    if (locations.empty()) locations.push_back(CloudLocation(f));
    result["locations"] = std::move(locations);
    result["partialFingerprints"] = {{"lambdaIrFinding/v2", FindingFingerprint(f)}};
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
                      {"message", {{"text", PlainText(i.position.empty() ? i.message : fmt::format("{}: {}", i.position, i.message))}}}};
    if (!i.file.empty()) n["locations"] = {{{"physicalLocation", {{"artifactLocation", {{"uri", UriPath(i.file)}}}}}}};
    notifications_.push_back(std::move(n));
  }

  std::string Finish() override {
    // A rule is as severe as its most severe result; its descriptions are its first result's
    // unless its results say different things (a count, a file), then its id.
    for (auto& [id, seen] : rule_seen_) {
      ordered_json& rule = rules_[seen.index];
      rule["properties"]["security-severity"] = SecuritySeverity(seen.worst);
      rule["defaultConfiguration"]["level"] = Level(seen.worst);
      if (seen.titles_differ) rule["shortDescription"]["text"] = id;
      if (seen.descriptions_differ) rule["fullDescription"]["text"] = id;
    }
    ordered_json driver = {{"name", "lambda-ir"},
                           {"version", version_},
                           {"rules", std::move(rules_)}};
    ordered_json invocation = {{"executionSuccessful", true}};
    if (!notifications_.empty()) invocation["toolExecutionNotifications"] = std::move(notifications_);
    ordered_json run = {{"tool", {{"driver", std::move(driver)}}}, {"invocations", {std::move(invocation)}}};
    // CloudTrail findings are located in the account, not in a file: their URIs are
    // account/region/resource under this base, which names no file system.
    run["originalUriBaseIds"] = {{"AWS", {{"description", {{"text", "AWS resources: account/region/resource ARN"}}}}}};
    if (!artifacts_.empty()) run["artifacts"] = std::move(artifacts_);
    run["results"] = std::move(results_);
    ordered_json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                        {"version", "2.1.0"},
                        {"runs", {std::move(run)}}};
    return doc.dump(2, ' ', true, ordered_json::error_handler_t::replace) + "\n";
  }

 private:
  static std::string Message(const Finding& f) {
    std::string text = f.title;
    if (!f.resource.empty()) text += fmt::format(" ({})", f.resource);
    if (!f.actor.empty()) text += fmt::format(", by {}", f.actor);
    return PlainText(text + ".");
  }

  // ACCOUNT/REGION/RESOURCE under the AWS base: the resource (an ARN) one escaped segment.
  static ordered_json CloudLocation(const Finding& f) {
    std::string account = f.account.empty() ? std::string(AccountFromArnOrId(f.resource)) : f.account;
    std::string region = f.region.empty() ? RegionOfArn(f.resource) : f.region;
    const std::string where = fmt::format("{}/{}/{}", UriPath(account.empty() ? "unknown-account" : account, false),
                                          UriPath(region.empty() ? "global" : region, false),
                                          UriPath(f.resource.empty() ? f.rule_id : f.resource, false));
    ordered_json location = {{"physicalLocation", {{"artifactLocation", {{"uri", where}, {"uriBaseId", "AWS"}}}}}};
    if (!f.resource.empty()) location["logicalLocations"] = {{{"fullyQualifiedName", f.resource}, {"kind", "resource"}}};
    return location;
  }

  // The driver's rules are the rules that fired, described by their first finding.
  size_t RuleIndex(const Finding& f) {
    auto [it, added] = rule_index_.emplace(f.rule_id, rule_index_.size());
    RuleSeen& seen = rule_seen_[f.rule_id];
    if (!added) {
      seen.worst = std::max(seen.worst, f.severity);
      seen.titles_differ |= f.title != seen.title;
      seen.descriptions_differ |= f.description != seen.description;
    } else {
      seen = {it->second, f.severity, f.title, f.description, false, false};
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
      uri = MemberUri(l.member);
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
  struct RuleSeen {
    size_t index = 0;
    Severity worst = Severity::kInfo;
    std::string title, description;
    bool titles_differ = false, descriptions_differ = false;
  };
  std::map<std::string, RuleSeen> rule_seen_;
  std::map<std::string, size_t> artifact_index_;
};

}  // namespace

std::unique_ptr<ReportSink> MakeSarifSink(const SinkOptions&) { return std::make_unique<SarifSink>(); }

}  // namespace lir
