// What contain, recover and eradicate share on the command line: the flags that fill a
// ResponseRequest, the terminal that plays the ResponseUi (plans, prompts, outcomes), and
// the exit code of each ResponseStatus.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "cli/aws_options.h"
#include "cli/place_options.h"
#include "response/response_session.h"
#include "response/response_ui.h"

namespace CLI {
class App;
}

namespace lir {

struct ResponseArgs {
  AwsCliArgs aws;
  PlaceArgs place;  // contain, recover, eradicate: --accounts, --regions (AddPlaceOptions)
  ResponseRequest request;
  bool yes = false;
};

// `many`: the command takes several functions (contain does, at once); `required`: at least one
// (harden --undo takes none).
void AddResponseOptions(CLI::App* command, ResponseArgs* args, bool many = false, bool required = true);

// Opens the AWS session for a response command (null, with the error printed, if the
// configuration is unusable) and completes the request from it (aws CLI globals, version).
std::unique_ptr<LiveSession> OpenResponseAws(ResponseArgs* args);

// The session the command acts with: the caller's, or, with --accounts or --regions, the one
// entered where the functions are (kept in `entered`), the printed aws CLI lines then naming
// that account's profile and region. Null when the place cannot be entered (printed, and
// *exit_code set).
aws::AwsSession* EnterResponsePlace(LiveSession& live, ResponseArgs* args, const std::string& verb,
                                    std::optional<EnteredPlace>* entered, int* exit_code);

// The terminal: stdout for what happens, stderr for warnings; asks before changes unless --yes.
class TerminalUi : public ResponseUi {
 public:
  // `dry_run`: stdout carries only the aws CLI lines; everything else goes to stderr.
  TerminalUi(bool yes, bool dry_run) : yes_(yes), dry_run_(dry_run) {}
  void Info(const std::string& line) override;
  void Warning(const std::string& line) override;
  bool Confirm(const PlanHeader& header, const std::vector<ResponseStep>& steps) override;
  bool attended() const override { return !yes_; }
  void Outcome(const StepOutcome& outcome) override;
  void DryRun(const std::string& aws_cli_line) override;
  // Who a failed step's remedy names: "the caller", or the role entered in another account.
  void set_principal(std::string principal) { principal_ = std::move(principal); }

 private:
  bool yes_, dry_run_;
  std::string principal_ = "the caller";
  bool dry_run_started_ = false;
  std::set<std::string> dry_run_lines_;  // put-role-policy lines printed: two functions on one role share its deny
};

int ExitCodeOf(ResponseStatus status);

}  // namespace lir
