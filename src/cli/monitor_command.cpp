#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/aws_options.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/format_option.h"
#include "core/strings.h"
#include "response/aws_calls.h"
#include "core/aws_cli_line.h"
#include "response/monitor.h"

namespace lir {
namespace {

struct MonitorArgs {
  AwsCliArgs aws;
  bool dry_run = false;
  std::string now;  // for testing an expiry without waiting: ISO-8601 or epoch ms
  std::string format = "text";  // list: text | json
};

int RunMonitor(const MonitorArgs& args, bool cleanup) {
  TimestampMs now = NowMs();
  if (!args.now.empty()) {
    auto parsed = ParseTimeArgument(args.now, now);
    if (!parsed) {
      fmt::print(stderr, "lambda-ir: --now: {}\n", parsed.error().message);
      return kExitUsage;
    }
    now = *parsed;
  }
  auto live = OpenSession(args.aws);
  if (!live) return kExitUsage;
  AwsCalls calls(*live->session);
  auto alarms = ListMonitorAlarms(calls);
  if (!alarms) {
    fmt::print(stderr, "lambda-ir: monitor: {}\n", alarms.error().message);
    return kExitAws;
  }
  std::vector<std::string> expired;
  nlohmann::ordered_json listed = nlohmann::ordered_json::array();
  for (const auto& a : *alarms) {
    const bool is_expired = a.expires != 0 && a.expires <= now;
    if (is_expired) expired.push_back(a.name);
    if (cleanup) continue;
    if (args.format == "json") {
      listed.push_back({{"AlarmName", a.name},
                        {"Expires", a.expires ? nlohmann::ordered_json(FormatIso8601(a.expires)) : nlohmann::ordered_json(nullptr)},
                        {"Expired", is_expired}});
    } else {
      fmt::print("{:<48} {} {}\n", SanitizeForTerminal(a.name), a.expires ? FormatIso8601(a.expires) : "(no expiry tag: left alone)",
                 is_expired ? "expired" : "");
    }
  }
  if (!cleanup) {
    if (args.format == "json") fmt::print("{}\n", listed.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    return kExitOk;
  }
  AwsCliGlobals globals{args.aws.aws.profile, args.aws.aws.region, args.aws.aws.endpoint_url};
  for (const auto& name : expired) {
    fmt::print("{}\n", args.dry_run ? AwsCliLine("cloudwatch", "delete-alarms", {{"--alarm-names", name}}, globals)
                                    : "deleted " + SanitizeForTerminal(name));
  }
  if (args.dry_run) return kExitOk;
  if (auto r = DeleteAlarms(calls, expired); !r) {
    fmt::print(stderr, "lambda-ir: monitor cleanup: {}\n", r.error().message);
    return kExitAws;
  }
  fmt::print("{} expired alarms removed, {} kept\n", expired.size(), alarms->size() - expired.size());
  return kExitOk;
}

}  // namespace

void RegisterMonitorCommand(CLI::App& app, int* exit_code) {
  CLI::App* monitor = app.add_subcommand("monitor", "The post-incident alarms recover --monitor creates");
  monitor->require_subcommand(1);
  for (const bool cleanup : {false, true}) {
    auto args = std::make_shared<MonitorArgs>();
    CLI::App* cmd = monitor->add_subcommand(cleanup ? "cleanup" : "list",
                                            cleanup ? "Delete the alarms whose expiry tag has passed" : "List the alarms and their expiry");
    if (cleanup) cmd->add_flag("--dry-run", args->dry_run, "Print the aws CLI lines; delete nothing");
    cmd->add_option("--now", args->now, "Treat this time as now (ISO-8601 or epoch ms)");
    if (!cleanup) AddFormatOption(cmd, &args->format, {"text", "json"});
    AddAwsOptions(cmd, &args->aws);
    cmd->footer(cleanup ? "Examples:\n"
                          "  lambda-ir monitor cleanup --dry-run\n"
                          "  lambda-ir monitor cleanup --profile incident --region eu-west-1"
                        : "Examples:\n"
                          "  lambda-ir monitor list\n"
                          "  lambda-ir monitor list --format json --region eu-west-1");
    cmd->callback([args, exit_code, cleanup] { *exit_code = RunMonitor(*args, cleanup); });
  }
}

}  // namespace lir
