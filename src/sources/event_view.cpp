#include "sources/event_view.h"

#include <simdjson.h>

namespace lir {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

std::string_view StringOr(const element& e) {
  std::string_view s;
  return e.get(s) == simdjson::SUCCESS ? s : std::string_view{};
}

std::string_view StringAt(const object& obj, std::string_view key) {
  element e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS) return {};
  return StringOr(e);
}

void ViewIdentity(const element& identity, EventView* v) {
  object obj;
  if (identity.get(obj) != simdjson::SUCCESS) return;
  uint32_t seen = 0;
  for (auto field : obj) {
    const std::string_view key = field.key;
    if (key == "type" && FirstTime(&seen, 0)) v->actor_type = StringOr(field.value);
    else if (key == "arn" && FirstTime(&seen, 1)) v->actor_arn = StringOr(field.value);
    else if (key == "principalId" && FirstTime(&seen, 2)) v->principal_id = StringOr(field.value);
    else if (key == "accountId" && FirstTime(&seen, 3)) v->actor_account = StringOr(field.value);
    else if (key == "accessKeyId" && FirstTime(&seen, 4)) v->access_key_id = StringOr(field.value);
    else if (key == "userName" && FirstTime(&seen, 5)) v->user_name = StringOr(field.value);
    else if (key == "invokedBy" && FirstTime(&seen, 6)) v->invoked_by = StringOr(field.value);
    else if (key == "sessionContext" && FirstTime(&seen, 7)) {
      element issuer;
      if (field.value["sessionIssuer"].get(issuer) == simdjson::SUCCESS) {
        object issuer_obj;
        if (issuer.get(issuer_obj) == simdjson::SUCCESS) {
          v->issuer_arn = StringAt(issuer_obj, "arn");
          v->issuer_name = StringAt(issuer_obj, "userName");
          v->issuer_type = StringAt(issuer_obj, "type");
        }
      }
    }
  }
}

// The function a call touched: functionName in the request (name, ARN or partial ARN),
// else in the response; CreateFunction responses carry it too.
void ViewTarget(const element* request, const element* response, EventView* v) {
  object req, resp;
  const bool has_req = request != nullptr && request->get(req) == simdjson::SUCCESS;
  const bool has_resp = response != nullptr && response->get(resp) == simdjson::SUCCESS;
  if (v->source == "lambda.amazonaws.com") {
    std::string_view fn = has_req ? StringAt(req, "functionName") : std::string_view{};
    if (fn.empty() && has_resp) fn = StringAt(resp, "functionName");
    if (fn.empty() && has_resp) fn = StringAt(resp, "functionArn");
    if (!fn.empty()) v->function = FunctionNameFromRef(fn);
    std::string_view role = has_req ? StringAt(req, "role") : std::string_view{};
    if (role.empty() && has_resp) role = StringAt(resp, "role");
    if (!role.empty()) v->role = RoleNameFromRef(role);
  } else if (v->source == "iam.amazonaws.com" && has_req) {
    v->role = StringAt(req, "roleName");
  }
}

}  // namespace

std::string_view EventView::actor_key() const {
  // Sessions of one role are one principal: session names are often random per run.
  if (!issuer_arn.empty() && actor_type == "AssumedRole") return issuer_arn;
  if (!actor_arn.empty()) return actor_arn;
  if (!invoked_by.empty()) return invoked_by;
  return principal_id;
}

const char* FinishView(EventView* v, TimeCache* cache) {
  if (v->name_raw.empty()) return "record has no eventName";
  std::optional<TimestampMs> time;
  if (cache != nullptr && cache->text == v->event_time) {
    time = cache->time;
  } else {
    time = ParseIso8601(v->event_time);
    if (cache != nullptr) cache->text.assign(v->event_time), cache->time = time;
  }
  if (!time) return v->event_time.empty() ? "record has no eventTime" : "eventTime is not ISO-8601";
  v->time = *time;
  v->name = NormalizeEventName(v->source, v->name_raw);
  return nullptr;
}

