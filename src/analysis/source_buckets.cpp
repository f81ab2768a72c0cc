#include "analysis/source_buckets.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/json_util.h"
#include "core/strings.h"

namespace lir {

using nlohmann::json;

namespace {

constexpr const char* kForeignSourceBucketRule = "lambda_posture_policy_foreign_source_bucket";

// S3 invokes as its service principal; aws:SourceArn narrows nothing for an account principal.
bool S3MayInvoke(const json& principal) {
  if (principal == "*") return true;
  const json& service = JAt(principal, "Service");
  if (service == "s3.amazonaws.com" || JAt(principal, "AWS") == "*") return true;
  return service.is_array() && std::find(service.begin(), service.end(), "s3.amazonaws.com") != service.end();
}

// The bucket of an S3 ARN (arn:PARTITION:s3:::BUCKET[/key]), or "" for another ARN.
std::string BucketOf(const std::string& arn) {
  const auto parts = Split(arn, ':');
  if (parts.size() < 6 || parts[0] != "arn" || parts[2] != "s3" || !parts[3].empty() || !parts[4].empty()) return "";
  const std::string_view rest = std::string_view(arn).substr(arn.find(":::") + 3);
  return std::string(rest.substr(0, rest.find('/')));
}

}  // namespace

std::vector<FlaggedStatement> FlagForeignSourceBuckets(const std::string& policy_text, const std::set<std::string>& buckets,
                                                       std::string_view own_account) {
  std::vector<FlaggedStatement> out;
  if (!PolicyTextReadable(policy_text)) return out;
  const json doc = json::parse(policy_text, nullptr, false);
  json statements = JAt(doc, "Statement");
  if (statements.is_object()) statements = json::array({statements});
  for (const json& s : statements.is_array() ? statements : json::array()) {
    if (JStr(s, "Effect") != "Allow" || !S3MayInvoke(JAt(s, "Principal"))) continue;
    const json& condition = JAt(s, "Condition");
    std::vector<std::string> accounts = ConditionValues(condition, "aws:SourceAccount", {"StringEquals", "StringLike"});
    std::erase_if(accounts, [](const std::string& a) { return a.find_first_of("*?") != std::string::npos; });  // pins nothing
    const bool own = !accounts.empty() && std::all_of(accounts.begin(), accounts.end(), [&](const std::string& a) { return a == own_account; });
    if (!accounts.empty() && !own) continue;  // pinned to a partner's account
    std::vector<std::string> foreign;
    for (const std::string& arn : ConditionValues(condition, "aws:SourceArn", {"ArnLike", "ArnEquals", "StringEquals", "StringLike"})) {
      const std::string bucket = BucketOf(arn);
      if (bucket.empty()) continue;
      const bool pattern = bucket.find_first_of("*?") != std::string::npos;
      if (pattern ? !own : !buckets.count(bucket)) foreign.push_back(bucket);
    }
    if (foreign.empty()) continue;
    const std::string sid = JStr(s, "Sid", "(no Sid)");
    const std::string names = fmt::format("{}", fmt::join(foreign, ", "));
    if (own) {
      out.push_back({sid, s, kForeignSourceBucketRule, Severity::kLow,
                     fmt::format("Statement {} trusts bucket {}, which the account no longer has", sid, names),
                     "The statement's source bucket is not among the account's buckets, and aws:SourceAccount is the account's own: "
                     "it grants nothing and is left over from a deleted bucket.",
                     "Remove the statement."});
    } else {
      out.push_back({sid, s, kForeignSourceBucketRule, Severity::kHigh,
                     fmt::format("Statement {} lets whoever owns bucket {} invoke the function", sid, names),
                     fmt::format("The statement's source bucket {} is not among the account's buckets (deleted, or never the account's) "
                                 "and the statement has no aws:SourceAccount: bucket ARNs name no account, so whoever creates or "
                                 "owns a bucket of that name, in any account, can invoke the function.",
                                 names),
                     "Remove the statement; to trigger from a bucket of the account again, add the permission back with "
                     "--source-account."});
    }
  }
  return out;
}

}  // namespace lir
