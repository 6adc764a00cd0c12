#pragma once
// Group→role mapping as the modelled service documents it:
//  - predefined system roles (Admin, Developer, Read-only, Default) cannot be bound to a group;
//  - a role's "SCIM group" field binds it to a group of that name;
//  - otherwise a custom role named like the group links automatically;
//  - a pushed group that matches nothing creates a custom role with its name (no permissions
//    until an administrator grants them);
//  - a user in no mapped group gets the Default role; a deactivated user has no role at all.
// Matching is case-insensitive and evaluated when read, so renaming a group re-maps at once.
#include "reference_server/store/sqlite_db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace refserver::access {

inline constexpr const char* kDefaultRole = "Default";

struct Role {
  std::string name;
  bool system = false;
  std::string scim_group;  // "" when the role links by its own name
  std::string grants;      // the system role whose permissions it carries; "" for none yet
  std::string created_by;  // "system", "admin" or "scim" (created by a group push)
  std::int64_t created_at = 0;
};

// A role a user holds, as the read-only SCIM `roles` attribute shows it.
struct EffectiveRole {
  std::string name;
  std::string type;      // "system" or "custom"
  std::string via_group; // the group that brought it; "" for Default
};

// The mapping itself, over the roles as listed: a server keeps them in memory (it is the data
// file's only writer) so reading a user's roles never waits on the disk. The group lookups are
// folded in advance, because every read of a user resolves each of its groups: scanning the
// roles for each would make a read's cost grow with the number of groups in the organization.
class RoleIndex {
 public:
  RoleIndex() = default;
  explicit RoleIndex(std::vector<Role> roles);

  const std::vector<Role>& roles() const { return roles_; }
  // The role a group named `group` maps to, or nullptr: a custom role bound to the group, else a
  // custom role named like it (an explicit binding wins: the administrator said so).
  const Role* for_group(std::string_view group) const;
  // Adds a role created after the listing, keeping the listing's order.
  void add(Role role);

 private:
  void index();
  void index_role(std::size_t position);
  std::vector<Role> roles_;
  std::unordered_map<std::string, std::size_t> by_binding_;  // folded scim_group -> position
  std::unordered_map<std::string, std::size_t> by_name_;     // folded name of an unbound custom role
};

std::vector<EffectiveRole> effective_roles(const RoleIndex& roles, const std::vector<std::string>& groups,
                                           bool active);

class RoleStore {
 public:
  explicit RoleStore(sqlite::Database& db) : db_(db) {}

  std::vector<Role> list() const;
  std::optional<Role> find(const std::string& name) const;

  // Administration. Each throws AccessRefused (token_store.hpp) with what to do instead.
  Role create(const std::string& name, const std::string& scim_group, const std::string& grants, std::int64_t now);
  Role bind_group(const std::string& role, const std::string& scim_group);
  void remove(const std::string& role);

  // The role a group named `group` maps to, or nullopt.
  std::optional<Role> role_for_group(const std::string& group) const;
  // A pushed group: the role it maps to, creating a custom role named after it when nothing
  // matches. Throws scim::Error 400 invalidValue ("displayName not recognised") for a group
  // named like a system role, which no group may map to.
  Role ensure_role_for_group(const std::string& group, std::int64_t now);

  // The roles of a user in `groups` (display names).
  std::vector<EffectiveRole> effective_roles(const std::vector<std::string>& groups, bool active) const;

 private:
  sqlite::Database& db_;
};

}  // namespace refserver::access
