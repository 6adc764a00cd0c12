// What Okta and Entra ID really send in PATCH requests (/work/shared/reference/idp-quirks.md),
// one test per quirk id, with the strict_rfc answer beside the tolerant one where they differ.
#include "patch_test_fixture.hpp"

#include <cctype>

namespace refserver::patch_test {
namespace {

using scim::ScimType;

class IdpTolerance : public PatchTest {};

// ---- Okta ------------------------------------------------------------------------------------

TEST_F(IdpTolerance, O9_PathlessDeactivate) {
  json out = patch_user({{{"op", "replace"}, {"value", {{"active", false}}}}});
  EXPECT_EQ(out["active"], false);
  json unchanged = out;
  unchanged["active"] = true;
  EXPECT_EQ(unchanged, user_);  // nothing else moved
}

TEST_F(IdpTolerance, O13_ReAddingExistingMembersCreatesNoDuplicates) {
  // The POST already carried the members; the following PATCH add repeats them with display.
  json out = patch_group({{{"op", "add"},
                           {"path", "members"},
                           {"value",
                            {{{"value", bjensen_id}, {"display", "bjensen@example.com"}},
                             {{"value", mjones_id}, {"display", "mjones@example.com"}}}}}});
  EXPECT_EQ(out["members"], group_["members"]);
}

TEST_F(IdpTolerance, O13_MemberListedTwiceInOneAddIsAddedOnce) {
  json out = patch_group({{{"op", "add"}, {"path", "members"}, {"value", {{{"value", jsmith_id}}, {{"value", jsmith_id}}}}}});
  EXPECT_EQ(member_ids(out), (std::vector<std::string>{bjensen_id, mjones_id, jsmith_id}));
}

TEST_F(IdpTolerance, O13_MemberIdComparesWithoutCase) {
  // members.value is caseExact=false in RFC 7643 §8.7.1.
  std::string upper = bjensen_id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  json out = patch_group({{{"op", "add"}, {"path", "members"}, {"value", {{{"value", upper}}}}}});
  EXPECT_EQ(out["members"].size(), 2u);
}

TEST_F(IdpTolerance, O14_PathlessRenameEchoingId) {
  json out = patch_group({{{"op", "replace"}, {"value", {{"id", group_id}, {"displayName", "Tour Guides EMEA"}}}}});
  EXPECT_EQ(out["displayName"], "Tour Guides EMEA");
  EXPECT_EQ(out["id"], group_id);
}

TEST_F(IdpTolerance, O14_RenameWithAnotherIdIsStillMutability) {
  group_error({{{"op", "replace"}, {"value", {{"id", "not-" + group_id}, {"displayName", "Tour Guides EMEA"}}}}},
              ScimType::mutability);
}

TEST_F(IdpTolerance, O15_MembershipDeltaRemovesThenAdds) {
  json out = patch_group({{{"op", "remove"}, {"path", "members[value eq \"" + mjones_id + "\"]"}},
                          {{"op", "add"},
                           {"path", "members"},
                           {"value", {{{"value", jsmith_id}, {"display", "jsmith@example.com"}}}}}});
  EXPECT_EQ(member_ids(out), (std::vector<std::string>{bjensen_id, jsmith_id}));
  EXPECT_EQ(out["members"][1], json({{"value", jsmith_id}}));  // readOnly display ignored
}

TEST_F(IdpTolerance, O15_FullPushReplacesTheMemberList) {
  json out = patch_group({{{"op", "replace"},
                           {"path", "members"},
                           {"value",
                            {{{"value", jsmith_id}, {"display", "jsmith@example.com"}},
                             {{"value", bjensen_id}, {"display", "bjensen@example.com"}}}}}});
  EXPECT_EQ(member_ids(out), (std::vector<std::string>{jsmith_id, bjensen_id}));
}

TEST_F(IdpTolerance, O15_FullPushWithAnEmptyListRemovesAllMembers) {
  json out = patch_group({{{"op", "replace"}, {"path", "members"}, {"value", json::array()}}});
  EXPECT_FALSE(out.contains("members"));
}

// ---- Entra ID --------------------------------------------------------------------------------

TEST_F(IdpTolerance, E1_CapitalizedOpNames) {
  json out = patch_user({{{"op", "Replace"}, {"path", "nickName"}, {"value", "Babs"}},
                         {{"op", "ADD"}, {"path", "title"}, {"value", "Guide"}},
                         {{"op", "Remove"}, {"path", "name.givenName"}}});
  EXPECT_EQ(out["nickName"], "Babs");
  EXPECT_EQ(out["title"], "Guide");
  EXPECT_FALSE(out["name"].contains("givenName"));
}

TEST_F(IdpTolerance, E2_StringBooleans) {
  EXPECT_EQ(patch_user({{{"op", "Replace"}, {"path", "active"}, {"value", "False"}}})["active"], false);
  EXPECT_EQ(patch_user({{{"op", "Replace"}, {"path", "active"}, {"value", "false"}}})["active"], false);
  user_["active"] = false;
  EXPECT_EQ(patch_user({{{"op", "Replace"}, {"path", "active"}, {"value", "True"}}})["active"], true);
  EXPECT_EQ(patch_user({{{"op", "Replace"}, {"value", {{"active", "TRUE"}}}}})["active"], true);
}

TEST_F(IdpTolerance, E2_StringBooleansInsideComplexValues) {
  json out = patch_user(
      {{{"op", "Add"}, {"path", "emails"}, {"value", {{{"value", "b@example.org"}, {"type", "other"}, {"primary", "True"}}}}}});
  json added = elements_with(out["emails"], "value", "b@example.org").at(0);
  EXPECT_EQ(added["primary"], true);
  EXPECT_TRUE(added["primary"].is_boolean());
}

TEST_F(IdpTolerance, E2_OtherStringsForBooleansAreInvalidValue) {
  user_error({{{"op", "Replace"}, {"path", "active"}, {"value", "yes"}}}, ScimType::invalid_value);
}

TEST_F(IdpTolerance, E3_RemoveMembersWithValueArray) {
  group_["members"].push_back({{"value", jsmith_id}, {"type", "User"}});
  json out = patch_group({{{"op", "Remove"},
                           {"path", "members"},
                           {"value", {{{"$ref", nullptr}, {"value", bjensen_id}}, {{"value", jsmith_id}}}}}});
  EXPECT_EQ(member_ids(out), std::vector<std::string>{mjones_id});
}

TEST_F(IdpTolerance, E3_RemovingMembersNotInTheGroupChangesNothing) {
  json out = patch_group({{{"op", "Remove"}, {"path", "members"}, {"value", {{{"$ref", nullptr}, {"value", jsmith_id}}}}}});
  EXPECT_EQ(out, group_);
}

TEST_F(IdpTolerance, E3_StrictRefusesRemoveWithValueInsteadOfWipingTheGroup) {
  group_error({{{"op", "Remove"}, {"path", "members"}, {"value", {{{"$ref", nullptr}, {"value", bjensen_id}}}}}},
              ScimType::invalid_syntax, strict);
}

TEST_F(IdpTolerance, E4_NullRefAndSeveralMembersInOneAdd) {
  json out = patch_group({{{"op", "Add"},
                           {"path", "members"},
                           {"value", {{{"$ref", nullptr}, {"value", jsmith_id}}, {{"$ref", nullptr}, {"value", "u4"}}}}}});
  EXPECT_EQ(member_ids(out), (std::vector<std::string>{bjensen_id, mjones_id, jsmith_id, "u4"}));
  EXPECT_EQ(out["members"][2], json({{"value", jsmith_id}}));  // no null left behind
}

TEST_F(IdpTolerance, E11_FilteredSubAttributeCreatesTheMissingValue) {
  json out = patch_user({{{"op", "Add"}, {"path", "phoneNumbers[type eq \"mobile\"].value"}, {"value", "555-0100"}}});
  EXPECT_EQ(out["phoneNumbers"], json::array({{{"type", "mobile"}, {"value", "555-0100"}}}));
}

TEST_F(IdpTolerance, E11_SeveralOpsOnOneFilteredValueMergeIntoOneValue) {
  user_["emails"] = {{{"value", "babs@jensen.org"}, {"type", "home"}, {"primary", true}}};
  json out = patch_user({{{"op", "Replace"}, {"path", "emails[type eq \"work\"].value"}, {"value", "bjensen@example.com"}},
                         {{"op", "Replace"}, {"path", "emails[type eq \"work\"].primary"}, {"value", "True"}}});
  ASSERT_EQ(out["emails"].size(), 2u);  // the home email is kept
  ASSERT_EQ(elements_with(out["emails"], "type", "work").size(), 1u);
  EXPECT_EQ(elements_with(out["emails"], "type", "work").at(0),
            json({{"type", "work"}, {"value", "bjensen@example.com"}, {"primary", true}}));
  EXPECT_EQ(elements_with(out["emails"], "type", "home").at(0)["primary"], false);
}

TEST_F(IdpTolerance, E11_AddressSubAttributesBuildOneAddress) {
  user_.erase("addresses");
  json out = patch_user({{{"op", "Add"}, {"path", "addresses[type eq \"work\"].locality"}, {"value", "Hollywood"}},
                         {{"op", "Add"}, {"path", "addresses[type eq \"work\"].region"}, {"value", "CA"}},
                         {{"op", "Add"}, {"path", "addresses[type eq \"work\"].formatted"}, {"value", "Hollywood, CA"}}});
  EXPECT_EQ(out["addresses"],
            json::array({{{"type", "work"}, {"locality", "Hollywood"}, {"region", "CA"}, {"formatted", "Hollywood, CA"}}}));
}

TEST_F(IdpTolerance, E11_StrictAnswersNoTarget) {
  user_error({{{"op", "Replace"}, {"path", "emails[type eq \"other\"].value"}, {"value", "x@example.com"}}},
             ScimType::no_target, strict);
}

TEST_F(IdpTolerance, E12_AddOnUnsetSingularAttributes) {
  json out = patch_user({{{"op", "Add"}, {"path", "nickName"}, {"value", "Babs"}},
                         {{"op", "Add"}, {"path", std::string(enterprise) + ":department"}, {"value", "Tours"}}});
  EXPECT_EQ(out["nickName"], "Babs");
  EXPECT_EQ(out[enterprise]["department"], "Tours");
}

TEST_F(IdpTolerance, E13_PathlessReplaceKeyedByAttributePaths) {
  json out = patch_user({{{"op", "replace"},
                          {"value",
                           {{"displayName", "Babs Jensen"},
                            {"name.givenName", "Babs"},
                            {std::string(enterprise) + ":employeeNumber", "701984"}}}}});
  EXPECT_EQ(out["displayName"], "Babs Jensen");
  EXPECT_EQ(out["name"], json({{"familyName", "Jensen"}, {"givenName", "Babs"}}));
  EXPECT_EQ(out[enterprise]["employeeNumber"], "701984");
  EXPECT_FALSE(out.contains("name.givenName"));
  EXPECT_FALSE(out.contains(std::string(enterprise) + ":employeeNumber"));
}

TEST_F(IdpTolerance, E13_UnknownPathKeyIsInvalidPath) {
  user_error({{{"op", "replace"}, {"value", {{"name.nickName", "Babs"}}}}}, ScimType::invalid_path);
}

TEST_F(IdpTolerance, E14_ExtensionAttributesByFullUrnPath) {
  user_[enterprise] = {{"department", "Tours"}, {"costCenter", "4130"}};
  json out = patch_user({{{"op", "Replace"}, {"path", std::string(enterprise) + ":department"}, {"value", "Rides"}},
                         {{"op", "Remove"}, {"path", std::string(enterprise) + ":costCenter"}}});
  EXPECT_EQ(out[enterprise], json({{"department", "Rides"}}));
}

TEST_F(IdpTolerance, E14_ExtensionUrnIsCaseInsensitive) {
  json out = patch_user(
      {{{"op", "Add"}, {"path", "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Department"}, {"value", "Tours"}}});
  EXPECT_EQ(out[enterprise]["department"], "Tours");
}

TEST_F(IdpTolerance, E15_ManagerAsAnArray) {
  json out = patch_user({{{"op", "Add"},
                          {"path", "manager"},
                          {"value", {{{"$ref", "https://example.com/v2/Users/" + mjones_id}, {"value", mjones_id}}}}}});
  EXPECT_EQ(out[enterprise]["manager"],
            json({{"$ref", "https://example.com/v2/Users/" + mjones_id}, {"value", mjones_id}}));
}

TEST_F(IdpTolerance, E15_ManagerAsABareString) {
  json out = patch_user({{{"op", "Add"}, {"path", std::string(enterprise) + ":manager"}, {"value", mjones_id}}});
  EXPECT_EQ(out[enterprise]["manager"], json({{"value", mjones_id}}));
}

TEST_F(IdpTolerance, E15_ManagerAsAnObjectAndAnotherManagerDropsTheStaleRef) {
  user_[enterprise] = {{"manager",
                        {{"value", mjones_id},
                         {"$ref", "https://example.com/v2/Users/" + mjones_id},
                         {"displayName", "Mary Jones"}}}};
  json out = patch_user({{{"op", "Replace"}, {"path", std::string(enterprise) + ":manager"}, {"value", {{"value", jsmith_id}}}}});
  EXPECT_EQ(out[enterprise]["manager"], json({{"value", jsmith_id}}));
}

TEST_F(IdpTolerance, E16_RenameUserNameAndExternalId) {
  json out = patch_user({{{"op", "Replace"}, {"path", "userName"}, {"value", "babs.jensen@example.com"}},
                         {{"op", "Replace"}, {"path", "externalId"}, {"value", "babs"}}});
  EXPECT_EQ(out["userName"], "babs.jensen@example.com");
  EXPECT_EQ(out["externalId"], "babs");
  EXPECT_EQ(out["id"], bjensen_id);
}

}  // namespace
}  // namespace refserver::patch_test
