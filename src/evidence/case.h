// The evidence case: a directory (mode 0700) holding artifacts exactly as received
// (read-only once written), manifest.json listing each with its SHA-256, size, the API
// call and request id that produced it and when, and custody.log, an append-only log whose
// lines chain by hash (each carries the previous line's SHA-256 and its own). `VerifyCase`
// re-hashes everything.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace lir {

struct ArtifactSource {
  std::string service;     // lambda, iam, cloudtrail, ... or "local"
  std::string operation;   // GetFunction, ...
  std::string request_id;  // AWS request id, when there is one
};

struct ArtifactEntry {
  std::string path;  // relative to the case directory, e.g. artifacts/lambda/payments/config.json
  std::string sha256;
  uint64_t size = 0;
  ArtifactSource source;
  TimestampMs collected_at = 0;
};

class EvidenceCase {
 public:
  // `actor` is who acts (the caller identity ARN for live commands): it goes in every custody line.
  static Result<std::unique_ptr<EvidenceCase>> Create(const std::string& dir, const std::string& case_id,
                                                      const std::string& actor, std::string tool_version);
  static Result<std::unique_ptr<EvidenceCase>> Open(const std::string& dir, const std::string& actor);

  // Writes `bytes` to `relative` (letters, digits, . _ - and / only; no "..": names derived
  // from evidence are never paths), read-only, then lists it and records it. Thread-safe.
  Result<ArtifactEntry> AddArtifact(const std::string& relative, std::string_view bytes, const ArtifactSource& source);
  // Appends a custody line for an action that produced no artifact (a change, a decision).
  Result<void> Record(const std::string& action, const std::string& detail_json);

  const std::string& dir() const { return dir_; }
  const std::string& case_id() const { return case_id_; }
  std::vector<ArtifactEntry> artifacts() const;
  std::string custody_head() const;  // SHA-256 of the last custody line: note it outside the case

  static bool IsSafeRelativePath(std::string_view path);

 private:
  EvidenceCase() = default;
  Result<void> AppendCustody(const std::string& action, const std::string& detail_json);
  Result<void> WriteManifest();

  mutable std::mutex mutex_;
  std::string dir_, case_id_, actor_, tool_version_;
  TimestampMs created_at_ = 0;
  std::vector<ArtifactEntry> artifacts_;
  uint64_t custody_seq_ = 0;
  std::string custody_head_;
};

struct VerifyProblem {
  std::string kind;  // missing, modified, size-changed, writable, unlisted, custody-broken, manifest
  std::string path;
  std::string message;
};

struct VerifyReport {
  size_t artifacts_checked = 0;
  size_t custody_lines = 0;
  std::string custody_head;
  std::vector<VerifyProblem> problems;
  bool ok() const { return problems.empty(); }
};

VerifyReport VerifyCase(const std::string& dir);

}  // namespace lir
