#include "reference_server/api/scim_service.hpp"

#include "reference_server/access/current_actor.hpp"
#include "reference_server/api/json_body.hpp"
#include "reference_server/provisioning/clickhouse_profile.hpp"
#include "reference_server/provisioning/clickhouse_schema.hpp"
#include "reference_server/api/request_target.hpp"
#include "reference_server/api/scim_response.hpp"
#include "scim/urns.hpp"

#include <openssl/crypto.h>

namespace refserver {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    auto slash = path.find('/');
    std::string_view segment = path.substr(0, slash);
    if (!segment.empty()) segments.push_back(segment);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

scim::Error method_not_allowed(std::string_view method, std::string_view path, std::string_view allowed) {
  return scim::Error(405, scim::ScimType::none,
                     std::string(method) + " is not allowed on " + std::string(path) + "; allowed: " +
                         std::string(allowed));
}

ListQuery list_query_from_params(const RequestTarget& target) {
  ListQuery query;
  query.filter = target.param("filter");
  query.sort_by = target.param("sortBy");
  query.sort_order = target.param("sortOrder");
  query.start_index = target.param("startIndex");
  query.count = target.param("count");
  query.attributes = target.param("attributes").value_or("");
  query.excluded_attributes = target.param("excludedAttributes").value_or("");
  return query;
}

Projection projection_from_params(const RequestTarget& target) {
  return parse_projection(target.param("attributes").value_or(""), target.param("excludedAttributes").value_or(""));
}

std::string join_strings(const nlohmann::json& value, const char* name) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_array())
    throw scim::Error::bad_request(scim::ScimType::invalid_value,
                                   std::string(name) + " must be an array of attribute names");
  std::string out;
  for (const auto& item : value) {
    if (!item.is_string())
      throw scim::Error::bad_request(scim::ScimType::invalid_value,
                                     std::string(name) + " must be an array of attribute names");
    if (!out.empty()) out.push_back(',');
    out += item.get<std::string>();
  }
  return out;
}

// Discovery lists are small and never paged: one ListResponse holds them all (RFC 7644 §4).
nlohmann::json whole_list(nlohmann::json resources) {
  std::size_t size = resources.size();
  return {{"schemas", {std::string(scim::urn::list_response)}},
          {"totalResults", size},
          {"startIndex", 1},
          {"itemsPerPage", size},
          {"Resources", std::move(resources)}};
}

// Routing on structural elements is case-insensitive: Microsoft's guidance is "don't require a
// case-sensitive match on structural elements" (idp-quirks E1).
bool segment_is(std::string_view segment, std::string_view name) { return scim::iequals(segment, name); }

}  // namespace

ListQuery list_query_from_search(const nlohmann::json& body) {
  if (!body.is_object())
    throw scim::Error::bad_request(scim::ScimType::invalid_syntax, "a SearchRequest must be a JSON object");
  ListQuery query;
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& value = it.value();
    auto text = [&](const char* name) {
      if (value.is_string()) return value.get<std::string>();
      if (value.is_number_integer()) return std::to_string(value.get<long long>());
      throw scim::Error::bad_request(scim::ScimType::invalid_value, std::string(name) + " has the wrong type");
    };
    if (scim::iequals(key, "filter")) query.filter = text("filter");
    else if (scim::iequals(key, "sortBy")) query.sort_by = text("sortBy");
    else if (scim::iequals(key, "sortOrder")) query.sort_order = text("sortOrder");
    else if (scim::iequals(key, "startIndex")) query.start_index = text("startIndex");
    else if (scim::iequals(key, "count")) query.count = text("count");
    else if (scim::iequals(key, "attributes")) query.attributes = join_strings(value, "attributes");
    else if (scim::iequals(key, "excludedAttributes")) query.excluded_attributes = join_strings(value, "excludedAttributes");
  }
  return query;
}

ScimService::ScimService(ServiceConfig config, const scim::SchemaRegistry& registry, ResourceStore& store,
                         std::shared_ptr<access::AccessControl> access)
    : config_(std::move(config)),
      profile_registry_(config_.profile == "clickhouse" ? std::make_unique<scim::SchemaRegistry>(clickhouse_registry(registry))
                                                        : nullptr),
      registry_(profile_registry_ ? *profile_registry_ : registry),
      store_(store),
      access_(std::move(access)) {
  for (const char* name : {"User", "Group"}) {
    const scim::ResourceTypeDef* type = registry_.find_resource_type(name);
    if (!type) throw std::runtime_error(std::string("the schema fixtures define no ") + name + " resource type");
    endpoints_.push_back(std::make_unique<CrudEndpoint>(config_, registry_, *type, store_));
  }
  if (!access_)
    access_ = std::make_shared<access::AccessControl>(
        [&store](const std::function<void(sqlite::Database&)>& work) { store.with_database(work); },
        config_.bearer_tokens);
  admin_ = std::make_unique<AdminEndpoint>(*access_, store_);
  if (config_.profile == "clickhouse") hooks_ = std::make_unique<ClickHouseProfile>(*access_, store_);
  else if (config_.profile == "rfc") hooks_ = std::make_unique<AuditedProfile>(*access_, store_);
  else throw std::invalid_argument("unknown profile " + config_.profile + "; use clickhouse or rfc");
  for (auto& endpoint : endpoints_) endpoint->set_hooks(hooks_.get());
}

