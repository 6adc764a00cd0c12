// RFC 7644 §3.4.2.5 "attributes" / "excludedAttributes" together with the "returned"
// characteristic of RFC 7643 §7.
#include "reference_server/api/projection.hpp"

#include "scim/error.hpp"
#include "scim/schema.hpp"
#include "scim/urns.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace refserver {
namespace {

using json = nlohmann::json;

const std::string user_urn(scim::urn::user);
const std::string enterprise_urn(scim::urn::enterprise_user);
const std::string returned_urn = "urn:scimulator:params:scim:schemas:test:2.0:Returned";

// The fixtures plus a test extension exercising "returned" values the RFC User schema lacks
// (request, always, and sub-attributes with each), in a temporary directory.
const scim::SchemaRegistry& test_registry() {
  static const scim::SchemaRegistry registry = [] {
    auto dir = std::filesystem::temp_directory_path() /
               ("scimulator_projection_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto source = scim::default_fixtures_dir() / "schemas";
    for (const char* name : {"user.json", "group.json", "enterprise_user.json"})
      std::filesystem::copy_file(source / name, dir / name, std::filesystem::copy_options::overwrite_existing);
    auto attr = [](std::string name, std::string returned, json extra = json::object()) {
      json a = {{"name", name},       {"type", "string"},         {"multiValued", false},  {"required", false},
                {"caseExact", false}, {"mutability", "readWrite"}, {"returned", returned}, {"uniqueness", "none"}};
      a.update(extra);
      return a;
    };
    json ext = {{"id", returned_urn},
                {"name", "Returned"},
                {"attributes",
                 {attr("secret", "request"), attr("badge", "always"), attr("note", "default"),
                  attr("card", "default",
                       {{"type", "complex"},
                        {"subAttributes",
                         {attr("number", "request"), attr("holder", "default"), attr("pin", "never"),
                          attr("kind", "always")}}})}}};
    json types = json::array(
        {{{"id", "User"},
          {"name", "User"},
          {"endpoint", "/Users"},
          {"schema", user_urn},
          {"schemaExtensions",
           {{{"schema", enterprise_urn}, {"required", false}}, {{"schema", returned_urn}, {"required", false}}}}}});
    std::ofstream(dir / "test_returned.json") << ext.dump(2);
    std::ofstream(dir / "resource_types.json") << types.dump(2);
    auto loaded = scim::SchemaRegistry::load(dir);
    std::filesystem::remove_all(dir);
    return loaded;
  }();
  return registry;
}

// A stored User as the server renders it (RFC 7643 §8.2 trimmed), with a password injected to
// prove "never" holds even if one were stored.
json stored_user() {
  return {{"schemas", {user_urn, enterprise_urn, returned_urn}},
          {"id", "2819c223"},
          {"externalId", "701984"},
          {"userName", "bjensen"},
          {"name", {{"familyName", "Jensen"}, {"givenName", "Barbara"}}},
          {"displayName", "Babs Jensen"},
          {"emails",
           {{{"value", "bjensen@example.com"}, {"type", "work"}, {"primary", true}},
            {{"value", "babs@jensen.org"}, {"type", "home"}}}},
          {"password", "t1meMa$heen"},
          {"groups", {{{"value", "g1"}, {"display", "Tour Guides"}}}},
          {enterprise_urn, {{"department", "Tour Operations"}, {"costCenter", "4130"}, {"manager", {{"value", "m1"}}}}},
          {returned_urn,
           {{"secret", "s3"},
            {"badge", "B7"},
            {"note", "n"},
            {"card", {{"number", "4111"}, {"holder", "B J"}, {"pin", "1234"}, {"kind", "visa"}}}}},
          {"meta", {{"resourceType", "User"}, {"created", "2010-01-23T04:56:22Z"}, {"version", "W/\"1\""}}}};
}

class ProjectionTest : public ::testing::Test {
 protected:
  const scim::SchemaRegistry& registry = test_registry();
  const scim::ResourceTypeDef& type = *registry.find_resource_type("User");

  json run(std::string_view attributes, std::string_view excluded = "") {
    return project(stored_user(), parse_projection(attributes, excluded), registry, type);
  }
};

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_DefaultRepresentation) {
  json out = run("");
  json expected = stored_user();
  expected.erase("password");                          // returned "never"
  expected[returned_urn].erase("secret");              // returned "request"
  expected[returned_urn]["card"].erase("number");      // sub-attribute returned "request"
  expected[returned_urn]["card"].erase("pin");         // sub-attribute returned "never"
  EXPECT_EQ(out, expected);
  EXPECT_TRUE(out.contains("meta"));
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_AttributesReturnsOnlyNamedPlusAlways) {
  json out = run("userName");
  // id and schemas are returned "always"; so is the test extension's "badge".
  EXPECT_EQ(out, json({{"schemas", {user_urn, enterprise_urn, returned_urn}},
                       {"id", "2819c223"},
                       {"userName", "bjensen"},
                       {returned_urn, {{"badge", "B7"}}}}));
  EXPECT_FALSE(out.contains("meta"));
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_SubAttributeSelection) {
  json out = run("name.givenName");
  EXPECT_EQ(out["name"], json({{"givenName", "Barbara"}}));
  EXPECT_FALSE(out.contains("userName"));
  out = run("name.givenName,name.familyName");
  EXPECT_EQ(out["name"], json({{"familyName", "Jensen"}, {"givenName", "Barbara"}}));
  // A whole attribute beside one of its sub-attributes: the whole attribute.
  out = run("name,name.givenName");
  EXPECT_EQ(out["name"], stored_user()["name"]);
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_MultiValuedSubAttribute) {
  json out = run("emails.value");
  EXPECT_EQ(out["emails"], json({{{"value", "bjensen@example.com"}}, {{"value", "babs@jensen.org"}}}));
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_UrnQualifiedCoreAttribute) {
  json out = run(user_urn + ":userName," + user_urn + ":name.familyName");
  EXPECT_EQ(out["userName"], "bjensen");
  EXPECT_EQ(out["name"], json({{"familyName", "Jensen"}}));
  EXPECT_FALSE(out.contains("displayName"));
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_ExtensionAttribute) {
  json out = run(enterprise_urn + ":department");
  EXPECT_EQ(out[enterprise_urn], json({{"department", "Tour Operations"}}));
  EXPECT_FALSE(out.contains("userName"));
  out = run(enterprise_urn + ":manager.value");
  EXPECT_EQ(out[enterprise_urn], json({{"manager", {{"value", "m1"}}}}));
  // Unqualified, "department" is no core attribute and selects nothing (RFC 7644 §3.10).
  out = run("department");
  EXPECT_FALSE(out.contains(enterprise_urn));
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_ExtensionUrnSelectsWholeExtension) {
  json out = run(enterprise_urn);
  EXPECT_EQ(out[enterprise_urn], stored_user()[enterprise_urn]);
  EXPECT_FALSE(out.contains("userName"));
  // The whole test extension: its default attributes, not its "request" one.
  out = run(returned_urn);
  EXPECT_EQ(out[returned_urn], json({{"badge", "B7"}, {"note", "n"}, {"card", {{"holder", "B J"}, {"kind", "visa"}}}}));
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_CoreUrnSelectsCoreAttributes) {
  json out = run(user_urn);
  EXPECT_EQ(out["userName"], "bjensen");
  EXPECT_EQ(out["emails"], stored_user()["emails"]);
  EXPECT_TRUE(out.contains("meta"));
  EXPECT_FALSE(out.contains("password"));
  EXPECT_FALSE(out.contains(enterprise_urn));
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_ExcludedAttributes) {
  json out = run("", "emails,name.familyName," + enterprise_urn + ":costCenter");
  EXPECT_FALSE(out.contains("emails"));
  EXPECT_EQ(out["name"], json({{"givenName", "Barbara"}}));
  EXPECT_EQ(out[enterprise_urn], json({{"department", "Tour Operations"}, {"manager", {{"value", "m1"}}}}));
  EXPECT_EQ(out["userName"], "bjensen");
  EXPECT_TRUE(out.contains("meta"));
  // Excluding the extension URN removes its object (nothing in it is "always").
  out = run("", enterprise_urn);
  EXPECT_FALSE(out.contains(enterprise_urn));
  EXPECT_TRUE(out.contains(returned_urn));
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_ExcludedNeverRemovesAlways) {
  json out = run("", "id,schemas," + returned_urn + ":badge," + returned_urn + ":card.kind," + returned_urn +
                         ":card.holder");
  EXPECT_EQ(out["id"], "2819c223");
  EXPECT_EQ(out["schemas"], stored_user()["schemas"]);
  EXPECT_EQ(out[returned_urn]["badge"], "B7");
  EXPECT_EQ(out[returned_urn]["card"], json({{"kind", "visa"}}));
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_BothGivenAttributesWins) {
  json out = run("userName,emails", "emails");
  EXPECT_EQ(out["emails"], stored_user()["emails"]);
  EXPECT_EQ(out["userName"], "bjensen");
  EXPECT_FALSE(out.contains("displayName"));
}

TEST_F(ProjectionTest, Rfc7643_2_1_NamesAreCaseInsensitive) {
  json out = run("USERNAME,Name.GIVENNAME," + scim::to_lower(enterprise_urn) + ":DEPARTMENT");
  EXPECT_EQ(out["userName"], "bjensen");
  EXPECT_EQ(out["name"], json({{"givenName", "Barbara"}}));
  EXPECT_EQ(out[enterprise_urn], json({{"department", "Tour Operations"}}));
  out = run("", "EMAILS,META");
  EXPECT_FALSE(out.contains("emails"));
  EXPECT_FALSE(out.contains("meta"));
}

TEST_F(ProjectionTest, Rfc7643_7_ReturnedNever) {
  EXPECT_FALSE(run("password").contains("password"));
  EXPECT_FALSE(run("").contains("password"));
  json out = run(returned_urn + ":card.pin");
  EXPECT_EQ(out[returned_urn]["card"], json({{"kind", "visa"}}));  // kind is "always"
}

TEST_F(ProjectionTest, Rfc7643_7_ReturnedRequest) {
  EXPECT_FALSE(run("")[returned_urn].contains("secret"));
  EXPECT_FALSE(run("", "emails")[returned_urn].contains("secret"));
  EXPECT_EQ(run(returned_urn + ":secret")[returned_urn]["secret"], "s3");
  // A request sub-attribute: only when named itself, not with its parent.
  EXPECT_EQ(run(returned_urn + ":card")[returned_urn]["card"], json({{"holder", "B J"}, {"kind", "visa"}}));
  EXPECT_EQ(run(returned_urn + ":card.number")[returned_urn]["card"], json({{"number", "4111"}, {"kind", "visa"}}));
}

TEST_F(ProjectionTest, Rfc7643_7_ReturnedAlways) {
  json out = run("displayName");
  EXPECT_EQ(out["id"], "2819c223");
  EXPECT_EQ(out[returned_urn], json({{"badge", "B7"}}));
  // An "always" sub-attribute comes with whatever part of its parent is returned...
  out = run(returned_urn + ":card.holder");
  EXPECT_EQ(out[returned_urn]["card"], json({{"holder", "B J"}, {"kind", "visa"}}));
  // ...and excluding its whole schema leaves it (RFC 7644 §3.4.2.5: no effect on "always").
  out = run("", returned_urn);
  EXPECT_EQ(out[returned_urn], json({{"badge", "B7"}}));
  out = run("", user_urn);
  EXPECT_EQ(out["id"], "2819c223");
  EXPECT_FALSE(out.contains("userName"));
  EXPECT_TRUE(out.contains(enterprise_urn));
}

TEST_F(ProjectionTest, Rfc7644_3_4_2_5_UnknownNameSelectsNothing) {
  json out = run("shoeSize");
  EXPECT_EQ(out, json({{"schemas", stored_user()["schemas"]}, {"id", "2819c223"}, {returned_urn, {{"badge", "B7"}}}}));
}

TEST(Rfc7644_3_4_2_5_ParseProjection, CommaSeparatedList) {
  Projection projection = parse_projection(" userName , name.givenName,,", "");
  ASSERT_EQ(projection.attributes.size(), 2u);
  EXPECT_EQ(projection.attributes[0].attribute, "userName");
  EXPECT_EQ(projection.attributes[1].attribute, "name");
  EXPECT_EQ(projection.attributes[1].sub_attribute, "givenName");
  EXPECT_TRUE(projection.excluded.empty());
  EXPECT_TRUE(parse_projection("", "").empty());

  projection = parse_projection("", enterprise_urn + ":manager.value");
  ASSERT_EQ(projection.excluded.size(), 1u);
  EXPECT_EQ(projection.excluded[0].urn, enterprise_urn);
  EXPECT_EQ(projection.excluded[0].attribute, "manager");
  EXPECT_EQ(projection.excluded[0].sub_attribute, "value");
}

TEST(Rfc7644_3_4_2_5_ParseProjection, BadPathIsInvalidValue) {
  for (std::string bad : {"emails[type eq \"work\"]", "na me", "name.", "userName,(x)"}) {
    try {
      parse_projection(bad, "");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const scim::Error& error) {
      EXPECT_EQ(error.status(), 400) << bad;
      EXPECT_EQ(error.scim_type(), scim::ScimType::invalid_value) << bad << ": " << error.detail();
    }
    EXPECT_THROW(parse_projection("", bad), scim::Error) << bad;
  }
}

TEST(Rfc7644_3_4_3_SearchBody, JsonArrays) {
  Projection projection = parse_projection(std::vector<std::string>{"userName", "emails.value,displayName"},
                                           std::vector<std::string>{"meta"});
  ASSERT_EQ(projection.attributes.size(), 3u);
  EXPECT_EQ(projection.attributes[2].attribute, "displayName");
  ASSERT_EQ(projection.excluded.size(), 1u);
  EXPECT_EQ(projection.excluded[0].attribute, "meta");
  EXPECT_THROW(parse_projection(std::vector<std::string>{"na me"}, {}), scim::Error);
}

}  // namespace
}  // namespace refserver
