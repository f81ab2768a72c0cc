#include "evidence/trail_collector.h"

#include <filesystem>
#include <mutex>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/cloudtrail_client.h"
#include "core/safe_name.h"
#include "core/task_pool.h"
#include "evidence/s3_trail_source.h"
#include "core/strings.h"
#include "sources/input_files.h"

namespace lir {

namespace {
std::string cloudtrail_region(aws::AwsSession& session) {
  auto region = session.config().region();
  return region ? region->value : "us-east-1";
}
}  // namespace

void CollectLookupEvents(aws::AwsSession& session, EvidenceCase& evidence, const std::string& function,
                         const std::string& role, const TrailWindow& window, CollectionOutcome* outcome) {
  // LookupEvents takes one attribute per call: one query each, sharing the rate limit.
  aws::CloudTrailClient cloudtrail(session.context(), aws::MakeLookupEventsLimiter());
  std::vector<std::pair<std::string, std::string>> queries = {{"EventSource", "lambda.amazonaws.com"},
                                                              {"ResourceName", function}};
  if (!role.empty()) queries.emplace_back("ResourceName", role);
  // IAM is global: its events are recorded in us-east-1 whatever region the function is in.
  const bool other_region = cloudtrail_region(session) != "us-east-1";
  std::unique_ptr<aws::CloudTrailClient> global;
  if (other_region && !role.empty()) {
    aws::AwsContext context = session.context();
    context.region_override = "us-east-1";
    global = std::make_unique<aws::CloudTrailClient>(context, aws::MakeLookupEventsLimiter());
  }
  struct Query {
    std::string key, value;
    aws::CloudTrailClient* client;
    std::string label;
  };
  std::vector<Query> all;
  all.reserve(queries.size() + 1);
  for (const auto& [key, value] : queries) all.push_back({key, value, &cloudtrail, ""});
  if (global) all.push_back({"ResourceName", role, global.get(), "-us-east-1"});
  for (const auto& [key, value, client, label] : all) {
    auto pages = client->LookupEvents({key, value, window.start, window.end});
    if (!pages) {
      outcome->failures.push_back(fmt::format("LookupEvents {}={}: {}", key, value, pages.error().message));
      continue;
    }
    const std::string stem = "artifacts/cloudtrail/lookup-" + SafeName(key) + "-" + SafeName(value) + label;
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
    if (auto said = evidence.RecordOrSay("cloudtrail-lookup", nlohmann::json{{"attribute", key}, {"value", value},
                                                              {"start", FormatIso8601(window.start)}, {"end", FormatIso8601(window.end)},
                                                              {"pages", pages->size()}, {"events", events}}.dump()); !said.empty()) outcome->failures.push_back(said);
  }
}

namespace {

std::string SafePath(const std::string& relative) {
  std::string out;
  for (std::string_view part : Split(relative, '/')) {
    if (part.empty()) continue;
    if (!out.empty()) out += '/';
    out += SafeName(std::string(part));
  }
  return out;
}

}  // namespace

// CloudTrail delivers files of a few MB compressed: an object past this is no trail file, and
// is not copied (8 copies in flight hold at most 8 times this).
constexpr uint64_t kMaxTrailObjectBytes = 64ULL << 20;

void CollectTrailArchive(aws::AwsSession& session, EvidenceCase& evidence, const std::string& spec, const TrailWindow& window,
                         CollectionOutcome* outcome) {
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  size_t copied = 0, skipped = 0;
  if (spec.rfind("s3://", 0) == 0) {
    const auto where = ParseS3Url(spec);
    if (!where) {
      outcome->failures.push_back(where.error().message);
      return;
    }
    const std::string& bucket = where->bucket;
    const std::string& prefix = where->prefix;
    aws::ApiCaller s3(aws::Service::kS3, session.context());
    auto listing = s3.CallAll(aws::Op(aws::Service::kS3, "ListObjectsV2"), {{{"Bucket", bucket}}, {{"prefix", prefix}, kListEncoding}});
    if (!listing) {
      outcome->failures.push_back(fmt::format("{}: {}", spec, listing.error().message));
      return;
    }
    // Objects download in parallel; results are recorded under one lock.
    std::mutex mutex;
    TaskPool pool(8);
    for (const auto& object : (*listing)["Contents"]) {
      const std::string key =
          ListedS3Name(*listing, object.contains("Key") && object["Key"].is_string() ? object["Key"].get<std::string>() : "");
      // Trail files of the window's days only (CloudTrail's layout names the day): whatever else
      // the bucket holds is not copied.
      if (!IsTrailObjectKey(key)) continue;
      const auto day = DayFolderOf(key);
      if (!day || *day + kDay < window.start - kDay || *day > window.end + kDay) {
        ++skipped;
        continue;
      }
      const uint64_t size = ListedS3Size(object);
      if (size > kMaxTrailObjectBytes) {
        std::lock_guard<std::mutex> lock(mutex);  // the copies in flight write there too
        outcome->failures.push_back(fmt::format("s3://{}/{}: {} bytes, more than a trail file takes ({}): not copied", bucket, key,
                                                size, kMaxTrailObjectBytes));
        continue;
      }
      pool.Submit([&, key] {
        std::string body;
        bool too_large = false;  // the listing's size is the server's word: the body is held to it too
        auto got = s3.Call(aws::Op(aws::Service::kS3, "GetObject"), {{{"Bucket", bucket}, {"Key", key}}},
                           [&](std::string_view chunk) {
                             if (body.size() + chunk.size() > kMaxTrailObjectBytes) return !(too_large = true);
                             body.append(chunk);
                             return true;
                           },
                           [&] { body.clear(); });
        std::lock_guard<std::mutex> lock(mutex);
        if (too_large) {
          outcome->failures.push_back(fmt::format("s3://{}/{}: more than a trail file takes ({} bytes): not copied", bucket, key,
                                                  kMaxTrailObjectBytes));
          return;
        }
        if (!got) {
          outcome->failures.push_back(fmt::format("s3://{}/{}: {}", bucket, key, got.error().message));
          return;
        }
        auto entry = evidence.AddArtifact("artifacts/cloudtrail/archive/" + SafeName(bucket) + "/" + SafePath(key), body,
                                          {"s3", "GetObject", got->request_id});
        if (entry) {
          outcome->artifacts.push_back(*entry);
          ++copied;
        } else {
          outcome->failures.push_back(entry.error().message);
        }
      });
    }
    pool.Wait();
  } else {
    std::vector<ReadIssue> issues;
    for (const InputFile& file : DiscoverInputs({spec}, &issues)) {
      std::ifstream in(file.path, std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      const std::string relative = std::filesystem::relative(file.path, spec).generic_string();
      auto entry = evidence.AddArtifact("artifacts/cloudtrail/archive/local/" + SafePath(relative == "." ? file.path : relative),
                                        bytes.str(), {"local", "copy", ""});
      if (entry) {
        outcome->artifacts.push_back(*entry);
        ++copied;
      } else {
        outcome->failures.push_back(entry.error().message);
      }
    }
    for (const auto& issue : issues) outcome->failures.push_back(issue.file + ": " + issue.message);
  }
  const std::string said = evidence.RecordOrSay(
      "cloudtrail-archive", nlohmann::json{{"source", spec}, {"copied", copied}, {"skipped_outside_window", skipped}}.dump());
  if (!said.empty()) outcome->failures.push_back(said);
}

}  // namespace lir
