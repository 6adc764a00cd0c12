#pragma once
// The SCIM layer of the reference server as a transport::Handler: authentication, routing
// below the base path, media types, and the one place where scim::Error becomes a response.
#include "reference_server/access/access_control.hpp"
#include "reference_server/api/admin_endpoint.hpp"
#include "reference_server/api/crud_endpoint.hpp"
#include "reference_server/api/service_config.hpp"
#include "reference_server/store/resource_store.hpp"
#include "reference_server/transport/http_server.hpp"
#include "scim/schema.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace refserver {

class ScimService : public transport::Handler {
 public:
  // Credentials are checked by `access` (scim_ tokens of the data file and config.bearer_tokens);
  // without one the service keeps its own over the store's file.
  ScimService(ServiceConfig config, const scim::SchemaRegistry& registry, ResourceStore& store,
              std::shared_ptr<access::AccessControl> access = nullptr);

  transport::HttpResponse handle(const transport::HttpRequest& request) override;
  transport::HttpResponse reject(int status, std::string_view reason) override;

  // Routes an already-authenticated request whose path is relative to the base path
  // ("/Users/123?attributes=id"). Bulk operations come through here too.
  transport::HttpResponse dispatch(std::string_view method, std::string_view relative_target,
                                   const transport::HttpRequest& request, bool inside_bulk);

  const ServiceConfig& config() const { return config_; }

 private:
  // nullopt when the request may proceed (`actor` then names the credential); otherwise the
  // 401 to answer.
  std::optional<transport::HttpResponse> refuse_unauthenticated(const transport::HttpRequest& request,
                                                                std::string& actor);
  transport::HttpResponse admin(const transport::HttpRequest& request);
  CrudEndpoint* endpoint_named(std::string_view segment);
  transport::HttpResponse service_provider_config() const;
  transport::HttpResponse resource_types(std::string_view name) const;
  transport::HttpResponse schemas(std::string_view urn) const;
  transport::HttpResponse root_search(const nlohmann::json& body);
  transport::HttpResponse bulk(const transport::HttpRequest& request);

  ServiceConfig config_;
  // The profile's own schemas when it changes any (clickhouse: User.roles readOnly).
  std::unique_ptr<scim::SchemaRegistry> profile_registry_;
  const scim::SchemaRegistry& registry_;
  ResourceStore& store_;
  std::vector<std::unique_ptr<CrudEndpoint>> endpoints_;
  std::shared_ptr<access::AccessControl> access_;
  std::unique_ptr<AdminEndpoint> admin_;
  std::unique_ptr<ProvisioningHooks> hooks_;
  std::atomic<unsigned> throttle_counter_{0};
};

// The SearchRequest body of RFC 7644 §3.4.3 as a ListQuery; 400 invalidValue on wrong types.
ListQuery list_query_from_search(const nlohmann::json& body);

}  // namespace refserver
