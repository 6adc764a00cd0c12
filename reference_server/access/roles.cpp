#include "reference_server/access/roles.hpp"

#include "reference_server/access/token_store.hpp"
#include "scim/error.hpp"
#include "scim/schema.hpp"

#include <algorithm>

namespace refserver::access {

namespace {

constexpr const char* kColumns = "name, system, scim_group, grants, created_by, created_at";

Role read_role(const sqlite::Statement& row) {
  Role role;
  role.name = std::string(row.column_text(0));
  role.system = row.column_int64(1) != 0;
  role.scim_group = std::string(row.column_text(2));
  role.grants = std::string(row.column_text(3));
  role.created_by = std::string(row.column_text(4));
  role.created_at = row.column_int64(5);
  return role;
}

bool is_system_role_name(const std::string& name) {
  for (const char* system : {"Admin", "Developer", "Read-only", "Default"})
    if (scim::iequals(name, system)) return true;
  return false;
}

void insert(sqlite::Database& db, const Role& role) {
  sqlite::Statement statement = db.prepare(
      "INSERT INTO access_roles(name, system, scim_group, grants, created_by, created_at) VALUES (?1, 0, ?2, ?3, ?4, ?5)");
  statement.bind(1, role.name);
  statement.bind(2, role.scim_group);
  statement.bind(3, role.grants);
  statement.bind(4, role.created_by);
  statement.bind(5, role.created_at);
  statement.run();
}

}  // namespace

std::vector<Role> RoleStore::list() const {
  sqlite::Statement query =
      db_.prepare(std::string("SELECT ") + kColumns + " FROM access_roles ORDER BY system DESC, created_at, name");
  std::vector<Role> out;
  while (query.step()) out.push_back(read_role(query));
  return out;
}

std::optional<Role> RoleStore::find(const std::string& name) const {
  sqlite::Statement query = db_.prepare(std::string("SELECT ") + kColumns + " FROM access_roles WHERE name = ?1");
  query.bind(1, name);
  if (!query.step()) return std::nullopt;
  return read_role(query);
}

Role RoleStore::create(const std::string& name, const std::string& scim_group, const std::string& grants,
                       std::int64_t now) {
  if (name.empty()) throw AccessRefused("a role needs a name");
  if (find(name)) throw AccessRefused("a role named " + name + " exists already; pick another name");
  if (!grants.empty() && !is_system_role_name(grants))
    throw AccessRefused("--grants takes a system role (Admin, Developer, Read-only, Default), not " + grants);
  if (!scim_group.empty()) {
    if (std::optional<Role> other = role_for_group(scim_group); other && !other->scim_group.empty())
      throw AccessRefused("the SCIM group " + scim_group + " is bound to role " + other->name + " already");
  }
  Role role;
  role.name = name;
  role.scim_group = scim_group;
  role.grants = grants;
  role.created_by = "admin";
  role.created_at = now;
  insert(db_, role);
  return role;
}

Role RoleStore::bind_group(const std::string& name, const std::string& scim_group) {
  std::optional<Role> role = find(name);
  if (!role) throw AccessRefused("no role named " + name + "; list them with admin role list");
  if (role->system)
    throw AccessRefused(name + " is a predefined system role and cannot be mapped to a SCIM group; "
                        "create a custom role that grants it (admin role create NAME --grants " + role->name + ")");
  sqlite::Statement update = db_.prepare("UPDATE access_roles SET scim_group = ?2 WHERE name = ?1");
  update.bind(1, role->name);
  update.bind(2, scim_group);
  update.run();
  role->scim_group = scim_group;
  return *role;
}

void RoleStore::remove(const std::string& name) {
  std::optional<Role> role = find(name);
  if (!role) throw AccessRefused("no role named " + name + "; list them with admin role list");
  if (role->system) throw AccessRefused(name + " is a predefined system role and cannot be removed");
  sqlite::Statement statement = db_.prepare("DELETE FROM access_roles WHERE name = ?1");
  statement.bind(1, role->name);
  statement.run();
}

namespace {

// The listing's order (RoleStore::list): system roles first, then by creation time, then by name
// under the column's NOCASE collation, which folds ASCII letters only, as scim::to_lower does.
bool listed_before(const Role& a, const Role& b) {
  if (a.system != b.system) return a.system;
  if (a.created_at != b.created_at) return a.created_at < b.created_at;
  return scim::to_lower(a.name) < scim::to_lower(b.name);
}

}  // namespace

RoleIndex::RoleIndex(std::vector<Role> roles) : roles_(std::move(roles)) { index(); }

void RoleIndex::index() {
  by_binding_.clear();
  by_name_.clear();
  for (std::size_t i = 0; i < roles_.size(); ++i) index_role(i);
}

void RoleIndex::index_role(std::size_t position) {
  const Role& role = roles_[position];
  if (role.system) return;  // never mapped to a group
  // emplace keeps the earlier role in the listing when two claim the same group.
  if (!role.scim_group.empty()) by_binding_.emplace(scim::to_lower(role.scim_group), position);
  else by_name_.emplace(scim::to_lower(role.name), position);
}

const Role* RoleIndex::for_group(std::string_view group) const {
  std::string folded = scim::to_lower(group);
  if (auto it = by_binding_.find(folded); it != by_binding_.end()) return &roles_[it->second];
  if (auto it = by_name_.find(folded); it != by_name_.end()) return &roles_[it->second];
  return nullptr;
}

void RoleIndex::add(Role role) {
  auto at = std::upper_bound(roles_.begin(), roles_.end(), role, listed_before);
  bool last = at == roles_.end();
  roles_.insert(at, std::move(role));
  if (last) index_role(roles_.size() - 1);
  else index();  // positions after it moved
}

std::optional<Role> RoleStore::role_for_group(const std::string& group) const {
  if (group.empty()) return std::nullopt;
  // One query, not a listing: a group push asks this for every new group. The order is
  // RoleIndex's: a binding first, then the listing's order.
  sqlite::Statement query = db_.prepare(std::string("SELECT ") + kColumns +
                                        " FROM access_roles WHERE system = 0 AND (scim_group = ?1 OR"
                                        " (scim_group = '' AND name = ?1)) ORDER BY scim_group = '', created_at, name LIMIT 1");
  query.bind(1, group);
  if (!query.step()) return std::nullopt;
  return read_role(query);
}

Role RoleStore::ensure_role_for_group(const std::string& group, std::int64_t now) {
  if (std::optional<Role> role = role_for_group(group)) return *role;
  if (is_system_role_name(group))
    throw scim::Error(400, scim::ScimType::invalid_value,
                      "displayName not recognised: \"" + group +
                          "\" is a predefined system role, which cannot be mapped to a SCIM group; rename the group, "
                          "or bind a custom role to it (admin role create NAME --scim-group \"" + group + "\")");
  Role role;
  role.name = group;
  role.created_by = "scim";
  role.created_at = now;
  insert(db_, role);
  return role;
}

std::vector<EffectiveRole> effective_roles(const RoleIndex& roles, const std::vector<std::string>& groups,
                                           bool active) {
  std::vector<EffectiveRole> out;
  // Deactivation removes the user from the organization: no role, so no access.
  if (!active) return out;
  for (const std::string& group : groups) {
    const Role* role = roles.for_group(group);
    if (!role) continue;
    bool seen = std::any_of(out.begin(), out.end(), [&](const EffectiveRole& r) { return scim::iequals(r.name, role->name); });
    if (!seen) out.push_back({role->name, "custom", group});
    if (!role->grants.empty()) {
      bool granted = std::any_of(out.begin(), out.end(), [&](const EffectiveRole& r) { return scim::iequals(r.name, role->grants); });
      if (!granted) out.push_back({role->grants, "system", group});
    }
  }
  if (out.empty()) out.push_back({kDefaultRole, "system", ""});
  return out;
}

std::vector<EffectiveRole> RoleStore::effective_roles(const std::vector<std::string>& groups, bool active) const {
  return access::effective_roles(RoleIndex(list()), groups, active);
}

}  // namespace refserver::access
