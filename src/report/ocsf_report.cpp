// OCSF 1.3.0 Detection Finding (class_uid 2004, category Findings): one event per finding,
// one per line (JSON Lines, as Security Lake's and the SIEMs' OCSF ingestion takes them).
// Every attribute the schema requires is set: activity_id, category_uid, class_uid,
// type_uid, severity_id, time and metadata (product with vendor_name, version) from the base
// event; finding_info (uid, title) from the Finding class. The cloud profile adds where the
// finding is. What OCSF has no attribute for (rule id, routine, note) is under `unmapped`.
// Schema: https://schema.ocsf.io/1.3.0/classes/detection_finding
#include <arpa/inet.h>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "report/report_common.h"
#include "report/report_sink.h"
#include "sources/event.h"

namespace lir {
namespace {

using nlohmann::ordered_json;

constexpr int kClassUid = 2004;
constexpr int kActivityCreate = 1;

// OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
std::pair<int, std::string_view> OcsfSeverity(Severity s) {
  switch (s) {
    case Severity::kCritical: return {5, "Critical"};
    case Severity::kHigh: return {4, "High"};
    case Severity::kMedium: return {3, "Medium"};
    case Severity::kLow: return {2, "Low"};
    default: return {1, "Informational"};
  }
}

// resource_details.type is free text; the CloudFormation names are what AWS users read.
std::string_view OcsfResourceType(std::string_view resource) {
  switch (AwsResourceKindOf(resource)) {
    case AwsResourceKind::kLambdaFunction: return "AWS::Lambda::Function";
    case AwsResourceKind::kIamRole: return "AWS::IAM::Role";
    case AwsResourceKind::kIamUser: return "AWS::IAM::User";
    case AwsResourceKind::kCloudTrailTrail: return "AWS::CloudTrail::Trail";
    default: return "Other";
  }
}

// "T1098.001" is sub-technique T1098.001 of technique T1098.
ordered_json Attack(const std::string& id) {
  const size_t dot = id.find('.');
  if (dot == std::string::npos) return {{"technique", {{"uid", id}}}};
  return {{"technique", {{"uid", id.substr(0, dot)}}}, {"sub_technique", {{"uid", id}}}};
}

bool IsIpAddress(const std::string& text) {
  in6_addr address{};
  return inet_pton(AF_INET, text.c_str(), &address) == 1 || inet_pton(AF_INET6, text.c_str(), &address) == 1;
}

// "aws", "aws-cn", "aws-us-gov": an ARN's second part; empty for anything that is no ARN.
std::string PartitionOf(std::string_view arn) {
  if (arn.rfind("arn:", 0) != 0) return "";
  arn.remove_prefix(4);
  return std::string(arn.substr(0, arn.find(':')));
}

// What supports the finding: for a CloudTrail finding the call (operation, caller, address);
// for an evidence finding (package, log, configuration) the files and lines.
ordered_json Evidences(const Finding& f) {
  ordered_json evidences = ordered_json::array();
  if (f.locations.empty()) {
    ordered_json call = ordered_json::object();
    if (!f.event_name.empty()) {
      call["api"] = {{"operation", f.event_name}};
      if (!f.event_ids.empty()) call["api"]["request"] = {{"uid", f.event_ids.front()}};
    }
    if (!f.actor.empty()) call["actor"] = {{"user", {{"uid", f.actor}}}};
    // CloudTrail's sourceIPAddress is a service ("lambda.amazonaws.com", "AWS Internal") as often
    // as an address; OCSF's ip must be one.
    if (!f.source_ip.empty()) call["src_endpoint"] = {{IsIpAddress(f.source_ip) ? "ip" : "svc_name", f.source_ip}};
    if (!call.empty()) evidences.push_back(std::move(call));
    return evidences;
  }
  for (const EvidenceLocation& at : f.locations) {
    // file: name and type_id (1, Regular File) are required; the path is the artifact's.
    const std::string path = at.member.empty() ? at.artifact : at.artifact + "/" + at.member;
    const std::string& named = at.member.empty() ? at.artifact : at.member;
    ordered_json evidence = {
        {"file", {{"name", named.substr(named.find_last_of('/') + 1)}, {"path", path}, {"type_id", 1}, {"type", "Regular File"}}}};
    if (at.line > 0) evidence["data"] = {{"line", at.line}};
    evidences.push_back(std::move(evidence));
  }
  return evidences;
}

class OcsfSink final : public ReportSink {
 public:
  void Begin(const ReportHeader& h) override {
    created_ = h.context.generated_at;
    version_ = h.context.version;
  }

