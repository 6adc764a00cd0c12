#pragma once
// A thin RAII layer over the SQLite C API: a connection, prepared statements, and an error type
// that keeps SQLite's result code. Only what the resource store needs; no query builder.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace refserver::sqlite {

// A failed SQLite call. what() is "<context>: <SQLite message>"; code() the primary result code
// (SQLITE_BUSY, SQLITE_NOTADB, SQLITE_FULL, ...).
class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

class Statement {
 public:
  Statement() = default;
  // Persistent statements live for the connection's lifetime and are reused (reset) per call.
  Statement(sqlite3* db, std::string_view sql, bool persistent);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Text is bound without copying: it must stay alive until reset() (or run() returns).
  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t value);

  // One step: true when a row is available, false when done; throws Error otherwise.
  bool step();
  // Steps a statement that returns no rows, then resets it (also when the step failed).
  void run();
  // Back to the start with no bindings, ready for the next use.
  void reset();

  std::string_view column_text(int column) const;
  std::int64_t column_int64(int column) const;

  explicit operator bool() const { return stmt_ != nullptr; }

 private:
  [[noreturn]] void fail(int rc) const;

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // Opens read-write, creating the file if needed. The connection is used by one thread at a
  // time (the caller serialises), so SQLite's own mutex is turned off.
  explicit Database(const std::string& path);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs one or more statements that return nothing of interest.
  void exec(const std::string& sql);
  // The first column of the first row, or `fallback` when there is no row.
  std::int64_t query_int(const std::string& sql, std::int64_t fallback = 0);
  std::string query_text(const std::string& sql);
  Statement prepare(std::string_view sql, bool persistent = false);
  // The statement for `sql`, prepared on first use and kept for the connection's lifetime, reset
  // and unbound: for statements run on every request (the audit entry of each write), where
  // preparing anew would cost more than running.
  Statement& cached(const std::string& sql);
  std::int64_t last_insert_rowid() const;

  // True while an explicit transaction is open (BEGIN without COMMIT/ROLLBACK yet).
  bool in_transaction() const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Statement> cache_;
};

}  // namespace refserver::sqlite
