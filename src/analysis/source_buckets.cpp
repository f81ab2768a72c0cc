#include "analysis/source_buckets.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/json_util.h"
#include "core/strings.h"

namespace lir {

using nlohmann::json;

namespace {

// Every value a condition gives `key` (aws:SourceArn, matched without case), under any operator.
std::vector<std::string> ConditionValues(const json& condition, std::string_view key) {
  std::vector<std::string> out;
  if (!condition.is_object()) return out;
  for (const auto& [op, keys] : condition.items()) {
    if (!keys.is_object()) continue;
    for (const auto& [k, value] : keys.items()) {
      if (!IEquals(k, key)) continue;
      if (value.is_string()) out.push_back(value.get<std::string>());
      for (const json& v : value.is_array() ? value : json::array()) {
        if (v.is_string()) out.push_back(v.get<std::string>());
      }
    }
  }
  return out;
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
    if (JStr(s, "Effect") != "Allow") continue;
    const json& condition = JAt(s, "Condition");
    const std::vector<std::string> accounts = ConditionValues(condition, "aws:SourceAccount");
    const bool own = !accounts.empty() && std::all_of(accounts.begin(), accounts.end(), [&](const std::string& a) { return a == own_account; });
    if (!accounts.empty() && !own) continue;  // pinned to a partner's account
    std::vector<std::string> foreign;
    for (const std::string& arn : ConditionValues(condition, "aws:SourceArn")) {
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
