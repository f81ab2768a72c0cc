// The CloudTrail reader against third-party files and against every kind of broken input.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fmt/format.h>
#include <simdjson.h>

#include <nlohmann/json.hpp>

#include "sources/byte_source.h"
#include "sources/cloudtrail_reader.h"
#include "sources/event_view.h"
#include "sources/input_files.h"
#include "sources/number_repair.h"
#include "test_support.h"

namespace lir {
namespace {

using test::ReadFile;
using test::TempDir;
using test::WriteFile;

struct Collector : RecordSink {
  std::vector<std::string> event_ids;
  std::vector<std::string> names;
  std::vector<ReadIssue> issues;
  uint64_t bytes = 0;
  void OnFile(std::string_view, uint64_t b) override { bytes += b; }
  void OnRecord(const RecordRef& r) override {
    EventView scratch;
    std::string why;
    if (const EventView* v = r.View(&scratch, &why)) {
      event_ids.emplace_back(v->event_id);
      names.emplace_back(v->name);
    } else {
      issues.push_back({IssueKind::kBadRecord, std::string(r.file), std::to_string(r.index), why});
    }
  }
  void OnIssue(ReadIssue issue) override { issues.push_back(std::move(issue)); }
};

Collector ReadPath(const std::string& path, ReaderOptions options = {}) {
  Collector c;
  CloudTrailReader reader(options);
  reader.ReadFile(path, c);
  return c;
}

std::string Trailscraper(const char* ext) {
  return test::CorporaDir() + "/cloudtrail-trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U" + ext;
}

TEST(Reader, NativeFilePlainAndGzipGiveTheSameRecords) {
  LIR_REQUIRE_CORPORA();
  const Collector plain = ReadPath(Trailscraper(".json"));
  const Collector gz = ReadPath(Trailscraper(".json.gz"));
  const auto doc = nlohmann::json::parse(ReadFile(Trailscraper(".json")));
  ASSERT_EQ(plain.event_ids.size(), doc["Records"].size());
  EXPECT_TRUE(plain.issues.empty());
  EXPECT_EQ(plain.event_ids, gz.event_ids);
  EXPECT_EQ(plain.event_ids.front(), doc["Records"][0]["eventID"]);
  // The .gz decompresses to exactly the .json.
  InputBuffer buffer;
  ASSERT_TRUE(LoadInput(Trailscraper(".json.gz"), kDefaultMaxDecodedBytes, &buffer));
  EXPECT_EQ(std::string(buffer.data(), buffer.size()), ReadFile(Trailscraper(".json")));
}

TEST(Reader, ParsesTrailFileNames) {
  const auto name = ParseTrailFileName("/x/AWSLogs/111111111111/CloudTrail/eu-central-1/2017/12/11/"
                                       "111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->account, "111111111111");
  EXPECT_EQ(name->region, "eu-central-1");
  EXPECT_EQ(name->stamp, "20171211T1505Z");
  EXPECT_FALSE(ParseTrailFileName("events.json"));
  EXPECT_FALSE(ParseTrailFileName("1111_CloudTrail_eu-central-1_20171211T1505Z_x.json"));
  EXPECT_TRUE(IsDigestFileName("AWSLogs/1/CloudTrail-Digest/us-east-1/x.json.gz"));
}

TEST(Reader, AwsDocumentationRecords) {
  LIR_REQUIRE_CORPORA();
  const std::string dir = test::CorporaDir() + "/cloudtrail-awsdocs/aws-lambda-developer-guide/";
  const Collector c = ReadPath(dir + "logging-using-cloudtrail.block0.json");
  ASSERT_EQ(c.names.size(), 2u);
  EXPECT_EQ(c.names[0], "GetFunction");
  EXPECT_EQ(c.names[1], "DeleteFunction");  // DeleteFunction in this eventVersion 1.03 sample
  // Every AWS-authored sample reads without a bad record; digests are recognised.
  std::vector<ReadIssue> discovery;
  const auto inputs = DiscoverInputs({test::CorporaDir() + "/cloudtrail-awsdocs"}, &discovery);
  EXPECT_GE(inputs.size(), 28u);
  size_t records = 0, digests = 0;
  for (const auto& input : inputs) {
    const Collector one = ReadPath(input.path);
    records += one.event_ids.size();
    for (const auto& issue : one.issues) {
      if (issue.kind == IssueKind::kSkipped) {
        ++digests;
      } else {
        ADD_FAILURE() << input.path << ": " << issue.message;
      }
    }
  }
  EXPECT_EQ(digests, 2u);
  EXPECT_GE(records, 30u);
}

TEST(Reader, LookupEventsJsonArrayAndJsonLinesGiveTheSameEvents) {
  LIR_REQUIRE_CORPORA();
  const auto doc = nlohmann::json::parse(ReadFile(Trailscraper(".json")));
  nlohmann::json lookup = {{"Events", nlohmann::json::array()}, {"NextToken", "abc"}};
  std::string lines;
  for (const auto& r : doc["Records"]) {
    lookup["Events"].push_back({{"EventId", r["eventID"]}, {"EventName", r["eventName"]},
                                {"CloudTrailEvent", r.dump()}, {"ReadOnly", "true"}});
    lines += r.dump() + "\n";
  }
  TempDir dir;
  WriteFile(dir.File("lookup.json"), lookup.dump(2));
  WriteFile(dir.File("array.json"), doc["Records"].dump());
  WriteFile(dir.File("lines.jsonl"), lines);
  const Collector native = ReadPath(Trailscraper(".json"));
  for (const char* name : {"lookup.json", "array.json", "lines.jsonl"}) {
    const Collector c = ReadPath(dir.File(name));
    EXPECT_EQ(c.event_ids, native.event_ids) << name;
    EXPECT_TRUE(c.issues.empty()) << name;
  }
}

TEST(Reader, DirectoryWalkSkipsDigestsAndSortsFiles) {
  TempDir dir;
  const std::string base = dir.path() + "/AWSLogs/111122223333/";
  const std::string record = R"({"Records":[{"eventTime":"2026-11-27T00:00:00Z","eventName":"X","eventSource":"s3.amazonaws.com","eventID":"1"}]})";
  WriteFile(base + "CloudTrail/us-east-1/2026/11/27/b.json.gz", test::Gzip(record));
  WriteFile(base + "CloudTrail/us-east-1/2026/11/27/a.json", record);
  WriteFile(base + "CloudTrail/us-east-1/2026/11/27/notes.txt", "ignored");
  WriteFile(base + "CloudTrail-Digest/us-east-1/2026/11/27/111122223333_CloudTrail-Digest_us-east-1_x.json.gz",
            test::Gzip("{}"));
  std::vector<ReadIssue> issues;
  const auto inputs = DiscoverInputs({dir.path(), dir.File("missing")}, &issues);
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_NE(inputs[0].path.find("a.json"), std::string::npos);
  EXPECT_NE(inputs[1].path.find("b.json.gz"), std::string::npos);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].file, dir.File("missing"));
  EXPECT_EQ(issues[0].message, "no such file or directory");
}

// --- hostile and broken input: reported with file and position, never fatal -----------

ReadIssue OnlyIssue(const Collector& c) {
  EXPECT_EQ(c.issues.size(), 1u);
  return c.issues.empty() ? ReadIssue{} : c.issues.front();
}

TEST(ReaderMalformed, TruncatedGzip) {
  LIR_REQUIRE_CORPORA();
  TempDir dir;
  const std::string gz = ReadFile(Trailscraper(".json.gz"));
  WriteFile(dir.File("t.json.gz"), gz.substr(0, gz.size() / 2));
  const ReadIssue issue = OnlyIssue(ReadPath(dir.File("t.json.gz")));
  EXPECT_EQ(issue.kind, IssueKind::kBadFile);
  EXPECT_EQ(issue.file, dir.File("t.json.gz"));
  EXPECT_NE(issue.message.find("gzip data is corrupt or truncated"), std::string::npos) << issue.message;
}

TEST(ReaderMalformed, InvalidJson) {
  TempDir dir;
  WriteFile(dir.File("bad.json"), R"({"Records":[{"eventName":"X",}]})");
  const ReadIssue issue = OnlyIssue(ReadPath(dir.File("bad.json")));
  EXPECT_EQ(issue.kind, IssueKind::kBadFile);
  EXPECT_NE(issue.message.find("invalid JSON"), std::string::npos);
}

TEST(ReaderMalformed, TruncatedPrettyPrintedFileIsOneError) {
  LIR_REQUIRE_CORPORA();
  TempDir dir;
  const std::string json = ReadFile(Trailscraper(".json"));
  WriteFile(dir.File("cut.json"), json.substr(0, json.size() * 2 / 3));
  const Collector c = ReadPath(dir.File("cut.json"));
  EXPECT_EQ(OnlyIssue(c).kind, IssueKind::kBadFile);
}

TEST(ReaderMalformed, RecordsNotAnArray) {
  TempDir dir;
  WriteFile(dir.File("r.json"), R"({"Records":{"eventName":"X"}})");
  const ReadIssue issue = OnlyIssue(ReadPath(dir.File("r.json")));
  EXPECT_EQ(issue.kind, IssueKind::kBadFile);
  EXPECT_EQ(issue.message, "\"Records\" is not an array");
}

TEST(ReaderMalformed, RecordThatIsNotAnObjectIsSkippedWithItsPosition) {
  TempDir dir;
  WriteFile(dir.File("r.json"),
            R"({"Records":[{"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"1"},42,)"
            R"({"eventTime":"2026-11-27T00:00:01Z","eventName":"B","eventID":"2"},{"eventName":"NoTime"}]})");
  const Collector c = ReadPath(dir.File("r.json"));
  EXPECT_EQ(c.event_ids, (std::vector<std::string>{"1", "2"}));
  ASSERT_EQ(c.issues.size(), 2u);
  EXPECT_EQ(c.issues[0].position, "record 1");
  EXPECT_EQ(c.issues[0].message, "record is not a JSON object");
  EXPECT_EQ(c.issues[1].message, "record has no eventTime");
}

