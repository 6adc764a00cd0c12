// The PATCH oracle against RFC 7644 §3.5.2: the examples of §3.5.2.1–§3.5.2.3, mutability,
// atomicity, and each IdP leniency under both readings; then resource_differences.
#include "suites/oracle/patch_oracle.hpp"

#include "scim/schema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace {

using nlohmann::json;
using suites::PatchLeniency;

const scim::SchemaRegistry& registry() {
  static const scim::SchemaRegistry schemas = scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas");
  return schemas;
}

const scim::ResourceTypeDef& user_type() { return *registry().find_resource_type("User"); }
const scim::ResourceTypeDef& group_type() { return *registry().find_resource_type("Group"); }

constexpr const char* enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

json user() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "externalId": "bjensen",
    "userName": "bjensen@example.com",
    "name": {"familyName": "Jensen", "givenName": "Barbara"},
    "nickName": "Barbie",
    "active": true,
    "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
               {"value": "babs@jensen.org", "type": "home"}],
    "addresses": [{"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood",
                   "region": "CA", "postalCode": "91608", "country": "USA", "primary": true},
                  {"type": "home", "streetAddress": "456 Hollywood Blvd", "locality": "Hollywood"}],
    "groups": [{"value": "e9e30dba-f08f-4109-8486-d5c6a331660a", "display": "Tour Guides"}],
    "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z"}
  })");
}

json group() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
    "displayName": "Tour Guides",
    "members": [{"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen", "type": "User",
                 "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"},
                {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge", "type": "User"}],
    "meta": {"resourceType": "Group"}
  })");
}

json patch(const json& operations) {
  return json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}}, {"Operations", operations}};
}

suites::PatchExpectation run(const json& before, const json& operations, PatchLeniency leniency = PatchLeniency::rfc,
                             const scim::ResourceTypeDef& type = user_type()) {
  return suites::expect_patch(before, patch(operations), registry(), type, leniency);
}

suites::PatchExpectation run_group(const json& operations, PatchLeniency leniency = PatchLeniency::rfc) {
  return run(group(), operations, leniency, group_type());
}

// The expected resource must equal `want` in every way resource_differences looks at.
void expect_resource(const suites::PatchExpectation& got, const json& want, const scim::ResourceTypeDef& type = user_type()) {
  ASSERT_TRUE(got.ok) << got.status << " " << got.scim_type << ": " << got.why;
  auto differences = suites::resource_differences(want, got.resource, registry(), type);
  EXPECT_TRUE(differences.empty()) << [&] {
    std::string all;
    for (const auto& d : differences) all += d + "\n";
    return all + "got: " + got.resource.dump();
  }();
}

// A refusal: the status, scimType, a reason, and the resource unchanged (atomicity).
void expect_error(const suites::PatchExpectation& got, const json& before, const std::string& scim_type) {
  EXPECT_FALSE(got.ok) << got.resource.dump();
  EXPECT_EQ(got.status, 400);
  EXPECT_EQ(got.scim_type, scim_type) << got.why;
  EXPECT_FALSE(got.why.empty());
  EXPECT_EQ(got.resource, before);
}

std::vector<std::string> member_ids(const json& resource) {
  std::vector<std::string> ids;
  for (const auto& member : resource.value("members", json::array())) ids.push_back(member.at("value"));
  std::sort(ids.begin(), ids.end());
  return ids;
}

// ---- §3.5.2 the message ---------------------------------------------------------------------------

TEST(Rfc7644_3_5_2_PatchMessage, SchemasMustNameThePatchOpUrn) {
  json body = patch(json::array({{{"op", "replace"}, {"path", "nickName"}, {"value", "Babs"}}}));
  body["schemas"] = json::array({"urn:ietf:params:scim:api:messages:2.0:SearchRequest"});
  auto got = suites::expect_patch(user(), body, registry(), user_type(), PatchLeniency::rfc);
  expect_error(got, user(), "invalidSyntax");
  body.erase("schemas");
  expect_error(suites::expect_patch(user(), body, registry(), user_type(), PatchLeniency::idp), user(), "invalidSyntax");
}

TEST(Rfc7644_3_5_2_PatchMessage, OperationsMustBeANonEmptyArray) {
  expect_error(run(user(), json::array()), user(), "invalidSyntax");
  json body = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}}};
  expect_error(suites::expect_patch(user(), body, registry(), user_type(), PatchLeniency::rfc), user(), "invalidSyntax");
  // Attribute names of the message are case-insensitive (RFC 7643 §2.1).
  body["operations"] = json::array({{{"op", "replace"}, {"path", "nickName"}, {"value", "Babs"}}});
  EXPECT_TRUE(suites::expect_patch(user(), body, registry(), user_type(), PatchLeniency::rfc).ok);
}

