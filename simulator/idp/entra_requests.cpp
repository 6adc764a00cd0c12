#include "simulator/idp/entra_requests.hpp"

#include "simulator/client/url.hpp"
#include "simulator/idp/scim_json.hpp"

#include <stdexcept>

namespace sim {

std::string_view to_string(EntraDialect dialect) {
  return dialect == EntraDialect::scim ? "scim" : "aadOptscim062020";
}

EntraDialect parse_entra_dialect(std::string_view text) {
  if (text == "scim") return EntraDialect::scim;
  if (text == "aadOptscim062020") return EntraDialect::aad_opt_scim_062020;
  throw std::invalid_argument("unknown --dialect \"" + std::string(text) + "\"; use scim or aadOptscim062020");
}

namespace entra {

namespace {

bool flag(const Wire& wire) { return wire.dialect == EntraDialect::aad_opt_scim_062020; }

// E1: capitalized op names without the flag.
std::string op(const Wire& wire, std::string_view name) {
  std::string out(name);
  if (!flag(wire)) out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

scimclient::HttpRequestSpec request(const Wire& wire, std::string method, std::string url,
                                    const nlohmann::json* body = nullptr) {
  return idp_request(std::move(method), std::move(url), headers(wire, body != nullptr), body, wire.timeout);
}

std::string user_path(const std::string& id) { return "/Users/" + scimclient::encode_query_value(id); }
std::string group_path(const std::string& id) { return "/Groups/" + scimclient::encode_query_value(id); }

nlohmann::json member_values(const std::vector<std::string>& ids) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& id : ids) out.push_back({{"$ref", nullptr}, {"value", id}});
  return out;
}

}  // namespace

nlohmann::json active_value(EntraDialect dialect, bool active) {
  // E2: the Switch([IsSoftDeleted], …) mapping yields strings; the flag sends JSON booleans.
  if (dialect == EntraDialect::scim) return active ? "True" : "False";
  return active;
}

scimclient::Headers headers(const Wire& wire, bool with_body) {
  // E22: only Authorization and the body's media type are documented; Accept is an assumption
  // (gap D1), and no User-Agent is invented.
  scimclient::Headers out = {{"Authorization", wire.credential.authorization()}, {"Accept", "application/scim+json"}};
  if (with_body) out.emplace_back("Content-Type", "application/scim+json");
  return out;
}

scimclient::HttpRequestSpec find_user(const Wire& wire, const std::string& user_name) {
  return request(wire, "GET", scimclient::with_query("/Users", {{"filter", "userName eq " + filter_literal(user_name)}}));
}

scimclient::HttpRequestSpec get_user(const Wire& wire, const std::string& id) {
  return request(wire, "GET", user_path(id));
}

scimclient::HttpRequestSpec create_user(const Wire& wire, const DirUser& user) {
  nlohmann::json name = nlohmann::json::object();
  if (!user.display_name.empty()) name["formatted"] = user.display_name;
  if (!user.family_name.empty()) name["familyName"] = user.family_name;
  if (!user.given_name.empty()) name["givenName"] = user.given_name;
  nlohmann::json body = {
      {"schemas", {kUserSchema, kEnterpriseSchema}},
      {"externalId", user.nickname()},
      {"userName", user.user_name},
      {"active", active_value(wire.dialect, user.active)},
      {"emails", {{{"primary", true}, {"type", "work"}, {"value", user.email}}}},
      {"meta", {{"resourceType", "User"}}},
      {"name", name},
      {"roles", nlohmann::json::array()},
  };
  if (!user.display_name.empty()) body["displayName"] = user.display_name;
  if (!user.title.empty()) body["title"] = user.title;
  nlohmann::json extension = nlohmann::json::object();
  if (!user.department.empty()) extension["department"] = user.department;
  if (!user.employee_number.empty()) extension["employeeNumber"] = user.employee_number;
  if (!extension.empty()) body[kEnterpriseSchema] = extension;
  return request(wire, "POST", "/Users", &body);
}

scimclient::HttpRequestSpec update_user(const Wire& wire, const std::string& id, const std::vector<Delta>& deltas) {
  nlohmann::json operations = nlohmann::json::array();
  nlohmann::json keyed = nlohmann::json::object();
  for (const Delta& delta : deltas) {
    nlohmann::json value = delta.path == "active" && delta.value.is_boolean()
                               ? active_value(wire.dialect, delta.value.get<bool>())
                               : delta.value;
    if (delta.value.is_null()) {
      operations.push_back({{"op", op(wire, "remove")}, {"path", delta.path}});
    } else if (flag(wire) && delta.path != "active" && delta.path.find('[') == std::string::npos) {
      // E13: dotted and full-URN keys in one path-less replace.
      keyed[delta.path] = value;
    } else {
      operations.push_back({{"op", op(wire, delta.had_value ? "replace" : "add")}, {"path", delta.path}, {"value", value}});
    }
  }
  if (!keyed.empty())
    operations.insert(operations.begin(), nlohmann::json::object({{"op", "replace"}, {"value", keyed}}));
  nlohmann::json body = patch_message(std::move(operations));
  return request(wire, "PATCH", user_path(id), &body);
}

scimclient::HttpRequestSpec set_manager(const Wire& wire, const std::string& id, const std::string& manager_id) {
  std::string path = std::string(kEnterpriseSchema) + ":manager";
  nlohmann::json operation = manager_id.empty() ? nlohmann::json{{"op", op(wire, "remove")}, {"path", path}}
                                                : nlohmann::json{{"op", op(wire, "add")}, {"path", path}, {"value", manager_id}};
  nlohmann::json body = patch_message({operation});
  return request(wire, "PATCH", user_path(id), &body);
}

scimclient::HttpRequestSpec delete_user(const Wire& wire, const std::string& id) {
  return request(wire, "DELETE", user_path(id));
}

scimclient::HttpRequestSpec find_group(const Wire& wire, const std::string& display_name) {
  return request(wire, "GET",
                 scimclient::with_query("/Groups", {{"excludedAttributes", "members"},
                                                    {"filter", "displayName eq " + filter_literal(display_name)}}));
}

scimclient::HttpRequestSpec get_group(const Wire& wire, const std::string& id) {
  return request(wire, "GET", scimclient::with_query(group_path(id), {{"excludedAttributes", "members"}}));
}

scimclient::HttpRequestSpec create_group(const Wire& wire, const DirGroup& group) {
  nlohmann::json body = {{"schemas", {kGroupSchema, kMicrosoftGroupSchema}},
                         {"externalId", group.key},
                         {"displayName", group.display_name},
                         {"meta", {{"resourceType", "Group"}}}};
  return request(wire, "POST", "/Groups", &body);
}

scimclient::HttpRequestSpec rename_group(const Wire& wire, const std::string& id, const std::string& display_name) {
  nlohmann::json body = patch_message({{{"op", op(wire, "replace")}, {"path", "displayName"}, {"value", display_name}}});
  return request(wire, "PATCH", group_path(id), &body);
}

scimclient::HttpRequestSpec update_members(const Wire& wire, const std::string& id, const std::vector<std::string>& add,
                                           const std::vector<std::string>& remove) {
  nlohmann::json operations = nlohmann::json::array();
  if (!remove.empty()) {
    if (flag(wire)) {
      for (const auto& member : remove)
        operations.push_back({{"op", "remove"}, {"path", "members[value eq " + filter_literal(member) + "]"}});
    } else {
      // E3: the members to remove are listed in value; an RFC-literal server would drop them all.
      operations.push_back({{"op", "Remove"}, {"path", "members"}, {"value", member_values(remove)}});
    }
  }
  if (!add.empty()) operations.push_back({{"op", op(wire, "add")}, {"path", "members"}, {"value", member_values(add)}});
  nlohmann::json body = patch_message(std::move(operations));
  return request(wire, "PATCH", group_path(id), &body);
}

scimclient::HttpRequestSpec delete_group(const Wire& wire, const std::string& id) {
  return request(wire, "DELETE", group_path(id));
}

}  // namespace entra
}  // namespace sim
