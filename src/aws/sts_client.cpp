#include "aws/sts_client.h"

#include <pugixml.hpp>

#include "aws/query_protocol.h"

namespace lir::aws {
namespace {

constexpr const char* kVersion = "2011-06-15";

Result<TemporaryCredentials> ParseCredentials(const std::string& action, const HttpResponse& response) {
  pugi::xml_document doc;
  LIR_CHECK(ParseXml(action, response, &doc));
  const pugi::xml_node c = doc.select_node("//Credentials").node();
  TemporaryCredentials t;
  t.keys.access_key_id = c.child_value("AccessKeyId");
  t.keys.secret_access_key = c.child_value("SecretAccessKey");
  t.keys.session_token = c.child_value("SessionToken");
  if (auto expiration = ParseIso8601(c.child_value("Expiration"))) t.expiration = *expiration;
  if (t.keys.access_key_id.empty() || t.keys.secret_access_key.empty()) {
    return MakeError(ErrorCode::kCorruptInput, action + ": response has no credentials");
  }
  return t;
}

}  // namespace

Result<CallerIdentity> StsClient::GetCallerIdentity() {
  const auto response = LIR_TRY(client_.Send(MakeQueryRequest("GetCallerIdentity", kVersion, {})));
  pugi::xml_document doc;
  LIR_CHECK(ParseXml("GetCallerIdentity", response, &doc));
  const pugi::xml_node r = doc.select_node("//GetCallerIdentityResult").node();
  CallerIdentity id{r.child_value("Account"), r.child_value("Arn"), r.child_value("UserId")};
  if (id.arn.empty()) return MakeError(ErrorCode::kCorruptInput, "GetCallerIdentity: no Arn in the response");
  return id;
}

Result<TemporaryCredentials> StsClient::AssumeRole(const Credentials& source, const AssumeRoleRequest& r) {
  QueryParams params{{"RoleArn", r.role_arn}, {"RoleSessionName", r.session_name},
                     {"DurationSeconds", std::to_string(r.duration_seconds)}};
  if (!r.external_id.empty()) params.emplace_back("ExternalId", r.external_id);
  ApiRequest request = MakeQueryRequest("AssumeRole", kVersion, params);
  request.credentials = &source;
  const auto response = LIR_TRY(client_.Send(request));
  return ParseCredentials("AssumeRole", response);
}

Result<TemporaryCredentials> StsClient::AssumeRoleWithWebIdentity(const std::string& role_arn,
                                                                  const std::string& session_name,
                                                                  const std::string& token, const std::string&) {
  ApiRequest request = MakeQueryRequest("AssumeRoleWithWebIdentity", kVersion,
                                        {{"RoleArn", role_arn}, {"RoleSessionName", session_name}, {"WebIdentityToken", token}});
  request.anonymous = true;  // the token is the credential
  const auto response = LIR_TRY(client_.Send(request));
  return ParseCredentials("AssumeRoleWithWebIdentity", response);
}

}  // namespace lir::aws