TEST(Rfc7644_3_5_2_PatchMessage, UnknownOpIsInvalidSyntax) {
  expect_error(run(user(), json::array({{{"op", "move"}, {"path", "nickName"}, {"value", "x"}}})), user(), "invalidSyntax");
  expect_error(run(user(), json::array({{{"path", "nickName"}, {"value", "x"}}})), user(), "invalidSyntax");
  expect_error(run(user(), json::array({{{"op", "move"}, {"path", "nickName"}, {"value", "x"}}}), PatchLeniency::idp),
               user(), "invalidSyntax");
}

TEST(Rfc7644_3_5_2_PatchMessage, MalformedOrUnknownPathIsInvalidPath) {
  expect_error(run(user(), json::array({{{"op", "replace"}, {"path", "emails[type eq \"work\""}, {"value", "x"}}})),
               user(), "invalidPath");
  auto got = run(user(), json::array({{{"op", "replace"}, {"path", "favouriteColour"}, {"value", "blue"}}}));
  expect_error(got, user(), "invalidPath");
  EXPECT_EQ(got.also_acceptable_scim_types, std::vector<std::string>{"noTarget"});
  expect_error(run(user(), json::array({{{"op", "replace"}, {"path", "emails[nosuch eq \"x\"].value"}, {"value", "x"}}})),
               user(), "invalidPath");
  expect_error(run(user(), json::array({{{"op", "replace"}, {"path", "emails[type eq \"work\"].nosuch"}, {"value", "x"}}})),
               user(), "invalidPath");
}

TEST(Rfc7644_3_5_2_PatchMessage, ValueMustFitTheAttributeType) {
  expect_error(run(user(), json::array({{{"op", "replace"}, {"path", "nickName"}, {"value", 42}}})), user(), "invalidValue");
  expect_error(run(user(), json::array({{{"op", "replace"}, {"path", "active"}, {"value", "yes"}}})), user(), "invalidValue");
  expect_error(run(user(), json::array({{{"op", "replace"}, {"path", "name"}, {"value", "Barbara Jensen"}}})), user(),
               "invalidValue");
  expect_error(run(user(), json::array({{{"op", "add"}, {"path", "emails"}, {"value", {{"value", "x@y.z"}, {"kind", "work"}}}}})),
               user(), "invalidValue");
}

// ---- §3.5.2.1 add ----------------------------------------------------------------------------------

// The RFC's example: add a member to a group.
TEST(Rfc7644_3_5_2_1_Add, MemberIsAppended) {
  auto got = run_group(json::parse(R"([{"op":"add","path":"members","value":[{"display":"Babs Jensen",
      "$ref":"https://example.com/v2/Users/0c9b7b4e","value":"0c9b7b4e-3d8f-4a6b-9b1f-2a4c6d8e0f12"}]}])"));
  json want = group();
  want["members"].push_back({{"value", "0c9b7b4e-3d8f-4a6b-9b1f-2a4c6d8e0f12"}});
  expect_resource(got, want, group_type());
  EXPECT_EQ(member_ids(got.resource).size(), 3u);
}

// "If the user was already a member of this group, no changes should be made to the resource".
TEST(Rfc7644_3_5_2_1_Add, ExistingMemberIsNotDuplicated) {
  auto got = run_group(json::parse(R"([{"op":"add","path":"members","value":[
      {"value":"902c246b-6245-4190-8e05-00816be7344a","display":"someone else"}]}])"));
  expect_resource(got, group(), group_type());
  EXPECT_EQ(got.resource["members"].size(), 2u);
}

// The RFC's path-less example: emails gets a value, nickname is set (replaced when present).
TEST(Rfc7644_3_5_2_1_Add, WithoutPathAddsEachAttribute) {
  auto got = run(user(), json::parse(R"([{"op":"add","value":{
      "emails":[{"value":"babs@jensen.org","type":"home"},{"value":"barbara@jensen.org","type":"home"}],
      "nickname":"Babs"}}])"));
  json want = user();
  want["emails"].push_back({{"value", "barbara@jensen.org"}, {"type", "home"}});
  want["nickName"] = "Babs";
  expect_resource(got, want);
  EXPECT_EQ(got.resource["emails"].size(), 3u);  // the identical home email is not added twice
}

