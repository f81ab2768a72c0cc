#include "analysis/package_analysis.h"

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "core/strings.h"

namespace lir {
namespace {

Finding Make(const char* rule, Severity severity, std::string title, std::string description, std::string remediation,
             const std::string& reference, const std::string& resource) {
  return EvidenceFinding(rule, severity, std::move(title), std::move(description), std::move(remediation), resource, "(package)",
                         "package", reference, 0);
}

bool Traverses(std::string_view name) {
  if (!name.empty() && (name.front() == '/' || name.front() == '\\')) return true;
  if (name.size() > 1 && name[1] == ':') return true;  // C:\...
  for (std::string_view part : Split(name, '/')) {
    for (std::string_view piece : Split(part, '\\')) {
      if (piece == "..") return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> HandlerFiles(const std::string& runtime, const std::string& handler) {
  const size_t dot = handler.rfind('.');
  if (dot == std::string::npos) return {};
  const std::string module = handler.substr(0, dot);
  if (runtime.rfind("python", 0) == 0) {
    std::string path = module;
    // Python handlers may use dots for packages: pkg.module.handler -> pkg/module.py
    if (path.find('/') == std::string::npos) std::replace(path.begin(), path.end(), '.', '/');
    return {path + ".py"};
  }
  if (runtime.rfind("nodejs", 0) == 0) return {module + ".js", module + ".mjs", module + ".cjs"};
  return {};
}

Result<PackageReport> InspectPackage(std::string_view bytes, const std::string& reference, const std::string& resource,
                                     const PackageLimits& limits, const PackageFileVisitor& visit) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) return MakeError(ErrorCode::kInternal, "libzip: cannot create a buffer source");
  zip_t* raw = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (raw == nullptr) {
    zip_source_free(source);
    const std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return MakeError(ErrorCode::kCorruptInput, fmt::format("{}: not a readable zip ({})", reference, why));
  }
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(raw, &zip_discard);
  PackageReport report;
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  if (count < 0 || static_cast<uint64_t>(count) > limits.max_entries) {
    report.complete = false;
    report.findings.push_back(Make("lambda_package_bomb", Severity::kHigh, fmt::format("Package lists {} entries", count),
                                   fmt::format("More than the {} entries a function package plausibly holds: reading stopped.", limits.max_entries),
                                   "Inspect the package offline with care; it may be built to exhaust tools.", reference, resource));
    return report;
  }
  uint64_t total = 0;
  std::vector<std::string> traversal, symlinks;
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    if (zip_stat_index(archive.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
    PackageEntry e;
    e.name = st.name ? st.name : "";
    e.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    e.compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    e.directory = !e.name.empty() && e.name.back() == '/';
    zip_uint8_t opsys;
    zip_uint32_t attributes;
    if (zip_file_get_external_attributes(archive.get(), static_cast<zip_uint64_t>(i), 0, &opsys, &attributes) == 0 &&
        opsys == ZIP_OPSYS_UNIX && ((attributes >> 16) & S_IFMT) == S_IFLNK) {
      e.symlink = true;
      symlinks.push_back(SanitizeForTerminal(e.name));
    }
    if (Traverses(e.name)) traversal.push_back(SanitizeForTerminal(e.name));
    total += e.size;
    const double ratio = e.compressed > 0 ? static_cast<double>(e.size) / static_cast<double>(e.compressed) : 0;
    if (total > limits.max_total_bytes || e.size > limits.max_file_bytes || (e.size > (1 << 20) && ratio > limits.max_ratio)) {
      report.complete = false;
      report.findings.push_back(Make("lambda_package_bomb", Severity::kHigh,
                                     fmt::format("Package entry {} expands beyond the limits", SanitizeForTerminal(e.name)),
                                     fmt::format("{} bytes from {} compressed (ratio {:.0f}); {} bytes so far. Reading stopped.", e.size,
                                                 e.compressed, ratio, total),
                                     "A zip bomb in a function package is hostile by itself; inspect it in isolation.", reference, resource));
      report.entries.push_back(e);
      break;
    }
    if (visit && !e.directory && !e.symlink) {
      std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(archive.get(), static_cast<zip_uint64_t>(i), 0), &zip_fclose);
      if (file) {
        std::string content(e.size, '\0');
        const zip_int64_t n = zip_fread(file.get(), content.data(), e.size);
        if (n >= 0) {
          content.resize(static_cast<size_t>(n));
          visit(e, content);
        }
      }
    }
    report.entries.push_back(std::move(e));
  }
  if (!traversal.empty()) {
    report.findings.push_back(Make("lambda_package_path_traversal", Severity::kCritical,
                                   fmt::format("{} package entr(ies) escape the package root", traversal.size()),
                                   fmt::format("Names with '..' or absolute paths: {}. Tools that extract this package write "
                                               "outside their target directory.", fmt::join(traversal, ", ")),
                                   "Never extract it with ordinary tools; rebuild the package from version control.", reference, resource));
  }
  if (!symlinks.empty()) {
    report.findings.push_back(Make("lambda_package_symlink", Severity::kHigh, fmt::format("{} symlink(s) in the package", symlinks.size()),
                                   fmt::format("Symbolic links: {}. They can point the runtime, or an extracting tool, at files "
                                               "outside the package.", fmt::join(symlinks, ", ")),
                                   "Rebuild the package without links.", reference, resource));
  }
  return report;
}

}  // namespace lir
