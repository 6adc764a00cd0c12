#include "reference_server/store/sqlite_db.hpp"

#include <sqlite3.h>

#include <utility>

namespace refserver::sqlite {

namespace {

std::string message_of(sqlite3* db, int rc) {
  // sqlite3_errmsg describes the connection's last failure, which may be more specific than the
  // generic text for `rc` (e.g. "UNIQUE constraint failed: resources.id").
  return db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql, bool persistent) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), persistent ? SQLITE_PREPARE_PERSISTENT : 0,
                              &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "preparing \"" + std::string(sql) + "\": " + message_of(db, rc);
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    throw Error(rc & 0xff, message);
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::bind(int index, std::string_view text) {
  // A zero-length view may carry a null data pointer, which SQLite would store as NULL; the
  // columns are NOT NULL, so bind an empty string explicitly.
  int rc = sqlite3_bind_text(stmt_, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()),
                             SQLITE_STATIC);
  if (rc != SQLITE_OK) fail(rc);
}

void Statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) fail(rc);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(rc);
}

void Statement::run() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
    reset();
    return;
  }
  std::string message = std::string(sqlite3_sql(stmt_)) + ": " + message_of(db_, rc);
  reset();
  throw Error(rc & 0xff, message);
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::column_text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!data) return {};
  return {data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::int64_t Statement::column_int64(int column) const { return sqlite3_column_int64(stmt_, column); }

void Statement::fail(int rc) const { throw Error(rc & 0xff, std::string(sqlite3_sql(stmt_)) + ": " + message_of(db_, rc)); }

Database::Database(const std::string& path) : path_(path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string message = message_of(db_, rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(rc & 0xff, "cannot open: " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  cache_.clear();  // statements are finalized before their connection closes
  sqlite3_close_v2(db_);
}

void Database::exec(const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = sql + ": " + (error ? error : message_of(db_, rc));
    sqlite3_free(error);
    throw Error(rc & 0xff, message);
  }
}

std::int64_t Database::query_int(const std::string& sql, std::int64_t fallback) {
  Statement statement(db_, sql, false);
  return statement.step() ? statement.column_int64(0) : fallback;
}

std::string Database::query_text(const std::string& sql) {
  Statement statement(db_, sql, false);
  return statement.step() ? std::string(statement.column_text(0)) : std::string{};
}

Statement Database::prepare(std::string_view sql, bool persistent) { return Statement(db_, sql, persistent); }

Statement& Database::cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(sql, Statement(db_, sql, true)).first;
  it->second.reset();
  return it->second;
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace refserver::sqlite