TEST(ReaderMalformed, JsonLinesBadLineReportedByLineNumber) {
  TempDir dir;
  WriteFile(dir.File("l.jsonl"),
            "{\"eventTime\":\"2026-11-27T00:00:00Z\",\"eventName\":\"A\",\"eventID\":\"1\"}\n"
            "{\"eventTime\":\"2026-11-27T00:00:01Z\",\"eventName\":\n"
            "\n"
            "{\"eventTime\":\"2026-11-27T00:00:02Z\",\"eventName\":\"C\",\"eventID\":\"3\"}\n");
  const Collector c = ReadPath(dir.File("l.jsonl"));
  EXPECT_EQ(c.event_ids, (std::vector<std::string>{"1", "3"}));
  const ReadIssue issue = OnlyIssue(c);
  EXPECT_EQ(issue.kind, IssueKind::kBadRecord);
  EXPECT_EQ(issue.position, "line 2");
}

TEST(ReaderMalformed, InvalidUtf8IsRepairedNotDropped) {
  TempDir dir;
  std::string body = R"({"Records":[{"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"1","userAgent":"x)";
  body += "\xff\xfe";
  body += R"(y"},{"eventTime":"2026-11-27T00:00:01Z","eventName":"B","eventID":"2"}]})";
  WriteFile(dir.File("u.json"), body);
  const Collector c = ReadPath(dir.File("u.json"));
  EXPECT_EQ(c.event_ids, (std::vector<std::string>{"1", "2"}));
  const ReadIssue issue = OnlyIssue(c);
  EXPECT_EQ(issue.kind, IssueKind::kWarning);
  EXPECT_EQ(issue.position, "byte " + std::to_string(body.find('\xff')));
}

