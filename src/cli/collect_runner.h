// collect's steps, shared with investigate.
#pragma once

#include <string>

#include "cli/aws_options.h"
#include "cli/place_options.h"
#include "evidence/log_collector.h"

namespace CLI {
class App;
}

namespace lir {

struct CollectArgs {
  AwsCliArgs aws;
  PlaceArgs place;  // --accounts, --regions: where to look for the function
  std::string function;
  std::string case_dir;
  bool skip_packages = false;
  std::string since = "7d", until;
  bool skip_cloudtrail = false;
  int jobs = 8;
  std::string cloudtrail;  // DIR or s3://BUCKET/PREFIX: a trail archive instead of LookupEvents
  bool skip_logs = false;
  bool skip_metrics = false;
  std::string baseline = "7d";
  size_t max_log_events = kDefaultMaxLogEvents;
  // The custody head is the last thing a command prints about a case: a command that adds
  // more after collecting (investigate) prints it itself, once it is final.
  bool print_custody_head = true;
  bool quiet = false;  // no progress line
};

// Collects into a new case; `case_dir_out` receives its path. Returns the exit code.
int RunCollect(const CollectArgs& args, std::string* case_dir_out);
void AddCollectOptions(CLI::App* command, CollectArgs* args);

}  // namespace lir
