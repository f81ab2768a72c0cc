#include "sources/event.h"

#include "core/strings.h"

namespace lir {

std::string Actor::Display() const {
  if (!arn.empty()) return arn;
  if (!invoked_by.empty()) return invoked_by;
  if (!principal_id.empty()) return principal_id;
  return type;
}

std::string Event::ResourceArn() const {
  if (!function.empty()) {
    if (region.empty() || account.empty()) return function;
    return "arn:aws:lambda:" + region + ":" + account + ":function:" + function;
  }
  if (!role.empty()) {
    if (account.empty()) return role;
    return "arn:aws:iam::" + account + ":role/" + role;
  }
  return {};
}

std::string_view NormalizeEventName(std::string_view event_source, std::string_view event_name) {
  if (event_source != "lambda.amazonaws.com") return event_name;
  std::string_view name = event_name;
  // Optional "v<digits>" after the date.
  size_t end = name.size();
  size_t i = end;
  while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') --i;
  if (i < end && i > 0 && name[i - 1] == 'v') {
    const size_t before_v = i - 1;
    size_t j = before_v;
    while (j > 0 && name[j - 1] >= '0' && name[j - 1] <= '9') --j;
    if (before_v - j == 8 && j > 0) return name.substr(0, j);
    return name;
  }
  if (end - i == 8 && i > 0) return name.substr(0, i);
  return name;
}

std::string_view FunctionNameFromRef(std::string_view ref) {
  const auto parts = Split(ref, ':');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] == "function") return parts[i + 1];
  }
  return parts.empty() ? ref : parts[0];
}

std::string_view RoleNameFromRef(std::string_view ref) {
  if (ref.substr(0, 4) != "arn:") return ref;
  const size_t slash = ref.rfind('/');
  return slash == std::string_view::npos ? ref : ref.substr(slash + 1);
}

std::string_view AccountFromArnOrId(std::string_view value) {
  auto is_account = [](std::string_view s) {
    return s.size() == 12 && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (is_account(value)) return value;
  if (value.substr(0, 4) == "arn:") {
    const auto parts = Split(value, ':');
    if (parts.size() > 4 && is_account(parts[4])) return parts[4];
  }
  return {};
}

}  // namespace lir
