#pragma once
// Who did what, when: every SCIM mutation, every refused authentication and every token or
// role change, in the server's own SQLite file. Entries name tokens by their public key only;
// record() strips anything secret-shaped from the detail, so the log can be shared as it is.
#include "reference_server/store/sqlite_db.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace refserver::access {

struct AuditEntry {
  std::int64_t seq = 0;  // assigned on record
  std::int64_t at = 0;   // Unix seconds
  std::string actor;     // a token key ("scim_…"), "static-token", "admin", or "anonymous"
  std::string action;    // e.g. "user.create", "group.patch", "auth.refused", "token.revoke"
  std::string resource;  // e.g. "Users/2819c223…", "tokens/scim_…", "roles/Admins"
  nlohmann::json detail = nlohmann::json::object();
};

nlohmann::json to_json(const AuditEntry& entry);

// The detail with secrets removed: values of password/secret/token-like keys become "***".
nlohmann::json without_secrets(nlohmann::json detail);

class AuditLog {
 public:
  explicit AuditLog(sqlite::Database& db) : db_(db) {}

  // Appends within the caller's transaction if one is open, so an entry commits with its change.
  AuditEntry record(AuditEntry entry);
  // Entries at or after `since` (Unix seconds), oldest first, at most `limit` (0: all).
  std::vector<AuditEntry> since(std::int64_t since, std::size_t limit = 0) const;

 private:
  sqlite::Database& db_;
};

}  // namespace refserver::access
