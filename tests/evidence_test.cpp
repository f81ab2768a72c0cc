// The evidence case: artifacts kept exactly and read-only, a manifest of hashes, a custody
// log chained by hash, and `verify` catching a modified artifact, a deleted one, an extra
// file and an edited custody line.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/hashing.h"
#include "core/strings.h"
#include "evidence/case.h"
#include "test_support.h"

namespace lir {
namespace {

std::string MakeCase(const test::TempDir& tmp) {
  const std::string dir = tmp.File("cases/ir-2026-11-27");
  auto c = EvidenceCase::Create(dir, "ir-2026-11-27", "arn:aws:sts::111122223333:assumed-role/ir/alice", "test");
  EXPECT_TRUE(c) << c.error().message;
  EXPECT_TRUE((*c)->AddArtifact("artifacts/lambda/payments/configuration.json", R"({"FunctionName":"payments"})",
                                {"lambda", "GetFunctionConfiguration", "req-1"}));
  EXPECT_TRUE((*c)->AddArtifact("artifacts/lambda/payments/code.zip", std::string("PK\x03\x04 binary\0data", 16),
                                {"lambda", "GetFunction", "req-2"}));
  EXPECT_TRUE((*c)->Record("contain-step", R"({"step":"reserved-concurrency","prior":7})"));
  return dir;
}

// A read that another function's snapshot stored already (a shared role): the same bytes add
// nothing; a new answer goes beside the first copy, every page of it under one name; a file a
// crashed run left unlisted is never written over.
TEST(Evidence, AReadStoredAlreadyIsKeptBesideNeverOver) {
  test::TempDir tmp;
  auto c = EvidenceCase::Create(tmp.File("case"), "case", "arn:aws:sts::111122223333:assumed-role/ir/alice", "test");
  ASSERT_TRUE(c);
  EvidenceCase& e = **c;
  const std::vector<ArtifactSource> two = {{"iam", "ListRolePolicies", "r1"}, {"iam", "ListRolePolicies", "r2"}};
  std::string kept;
  auto first = e.AddReadBeside({"x.page-1.json", "x.page-2.json"}, {"A", "B"}, two, &kept);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->size(), 2u);
  EXPECT_EQ(kept, "");
  auto again = e.AddReadBeside({"x.page-1.json", "x.page-2.json"}, {"A", "B"}, two, &kept);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->size(), 0u);
  // Page 1 the same, page 2 changed, a page 3 new: the whole read goes beside, together.
  auto changed = e.AddReadBeside({"x.page-1.json", "x.page-2.json", "x.page-3.json"}, {"A", "C", "D"},
                                 {two[0], two[1], {"iam", "ListRolePolicies", "r3"}}, &kept);
  ASSERT_TRUE(changed);
  std::vector<std::string> paths;
  for (const ArtifactEntry& a : *changed) paths.push_back(a.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"x.2.page-1.json", "x.2.page-2.json", "x.2.page-3.json"}));
  EXPECT_EQ(kept, "x.2.page-1.json");
  EXPECT_EQ(test::ReadFile(tmp.File("case/x.page-2.json")), "B");
  // A file on disk that the manifest does not list (a crash between the two): not written over.
  test::WriteFile(tmp.File("case/role.json"), "left by a crash");
  kept.clear();
  auto role = e.AddReadBeside({"role.json"}, {"R"}, {{"iam", "GetRole", "r4"}}, &kept);
  ASSERT_TRUE(role) << role.error().message;
  EXPECT_EQ(kept, "role.2.json");
  EXPECT_EQ(test::ReadFile(tmp.File("case/role.json")), "left by a crash");
  EXPECT_EQ(EvidenceCase::NameBeside("artifacts/iam/roles/a.b/inline-policies.page-1.json", 3),
            "artifacts/iam/roles/a.b/inline-policies.3.page-1.json");
  EXPECT_EQ(EvidenceCase::NameBeside("artifacts/iam/noext", 2), "artifacts/iam/noext.2");
}

TEST(Evidence, ArtifactsAreKeptExactlyReadOnlyAndListed) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  struct stat st {};
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);
  ASSERT_EQ(stat((dir + "/artifacts/lambda/payments/code.zip").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0400);
  EXPECT_EQ(test::ReadFile(dir + "/artifacts/lambda/payments/code.zip"), std::string("PK\x03\x04 binary\0data", 16));
  const auto manifest = nlohmann::json::parse(test::ReadFile(dir + "/manifest.json"));
  ASSERT_EQ(manifest["artifacts"].size(), 2u);
  EXPECT_EQ(manifest["artifacts"][1]["sha256"], Sha256Hex(std::string("PK\x03\x04 binary\0data", 16)));
  EXPECT_EQ(manifest["artifacts"][1]["size"], 16);
  EXPECT_EQ(manifest["artifacts"][1]["source"]["operation"], "GetFunction");
  EXPECT_EQ(manifest["artifacts"][1]["source"]["request_id"], "req-2");
  const VerifyReport report = VerifyCase(dir);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.artifacts_checked, 2u);
  EXPECT_EQ(report.custody_lines, 4u);  // created, two artifacts, one action
  EXPECT_EQ(report.custody_head, manifest["custody_head"]);
}