  void OnFinding(const Finding& f) override {
    const auto [severity_id, severity] = OcsfSeverity(f.severity);
    const std::string title = f.title.empty() ? f.rule_id : f.title;
    const std::string account(f.account.empty() ? AccountFromArnOrId(f.resource) : std::string_view(f.account));
    const std::string region = f.region.empty() ? RegionOfArn(f.resource) : f.region;

    ordered_json info = {{"uid", fmt::format("lambda-ir/{}/{}", f.rule_id, FindingFingerprint(f))},
                         {"title", title},
                         {"desc", f.description},
                         {"analytic", {{"uid", f.rule_id}, {"name", f.rule_id}, {"type_id", 1}, {"type", "Rule"}}},
                         {"created_time", created_},
                         {"first_seen_time", f.time}};
    if (!f.category.empty()) info["types"] = {f.category};
    if (!f.mitre.empty()) {
      info["attacks"] = ordered_json::array();
      for (const std::string& id : f.mitre) info["attacks"].push_back(Attack(id));
    }
    if (f.locations.empty() && !f.event_ids.empty()) {  // CloudTrail event ids (an evidence finding's is its file)
      info["related_events"] = ordered_json::array();
      for (const std::string& id : f.event_ids) info["related_events"].push_back({{"uid", id}});
    }

    ordered_json event = {{"activity_id", kActivityCreate},
                          {"activity_name", "Create"},
                          {"category_uid", 2},
                          {"category_name", "Findings"},
                          {"class_uid", kClassUid},
                          {"class_name", "Detection Finding"},
                          {"type_uid", kClassUid * 100 + kActivityCreate},
                          {"type_name", "Detection Finding: Create"},
                          {"severity_id", severity_id},
                          {"severity", severity},
                          {"status_id", 1},
                          {"status", "New"},
                          {"time", created_},
                          {"start_time", f.time},
                          {"message", title},
                          {"metadata",
                           {{"version", "1.3.0"},
                            {"product", {{"name", "lambda-ir"}, {"vendor_name", "lambda-ir"}, {"version", version_}}},
                            {"profiles", {"cloud"}}}},
                          {"finding_info", std::move(info)},
                          {"cloud", {{"provider", "AWS"}}}};
    if (!region.empty()) event["cloud"]["region"] = region;
    if (!account.empty()) event["cloud"]["account"] = {{"uid", account}, {"type_id", 10}, {"type", "AWS Account"}};
    if (!f.resource.empty()) {
      ordered_json resource = {{"uid", f.resource}, {"type", OcsfResourceType(f.resource)}};
      if (const std::string partition = PartitionOf(f.resource); !partition.empty()) resource["cloud_partition"] = partition;
      if (!region.empty()) resource["region"] = region;
      event["resources"] = {std::move(resource)};
    }
    if (ordered_json evidences = Evidences(f); !evidences.empty()) event["evidences"] = std::move(evidences);
    if (!f.remediation.empty()) {
      event["remediation"] = {{"desc", f.remediation}};
      if (!f.references.empty()) event["remediation"]["references"] = f.references;
    }
    event["unmapped"] = {{"lambda_ir",
                          {{"rule_id", f.rule_id},
                           {"severity", ToString(f.severity)},
                           {"routine", f.routine},
                           {"actor", f.actor},
                           {"note", f.note},
                           {"access_key_id", f.access_key_id},
                           {"event_ids_not_listed", f.events_not_listed}}}};
    // ASCII: a U+2028 in an attacker's field must not split the record for a line reader.
    out_ += event.dump(-1, ' ', true, ordered_json::error_handler_t::replace) + "\n";
  }

  std::string Finish() override { return std::move(out_); }

 private:
  TimestampMs created_ = 0;
  std::string version_;
  std::string out_;
};

}  // namespace

std::unique_ptr<ReportSink> MakeOcsfSink(const SinkOptions&) { return std::make_unique<OcsfSink>(); }

}  // namespace lir
