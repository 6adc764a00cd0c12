// The reference server over a real socket: HttpServer + ScimService on 127.0.0.1:0 with a
// SQLite file, driven by libcurl. Checks what only the wire shows (headers, encodings, the
// transport's body limit, keep-alive, persistence across a restart) and replays short Okta and
// Entra conversations from /work/shared/reference/idp-quirks.md end to end.
#include "reference_server/tests/api_wire_fixture.hpp"

#include <set>

namespace refserver::wire {
namespace {

using nlohmann::json;

using Rfc7644_3_1_Background = WireTest;
using Rfc7644_3_4_2_2_Filtering = WireTest;
using Rfc7643_4_2_Group = WireTest;
using Rfc7644_3_14_Versioning = WireTest;
using Rfc7644_2_Authentication = WireTest;
using Rfc7644_4_Discovery = WireTest;
using Rfc7644_3_7_Bulk = WireTest;
using Rfc7644_3_4_2_4_Pagination = WireTest;
using Rfc7644_3_12_Errors = WireTest;
using IdpQuirks_Okta = WireTest;
using IdpQuirks_Entra = WireTest;
using Persistence = WireTest;

std::string member_ids_of(const json& group) {
  std::set<std::string> ids;
  for (const auto& m : group.value("members", json::array())) ids.insert(m.value("value", ""));
  std::string out;
  for (const auto& id : ids) out += id + ",";
  return out;
}

// RFC 7644 §3.1: "the server SHALL return a 'Location' header with the resource's URI" that
// equals meta.location; §3.14: the ETag header carries meta.version.
TEST_F(Rfc7644_3_1_Background, UserLifecycleHeadersMatchMeta) {
  HttpReply created = call("POST", "/Users",
                           json{{"schemas", {kUserSchema}}, {"userName", "Ada.Lovelace@example.com"},
                                {"name", {{"givenName", "Ada"}}}, {"emails", {{{"value", "ada@example.com"}, {"type", "work"}, {"primary", true}}}}});
  ASSERT_EQ(created.status, 201) << created.error << created.text;
  EXPECT_EQ(created.header("Content-Type").rfind("application/scim+json", 0), 0u);
  std::string id = created.body.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(created.body["userName"], "Ada.Lovelace@example.com");  // as sent (idp-quirks O21)
  EXPECT_EQ(created.header("Location"), created.body["meta"]["location"].get<std::string>());
  EXPECT_EQ(created.header("Location"), server_->base_url() + "/Users/" + id);
  EXPECT_EQ(created.header("ETag"), created.body["meta"]["version"].get<std::string>());

  HttpReply read = call("GET", "/Users/" + id);
  ASSERT_EQ(read.status, 200) << read.text;
  EXPECT_EQ(read.header("ETag"), read.body["meta"]["version"].get<std::string>());
  EXPECT_EQ(read.body["meta"]["location"], created.body["meta"]["location"]);
  EXPECT_EQ(read.body["name"]["givenName"], "Ada");

  json replacement = {{"schemas", {kUserSchema}}, {"userName", "Ada.Lovelace@example.com"}, {"displayName", "Ada L."}};
  HttpReply put = call("PUT", "/Users/" + id, replacement);
  ASSERT_EQ(put.status, 200) << put.text;
  EXPECT_EQ(put.body["displayName"], "Ada L.");
  EXPECT_FALSE(put.body.contains("name")) << "PUT replaces the whole resource";
  EXPECT_EQ(put.header("ETag"), put.body["meta"]["version"].get<std::string>());
  EXPECT_NE(put.header("ETag"), read.header("ETag"));

  json patch = {{"schemas", {kPatchSchema}},
                {"Operations", {{{"op", "replace"}, {"path", "displayName"}, {"value", "Countess"}}}}};
  HttpReply patched = call("PATCH", "/Users/" + id, patch);
  ASSERT_EQ(patched.status, 200) << patched.text;
  EXPECT_EQ(patched.body["displayName"], "Countess");
  EXPECT_EQ(patched.header("ETag"), patched.body["meta"]["version"].get<std::string>());
  EXPECT_NE(patched.header("ETag"), put.header("ETag"));

  HttpReply deleted = call("DELETE", "/Users/" + id);
  EXPECT_EQ(deleted.status, 204) << deleted.text;
  EXPECT_TRUE(deleted.text.empty());
  HttpReply gone = call("GET", "/Users/" + id);
  expect_scim_error(gone, 404, "");
}

// RFC 7644 §3.4.2.2: userName is caseExact=false, so `eq` matches in another case; query strings
// arrive with %20 or '+' for spaces depending on the client (idp-quirks O1, E22).
TEST_F(Rfc7644_3_4_2_2_Filtering, UserNameEqInAnyCaseBothEncodings) {
  std::string id = create_user("Grace.Hopper@example.com");
  create_user("someone.else@example.com");
  for (const std::string query : {"/Users?filter=userName%20eq%20%22GRACE.HOPPER%40EXAMPLE.COM%22",
                                  "/Users?filter=userName+eq+%22grace.hopper%40example.com%22"}) {
    HttpReply reply = call("GET", query);
    ASSERT_EQ(reply.status, 200) << query << " " << reply.text;
    EXPECT_EQ(reply.body["schemas"], json::array({kListSchema}));
    EXPECT_EQ(reply.body["totalResults"], 1) << query;
    ASSERT_EQ(reply.body["Resources"].size(), 1u) << query;
    EXPECT_EQ(reply.body["Resources"][0]["id"], id);
    EXPECT_EQ(reply.body["Resources"][0]["userName"], "Grace.Hopper@example.com");
  }
}

// RFC 7643 §4.1.2: User.groups is readOnly and derived from group membership.
TEST_F(Rfc7643_4_2_Group, MembersAndUserGroups) {
  std::string alice = create_user("alice@example.com");
  std::string bob = create_user("bob@example.com");
  HttpReply group = call("POST", "/Groups",
                         json{{"schemas", {kGroupSchema}}, {"displayName", "Engineers"},
                              {"members", {{{"value", alice}}, {{"value", bob}}}}});
  ASSERT_EQ(group.status, 201) << group.text;
  std::string gid = group.body.value("id", "");
  EXPECT_EQ(group.header("Location"), group.body["meta"]["location"].get<std::string>());
  EXPECT_EQ(member_ids_of(group.body), std::string(std::min(alice, bob)) + "," + std::max(alice, bob) + ",");

  HttpReply user = call("GET", "/Users/" + alice);
  ASSERT_EQ(user.status, 200);
  ASSERT_TRUE(user.body.contains("groups")) << user.text;
  ASSERT_EQ(user.body["groups"].size(), 1u);
  EXPECT_EQ(user.body["groups"][0]["value"], gid);
  EXPECT_EQ(user.body["groups"][0]["display"], "Engineers");
}

// RFC 7644 §3.14: If-None-Match with the current ETag is 304; If-Match with a stale one is 412.
TEST_F(Rfc7644_3_14_Versioning, NotModifiedAndPreconditionFailed) {
  std::string id = create_user("etag@example.com");
  HttpReply read = call("GET", "/Users/" + id);
  std::string etag = read.header("ETag");
  ASSERT_FALSE(etag.empty());

  HttpReply not_modified = call("GET", "/Users/" + id, "", {"If-None-Match: " + etag});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.text.empty());
  EXPECT_EQ(not_modified.header("ETag"), etag);

