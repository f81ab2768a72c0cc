// A deployment or layer package, read in memory (never extracted to disk) within limits on
// entry count, total size and compression ratio. Reports traversal names, absolute paths,
// symlinks and bombs, and hands each regular file's bytes to a visitor (for YARA).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/finding.h"
#include "core/result.h"

namespace lir {

struct PackageLimits {
  size_t max_entries = 100'000;
  uint64_t max_total_bytes = 1ULL << 30;  // Lambda unzips to 250 MB; a quarter of a GiB over is hostile
  uint64_t max_file_bytes = 256ULL << 20;
  double max_ratio = 200.0;               // uncompressed / compressed, per entry
};

struct PackageEntry {
  std::string name;
  uint64_t size = 0;
  uint64_t compressed = 0;
  bool symlink = false;
  bool directory = false;
};

struct PackageReport {
  std::vector<PackageEntry> entries;
  std::vector<Finding> findings;
  bool complete = true;  // false when a limit stopped the reading
};

using PackageFileVisitor = std::function<void(const PackageEntry&, std::string_view content)>;

// `reference` names the artifact in findings; `resource` is the function or layer ARN.
Result<PackageReport> InspectPackage(std::string_view zip_bytes, const std::string& reference, const std::string& resource,
                                     const PackageLimits& limits, const PackageFileVisitor& visit = nullptr);

// The file a Python or Node.js handler names ("app.handler" -> app.py; "src/index.handler" ->
// src/index.js/.mjs/.cjs); empty for runtimes whose handler is not a file.
std::vector<std::string> HandlerFiles(const std::string& runtime, const std::string& handler);

}  // namespace lir
