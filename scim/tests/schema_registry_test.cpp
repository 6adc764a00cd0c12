// RFC 7643 §7 schema definitions as loaded from fixtures/schemas, and §3.1 common attributes.
#include "scim/schema.hpp"
#include "scim/urns.hpp"

#include <gtest/gtest.h>

namespace scim {
namespace {

const SchemaRegistry& registry() {
  static const SchemaRegistry loaded = SchemaRegistry::load(default_fixtures_dir() / "schemas");
  return loaded;
}

TEST(Rfc7643_8_7_1_SchemaRepresentation, UserGroupAndEnterpriseAreLoaded) {
  EXPECT_NE(registry().find_schema(urn::user), nullptr);
  EXPECT_NE(registry().find_schema(urn::group), nullptr);
  EXPECT_NE(registry().find_schema(urn::enterprise_user), nullptr);
  // URNs compare case-insensitively (RFC 7643 §2.1 applies to schema URIs as attribute names).
  EXPECT_NE(registry().find_schema("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"), nullptr);
}

TEST(Rfc7643_4_1_UserAttributes, UserNameCharacteristics) {
  const AttributeDef* user_name = registry().find_schema(urn::user)->find("username");
  ASSERT_NE(user_name, nullptr);
  EXPECT_EQ(user_name->name, "userName");
  EXPECT_TRUE(user_name->required);
  EXPECT_FALSE(user_name->case_exact);
  EXPECT_EQ(user_name->uniqueness, Uniqueness::server);
}

TEST(Rfc7643_4_1_UserAttributes, PasswordIsWriteOnlyAndNeverReturned) {
  const AttributeDef* password = registry().find_schema(urn::user)->find("password");
  ASSERT_NE(password, nullptr);
  EXPECT_EQ(password->mutability, Mutability::write_only);
  EXPECT_EQ(password->returned, Returned::never);
}

TEST(Rfc7643_4_1_UserAttributes, GroupsIsReadOnlyMultiValuedComplex) {
  const AttributeDef* groups = registry().find_schema(urn::user)->find("groups");
  ASSERT_NE(groups, nullptr);
  EXPECT_EQ(groups->mutability, Mutability::read_only);
  EXPECT_TRUE(groups->multi_valued);
  EXPECT_EQ(groups->type, AttributeType::complex);
  EXPECT_NE(groups->find_sub("value"), nullptr);
}

TEST(Rfc7643_4_2_GroupAttributes, MembersValueIsImmutable) {
  const AttributeDef* members = registry().find_schema(urn::group)->find("members");
  ASSERT_NE(members, nullptr);
  ASSERT_NE(members->find_sub("value"), nullptr);
  EXPECT_EQ(members->find_sub("value")->mutability, Mutability::immutable);
}

TEST(Rfc7643_6_ResourceTypes, UserDeclaresTheEnterpriseExtension) {
  const ResourceTypeDef* user = registry().find_resource_type("User");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->endpoint, "/Users");
  ASSERT_EQ(user->extensions.size(), 1u);
  EXPECT_EQ(user->extensions[0].schema, urn::enterprise_user);
  EXPECT_FALSE(user->extensions[0].required);
  EXPECT_EQ(registry().find_resource_type("Group")->endpoint, "/Groups");
}

TEST(Rfc7643_3_1_CommonAttributes, IdIsReadOnlyAlwaysReturnedCaseExact) {
  const ResourceTypeDef& user = *registry().find_resource_type("User");
  auto id = registry().resolve(user, "", "id", "");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->attribute->mutability, Mutability::read_only);
  EXPECT_EQ(id->attribute->returned, Returned::always);
  EXPECT_TRUE(id->attribute->case_exact);
  auto last_modified = registry().resolve(user, "", "meta", "lastModified");
  ASSERT_TRUE(last_modified);
  EXPECT_EQ(last_modified->target().type, AttributeType::date_time);
}

TEST(AttributeResolution, CoreExtensionAndSubAttributes) {
  const ResourceTypeDef& user = *registry().find_resource_type("User");
  auto given = registry().resolve(user, "", "name", "givenName");
  ASSERT_TRUE(given);
  EXPECT_EQ(given->target().name, "givenName");
  EXPECT_FALSE(given->in_extension);
  auto qualified = registry().resolve(user, urn::user, "userName", "");
  ASSERT_TRUE(qualified);
  auto department = registry().resolve(user, urn::enterprise_user, "department", "");
  ASSERT_TRUE(department);
  EXPECT_TRUE(department->in_extension);
  auto manager = registry().resolve(user, urn::enterprise_user, "manager", "value");
  ASSERT_TRUE(manager);
  EXPECT_FALSE(registry().resolve(user, "", "department", ""));  // extension attributes need their URN
  EXPECT_FALSE(registry().resolve(user, "", "noSuchThing", ""));
  EXPECT_FALSE(registry().resolve(user, "", "name", "noSuchPart"));
  EXPECT_FALSE(registry().resolve(user, "urn:example:other", "department", ""));
}

TEST(SchemaRegistryLoad, MissingDirectoryNamesTheFixEnvironmentVariable) {
  try {
    SchemaRegistry::load("/nonexistent/schemas");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("SCIMULATOR_FIXTURES"), std::string::npos);
  }
}

}  // namespace
}  // namespace scim
