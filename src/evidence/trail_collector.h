// CloudTrail for the window, by LookupEvents (management events, 90 days, one region):
// everything from lambda.amazonaws.com, and everything naming the function or its role,
// each page stored as received under artifacts/cloudtrail/ where `analyze CASE` reads it.
#pragma once

#include <optional>
#include <string>

#include "aws/aws_session.h"
#include "evidence/case.h"
#include "evidence/function_collector.h"

namespace lir {

struct TrailWindow {
  TimestampMs start = 0;
  TimestampMs end = 0;
};

// Adds to `outcome` (artifacts, failures). Honours the 2 requests/s limit.
void CollectLookupEvents(aws::AwsSession& session, EvidenceCase& evidence, const std::string& function,
                         const std::string& role, const TrailWindow& window, CollectionOutcome* outcome);

// A trail archive the user names: a local directory (an AWSLogs/ tree or any CloudTrail
// files) or s3://BUCKET/PREFIX. Each file is copied into artifacts/cloudtrail/archive/ as
// is; S3 objects whose AWSLogs date is more than a day outside the window are skipped.
void CollectTrailArchive(aws::AwsSession& session, EvidenceCase& evidence, const std::string& spec,
                         const TrailWindow& window, CollectionOutcome* outcome);

}  // namespace lir