  json patch = {{"schemas", {kPatchSchema}}, {"Operations", {{{"op", "replace"}, {"path", "nickName"}, {"value", "e"}}}}};
  HttpReply ok = call("PATCH", "/Users/" + id, patch, {"If-Match: " + etag});
  ASSERT_EQ(ok.status, 200) << ok.text;
  HttpReply stale = call("PATCH", "/Users/" + id, patch, {"If-Match: " + etag});
  expect_scim_error(stale, 412, "");
  HttpReply stale_delete = call("DELETE", "/Users/" + id, "", {"If-Match: " + etag});
  expect_scim_error(stale_delete, 412, "");
  EXPECT_EQ(call("GET", "/Users/" + id).status, 200);
}

// RFC 7644 §2 and RFC 6750 §3: an unauthenticated request gets 401 with WWW-Authenticate.
TEST_F(Rfc7644_2_Authentication, MissingOrWrongTokenIs401) {
  HttpReply none = call("GET", "/Users", "", {}, false);
  expect_scim_error(none, 401, "");
  EXPECT_EQ(none.header("WWW-Authenticate").rfind("Bearer", 0), 0u) << none.header("WWW-Authenticate");
  HttpReply wrong = call("GET", "/Users", "", {"Authorization: Bearer not-the-token"}, false);
  expect_scim_error(wrong, 401, "");
  EXPECT_FALSE(wrong.header("WWW-Authenticate").empty());
}

// RFC 7644 §4: the three discovery endpoints.
TEST_F(Rfc7644_4_Discovery, EndpointsAnswer) {
  HttpReply config = call("GET", "/ServiceProviderConfig");
  ASSERT_EQ(config.status, 200) << config.text;
  EXPECT_EQ(config.body["schemas"], json::array({"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"}));
  EXPECT_EQ(config.body["bulk"]["supported"], true);
  EXPECT_EQ(config.body["meta"]["location"], server_->base_url() + "/ServiceProviderConfig");

  HttpReply types = call("GET", "/ResourceTypes");
  ASSERT_EQ(types.status, 200) << types.text;
  std::set<std::string> names;
  for (const auto& t : types.body["Resources"]) names.insert(t.value("name", ""));
  EXPECT_TRUE(names.count("User") && names.count("Group")) << types.text;
  HttpReply user_type = call("GET", "/ResourceTypes/User");
  ASSERT_EQ(user_type.status, 200);
  EXPECT_EQ(user_type.body["endpoint"], "/Users");

  HttpReply schemas = call("GET", "/Schemas");
  ASSERT_EQ(schemas.status, 200);
  std::set<std::string> ids;
  for (const auto& s : schemas.body["Resources"]) ids.insert(s.value("id", ""));
  EXPECT_TRUE(ids.count(kUserSchema) && ids.count(kGroupSchema) && ids.count(kEnterpriseSchema));
  HttpReply user_schema = call("GET", std::string("/Schemas/") + kUserSchema);
  ASSERT_EQ(user_schema.status, 200);
  EXPECT_EQ(user_schema.body["id"], kUserSchema);
}

// RFC 7644 §3.7.2: "bulkId:<id>" in a later operation refers to the resource an earlier one
// created.
TEST_F(Rfc7644_3_7_Bulk, BulkIdReferenceResolves) {
  json bulk = {{"schemas", {kBulkRequestSchema}},
               {"Operations",
                {{{"method", "POST"}, {"path", "/Groups"}, {"bulkId", "g1"},
                  {"data", {{"schemas", {kGroupSchema}}, {"displayName", "Bulk Group"},
                            {"members", {{{"value", "bulkId:u1"}}}}}}},
                 {{"method", "POST"}, {"path", "/Users"}, {"bulkId", "u1"},
                  {"data", {{"schemas", {kUserSchema}}, {"userName", "bulk.user@example.com"}}}}}}};
  HttpReply reply = call("POST", "/Bulk", bulk);
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:BulkResponse"}));
  ASSERT_EQ(reply.body["Operations"].size(), 2u) << reply.text;
  std::string user_location, group_location;
  for (const auto& op : reply.body["Operations"]) {
    EXPECT_EQ(op["status"], "201") << op.dump();
    if (op["bulkId"] == "u1") user_location = op.value("location", "");
    if (op["bulkId"] == "g1") group_location = op.value("location", "");
  }
  ASSERT_FALSE(user_location.empty());
  ASSERT_FALSE(group_location.empty());
  std::string user_id = user_location.substr(user_location.rfind('/') + 1);
  std::string group_id = group_location.substr(group_location.rfind('/') + 1);
  HttpReply group = call("GET", "/Groups/" + group_id);
  ASSERT_EQ(group.status, 200);
  ASSERT_EQ(group.body["members"].size(), 1u) << group.text;
  EXPECT_EQ(group.body["members"][0]["value"], user_id);
}

// RFC 7644 §3.4.2.4: startIndex/count paging with integer totalResults, stable order.
TEST_F(Rfc7644_3_4_2_4_Pagination, TwentyFiveUsersByTen) {
  std::set<std::string> created;
  for (int i = 0; i < 25; ++i) created.insert(create_user("page.user" + std::to_string(i) + "@example.com"));
  std::set<std::string> seen;
  std::vector<std::size_t> sizes;
  for (int start = 1; start <= 25; start += 10) {
    HttpReply page = call("GET", "/Users?startIndex=" + std::to_string(start) + "&count=10");
    ASSERT_EQ(page.status, 200) << page.text;
    EXPECT_TRUE(page.body["totalResults"].is_number_integer());
    EXPECT_EQ(page.body["totalResults"], 25);
    EXPECT_EQ(page.body["startIndex"], start);
    sizes.push_back(page.body["Resources"].size());
    EXPECT_EQ(page.body["itemsPerPage"], page.body["Resources"].size());
    for (const auto& r : page.body["Resources"]) EXPECT_TRUE(seen.insert(r.value("id", "")).second) << "repeated";
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{10, 10, 5}));
  EXPECT_EQ(seen, created);
}

