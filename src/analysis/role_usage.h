// The calls execution roles' sessions made, read from a CloudTrail archive (local files or
// directories in any shape the reader takes): for least privilege, each role's IAM actions by
// session. Only calls IAM allowed count as use; a denied call granted nothing.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "analysis/least_privilege.h"
#include "sources/record_sink.h"

namespace lir {

// `roles`: the role ARNs of interest (others are counted in the span only). Bad files and
// records become `issues`; the rest is read.
TrailUsage ReadTrailUsage(const std::vector<std::string>& paths, const std::set<std::string>& roles, std::vector<ReadIssue>* issues);

// Whether an error code means IAM refused the call (AccessDenied, UnauthorizedOperation, ...).
bool IsAuthorizationFailure(std::string_view error_code);

}  // namespace lir
