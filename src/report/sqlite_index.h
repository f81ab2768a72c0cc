// The case's SQLite index (index.sqlite): the timeline's events, the function logs, the
// findings and the manifest's artifacts, as tables a responder can query with sqlite3.
// Derived data, rebuilt on demand; `verify` does not hash it.
#pragma once

#include <string>

#include "analysis/engine.h"
#include "core/result.h"

namespace lir {

Result<void> WriteCaseIndex(const std::string& case_dir, const AnalysisResult& result);

}  // namespace lir
