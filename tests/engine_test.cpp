// The whole offline analysis on the bundled sample incident, whose generator also wrote the
// ground truth (examples/incident.expected.json): every planted finding must be found, and
// nothing high or critical beyond it.
#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/engine.h"
#include "analysis/rule_set.h"
#include "analysis/sigma_rule.h"
#include "core/strings.h"
#include "report/incident_summary.h"
#include "report/report.h"
#include "test_support.h"

namespace lir {
namespace {

AnalysisResult AnalyzeSample(ScanOptions options = {}) {
  std::vector<ReadIssue> issues;
  const auto inputs = DiscoverInputs({test::SourceDir() + "/examples/incident"}, &issues);
  EXPECT_TRUE(issues.empty());
  return Analyze(inputs, LoadEmbeddedRules().Rules(), options);
}

nlohmann::json Truth() {
  return nlohmann::json::parse(test::ReadFile(test::SourceDir() + "/examples/incident.expected.json"));
}

TEST(Engine, SampleIncidentFindsExactlyThePlantedCompromise) {
  const AnalysisResult r = AnalyzeSample();
  const nlohmann::json truth = Truth();
  EXPECT_EQ(r.stats.events, truth["events"].get<uint64_t>());
  EXPECT_EQ(r.stats.skipped_records, 0u);
  EXPECT_EQ(r.stats.bad_files, 0u);
  std::set<std::pair<std::string, std::string>> found;
  for (const Finding& f : r.findings) {
    for (const auto& id : f.event_ids) found.insert({f.rule_id, id});
  }
  std::set<std::pair<std::string, std::string>> planted;
  for (const auto& f : truth["findings"]) {
    const std::string rule = f["rule_id"];
    for (const std::string id : f["event_ids"]) {
      planted.insert({rule, id});
      EXPECT_TRUE(found.count({rule, id})) << rule << " " << id;
    }
  }
  for (const Finding& f : r.findings) {
    if (f.severity < Severity::kHigh) continue;
    for (const auto& id : f.event_ids) {
      EXPECT_TRUE(planted.count({f.rule_id, id})) << "unexpected " << f.rule_id << " on " << id;
    }
  }
  // Groupings: the burst is one finding of 12 events; the new principal one finding of 7 (and
  // the pipeline, acting before a day of evidence, one info finding: no baseline yet).
  auto count_of = [&](const std::string& rule) {
    return std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.rule_id == rule; });
  };
  EXPECT_EQ(count_of("iam_access_denied_burst"), 1);
  EXPECT_EQ(count_of("lambda_change_by_new_principal"), 2);
  for (const Finding& f : r.findings) {
    if (f.rule_id != "lambda_change_by_new_principal") continue;
    if (f.actor == "arn:aws:iam::111122223333:user/ci-legacy") {
      EXPECT_EQ(f.severity, Severity::kHigh);
      EXPECT_EQ(f.event_ids.size(), 7u);
    } else {
      EXPECT_EQ(f.severity, Severity::kInfo);
      EXPECT_EQ(f.note, "no baseline: the evidence for 111122223333 in us-east-1 begins 76 min before this event; 1440 min are needed");
    }
  }
  const auto burst = std::find_if(r.findings.begin(), r.findings.end(),
                                  [](const Finding& f) { return f.rule_id == "iam_access_denied_burst"; });
  EXPECT_EQ(burst->event_ids.size(), 12u);
  EXPECT_EQ(burst->actor, "arn:aws:iam::111122223333:user/ci-legacy");
}

TEST(Engine, TimelineHoldsChangesAndFlaggedEventsOnly) {
  const AnalysisResult r = AnalyzeSample();
  std::set<std::string> flagged;
  for (const Finding& f : r.findings) flagged.insert(f.event_ids.begin(), f.event_ids.end());
  for (const Event& e : r.timeline) {
    const bool lambda_change = e.source == "lambda.amazonaws.com" && e.read_only != true;
    EXPECT_TRUE(lambda_change || flagged.count(e.event_id)) << e.name << " " << e.event_id;
  }
  EXPECT_EQ(r.timeline.size(), 38u);
}