TEST(ReaderMalformed, HugeStringIsRead) {
  TempDir dir;
  const std::string big(12 << 20, 'A');
  WriteFile(dir.File("h.json"), R"({"Records":[{"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"1","userAgent":")" +
                                     big + "\"}]}");
  const Collector c = ReadPath(dir.File("h.json"));
  EXPECT_EQ(c.event_ids, std::vector<std::string>{"1"});
  EXPECT_TRUE(c.issues.empty());
}

// One crafted record must not take gigabytes: over max_record_bytes it is skipped, by position,
// and the records after it are read.
TEST(ReaderMalformed, ARecordOverTheLimitIsSkippedAndTheRestRead) {
  TempDir dir;
  const std::string big(20 << 20, 'A');
  const std::string huge = R"({"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"1","userAgent":")" + big + "\"}";
  WriteFile(dir.File("h.json"), R"({"Records":[)" + huge +
                                    R"(,{"eventTime":"2026-11-27T00:00:01Z","eventName":"B","eventID":"2"}]})");
  const Collector c = ReadPath(dir.File("h.json"));
  EXPECT_EQ(c.event_ids, std::vector<std::string>{"2"});
  const ReadIssue issue = OnlyIssue(c);
  EXPECT_EQ(issue.kind, IssueKind::kBadRecord);
  EXPECT_EQ(issue.position, "record 0");
  EXPECT_EQ(issue.message, std::to_string(huge.size()) + " bytes, over the 16777216 byte limit for one record");
}

// A key given twice counted last in the event view but first for the rules (simdjson's
// at_key): a forged record could show one call and be judged as another.
TEST(ReaderMalformed, ADuplicateKeyCountsOnceTheFirstTimeEverywhere) {
  const std::string text =
      R"({"eventTime":"2026-11-27T00:00:00Z","eventName":"GetFunction20150331v2","eventSource":"lambda.amazonaws.com",)"
      R"("userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a","arn":"arn:aws:iam::1:user/b"},)"
      R"("eventName":"UpdateFunctionCode20150331v2","eventID":"1","eventID":"2"})";
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(text);
  simdjson::dom::element record = parser.parse(padded).value();
  EventView v;
  std::string why;
  ASSERT_TRUE(ViewEvent(record, &v, &why)) << why;
  EXPECT_EQ(v.name, "GetFunction");
  EXPECT_EQ(v.event_id, "1");
  EXPECT_EQ(v.actor_arn, "arn:aws:iam::1:user/a");
  EXPECT_EQ(std::string_view(record["eventName"]), "GetFunction20150331v2");  // what a rule reads
}

// A FIFO where a trail file was named used to block the read for ever.
TEST(ReaderMalformed, AFifoIsRefusedNotWaitedOn) {
  TempDir dir;
  ASSERT_EQ(mkfifo(dir.File("trail.json").c_str(), 0600), 0);
  const ReadIssue issue = OnlyIssue(ReadPath(dir.File("trail.json")));
  EXPECT_EQ(issue.kind, IssueKind::kBadFile);
  EXPECT_EQ(issue.message, "not a regular file");
}

TEST(ReaderMalformed, EmptyFilesAreSkippedNotErrors) {
  TempDir dir;
  WriteFile(dir.File("e.json"), "");
  WriteFile(dir.File("w.json"), "  \n\t ");
  WriteFile(dir.File("e.json.gz"), test::Gzip(""));
  for (const char* name : {"e.json", "w.json", "e.json.gz"}) {
    const ReadIssue issue = OnlyIssue(ReadPath(dir.File(name)));
    EXPECT_EQ(issue.kind, IssueKind::kSkipped) << name;
    EXPECT_EQ(issue.message, "empty input") << name;
  }
}

