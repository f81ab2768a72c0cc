// Gathers a function's configuration evidence into a case: the function at $LATEST and
// every published version, aliases, resource policies, URL configs, concurrency, event
// invoke configs, code signing, tags, event source mappings, and the execution role with its
// trust, inline and attached policy documents, plus every other function using that role.
// Each response is stored exactly as received. Independent calls run concurrently.
// Packages come last: containment must not wait for them, and their presigned URLs live
// ten minutes, far longer than the configuration takes.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/aws_session.h"
#include "aws/operations.h"
#include "core/result.h"
#include "core/safe_name.h"
#include "evidence/case.h"

namespace lir {

class ProgressMeter;

struct CollectionOutcome {
  std::string role;                   // the execution role's name
  std::string log_group;              // LoggingConfig.LogGroup, else /aws/lambda/NAME
  std::vector<ArtifactEntry> artifacts;
  std::vector<std::string> notes;     // absent things (no policy, no URL) and calls the endpoint lacks
  std::vector<std::string> failures;  // calls that failed for other reasons (the rest went on)
  std::set<std::string> refused;      // the IAM actions of the reads refused: what to grant
};

// Paths inside a case for a function's artifacts (shared with the analysis that reads them).
std::string FunctionArtifactDir(const std::string& function);
std::string RoleArtifactDir(const std::string& role);

struct CollectOptions {
  bool packages = true;  // download and verify deployment and layer packages
  int jobs = 8;          // AWS calls in flight; 1 = one after another
  ProgressMeter* package_progress = nullptr;  // packages downloaded of those known, bytes of their CodeSize
  // Containment is throttling the function while the snapshot is taken: its reserved
  // concurrency is not read again (function.json's Concurrency, read first, is the value
  // before), and its provisioned configs are the list containment acted on.
  bool throttle_in_flight = false;
};

// A function's snapshot in three parts, each taken once whichever thread asks first:
// the function itself (GetFunction: containment reads the reserved concurrency it must record
// from this very answer, before throttling), the rest of the configuration, the packages.
// With `store` false (the case holds this function's snapshot already) the function is read
// but nothing is stored, and the other parts do nothing.
class FunctionSnapshot {
 public:
  FunctionSnapshot(aws::AwsSession& session, EvidenceCase* evidence, std::string function, CollectOptions options, bool store);
  ~FunctionSnapshot();
  FunctionSnapshot(const FunctionSnapshot&) = delete;
  FunctionSnapshot& operator=(const FunctionSnapshot&) = delete;

  Result<nlohmann::json> Function();  // GetFunction's answer, stored as function.json
  // ListProvisionedConcurrencyConfigs, once (stored as the snapshot's pages when it stores).
  Result<nlohmann::json> ProvisionedConfigs();
  Result<void> Configuration();       // everything else but packages; fails only if Function() did
  void Packages();                    // downloads and verifies; problems land in Outcome().failures
  CollectionOutcome Outcome();        // what is stored so far, notes and failures
  bool stores() const { return store_; }

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  bool store_;
};

// The three parts in order: collect, investigate, eradicate's collection before a deletion.
Result<CollectionOutcome> CollectFunctionConfiguration(aws::AwsSession& session, EvidenceCase& evidence,
                                                       const std::string& function, const CollectOptions& options = {});

// A layer version (GetLayerVersionByArn) and its package, into the case: before it is deleted.
// Returns the artifact path of its description.
Result<std::string> CollectLayerVersion(aws::AwsSession& session, EvidenceCase& evidence, const std::string& layer_version_arn);

// The operations a snapshot calls (the function, its versions, aliases, policies, URLs,
// concurrency, invoke configs, code signing, tags, mappings, the account's functions, the role
// and its policies, layers), and those collect adds (logs, metrics, CloudTrail, S3 archives).
const std::vector<aws::OperationRef>& SnapshotOperations();
const std::vector<aws::OperationRef>& CollectionOperations();

// Whether the case holds a configuration snapshot of the function (its function.json).
bool HasFunctionSnapshot(const std::string& case_dir, const std::string& function);

}  // namespace lir