TEST(Evidence, RefusesPathsFromEvidenceAndNeverOverwrites) {
  test::TempDir tmp;
  auto c = EvidenceCase::Create(tmp.File("case"), "c", "me", "test");
  ASSERT_TRUE(c);
  for (const char* bad : {"../escape", "/etc/passwd", "a/../../b", "a//b", "a b", "layer:arn", ""}) {
    const auto r = (*c)->AddArtifact(bad, "x", {});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  ASSERT_TRUE((*c)->AddArtifact("artifacts/a.json", "1", {}));
  EXPECT_FALSE((*c)->AddArtifact("artifacts/a.json", "2", {}));
  EXPECT_EQ(test::ReadFile(tmp.File("case/artifacts/a.json")), "1");
}

TEST(Evidence, VerifyCatchesTampering) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  const std::string config = dir + "/artifacts/lambda/payments/configuration.json";
  chmod(config.c_str(), 0600);
  test::WriteFile(config, R"({"FunctionName":"innocent"})");  // same size: only the hash tells
  std::remove((dir + "/artifacts/lambda/payments/code.zip").c_str());
  test::WriteFile(dir + "/artifacts/planted.txt", "x");
  std::string log = test::ReadFile(dir + "/custody.log");
  log.replace(log.find("\"prior\":7"), 9, "\"prior\":0");
  test::WriteFile(dir + "/custody.log", log);

  const VerifyReport report = VerifyCase(dir);
  std::multiset<std::string> kinds;
  for (const auto& p : report.problems) kinds.insert(p.kind + " " + p.path);
  EXPECT_EQ(kinds, (std::multiset<std::string>{
                       "custody-broken custody.log",  // line 4 edited: its own hash fails
                       "custody-head manifest.json",  // and the log no longer ends where the manifest says
                       "missing artifacts/lambda/payments/code.zip",
                       "modified artifacts/lambda/payments/configuration.json",
                       "unlisted artifacts/planted.txt",
                       "writable artifacts/lambda/payments/configuration.json"}));
}

TEST(Evidence, EditedMiddleLineBreaksTheChain) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  // Rewrite line 2 consistently (its own hash recomputed): line 3 no longer follows it.
  std::vector<std::string> lines;
  const std::string original = test::ReadFile(dir + "/custody.log");  // views below point into it
  for (auto l : Split(original, '\n')) {
    if (!l.empty()) lines.emplace_back(l);
  }
  auto doc = nlohmann::ordered_json::parse(lines[1]);
  doc.erase("hash");
  doc["actor"] = "someone-else";
  doc["hash"] = Sha256Hex(doc.dump());
  lines[1] = doc.dump();
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  test::WriteFile(dir + "/custody.log", text);
  const VerifyReport report = VerifyCase(dir);
  std::string all;
  for (const auto& p : report.problems) all += p.kind + ": " + p.message + "\n";
  ASSERT_EQ(report.problems.size(), 1u) << all;
  EXPECT_EQ(report.problems[0].message, "line 3 does not follow line 2 (chain broken)");
}

TEST(Evidence, ReopenedCaseContinuesTheChain) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  auto c = EvidenceCase::Open(dir, "arn:aws:sts::111122223333:assumed-role/ir/bob");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ((*c)->artifacts().size(), 2u);
  ASSERT_TRUE((*c)->AddArtifact("artifacts/iam/role.json", "{}", {"iam", "GetRole", "req-3"}));
  const VerifyReport report = VerifyCase(dir);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.custody_lines, 5u);
  EXPECT_NE(test::ReadFile(dir + "/custody.log").find("assumed-role/ir/bob"), std::string::npos);
}

std::multiset<std::string> Problems(const VerifyReport& report) {
  std::multiset<std::string> out;
  for (const auto& p : report.problems) out.insert(p.kind + " " + p.path + ": " + p.message);
  return out;
}

void RewriteManifest(const std::string& dir, const std::function<void(nlohmann::json&)>& edit) {
  auto manifest = nlohmann::json::parse(test::ReadFile(dir + "/manifest.json"));
  edit(manifest);
  test::WriteFile(dir + "/manifest.json", manifest.dump(2));
}

