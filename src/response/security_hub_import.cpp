#include "response/security_hub_import.h"

#include <fmt/format.h>

#include "aws/aws_error.h"
#include "core/strings.h"

namespace lir {

SecurityHubImport ImportToSecurityHub(AwsCalls& calls, const nlohmann::json& findings) {
  SecurityHubImport out;
  for (size_t at = 0; at < findings.size(); at += kSecurityHubBatch) {
    const size_t end = std::min(findings.size(), at + kSecurityHubBatch);
    aws::CallParams params;
    params.body = {{"Findings", nlohmann::json(findings.begin() + static_cast<std::ptrdiff_t>(at),
                                               findings.begin() + static_cast<std::ptrdiff_t>(end))}};
    auto answer = calls.Call(aws::Service::kSecurityHub, "BatchImportFindings", params);
    if (!answer) {
      out.error = answer.error();
      out.not_sent = findings.size() - at;
      return out;
    }
    ++out.batches;
    out.imported += answer->value("SuccessCount", size_t{0});
    for (const auto& failed : answer->value("FailedFindings", nlohmann::json::array())) {
      out.rejected.push_back(fmt::format("{}: {}: {}", failed.value("Id", ""), failed.value("ErrorCode", ""),
                                         failed.value("ErrorMessage", "")));
    }
  }
  return out;
}

std::string DescribeImport(const SecurityHubImport& import) {
  std::string text = fmt::format("Security Hub: {} finding(s) imported in {} call(s)", import.imported, import.batches);
  if (!import.rejected.empty()) {
    text += fmt::format(", {} rejected:", import.rejected.size());
    for (const auto& r : import.rejected) text += "\n  " + SanitizeForTerminal(r);
  }
  if (import.error) {
    text += fmt::format("\n  {} finding(s) not sent: {}", import.not_sent, SanitizeForTerminal(import.error->message));
    const std::string remedy = aws::RemedyFor(*import.error);
    if (!remedy.empty()) text += "\n  next: " + remedy;
  }
  return text;
}

}  // namespace lir
