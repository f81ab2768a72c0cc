// Analysis of an evidence case directory: its CloudTrail artifacts go through the rule
// engine like any other trail files, and the collected configurations through the
// configuration checks; the findings are merged into one result.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "analysis/engine.h"

namespace lir {

bool IsCaseDirectory(const std::string& path);

// The CloudTrail inputs inside a case (artifacts/cloudtrail), never its API responses.
std::vector<std::string> CaseTrailPaths(const std::string& case_dir);

struct FunctionEvidence;
struct Finding;
class ProgressMeter;

// Package findings of one collected function (structure, handler location).
// `progress`, when given, counts the package as done (with its bytes) and each file read in it.
void AddPackageFindings(const std::string& case_dir, const FunctionEvidence& evidence, const std::string& known_good_zip,
                        std::vector<Finding>* findings, ProgressMeter* progress = nullptr);

// Adds the configuration findings of every function collected in the case.
void AddCaseFindings(const std::string& case_dir, const ScanOptions& options, AnalysisResult* result);

// What response commands decide on: `paths` (case directories and CloudTrail files or
// trees, as analyze takes them) through the shipped rules and the case checks.
AnalysisResult AnalyzeEvidence(const std::vector<std::string>& paths, const ScanOptions& options = {});

// The CodeSha256 values a case flags for a function: its snapshot's code when a high or
// critical finding is about that code (a package check, a code update by a user, a package
// that does not match). While such code runs, the attacker's does.
std::set<std::string> FlaggedCodeSha256s(const std::string& case_dir, const std::string& function, const std::vector<Finding>& findings);

}  // namespace lir
