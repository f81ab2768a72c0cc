// SigmaHQ rules for AWS CloudTrail (logsource product aws, service cloudtrail), compiled
// into the engine's own rule form so they run in the same scan, index and reports.
// What the compiler does not support is reported per rule (lint id L015), never skipped
// silently; rules for other log sources are counted, not reported one by one.
#pragma once

#include <string>
#include <vector>

#include "analysis/rule_set.h"

namespace lir {

struct SigmaLoadStats {
  size_t loaded = 0;
  size_t unsupported = 0;      // reported as L015 issues
  size_t other_logsource = 0;  // not product aws / service cloudtrail
};

// One Sigma rule. `file` names it in issues and gives the rule id (sigma_<file stem>).
// Returns nothing for another log source (counted in `stats`) or an unsupported rule.
std::optional<Rule> ParseSigmaRule(const std::string& yaml_text, const std::string& file,
                                   std::vector<LintIssue>* issues, SigmaLoadStats* stats);

// The SigmaHQ CloudTrail rules bundled in the binary (sigma/, Detection Rule License 1.1).
SigmaLoadStats AddEmbeddedSigmaRules(RuleSet* set);
// Every *.yml / *.yaml under `dir`. A rule whose id is already present replaces it.
SigmaLoadStats AddSigmaRulesFromDirectory(const std::string& dir, RuleSet* set);

}  // namespace lir
