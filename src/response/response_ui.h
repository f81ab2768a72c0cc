// What a response command needs from whoever runs it (the terminal, a test): to say what
// it does, to have its plan confirmed, and to hear each step end. Response code never prints;
// the CLI's terminal implementation is the only one that knows about stdout and prompts.
#pragma once

#include <string>
#include <vector>

#include "response/step_runner.h"

namespace lir {

// Who changes what, where: named in every prompt so a responder with three terminals open
// does not contain the wrong account.
struct PlanHeader {
  std::string verb;  // "contain", "recover", "eradicate"
  std::string account, region, caller, endpoint;
  std::string case_dir;
  std::vector<std::string> functions;
};

class ResponseUi {
 public:
  virtual ~ResponseUi() = default;
  virtual void Info(const std::string& line) = 0;     // what happens, results
  virtual void Warning(const std::string& line) = 0;  // what the responder must know
  // Before any change: the plan's steps, each "what: before -> after". False: not confirmed,
  // nothing is changed. An unattended run (--yes) confirms without asking.
  virtual bool Confirm(const PlanHeader& header, const std::vector<ResponseStep>& steps) = 0;
  // Whether Confirm asks a person: then the whole plan is read before anything changes; an
  // unattended run throttles first and plans the rest while it lands.
  virtual bool attended() const = 0;
  virtual void Outcome(const StepOutcome& outcome) = 0;  // as each step ends, from worker threads, one at a time
  virtual void DryRun(const std::string& aws_cli_line) = 0;  // --dry-run's lines, and nothing else, on stdout
};

}  // namespace lir
