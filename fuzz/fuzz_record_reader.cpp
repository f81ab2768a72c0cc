// libFuzzer target: every parser of outside data that lives below the AWS layer, in one
// binary (one clang build, one bounded run in CI). The first byte picks the parser; any other
// first byte (every JSON seed starts with '{' or '[') goes to the main path:
//   0x01  a rule.yaml (the alias/size guard, then yaml-cpp and the linter)
//   0x02  function log lines, one per line (RE2 indicator scans, platform-line parsing)
//   0x03  a text through the URL scanner, the number repair and the terminal sanitiser
//   0x04  arbitrary bytes through the reader's record-by-record path for large documents
//   0x05  a deployment package (zip) through the package inspection, every entry visited
//   0x06  a Sigma rule (guard, compiler, condition parser), then run on a fixed record
//   0x07  bytes streamed to the reader in pieces of 1..16 (the second byte), inflated first
//         when they start with gzip's magic: every window boundary, the inflater's members
//   else  arbitrary bytes through the CloudTrail reader, the event view and every shipped rule
//         (lambda-ir's and the bundled Sigma ones); then read by the skim and by the DOM path,
//         which must give the same records, views and issues (abort otherwise)
// Built by fuzz/run_fuzz.sh with clang.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "analysis/engine.h"
#include "analysis/log_analysis.h"
#include "analysis/package_analysis.h"
#include "analysis/rule_set.h"
#include "analysis/sigma_rule.h"
#include "analysis/url_scan.h"
#include "core/strings.h"
#include "sources/byte_source.h"
#include "sources/cloudtrail_reader.h"
#include "sources/event_view.h"
#include "sources/input_buffer.h"
#include "sources/number_repair.h"

namespace {

void RuleYaml(const std::string& text) {
  std::vector<lir::LintIssue> issues;
  (void)lir::ParseRule(text, "fuzz_rule", "rule.yaml", &issues);
}

void SigmaRule(const std::string& text) {
  std::vector<lir::LintIssue> issues;
  lir::SigmaLoadStats stats;
  auto rule = lir::ParseSigmaRule(text, "fuzz/aws_fuzz_rule.yml", &issues, &stats);
  if (!rule) return;
  static const std::string record =
      R"({"eventTime":"2026-11-27T00:00:00Z","eventID":"e","eventSource":"iam.amazonaws.com","eventName":"CreateUser",)"
      R"("sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s",)"
      R"("sessionContext":{"sessionIssuer":{"type":"Role"}}},"requestParameters":{"userName":"u","policy":"{\"a\":[1,\"b\"]}"}})";
  lir::ScanOptions options;
  options.jobs = 1;
  (void)lir::Analyze({{"fuzz", record.size(), &record}}, {*rule}, options);
}

void LogLines(const std::string& text) {
  std::vector<lir::LogLine> lines;
  int64_t t = 0;
  for (std::string_view line : lir::Split(text, '\n')) lines.push_back({++t, "stream", std::string(line), "fuzz"});
  (void)lir::AnalyzeLogLines("arn:aws:lambda:us-east-1:1:function:f", lines);
}

void Package(const std::string& zip) {
  lir::PackageLimits limits;
  limits.max_total_bytes = 64 << 20;  // the fuzzer's memory, not Lambda's
  limits.max_file_bytes = 16 << 20;
  size_t visited = 0;
  (void)lir::InspectPackage(zip, "fuzz.zip", "arn:aws:lambda:us-east-1:1:function:f", limits,
                            [&](const lir::PackageEntry&, std::string_view content) { visited += content.size(); });
}

void Text(const std::string& text) {
  (void)lir::FindUrls(text);
  (void)lir::FindIpPorts(text);
  (void)lir::SanitizeForTerminal(text);
  lir::InputBuffer out;
  (void)lir::QuoteUnrepresentableNumbers(text.data(), text.size(), &out);
}

struct CountingSink : lir::RecordSink {
  void OnRecord(const lir::RecordRef& record) override {
    lir::EventView view;
    std::string why;
    records += record.View(&view, &why) != nullptr ? 1 : 0;
  }
  void OnIssue(lir::ReadIssue) override { ++issues; }
  size_t records = 0;
  size_t issues = 0;
};

