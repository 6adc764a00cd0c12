#pragma once
// The access model as one object, used alike by the SCIM service (authenticate each request,
// map groups to roles, record mutations), by the admin HTTP endpoint and by `scimulator admin`
// on a data file. Every operation that changes access is audited in the same database call.
#include "reference_server/access/audit_log.hpp"
#include "reference_server/access/roles.hpp"
#include "reference_server/access/token_store.hpp"

#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace refserver::access {

// Runs a function with exclusive use of the data file's connection. The resource store
// provides it (its connection holds the file's lock); tests may pass a plain connection.
using DatabaseRunner = std::function<void(const std::function<void(sqlite::Database&)>&)>;
using Clock = std::function<std::int64_t()>;  // Unix seconds
std::int64_t system_now();

struct AuthResult {
  bool accepted = false;
  std::string actor;   // token key, "static-token" or "anonymous"; for the audit log
  std::string detail;  // for a refusal: what was wrong and what to do (no secret in it)
};

class AccessControl {
 public:
  // `static_tokens`: bearer values given on the command line (`serve --token`), accepted as is.
  AccessControl(DatabaseRunner run, std::vector<std::string> static_tokens = {}, Clock clock = system_now);

  // Authenticates a SCIM request's Authorization header; refusals are audited.
  AuthResult authenticate(std::string_view authorization, std::string_view client = {});
  // True when the data file holds a token or static tokens were given: a server without
  // either would accept nobody.
  bool has_credentials();

  IssuedToken create_token(const std::string& actor, std::int64_t lifetime_seconds, const std::string& label);
  std::vector<TokenInfo> tokens();
  TokenInfo revoke_token(const std::string& actor, const std::string& key);

  std::vector<Role> roles();
  Role create_role(const std::string& actor, const std::string& name, const std::string& scim_group,
                   const std::string& grants);
  Role bind_role(const std::string& actor, const std::string& name, const std::string& scim_group);
  void remove_role(const std::string& actor, const std::string& name);
  // A group was pushed or renamed: make sure it maps to a role (auditing a role it creates).
  Role ensure_role_for_group(const std::string& actor, const std::string& group);
  std::vector<EffectiveRole> effective_roles(const std::vector<std::string>& groups, bool active);

  void record(const std::string& actor, const std::string& action, const std::string& resource,
              nlohmann::json detail);
  // The same entry written through a connection the caller already holds (inside the resource
  // store's transaction), so it commits with the change it records.
  void record_in(sqlite::Database& db, const std::string& actor, const std::string& action,
                 const std::string& resource, nlohmann::json detail) const;
  std::vector<AuditEntry> audit(std::int64_t since, std::size_t limit = 0);

  std::int64_t now() const { return clock_(); }

 private:
  // Re-reads tokens and roles inside a database call that changed them.
  void refresh(sqlite::Database& db);
  std::optional<StoredToken> token_named(const std::string& key) const;

  DatabaseRunner run_;
  mutable std::shared_mutex cache_mutex_;
  std::vector<StoredToken> tokens_;
  RoleIndex roles_;
  std::vector<std::string> static_tokens_;
  Clock clock_;
};

}  // namespace refserver::access
