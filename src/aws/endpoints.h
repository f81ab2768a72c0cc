// Public endpoints by partition (aws, aws-cn, aws-us-gov), with the global services'
// special cases, as in botocore's endpoint rules for the services lambda-ir calls.
#pragma once

#include <string>

#include "aws/aws_config.h"

namespace lir::aws {

struct Endpoint {
  std::string url;             // https://lambda.eu-west-1.amazonaws.com
  std::string signing_region;  // IAM signs in the partition's global region
};

Endpoint DefaultEndpoint(Service service, const std::string& region);

}  // namespace lir::aws
