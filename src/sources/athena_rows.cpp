#include "sources/athena_rows.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_depth.h"
#include "core/json_util.h"

namespace lir {
namespace {

constexpr int kMaxNesting = 64;

enum class Kind {
  kString,  // a string column
  kJson,    // JSON text kept by the table as a string (requestParameters, ...)
  kStruct,  // a struct or array of structs, selected as JSON with the table's lower-case names
  kBool,    // readOnly: "true" or "false" in the table
};

struct Column {
  const char* name;  // the table's column
  const char* key;   // the record's field
  Kind kind;
};

constexpr Column kColumns[] = {
    {"eventversion", "eventVersion", Kind::kString},
    {"useridentity", "userIdentity", Kind::kStruct},
    {"eventtime", "eventTime", Kind::kString},
    {"eventsource", "eventSource", Kind::kString},
    {"eventname", "eventName", Kind::kString},
    {"awsregion", "awsRegion", Kind::kString},
    {"sourceipaddress", "sourceIPAddress", Kind::kString},
    {"useragent", "userAgent", Kind::kString},
    {"errorcode", "errorCode", Kind::kString},
    {"errormessage", "errorMessage", Kind::kString},
    {"requestparameters", "requestParameters", Kind::kJson},
    {"responseelements", "responseElements", Kind::kJson},
    {"additionaleventdata", "additionalEventData", Kind::kJson},
    {"requestid", "requestID", Kind::kString},
    {"eventid", "eventID", Kind::kString},
    {"readonly", "readOnly", Kind::kBool},
    {"resources", "resources", Kind::kStruct},
    {"eventtype", "eventType", Kind::kString},
    {"apiversion", "apiVersion", Kind::kString},
    {"recipientaccountid", "recipientAccountId", Kind::kString},
    {"serviceeventdetails", "serviceEventDetails", Kind::kJson},
    {"sharedeventid", "sharedEventID", Kind::kString},
    {"vpcendpointid", "vpcEndpointId", Kind::kString},
    {"vpcendpointaccountid", "vpcEndpointAccountId", Kind::kString},
    {"eventcategory", "eventCategory", Kind::kString},
    {"tlsdetails", "tlsDetails", Kind::kStruct},
};

// The struct members' names as CloudTrail writes them. A map's keys (webIdFederationData's
// attributes) are not in here and stay as they are.
const std::pair<const char*, const char*> kMemberNames[] = {
    {"principalid", "principalId"}, {"accountid", "accountId"}, {"invokedby", "invokedBy"},
    {"accesskeyid", "accessKeyId"}, {"username", "userName"}, {"onbehalfof", "onBehalfOf"},
    {"userid", "userId"}, {"identitystorearn", "identityStoreArn"}, {"sessioncontext", "sessionContext"},
    {"mfaauthenticated", "mfaAuthenticated"}, {"creationdate", "creationDate"},
    {"sessionissuer", "sessionIssuer"}, {"ec2roledelivery", "ec2RoleDelivery"},
    {"sourceidentity", "sourceIdentity"}, {"webidfederationdata", "webIdFederationData"},
    {"federatedprovider", "federatedProvider"}, {"tlsversion", "tlsVersion"}, {"ciphersuite", "cipherSuite"},
    {"clientprovidedhostheader", "clientProvidedHostHeader"},
};

std::string MemberName(const std::string& name, bool resource) {
  if (resource && name == "arn") return "ARN";  // resources[].ARN
  for (const auto& [lower, camel] : kMemberNames) {
    if (name == lower) return camel;
  }
  return name;
}

// The struct as CloudTrail has it: members renamed, absent (null) members left out. `name` is
// the restored object's own key: webIdFederationData's `attributes` is a map, its keys kept.
nlohmann::ordered_json Restore(const nlohmann::ordered_json& value, bool resource, const std::string& name, bool keep_names) {
  if (value.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& item : value) out.push_back(Restore(item, resource, name, false));
    return out;
  }
  if (!value.is_object()) return value;
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [member_name, member] : value.items()) {
    if (member.is_null()) continue;
    const std::string key = keep_names ? member_name : MemberName(member_name, resource);
    out[key] = Restore(member, resource, key, name == "webIdFederationData" && key == "attributes");
  }
  return out;
}