TEST(Engine, MatchesPerPrincipalAreCappedAndCounted) {
  std::string lines;
  for (int i = 0; i < 1200; ++i) {
    lines += R"({"eventTime":"2026-11-27T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"DeleteFunction20150331",)"
             R"("requestParameters":{"functionName":"f)" + std::to_string(i) + R"("},"eventID":"id-)" + std::to_string(i) +
             R"(","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bulk"}})" "\n";
  }
  RuleSet rules = LoadEmbeddedRules();
  std::vector<Rule> deleted;
  for (const auto& r : rules.rules) {
    if (r.rule.id == "lambda_function_deleted") deleted.push_back(r.rule);
  }
  ScanOptions options;
  options.jobs = 1;
  const auto r = Analyze({{"bulk.jsonl", lines.size(), &lines}}, deleted, options);
  EXPECT_EQ(r.stats.events, 1200u);
  ASSERT_EQ(r.findings.size(), 500u);
  uint64_t not_listed = 0;
  for (const auto& f : r.findings) not_listed += f.events_not_listed;
  EXPECT_EQ(not_listed, 700u);
  EXPECT_EQ(r.timeline.size(), 1200u);  // every Lambda change stays on the timeline
}

// The matches kept for a (rule, principal) are its earliest, whichever worker read which file:
// a per-worker "first 500 read" listed other events with other --jobs, or from one run to
// the next (a test comparing a case with its source files failed by chance).
TEST(Engine, CappedMatchesAreTheEarliestWithAnyJobs) {
  std::vector<std::string> files(4);
  for (int i = 0; i < 1200; ++i) {
    // Interleaved in time across files, and each file written latest first.
    const int t = 1199 - i;
    files[static_cast<size_t>(t % 4)] +=
        fmt::format(R"({{"eventTime":"2026-11-27T{:02d}:{:02d}:{:02d}Z","eventSource":"lambda.amazonaws.com",)"
                    R"("eventName":"DeleteFunction20150331","requestParameters":{{"functionName":"f"}},"eventID":"id-{:04d}",)"
                    R"("userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bulk"}}}})"
                    "\n",
                    t / 3600, t / 60 % 60, t % 60, t);
  }
  std::vector<InputFile> inputs;
  for (size_t f = 0; f < files.size(); ++f) inputs.push_back({fmt::format("part{}.jsonl", f), files[f].size(), &files[f]});
  std::vector<Rule> rules;
  std::vector<LintIssue> issues;
  rules.push_back(*ParseRule("id: bulk_deletes\ntitle: T\nseverity: low\ndescription: D\nremediation: R\n"
                             "group: actor\nmatch:\n  field: \"@name\"\n  equals: DeleteFunction\n",
                             "bulk_deletes", "rule.yaml", &issues));
  ASSERT_TRUE(issues.empty());
  std::vector<std::string> earliest;
  for (int t = 0; t < 500; ++t) earliest.push_back(fmt::format("id-{:04d}", t));
  for (int jobs : {1, 2, 4}) {
    ScanOptions options;
    options.jobs = jobs;
    const auto r = Analyze(inputs, rules, options);
    ASSERT_EQ(r.findings.size(), 1u) << jobs;
    EXPECT_EQ(r.findings[0].event_ids, earliest) << "jobs " << jobs;
    EXPECT_EQ(r.findings[0].events_not_listed, 700u) << "jobs " << jobs;
  }
}

// Records without an eventID (saved outputs, hand-written samples) are distinct events: none
// is taken for a second copy of another.
TEST(Engine, RecordsWithoutEventIdAreNotCopiesOfEachOther) {
  std::string lines;
  for (int i = 0; i < 3; ++i) {
    lines += fmt::format(R"({{"eventTime":"2026-11-27T09:00:0{}Z","eventSource":"lambda.amazonaws.com",)"
                         R"("eventName":"DeleteFunction20150331","requestParameters":{{"functionName":"f{}"}},)"
                         R"("userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bulk"}}}})"
                         "\n",
                         i, i);
  }
  std::vector<LintIssue> issues;
  const std::vector<Rule> rules = {*ParseRule("id: bulk_deletes\ntitle: T\nseverity: low\ndescription: D\nremediation: R\n"
                                              "group: actor\nmatch:\n  field: \"@name\"\n  equals: DeleteFunction\n",
                                              "bulk_deletes", "rule.yaml", &issues)};
  ScanOptions options;
  options.jobs = 1;
  const auto r = Analyze({{"noids.jsonl", lines.size(), &lines}}, rules, options);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].event_ids.size(), 3u);
}

