#include "reference_server/provisioning/clickhouse_profile.hpp"

#include "reference_server/access/current_actor.hpp"
#include "reference_server/api/admin_endpoint.hpp"
#include "scim/error.hpp"
#include "scim/schema.hpp"

namespace refserver {

namespace {

// The email the account signs in with: the primary one (what Okta marks), else the work one
// (what Entra maps), else none.
const nlohmann::json* sign_in_email(const nlohmann::json& emails) {
  if (!emails.is_array()) return nullptr;
  for (const auto& email : emails)
    if (email.is_object() && email.value("primary", false) && email.contains("value")) return &email;
  for (const auto& email : emails)
    if (email.is_object() && email.value("type", "") == "work" && email.contains("value")) return &email;
  return nullptr;
}

void normalise_user(nlohmann::json& user) {
  if (auto name = user.find("userName"); name != user.end() && name->is_string()) *name = scim::to_lower(name->get_ref<const std::string&>());
  if (auto emails = user.find("emails"); emails != user.end() && emails->is_array())
    for (auto& email : *emails)
      if (email.is_object() && email.contains("value") && email["value"].is_string())
        email["value"] = scim::to_lower(email["value"].get_ref<const std::string&>());
  // Roles come from group mapping only; what a client sends for them is ignored like any
  // read-only value.
  user.erase("roles");
}

}  // namespace

void ClickHouseProfile::before_store(ResourceKind kind, nlohmann::json& resource, const nlohmann::json* previous) {
  if (kind == ResourceKind::user) {
    normalise_user(resource);
    auto emails = resource.find("emails");
    if (const nlohmann::json* email = emails == resource.end() ? nullptr : sign_in_email(*emails)) {
      const std::string user_name = resource.value("userName", "");
      const std::string value = (*email)["value"].get<std::string>();
      if (user_name != value)
        throw scim::Error(400, scim::ScimType::invalid_value,
                          "userName \"" + user_name + "\" differs from the " +
                              ((*email).value("primary", false) ? "primary" : "work") + " email \"" + value +
                              "\"; the account signs in by its email, so map userName to the same email in the IdP");
    }
    return;
  }
  // A new group name, pushed or renamed, must map to a role now: refusing it later would leave
  // members provisioned without the access the IdP meant to give.
  std::string name = resource.value("displayName", "");
  std::string old_name = previous ? previous->value("displayName", "") : "";
  if (!name.empty() && (!previous || name != old_name)) {
    const std::string& actor = access::current_actor();
    access_.ensure_role_for_group(actor.empty() ? "internal" : actor, name);
  }
}

std::string ClickHouseProfile::computed_user_members(const StoredResource& user) const {
  nlohmann::json roles = nlohmann::json::array();
  for (const access::EffectiveRole& role : user_effective_roles(access_, store_, user)) roles.push_back(to_json(role));
  return ",\"roles\":" + roles.dump();
}

}  // namespace refserver