TEST(ReaderMalformed, GzipBombStopsAtTheLimit) {
  TempDir dir;
  WriteFile(dir.File("bomb.json.gz"), test::Gzip(std::string(64 << 20, ' ')));
  ReaderOptions options;
  options.max_decoded_bytes = 8 << 20;
  const ReadIssue issue = OnlyIssue(ReadPath(dir.File("bomb.json.gz"), options));
  EXPECT_EQ(issue.kind, IssueKind::kBadFile);
  EXPECT_NE(issue.message.find("exceeds the 8388608 byte limit"), std::string::npos) << issue.message;
}

TEST(ReaderMalformed, ConcatenatedGzipMembersAreAllRead) {
  TempDir dir;
  const std::string a = R"({"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"1"})" "\n";
  const std::string b = R"({"eventTime":"2026-11-27T00:00:01Z","eventName":"B","eventID":"2"})" "\n";
  WriteFile(dir.File("cat.jsonl.gz"), test::Gzip(a) + test::Gzip(b));
  const Collector c = ReadPath(dir.File("cat.jsonl.gz"));
  EXPECT_EQ(c.event_ids, (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(c.issues.empty());
}

TEST(ReaderMalformed, OddButValidValuesAreKept) {
  // Null request/response, service name as source IP, fake region, string-encoded JSON.
  TempDir dir;
  WriteFile(dir.File("odd.json"), R"({"Records":[{"eventTime":"2026-11-27T00:00:00Z","eventName":"AddPermission20150331v2",)"
                                  R"("eventSource":"lambda.amazonaws.com","awsRegion":"moon-central-9","sourceIPAddress":"lambda.amazonaws.com",)"
                                  R"("requestParameters":null,"responseElements":{"statement":"{\"Sid\":\"x\"}"},"userIdentity":null,"eventID":"1"}]})");
  const Collector c = ReadPath(dir.File("odd.json"));
  EXPECT_EQ(c.names, std::vector<std::string>{"AddPermission"});
  EXPECT_TRUE(c.issues.empty());
}

// simdjson holds 64-bit integers and finite doubles; one number beyond (a caller's request
// parameter) used to fail the whole file. It is now that field's text, and the file is read.
TEST(ReaderMalformed, ANumberTooLargeToHoldIsKeptAsText) {
  TempDir dir;
  const std::string big = R"({"eventTime":"2026-11-27T00:00:00Z","eventName":"Invoke","eventSource":"lambda.amazonaws.com","eventID":"big",)"
                          R"("requestParameters":{"n":123456789012345678901234567890,"s":"1e400 in a string stays","f":-1e400}})";
  const std::string plain = R"({"eventTime":"2026-11-27T00:00:01Z","eventName":"GetFunction","eventSource":"lambda.amazonaws.com","eventID":"ok"})";
  WriteFile(dir.File("doc.json"), R"({"Records":[)" + big + "," + plain + "]}");
  const Collector doc = ReadPath(dir.File("doc.json"));
  EXPECT_EQ(doc.event_ids, (std::vector<std::string>{"big", "ok"}));
  ASSERT_EQ(doc.issues.size(), 1u);
  EXPECT_EQ(doc.issues[0].kind, IssueKind::kWarning);
  EXPECT_EQ(doc.issues[0].message, "2 numbers too large to hold kept as text (the first at byte 147)");
  WriteFile(dir.File("lines.jsonl"), plain + "\n" + big + "\n" + plain + "\n");
  const Collector lines = ReadPath(dir.File("lines.jsonl"));
  EXPECT_EQ(lines.event_ids, (std::vector<std::string>{"ok", "big", "ok"}));
  ASSERT_EQ(lines.issues.size(), 1u);
  EXPECT_EQ(lines.issues[0].position, "line 2");
  const nlohmann::json lookup = {{"Events", {{{"CloudTrailEvent", big}}, {{"CloudTrailEvent", plain}}}}};
  WriteFile(dir.File("lookup.json"), lookup.dump());
  EXPECT_EQ(ReadPath(dir.File("lookup.json")).event_ids, (std::vector<std::string>{"big", "ok"}));

  // The field reads as the number's text.
  InputBuffer raw, out;
  const std::string text = R"({"a":[1e400,18446744073709551615,18446744073709551616,-9223372036854775809,"x\"9e999"]})";
  const NumberRepair repair = QuoteUnrepresentableNumbers(text.data(), text.size(), &out);
  EXPECT_EQ(repair.quoted, 3u);
  EXPECT_EQ(std::string(out.data(), out.size()),
            R"({"a":["1e400",18446744073709551615,"18446744073709551616","-9223372036854775809","x\"9e999"]})");
}

// --- large documents, read record by record ---------------------------------------------

Collector ReadStreamed(const std::string& path) {
  ReaderOptions options;
  options.whole_document_bytes = 0;  // every document goes the record-by-record way
  return ReadPath(path, options);
}

