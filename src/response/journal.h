// The response journal: every change lambda-ir makes is recorded before and after it is
// made, in the case's SQLite journal (WAL, synchronous=FULL), so a process killed at any
// point and run again neither repeats a finished step nor loses a prior value, and
// recovery can restore exactly what was there.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace lir {

// kSkipped: never tried, because a step it needs failed or a safety check held it back; a
// rerun tries it again.
enum class StepStatus { kIntended, kDone, kFailed, kSkipped };

struct JournalStep {
  std::string key;          // stable identity of the change, e.g. "contain/payments/reserved-concurrency"
  std::string action;       // what the step does, as the equivalent aws CLI command
  StepStatus status = StepStatus::kIntended;
  std::string prior_state;  // JSON: what was there before (what recovery restores)
  std::string result;       // JSON: what the call returned, or the error
  std::string actor;
  TimestampMs started_at = 0;
  TimestampMs finished_at = 0;
};

// Thread-safe: concurrent steps share one journal.
class Journal {
 public:
  // Opens (creating if needed) journal.sqlite in the case directory.
  static Result<std::unique_ptr<Journal>> Open(const std::string& case_dir, const std::string& actor);
  ~Journal();

  // The step as recorded, if it was ever begun.
  Result<std::optional<JournalStep>> Find(const std::string& key);
  // Records the intent before acting. A step already done is returned as is: do not redo it.
  Result<JournalStep> Begin(const std::string& key, const std::string& action);
  // Records the prior state as soon as it is known (before the change is made).
  Result<void> RecordPrior(const std::string& key, const std::string& prior_state_json);
  Result<void> Finish(const std::string& key, StepStatus status, const std::string& result_json);
  // Records a step that was not tried, with why ({"skipped": "because ..."}); a done step stays done.
  Result<void> Skip(const std::string& key, const std::string& action, const std::string& because_json);
  // Every step, in the order begun; with a prefix, only the steps whose key starts with it.
  Result<std::vector<JournalStep>> Steps(const std::string& key_prefix = "");

 private:
  Journal() = default;
  struct Impl;
  Result<std::optional<JournalStep>> FindLocked(const std::string& key);
  std::unique_ptr<Impl> impl_;
  std::mutex mutex_;  // steps run concurrently; each journal write is one transaction
  std::string actor_;
};

std::string_view ToString(StepStatus status);

}  // namespace lir
