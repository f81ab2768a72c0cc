// analyze s3://BUCKET/PREFIX against moto's S3: the same report as the files on disk, a
// listing that never enters what the filters exclude, and a broken object named, not fatal.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "aws/aws_session.h"
#include "aws/environment.h"
#include "core/strings.h"
#include "evidence/s3_trail_source.h"
#include "test_support.h"

namespace lir {
namespace {

const std::map<std::string, std::string> kEnv = {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"},
                                                 {"AWS_DEFAULT_REGION", "us-east-1"}};

// The bundled sample under s3://trail/logs/ in a freshly reset moto.
void UploadSample() {
  const std::string endpoint = test::FreshMoto();
  ASSERT_EQ(test::RunPython("aws_cli.py", {"s3", "mb", "s3://trail", "--endpoint-url", endpoint}, kEnv).exit_code, 0);
  const auto upload = test::RunPython("aws_cli.py", {"s3", "cp", "--recursive", "--quiet", test::SourceDir() + "/examples/incident",
                                                     "s3://trail/logs/", "--endpoint-url", endpoint}, kEnv);
  ASSERT_EQ(upload.exit_code, 0) << upload.err;
}

std::unique_ptr<aws::AwsSession> SessionAt(const std::string& endpoint, aws::MapEnvironment* env) {
  *env = aws::MapEnvironment({{"HOME", "/nonexistent"}, {"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"},
                              {"AWS_DEFAULT_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL", endpoint},
                              {"AWS_EC2_METADATA_DISABLED", "true"}});
  return std::move(*aws::AwsSession::Create({}, *env, nullptr));
}

// us-east-1, the first half of the 26th.
S3TrailFilter UsEast1On26th() {
  S3TrailFilter filter;
  filter.region = "us-east-1";
  filter.since = ParseIso8601("2026-11-26T00:00:00Z");
  filter.until = ParseIso8601("2026-11-26T12:00:00Z");
  return filter;
}

// A report without what names the run (time, inputs): what is left must not depend on where the files came from.
nlohmann::json Findings(const std::string& json) {
  auto report = nlohmann::json::parse(json);
  report.erase("generated_at");
  report.erase("inputs");
  return report;
}

// `file` stored as s3://BUCKET/KEY (the bucket made first when `make_bucket`), through the aws CLI.
void PutObject(const std::string& endpoint, const std::string& bucket, const std::string& key, const std::string& file, bool make_bucket) {
  if (make_bucket) {
    ASSERT_EQ(test::RunPython("aws_cli.py", {"s3", "mb", "s3://" + bucket, "--endpoint-url", endpoint}, kEnv).exit_code, 0);
  }
  const auto put = test::RunPython("aws_cli.py", {"s3api", "put-object", "--bucket", bucket, "--key", key, "--body", file, "--endpoint-url",
                                                  endpoint}, kEnv);
  ASSERT_EQ(put.exit_code, 0) << put.err;
}

// analyze s3://trail/ at `endpoint`: its output, once it has exited 0 with no input issue.
std::string AnalyzeTrailBucketCleanly(const std::string& endpoint) {
  const auto r = test::RunWithEnv({test::BinaryPath(), "analyze", "s3://trail/", "--endpoint-url", endpoint, "--format", "json"}, kEnv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["issues"], nlohmann::json::array());
  return r.out;
}

TEST(AnalyzeS3, AnArchiveInABucketGivesTheReportOfTheSameFilesOnDisk) {
  UploadSample();
  const auto from_s3 = test::RunWithEnv({test::BinaryPath(), "analyze", "s3://trail/logs", "--endpoint-url", test::MotoEndpoint(),
                                         "--format", "json"}, kEnv);
  ASSERT_EQ(from_s3.exit_code, 0) << from_s3.err;
  const auto from_disk = test::RunTool({"analyze", test::SourceDir() + "/examples/incident", "--format", "json"});
  ASSERT_EQ(from_disk.exit_code, 0) << from_disk.err;
  const auto s3 = Findings(from_s3.out), disk = Findings(from_disk.out);
  EXPECT_EQ(s3.dump(1), disk.dump(1));
  EXPECT_GE(disk["findings"].size(), 30u);
  EXPECT_EQ(s3["stats"]["files"], disk["stats"]["files"]);
}

// --region and a window: the other region and the days outside are never listed, and only the
// objects of the window's days (and the next, for late delivery) are fetched.
TEST(AnalyzeS3, FiltersPruneTheListingBeforeAnyObjectIsFetched) {
  UploadSample();
  aws::MapEnvironment env({});
  auto session = SessionAt(test::MotoEndpoint(), &env);
  S3TrailSource source(session->context(), {"trail", "logs/"}, UsEast1On26th(), 2);
  ASSERT_TRUE(source.List());
  const std::string region = "logs/AWSLogs/111122223333/CloudTrail/us-east-1/";
  EXPECT_EQ(source.listed_prefixes(),
            (std::vector<std::string>{"logs/", "logs/AWSLogs/", "logs/AWSLogs/111122223333/", "logs/AWSLogs/111122223333/CloudTrail/",
                                      region + "2026/11/26/", region + "2026/11/27/"}));
  EXPECT_TRUE(source.listing_problems().empty());
  // Every us-east-1 file of the 26th, as on disk, and nothing else.
  std::vector<std::string> want, got;
  for (const auto& entry : std::filesystem::directory_iterator(test::SourceDir() + "/examples/incident/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/26")) {
    want.push_back(region + "2026/11/26/" + entry.path().filename().string());
  }
  for (const auto& object : source.objects()) got.push_back(object.key);
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(got, want);
  // Each object is handed out once, with its bytes (gzip, as stored).
  size_t handed = 0;
  while (auto input = source.Next()) {
    ++handed;
    ASSERT_TRUE(input->error.empty()) << input->file.path << ": " << input->error;
    ASSERT_NE(input->bytes, nullptr);
    EXPECT_EQ(input->bytes->size(), input->file.size);
    EXPECT_EQ(input->bytes->substr(0, 2), "\x1f\x8b");
  }
  EXPECT_EQ(handed, want.size());
}

// An organisation trail (AWSLogs/o-ORG/ACCOUNT/...) of three accounts, one file each, under
// s3://trail/org/ in a freshly reset moto.
const std::vector<std::string> kOrgAccounts = {"111111111111", "222222222222", "333333333333"};
void UploadOrganisationTrail() {
  const std::string endpoint = test::FreshMoto();
  ASSERT_EQ(test::RunPython("aws_cli.py", {"s3", "mb", "s3://trail", "--endpoint-url", endpoint}, kEnv).exit_code, 0);
  const test::TempDir tmp;
  for (const std::string& account : kOrgAccounts) {
    const nlohmann::json record = {{"eventVersion", "1.09"},
                                   {"eventTime", "2026-11-26T03:00:00Z"},
                                   {"eventSource", "lambda.amazonaws.com"},
                                   {"eventName", "ListFunctions20150331"},
                                   {"awsRegion", "us-east-1"},
                                   {"eventID", "event-of-" + account},
                                   {"recipientAccountId", account},
                                   {"userIdentity", {{"type", "IAMUser"}, {"accountId", account}, {"arn", "arn:aws:iam::" + account + ":user/ops"}}}};
    const std::string dir = tmp.File("AWSLogs/o-exampleorg1/" + account + "/CloudTrail/us-east-1/2026/11/26");
    std::filesystem::create_directories(dir);
    test::WriteFile(dir + "/" + account + "_CloudTrail_us-east-1_20261126T0300Z_abc.json.gz",
                    test::Gzip(nlohmann::json{{"Records", {record}}}.dump()));
  }
  const auto upload = test::RunPython("aws_cli.py", {"s3", "cp", "--recursive", "--quiet", tmp.path(), "s3://trail/org/", "--endpoint-url", endpoint}, kEnv);
  ASSERT_EQ(upload.exit_code, 0) << upload.err;
}

// --accounts of an organisation trail: the other accounts' prefixes are never listed, their
// objects never fetched, and the report says which accounts it kept.
TEST(AnalyzeS3, AnOrganisationTrailIsListedOnlyForTheAccountsAsked) {
  UploadOrganisationTrail();
  aws::MapEnvironment env({});
  auto session = SessionAt(test::MotoEndpoint(), &env);
  S3TrailFilter filter;
  filter.accounts = {kOrgAccounts[0], kOrgAccounts[2]};
  S3TrailSource source(session->context(), {"trail", "org/"}, filter, 2);
  ASSERT_TRUE(source.List());
  const std::string org = "org/AWSLogs/o-exampleorg1/";
  EXPECT_EQ(source.listed_prefixes(), (std::vector<std::string>{"org/", "org/AWSLogs/", org, org + "111111111111/", org + "111111111111/CloudTrail/",
                                                                 org + "111111111111/CloudTrail/us-east-1/", org + "333333333333/",
                                                                 org + "333333333333/CloudTrail/", org + "333333333333/CloudTrail/us-east-1/"}));
  std::vector<std::string> keys;
  for (const auto& o : source.objects()) keys.push_back(o.key);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      org + "111111111111/CloudTrail/us-east-1/2026/11/26/111111111111_CloudTrail_us-east-1_20261126T0300Z_abc.json.gz",
                      org + "333333333333/CloudTrail/us-east-1/2026/11/26/333333333333_CloudTrail_us-east-1_20261126T0300Z_abc.json.gz"}));

  const auto r = test::RunWithEnv({test::BinaryPath(), "analyze", "s3://trail/org", "--accounts", "333333333333,111111111111",
                                   "--endpoint-url", test::MotoEndpoint(), "--format", "json"},
                                  kEnv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["filters"]["account"], nullptr);
  EXPECT_EQ(report["filters"]["accounts"], nlohmann::json::array({"333333333333", "111111111111"}));
  EXPECT_EQ(report["stats"]["files"], 2);
  EXPECT_EQ(report["stats"]["events"], 2);  // one of each account asked
  EXPECT_EQ(report["stats"]["first_event"], "2026-11-26T03:00:00Z");

  const auto bad = test::RunWithEnv({test::BinaryPath(), "analyze", "s3://trail/org", "--accounts", "111111111111,1111",
                                     "--endpoint-url", test::MotoEndpoint()},
                                    kEnv);
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--accounts: '1111' is not a 12-digit account id (ID,ID,... or all)"), std::string::npos) << bad.err;
}

