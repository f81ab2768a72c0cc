// A zip whose bytes depend only on the files' paths, contents and executable bits: entries
// sorted, one fixed timestamp, fixed permissions, one compression level. The same tree
// zipped twice (or on two machines) gives the same bytes, so a redeployed package's
// CodeSha256 can be predicted and checked.
#pragma once

#include <string>

#include "core/result.h"

namespace lir {

// Zips the regular files under `dir` (symlinks and .git skipped), paths relative to it.
Result<std::string> DeterministicZip(const std::string& dir);

}  // namespace lir
