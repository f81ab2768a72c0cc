#include "aws/cloudtrail_client.h"

#include <chrono>
#include <thread>

namespace lir::aws {

CloudTrailClient::CloudTrailClient(AwsContext context, std::shared_ptr<RateLimiter> limiter)
    : caller_(Service::kCloudTrail, std::move(context)) {
  caller_.client().set_rate_limiter(std::move(limiter));
}

Result<std::vector<ApiResult>> CloudTrailClient::LookupEvents(const LookupQuery& query) {
  CallParams params;
  params.body = nlohmann::json::object();
  if (!query.attribute_key.empty()) {
    params.body["LookupAttributes"] = {{{"AttributeKey", query.attribute_key}, {"AttributeValue", query.attribute_value}}};
  }
  // The json protocol sends timestamps as epoch seconds.
  if (query.start) params.body["StartTime"] = static_cast<double>(*query.start) / 1000.0;
  if (query.end) params.body["EndTime"] = static_cast<double>(*query.end) / 1000.0;
  params.body["MaxResults"] = 50;
  std::vector<ApiResult> pages;
  LIR_TRY(caller_.CallAll(Op(Service::kCloudTrail, "LookupEvents"), params, &pages, query.max_pages));
  return pages;
}

std::shared_ptr<RateLimiter> MakeLookupEventsLimiter() {
  return std::make_shared<RateLimiter>(
      2.0,
      [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
      },
      [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); });
}

}  // namespace lir::aws