std::vector<std::string> Describe(const std::vector<ReadIssue>& issues) {
  std::vector<std::string> out;
  for (const auto& i : issues) out.push_back(fmt::format("{}|{}|{}|{}", static_cast<int>(i.kind), i.file, i.position, i.message));
  return out;
}

// Every shape a responder has: native, LookupEvents, arrays, nested Records, JSON Lines, and
// the odd records among them, as files in `dir`.
std::vector<std::string> WriteShapes(const TempDir& dir) {
  const auto doc = nlohmann::json::parse(ReadFile(Trailscraper(".json")));
  nlohmann::json lookup = {{"NextToken", "abc"}, {"Events", nlohmann::json::array()}};
  std::string lines;
  for (const auto& r : doc["Records"]) {
    lookup["Events"].push_back({{"EventId", r["eventID"]}, {"CloudTrailEvent", r.dump()}});
    lines += r.dump() + "\n";
  }
  lookup["Events"].push_back(42);
  lookup["Events"].push_back({{"EventId", "x"}, {"CloudTrailEvent", "{not json"}});
  WriteFile(dir.File("lookup.json"), lookup.dump(2));
  WriteFile(dir.File("array.json"), doc["Records"].dump());
  WriteFile(dir.File("nested.json"), nlohmann::json::array({doc, {{"Events", lookup["Events"]}}, doc["Records"][0]}).dump());
  WriteFile(dir.File("lines.jsonl"), lines + doc.dump() + "\n  \n\t\n[1,{\"eventName\":\"NoTime\"}]\n");
  WriteFile(dir.File("odd.json"),
            R"( {"Other":{"Records":"not these"},"Rec\u006frds":[{"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"1"},42,)"
            R"({"eventTime":"2026-11-27T00:00:01Z","eventName":"B","eventID":"2","userAgent":"\"}]{[\\"},[],)"
            R"({"eventName":"NoTime"}],"Records":[]} )");
  // Both arrays (never written by AWS): the first is the document's, whichever it is.
  WriteFile(dir.File("both.json"), nlohmann::json({{"Events", {lookup["Events"][0]}}, {"Records", {doc["Records"][1]}}}).dump());
  WriteFile(dir.File("single.json"), doc["Records"][1].dump());
  WriteFile(dir.File("digest.json"), R"({"digestPublicKeyFingerprint":"ab","logFiles":[]})");
  WriteFile(dir.File("notarray.json"), R"({"Events":{"a":1}})");
  std::string utf8 = R"({"Records":[{"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"1","userAgent":"x)";
  utf8 += "\xff\xfe";
  utf8 += R"(y"},{"eventTime":"2026-11-27T00:00:01Z","eventName":"B","eventID":"2"}]})";
  WriteFile(dir.File("utf8.json"), utf8);
  const std::string sample = test::SourceDir() +
                             "/examples/incident/AWSLogs/111122223333/CloudTrail/us-west-2/2026/11/26/"
                             "111122223333_CloudTrail_us-west-2_20261126T0200Z_Tny3i2ZA6SiudR1U.json.gz";
  return {Trailscraper(".json"), Trailscraper(".json.gz"), sample,
          test::CorporaDir() + "/cloudtrail-trailscraper/events-for-smoke-test.json", dir.File("lookup.json"),
          dir.File("array.json"), dir.File("nested.json"), dir.File("lines.jsonl"), dir.File("odd.json"),
          dir.File("both.json"), dir.File("single.json"), dir.File("digest.json"), dir.File("notarray.json"),
          dir.File("utf8.json")};
}

