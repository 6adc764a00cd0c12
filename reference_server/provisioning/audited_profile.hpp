#pragma once
// The plain RFC profile with an audit trail: every SCIM write is recorded, in its own transaction, with
// the acting token and which attributes it changed (never their secret values).
#include "reference_server/access/access_control.hpp"
#include "reference_server/api/provisioning_hooks.hpp"

namespace refserver {

class AuditedProfile : public ProvisioningHooks {
 public:
  AuditedProfile(access::AccessControl& access, const ResourceStore& store) : access_(access), store_(store) {}

  void before_store(ResourceKind, nlohmann::json&, const nlohmann::json*) override {}
  ResourceStore::SameTransaction record_write(ResourceKind kind, WriteAction action, const std::string& id,
                                              const nlohmann::json* before, const nlohmann::json* after) override;
  std::string computed_user_members(const StoredResource&) const override { return {}; }

 protected:
  access::AccessControl& access_;
  const ResourceStore& store_;
};

// Top-level attributes whose values differ between two representations (meta excluded).
std::vector<std::string> changed_attributes(const nlohmann::json* before, const nlohmann::json* after);

}  // namespace refserver
