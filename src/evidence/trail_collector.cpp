#include "evidence/trail_collector.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/cloudtrail_client.h"

namespace lir {

void CollectLookupEvents(aws::AwsSession& session, EvidenceCase& evidence, const std::string& function,
                         const std::string& role, const TrailWindow& window, CollectionOutcome* outcome) {
  // LookupEvents takes one attribute per call: one query each, sharing the rate limit.
  aws::CloudTrailClient cloudtrail(session.context(), aws::MakeLookupEventsLimiter());
  std::vector<std::pair<std::string, std::string>> queries = {{"EventSource", "lambda.amazonaws.com"},
                                                              {"ResourceName", function}};
  if (!role.empty()) queries.emplace_back("ResourceName", role);
  for (const auto& [key, value] : queries) {
    auto pages = cloudtrail.LookupEvents({key, value, window.start, window.end});
    if (!pages) {
      outcome->failures.push_back(fmt::format("LookupEvents {}={}: {}", key, value, pages.error().message));
      continue;
    }
    const std::string stem = "artifacts/cloudtrail/lookup-" + SafeName(key) + "-" + SafeName(value);
    size_t events = 0;
    for (size_t i = 0; i < pages->size(); ++i) {
      const aws::ApiResult& page = (*pages)[i];
      events += page.doc.contains("Events") ? page.doc["Events"].size() : 0;
      auto entry = evidence.AddArtifact(fmt::format("{}.page-{}.json", stem, i + 1), page.raw,
                                        {"cloudtrail", "LookupEvents", page.request_id});
      if (entry) {
        outcome->artifacts.push_back(*entry);
      } else {
        outcome->failures.push_back(entry.error().message);
      }
    }
    (void)evidence.Record("cloudtrail-lookup", nlohmann::json{{"attribute", key}, {"value", value},
                                                              {"start", FormatIso8601(window.start)}, {"end", FormatIso8601(window.end)},
                                                              {"pages", pages->size()}, {"events", events}}.dump());
  }
}

}  // namespace lir
