// `rules sql`: each rule's query for Athena or CloudTrail Lake, as SQL text to paste or as
// JSON for scripts, with what each query cannot decide alone.
#pragma once

#include <string>
#include <vector>

#include "analysis/rule.h"
#include "analysis/sql_dialect.h"

namespace lir {

struct SqlListing {
  SqlEngine engine = SqlEngine::kAthena;
  std::string table;
  SqlScope scope;
};

// The columns a rule's query returns: enough to find the event and who did it.
inline constexpr const char* kListingColumns =
    "eventid, eventtime, eventsource, eventname, awsregion, recipientaccountid, useridentity.arn, "
    "sourceipaddress, errorcode";

std::string RenderSqlText(const std::vector<Rule>& rules, const SqlListing& listing);
std::string RenderSqlJson(const std::vector<Rule>& rules, const SqlListing& listing);

}  // namespace lir
