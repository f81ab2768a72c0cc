// Reading a file whose path or contents someone else may have arranged (a case directory
// after the fact, a rules directory): only a regular file is opened (no symlink followed at
// the last component, no FIFO that blocks, no /dev/zero that never ends), and never more
// than a stated number of bytes.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace lir {

// What analysis reads from a case: documents, log lines, a deployment package (Lambda's own
// limit for a package is 250 MB unzipped).
inline constexpr uint64_t kMaxCaseFileBytes = 1ull << 30;

// The whole file, or kCorruptInput naming why not: a symlink, not a regular file, larger
// than `max_bytes`. kNotFound when it does not exist; kIo for other failures.
// `follow_links` for files that are links by design (Kubernetes projects service-account
// tokens through symlinks); the target must still be a regular file within the bound.
Result<std::string> ReadRegularFile(const std::string& path, uint64_t max_bytes, bool follow_links = false);

}  // namespace lir
