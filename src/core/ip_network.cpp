#include "core/ip_network.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <string>

namespace lir {
namespace {

// Parses an address into 16 bytes; IPv4 in the first 4. Returns false if it is neither.
bool ParseAddress(std::string_view text, bool* v6, std::array<uint8_t, 16>* out) {
  if (text.empty() || text.size() > 45) return false;
  const std::string copy(text);  // inet_pton needs a terminated string
  out->fill(0);
  if (inet_pton(AF_INET, copy.c_str(), out->data()) == 1) {
    *v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, copy.c_str(), out->data()) != 1) return false;
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(out->data(), kMapped, 12) == 0) {
    std::memmove(out->data(), out->data() + 12, 4);
    std::memset(out->data() + 4, 0, 12);
    *v6 = false;
    return true;
  }
  *v6 = true;
  return true;
}

bool PrefixEqual(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int bits) {
  const int whole = bits / 8;
  if (std::memcmp(a.data(), b.data(), whole) != 0) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

std::optional<IpNetwork> ParseIpNetwork(std::string_view text) {
  IpNetwork n;
  const size_t slash = text.find('/');
  if (!ParseAddress(text.substr(0, slash), &n.v6, &n.address)) return std::nullopt;
  const int max_prefix = n.v6 ? 128 : 32;
  n.prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view bits = text.substr(slash + 1);
    int prefix = -1;
    auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (ec != std::errc() || end != bits.data() + bits.size() || prefix < 0 || prefix > max_prefix) {
      return std::nullopt;
    }
    n.prefix = prefix;
  }
  return n;
}

bool InNetwork(const IpNetwork& network, std::string_view address) {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
  if (!ParseAddress(address, &v6, &bytes) || v6 != network.v6) return false;
  return PrefixEqual(bytes, network.address, network.prefix);
}

}  // namespace lir
