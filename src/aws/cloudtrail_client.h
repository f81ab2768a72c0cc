// CloudTrail LookupEvents within its documented limit (2 requests per second per account
// and region), one attribute per call as the API allows, every page kept as received.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/api_caller.h"
#include "aws/retry.h"

namespace lir::aws {

struct LookupQuery {
  std::string attribute_key;    // EventSource, EventName, ResourceName, Username, ...
  std::string attribute_value;
  std::optional<TimestampMs> start, end;
  int max_pages = 100000;       // 50 events a page
};

class CloudTrailClient {
 public:
  CloudTrailClient(AwsContext context, std::shared_ptr<RateLimiter> limiter);
  // The raw pages, in order (each a {"Events": [...]} document the analyzer reads).
  Result<std::vector<ApiResult>> LookupEvents(const LookupQuery& query);

 private:
  ApiCaller caller_;
};

// The real-clock limiter for LookupEvents: 2 requests per second.
std::shared_ptr<RateLimiter> MakeLookupEventsLimiter();

}  // namespace lir::aws
