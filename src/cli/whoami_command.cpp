#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/sts_client.h"
#include "cli/aws_options.h"
#include "cli/commands.h"
#include "cli/format_option.h"
#include "cli/exit_codes.h"

namespace lir {
namespace {

// "AKIAIOSFODNN7EXAMPLE" -> "****************MPLE", as `aws configure list` shows it.
std::string MaskKeyId(const std::string& id) {
  if (id.size() <= 4) return std::string(id.size(), '*');
  return std::string(id.size() - 4, '*') + id.substr(id.size() - 4);
}

int RunWhoami(const AwsCliArgs& args) {
  auto live = OpenSession(args);
  if (!live) return kExitUsage;
  auto creds = live->session->credentials();
  if (!creds) {
    fmt::print(stderr, "lambda-ir: credentials: {}\n", creds.error().message);
    return kExitAws;
  }
  aws::StsClient sts(live->session->context());
  auto identity = sts.GetCallerIdentity();
  if (!identity) {
    fmt::print(stderr, "lambda-ir: {}\n", identity.error().message);
    return kExitAws;
  }
  const auto region = live->session->config().region();
  nlohmann::ordered_json out = {
      {"Account", identity->account},
      {"Arn", identity->arn},
      {"UserId", identity->user_id},
      {"Profile", live->session->config().profile()},
      {"CredentialSource", {{"Method", creds->method}, {"Detail", creds->detail},
                            {"AccessKeyId", MaskKeyId(creds->credentials.keys.access_key_id)}}},
      {"Region", {{"Name", sts.client().region()}, {"Source", region ? region->source : "default (us-east-1)"}}},
      {"Endpoint", {{"Url", sts.client().endpoint()}, {"Source", sts.client().endpoint_source()}}},
  };
  if (args.output == "json") {
    fmt::print("{}\n", out.dump(4));
  } else if (args.output == "text") {
    fmt::print("{}\t{}\t{}\n", identity->account, identity->arn, identity->user_id);
  } else {
    fmt::print("{:<18} {}\n{:<18} {}\n{:<18} {}\n{:<18} {} ({})\n{:<18} {} ({})\n{:<18} {} ({})\n", "Account",
               identity->account, "Arn", identity->arn, "UserId", identity->user_id, "Credentials", creds->method,
               creds->detail, "Region", sts.client().region(), out["Region"]["Source"].get<std::string>(), "Endpoint",
               sts.client().endpoint(), sts.client().endpoint_source());
  }
  return kExitOk;
}

}  // namespace

void RegisterWhoamiCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<AwsCliArgs>();
  CLI::App* cmd = app.add_subcommand("whoami", "Show the caller identity, where the credentials came from, the region and the endpoint");
  AddAwsOptions(cmd, args.get());
  AddFormatOption(cmd, &args->output, {"json", "table", "text"});  // as the aws CLI's --output
  cmd->footer(
      "Examples:\n"
      "  lambda-ir whoami --profile incident\n"
      "  lambda-ir whoami --format table --region eu-west-1");
  cmd->callback([args, exit_code] { *exit_code = RunWhoami(*args); });
}

}  // namespace lir
