// Runs each rule's own sample events through the full engine (so context and threshold
// rules are tested the way they run): tests/match must raise the rule, tests/nomatch must not.
#pragma once

#include <string>
#include <vector>

#include "analysis/rule_set.h"
#include "sources/input_files.h"

namespace lir {

struct RuleTestResult {
  std::string rule_id;
  std::string file;
  bool expect_match;
  bool passed;
  std::string detail;  // why it failed
};

std::vector<RuleTestResult> RunRuleTests(const RuleSet& set);

// `rules eval`: which rules fire on each file when it is analysed alone (a test event, or a
// scenario's records), as rule authors and the coverage report (tools/detection_coverage.py)
// ask. `problem` is set when the file held no readable event.
struct FileEvaluation {
  std::string file;
  std::vector<std::pair<std::string, Severity>> fired;  // rule id, severity; in finding order
  std::string problem;
};

std::vector<FileEvaluation> EvaluateFilesAlone(const std::vector<InputFile>& inputs, const std::vector<Rule>& rules);

}  // namespace lir
