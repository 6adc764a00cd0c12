#include "simulator/convergence/convergence.hpp"

#include "simulator/idp/scim_json.hpp"

#include <set>
#include <unordered_map>
#include <unordered_set>

namespace sim {

namespace {

const std::vector<std::pair<DriftKind, const char*>>& kind_names() {
  static const std::vector<std::pair<DriftKind, const char*>> names = {
      {DriftKind::missing_user, "missing_user"},       {DriftKind::orphaned_user, "orphaned_user"},
      {DriftKind::unlinked_user, "unlinked_user"},     {DriftKind::duplicate_user, "duplicate_user"},
      {DriftKind::attribute_drift, "attribute_drift"}, {DriftKind::missing_group, "missing_group"},
      {DriftKind::orphaned_group, "orphaned_group"},   {DriftKind::group_drift, "group_drift"},
      {DriftKind::membership_drift, "membership_drift"}, {DriftKind::incomplete_read, "incomplete_read"},
      {DriftKind::stale_credential, "stale_credential"}, {DriftKind::credential_refused, "credential_refused"},
  };
  return names;
}

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? std::string() : lower(address.substr(at + 1));
}

bool is_active(const nlohmann::json& resource) {
  auto it = resource.find("active");
  if (it == resource.end() || it->is_null()) return true;  // RFC 7643 §4.1.1 gives no default; absent reads as active
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) return lower(it->get<std::string>()) == "true";
  return true;
}

bool empty_value(const std::optional<nlohmann::json>& value) {
  return !value || value->is_null() || (value->is_string() && value->get<std::string>().empty());
}

}  // namespace

std::string_view to_string(DriftKind kind) {
  for (const auto& [k, name] : kind_names())
    if (k == kind) return name;
  return "unknown";
}

const std::vector<DriftKind>& all_drift_kinds() {
  static const std::vector<DriftKind> kinds = [] {
    std::vector<DriftKind> out;
    for (const auto& [k, name] : kind_names()) out.push_back(k);
    return out;
  }();
  return kinds;
}

nlohmann::json to_json(const Drift& drift) {
  nlohmann::json out = {{"kind", to_string(drift.kind)}, {"object", drift.object}};
  if (!drift.key.empty()) out["key"] = drift.key;
  if (!drift.name.empty()) out["name"] = drift.name;
  if (!drift.target_id.empty()) out["target_id"] = drift.target_id;
  if (!drift.attribute.empty()) out["attribute"] = drift.attribute;
  if (!drift.expected.is_null()) out["expected"] = drift.expected;
  if (!drift.actual.is_null()) out["actual"] = drift.actual;
  out["detail"] = drift.detail;
  return out;
}

std::map<DriftKind, std::size_t> DriftReport::counts() const {
  std::map<DriftKind, std::size_t> out;
  for (DriftKind kind : all_drift_kinds()) out[kind] = 0;
  for (const auto& item : drift) ++out[item.kind];
  return out;
}

bool same_value(const MappedAttribute& attribute, const std::optional<nlohmann::json>& actual) {
  bool expected_empty = attribute.value.is_null() || (attribute.value.is_string() && attribute.value.get<std::string>().empty());
  if (expected_empty || empty_value(actual)) return expected_empty && empty_value(actual);
  nlohmann::json value = *actual;
  if (attribute.value.is_boolean() && value.is_string()) value = lower(value.get<std::string>()) == "true";
  if (value == attribute.value) return true;
  return attribute.ignore_case && value.is_string() && attribute.value.is_string() &&
         lower(value.get<std::string>()) == lower(attribute.value.get<std::string>());
}