// The record-by-record path (each file streamed from disk, gzip inflated as it is read) gives
// the records and issues the whole-document path gives, for every shape. (Where the JSON
// itself is broken the two differ on purpose: the whole document is refused, the streamed one
// read up to the break.)
TEST(ReaderLarge, StreamedAndWholeDocumentsGiveTheSameRecordsAndIssues) {
  LIR_REQUIRE_CORPORA();
  TempDir dir;
  for (const std::string& path : WriteShapes(dir)) {
    const Collector whole = ReadPath(path);
    const Collector streamed = ReadStreamed(path);
    EXPECT_EQ(streamed.event_ids, whole.event_ids) << path;
    EXPECT_EQ(streamed.names, whole.names) << path;
    EXPECT_EQ(Describe(streamed.issues), Describe(whole.issues)) << path;
    EXPECT_EQ(streamed.bytes, whole.bytes) << path;
  }
  // The shapes were read, not all refused alike.
  const auto doc = nlohmann::json::parse(ReadFile(Trailscraper(".json")));
  EXPECT_EQ(ReadStreamed(dir.File("nested.json")).event_ids.size(), 2 * doc["Records"].size() + 1);
  EXPECT_EQ(ReadStreamed(dir.File("odd.json")).event_ids, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(ReadStreamed(dir.File("both.json")).event_ids, (std::vector<std::string>{doc["Records"][0]["eventID"]}));
  EXPECT_EQ(ReadStreamed(dir.File("lines.jsonl")).event_ids.size(), 2 * doc["Records"].size());
}

// However the bytes arrive (one at a time, in odd pieces, inflated from gzip in pieces), every
// window boundary falls somewhere in a string, an escape, a key or a number: the records and
// issues are those of the whole document.
TEST(ReaderLarge, AnyPieceSizeGivesTheSameRecordsAndIssues) {
  LIR_REQUIRE_CORPORA();
  TempDir dir;
  for (const std::string& path : WriteShapes(dir)) {
    const Collector whole = ReadPath(path);
    std::string bytes = ReadFile(path);
    const bool gzip = IsGzip(bytes.data(), bytes.size());
    for (const size_t piece : {size_t{1}, size_t{7}, size_t{4096}}) {
      ReaderOptions options;
      options.whole_document_bytes = 0;
      options.stream_piece_bytes = piece;
      CloudTrailReader reader(options);
      Collector streamed;
      auto source = MemorySource(bytes, piece);
      if (gzip) source = GunzipSource(std::move(source), kDefaultMaxDecodedBytes);
      reader.ReadStream(path, *source, streamed);
      EXPECT_EQ(streamed.event_ids, whole.event_ids) << path << " piece " << piece;
      EXPECT_EQ(Describe(streamed.issues), Describe(whole.issues)) << path << " piece " << piece;
      EXPECT_EQ(streamed.bytes, whole.bytes) << path << " piece " << piece;
    }
  }
}

// A large file cut short (a copy interrupted, a disk full) still gives every record before the
// cut, and says where it broke.
TEST(ReaderLarge, ATruncatedDocumentGivesTheRecordsBeforeTheBreak) {
  LIR_REQUIRE_CORPORA();
  const auto doc = nlohmann::json::parse(ReadFile(Trailscraper(".json")));
  nlohmann::json records = nlohmann::json::array();
  for (int i = 0; i < 10; ++i) {
    records.push_back(doc["Records"][i % 2]);
    records.back()["eventID"] = "e" + std::to_string(i);
  }
  const std::string text = records.dump();
  // Cut just inside the sixth record.
  const std::string cut = R"({"Records":)" + text.substr(0, text.find(records[5].dump()) + 1);
  TempDir dir;
  WriteFile(dir.File("cut.json"), cut);
  const Collector c = ReadStreamed(dir.File("cut.json"));
  std::vector<std::string> expected;
  for (const auto& r : records) {
    if (cut.find(r.dump()) == std::string::npos) break;
    expected.push_back(r["eventID"]);
  }
  ASSERT_EQ(expected.size(), 5u);
  EXPECT_EQ(c.event_ids, expected);
  const ReadIssue issue = OnlyIssue(c);
  EXPECT_EQ(issue.kind, IssueKind::kBadFile);
  EXPECT_EQ(issue.message, fmt::format("invalid JSON at byte {}: the document ends inside the value that starts at byte {}",
                                       cut.size(), cut.size() - 1));
}

// A file far larger than the reader may hold, gzip or plain, Records or JSON Lines: every
// record read, and the reader's buffers stay within what its options allow, not what the file
// holds.
TEST(ReaderLarge, AFileOfAnySizeIsReadInBoundedMemory) {
  const std::string record =
      R"({"eventVersion":"1.08","eventTime":"2026-11-27T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",)"
      R"("awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","requestParameters":{"bucketName":"b","key":"k"},"eventID":"e)";
  constexpr size_t kRecords = 200000;  // about 40 MB
  std::string records;
  std::string lines;
  for (size_t i = 0; i < kRecords; ++i) {
    const std::string r = record + std::to_string(i) + "\"}";
    records += (i ? "," : "") + r;
    lines += r + "\n";
  }
  const std::string doc = R"({"Records":[)" + records + "]}";
  TempDir dir;
  WriteFile(dir.File("big.json.gz"), test::Gzip(doc));
  WriteFile(dir.File("big.jsonl"), lines);
  ReaderOptions options;
  options.whole_document_bytes = 1 << 20;
  options.max_record_bytes = 1 << 20;
  options.stream_piece_bytes = 64 << 10;
  for (const auto& [path, size] : {std::pair{dir.File("big.json.gz"), doc.size()}, std::pair{dir.File("big.jsonl"), lines.size()}}) {
    CloudTrailReader reader(options);
    Collector c;
    reader.ReadFile(path, c);
    EXPECT_EQ(Describe(c.issues), std::vector<std::string>{}) << path;
    ASSERT_EQ(c.event_ids.size(), kRecords) << path;
    EXPECT_EQ(c.event_ids.back(), "e" + std::to_string(kRecords - 1)) << path;
    EXPECT_EQ(c.bytes, size) << path;
    // The window (a MiB and a piece), the first MiB read to tell whole from streamed, a record.
    EXPECT_LT(reader.HeldBytes(), 4u << 20) << path;
  }
}

