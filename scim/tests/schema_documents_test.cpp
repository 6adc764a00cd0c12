// SchemaRegistry::from_documents: the registry built from what a target serves at /Schemas and
// /ResourceTypes (RFC 7644 §4), with RFC 7643 §2.2 defaults for omitted characteristics.
#include "scim/schema.hpp"
#include "scim/urns.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace scim {
namespace {

using nlohmann::json;

json read_fixture(const std::string& name) {
  std::ifstream in(default_fixtures_dir() / "schemas" / name);
  return json::parse(in);
}

json fixture_schemas() {
  return json::array({read_fixture("user.json"), read_fixture("group.json"), read_fixture("enterprise_user.json")});
}

json list_response(const json& resources) {
  return {{"schemas", {std::string(urn::list_response)}},
          {"totalResults", resources.size()},
          {"itemsPerPage", resources.size()},
          {"startIndex", 1},
          {"Resources", resources}};
}

std::string error_of(const json& schemas, const json& types) {
  try {
    SchemaRegistry::from_documents(schemas, types);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(Rfc7644_4_DiscoveryEndpoints, ListResponseAndBareArrayBuildTheSameRegistry) {
  json types = read_fixture("resource_types.json");
  SchemaRegistry from_list = SchemaRegistry::from_documents(list_response(fixture_schemas()), list_response(types));
  SchemaRegistry from_array = SchemaRegistry::from_documents(fixture_schemas(), types);
  for (const SchemaRegistry* registry : {&from_list, &from_array}) {
    ASSERT_EQ(registry->schemas().size(), 3u);
    ASSERT_NE(registry->find_schema(urn::user), nullptr);
    EXPECT_NE(registry->find_schema(urn::group), nullptr);
    EXPECT_NE(registry->find_schema(urn::enterprise_user), nullptr);
    ASSERT_EQ(registry->resource_types().size(), 2u);
    const ResourceTypeDef* user = registry->find_resource_type("User");
    ASSERT_NE(user, nullptr);
    EXPECT_EQ(user->endpoint, "/Users");
    EXPECT_EQ(user->schema, urn::user);
    ASSERT_EQ(user->extensions.size(), 1u);
    EXPECT_EQ(user->extensions[0].schema, urn::enterprise_user);
  }
}

TEST(Rfc7644_4_DiscoveryEndpoints, MatchesTheRegistryLoadedFromFixtures) {
  SchemaRegistry loaded = SchemaRegistry::load(default_fixtures_dir() / "schemas");
  SchemaRegistry served = SchemaRegistry::from_documents(fixture_schemas(), read_fixture("resource_types.json"));
  for (const Schema* schema : loaded.schemas()) {
    const Schema* other = served.find_schema(schema->id);
    ASSERT_NE(other, nullptr) << schema->id;
    ASSERT_EQ(other->attributes.size(), schema->attributes.size()) << schema->id;
    for (std::size_t i = 0; i < schema->attributes.size(); ++i) {
      EXPECT_EQ(other->attributes[i].name, schema->attributes[i].name);
      EXPECT_EQ(other->attributes[i].type, schema->attributes[i].type);
      EXPECT_EQ(other->attributes[i].multi_valued, schema->attributes[i].multi_valued);
      EXPECT_EQ(other->attributes[i].returned, schema->attributes[i].returned);
      EXPECT_EQ(other->attributes[i].sub_attributes.size(), schema->attributes[i].sub_attributes.size());
    }
  }
  // The common attributes of RFC 7643 §3.1 are there too, and resolution works on the result.
  ASSERT_EQ(served.common_attributes().size(), 3u);
  const ResourceTypeDef& user = *served.find_resource_type("User");
  auto created = served.resolve(user, "", "meta", "created");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->target().type, AttributeType::date_time);
  auto department = served.resolve(user, urn::enterprise_user, "department", "");
  ASSERT_TRUE(department);
  EXPECT_TRUE(department->in_extension);
}

TEST(Rfc7643_2_2_AttributeCharacteristics, OmittedCharacteristicsTakeTheDefaults) {
  // "If not otherwise stated in Section 7, SCIM attributes have the following characteristics:
  // "required" is "false" ... "caseExact" is "false" ... "mutability" is "readWrite" ...
  // "returned" is "default" ... "uniqueness" is "none" ... "type" is "string"."
  json schema = {{"id", "urn:example:schemas:Thing"},
                 {"attributes",
                  {{{"name", "label"}},
                   {{"name", "nullType"}, {"type", nullptr}, {"returned", nullptr}},
                   {{"name", "parts"},
                    {"type", "complex"},
                    {"multiValued", true},
                    {"subAttributes", {{{"name", "value"}, {"type", "INTEGER"}}}}}}}};
  json type = {{"name", "Thing"}, {"endpoint", "/Things"}, {"schema", "urn:example:schemas:Thing"}};
  SchemaRegistry registry = SchemaRegistry::from_documents(json::array({schema}), json::array({type}));
  const Schema* thing = registry.find_schema("urn:example:schemas:Thing");
  ASSERT_NE(thing, nullptr);
  for (const char* name : {"label", "nullType"}) {
    const AttributeDef* def = thing->find(name);
    ASSERT_NE(def, nullptr) << name;
    EXPECT_EQ(def->type, AttributeType::string) << name;
    EXPECT_FALSE(def->multi_valued) << name;
    EXPECT_FALSE(def->required) << name;
    EXPECT_FALSE(def->case_exact) << name;
    EXPECT_EQ(def->mutability, Mutability::read_write) << name;
    EXPECT_EQ(def->returned, Returned::by_default) << name;
    EXPECT_EQ(def->uniqueness, Uniqueness::none) << name;
  }
  const AttributeDef* parts = thing->find("parts");
  ASSERT_NE(parts, nullptr);
  EXPECT_TRUE(parts->multi_valued);
  ASSERT_NE(parts->find_sub("value"), nullptr);
  // Keywords compare case-insensitively, as the rest of the loader does.
  EXPECT_EQ(parts->find_sub("value")->type, AttributeType::integer);
}

TEST(Rfc7643_6_ResourceType, IdFallsBackToNameAndEndpointGetsItsSlash) {
  json schema = {{"id", "urn:example:schemas:Thing"}, {"attributes", json::array()}};
  json type = {{"name", "Thing"}, {"endpoint", "Things"}, {"schema", "urn:example:schemas:Thing"}};
  SchemaRegistry registry = SchemaRegistry::from_documents(json::array({schema}), json::array({type}));
  const ResourceTypeDef* thing = registry.find_resource_type("Thing");
  ASSERT_NE(thing, nullptr);
  EXPECT_EQ(thing->id, "Thing");
  EXPECT_EQ(thing->endpoint, "/Things");
  EXPECT_TRUE(thing->extensions.empty());
}

TEST(Rfc7643_6_ResourceType, ExtensionTheTargetDoesNotServeIsKept) {
  // A target that declares the enterprise extension but omits its schema from /Schemas is still
  // judged: the extension stays declared, its attributes simply resolve to nothing.
  json types = read_fixture("resource_types.json");
  json schemas = json::array({read_fixture("user.json"), read_fixture("group.json")});
  SchemaRegistry registry = SchemaRegistry::from_documents(schemas, types);
  const ResourceTypeDef* user = registry.find_resource_type("User");
  ASSERT_NE(user, nullptr);
  ASSERT_EQ(user->extensions.size(), 1u);
  EXPECT_EQ(registry.find_schema(urn::enterprise_user), nullptr);
  EXPECT_FALSE(registry.resolve(*user, urn::enterprise_user, "department", ""));
}

TEST(Rfc7644_4_DiscoveryEndpoints, EmptyListResponsesGiveAnEmptyRegistry) {
  json empty = {{"schemas", {std::string(urn::list_response)}}, {"totalResults", 0}};
  SchemaRegistry registry = SchemaRegistry::from_documents(empty, empty);
  EXPECT_TRUE(registry.schemas().empty());
  EXPECT_TRUE(registry.resource_types().empty());
  EXPECT_EQ(registry.common_attributes().size(), 3u);
}

TEST(Rfc7644_4_DiscoveryEndpoints, UnusableInputIsRefusedWithTheDocumentNamed) {
  json types = read_fixture("resource_types.json");
  json good_schema = read_fixture("user.json");

  std::string message = error_of(json::object({{"detail", "nope"}}), types);
  EXPECT_NE(message.find("/Schemas"), std::string::npos) << message;
  EXPECT_NE(message.find("ListResponse"), std::string::npos) << message;

  message = error_of(json::array({good_schema, "not a schema"}), types);
  EXPECT_NE(message.find("/Schemas document #2"), std::string::npos) << message;

  message = error_of(json::array({{{"name", "no id"}, {"attributes", json::array()}}}), json::array());
  EXPECT_NE(message.find("\"id\""), std::string::npos) << message;

  json bad_type = {{"id", "urn:example:X"}, {"attributes", {{{"name", "when"}, {"type", "timestamp"}}}}};
  message = error_of(json::array({bad_type}), json::array());
  EXPECT_NE(message.find("unknown type \"timestamp\""), std::string::npos) << message;
  EXPECT_NE(message.find("urn:example:X"), std::string::npos) << message;

  json no_endpoint = {{"id", "User"}, {"schema", std::string(urn::user)}};
  message = error_of(json::array({good_schema}), json::array({no_endpoint}));
  EXPECT_NE(message.find("/ResourceTypes document #1"), std::string::npos) << message;
  EXPECT_NE(message.find("endpoint"), std::string::npos) << message;

  json bad_extension = {{"id", "User"}, {"endpoint", "/Users"}, {"schema", std::string(urn::user)},
                        {"schemaExtensions", {{{"required", false}}}}};
  message = error_of(json::array({good_schema}), json::array({bad_extension}));
  EXPECT_NE(message.find("schemaExtensions"), std::string::npos) << message;

  message = error_of(json::array({good_schema}), "Users");
  EXPECT_NE(message.find("/ResourceTypes"), std::string::npos) << message;
}

}  // namespace
}  // namespace scim
