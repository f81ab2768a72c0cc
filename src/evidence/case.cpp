#include "evidence/case.h"

#include "core/progress_meter.h"
#include "core/json_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/file_read.h"
#include "core/hashing.h"
#include "core/strings.h"

namespace lir {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

Result<void> WriteFileMode(const std::string& path, std::string_view bytes, mode_t mode, bool exclusive) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
  const int fd = open(path.c_str(), flags, mode);
  if (fd < 0) return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      close(fd);
      return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  // Evidence must survive a crash right after collection.
  if (fsync(fd) != 0 || close(fd) != 0) return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
  return {};
}

ordered_json EntryJson(const ArtifactEntry& a) {
  return {{"path", a.path}, {"sha256", a.sha256}, {"size", a.size},
          {"source", {{"service", a.source.service}, {"operation", a.source.operation}, {"request_id", a.source.request_id}}},
          {"collected_at", FormatIso8601(a.collected_at)}};
}

}  // namespace

bool EvidenceCase::IsSafeRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.size() > 512) return false;
  for (std::string_view part : Split(path, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      if (!ok) return false;
    }
  }
  return true;
}

Result<std::unique_ptr<EvidenceCase>> EvidenceCase::Create(const std::string& dir, const std::string& case_id,
                                                           const std::string& actor, std::string tool_version) {
  std::error_code ec;
  if (fs::exists(dir, ec)) return MakeError(ErrorCode::kInvalidArgument, dir + ": a case already exists there");
  fs::create_directories(fs::path(dir).parent_path().empty() ? "." : fs::path(dir).parent_path(), ec);
  if (mkdir(dir.c_str(), 0700) != 0) return MakeError(ErrorCode::kIo, fmt::format("{}: {}", dir, std::strerror(errno)));
  chmod(dir.c_str(), 0700);  // whatever the umask
  std::unique_ptr<EvidenceCase> c(new EvidenceCase());
  c->dir_ = dir;
  c->case_id_ = case_id;
  c->actor_ = actor;
  c->tool_version_ = std::move(tool_version);
  c->created_at_ = NowMs();
  c->custody_head_ = kCustodyGenesis;
  LIR_CHECK(c->AppendCustody("case-created", ordered_json{{"case_id", case_id}}.dump()));
  LIR_CHECK(c->WriteManifest());
  return c;
}

Result<std::unique_ptr<EvidenceCase>> EvidenceCase::Open(const std::string& dir, const std::string& actor) {
  const std::string text = LIR_TRY(ReadRegularFile(dir + "/manifest.json", kMaxCaseFileBytes));
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return MakeError(ErrorCode::kCorruptInput, dir + "/manifest.json is not a JSON object");
  std::unique_ptr<EvidenceCase> c(new EvidenceCase());
  c->dir_ = dir;
  c->actor_ = actor;
  c->case_id_ = JStr(doc, "case_id");
  c->tool_version_ = JStr(doc, "tool_version");
  c->created_at_ = ParseIso8601(JStr(doc, "created_at")).value_or(0);
  for (const auto& a : JArr(doc, "artifacts")) {
    ArtifactEntry e;
    e.path = JStr(a, "path");
    e.sha256 = JStr(a, "sha256");
    e.size = static_cast<uint64_t>(JInt(a, "size"));
    e.source = {JStr(a["source"], "service"), JStr(a["source"], "operation"), JStr(a["source"], "request_id")};
    e.collected_at = ParseIso8601(JStr(a, "collected_at")).value_or(0);
    c->artifacts_.push_back(e);
  }
  // Continue the chain from the log itself, not from what the manifest claims.
  const VerifyReport report = VerifyCase(dir);
  for (const auto& p : report.problems) {
    if (p.kind == "custody-broken") return MakeError(ErrorCode::kCorruptInput, dir + ": custody log is broken: " + p.message);
  }
  c->custody_seq_ = report.custody_lines;
  c->custody_head_ = report.custody_head;
  return c;
}

Result<void> EvidenceCase::AppendCustody(const std::string& action, const std::string& detail_json) {
  ordered_json line = {{"seq", custody_seq_ + 1}, {"time", FormatIso8601(NowMs())}, {"actor", actor_},
                       {"action", action}, {"detail", nlohmann::json::parse(detail_json, nullptr, false)},
                       {"prev", custody_head_}};
  line["hash"] = Sha256Hex(line.dump());  // over the line without its own hash
  const std::string text = line.dump() + "\n";
  const std::string path = dir_ + "/custody.log";
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
  const ssize_t n = write(fd, text.data(), text.size());
  const bool ok = n == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok) return MakeError(ErrorCode::kIo, fmt::format("{}: short write", path));
  ++custody_seq_;
  custody_head_ = Sha256Hex(std::string_view(text).substr(0, text.size() - 1));
  return {};
}

