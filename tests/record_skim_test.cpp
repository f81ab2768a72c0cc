// The skim (sources/record_skim.h) against the DOM path it stands in for: every record's view,
// reason, DOM and index, and every issue, the same whether the skim read the document or
// declined it. And it takes exactly the documents it can vouch for.
#include <simdjson.h>

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sources/cloudtrail_reader.h"
#include "sources/event_view.h"
#include "sources/input_buffer.h"
#include "sources/record_skim.h"
#include "test_support.h"

namespace lir {
namespace {

// Every field of the view, so two reads are compared field by field.
std::string Describe(const EventView& v) {
  std::string out;
  for (std::string_view s :
       {v.event_time, v.source, v.name_raw, v.name, v.region, v.recipient_account, v.source_ip, v.user_agent,
        v.error_code, v.error_message, v.event_id, v.event_type, v.actor_type, v.actor_arn, v.principal_id,
        v.actor_account, v.access_key_id, v.user_name, v.invoked_by, v.issuer_arn, v.issuer_name, v.issuer_type,
        v.function, v.role}) {
    out += fmt::format("[{}]", s);
  }
  out += fmt::format(" time={} read_only={}", v.time, v.read_only ? (*v.read_only ? "true" : "false") : "absent");
  return out;
}

struct Transcript : RecordSink {
  std::vector<std::string> lines;
  void OnRecord(const RecordRef& r) override {
    EventView scratch;
    std::string why;
    const EventView* v = r.View(&scratch, &why);
    lines.push_back(fmt::format("record {} {} {}", r.index, v ? Describe(*v) : "not an event: " + why,
                                simdjson::minify(r.Element())));
  }
  void OnIssue(ReadIssue issue) override {
    lines.push_back(fmt::format("issue {} {} {}", static_cast<int>(issue.kind), issue.position, issue.message));
  }
};

std::vector<std::string> Read(const std::string& text, bool skim) {
  ReaderOptions options;
  options.skim = skim;
  CloudTrailReader reader(options);
  InputBuffer buffer;
  buffer.Resize(text.size());
  std::memcpy(buffer.data(), text.data(), text.size());
  Transcript t;
  reader.ReadBuffer("doc.json", buffer, t);
  return t.lines;
}

bool Skimmed(const std::string& text) {
  simdjson::padded_string padded(text);
  simdjson::dom::parser index, record;
  RecordSkim skim;
  return skim.Skim(padded.data(), padded.size(), index, record);
}

constexpr const char* kRecord =
    R"({"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROA1:s","arn":"arn:aws:sts::111122223333:assumed-role/r/s",)"
    R"("accountId":"111122223333","accessKeyId":"ASIA1","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA1",)"
    R"("arn":"arn:aws:iam::111122223333:role/r","accountId":"111122223333","userName":"r"},"attributes":{"mfaAuthenticated":"false"}}},)"
    R"("eventTime":"2026-11-25T10:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionCode20150331v2",)"
    R"("awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2","requestParameters":{"functionName":)"
    R"("arn:aws:lambda:us-east-1:111122223333:function:orders:1","zipFile":"..."},"responseElements":{"role":"arn:aws:iam::111122223333:role/svc/orders-role",)"
    R"("codeSize":1234,"memorySize":128,"timeout":3.5,"tracing":{"mode":"PassThrough"},"layers":[],"x":null},)"
    R"("requestID":"r1","eventID":"e1","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333"})";

// Shapes the skim reads itself: its reading must be the DOM's, field for field.
const std::vector<std::string> kSkimmed = {
    std::string(R"({"Records":[)") + kRecord + "]}",
    // Pretty-printed, with members around Records and an empty array among them.
    std::string("{\n  \"meta\" : {\"a\": [1, -2, 0.5, 1e10, true, null]},\n  \"Records\" : [\n    ") + kRecord +
        " ,\n  {}\n  ] ,\n \"after\": []\n}\n",
    R"({"Records":[]})",
    // Keys given twice (the first counts), values of the wrong type, nested fields missing.
    R"({"Records":[{"eventName":"CreateUser","eventName":"DeleteUser","eventTime":"2026-11-25T10:00:00Z","eventTime":"bad",)"
    R"("eventSource":5,"awsRegion":["us-east-1"],"readOnly":"true","userIdentity":{"type":"IAMUser","type":"Root","arn":{},)"
    R"("sessionContext":{"sessionIssuer":"x"},"sessionContext":{"sessionIssuer":{"arn":"a"}}},"userIdentity":{"type":"later"},)"
    R"("requestParameters":{"roleName":"first"},"errorCode":null}]})",
    R"({"Records":[{"eventName":"X","eventTime":"2026-11-25T10:00:00Z","eventSource":"iam.amazonaws.com","readOnly":true,)"
    R"("requestParameters":{"roleName":"r1","roleName":"r2"},"userIdentity":{"sessionContext":{"sessionIssuer":{"type":"Role","arn":"a1","arn":"a2"}}}}]})",
    // Not events (no name, no time, a time that is not one), and elements that are not objects.
    R"({"Records":[{"eventTime":"2026-11-25T10:00:00Z"},{"eventName":"A"},{"eventName":"A","eventTime":"Tuesday"},1,"s",[],null,{}]})",
    // Escapes: the record holding them is read from its DOM; its neighbours by the skim.
    std::string(R"({"Records":[)") + kRecord +
        R"(,{"eventName":"Put\u0052olePolicy","eventTime":"2026-11-25T10:00:00Z","eventSource":"iam.amazonaws.com",)"
        R"("requestParameters":{"policyDocument":"{\"Version\":\"2012-10-17\"}","roleName":"r\/x"}},)" +
        kRecord + "]}",
    // The Lambda target read from the response when the request names none.
    R"({"Records":[{"eventName":"CreateFunction20150331","eventTime":"2026-11-25T10:00:00Z","eventSource":"lambda.amazonaws.com",)"
    R"("requestParameters":null,"responseElements":{"functionArn":"arn:aws:lambda:us-east-1:1:function:f:$LATEST","role":"r"}}]})",
};

