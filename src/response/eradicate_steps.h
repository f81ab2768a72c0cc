// Eradication's changes: an attacker's function deleted (after it is in the case), known-good
// code redeployed and its CodeSha256 checked, a known-good configuration restored. Unlike
// containment these are not undone by recover: they are the fix.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "response/steps.h"

namespace lir {

class Journal;

inline constexpr const char* kKindDeleteFunction = "delete-function";
inline constexpr const char* kKindRedeploy = "redeploy";
inline constexpr const char* kKindRestoreConfig = "restore-config";
inline constexpr const char* kKindPublishVersion = "publish-version";
inline constexpr const char* kKindAlias = "alias";
inline constexpr const char* kKindMoveProvisioned = "move-provisioned-concurrency";

// `preserve` collects the function into the case and returns the snapshot's path; it runs as
// the step's prior-state read, so the deletion never happens before the evidence exists.
ResponseStep DeleteFunctionStep(const StepContext& ctx, const std::string& name, const std::function<Result<std::string>()>& preserve);

// `zip` is the package; `zip_path` where the case keeps it (named in the aws CLI line).
ResponseStep RedeployStep(const StepContext& ctx, std::string zip, const std::string& zip_path);

// The fields of a known-good configuration (GetFunctionConfiguration's shape) that restoring
// sets: Handler, Runtime, Timeout, MemorySize, Layers, Environment.
nlohmann::json RestorableConfiguration(const nlohmann::json& configuration);
// `environment_path`: the case file holding {"Variables": ...} for the aws CLI line (values
// never appear in the line, the journal or the output). `source` (the --restore-config value)
// keys the step with the configuration's non-secret fields: a digest of the values would let a
// short password be guessed from the journal.
ResponseStep RestoreConfigStep(const StepContext& ctx, const nlohmann::json& target, const std::string& environment_path,
                               const std::string& source);
// The digest that names a restore without its secrets: the source, the settings, the variable names.
std::string RestoreDigest(const nlohmann::json& target, const std::string& source);

// After $LATEST is fixed (code, configuration, role): a version of it, which the aliases
// that served tainted versions move to. `needs`: the keys of the $LATEST changes.
ResponseStep PublishVersionStep(const StepContext& ctx, const std::vector<std::string>& needs, const std::string& why);

// The version the publish step made, read when an alias step runs (from the journal).
using PublishedVersion = std::function<Result<std::string>()>;
// That reader, for the step `publish_key` of `journal` (none in a dry run: never called).
PublishedVersion PublishedVersionIn(Journal* journal, const std::string& publish_key);

// An alias moved off a tainted version (its weighted routing to one dropped too).
ResponseStep RepointAliasStep(const StepContext& ctx, const std::string& alias, const std::string& from_version, const std::string& publish_key,
                              const PublishedVersion& published);
// Provisioned concurrency on a tainted version qualifier, moved to the new version.
ResponseStep MoveProvisionedStep(const StepContext& ctx, const std::string& from_version, int requested, const std::string& publish_key,
                                 const PublishedVersion& published);

// Polls GetFunctionConfiguration until LastUpdateStatus is no longer InProgress; a Failed
// update is an error with Lambda's reason.
Result<nlohmann::json> WaitForFunctionUpdate(AwsCalls& calls, const std::string& function, int wait_seconds);

}  // namespace lir
