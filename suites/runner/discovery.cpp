#include "suites/runner/discovery.hpp"

#include "scim/urns.hpp"

namespace suites {

namespace {

// Both shapes are seen in the wild: a ListResponse (RFC 7644 §4) and a bare array.
nlohmann::json resources_of(const nlohmann::json& body) {
  if (body.is_array()) return body;
  if (body.is_object() && body.contains("Resources") && body["Resources"].is_array()) return body["Resources"];
  return nlohmann::json::array();
}

bool supported(const nlohmann::json& spc, const char* feature) {
  auto it = spc.find(feature);
  if (it == spc.end() || !it->is_object()) return false;
  auto flag = it->find("supported");
  return flag != it->end() && flag->is_boolean() && flag->get<bool>();
}

template <typename T>
T number_or(const nlohmann::json& object, const char* key, T fallback) {
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<T>() : fallback;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& known_capabilities() {
  static const std::vector<std::pair<std::string, std::string>> list{
      {"patch", "ServiceProviderConfig.patch.supported"},
      {"bulk", "ServiceProviderConfig.bulk.supported"},
      {"filter", "ServiceProviderConfig.filter.supported"},
      {"sort", "ServiceProviderConfig.sort.supported"},
      {"etag", "ServiceProviderConfig.etag.supported"},
      {"changePassword", "ServiceProviderConfig.changePassword.supported"},
      {"users", "a ResourceType with endpoint /Users"},
      {"groups", "a ResourceType with endpoint /Groups"},
      {"enterprise-user", "the User ResourceType's enterprise extension"},
  };
  return list;
}

std::string Discovery::why_absent(const std::string& capability) const {
  for (const auto& [name, where] : known_capabilities())
    if (name == capability) {
      if (service_provider_config.is_null() && where.rfind("ServiceProviderConfig", 0) == 0)
        return "the target's /ServiceProviderConfig could not be read, so " + where + " is unknown";
      return "the target does not declare " + where;
    }
  return "the target does not declare capability \"" + capability + "\"";
}

Discovery discover(scimclient::Client& client, const std::filesystem::path& fixtures_dir) {
  Discovery found;
  auto fetch = [&](const char* path) -> nlohmann::json {
    found.exchanges.push_back(client.get(path));
    const auto& exchange = found.exchanges.back();
    if (!exchange.ok()) {
      found.notes.push_back(std::string("GET ") + path + " failed: " + exchange.transport_error);
      return nullptr;
    }
    if (exchange.status != 200) {
      found.notes.push_back(std::string("GET ") + path + " answered " + std::to_string(exchange.status));
      return nullptr;
    }
    auto body = exchange.json();
    if (!body) found.notes.push_back(std::string("GET ") + path + " did not answer JSON");
    return body ? *body : nlohmann::json(nullptr);
  };

  found.service_provider_config = fetch("/ServiceProviderConfig");
  nlohmann::json types_body = fetch("/ResourceTypes");
  nlohmann::json schemas_body = fetch("/Schemas");
  found.resource_types = resources_of(types_body);
  found.schemas = resources_of(schemas_body);

  const auto& spc = found.service_provider_config;
  if (spc.is_object()) {
    for (const char* feature : {"patch", "bulk", "filter", "sort", "etag", "changePassword"})
      if (supported(spc, feature)) found.capabilities.insert(feature);
    if (auto bulk = spc.find("bulk"); bulk != spc.end() && bulk->is_object()) {
      found.bulk_max_operations = number_or(*bulk, "maxOperations", 0);
      found.bulk_max_payload = number_or(*bulk, "maxPayloadSize", 0LL);
    }
    if (auto filter = spc.find("filter"); filter != spc.end() && filter->is_object())
      found.filter_max_results = number_or(*filter, "maxResults", 0);
  }
  for (const auto& type : found.resource_types) {
    if (!type.is_object()) continue;
    std::string endpoint = type.value("endpoint", "");
    if (scim::iequals(endpoint, "/Users")) {
      found.capabilities.insert("users");
      for (const auto& extension : type.value("schemaExtensions", nlohmann::json::array()))
        if (extension.is_object() && scim::iequals(extension.value("schema", ""), scim::urn::enterprise_user))
          found.capabilities.insert("enterprise-user");
    }
    if (scim::iequals(endpoint, "/Groups")) found.capabilities.insert("groups");
  }

  if (found.resource_types.empty()) {
    // RFC 7644 §3.2 names /Users and /Groups; a target that cannot describe itself is still
    // tested on them rather than skipped wholesale.
    found.capabilities.insert("users");
    found.capabilities.insert("groups");
    found.notes.push_back("no ResourceTypes could be read; assuming the RFC 7644 §3.2 endpoints /Users and /Groups");
  }
  if (!found.schemas.empty() && !found.resource_types.empty()) {
    try {
      found.registry = std::make_shared<const scim::SchemaRegistry>(
          scim::SchemaRegistry::from_documents(found.schemas, found.resource_types));
      found.registry_from_target = true;
    } catch (const std::exception& error) {
      found.notes.push_back(std::string("the target's /Schemas could not be used: ") + error.what() +
                            "; judging against RFC 7643's schemas instead");
    }
  }
  if (!found.registry)
    found.registry = std::make_shared<const scim::SchemaRegistry>(scim::SchemaRegistry::load(fixtures_dir / "schemas"));
  return found;
}

}  // namespace suites
