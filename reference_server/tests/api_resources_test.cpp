// RFC 7644 §3.3–§3.6 resource operations through the handler, with the IdP behaviours the
// reference server must tolerate (idp-quirks.md).
#include "reference_server/tests/api_service_fixture.hpp"

namespace refserver::testing {
namespace {

const nlohmann::json user_schemas = {"urn:ietf:params:scim:schemas:core:2.0:User"};
const nlohmann::json patch_schemas = {"urn:ietf:params:scim:api:messages:2.0:PatchOp"};

class Rfc7644_3_Resources : public ServiceTest {};

// "the server SHALL return ... 201 Created ... the resource ... Location header" (§3.3)
TEST_F(Rfc7644_3_Resources, CreateReturnsTheFullResource) {
  Reply reply = call("POST", "/Users",
                     nlohmann::json{{"schemas", user_schemas},
                                    {"userName", "Barbara.Jensen@Example.com"},
                                    {"name", {{"givenName", "Barbara"}, {"familyName", "Jensen"}}}});
  ASSERT_EQ(reply.status, 201) << reply.text;
  std::string id = reply.body["id"];
  EXPECT_FALSE(id.empty());
  // Okta O21: the userName comes back exactly as sent.
  EXPECT_EQ(reply.body["userName"], "Barbara.Jensen@Example.com");
  EXPECT_EQ(reply.body["meta"]["resourceType"], "User");
  EXPECT_EQ(reply.body["meta"]["location"], "http://scim.test/scim/v2/Users/" + id);
  EXPECT_EQ(reply.header("Location"), reply.body["meta"]["location"]);
  EXPECT_EQ(reply.body["meta"]["created"], reply.body["meta"]["lastModified"]);
  EXPECT_EQ(call("GET", "/Users/" + id).body, reply.body);
}

// RFC 7643 §4.1.1 uniqueness "server" with caseExact false: case variants collide.
TEST_F(Rfc7644_3_Resources, DuplicateUserNameInAnyCaseIs409Uniqueness) {
  create_user("bjensen@example.com");
  Reply reply = call("POST", "/Users", nlohmann::json{{"schemas", user_schemas}, {"userName", "BJensen@Example.COM"}});
  EXPECT_EQ(reply.status, 409);
  EXPECT_EQ(reply.body["scimType"], "uniqueness");
}

TEST_F(Rfc7644_3_Resources, DuplicateGroupDisplayNameIs409) {
  create_group("Admins");
  Reply reply = call("POST", "/Groups",
                     nlohmann::json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", "admins"}});
  EXPECT_EQ(reply.status, 409);
  EXPECT_EQ(reply.body["scimType"], "uniqueness");
}

// Okta O4: POST carries a random password and readOnly groups; password is never returned.
TEST_F(Rfc7644_3_Resources, OktaCreateWithPasswordAndGroups) {
  Reply reply = call("POST", "/Users",
                     nlohmann::json{{"schemas", user_schemas},
                                    {"userName", "test.user@okta.local"},
                                    {"password", "1mz050nq"},
                                    {"groups", nlohmann::json::array()},
                                    {"active", true},
                                    {"locale", "en-US"}});
  ASSERT_EQ(reply.status, 201) << reply.text;
  EXPECT_FALSE(reply.body.contains("password"));
  EXPECT_EQ(reply.text.find("1mz050nq"), std::string::npos);
  std::string id = reply.body["id"];
  EXPECT_EQ(call("GET", "/Users/" + id).text.find("1mz050nq"), std::string::npos);
}

// RFC 7643 §4.1.2: "groups" is read-only and derived from Group membership.
TEST_F(Rfc7644_3_Resources, UserGroupsFollowsMembership) {
  std::string user = create_user("member");
  EXPECT_FALSE(call("GET", "/Users/" + user).body.contains("groups"));
  std::string group = create_group("Engineers", {user});
  Reply read = call("GET", "/Users/" + user);
  ASSERT_EQ(read.body["groups"].size(), 1u);
  EXPECT_EQ(read.body["groups"][0]["value"], group);
  EXPECT_EQ(read.body["groups"][0]["display"], "Engineers");
  EXPECT_EQ(call("DELETE", "/Groups/" + group).status, 204);
  EXPECT_FALSE(call("GET", "/Users/" + user).body.contains("groups"));
}

TEST_F(Rfc7644_3_Resources, DeletingAUserRemovesItFromGroups) {
  std::string keep = create_user("keep");
  std::string leave = create_user("leave");
  std::string group = create_group("Team", {keep, leave});
  EXPECT_EQ(call("DELETE", "/Users/" + leave).status, 204);
  Reply read = call("GET", "/Groups/" + group);
  ASSERT_EQ(read.body["members"].size(), 1u);
  EXPECT_EQ(read.body["members"][0]["value"], keep);
}

TEST_F(Rfc7644_3_Resources, MembersMustExist) {
  Reply reply = call("POST", "/Groups",
                     nlohmann::json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                                    {"displayName", "Ghosts"},
                                    {"members", {{{"value", "no-such-id"}}}}});
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body["scimType"], "invalidValue");
}

// "readOnly ... values SHALL be ignored" in PUT (§3.5.1); Okta O7 echoes id, meta and groups.
TEST_F(Rfc7644_3_Resources, OktaPutEchoingServerValues) {
  std::string id = create_user("okta.put@example.com");
  nlohmann::json current = call("GET", "/Users/" + id).body;
  current["name"] = {{"givenName", "New"}, {"familyName", "Name"}};
  current["groups"] = nlohmann::json::array();
  current["meta"]["created"] = "04-12-2018 00:00:00";  // Okta O8: non-RFC meta dates
  Reply reply = call("PUT", "/Users/" + id, current);
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["name"]["givenName"], "New");
  EXPECT_EQ(reply.body["id"], id);
  EXPECT_NE(reply.body["meta"]["created"], "04-12-2018 00:00:00");
}

