// AWS Security Finding Format (botocore's securityhub AwsSecurityFinding, SchemaVersion
// 2018-10-08): a JSON list of findings, what `aws securityhub batch-import-findings
// --findings file://...` and `--to-security-hub` send. Ids are stable across runs, so a
// second import updates the findings instead of doubling them. Lengths are held to the
// documented limits (title 256, description 1024, recommendation 512, product field 2048),
// cut on a UTF-8 boundary.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include <nlohmann/json.hpp>

#include "report/report_common.h"
#include "sources/event.h"
#include "report/report_sink.h"

namespace lir {
namespace {

using nlohmann::ordered_json;

std::string Cut(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t end = limit - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a character
  return std::string(text.substr(0, end)) + "...";
}

std::string NonEmpty(std::string_view text, std::string_view fallback) {
  return text.empty() ? std::string(fallback) : std::string(text);
}

std::string_view SeverityLabel(Severity s) {
  switch (s) {
    case Severity::kCritical: return "CRITICAL";
    case Severity::kHigh: return "HIGH";
    case Severity::kMedium: return "MEDIUM";
    case Severity::kLow: return "LOW";
    default: return "INFORMATIONAL";
  }
}

// The most frequent non-empty value, for the findings that name none themselves.
std::string MostFrequent(const std::map<std::string, size_t>& counts, std::string_view fallback) {
  std::string best(fallback);
  size_t most = 0;
  for (const auto& [value, n] : counts) {
    if (!value.empty() && n > most) best = value, most = n;
  }
  return best;
}

std::string_view ResourceType(std::string_view resource) {
  switch (AwsResourceKindOf(resource)) {
    case AwsResourceKind::kLambdaFunction: return "AwsLambdaFunction";
    case AwsResourceKind::kIamRole: return "AwsIamRole";
    case AwsResourceKind::kIamUser: return "AwsIamUser";
    case AwsResourceKind::kCloudTrailTrail: return "AwsCloudTrailTrail";
    default: return "Other";
  }
}

// ASFF's finding types: namespace/category. Posture checks are configuration checks; a
// rule's tactic is a TTP; the rest is unusual behaviour of a user.
std::string FindingType(const Finding& f) {
  if (f.rule_id.rfind("lambda_posture_", 0) == 0) return "Software and Configuration Checks/AWS Security Best Practices";
  static const std::map<std::string, std::string, std::less<>> tactics = {
      {"persistence", "TTPs/Persistence"},           {"privilege_escalation", "TTPs/Privilege Escalation"},
      {"defense_evasion", "TTPs/Defense Evasion"},    {"credential_access", "TTPs/Credential Access"},
      {"execution", "TTPs/Execution"},               {"initial_access", "TTPs/Initial Access"},
      {"discovery", "TTPs/Discovery"},               {"collection", "TTPs/Collection"},
      {"exfiltration", "Effects/Data Exfiltration"}, {"impact", "Effects/Resource Consumption"}};
  auto it = tactics.find(f.category);
  return it != tactics.end() ? it->second : "Unusual Behaviors/User";
}

class AsffSink final : public ReportSink {
 public:
  explicit AsffSink(const SinkOptions& options) : options_(options) {}

  void Begin(const ReportHeader& h) override { updated_at_ = FormatIso8601(h.context.generated_at); }

  void OnFinding(const Finding& f) override {
    // Where the finding is: its own account and region, else its resource's.
    const std::string own_account = NonEmpty(f.account, AccountFromArnOrId(f.resource));
    const std::string own_region = NonEmpty(f.region, RegionOfArn(f.resource));
    ++accounts_[own_account];
    ++regions_[own_region];
    ordered_json finding = {
        {"SchemaVersion", "2018-10-08"},
        {"Id", fmt::format("lambda-ir/{}/{}", f.rule_id, FindingFingerprint(f))},
        {"ProductArn", ""},  // filled at Finish: the importing account's own product
        {"ProductName", "lambda-ir"},
        {"CompanyName", "lambda-ir"},
        {"GeneratorId", f.rule_id},
        {"AwsAccountId", ""},
        {"Types", {FindingType(f)}},
        {"FirstObservedAt", FormatIso8601(f.time)},
        {"CreatedAt", FormatIso8601(f.time)},
        {"UpdatedAt", updated_at_},
        {"Severity", {{"Label", SeverityLabel(f.severity)}, {"Original", ToString(f.severity)}}},
        {"Title", Cut(NonEmpty(f.title, f.rule_id), 256)},
        {"Description", Cut(NonEmpty(f.description, NonEmpty(f.title, f.rule_id)), 1024)}};
    if (!f.remediation.empty()) {
      ordered_json recommendation = {{"Text", Cut(f.remediation, 512)}};
      if (!f.references.empty()) recommendation["Url"] = f.references.front();
      finding["Remediation"] = {{"Recommendation", std::move(recommendation)}};
    }
    ordered_json fields = ordered_json::object();
    auto field = [&](const char* key, const std::string& value) {
      if (!value.empty()) fields[std::string("lambda-ir/") + key] = Cut(value, 2048);
    };
    field("RuleId", f.rule_id);
    field("FindingAccount", own_account);  // kept when the import files it under the importer's account
    field("FindingRegion", own_region);
    field("Actor", f.actor);
    field("AccessKeyId", f.access_key_id);
    field("SourceIp", f.source_ip);
    field("EventName", f.event_name);
    field("EventIds", fmt::format("{}", fmt::join(f.event_ids, " ")));
    field("Mitre", fmt::format("{}", fmt::join(f.mitre, " ")));
    field("Note", f.note);
    if (f.routine) field("Routine", "true");
    finding["ProductFields"] = std::move(fields);
    finding["Resources"] = {{{"Type", ResourceType(f.resource)}, {"Id", Cut(NonEmpty(f.resource, "unknown"), 512)}, {"Partition", "aws"}}};
    if (!own_region.empty()) finding["Resources"][0]["Region"] = own_region;
    findings_.push_back(std::move(finding));
    owners_.emplace_back(own_account, own_region);
  }

  // Security Hub takes a finding into the product of the account and region it is sent to:
  // the importer's when given (--to-security-hub), else the finding's own, else the most
  // frequent among the findings (an IAM finding names no region).
  std::string Finish() override {
    const std::string usual_account = MostFrequent(accounts_, "");
    const std::string usual_region = MostFrequent(regions_, "us-east-1");
    for (size_t i = 0; i < findings_.size(); ++i) {
      const std::string account = NonEmpty(options_.asff_account, NonEmpty(owners_[i].first, usual_account));
      const std::string region = NonEmpty(options_.asff_region, NonEmpty(owners_[i].second, usual_region));
      findings_[i]["AwsAccountId"] = account;
      findings_[i]["ProductArn"] = fmt::format("arn:aws:securityhub:{}:{}:product/{}/default", region, account, account);
    }
    return findings_.dump(2, ' ', true, ordered_json::error_handler_t::replace) + "\n";
  }

 private:
  SinkOptions options_;
  std::string updated_at_;
  std::map<std::string, size_t> accounts_, regions_;
  std::vector<std::pair<std::string, std::string>> owners_;  // per finding: its own account and region
  ordered_json findings_ = ordered_json::array();
};

}  // namespace

std::unique_ptr<ReportSink> MakeAsffSink(const SinkOptions& options) { return std::make_unique<AsffSink>(options); }

}  // namespace lir
