#pragma once
// Entra ID's requests in its two dialects, built apart from sending so golden tests can compare
// them with the documented shapes (fixtures/golden/simulator/entra_*.json). Items cited are in
// ../shared/reference/idp-quirks.md, section B.
//   scim                the default job: "Add"/"Replace"/"Remove" (E1), "True"/"False" (E2),
//                       member removal with a value array (E3), one op per attribute
//   aadOptscim062020    the flag: lower-case ops, JSON booleans, removal by value-filter path,
//                       a path-less replace keyed by attribute paths (E13)
#include "simulator/client/exchange.hpp"
#include "simulator/directory/directory.hpp"
#include "simulator/idp/credentials.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

enum class EntraDialect { scim, aad_opt_scim_062020 };
std::string_view to_string(EntraDialect dialect);  // "scim", "aadOptscim062020"
// Throws std::invalid_argument naming the two dialects.
EntraDialect parse_entra_dialect(std::string_view text);

namespace entra {

struct Wire {
  Credential credential;  // E22: "Bearer <Secret Token>" verbatim (C1: "<key>:<secret>")
  EntraDialect dialect = EntraDialect::scim;
  std::chrono::milliseconds timeout{60000};
};

// One attribute to change on the target: a value, or null to remove it. `had_value` tells Add
// from Replace (E12: Add for an attribute the target holds no value for).
struct Delta {
  std::string path;
  nlohmann::json value;
  bool had_value = false;
};

scimclient::Headers headers(const Wire& wire, bool with_body);

// E8: GET /Users?filter=userName eq "…" (no paging parameters).
scimclient::HttpRequestSpec find_user(const Wire& wire, const std::string& user_name);
scimclient::HttpRequestSpec get_user(const Wire& wire, const std::string& id);
// E18: core and enterprise schemas, externalId, userName, active, one work email,
// meta.resourceType, name with formatted, roles: [].
scimclient::HttpRequestSpec create_user(const Wire& wire, const DirUser& user);
// The changed attributes: "scim" sends one op per attribute; the flag sends a path-less replace
// keyed by attribute paths (E13) and keeps active and value-filter paths as their own ops.
scimclient::HttpRequestSpec update_user(const Wire& wire, const std::string& id, const std::vector<Delta>& deltas);
// E15: the manager as a bare id string under its full URN path; an empty id removes it.
scimclient::HttpRequestSpec set_manager(const Wire& wire, const std::string& id, const std::string& manager_id);
// E17: a hard delete.
scimclient::HttpRequestSpec delete_user(const Wire& wire, const std::string& id);

// E7: GET /Groups?excludedAttributes=members&filter=displayName eq "…"
scimclient::HttpRequestSpec find_group(const Wire& wire, const std::string& display_name);
scimclient::HttpRequestSpec get_group(const Wire& wire, const std::string& id);
// E6: created empty, with the Microsoft schema URN and externalId = the objectId.
scimclient::HttpRequestSpec create_group(const Wire& wire, const DirGroup& group);
scimclient::HttpRequestSpec rename_group(const Wire& wire, const std::string& id, const std::string& display_name);
// E3, E4: removals and additions of members in one PATCH ("$ref": null on each value).
scimclient::HttpRequestSpec update_members(const Wire& wire, const std::string& id, const std::vector<std::string>& add,
                                           const std::vector<std::string>& remove);
scimclient::HttpRequestSpec delete_group(const Wire& wire, const std::string& id);

// The value of `active` as the dialect writes it (E2).
nlohmann::json active_value(EntraDialect dialect, bool active);

}  // namespace entra
}  // namespace sim
