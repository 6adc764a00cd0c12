#pragma once
// The ClickHouse-style access model (tokens, roles, audit log) lives in the same SQLite file as
// the resources, so one file is the whole state of a server and one backup restores it.
#include "reference_server/store/sqlite_db.hpp"

namespace refserver::access {

// Creates the tables that are missing and the predefined system roles. Idempotent. The caller
// serialises use of `db` (the resource store's connection holds the file's exclusive lock).
void ensure_access_tables(sqlite::Database& db);

}  // namespace refserver::access
