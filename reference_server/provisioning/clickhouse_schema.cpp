#include "reference_server/provisioning/clickhouse_schema.hpp"

#include "scim/urns.hpp"

namespace refserver {

scim::SchemaRegistry clickhouse_registry(const scim::SchemaRegistry& rfc) {
  nlohmann::json schemas = nlohmann::json::array(), types = nlohmann::json::array();
  for (const scim::Schema* schema : rfc.schemas()) {
    nlohmann::json document = schema->document;
    if (scim::iequals(schema->id, scim::urn::user))
      for (auto& attribute : document["attributes"])
        if (attribute.value("name", "") == "roles") {
          attribute["mutability"] = "readOnly";
          attribute["description"] = "The roles the user holds, from the groups it is in (read-only: map groups to roles).";
          for (auto& sub : attribute["subAttributes"]) sub["mutability"] = "readOnly";
        }
    schemas.push_back(std::move(document));
  }
  for (const auto& type : rfc.resource_types()) types.push_back(type.document);
  return scim::SchemaRegistry::from_documents(schemas, types);
}

}  // namespace refserver
