#include "analysis/package_diff.h"

#include <algorithm>
#include <sstream>

#include <dtl/dtl.hpp>
#include <fmt/format.h>

#include "analysis/package_analysis.h"
#include "core/strings.h"

namespace lir {
namespace {

constexpr size_t kMaxDiffInput = 512 * 1024;  // per file: larger text is compared by hash only
constexpr size_t kMaxDiffLines = 200;

bool LooksText(const std::string& s) {
  return s.find('\0') == std::string::npos;
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  for (std::string_view l : Split(s, '\n')) out.emplace_back(l);
  return out;
}

std::string UnifiedDiff(const std::string& path, const std::string& a, const std::string& b) {
  if (!LooksText(a) || !LooksText(b) || a.size() > kMaxDiffInput || b.size() > kMaxDiffInput) return {};
  dtl::Diff<std::string, std::vector<std::string>> diff(Lines(a), Lines(b));
  diff.onHuge();
  diff.compose();
  diff.composeUnifiedHunks();
  std::ostringstream hunks;
  diff.printUnifiedFormat(hunks);
  std::string out = fmt::format("--- known-good/{}\n+++ collected/{}\n", path, path);
  size_t lines = 0;
  for (std::string_view line : Split(hunks.str(), '\n')) {
    if (line.empty()) continue;
    if (++lines > kMaxDiffLines) {
      out += "... (diff cut)\n";
      break;
    }
    out += SanitizeForTerminal(line) + "\n";
  }
  return out;
}

Finding Make(const char* rule, Severity severity, std::string title, std::string description, const std::string& resource,
             const std::string& reference, TimestampMs time) {
  return EvidenceFinding(rule, severity, std::move(title), std::move(description),
                         "Redeploy from version control (never from the copy in AWS), after collecting this package.", resource,
                         "(package vs known-good)", "package", reference, time);
}

}  // namespace

Result<FileTree> TreeFromZip(std::string_view zip_bytes, const std::string& name) {
  FileTree tree;
  auto report = InspectPackage(zip_bytes, name, "", PackageLimits{},
                               [&](const PackageEntry& e, std::string_view content) { tree[e.name] = std::string(content); });
  if (!report) return tl::unexpected(report.error());
  if (!report->complete) return MakeError(ErrorCode::kTooLarge, name + ": package exceeds the reading limits");
  return tree;
}

std::vector<FileChange> DiffTrees(const FileTree& known_good, const FileTree& collected) {
  std::vector<FileChange> changes;
  for (const auto& [path, content] : collected) {
    auto it = known_good.find(path);
    if (it == known_good.end()) {
      changes.push_back({FileChange::Kind::kAdded, path, UnifiedDiff(path, "", content)});
    } else if (it->second != content) {
      changes.push_back({FileChange::Kind::kModified, path, UnifiedDiff(path, it->second, content)});
    }
  }
  for (const auto& [path, content] : known_good) {
    if (!collected.count(path)) changes.push_back({FileChange::Kind::kRemoved, path, {}});
  }
  std::sort(changes.begin(), changes.end(), [](const FileChange& a, const FileChange& b) { return a.path < b.path; });
  return changes;
}

std::vector<Finding> KnownGoodFindings(const std::vector<FileChange>& changes, const std::vector<std::string>& handler_files,
                                       const std::string& resource, const std::string& reference, TimestampMs time) {
  std::vector<Finding> out;
  std::vector<std::string> other;
  std::string other_diffs;
  for (const FileChange& c : changes) {
    const char* kind = c.kind == FileChange::Kind::kAdded ? "added" : c.kind == FileChange::Kind::kRemoved ? "removed" : "modified";
    const bool handler = std::find(handler_files.begin(), handler_files.end(), c.path) != handler_files.end();
    if (handler) {
      out.push_back(Make("lambda_package_handler_changed", Severity::kCritical,
                         fmt::format("Handler file {} {} against known-good code", SanitizeForTerminal(c.path), kind),
                         c.diff.empty() ? "The file the runtime loads first differs from version control." : c.diff, resource,
                         reference, time));
    } else {
      other.push_back(fmt::format("{} {}", kind, SanitizeForTerminal(c.path)));
      if (other_diffs.size() < 16 * 1024) other_diffs += c.diff;
    }
  }
  if (!other.empty()) {
    out.push_back(Make("lambda_package_differs_from_known_good", Severity::kHigh,
                       fmt::format("{} file(s) differ from known-good code", other.size()),
                       fmt::format("{}\n{}", fmt::join(other, "; "), other_diffs), resource, reference, time));
  }
  return out;
}

}  // namespace lir
