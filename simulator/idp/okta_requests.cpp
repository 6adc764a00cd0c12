#include "simulator/idp/okta_requests.hpp"

#include "simulator/client/url.hpp"
#include "simulator/idp/scim_json.hpp"

namespace sim::okta {

namespace {

scimclient::HttpRequestSpec request(const Wire& wire, std::string method, std::string url,
                                    const nlohmann::json* body = nullptr) {
  return idp_request(std::move(method), std::move(url), headers(wire, body != nullptr), body, wire.timeout);
}

nlohmann::json members_json(const std::vector<Member>& members) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& member : members) out.push_back({{"value", member.id}, {"display", member.display}});
  return out;
}

void set_or_erase(nlohmann::json& object, const char* name, const std::string& value) {
  if (value.empty()) object.erase(name);
  else object[name] = value;
}

}  // namespace

scimclient::Headers headers(const Wire& wire, bool with_body) {
  scimclient::Headers out = {
      {"Authorization", wire.credential.authorization()},
      {"User-Agent", "Okta SCIM Client 1.0.0"},
      {"Accept", "application/scim+json"},
      {"Accept-Charset", "utf-8"},
      {"Connection", "Keep-Alive"},
  };
  if (with_body) out.emplace_back("Content-Type", "application/scim+json; charset=utf-8");
  return out;
}

scimclient::HttpRequestSpec find_user(const Wire& wire, const std::string& user_name) {
  return request(wire, "GET",
                 scimclient::with_query("/Users", {{"filter", "userName eq " + filter_literal(user_name)},
                                                   {"startIndex", "1"},
                                                   {"count", "100"}}));
}

nlohmann::json user_body(const DirUser& user) {
  nlohmann::json body = {{"schemas", {kUserSchema}}, {"userName", user.user_name}};
  nlohmann::json name = nlohmann::json::object();
  if (!user.given_name.empty()) name["givenName"] = user.given_name;
  if (!user.family_name.empty()) name["familyName"] = user.family_name;
  body["name"] = name;
  body["emails"] = {{{"primary", true}, {"value", user.email}, {"type", "work"}}};
  if (!user.display_name.empty()) body["displayName"] = user.display_name;
  if (!user.title.empty()) body["title"] = user.title;
  body["locale"] = "en-US";
  body["externalId"] = user.key;
  nlohmann::json extension = nlohmann::json::object();
  if (!user.department.empty()) extension["department"] = user.department;
  if (!user.employee_number.empty()) extension["employeeNumber"] = user.employee_number;
  if (!extension.empty()) {
    body["schemas"].push_back(kEnterpriseSchema);
    body[kEnterpriseSchema] = extension;
  }
  return body;
}

scimclient::HttpRequestSpec create_user(const Wire& wire, const DirUser& user, const std::string& password) {
  nlohmann::json body = user_body(user);
  body["groups"] = nlohmann::json::array();
  body["password"] = password;
  body["active"] = user.active;
  return request(wire, "POST", "/Users", &body);
}

scimclient::HttpRequestSpec get_user(const Wire& wire, const std::string& id) {
  return request(wire, "GET", "/Users/" + scimclient::encode_query_value(id));
}

nlohmann::json merge_profile(nlohmann::json server_user, const DirUser& user) {
  if (!server_user.is_object()) server_user = nlohmann::json::object();
  server_user["userName"] = user.user_name;
  // O7: only the mapped sub-attributes change; a stale name.formatted stays as the server had it.
  nlohmann::json& name = server_user["name"];
  if (!name.is_object()) name = nlohmann::json::object();
  set_or_erase(name, "givenName", user.given_name);
  set_or_erase(name, "familyName", user.family_name);
  set_or_erase(server_user, "displayName", user.display_name);
  set_or_erase(server_user, "title", user.title);
  server_user["externalId"] = user.key;
  server_user["active"] = user.active && !user.deleted;
  // O26: Okta reads and writes the primary email.
  nlohmann::json& emails = server_user["emails"];
  if (!emails.is_array()) emails = nlohmann::json::array();
  bool found = false;
  for (auto& email : emails)
    if (email.is_object() && email.value("primary", false) == true) {
      email["value"] = user.email;
      found = true;
      break;
    }
  if (!found) emails.insert(emails.begin(), {{"primary", true}, {"value", user.email}, {"type", "work"}});
  nlohmann::json& extension = server_user[kEnterpriseSchema];
  if (!extension.is_object()) extension = nlohmann::json::object();
  set_or_erase(extension, "department", user.department);
  set_or_erase(extension, "employeeNumber", user.employee_number);
  nlohmann::json& schemas = server_user["schemas"];
  if (!schemas.is_array()) schemas = {kUserSchema};
  bool listed = false;
  for (const auto& schema : schemas) listed = listed || schema == kEnterpriseSchema;
  if (extension.empty()) {
    server_user.erase(kEnterpriseSchema);
  } else if (!listed) {
    schemas.push_back(kEnterpriseSchema);
  }
  return server_user;
}