// Leading blank lines longer than the window are let go as they are read, yet counted: the
// lines of JSON Lines after them keep their numbers, and a document after them is read.
TEST(ReaderLarge, LeadingBlankLinesLongerThanTheWindowKeepTheLineNumbers) {
  const std::string blank(200000, '\n');
  const std::string a = R"({"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"1"})";
  const std::string b = R"({"eventTime":"2026-11-27T00:00:01Z","eventName":"B","eventID":"2"})";
  TempDir dir;
  WriteFile(dir.File("lines.jsonl"), blank + "  " + a + "\n{broken\n" + b + "\n");
  WriteFile(dir.File("doc.json"), blank + R"({"Records":[)" + a + "," + b + "]}");
  ReaderOptions small;
  small.whole_document_bytes = 16;  // "{broken" is parsed as a line, the records streamed
  small.max_record_bytes = 512;
  small.stream_piece_bytes = 100;
  for (const char* name : {"lines.jsonl", "doc.json"}) {
    const Collector whole = ReadPath(dir.File(name));
    const Collector streamed = ReadPath(dir.File(name), small);
    EXPECT_EQ(streamed.event_ids, (std::vector<std::string>{"1", "2"})) << name;
    EXPECT_EQ(streamed.event_ids, whole.event_ids) << name;
    EXPECT_EQ(Describe(streamed.issues), Describe(whole.issues)) << name;
  }
  EXPECT_EQ(OnlyIssue(ReadPath(dir.File("lines.jsonl"), small)).position, "line 200002");
}

// A line too long to hold that breaks (or has more after its value) costs that line: the
// next line is read, as when the line is held whole.
TEST(ReaderLarge, ABrokenLineTooLongToHoldCostsOnlyThatLine) {
  const std::string a = R"({"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"1"})";
  const std::string b = R"({"eventTime":"2026-11-27T00:00:01Z","eventName":"B","eventID":"2"})";
  const std::string c = R"({"eventTime":"2026-11-27T00:00:02Z","eventName":"C","eventID":"3"})";
  const std::string broken = R"({"eventName":"X","x":[1,2}, "padding": "0123456789"})";
  const std::string after = b + R"( {"more":1})";
  const std::string open = R"({"eventName":"Y","open":"never closed)";
  TempDir dir;
  WriteFile(dir.File("lines.jsonl"), a + "\n" + broken + "\n" + after + "\n" + open + "\n" + c + "\n");
  ReaderOptions options;
  options.whole_document_bytes = 0;
  options.stream_piece_bytes = 7;
  const Collector read = ReadPath(dir.File("lines.jsonl"), options);
  EXPECT_EQ(read.event_ids, (std::vector<std::string>{"1", "2", "3"}));
  const size_t line2 = a.size() + 1, line4 = line2 + broken.size() + 1 + after.size() + 1;
  EXPECT_EQ(Describe(read.issues),
            (std::vector<std::string>{
                fmt::format("1|{}|line 2|invalid JSON at byte {}: '}}' closes a '['", dir.File("lines.jsonl"), line2 + broken.find('}')),
                fmt::format("1|{}|line 3|invalid JSON: content after the value", dir.File("lines.jsonl")),
                fmt::format("1|{}|line 4|invalid JSON at byte {}: string is not closed", dir.File("lines.jsonl"),
                            line4 + open.find("\"never"))}));
}

// JSON Lines however it starts: a first line that is not an object, a first line too long to
// look at first (`zcat` of one-line trail files, the first larger than the window), and more
// blank lines after the first than the look-ahead: every line read, numbered as it is.
TEST(ReaderLarge, JsonLinesAreTakenForWhatTheyAreHoweverTheyStart) {
  auto rec = [](int i) { return fmt::format(R"({{"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"{}"}})", i); };
  std::string doc = R"({"Records":[)";
  for (int i = 0; i < 40; ++i) doc += (i ? "," : "") + rec(i);
  doc += "]}";
  const std::string blank(70000, '\n');
  TempDir dir;
  WriteFile(dir.File("null.jsonl"), "null\n" + rec(1) + "\n" + rec(2) + "\n{broken\n");
  WriteFile(dir.File("cat.json"), doc + "\n" + R"({"Records":[)" + rec(40) + "]}\n{broken\n");
  WriteFile(dir.File("gap.jsonl"), rec(1) + "\n" + blank + rec(2) + "\n{broken\n");
  ReaderOptions small;
  small.whole_document_bytes = 16;
  small.max_record_bytes = 512;  // the first document of cat.json is longer than a first line may be
  small.stream_piece_bytes = 100;
  const std::vector<std::tuple<std::string, size_t, std::string>> cases = {
      {"null.jsonl", 2, "line 4"}, {"cat.json", 41, "line 3"}, {"gap.jsonl", 2, fmt::format("line {}", 70003)}};
  for (const auto& [name, records, broken_line] : cases) {
    const Collector streamed = ReadPath(dir.File(name), small);
    EXPECT_EQ(streamed.event_ids, ReadPath(dir.File(name)).event_ids) << name;
    EXPECT_EQ(streamed.event_ids.size(), records) << name;
    ASSERT_FALSE(streamed.issues.empty()) << name;
    EXPECT_EQ(streamed.issues.back().position, broken_line) << name;
  }
}

// A string of escapes (attacker text in any field) is scanned in one pass: the scan looked for
// the closing quote again after each escape, minutes for 8 MB, and hours for more.
TEST(ReaderLarge, AStringOfEscapesIsScannedInOnePass) {
  std::string escapes;
  for (int i = 0; i < (4 << 20); ++i) escapes += "\\\\";
  TempDir dir;
  WriteFile(dir.File("esc.json"), R"({"Records":[{"eventTime":"2026-11-27T00:00:00Z","eventName":"A","eventID":"1","x":")" + escapes +
                                      R"("},{"eventTime":"2026-11-27T00:00:01Z","eventName":"B","eventID":"2"}]})");
  const Collector c = ReadStreamed(dir.File("esc.json"));
  EXPECT_EQ(c.event_ids, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(Describe(c.issues), std::vector<std::string>{});
}