TEST(Rfc7644_3_5_2_1_Add, SingleValuedAttributeIsReplacedOrAdded) {
  json want = user();
  want["title"] = "Tour Guide";
  want["nickName"] = "Babs";
  expect_resource(run(user(), json::parse(R"([{"op":"add","path":"title","value":"Tour Guide"},
                                              {"op":"add","path":"nickName","value":"Babs"}])")),
                  want);
}

TEST(Rfc7644_3_5_2_1_Add, ComplexValueMergesSubAttributes) {
  json want = user();
  want["name"]["middleName"] = "Jane";
  want["name"]["givenName"] = "Babs";
  expect_resource(run(user(), json::parse(R"([{"op":"add","path":"name","value":{"middleName":"Jane","givenName":"Babs"}}])")),
                  want);
  want = user();
  want["name"]["honorificPrefix"] = "Ms.";
  expect_resource(run(user(), json::parse(R"([{"op":"add","path":"name.honorificPrefix","value":"Ms."}])")), want);
}

TEST(Rfc7644_3_5_2_1_Add, ValueIsRequired) {
  auto got = run(user(), json::parse(R"([{"op":"add","path":"nickName"}])"));
  expect_error(got, user(), "invalidValue");
}

TEST(Rfc7644_3_5_2_1_Add, MemberWithoutValueIsRefused) {
  expect_error(run_group(json::parse(R"([{"op":"add","path":"members","value":[{"display":"nobody"}]}])")), group(),
               "invalidValue");
}

TEST(Rfc7644_3_5_2_1_Add, ExtensionAttributesByUrnPath) {
  auto got = run(user(), json::parse(R"([
      {"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"701984"},
      {"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value","value":"26118915"}])"));
  json want = user();
  want[enterprise] = {{"employeeNumber", "701984"}, {"manager", {{"value", "26118915"}}}};
  want["schemas"].push_back(enterprise);
  expect_resource(got, want);
  // The extension URN joins "schemas" now that the extension holds values (RFC 7643 §3).
  EXPECT_NE(std::find(got.resource["schemas"].begin(), got.resource["schemas"].end(), json(enterprise)),
            got.resource["schemas"].end());
}

TEST(Rfc7644_3_5_2_1_Add, ExtensionObjectWithoutPath) {
  auto got = run(user(), json::parse(R"([{"op":"add","value":{
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Tour Operations","costCenter":"4130"}}}])"));
  json want = user();
  want[enterprise] = {{"department", "Tour Operations"}, {"costCenter", "4130"}};
  want["schemas"].push_back(enterprise);
  expect_resource(got, want);
}

// ---- §3.5.2.2 remove -------------------------------------------------------------------------------

TEST(Rfc7644_3_5_2_2_Remove, WithoutPathIsNoTarget) {
  expect_error(run(user(), json::parse(R"([{"op":"remove"}])")), user(), "noTarget");
  expect_error(run(user(), json::parse(R"([{"op":"Remove"}])"), PatchLeniency::idp), user(), "noTarget");
}

TEST(Rfc7644_3_5_2_2_Remove, SingleMemberByFilter) {
  auto got = run_group(json::parse(R"([{"op":"remove","path":"members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"}])"));
  ASSERT_TRUE(got.ok) << got.why;
  EXPECT_EQ(member_ids(got.resource), std::vector<std::string>{"902c246b-6245-4190-8e05-00816be7344a"});
}

TEST(Rfc7644_3_5_2_2_Remove, AllMembers) {
  json want = group();
  want.erase("members");
  expect_resource(run_group(json::parse(R"([{"op":"remove","path":"members"}])")), want, group_type());
}

// The RFC's example: remove all members, then add a new set, in one request.
TEST(Rfc7644_3_5_2_2_Remove, RemoveAllThenAddReplacesTheMemberList) {
  auto got = run_group(json::parse(R"([{"op":"remove","path":"members"},
      {"op":"add","path":"members","value":[{"value":"2819c223-7f76-453a-919d-413861904646"},
                                            {"value":"08e1d05d-121c-4561-8b96-473d93df9210"}]}])"));
  ASSERT_TRUE(got.ok) << got.why;
  EXPECT_EQ(member_ids(got.resource),
            (std::vector<std::string>{"08e1d05d-121c-4561-8b96-473d93df9210", "2819c223-7f76-453a-919d-413861904646"}));
}

TEST(Rfc7644_3_5_2_2_Remove, ComplexFilterRemovesOnlyMatchingValues) {
  json before = user();
  before["emails"].push_back({{"value", "babs@example.com"}, {"type", "other"}});
  auto got = run(before, json::parse(R"([{"op":"remove","path":"emails[type eq \"work\" and value ew \"example.com\"]"}])"));
  json want = before;
  want["emails"].erase(0);
  expect_resource(got, want);
}

TEST(Rfc7644_3_5_2_2_Remove, LastValueLeavesTheAttributeUnassigned) {
  json before = user();
  before["emails"] = json::array({{{"value", "x@example.com"}, {"type", "work"}}});
  auto got = run(before, json::parse(R"([{"op":"remove","path":"emails[type eq \"work\"]"}])"));
  ASSERT_TRUE(got.ok);
  EXPECT_FALSE(got.resource.contains("emails"));
}

TEST(Rfc7644_3_5_2_2_Remove, SingleValuedAndSubAttributes) {
  json want = user();
  want.erase("nickName");
  want["name"].erase("givenName");
  want["addresses"][0].erase("region");
  expect_resource(run(user(), json::parse(R"([{"op":"remove","path":"nickName"},{"op":"remove","path":"name.givenName"},
                                              {"op":"remove","path":"addresses[type eq \"work\"].region"}])")),
                  want);
}

TEST(Rfc7644_3_5_2_2_Remove, UnassignedAttributeChangesNothing) {
  expect_resource(run(user(), json::parse(R"([{"op":"remove","path":"title"}])")), user());
}

// "If an attribute is removed or becomes unassigned and is defined as a required attribute or a
// read-only attribute, the server SHALL return ... a "scimType" error code of "mutability"."
TEST(Rfc7644_3_5_2_2_Remove, RequiredOrReadOnlyIsMutability) {
  expect_error(run(user(), json::parse(R"([{"op":"remove","path":"userName"}])")), user(), "mutability");
  expect_error(run(user(), json::parse(R"([{"op":"remove","path":"id"}])")), user(), "mutability");
  expect_error(run(user(), json::parse(R"([{"op":"remove","path":"groups"}])")), user(), "mutability");
  expect_error(run(user(), json::parse(R"([{"op":"remove","path":"meta.lastModified"}])")), user(), "mutability");
  expect_error(run_group(json::parse(R"([{"op":"remove","path":"displayName"}])")), group(), "mutability");
  expect_error(run_group(json::parse(R"([{"op":"remove","path":"members[value eq \"902c246b-6245-4190-8e05-00816be7344a\"].value"}])")),
               group(), "mutability");
}

TEST(Rfc7644_3_5_2_2_Remove, FilterWithoutMatchRfcNoTargetIdpUnchanged) {
  json ops = json::parse(R"([{"op":"remove","path":"members[value eq \"not-a-member\"]"}])");
  expect_error(run_group(ops, PatchLeniency::rfc), group(), "noTarget");
  expect_resource(run_group(ops, PatchLeniency::idp), group(), group_type());
}