// Shapes the skim leaves to the DOM path: the outcome must still be the DOM's.
const std::vector<std::string> kDeclined = {
    std::string("[") + kRecord + "]",                                            // a top-level array
    R"({"Events":[{"CloudTrailEvent":"{\"eventName\":\"A\",\"eventTime\":\"2026-11-25T10:00:00Z\"}"}]})",
    R"({"Rec\u006frds":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z"}]})",  // an escaped key
    R"({"Records":{"eventName":"A"}})",                                          // Records not an array
    R"({"eventName":"A","eventTime":"2026-11-25T10:00:00Z"})",                   // one bare record
    R"({"digestPublicKeyFingerprint":"x"})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","n":12345678901234567890123}]})",  // too long for a double's digits
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","n":1e400}]})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","n":01}]})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","b":tru}]})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","r":{"a":1,}}]})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","r":{"a" 1}}]})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","r":["a":1]}]})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","r":[1}]}]})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z"}]} {"Records":[]})",  // two documents
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z"}]}x)",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","s":"bad \q escape"}]})",
    // Escapes outside the object records, which stage 1 does not check: an invalid one must
    // break the file as the DOM path says, a valid one is left to it too.
    R"({"Records":["\q"]})",
    R"({"Records":[["\ud800"]]})",
    R"({"x":"\q","Records":[]})",
    R"({"x":{"a\q":1},"Records":[]})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z"}],"x":"\u12"})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z"},[{"a":"\u00zz"}]]})",
    R"({"x":"line\nbreak","Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z"}]})",
    R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","s":"cut)",
    "{\"Records\":[{\"eventName\":\"A\xff\",\"eventTime\":\"2026-11-25T10:00:00Z\"}]}",  // invalid UTF-8: repaired by the DOM path
    "{\"eventName\":\"A\",\"eventTime\":\"2026-11-25T10:00:00Z\"}\n{\"eventName\":\"B\",\"eventTime\":\"2026-11-25T10:00:00Z\"}\n",
    std::string(R"({"Records":[{"eventName":"A","eventTime":"2026-11-25T10:00:00Z","deep":)") + std::string(600, '[') +
        std::string(600, ']') + "}]}",
};

TEST(RecordSkim, ReadsEveryRecordAsTheDomPathDoes) {
  for (const std::string& doc : kSkimmed) {
    EXPECT_TRUE(Skimmed(doc)) << doc;
    const auto skimmed = Read(doc, true), parsed = Read(doc, false);
    EXPECT_EQ(parsed.empty(), doc == R"({"Records":[]})") << doc;
    EXPECT_EQ(skimmed, parsed) << doc;
  }
}

TEST(RecordSkim, LeavesWhatItCannotVouchForToTheDomPath) {
  for (const std::string& doc : kDeclined) {
    EXPECT_FALSE(Skimmed(doc)) << doc;
    EXPECT_EQ(Read(doc, true), Read(doc, false)) << doc;
  }
}

TEST(RecordSkim, ReadsTheCorporaAsTheDomPathDoes) {
  LIR_REQUIRE_CORPORA();
  size_t documents = 0, records = 0;
  for (const std::string& dir : {test::SourceDir() + "/examples/incident", test::CorporaDir() + "/cloudtrail-trailscraper",
                                 test::CorporaDir() + "/cloudtrail-awsdocs"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || name.find(".json") == std::string::npos) continue;
      InputBuffer decoded;
      ASSERT_TRUE(LoadInput(entry.path().string(), kDefaultMaxDecodedBytes, &decoded).has_value()) << entry.path();
      const std::string text(decoded.data(), decoded.size());
      const auto skimmed = Read(text, true), parsed = Read(text, false);
      EXPECT_EQ(skimmed, parsed) << entry.path();
      if (Skimmed(text)) ++documents, records += skimmed.size();
    }
  }
  // Not a comparison of documents the skim declined: real trail files are what it is for.
  EXPECT_GE(documents, 3u);
  EXPECT_GE(records, 100u);
}

}  // namespace
}  // namespace lir