TEST(Engine, ParallelReadGivesTheSameReportAsOneJob) {
  ScanOptions one, two;
  one.jobs = 1;
  two.jobs = 2;
  ReportContext context{"test", {"examples/incident"}, {}, 0, 32};
  EXPECT_EQ(RenderJson(AnalyzeSample(one), context), RenderJson(AnalyzeSample(two), context));
}

TEST(Engine, FunctionViewReconstructsConfigurationHistory) {
  ScanOptions options;
  options.function = "arn:aws:lambda:us-east-1:111122223333:function:payments-processor";
  const AnalysisResult r = AnalyzeSample(options);
  ASSERT_TRUE(r.function_history);
  const FunctionHistory& h = *r.function_history;
  EXPECT_EQ(h.function, "payments-processor");
  EXPECT_EQ(h.roles, std::vector<std::string>{"payments-processor-role"});
  ASSERT_EQ(h.fields.count("handler"), 1u);
  const FieldChange& handler = h.fields.at("handler").at(0);
  EXPECT_EQ(handler.value, "vendor/otel_wrapper.handler");
  EXPECT_EQ(handler.actor, "arn:aws:iam::111122223333:user/ci-legacy");
  EXPECT_EQ(handler.source_ip, "203.0.113.77");
  EXPECT_EQ(handler.event_name, "UpdateFunctionConfiguration20150331v2");
  EXPECT_EQ(h.fields.at("layers").at(0).value, R"(["arn:aws:lambda:us-east-1:444455556666:layer:otel-collector:3"])");
  EXPECT_EQ(h.fields.at("url.authType").at(0).value, "NONE");
  EXPECT_EQ(h.fields.at("codeSigningConfig").at(0).value, "(removed)");
  EXPECT_EQ(h.fields.at("role.payments-processor-role.attached.arn:aws:iam::aws:policy/AdministratorAccess").at(0).value,
            "attached");
  // Only the function's events, its role's (also where another function is given the role:
  // the attacker's cache-warmer), and what suspects did: no other function's deploys.
  std::set<std::string> by_suspect;
  for (const Finding& f : r.findings) {
    if (f.rule_id.rfind("suspect_", 0) == 0) by_suspect.insert(f.event_ids.begin(), f.event_ids.end());
  }
  bool passed_role = false;
  for (const Event& e : r.timeline) {
    const bool own = e.function == "payments-processor" || e.role == "payments-processor-role" ||
                     e.actor.arn.find("/payments-processor") != std::string::npos;
    EXPECT_TRUE(own || by_suspect.count(e.event_id)) << e.name << " " << e.event_id;
    passed_role |= e.name == "CreateFunction" && e.function == "cache-warmer";
  }
  EXPECT_TRUE(passed_role);
  // The function going about its work (its role reading its secrets from Lambda) is counted,
  // not listed; --timeline all lists each read.
  EXPECT_EQ(r.own_reads_not_listed, (std::map<std::string, uint64_t>{{"kms.amazonaws.com Decrypt", 54},
                                                                      {"secretsmanager.amazonaws.com GetSecretValue", 49},
                                                                      {"ssm.amazonaws.com GetParameter", 50}}));
  options.timeline_all = true;
  const AnalysisResult all = AnalyzeSample(options);
  EXPECT_TRUE(all.own_reads_not_listed.empty());
  EXPECT_EQ(all.timeline.size(), r.timeline.size() + 153);
  EXPECT_EQ(by_suspect.size(), 6u);  // the grant, two evasions, the backdoor user and its key, the secret read
  for (const Finding& f : r.findings) EXPECT_EQ(f.resource.find("orders-api"), std::string::npos) << f.resource;
}

