#include "reference_server/access/audit_log.hpp"

#include "scim/schema.hpp"

namespace refserver::access {

namespace {

bool secret_key(const std::string& key) {
  std::string lower = scim::to_lower(key);
  if (lower == "token_key") return false;  // a token's public key, safe to keep
  for (const char* word : {"password", "secret", "token", "authorization"})
    if (lower.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

nlohmann::json without_secrets(nlohmann::json detail) {
  if (detail.is_object()) {
    for (auto it = detail.begin(); it != detail.end(); ++it) {
      if (secret_key(it.key())) it.value() = "***";
      else it.value() = without_secrets(std::move(it.value()));
    }
  } else if (detail.is_array()) {
    for (auto& element : detail) {
      // A PATCH operation naming a secret attribute by path carries the secret in its value.
      if (element.is_object() && element.contains("path") && element["path"].is_string() &&
          secret_key(element["path"].get<std::string>()) && element.contains("value"))
        element["value"] = "***";
      element = without_secrets(std::move(element));
    }
  }
  return detail;
}

nlohmann::json to_json(const AuditEntry& entry) {
  return {{"seq", entry.seq}, {"at", entry.at},         {"actor", entry.actor},
          {"action", entry.action}, {"resource", entry.resource}, {"detail", entry.detail}};
}

AuditEntry AuditLog::record(AuditEntry entry) {
  entry.detail = without_secrets(std::move(entry.detail));
  std::string detail = entry.detail.dump();
  sqlite::Statement& insert =
      db_.cached("INSERT INTO audit_log(at, actor, action, resource, detail) VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.bind(1, entry.at);
  insert.bind(2, entry.actor);
  insert.bind(3, entry.action);
  insert.bind(4, entry.resource);
  insert.bind(5, detail);
  insert.run();
  entry.seq = db_.last_insert_rowid();
  return entry;
}

std::vector<AuditEntry> AuditLog::since(std::int64_t since, std::size_t limit) const {
  std::string sql = "SELECT seq, at, actor, action, resource, detail FROM audit_log WHERE at >= ?1 ORDER BY seq";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  sqlite::Statement query = db_.prepare(sql);
  query.bind(1, since);
  std::vector<AuditEntry> out;
  while (query.step()) {
    AuditEntry entry;
    entry.seq = query.column_int64(0);
    entry.at = query.column_int64(1);
    entry.actor = std::string(query.column_text(2));
    entry.action = std::string(query.column_text(3));
    entry.resource = std::string(query.column_text(4));
    entry.detail = nlohmann::json::parse(query.column_text(5), nullptr, false);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace refserver::access