// RFC 7644 §3.12: 413 "The request payload is too large"; the transport refuses the body
// before reading it and the answer is still a SCIM error.
TEST_F(Rfc7644_3_12_Errors, BodyOverOneMiBIs413) {
  json body = {{"schemas", {kUserSchema}}, {"userName", "big@example.com"},
               {"displayName", std::string(1024 * 1024 + 16, 'x')}};
  HttpReply reply = call("POST", "/Users", body, {"Expect: 100-continue"});
  expect_scim_error(reply, 413, "");
  // The refused body left no trace and the server keeps serving.
  HttpReply list = call("GET", "/Users");
  ASSERT_EQ(list.status, 200) << list.error;
  EXPECT_EQ(list.body["totalResults"], 0);
}

// idp-quirks O1, O4, O7, O9, O13, O14, O17: a short Okta provisioning conversation.
TEST_F(IdpQuirks_Okta, ProvisioningSequence) {
  HttpReply lookup = call("GET", "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100");
  ASSERT_EQ(lookup.status, 200) << lookup.text;
  EXPECT_EQ(lookup.body["totalResults"], 0);

  HttpReply created = call("POST", "/Users",
                           json{{"schemas", {kUserSchema}}, {"userName", "test.user@okta.local"},
                                {"name", {{"givenName", "Test"}, {"familyName", "User"}}},
                                {"emails", {{{"primary", true}, {"value", "test.user@okta.local"}, {"type", "work"}}}},
                                {"displayName", "Test User"}, {"locale", "en-US"}, {"externalId", "00u1abcd"},
                                {"groups", json::array()}, {"password", "1mz050nq"}, {"active", true}});
  ASSERT_EQ(created.status, 201) << created.text;
  std::string id = created.body.value("id", "");
  EXPECT_FALSE(created.body.contains("password")) << "password is writeOnly / returned never";

  HttpReply found = call("GET", "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100");
  ASSERT_EQ(found.body["totalResults"], 1);

  HttpReply current = call("GET", "/Users/" + id);
  ASSERT_EQ(current.status, 200);
  json echoed = current.body;  // Okta PUTs the server's representation back, id/meta included
  echoed["name"]["givenName"] = "Tess";
  echoed["groups"] = json::array();
  HttpReply put = call("PUT", "/Users/" + id, echoed);
  ASSERT_EQ(put.status, 200) << put.text;
  EXPECT_EQ(put.body["id"], id);
  EXPECT_EQ(put.body["name"]["givenName"], "Tess");
  EXPECT_EQ(put.body["meta"]["created"], current.body["meta"]["created"]);

  HttpReply deactivated = call("PATCH", "/Users/" + id,
                               json{{"schemas", {kPatchSchema}},
                                    {"Operations", {{{"op", "replace"}, {"value", {{"active", false}}}}}}});
  ASSERT_TRUE(deactivated.status == 200 || deactivated.status == 204) << deactivated.text;
  EXPECT_EQ(call("GET", "/Users/" + id).body["active"], false);

  std::string other = create_user("second.user@okta.local");
  HttpReply group = call("POST", "/Groups",
                         json{{"schemas", {kGroupSchema}}, {"displayName", "Okta Push"},
                              {"members", {{{"value", id}, {"display", "test.user@okta.local"}},
                                           {{"value", other}, {"display", "second.user@okta.local"}}}}});
  ASSERT_EQ(group.status, 201) << group.text;
  std::string gid = group.body.value("id", "");
  HttpReply again = call("PATCH", "/Groups/" + gid,
                         json{{"schemas", {kPatchSchema}},
                              {"Operations", {{{"op", "add"}, {"path", "members"},
                                               {"value", {{{"value", id}, {"display", "test.user@okta.local"}},
                                                          {{"value", other}, {"display", "second.user@okta.local"}}}}}}}});
  ASSERT_TRUE(again.status == 200 || again.status == 204) << again.text;
  HttpReply after_add = call("GET", "/Groups/" + gid);
  EXPECT_EQ(after_add.body["members"].size(), 2u) << "members pushed twice must not duplicate: " << after_add.text;

  HttpReply renamed = call("PATCH", "/Groups/" + gid,
                           json{{"schemas", {kPatchSchema}},
                                {"Operations", {{{"op", "replace"}, {"value", {{"id", gid}, {"displayName", "Okta Pushed"}}}}}}});
  ASSERT_TRUE(renamed.status == 200 || renamed.status == 204) << renamed.text;
  HttpReply final_group = call("GET", "/Groups/" + gid);
  EXPECT_EQ(final_group.body["displayName"], "Okta Pushed");
  EXPECT_EQ(final_group.body["id"], gid);
  EXPECT_EQ(final_group.body["members"].size(), 2u);

  HttpReply import = call("GET", "/Users?startIndex=1&count=100");
  EXPECT_EQ(import.body["totalResults"], 2);
  EXPECT_TRUE(import.body["startIndex"].is_number_integer());
}