// PUT replaces: attributes left out are cleared (§3.5.1).
TEST_F(Rfc7644_3_Resources, PutReplacesTheWholeResource) {
  std::string id = create_user("replace", {{"title", "Boss"}, {"nickName", "B"}});
  Reply reply = call("PUT", "/Users/" + id, nlohmann::json{{"schemas", user_schemas}, {"userName", "replace"}});
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_FALSE(reply.body.contains("title"));
  EXPECT_FALSE(reply.body.contains("nickName"));
}

TEST_F(Rfc7644_3_Resources, PutOnAMissingResourceIs404) {
  Reply reply = call("PUT", "/Users/missing", nlohmann::json{{"schemas", user_schemas}, {"userName", "x"}});
  EXPECT_EQ(reply.status, 404);
}

// Entra E1/E2: capitalised op, string boolean; the response carries a JSON boolean.
TEST_F(Rfc7644_3_Resources, EntraDisableWithStringFalse) {
  std::string id = create_user("entra@contoso.com", {{"active", true}});
  nlohmann::json patch = {{"schemas", patch_schemas},
                          {"Operations", {{{"op", "Replace"}, {"path", "active"}, {"value", "False"}}}}};
  Reply reply = call("PATCH", "/Users/" + id, patch);
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["active"], false);
  // E17: inactive users are still returned by GET and by filters.
  EXPECT_EQ(call("GET", "/Users?filter=active%20eq%20false").body["totalResults"], 1);
}

// Okta O9: path-less replace deactivation.
TEST_F(Rfc7644_3_Resources, OktaPathlessDeactivation) {
  std::string id = create_user("okta.leaver@example.com", {{"active", true}});
  nlohmann::json patch = {{"schemas", patch_schemas},
                          {"Operations", {{{"op", "replace"}, {"value", {{"active", false}}}}}}};
  Reply reply = call("PATCH", "/Users/" + id, patch);
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["active"], false);
}

// Entra E3 and Okta O15 group membership deltas, then User.groups agrees.
TEST_F(Rfc7644_3_Resources, GroupMembershipPatches) {
  std::string a = create_user("a"), b = create_user("b");
  std::string group = create_group("Movers");
  nlohmann::json add = {{"schemas", patch_schemas},
                        {"Operations",
                         {{{"op", "Add"}, {"path", "members"}, {"value", {{{"$ref", nullptr}, {"value", a}}, {{"value", b}}}}}}}};
  ASSERT_EQ(call("PATCH", "/Groups/" + group, add).status, 200);
  nlohmann::json remove_entra = {
      {"schemas", patch_schemas},
      {"Operations", {{{"op", "Remove"}, {"path", "members"}, {"value", {{{"$ref", nullptr}, {"value", a}}}}}}}};
  Reply after = call("PATCH", "/Groups/" + group, remove_entra);
  ASSERT_EQ(after.status, 200) << after.text;
  ASSERT_EQ(after.body["members"].size(), 1u);
  EXPECT_EQ(after.body["members"][0]["value"], b);
  EXPECT_FALSE(call("GET", "/Users/" + a).body.contains("groups"));
  EXPECT_EQ(call("GET", "/Users/" + b).body["groups"][0]["value"], group);
  nlohmann::json remove_okta = {
      {"schemas", patch_schemas},
      {"Operations", {{{"op", "remove"}, {"path", "members[value eq \"" + b + "\"]"}}}}};
  Reply empty = call("PATCH", "/Groups/" + group, remove_okta);
  ASSERT_EQ(empty.status, 200) << empty.text;
  EXPECT_FALSE(empty.body.contains("members") && !empty.body["members"].empty());
}

