// The AWS layer's pure parts: error parsing per protocol, standard-mode retries and the
// retry quota on a fake clock, the rate limiter, endpoints, and redaction for --debug.
#include <gtest/gtest.h>

#include "aws/aws_error.h"
#include "aws/endpoints.h"
#include "aws/retry.h"
#include "aws/wire_log.h"

namespace lir::aws {
namespace {

TEST(AwsErrors, EachProtocolsShape) {
  HttpResponse lambda{404, {{"x-amzn-RequestId", "req-1"}, {"x-amzn-ErrorType", "ResourceNotFoundException:http://internal"}},
                      R"({"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:1:function:x"})"};
  Error e = ParseServiceError(Protocol::kRestJson, lambda);
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.service_code, "ResourceNotFoundException");
  EXPECT_EQ(e.request_id, "req-1");
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.message, "ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:1:function:x (HTTP 404, request id req-1)");

  HttpResponse cloudtrail{400, {{"x-amzn-RequestId", "req-2"}},
                          R"({"__type":"com.amazonaws.cloudtrail.v20131101#ThrottlingException","message":"Rate exceeded"})"};
  e = ParseServiceError(Protocol::kJson, cloudtrail);
  EXPECT_EQ(e.code, ErrorCode::kThrottled);
  EXPECT_EQ(e.service_code, "ThrottlingException");
  EXPECT_TRUE(e.retryable());

  HttpResponse iam{403, {},
                   "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
                   "<Code>AccessDenied</Code><Message>User is not authorized</Message></Error>"
                   "<RequestId>req-3</RequestId></ErrorResponse>"};
  e = ParseServiceError(Protocol::kQuery, iam);
  EXPECT_EQ(e.service_code, "AccessDenied");
  EXPECT_EQ(e.code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(e.request_id, "req-3");
  EXPECT_FALSE(e.retryable());

  HttpResponse s3{503, {{"x-amz-request-id", "req-4"}},
                  "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"};
  e = ParseServiceError(Protocol::kRestXml, s3);
  EXPECT_EQ(e.code, ErrorCode::kThrottled);
  EXPECT_EQ(e.request_id, "req-4");

  HttpResponse ec2{403, {},
                   "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this "
                   "operation.</Message></Error></Errors><RequestID>req-5</RequestID></Response>"};
  e = ParseServiceError(Protocol::kEc2, ec2);
  EXPECT_EQ(e.code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(e.request_id, "req-5");  // EC2 spells it RequestID
  EXPECT_EQ(e.message, "UnauthorizedOperation: You are not authorized to perform this operation. (HTTP 403, request id req-5)");

  HttpResponse gateway{502, {}, "<html>Bad Gateway</html>"};
  e = ParseServiceError(Protocol::kRestJson, gateway);
  EXPECT_EQ(e.service_code, "HTTP502");
  EXPECT_EQ(e.code, ErrorCode::kUnavailable);
}

// A message may quote what an attacker named (a resource, a policy document); it is printed as
// it is wherever the error goes, so no terminal control sequence gets through.
TEST(AwsErrors, AMessageCarriesNoTerminalControl) {
  HttpResponse answer{400, {{"x-amzn-RequestId", "req-\x1b[2J"}},
                      R"({"__type":"InvalidParameterValueException","message":"Policy \u001b]0;owned\u0007x\r\nlambda-ir: all clear"})"};
  const Error e = ParseServiceError(Protocol::kRestJson, answer);
  EXPECT_EQ(e.message, "InvalidParameterValueException: Policy ?]0;owned?x??lambda-ir: all clear (HTTP 400, request id req-?[2J)");
  EXPECT_EQ(e.service_code, "InvalidParameterValueException");
  EXPECT_EQ(e.request_id, "req-?[2J");
}

// One taxonomy from the codes each service really sends (botocore's models and the services'
// error references), decided in aws/ once: call sites never compare service codes.
TEST(AwsErrors, ClassifiedFromCodeThenStatus) {
  struct Case {
    const char* code;
    int status;
    ErrorCode want;
  };
  const Case cases[] = {
      {"AccessDeniedException", 403, ErrorCode::kPermissionDenied},  // Lambda, CloudTrail, Logs
      {"AccessDenied", 403, ErrorCode::kPermissionDenied},           // IAM, STS, S3
      {"", 403, ErrorCode::kPermissionDenied},                       // a proxy's bare 403
      {"ExpiredToken", 403, ErrorCode::kUnauthenticated},            // STS/IAM: 403 too, but not a permission
      {"ExpiredTokenException", 403, ErrorCode::kUnauthenticated},
      {"InvalidClientTokenId", 403, ErrorCode::kUnauthenticated},
      {"UnrecognizedClientException", 403, ErrorCode::kUnauthenticated},  // an opt-in region not enabled
      {"InvalidSignatureException", 403, ErrorCode::kUnauthenticated},
      {"SignatureDoesNotMatch", 403, ErrorCode::kUnauthenticated},
      {"", 404, ErrorCode::kUnsupported},  // moto's HTML 404 for provisioned concurrency
      {"UnknownOperationException", 400, ErrorCode::kUnsupported},
      {"InvalidAction", 400, ErrorCode::kUnsupported},
      {"ResourceNotFoundException", 404, ErrorCode::kNotFound},
      {"ProvisionedConcurrencyConfigNotFoundException", 404, ErrorCode::kNotFound},
      {"NoSuchEntity", 404, ErrorCode::kNotFound},
      {"ResourceConflictException", 409, ErrorCode::kConflict},
      {"ResourceInUseException", 400, ErrorCode::kConflict},
      {"EntityAlreadyExists", 409, ErrorCode::kConflict},
      {"ConcurrentModification", 409, ErrorCode::kConflict},
      {"TooManyRequestsException", 429, ErrorCode::kThrottled},
      {"Throttling", 400, ErrorCode::kThrottled},
      {"ServiceException", 500, ErrorCode::kUnavailable},
      {"", 503, ErrorCode::kUnavailable},
      {"InvalidParameterValueException", 400, ErrorCode::kInvalidRequest},
      {"ValidationException", 400, ErrorCode::kInvalidRequest},
      {"MalformedPolicyDocument", 400, ErrorCode::kInvalidRequest},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ClassifyServiceError(c.code, c.status), c.want) << c.code << " " << c.status;
  }
}

TEST(AwsErrors, RemedyNamesTheMissingActionOrWhatToDo) {
  Error denied{ErrorCode::kPermissionDenied, "ListProvisionedConcurrencyConfigs: AccessDeniedException: ..."};
  denied.operation = "ListProvisionedConcurrencyConfigs";
  denied.iam_action = "lambda:ListProvisionedConcurrencyConfigs";
  EXPECT_EQ(RemedyFor(denied), "grant lambda:ListProvisionedConcurrencyConfigs to the caller");
  Error expired{ErrorCode::kUnauthenticated, "GetFunction: ExpiredTokenException: ..."};
  EXPECT_EQ(RemedyFor(expired).rfind("the credentials are missing, invalid or expired", 0), 0u);
  Error missing{ErrorCode::kUnsupported, "x"};
  missing.operation = "ListProvisionedConcurrencyConfigs";
  EXPECT_EQ(RemedyFor(missing), "the endpoint does not implement ListProvisionedConcurrencyConfigs");
}

struct FakeClock {
  std::vector<int64_t> sleeps;
  double r = 1.0;
  bool interrupted = false;  // every sleep is cut short, as by Ctrl-C
  RetryClock clock() {
    return {[this](int64_t ms) {
              sleeps.push_back(ms);
              return !interrupted;
            },
            [this] { return r; }};
  }
};

Error Fault(ErrorCode code, const char* service_code) {
  Error e{code, service_code};
  e.service_code = service_code;
  return e;
}

// Runs a call that is throttled every time, counting its attempts.
Result<int> AlwaysThrottled(RetryStrategy& retry, int* calls) {
  return retry.Run<int>(true, [calls](int) -> Result<int> {
    ++*calls;
    return tl::unexpected(Fault(ErrorCode::kThrottled, "ThrottlingException"));
  });
}

TEST(Retry, StandardModeBackoffAndAttempts) {
  FakeClock fake;
  fake.r = 0.999999;
  RetryQuota quota;
  RetryStrategy retry(5, &quota, fake.clock());
  int calls = 0;
  auto result = AlwaysThrottled(retry, &calls);
  EXPECT_FALSE(result);
  EXPECT_EQ(calls, 5);
  // Full jitter under 1 s, 2 s, 4 s, 8 s: with r ~ 1 the caps themselves.
  EXPECT_EQ(fake.sleeps, (std::vector<int64_t>{999, 1999, 3999, 7999}));
  EXPECT_EQ(quota.available(), 500 - 4 * 5);
  EXPECT_EQ(RetryStrategy(10, &quota, fake.clock()).BackoffMs(9), 19999);  // capped at 20 s
}

// Ctrl-C during a back-off (the sleep cut short): the last failure comes back at once, with
// no more attempts, so the Athena wait can stop its query instead of sleeping up to 20 s more.
TEST(Retry, AnInterruptedBackoffEndsTheRetries) {
  FakeClock fake;
  fake.r = 0.5;
  fake.interrupted = true;
  RetryQuota quota;
  RetryStrategy retry(5, &quota, fake.clock());
  int calls = 0;
  auto result = AlwaysThrottled(retry, &calls);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().service_code, "ThrottlingException");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(fake.sleeps, (std::vector<int64_t>{500}));
}

