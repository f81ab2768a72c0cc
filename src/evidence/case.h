// The evidence case: a directory (mode 0700) holding artifacts exactly as received
// (read-only once written), manifest.json listing each with its SHA-256, size, the API
// call and request id that produced it and when, and custody.log, an append-only log whose
// lines chain by hash (each carries the previous line's SHA-256 and its own). `VerifyCase`
// re-hashes everything.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace lir {

class ProgressMeter;

// The `prev` of a custody log's first line.
inline const std::string kCustodyGenesis(64, '0');

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
  // The same, for callers that go on whatever happens: a line that could not be written is
  // returned as a sentence for the caller's failures or warnings, never dropped; empty if written.
  std::string RecordOrSay(const std::string& action, const std::string& detail_json);

  const std::string& dir() const { return dir_; }
  const std::string& case_id() const { return case_id_; }
  std::vector<ArtifactEntry> artifacts() const;
  // One read of AWS (a call, or a paginated call's pages) that another may have stored already
  // (two functions on one role): the same bytes at the same paths add nothing; otherwise every
  // page goes under one free name beside the first copy ("role.2.json", "x.2.page-1.json"),
  // never over it, and `kept_as` gets the first page's name. Decided and written under the
  // case's lock, so two snapshots at once cannot collide.
  Result<std::vector<ArtifactEntry>> AddReadBeside(const std::vector<std::string>& paths, const std::vector<std::string_view>& bytes,
                                                   const std::vector<ArtifactSource>& sources, std::string* kept_as);
  // "iam/roles/x/role.json", 2 gives "iam/roles/x/role.2.json".
  static std::string NameBeside(const std::string& path, int n);
  std::string custody_head() const;  // SHA-256 of the last custody line: note it outside the case

  static bool IsSafeRelativePath(std::string_view path);

  // Counts every artifact stored from now on (one each, with its bytes) for a progress line.
  void CountArtifactsIn(ProgressMeter* meter) { progress_ = meter; }

 private:
  EvidenceCase() = default;
  Result<ArtifactEntry> AddArtifactLocked(const std::string& relative, std::string_view bytes, const ArtifactSource& source);
  Result<void> AppendCustody(const std::string& action, const std::string& detail_json);
  Result<void> WriteManifest();

  mutable std::mutex mutex_;
  std::string dir_, case_id_, actor_, tool_version_;
  TimestampMs created_at_ = 0;
  std::vector<ArtifactEntry> artifacts_;
  uint64_t custody_seq_ = 0;
  std::string custody_head_;
  ProgressMeter* progress_ = nullptr;
};

struct VerifyProblem {
  // missing, modified, size-changed, writable, permissions, unexpected, unlisted, unreadable,
  // custody-broken, custody-head, manifest
  std::string kind;
  std::string path;
  std::string message;
};

struct VerifyOptions {
  // A custody head noted outside the case (printed by collect/investigate/contain): the chain
  // must contain it, so lines before it cannot have been removed or rewritten since.
  std::string expect_head;
};

struct VerifyReport {
  size_t artifacts_checked = 0;
  size_t custody_lines = 0;
  std::string custody_head;
  size_t expect_head_line = 0;  // the line whose hash is the expected head; 0 when not given or not found
  std::vector<VerifyProblem> problems;
  bool ok() const { return problems.empty(); }
};

// Proves the case from its files alone: manifest and custody log cross-checked both ways,
// the manifest's custody head equal to the log's last line, every artifact re-hashed (only
// regular files opened, sizes bounded by the manifest), modes, links and strays reported.
VerifyReport VerifyCase(const std::string& dir, const VerifyOptions& options = {});

}  // namespace lir
