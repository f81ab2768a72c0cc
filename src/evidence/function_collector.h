// Gathers a function's configuration evidence into a case: the function at $LATEST and
// every published version, aliases, resource policies, URL configs, concurrency, event
// invoke config, code signing, tags, event source mappings, and the execution role with its
// trust, inline and attached policy documents, plus every other function using that role.
// Each response is stored exactly as received. Independent calls run concurrently.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "aws/aws_session.h"
#include "core/result.h"
#include "core/safe_name.h"
#include "evidence/case.h"

namespace lir {

struct CollectionOutcome {
  std::string role;                   // the execution role's name
  std::string log_group;              // LoggingConfig.LogGroup, else /aws/lambda/NAME
  std::vector<ArtifactEntry> artifacts;
  std::vector<std::string> notes;     // absent things (no policy, no URL) and calls the endpoint lacks
  std::vector<std::string> failures;  // calls that failed for other reasons (the rest went on)
};

// Paths inside a case for a function's artifacts (shared with the analysis that reads them).
std::string FunctionArtifactDir(const std::string& function);
std::string RoleArtifactDir(const std::string& role);

struct CollectOptions {
  bool packages = true;  // download and verify deployment and layer packages
  int jobs = 8;          // AWS calls in flight; 1 = one after another
  std::function<void(size_t artifacts)> progress;  // called as artifacts land (the CLI draws it on a TTY)
};

Result<CollectionOutcome> CollectFunctionConfiguration(aws::AwsSession& session, EvidenceCase& evidence,
                                                       const std::string& function, const CollectOptions& options = {});

}  // namespace lir