TEST(Engine, FiltersByTimeRegionAndAccount) {
  ScanOptions window;
  window.since = *ParseIso8601("2026-11-26T14:00:00Z");
  window.until = *ParseIso8601("2026-11-26T15:00:00Z");
  const AnalysisResult w = AnalyzeSample(window);
  ASSERT_TRUE(w.stats.first_event);
  EXPECT_GE(*w.stats.first_event, *window.since);
  EXPECT_LE(*w.stats.last_event, *window.until);
  EXPECT_EQ(w.stats.events + w.stats.filtered_out, w.stats.records);

  ScanOptions region;
  region.region = "us-west-2";
  const AnalysisResult r = AnalyzeSample(region);
  EXPECT_GT(r.stats.files_pruned, 0u);
  for (const Event& e : r.timeline) EXPECT_EQ(e.region, "us-west-2");

  ScanOptions account;
  account.accounts = {"999999999999"};
  const AnalysisResult a = AnalyzeSample(account);
  EXPECT_EQ(a.stats.events, 0u);
  EXPECT_TRUE(a.findings.empty());
}

// A copy of an event that is kept only for its matches (not a change): one worker reading
// both copies keeps the first only, and the copy must still be counted, as it is when two
// workers each keep one. The count was 0 with one job and 1 with two before.
TEST(Engine, ACopyOfAMatchedEventIsCountedWhicheverWorkerReadsIt) {
  const std::string record = R"({"Records":[{"eventTime":"2026-11-27T09:00:00Z","eventSource":"cloudtrail.amazonaws.com",)"
                             R"("eventName":"StopLogging","requestParameters":{"name":"org-trail"},"eventID":"dup-2",)"
                             R"("userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/u"},)"
                             R"("recipientAccountId":"111122223333","awsRegion":"us-east-1"}]})";
  for (int jobs : {1, 2}) {
    ScanOptions options;
    options.jobs = jobs;
    const auto r = Analyze({{"a.json", record.size(), &record}, {"b.json", record.size(), &record}},
                           LoadEmbeddedRules().Rules(), options);
    EXPECT_EQ(r.stats.duplicate_events, 1u) << jobs << " jobs";
    ASSERT_FALSE(r.findings.empty());
    EXPECT_EQ(r.findings[0].rule_id, "cloudtrail_logging_stopped");
    EXPECT_EQ(r.findings[0].event_ids, std::vector<std::string>{"dup-2"});
  }
}

TEST(Engine, SameEventInTwoInputsIsCountedOnce) {
  const std::string record = R"({"Records":[{"eventTime":"2026-11-27T09:00:00Z","eventSource":"lambda.amazonaws.com",)"
                             R"("eventName":"DeleteFunction20150331","requestParameters":{"functionName":"f"},"eventID":"dup-1",)"
                             R"("recipientAccountId":"111122223333","awsRegion":"us-east-1"}]})";
  ScanOptions options;
  const auto r = Analyze({{"trail.json", record.size(), &record}, {"lookup.json", record.size(), &record}},
                         LoadEmbeddedRules().Rules(), options);
  EXPECT_EQ(r.stats.duplicate_events, 1u);
  EXPECT_EQ(r.timeline.size(), 1u);
  // The deletion, and the history rule telling it has no history to judge by (once, not twice).
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].rule_id, "lambda_function_deleted");
  EXPECT_EQ(r.findings[0].resource, "arn:aws:lambda:us-east-1:111122223333:function:f");
  EXPECT_EQ(r.findings[0].event_ids, std::vector<std::string>{"dup-1"});
  EXPECT_EQ(r.findings[1].rule_id, "lambda_change_by_new_principal");
  EXPECT_EQ(r.findings[1].event_ids, std::vector<std::string>{"dup-1"});
}

