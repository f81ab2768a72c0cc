// SHA-256 and HMAC-SHA-256 (OpenSSL), for evidence hashes and request signing.
#pragma once

#include <string>
#include <string_view>

namespace lir {

std::string Sha256(std::string_view data);                        // 32 raw bytes
std::string Sha256Hex(std::string_view data);                     // 64 lowercase hex digits
std::string HmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string HexEncode(std::string_view bytes);                    // lowercase

}  // namespace lir
