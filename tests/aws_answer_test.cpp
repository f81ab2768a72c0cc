// Hostile or broken AWS answers: every answer is checked against the shape botocore's model
// gives its operation, nesting deeper than any AWS shape is refused unparsed, and a
// pagination that never ends (a token seen before, too many pages) stops with an error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/api_caller.h"
#include "aws/operations.h"
#include "aws/response_shape.h"
#include "aws/xml_to_json.h"
#include "test_support.h"

namespace lir::aws {
namespace {

using nlohmann::json;

TEST(AwsAnswers, ShapesFileIsWhatBotocoreSaysOfTheOperationTable) {
  json ops = json::array();
  for (const auto& op : AllOperations()) ops.push_back({IamPrefixOf(op.service), op.name});
  const auto r = test::RunPython(test::SourceDir() + "/tools/aws_response_shapes.py", {}, {}, ops.dump());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Regenerate with: tools/aws_response_shapes.py --from-source > data/aws/response-shapes.json
  EXPECT_EQ(json::parse(r.out), json::parse(test::ReadFile(test::SourceDir() + "/data/aws/response-shapes.json")));
}

TEST(AwsAnswers, WrongKindsAreNamedByOperationAndMember) {
  const auto versions = [](const char* text) { return CheckResponseShape(Service::kLambda, "ListVersionsByFunction", json::parse(text)); };
  EXPECT_TRUE(versions(R"({"Versions":[{"Version":"1","Role":"arn:aws:iam::1:role/r","MemorySize":128}],"NextMarker":null})"));
  EXPECT_TRUE(versions(R"({"Versions":[],"SomethingNew":{"a":[1]}})"));  // members AWS adds later pass

  auto wrong = versions(R"({"Versions":{"Version":"1"}})");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kCorruptInput);
  EXPECT_EQ(wrong.error().operation, "ListVersionsByFunction");
  EXPECT_EQ(wrong.error().message.rfind("ListVersionsByFunction: answer member Versions: expected an array, got an object", 0), 0u)
      << wrong.error().message;

  wrong = versions(R"({"Versions":[{"Version":"1"},{"Version":"2","Role":7}]})");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message.rfind("ListVersionsByFunction: answer member Versions[1].Role: expected a string, got a number", 0), 0u)
      << wrong.error().message;

  wrong = CheckResponseShape(Service::kLambda, "GetFunction", json::parse(R"({"Configuration":{"Environment":{"Variables":["x"]}}})"));
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("Configuration.Environment.Variables: expected an object, got an array"), std::string::npos);
}

TEST(AwsAnswers, XmlAnswersCarryScalarsAsTextAndMayFlattenLists) {
  // XmlToJson's forms of IAM answers: every scalar a string, an empty list an empty element.
  EXPECT_TRUE(CheckResponseShape(Service::kIam, "GetRole",
                                 json::parse(R"({"Role":{"RoleName":"r","MaxSessionDuration":"3600","Tags":""}})")));
  EXPECT_TRUE(CheckResponseShape(Service::kIam, "ListRolePolicies", json::parse(R"({"PolicyNames":["a"],"IsTruncated":"false"})")));
  EXPECT_FALSE(CheckResponseShape(Service::kIam, "GetRole", json::parse(R"({"Role":["r"]})")));
}