TEST(Engine, ThirdPartyCorporaScanWithoutSkippedRecords) {
  LIR_REQUIRE_CORPORA();
  std::vector<ReadIssue> issues;
  const auto inputs = DiscoverInputs({test::CorporaDir() + "/cloudtrail-trailscraper", test::CorporaDir() + "/cloudtrail-awsdocs"}, &issues);
  const auto r = Analyze(inputs, LoadEmbeddedRules().Rules(), {});
  EXPECT_EQ(r.stats.skipped_records, 0u);
  EXPECT_EQ(r.stats.bad_files, 0u);
  // The AWS Lambda guide's DeleteFunction sample is the one Lambda change among them. Nothing
  // of its account and region comes before it, so whether its user is new cannot be told: the
  // history rule says so at info instead of calling it new (as it did against the corpus's
  // earliest event, of another account, in 2014).
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].rule_id, "lambda_function_deleted");
  EXPECT_EQ(r.findings[1].rule_id, "lambda_change_by_new_principal");
  EXPECT_EQ(r.findings[1].severity, Severity::kInfo);
  EXPECT_EQ(r.findings[1].note.rfind("no baseline: the evidence for ", 0), 0u) << r.findings[1].note;
  for (const Finding& f : r.findings) {
    EXPECT_EQ(f.event_ids, std::vector<std::string>{"20b84ce5-730f-482e-b2b2-e8fcc87ceb22"});
  }
}

// The story a report opens with, on the sample: entry, actors, functions, what they changed,
// left behind, read and hid, and the commands to run. Golden file: rerun with
// LIR_UPDATE_GOLDEN=1 to rewrite it, then review the diff.
TEST(Engine, SampleIncidentSummaryTellsTheStory) {
  const nlohmann::json report = nlohmann::json::parse(RenderJson(AnalyzeSample(), ReportContext{}));
  const std::string golden = test::SourceDir() + "/tests/golden/incident_summary.json";
  const std::string actual = report["summary"].dump(2) + "\n";
  if (std::getenv("LIR_UPDATE_GOLDEN") != nullptr) test::WriteFile(golden, actual);
  EXPECT_EQ(actual, test::ReadFile(golden));
}

// Names in the commands come from events. What Lambda would not accept as a function name is
// left out of them; a name that looks like an option comes after "--"; the rest is quoted.
TEST(Engine, SummaryCommandsNeverLetEventsChooseOptions) {
  AnalysisResult r;
  Finding f;
  f.rule_id = "lambda_permission_public";
  f.severity = Severity::kCritical;
  f.title = "Lambda function opened to everyone";
  f.resource = "arn:aws:lambda:us-east-1:111122223333:function:x;touch /tmp/p'";
  f.actor = "arn:aws:iam::111122223333:user/$(id)";
  f.access_key_id = "AKIAEXAMPLE";
  r.findings.push_back(f);
  f.resource = "arn:aws:lambda:eu-west-1:111122223333:function:-y";
  r.findings.push_back(f);
  // A session name the attacker chose, seen in a Lambda runtime: not a function name.
  r.lambda_roles["payments-role"] = {"--endpoint-url=http://x", "payments"};
  f.resource = "arn:aws:iam::111122223333:role/payments-role";
  r.findings.push_back(f);
  const IncidentSummary s = SummarizeIncident(r);
  ASSERT_TRUE(s.incident);
  EXPECT_EQ(s.functions, (std::vector<std::string>{"-y", "payments"}));
  EXPECT_EQ(s.next, (std::vector<std::string>{
                        "lambda-ir contain --case case--y -- arn:aws:lambda:eu-west-1:111122223333:function:-y payments",
                        "lambda-ir eradicate --case case--y --attacker-iam --delete-attacker-functions --revoke-sessions "
                        "--redeploy KNOWN_GOOD_CODE -- arn:aws:lambda:eu-west-1:111122223333:function:-y",
                        "lambda-ir eradicate --case case--y --attacker-iam --delete-attacker-functions --revoke-sessions "
                        "--redeploy KNOWN_GOOD_CODE -- payments",
                        "aws iam update-access-key --user-name='$(id)' --access-key-id=AKIAEXAMPLE --status Inactive"}));
}

