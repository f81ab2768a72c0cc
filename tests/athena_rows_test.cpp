// CloudTrail records rebuilt from Athena's rows: the names CloudTrail writes, NULLs left out,
// maps' keys kept, and answers of another shape refused by what is wrong with them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/strings.h"
#include "sources/athena_rows.h"

namespace lir {
namespace {

constexpr const char* kColumnNames[] = {
    "eventversion", "useridentity", "eventtime", "eventsource", "eventname", "awsregion", "sourceipaddress",
    "useragent", "errorcode", "errormessage", "requestparameters", "responseelements", "additionaleventdata",
    "requestid", "eventid", "readonly", "resources", "eventtype", "apiversion", "recipientaccountid",
    "serviceeventdetails", "sharedeventid", "vpcendpointid", "vpcendpointaccountid", "eventcategory", "tlsdetails"};

nlohmann::json Row(const std::map<std::string, std::string>& values) {
  nlohmann::json data = nlohmann::json::array();
  for (const char* name : kColumnNames) {
    const auto found = values.find(name);
    data.push_back(found == values.end() ? nlohmann::json::object() : nlohmann::json({{"VarCharValue", found->second}}));
  }
  return {{"Data", data}};
}

nlohmann::json Page(std::vector<nlohmann::json> rows, bool header) {
  nlohmann::json list = nlohmann::json::array();
  if (header) {
    nlohmann::json data = nlohmann::json::array();
    for (const char* name : kColumnNames) data.push_back({{"VarCharValue", name}});
    list.push_back({{"Data", data}});
  }
  for (auto& row : rows) list.push_back(std::move(row));
  return {{"ResultSet", {{"Rows", list}}}};
}

TEST(AthenaRows, SelectListIsTheColumnsInOrderWithStructsAsJson) {
  EXPECT_EQ(AthenaRecordColumns(),
            "eventversion, json_format(CAST(useridentity AS JSON)) AS useridentity, eventtime, eventsource, eventname, "
            "awsregion, sourceipaddress, useragent, errorcode, errormessage, requestparameters, responseelements, "
            "additionaleventdata, requestid, eventid, readonly, json_format(CAST(resources AS JSON)) AS resources, "
            "eventtype, apiversion, recipientaccountid, serviceeventdetails, sharedeventid, vpcendpointid, "
            "vpcendpointaccountid, eventcategory, "
            "json_format(CAST(tlsdetails AS JSON)) AS tlsdetails");
}

TEST(AthenaRows, ARowBecomesTheRecordCloudTrailWrote) {
  const nlohmann::json page = Page(
      {Row({{"eventversion", "1.09"},
            {"useridentity",
             R"({"type":"AssumedRole","principalid":"AROA:s","arn":"arn:aws:sts::111122223333:assumed-role/r/s","accountid":"111122223333","invokedby":null,"sessioncontext":{"attributes":{"mfaauthenticated":"false","creationdate":"2026-11-26T14:00:00Z"},"sessionissuer":{"type":"Role","username":"r"},"webidfederationdata":{"federatedprovider":"cognito","attributes":{"cognito-identity.amazonaws.com:amr":"x"}}}})"},
            {"eventtime", "2026-11-26T14:09:19Z"},
            {"eventsource", "lambda.amazonaws.com"},
            {"eventname", "UpdateFunctionCode20150331v2"},
            {"requestparameters", R"({"functionName":"f","layers":["a","b"]})"},
            {"responseelements", "not json"},
            {"readonly", "false"},
            {"resources", R"([{"arn":"arn:aws:lambda:us-east-1:111122223333:function:f","accountid":"111122223333","type":"AWS::Lambda::Function"}])"},
            {"recipientaccountid", "111122223333"}})},
      true);
  size_t rows = 0;
  const auto records = RecordsFromPage(page, true, &rows);
  ASSERT_TRUE(records) << records.error().message;
  EXPECT_EQ(rows, 1u);
  EXPECT_EQ(*records,
            R"({"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROA:s",)"
            R"("arn":"arn:aws:sts::111122223333:assumed-role/r/s","accountId":"111122223333","sessionContext":)"
            R"({"attributes":{"mfaAuthenticated":"false","creationDate":"2026-11-26T14:00:00Z"},"sessionIssuer":)"
            R"({"type":"Role","userName":"r"},"webIdFederationData":{"federatedProvider":"cognito","attributes":)"
            R"({"cognito-identity.amazonaws.com:amr":"x"}}}},"eventTime":"2026-11-26T14:09:19Z",)"
            R"("eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionCode20150331v2",)"
            R"("requestParameters":{"functionName":"f","layers":["a","b"]},"responseElements":"not json",)"
            R"("readOnly":false,"resources":[{"ARN":"arn:aws:lambda:us-east-1:111122223333:function:f",)"
            R"("accountId":"111122223333","type":"AWS::Lambda::Function"}],"recipientAccountId":"111122223333"})"
            "\n");
}

// Nesting deeper than any record is kept as the text it was, never parsed (a parser and a
// tree walk that recurse would overflow the stack on a crafted value).
TEST(AthenaRows, DeepNestingStaysText) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  size_t rows = 0;
  const auto records = RecordsFromPage(Page({Row({{"eventname", "X"}, {"requestparameters", deep}})}, false), false, &rows);
  ASSERT_TRUE(records) << records.error().message;
  EXPECT_EQ(*records, R"({"eventName":"X","requestParameters":")" + deep + "\"}\n");
}

TEST(AthenaRows, AnAnswerOfAnotherShapeIsRefusedByWhatIsWrong) {
  size_t rows = 0;
  auto no_rows = RecordsFromPage({{"ResultSet", {{"ResultSetMetadata", nlohmann::json::object()}}}}, true, &rows);
  ASSERT_FALSE(no_rows);
  EXPECT_EQ(no_rows.error().message, "GetQueryResults: the answer has no ResultSet.Rows");
  nlohmann::json other = {{"ResultSet", {{"Rows", {{{"Data", {{{"VarCharValue", "eventid"}}}}}}}}}};
  auto header = RecordsFromPage(other, true, &rows);
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().message, R"(GetQueryResults: the columns are not the records query's ([{"VarCharValue":"eventid"}]))");
  auto short_row = RecordsFromPage(other, false, &rows);
  ASSERT_FALSE(short_row);
  EXPECT_EQ(short_row.error().message, "GetQueryResults: row 0 has not 26 columns");
  EXPECT_EQ(rows, 0u);
}

}  // namespace
}  // namespace lir
