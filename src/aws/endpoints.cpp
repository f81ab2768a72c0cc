#include "aws/endpoints.h"

namespace lir::aws {

Endpoint DefaultEndpoint(Service service, const std::string& region) {
  const bool china = region.rfind("cn-", 0) == 0;
  const bool gov = region.rfind("us-gov-", 0) == 0;
  const std::string suffix = china ? "amazonaws.com.cn" : "amazonaws.com";
  if (service == Service::kIam) {
    if (china) return {"https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"};
    if (gov) return {"https://iam.us-gov.amazonaws.com", "us-gov-west-1"};
    return {"https://iam.amazonaws.com", "us-east-1"};
  }
  if (service == Service::kOrganizations) {  // global: one endpoint per partition
    if (china) return {"https://organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"};
    if (gov) return {"https://organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1"};
    return {"https://organizations.us-east-1.amazonaws.com", "us-east-1"};
  }
  return {"https://" + std::string(NamesOf(service).endpoint_prefix) + "." + region + "." + suffix, region};
}

}  // namespace lir::aws
