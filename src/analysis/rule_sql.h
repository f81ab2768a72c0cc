// Rules' event predicates compiled into SQL for Athena's CloudTrail table and CloudTrail Lake,
// so an organisation's archive can be narrowed where it lives before the engine reads it.
//
// The SQL is never narrower than the rule: every record the rule matches, the query returns.
// Where SQL cannot say what the engine does (a path through an array or through JSON held in a
// string, CIDR blocks, any_item, foreign accounts, the function or role a call touched), the
// leaf widens: to a necessary condition (the key is present) or to true, and to false under a
// `not`. Such a rule is inexact: the query returns a superset, and the engine, reading the
// returned records, decides. An exact rule's query returns exactly its matches.
#pragma once

#include <string>
#include <vector>

#include "analysis/rule.h"
#include "analysis/sql_dialect.h"

namespace lir {

struct RuleSql {
  std::string predicate;  // a boolean that is never NULL
  bool exact = true;
  std::vector<std::string> widened;  // what was read approximately, e.g. "requestParameters.layers"
};

RuleSql CompileMatch(const Expr& match, SqlEngine engine);

// The condition every record the engine reads as an event meets (it has an eventName).
std::string EventCondition();

// SELECT `columns` FROM `table` WHERE scope AND the rule's predicate.
std::string RuleQuery(const Rule& rule, SqlEngine engine, const std::string& table, const SqlScope& scope,
                      const std::string& columns);

// analyze --athena's query: every record some rule may match, the Lambda changes the engine
// learns functions' roles from, and one call of each role session from a Lambda runtime,
// inside the scope, in one scan; `select` over the table's `columns` as the records are rebuilt.
std::string RecordsQuery(const std::vector<Rule>& rules, SqlEngine engine, const std::string& table,
                         const SqlScope& scope, const std::vector<std::string>& columns, const std::string& select);

}  // namespace lir