// The artifact and its manifest entry deleted together: custody's artifact-added line still
// names it, and verify now reads custody against the manifest too.
TEST(Evidence, AnArtifactRemovedWithItsEntryIsMissing) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  std::remove((dir + "/artifacts/lambda/payments/code.zip").c_str());
  RewriteManifest(dir, [](nlohmann::json& m) { m["artifacts"].erase(1); });
  EXPECT_EQ(Problems(VerifyCase(dir)), (std::multiset<std::string>{
                                           "missing artifacts/lambda/payments/code.zip: recorded by custody.log (artifact-added) but "
                                           "not in the manifest: the artifact and its entry were removed"}));
}

TEST(Evidence, ATruncatedCustodyLogNoLongerEndsAtTheManifestsHead) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  const std::string head = VerifyCase(dir).custody_head;
  std::string log = test::ReadFile(dir + "/custody.log");
  log.erase(log.rfind('\n', log.size() - 2) + 1);  // the last line gone
  test::WriteFile(dir + "/custody.log", log);
  const VerifyReport report = VerifyCase(dir);
  EXPECT_EQ(report.custody_lines, 3u);
  EXPECT_EQ(Problems(report), (std::multiset<std::string>{
                                  "custody-head manifest.json: the manifest records custody head " + head + " but the log ends at " +
                                  report.custody_head + ": custody lines were removed or added behind the tool's back"}));
}

// A head written down outside the case survives lines appended later, and catches a chain
// rewritten consistently from the start (manifest included).
TEST(Evidence, AHeadKeptOutsideTheCaseMustBeInTheChain) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  const std::string noted = VerifyCase(dir).custody_head;
  {
    auto c = EvidenceCase::Open(dir, "later");
    ASSERT_TRUE(c);
    ASSERT_TRUE((*c)->Record("contain-step", "{}"));
  }
  const VerifyReport later = VerifyCase(dir, {noted});
  EXPECT_TRUE(later.ok()) << *Problems(later).begin();
  EXPECT_EQ(later.expect_head_line, 4u);
  // Drop line 3 (the code.zip artifact), re-chain every line after it and fix the manifest.
  std::vector<nlohmann::ordered_json> lines;
  const std::string custody = test::ReadFile(dir + "/custody.log");  // Split's views point into it
  for (auto l : Split(custody, '\n')) {
    if (!l.empty()) lines.push_back(nlohmann::ordered_json::parse(l));
  }
  lines.erase(lines.begin() + 2);
  std::string prev(64, '0'), text;
  for (size_t i = 0; i < lines.size(); ++i) {
    lines[i].erase("hash");
    lines[i]["seq"] = i + 1;
    lines[i]["prev"] = prev;
    lines[i]["hash"] = Sha256Hex(lines[i].dump());
    prev = Sha256Hex(lines[i].dump());
    text += lines[i].dump() + "\n";
  }
  test::WriteFile(dir + "/custody.log", text);
  std::remove((dir + "/artifacts/lambda/payments/code.zip").c_str());
  RewriteManifest(dir, [&](nlohmann::json& m) {
    m["artifacts"].erase(1);
    m["custody_head"] = prev;
  });
  EXPECT_TRUE(VerifyCase(dir).ok());  // consistent: only the head kept outside tells
  EXPECT_EQ(Problems(VerifyCase(dir, {noted})),
            (std::multiset<std::string>{"custody-head custody.log: the head kept outside the case (" + noted +
                                        ") is not in the custody chain: lines were removed or rewritten"}));
}

// Replacing an artifact and appending a second, valid artifact-added line for it (manifest
// updated to match) left every line up to a noted head intact: the repeat is the tell.
TEST(Evidence, ASecondArtifactAddedForOnePathIsAReplacement) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  const std::string noted = VerifyCase(dir).custody_head;
  const std::string config = dir + "/artifacts/lambda/payments/configuration.json";
  const std::string forged = R"({"FunctionName":"innocent"})";
  chmod(config.c_str(), 0600);
  test::WriteFile(config, forged);
  chmod(config.c_str(), 0400);
  nlohmann::ordered_json line = {{"seq", 5}, {"time", "2026-11-27T09:00:00Z"}, {"actor", "x"}, {"action", "artifact-added"},
                                 {"detail", {{"path", "artifacts/lambda/payments/configuration.json"}, {"sha256", Sha256Hex(forged)}}},
                                 {"prev", noted}};
  line["hash"] = Sha256Hex(line.dump());
  const std::string text = line.dump();
  test::WriteFile(dir + "/custody.log", test::ReadFile(dir + "/custody.log") + text + "\n");
  RewriteManifest(dir, [&](nlohmann::json& m) {
    m["artifacts"][0]["sha256"] = Sha256Hex(forged);
    m["artifacts"][0]["size"] = forged.size();
    m["custody_head"] = Sha256Hex(text);
  });
  EXPECT_EQ(Problems(VerifyCase(dir, {noted})),
            (std::multiset<std::string>{
                "custody-broken custody.log: line 5 records artifacts/lambda/payments/configuration.json a second time",
                "manifest artifacts/lambda/payments/configuration.json: listed in the manifest but not recorded in the custody log "
                "with this hash"}));
}

