#include "aws/operations.h"

#include <cstdio>
#include <cstdlib>

namespace lir::aws {

Protocol ProtocolOf(Service service) {
  switch (service) {
    case Service::kLambda:
    case Service::kSigner:
    case Service::kSecurityHub: return Protocol::kRestJson;
    case Service::kCloudTrail:
    case Service::kLogs:
    case Service::kOrganizations:
    case Service::kAthena: return Protocol::kJson;
    case Service::kS3: return Protocol::kRestXml;
    case Service::kEc2: return Protocol::kEc2;
    default: return Protocol::kQuery;  // IAM, STS, CloudWatch (which also speaks query)
  }
}

const char* ApiVersionOf(Service service) {
  switch (service) {
    case Service::kLambda: return "2015-03-31";
    case Service::kIam: return "2010-05-08";
    case Service::kSts: return "2011-06-15";
    case Service::kCloudTrail: return "2013-11-01";
    case Service::kLogs: return "2014-03-28";
    case Service::kCloudWatch: return "2010-08-01";
    case Service::kS3: return "2006-03-01";
    case Service::kSigner: return "2017-08-25";
    case Service::kSecurityHub: return "2018-10-26";
    case Service::kOrganizations: return "2016-11-28";
    case Service::kAthena: return "2017-05-18";
    case Service::kEc2: return "2016-11-15";
  }
  return "";
}

const char* TargetPrefixOf(Service service) {
  if (service == Service::kCloudTrail) return "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";
  if (service == Service::kLogs) return "Logs_20140328";
  if (service == Service::kOrganizations) return "AWSOrganizationsV20161128";
  if (service == Service::kAthena) return "AmazonAthena";
  return "";
}

const std::vector<OperationSpec>& AllOperations() {
  using S = Service;
  static const Paginator kLambdaPages{"Marker", "Marker", "NextMarker", {}, nullptr};
  auto lambda_pages = [&](const char* key) {
    Paginator p = kLambdaPages;
    p.result_keys = {key};
    return p;
  };
  auto iam_pages = [](const char* key) { return Paginator{"Marker", nullptr, "Marker", {key}, "IsTruncated"}; };
  static const std::vector<OperationSpec> ops = {
      {S::kLambda, "ListFunctions", "GET", "/2015-03-31/functions", true, lambda_pages("Functions")},
      {S::kLambda, "GetFunction", "GET", "/2015-03-31/functions/{FunctionName}", true, {}},
      {S::kLambda, "GetFunctionConfiguration", "GET", "/2015-03-31/functions/{FunctionName}/configuration", true, {}},
      {S::kLambda, "ListVersionsByFunction", "GET", "/2015-03-31/functions/{FunctionName}/versions", true, lambda_pages("Versions")},
      {S::kLambda, "ListAliases", "GET", "/2015-03-31/functions/{FunctionName}/aliases", true, lambda_pages("Aliases")},
      {S::kLambda, "GetPolicy", "GET", "/2015-03-31/functions/{FunctionName}/policy", true, {}},
      {S::kLambda, "AddPermission", "POST", "/2015-03-31/functions/{FunctionName}/policy", false, {}},
      {S::kLambda, "RemovePermission", "DELETE", "/2015-03-31/functions/{FunctionName}/policy/{StatementId}", true, {}},
      {S::kLambda, "GetFunctionUrlConfig", "GET", "/2021-10-31/functions/{FunctionName}/url", true, {}},
      {S::kLambda, "ListFunctionUrlConfigs", "GET", "/2021-10-31/functions/{FunctionName}/urls", true, lambda_pages("FunctionUrlConfigs")},
      {S::kLambda, "UpdateFunctionUrlConfig", "PUT", "/2021-10-31/functions/{FunctionName}/url", true, {}},
      {S::kLambda, "DeleteFunctionUrlConfig", "DELETE", "/2021-10-31/functions/{FunctionName}/url", true, {}},
      {S::kLambda, "ListEventSourceMappings", "GET", "/2015-03-31/event-source-mappings", true, lambda_pages("EventSourceMappings")},
      {S::kLambda, "GetEventSourceMapping", "GET", "/2015-03-31/event-source-mappings/{UUID}", true, {}},
      {S::kLambda, "UpdateEventSourceMapping", "PUT", "/2015-03-31/event-source-mappings/{UUID}", true, {}},
      {S::kLambda, "GetFunctionConcurrency", "GET", "/2019-09-30/functions/{FunctionName}/concurrency", true, {}},
      {S::kLambda, "PutFunctionConcurrency", "PUT", "/2017-10-31/functions/{FunctionName}/concurrency", true, {}},
      {S::kLambda, "DeleteFunctionConcurrency", "DELETE", "/2017-10-31/functions/{FunctionName}/concurrency", true, {}},
      {S::kLambda, "ListProvisionedConcurrencyConfigs", "GET", "/2019-09-30/functions/{FunctionName}/provisioned-concurrency?List=ALL", true,
       lambda_pages("ProvisionedConcurrencyConfigs")},
      {S::kLambda, "PutProvisionedConcurrencyConfig", "PUT", "/2019-09-30/functions/{FunctionName}/provisioned-concurrency", true, {}},
      {S::kLambda, "DeleteProvisionedConcurrencyConfig", "DELETE", "/2019-09-30/functions/{FunctionName}/provisioned-concurrency", true, {}},
      {S::kLambda, "GetFunctionCodeSigningConfig", "GET", "/2020-06-30/functions/{FunctionName}/code-signing-config", true, {}},
      {S::kLambda, "GetCodeSigningConfig", "GET", "/2020-04-22/code-signing-configs/{CodeSigningConfigArn}", true, {}},
      {S::kLambda, "ListCodeSigningConfigs", "GET", "/2020-04-22/code-signing-configs", true, lambda_pages("CodeSigningConfigs")},
      {S::kLambda, "CreateCodeSigningConfig", "POST", "/2020-04-22/code-signing-configs", false, {}},
      {S::kLambda, "DeleteCodeSigningConfig", "DELETE", "/2020-04-22/code-signing-configs/{CodeSigningConfigArn}", true, {}},
      {S::kLambda, "PutFunctionCodeSigningConfig", "PUT", "/2020-06-30/functions/{FunctionName}/code-signing-config", true, {}},
      {S::kLambda, "DeleteFunctionCodeSigningConfig", "DELETE", "/2020-06-30/functions/{FunctionName}/code-signing-config", true, {}},
      {S::kLambda, "GetFunctionEventInvokeConfig", "GET", "/2019-09-25/functions/{FunctionName}/event-invoke-config", true, {}},
      {S::kLambda, "DeleteFunctionEventInvokeConfig", "DELETE", "/2019-09-25/functions/{FunctionName}/event-invoke-config", true, {}},
      {S::kLambda, "ListFunctionEventInvokeConfigs", "GET", "/2019-09-25/functions/{FunctionName}/event-invoke-config/list", true,
       lambda_pages("FunctionEventInvokeConfigs")},
      {S::kLambda, "PutFunctionEventInvokeConfig", "PUT", "/2019-09-25/functions/{FunctionName}/event-invoke-config", true, {}},
      {S::kLambda, "UpdateFunctionCode", "PUT", "/2015-03-31/functions/{FunctionName}/code", true, {}},
      {S::kLambda, "UpdateFunctionConfiguration", "PUT", "/2015-03-31/functions/{FunctionName}/configuration", true, {}},
      // Lambda publishes nothing new when code and configuration are unchanged: safe to repeat.
      {S::kLambda, "PublishVersion", "POST", "/2015-03-31/functions/{FunctionName}/versions", true, {}},
      {S::kLambda, "GetAlias", "GET", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", true, {}},
      {S::kLambda, "UpdateAlias", "PUT", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", true, {}},
      {S::kLambda, "GetProvisionedConcurrencyConfig", "GET", "/2019-09-30/functions/{FunctionName}/provisioned-concurrency", true, {}},
      {S::kLambda, "DeleteFunction", "DELETE", "/2015-03-31/functions/{FunctionName}", true, {}},
      {S::kLambda, "GetLayerVersion", "GET", "/2018-10-31/layers/{LayerName}/versions/{VersionNumber}", true, {}},
      {S::kLambda, "DeleteLayerVersion", "DELETE", "/2018-10-31/layers/{LayerName}/versions/{VersionNumber}", true, {}},
      {S::kLambda, "GetLayerVersionByArn", "GET", "/2018-10-31/layers?find=LayerVersion", true, {}, "lambda:GetLayerVersion"},
      {S::kLambda, "ListTags", "GET", "/2017-03-31/tags/{Resource}", true, {}},
      {S::kIam, "GetRole", "POST", "/", true, {}},
      {S::kIam, "ListRolePolicies", "POST", "/", true, iam_pages("PolicyNames")},
      {S::kIam, "GetRolePolicy", "POST", "/", true, {}},
      {S::kIam, "ListAttachedRolePolicies", "POST", "/", true, iam_pages("AttachedPolicies")},
      {S::kIam, "GetPolicy", "POST", "/", true, {}},
      {S::kIam, "GetPolicyVersion", "POST", "/", true, {}},
      {S::kIam, "PutRolePolicy", "POST", "/", true, {}},
      {S::kIam, "DeleteRolePolicy", "POST", "/", true, {}},
      {S::kIam, "CreateRole", "POST", "/", false, {}},
      {S::kIam, "AttachRolePolicy", "POST", "/", true, {}},
      {S::kIam, "DetachRolePolicy", "POST", "/", true, {}},
      {S::kIam, "DeleteRole", "POST", "/", true, {}},
      {S::kIam, "ListRoles", "POST", "/", true, iam_pages("Roles")},
      {S::kIam, "ListRoleTags", "POST", "/", true, iam_pages("Tags")},
      {S::kIam, "ListInstanceProfilesForRole", "POST", "/", true, iam_pages("InstanceProfiles")},
      {S::kIam, "ListAccessKeys", "POST", "/", true, iam_pages("AccessKeyMetadata")},
      {S::kIam, "UpdateAccessKey", "POST", "/", true, {}},
      {S::kIam, "GetLoginProfile", "POST", "/", true, {}},
      {S::kIam, "DeleteLoginProfile", "POST", "/", true, {}},
      {S::kIam, "GetUserPolicy", "POST", "/", true, {}},
      {S::kIam, "PutUserPolicy", "POST", "/", true, {}},
      {S::kIam, "SimulatePrincipalPolicy", "POST", "/", true, iam_pages("EvaluationResults")},
      {S::kIam, "GenerateServiceLastAccessedDetails", "POST", "/", true, {}},
      // Marker/IsTruncated pages, which botocore has no paginator for: the caller pages.
      {S::kIam, "GetServiceLastAccessedDetails", "POST", "/", true, {}},
      {S::kSts, "GetCallerIdentity", "POST", "/", true, {}},
      {S::kSts, "AssumeRole", "POST", "/", true, {}},
      {S::kSts, "AssumeRoleWithWebIdentity", "POST", "/", true, {}},
      // Without AllRegions: the regions enabled for the account (`--regions all`).
      {S::kEc2, "DescribeRegions", "POST", "/", true, {}},
      {S::kOrganizations, "ListAccounts", "POST", "/", true, {"NextToken", nullptr, "NextToken", {"Accounts"}, nullptr}},
      // A query is started once (a retried start could run and bill it twice: the request
      // carries a ClientRequestToken so Athena answers a retry with the same query).
      {S::kAthena, "StartQueryExecution", "POST", "/", true, {}},
      {S::kAthena, "GetQueryExecution", "POST", "/", true, {}},
      // Paged by hand (athena_trail_source.cpp): each page is scanned as it comes.
      {S::kAthena, "GetQueryResults", "POST", "/", true, {"NextToken", nullptr, "NextToken", {"ResultSet.Rows"}, nullptr}},
      {S::kAthena, "StopQueryExecution", "POST", "/", true, {}},
      {S::kCloudTrail, "LookupEvents", "POST", "/", true, {"NextToken", nullptr, "NextToken", {"Events"}, nullptr}},
      {S::kCloudTrail, "DescribeTrails", "POST", "/", true, {}},
      {S::kCloudTrail, "GetTrailStatus", "POST", "/", true, {}},
      {S::kCloudTrail, "GetEventSelectors", "POST", "/", true, {}},
      {S::kCloudTrail, "PutEventSelectors", "POST", "/", true, {}},
      {S::kLogs, "DescribeLogGroups", "POST", "/", true, {"nextToken", nullptr, "nextToken", {"logGroups"}, nullptr}},
      {S::kLogs, "FilterLogEvents", "POST", "/", true, {"nextToken", nullptr, "nextToken", {"events", "searchedLogStreams"}, nullptr}},
      {S::kLogs, "StartQuery", "POST", "/", false, {}},
      {S::kLogs, "GetQueryResults", "POST", "/", true, {}},
      {S::kCloudWatch, "GetMetricData", "POST", "/", true, {"NextToken", nullptr, "NextToken", {"MetricDataResults", "Messages"}, nullptr}},
      {S::kCloudWatch, "GetMetricStatistics", "POST", "/", true, {}},
      {S::kCloudWatch, "PutMetricAlarm", "POST", "/", true, {}},
      {S::kCloudWatch, "DescribeAlarms", "POST", "/", true, {"NextToken", nullptr, "NextToken", {"MetricAlarms", "CompositeAlarms"}, nullptr}},
      {S::kCloudWatch, "DeleteAlarms", "POST", "/", true, {}},
      {S::kCloudWatch, "ListTagsForResource", "POST", "/", true, {}},
      {S::kS3, "ListObjectsV2", "GET", "/{Bucket}?list-type=2", true,
       {"ContinuationToken", "continuation-token", "NextContinuationToken", {"Contents", "CommonPrefixes"}, "IsTruncated"},
       "s3:ListBucket"},
      {S::kS3, "GetObject", "GET", "/{Bucket}/{Key+}", true, {}},
      {S::kS3, "ListBuckets", "GET", "/", true, {"ContinuationToken", "continuation-token", "ContinuationToken", {"Buckets"}, nullptr},
       "s3:ListAllMyBuckets"},
      {S::kSigner, "GetSigningProfile", "GET", "/signing-profiles/{profileName}", true, {}},
      {S::kSigner, "PutSigningProfile", "PUT", "/signing-profiles/{profileName}", true, {}},
      // Import is an upsert by finding Id: resending a batch after a lost answer is harmless.
      {S::kSecurityHub, "BatchImportFindings", "POST", "/findings/import", true, {}},
  };
  return ops;
}

const OperationSpec* FindOp(Service service, std::string_view name) {
  for (const OperationSpec& op : AllOperations()) {
    if (op.service == service && op.name == name) return &op;
  }
  return nullptr;
}

const char* IamPrefixOf(Service service) {
  switch (service) {
    case Service::kLambda: return "lambda";
    case Service::kIam: return "iam";
    case Service::kSts: return "sts";
    case Service::kCloudTrail: return "cloudtrail";
    case Service::kLogs: return "logs";
    case Service::kCloudWatch: return "cloudwatch";
    case Service::kS3: return "s3";
    case Service::kSigner: return "signer";
    case Service::kSecurityHub: return "securityhub";
    case Service::kOrganizations: return "organizations";
    case Service::kAthena: return "athena";
    case Service::kEc2: return "ec2";
  }
  return "";
}

std::string IamActionOf(const OperationSpec& op) {
  if (op.iam_action != nullptr) return op.iam_action;
  return std::string(IamPrefixOf(op.service)) + ":" + op.name;
}

std::string IamActionOf(Service service, std::string_view operation) {
  const OperationSpec* op = FindOp(service, operation);
  return op == nullptr ? std::string() : IamActionOf(*op);
}

const OperationSpec& Op(Service service, std::string_view name) {
  if (const OperationSpec* op = FindOp(service, name)) return *op;
  (void)std::fprintf(stderr, "lambda-ir: internal error: unknown operation %.*s\n", static_cast<int>(name.size()), name.data());
  std::abort();
}

}  // namespace lir::aws
