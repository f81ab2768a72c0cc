// IP networks in CIDR notation (10.0.0.0/8, 2001:db8::/32) and membership tests, for rules
// that match source addresses by block.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace lir {

struct IpNetwork {
  bool v6 = false;
  std::array<uint8_t, 16> address{};  // network bits; the rest zero
  int prefix = 0;                     // 0..32 or 0..128
};

// "a.b.c.d/n", "x::y/n", or a bare address (a /32 or /128). Bits beyond the prefix are
// ignored, as routers and Sigma backends do.
std::optional<IpNetwork> ParseIpNetwork(std::string_view text);

// Whether `address` (IPv4 or IPv6 text, no prefix) lies in `network`. Not an address: false.
// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is compared as the IPv4 one.
bool InNetwork(const IpNetwork& network, std::string_view address);

}  // namespace lir
