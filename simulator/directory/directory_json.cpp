#include "simulator/directory/directory_json.hpp"

#include <set>
#include <stdexcept>

namespace sim {

namespace {

void check_fields(const nlohmann::json& value, const std::set<std::string>& allowed, const std::string& what) {
  if (!value.is_object()) throw std::invalid_argument(what + " must be a JSON object");
  for (const auto& [name, field] : value.items())
    if (!allowed.count(name)) throw std::invalid_argument(what + " has an unknown field \"" + name + "\"");
}

std::string text(const nlohmann::json& value, const char* name, const std::string& what, bool required = false) {
  auto it = value.find(name);
  if (it == value.end() || it->is_null()) {
    if (required) throw std::invalid_argument(what + " needs \"" + name + "\"");
    return {};
  }
  if (!it->is_string()) throw std::invalid_argument(what + ": \"" + name + "\" must be a string");
  return it->get<std::string>();
}

void put(nlohmann::json& out, const char* name, const std::string& value) {
  if (!value.empty()) out[name] = value;
}

}  // namespace

DirUser user_from_json(const nlohmann::json& value) {
  check_fields(value, {"key", "userName", "email", "givenName", "familyName", "displayName", "mailNickname", "active",
                       "deleted", "department", "employeeNumber", "title", "manager"},
               "a directory user");
  DirUser user;
  user.key = text(value, "key", "a directory user", true);
  std::string what = "directory user \"" + user.key + "\"";
  user.user_name = text(value, "userName", what, true);
  user.email = text(value, "email", what);
  if (user.email.empty()) user.email = user.user_name;
  user.given_name = text(value, "givenName", what);
  user.family_name = text(value, "familyName", what);
  user.display_name = text(value, "displayName", what);
  if (user.display_name.empty()) {
    user.display_name = user.given_name;
    if (!user.family_name.empty()) user.display_name += (user.display_name.empty() ? "" : " ") + user.family_name;
  }
  user.mail_nickname = text(value, "mailNickname", what);
  for (const char* flag : {"active", "deleted"}) {
    auto it = value.find(flag);
    if (it == value.end()) continue;
    if (!it->is_boolean()) throw std::invalid_argument(what + ": \"" + flag + "\" must be true or false");
    (std::string(flag) == "active" ? user.active : user.deleted) = it->get<bool>();
  }
  user.department = text(value, "department", what);
  user.employee_number = text(value, "employeeNumber", what);
  user.title = text(value, "title", what);
  user.manager = text(value, "manager", what);
  return user;
}

DirGroup group_from_json(const nlohmann::json& value) {
  check_fields(value, {"key", "displayName", "members", "deleted"}, "a directory group");
  DirGroup group;
  group.key = text(value, "key", "a directory group", true);
  std::string what = "directory group \"" + group.key + "\"";
  group.display_name = text(value, "displayName", what, true);
  if (auto it = value.find("members"); it != value.end()) {
    if (!it->is_array()) throw std::invalid_argument(what + ": \"members\" must be an array of user keys");
    for (const auto& member : *it) {
      if (!member.is_string()) throw std::invalid_argument(what + ": \"members\" must hold user keys (strings)");
      group.members.insert(member.get<std::string>());
    }
  }
  if (auto it = value.find("deleted"); it != value.end()) group.deleted = it->get<bool>();
  return group;
}

Directory directory_from_json(const nlohmann::json& value) {
  check_fields(value, {"users", "groups"}, "a directory");
  Directory directory;
  if (auto it = value.find("users"); it != value.end()) {
    if (!it->is_array()) throw std::invalid_argument("a directory's \"users\" must be an array");
    for (const auto& user : *it) directory.add_user(user_from_json(user));
  }
  if (auto it = value.find("groups"); it != value.end()) {
    if (!it->is_array()) throw std::invalid_argument("a directory's \"groups\" must be an array");
    for (const auto& group : *it) directory.add_group(group_from_json(group));
  }
  // Dangling references would make the IdP send requests for nobody.
  for (const auto& group : directory.groups())
    for (const auto& member : group.members)
      if (!directory.find_user(member))
        throw std::invalid_argument("directory group \"" + group.key + "\" lists unknown member \"" + member + "\"");
  for (const auto& user : directory.users())
    if (!user.manager.empty() && !directory.find_user(user.manager))
      throw std::invalid_argument("directory user \"" + user.key + "\" names unknown manager \"" + user.manager + "\"");
  return directory;
}

nlohmann::json to_json(const DirUser& user) {
  nlohmann::json out{{"key", user.key}, {"userName", user.user_name}};
  put(out, "email", user.email);
  put(out, "givenName", user.given_name);
  put(out, "familyName", user.family_name);
  put(out, "displayName", user.display_name);
  put(out, "mailNickname", user.mail_nickname);
  out["active"] = user.active;
  if (user.deleted) out["deleted"] = true;
  put(out, "department", user.department);
  put(out, "employeeNumber", user.employee_number);
  put(out, "title", user.title);
  put(out, "manager", user.manager);
  return out;
}

nlohmann::json to_json(const DirGroup& group) {
  nlohmann::json out{{"key", group.key}, {"displayName", group.display_name}, {"members", group.members}};
  if (group.deleted) out["deleted"] = true;
  return out;
}

nlohmann::json to_json(const Directory& directory) {
  nlohmann::json users = nlohmann::json::array(), groups = nlohmann::json::array();
  for (const auto& user : directory.users()) users.push_back(to_json(user));
  for (const auto& group : directory.groups()) groups.push_back(to_json(group));
  return {{"users", users}, {"groups", groups}};
}

}  // namespace sim
