#include "report/sql_listing.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/rule_sql.h"
#include "core/strings.h"

namespace lir {
namespace {

// What the query leaves to lambda-ir: conditions over the whole scan, not one record.
std::string WholeScanNeeds(const Rule& rule) {
  std::vector<std::string> needs;
  if (rule.needs_context()) needs.emplace_back("context");
  if (rule.threshold) needs.emplace_back(fmt::format("a threshold of {} in {} s", rule.threshold->count,
                                                     rule.threshold->window_ms / 1000));
  std::string out;
  for (const std::string& n : needs) out += (out.empty() ? "" : " and ") + n;
  return out;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : "; ") + i;
  return out;
}

}  // namespace

std::string RenderSqlText(const std::vector<Rule>& rules, const SqlListing& listing) {
  std::string out;
  for (const Rule& rule : rules) {
    const RuleSql sql = CompileMatch(rule.match, listing.engine);
    // Rule files are anyone's text: one line each, no control characters, in a comment.
    out += fmt::format("-- {} ({}): {}\n", SanitizeForTerminal(rule.id), ToString(rule.severity),
                       SanitizeForTerminal(rule.title));
    if (sql.exact) {
      out += "-- exact: returns the records the rule matches\n";
    } else {
      out += fmt::format("-- widened, returns more than the rule matches (lambda-ir decides on them): {}\n",
                         SanitizeForTerminal(Joined(sql.widened)));
    }
    const std::string needs = WholeScanNeeds(rule);
    if (!needs.empty()) out += fmt::format("-- also needs {}: run the records through lambda-ir analyze\n", needs);
    // Literals hold no control character: SqlString writes them as chr(N).
    out += RuleQuery(rule, listing.engine, listing.table, listing.scope, kListingColumns) + ";\n\n";
  }
  return out;
}

std::string RenderSqlJson(const std::vector<Rule>& rules, const SqlListing& listing) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Rule& rule : rules) {
    const RuleSql sql = CompileMatch(rule.match, listing.engine);
    nlohmann::ordered_json entry = {{"id", rule.id},
                                    {"severity", ToString(rule.severity)},
                                    {"exact", sql.exact},
                                    {"widened", sql.widened},
                                    {"needs_whole_scan", !WholeScanNeeds(rule).empty()},
                                    {"sql", RuleQuery(rule, listing.engine, listing.table, listing.scope, kListingColumns)}};
    out.push_back(std::move(entry));
  }
  return out.dump(2) + "\n";
}

}  // namespace lir