scimclient::HttpRequestSpec replace_user(const Wire& wire, const std::string& id, const nlohmann::json& body) {
  return request(wire, "PUT", "/Users/" + scimclient::encode_query_value(id), &body);
}

scimclient::HttpRequestSpec set_active(const Wire& wire, const std::string& id, bool active) {
  nlohmann::json body = patch_message({{{"op", "replace"}, {"value", {{"active", active}}}}});
  return request(wire, "PATCH", "/Users/" + scimclient::encode_query_value(id), &body);
}

scimclient::HttpRequestSpec find_group(const Wire& wire, const std::string& display_name) {
  return request(wire, "GET",
                 scimclient::with_query("/Groups", {{"filter", "displayName eq " + filter_literal(display_name)},
                                                    {"startIndex", "1"},
                                                    {"count", "100"}}));
}

scimclient::HttpRequestSpec create_group(const Wire& wire, const std::string& display_name,
                                         const std::vector<Member>& members) {
  nlohmann::json body = {{"schemas", {kGroupSchema}}, {"displayName", display_name}, {"members", members_json(members)}};
  return request(wire, "POST", "/Groups", &body);
}

scimclient::HttpRequestSpec get_group(const Wire& wire, const std::string& id) {
  return request(wire, "GET", "/Groups/" + scimclient::encode_query_value(id));
}

scimclient::HttpRequestSpec rename_group(const Wire& wire, const std::string& id, const std::string& display_name) {
  nlohmann::json body = patch_message({{{"op", "replace"}, {"value", {{"id", id}, {"displayName", display_name}}}}});
  return request(wire, "PATCH", "/Groups/" + scimclient::encode_query_value(id), &body);
}

scimclient::HttpRequestSpec update_members(const Wire& wire, const std::string& id, const std::vector<Member>& add,
                                           const std::vector<std::string>& remove) {
  nlohmann::json operations = nlohmann::json::array();
  for (const auto& member : remove)
    operations.push_back({{"op", "remove"}, {"path", "members[value eq " + filter_literal(member) + "]"}});
  if (!add.empty()) operations.push_back({{"op", "add"}, {"path", "members"}, {"value", members_json(add)}});
  nlohmann::json body = patch_message(std::move(operations));
  return request(wire, "PATCH", "/Groups/" + scimclient::encode_query_value(id), &body);
}

scimclient::HttpRequestSpec replace_members(const Wire& wire, const std::string& id, const std::vector<Member>& members) {
  nlohmann::json body = patch_message({{{"op", "replace"}, {"path", "members"}, {"value", members_json(members)}}});
  return request(wire, "PATCH", "/Groups/" + scimclient::encode_query_value(id), &body);
}

scimclient::HttpRequestSpec replace_group(const Wire& wire, const std::string& id, nlohmann::json server_group,
                                          const std::string& display_name, const std::vector<Member>& members) {
  if (!server_group.is_object()) server_group = {{"schemas", {kGroupSchema}}, {"id", id}};
  server_group["displayName"] = display_name;
  server_group["members"] = members_json(members);
  return request(wire, "PUT", "/Groups/" + scimclient::encode_query_value(id), &server_group);
}

scimclient::HttpRequestSpec delete_group(const Wire& wire, const std::string& id) {
  return request(wire, "DELETE", "/Groups/" + scimclient::encode_query_value(id));
}

scimclient::HttpRequestSpec list_page(const Wire& wire, const std::string& endpoint, std::int64_t start_index, int count) {
  return request(wire, "GET",
                 scimclient::with_query("/" + endpoint, {{"startIndex", std::to_string(start_index)},
                                                         {"count", std::to_string(count)}}));
}

}  // namespace sim::okta
