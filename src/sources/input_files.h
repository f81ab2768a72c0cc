// Expands the paths a user gives (files, directories such as an AWSLogs/ tree, "-")
// into the list of inputs to read, in a stable order.
#pragma once

#include <string>
#include <vector>

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

}  // namespace lir
