// Facts about AWS taken from botocore (the aws CLI's own data) by the scripts in tools/,
// kept in data/aws and compiled into the binary: the shapes of answers, Lambda's regions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace lir::aws {

// The parsed data/aws/<name> (an empty object if the build lacks it).
const nlohmann::json& EmbeddedAwsData(std::string_view name);

// Every region with a Lambda endpoint in the partition of `region` (aws, aws-cn, aws-us-gov).
std::vector<std::string> LambdaRegions(const std::string& region);

// A region's form (us-east-1, ap-southeast-4, us-gov-west-1, cn-north-1): letters, a hyphen,
// words, a number. A region names an endpoint host: anything else never reaches one.
bool IsRegionName(std::string_view text);

}  // namespace lir::aws