TEST(Retry, SuccessAfterRetriesRefundsTheQuota) {
  FakeClock fake;
  RetryQuota quota;
  RetryStrategy retry(3, &quota, fake.clock());
  auto result = retry.Run<int>(true, [&](int attempt) -> Result<int> {
    if (attempt < 2) return tl::unexpected(Fault(ErrorCode::kUnavailable, "HTTP500"));
    return 42;
  });
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, 42);
  EXPECT_EQ(quota.available(), 500);
}

TEST(Retry, NonIdempotentCallsAreRetriedOnlyWhenRefused) {
  FakeClock fake;
  RetryQuota quota;
  RetryStrategy retry(3, &quota, fake.clock());
  int calls = 0;
  // A reset connection may have reached the service: a non-idempotent call is not repeated.
  auto reset = retry.Run<int>(false, [&](int) -> Result<int> {
    ++calls;
    return tl::unexpected(Fault(ErrorCode::kUnavailable, "ConnectionError"));
  });
  EXPECT_FALSE(reset);
  EXPECT_EQ(calls, 1);
  calls = 0;
  auto throttled = retry.Run<int>(false, [&](int attempt) -> Result<int> {
    ++calls;
    if (attempt == 1) return tl::unexpected(Fault(ErrorCode::kThrottled, "TooManyRequestsException"));
    return 1;
  });
  EXPECT_TRUE(throttled);
  EXPECT_EQ(calls, 2);
  // Client errors are never retried.
  calls = 0;
  EXPECT_FALSE(retry.Run<int>(true, [&](int) -> Result<int> {
    ++calls;
    return tl::unexpected(Fault(ErrorCode::kInvalidArgument, "AccessDenied"));
  }));
  EXPECT_EQ(calls, 1);
}

