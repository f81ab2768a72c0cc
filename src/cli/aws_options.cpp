#include "cli/aws_options.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace lir {

void AddAwsOptions(CLI::App* command, AwsCliArgs* args) {
  command->add_option("--profile", args->aws.profile, "Named profile from ~/.aws/config or ~/.aws/credentials");
  command->add_option("--region", args->aws.region, "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile)");
  command->add_option("--endpoint-url", args->aws.endpoint_url, "Send every AWS call to this URL (e.g. an emulator)");
  // A command with --format has --output as its synonym already (cli/format_option.h).
  if (command->get_option_no_throw("--output") == nullptr) {
    command->add_option("--output", args->output, "json, table or text")->check(CLI::IsMember({"json", "table", "text"}));
  }
  command->add_flag("--debug", args->debug, "Log every AWS request and response to stderr, secrets redacted");
}

std::unique_ptr<LiveSession> OpenSession(const AwsCliArgs& args) {
  auto live = std::make_unique<LiveSession>();
  if (args.debug) live->wire_log = std::make_unique<aws::WireLog>(stderr);
  auto session = aws::AwsSession::Create(args.aws, live->env, live->wire_log.get());
  if (!session) {
    fmt::print(stderr, "lambda-ir: {}\n", session.error().message);
    return nullptr;
  }
  live->session = std::move(*session);
  return live;
}

}  // namespace lir
