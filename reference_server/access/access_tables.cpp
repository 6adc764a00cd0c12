#include "reference_server/access/access_tables.hpp"

namespace refserver::access {

namespace {

// Times are Unix seconds (UTC). Secrets are never stored: only the SHA-256 of the secret.
// audit_log.seq is a plain rowid: entries are never deleted, so it only grows, and without
// AUTOINCREMENT an entry does not also rewrite sqlite_sequence (one write per audited change).
// Files made before keep their AUTOINCREMENT table; both number entries the same way.
constexpr const char* kCreateTables = R"sql(
CREATE TABLE IF NOT EXISTS access_tokens (
  key          TEXT PRIMARY KEY,
  secret_hash  TEXT NOT NULL,
  label        TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS access_roles (
  name        TEXT PRIMARY KEY COLLATE NOCASE,
  system      INTEGER NOT NULL DEFAULT 0,
  scim_group  TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  grants      TEXT NOT NULL DEFAULT '',
  created_by  TEXT NOT NULL DEFAULT 'admin',
  created_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
  seq        INTEGER PRIMARY KEY,
  at         INTEGER NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  resource   TEXT NOT NULL DEFAULT '',
  detail     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log(at);
)sql";

}  // namespace

void ensure_access_tables(sqlite::Database& db) {
  db.exec(std::string("SAVEPOINT access_tables;") + kCreateTables +
          // The predefined roles of the modelled service. They exist in every organization and
          // cannot be bound to a SCIM group (their scim_group stays empty).
          "INSERT OR IGNORE INTO access_roles(name, system, grants, created_by, created_at) VALUES"
          " ('Admin', 1, 'Admin', 'system', 0), ('Developer', 1, 'Developer', 'system', 0),"
          " ('Read-only', 1, 'Read-only', 'system', 0), ('Default', 1, 'Default', 'system', 0);"
          "RELEASE access_tables;");
}

}  // namespace refserver::access
