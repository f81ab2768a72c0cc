#include "aws/api_caller.h"

#include <fmt/format.h>

#include "aws/response_shape.h"
#include "aws/sigv4.h"
#include "aws/xml_to_json.h"

namespace lir::aws {

Result<std::string> ExpandUri(const std::string& uri_template, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t i = 0;
  while (i < uri_template.size()) {
    if (uri_template[i] != '{') {
      out += uri_template[i++];
      continue;
    }
    const size_t close = uri_template.find('}', i);
    std::string name = uri_template.substr(i + 1, close - i - 1);
    const bool greedy = !name.empty() && name.back() == '+';
    if (greedy) name.pop_back();
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("missing required parameter {}", name));
    }
    out += UriEncode(it->second, !greedy);
    i = close + 1;
  }
  return out;
}

ApiCaller::ApiCaller(Service service, AwsContext context)
    : service_(service), client_(service, ProtocolOf(service), std::move(context)) {}

Result<ApiResult> ApiCaller::Call(const OperationSpec& op, const CallParams& params, const BodyChunkSink& sink,
                                  const BodyRestart& restart) {
  ApiRequest request;
  request.operation = op.name;
  request.method = op.method;
  request.idempotent = op.idempotent;
  const Protocol protocol = ProtocolOf(service_);
  if (protocol == Protocol::kQuery || protocol == Protocol::kEc2) {
    request = MakeQueryRequest(op.name, ApiVersionOf(service_), params.form);
    request.idempotent = op.idempotent;
  } else {
    std::string uri = LIR_TRY(ExpandUri(op.uri, params.path));
    const size_t q = uri.find('?');
    request.path = uri.substr(0, q);
    if (q != std::string::npos) request.query = uri.substr(q + 1);
    for (const auto& [k, v] : params.query) {
      if (!request.query.empty()) request.query += '&';
      request.query += UriEncode(k, true) + "=" + UriEncode(v, true);
    }
    if (protocol == Protocol::kJson) {
      request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                         {"X-Amz-Target", std::string(TargetPrefixOf(service_)) + "." + op.name}};
      request.body = params.body.is_null() ? "{}" : params.body.dump();
    } else if (protocol == Protocol::kRestJson && !params.body.is_null()) {
      request.headers = {{"Content-Type", "application/json"}};
      request.body = params.body.dump();
    }
  }
  const HttpResponse response = LIR_TRY(client_.Send(request, sink, restart));
  ApiResult result;
  result.status = response.status;
  result.request_id = response.Header("x-amzn-RequestId");
  if (result.request_id.empty()) result.request_id = response.Header("x-amz-request-id");
  if (sink) return result;  // the body went to the sink
  result.raw = response.body;
  auto refuse = [&](const std::string& why) {
    Error e{ErrorCode::kCorruptInput, fmt::format("{}: {}", op.name, why)};
    e.operation = op.name;
    return tl::unexpected(std::move(e));
  };
  if (protocol == Protocol::kQuery || protocol == Protocol::kRestXml || protocol == Protocol::kEc2) {
    if (response.body.empty()) {
      result.doc = nlohmann::json::object();
    } else {
      auto doc = XmlToJson(response.body, op.paginator.result_keys, protocol == Protocol::kEc2);
      if (!doc) return refuse(doc.error().message);
      result.doc = std::move(*doc);
    }
  } else if (response.body.empty()) {
    result.doc = nlohmann::json::object();
  } else {
    // Deeper than any AWS shape: refused before a parser or a printer recurses into it.
    if (JsonNestingDepth(response.body) > kMaxAnswerDepth) return refuse(fmt::format("the answer nests deeper than {} levels", kMaxAnswerDepth));
    result.doc = nlohmann::json::parse(response.body, nullptr, false);
    if (result.doc.is_discarded()) return refuse("the answer is not JSON");
    if (!result.doc.is_object()) return refuse("the answer is not a JSON object");
  }
  LIR_CHECK(CheckResponseShape(service_, op.name, result.doc));
  return result;
}

Result<nlohmann::json> ApiCaller::CallAll(const OperationSpec& op, CallParams params, std::vector<ApiResult>* pages,
                                          int max_pages) {
  const Paginator& p = op.paginator;
  nlohmann::json merged;
  PageTokens tokens(op.name, max_pages);
  const Protocol protocol = ProtocolOf(service_);
  for (int page = 0;; ++page) {
    ApiResult result = LIR_TRY(Call(op, params));
    if (page == 0) {
      merged = result.doc;
    } else {
      for (const char* key : p.result_keys) {
        if (result.doc.contains(key) && result.doc[key].is_array()) {
          for (auto& item : result.doc[key]) merged[key].push_back(item);
        }
      }
    }
    std::string token;
    if (p.output_token != nullptr && result.doc.contains(p.output_token) && result.doc[p.output_token].is_string()) {
      token = result.doc[p.output_token].get<std::string>();
    }
    const bool more = p.more_results == nullptr || (result.doc.contains(p.more_results) && result.doc[p.more_results] == "true");
    if (pages) pages->push_back(std::move(result));
    if (p.input_token == nullptr || token.empty() || !more) break;
    LIR_CHECK(tokens.Next(token));
    const char* wire = p.input_wire != nullptr ? p.input_wire : p.input_token;
    if (protocol == Protocol::kQuery || protocol == Protocol::kEc2) {
      std::erase_if(params.form, [&](const auto& kv) { return kv.first == p.input_token; });
      params.form.emplace_back(p.input_token, token);
    } else if (protocol == Protocol::kRestJson || protocol == Protocol::kRestXml) {
      std::erase_if(params.query, [&](const auto& kv) { return kv.first == wire; });
      params.query.emplace_back(wire, token);
    } else {
      if (params.body.is_null()) params.body = nlohmann::json::object();
      params.body[p.input_token] = token;
    }
  }
  if (p.output_token != nullptr) merged.erase(p.output_token);
  return merged;
}

Result<void> PageTokens::Next(const std::string& token) {
  auto refuse = [&](const std::string& why) {
    Error e{ErrorCode::kCorruptInput, fmt::format("{}: {} after {} pages; stopped, the answer so far is incomplete", operation_, why, pages_)};
    e.operation = operation_;
    return tl::unexpected(std::move(e));
  };
  ++pages_;
  // A token seen before would loop forever (a misbehaving endpoint, or one alternating two).
  if (!seen_.insert(token).second) return refuse("the endpoint sent a pagination token it had sent before");
  if (pages_ >= max_pages_) return refuse(fmt::format("more than {} pages", max_pages_));
  return {};
}

}  // namespace lir::aws