// ---- §3.5.2.3 replace ------------------------------------------------------------------------------

// The RFC's example: replace all members.
TEST(Rfc7644_3_5_2_3_Replace, AllMembers) {
  auto got = run_group(json::parse(R"([{"op":"replace","path":"members","value":[
      {"display":"Babs Jensen","$ref":"https://example.com/v2/Users/2819c223","value":"2819c223-7f76-453a-919d-413861904646"},
      {"display":"James Smith","$ref":"https://example.com/v2/Users/08e1d05d","value":"08e1d05d-121c-4561-8b96-473d93df9210"}]}])"));
  ASSERT_TRUE(got.ok) << got.why;
  EXPECT_EQ(member_ids(got.resource),
            (std::vector<std::string>{"08e1d05d-121c-4561-8b96-473d93df9210", "2819c223-7f76-453a-919d-413861904646"}));
}

// The RFC's example: the whole work address is replaced (not merged).
TEST(Rfc7644_3_5_2_3_Replace, FilteredRecordIsReplacedWhole) {
  auto got = run(user(), json::parse(R"([{"op":"replace","path":"addresses[type eq \"work\"]","value":{
      "type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood","region":"CA",
      "postalCode":"91608","country":"US","formatted":"911 Universal City Plaza\nHollywood, CA 91608 US","primary":true}}])"));
  json want = user();
  want["addresses"][0] = json::parse(R"({"type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood",
      "region":"CA","postalCode":"91608","country":"US","formatted":"911 Universal City Plaza\nHollywood, CA 91608 US",
      "primary":true})");
  expect_resource(got, want);
  // A replacement without region drops it: the record is replaced, not merged.
  got = run(user(), json::parse(R"([{"op":"replace","path":"addresses[type eq \"work\"]","value":{"type":"work","locality":"LA"}}])"));
  want = user();
  want["addresses"][0] = {{"type", "work"}, {"locality", "LA"}};
  expect_resource(got, want);
}

