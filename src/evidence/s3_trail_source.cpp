#include "evidence/s3_trail_source.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/strings.h"
#include "sources/input_files.h"

namespace lir {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
// Beyond this many days, one listing of the region costs fewer requests than a day at a time
// (about 290 files a day, 1000 keys a page).
constexpr int64_t kMostDaysListedOneByOne = 62;
// S3's longest key: no prefix of a real listing is longer.
constexpr size_t kMaxKeyBytes = 1024;
// Delimited listings (the walk down the prefixes the endpoint names) of one location at most: an
// organisation's trail takes about two per account; an endpoint that makes up prefixes without
// end is stopped here. The listings of a region's keys, a day at a time, are not counted: they
// are planned here, not named by the endpoint.
constexpr size_t kMaxWalkListings = 100000;

std::vector<std::string_view> Segments(std::string_view prefix) {
  std::vector<std::string_view> out;
  for (std::string_view part : Split(prefix, '/')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

}  // namespace

Result<S3Location> ParseS3Url(const std::string& url) {
  if (url.rfind("s3://", 0) != 0) return MakeError(ErrorCode::kInvalidArgument, fmt::format("{}: not an s3:// URL", url));
  const std::string rest = url.substr(5);
  const size_t slash = rest.find('/');
  S3Location where{rest.substr(0, slash), slash == std::string::npos ? "" : rest.substr(slash + 1)};
  if (where.bucket.empty()) return MakeError(ErrorCode::kInvalidArgument, fmt::format("{}: no bucket named", url));
  return where;
}

std::string ListedS3Name(const nlohmann::json& listing, const std::string& name) {
  const auto encoding = listing.find("EncodingType");
  if (encoding == listing.end() || *encoding != "url") return name;
  std::string plus_as_space = name;
  std::replace(plus_as_space.begin(), plus_as_space.end(), '+', ' ');
  return UrlDecode(plus_as_space);
}

uint64_t ListedS3Size(const nlohmann::json& object) {
  const auto size = object.find("Size");
  if (size == object.end()) return 0;
  if (size->is_number_unsigned()) return size->get<uint64_t>();
  return size->is_string() ? std::strtoull(size->get<std::string>().c_str(), nullptr, 10) : 0;
}

bool IsTrailObjectKey(const std::string& key) {
  if (IsDigestFileName(key) || key.find("/CloudTrail-Digest/") != std::string::npos) return false;
  return key.ends_with(".json.gz") || key.ends_with(".json");
}

S3TrailSource::S3TrailSource(aws::AwsContext context, S3Location where, S3TrailFilter filter, size_t parallel)
    : s3_(aws::Service::kS3, std::move(context)), where_(std::move(where)), filter_(std::move(filter)),
      parallel_(std::max<size_t>(1, parallel)) {}

S3TrailSource::~S3TrailSource() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  space_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

Result<void> S3TrailSource::ListLevel(const std::string& prefix, bool delimited) {
  aws::CallParams params{{{"Bucket", where_.bucket}}, {{"prefix", prefix}, kListEncoding}};
  if (delimited) params.query.emplace_back("delimiter", "/");
  listed_.push_back(prefix);
  auto listing = s3_.CallAll(aws::Op(aws::Service::kS3, "ListObjectsV2"), params);
  if (!listing) return tl::unexpected(listing.error());
  for (const auto& object : (*listing)["Contents"]) {
    const std::string key = ListedS3Name(*listing, object.value("Key", ""));
    if (key.empty() || !WantKey(key)) continue;
    objects_.push_back({key, ListedS3Size(object)});
  }
  pending_prefixes_.clear();
  for (const auto& common : (*listing)["CommonPrefixes"]) {
    // Only below the prefix asked, and longer: an answer naming anything else would walk a
    // loop (x/ -> y/ -> x/ ...) or out of the location.
    const std::string p = ListedS3Name(*listing, common.value("Prefix", ""));
    if (p.size() > prefix.size() && p.size() <= kMaxKeyBytes && p.compare(0, prefix.size(), prefix) == 0) {
      pending_prefixes_.push_back(p);
    }
  }
  return {};
}

bool S3TrailSource::WantKey(const std::string& key) const {
  if (!IsTrailObjectKey(key)) return false;
  if (NameExcludes(InputFile{key, 0, nullptr}, filter_.accounts, filter_.region)) return false;
  if (const auto day = DayFolderOf(key)) {
    // A file is delivered after its events, into the folder of its delivery day: no folder
    // before the window's first day holds any of them; delivery late by up to a day is allowed.
    if (filter_.since && *day + kDayMs <= *filter_.since) return false;
    if (filter_.until && *day - kDayMs > *filter_.until) return false;
  }
  return true;
}

void S3TrailSource::ListOrNote(const std::string& prefix, bool delimited) {
  pending_prefixes_.clear();
  if (delimited && walk_listings_ >= kMaxWalkListings) {
    if (!capped_) {
      capped_ = true;
      problems_.push_back(fmt::format("s3://{}/{}: not listed, nor anything after it: {} prefixes walked, the most one location takes",
                                      where_.bucket, prefix, kMaxWalkListings));
    }
    return;
  }
  walk_listings_ += delimited;
  if (auto listed = ListLevel(prefix, delimited); !listed) {
    problems_.push_back(fmt::format("s3://{}/{}: {}", where_.bucket, prefix, listed.error().message));
    if (!first_failure_) {
      first_failure_ = listed.error();
      // A failure before any request (no credentials) is the listing's too: an AWS failure.
      if (first_failure_->operation.empty()) first_failure_->operation = "ListObjectsV2";
    }
  }
}

void S3TrailSource::Descend(const std::string& prefix) {
  const auto segs = Segments(prefix);
  size_t logs = segs.size();
  for (size_t i = 0; i < segs.size(); ++i) {
    if (segs[i] == "AWSLogs") logs = i;
  }
  const bool complete_segment = prefix.empty() || prefix.back() == '/';
  if (logs < segs.size() && complete_segment) {
    size_t at = logs + 1;  // the account, after an organisation id when there is one
    if (at < segs.size() && segs[at].rfind("o-", 0) == 0) ++at;
    // Past AWSLogs/ the layout is CloudTrail's only when an account id comes next; anything
    // else is walked as an unknown tree, never pruned.
    const bool layout = at < segs.size() && IsAccountId(segs[at]);
    if (layout && !AccountWanted(filter_.accounts, segs[at])) return;
    if (layout && at + 1 < segs.size() && segs[at + 1] != "CloudTrail") return;  // digests, Insights, other services
    if (layout && at + 2 < segs.size() && !filter_.region.empty() && segs[at + 2] != filter_.region) return;
    if (layout && at + 2 < segs.size()) {
      // A region (or deeper): its keys, a day at a time when the window is short.
      if (segs.size() == at + 3 && filter_.since) {
        const TimestampMs until = filter_.until ? *filter_.until : NowMs();
        const int64_t first = *filter_.since / kDayMs, last = (until + kDayMs) / kDayMs;
        if (last - first < kMostDaysListedOneByOne) {
          for (int64_t day = first; day <= last; ++day) {
            const std::string date = FormatIso8601(day * kDayMs);  // YYYY-MM-DDT...
            const std::string day_prefix = fmt::format("{}{}/{}/{}/", prefix, date.substr(0, 4), date.substr(5, 2), date.substr(8, 2));
            ListOrNote(day_prefix, false);
          }
          return;
        }
      }
      ListOrNote(prefix, false);
      return;
    }
  }
  ListOrNote(prefix, true);
  const std::vector<std::string> below = pending_prefixes_;
  for (const std::string& next : below) Descend(next);
}

Result<void> S3TrailSource::List() {
  Descend(where_.prefix);
  // Nothing found and every listing failed: the location itself is unusable.
  if (objects_.empty() && first_failure_ && problems_.size() == listed_.size()) {
    Error failure = *first_failure_;  // its kind, action and remedy are the listing's
    failure.message = problems_.front();
    return tl::unexpected(std::move(failure));
  }
  // Fetching starts now, while the caller reads its other inputs.
  std::lock_guard<std::mutex> lock(mutex_);
  StartFetching();
  return {};
}

StreamedInput S3TrailSource::Fetch(const Object& object) {
  StreamedInput out;
  out.file.path = fmt::format("s3://{}/{}", where_.bucket, object.key);
  out.file.size = object.size;
  if (object.size > filter_.max_object_bytes) {
    out.error = fmt::format("{} bytes, over the limit of {} (--max-input-size)", object.size, filter_.max_object_bytes);
    return out;
  }
  auto bytes = std::make_shared<std::string>();
  bytes->reserve(std::min<uint64_t>(object.size, 64ULL << 20));  // the listed size is the server's word
  bool too_large = false;
  auto got = s3_.Call(aws::Op(aws::Service::kS3, "GetObject"), {{{"Bucket", where_.bucket}, {"Key", object.key}}},
                      [&](std::string_view chunk) {
                        if (bytes->size() + chunk.size() > filter_.max_object_bytes) return !(too_large = true);
                        bytes->append(chunk);
                        return true;
                      },
                      [&] { bytes->clear(); });
  if (too_large) {
    out.error = fmt::format("larger than the limit of {} bytes (--max-input-size)", filter_.max_object_bytes);
  } else if (!got) {
    out.error = got.error().message;
  } else {
    out.bytes = std::move(bytes);
    out.file.content = out.bytes.get();
  }
  return out;
}

void S3TrailSource::FetchLoop() {
  for (;;) {
    size_t index = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      space_cv_.wait(lock, [&] { return stopping_ || ready_.size() + in_flight_ < 2 * parallel_; });
      if (stopping_ || next_fetch_ >= objects_.size()) return;
      index = next_fetch_++;
      ++in_flight_;
    }
    StreamedInput fetched;
    try {
      fetched = Fetch(objects_[index]);
    } catch (const std::exception& e) {  // out of memory, a malformed answer: this object fails, not the run
      fetched = StreamedInput{};
      fetched.file.path = fmt::format("s3://{}/{}", where_.bucket, objects_[index].key);
      fetched.file.size = objects_[index].size;
      fetched.error = e.what();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --in_flight_;
      ready_.push_back(std::move(fetched));
    }
    ready_cv_.notify_one();
  }
}

void S3TrailSource::StartFetching() {
  if (started_) return;
  started_ = true;
  for (size_t i = 0; i < std::min(parallel_, objects_.size()); ++i) threads_.emplace_back(&S3TrailSource::FetchLoop, this);
}

std::optional<StreamedInput> S3TrailSource::Next() {
  std::unique_lock<std::mutex> lock(mutex_);
  StartFetching();
  ready_cv_.wait(lock, [&] { return !ready_.empty() || handed_ == objects_.size(); });
  if (ready_.empty()) return std::nullopt;
  StreamedInput out = std::move(ready_.front());
  ready_.pop_front();
  const bool last = ++handed_ == objects_.size();
  lock.unlock();
  space_cv_.notify_one();
  if (last) ready_cv_.notify_all();  // the other readers waiting learn there is nothing more
  return out;
}

}  // namespace lir
