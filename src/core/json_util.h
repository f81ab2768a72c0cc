// Tolerant reads from JSON that came from outside (AWS responses, evidence files): a
// missing key, a null or a value of another type gives the fallback, never an exception.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace lir {

inline const nlohmann::json& JAt(const nlohmann::json& j, std::string_view key) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

inline std::string JStr(const nlohmann::json& j, std::string_view key, const std::string& fallback = "") {
  const nlohmann::json& v = JAt(j, key);
  return v.is_string() ? v.get<std::string>() : fallback;
}

// A number, or a string of digits (the XML protocols carry every number as text).
inline int64_t JInt(const nlohmann::json& j, std::string_view key, int64_t fallback = 0) {
  const nlohmann::json& v = JAt(j, key);
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    int64_t out = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty() ? out : fallback;
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (!v.is_number()) return fallback;
  // A double out of int64's range (1e300 in a hostile manifest) cannot be cast: undefined behaviour.
  const double d = v.get<double>();
  return d >= -9.2e18 && d <= 9.2e18 ? static_cast<int64_t>(d) : fallback;
}

// A value that may be one string or a list of them (IAM policies write both), as a list.
inline std::vector<std::string> JStrings(const nlohmann::json& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array()) {
    for (const auto& e : v) {
      if (e.is_string()) out.push_back(e.get<std::string>());
    }
  }
  return out;
}

inline const nlohmann::json& JArr(const nlohmann::json& j, std::string_view key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  const nlohmann::json& v = JAt(j, key);
  return v.is_array() ? v : kEmpty;
}

}  // namespace lir
