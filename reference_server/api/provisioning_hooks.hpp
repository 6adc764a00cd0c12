#pragma once
// What a provisioning profile adds to plain RFC behaviour, at the three points where a
// resource endpoint lets it in: before a write (normalise or refuse), with a write in its
// transaction (audit) and when a user is rendered (computed attributes). The endpoint
// stays a plain RFC 7644 endpoint; profiles (reference_server/provisioning/) live apart.
#include "reference_server/store/resource_store.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace refserver {

enum class WriteAction { create, replace, modify, remove };
std::string_view to_string(WriteAction action);

class ProvisioningHooks {
 public:
  virtual ~ProvisioningHooks() = default;
  // A validated resource about to be stored; `previous` is null on create. Throws scim::Error
  // to refuse the write.
  virtual void before_store(ResourceKind kind, nlohmann::json& resource, const nlohmann::json* previous) = 0;
  // What to write with a resource write, in its transaction (the audit entry), or an empty
  // function for nothing: the change and its record commit together or not at all. `before` is
  // null on create, `after` null on remove.
  virtual ResourceStore::SameTransaction record_write(ResourceKind kind, WriteAction action, const std::string& id,
                                                      const nlohmann::json* before, const nlohmann::json* after) = 0;
  // Members to splice into a user's JSON object (",\"roles\":[…]"), or "" for none.
  virtual std::string computed_user_members(const StoredResource& user) const = 0;
};

}  // namespace refserver
