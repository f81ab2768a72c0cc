#include "cli/security_hub_option.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "aws/sts_client.h"
#include "cli/exit_codes.h"
#include "core/strings.h"
#include "report/report_sink.h"
#include "response/security_hub_import.h"

namespace lir {

void AddSecurityHubOption(CLI::App* command, bool* to_security_hub) {
  command->add_flag("--to-security-hub", *to_security_hub,
                    "Also import the findings into Security Hub (ASFF, BatchImportFindings in batches of 100) in the "
                    "caller's account and region; a second run updates them (stable ids)");
}

int SendToSecurityHub(const AwsCliArgs& aws, const AnalysisResult& result, const ReportContext& context) {
  auto live = OpenSession(aws);
  if (!live) return kExitAws;
  // The findings belong to the importing account's own product: its id and region make the ARN.
  aws::StsClient sts(live->session->context());
  auto identity = sts.GetCallerIdentity();
  if (!identity) {
    fmt::print(stderr, "lambda-ir: Security Hub: nothing sent: {}\n", SanitizeForTerminal(identity.error().message));
    return kExitAws;
  }
  SinkOptions options;
  options.asff_account = identity->account;
  options.asff_region = sts.client().region();
  const auto findings = nlohmann::json::parse(RenderReport("asff", result, context, options));
  if (findings.empty()) {
    fmt::print(stderr, "lambda-ir: Security Hub: no finding to import\n");
    return kExitOk;
  }
  AwsCalls calls(*live->session);
  const SecurityHubImport import = ImportToSecurityHub(calls, findings);
  fmt::print(stderr, "lambda-ir: {}\n", DescribeImport(import));
  return import.rejected.empty() && !import.error ? kExitOk : kExitAws;
}

}  // namespace lir
