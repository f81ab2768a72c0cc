// YARA over package files (libyara): the rules bundled under yara/ (compiled into the
// binary), the per-file external variables the rules expect, GuardDog's path_include
// selection, and a time limit per file so hostile content cannot stall a scan.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace lir {

struct YaraMatch {
  std::string rule;
  std::string ns;    // the rule file, e.g. guarddog/sourcecode/exec-base64.yar
  std::string file;  // path inside the package
  uint32_t line = 0; // of the earliest string match, 1-based; 0 when the rule matched no string
  std::map<std::string, std::string> meta;
};

class YaraScanner {
 public:
  // Compiles every embedded rule file; a rule that fails to compile is an error naming it.
  static Result<std::unique_ptr<YaraScanner>> FromEmbedded();
  ~YaraScanner();

  // Matches on one file. Thread-safe: call it from several threads at once. `all_rules` false applies path_include metadata (the rule's
  // intended files); true returns everything YARA itself reports, as the yara command would.
  std::vector<YaraMatch> Scan(std::string_view path_in_package, std::string_view content, bool all_rules = false);
  size_t rule_count() const { return rule_count_; }

 private:
  YaraScanner() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  size_t rule_count_ = 0;
};

// Glob lists such as "*.py,*.js,*/package.json" against a path (fnmatch, '*' crosses '/').
bool PathIncluded(const std::string& globs, const std::string& path);

}  // namespace lir
