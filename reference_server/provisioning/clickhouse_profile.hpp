#pragma once
// The modelled service's documented provisioning rules on top of the audited RFC profile:
//  - userName and emails are stored lowercase, so uniqueness is case-insensitive by value;
//  - the userName must be the user's primary email (Okta) or work email (Entra), because SAML
//    signs the account in by that email;
//  - a pushed or renamed group maps to a role (creating a custom role when nothing matches);
//  - a user's effective roles are the read-only `roles` attribute; a deactivated user has none.
#include "reference_server/provisioning/audited_profile.hpp"

namespace refserver {

class ClickHouseProfile : public AuditedProfile {
 public:
  using AuditedProfile::AuditedProfile;

  void before_store(ResourceKind kind, nlohmann::json& resource, const nlohmann::json* previous) override;
  std::string computed_user_members(const StoredResource& user) const override;
};

}  // namespace refserver
