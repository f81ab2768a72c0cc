#include <gtest/gtest.h>

#include "sources/event.h"

namespace lir {
namespace {

// Every suffixed name the AWS Lambda developer guide lists, and unsuffixed ones it lists
// without a suffix (function URL calls): see ../shared/corpora/README.md.
TEST(EventName, StripsLambdaApiVersionSuffixes) {
  const std::pair<const char*, const char*> cases[] = {
      {"AddPermission20150331v2", "AddPermission"},
      {"RemovePermission20150331v2", "RemovePermission"},
      {"CreateAlias20150331", "CreateAlias"},
      {"DeleteAlias20150331", "DeleteAlias"},
      {"GetAlias20150331", "GetAlias"},
      {"UpdateAlias20150331", "UpdateAlias"},
      {"CreateEventSourceMapping20150331", "CreateEventSourceMapping"},
      {"DeleteEventSourceMapping20150331", "DeleteEventSourceMapping"},
      {"UpdateEventSourceMapping20150331", "UpdateEventSourceMapping"},
      {"CreateFunction20150331", "CreateFunction"},
      {"DeleteFunction20150331", "DeleteFunction"},
      {"DeleteFunctionConcurrency20171031", "DeleteFunctionConcurrency"},
      {"PutFunctionConcurrency20171031", "PutFunctionConcurrency"},
      {"PublishLayerVersion20181031", "PublishLayerVersion"},
      {"PublishVersion20150331", "PublishVersion"},
      {"TagResource20170331v2", "TagResource"},
      {"UntagResource20170331v2", "UntagResource"},
      {"UpdateFunctionCode20150331v2", "UpdateFunctionCode"},
      {"UpdateFunctionConfiguration20150331v2", "UpdateFunctionConfiguration"},
      {"CreateFunctionUrlConfig", "CreateFunctionUrlConfig"},
      {"UpdateFunctionUrlConfig", "UpdateFunctionUrlConfig"},
      {"CreateFunctionUrlConfig20211031", "CreateFunctionUrlConfig"},
      {"GetFunction", "GetFunction"},
  };
  for (const auto& [raw, want] : cases) {
    EXPECT_EQ(NormalizeEventName("lambda.amazonaws.com", raw), want) << raw;
  }
}

TEST(EventName, LeavesOtherNamesAlone) {
  // Not 8 digits, a 'v' without a date, and other services' names stay as recorded.
  EXPECT_EQ(NormalizeEventName("lambda.amazonaws.com", "Foo2015033v2"), "Foo2015033v2");
  EXPECT_EQ(NormalizeEventName("lambda.amazonaws.com", "Getv2"), "Getv2");
  EXPECT_EQ(NormalizeEventName("lambda.amazonaws.com", "20150331"), "20150331");
  EXPECT_EQ(NormalizeEventName("s3.amazonaws.com", "PutObject20150331"), "PutObject20150331");
}

TEST(EventName, FunctionAndRoleReferences) {
  EXPECT_EQ(FunctionNameFromRef("arn:aws:lambda:us-east-1:111122223333:function:pay:live"), "pay");
  EXPECT_EQ(FunctionNameFromRef("111122223333:function:pay"), "pay");
  EXPECT_EQ(FunctionNameFromRef("pay:3"), "pay");
  EXPECT_EQ(FunctionNameFromRef("pay"), "pay");
  EXPECT_EQ(RoleNameFromRef("arn:aws:iam::111122223333:role/service-role/pay-role"), "pay-role");
  EXPECT_EQ(RoleNameFromRef("pay-role"), "pay-role");
  EXPECT_EQ(AccountFromArnOrId("arn:aws:iam::444455556666:root"), "444455556666");
  EXPECT_EQ(AccountFromArnOrId("444455556666"), "444455556666");
  EXPECT_EQ(AccountFromArnOrId("arn:aws:lambda:us-east-1:444455556666:layer:x:1"), "444455556666");
  EXPECT_EQ(AccountFromArnOrId("s3.amazonaws.com"), "");
  EXPECT_EQ(AccountFromArnOrId("*"), "");
}

}  // namespace
}  // namespace lir
