// The evidence case: artifacts kept exactly and read-only, a manifest of hashes, a custody
// log chained by hash, and `verify` catching a modified artifact, a deleted one, an extra
// file and an edited custody line.
#include <gtest/gtest.h>

#include <sys/stat.h>

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
  EXPECT_TRUE((*c)->AddArtifact("artifacts/lambda/payments/code.zip", std::string("PK\x03\x04 binary\0data", 18),
                                {"lambda", "GetFunction", "req-2"}));
  EXPECT_TRUE((*c)->Record("contain-step", R"({"step":"reserved-concurrency","prior":7})"));
  return dir;
}

TEST(Evidence, ArtifactsAreKeptExactlyReadOnlyAndListed) {
  test::TempDir tmp;
  const std::string dir = MakeCase(tmp);
  struct stat st {};
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);
  ASSERT_EQ(stat((dir + "/artifacts/lambda/payments/code.zip").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0400);
  EXPECT_EQ(test::ReadFile(dir + "/artifacts/lambda/payments/code.zip"), std::string("PK\x03\x04 binary\0data", 18));
  const auto manifest = nlohmann::json::parse(test::ReadFile(dir + "/manifest.json"));
  ASSERT_EQ(manifest["artifacts"].size(), 2u);
  EXPECT_EQ(manifest["artifacts"][1]["sha256"], Sha256Hex(std::string("PK\x03\x04 binary\0data", 18)));
  EXPECT_EQ(manifest["artifacts"][1]["size"], 18);
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
