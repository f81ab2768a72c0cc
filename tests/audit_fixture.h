// The audit and harden scenario shared by their tests: moto_server with the lambda-gaps proxy
// for what moto lacks (code signing configs, ListFunctionUrlConfigs, event invoke configs) and
// the control proxy in front to deny operations and log every one asked, seeded by
// tests/seed_audit.py (each posture check once positive and once negative, two regions).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lir {

using nlohmann::json;

inline const std::map<std::string, std::string> kAuditEnv = {{"AWS_ACCESS_KEY_ID", "testing"},
                                                      {"AWS_SECRET_ACCESS_KEY", "planted-secret-key-7Qm2"},
                                                      {"AWS_DEFAULT_REGION", "us-east-1"}};

class Audit : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string moto = test::FreshMoto();
    static test::ChildServer gaps({"python3", test::SourceDir() + "/tests/servers/lambda_gaps_proxy.py", moto});
    static test::ChildServer control({"python3", test::SourceDir() + "/tests/servers/control_proxy.py", gaps.url()});
    control_ = &control;
    gaps_ = &gaps;
    test::ResetServer(gaps.url());
    test::ResetServer(control.url());
    const auto seed = test::RunPython("seed_audit.py", {moto, gaps.url()});
    ASSERT_EQ(seed.exit_code, 0) << seed.err;
    seed_ = json::parse(seed.out);
    approved_.emplace();
    test::WriteFile(approved_->File("approved.txt"), "# reviewed 2026-11\n" + seed_["layer"].get<std::string>() + "\n");
  }

  test::CommandResult Lir(std::vector<std::string> args, std::map<std::string, std::string> env = kAuditEnv) const {
    args.insert(args.begin(), test::BinaryPath());
    args.insert(args.end(), {"--endpoint-url", control_->url()});
    return test::RunWithEnv(args, env);
  }
  // The command with the test-only hook that SIGKILLs it at the `point`th crash point.
  test::CommandResult LirKilledAt(int point, std::vector<std::string> args) const {
    auto env = kAuditEnv;
    env["LAMBDA_IR_TEST_CRASH_AT"] = std::to_string(point);
    return Lir(std::move(args), env);
  }
  // What harden changes, read back with boto3 (tests/read_harden_state.py).
  json State() const {
    const auto r = test::RunPython("read_harden_state.py", {control_->url(), "legacy", "worker", "clean"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }

  // The report with what changes from run to run (time, version, ports, moto's random ids) named.
  std::string Normalized(const std::string& out) const {
    json report = json::parse(out);
    report["read_at"] = "<read_at>";
    report["version"] = "<version>";
    std::string text = report.dump(2) + "\n";
    auto replace = [&](const std::string& from, const std::string& to) {
      for (size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
    };
    replace(control_->url(), "<endpoint>");
    for (const char* key : {"subnet_a", "subnet_b", "subnet_west"}) replace(seed_[key].get<std::string>(), std::string("<") + key + ">");
    // moto's URL ids are random: https://<32 hex>.lambda-url.REGION.on.aws
    for (size_t at = 0; (at = text.find(".lambda-url.", at)) != std::string::npos; at += 12) {
      if (at >= 32) text.replace(at - 32, 32, "<url-id>"), at = at - 32 + 8;
    }
    return text;
  }

  json Log() const { return json::parse(test::PostJson(control_->url() + "/_proxy/log", "")); }
  // One more python3.12 function of the scenario, with an empty package, running as `role`.
  void CreateFunction(const std::string& name, const std::string& role) const {
    test::TempDir zip;
    ASSERT_EQ(test::RunCommand({"python3", "-c", "import sys,zipfile; zipfile.ZipFile(sys.argv[1],'w').writestr('app.py','')", zip.File("f.zip")})
                  .exit_code,
              0);
    Aws({"lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--role", role, "--handler", "app.handler",
         "--zip-file", "fileb://" + zip.File("f.zip")});
  }
  // IAM's last-accessed report for each role ARN (tests/servers/iam_last_accessed.py).
  void SeedLastAccessed(const json& by_role) const { ASSERT_EQ(test::PostJson(gaps_->url() + "/_proxy/last-accessed", by_role.dump()), "{}"); }
  void Deny(const std::vector<std::string>& actions) const { SetRules(json{{"deny", actions}}); }
  void SetRules(const json& rules) const { ASSERT_EQ(test::PostJson(control_->url() + "/_proxy/rules", rules.dump()), "{}"); }
  // An aws CLI command against the scenario (through the control proxy), its JSON answer ({} for none).
  json Aws(std::vector<std::string> args) const {
    args.insert(args.end(), {"--endpoint-url", control_->url(), "--output", "json"});
    const auto r = test::RunPython("aws_cli.py", args, kAuditEnv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out.empty() ? "{}" : r.out);
  }

  std::vector<std::string> AllFunctions() const {
    return {"audit", "--all-functions", "--regions", "us-east-1,us-west-2", "--approved-layers", approved_->File("approved.txt"),
            "--format", "json"};
  }

  static std::set<std::pair<std::string, std::string>> Ids(const json& report) {
    std::set<std::pair<std::string, std::string>> out;
    for (const json& f : report["findings"]) out.insert({f["id"], f["function"].get<std::string>() + f["resource"].get<std::string>()});
    return out;
  }

  test::ChildServer* control_ = nullptr;
  test::ChildServer* gaps_ = nullptr;
  json seed_;
  std::optional<test::TempDir> approved_;
};

}  // namespace lir