TEST(Retry, QuotaStopsARetryStorm) {
  FakeClock fake;
  RetryQuota quota(12);  // a retry after a timeout costs 10: room for one
  RetryStrategy retry(5, &quota, fake.clock());
  int calls = 0;
  EXPECT_FALSE(retry.Run<int>(true, [&](int) -> Result<int> {
    ++calls;
    return tl::unexpected(Fault(ErrorCode::kUnavailable, "Timeout"));
  }));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(quota.available(), 2);
}

TEST(RateLimiter, SpacesCallsToTheRate) {
  int64_t now = 1'000'000;
  std::vector<int64_t> waits;
  RateLimiter limiter(2.0, [&] { return now; }, [&](int64_t ms) {
    waits.push_back(ms);
    now += ms;
  });
  for (int i = 0; i < 5; ++i) limiter.Acquire();
  EXPECT_EQ(waits, (std::vector<int64_t>{500, 500, 500, 500}));
  now += 10'000;  // idle: the next call goes at once
  limiter.Acquire();
  EXPECT_EQ(waits.size(), 4u);
}

TEST(Endpoints, Partitions) {
  EXPECT_EQ(DefaultEndpoint(Service::kLambda, "eu-west-1").url, "https://lambda.eu-west-1.amazonaws.com");
  EXPECT_EQ(DefaultEndpoint(Service::kLogs, "cn-north-1").url, "https://logs.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(DefaultEndpoint(Service::kCloudWatch, "us-gov-west-1").url, "https://monitoring.us-gov-west-1.amazonaws.com");
  const Endpoint iam = DefaultEndpoint(Service::kIam, "eu-west-1");
  EXPECT_EQ(iam.url, "https://iam.amazonaws.com");
  EXPECT_EQ(iam.signing_region, "us-east-1");
  EXPECT_EQ(DefaultEndpoint(Service::kIam, "cn-northwest-1").url, "https://iam.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(DefaultEndpoint(Service::kIam, "us-gov-east-1").signing_region, "us-gov-west-1");
}

TEST(Redaction, SecretsNeverReachTheDebugLog) {
  EXPECT_EQ(RedactHeaderValue("Authorization",
                              "AWS4-HMAC-SHA256 Credential=AKID/20261127/us-east-1/sts/aws4_request, SignedHeaders=host, "
                              "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
            "AWS4-HMAC-SHA256 Credential=AKID/20261127/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=<redacted>");
  EXPECT_EQ(RedactHeaderValue("X-Amz-Security-Token", "FwoGZXIvYXdzE"), "<redacted>");
  EXPECT_EQ(RedactUrl("https://b.s3.amazonaws.com/k?X-Amz-Credential=AKID%2F2026&X-Amz-Signature=abc&X-Amz-Security-Token=t&x=1"),
            "https://b.s3.amazonaws.com/k?X-Amz-Credential=<redacted>&X-Amz-Signature=<redacted>&X-Amz-Security-Token=<redacted>&x=1");
  const std::string sts = "<Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>wJalr/secret</SecretAccessKey>"
                          "<SessionToken>IQoJb3JpZ2lu</SessionToken></Credentials>";
  EXPECT_EQ(RedactBody(sts), "<Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey><redacted></SecretAccessKey>"
                             "<SessionToken><redacted></SessionToken></Credentials>");
  const std::string lambda = R"({"FunctionName":"f","Environment":{"Variables":{"DB_PASSWORD":"hunter2","API":"k"}},"Timeout":3})";
  EXPECT_EQ(RedactBody(lambda), R"({"FunctionName":"f","Environment":{"Variables":{"DB_PASSWORD":"<redacted>","API":"<redacted>"}},"Timeout":3})");
  EXPECT_EQ(RedactBody(R"({"Code":{"Location":"https://b.s3.amazonaws.com/x.zip?X-Amz-Security-Token=tok&X-Amz-Signature=ab12"}})"),
            R"({"Code":{"Location":"https://b.s3.amazonaws.com/x.zip?X-Amz-Security-Token=<redacted>&X-Amz-Signature=<redacted>"}})");
  EXPECT_EQ(RedactBody(R"({"AccessKeyId":"A","SecretAccessKey":"s3cr3t","Token":"tok"})"),
            R"({"AccessKeyId":"A","SecretAccessKey":"<redacted>","Token":"<redacted>"})");
}

// The redaction used to be a pattern that stopped at the first '}': a value holding one let
// every later variable print in clear.
TEST(Redaction, AnEnvironmentValueWithABraceHidesNothingAfterIt) {
  const std::string body = R"({"Environment":{"Variables":{"A":"x}y","DB_PASSWORD":"hunter2","T":"{\"k\":\"v\"}"}},"NextToken":"p2"})";
  const std::string shown = RedactBody(body);
  EXPECT_EQ(shown, R"({"Environment":{"Variables":{"A":"<redacted>","DB_PASSWORD":"<redacted>","T":"<redacted>"}},"NextToken":"p2"})");
}

// LookupEvents carries each record as a JSON string (AssumeRole's credentials inside), and a
// compromised function's log line may be its dumped environment.
TEST(Redaction, SecretsInsideStringValuesToo) {
  const std::string lookup =
      R"({"Events":[{"CloudTrailEvent":"{\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIA1\",\"sessionToken\":\"IQoJ\"}}}"}]})";
  EXPECT_EQ(RedactBody(lookup),
            R"({"Events":[{"CloudTrailEvent":"{\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIA1\",\"sessionToken\":\"<redacted>\"}}}"}]})");
  EXPECT_EQ(RedactBody(R"({"events":[{"message":"env AWS_SECRET_ACCESS_KEY=wJalr AWS_REGION=us-east-1 AWS_SESSION_TOKEN=IQo,x"}]})"),
            R"({"events":[{"message":"env AWS_SECRET_ACCESS_KEY=<redacted> AWS_REGION=us-east-1 AWS_SESSION_TOKEN=<redacted>,x"}]})");
}

