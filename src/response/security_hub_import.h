// Findings into AWS Security Hub: BatchImportFindings in batches of 100 (the API's limit),
// each finding's rejection reported by its Id, a call that fails stopping the rest (their
// count said), since the next batch would meet the same refusal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "response/aws_calls.h"

namespace lir {

struct SecurityHubImport {
  size_t batches = 0;   // calls answered
  size_t imported = 0;  // SuccessCount summed
  std::vector<std::string> rejected;  // "ID: ErrorCode: ErrorMessage" per failed finding
  size_t not_sent = 0;                // findings after a call that failed
  std::optional<Error> error;         // that call's error
};

inline constexpr size_t kSecurityHubBatch = 100;

// `findings`: an ASFF list (report/asff_report.cpp).
SecurityHubImport ImportToSecurityHub(AwsCalls& calls, const nlohmann::json& findings);

// One line for the responder: what was imported, what was not, and why.
std::string DescribeImport(const SecurityHubImport& import);

}  // namespace lir