std::optional<transport::HttpResponse> ScimService::refuse_unauthenticated(const transport::HttpRequest& request,
                                                                           std::string& actor) {
  std::string_view header = request.header("Authorization");
  // Fault auth-any-token: a server that checks for a bearer token but not which one.
  if (config_.faults.has(Fault::auth_any_token) && header.size() > 7 && scim::iequals(header.substr(0, 7), "Bearer ")) {
    actor = "any-token";
    return std::nullopt;
  }
  std::string client = std::string(request.header("User-Agent"));
  access::AuthResult result = access_->authenticate(header, client);
  if (result.accepted) {
    actor = result.actor;
    return std::nullopt;
  }
  transport::HttpResponse response = error_response(scim::Error(401, scim::ScimType::none, result.detail), config_.faults);
  // Fault unauthorized-no-body: a server whose auth filter answers before the SCIM layer.
  if (config_.faults.has(Fault::unauthorized_no_body)) response = empty_response(401);
  response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"scimulator\"");
  response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"scimulator\"");
  return response;
}

transport::HttpResponse ScimService::admin(const transport::HttpRequest& request) {
  if (config_.admin_token.empty())
    throw scim::Error(404, scim::ScimType::none,
                      "the admin endpoint is off; start scimulator serve with --admin-token to turn it on");
  std::string_view header = request.header("Authorization");
  std::string expected = "Bearer " + config_.admin_token;
  if (header.size() != expected.size() || CRYPTO_memcmp(header.data(), expected.data(), expected.size()) != 0) {
    access_->record("anonymous", "auth.refused", "admin", {{"reason", "wrong or missing admin token"}});
    transport::HttpResponse response = error_response(
        scim::Error(401, scim::ScimType::none,
                    "the admin endpoint needs Authorization: Bearer <the --admin-token given to serve>"),
        config_.faults);
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"scimulator-admin\"");
    return response;
  }
  return admin_->handle(request.method, request.target, request.body, "admin");
}

transport::HttpResponse ScimService::reject(int status, std::string_view reason) {
  return error_response(scim::Error(status, scim::ScimType::none, std::string(reason)), config_.faults);
}

transport::HttpResponse ScimService::handle(const transport::HttpRequest& request) {
  try {
    std::string_view target = request.target;
    std::string_view base = config_.base_path;
    std::string_view path_only = target.substr(0, target.find('?'));
    std::string_view admin_prefix = kAdminPrefix;
    if (path_only.size() >= admin_prefix.size() && path_only.compare(0, admin_prefix.size(), admin_prefix) == 0 &&
        (path_only.size() == admin_prefix.size() || path_only[admin_prefix.size()] == '/'))
      return admin(request);
    // Fault throttle: a rate limit that refuses a share of the SCIM traffic, as busy services do.
    if (config_.faults.has(Fault::throttle) && throttle_counter_.fetch_add(1, std::memory_order_relaxed) % kThrottleEvery ==
                                                  kThrottleEvery - 1) {
      transport::HttpResponse response = error_response(
          scim::Error(429, scim::ScimType::none,
                      "too many requests; retry after " + std::to_string(kThrottleRetryAfterSeconds) + " second(s)"),
          config_.faults);
      response.headers.emplace_back("Retry-After", std::to_string(kThrottleRetryAfterSeconds));
      return response;
    }
    bool under_base = base.empty() || (path_only.size() >= base.size() && scim::iequals(path_only.substr(0, base.size()), base) &&
                                       (path_only.size() == base.size() || path_only[base.size()] == '/'));
    if (!under_base)
      throw scim::Error::not_found("no SCIM endpoint at " + std::string(path_only) + "; the base path is " +
                                   config_.base_path);
    std::string actor;
    if (auto refusal = refuse_unauthenticated(request, actor)) return *refusal;
    access::ActorScope acting(std::move(actor));
    return dispatch(request.method, target.substr(base.size()), request, false);
  } catch (const scim::Error& error) {
    return error_response(error, config_.faults);
  }
}

CrudEndpoint* ScimService::endpoint_named(std::string_view segment) {
  for (auto& endpoint : endpoints_)
    if (scim::iequals(std::string_view(endpoint->type().endpoint).substr(1), segment)) return endpoint.get();
  return nullptr;
}

