// verify: the case is proven from its own files, each read as hostile (anyone with access to
// the directory may have changed it after the fact).
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/file_read.h"
#include "core/hashing.h"
#include "core/json_depth.h"
#include "core/json_util.h"
#include "core/strings.h"
#include "evidence/case.h"

namespace lir {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxCustodyBytes = 256ull << 20;
constexpr uint64_t kMaxManifestBytes = 256ull << 20;
constexpr size_t kMaxCustodyLine = 1 << 20;
constexpr int kMaxDocumentDepth = 16;  // the tool writes 4 levels at most

// Files beside the evidence that the tool writes and does not list: the index is derived from
// the artifacts, the journal records changes and has its own integrity. Exact names, so that
// nothing hides under a prefix (index.sqlite.d/...).
bool IsOperationalFile(const std::string& rel) {
  static const std::set<std::string> kNames = {"manifest.json",         "custody.log",          ".manifest.json.tmp",
                                               "index.sqlite",          "index.sqlite-wal",     "index.sqlite-shm",
                                               "index.sqlite-journal",  "journal.sqlite",       "journal.sqlite-wal",
                                               "journal.sqlite-shm",    "journal.sqlite-journal"};
  return kNames.count(rel) > 0;
}

class Verifier {
 public:
  Verifier(const std::string& dir, const VerifyOptions& options) : dir_(dir), options_(options) {}

  VerifyReport Run() {
    CheckCaseDirectory();
    ReadCustody();
    CheckManifest();
    CheckCustodyAgainstManifest();
    WalkForStrays();
    CheckExpectedHead();
    return std::move(report_);
  }

 private:
  const std::string& dir_;
  const VerifyOptions& options_;
  VerifyReport report_;
  std::vector<std::string> line_hashes_;
  std::map<std::string, std::string> custody_artifacts_;  // path -> sha256, as custody recorded them
  std::set<std::string> listed_;

  void Add(const char* kind, const std::string& path, std::string message) { report_.problems.push_back({kind, path, std::move(message)}); }

  void CheckCaseDirectory() {
    struct stat st {};
    if (lstat(dir_.c_str(), &st) != 0) return;  // the reads below say what is missing
    if (S_ISLNK(st.st_mode)) Add("unexpected", ".", "the case directory is a symbolic link");
    if (stat(dir_.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      Add("permissions", ".", fmt::format("the case directory is mode {:o}: others can read or change the evidence (expected 700)",
                                          st.st_mode & 0777));
    }
  }

  // Each line's own hash, its link to the line before, its sequence; parsed defensively.
  void ReadCustody() {
    std::string head = kCustodyGenesis;
    auto log = ReadRegularFile(dir_ + "/custody.log", kMaxCustodyBytes);
    if (!log) {
      Add("custody-broken", "custody.log", log.error().code == ErrorCode::kNotFound ? "custody log is missing" : log.error().message);
      report_.custody_head = head;
      return;
    }
    uint64_t seq = 0;
    for (std::string_view line : Split(*log, '\n')) {
      if (line.empty()) continue;
      ++seq;
      if (!CheckCustodyLine(line, seq, head)) break;
      head = Sha256Hex(line);
      line_hashes_.push_back(head);
    }
    report_.custody_lines = seq;
    report_.custody_head = head;
  }

  bool CheckCustodyLine(std::string_view line, uint64_t seq, const std::string& head) {
    auto broken = [&](std::string why) {
      Add("custody-broken", "custody.log", fmt::format("line {} {}", seq, why));
      return false;
    };
    if (line.size() > kMaxCustodyLine) return broken(fmt::format("is {} bytes long: not a custody record", line.size()));
    if (JsonNestingDepth(line) > kMaxDocumentDepth) return broken("nests too deep: not a custody record");
    auto doc = nlohmann::ordered_json::parse(line, nullptr, false);
    if (!doc.is_object() || !JAt(doc, "hash").is_string() || !JAt(doc, "prev").is_string() || !JAt(doc, "seq").is_number_unsigned()) {
      return broken("is not a custody record");
    }
    const std::string hash = JStr(doc, "hash");
    doc.erase("hash");
    if (Sha256Hex(doc.dump()) != hash) Add("custody-broken", "custody.log", fmt::format("line {} was edited (its hash does not match)", seq));
    if (JStr(doc, "prev") != head) {
      Add("custody-broken", "custody.log", fmt::format("line {} does not follow line {} (chain broken)", seq, seq - 1));
    }
    if (doc["seq"].get<uint64_t>() != seq) {
      Add("custody-broken", "custody.log", fmt::format("line {} has sequence {}", seq, doc["seq"].get<uint64_t>()));
    }
    if (JStr(doc, "action") == "artifact-added") {
      // The tool writes each path once (O_EXCL): a second line for it is a replacement
      // dressed as an addition, which would otherwise pass behind an intact --expect-head.
      const nlohmann::ordered_json& detail = JAt(doc, "detail");
      const std::string path = JStr(detail, "path");
      if (!custody_artifacts_.emplace(path, JStr(detail, "sha256")).second) {
        Add("custody-broken", "custody.log", fmt::format("line {} records {} a second time", seq, SanitizeForTerminal(path)));
      }
    }
    return true;
  }

  void CheckManifest() {
    auto text = ReadRegularFile(dir_ + "/manifest.json", kMaxManifestBytes);
    if (!text) {
      Add("manifest", "manifest.json", text.error().code == ErrorCode::kNotFound ? "manifest is missing" : text.error().message);
      return;
    }
    const auto manifest = JsonNestingDepth(*text) > kMaxDocumentDepth ? nlohmann::json() : nlohmann::json::parse(*text, nullptr, false);
    if (!manifest.is_object()) {
      Add("manifest", "manifest.json", "manifest is not a JSON object");
      return;
    }
    if (const std::string head = JStr(manifest, "custody_head"); head != report_.custody_head) {
      Add("custody-head", "manifest.json",
          fmt::format("the manifest records custody head {} but the log ends at {}: custody lines were removed or added "
                      "behind the tool's back",
                      head.empty() ? "(none)" : head, report_.custody_head));
    }
    for (const auto& entry : JArr(manifest, "artifacts")) CheckArtifact(entry);
  }

  void CheckArtifact(const nlohmann::json& entry) {
    const std::string path = JStr(entry, "path"), sha = JStr(entry, "sha256");
    const int64_t recorded_size = JInt(entry, "size", -1);
    listed_.insert(path);
    ++report_.artifacts_checked;
    if (!EvidenceCase::IsSafeRelativePath(path)) {
      Add("manifest", SanitizeForTerminal(path), "unsafe path in the manifest");
      return;
    }
    if (auto it = custody_artifacts_.find(path); it == custody_artifacts_.end() || it->second != sha) {
      Add("manifest", path, "listed in the manifest but not recorded in the custody log with this hash");
    }
    const std::string full = dir_ + "/" + path;
    struct stat st {};
    if (lstat(full.c_str(), &st) != 0) {
      Add("missing", path, "artifact is gone");
      return;
    }
    if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
      Add("unexpected", path, S_ISLNK(st.st_mode) ? "artifact was replaced by a symbolic link (not followed)"
                                                   : "artifact was replaced by something that is not a regular file (not read)");
      return;
    }
    if (st.st_mode & 0222) Add("writable", path, fmt::format("artifact is writable (mode {:o})", st.st_mode & 0777));
    if (st.st_mode & 077) Add("permissions", path, fmt::format("artifact is readable by others (mode {:o}, expected 400)", st.st_mode & 0777));
    if (recorded_size < 0 || static_cast<uint64_t>(st.st_size) != static_cast<uint64_t>(recorded_size)) {
      Add("size-changed", path, fmt::format("size {} but {} recorded", st.st_size, recorded_size));
      return;  // never read more than the manifest promised
    }
    if (static_cast<uint64_t>(recorded_size) > kMaxCaseFileBytes) {  // the manifest is the attacker's too
      Add("unreadable", path, fmt::format("{} bytes: more than verify reads ({})", recorded_size, kMaxCaseFileBytes));
      return;
    }
    auto bytes = ReadRegularFile(full, static_cast<uint64_t>(recorded_size));
    if (!bytes) {
      Add("unreadable", path, bytes.error().message);
      return;
    }
    if (Sha256Hex(*bytes) != sha) Add("modified", path, "SHA-256 differs from the manifest");
  }

