// Every AWS operation lambda-ir calls, as data: HTTP binding, idempotency and pagination,
// copied from botocore's service models (tests/aws_operations_test.cpp checks each entry
// against them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_config.h"
#include "aws/aws_error.h"

namespace lir::aws {

struct Paginator {
  const char* input_token = nullptr;   // request member that carries the token
  const char* input_wire = nullptr;    // its name on the wire (querystring), when different
  const char* output_token = nullptr;  // response member with the next token
  std::vector<const char*> result_keys;
  const char* more_results = nullptr;  // e.g. IsTruncated
};

struct OperationSpec {
  Service service;
  const char* name;
  const char* method;
  const char* uri;  // template: {Name} encoded, {Name+} keeps '/', "?k=v" fixed query
  bool idempotent;
  Paginator paginator;
  const char* iam_action = nullptr;  // when it is not "<service prefix>:<name>" (s3:ListBucket for ListObjectsV2)
};

// An operation named where it is called: what `lambda-ir permissions` turns into IAM actions.
struct OperationRef {
  Service service;
  const char* name;
};

Protocol ProtocolOf(Service service);
const char* ApiVersionOf(Service service);
const char* TargetPrefixOf(Service service);  // json protocol only

const OperationSpec& Op(Service service, std::string_view name);  // aborts on an unknown name (a bug)
const OperationSpec* FindOp(Service service, std::string_view name);  // null when not in the table

// The IAM action an operation needs, as a policy names it: lambda:ListProvisionedConcurrencyConfigs.
std::string IamActionOf(const OperationSpec& op);
// The same for an operation by name ("" for one outside the table).
std::string IamActionOf(Service service, std::string_view operation);
const char* IamPrefixOf(Service service);
const std::vector<OperationSpec>& AllOperations();

}  // namespace lir::aws