transport::HttpResponse ScimService::dispatch(std::string_view method, std::string_view relative_target,
                                              const transport::HttpRequest& request, bool inside_bulk) {
  try {
    RequestTarget target = parse_request_target(relative_target);
    std::vector<std::string_view> segments = split_path(target.path);
    const std::string& body_text = request.body;
    auto body = [&]() {
      require_json_media_type(request.header("Content-Type"));
      return parse_json_body(body_text, config_.max_json_depth);
    };
    Preconditions pre{std::string(request.header("If-Match")), std::string(request.header("If-None-Match"))};

    if (segments.empty())
      throw scim::Error::not_found("the base path itself is not an endpoint; try " + config_.base_path + "/Users");

    std::string_view head = segments[0];
    if (CrudEndpoint* endpoint = endpoint_named(head)) {
      if (segments.size() == 1) {
        if (method == "GET") return endpoint->list(list_query_from_params(target));
        if (method == "POST") return endpoint->create(body(), projection_from_params(target));
        throw method_not_allowed(method, target.path, "GET, POST");
      }
      if (segments.size() == 2 && segments[1] == ".search") {
        if (method != "POST") throw method_not_allowed(method, target.path, "POST");
        return endpoint->list(list_query_from_search(body()));
      }
      if (segments.size() == 2) {
        std::string id(segments[1]);
        if (method == "GET") return endpoint->read(id, projection_from_params(target), pre);
        if (method == "PUT") return endpoint->replace(id, body(), projection_from_params(target), pre);
        if (method == "PATCH") return endpoint->modify(id, body(), projection_from_params(target), pre);
        if (method == "DELETE") return endpoint->remove(id, pre);
        throw method_not_allowed(method, target.path, "GET, PUT, PATCH, DELETE");
      }
      throw scim::Error::not_found("no SCIM endpoint at " + target.path);
    }
    if (segments.size() == 1 && segments[0] == ".search") {
      if (method != "POST") throw method_not_allowed(method, target.path, "POST");
      return root_search(body());
    }
    if (segment_is(head, "ServiceProviderConfig") || segment_is(head, "ServiceProviderConfigs")) {
      if (method != "GET") throw method_not_allowed(method, target.path, "GET");
      if (segments.size() != 1) throw scim::Error::not_found("no SCIM endpoint at " + target.path);
      return service_provider_config();
    }
    if (segment_is(head, "ResourceTypes") || segment_is(head, "Schemas")) {
      if (method != "GET") throw method_not_allowed(method, target.path, "GET");
      if (segments.size() > 2) throw scim::Error::not_found("no SCIM endpoint at " + target.path);
      // RFC 7644 §4: filtering discovery endpoints SHOULD be answered with 403.
      if (target.param("filter"))
        throw scim::Error(403, scim::ScimType::none, "filtering is not supported on " + std::string(head));
      std::string_view name = segments.size() == 2 ? segments[1] : std::string_view{};
      return segment_is(head, "Schemas") ? schemas(name) : resource_types(name);
    }
    if (segment_is(head, "Bulk")) {
      if (segments.size() != 1) throw scim::Error::not_found("no SCIM endpoint at " + target.path);
      if (method != "POST") throw method_not_allowed(method, target.path, "POST");
      if (inside_bulk)
        throw scim::Error::bad_request(scim::ScimType::invalid_value, "a bulk operation cannot call /Bulk");
      return bulk(request);
    }
    if (segment_is(head, "Me")) {
      // RFC 7644 §3.11: a provider that does not support /Me SHOULD answer 501.
      throw scim::Error(501, scim::ScimType::none,
                        "/Me is not implemented: bearer tokens here name no subject; use /Users/{id}");
    }
    throw scim::Error::not_found("no SCIM endpoint at " + target.path +
                                 "; endpoints are /Users, /Groups, /ServiceProviderConfig, /ResourceTypes, /Schemas, "
                                 "/Bulk, /.search");
  } catch (const scim::Error& error) {
    transport::HttpResponse response = error_response(error, config_.faults);
    if (error.status() == 405) {
      auto allowed = error.detail().substr(error.detail().rfind(": ") + 2);
      response.headers.emplace_back("Allow", allowed);
    }
    return response;
  }
}

