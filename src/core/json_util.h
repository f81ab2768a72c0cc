// Tolerant reads from JSON that came from outside (AWS responses, evidence files): a
// missing key, a null or a value of another type gives the fallback, never an exception.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

inline int64_t JInt(const nlohmann::json& j, std::string_view key, int64_t fallback = 0) {
  const nlohmann::json& v = JAt(j, key);
  return v.is_number_integer() ? v.get<int64_t>() : v.is_number() ? static_cast<int64_t>(v.get<double>()) : fallback;
}

inline const nlohmann::json& JArr(const nlohmann::json& j, std::string_view key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  const nlohmann::json& v = JAt(j, key);
  return v.is_array() ? v : kEmpty;
}

}  // namespace lir
