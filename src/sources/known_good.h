// Known-good code for comparison, as the user names it: a directory, a zip file, or
// git:REPO@REF[:SUBDIR] (read with `git archive`, no shell). Trusted input: the responder's
// own version control, not evidence.
#pragma once

#include <string>

#include "core/result.h"

namespace lir {

// Returns a zip of the known-good tree: a directory is zipped in memory, deterministically
// (files under .git skipped); git:REPO@REF gives `git archive`, itself fixed for a commit.
Result<std::string> LoadKnownGoodZip(const std::string& spec);

}  // namespace lir
