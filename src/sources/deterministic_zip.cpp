#include "sources/deterministic_zip.h"

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace lir {

namespace {

constexpr zip_uint16_t kDosDate1980 = (0 << 9) | (1 << 5) | 1;  // 1980-01-01, the zip format's earliest date

struct Entry {
  std::string relative;
  std::filesystem::path path;
  bool executable = false;
};

Result<std::string> ReadWhole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, fmt::format("{}: cannot read", path.string()));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Result<std::string> DeterministicZip(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<Entry> entries;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || it->is_symlink()) continue;
    const auto perms = it->status().permissions();
    entries.push_back({fs::relative(it->path(), dir).generic_string(), it->path(), (perms & fs::perms::owner_exec) != fs::perms::none});
  }
  if (ec) return MakeError(ErrorCode::kIo, fmt::format("{}: {}", dir, ec.message()));
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.relative < b.relative; });

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* sink = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = zip_open_from_source(sink, ZIP_TRUNCATE, &error);
  if (archive == nullptr) return MakeError(ErrorCode::kInternal, "libzip: cannot create an archive");
  zip_source_keep(sink);
  std::deque<std::string> contents;  // libzip reads these at zip_close
  for (const Entry& e : entries) {
    auto bytes = ReadWhole(e.path);
    if (!bytes) {
      zip_discard(archive);
      zip_source_free(sink);
      return tl::unexpected(bytes.error());
    }
    contents.push_back(std::move(*bytes));
    zip_source_t* file = zip_source_buffer(archive, contents.back().data(), contents.back().size(), 0);
    const zip_int64_t index = zip_file_add(archive, e.relative.c_str(), file, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(file);
      zip_discard(archive);
      zip_source_free(sink);
      return MakeError(ErrorCode::kInternal, fmt::format("libzip: cannot add {}", e.relative));
    }
    const auto i = static_cast<zip_uint64_t>(index);
    zip_file_set_dostime(archive, i, 0, kDosDate1980, 0);
    const zip_uint32_t mode = (S_IFREG | (e.executable ? 0755 : 0644));
    zip_file_set_external_attributes(archive, i, 0, ZIP_OPSYS_UNIX, mode << 16);
    zip_set_file_compression(archive, i, ZIP_CM_DEFLATE, 9);
  }
  if (zip_close(archive) != 0) return MakeError(ErrorCode::kInternal, "libzip: cannot write the archive");
  zip_source_open(sink);
  zip_source_seek(sink, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(sink);
  zip_source_seek(sink, 0, SEEK_SET);
  std::string out(static_cast<size_t>(size), '\0');
  zip_source_read(sink, out.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(sink);
  zip_source_free(sink);
  return out;
}

}  // namespace lir
