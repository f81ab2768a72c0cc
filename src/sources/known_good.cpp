#include "sources/known_good.h"

#include "core/process.h"
#include "sources/deterministic_zip.h"

#include <zip.h>

#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace lir {
Result<std::string> LoadKnownGoodZip(const std::string& spec) {
  namespace fs = std::filesystem;
  if (spec.rfind("git:", 0) == 0) {
    // git:REPO@REF[:SUBDIR]
    const std::string rest = spec.substr(4);
    const size_t at = rest.rfind('@');
    if (at == std::string::npos) return MakeError(ErrorCode::kInvalidArgument, "--known-good git: needs REPO@REF[:SUBDIR]");
    const std::string repo = rest.substr(0, at), ref = rest.substr(at + 1);
    if (ref.empty() || ref[0] == '-') return MakeError(ErrorCode::kInvalidArgument, "--known-good: bad git reference");
    return RunAndCapture({"git", "-C", repo, "archive", "--format=zip", ref}, size_t{1} << 30, 600'000);
  }
  std::error_code ec;
  if (fs::is_directory(spec, ec)) return DeterministicZip(spec);
  std::ifstream in(spec, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, fmt::format("--known-good {}: no such directory, zip or git:REPO@REF", spec));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace lir
