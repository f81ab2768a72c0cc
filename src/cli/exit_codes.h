// Process exit codes, documented in docs/exit-codes.md and in --help.
#pragma once

namespace lir {

enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 1,      // a finding at or above --fail-on
  kExitUsage = 2,         // bad command line (flag, time, severity)
  kExitNoInput = 3,       // nothing could be read: every input missing or unreadable
  kExitRulesInvalid = 4,  // rules lint or rules test failed
  kExitOutput = 5,        // the report could not be written
  kExitAws = 6,           // AWS refused or failed: credentials, permissions, throttling, network
  kExitEvidence = 7,      // verify: an artifact changed or vanished, or the custody chain broke
  kExitRefused = 8,       // a response safety check stopped the change (scope, no confirmation, open findings)
  kExitPartial = 9,       // a response command made some changes (contain: the function is throttled); others failed or were held back
};

inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 ok; 1 a finding at or above --fail-on; 2 usage error; 3 no input could be read;\n"
    "4 rules lint/test failed; 5 the report could not be written; 6 an AWS call failed (contain: not throttled);\n"
    "7 evidence verification failed; 8 a response command refused to change (scope, not confirmed, open findings);\n"
    "9 a response command did part of its work (contain: throttled) and lists what failed or was held back;\n"
    "Ctrl-C while analyze --athena waits for its query stops the query, then ends by the signal (the shell sees 130).";

}  // namespace lir