// The RFC's example: one sub-attribute of the matching records.
TEST(Rfc7644_3_5_2_3_Replace, FilteredSubAttribute) {
  json want = user();
  want["addresses"][0]["streetAddress"] = "1010 Broadway Ave";
  expect_resource(run(user(), json::parse(R"([{"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"1010 Broadway Ave"}])")),
                  want);
}

// The RFC's example: path-less replace of emails (all values) and nickName.
TEST(Rfc7644_3_5_2_3_Replace, WithoutPathReplacesEachAttribute) {
  auto got = run(user(), json::parse(R"([{"op":"replace","value":{
      "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
      "nickName":"Babs"}}])"));
  json want = user();
  want["nickName"] = "Babs";
  expect_resource(got, want);
  got = run(user(), json::parse(R"([{"op":"replace","value":{"emails":[{"value":"only@example.com","type":"work"}]}}])"));
  want = user();
  want["emails"] = json::array({{{"value", "only@example.com"}, {"type", "work"}}});
  expect_resource(got, want);
}

// "Sub-attributes that are not specified in the "value" parameter are left unchanged."
TEST(Rfc7644_3_5_2_3_Replace, ComplexAttributeMerges) {
  json want = user();
  want["name"]["givenName"] = "Babs";
  expect_resource(run(user(), json::parse(R"([{"op":"replace","path":"name","value":{"givenName":"Babs"}}])")), want);
  expect_resource(run(user(), json::parse(R"([{"op":"replace","value":{"name":{"givenName":"Babs"}}}])")), want);
}

// "If the target location path specifies an attribute that does not exist, the service provider
// SHALL treat the operation as an "add"."
TEST(Rfc7644_3_5_2_3_Replace, MissingAttributeIsAdded) {
  json want = user();
  want["title"] = "Tour Guide";
  expect_resource(run(user(), json::parse(R"([{"op":"replace","path":"title","value":"Tour Guide"}])")), want);
}

TEST(Rfc7644_3_5_2_3_Replace, NullUnassignsButNotARequiredAttribute) {
  json want = user();
  want.erase("nickName");
  expect_resource(run(user(), json::parse(R"([{"op":"replace","path":"nickName","value":null}])")), want);
  expect_error(run(user(), json::parse(R"([{"op":"replace","path":"userName","value":null}])")), user(), "invalidValue");
}

// Entra's shape (idp-quirks E11): no work email exists.
TEST(Rfc7644_3_5_2_3_Replace, FilterWithoutMatchRfcNoTargetIdpCreates) {
  json before = user();
  before["emails"] = json::array({{{"value", "babs@jensen.org"}, {"type", "home"}}});
  json ops = json::parse(R"([{"op":"replace","path":"emails[type eq \"work\"].value","value":"bjensen@contoso.com"},
                             {"op":"replace","path":"emails[type eq \"work\"].primary","value":true}])");
  expect_error(run(before, ops, PatchLeniency::rfc), before, "noTarget");
  auto got = run(before, ops, PatchLeniency::idp);
  json want = before;
  // Both operations land on ONE new value.
  want["emails"].push_back({{"value", "bjensen@contoso.com"}, {"type", "work"}, {"primary", true}});
  expect_resource(got, want);
  EXPECT_EQ(got.resource["emails"].size(), 2u);
}

TEST(Rfc7644_3_5_2_3_Replace, FilterWithoutMatchThatCannotBeBuiltIsNoTargetEvenForIdp) {
  json ops = json::parse(R"([{"op":"replace","path":"emails[value co \"@nowhere\"].type","value":"work"}])");
  expect_error(run(user(), ops, PatchLeniency::idp), user(), "noTarget");
}

// RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly" or
// "immutable". However, a client MAY "add" a value to an "immutable" attribute if the attribute
// had no previous value."
TEST(Rfc7644_3_5_2_3_Replace, ReadOnlyAndImmutableAreMutability) {
  expect_error(run(user(), json::parse(R"([{"op":"replace","path":"id","value":"other"}])")), user(), "mutability");
  expect_error(run(user(), json::parse(R"([{"op":"replace","path":"meta.created","value":"2020-01-01T00:00:00Z"}])")),
               user(), "mutability");
  expect_error(run(user(), json::parse(R"([{"op":"add","path":"groups","value":[{"value":"x"}]}])")), user(), "mutability");
  expect_error(run_group(json::parse(R"([{"op":"replace","path":"members[value eq \"902c246b-6245-4190-8e05-00816be7344a\"].value","value":"other"}])")),
               group(), "mutability");
  expect_error(run_group(json::parse(R"([{"op":"replace","path":"members[value eq \"902c246b-6245-4190-8e05-00816be7344a\"].display","value":"x"}])")),
               group(), "mutability");
  // An immutable value may be set when it has none.
  json before = group();
  before["members"][1].erase("type");
  auto got = run(before, json::parse(R"([{"op":"add","path":"members[value eq \"902c246b-6245-4190-8e05-00816be7344a\"].type","value":"User"}])"),
                 PatchLeniency::rfc, group_type());
  EXPECT_TRUE(got.ok) << got.why;
}

