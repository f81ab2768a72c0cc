#include "response/step_runner.h"

#include <algorithm>
#include <atomic>

#include <fmt/format.h>

#include "core/task_pool.h"

namespace lir {

namespace {

using nlohmann::json;

bool Matches(const std::string& key, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes) {
    if (key.rfind(p, 0) == 0) return true;
  }
  return false;
}

bool EndedBadly(StepOutcomeKind kind) { return kind == StepOutcomeKind::kFailed || kind == StepOutcomeKind::kSkipped; }

}  // namespace

struct StepRun::Node {
  ResponseStep step;
  enum class State { kWaiting, kRunning, kBlocked, kEnded } state = State::kWaiting;
  size_t waits = 0;                 // steps still running that this one waits for (after + needs)
  std::vector<size_t> waiters;      // steps waiting for this one
  size_t retry_waits = 0;           // while blocked: retry_after steps not yet ended
  std::vector<size_t> retry_waiters;
  std::string skip_because;         // a needed step failed
  StepOutcome blocked;              // the first attempt's outcome, while blocked
  StepOutcome outcome;
};

namespace {

// The step's intent and prior, then its change: the journal's sequence.
struct Attempt {
  StepOutcome outcome;
  bool blocked = false;
};

StepOutcome Fail(Journal& journal, StepOutcome out, const Error& error) {
  out.kind = StepOutcomeKind::kFailed;
  out.error = error.ToString();
  out.cause = error;
  if (auto written = journal.Finish(out.key, StepStatus::kFailed, json{{"error", out.error}}.dump()); !written) {
    out.error += " (and the journal could not record it: " + written.error().message + ")";
  }
  return out;
}

Attempt Apply(Journal& journal, const ResponseStep& step, StepOutcome out, bool may_block) {
  auto applied = step.apply(out.prior);
  if (!applied) {
    if (may_block && step.blocked_by && step.blocked_by(applied.error())) {
      out.cause = applied.error();
      return {std::move(out), true};
    }
    return {Fail(journal, std::move(out), applied.error()), false};
  }
  CrashPoint();
  out.result = std::move(*applied);
  if (auto r = journal.Finish(step.key, StepStatus::kDone, out.result.dump()); !r) return {Fail(journal, std::move(out), r.error()), false};
  out.kind = StepOutcomeKind::kDone;
  CrashPoint();
  return {std::move(out), false};
}

Attempt RunOne(Journal& journal, const ResponseStep& step) {
  StepOutcome out{step.key, step.action, step.summary};
  out.journaled = step.journaled;
  if (!step.journaled) {
    auto done = step.apply(json());
    if (!done) {
      out.kind = StepOutcomeKind::kFailed;
      out.error = done.error().ToString();
      out.cause = done.error();
    } else {
      out.kind = StepOutcomeKind::kDone;
      out.result = std::move(*done);
    }
    return {std::move(out), false};
  }
  auto begun = journal.Begin(step.key, step.action);
  if (!begun) return {Fail(journal, std::move(out), begun.error()), false};
  if (begun->status == StepStatus::kDone) {
    out.kind = StepOutcomeKind::kAlreadyDone;
    out.prior = json::parse(begun->prior_state, nullptr, false);
    out.result = json::parse(begun->result, nullptr, false);
    if (step.describe) out.summary = step.describe(out.prior);
    return {std::move(out), false};
  }
  CrashPoint();
  // The state before the change: read now, but a prior recorded by an interrupted run wins,
  // since what is there now may be our own change.
  json prior = step.known_prior;
  if (begun->prior_state.empty()) {
    if (step.read_prior) {
      auto read = step.read_prior();
      if (!read) return {Fail(journal, std::move(out), read.error()), false};
      prior = std::move(*read);
    }
    if (auto r = journal.RecordPrior(step.key, prior.dump()); !r) return {Fail(journal, std::move(out), r.error()), false};
    CrashPoint();
  } else {
    prior = json::parse(begun->prior_state, nullptr, false);
  }
  out.prior = prior;
  if (step.describe) out.summary = step.describe(prior);
  return Apply(journal, step, std::move(out), !step.retry_after.empty());
}

}  // namespace

StepRun::StepRun(Journal& journal, int jobs, std::function<void(const StepOutcome&)> on_outcome)
    : journal_(journal), on_outcome_(std::move(on_outcome)), pool_(std::make_unique<TaskPool>(jobs)) {}

StepRun::~StepRun() { pool_->Wait(); }

void StepRun::Add(std::vector<ResponseStep> steps) {
  std::vector<size_t> ready;
  {
    std::lock_guard lock(mutex_);
    const size_t first = nodes_.size();
    for (auto& s : steps) {
      auto node = std::make_unique<Node>();
      node->step = std::move(s);
      nodes_.push_back(std::move(node));
    }
    for (size_t i = first; i < nodes_.size(); ++i) {
      Node& n = *nodes_[i];
      for (size_t j = 0; j < nodes_.size(); ++j) {
        if (i == j) continue;
        Node& other = *nodes_[j];
        const bool needed = Matches(other.step.key, n.step.needs);
        if (!needed && !Matches(other.step.key, n.step.after)) continue;
        if (other.state == Node::State::kEnded) {
          if (needed && EndedBadly(other.outcome.kind) && n.skip_because.empty()) {
            n.skip_because = fmt::format("{} {}", other.step.summary.empty() ? other.step.key : other.step.summary,
                                         other.outcome.kind == StepOutcomeKind::kFailed ? "failed" : "was skipped");
          }
          continue;
        }
        ++n.waits;
        other.waiters.push_back(i);
      }
      if (n.waits == 0) ready.push_back(i);
    }
  }
  for (size_t i : ready) pool_->Submit([this, i] { Start(i); });
}

