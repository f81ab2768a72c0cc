// Where container credentials may be fetched from. The SDKs allow HTTPS anywhere, and plain
// HTTP only to loopback or the ECS/EKS link-local agents; the URL comes from the environment,
// which an attacker may have shaped, and the request carries an authorization token.
#pragma once

#include <string>

namespace lir::aws {

// Empty when `url` may be used; otherwise why not. Decided on the parsed URL (libcurl's URL
// API): `http://127.0.0.1@evil.example/` has host evil.example, and userinfo is refused outright.
std::string ContainerUrlProblem(const std::string& url);

}  // namespace lir::aws
