// A CloudTrail archive read straight from S3 (`analyze s3://BUCKET/PREFIX`): the keys are
// listed by the AWSLogs layout (PREFIX/AWSLogs/[ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/),
// descending one level at a time so an account, region or day the filters exclude is never
// listed, and the objects are fetched in parallel while the engine reads them. At most
// `parallel` fetches run and at most 2 x `parallel` fetched objects wait to be read, so memory
// is bounded by the objects' size, not the archive's.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "aws/api_caller.h"
#include "core/result.h"
#include "core/time.h"
#include "sources/input_stream.h"

namespace lir {

struct S3TrailFilter {
  std::vector<std::string> accounts;  // empty: every account
  std::string region;   // empty: every region
  std::optional<TimestampMs> since, until;
  uint64_t max_object_bytes = 2ULL << 30;  // a larger object is reported, not fetched
};

struct S3Location {
  std::string bucket, prefix;
};
// "s3://BUCKET[/PREFIX]"; an error names what is wrong with it.
Result<S3Location> ParseS3Url(const std::string& url);

// ListObjectsV2 is asked with encoding-type=url (XML cannot carry every byte a key may hold: a
// CR comes back as LF, and the key fetched then is another). A key or prefix of its answer,
// decoded as S3 encodes it ('+' is a space); as it is when the answer says it is not encoded.
inline constexpr std::pair<const char*, const char*> kListEncoding{"encoding-type", "url"};
std::string ListedS3Name(const nlohmann::json& listing, const std::string& name);
// A listed object's Size (a number, or a numeric string in XML-converted answers); 0 if neither.
uint64_t ListedS3Size(const nlohmann::json& object);
// A key CloudTrail delivers records in: .json or .json.gz, not a digest.
bool IsTrailObjectKey(const std::string& key);

class S3TrailSource : public InputStream {
 public:
  S3TrailSource(aws::AwsContext context, S3Location where, S3TrailFilter filter, size_t parallel = 8);
  ~S3TrailSource() override;
  S3TrailSource(const S3TrailSource&) = delete;
  S3TrailSource& operator=(const S3TrailSource&) = delete;

  // Lists what the filter lets through. An error means nothing could be listed at all.
  Result<void> List();

  struct Object {
    std::string key;
    uint64_t size = 0;
  };
  const std::vector<Object>& objects() const { return objects_; }
  // Every prefix listed, in order: what the pruning spared never shows here.
  const std::vector<std::string>& listed_prefixes() const { return listed_; }
  // Listing problems below the top (a prefix that could not be listed): reported, not fatal.
  const std::vector<std::string>& listing_problems() const { return problems_; }

  std::optional<StreamedInput> Next() override;

 private:
  Result<void> ListLevel(const std::string& prefix, bool delimited);
  void ListOrNote(const std::string& prefix, bool delimited);  // a failure is one of problems_
  void Descend(const std::string& prefix);
  bool WantKey(const std::string& key) const;
  void StartFetching();  // under mutex_
  void FetchLoop();
  StreamedInput Fetch(const Object& object);

  aws::ApiCaller s3_;
  S3Location where_;
  S3TrailFilter filter_;
  size_t parallel_;
  std::vector<Object> objects_;
  std::vector<std::string> listed_, problems_;
  std::optional<Error> first_failure_;         // of a listing: what List reports when none worked
  size_t walk_listings_ = 0;                   // delimited listings made
  bool capped_ = false;                        // kMaxWalkListings reached
  std::vector<std::string> pending_prefixes_;  // common prefixes of the level just listed

  std::mutex mutex_;
  std::condition_variable ready_cv_, space_cv_;
  std::deque<StreamedInput> ready_;
  size_t next_fetch_ = 0, in_flight_ = 0, handed_ = 0;
  bool started_ = false, stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace lir