TEST(Rfc7644_3_5_2_3_Replace, ExtensionAttributes) {
  json before = user();
  before["schemas"].push_back(enterprise);
  before[enterprise] = {{"employeeNumber", "1"}, {"manager", {{"value", "m1"}, {"displayName", "John"}}}};
  auto got = run(before, json::parse(R"([
      {"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"2"},
      {"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value","value":"m2"}])"));
  json want = before;
  want[enterprise] = {{"employeeNumber", "2"}, {"manager", {{"value", "m2"}}}};
  expect_resource(got, want);
  // Removing the extension root removes all its attributes.
  got = run(before, json::parse(R"([{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}])"));
  ASSERT_TRUE(got.ok) << got.why;
  EXPECT_FALSE(got.resource.contains(enterprise));
}

// ---- §3.5.2 atomicity -------------------------------------------------------------------------------

// "A patch request, regardless of the number of operations, SHALL be treated as atomic. If a
// single operation encounters an error condition, the original SCIM resource MUST be restored".
TEST(Rfc7644_3_5_2_Atomicity, OneFailingOperationFailsTheWholeRequest) {
  auto got = run(user(), json::parse(R"([{"op":"replace","path":"nickName","value":"Babs"},
                                         {"op":"remove","path":"emails[type eq \"pager\"]"},
                                         {"op":"replace","path":"title","value":"Tour Guide"}])"));
  expect_error(got, user(), "noTarget");
  EXPECT_NE(got.why.find("Operations[1]"), std::string::npos) << got.why;
  // The same first operation alone succeeds, so the failure is the second one's.
  EXPECT_TRUE(run(user(), json::parse(R"([{"op":"replace","path":"nickName","value":"Babs"}])")).ok);
}

TEST(Rfc7644_3_5_2_Atomicity, LaterOperationsSeeEarlierOnes) {
  auto got = run(user(), json::parse(R"([{"op":"add","path":"emails","value":[{"value":"p@example.com","type":"pager"}]},
                                         {"op":"replace","path":"emails[type eq \"pager\"].value","value":"q@example.com"}])"));
  json want = user();
  want["emails"].push_back({{"value", "q@example.com"}, {"type", "pager"}});
  expect_resource(got, want);
}

// ---- the IdP leniencies, each in both readings ---------------------------------------------------------

TEST(Leniency_OpNameCase, CapitalisedOpsAreIdpOnly) {
  json ops = json::parse(R"([{"op":"Replace","path":"nickName","value":"Babs"},{"op":"Add","path":"title","value":"Guide"}])");
  auto strict = run(user(), ops, PatchLeniency::rfc);
  expect_error(strict, user(), "invalidSyntax");
  EXPECT_NE(strict.why.find("Replace"), std::string::npos);
  json want = user();
  want["nickName"] = "Babs";
  want["title"] = "Guide";
  expect_resource(run(user(), ops, PatchLeniency::idp), want);
}

TEST(Leniency_StringBooleans, TrueFalseStringsAreIdpOnly) {
  json ops = json::parse(R"([{"op":"Replace","path":"active","value":"False"}])");
  ops[0]["op"] = "replace";
  auto strict = run(user(), ops, PatchLeniency::rfc);
  expect_error(strict, user(), "invalidValue");
  auto got = run(user(), ops, PatchLeniency::idp);
  ASSERT_TRUE(got.ok) << got.why;
  EXPECT_EQ(got.resource["active"], json(false));  // a JSON boolean, not the string
  json before = user();
  before["active"] = false;
  got = run(before, json::parse(R"([{"op":"Replace","value":{"active":"true"}}])"), PatchLeniency::idp);
  ASSERT_TRUE(got.ok) << got.why;
  EXPECT_EQ(got.resource["active"], json(true));
}

// Entra without aadOptscim062020 (idp-quirks E3).
TEST(Leniency_EntraMemberRemoval, ValueListedMembersOnly) {
  json ops = json::parse(R"([{"op":"Remove","path":"members","value":[{"$ref":null,"value":"2819c223-7f76-453a-919d-413861904646"}]}])");
  auto got = run_group(ops, PatchLeniency::idp);
  ASSERT_TRUE(got.ok) << got.why;
  EXPECT_EQ(member_ids(got.resource), std::vector<std::string>{"902c246b-6245-4190-8e05-00816be7344a"});
  ops[0]["op"] = "remove";
  auto strict = run_group(ops, PatchLeniency::rfc);
  expect_error(strict, group(), "invalidSyntax");
  EXPECT_NE(strict.why.find("§3.5.2.2"), std::string::npos);
  // Removing someone who is not a member changes nothing.
  expect_resource(run_group(json::parse(R"([{"op":"Remove","path":"members","value":[{"value":"stranger"}]}])"), PatchLeniency::idp),
                  group(), group_type());
}

// Okta's group rename (idp-quirks O14).
TEST(Leniency_OktaReadOnlyId, EqualIdInPathlessReplaceIsIgnoredByIdpOnly) {
  json ops = json::parse(R"([{"op":"replace","value":{"id":"e9e30dba-f08f-4109-8486-d5c6a331660a","displayName":"Guides"}}])");
  auto strict = run_group(ops, PatchLeniency::rfc);
  expect_error(strict, group(), "mutability");
  EXPECT_NE(strict.why.find("Okta"), std::string::npos);
  json want = group();
  want["displayName"] = "Guides";
  expect_resource(run_group(ops, PatchLeniency::idp), want, group_type());
  // A different id is a real modification in both readings.
  ops[0]["value"]["id"] = "another-id";
  expect_error(run_group(ops, PatchLeniency::idp), group(), "mutability");
}

// RFC 7644 §3.5.2: setting "primary" to true "SHALL cause the server to automatically set
// "primary" to "false" for any other values in the array" — in both readings.
TEST(Rfc7644_3_5_2_Primary, NewPrimaryClearsTheOthers) {
  json ops = json::parse(R"([{"op":"add","path":"emails","value":[{"value":"new@example.com","type":"other","primary":true}]}])");
  json want = user();
  want["emails"][0].erase("primary");
  want["emails"].push_back({{"value", "new@example.com"}, {"type", "other"}, {"primary", true}});
  expect_resource(run(user(), ops, PatchLeniency::rfc), want);
  expect_resource(run(user(), ops, PatchLeniency::idp), want);
  // Moving the mark with a filtered replace.
  auto got = run(user(), json::parse(R"([{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}])"), PatchLeniency::rfc);
  want = user();
  want["emails"][0].erase("primary");
  want["emails"][1]["primary"] = true;
  expect_resource(got, want);
}

// Two values marked primary in one operation: the same §3.5.2 rule read in order leaves the
// mark on the last one, so RFC 7643 §2.4's "no more than once" still holds afterwards.
TEST(Rfc7643_2_4_Primary, TwoNewPrimaryValuesInOneOperationLeaveOneMark) {
  json ops = json::parse(R"([{"op":"add","path":"emails","value":[{"value":"a@example.com","primary":true},{"value":"b@example.com","primary":true}]}])");
  json want = user();
  want["emails"][0].erase("primary");
  want["emails"].push_back({{"value", "a@example.com"}});
  want["emails"].push_back({{"value", "b@example.com"}, {"primary", true}});
  expect_resource(run(user(), ops, PatchLeniency::rfc), want);
}

TEST(Leniency_EntraPathKeys, PathlessValueKeyedByPathsIsIdpOnly) {
  json ops = json::parse(R"([{"op":"replace","value":{"displayName":"Babs","name.givenName":"Babs",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"42"}}])");
  auto strict = run(user(), ops, PatchLeniency::rfc);
  expect_error(strict, user(), "invalidValue");
  json want = user();
  want["displayName"] = "Babs";
  want["name"]["givenName"] = "Babs";
  want[enterprise] = {{"employeeNumber", "42"}};
  want["schemas"].push_back(enterprise);
  expect_resource(run(user(), ops, PatchLeniency::idp), want);
}

TEST(Leniency_EntraManager, BareIdForComplexManagerIsIdpOnly) {
  json ops = json::parse(R"([{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"m-42"}])");
  ops[0]["op"] = "add";
  expect_error(run(user(), ops, PatchLeniency::rfc), user(), "invalidValue");
  json want = user();
  want[enterprise] = {{"manager", {{"value", "m-42"}}}};
  want["schemas"].push_back(enterprise);
  expect_resource(run(user(), ops, PatchLeniency::idp), want);
}

// ---- resource_differences ------------------------------------------------------------------------------

std::vector<std::string> diff(const json& expected, const json& actual, const scim::ResourceTypeDef& type = user_type()) {
  return suites::resource_differences(expected, actual, registry(), type);
}

TEST(ResourceDifferences, IdenticalResourcesAgree) { EXPECT_TRUE(diff(user(), user()).empty()); }

TEST(ResourceDifferences, NamesCaseInsensitiveAndValuesByCaseExact) {
  json actual = user();
  actual["USERNAME"] = "BJensen@Example.com";  // userName is caseExact false
  actual.erase("userName");
  actual["Name"] = actual["name"];
  actual.erase("name");
  EXPECT_TRUE(diff(user(), actual).empty());
  actual = user();
  actual["externalId"] = "BJENSEN";  // caseExact
  auto lines = diff(user(), actual);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("externalId"), std::string::npos);
  EXPECT_NE(lines[0].find("\"bjensen\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"BJENSEN\""), std::string::npos);
}

