// The operation table against botocore's service models: every method, URI, protocol and
// paginator lambda-ir uses is the one AWS documents.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/api_caller.h"
#include "aws/operations.h"
#include "test_support.h"

namespace lir::aws {
namespace {

// botocore names these services as their IAM prefixes do.
const char* BotocoreName(Service s) { return IamPrefixOf(s); }

const char* ProtocolName(Protocol p) {
  switch (p) {
    case Protocol::kRestJson: return "rest-json";
    case Protocol::kJson: return "json";
    case Protocol::kQuery: return "query";
    case Protocol::kRestXml: return "rest-xml";
    case Protocol::kEc2: return "ec2";
  }
  return "";
}

TEST(AwsOperations, MatchBotocoreServiceModels) {
  nlohmann::json request = nlohmann::json::array();
  for (const auto& op : AllOperations()) request.push_back({BotocoreName(op.service), op.name});
  const auto r = test::RunPython("botocore_model.py", {}, {}, request.dump());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto model = nlohmann::json::parse(r.out);
  // Every row is checked below; a row added without its botocore counterpart fails here.
  EXPECT_EQ(AllOperations().size(), 97u);
  for (const auto& op : AllOperations()) {
    const std::string key = std::string(BotocoreName(op.service)) + "." + op.name;
    SCOPED_TRACE(key);
    const auto& m = model.at(key);
    EXPECT_EQ(m["method"], op.method);
    EXPECT_EQ(m["uri"], op.uri);
    EXPECT_EQ(m["api_version"], ApiVersionOf(op.service));
    const auto& protocols = m["protocols"];
    EXPECT_NE(std::find(protocols.begin(), protocols.end(), ProtocolName(ProtocolOf(op.service))), protocols.end());
    if (ProtocolOf(op.service) == Protocol::kJson) {
      EXPECT_EQ(m["target_prefix"], TargetPrefixOf(op.service));
    }
    const Paginator& p = op.paginator;
    if (m["paginator"].is_null()) {
      EXPECT_EQ(p.input_token, nullptr);
      continue;
    }
    ASSERT_NE(p.input_token, nullptr) << "botocore paginates this operation";
    EXPECT_EQ(m["paginator"]["input_token"], p.input_token);
    EXPECT_EQ(m["paginator"]["output_token"], p.output_token);
    std::vector<std::string> keys;
    const auto& rk = m["paginator"]["result_key"];
    if (rk.is_array()) {
      for (const auto& k : rk) keys.push_back(k);
    } else {
      keys.push_back(rk);
    }
    EXPECT_EQ(keys, std::vector<std::string>(p.result_keys.begin(), p.result_keys.end()));
    if (m["paginator"].contains("more_results")) {
      EXPECT_STREQ(p.more_results, m["paginator"]["more_results"].get<std::string>().c_str());
    }
    const std::string wire = m["input_wire"].value(p.input_token, p.input_token);
    EXPECT_EQ(wire, p.input_wire != nullptr ? p.input_wire : p.input_token);
  }
}

TEST(AwsOperations, UriTemplates) {
  EXPECT_EQ(*ExpandUri("/2015-03-31/functions/{FunctionName}/policy/{StatementId}",
                       {{"FunctionName", "arn:aws:lambda:us-east-1:1:function:f"}, {"StatementId", "a b"}}),
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/policy/a%20b");
  EXPECT_EQ(*ExpandUri("/{Bucket}/{Key+}", {{"Bucket", "trail-logs"}, {"Key", "AWSLogs/1/x y.json.gz"}}),
            "/trail-logs/AWSLogs/1/x%20y.json.gz");
  EXPECT_EQ(*ExpandUri("/2018-10-31/layers?find=LayerVersion", {}), "/2018-10-31/layers?find=LayerVersion");
  const auto missing = ExpandUri("/2015-03-31/functions/{FunctionName}", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "missing required parameter FunctionName");
}

}  // namespace
}  // namespace lir::aws