transport::HttpResponse ScimService::root_search(const nlohmann::json& body) {
  ListQuery query = list_query_from_search(body);
  // RFC 7644 §3.4.3: a search at the root spans every resource type; the filter is applied to
  // each type with that type's schema.
  std::vector<CrudEndpoint::Match> all;
  const scim::AttributeDef* sort_def = nullptr;
  // RFC 7644 §3.4.2.1: in a query over several resource types, an attribute one type does not
  // define is treated "as if there is no attribute value": that type's resources do not match
  // such a filter and sort as unassigned. Only a query no type can answer is refused.
  std::optional<scim::Error> refusal;
  bool answered = false;
  for (auto& endpoint : endpoints_) {
    std::vector<CrudEndpoint::Match> part;
    try {
      part = endpoint->matches(query);
    } catch (const scim::Error& error) {
      if (error.status() != 400) throw;
      if (!refusal) refusal = error;
      if (!query.sort_by) continue;
      ListQuery unsorted = query;
      unsorted.sort_by.reset();
      try {
        part = endpoint->matches(unsorted);  // the sort attribute is what this type lacks
      } catch (const scim::Error& again) {
        if (again.status() != 400) throw;
        continue;  // the filter names what this type lacks: none of its resources match
      }
    }
    answered = true;
    all.insert(all.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  if (!answered && refusal) throw *refusal;
  // Fault sort-ignored: the root-search half of the hook in CrudEndpoint::matches.
  if (query.sort_by && !config_.faults.has(Fault::sort_ignored)) {
    // Each type sorted its own part; merge them by the same rule.
    scim::AttributePath path = scim::parse_attribute_path(*query.sort_by, scim::ScimType::invalid_value);
    for (auto& endpoint : endpoints_)
      if (auto resolved = registry_.resolve(endpoint->type(), path.urn, path.attribute, path.sub_attribute)) {
        sort_def = &resolved->target();
        break;
      }
    sort_matches(all, query, sort_def);
  }
  return list_response(all, query, config_.max_results, config_.faults);
}

transport::HttpResponse ScimService::service_provider_config() const {
  nlohmann::json doc = {
      {"schemas", {std::string(scim::urn::service_provider_config)}},
      {"documentationUri", "https://github.com/scimulator/scimulator#readme"},
      {"patch", {{"supported", true}}},
      {"bulk",
       {{"supported", true},
        {"maxOperations", config_.bulk_max_operations},
        {"maxPayloadSize", config_.bulk_max_payload}}},
      {"filter", {{"supported", true}, {"maxResults", config_.max_results}}},
      {"changePassword", {{"supported", false}}},
      {"sort", {{"supported", true}}},
      {"etag", {{"supported", true}}},
      {"authenticationSchemes",
       {{{"type", "oauthbearertoken"},
         {"name", "OAuth Bearer Token"},
         {"description", "Authentication with a static bearer token given to scimulator serve --token"},
         {"specUri", "https://www.rfc-editor.org/rfc/rfc6750"},
         {"primary", true}}}},
      {"meta",
       {{"resourceType", "ServiceProviderConfig"}, {"location", config_.base_url + "/ServiceProviderConfig"}}},
  };
  return json_response(200, doc);
}

transport::HttpResponse ScimService::resource_types(std::string_view name) const {
  auto document = [&](const scim::ResourceTypeDef& type) {
    nlohmann::json doc = type.document;
    doc["meta"] = {{"resourceType", "ResourceType"}, {"location", config_.base_url + "/ResourceTypes/" + type.id}};
    return doc;
  };
  if (!name.empty()) {
    const scim::ResourceTypeDef* type = registry_.find_resource_type(name);
    if (!type) throw scim::Error::not_found("no resource type named " + std::string(name));
    return json_response(200, document(*type));
  }
  nlohmann::json resources = nlohmann::json::array();
  for (const auto& type : registry_.resource_types()) resources.push_back(document(type));
  return json_response(200, whole_list(std::move(resources)));
}

transport::HttpResponse ScimService::schemas(std::string_view urn) const {
  // Fault schemas-missing-enterprise: a server whose /Schemas is a hand-written list that was
  // not updated when the enterprise extension was added to the User resource type.
  auto hidden = [&](const scim::Schema& schema) {
    return config_.faults.has(Fault::schemas_missing_enterprise) && scim::iequals(schema.id, scim::urn::enterprise_user);
  };
  auto document = [&](const scim::Schema& schema) {
    nlohmann::json doc = schema.document;
    doc["meta"] = {{"resourceType", "Schema"}, {"location", config_.base_url + "/Schemas/" + schema.id}};
    return doc;
  };
  if (!urn.empty()) {
    const scim::Schema* schema = registry_.find_schema(urn);
    if (!schema || hidden(*schema)) throw scim::Error::not_found("no schema " + std::string(urn) + " on this server");
    return json_response(200, document(*schema));
  }
  nlohmann::json resources = nlohmann::json::array();
  for (const scim::Schema* schema : registry_.schemas())
    if (!hidden(*schema)) resources.push_back(document(*schema));
  return json_response(200, whole_list(std::move(resources)));
}

}  // namespace refserver