TEST(ResourceDifferences, MetaServerComputedAndNeverReturnedAreIgnored) {
  json actual = user();
  actual["meta"]["lastModified"] = "2030-01-01T00:00:00Z";
  actual["groups"] = json::array();
  actual["password"] = "secret";
  EXPECT_TRUE(diff(user(), actual).empty());
  json members = group();
  for (auto& member : members["members"]) {
    member.erase("display");
    member.erase("$ref");
    member.erase("type");
  }
  EXPECT_TRUE(diff(group(), members, group_type()).empty());
}

TEST(ResourceDifferences, MultiValuedAreMultisets) {
  json actual = user();
  std::reverse(actual["emails"].begin(), actual["emails"].end());
  EXPECT_TRUE(diff(user(), actual).empty());
  actual["emails"].push_back(actual["emails"][0]);  // one value twice is not the same multiset
  EXPECT_EQ(diff(user(), actual).size(), 1u);
}

TEST(ResourceDifferences, EachDifferenceNamesPathAndBothValues) {
  json actual = user();
  actual["emails"][1]["type"] = "other";
  actual["nickName"] = "Babs";
  actual.erase("active");
  actual["emails"].push_back({{"value", "extra@example.com"}});
  auto lines = diff(user(), actual);
  auto has = [&](const std::string& a, const std::string& b, const std::string& c) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
      return l.find(a) != std::string::npos && l.find(b) != std::string::npos && l.find(c) != std::string::npos;
    });
  };
  EXPECT_EQ(lines.size(), 4u);
  EXPECT_TRUE(has("emails[value eq \"babs@jensen.org\"].type", "\"home\"", "\"other\""));
  EXPECT_TRUE(has("nickName", "\"Barbie\"", "\"Babs\""));
  EXPECT_TRUE(has("active", "true", "(absent)"));
  EXPECT_TRUE(has("emails", "unexpected", "extra@example.com"));
}

TEST(ResourceDifferences, NullEmptyAndAbsentAgreeAndPrimaryFalseIsAbsent) {
  json actual = user();
  actual["title"] = nullptr;
  actual["ims"] = json::array();
  actual["emails"][1]["primary"] = false;
  EXPECT_TRUE(diff(user(), actual).empty());
}

TEST(ResourceDifferences, ExtensionAttributesAndSchemas) {
  json expected = user();
  expected["schemas"].push_back(enterprise);
  expected[enterprise] = {{"employeeNumber", "1"}};
  json actual = expected;
  actual[enterprise]["employeeNumber"] = "2";
  auto lines = diff(expected, actual);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(std::string(enterprise) + ":employeeNumber"), std::string::npos);
  // The URN without extension data is not held against anyone; with data it is.
  json empty_extension = user();
  empty_extension["schemas"].push_back(enterprise);
  EXPECT_TRUE(diff(user(), empty_extension).empty());
  actual = expected;
  actual["schemas"] = json::array({"urn:ietf:params:scim:schemas:core:2.0:User"});
  EXPECT_EQ(diff(expected, actual).size(), 1u);
}

}  // namespace
