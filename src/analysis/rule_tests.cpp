#include "analysis/rule_tests.h"

#include <fmt/format.h>

#include "analysis/engine.h"

namespace lir {

std::vector<RuleTestResult> RunRuleTests(const RuleSet& set) {
  std::vector<RuleTestResult> results;
  // Every rule runs on each sample: a suspect rule needs the finding that made its actor a
  // suspect. Only the tested rule's findings count.
  const std::vector<Rule> all = set.Rules();
  for (const LoadedRule& loaded : set.rules) {
    for (const RuleTestCase& test : loaded.tests) {
      ScanOptions options;
      options.jobs = 1;
      const std::vector<InputFile> inputs{{test.file, test.content.size(), &test.content}};
      AnalysisResult result = Analyze(inputs, all, options);
      std::erase_if(result.findings, [&](const Finding& f) { return f.rule_id != loaded.rule.id; });
      RuleTestResult r{loaded.rule.id, test.file, test.expect_match, false, ""};
      if (result.stats.skipped_records > 0 || result.stats.bad_files > 0 || result.stats.events == 0) {
        r.detail = result.issues.empty() ? "no event in the test file" : result.issues.front().message;
      } else {
        const bool matched = !result.findings.empty();
        r.passed = matched == test.expect_match;
        if (!r.passed) {
          r.detail = test.expect_match ? "expected a finding, got none"
                                       : fmt::format("expected no finding, got {}", result.findings.size());
        }
      }
      results.push_back(std::move(r));
    }
  }
  return results;
}

std::vector<FileEvaluation> EvaluateFilesAlone(const std::vector<InputFile>& inputs, const std::vector<Rule>& rules) {
  std::vector<FileEvaluation> out;
  for (const InputFile& input : inputs) {
    ScanOptions options;
    options.jobs = 1;
    const AnalysisResult result = Analyze({input}, rules, options);
    FileEvaluation e{input.path, {}, ""};
    if (result.stats.events == 0) {
      e.problem = result.issues.empty() ? "no event in the file" : result.issues.front().message;
    } else if (result.stats.skipped_records > 0 || result.stats.bad_files > 0) {
      e.problem = fmt::format("{} record(s) skipped: {}", result.stats.skipped_records,
                              result.issues.empty() ? std::string("unreadable") : result.issues.front().message);
    }
    for (const Finding& f : result.findings) e.fired.emplace_back(f.rule_id, f.severity);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace lir
