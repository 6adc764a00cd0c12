#include "simulator/idp/user_mapping.hpp"

#include "simulator/idp/scim_json.hpp"

namespace sim {

nlohmann::json value_or_null(const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); }

namespace {

std::string enterprise(const char* attribute) { return std::string(kEnterpriseSchema) + ":" + attribute; }

}  // namespace

std::vector<MappedAttribute> okta_mapping(const DirUser& user) {
  return {
      {"userName", user.user_name, true},
      {"externalId", user.key},
      {"displayName", value_or_null(user.display_name)},
      {"name.givenName", value_or_null(user.given_name)},
      {"name.familyName", value_or_null(user.family_name)},
      {kOktaEmailPath, value_or_null(user.email), true},
      {"title", value_or_null(user.title)},
      {"active", user.active && !user.deleted},
      {enterprise("department"), value_or_null(user.department)},
      {enterprise("employeeNumber"), value_or_null(user.employee_number)},
  };
}

std::vector<MappedAttribute> entra_mapping(const DirUser& user, const LinkTable& links) {
  nlohmann::json manager;
  if (!user.manager.empty())
    if (const std::string* id = links.user_id(user.manager)) manager = *id;
  return {
      {"userName", user.user_name, true},
      {"externalId", user.nickname()},
      {"displayName", value_or_null(user.display_name)},
      {"name.givenName", value_or_null(user.given_name)},
      {"name.familyName", value_or_null(user.family_name)},
      {kEntraEmailPath, value_or_null(user.email), true},
      {"title", value_or_null(user.title)},
      {"active", user.active && !user.deleted},
      {enterprise("department"), value_or_null(user.department)},
      {enterprise("employeeNumber"), value_or_null(user.employee_number)},
      {enterprise("manager.value"), manager},
  };
}

}  // namespace sim
