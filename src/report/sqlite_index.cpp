#include "report/sqlite_index.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/log_analysis.h"
#include "core/json_util.h"

namespace lir {
namespace {

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;
using Stmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

constexpr const char* kSchema = R"sql(
CREATE TABLE events (event_id TEXT, time TEXT, time_ms INTEGER, source TEXT, name TEXT, name_raw TEXT, actor TEXT,
                     actor_type TEXT, access_key_id TEXT, source_ip TEXT, user_agent TEXT, region TEXT, account TEXT,
                     resource TEXT, error_code TEXT, record TEXT);
CREATE TABLE log_lines (function TEXT, time_ms INTEGER, stream TEXT, message TEXT, reference TEXT);
CREATE TABLE findings (rule_id TEXT, severity TEXT, time TEXT, resource TEXT, actor TEXT, title TEXT, event_ids TEXT);
CREATE TABLE artifacts (path TEXT, sha256 TEXT, size INTEGER, service TEXT, operation TEXT, request_id TEXT, collected_at TEXT);
CREATE INDEX events_time ON events (time_ms);
CREATE INDEX log_lines_time ON log_lines (time_ms);
)sql";

Result<void> Check(sqlite3* db, int rc, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return {};
  return MakeError(ErrorCode::kIo, fmt::format("index.sqlite: {}: {}", what, sqlite3_errmsg(db)));
}

Result<Stmt> Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  LIR_CHECK(Check(db, sqlite3_prepare_v2(db, sql, -1, &raw, nullptr), "prepare"));
  return Stmt(raw, &sqlite3_finalize);
}

// Binds text columns in order, runs, resets.
template <typename... T>
Result<void> Insert(sqlite3* db, sqlite3_stmt* stmt, const T&... values) {
  int i = 0;
  auto bind = [&](const auto& v) {
    ++i;
    if constexpr (std::is_integral_v<std::decay_t<decltype(v)>>) {
      sqlite3_bind_int64(stmt, i, static_cast<sqlite3_int64>(v));
    } else {
      const std::string s(v);
      sqlite3_bind_text(stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
  };
  (bind(values), ...);
  const int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  return Check(db, rc, "insert");
}

}  // namespace

Result<void> WriteCaseIndex(const std::string& case_dir, const AnalysisResult& result) {
  namespace fs = std::filesystem;
  const std::string path = case_dir + "/index.sqlite";
  const std::string tmp = path + ".tmp";
  std::error_code ec;
  fs::remove(tmp, ec);
  sqlite3* raw = nullptr;
  if (sqlite3_open(tmp.c_str(), &raw) != SQLITE_OK) {
    sqlite3_close(raw);
    return MakeError(ErrorCode::kIo, fmt::format("cannot create {}", tmp));
  }
  Db db(raw, &sqlite3_close);
  LIR_CHECK(Check(db.get(), sqlite3_exec(db.get(), kSchema, nullptr, nullptr, nullptr), "schema"));
  LIR_CHECK(Check(db.get(), sqlite3_exec(db.get(), "BEGIN", nullptr, nullptr, nullptr), "begin"));

  auto events = LIR_TRY(Prepare(db.get(), "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  for (const Event& e : result.timeline) {
    LIR_CHECK(Insert(db.get(), events.get(), e.event_id, FormatIso8601(e.time), e.time, e.source, e.name, e.name_raw, e.actor.Display(),
                     e.actor.type, e.actor.access_key_id, e.source_ip, e.user_agent, e.region, e.account, e.ResourceArn(),
                     e.error_code, e.raw));
  }
  auto findings = LIR_TRY(Prepare(db.get(), "INSERT INTO findings VALUES (?,?,?,?,?,?,?)"));
  for (const Finding& f : result.findings) {
    LIR_CHECK(Insert(db.get(), findings.get(), f.rule_id, std::string(ToString(f.severity)), FormatIso8601(f.time), f.resource, f.actor,
                     f.title, nlohmann::json(f.event_ids).dump()));
  }
  auto logs = LIR_TRY(Prepare(db.get(), "INSERT INTO log_lines VALUES (?,?,?,?,?)"));
  const fs::path log_root = fs::path(case_dir) / "artifacts" / "logs";
  if (fs::is_directory(log_root, ec)) {
    for (const auto& entry : fs::directory_iterator(log_root, ec)) {
      const std::string rel = "artifacts/logs/" + entry.path().filename().string() + "/events.jsonl";
      for (const LogLine& line : ReadLogJsonLines(case_dir, rel)) {
        LIR_CHECK(Insert(db.get(), logs.get(), entry.path().filename().string(), line.time, line.stream, line.message, line.reference));
      }
    }
  }
  auto artifacts = LIR_TRY(Prepare(db.get(), "INSERT INTO artifacts VALUES (?,?,?,?,?,?,?)"));
  std::ifstream in(case_dir + "/manifest.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto manifest = nlohmann::json::parse(text.str(), nullptr, false);
  for (const auto& a : JArr(manifest, "artifacts")) {
    const auto& source = JAt(a, "source");
    LIR_CHECK(Insert(db.get(), artifacts.get(), JStr(a, "path"), JStr(a, "sha256"), JInt(a, "size"), JStr(source, "service"),
                     JStr(source, "operation"), JStr(source, "request_id"), JStr(a, "collected_at")));
  }
  LIR_CHECK(Check(db.get(), sqlite3_exec(db.get(), "COMMIT", nullptr, nullptr, nullptr), "commit"));
  db.reset();
  chmod(tmp.c_str(), 0600);
  fs::rename(tmp, path, ec);
  if (ec) return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, ec.message()));
  return {};
}

}  // namespace lir
