#include "analysis/runtime_support.h"

#include <map>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/embedded_files.h"
#include "core/json_util.h"

namespace lir {
namespace {

constexpr std::string_view kTablePath = "lambda_config_runtime_deprecated/runtimes.yaml";
constexpr TimestampMs kSoonMs = TimestampMs{90} * 24 * 3600 * 1000;

std::map<std::string, TimestampMs> LoadTable() {
  std::map<std::string, TimestampMs> table;
  for (const EmbeddedFile& f : lir_embedded_rules()) {
    if (f.path != kTablePath) continue;
    const YAML::Node runtimes = YAML::Load(std::string(f.content))["runtimes"];
    for (auto it = runtimes.begin(); it != runtimes.end(); ++it) {
      if (auto date = ParseIso8601(it->second.Scalar() + "T00:00:00Z")) table[it->first.Scalar()] = *date;
    }
  }
  return table;
}

}  // namespace

std::optional<TimestampMs> RuntimeDeprecationDate(const std::string& runtime) {
  static const std::map<std::string, TimestampMs> table = LoadTable();
  auto it = table.find(runtime);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

std::vector<Finding> CheckRuntimeSupport(const FunctionEvidence& e) {
  std::vector<Finding> out;
  const nlohmann::json& configuration = JAt(e.function_doc, "Configuration");
  const std::string runtime = JStr(configuration, "Runtime");
  const auto deprecated = RuntimeDeprecationDate(runtime);
  if (!deprecated || e.collected_at == 0 || e.collected_at + kSoonMs < *deprecated) return out;
  const bool past = e.collected_at >= *deprecated;
  const std::string date = FormatIso8601(*deprecated).substr(0, 10);
  out.push_back(EvidenceFinding(
      "lambda_config_runtime_deprecated", past ? Severity::kMedium : Severity::kLow,
      past ? fmt::format("Runtime {} is deprecated (since {})", runtime, date)
           : fmt::format("Runtime {} is deprecated on {}", runtime, date),
      past ? fmt::format("AWS stopped patching {} on {}: known flaws in its language runtime and libraries stay "
                         "open in this function.", runtime, date)
           : fmt::format("AWS stops patching {} on {}, within 90 days of the collection.", runtime, date),
      "Move the function to a supported runtime of the same language and test it.",
      JStr(configuration, "FunctionArn", e.function), "(configuration)", "collected",
      e.artifact_dir + "/function.json", e.collected_at));
  return out;
}

}  // namespace lir