// An object that is not gzip nor JSON is reported by its s3:// name; the rest is read.
// A bucket that does not exist is an error naming the URL, exit 2, before any scan.
TEST(AnalyzeS3, ABrokenObjectIsNamedAndAMissingBucketStopsBeforeTheScan) {
  UploadSample();
  test::TempDir tmp;
  test::WriteFile(tmp.File("broken.json.gz"), "\x1f\x8b not really gzip");
  const std::string key = "logs/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/26/111122223333_CloudTrail_us-east-1_20261126T2359Z_broken.json.gz";
  ASSERT_EQ(test::RunPython("aws_cli.py", {"s3", "cp", "--quiet", tmp.File("broken.json.gz"), "s3://trail/" + key, "--endpoint-url",
                                           test::MotoEndpoint()}, kEnv).exit_code, 0);
  const auto r = test::RunWithEnv({test::BinaryPath(), "analyze", "s3://trail/logs/", "--endpoint-url", test::MotoEndpoint(),
                                   "--format", "json"}, kEnv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["issues"].size(), 1u) << report["issues"].dump();
  EXPECT_EQ(report["issues"][0]["file"], "s3://trail/" + key);
  EXPECT_EQ(report["issues"][0]["kind"], "bad-file");
  EXPECT_EQ(report["stats"]["bad_files"], 1);
  EXPECT_GE(report["findings"].size(), 30u);

  const auto missing = test::RunWithEnv({test::BinaryPath(), "analyze", "s3://no-such-bucket/logs/", "--endpoint-url",
                                         test::MotoEndpoint(), "--format", "json"}, kEnv);
  // S3's answer, not a usage error: exit 6, as every other failed AWS call (it was 2).
  EXPECT_EQ(missing.exit_code, 6) << missing.out << missing.err;
  EXPECT_NE(missing.err.find("lambda-ir: s3://no-such-bucket/logs/: "), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("NoSuchBucket"), std::string::npos) << missing.err;
}

