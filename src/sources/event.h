// The event model: one CloudTrail record, with the fields responders and rules use
// most lifted out, and the whole record kept (minified) for rules and reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace lir {

struct Actor {
  std::string type;          // IAMUser, AssumedRole, Root, AWSService, FederatedUser, ...
  std::string arn;
  std::string principal_id;
  std::string account_id;
  std::string access_key_id;
  std::string user_name;
  std::string session_issuer_arn;
  std::string session_issuer_name;  // the role name for AssumedRole sessions
  std::string session_issuer_type;
  std::string invoked_by;

  // The best single name for who acted: ARN, else invokedBy, else principal id.
  std::string Display() const;
};

struct Event {
  TimestampMs time = 0;
  std::string event_time;    // as recorded
  std::string source;        // eventSource
  std::string name_raw;      // eventName as recorded, e.g. UpdateFunctionCode20150331v2
  std::string name;          // normalised, e.g. UpdateFunctionCode
  std::string region;
  std::string account;       // recipientAccountId, else the actor's account
  std::string source_ip;
  std::string user_agent;
  std::string error_code;
  std::string error_message;
  std::string event_id;
  std::string event_type;
  std::optional<bool> read_only;
  std::string function;      // function name the call touched, if any (qualifier stripped)
  std::string role;          // IAM role name the call touched, if any
  Actor actor;
  std::string raw;           // the record, minified JSON
  std::string file;          // where it was read
  uint64_t record_index = 0;

  bool succeeded() const { return error_code.empty(); }
  // The function or role ARN the call touched, else the function/role name, else empty.
  std::string ResourceArn() const;
};

// Strips Lambda's API-version suffix: UpdateFunctionCode20150331v2 -> UpdateFunctionCode,
// PublishLayerVersion20181031 -> PublishLayerVersion. Names without one are returned as is.
// Only Lambda carries these suffixes, so other sources are left untouched.
std::string_view NormalizeEventName(std::string_view event_source, std::string_view event_name);

// "arn:aws:lambda:us-east-1:123456789012:function:name:alias", "123456789012:function:name",
// "name:alias" and "name" all give "name".
std::string_view FunctionNameFromRef(std::string_view ref);

// "arn:aws:iam::123456789012:role/path/name" gives "name"; a bare name is returned as is.
std::string_view RoleNameFromRef(std::string_view ref);

// The 12-digit account of an ARN ("arn:aws:iam::123456789012:root") or of a bare account
// id; empty when there is none (service principals, "*").
std::string_view AccountFromArnOrId(std::string_view value);

}  // namespace lir
