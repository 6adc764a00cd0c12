// RFC 7644 §3.5.2 PATCH: the message, the add/remove/replace semantics with the RFC's own
// examples, mutability, atomicity and the error responses (status and scimType both asserted).
#include "patch_test_fixture.hpp"

namespace refserver::patch_test {
namespace {

using scim::ScimType;

// ---- §3.5.2 Modifying with PATCH: the message -------------------------------------------------

class Rfc7644_3_5_2_ModifyingWithPatch : public PatchTest {};

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, BodyThatIsNotAnObjectIsInvalidSyntax) {
  expect_error([&] { PatchEngine(registry(), user_type()).apply(user_, json::array()); }, ScimType::invalid_syntax);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, MissingPatchOpSchemaIsInvalidSyntax) {
  json body = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
               {"Operations", {{{"op", "replace"}, {"path", "nickName"}, {"value", "x"}}}}};
  const std::string detail =
      expect_error([&] { PatchEngine(registry(), user_type()).apply(user_, body); }, ScimType::invalid_syntax);
  EXPECT_NE(detail.find("urn:ietf:params:scim:api:messages:2.0:PatchOp"), std::string::npos) << detail;
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, MissingOperationsIsInvalidSyntax) {
  json body = {{"schemas", {std::string(scim::urn::patch_op)}}};
  const std::string detail =
      expect_error([&] { PatchEngine(registry(), user_type()).apply(user_, body); }, ScimType::invalid_syntax);
  EXPECT_NE(detail.find("Operations"), std::string::npos) << detail;
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, EmptyOperationsIsInvalidSyntax) {
  const std::string detail = user_error(json::array(), ScimType::invalid_syntax);
  EXPECT_NE(detail.find("empty"), std::string::npos) << detail;
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, OperationsThatIsNotAnArrayIsInvalidSyntax) {
  json body = {{"schemas", {std::string(scim::urn::patch_op)}},
               {"Operations", {{"op", "replace"}, {"path", "nickName"}, {"value", "x"}}}};
  expect_error([&] { PatchEngine(registry(), user_type()).apply(user_, body); }, ScimType::invalid_syntax);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, OperationThatIsNotAnObjectIsInvalidSyntax) {
  user_error(json::array({"replace"}), ScimType::invalid_syntax);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, OperationWithoutOpIsInvalidSyntax) {
  const std::string detail = user_error({{{"path", "nickName"}, {"value", "x"}}}, ScimType::invalid_syntax);
  EXPECT_NE(detail.find("\"op\""), std::string::npos) << detail;
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, UnknownOpIsInvalidSyntax) {
  const std::string detail =
      user_error({{{"op", "move"}, {"path", "nickName"}, {"value", "x"}}}, ScimType::invalid_syntax);
  EXPECT_NE(detail.find("move"), std::string::npos) << detail;
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, AddWithoutValueIsInvalidSyntax) {
  const std::string detail = user_error({{{"op", "add"}, {"path", "nickName"}}}, ScimType::invalid_syntax);
  EXPECT_NE(detail.find("value"), std::string::npos) << detail;
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, NonStringPathIsInvalidSyntax) {
  user_error({{{"op", "replace"}, {"path", 42}, {"value", "x"}}}, ScimType::invalid_syntax);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, MessageMemberNamesAreCaseInsensitive) {
  // RFC 7643 §2.1: attribute names are case-insensitive, and so are the message's members.
  json body = {{"SCHEMAS", {std::string(scim::urn::patch_op)}},
               {"operations", {{{"OP", "replace"}, {"Path", "nickName"}, {"VALUE", "Babs"}}}}};
  json out = PatchEngine(registry(), user_type()).apply(user_, body);
  EXPECT_EQ(out["nickName"], "Babs");
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, FailingOperationLeavesResourceUntouched) {
  // RFC 7644 §3.5.2: "A PATCH request, regardless of the number of operations, SHALL be treated
  // as atomic."
  const json before = user_;
  json good = {{"op", "replace"}, {"path", "nickName"}, {"value", "Babs"}};
  json bad = {{"op", "replace"}, {"path", "id"}, {"value", "other-id"}};
  ASSERT_EQ(patch_user({good})["nickName"], "Babs");  // the first op alone does apply
  std::optional<json> result;
  expect_error([&] { result = patch_user({good, bad}); }, ScimType::mutability);
  EXPECT_FALSE(result.has_value());
  EXPECT_EQ(user_, before);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ErrorDetailNamesTheFailingOperation) {
  json good = {{"op", "replace"}, {"path", "nickName"}, {"value", "Babs"}};
  json bad = {{"op", "add"}, {"path", "nonsense"}, {"value", "x"}};
  const std::string detail = user_error({good, bad}, ScimType::invalid_path);
  EXPECT_NE(detail.find("Operations[1]"), std::string::npos) << detail;
  EXPECT_NE(detail.find("nonsense"), std::string::npos) << detail;
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, MetaIsLeftForTheCallerToStamp) {
  json out = patch_user({{{"op", "replace"}, {"path", "nickName"}, {"value", "Babs"}}});
  EXPECT_EQ(out["meta"], user_["meta"]);
  EXPECT_EQ(out["id"], user_["id"]);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, UnknownAttributeIsInvalidPath) {
  user_error({{{"op", "replace"}, {"path", "favouriteColour"}, {"value", "blue"}}}, ScimType::invalid_path);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, UnknownSubAttributeIsInvalidPath) {
  const std::string detail =
      user_error({{{"op", "replace"}, {"path", "name.nickName"}, {"value", "x"}}}, ScimType::invalid_path);
  EXPECT_NE(detail.find("nickName"), std::string::npos) << detail;
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, UnknownSubAttributeAfterFilterIsInvalidPath) {
  user_error({{{"op", "replace"}, {"path", "emails[type eq \"work\"].colour"}, {"value", "x"}}},
             ScimType::invalid_path);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, UnknownExtensionUrnIsInvalidPath) {
  const std::string detail = user_error(
      {{{"op", "replace"}, {"path", "urn:example:params:scim:schemas:extension:acme:2.0:User:badge"}, {"value", "7"}}},
      ScimType::invalid_path);
  EXPECT_NE(detail.find("urn:example:params:scim:schemas:extension:acme:2.0:User"), std::string::npos) << detail;
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ExtensionOfAnotherResourceTypeIsInvalidPath) {
  // Groups do not carry the enterprise User extension.
  group_error({{{"op", "replace"}, {"path", std::string(enterprise) + ":department"}, {"value", "Sales"}}},
              ScimType::invalid_path);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, UnparsablePathIsInvalidPath) {
  user_error({{{"op", "replace"}, {"path", "emails[type eq \"work\""}, {"value", "x"}}}, ScimType::invalid_path);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ValueFilterOnSingleValuedAttributeIsInvalidPath) {
  user_error({{{"op", "replace"}, {"path", "name[givenName eq \"Barbara\"].familyName"}, {"value", "x"}}},
             ScimType::invalid_path);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, AttributeNamesAreCaseInsensitiveAndStoredInSchemaSpelling) {
  user_["NickName"] = "old";
  json out = patch_user({{{"op", "replace"}, {"path", "NICKNAME"}, {"value", "Babs"}},
                         {{"op", "replace"}, {"path", "NAME.GIVENNAME"}, {"value", "Barb"}}});
  EXPECT_EQ(out["nickName"], "Babs");
  EXPECT_FALSE(out.contains("NickName"));
  EXPECT_FALSE(out.contains("NICKNAME"));
  EXPECT_EQ(out["name"]["givenName"], "Barb");
  EXPECT_EQ(out["name"].size(), 2u);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ReplacingIdIsMutability) {
  user_error({{{"op", "replace"}, {"path", "id"}, {"value", "another-id"}}}, ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ReadOnlyMetaSubAttributeIsMutability) {
  user_error({{{"op", "replace"}, {"path", "meta.lastModified"}, {"value", "2020-01-01T00:00:00Z"}}},
             ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ReadOnlyGroupsIsMutability) {
  user_error({{{"op", "add"}, {"path", "groups"}, {"value", {{{"value", group_id}}}}}}, ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ReadOnlyAttributeInPathlessValueIsMutability) {
  user_error({{{"op", "replace"}, {"value", {{"meta", {{"version", "W/\"1\""}}}}}}}, ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ReadOnlyMemberDisplayPathIsMutability) {
  group_error({{{"op", "replace"}, {"path", "members[value eq \"" + bjensen_id + "\"].display"}, {"value", "Babs"}}},
              ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ReadOnlyManagerDisplayNameIsMutability) {
  user_error({{{"op", "add"}, {"path", std::string(enterprise) + ":manager.displayName"}, {"value", "Boss"}}},
             ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ImmutableMemberValueCannotBeReplaced) {
  // members.value is immutable (RFC 7643 §8.7.1): RFC 7644 §3.5.2 "a client MUST NOT modify an
  // attribute that has mutability ... "immutable"".
  group_error({{{"op", "replace"}, {"path", "members[value eq \"" + bjensen_id + "\"].value"}, {"value", jsmith_id}}},
              ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ImmutableMemberCannotBeReplacedByFilterWithAnotherValue) {
  group_error({{{"op", "replace"}, {"path", "members[value eq \"" + bjensen_id + "\"]"}, {"value", {{"value", jsmith_id}}}}},
              ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ImmutableSubAttributeMayBeAddedWhileAbsent) {
  // RFC 7644 §3.5.2: "a client MAY "add" a value to an "immutable" attribute if the attribute had
  // no previous value."
  group_["members"][0].erase("type");
  json out = patch_group({{{"op", "add"}, {"path", "members[value eq \"" + bjensen_id + "\"].type"}, {"value", "User"}}});
  EXPECT_EQ(out["members"][0]["type"], "User");
  group_error({{{"op", "add"}, {"path", "members[value eq \"" + mjones_id + "\"].type"}, {"value", "Group"}}},
              ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, SettingPrimaryClearsTheOtherPrimaries) {
  // RFC 7644 §3.5.2: setting "primary" to true "SHALL cause the server to automatically set
  // "primary" to "false" for any other values in the array."
  json out = patch_user({{{"op", "replace"}, {"path", "emails[type eq \"home\"].primary"}, {"value", true}}});
  EXPECT_EQ(elements_with(out["emails"], "type", "home").at(0)["primary"], true);
  EXPECT_EQ(elements_with(out["emails"], "type", "work").at(0)["primary"], false);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, AddingPrimaryValueClearsTheOtherPrimaries) {
  json out = patch_user(
      {{{"op", "add"}, {"path", "emails"}, {"value", {{{"value", "b@example.org"}, {"type", "other"}, {"primary", true}}}}}});
  ASSERT_EQ(out["emails"].size(), 3u);
  EXPECT_EQ(elements_with(out["emails"], "primary", true).size(), 1u);
  EXPECT_EQ(elements_with(out["emails"], "primary", true).at(0)["value"], "b@example.org");
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, ObjectForStringAttributeIsInvalidValue) {
  user_error({{{"op", "replace"}, {"path", "userName"}, {"value", {{"first", "b"}}}}}, ScimType::invalid_value);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, StringForComplexAttributeWithoutValueIsInvalidValue) {
  user_error({{{"op", "replace"}, {"path", "name"}, {"value", "Barbara Jensen"}}}, ScimType::invalid_value);
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, UnknownSubAttributeInValueIsInvalidValue) {
  const std::string detail = user_error(
      {{{"op", "add"}, {"path", "emails"}, {"value", {{{"value", "x@example.com"}, {"colour", "red"}}}}}},
      ScimType::invalid_value);
  EXPECT_NE(detail.find("colour"), std::string::npos) << detail;
}

TEST_F(Rfc7644_3_5_2_ModifyingWithPatch, PathlessValueMustBeAnObject) {
  user_error({{{"op", "replace"}, {"value", "bjensen"}}}, ScimType::invalid_value);
}

// ---- §3.5.2.1 Add Operation ------------------------------------------------------------------

class Rfc7644_3_5_2_1_AddOperation : public PatchTest {};

TEST_F(Rfc7644_3_5_2_1_AddOperation, AddsMemberToGroup) {
  // The RFC's example: {"op":"add","path":"members","value":[{"display":"Babs Jensen",...}]}.
  group_["members"] = json::array();
  json out = patch_group({{{"op", "add"},
                           {"path", "members"},
                           {"value",
                            {{{"display", "Babs Jensen"},
                              {"$ref", "https://example.com/v2/Users/" + bjensen_id},
                              {"value", bjensen_id}}}}}});
  ASSERT_EQ(out["members"].size(), 1u);
  EXPECT_EQ(out["members"][0]["value"], bjensen_id);
  EXPECT_EQ(out["members"][0]["$ref"], "https://example.com/v2/Users/" + bjensen_id);
  // members.display is readOnly: a sent display is ignored (RFC 7644 §3.5.1).
  EXPECT_FALSE(out["members"][0].contains("display"));
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, AddsMemberToGroupWithoutMembers) {
  group_.erase("members");
  json out = patch_group({{{"op", "add"}, {"path", "members"}, {"value", {{{"value", jsmith_id}}}}}});
  EXPECT_EQ(member_ids(out), std::vector<std::string>{jsmith_id});
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, AddsAttributesWithoutPath) {
  // The RFC's example: value {"emails":[{"value":"babs@jensen.org","type":"home"}],"nickname":"Babs"}.
  user_["emails"] = json::array({{{"value", "bjensen@example.com"}, {"type", "work"}}});
  json out = patch_user(
      {{{"op", "add"},
        {"value", {{"emails", {{{"value", "babs@jensen.org"}, {"type", "home"}}}}, {"nickname", "Babs"}}}}});
  ASSERT_EQ(out["emails"].size(), 2u);  // multi-valued: added to, not replaced
  EXPECT_EQ(out["emails"][0]["value"], "bjensen@example.com");
  EXPECT_EQ(out["emails"][1], json({{"value", "babs@jensen.org"}, {"type", "home"}}));
  EXPECT_EQ(out["nickName"], "Babs");  // stored under the schema's spelling
  EXPECT_FALSE(out.contains("nickname"));
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, AddingAValueAlreadyPresentChangesNothing) {
  // RFC 7644 §3.5.2.1: "If the target location already contains the value specified, no changes
  // SHOULD be made to the resource."
  json out = patch_user({{{"op", "add"}, {"path", "emails"}, {"value", {{{"value", "babs@jensen.org"}, {"type", "home"}}}}}});
  EXPECT_EQ(out["emails"], user_["emails"]);
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, SameEmailWithAnotherTypeIsAnotherValue) {
  json out =
      patch_user({{{"op", "add"}, {"path", "emails"}, {"value", {{{"value", "babs@jensen.org"}, {"type", "other"}}}}}});
  EXPECT_EQ(out["emails"].size(), 3u);
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, SingleValueForMultiValuedAttributeIsAppended) {
  json out = patch_user({{{"op", "add"}, {"path", "phoneNumbers"}, {"value", {{"value", "555-1234"}, {"type", "work"}}}}});
  EXPECT_EQ(out["phoneNumbers"], json::array({{{"value", "555-1234"}, {"type", "work"}}}));
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, AddToComplexAttributeMergesSubAttributes) {
  json out = patch_user({{{"op", "add"}, {"path", "name"}, {"value", {{"middleName", "Jane"}}}}});
  EXPECT_EQ(out["name"], json({{"familyName", "Jensen"}, {"givenName", "Barbara"}, {"middleName", "Jane"}}));
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, AddToExistingSingularValueReplacesIt) {
  // RFC 7644 §3.5.2.1: "If the target location exists, the value is replaced."
  json out = patch_user({{{"op", "add"}, {"path", "active"}, {"value", false}}});
  EXPECT_EQ(out["active"], false);
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, AddSubAttributeCreatesTheComplexAttribute) {
  user_.erase("name");
  json out = patch_user({{{"op", "add"}, {"path", "name.givenName"}, {"value", "Barbara"}}});
  EXPECT_EQ(out["name"], json({{"givenName", "Barbara"}}));
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, AddExtensionAttributeListsTheExtensionSchema) {
  json out = patch_user({{{"op", "add"}, {"path", std::string(enterprise) + ":department"}, {"value", "Tour Operations"}}});
  EXPECT_EQ(out[enterprise]["department"], "Tour Operations");
  EXPECT_NE(std::find(out["schemas"].begin(), out["schemas"].end(), enterprise), out["schemas"].end());
  EXPECT_FALSE(out.contains("department"));
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, PathlessValueKeyedByExtensionUrnMergesIntoTheExtension) {
  user_[enterprise] = {{"employeeNumber", "701984"}};
  json out = patch_user({{{"op", "add"}, {"value", {{enterprise, {{"costCenter", "4130"}}}}}}});
  EXPECT_EQ(out[enterprise], json({{"employeeNumber", "701984"}, {"costCenter", "4130"}}));
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, PathThatIsTheExtensionUrnAddsToTheExtension) {
  json out = patch_user({{{"op", "add"}, {"path", enterprise}, {"value", {{"division", "Theme Park"}}}}});
  EXPECT_EQ(out[enterprise]["division"], "Theme Park");
}

TEST_F(Rfc7644_3_5_2_1_AddOperation, AddThroughFilterSetsSubAttributeOfTheMatchingValue) {
  json out = patch_user({{{"op", "add"}, {"path", "emails[type eq \"home\"].display"}, {"value", "Babs at home"}}});
  EXPECT_EQ(elements_with(out["emails"], "type", "home").at(0)["display"], "Babs at home");
  EXPECT_FALSE(elements_with(out["emails"], "type", "work").at(0).contains("display"));
}

// ---- §3.5.2.2 Remove Operation ---------------------------------------------------------------

class Rfc7644_3_5_2_2_RemoveOperation : public PatchTest {};

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovesASingleMemberByFilter) {
  json out = patch_group({{{"op", "remove"}, {"path", "members[value eq \"" + bjensen_id + "\"]"}}});
  EXPECT_EQ(member_ids(out), std::vector<std::string>{mjones_id});
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovesAllMembers) {
  // RFC 7644 §3.5.2.2: no filter on a multi-valued attribute: "the attribute and all values are
  // removed".
  json out = patch_group({{{"op", "remove"}, {"path", "members"}}});
  EXPECT_FALSE(out.contains("members"));
  EXPECT_EQ(out["displayName"], "Tour Guides");
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovesAllMembersThenAddsOne) {
  // The RFC's "replace all members" example done as remove + add in one request.
  json out = patch_group({{{"op", "remove"}, {"path", "members"}},
                          {{"op", "add"},
                           {"path", "members"},
                           {"value",
                            {{{"display", "James Smith"},
                              {"$ref", "https://example.com/v2/Users/" + jsmith_id},
                              {"value", jsmith_id}}}}}});
  EXPECT_EQ(member_ids(out), std::vector<std::string>{jsmith_id});
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovesEveryValueMatchingAComplexFilter) {
  group_["members"].push_back({{"value", jsmith_id}, {"type", "User"}});
  json out = patch_group(
      {{{"op", "remove"}, {"path", "members[value eq \"" + bjensen_id + "\" or value eq \"" + jsmith_id + "\"]"}}});
  EXPECT_EQ(member_ids(out), std::vector<std::string>{mjones_id});
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovesEmailsByFilterOnTwoSubAttributes) {
  json out = patch_user({{{"op", "remove"}, {"path", "emails[type eq \"work\" and value ew \"example.com\"]"}}});
  ASSERT_EQ(out["emails"].size(), 1u);
  EXPECT_EQ(out["emails"][0]["type"], "home");
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovingTheLastValueUnassignsTheAttribute) {
  // RFC 7644 §3.5.2.2: "If the complex multi-valued attribute has no remaining records, the
  // attribute SHALL be considered unassigned."
  json out = patch_group({{{"op", "remove"}, {"path", "members[type eq \"User\"]"}}});
  EXPECT_FALSE(out.contains("members"));
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemoveWithoutPathIsNoTarget) {
  // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code 400
  // and a "scimType" error code of "noTarget"."
  group_error({{{"op", "remove"}}}, ScimType::no_target);
  group_error({{{"op", "remove"}, {"value", {{"members", json::array()}}}}}, ScimType::no_target);
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovesASingularAttribute) {
  user_["nickName"] = "Babs";
  json out = patch_user({{{"op", "remove"}, {"path", "nickName"}}});
  EXPECT_FALSE(out.contains("nickName"));
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovingAnAbsentAttributeChangesNothing) {
  json out = patch_user({{{"op", "remove"}, {"path", "title"}}});
  EXPECT_EQ(out, user_);
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovesASubAttribute) {
  json out = patch_user({{{"op", "remove"}, {"path", "name.givenName"}}});
  EXPECT_EQ(out["name"], json({{"familyName", "Jensen"}}));
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovingTheLastSubAttributeUnassignsTheComplexAttribute) {
  json out = patch_user({{{"op", "remove"}, {"path", "name.givenName"}}, {{"op", "remove"}, {"path", "name.familyName"}}});
  EXPECT_FALSE(out.contains("name"));
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovesASubAttributeOfMatchingValues) {
  user_["emails"][1]["display"] = "Babs";
  json out = patch_user({{{"op", "remove"}, {"path", "emails[type eq \"home\"].display"}}});
  EXPECT_EQ(elements_with(out["emails"], "type", "home").at(0), json({{"value", "babs@jensen.org"}, {"type", "home"}}));
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovingRequiredAttributeIsMutability) {
  // RFC 7644 §3.5.2.2: "If an attribute is removed or becomes unassigned and is defined as a
  // required attribute ... a "scimType" error code of "mutability"."
  user_error({{{"op", "remove"}, {"path", "userName"}}}, ScimType::mutability);
  group_error({{{"op", "remove"}, {"path", "displayName"}}}, ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovingRequiredSubAttributeOfAValueIsMutability) {
  group_error({{{"op", "remove"}, {"path", "members[value eq \"" + bjensen_id + "\"].value"}}}, ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovingReadOnlyAttributeIsMutability) {
  user_error({{{"op", "remove"}, {"path", "id"}}}, ScimType::mutability);
  user_error({{{"op", "remove"}, {"path", "meta"}}}, ScimType::mutability);
  user_error({{{"op", "remove"}, {"path", "groups"}}}, ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, FilterMatchingNothingIsANoOpByDefault) {
  // Okta and Entra retry removals; the member is already gone, which is what they asked for.
  json out = patch_group({{{"op", "remove"}, {"path", "members[value eq \"" + jsmith_id + "\"]"}}});
  EXPECT_EQ(out, group_);
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, StrictFilterMatchingNothingIsNoTarget) {
  // RFC 7644 §3.12 noTarget: "the specified "path" value contains a filter that yields no match".
  group_error({{{"op", "remove"}, {"path", "members[value eq \"" + jsmith_id + "\"]"}}}, ScimType::no_target, strict);
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovingTheLastExtensionAttributeDropsTheExtension) {
  user_[enterprise] = {{"department", "Tour Operations"}};
  user_["schemas"].push_back(enterprise);
  json out = patch_user({{{"op", "remove"}, {"path", std::string(enterprise) + ":department"}}});
  EXPECT_FALSE(out.contains(enterprise));
  EXPECT_EQ(out["schemas"], json::array({"urn:ietf:params:scim:schemas:core:2.0:User"}));
}

TEST_F(Rfc7644_3_5_2_2_RemoveOperation, RemovesTheWholeExtensionByItsUrn) {
  user_[enterprise] = {{"department", "Tour Operations"}, {"costCenter", "4130"}};
  user_["schemas"].push_back(enterprise);
  json out = patch_user({{{"op", "remove"}, {"path", enterprise}}});
  EXPECT_FALSE(out.contains(enterprise));
  EXPECT_EQ(out["schemas"].size(), 1u);
}

// ---- §3.5.2.3 Replace Operation --------------------------------------------------------------

class Rfc7644_3_5_2_3_ReplaceOperation : public PatchTest {};

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, ReplacesAllMembers) {
  // The RFC's example: replace "members" with Babs Jensen and James Smith.
  json out = patch_group({{{"op", "replace"},
                           {"path", "members"},
                           {"value",
                            {{{"display", "Babs Jensen"},
                              {"$ref", "https://example.com/v2/Users/" + bjensen_id},
                              {"value", bjensen_id}},
                             {{"display", "James Smith"},
                              {"$ref", "https://example.com/v2/Users/" + jsmith_id},
                              {"value", jsmith_id}}}}}});
  EXPECT_EQ(member_ids(out), (std::vector<std::string>{bjensen_id, jsmith_id}));
  EXPECT_FALSE(out["members"][1].contains("display"));
}

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, ReplacesTheWorkAddressByFilter) {
  json address = json::parse(R"({"type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood",
    "region":"CA","postalCode":"91608","country":"US","formatted":"911 Universal City Plaza\nHollywood, CA 91608 US",
    "primary":true})");
  json out = patch_user({{{"op", "replace"}, {"path", "addresses[type eq \"work\"]"}, {"value", address}}});
  ASSERT_EQ(out["addresses"].size(), 2u);
  EXPECT_EQ(elements_with(out["addresses"], "type", "work").at(0), address);
  EXPECT_EQ(elements_with(out["addresses"], "type", "home").at(0), user_["addresses"][1]);
}

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, ReplacesASubAttributeOfTheWorkAddress) {
  json out =
      patch_user({{{"op", "replace"}, {"path", "addresses[type eq \"work\"].streetAddress"}, {"value", "1010 Broadway Ave"}}});
  json work = elements_with(out["addresses"], "type", "work").at(0);
  EXPECT_EQ(work["streetAddress"], "1010 Broadway Ave");
  EXPECT_EQ(work["postalCode"], "91608");  // the rest of the value is kept
  EXPECT_EQ(elements_with(out["addresses"], "type", "home").at(0)["streetAddress"], "456 Hollywood Blvd");
}

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, ReplacesAttributesWithoutPath) {
  // The RFC's example: emails replaced as a whole, "nickname" set.
  json emails = {{{"value", "bjensen@example.com"}, {"type", "work"}, {"primary", true}},
                 {{"value", "babs@jensen.org"}, {"type", "home"}}};
  user_["emails"] = {{{"value", "old@example.com"}, {"type", "other"}}};
  json out = patch_user({{{"op", "replace"}, {"value", {{"emails", emails}, {"nickname", "Babs"}}}}});
  EXPECT_EQ(out["emails"], emails);
  EXPECT_EQ(out["nickName"], "Babs");
}

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, ReplacingComplexAttributeKeepsUnspecifiedSubAttributes) {
  // RFC 7644 §3.5.2.3: "Sub-attributes that are not specified in the "value" parameter are left
  // unchanged."
  json out = patch_user({{{"op", "replace"}, {"path", "name"}, {"value", {{"givenName", "Babs"}}}}});
  EXPECT_EQ(out["name"], json({{"familyName", "Jensen"}, {"givenName", "Babs"}}));
}

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, ReplacingAnAbsentAttributeAddsIt) {
  // RFC 7644 §3.5.2.3: "If the target location path specifies an attribute that does not exist,
  // the service provider SHALL treat the operation as an "add"."
  json out = patch_user({{{"op", "replace"}, {"path", "title"}, {"value", "Tour Guide"}}});
  EXPECT_EQ(out["title"], "Tour Guide");
}

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, ReplacingWithNullUnassigns) {
  // RFC 7643 §2.5: null is equivalent to unassigned.
  user_["title"] = "Tour Guide";
  json out = patch_user({{{"op", "replace"}, {"path", "title"}, {"value", nullptr}}});
  EXPECT_FALSE(out.contains("title"));
}

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, ReplacingRequiredAttributeWithNullIsMutability) {
  user_error({{{"op", "replace"}, {"path", "userName"}, {"value", nullptr}}}, ScimType::mutability);
}

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, StrictFilterMatchingNothingIsNoTarget) {
  // RFC 7644 §3.5.2.3: no record match through a valuePath filter "SHALL indicate failure by
  // returning HTTP status code 400 and a "scimType" error code of "noTarget"."
  user_error({{{"op", "replace"}, {"path", "phoneNumbers[type eq \"mobile\"].value"}, {"value", "555-1234"}}},
             ScimType::no_target, strict);
  user_error({{{"op", "add"}, {"path", "phoneNumbers[type eq \"mobile\"].value"}, {"value", "555-1234"}}},
             ScimType::no_target, strict);
}

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, StrictFilterThatMatchesStillReplaces) {
  json out = patch_user({{{"op", "replace"}, {"path", "emails[type eq \"work\"].value"}, {"value", "b@example.com"}}},
                        strict);
  EXPECT_EQ(elements_with(out["emails"], "type", "work").at(0)["value"], "b@example.com");
}

TEST_F(Rfc7644_3_5_2_3_ReplaceOperation, FilterThatCannotDescribeANewValueIsNoTarget) {
  // Only eq terms joined by "and" say what the missing value would be; "or" does not.
  user_error({{{"op", "replace"},
               {"path", "phoneNumbers[type eq \"mobile\" or type eq \"work\"].value"},
               {"value", "555-1234"}}},
             ScimType::no_target);
}

}  // namespace
}  // namespace refserver::patch_test
