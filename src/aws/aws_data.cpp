#include "aws/aws_data.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "core/embedded_files.h"

namespace lir::aws {

const nlohmann::json& EmbeddedAwsData(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, nlohmann::json, std::less<>> parsed;
  std::lock_guard lock(mutex);
  if (auto it = parsed.find(name); it != parsed.end()) return it->second;
  nlohmann::json doc = nlohmann::json::object();
  for (const EmbeddedFile& f : lir_embedded_aws_data()) {
    if (name == f.path) doc = nlohmann::json::parse(f.content, nullptr, false);
  }
  if (doc.is_discarded()) doc = nlohmann::json::object();
  return parsed.emplace(std::string(name), std::move(doc)).first->second;
}

std::vector<std::string> LambdaRegions(const std::string& region) {
  const std::string partition = region.rfind("cn-", 0) == 0       ? "aws-cn"
                                : region.rfind("us-gov-", 0) == 0 ? "aws-us-gov"
                                : region.rfind("us-iso", 0) == 0  ? "aws-iso"
                                                                  : "aws";
  std::vector<std::string> regions;
  const nlohmann::json& data = EmbeddedAwsData("lambda-regions.json");
  if (data.contains("partitions") && data["partitions"].contains(partition)) {
    for (const auto& r : data["partitions"][partition]) {
      if (r.is_string()) regions.push_back(r.get<std::string>());
    }
  }
  if (std::find(regions.begin(), regions.end(), region) == regions.end()) regions.push_back(region);
  return regions;
}

bool IsRegionName(std::string_view text) {
  // ^[a-z]{2}(-[a-z]+)+-[0-9]+$
  const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() < 6 || text.size() > 32 || !lower(text[0]) || !lower(text[1]) || text[2] != '-') return false;
  const size_t last = text.rfind('-');
  if (last == 2 || last + 1 == text.size()) return false;
  for (size_t i = last + 1; i < text.size(); ++i) {
    if (!digit(text[i])) return false;
  }
  for (size_t i = 3; i < last; ++i) {
    if (!lower(text[i]) && !(text[i] == '-' && text[i - 1] != '-')) return false;
  }
  return text[last - 1] != '-';
}

}  // namespace lir::aws
