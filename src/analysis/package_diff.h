// The collected package against known-good code (from version control): files added,
// removed and modified, with unified text diffs; a changed handler file is critical.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/finding.h"
#include "core/result.h"

namespace lir {

// path -> content, every regular file of a package or source tree (bounded by the reader).
using FileTree = std::map<std::string, std::string>;

Result<FileTree> TreeFromZip(std::string_view zip_bytes, const std::string& name);

struct FileChange {
  enum class Kind { kAdded, kRemoved, kModified };
  Kind kind;
  std::string path;
  std::string diff;  // unified diff for text files (bounded), empty for binary ones
};

std::vector<FileChange> DiffTrees(const FileTree& known_good, const FileTree& collected);

std::vector<Finding> KnownGoodFindings(const std::vector<FileChange>& changes, const std::vector<std::string>& handler_files,
                                       const std::string& resource, const std::string& reference, TimestampMs time);

}  // namespace lir