// A PATCH is atomic: a bad operation after a good one changes nothing (§3.5.2).
TEST_F(Rfc7644_3_Resources, FailedPatchChangesNothing) {
  std::string id = create_user("atomic", {{"title", "Before"}});
  std::string etag = call("GET", "/Users/" + id).header("ETag");
  nlohmann::json patch = {{"schemas", patch_schemas},
                          {"Operations",
                           {{{"op", "replace"}, {"path", "title"}, {"value", "After"}},
                            {{"op", "replace"}, {"path", "noSuchAttribute"}, {"value", "x"}}}}};
  Reply reply = call("PATCH", "/Users/" + id, patch);
  EXPECT_EQ(reply.status, 400);
  Reply read = call("GET", "/Users/" + id);
  EXPECT_EQ(read.body["title"], "Before");
  EXPECT_EQ(read.header("ETag"), etag);
}

TEST_F(Rfc7644_3_Resources, PatchThatBreaksUniquenessIs409) {
  create_user("taken");
  std::string id = create_user("free");
  nlohmann::json patch = {{"schemas", patch_schemas},
                          {"Operations", {{{"op", "replace"}, {"path", "userName"}, {"value", "TAKEN"}}}}};
  EXPECT_EQ(call("PATCH", "/Users/" + id, patch).status, 409);
  // Entra E16 / ClickHouse C2: a case-only rename of the same user is allowed.
  patch["Operations"][0]["value"] = "FREE";
  Reply renamed = call("PATCH", "/Users/" + id, patch);
  EXPECT_EQ(renamed.status, 200) << renamed.text;
  EXPECT_EQ(renamed.body["userName"], "FREE");
}

// RFC 7644 §3.4.2.5 through GET: attributes / excludedAttributes.
TEST_F(Rfc7644_3_Resources, AttributesParameterProjects) {
  std::string id = create_user("proj", {{"title", "T"}, {"name", {{"givenName", "G"}, {"familyName", "F"}}}});
  Reply only = call("GET", "/Users/" + id + "?attributes=name.givenName");
  ASSERT_EQ(only.status, 200) << only.text;
  EXPECT_EQ(only.body["id"], id);
  EXPECT_EQ(only.body["name"], (nlohmann::json{{"givenName", "G"}}));
  EXPECT_FALSE(only.body.contains("title"));
  Reply without = call("GET", "/Users/" + id + "?excludedAttributes=title");
  EXPECT_FALSE(without.body.contains("title"));
  EXPECT_TRUE(without.body.contains("name"));
}

// Entra E7: group lookups exclude members.
TEST_F(Rfc7644_3_Resources, EntraGroupLookupExcludingMembers) {
  std::string user = create_user("m");
  std::string group = create_group("Sales", {user});
  Reply reply = call("GET", "/Groups?excludedAttributes=members&filter=displayName%20eq%20%22sales%22");
  ASSERT_EQ(reply.status, 200) << reply.text;
  ASSERT_EQ(reply.body["totalResults"], 1);
  EXPECT_EQ(reply.body["Resources"][0]["id"], group);
  EXPECT_FALSE(reply.body["Resources"][0].contains("members"));
}

// Okta O2 / Entra E9: no match is 200 with an empty ListResponse, never 404.
TEST_F(Rfc7644_3_Resources, NoMatchIsAnEmptyListResponse) {
  Reply reply = call("GET", "/Users?filter=userName%20eq%20%22f9a7c1e2-0000%22");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["totalResults"], 0);
}

TEST_F(Rfc7644_3_Resources, ApplicationJsonIsAcceptedOtherTypesAre415) {
  transport::HttpRequest request;
  request.method = "POST";
  request.target = "/scim/v2/Users";
  request.headers = {{"Authorization", std::string("Bearer ") + token},
                     {"Content-Type", "application/json; charset=utf-8"}};
  request.body = nlohmann::json{{"schemas", user_schemas}, {"userName", "json"}}.dump();
  EXPECT_EQ(service_->handle(request).status, 201);
  request.headers[1].second = "text/plain";
  request.body = nlohmann::json{{"schemas", user_schemas}, {"userName", "text"}}.dump();
  EXPECT_EQ(service_->handle(request).status, 415);
}

}  // namespace
}  // namespace refserver::testing
