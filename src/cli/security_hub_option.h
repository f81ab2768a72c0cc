// `--to-security-hub`: a command's findings sent to the caller's Security Hub as ASFF.
#pragma once

#include "analysis/engine.h"
#include "cli/aws_options.h"
#include "report/report.h"

namespace CLI {
class App;
}

namespace lir {

void AddSecurityHubOption(CLI::App* command, bool* to_security_hub);

// Imports `result`'s findings into the Security Hub of the caller's account and region;
// prints what was imported and rejected on stderr. kExitOk, or kExitAws when any finding
// was rejected or not sent.
int SendToSecurityHub(const AwsCliArgs& aws, const AnalysisResult& result, const ReportContext& context);

}  // namespace lir
