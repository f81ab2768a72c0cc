#include "response/aws_calls.h"

namespace lir {

Result<nlohmann::json> AwsCalls::Call(aws::Service service, std::string_view operation, const aws::CallParams& params) {
  aws::ApiCaller caller(service, session_.context());
  auto r = caller.Call(aws::Op(service, operation), params);
  if (!r) return tl::unexpected(r.error());
  return std::move(r->doc);
}

Result<nlohmann::json> AwsCalls::CallAll(aws::Service service, std::string_view operation, const aws::CallParams& params) {
  aws::ApiCaller caller(service, session_.context());
  return caller.CallAll(aws::Op(service, operation), params);
}

Result<nlohmann::json> AwsCalls::CallAllIn(const std::string& region, aws::Service service, std::string_view operation,
                                           const aws::CallParams& params) {
  aws::AwsContext context = session_.context();
  context.region_override = region;
  aws::ApiCaller caller(service, std::move(context));
  return caller.CallAll(aws::Op(service, operation), params);
}

Result<nlohmann::json> AwsCalls::CallIn(const std::string& region, aws::Service service, std::string_view operation,
                                        const aws::CallParams& params) {
  aws::AwsContext context = session_.context();
  context.region_override = region;
  aws::ApiCaller caller(service, std::move(context));
  auto r = caller.Call(aws::Op(service, operation), params);
  if (!r) return tl::unexpected(r.error());
  return std::move(r->doc);
}

Result<std::optional<nlohmann::json>> AwsCalls::CallIfPresent(aws::Service service, std::string_view operation,
                                                              const aws::CallParams& params) {
  auto r = Call(service, operation, params);
  if (r) return std::optional<nlohmann::json>(std::move(*r));
  if (IsNotFound(r.error())) return std::optional<nlohmann::json>();
  return tl::unexpected(r.error());
}

Result<nlohmann::json> AwsCalls::Remove(aws::Service service, std::string_view operation, const aws::CallParams& params,
                                        nlohmann::json done, std::string_view absent_note) {
  const auto removed = LIR_TRY(CallIfPresent(service, operation, params));
  if (!removed) return nlohmann::json{{"unchanged", absent_note}};
  return done;
}

bool IsNotFound(const Error& error) { return error.code == ErrorCode::kNotFound; }

aws::CallParams FormParams(std::vector<std::pair<std::string, std::string>> fields) {
  aws::CallParams p;
  p.form = std::move(fields);
  return p;
}

aws::CallParams LambdaParams(const std::string& function, const std::string& qualifier) {
  aws::CallParams p;
  p.path["FunctionName"] = function;
  if (!qualifier.empty()) p.query.emplace_back("Qualifier", qualifier);
  return p;
}

// arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
std::string UnqualifiedFunctionArn(std::string_view arn) {
  size_t colons = 0;
  for (size_t i = 0; i < arn.size(); ++i) {
    if (arn[i] == ':' && ++colons == 7) return std::string(arn.substr(0, i));
  }
  return std::string(arn);
}

std::string QualifierOfArn(std::string_view arn) {
  const std::string base = UnqualifiedFunctionArn(arn);
  return base.size() < arn.size() ? std::string(arn.substr(base.size() + 1)) : "";
}

}  // namespace lir