// idp-quirks E1–E4, E7, E11, E18: a short Entra ID provisioning conversation.
TEST_F(IdpQuirks_Entra, ProvisioningSequence) {
  HttpReply created = call("POST", "/Users",
                           json{{"schemas", {kUserSchema, kEnterpriseSchema}},
                                {"externalId", "jyoung"},
                                {"userName", "jyoung@testuser.com"},
                                {"active", "True"},
                                {"emails", {{{"primary", true}, {"type", "home"}, {"value", "jyoung@home.example"}}}},
                                {"meta", {{"resourceType", "User"}}},
                                {"name", {{"formatted", "Joy Young"}, {"familyName", "Young"}, {"givenName", "Joy"}}},
                                {"roles", json::array()},
                                {"addresses", nullptr},
                                {"title", nullptr},
                                {kEnterpriseSchema, {{"department", nullptr}, {"manager", nullptr}}}});
  ASSERT_EQ(created.status, 201) << created.text;
  std::string id = created.body.value("id", "");
  EXPECT_EQ(created.body["active"], true) << "\"True\" is coerced and answered as a JSON boolean";
  EXPECT_FALSE(created.body.contains("title"));
  EXPECT_FALSE(created.body.contains("addresses"));

  HttpReply replaced = call("PATCH", "/Users/" + id,
                            json{{"schemas", {kPatchSchema}},
                                 {"Operations", {{{"op", "Replace"}, {"path", "displayName"}, {"value", "Joy Y."}},
                                                 {{"op", "Replace"}, {"path", "active"}, {"value", "False"}}}}});
  ASSERT_EQ(replaced.status, 200) << replaced.text;
  EXPECT_EQ(replaced.body["displayName"], "Joy Y.");
  EXPECT_EQ(replaced.body["active"], false);

  // Replace of a filtered sub-attribute that matches nothing creates the element, leaving the
  // home email in place (E11).
  HttpReply work_email = call("PATCH", "/Users/" + id,
                              json{{"schemas", {kPatchSchema}},
                                   {"Operations", {{{"op", "Replace"}, {"path", "emails[type eq \"work\"].value"},
                                                    {"value", "jyoung@Contoso.com"}}}}});
  ASSERT_EQ(work_email.status, 200) << work_email.text;
  HttpReply user = call("GET", "/Users/" + id);
  ASSERT_EQ(user.body["emails"].size(), 2u) << user.text;
  bool work = false, home = false;
  for (const auto& e : user.body["emails"]) {
    if (e.value("type", "") == "work" && e.value("value", "") == "jyoung@Contoso.com") work = true;
    if (e.value("type", "") == "home" && e.value("value", "") == "jyoung@home.example") home = true;
  }
  EXPECT_TRUE(work && home) << user.text;

  std::string second = create_user("second@testuser.com");
  HttpReply group = call("POST", "/Groups",
                         json{{"schemas", {kGroupSchema, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"}},
                              {"displayName", "Entra Sales"}, {"externalId", "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"},
                              {"meta", {{"resourceType", "Group"}}}});
  ASSERT_EQ(group.status, 201) << group.text;
  std::string gid = group.body.value("id", "");
  HttpReply add = call("PATCH", "/Groups/" + gid,
                       json{{"schemas", {kPatchSchema}},
                            {"Operations", {{{"op", "Add"}, {"path", "members"},
                                             {"value", {{{"$ref", nullptr}, {"value", id}}, {{"$ref", nullptr}, {"value", second}}}}}}}});
  ASSERT_TRUE(add.status == 200 || add.status == 204) << add.text;
  EXPECT_EQ(member_ids_of(call("GET", "/Groups/" + gid).body), std::string(std::min(id, second)) + "," + std::max(id, second) + ",");

  HttpReply remove = call("PATCH", "/Groups/" + gid,
                          json{{"schemas", {kPatchSchema}},
                               {"Operations", {{{"op", "Remove"}, {"path", "members"},
                                                {"value", {{{"$ref", nullptr}, {"value", id}}}}}}}});
  ASSERT_TRUE(remove.status == 200 || remove.status == 204) << remove.text;
  EXPECT_EQ(member_ids_of(call("GET", "/Groups/" + gid).body), second + ",");

  HttpReply lookup = call("GET", "/Groups?excludedAttributes=members&filter=displayName%20eq%20%22entra%20sales%22");
  ASSERT_EQ(lookup.status, 200) << lookup.text;
  ASSERT_EQ(lookup.body["totalResults"], 1);
  EXPECT_EQ(lookup.body["Resources"][0]["id"], gid);
  EXPECT_FALSE(lookup.body["Resources"][0].contains("members")) << lookup.text;
}

// The store commits before answering, so a new store and server on the same file see it all.
TEST_F(Persistence, DataSurvivesAServerRestart) {
  std::string id = create_user("persist@example.com", json{{"displayName", "Kept"}});
  HttpReply group = call("POST", "/Groups",
                         json{{"schemas", {kGroupSchema}}, {"displayName", "Kept Group"}, {"members", {{{"value", id}}}}});
  ASSERT_EQ(group.status, 201);
  std::string etag = call("GET", "/Users/" + id).header("ETag");

  restart_server();
  HttpReply user = call("GET", "/Users/" + id);
  ASSERT_EQ(user.status, 200) << user.error << user.text;
  EXPECT_EQ(user.body["userName"], "persist@example.com");
  EXPECT_EQ(user.body["displayName"], "Kept");
  EXPECT_EQ(user.header("ETag"), etag);
  EXPECT_EQ(user.body["meta"]["location"], server_->base_url() + "/Users/" + id);
  ASSERT_EQ(user.body["groups"].size(), 1u) << user.text;
  EXPECT_EQ(user.body["groups"][0]["value"], group.body["id"]);
  // The uniqueness index is rebuilt too.
  HttpReply duplicate = call("POST", "/Users", json{{"schemas", {kUserSchema}}, {"userName", "PERSIST@example.com"}});
  expect_scim_error(duplicate, 409, "uniqueness");
}

}  // namespace
}  // namespace refserver::wire
