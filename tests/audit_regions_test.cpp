// `audit --regions all` reads the regions each account has enabled (ec2:DescribeRegions),
// not every Lambda region of the partition: an opt-in region an account never enabled only
// answers that the credentials are unknown there. moto lists every region, the opt-in ones
// as "not-opted-in" (real EC2 leaves them out unless asked for AllRegions).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "audit_fixture.h"
#include "aws/aws_data.h"

namespace lir {
namespace {

// The regions moto answers as "opt-in-not-required" (moto/ec2/models/availability_zones_and_regions.py).
const std::set<std::string> kMotoEnabled = {
    "af-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
    "ap-southeast-3", "ca-central-1", "eu-central-1", "eu-north-1", "eu-south-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"};

// The partition's Lambda regions, the configured one first (what `--regions all` starts from).
std::vector<std::string> AllLambdaRegions() {
  std::vector<std::string> all = aws::LambdaRegions("us-east-1");
  std::erase(all, "us-east-1");
  all.insert(all.begin(), "us-east-1");
  return all;
}

TEST_F(Audit, RegionsAllReadsTheRegionsTheAccountHasEnabled) {
  const auto r = Lir({"audit", "--all-functions", "--regions", "all", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> expected;
  for (const std::string& region : AllLambdaRegions()) {
    if (kMotoEnabled.count(region) > 0) expected.push_back(region);
  }
  ASSERT_LT(expected.size(), AllLambdaRegions().size());  // some Lambda regions are opt-in ones
  EXPECT_EQ(json::parse(r.out)["regions"], json(expected));
  const json log = Log();
  EXPECT_EQ(std::count(log.begin(), log.end(), "ec2:DescribeRegions"), 1);
  EXPECT_EQ(std::count(log.begin(), log.end(), "lambda:ListFunctions"), static_cast<long>(expected.size()));
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
}

// Without ec2:DescribeRegions every Lambda region is read, as before, and the warning names the
// permission and who lacks it.
TEST_F(Audit, RegionsAllWithoutDescribeRegionsReadsEveryRegionAndSaysWhy) {
  ASSERT_EQ(test::PostJson(control_->url() + "/_proxy/rules", R"({"deny": ["ec2:DescribeRegions"]})"), "{}");
  const auto r = Lir({"audit", "--all-functions", "--regions", "all", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["regions"], json(AllLambdaRegions()));
  const std::string warning = "lambda-ir: audit: warning: account 123456789012: its enabled regions could not be listed "
                              "(DescribeRegions: UnauthorizedOperation: You are not authorized to perform this operation. ";
  EXPECT_NE(r.err.find(warning), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("): every Lambda region was read; grant ec2:DescribeRegions to the caller\n"), std::string::npos) << r.err;
}

// An answer that names none of the regions asked (none of them a Lambda region here) is no
// list to read: every region is read, and the warning says why.
TEST_F(Audit, RegionsAllWithAnAnswerNamingNoneOfThemReadsEveryRegion) {
  const json rules = {{"answers",
                       {{"ec2:DescribeRegions",
                         {{{"status", 200},
                           {"content_type", "text/xml"},
                           {"body", "<DescribeRegionsResponse><requestId>r</requestId><regionInfo><item><regionName>xx-nowhere-1"
                                    "</regionName><optInStatus>opt-in-not-required</optInStatus></item></regionInfo>"
                                    "</DescribeRegionsResponse>"}}}}}}};
  ASSERT_EQ(test::PostJson(control_->url() + "/_proxy/rules", rules.dump()), "{}");
  const auto r = Lir({"audit", "--all-functions", "--regions", "all", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["regions"], json(AllLambdaRegions()));
  EXPECT_NE(r.err.find("lambda-ir: audit: warning: account 123456789012: its enabled regions could not be listed (DescribeRegions: "
                       "the answer lists none of the regions asked as enabled): every Lambda region was read\n"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace lir