// A role's external id guards it against the confused deputy: the debug log does not spread it.
TEST(Redaction, AssumeRolesExternalIdIsNotShown) {
  EXPECT_EQ(RedactBody("Action=AssumeRole&ExternalId=ext-4711&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&Version=2011-06-15"),
            "Action=AssumeRole&ExternalId=<redacted>&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&Version=2011-06-15");
}

TEST(Redaction, JsonThatDoesNotParseIsNotShown) {
  EXPECT_EQ(RedactBody(R"({"Variables":{"A":"hunter2")"), "(27 bytes of JSON that does not parse, not shown)");
  EXPECT_EQ(RedactBody(std::string(100, '[') + std::string(100, ']')), "(200 bytes of JSON nested too deep to show)");
}

// std::regex recursed per character: 200 KB after a signature overflowed the stack.
TEST(Redaction, LongValuesCostOnePass) {
  const std::string tail(200 * 1024, 'a');
  EXPECT_EQ(RedactUrl("https://h/k?X-Amz-Signature=" + tail + "&x=1"), "https://h/k?X-Amz-Signature=<redacted>&x=1");
  const std::string form = "Action=AssumeRoleWithWebIdentity&WebIdentityToken=" + tail + "&Version=2011-06-15";
  EXPECT_EQ(RedactBody(form), "Action=AssumeRoleWithWebIdentity&WebIdentityToken=<redacted>&Version=2011-06-15");
  const std::string env = R"({"Environment":{"Variables":{"BIG":")" + tail + R"("}}})";
  EXPECT_EQ(RedactBody(env), R"({"Environment":{"Variables":{"BIG":"<redacted>"}}})");
  EXPECT_EQ(RedactHeaderValue("Authorization", "AWS4-HMAC-SHA256 Credential=A/x, SignedHeaders=host, Signature=" + tail),
            "AWS4-HMAC-SHA256 Credential=A/x, SignedHeaders=host, Signature=<redacted>");
}

}  // namespace
}  // namespace lir::aws