// A key holding "../" segments is fetched as listed. libcurl folded them, so the key below
// was read from bucket `other` (whose object an attacker chose) and the listed one never was.
TEST(AnalyzeS3, AKeyWithDotSegmentsIsReadAsListed) {
  const std::string endpoint = test::FreshMoto();
  test::TempDir tmp;
  auto record_of = [](const std::string& function) {
    auto record = nlohmann::json::parse(test::ReadFile(test::SourceDir() + "/rules/lambda_function_url_public/tests/match/01.json"));
    record["requestParameters"]["functionName"] = function;
    return nlohmann::json{{"Records", {record}}}.dump();
  };
  test::WriteFile(tmp.File("listed.json"), record_of("listed-fn"));
  test::WriteFile(tmp.File("decoy.json"), record_of("decoy-fn"));
  const std::string name = "111122223333_CloudTrail_us-east-1_20261126T1410Z_a.json";
  std::string key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/26/x/";
  for (int i = 0; i < 9; ++i) key += "../";  // folded, up to the bucket: /other/NAME
  key += "other/" + name;
  PutObject(endpoint, "trail", key, tmp.File("listed.json"), true);
  PutObject(endpoint, "other", name, tmp.File("decoy.json"), true);
  const std::string out = AnalyzeTrailBucketCleanly(endpoint);
  EXPECT_EQ(nlohmann::json::parse(out)["stats"]["events"], 1);
  EXPECT_NE(out.find("listed-fn"), std::string::npos);
  EXPECT_EQ(out.find("decoy-fn"), std::string::npos);
}

