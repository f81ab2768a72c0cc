// An AWS Organization in moto (tests/seed_accounts.py) behind the control proxy, for the
// commands that act across accounts: the caller's account 123456789012 and members beta,
// gamma, delta (whose OrganizationAccountAccessRole the proxy refuses to let anyone assume:
// an account without the role) and omega (closed). Each test starts from a fresh seed.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lir::test {

class OrganisationTest : public ::testing::Test {
 protected:
  static constexpr const char* kCaller = "123456789012";

  void SetUp() override {
    const std::string moto = FreshMoto();
    static ChildServer gaps({"python3", SourceDir() + "/tests/servers/lambda_gaps_proxy.py", moto});
    static ChildServer control({"python3", SourceDir() + "/tests/servers/control_proxy.py", gaps.url()});
    moto_ = moto;
    gaps_ = gaps.url();
    control_ = &control;
    ResetServer(gaps.url());
    ResetServer(control.url());
    const auto seed = RunPython("seed_accounts.py", {moto, gaps.url()});
    ASSERT_EQ(seed.exit_code, 0) << seed.err;
    ids_ = nlohmann::json::parse(seed.out);
    SetRules(DeltaHasNoRole());
  }

  std::string Id(const std::string& name) const { return ids_.at(name).get<std::string>(); }
  std::string RoleOf(const std::string& name) const { return "arn:aws:iam::" + Id(name) + ":role/OrganizationAccountAccessRole"; }
  // delta's role cannot be assumed: an account where the organisation's role was deleted.
  nlohmann::json DeltaHasNoRole() const {
    return {{"deny_if", {{{"action", "sts:AssumeRole"}, {"param", "RoleArn"}, {"value", RoleOf("delta")}}}}};
  }

  CommandResult Lir(std::vector<std::string> args) const {
    args.insert(args.begin(), BinaryPath());
    args.insert(args.end(), {"--endpoint-url", control_->url()});
    return RunWithEnv(args, {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"}, {"AWS_DEFAULT_REGION", "us-east-1"}});
  }
  void SetRules(const nlohmann::json& rules) const { ASSERT_EQ(PostJson(control_->url() + "/_proxy/rules", rules.dump()), "{}"); }
  // Each AssumeRole asked: RoleArn, RoleSessionName, ExternalId.
  std::multiset<std::tuple<std::string, std::string, std::string>> AssumeRoles() const {
    std::multiset<std::tuple<std::string, std::string, std::string>> out;
    for (const nlohmann::json& f : nlohmann::json::parse(PostJson(control_->url() + "/_proxy/forms", ""))) {
      if (f["action"] != "sts:AssumeRole") continue;
      out.emplace(f["form"].value("RoleArn", ""), f["form"].value("RoleSessionName", ""), f["form"].value("ExternalId", ""));
    }
    return out;
  }

  std::string moto_;
  std::string gaps_;  // moto with what it lacks (provisioned concurrency, URL listing) filled in
  ChildServer* control_ = nullptr;
  nlohmann::json ids_;
};

}  // namespace lir::test
