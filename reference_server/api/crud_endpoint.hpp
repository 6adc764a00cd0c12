#pragma once
// One resource endpoint (/Users or /Groups): create, read, replace, modify, delete and query,
// RFC 7644 §3.3–§3.6. Knows the store, the schema-driven validator, the PATCH engine and the
// filter evaluator; never sees the socket.
#include "reference_server/api/filter_eval.hpp"
#include "reference_server/api/patch.hpp"
#include "reference_server/api/projection.hpp"
#include "reference_server/api/provisioning_hooks.hpp"
#include "reference_server/api/resource_validator.hpp"
#include "reference_server/api/service_config.hpp"
#include "reference_server/store/resource_store.hpp"
#include "reference_server/transport/http_server.hpp"
#include "scim/schema.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace refserver {

// The query of a list or .search request (RFC 7644 §3.4.2, §3.4.3), already decoded.
struct ListQuery {
  std::optional<std::string> filter;
  std::optional<std::string> sort_by;
  std::optional<std::string> sort_order;
  std::optional<std::string> start_index;  // kept as text so bad numbers give a precise error
  std::optional<std::string> count;
  std::string attributes;           // comma-separated
  std::string excluded_attributes;  // comma-separated
};

// Conditional request headers (RFC 7644 §3.14).
struct Preconditions {
  std::string if_match;
  std::string if_none_match;
};

class CrudEndpoint {
 public:
  CrudEndpoint(const ServiceConfig& config, const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type,
               ResourceStore& store);

  ResourceKind kind() const { return kind_; }
  // The profile's hooks (provisioning_hooks.hpp); none means plain RFC behaviour.
  void set_hooks(ProvisioningHooks* hooks) { hooks_ = hooks; }
  const scim::ResourceTypeDef& type() const { return type_; }

  transport::HttpResponse create(const nlohmann::json& body, const Projection& projection);
  transport::HttpResponse read(const std::string& id, const Projection& projection, const Preconditions& pre);
  transport::HttpResponse replace(const std::string& id, const nlohmann::json& body, const Projection& projection,
                                  const Preconditions& pre);
  transport::HttpResponse modify(const std::string& id, const nlohmann::json& body, const Projection& projection,
                                 const Preconditions& pre);
  transport::HttpResponse remove(const std::string& id, const Preconditions& pre);

  // The resources matching `query.filter`, sorted as `query` asks (creation order otherwise).
  struct Match {
    ResourcePtr resource;
    nlohmann::json sort_key;  // null when the resource has no value for sortBy
    const CrudEndpoint* endpoint = nullptr;
  };
  std::vector<Match> matches(const ListQuery& query) const;
  transport::HttpResponse list(const ListQuery& query) const;

  // The full representation with computed attributes (User.groups), as JSON text.
  std::string render(const StoredResource& resource) const;
  // The stored JSON with meta.location and member $refs under this server's current base URL.
  std::string stored_text(const StoredResource& resource) const;

 private:
  std::string render(const StoredResource& resource, const Projection& projection) const;
  // The definition sortBy names, resolved against this type; nullptr when sortBy is absent.
  const scim::AttributeDef* sort_attribute(const ListQuery& query, scim::AttributePath* path) const;
  nlohmann::json sort_key(const nlohmann::json& resource, const scim::AttributePath& path) const;
  // Candidates from the in-memory indexes when the filter pins an indexed attribute with eq.
  std::optional<std::vector<ResourcePtr>> indexed_candidates(const scim::Filter& filter) const;
  friend transport::HttpResponse list_response(const std::vector<Match>&, const ListQuery&, std::size_t,
                                               const Faults&);

  transport::HttpResponse resource_response(int status, const StoredResource& resource,
                                            const Projection& projection) const;
  void add_etag(transport::HttpResponse& response, std::uint64_t version) const;
  transport::HttpResponse modify_op_by_op(const std::string& id, const nlohmann::json& body,
                                          const Projection& projection, const Preconditions& pre);
  // Rewrites members for storage: unknown ids refused, duplicates dropped, type and $ref filled.
  std::vector<std::string> resolve_members(nlohmann::json& resource) const;
  // Deliberate defects that drop part of a valid change (deactivation-ignored,
  // member-removal-ignored); a no-op without them.
  void ignore_faulty_changes(const nlohmann::json& existing, nlohmann::json& resource) const;
  // The store's name index key: userName or displayName.
  std::string name_key(const nlohmann::json& resource) const;
  StoredResource to_record(const std::string& id, std::uint64_t version, nlohmann::json& resource) const;
  // The profile's record of a write (empty without a profile), for the store's transaction.
  ResourceStore::SameTransaction record_write(WriteAction action, const std::string& id, const nlohmann::json* before,
                                              const nlohmann::json* after) const;
  nlohmann::json stamp_meta(const std::string& id, std::uint64_t version, const std::string& created) const;
  // Read-modify-write with optimistic retry; `change` computes the new resource from the old.
  template <typename Change>
  transport::HttpResponse update(const std::string& id, const Preconditions& pre, const Projection& projection,
                                 WriteAction action, Change change);

  const ServiceConfig& config_;
  const scim::SchemaRegistry& registry_;
  const scim::ResourceTypeDef& type_;
  ResourceStore& store_;
  ResourceKind kind_;
  ResourceValidator validator_;
  PatchEngine patch_;
  FilterEvaluator evaluator_;
  std::string location_prefix_;  // base_url + endpoint + "/"
  bool has_request_only_;        // some attribute is returned "request" (RFC 7643 §7)
  ProvisioningHooks* hooks_ = nullptr;
};

// RFC 7644 §3.4.2.3 ordering of matches (stable; resources without a value sort last).
void sort_matches(std::vector<CrudEndpoint::Match>& matches, const ListQuery& query,
                  const scim::AttributeDef* sort_attribute);

// RFC 7644 §3.4.2: the ListResponse for one page of `matches`, rendered with `query`'s
// attributes/excludedAttributes. Paging parameters are validated here (400 invalidValue).
transport::HttpResponse list_response(const std::vector<CrudEndpoint::Match>& matches, const ListQuery& query,
                                      std::size_t max_results, const Faults& faults);

// RFC 7232 §3.1/§3.2 matching of an If-Match / If-None-Match list against a weak ETag.
bool etag_matches(std::string_view header, std::string_view etag);

}  // namespace refserver