DriftReport compare(const Directory& directory, const LinkTable& links, const TargetSnapshot& target,
                    const MappingFn& mapping) {
  DriftReport report;
  for (const auto& problem : target.problems)
    report.drift.push_back({DriftKind::incomplete_read, "target", {}, {}, {}, {}, {}, {}, problem});

  // The target's users and the ones in scope.
  std::unordered_map<std::string, const nlohmann::json*> user_by_id;
  std::unordered_map<std::string, std::vector<std::string>> ids_by_name;  // lower(userName) -> ids
  std::unordered_set<std::string> domains, directory_names, linked_ids;
  // Sized once: these hold every user of a directory that may have a million.
  user_by_id.reserve(target.users.size());
  ids_by_name.reserve(target.users.size());
  directory_names.reserve(directory.users().size());
  linked_ids.reserve(links.user_ids.size());
  for (const auto& user : directory.users()) {
    domains.insert(domain_of(user.user_name));
    domains.insert(domain_of(user.email));
    directory_names.insert(lower(user.user_name));
  }
  domains.erase("");
  for (const auto& [key, id] : links.user_ids) linked_ids.insert(id);
  std::vector<std::string> in_scope;
  for (const auto& resource : target.users) {
    std::string id = resource.value("id", "");
    std::string name = resource.value("userName", "");
    user_by_id[id] = &resource;
    if (linked_ids.count(id) || directory_names.count(lower(name)) || domains.count(domain_of(name))) {
      in_scope.push_back(id);
      ids_by_name[lower(name)].push_back(id);
    }
  }
  report.target_users = target.users.size();
  report.target_users_in_scope = in_scope.size();
  report.target_groups = target.groups.size();

  for (const auto& [name, ids] : ids_by_name) {
    if (ids.size() < 2) continue;
    nlohmann::json spellings = nlohmann::json::array();
    for (const auto& id : ids) spellings.push_back(user_by_id[id]->value("userName", ""));
    report.drift.push_back({DriftKind::duplicate_user, "user", {}, name, ids.front(), "userName", {}, spellings,
                            std::to_string(ids.size()) + " accounts share this userName ignoring case (ids " +
                                nlohmann::json(ids).dump() + ")"});
  }

  // Accounts a live IdP user is linked to. A hire who takes the userName of someone deleted
  // earlier is matched to that person's old account by the existence check and reactivates it
  // (Okta O10); the account then belongs to the hire, not to the leaver.
  std::unordered_set<std::string> held_by_live;
  held_by_live.reserve(links.user_ids.size());
  for (const auto& user : directory.users())
    if (!user.deleted && user.active)
      if (const std::string* link = links.user_id(user.key)) held_by_live.insert(*link);

  // Each directory user against its account: the linked one, else one of the same name.
  std::unordered_set<std::string> claimed;
  std::unordered_map<std::string, std::string> account_of;  // directory key -> target id
  claimed.reserve(target.users.size());
  account_of.reserve(links.user_ids.size());
  for (const auto& user : directory.users()) {
    if (!user.deleted) ++report.directory_users;
    if (!user.deleted && user.active) ++report.directory_active_users;
    std::string id;
    bool linked = false;
    if (const std::string* link = links.user_id(user.key); link && user_by_id.count(*link)) {
      id = *link;
      linked = true;
    } else if (auto it = ids_by_name.find(lower(user.user_name)); it != ids_by_name.end() && !user.deleted) {
      for (const auto& candidate : it->second)
        if (!claimed.count(candidate)) {
          id = candidate;
          break;
        }
    }
    if (!id.empty()) claimed.insert(id);
    const nlohmann::json* account = id.empty() ? nullptr : user_by_id[id];
    // A deactivated member stays a member: both IdPs keep pushing the group as it is.
    if (account && linked && !user.deleted) account_of[user.key] = id;
    if (user.deleted || !user.active) {
      if (account && is_active(*account) && !held_by_live.count(id))
        report.drift.push_back({DriftKind::orphaned_user, "user", user.key, user.user_name, id, "active", false, true,
                                std::string("the account is still active although the IdP ") +
                                    (user.deleted ? "deleted the user" : "deactivated the user")});
      continue;
    }
    if (!account) {
      const std::string* link = links.user_id(user.key);
      report.drift.push_back({DriftKind::missing_user, "user", user.key, user.user_name, link ? *link : "", {}, {}, {},
                              link ? "the IdP linked target id " + *link + " but the target no longer has it"
                                   : "the IdP never got an account created for this user"});
      continue;
    }
    if (!linked) {
      report.drift.push_back({DriftKind::unlinked_user, "user", user.key, user.user_name, id, "userName",
                              user.user_name, account->value("userName", ""),
                              "the target holds this userName (ignoring case) but the IdP never linked the account: "
                              "it is not managed, and sign-in lands in it unprovisioned"});
      continue;
    }
    for (const MappedAttribute& attribute : mapping(user)) {
      std::optional<nlohmann::json> actual = read_path(*account, attribute.path);
      if (same_value(attribute, actual)) continue;
      report.drift.push_back({DriftKind::attribute_drift, "user", user.key, user.user_name, id, attribute.path,
                              attribute.value, actual ? *actual : nlohmann::json(), "the target's value differs"});
    }
  }
  for (const auto& id : in_scope) {
    if (claimed.count(id) || !is_active(*user_by_id[id])) continue;
    report.drift.push_back({DriftKind::orphaned_user, "user", {}, user_by_id[id]->value("userName", ""), id, {}, {}, {},
                            "an active account the IdP does not know"});
  }

  // Groups.
  std::unordered_map<std::string, const nlohmann::json*> group_by_id;
  std::unordered_map<std::string, std::string> group_by_name;
  for (const auto& resource : target.groups) {
    std::string id = resource.value("id", "");
    group_by_id[id] = &resource;
    group_by_name.emplace(lower(resource.value("displayName", "")), id);
  }
  std::unordered_map<std::string, std::string> user_name_of_id;
  for (const auto& [key, id] : account_of) user_name_of_id[id] = directory.get_user(key).user_name;
  for (const auto& group : directory.groups()) {
    const std::string* link = links.group_id(group.key);
    std::string id = link && group_by_id.count(*link) ? *link : "";
    if (group.deleted) {
      if (!id.empty())
        report.drift.push_back({DriftKind::orphaned_group, "group", group.key, group.display_name, id, {}, {}, {},
                                "the IdP deleted this group but the target still has it"});
      continue;
    }
    ++report.directory_groups;
    if (id.empty()) {
      auto it = group_by_name.find(lower(group.display_name));
      report.drift.push_back({DriftKind::missing_group, "group", group.key, group.display_name,
                              it == group_by_name.end() ? "" : it->second, {}, {}, {},
                              it == group_by_name.end() ? "no group on the target"
                                                        : "a group of this name exists but the IdP never linked it"});
      continue;
    }
    const nlohmann::json& resource = *group_by_id[id];
    if (resource.value("displayName", "") != group.display_name)
      report.drift.push_back({DriftKind::group_drift, "group", group.key, group.display_name, id, "displayName",
                              group.display_name, resource.value("displayName", ""), "the target's name differs"});
    std::set<std::string> expected, actual;
    for (const auto& member : group.members)
      if (auto it = account_of.find(member); it != account_of.end()) expected.insert(it->second);
    for (const auto& member : member_ids(resource)) actual.insert(member);
    // Members whose own account is already reported (missing, unlinked) are not counted twice.
    nlohmann::json missing = nlohmann::json::array(), unexpected = nlohmann::json::array();
    for (const auto& member : expected)
      if (!actual.count(member)) missing.push_back(user_name_of_id[member]);
    for (const auto& member : actual)
      if (!expected.count(member)) {
        bool known = user_by_id.count(member);
        std::string label = known ? user_by_id[member]->value("userName", member) : member;
        // Members the IdP does not manage (inactive leavers it removed, accounts outside
        // the directory) are unexpected as well: the IdP owns this group's membership.
        unexpected.push_back(label);
      }
    if (!missing.empty() || !unexpected.empty())
      report.drift.push_back({DriftKind::membership_drift, "group", group.key, group.display_name, id, "members",
                              {{"missing", missing}}, {{"unexpected", unexpected}},
                              std::to_string(missing.size()) + " member(s) missing, " +
                                  std::to_string(unexpected.size()) + " unexpected"});
  }
  return report;
}

}  // namespace sim
