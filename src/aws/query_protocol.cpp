#include "aws/query_protocol.h"

#include <pugixml.hpp>

#include "aws/sigv4.h"

namespace lir::aws {

ApiRequest MakeQueryRequest(const std::string& action, const std::string& version, const QueryParams& params) {
  ApiRequest r;
  r.operation = action;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  r.body = "Action=" + UriEncode(action, true) + "&Version=" + UriEncode(version, true);
  for (const auto& [k, v] : params) r.body += "&" + UriEncode(k, true) + "=" + UriEncode(v, true);
  return r;
}

Result<void> ParseXml(const std::string& action, const HttpResponse& response, pugi::xml_document* doc) {
  const auto parsed = doc->load_buffer(response.body.data(), response.body.size());
  if (!parsed) return MakeError(ErrorCode::kCorruptInput, action + ": response is not XML: " + parsed.description());
  return {};
}

}  // namespace lir::aws
