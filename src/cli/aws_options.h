// The AWS CLI's flags, shared by every live command.
#pragma once

#include <memory>
#include <string>

#include "aws/aws_session.h"
#include "aws/environment.h"
#include "aws/wire_log.h"

namespace CLI {
class App;
}

namespace lir {

struct AwsCliArgs {
  aws::AwsOptions aws;
  std::string output = "json";  // json | table | text
  bool debug = false;
};

void AddAwsOptions(CLI::App* command, AwsCliArgs* args);

// The session for a live command; prints the error and returns null when configuration
// is unusable (unknown profile, malformed config file).
struct LiveSession {
  aws::ProcessEnvironment env;
  std::unique_ptr<aws::WireLog> wire_log;
  std::unique_ptr<aws::AwsSession> session;
};
std::unique_ptr<LiveSession> OpenSession(const AwsCliArgs& args);

}  // namespace lir