Result<void> EvidenceCase::WriteManifest() {
  ordered_json doc = {{"case_id", case_id_}, {"created_at", FormatIso8601(created_at_)}, {"tool_version", tool_version_},
                      {"custody_head", custody_head_}, {"artifacts", ordered_json::array()}};
  for (const auto& a : artifacts_) doc["artifacts"].push_back(EntryJson(a));
  // Atomic replace: a crash leaves the old manifest or the new one, never half of one.
  const std::string tmp = dir_ + "/.manifest.json.tmp";
  LIR_CHECK(WriteFileMode(tmp, doc.dump(2) + "\n", 0600, false));
  if (rename(tmp.c_str(), (dir_ + "/manifest.json").c_str()) != 0) {
    return MakeError(ErrorCode::kIo, fmt::format("{}/manifest.json: {}", dir_, std::strerror(errno)));
  }
  return {};
}

Result<ArtifactEntry> EvidenceCase::AddArtifact(const std::string& relative, std::string_view bytes, const ArtifactSource& source) {
  std::lock_guard<std::mutex> lock(mutex_);
  return AddArtifactLocked(relative, bytes, source);
}

Result<std::vector<ArtifactEntry>> EvidenceCase::AddReadBeside(const std::vector<std::string>& paths, const std::vector<std::string_view>& bytes,
                                                               const std::vector<ArtifactSource>& sources, std::string* kept_as) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto listed = [&](const std::string& path) -> const ArtifactEntry* {
    for (const ArtifactEntry& a : artifacts_) {
      if (a.path == path) return &a;
    }
    return nullptr;
  };
  // The whole read as the case holds it already (every page, same bytes): nothing to add.
  bool same = true, clash = false;
  for (size_t i = 0; i < paths.size(); ++i) {
    const ArtifactEntry* a = listed(paths[i]);
    std::error_code ec;
    clash |= a != nullptr || fs::exists(fs::path(dir_) / paths[i], ec);
    same &= a != nullptr && a->sha256 == Sha256Hex(bytes[i]);
  }
  if (same && !paths.empty()) return std::vector<ArtifactEntry>{};
  // Else every page under one free suffix, so that one read's pages stay together.
  std::vector<std::string> names = paths;
  for (int n = 2; clash; ++n) {
    clash = false;
    for (size_t i = 0; i < paths.size(); ++i) {
      names[i] = NameBeside(paths[i], n);
      std::error_code ec;
      clash |= listed(names[i]) != nullptr || fs::exists(fs::path(dir_) / names[i], ec);
    }
  }
  if (kept_as != nullptr && names != paths && !names.empty()) *kept_as = names.front();
  std::vector<ArtifactEntry> added;
  for (size_t i = 0; i < names.size(); ++i) added.push_back(LIR_TRY(AddArtifactLocked(names[i], bytes[i], sources[i])));
  return added;
}

std::string EvidenceCase::NameBeside(const std::string& path, int n) {
  const size_t slash = path.rfind('/');
  const size_t dot = path.find('.', slash == std::string::npos ? 0 : slash + 1);
  return dot == std::string::npos ? fmt::format("{}.{}", path, n) : fmt::format("{}.{}{}", path.substr(0, dot), n, path.substr(dot));
}

Result<ArtifactEntry> EvidenceCase::AddArtifactLocked(const std::string& relative, std::string_view bytes, const ArtifactSource& source) {
  if (!IsSafeRelativePath(relative)) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("unsafe artifact name '{}'", SanitizeForTerminal(relative)));
  }
  const fs::path full = fs::path(dir_) / relative;
  std::error_code ec;
  fs::create_directories(full.parent_path(), ec);
  for (fs::path p = full.parent_path(); p != fs::path(dir_) && p.has_relative_path(); p = p.parent_path()) chmod(p.c_str(), 0700);
  // O_EXCL: evidence already written is never overwritten.
  LIR_CHECK(WriteFileMode(full.string(), bytes, 0400, true));
  ArtifactEntry e{relative, Sha256Hex(bytes), bytes.size(), source, NowMs()};
  artifacts_.push_back(e);
  LIR_CHECK(AppendCustody("artifact-added", EntryJson(e).dump()));
  LIR_CHECK(WriteManifest());
  if (progress_ != nullptr) progress_->AddDone(0, bytes.size(), 1);
  return e;
}

Result<void> EvidenceCase::Record(const std::string& action, const std::string& detail_json) {
  std::lock_guard<std::mutex> lock(mutex_);
  LIR_CHECK(AppendCustody(action, detail_json));
  return WriteManifest();
}

std::string EvidenceCase::RecordOrSay(const std::string& action, const std::string& detail_json) {
  auto written = Record(action, detail_json);
  return written ? std::string() : fmt::format("custody.log: '{}' not recorded: {}", action, written.error().message);
}

std::vector<ArtifactEntry> EvidenceCase::artifacts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return artifacts_;
}

std::string EvidenceCase::custody_head() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return custody_head_;
}

}  // namespace lir
