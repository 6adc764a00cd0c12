#pragma once
// RFC 7644 §4: what the target says about itself, read before any case runs. A feature it
// declares absent makes the cases that need it `unsupported`; a feature it advertises and
// breaks is a failure.
#include "scim/schema.hpp"
#include "simulator/client/http_client.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace suites {

struct Discovery {
  nlohmann::json service_provider_config;  // null when unreadable
  nlohmann::json resource_types;           // the array of ResourceType documents
  nlohmann::json schemas;                  // the array of Schema documents
  std::vector<scimclient::Exchange> exchanges;

  // "patch", "bulk", "filter", "sort", "etag", "changePassword" (ServiceProviderConfig),
  // "users", "groups" (ResourceTypes), "enterprise-user" (the User type's extension).
  std::set<std::string> capabilities;
  int bulk_max_operations = 0;
  long long bulk_max_payload = 0;
  int filter_max_results = 0;

  // The target's own schemas when it serves usable ones; otherwise RFC 7643's, with a note.
  std::shared_ptr<const scim::SchemaRegistry> registry;
  bool registry_from_target = false;
  std::vector<std::string> notes;

  bool has(const std::string& capability) const { return capabilities.count(capability) > 0; }
  // Why a capability is absent, for the `unsupported` reason line.
  std::string why_absent(const std::string& capability) const;
};

// Reads /ServiceProviderConfig, /ResourceTypes and /Schemas through `client`. Never throws for
// what the target answers; an unreachable target leaves every document null and a note saying so.
Discovery discover(scimclient::Client& client, const std::filesystem::path& fixtures_dir);

// Every capability name a case may require, with where it is declared.
const std::vector<std::pair<std::string, std::string>>& known_capabilities();

}  // namespace suites