void StepRun::Start(size_t i) {
  Node* n;
  std::string because;
  {
    std::lock_guard lock(mutex_);
    n = nodes_[i].get();
    n->state = Node::State::kRunning;
    because = n->skip_because;
    if (because.empty() && !n->step.held_back.empty()) because = n->step.held_back;
  }
  if (!because.empty()) {
    StepOutcome out{n->step.key, n->step.action, n->step.summary};
    out.journaled = n->step.journaled;
    out.kind = StepOutcomeKind::kSkipped;
    out.error = n->step.held_back.empty() || because != n->step.held_back ? "because " + because : "held back: " + because;
    if (n->step.journaled) {
      if (auto written = journal_.Skip(n->step.key, n->step.action, json{{"skipped", out.error}}.dump()); !written) {
        out.error += " (and the journal could not record it: " + written.error().message + ")";
      }
    }
    Ended(i, std::move(out));
    return;
  }
  Attempt attempt = RunOne(journal_, n->step);
  if (!attempt.blocked) {
    Ended(i, std::move(attempt.outcome));
    return;
  }
  // Blocked: wait for what blocks it (unless it has ended already), then try once more.
  {
    std::lock_guard lock(mutex_);
    n->state = Node::State::kBlocked;
    n->blocked = std::move(attempt.outcome);
  }
  Resume(i);
}

bool StepRun::Park(size_t i) {
  std::lock_guard lock(mutex_);
  Node& n = *nodes_[i];
  for (size_t j = 0; j < nodes_.size(); ++j) {
    Node& other = *nodes_[j];
    if (j == i || !Matches(other.step.key, n.step.retry_after) || other.state == Node::State::kEnded) continue;
    ++n.retry_waits;
    other.retry_waiters.push_back(i);
  }
  return n.retry_waits > 0;
}

void StepRun::Resume(size_t i) {
  // Steps it waits for may have added others it must wait for too (a list, then its removals).
  if (Park(i)) return;
  Node* n;
  std::string failed_blocker;
  {
    std::lock_guard lock(mutex_);
    n = nodes_[i].get();
    n->state = Node::State::kRunning;
    for (const auto& other : nodes_) {
      if (Matches(other->step.key, n->step.retry_after) && EndedBadly(other->outcome.kind) && other->state == Node::State::kEnded) {
        failed_blocker = other->step.summary.empty() ? other->step.key : other->step.summary;
        break;
      }
    }
  }
  StepOutcome out = std::move(n->blocked);
  if (!failed_blocker.empty()) {
    // What blocks it could not be removed: the first refusal stands, with why.
    Error e = out.cause;
    e.message += fmt::format(" (and {} failed, so it still blocks)", failed_blocker);
    Ended(i, Fail(journal_, std::move(out), e));
    return;
  }
  Ended(i, Apply(journal_, n->step, std::move(out), /*may_block=*/false).outcome);
}

void StepRun::Ended(size_t i, StepOutcome outcome) {
  std::vector<size_t> ready, resumed;
  {
    std::lock_guard lock(mutex_);
    Node& n = *nodes_[i];
    n.outcome = std::move(outcome);
    n.state = Node::State::kEnded;
    if (on_outcome_) on_outcome_(n.outcome);
    for (size_t k : n.waiters) {
      Node& w = *nodes_[k];
      if (Matches(n.step.key, w.step.needs) && EndedBadly(n.outcome.kind) && w.skip_because.empty()) {
        w.skip_because = fmt::format("{} {}", n.step.summary.empty() ? n.step.key : n.step.summary,
                                     n.outcome.kind == StepOutcomeKind::kFailed ? "failed" : "was skipped");
      }
      if (--w.waits == 0) ready.push_back(k);
    }
    for (size_t k : n.retry_waiters) {
      if (--nodes_[k]->retry_waits == 0) resumed.push_back(k);
    }
    n.retry_waiters.clear();
  }
  ended_.notify_all();
  for (size_t k : ready) pool_->Submit([this, k] { Start(k); });
  for (size_t k : resumed) pool_->Submit([this, k] { Resume(k); });
}

bool StepRun::WaitFor(const std::string& key) {
  std::unique_lock lock(mutex_);
  auto it = std::find_if(nodes_.begin(), nodes_.end(), [&](const auto& n) { return n->step.key == key; });
  if (it == nodes_.end()) return false;
  Node* n = it->get();
  ended_.wait(lock, [&] { return n->state == Node::State::kEnded; });
  return true;
}

std::vector<StepOutcome> StepRun::Wait() {
  pool_->Wait();
  std::lock_guard lock(mutex_);
  std::vector<StepOutcome> out;
  for (const auto& n : nodes_) out.push_back(n->outcome);
  return out;
}

void OrderByPhase(std::vector<ResponseStep>* steps) {
  std::stable_sort(steps->begin(), steps->end(), [](const ResponseStep& a, const ResponseStep& b) { return a.phase < b.phase; });
}

std::vector<StepOutcome> RunSteps(Journal& journal, const std::vector<ResponseStep>& steps, int jobs,
                                  const std::function<void(const StepOutcome&)>& on_outcome) {
  StepRun run(journal, jobs, on_outcome);
  run.Add(steps);
  return run.Wait();
}

}  // namespace lir