// S3 wraps some lists (<Buckets><Bucket>...) where others are flattened (<Contents> repeated):
// both are the list of their items, whether they hold one item or several.
TEST(AwsAnswers, WrappedAndFlattenedXmlListsAreTheirItems) {
  const std::string two = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o</ID></Owner>
<Buckets><Bucket><Name>a</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>
<Bucket><Name>b</Name><CreationDate>2026-01-02T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>)";
  const json listed = *XmlToJson(two, {"Buckets"});
  EXPECT_EQ(listed["Buckets"], json::parse(R"([{"Name":"a","CreationDate":"2026-01-01T00:00:00.000Z"},
                                              {"Name":"b","CreationDate":"2026-01-02T00:00:00.000Z"}])"));
  EXPECT_TRUE(CheckResponseShape(Service::kS3, "ListBuckets", listed));
  const json one = *XmlToJson("<ListAllMyBucketsResult><Buckets><Bucket><Name>a</Name></Bucket></Buckets></ListAllMyBucketsResult>",
                              {"Buckets"});
  EXPECT_EQ(one["Buckets"], json::parse(R"([{"Name":"a"}])"));
  const json none = *XmlToJson("<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>", {"Buckets"});
  EXPECT_EQ(none["Buckets"], json::array());
  const json flat = *XmlToJson("<ListBucketResult><Contents><Key>k</Key></Contents><CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes>"
                               "</ListBucketResult>",
                               {"Contents", "CommonPrefixes"});
  EXPECT_EQ(flat["Contents"], json::parse(R"([{"Key":"k"}])"));
  EXPECT_EQ(flat["CommonPrefixes"], json::parse(R"([{"Prefix":"p/"}])"));
}

// EC2 answers without a Result wrapper, its lists made of <item> elements (the shape of
// DescribeRegions in EC2's API reference): a list of one item is a list too.
TEST(AwsAnswers, Ec2ListsAreTheirItems) {
  const std::string two = R"(<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
   <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
   <regionInfo>
      <item><regionName>us-east-2</regionName><regionEndpoint>ec2.us-east-2.amazonaws.com</regionEndpoint>
         <optInStatus>opt-in-not-required</optInStatus></item>
      <item><regionName>af-south-1</regionName><regionEndpoint>ec2.af-south-1.amazonaws.com</regionEndpoint>
         <optInStatus>opted-in</optInStatus><geographySet><item><name>Africa</name></item></geographySet></item>
   </regionInfo>
</DescribeRegionsResponse>)";
  const json listed = *XmlToJson(two, {}, /*item_lists=*/true);
  EXPECT_EQ(listed, json::parse(R"({"requestId": "59dbff89-35bd-4eac-99ed-be587EXAMPLE", "regionInfo": [
      {"regionName": "us-east-2", "regionEndpoint": "ec2.us-east-2.amazonaws.com", "optInStatus": "opt-in-not-required"},
      {"regionName": "af-south-1", "regionEndpoint": "ec2.af-south-1.amazonaws.com", "optInStatus": "opted-in",
       "geographySet": [{"name": "Africa"}]}]})"));
  EXPECT_TRUE(CheckResponseShape(Service::kEc2, "DescribeRegions", listed));
  const json one = *XmlToJson("<DescribeRegionsResponse><regionInfo><item><regionName>us-east-1</regionName></item></regionInfo>"
                              "</DescribeRegionsResponse>",
                              {}, true);
  EXPECT_EQ(one["regionInfo"], json::parse(R"([{"regionName": "us-east-1"}])"));
  // Query answers keep <member> as their list element: <item> there is a member's name.
  const json query = *XmlToJson("<R><RResult><L><item><n>x</n></item></L></RResult></R>", {});
  EXPECT_EQ(query["L"], json::parse(R"({"item": {"n": "x"}})"));
}

TEST(AwsAnswers, NestingIsMeasuredOnTheRawBytes) {
  EXPECT_EQ(JsonNestingDepth(R"({"a":[{"b":"[[[[{{{"}]})"), 3);  // brackets inside strings do not count
  EXPECT_EQ(JsonNestingDepth(R"({"a":"\"[["})"), 1);
  EXPECT_EQ(JsonNestingDepth(std::string(100000, '[')), 100000);
}

TEST(AwsAnswers, PaginationStopsOnARepeatedTokenOrTooManyPages) {
  PageTokens alternating("FilterLogEvents", 1000);
  EXPECT_TRUE(alternating.Next("A"));
  EXPECT_TRUE(alternating.Next("B"));
  auto again = alternating.Next("A");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message,
            "FilterLogEvents: the endpoint sent a pagination token it had sent before after 3 pages; stopped, the answer so far is incomplete");
  PageTokens endless("ListFunctions", 3);
  EXPECT_TRUE(endless.Next("1"));
  EXPECT_TRUE(endless.Next("2"));
  EXPECT_FALSE(endless.Next("3"));
}

}  // namespace
}  // namespace lir::aws
