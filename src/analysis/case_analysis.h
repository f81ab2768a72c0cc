// Analysis of an evidence case directory: its CloudTrail artifacts go through the rule
// engine like any other trail files, and the collected configurations through the
// configuration checks; the findings are merged into one result.
#pragma once

#include <string>
#include <vector>

#include "analysis/engine.h"

namespace lir {

bool IsCaseDirectory(const std::string& path);

// The CloudTrail inputs inside a case (artifacts/cloudtrail), never its API responses.
std::vector<std::string> CaseTrailPaths(const std::string& case_dir);

struct FunctionEvidence;
struct Finding;

// Package findings of one collected function (structure, handler location).
void AddPackageFindings(const std::string& case_dir, const FunctionEvidence& evidence, const std::string& known_good_zip,
                        std::vector<Finding>* findings);

// Adds the configuration findings of every function collected in the case.
void AddCaseFindings(const std::string& case_dir, const ScanOptions& options, AnalysisResult* result);

}  // namespace lir