// Only the tool's own operational files are skipped, by exact name; a name that is not UTF-8
// does not break the JSON output.
TEST(Evidence, StraysBesideOperationalFilesAndOddNamesAreListed) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  mkdir((dir + "/index.sqlite.d").c_str(), 0700);
  test::WriteFile(dir + "/index.sqlite.d/hidden", "x");
  test::WriteFile(dir + "/artifacts/\xff.bin", "x");
  EXPECT_EQ(Problems(VerifyCase(dir)), (std::multiset<std::string>{
                                           "unlisted artifacts/\xff.bin: file in the case that no manifest entry lists",
                                           "unlisted index.sqlite.d/hidden: file in the case that no manifest entry lists"}));
  const auto r = test::RunTool({"verify", dir, "--format", "json"});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["problems"].size(), 2u);
}

// Replaced by a link to /dev/zero (read without end) or a FIFO (blocks): neither is opened.
TEST(Evidence, LinksAndFifosAreReportedNotRead) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  const std::string zip = dir + "/artifacts/lambda/payments/code.zip", config = dir + "/artifacts/lambda/payments/configuration.json";
  std::remove(zip.c_str());
  ASSERT_EQ(symlink("/dev/zero", zip.c_str()), 0);
  std::remove(config.c_str());
  ASSERT_EQ(mkfifo(config.c_str(), 0400), 0);
  EXPECT_EQ(Problems(VerifyCase(dir)),
            (std::multiset<std::string>{
                "unexpected artifacts/lambda/payments/code.zip: artifact was replaced by a symbolic link (not followed)",
                "unexpected artifacts/lambda/payments/code.zip: symbolic link in the case (not followed)",
                "unexpected artifacts/lambda/payments/configuration.json: artifact was replaced by something that is not a "
                "regular file (not read)",
                "unexpected artifacts/lambda/payments/configuration.json: not a regular file (a FIFO, socket or device) in the case"}));
}

TEST(Evidence, CraftedCustodyLinesAreBrokenNotFatal) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  std::string log = test::ReadFile(dir + "/custody.log");
  const size_t second = log.find('\n') + 1;
  auto line = nlohmann::ordered_json::parse(log.substr(second, log.find('\n', second) - second));
  line["hash"] = 12345;  // a number where the hash belongs: was an uncaught type error
  test::WriteFile(dir + "/custody.log", log.substr(0, second) + line.dump() + "\n");
  EXPECT_EQ(Problems(VerifyCase(dir)).count("custody-broken custody.log: line 2 is not a custody record"), 1u);
  test::WriteFile(dir + "/custody.log", log.substr(0, second) + std::string(100000, '[') + "\n");  // crashed the parser
  EXPECT_EQ(Problems(VerifyCase(dir)).count("custody-broken custody.log: line 2 nests too deep: not a custody record"), 1u);
}

TEST(Evidence, OpenModesAndLinkedDirectoriesAreReported) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  chmod(dir.c_str(), 0777);
  chmod((dir + "/artifacts/lambda/payments/code.zip").c_str(), 0444);
  ASSERT_EQ(symlink("/tmp", (dir + "/artifacts/elsewhere").c_str()), 0);
  EXPECT_EQ(Problems(VerifyCase(dir)),
            (std::multiset<std::string>{
                "permissions .: the case directory is mode 777: others can read or change the evidence (expected 700)",
                "permissions artifacts/lambda/payments/code.zip: artifact is readable by others (mode 444, expected 400)",
                "unexpected artifacts/elsewhere: symbolic link in the case (not followed)"}));
}

TEST(Evidence, VerifyCommandExitCodes) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  auto ok = test::RunTool({"verify", dir});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("2 artifacts, 4 custody lines"), std::string::npos);
  std::remove((dir + "/artifacts/lambda/payments/code.zip").c_str());
  auto bad = test::RunTool({"verify", dir, "--format", "json"});
  EXPECT_EQ(bad.exit_code, 7);
  EXPECT_EQ(nlohmann::json::parse(bad.out)["problems"][0]["kind"], "missing");
}

}  // namespace
}  // namespace lir
