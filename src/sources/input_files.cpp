#include "sources/input_files.h"

#include "core/strings.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace lir {
namespace fs = std::filesystem;
namespace {

bool HasSuffix(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool LooksLikeTrailFile(const std::string& name) {
  return HasSuffix(name, ".json") || HasSuffix(name, ".json.gz") || HasSuffix(name, ".jsonl") ||
         HasSuffix(name, ".jsonl.gz") || HasSuffix(name, ".gz");
}

}  // namespace

bool IsDigestFileName(const std::string& path) {
  return path.find("CloudTrail-Digest") != std::string::npos;
}

std::optional<TrailFileName> ParseTrailFileName(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto parts = Split(name, '_');
  if (parts.size() != 5 || parts[1] != "CloudTrail") return std::nullopt;
  const std::string_view account = parts[0], region = parts[2], stamp = parts[3];
  if (account.size() != 12 || account.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  if (region.empty() || stamp.size() != 14 || stamp[8] != 'T' || stamp[13] != 'Z') return std::nullopt;
  return TrailFileName{std::string(account), std::string(region), std::string(stamp)};
}

bool AccountWanted(const std::vector<std::string>& accounts, std::string_view account) {
  return accounts.empty() || std::find(accounts.begin(), accounts.end(), account) != accounts.end();
}

bool NameExcludes(const InputFile& file, const std::vector<std::string>& accounts, const std::string& region) {
  if (accounts.empty() && region.empty()) return false;
  const auto parsed = ParseTrailFileName(file.path);
  if (!parsed) return false;
  return !AccountWanted(accounts, parsed->account) || (!region.empty() && parsed->region != region);
}

std::vector<InputFile> DiscoverInputs(const std::vector<std::string>& paths,
                                      std::vector<ReadIssue>* issues) {
  std::vector<InputFile> inputs;
  for (const std::string& path : paths) {
    if (path == "-") {
      inputs.push_back({"-", 0});
      continue;
    }
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      issues->push_back({IssueKind::kBadFile, path, "", "no such file or directory"});
      continue;
    }
    if (fs::is_regular_file(status)) {
      inputs.push_back({path, static_cast<uint64_t>(fs::file_size(path, ec))});
      continue;
    }
    if (!fs::is_directory(status)) {
      issues->push_back({IssueKind::kBadFile, path, "", "not a regular file or directory"});
      continue;
    }
    std::vector<InputFile> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      issues->push_back({IssueKind::kBadFile, path, "", ec.message()});
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        // The iterator is at its end after an error: say where the walk stopped.
        issues->push_back({IssueKind::kBadFile, path, "", "directory walk stopped: " + ec.message()});
        break;
      }
      const fs::directory_entry& entry = *it;
      const std::string name = entry.path().filename().string();
      if (entry.is_directory(ec)) {
        if (name == "CloudTrail-Digest") {
          it.disable_recursion_pending();
        } else if (access(entry.path().c_str(), R_OK | X_OK) != 0) {
          // A directory of the archive the responder cannot read is evidence not looked at.
          issues->push_back({IssueKind::kBadFile, entry.path().string(), "",
                             std::string("directory not read: ") + std::strerror(errno)});
          it.disable_recursion_pending();
        }
        continue;
      }
      if (!entry.is_regular_file(ec) || !LooksLikeTrailFile(name)) continue;
      if (IsDigestFileName(entry.path().string())) continue;
      found.push_back({entry.path().string(), static_cast<uint64_t>(entry.file_size(ec))});
    }
    std::sort(found.begin(), found.end(),
              [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    inputs.insert(inputs.end(), found.begin(), found.end());
  }
  return inputs;
}

std::optional<TimestampMs> DayFolderOf(std::string_view path) {
  const auto parts = Split(path, '/');
  for (size_t i = 0; i + 4 < parts.size(); ++i) {
    if (parts[i] != "CloudTrail") continue;
    const std::string date = std::string(parts[i + 2]) + "-" + std::string(parts[i + 3]) + "-" + std::string(parts[i + 4]);
    return ParseIso8601(date);
  }
  return std::nullopt;
}

}  // namespace lir
