#include "analysis/suspects.h"

#include <arpa/inet.h>

#include <simdjson.h>

#include "analysis/baseline.h"

namespace lir {
namespace {

// An address a person's machine had: not an AWS service name ("lambda.amazonaws.com"),
// "AWS Internal" or empty.
bool IsAddress(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// Code in a Lambda runtime shares its egress addresses with every other function.
bool FromLambdaRuntime(const Event& e) { return e.user_agent.find("AWS_Lambda") != std::string::npos; }

std::string StringAt(const simdjson::dom::element& record, const char* pointer) {
  std::string_view value;
  if (record.at_pointer(pointer).get(value) != simdjson::SUCCESS) return {};
  return std::string(value);
}

// Bounded: an attacker minting identities by the hundred thousand is told by the first of
// them (each entry is about a hundred bytes).
constexpr size_t kMaxSuspects = 200000;

}  // namespace

void Suspects::Add(std::string key, const std::string& why) {
  if (why_.size() >= kMaxSuspects) return;
  why_.emplace(std::move(key), why);  // the first reason stays: it is the earliest evidence
}

void Suspects::AddCaller(const Event& e, bool caller_is_lambda_role, const std::string& why) {
  if (e.actor.type == "AWSService") return;
  if (!caller_is_lambda_role) {
    if (const std::string_view principal = ActorKeyOf(e.actor); !principal.empty()) {
      Add("principal:" + std::string(principal), why);
    }
  }
  if (!e.actor.access_key_id.empty()) Add("key:" + e.actor.access_key_id, why);
  if (IsAddress(e.source_ip) && !FromLambdaRuntime(e)) Add("ip:" + e.source_ip, why);
}

std::vector<CreatedIdentity> Suspects::AddCreated(const simdjson::dom::element& record, const Event& e) {
  const std::string why = "created by a suspect: " + e.name + " at " + e.event_time;
  std::vector<CreatedIdentity> created;
  for (const auto& [pointer, kind] : {std::pair{"/responseElements/user/arn", "user"},
                                      std::pair{"/responseElements/role/arn", "role"},
                                      std::pair{"/responseElements/federatedUser/arn", "federated user"}}) {
    if (std::string arn = StringAt(record, pointer); !arn.empty()) {
      Add("principal:" + arn, why);
      created.push_back({kind, std::move(arn), ""});
    }
  }
  if (std::string key = StringAt(record, "/responseElements/accessKey/accessKeyId"); !key.empty()) {
    Add("key:" + key, why);
    created.push_back({"access key", std::move(key), StringAt(record, "/responseElements/accessKey/userName")});
  }
  // Session credentials handed to the caller (AssumeRole, GetFederationToken): temporary, but
  // whatever they do is the suspect's.
  if (std::string key = StringAt(record, "/responseElements/credentials/accessKeyId"); !key.empty()) {
    Add("key:" + key, why);
    created.push_back({"session key", std::move(key), ""});
  }
  // A console password for an existing user: that user's sign-ins are the attacker's. Matched
  // by name: the user's ARN may carry a path or another partition.
  if (e.name == "CreateLoginProfile" || e.name == "UpdateLoginProfile") {
    if (std::string user = StringAt(record, "/requestParameters/userName"); !user.empty() && !e.account.empty()) {
      Add("user:" + e.account + ":" + user, why);
      created.push_back({"console password", user, user});
    }
  }
  return created;
}

std::optional<SuspectMatch> Suspects::Match(const Event& e) const {
  if (why_.empty()) return std::nullopt;
  auto find = [&](const std::string& key) -> const std::string* {
    auto it = why_.find(key);
    return it == why_.end() ? nullptr : &it->second;
  };
  if (!e.actor.access_key_id.empty()) {
    if (const std::string* why = find("key:" + e.actor.access_key_id)) return SuspectMatch{SuspectMatch::By::kKey, why};
  }
  if (const std::string_view principal = ActorKeyOf(e.actor); !principal.empty()) {
    if (const std::string* why = find("principal:" + std::string(principal))) {
      return SuspectMatch{SuspectMatch::By::kPrincipal, why};
    }
  }
  if (e.actor.type == "IAMUser" && !e.actor.user_name.empty()) {
    if (const std::string* why = find("user:" + e.account + ":" + e.actor.user_name)) {
      return SuspectMatch{SuspectMatch::By::kPrincipal, why};
    }
  }
  if (!e.source_ip.empty()) {
    if (const std::string* why = find("ip:" + e.source_ip)) return SuspectMatch{SuspectMatch::By::kAddress, why};
  }
  return std::nullopt;
}

std::string SuspectMatch::Told(const Event& e) const {
  if (by == By::kAddress) return "suspect by address only (" + e.source_ip + "): " + *why;
  return "suspect: " + *why;
}

}  // namespace lir