bool ViewEvent(const element& record, EventView* v, std::string* why) {
  *v = EventView{};
  object obj;
  if (record.get(obj) != simdjson::SUCCESS) {
    *why = "record is not a JSON object";
    return false;
  }
  // A default-constructed element is not a JSON null: it must never be touched.
  element identity, request, response;
  bool has_identity = false, has_request = false, has_response = false;
  uint32_t seen = 0;  // a key given twice: the first counts, as it does for the rules (at_key)
  for (auto field : obj) {
    const std::string_view key = field.key;
    const element& value = field.value;
    // Dispatch on length first: most keys are rejected without a byte compared.
    switch (key.size()) {
      case 7:
        if (key == "eventID" && FirstTime(&seen, 0)) v->event_id = StringOr(value);
        break;
      case 8:
        if (key == "readOnly" && FirstTime(&seen, 1)) {
          bool b;
          std::string_view s;
          if (value.get(b) == simdjson::SUCCESS) v->read_only = b;
          else if (value.get(s) == simdjson::SUCCESS) v->read_only = s == "true";
        }
        break;
      case 9:
        if (key == "eventTime" && FirstTime(&seen, 2)) v->event_time = StringOr(value);
        else if (key == "eventName" && FirstTime(&seen, 3)) v->name_raw = StringOr(value);
        else if (key == "errorCode" && FirstTime(&seen, 4)) v->error_code = StringOr(value);
        else if (key == "eventType" && FirstTime(&seen, 5)) v->event_type = StringOr(value);
        else if (key == "awsRegion" && FirstTime(&seen, 6)) v->region = StringOr(value);
        else if (key == "userAgent" && FirstTime(&seen, 7)) v->user_agent = StringOr(value);
        break;
      case 11:
        if (key == "eventSource" && FirstTime(&seen, 8)) v->source = StringOr(value);
        break;
      case 12:
        if (key == "errorMessage" && FirstTime(&seen, 9)) v->error_message = StringOr(value);
        else if (key == "userIdentity" && FirstTime(&seen, 10)) identity = value, has_identity = true;
        break;
      case 15:
        if (key == "sourceIPAddress" && FirstTime(&seen, 11)) v->source_ip = StringOr(value);
        break;
      case 16:
        if (key == "responseElements" && FirstTime(&seen, 12)) response = value, has_response = true;
        break;
      case 17:
        if (key == "requestParameters" && FirstTime(&seen, 13)) request = value, has_request = true;
        break;
      case 18:
        if (key == "recipientAccountId" && FirstTime(&seen, 14)) v->recipient_account = StringOr(value);
        break;
      default:
        break;
    }
  }
  if (const char* reason = FinishView(v)) {
    *why = reason;
    return false;
  }
  if (has_identity && identity.is_object()) ViewIdentity(identity, v);
  ViewTarget(has_request ? &request : nullptr, has_response ? &response : nullptr, v);
  return true;
}

Event MakeEvent(const EventView& v, const element& record, std::string_view file, uint64_t index) {
  Event e;
  e.time = v.time;
  e.event_time = v.event_time;
  e.source = v.source;
  e.name_raw = v.name_raw;
  e.name = v.name;
  e.region = v.region;
  e.account = v.account();
  e.source_ip = v.source_ip;
  e.user_agent = v.user_agent;
  e.error_code = v.error_code;
  e.error_message = v.error_message;
  e.event_id = v.event_id;
  e.event_type = v.event_type;
  e.read_only = v.read_only;
  e.function = v.function;
  e.role = v.role;
  e.actor.type = v.actor_type;
  e.actor.arn = v.actor_arn;
  e.actor.principal_id = v.principal_id;
  e.actor.account_id = v.actor_account;
  e.actor.access_key_id = v.access_key_id;
  e.actor.user_name = v.user_name;
  e.actor.session_issuer_arn = v.issuer_arn;
  e.actor.session_issuer_name = v.issuer_name;
  e.actor.session_issuer_type = v.issuer_type;
  e.actor.invoked_by = v.invoked_by;
  e.raw = simdjson::minify(record);
  e.file = file;
  e.record_index = index;
  return e;
}

}  // namespace lir
