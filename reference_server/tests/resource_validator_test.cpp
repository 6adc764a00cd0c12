// ResourceValidator: what a client may send as a User or Group (RFC 7643 §2, §3, §7; RFC 7644
// §3.3, §3.5.1) and the documented IdP tolerances (Entra E2, E15, E18, E23; Okta O4, O7).
#include "reference_server/api/resource_validator.hpp"

#include "scim/error.hpp"
#include "scim/schema.hpp"
#include "scim/urns.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <unistd.h>

namespace refserver {
namespace {

using json = nlohmann::json;
using scim::ScimType;

const std::string user_urn(scim::urn::user);
const std::string group_urn(scim::urn::group);
const std::string enterprise_urn(scim::urn::enterprise_user);
const std::string types_urn = "urn:scimulator:params:scim:schemas:test:2.0:Types";
const std::string gadget_urn = "urn:scimulator:params:scim:schemas:test:2.0:Gadget";

// The real fixtures, plus a test extension with one attribute of each remaining RFC 7643 §2.3
// type and immutable attributes (the RFC schemas have none outside members), and a "Gadget"
// type whose extension is required. Written to a temporary directory so fixtures/ stays RFC-only.
const scim::SchemaRegistry& test_registry() {
  static const scim::SchemaRegistry registry = [] {
    auto dir = std::filesystem::temp_directory_path() /
               ("scimulator_validator_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto source = scim::default_fixtures_dir() / "schemas";
    for (const char* name : {"user.json", "group.json", "enterprise_user.json"})
      std::filesystem::copy_file(source / name, dir / name, std::filesystem::copy_options::overwrite_existing);
    auto attr = [](std::string name, std::string type, json extra = json::object()) {
      json a = {{"name", name},         {"type", type},         {"multiValued", false}, {"required", false},
                {"caseExact", false},   {"mutability", "readWrite"}, {"returned", "default"}, {"uniqueness", "none"}};
      a.update(extra);
      return a;
    };
    json types = {
        {"id", types_urn},
        {"name", "Types"},
        {"attributes",
         {attr("count", "integer"), attr("ratio", "decimal"), attr("hiredAt", "dateTime"), attr("badge", "binary"),
          attr("badgeId", "string", {{"mutability", "immutable"}}),
          attr("serial", "string", {{"mutability", "immutable"}, {"caseExact", true}}),
          attr("profile", "complex",
               {{"subAttributes",
                 {attr("code", "string", {{"mutability", "immutable"}}), attr("label", "string")}}}),
          attr("tags", "string", {{"multiValued", true}})}}};
    json gadget = {{"id", gadget_urn}, {"name", "Gadget"}, {"attributes", {attr("label", "string")}}};
    json resource_types = json::array(
        {{{"id", "User"},
          {"name", "User"},
          {"endpoint", "/Users"},
          {"schema", user_urn},
          {"schemaExtensions", {{{"schema", enterprise_urn}, {"required", false}}, {{"schema", types_urn}, {"required", false}}}}},
         {{"id", "Group"}, {"name", "Group"}, {"endpoint", "/Groups"}, {"schema", group_urn}},
         {{"id", "Gadget"},
          {"name", "Gadget"},
          {"endpoint", "/Gadgets"},
          {"schema", gadget_urn},
          {"schemaExtensions", {{{"schema", types_urn}, {"required", true}}}}}});
    std::ofstream(dir / "test_types.json") << types.dump(2);
    std::ofstream(dir / "test_gadget.json") << gadget.dump(2);
    std::ofstream(dir / "resource_types.json") << resource_types.dump(2);
    auto loaded = scim::SchemaRegistry::load(dir);
    std::filesystem::remove_all(dir);
    return loaded;
  }();
  return registry;
}

// The fixtures exactly as the server loads them.
const scim::SchemaRegistry& fixture_registry() {
  static const scim::SchemaRegistry registry = scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas");
  return registry;
}

class ValidatorTest : public ::testing::Test {
 protected:
  const scim::SchemaRegistry& registry = test_registry();
  ResourceValidator users{registry, *registry.find_resource_type("User")};
  ResourceValidator groups{registry, *registry.find_resource_type("Group")};
  ResourceValidator gadgets{registry, *registry.find_resource_type("Gadget")};

  static json user(json extra = json::object()) {
    json body = {{"schemas", {user_urn}}, {"userName", "bjensen"}};
    body.update(extra);
    return body;
  }
  static json group(json extra = json::object()) {
    json body = {{"schemas", {group_urn}}, {"displayName", "Admins"}};
    body.update(extra);
    return body;
  }
};

// Runs `call`, expecting scim::Error 400 of `type`; returns the detail for further checks.
std::string expect_400(const std::function<void()>& call, ScimType type) {
  try {
    call();
  } catch (const scim::Error& error) {
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.scim_type(), type) << "detail: " << error.detail();
    return error.detail();
  }
  ADD_FAILURE() << "expected scim::Error 400 " << scim::to_string(type);
  return {};
}

// --- RFC 7643 §3 / RFC 7644 §3.3: the body and its "schemas" -------------------------------

TEST_F(ValidatorTest, Rfc7644_3_3_BodyMustBeJsonObject) {
  json out = users.normalize(user(), WriteMode::create, nullptr);
  EXPECT_EQ(out, json({{"schemas", {user_urn}}, {"userName", "bjensen"}}));
  expect_400([&] { users.normalize(json::array({user()}), WriteMode::create, nullptr); }, ScimType::invalid_syntax);
  expect_400([&] { users.normalize("bjensen", WriteMode::create, nullptr); }, ScimType::invalid_syntax);
}

TEST_F(ValidatorTest, Rfc7643_3_SchemasMustNameCoreSchema) {
  // Case-insensitive URN (RFC 7643 §2.1), stored in the schema's spelling.
  json lower = user();
  lower["schemas"] = {scim::to_lower(user_urn)};
  EXPECT_EQ(users.normalize(lower, WriteMode::create, nullptr)["schemas"], json({user_urn}));

  json missing = user();
  missing.erase("schemas");
  std::string detail = expect_400([&] { users.normalize(missing, WriteMode::create, nullptr); }, ScimType::invalid_syntax);
  EXPECT_NE(detail.find(user_urn), std::string::npos) << detail;

  json wrong = user();
  wrong["schemas"] = {group_urn};
  detail = expect_400([&] { users.normalize(wrong, WriteMode::create, nullptr); }, ScimType::invalid_value);
  EXPECT_NE(detail.find(group_urn), std::string::npos) << detail;

  json only_extension = user();
  only_extension["schemas"] = {enterprise_urn};
  detail = expect_400([&] { users.normalize(only_extension, WriteMode::create, nullptr); }, ScimType::invalid_syntax);
  EXPECT_NE(detail.find(user_urn), std::string::npos) << detail;

  json not_array = user();
  not_array["schemas"] = user_urn;
  expect_400([&] { users.normalize(not_array, WriteMode::create, nullptr); }, ScimType::invalid_syntax);

  json not_strings = user();
  not_strings["schemas"] = {user_urn, 7};
  expect_400([&] { users.normalize(not_strings, WriteMode::create, nullptr); }, ScimType::invalid_syntax);
}

TEST_F(ValidatorTest, Rfc7643_3_UnknownExtensionUrnRefused) {
  json body = user();
  body["schemas"] = {user_urn, "urn:example:params:scim:schemas:extension:acme:2.0:User"};
  std::string detail = expect_400([&] { users.normalize(body, WriteMode::create, nullptr); }, ScimType::invalid_value);
  EXPECT_NE(detail.find("urn:example:params:scim:schemas:extension:acme:2.0:User"), std::string::npos);

  json object_only = user({{"urn:example:params:scim:schemas:extension:acme:2.0:User", {{"x", 1}}}});
  expect_400([&] { users.normalize(object_only, WriteMode::create, nullptr); }, ScimType::invalid_value);

  // Declared extension listed: accepted and kept.
  json declared = user({{"schemas", {user_urn, enterprise_urn}}, {enterprise_urn, {{"department", "R&D"}}}});
  EXPECT_EQ(users.normalize(declared, WriteMode::create, nullptr)["schemas"], json({user_urn, enterprise_urn}));
}

TEST_F(ValidatorTest, Tolerance_EntraAdscimGroupUrnDropped) {
  const std::string adscim = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
  json body = group({{"schemas", {group_urn, adscim}}});
  EXPECT_EQ(groups.normalize(body, WriteMode::create, nullptr)["schemas"], json({group_urn}));
  // The tolerance is for Groups only.
  json on_user = user({{"schemas", {user_urn, adscim}}});
  expect_400([&] { users.normalize(on_user, WriteMode::create, nullptr); }, ScimType::invalid_value);
}

TEST_F(ValidatorTest, Rfc7643_3_ExtensionObjectAddsItsUrnToSchemas) {
  // Okta and Entra sometimes omit the extension URN from "schemas" while sending its object.
  json body = user({{enterprise_urn, {{"department", "R&D"}}}});
  json out = users.normalize(body, WriteMode::create, nullptr);
  EXPECT_EQ(out["schemas"], json({user_urn, enterprise_urn}));
  EXPECT_EQ(out[enterprise_urn], json({{"department", "R&D"}}));

  json empty_object = user({{enterprise_urn, {{"department", nullptr}}}});
  out = users.normalize(empty_object, WriteMode::create, nullptr);
  EXPECT_EQ(out["schemas"], json({user_urn}));
  EXPECT_FALSE(out.contains(enterprise_urn));

  json not_object = user({{enterprise_urn, "R&D"}});
  expect_400([&] { users.normalize(not_object, WriteMode::create, nullptr); }, ScimType::invalid_value);
}

TEST_F(ValidatorTest, Rfc7644_3_10_FullyQualifiedAttributeNames) {
  json body = {{"schemas", {user_urn}},
               {user_urn + ":userName", "bjensen"},
               {enterprise_urn + ":department", "R&D"}};
  json out = users.normalize(body, WriteMode::create, nullptr);
  EXPECT_EQ(out["userName"], "bjensen");
  EXPECT_EQ(out[enterprise_urn]["department"], "R&D");
  EXPECT_EQ(out["schemas"], json({user_urn, enterprise_urn}));

  json unknown = user({{user_urn + ":shoeSize", 42}});
  expect_400([&] { users.normalize(unknown, WriteMode::create, nullptr); }, ScimType::invalid_value);
}

// --- RFC 7643 §2.1: attribute names ------------------------------------------------------------

TEST_F(ValidatorTest, Rfc7643_2_1_NamesAreCaseInsensitive) {
  json body = {{"SCHEMAS", {user_urn}},
               {"USERNAME", "bjensen"},
               {"Name", {{"GIVENNAME", "Barbara"}}},
               {"emails", {{{"Value", "b@example.com"}, {"TYPE", "work"}, {"Primary", true}}}},
               {"EXTERNALID", "701984"},
               {scim::to_lower(enterprise_urn), {{"Department", "R&D"}}}};
  json out = users.normalize(body, WriteMode::create, nullptr);
  json expected = {{"schemas", {user_urn, enterprise_urn}},
                   {"userName", "bjensen"},
                   {"name", {{"givenName", "Barbara"}}},
                   {"emails", {{{"value", "b@example.com"}, {"type", "work"}, {"primary", true}}}},
                   {"externalId", "701984"},
                   {enterprise_urn, {{"department", "R&D"}}}};
  EXPECT_EQ(out, expected);
}

TEST_F(ValidatorTest, Rfc7643_2_1_UnknownAttributeRefused) {
  std::string detail =
      expect_400([&] { users.normalize(user({{"shoeSize", 42}}), WriteMode::create, nullptr); }, ScimType::invalid_value);
  EXPECT_NE(detail.find("shoeSize"), std::string::npos) << detail;
  EXPECT_NE(detail.find("/Schemas"), std::string::npos) << detail;

  detail = expect_400([&] { users.normalize(user({{"name", {{"nick", "B"}}}}), WriteMode::create, nullptr); },
                      ScimType::invalid_value);
  EXPECT_NE(detail.find("name.nick"), std::string::npos) << detail;

  detail = expect_400(
      [&] { users.normalize(user({{enterprise_urn, {{"floor", 3}}}}), WriteMode::create, nullptr); },
      ScimType::invalid_value);
  EXPECT_NE(detail.find("floor"), std::string::npos) << detail;
}

TEST_F(ValidatorTest, Rfc7643_2_1_SameAttributeTwiceRefused) {
  json body = user({{"USERNAME", "other"}});
  expect_400([&] { users.normalize(body, WriteMode::create, nullptr); }, ScimType::invalid_value);
  json sub = user({{"name", {{"givenName", "a"}, {"GivenName", "b"}}}});
  expect_400([&] { users.normalize(sub, WriteMode::create, nullptr); }, ScimType::invalid_value);
}

// --- RFC 7644 §3.5.1 / RFC 7643 §2.5: null is unassigned -------------------------------------

TEST_F(ValidatorTest, Rfc7644_3_5_1_NullMeansUnassigned) {
  json body = user({{"displayName", nullptr},
                    {"name", {{"givenName", nullptr}}},
                    {"emails", json::array()},
                    {"phoneNumbers", {nullptr, {{"value", "+1 555"}}}},
                    {"shoeSize", nullptr},
                    {enterprise_urn, nullptr}});
  json out = users.normalize(body, WriteMode::create, nullptr);
  EXPECT_EQ(out, json({{"schemas", {user_urn}},
                       {"userName", "bjensen"},
                       {"phoneNumbers", {{{"value", "+1 555"}}}}}));
  // A value that is not null is still checked.
  expect_400([&] { users.normalize(user({{"displayName", 5}}), WriteMode::create, nullptr); }, ScimType::invalid_value);
}

// --- RFC 7643 §2.3: data types -----------------------------------------------------------------

TEST_F(ValidatorTest, Rfc7643_2_3_1_String) {
  // Entra (E23): stored as sent, no trimming and no case change.
  json out = users.normalize(user({{"displayName", "  Babs JENSEN "}}), WriteMode::create, nullptr);
  EXPECT_EQ(out["displayName"], "  Babs JENSEN ");
  expect_400([&] { users.normalize(user({{"userName", 12}}), WriteMode::create, nullptr); }, ScimType::invalid_value);
  expect_400([&] { users.normalize(user({{"title", true}}), WriteMode::create, nullptr); }, ScimType::invalid_value);
}

TEST_F(ValidatorTest, Rfc7643_2_3_2_Boolean) {
  EXPECT_EQ(users.normalize(user({{"active", false}}), WriteMode::create, nullptr)["active"], json(false));
  // Entra (E2) sends "True"/"False": coerced to JSON booleans.
  EXPECT_EQ(users.normalize(user({{"active", "True"}}), WriteMode::create, nullptr)["active"], json(true));
  EXPECT_EQ(users.normalize(user({{"active", "FALSE"}}), WriteMode::create, nullptr)["active"], json(false));
  json primary = user({{"emails", {{{"value", "a@x"}, {"primary", "true"}}}}});
  EXPECT_EQ(users.normalize(primary, WriteMode::create, nullptr)["emails"][0]["primary"], json(true));
  expect_400([&] { users.normalize(user({{"active", "yes"}}), WriteMode::create, nullptr); }, ScimType::invalid_value);
  expect_400([&] { users.normalize(user({{"active", 1}}), WriteMode::create, nullptr); }, ScimType::invalid_value);
}

TEST_F(ValidatorTest, Rfc7643_2_3_3_Decimal) {
  json out = users.normalize(user({{types_urn, {{"ratio", 0.25}}}}), WriteMode::create, nullptr);
  EXPECT_EQ(out[types_urn]["ratio"], json(0.25));
  out = users.normalize(user({{types_urn, {{"ratio", 3}}}}), WriteMode::create, nullptr);
  EXPECT_EQ(out[types_urn]["ratio"], json(3));
  expect_400([&] { users.normalize(user({{types_urn, {{"ratio", "0.25"}}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
}

TEST_F(ValidatorTest, Rfc7643_2_3_4_Integer) {
  json out = users.normalize(user({{types_urn, {{"count", -7}}}}), WriteMode::create, nullptr);
  EXPECT_EQ(out[types_urn]["count"], json(-7));
  expect_400([&] { users.normalize(user({{types_urn, {{"count", 1.5}}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
  expect_400([&] { users.normalize(user({{types_urn, {{"count", "7"}}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
}

TEST_F(ValidatorTest, Rfc7643_2_3_5_DateTime) {
  json out = users.normalize(user({{types_urn, {{"hiredAt", "2008-01-23T04:56:22Z"}}}}), WriteMode::create, nullptr);
  EXPECT_EQ(out[types_urn]["hiredAt"], "2008-01-23T04:56:22Z");
  expect_400([&] { users.normalize(user({{types_urn, {{"hiredAt", "yesterday"}}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);

  EXPECT_TRUE(is_valid_date_time("2008-01-23T04:56:22Z"));
  EXPECT_TRUE(is_valid_date_time("2008-01-23T04:56:22.123456+05:30"));
  EXPECT_TRUE(is_valid_date_time("2008-01-23T04:56:22"));  // xsd:dateTime: timezone optional
  EXPECT_TRUE(is_valid_date_time("2024-02-29T23:59:59-08:00"));
  EXPECT_FALSE(is_valid_date_time("2008-01-23"));  // RFC 7643 §2.3.5: both date and time
  EXPECT_FALSE(is_valid_date_time("2008-01-23 04:56:22Z"));
  EXPECT_FALSE(is_valid_date_time("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(is_valid_date_time("2008-13-01T00:00:00Z"));
  EXPECT_FALSE(is_valid_date_time("2008-01-23T24:00:00Z"));
  EXPECT_FALSE(is_valid_date_time("2008-01-23T04:56:22.Z"));
  EXPECT_FALSE(is_valid_date_time("2008-01-23T04:56:22+0530"));
  EXPECT_FALSE(is_valid_date_time("2008-01-23T04:56:22Zjunk"));
}

TEST_F(ValidatorTest, Rfc7643_2_3_6_Binary) {
  json cert = user({{"x509Certificates", {{{"value", "TUlJRERqQ0Y="}}}}});
  EXPECT_EQ(users.normalize(cert, WriteMode::create, nullptr)["x509Certificates"][0]["value"], "TUlJRERqQ0Y=");
  json bad = user({{"x509Certificates", {{{"value", "not base64!"}}}}});
  std::string detail = expect_400([&] { users.normalize(bad, WriteMode::create, nullptr); }, ScimType::invalid_value);
  EXPECT_NE(detail.find("x509Certificates[0].value"), std::string::npos) << detail;

  EXPECT_TRUE(is_valid_base64(""));
  EXPECT_TRUE(is_valid_base64("QQ=="));
  EXPECT_TRUE(is_valid_base64("QUI="));
  EXPECT_TRUE(is_valid_base64("QUJD"));
  EXPECT_FALSE(is_valid_base64("QQ"));    // unpadded
  EXPECT_FALSE(is_valid_base64("Q=Q="));  // padding inside
  EXPECT_FALSE(is_valid_base64("QU-_"));  // base64url alphabet
}

TEST_F(ValidatorTest, Rfc7643_2_3_7_Reference) {
  json out = users.normalize(user({{"profileUrl", "https://login.example.com/bjensen"}}), WriteMode::create, nullptr);
  EXPECT_EQ(out["profileUrl"], "https://login.example.com/bjensen");
  expect_400([&] { users.normalize(user({{"profileUrl", {{"href", "x"}}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
}

TEST_F(ValidatorTest, Rfc7643_2_3_8_Complex) {
  json out = users.normalize(user({{"name", {{"familyName", "Jensen"}, {"givenName", "Barbara"}}}}),
                             WriteMode::create, nullptr);
  EXPECT_EQ(out["name"], json({{"familyName", "Jensen"}, {"givenName", "Barbara"}}));
  std::string detail = expect_400(
      [&] { users.normalize(user({{"name", "Barbara Jensen"}}), WriteMode::create, nullptr); }, ScimType::invalid_value);
  EXPECT_NE(detail.find("givenName"), std::string::npos) << "detail should list the sub-attributes: " << detail;
  // Sub-attributes are type-checked too.
  expect_400([&] { users.normalize(user({{"name", {{"givenName", 3}}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
}

// --- RFC 7643 §2.4: multi-valued attributes --------------------------------------------------

TEST_F(ValidatorTest, Rfc7643_2_4_MultiValuedIsArray) {
  json ok = user({{"emails", {{{"value", "a@x"}}, {{"value", "b@x"}}}}});
  EXPECT_EQ(users.normalize(ok, WriteMode::create, nullptr)["emails"].size(), 2u);
  json tags = user({{types_urn, {{"tags", {"a", "b"}}}}});
  EXPECT_EQ(users.normalize(tags, WriteMode::create, nullptr)[types_urn]["tags"], json({"a", "b"}));

  std::string detail = expect_400(
      [&] { users.normalize(user({{"emails", {{"value", "a@x"}}}}), WriteMode::create, nullptr); },
      ScimType::invalid_value);
  EXPECT_NE(detail.find("emails"), std::string::npos) << detail;
  expect_400([&] { users.normalize(user({{types_urn, {{"tags", "a"}}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
  expect_400([&] { users.normalize(user({{types_urn, {{"tags", {"a", 1}}}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
  // And a single-valued attribute is not an array.
  expect_400([&] { users.normalize(user({{"displayName", {"Babs"}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
}

TEST_F(ValidatorTest, Rfc7643_2_4_AtMostOnePrimary) {
  json one = user({{"emails", {{{"value", "a@x"}, {"primary", true}}, {{"value", "b@x"}, {"primary", false}}}}});
  EXPECT_NO_THROW(users.normalize(one, WriteMode::create, nullptr));
  json two = user({{"emails", {{{"value", "a@x"}, {"primary", true}}, {{"value", "b@x"}, {"primary", true}}}}});
  std::string detail = expect_400([&] { users.normalize(two, WriteMode::create, nullptr); }, ScimType::invalid_value);
  EXPECT_NE(detail.find("primary"), std::string::npos) << detail;
  // Entra's string booleans count once coerced.
  json two_strings =
      user({{"addresses", {{{"type", "work"}, {"primary", "True"}}, {{"type", "home"}, {"Primary", "true"}}}}});
  expect_400([&] { users.normalize(two_strings, WriteMode::create, nullptr); }, ScimType::invalid_value);
}

// --- RFC 7643 §4.3 enterprise manager: Entra E15 tolerance ----------------------------------

TEST_F(ValidatorTest, Tolerance_EntraManagerAsBareId) {
  json bare = user({{enterprise_urn, {{"manager", "26118915-6090-4610-87e4-49d8ca9f808d"}}}});
  EXPECT_EQ(users.normalize(bare, WriteMode::create, nullptr)[enterprise_urn]["manager"],
            json({{"value", "26118915-6090-4610-87e4-49d8ca9f808d"}}));
  json array_of_one = user({{enterprise_urn, {{"manager", {{{"value", "m1"}, {"displayName", "Boss"}}}}}}});
  EXPECT_EQ(users.normalize(array_of_one, WriteMode::create, nullptr)[enterprise_urn]["manager"],
            json({{"value", "m1"}}));  // displayName is readOnly: ignored
  json object = user({{enterprise_urn, {{"manager", {{"value", "m1"}, {"$ref", "../Users/m1"}}}}}});
  EXPECT_EQ(users.normalize(object, WriteMode::create, nullptr)[enterprise_urn]["manager"],
            json({{"value", "m1"}, {"$ref", "../Users/m1"}}));

  json two = user({{enterprise_urn, {{"manager", {{{"value", "m1"}}, {{"value", "m2"}}}}}}});
  expect_400([&] { users.normalize(two, WriteMode::create, nullptr); }, ScimType::invalid_value);
  json number = user({{enterprise_urn, {{"manager", 7}}}});
  expect_400([&] { users.normalize(number, WriteMode::create, nullptr); }, ScimType::invalid_value);
  // The tolerance is for manager only; another complex attribute still needs an object.
  expect_400([&] { users.normalize(user({{"name", {{{"givenName", "B"}}}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
}

// --- RFC 7643 §2.2 "required" ------------------------------------------------------------------

TEST_F(ValidatorTest, Rfc7643_2_2_RequiredAttributes) {
  json no_name = {{"schemas", {user_urn}}, {"displayName", "Babs"}};
  std::string detail =
      expect_400([&] { users.normalize(no_name, WriteMode::create, nullptr); }, ScimType::invalid_value);
  EXPECT_NE(detail.find("missing required attribute"), std::string::npos) << detail;
  EXPECT_NE(detail.find("userName"), std::string::npos) << detail;
  // RFC 7643 §4.1.1: "a non-empty userName value"; null is absent.
  expect_400([&] { users.normalize(user({{"userName", ""}}), WriteMode::create, nullptr); }, ScimType::invalid_value);
  expect_400([&] { users.normalize(user({{"userName", nullptr}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
  // RFC 7643 §4.2: Group displayName.
  detail = expect_400([&] { groups.normalize(json({{"schemas", {group_urn}}}), WriteMode::create, nullptr); },
                      ScimType::invalid_value);
  EXPECT_NE(detail.find("displayName"), std::string::npos) << detail;
  EXPECT_NO_THROW(groups.normalize(group(), WriteMode::create, nullptr));
}

TEST_F(ValidatorTest, Rfc7643_2_2_RequiredSubAttributes) {
  json ok = group({{"members", {{{"value", "u1"}}}}});
  EXPECT_EQ(groups.normalize(ok, WriteMode::create, nullptr)["members"], json({{{"value", "u1"}}}));
  std::string detail = expect_400(
      [&] { groups.normalize(group({{"members", {{{"display", "Babs"}}}}}), WriteMode::create, nullptr); },
      ScimType::invalid_value);
  EXPECT_NE(detail.find("members[0].value"), std::string::npos) << detail;
  expect_400([&] { groups.normalize(group({{"members", {{{"type", "User"}}}}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
}

TEST_F(ValidatorTest, Rfc7643_6_RequiredExtension) {
  json with = {{"schemas", {gadget_urn}}, {"label", "g"}, {types_urn, {{"count", 1}}}};
  EXPECT_EQ(gadgets.normalize(with, WriteMode::create, nullptr)["schemas"], json({gadget_urn, types_urn}));
  json without = {{"schemas", {gadget_urn, types_urn}}, {"label", "g"}};
  std::string detail =
      expect_400([&] { gadgets.normalize(without, WriteMode::create, nullptr); }, ScimType::invalid_value);
  EXPECT_NE(detail.find(types_urn), std::string::npos) << detail;
}

// --- RFC 7644 §3.5.1 / RFC 7643 §7 mutability --------------------------------------------------

TEST_F(ValidatorTest, Rfc7644_3_5_1_ReadOnlyIgnored) {
  // Okta (O7) echoes id, meta and groups back in its PUT.
  json body = user({{"id", "2819c223"},
                    {"meta", {{"resourceType", "User"}, {"version", "W/\"1\""}}},
                    {"groups", {{{"value", "g1"}, {"display", "Admins"}}}},
                    {"displayName", "Babs"}});
  json out = users.normalize(body, WriteMode::replace, nullptr);
  EXPECT_EQ(out, json({{"schemas", {user_urn}}, {"userName", "bjensen"}, {"displayName", "Babs"}}));
  // readOnly sub-attributes too, and readOnly values are not even type-checked.
  json members = group({{"members", {{{"value", "u1"}, {"display", 42}}}}});
  EXPECT_EQ(groups.normalize(members, WriteMode::create, nullptr)["members"], json({{{"value", "u1"}}}));
  // Ignoring is not accepting anything: a writable attribute beside them is still checked.
  expect_400([&] { users.normalize(user({{"id", "x"}, {"active", "maybe"}}), WriteMode::create, nullptr); },
             ScimType::invalid_value);
}

TEST_F(ValidatorTest, Rfc7643_4_1_1_PasswordNotStored) {
  // Okta (O4) sends a random password on create; the server never stores it.
  json out = users.normalize(user({{"password", "t1meMa$heen"}}), WriteMode::create, nullptr);
  EXPECT_FALSE(out.contains("password"));
  EXPECT_EQ(out["userName"], "bjensen");
}

TEST_F(ValidatorTest, Rfc7643_7_ImmutableCannotChange) {
  json existing = {{"schemas", {user_urn, types_urn}},
                   {"id", "u1"},
                   {"userName", "bjensen"},
                   {types_urn, {{"badgeId", "B-1"}, {"serial", "Sx"}, {"profile", {{"code", "C1"}, {"label", "l"}}}}}};
  // Different value: 400 mutability naming the attribute.
  json changed = user({{types_urn, {{"badgeId", "B-2"}}}});
  std::string detail =
      expect_400([&] { users.normalize(changed, WriteMode::replace, &existing); }, ScimType::mutability);
  EXPECT_NE(detail.find("badgeId"), std::string::npos) << detail;
  // Immutable sub-attribute of a single-valued complex attribute.
  json sub_changed = user({{types_urn, {{"profile", {{"code", "C2"}}}}}});
  detail = expect_400([&] { users.normalize(sub_changed, WriteMode::replace, &existing); }, ScimType::mutability);
  EXPECT_NE(detail.find("profile.code"), std::string::npos) << detail;
  // caseExact true: a case change is a change.
  json serial_case = user({{types_urn, {{"serial", "SX"}}}});
  expect_400([&] { users.normalize(serial_case, WriteMode::replace, &existing); }, ScimType::mutability);

  // Same value (caseExact false compares case-insensitively): accepted.
  json same = user({{types_urn, {{"badgeId", "b-1"}, {"serial", "Sx"}}}});
  EXPECT_NO_THROW(users.normalize(same, WriteMode::replace, &existing));
  // Omitted: not asserted, the stored value is kept.
  json out = users.normalize(user({{types_urn, {{"profile", {{"label", "new"}}}}}}), WriteMode::replace, &existing);
  EXPECT_EQ(out[types_urn], json({{"badgeId", "B-1"}, {"serial", "Sx"}, {"profile", {{"code", "C1"}, {"label", "new"}}}}));
  EXPECT_EQ(out["schemas"], json({user_urn, types_urn}));
  out = users.normalize(user(), WriteMode::replace, &existing);
  EXPECT_EQ(out[types_urn]["badgeId"], "B-1");
  // Create, or a stored resource without a value: any value may be set.
  EXPECT_NO_THROW(users.normalize(changed, WriteMode::create, nullptr));
  json unset = {{"schemas", {user_urn}}, {"id", "u1"}, {"userName", "bjensen"}};
  EXPECT_EQ(users.normalize(changed, WriteMode::replace, &unset)[types_urn]["badgeId"], "B-2");
}

TEST_F(ValidatorTest, Rfc7643_4_2_MemberListMayBeReplaced) {
  // members.value is immutable per member, but a PUT that replaces the member list is a change
  // of "members" (readWrite), not of a member.
  json existing = group({{"id", "g1"}, {"members", {{{"value", "u1"}, {"type", "User"}}}}});
  json out = groups.normalize(group({{"members", {{{"value", "u2"}}}}}), WriteMode::replace, &existing);
  EXPECT_EQ(out["members"], json({{{"value", "u2"}}}));
}

// --- The fixtures as shipped ------------------------------------------------------------------

TEST(Rfc7643_8_7_1_Schemas, FixtureUserRoundTrip) {
  const auto& registry = fixture_registry();
  ResourceValidator validator(registry, *registry.find_resource_type("User"));
  // RFC 7643 §8.2 full User (the readOnly parts are dropped, password is not stored).
  json full = {
      {"schemas", {user_urn, enterprise_urn}},
      {"id", "2819c223-7f76-453a-919d-413861904646"},
      {"externalId", "701984"},
      {"userName", "bjensen@example.com"},
      {"name",
       {{"formatted", "Ms. Barbara J Jensen, III"},
        {"familyName", "Jensen"},
        {"givenName", "Barbara"},
        {"middleName", "Jane"},
        {"honorificPrefix", "Ms."},
        {"honorificSuffix", "III"}}},
      {"displayName", "Babs Jensen"},
      {"nickName", "Babs"},
      {"profileUrl", "https://login.example.com/bjensen"},
      {"emails",
       {{{"value", "bjensen@example.com"}, {"type", "work"}, {"primary", true}},
        {{"value", "babs@jensen.org"}, {"type", "home"}}}},
      {"addresses",
       {{{"type", "work"},
         {"streetAddress", "100 Universal City Plaza"},
         {"locality", "Hollywood"},
         {"region", "CA"},
         {"postalCode", "91608"},
         {"country", "USA"},
         {"formatted", "100 Universal City Plaza\nHollywood, CA 91608 USA"},
         {"primary", true}}}},
      {"phoneNumbers", {{{"value", "555-555-5555"}, {"type", "work"}}}},
      {"ims", {{{"value", "someaimhandle"}, {"type", "aim"}}}},
      {"photos", {{{"value", "https://photos.example.com/profilephoto/72930000000Ccne/F"}, {"type", "photo"}}}},
      {"userType", "Employee"},
      {"title", "Tour Guide"},
      {"preferredLanguage", "en-US"},
      {"locale", "en-US"},
      {"timezone", "America/Los_Angeles"},
      {"active", true},
      {"password", "t1meMa$heen"},
      {"groups", {{{"value", "e9e30dba-f08f-4109-8486-d5c6a331660a"}, {"display", "Tour Guides"}}}},
      {"x509Certificates", {{{"value", "TUlJRERqQ0NBZXFn"}}}},
      {enterprise_urn,
       {{"employeeNumber", "701984"},
        {"costCenter", "4130"},
        {"organization", "Universal Studios"},
        {"division", "Theme Park"},
        {"department", "Tour Operations"},
        {"manager", {{"value", "26118915-6090-4610-87e4-49d8ca9f808d"}, {"displayName", "John Smith"}}}}},
      {"meta", {{"resourceType", "User"}, {"created", "2010-01-23T04:56:22Z"}}}};
  json out = validator.normalize(full, WriteMode::create, nullptr);
  json expected = full;
  for (const char* dropped : {"id", "password", "groups", "meta"}) expected.erase(dropped);
  expected[enterprise_urn]["manager"].erase("displayName");
  EXPECT_EQ(out, expected);
}

}  // namespace
}  // namespace refserver