// The attacker's own function is to be deleted, not redeployed, even when the finding that
// says they created it (medium) is below --min-severity.
TEST(IncidentSummary, AFunctionTheAttackerCreatedIsNeverToBeRedeployed) {
  ScanOptions options;
  options.min_severity = Severity::kHigh;
  const IncidentSummary s = SummarizeIncident(AnalyzeSample(options));
  ASSERT_NE(std::find(s.functions.begin(), s.functions.end(), "cache-warmer"), s.functions.end());
  for (const std::string& next : s.next) {
    EXPECT_FALSE(next.find("--redeploy") != std::string::npos && next.ends_with("cache-warmer")) << next;
  }
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// The reference mode (--no-prefilter: every rule tried on every record) and the usual scan,
// with its dispatch by source and event name and each rule's prefilter, give the same report
// byte for byte: on the sample, on the third-party CloudTrail corpora, with our rules and with
// the SigmaHQ rules we ship (their leaves are the most varied: raw eventName, nocase, lists).
// Objects held in memory (fetched from S3) larger than a whole document are streamed from
// their bytes, gzip inflated as read, and give the report the same files give from disk.
TEST(Engine, InMemoryObjectsOverAWholeDocumentAreStreamedToTheSameReport) {
  std::vector<ReadIssue> issues;
  const auto files = DiscoverInputs({test::SourceDir() + "/examples/incident"}, &issues);
  ASSERT_TRUE(issues.empty());
  std::vector<std::string> contents;
  contents.reserve(files.size());
  for (const InputFile& f : files) contents.push_back(test::ReadFile(f.path));
  contents.push_back(test::ReadFile(files.front().path).substr(0, 200));  // a cut object too
  std::vector<InputFile> objects;
  for (size_t i = 0; i < files.size(); ++i) objects.push_back({files[i].path, contents[i].size(), &contents[i]});
  objects.push_back({"cut.json.gz", contents.back().size(), &contents.back()});
  ScanOptions options;
  options.reader.whole_document_bytes = 1024;
  options.reader.stream_piece_bytes = 333;
  const AnalysisResult from_disk = Analyze(files, LoadEmbeddedRules().Rules(), {});
  const AnalysisResult from_memory = Analyze(objects, LoadEmbeddedRules().Rules(), options);
  EXPECT_GE(from_memory.findings.size(), 10u);
  ASSERT_EQ(from_memory.issues.size(), 1u);
  EXPECT_EQ(from_memory.issues[0].message, "gzip data is corrupt or truncated (member at byte 0)");
  AnalysisResult without_cut = from_memory;
  without_cut.issues.clear();
  without_cut.stats.files -= 1;
  without_cut.stats.bad_files -= 1;
  EXPECT_EQ(RenderJson(without_cut, ReportContext{}), RenderJson(from_disk, ReportContext{}));
}

TEST(Engine, PrefilterAndDispatchChangeNothingAgainstTheReferenceMode) {
  LIR_REQUIRE_CORPORA();
  RuleSet set = LoadEmbeddedRules();
  const SigmaLoadStats sigma = AddSigmaRulesFromDirectory(test::SourceDir() + "/sigma/cloudtrail", &set);
  ASSERT_GT(sigma.loaded, 50u);
  std::vector<ReadIssue> issues;
  const auto inputs = DiscoverInputs({test::SourceDir() + "/examples/incident", test::CorporaDir() + "/cloudtrail-trailscraper",
                                      test::CorporaDir() + "/cloudtrail-awsdocs"},
                                     &issues);
  ASSERT_TRUE(issues.empty());
  ScanOptions reference;
  reference.no_prefilter = true;
  const AnalysisResult fast = Analyze(inputs, set.Rules(), {});
  const AnalysisResult full = Analyze(inputs, set.Rules(), reference);
  // Not a comparison of two empty reports: Sigma's rules and ours both find things here.
  std::set<std::string> sigma_rules_found;
  for (const Finding& f : fast.findings) {
    if (f.rule_id.rfind("sigma", 0) == 0) sigma_rules_found.insert(f.rule_id);
  }
  EXPECT_GE(fast.findings.size(), 30u);
  EXPECT_GE(sigma_rules_found.size(), 3u);
  const std::string fast_json = RenderJson(fast, ReportContext{}), full_json = RenderJson(full, ReportContext{});
  const std::vector<std::string_view> a = Split(fast_json, '\n');
  const std::vector<std::string_view> b = Split(full_json, '\n');
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    ASSERT_EQ(a[i], b[i]) << "the reports differ first at line " << i + 1;
  }
  EXPECT_EQ(a.size(), b.size());
}

}  // namespace
}  // namespace lir
