// CloudTrail records rebuilt from the rows of an Athena query over the CloudTrail table
// (docs/athena.md): the query selects each column as text (structs cast to JSON), and each row
// becomes the record CloudTrail wrote, with its field names, so the engine reads it as it reads
// a file. Athena's answers carry attacker-written values (every field of a record): they only
// ever become JSON values here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/result.h"

namespace lir {

// The SELECT list of a records query, in the order RecordsFromPage expects.
std::string AthenaRecordColumns();
// The table's columns it reads, in the same order.
std::vector<std::string> AthenaRecordColumnNames();

// One GetQueryResults answer as JSON Lines, one record a line. The first page's first row is
// the header (the column names), checked against AthenaRecordColumns; `rows` counts the
// records. An answer of another shape is an error naming what is wrong.
Result<std::string> RecordsFromPage(const nlohmann::json& page, bool first_page, size_t* rows);

}  // namespace lir
