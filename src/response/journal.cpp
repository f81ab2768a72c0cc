#include "response/journal.h"

#include <sqlite3.h>

#include <variant>

#include <fmt/format.h>

namespace lir {

std::string_view ToString(StepStatus status) {
  switch (status) {
    case StepStatus::kIntended: return "intended";
    case StepStatus::kDone: return "done";
    case StepStatus::kFailed: return "failed";
    case StepStatus::kSkipped: return "skipped";
  }
  return "intended";
}

namespace {

StepStatus StatusFrom(std::string_view text) {
  if (text == "done") return StepStatus::kDone;
  if (text == "failed") return StepStatus::kFailed;
  if (text == "skipped") return StepStatus::kSkipped;
  return StepStatus::kIntended;
}

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE IF NOT EXISTS steps (
  key TEXT PRIMARY KEY, action TEXT NOT NULL, status TEXT NOT NULL, prior_state TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT '', actor TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL);
)sql";

}  // namespace

struct Journal::Impl {
  sqlite3* db = nullptr;
  ~Impl() {
    if (db) sqlite3_close(db);
  }
  // Parameters bind in order: strings as text, numbers as integers.
  Result<void> Exec(const std::string& sql, const std::vector<std::variant<std::string, int64_t>>& params) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      return MakeError(ErrorCode::kIo, fmt::format("journal: {}", sqlite3_errmsg(db)));
    }
    int i = 0;
    for (const auto& p : params) {
      if (const auto* t = std::get_if<std::string>(&p)) {
        sqlite3_bind_text(stmt, ++i, t->data(), static_cast<int>(t->size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_int64(stmt, ++i, std::get<int64_t>(p));
      }
    }
    const int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return MakeError(ErrorCode::kIo, fmt::format("journal: {}", sqlite3_errmsg(db)));
    return {};
  }
};

Journal::~Journal() = default;

Result<std::unique_ptr<Journal>> Journal::Open(const std::string& case_dir, const std::string& actor) {
  std::unique_ptr<Journal> j(new Journal());
  j->impl_ = std::make_unique<Impl>();
  j->actor_ = actor;
  const std::string path = case_dir + "/journal.sqlite";
  if (sqlite3_open(path.c_str(), &j->impl_->db) != SQLITE_OK) {
    return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, sqlite3_errmsg(j->impl_->db)));
  }
  // Another lambda-ir on the same case (status while contain runs) waits rather than fails.
  sqlite3_busy_timeout(j->impl_->db, 10000);
  char* error = nullptr;
  if (sqlite3_exec(j->impl_->db, kSchema, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "schema";
    sqlite3_free(error);
    return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, message));
  }
  return j;
}

Result<std::optional<JournalStep>> Journal::Find(const std::string& key) {
  std::lock_guard lock(mutex_);
  return FindLocked(key);
}

Result<std::optional<JournalStep>> Journal::FindLocked(const std::string& key) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(impl_->db, "SELECT key, action, status, prior_state, result, actor, started_at, finished_at FROM steps WHERE key = ?",
                     -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  std::optional<JournalStep> out;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    auto text = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c))); };
    out = JournalStep{text(0), text(1), StatusFrom(text(2)), text(3), text(4), text(5), sqlite3_column_int64(stmt, 6),
                      sqlite3_column_int64(stmt, 7)};
  }
  sqlite3_finalize(stmt);
  return out;
}

Result<JournalStep> Journal::Begin(const std::string& key, const std::string& action) {
  std::lock_guard lock(mutex_);
  auto existing = LIR_TRY(FindLocked(key));
  if (existing && existing->status == StepStatus::kDone) return *existing;
  if (!existing) {
    LIR_CHECK(impl_->Exec("INSERT INTO steps (key, action, status, actor, started_at, seq) "
                          "VALUES (?, ?, 'intended', ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM steps))",
                          {key, action, actor_, NowMs()}));
  } else {
    // A step interrupted or failed before: begin it again, keeping any prior state it recorded.
    LIR_CHECK(impl_->Exec("UPDATE steps SET status = 'intended', actor = ?, started_at = ? WHERE key = ?", {actor_, NowMs(), key}));
  }
  return *LIR_TRY(FindLocked(key));
}

Result<void> Journal::Skip(const std::string& key, const std::string& action, const std::string& because_json) {
  std::lock_guard lock(mutex_);
  auto existing = LIR_TRY(FindLocked(key));
  if (existing && existing->status == StepStatus::kDone) return {};
  if (!existing) {
    return impl_->Exec("INSERT INTO steps (key, action, status, result, actor, started_at, finished_at, seq) "
                       "VALUES (?, ?, 'skipped', ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM steps))",
                       {key, action, because_json, actor_, NowMs(), NowMs()});
  }
  return impl_->Exec("UPDATE steps SET status = 'skipped', result = ?, finished_at = ? WHERE key = ?", {because_json, NowMs(), key});
}

Result<void> Journal::RecordPrior(const std::string& key, const std::string& prior_state_json) {
  // The first prior state recorded wins: a rerun must not overwrite it with our own change.
  std::lock_guard lock(mutex_);
  return impl_->Exec("UPDATE steps SET prior_state = ? WHERE key = ? AND prior_state = ''", {prior_state_json, key});
}

Result<void> Journal::Finish(const std::string& key, StepStatus status, const std::string& result_json) {
  std::lock_guard lock(mutex_);
  return impl_->Exec("UPDATE steps SET status = ?, result = ?, finished_at = ? WHERE key = ?",
                     {std::string(ToString(status)), result_json, NowMs(), key});
}

Result<std::vector<JournalStep>> Journal::Steps(const std::string& key_prefix) {
  std::lock_guard lock(mutex_);
  std::vector<JournalStep> out;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(impl_->db, "SELECT key FROM steps WHERE substr(key, 1, length(?1)) = ?1 ORDER BY seq", -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, key_prefix.data(), static_cast<int>(key_prefix.size()), SQLITE_TRANSIENT);
  std::vector<std::string> keys;
  while (sqlite3_step(stmt) == SQLITE_ROW) keys.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  sqlite3_finalize(stmt);
  for (const auto& k : keys) {
    auto step = LIR_TRY(FindLocked(k));
    if (step) out.push_back(*step);
  }
  return out;
}

}  // namespace lir