  // The other direction: every artifact custody recorded must still be listed.
  void CheckCustodyAgainstManifest() {
    for (const auto& [path, sha] : custody_artifacts_) {
      if (!listed_.count(path)) {
        Add("missing", SanitizeForTerminal(path),
            "recorded by custody.log (artifact-added) but not in the manifest: the artifact and its entry were removed");
      }
    }
  }

  // Files nobody recorded, links, devices, open directories, unreadable parts.
  void WalkForStrays() {
    std::error_code ec;
    std::string rel = ".";
    for (auto it = fs::recursive_directory_iterator(dir_, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      rel = it->path().lexically_relative(dir_).generic_string();  // lexical: a link is named, not followed
      const fs::file_status status = it->symlink_status(ec);
      if (fs::is_symlink(status)) {
        Add("unexpected", rel, "symbolic link in the case (not followed)");
      } else if (fs::is_directory(status)) {
        if ((static_cast<unsigned>(status.permissions()) & 077) != 0) {
          Add("permissions", rel, fmt::format("directory is mode {:o}: others can read or change it (expected 700)",
                                              static_cast<unsigned>(status.permissions()) & 0777));
        }
      } else if (!fs::is_regular_file(status)) {
        Add("unexpected", rel, "not a regular file (a FIFO, socket or device) in the case");
      } else if (!IsOperationalFile(rel) && !listed_.count(rel)) {
        Add("unlisted", rel, "file in the case that no manifest entry lists");
      }
    }
    if (ec && ec != std::errc::no_such_file_or_directory) {
      Add("unreadable", rel, fmt::format("the case could not be walked past here: {}", ec.message()));
    }
  }

  void CheckExpectedHead() {
    if (options_.expect_head.empty()) return;
    for (size_t i = 0; i < line_hashes_.size(); ++i) {
      if (line_hashes_[i] == ToLower(options_.expect_head)) {
        report_.expect_head_line = i + 1;
        return;
      }
    }
    Add("custody-head", "custody.log",
        fmt::format("the head kept outside the case ({}) is not in the custody chain: lines were removed or rewritten",
                    SanitizeForTerminal(options_.expect_head)));
  }
};

}  // namespace

VerifyReport VerifyCase(const std::string& dir, const VerifyOptions& options) { return Verifier(dir, options).Run(); }

}  // namespace lir