// Every record's view (or why it is none), DOM and index, and every issue, as text.
struct TranscriptSink : lir::RecordSink {
  void OnRecord(const lir::RecordRef& record) override {
    lir::EventView scratch;
    std::string why;
    const lir::EventView* v = record.View(&scratch, &why);
    text += std::to_string(record.index) + (v ? " event " : " not an event: " + why + " ");
    if (v != nullptr) {
      for (std::string_view s : {v->event_time, v->source, v->name, v->region, v->recipient_account, v->source_ip,
                                 v->user_agent, v->error_code, v->error_message, v->event_id, v->event_type,
                                 v->actor_type, v->actor_arn, v->principal_id, v->actor_account, v->access_key_id,
                                 v->user_name, v->invoked_by, v->issuer_arn, v->issuer_name, v->issuer_type,
                                 v->function, v->role}) {
        text.append(s).push_back('|');
      }
      text += std::to_string(v->time) + (v->read_only ? (*v->read_only ? "t" : "f") : "-");
    }
    text += simdjson::minify(record.Element()) + "\n";
  }
  void OnIssue(lir::ReadIssue issue) override { text += issue.position + ": " + issue.message + "\n"; }
  std::string text;
};

// The skim must read a whole document exactly as the DOM path does, or leave it to it.
void SkimAgainstDom(const std::string& content) {
  std::string transcripts[2];
  for (int skim = 0; skim < 2; ++skim) {
    lir::ReaderOptions options;
    options.skim = skim == 1;
    lir::CloudTrailReader reader(options);
    lir::InputBuffer buffer;
    buffer.Resize(content.size());
    std::memcpy(buffer.data(), content.data(), content.size());
    TranscriptSink sink;
    reader.ReadBuffer("fuzz", buffer, sink);
    transcripts[skim] = std::move(sink.text);
  }
  if (transcripts[0] != transcripts[1]) {
    std::fprintf(stderr, "skim and DOM differ:\n--- DOM\n%s--- skim\n%s", transcripts[0].c_str(), transcripts[1].c_str());
    std::abort();
  }
}

void StreamInPieces(std::string_view bytes, size_t piece) {
  lir::ReaderOptions options;
  options.whole_document_bytes = 0;
  options.max_record_bytes = 4096;  // a small window: values over it are scanned, not held
  options.stream_piece_bytes = piece;
  options.max_decoded_bytes = 16 << 20;
  auto source = lir::MemorySource(bytes, piece);
  if (lir::IsGzip(bytes.data(), bytes.size())) source = lir::GunzipSource(std::move(source), options.max_decoded_bytes);
  lir::CloudTrailReader reader(options);
  CountingSink sink;
  reader.ReadStream("fuzz", *source, sink);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<lir::Rule> rules = [] {
    lir::RuleSet set = lir::LoadEmbeddedRules();
    lir::AddEmbeddedSigmaRules(&set);
    return set.Rules();
  }();
  lir::ScanOptions options;
  options.jobs = 1;
  options.reader.max_decoded_bytes = 16 << 20;
  if (size > 0 && data[0] == 4) {
    const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    options.reader.whole_document_bytes = 0;
    options.reader.max_record_bytes = 4096;
    (void)lir::Analyze({{"fuzz", rest.size(), &rest}}, rules, options);
    return 0;
  }
  if (size > 0 && data[0] == 5) {
    Package(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    return 0;
  }
  if (size > 1 && data[0] == 7) {
    StreamInPieces(std::string_view(reinterpret_cast<const char*>(data) + 2, size - 2), data[1] % 16 + 1);
    return 0;
  }
  if (size > 0 && data[0] == 6) {
    SigmaRule(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    return 0;
  }
  if (size > 0 && data[0] >= 1 && data[0] <= 3) {
    const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] == 1) RuleYaml(rest);
    if (data[0] == 2) LogLines(rest);
    if (data[0] == 3) Text(rest);
    return 0;
  }
  const std::string content(reinterpret_cast<const char*>(data), size);
  (void)lir::Analyze({{"fuzz", content.size(), &content}}, rules, options);
  SkimAgainstDom(content);
  return 0;
}