// A gzip stream that breaks (cut short, trailing garbage, over the size limit) gives every
// record before the break, then says what broke; the JSON left open by the break is not
// reported as a second problem.
TEST(ReaderLarge, AStreamThatBreaksGivesTheRecordsBeforeIt) {
  auto rec = [](int i) {  // compresses well: the limit below is on the decoded bytes, not the file's
    return fmt::format(R"({{"eventTime":"2026-11-27T00:00:0{}Z","eventName":"E{}","eventID":"{}","userAgent":"{}"}})", i, i, i,
                       std::string(1000, 'a'));
  };
  const std::string first_text = R"({"Records":[)" + rec(1) + "," + rec(2) + ",";
  const uint64_t first_decoded = first_text.size();
  const std::string first = test::Gzip(first_text);
  const std::string second = test::Gzip(rec(3) + "]}");
  const std::string lines_first = test::Gzip(rec(1) + "\n" + rec(2) + "\n");
  const std::string lines_second = test::Gzip(rec(3) + "\n");
  TempDir dir;
  struct Case {
    std::string name;
    std::string bytes;
    uint64_t max_decoded;
    std::vector<std::string> ids;
    std::string issue;
  };
  const std::vector<Case> cases = {
      {"cut.json.gz", first + second.substr(0, second.size() / 2), kDefaultMaxDecodedBytes, {"1", "2"},
       fmt::format("gzip data is corrupt or truncated (member at byte {})", first.size())},
      {"cut.jsonl.gz", lines_first + lines_second.substr(0, lines_second.size() / 2), kDefaultMaxDecodedBytes, {"1", "2"},
       fmt::format("gzip data is corrupt or truncated (member at byte {})", lines_first.size())},
      // Only the member's checksum cut: its text was whole, and is read, as zcat prints it.
      {"trailer.jsonl.gz", lines_first + lines_second.substr(0, lines_second.size() - 3), kDefaultMaxDecodedBytes,
       {"1", "2", "3"}, fmt::format("gzip data is corrupt or truncated (member at byte {})", lines_first.size())},
      {"garbage.json.gz", first + "junk", kDefaultMaxDecodedBytes, {"1", "2"},
       fmt::format("trailing garbage after gzip member at byte {}", first.size())},
      {"padded.json.gz", first + second + std::string(10, '\0'), kDefaultMaxDecodedBytes, {"1", "2", "3"}, ""},
      {"limit.json.gz", first + second, first_decoded + 1, {"1", "2"},
       fmt::format("decompressed size exceeds the {} byte limit (gzip bomb?)", first_decoded + 1)},
  };
  for (const Case& c : cases) {
    WriteFile(dir.File(c.name), c.bytes);
    ReaderOptions options;
    options.whole_document_bytes = 0;
    options.max_decoded_bytes = c.max_decoded;
    const Collector read = ReadPath(dir.File(c.name), options);
    EXPECT_EQ(read.event_ids, c.ids) << c.name;
    const std::vector<std::string> issues = c.issue.empty() ? std::vector<std::string>{}
                                                            : std::vector<std::string>{fmt::format("0|{}||{}", dir.File(c.name), c.issue)};
    EXPECT_EQ(Describe(read.issues), issues) << c.name;
  }
}

TEST(ReaderLarge, StructureBreaksAreNamedByByte) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"Records":[{"a":[}]})", "invalid JSON at byte 18: '}' closes a '['"},
      {R"({"Records":[{"a":"\"}])", "invalid JSON at byte 17: string is not closed"},
      {R"({"Records":[[] {"b":2}]})", "invalid JSON at byte 15: ',' or ']' expected after an array element"},
      {R"({"Records" [])", "invalid JSON at byte 11: ':' expected after a member name"},
      {R"({"Records":[]} x)", "invalid JSON at byte 15: content after the end of the document"},
      {std::string(3, '\0'), "not a CloudTrail document: byte 0 starts neither an object nor an array"},
      {"{\"Records\":[" + std::string(2000, '[') + std::string(2000, ']') + "]}",
       "invalid JSON at byte 1036: nested too deeply"},
  };
  TempDir dir;
  for (const auto& [text, message] : cases) {
    WriteFile(dir.File("b.json"), text);
    const Collector c = ReadStreamed(dir.File("b.json"));
    EXPECT_TRUE(c.event_ids.empty()) << text.substr(0, 40);
    ASSERT_FALSE(c.issues.empty()) << text.substr(0, 40);
    const ReadIssue issue = c.issues.back();  // after the records before the break
    EXPECT_EQ(issue.kind, IssueKind::kBadFile) << text.substr(0, 40);
    EXPECT_EQ(issue.message, message) << text.substr(0, 40);
  }
}

}  // namespace
}  // namespace lir
