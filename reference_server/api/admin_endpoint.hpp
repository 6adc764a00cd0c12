#pragma once
// The administration API of the reference server: tokens, roles, the audit log and a user's
// effective roles, as JSON over HTTP below /admin. `scimulator admin` sends the same requests
// either over HTTP to a running server (--url) or straight into this handler on a data file
// (--data), so both paths share one implementation and one output.
//
//   GET    /admin/tokens                 list (never a secret)
//   POST   /admin/tokens                 {"label", "expires_in_seconds"} → 201 {key, secret, …}
//   DELETE /admin/tokens/{key}           revoke
//   GET    /admin/roles                  list
//   POST   /admin/roles                  {"name", "scim_group", "grants"} → 201
//   PATCH  /admin/roles/{name}           {"scim_group"}: bind the role to a SCIM group
//   DELETE /admin/roles/{name}           remove a custom role
//   GET    /admin/audit?since=T&limit=N  entries, oldest first
//   GET    /admin/users/{userName}/roles a user's groups and effective roles
#include "reference_server/access/access_control.hpp"
#include "reference_server/store/resource_store.hpp"
#include "reference_server/transport/http_server.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace refserver {

inline constexpr const char* kAdminPrefix = "/admin";

// The roles a user holds, from the user's groups and its active flag.
std::vector<access::EffectiveRole> user_effective_roles(access::AccessControl& access, const ResourceStore& store,
                                                        const StoredResource& user);
nlohmann::json to_json(const access::EffectiveRole& role);

class AdminEndpoint {
 public:
  AdminEndpoint(access::AccessControl& access, ResourceStore& store) : access_(access), store_(store) {}

  // `path` starts with /admin. The caller has authenticated the administrator (`actor`).
  transport::HttpResponse handle(const std::string& method, std::string_view target, const std::string& body,
                                 const std::string& actor);

 private:
  access::AccessControl& access_;
  ResourceStore& store_;
};

}  // namespace refserver
