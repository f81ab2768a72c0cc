#include "sources/known_good.h"

#include "core/process.h"

#include <zip.h>

#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace lir {
namespace {

Result<std::string> ZipDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* sink = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = zip_open_from_source(sink, ZIP_TRUNCATE, &error);
  if (archive == nullptr) return MakeError(ErrorCode::kInternal, "libzip: cannot create an archive");
  zip_source_keep(sink);
  std::error_code ec;
  std::deque<std::string> keep_alive;  // libzip reads these at zip_close: references must stay valid
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    keep_alive.push_back(s.str());
    zip_source_t* file = zip_source_buffer(archive, keep_alive.back().data(), keep_alive.back().size(), 0);
    zip_file_add(archive, fs::relative(it->path(), dir).generic_string().c_str(), file, ZIP_FL_OVERWRITE);
  }
  if (zip_close(archive) != 0) return MakeError(ErrorCode::kInternal, "libzip: cannot write the archive");
  zip_source_open(sink);
  zip_source_seek(sink, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(sink);
  zip_source_seek(sink, 0, SEEK_SET);
  std::string bytes(static_cast<size_t>(size), '\0');
  zip_source_read(sink, bytes.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(sink);
  zip_source_free(sink);
  return bytes;
}

}  // namespace

Result<std::string> LoadKnownGoodZip(const std::string& spec) {
  namespace fs = std::filesystem;
  if (spec.rfind("git:", 0) == 0) {
    // git:REPO@REF[:SUBDIR]
    const std::string rest = spec.substr(4);
    const size_t at = rest.rfind('@');
    if (at == std::string::npos) return MakeError(ErrorCode::kInvalidArgument, "--known-good git: needs REPO@REF[:SUBDIR]");
    const std::string repo = rest.substr(0, at), ref = rest.substr(at + 1);
    if (ref.empty() || ref[0] == '-') return MakeError(ErrorCode::kInvalidArgument, "--known-good: bad git reference");
    return RunAndCapture({"git", "-C", repo, "archive", "--format=zip", ref}, size_t{1} << 30);
  }
  std::error_code ec;
  if (fs::is_directory(spec, ec)) return ZipDirectory(spec);
  std::ifstream in(spec, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, fmt::format("--known-good {}: no such directory, zip or git:REPO@REF", spec));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace lir