std::optional<std::string> CellText(const nlohmann::json& cell) {
  if (!cell.is_object()) return std::nullopt;
  const auto text = cell.find("VarCharValue");
  if (text == cell.end() || !text->is_string()) return std::nullopt;  // NULL: no VarCharValue
  return text->get<std::string>();
}

}  // namespace

std::string AthenaRecordColumns() {
  std::string out;
  for (const Column& c : kColumns) {
    if (!out.empty()) out += ", ";
    out += c.kind == Kind::kStruct ? fmt::format("json_format(CAST({0} AS JSON)) AS {0}", c.name) : c.name;
  }
  return out;
}

std::vector<std::string> AthenaRecordColumnNames() {
  std::vector<std::string> out;
  for (const Column& c : kColumns) out.emplace_back(c.name);
  return out;
}

Result<std::string> RecordsFromPage(const nlohmann::json& page, bool first_page, size_t* rows) {
  const nlohmann::json* list = nullptr;
  const nlohmann::json& rows_json = JAt(JAt(page, "ResultSet"), "Rows");
  if (rows_json.is_array()) list = &rows_json;
  if (list == nullptr) return MakeError(ErrorCode::kCorruptInput, "GetQueryResults: the answer has no ResultSet.Rows");
  std::string out;
  size_t i = 0;
  if (first_page && !list->empty()) {
    const nlohmann::json& header = JAt((*list)[0], "Data");
    bool matches = header.is_array() && header.size() == std::size(kColumns);
    for (size_t c = 0; matches && c < header.size(); ++c) matches = CellText(header[c]) == kColumns[c].name;
    if (!matches) {
      return MakeError(ErrorCode::kCorruptInput,
                       "GetQueryResults: the columns are not the records query's (" + header.dump().substr(0, 200) + ")");
    }
    i = 1;
  }
  for (; i < list->size(); ++i) {
    const nlohmann::json& data = JAt((*list)[i], "Data");
    if (!data.is_array() || data.size() != std::size(kColumns)) {
      return MakeError(ErrorCode::kCorruptInput, fmt::format("GetQueryResults: row {} has not {} columns", i, std::size(kColumns)));
    }
    // In the order CloudTrail writes them (ordered: Sigma reads objects as their text).
    nlohmann::ordered_json record = nlohmann::ordered_json::object();
    for (size_t c = 0; c < data.size(); ++c) {
      const std::optional<std::string> text = CellText(data[c]);
      if (!text) continue;
      const Column& column = kColumns[c];
      switch (column.kind) {
        case Kind::kString:
          record[column.key] = *text;
          break;
        case Kind::kBool:
          if (*text == "true" || *text == "false") record[column.key] = *text == "true";
          else record[column.key] = *text;
          break;
        case Kind::kJson:
        case Kind::kStruct: {
          // Objects and arrays come back as JSON; anything else is the text it was. Nesting
          // deeper than any record is kept as text, never parsed (recursion).
          nlohmann::ordered_json parsed = JsonNestingDepth(*text) > kMaxNesting
                                              ? nlohmann::ordered_json(nlohmann::ordered_json::value_t::discarded)
                                              : nlohmann::ordered_json::parse(*text, nullptr, false);
          const bool structured = !parsed.is_discarded() && (parsed.is_object() || parsed.is_array());
          if (!structured) {
            record[column.key] = *text;
          } else {
            record[column.key] = column.kind == Kind::kStruct ? Restore(parsed, column.name == std::string("resources"), column.key, false)
                                                              : std::move(parsed);
          }
          break;
        }
      }
    }
    out += record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    out += '\n';
    ++*rows;
  }
  return out;
}

}  // namespace lir
