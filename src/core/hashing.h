// SHA-256 and HMAC-SHA-256 (OpenSSL), for evidence hashes and request signing.
#pragma once

#include <string>
#include <string_view>

namespace lir {

std::string Sha256(std::string_view data);                        // 32 raw bytes
std::string Sha256Hex(std::string_view data);                     // 64 lowercase hex digits
std::string HmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string HexEncode(std::string_view bytes);                    // lowercase
std::string Base64Encode(std::string_view bytes);                 // standard alphabet, padded
// Lambda's CodeSha256: base64 of the SHA-256 of the deployment package.
inline std::string LambdaCodeSha256(std::string_view package) { return Base64Encode(Sha256(package)); }

}  // namespace lir
