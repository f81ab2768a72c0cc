#include "analysis/rule_yaml_guard.h"

#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace lir {
namespace {

class GuardScan : public YAML::EventHandler {
 public:
  std::string problem;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Node(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    Refuse(fmt::format("line {}: aliases (*name) are not allowed in rule files", mark.line + 1));
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override { Node(mark, anchor); }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    Node(mark, anchor);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    Node(mark, anchor);
  }
  void OnMapEnd() override {}

 private:
  size_t nodes_ = 0;

  void Node(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) Refuse(fmt::format("line {}: anchors (&name) are not allowed in rule files", mark.line + 1));
    if (++nodes_ > kMaxRuleNodes) Refuse(fmt::format("more than {} YAML nodes: not a rule", kMaxRuleNodes));
  }
  void Refuse(std::string why) {
    if (problem.empty()) problem = std::move(why);
  }
};

}  // namespace

std::string RuleYamlProblem(const std::string& text) {
  if (text.size() > kMaxRuleFileBytes) {
    return fmt::format("{} bytes: rule files are at most {} bytes", text.size(), kMaxRuleFileBytes);
  }
  std::istringstream in(text);
  GuardScan scan;
  try {
    YAML::Parser parser(in);
    while (scan.problem.empty() && parser.HandleNextDocument(scan)) {
    }
  } catch (const YAML::Exception&) {
    return {};  // the loader reports the syntax error with its position
  }
  return scan.problem;
}

}  // namespace lir