// S3 encodes a listing's names as forms are (a space is '+'; botocore decodes them with
// unquote_plus); an answer that says it is not encoded is taken as it is.
TEST(S3Listing, NamesAreDecodedAsS3EncodesThem) {
  const nlohmann::json encoded = {{"EncodingType", "url"}};
  EXPECT_EQ(ListedS3Name(encoded, "a+b%2Bc%0D%2F..%2F%25"), "a b+c\r/../%");
  EXPECT_EQ(ListedS3Name(nlohmann::json::object(), "a+b%2B"), "a+b%2B");
}

// A key holding what XML cannot carry as it is (a CR, read back as LF), a space and a '%': listed
// URL-encoded, decoded, and fetched as it is. It was a 404, the file unread.
TEST(AnalyzeS3, AKeyXmlCannotCarryIsListedEncodedAndRead) {
  const std::string endpoint = test::FreshMoto();
  test::TempDir tmp;
  auto record = nlohmann::json::parse(test::ReadFile(test::SourceDir() + "/rules/lambda_function_url_public/tests/match/01.json"));
  test::WriteFile(tmp.File("trail.json"), nlohmann::json{{"Records", {record}}}.dump());
  const std::string key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/26/a\rb c%41_CloudTrail.json";
  PutObject(endpoint, "trail", key, tmp.File("trail.json"), true);
  EXPECT_EQ(nlohmann::json::parse(AnalyzeTrailBucketCleanly(endpoint))["stats"]["events"], 1);
}

// Common prefixes that are not below the prefix listed are not followed: an endpoint that
// answered x/, then y/, then x/ ... kept the listing going for ever.
TEST(AnalyzeS3, APrefixOutsideTheOneListedIsNotFollowed) {
  UploadSample();
  test::ChildServer control({"python3", test::SourceDir() + "/tests/servers/control_proxy.py", test::MotoEndpoint()});
  auto listing = [](const std::string& prefix) {
    return nlohmann::json{{"status", 200}, {"headers", {{"Content-Type", "application/xml"}}},
                          {"body", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>trail</Name><Prefix></Prefix>"
                                   "<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>"
                                   "<CommonPrefixes><Prefix>" + prefix + "</Prefix></CommonPrefixes></ListBucketResult>"}};
  };
  ASSERT_EQ(test::PostJson(control.url() + "/_proxy/rules",
                           nlohmann::json{{"answers", {{"s3:ListBucket", {listing("x/"), listing("y/")}}}}}.dump()),
            "{}");
  aws::MapEnvironment env({});
  auto session = SessionAt(control.url(), &env);
  S3TrailSource source(session->context(), {"trail", ""}, {}, 1);
  ASSERT_TRUE(source.List());
  EXPECT_EQ(source.listed_prefixes(), (std::vector<std::string>{"", "x/"}));
  EXPECT_TRUE(source.objects().empty());
  EXPECT_TRUE(source.listing_problems().empty());
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// A download cut half-way (the connection closes after half the body) is retried, and the
// object's bytes are exactly the file's: the retry starts the body over instead of appending
// to the half already received (it appended before: the object came out 1.5 times long).
TEST(AnalyzeS3, ARetriedDownloadKeepsOnlyTheLastAttemptsBytes) {
  UploadSample();
  test::TempDir dir;
  // The six listings pass; the first download is cut; everything after passes.
  test::ChildServer proxy({"python3", test::SourceDir() + "/tests/servers/fault_proxy.py", test::MotoEndpoint(),
                           "pass,pass,pass,pass,pass,pass,cut", dir.File("log")});
  aws::MapEnvironment env({});
  auto session = SessionAt(proxy.url(), &env);
  S3TrailSource source(session->context(), {"trail", "logs/"}, UsEast1On26th(), 1);
  ASSERT_TRUE(source.List());
  ASSERT_EQ(source.listed_prefixes().size(), 6u);
  size_t compared = 0;
  while (auto input = source.Next()) {
    ASSERT_TRUE(input->error.empty()) << input->file.path << ": " << input->error;
    const std::string key = input->file.path.substr(std::string("s3://trail/logs/").size());
    ASSERT_EQ(*input->bytes, test::ReadFile(test::SourceDir() + "/examples/incident/" + key)) << key;
    ++compared;
  }
  EXPECT_GT(compared, 10u);
  // The cut download was asked for twice.
  size_t gets = 0;
  const std::string log = test::ReadFile(dir.File("log"));
  for (std::string_view line : Split(log, '\n')) gets += line.find("\"GET\"") != std::string_view::npos;
  EXPECT_EQ(gets, 6 + compared + 1);
}

}  // namespace
}  // namespace lir
