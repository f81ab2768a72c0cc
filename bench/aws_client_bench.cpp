// Per-request cost of lambda-ir's AWS client against a local endpoint (moto), sequential
// and with several requests in flight. Every response is checked before the time counts.
// Usage: lir_aws_bench ENDPOINT CALLS THREADS   (prints JSON)
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "aws/api_caller.h"
#include "aws/aws_session.h"

using namespace lir::aws;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s ENDPOINT CALLS THREADS\n", argv[0]);
    return 2;
  }
  const std::string endpoint = argv[1];
  const int calls = std::atoi(argv[2]), threads = std::atoi(argv[3]);
  MapEnvironment env({{"HOME", "/nonexistent"}, {"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"},
                      {"AWS_DEFAULT_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL", endpoint}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  auto session = std::move(*AwsSession::Create({}, env, nullptr));
  const CallParams params{{{"FunctionName", "payments"}}};
  std::atomic<int> wrong{0};
  auto one = [&](ApiCaller& caller) {
    auto r = caller.Call(Op(Service::kLambda, "GetFunctionConfiguration"), params);
    if (!r || r->doc["FunctionName"] != "payments") ++wrong;
  };
  ApiCaller warm(Service::kLambda, session->context());
  one(warm);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < calls; ++i) one(warm);
  const double sequential = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::atomic<int> next{0};
  t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      ApiCaller caller(Service::kLambda, session->context());
      while (next++ < calls) one(caller);
    });
  }
  for (auto& t : pool) t.join();
  const double concurrent = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"calls\": %d, \"threads\": %d, \"sequential_s\": %.4f, \"concurrent_s\": %.4f, \"wrong\": %d}\n", calls, threads,
              sequential, concurrent, wrong.load());
  return wrong.load() == 0 ? 0 : 1;
}
