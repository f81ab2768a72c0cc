// Expands the paths a user gives (files, directories such as an AWSLogs/ tree, "-")
// into the list of inputs to read, in a stable order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "sources/record_sink.h"

namespace lir {

struct InputFile {
  std::string path;                     // "-" for stdin
  uint64_t size = 0;                    // on-disk size, 0 for stdin
  const std::string* content = nullptr; // in-memory input (rule tests); path names it
};

// Directories are walked recursively for *.json, *.json.gz, *.jsonl, *.jsonl.gz and *.gz;
// CloudTrail digest files (CloudTrail-Digest folders, *_CloudTrail-Digest_* names) are
// skipped. Files named explicitly are always read. Missing paths are reported as issues.
std::vector<InputFile> DiscoverInputs(const std::vector<std::string>& paths,
                                      std::vector<ReadIssue>* issues);

bool IsDigestFileName(const std::string& path);

// CloudTrail's object names: <account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<random>.json.gz
struct TrailFileName {
  std::string account;
  std::string region;
  std::string stamp;  // YYYYMMDDTHHMMZ, the delivery slot
};
std::optional<TrailFileName> ParseTrailFileName(std::string_view path);

// The delivery day of a key or path in the AWSLogs layout (".../CloudTrail/REGION/YYYY/MM/DD/..."),
// its start in UTC; nothing when it has no such folders.
std::optional<TimestampMs> DayFolderOf(std::string_view path);

// True when the file's name proves it holds no event of `accounts` / `region` (empty: any).
// CloudTrail writes one file per account and region, so the name is authoritative.
bool NameExcludes(const InputFile& file, const std::vector<std::string>& accounts, const std::string& region);

// `account` is one of `accounts`, or `accounts` is empty (every account).
bool AccountWanted(const std::vector<std::string>& accounts, std::string_view account);

}  // namespace lir
