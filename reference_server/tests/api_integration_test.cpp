// The reference server end to end over real loopback sockets: HttpServer + ScimService + a
// SQLite file, driven by libcurl the way Okta and Entra ID drive a SCIM service provider
// (/work/shared/reference/idp-quirks.md). Every expectation is computed from what the test sent,
// never from the server's own code.
#include "api_test_server.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace refserver::e2e {
namespace {

using nlohmann::json;

class LoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_path_ = dir_.file("reference.db");
    start_server();
  }
  void TearDown() override {
    client_.reset();
    if (server_) server_->stop();
  }

  void start_server() {
    server_ = std::make_unique<LoopbackServer>(data_path_, config_);
    server_->start();
    client_ = server_->client();
  }

  HttpClient& http() { return *client_; }
  const std::string& base_url() const { return server_->base_url(); }

  // POST /Users; fails the test on anything but 201 and returns the created resource.
  json create_user(const std::string& user_name, json extra = json::object()) {
    Reply reply = http().post("/Users", user_body(user_name, std::move(extra)));
    EXPECT_EQ(reply.status, 201) << reply.describe();
    return reply.body.is_object() ? reply.body : json::object();
  }
  json create_group(const std::string& name, const std::vector<std::string>& member_ids = {}) {
    json body = {{"schemas", {group_urn}}, {"displayName", name}};
    if (!member_ids.empty()) {
      body["members"] = json::array();
      for (const auto& id : member_ids) body["members"].push_back({{"value", id}});
    }
    Reply reply = http().post("/Groups", body);
    EXPECT_EQ(reply.status, 201) << reply.describe();
    return reply.body.is_object() ? reply.body : json::object();
  }
  json get_json(const std::string& target) {
    Reply reply = http().get(target);
    EXPECT_EQ(reply.status, 200) << target << ": " << reply.describe();
    return reply.body.is_object() ? reply.body : json::object();
  }
  // The ListResponse of a filter query; `encoded_filter` is already percent-encoded.
  json list(const std::string& endpoint, const std::string& query) { return get_json(endpoint + "?" + query); }

  static std::vector<std::string> ids_of(const json& list_response) {
    std::vector<std::string> ids;
    for (const auto& resource : list_response.value("Resources", json::array())) ids.push_back(resource.value("id", ""));
    return ids;
  }
  static std::vector<std::string> member_ids(const json& group) {
    std::vector<std::string> ids;
    for (const auto& member : group.value("members", json::array())) ids.push_back(member.value("value", ""));
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  static std::vector<std::string> group_ids_of_user(const json& user) {
    std::vector<std::string> ids;
    for (const auto& group : user.value("groups", json::array())) ids.push_back(group.value("value", ""));
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  static std::vector<std::string> sorted(std::vector<std::string> ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  TempDir dir_;
  std::string data_path_;
  ServiceConfig config_;
  std::unique_ptr<LoopbackServer> server_;
  std::unique_ptr<HttpClient> client_;
};

// ---- RFC 7644 §3.3 Creating Resources -------------------------------------------------------

// RFC 7644 §3.3: "the server SHALL return a 201 (Created) ... the response body SHOULD contain
// the service provider's representation of the newly created resource. The URI of the created
// resource SHALL be included in the HTTP "Location" header and in the resource's
// "meta.location". ... the server SHALL set the "version" ... and return the "ETag" header"
// (RFC 7644 §3.14: the ETag is the version).
TEST_F(LoopbackTest, Rfc7644_3_3_CreateAnswers201WithLocationAndEtagMatchingMeta) {
  json body = user_body("Barbara.Jensen@Example.com",
                        {{"name", {{"givenName", "Barbara"}, {"familyName", "Jensen"}}},
                         {"emails", {{{"value", "bjensen@example.com"}, {"type", "work"}, {"primary", true}}}}});
  Reply reply = http().post("/Users", body);
  ASSERT_EQ(reply.status, 201) << reply.describe();
  EXPECT_EQ(reply.header("Content-Type").rfind("application/scim+json", 0), 0u) << reply.header("Content-Type");
  ASSERT_TRUE(reply.body.is_object());
  std::string id = reply.body.value("id", "");
  ASSERT_FALSE(id.empty());
  // RFC 7643 §4.1.1 / Okta O21: userName comes back exactly as sent.
  EXPECT_EQ(reply.body["userName"], "Barbara.Jensen@Example.com");
  EXPECT_EQ(reply.body["name"], body["name"]);
  EXPECT_EQ(reply.body["emails"], body["emails"]);
  ASSERT_TRUE(reply.body["meta"].is_object());
  EXPECT_EQ(reply.body["meta"]["resourceType"], "User");
  EXPECT_EQ(reply.header("Location"), reply.body["meta"].value("location", "?"));
  EXPECT_EQ(reply.header("Location"), base_url() + "/Users/" + id);
  EXPECT_FALSE(reply.header("ETag").empty());
  EXPECT_EQ(reply.header("ETag"), reply.body["meta"].value("version", "?"));
  EXPECT_FALSE(reply.body["meta"].value("created", "").empty());
  EXPECT_EQ(reply.body["meta"].value("created", ""), reply.body["meta"].value("lastModified", "?"));
}

// Okta and Entra keep the connection open between requests (O19: Connection: Keep-Alive).
TEST_F(LoopbackTest, ConsecutiveRequestsReuseOneKeptAliveConnection) {
  Reply first = http().get("/ServiceProviderConfig");
  ASSERT_EQ(first.status, 200) << first.describe();
  EXPECT_EQ(first.new_connections, 1);
  for (int i = 0; i < 5; ++i) {
    Reply next = i % 2 ? http().get("/Users?count=1") : http().post("/Users", user_body("keepalive" + std::to_string(i)));
    ASSERT_LT(next.status, 300) << next.describe();
    EXPECT_EQ(next.new_connections, 0) << "request " << i << " opened a new connection";
  }
}

// ---- RFC 7644 §3.4.1 Retrieving a Known Resource --------------------------------------------

TEST_F(LoopbackTest, Rfc7644_3_4_1_GetReturnsTheResourceAsCreated) {
  json created = create_user("mjones@example.com", {{"displayName", "Mary Jones"}, {"externalId", "00u1abc"}});
  std::string id = created.value("id", "");
  Reply reply = http().get("/Users/" + id);
  ASSERT_EQ(reply.status, 200) << reply.describe();
  EXPECT_EQ(reply.body, created);
  EXPECT_EQ(reply.header("ETag"), created["meta"].value("version", "?"));
  EXPECT_EQ(reply.header("Content-Type").rfind("application/scim+json", 0), 0u);
}

// ---- RFC 7644 §3.4.2.2 Filtering (Okta O1, O2, O21; Entra E9) -------------------------------

// RFC 7643 §4.1.1: userName is caseExact=false, so "eq" matches regardless of case. Okta sends
// the filter percent-encoded with %20 (O1) and its legacy guide form-encoded with '+'.
TEST_F(LoopbackTest, Rfc7644_3_4_2_2_UserNameEqIgnoresCaseWithPercentAndPlusEncodings) {
  create_user("other.user@okta.local");
  std::string id = create_user("Test.User@Okta.Local").value("id", "");
  create_user("test.user2@okta.local");

  const std::vector<std::string> queries = {
      "filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100",
      "filter=userName+eq+%22TEST.USER%40OKTA.LOCAL%22&startIndex=1&count=100",
      "filter=username%20EQ%20%22Test.User%40okta.local%22",
      "filter=" + url_encode("userName eq \"tEST.uSER@oKTA.lOCAL\""),
  };
  for (const auto& query : queries) {
    SCOPED_TRACE(query);
    json result = list("/Users", query);
    EXPECT_EQ(result["schemas"], json::array({list_urn}));
    EXPECT_EQ(result["totalResults"], 1);
    ASSERT_EQ(ids_of(result), std::vector<std::string>{id});
    EXPECT_EQ(result["Resources"][0]["userName"], "Test.User@Okta.Local");
  }
  // O2 / E9: no match is 200 with an empty ListResponse, never 404.
  json none = list("/Users", "filter=userName%20eq%20%22" + url_encode("8b8e9c61-2f0a-4b41-9f3c-5a1d1f0b4c2e") + "%22");
  EXPECT_EQ(none["totalResults"], 0);
  EXPECT_TRUE(ids_of(none).empty());
}

// ---- RFC 7644 §3.5.1 Replacing with PUT (Okta O7, O8) ---------------------------------------

TEST_F(LoopbackTest, Rfc7644_3_5_1_PutReplacesAndIgnoresEchoedReadOnlyData) {
  json created = create_user("Jane.Doe@example.com",
                             {{"name", {{"givenName", "Jane"}, {"familyName", "Doe"}, {"formatted", "Jane Doe"}}},
                              {"title", "Engineer"},
                              {"active", true}});
  std::string id = created.value("id", "");
  // Okta GETs, overwrites what it maps and PUTs the whole thing back, server data included.
  json current = get_json("/Users/" + id);
  json sent = current;
  sent["name"]["givenName"] = "Janet";
  sent["active"] = false;
  sent.erase("title");  // replace semantics: an omitted attribute is cleared
  sent["groups"] = json::array();
  sent["meta"]["created"] = "04-12-2018 00:00:00";  // O8: never validated
  Reply reply = http().put("/Users/" + id, sent);
  ASSERT_EQ(reply.status, 200) << reply.describe();
  EXPECT_EQ(reply.body["id"], id);
  EXPECT_EQ(reply.body["name"]["givenName"], "Janet");
  EXPECT_EQ(reply.body["name"]["formatted"], "Jane Doe");  // O7: not recomputed
  EXPECT_EQ(reply.body["active"], false);
  EXPECT_FALSE(reply.body.contains("title"));
  // meta is the server's: created kept, version moved on, ETag follows it.
  EXPECT_EQ(reply.body["meta"]["created"], created["meta"]["created"]);
  EXPECT_NE(reply.body["meta"]["version"], created["meta"]["version"]);
  EXPECT_EQ(reply.header("ETag"), reply.body["meta"].value("version", "?"));
  EXPECT_EQ(get_json("/Users/" + id), reply.body);
}

// ---- RFC 7644 §3.5.2 Modifying with PATCH (Entra E1, E2; Okta O9) ----------------------------

TEST_F(LoopbackTest, Rfc7644_3_5_2_EntraCapitalizedReplaceWithStringFalse) {
  std::string id = create_user("entra.patch@contoso.com", {{"active", true}}).value("id", "");
  Reply reply = http().patch(
      "/Users/" + id, patch_body({{{"op", "Replace"}, {"path", "active"}, {"value", "False"}}}));
  ASSERT_TRUE(reply.status == 200 || reply.status == 204) << reply.describe();
  json after = get_json("/Users/" + id);
  // E2: answered as a JSON boolean.
  EXPECT_EQ(after["active"], json(false));
  // Okta O9: a path-less replace with a map value.
  reply = http().patch("/Users/" + id, patch_body({{{"op", "replace"}, {"value", {{"active", true}}}}}));
  ASSERT_TRUE(reply.status == 200 || reply.status == 204) << reply.describe();
  EXPECT_EQ(get_json("/Users/" + id)["active"], json(true));
}

// ---- RFC 7644 §3.6 Deleting Resources -------------------------------------------------------

// RFC 7644 §3.6: "the service provider responds with HTTP status 204 (No Content)" and later
// requests for it "MUST" give 404.
TEST_F(LoopbackTest, Rfc7644_3_6_DeleteIs204ThenEverythingIs404) {
  std::string id = create_user("leaver@example.com").value("id", "");
  Reply deleted = http().del("/Users/" + id);
  EXPECT_EQ(deleted.status, 204) << deleted.describe();
  EXPECT_TRUE(deleted.text.empty());
  expect_scim_error(http().get("/Users/" + id), 404, "");
  expect_scim_error(http().del("/Users/" + id), 404, "");
  expect_scim_error(http().patch("/Users/" + id, patch_body({{{"op", "replace"}, {"value", {{"active", false}}}}})), 404, "");
  EXPECT_EQ(list("/Users", "filter=userName%20eq%20%22leaver%40example.com%22")["totalResults"], 0);
}

// ---- RFC 7643 §4.2 Group and §4.1.2 User.groups ---------------------------------------------

// RFC 7643 §4.1.2: User "groups" is read-only, "derived from the 'members' attribute" of
// groups.
TEST_F(LoopbackTest, Rfc7643_4_2_GroupMembersAndComputedUserGroups) {
  std::string alice = create_user("alice@example.com").value("id", "");
  std::string bob = create_user("bob@example.com").value("id", "");
  json group = create_group("Engineering", {alice, bob});
  std::string gid = group.value("id", "");
  EXPECT_EQ(member_ids(group), sorted({alice, bob}));
  for (const auto& member : group["members"]) {
    EXPECT_EQ(member["type"], "User");
    EXPECT_EQ(member["$ref"], base_url() + "/Users/" + member.value("value", ""));
  }
  json alice_json = get_json("/Users/" + alice);
  ASSERT_EQ(group_ids_of_user(alice_json), std::vector<std::string>{gid});
  EXPECT_EQ(alice_json["groups"][0]["display"], "Engineering");
  EXPECT_EQ(alice_json["groups"][0]["$ref"], base_url() + "/Groups/" + gid);

  // Okta O15: a remove by value filter.
  Reply patched = http().patch("/Groups/" + gid, patch_body({{{"op", "remove"}, {"path", "members[value eq \"" + bob + "\"]"}}}));
  ASSERT_TRUE(patched.status == 200 || patched.status == 204) << patched.describe();
  EXPECT_EQ(member_ids(get_json("/Groups/" + gid)), std::vector<std::string>{alice});
  EXPECT_TRUE(group_ids_of_user(get_json("/Users/" + bob)).empty());
  EXPECT_EQ(group_ids_of_user(get_json("/Users/" + alice)), std::vector<std::string>{gid});

  // Deleting a member user removes it from the group.
  ASSERT_EQ(http().del("/Users/" + alice).status, 204);
  EXPECT_TRUE(member_ids(get_json("/Groups/" + gid)).empty());
  // Deleting the group clears User.groups.
  std::string carol = create_user("carol@example.com").value("id", "");
  ASSERT_EQ(http().patch("/Groups/" + gid, patch_body({{{"op", "add"}, {"path", "members"}, {"value", {{{"value", carol}}}}}})).status / 100, 2);
  EXPECT_EQ(group_ids_of_user(get_json("/Users/" + carol)), std::vector<std::string>{gid});
  ASSERT_EQ(http().del("/Groups/" + gid).status, 204);
  EXPECT_TRUE(group_ids_of_user(get_json("/Users/" + carol)).empty());
}

// ---- RFC 7644 §3.14 Versioning Resources ----------------------------------------------------

TEST_F(LoopbackTest, Rfc7644_3_14_IfNoneMatchIs304AndIfMatchMismatchIs412) {
  json created = create_user("etag.user@example.com", {{"title", "Before"}});
  std::string id = created.value("id", "");
  std::string etag = created["meta"].value("version", "");
  ASSERT_FALSE(etag.empty());

  // RFC 7232 §4.1 via RFC 7644 §3.14: a current ETag in If-None-Match gives 304, no body.
  Reply not_modified = http().get("/Users/" + id, {"If-None-Match: " + etag});
  EXPECT_EQ(not_modified.status, 304) << not_modified.describe();
  EXPECT_TRUE(not_modified.text.empty());
  EXPECT_EQ(not_modified.header("ETag"), etag);
  // Another version: the resource comes back.
  EXPECT_EQ(http().get("/Users/" + id, {"If-None-Match: W/\"not-" + etag.substr(3)}).status, 200);

  // RFC 7644 §3.14: a stale If-Match fails with 412 and changes nothing.
  json changed = user_body("etag.user@example.com", {{"title", "After"}});
  expect_scim_error(http().put("/Users/" + id, changed, {"If-Match: W/\"999999\""}), 412, "");
  expect_scim_error(http().patch("/Users/" + id, patch_body({{{"op", "replace"}, {"path", "title"}, {"value", "After"}}}),
                                 {"If-Match: W/\"999999\""}),
                    412, "");
  expect_scim_error(http().del("/Users/" + id, {"If-Match: W/\"999999\""}), 412, "");
  json unchanged = get_json("/Users/" + id);
  EXPECT_EQ(unchanged["title"], "Before");
  EXPECT_EQ(unchanged["meta"]["version"], etag);

  // The current ETag succeeds, and the next one differs.
  Reply put = http().put("/Users/" + id, changed, {"If-Match: " + etag});
  ASSERT_EQ(put.status, 200) << put.describe();
  EXPECT_EQ(put.body["title"], "After");
  EXPECT_NE(put.header("ETag"), etag);
  // The old ETag is now stale for If-None-Match too.
  EXPECT_EQ(http().get("/Users/" + id, {"If-None-Match: " + etag}).status, 200);
}

// ---- RFC 7644 §2 Authentication and Authorization -------------------------------------------

// RFC 6750 §3 (cited by RFC 7644 §2): a request without valid credentials gets 401 and a
// WWW-Authenticate header naming the Bearer scheme. Okta O22 checks the SCIM error body.
TEST_F(LoopbackTest, Rfc7644_2_MissingOrWrongTokenIs401WithWwwAuthenticate) {
  HttpClient::Request no_token{"GET", "/Users", {}, std::nullopt, false};
  Reply reply = http().send(no_token);
  expect_scim_error(reply, 401, "");
  EXPECT_EQ(reply.header("WWW-Authenticate").rfind("Bearer", 0), 0u) << reply.header("WWW-Authenticate");

  for (const char* header : {"Authorization: Bearer wrong-token", "Authorization: non-token",
                             "Authorization: Basic ZTJlOmUyZS10b2tlbg=="}) {
    SCOPED_TRACE(header);
    Reply wrong = http().send({"GET", "/Users", {header}, std::nullopt});
    expect_scim_error(wrong, 401, "");
    EXPECT_FALSE(wrong.header("WWW-Authenticate").empty());
  }
  // Writes are refused as well, and store nothing.
  expect_scim_error(http().send({"POST", "/Users", {"Authorization: Bearer nope"}, user_body("intruder").dump()}), 401, "");
  EXPECT_EQ(list("/Users", "filter=userName%20eq%20%22intruder%22")["totalResults"], 0);
}

// ---- RFC 7644 §4 Service Provider Configuration Endpoints -----------------------------------

TEST_F(LoopbackTest, Rfc7644_4_ServiceProviderConfigSchemasAndResourceTypes) {
  json spc = get_json("/ServiceProviderConfig");
  EXPECT_EQ(spc["schemas"], json::array({"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"}));
  for (const char* feature : {"patch", "bulk", "filter", "changePassword", "sort", "etag"}) {
    SCOPED_TRACE(feature);
    ASSERT_TRUE(spc.contains(feature) && spc[feature].is_object());
    EXPECT_TRUE(spc[feature]["supported"].is_boolean());
  }
  EXPECT_EQ(spc["patch"]["supported"], true);
  EXPECT_EQ(spc["etag"]["supported"], true);
  EXPECT_EQ(spc["bulk"]["maxOperations"], server_->config().bulk_max_operations);
  EXPECT_EQ(spc["bulk"]["maxPayloadSize"], server_->config().bulk_max_payload);
  EXPECT_EQ(spc["filter"]["maxResults"], server_->config().max_results);
  ASSERT_TRUE(spc["authenticationSchemes"].is_array());
  ASSERT_FALSE(spc["authenticationSchemes"].empty());
  EXPECT_EQ(spc["authenticationSchemes"][0]["type"], "oauthbearertoken");

  json schemas = get_json("/Schemas");
  EXPECT_EQ(schemas["schemas"], json::array({list_urn}));
  std::set<std::string> schema_ids;
  for (const auto& schema : schemas["Resources"]) schema_ids.insert(schema.value("id", ""));
  for (const char* urn : {user_urn, group_urn, enterprise_urn}) EXPECT_TRUE(schema_ids.count(urn)) << urn;
  EXPECT_EQ(schemas["totalResults"], schemas["Resources"].size());

  json user_schema = get_json(std::string("/Schemas/") + user_urn);
  EXPECT_EQ(user_schema["id"], user_urn);
  bool has_user_name = false;
  for (const auto& attribute : user_schema["attributes"])
    if (attribute.value("name", "") == "userName") {
      has_user_name = true;
      EXPECT_EQ(attribute["required"], true);
      EXPECT_EQ(attribute["caseExact"], false);
      EXPECT_EQ(attribute["uniqueness"], "server");
    }
  EXPECT_TRUE(has_user_name);
  EXPECT_EQ(user_schema["meta"]["location"], base_url() + "/Schemas/" + user_urn);

  json types = get_json("/ResourceTypes");
  std::map<std::string, json> by_name;
  for (const auto& type : types["Resources"]) by_name[type.value("name", "")] = type;
  ASSERT_TRUE(by_name.count("User") && by_name.count("Group"));
  EXPECT_EQ(by_name["User"]["endpoint"], "/Users");
  EXPECT_EQ(by_name["User"]["schema"], user_urn);
  EXPECT_EQ(by_name["Group"]["endpoint"], "/Groups");
  json user_type = get_json("/ResourceTypes/User");
  EXPECT_EQ(user_type["endpoint"], "/Users");
  EXPECT_EQ(user_type["meta"]["location"], base_url() + "/ResourceTypes/User");

  // RFC 7644 §3.11: /Me without an authenticated subject is 501.
  expect_scim_error(http().get("/Me"), 501, "");
}

// ---- RFC 7644 §3.7 Bulk Operations ----------------------------------------------------------

// RFC 7644 §3.7.2: "bulkId:" references are replaced by the id of the resource created by the
// operation with that bulkId.
TEST_F(LoopbackTest, Rfc7644_3_7_BulkResolvesBulkIdReferences) {
  json request = {
      {"schemas", {bulk_urn}},
      {"Operations",
       {{{"method", "POST"},
         {"path", "/Groups"},
         {"bulkId", "g1"},
         {"data", {{"schemas", {group_urn}}, {"displayName", "Bulk Group"}, {"members", {{{"value", "bulkId:u1"}}}}}}},
        {{"method", "POST"}, {"path", "/Users"}, {"bulkId", "u1"}, {"data", user_body("bulk.user@example.com")}}}}};
  Reply reply = http().post("/Bulk", request);
  ASSERT_EQ(reply.status, 200) << reply.describe();
  EXPECT_EQ(reply.body["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:BulkResponse"}));
  ASSERT_EQ(reply.body["Operations"].size(), 2u) << reply.text;
  // Answered in request order, each with status as a string and the location of the resource.
  json group_op = reply.body["Operations"][0], user_op = reply.body["Operations"][1];
  EXPECT_EQ(group_op["bulkId"], "g1");
  EXPECT_EQ(group_op["status"], "201");
  EXPECT_EQ(user_op["bulkId"], "u1");
  EXPECT_EQ(user_op["status"], "201");
  std::string group_location = group_op.value("location", ""), user_location = user_op.value("location", "");
  ASSERT_EQ(group_location.rfind(base_url() + "/Groups/", 0), 0u) << group_location;
  ASSERT_EQ(user_location.rfind(base_url() + "/Users/", 0), 0u) << user_location;
  std::string gid = group_location.substr((base_url() + "/Groups/").size());
  std::string uid = user_location.substr((base_url() + "/Users/").size());

  json group = get_json("/Groups/" + gid);
  EXPECT_EQ(member_ids(group), std::vector<std::string>{uid});
  json user = get_json("/Users/" + uid);
  EXPECT_EQ(user["userName"], "bulk.user@example.com");
  EXPECT_EQ(group_ids_of_user(user), std::vector<std::string>{gid});
}

// ---- RFC 7644 §3.4.2.4 Pagination (Okta O17) ------------------------------------------------

TEST_F(LoopbackTest, Rfc7644_3_4_2_4_PagingTwentyFiveUsersByTen) {
  std::vector<std::string> created;
  for (int i = 0; i < 25; ++i) created.push_back(create_user("page.user." + std::to_string(i) + "@example.com").value("id", ""));

  std::vector<std::string> seen;
  const std::vector<std::pair<int, int>> pages = {{1, 10}, {11, 10}, {21, 5}};
  for (auto [start, expected_items] : pages) {
    SCOPED_TRACE("startIndex=" + std::to_string(start));
    std::string query = "startIndex=" + std::to_string(start) + "&count=10";
    json page = list("/Users", query);
    // O17: integers, not strings.
    ASSERT_TRUE(page["totalResults"].is_number_integer());
    ASSERT_TRUE(page["startIndex"].is_number_integer());
    ASSERT_TRUE(page["itemsPerPage"].is_number_integer());
    EXPECT_EQ(page["totalResults"], 25);
    EXPECT_EQ(page["startIndex"], start);
    EXPECT_EQ(page["itemsPerPage"], expected_items);
    std::vector<std::string> ids = ids_of(page);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(expected_items));
    // Stable: asking again gives the same page in the same order.
    EXPECT_EQ(ids_of(list("/Users", query)), ids);
    seen.insert(seen.end(), ids.begin(), ids.end());
  }
  // The pages tile the set: every user exactly once.
  EXPECT_EQ(sorted(seen), sorted(created));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
  // Past the end: an empty page with the same total.
  json beyond = list("/Users", "startIndex=26&count=10");
  EXPECT_EQ(beyond["totalResults"], 25);
  EXPECT_EQ(beyond["itemsPerPage"], 0);
  // count=0 answers the total only.
  json totals = list("/Users", "count=0");
  EXPECT_EQ(totals["totalResults"], 25);
  EXPECT_TRUE(ids_of(totals).empty());
}

// ---- Transport limits -----------------------------------------------------------------------

// RFC 7231 §6.5.11: a body larger than the server accepts is 413; the SCIM layer phrases it as a
// §3.12 error. Both with and without "Expect: 100-continue", and the server keeps serving.
TEST_F(LoopbackTest, BodyOverOneMebibyteIs413) {
  json big = user_body("big@example.com", {{"displayName", std::string(1024 * 1024 + 16, 'x')}});
  std::string text = big.dump();
  ASSERT_GT(text.size(), 1024u * 1024u);
  Reply with_expect = http().send({"POST", "/Users", {"Expect: 100-continue"}, text});
  expect_scim_error(with_expect, 413, "");
  Reply without_expect = http().send({"POST", "/Users", {"Expect:"}, text});
  expect_scim_error(without_expect, 413, "");
  EXPECT_EQ(list("/Users", "filter=userName%20eq%20%22big%40example.com%22")["totalResults"], 0);
  // Just under the limit still works.
  json fits = user_body("fits@example.com", {{"displayName", std::string(1024 * 1024 - 200, 'y')}});
  ASSERT_LE(fits.dump().size(), 1024u * 1024u);
  Reply ok = http().post("/Users", fits);
  EXPECT_EQ(ok.status, 201) << ok.describe();
}

// ---- Okta's user and group lifecycle (idp-quirks O1–O18) ------------------------------------

TEST_F(LoopbackTest, OktaUserAndGroupLifecycle) {
  const std::string login = "Test.User@okta.local";
  const std::string filter = "filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100";
  const std::vector<std::string> okta_headers = {"User-Agent: Okta SCIM Client 1.0.0", "Accept-Charset: utf-8",
                                                 "Content-Type: application/scim+json; charset=utf-8"};
  // O18: Test Connector Configuration.
  json probe = list("/Users", "startIndex=1&count=2");
  EXPECT_EQ(probe["totalResults"], 0);
  EXPECT_EQ(list("/Groups", "startIndex=1&count=100")["totalResults"], 0);
  // O1/O2: the existence check finds nothing.
  EXPECT_EQ(list("/Users", filter)["totalResults"], 0);

  // O4/O5: the create, with readOnly groups, a random password and the Okta id as externalId.
  json create = {{"schemas", {user_urn}},
                 {"userName", login},
                 {"name", {{"givenName", "Test"}, {"familyName", "User"}}},
                 {"emails", {{{"primary", true}, {"value", "test.user@okta.local"}, {"type", "work"}}}},
                 {"displayName", "Test User"},
                 {"locale", "en-US"},
                 {"externalId", "00u1b2c3d4e5f6g7h8i9"},
                 {"groups", json::array()},
                 {"password", "1mz050nq"},
                 {"active", true}};
  Reply created = http().send({"POST", "/Users", okta_headers, create.dump()});
  ASSERT_EQ(created.status, 201) << created.describe();
  std::string id = created.body.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(created.body["userName"], login);
  EXPECT_FALSE(created.body.contains("password"));  // RFC 7643 §4.1.1: returned "never"
  EXPECT_EQ(created.body["externalId"], "00u1b2c3d4e5f6g7h8i9");
  // O6: the same create again is 409 uniqueness.
  expect_scim_error(http().send({"POST", "/Users", okta_headers, create.dump()}), 409, "uniqueness");
  // O21: the case-check filter finds it, echoing userName as sent.
  json found = list("/Users", "filter=userName%20eq%20%22TEST.USER%40OKTA.LOCAL%22&startIndex=1&count=100");
  ASSERT_EQ(ids_of(found), std::vector<std::string>{id});
  EXPECT_EQ(found["Resources"][0]["userName"], login);
  // O3: externalId eq works too.
  EXPECT_EQ(ids_of(list("/Users", "filter=externalId%20eq%20%2200u1b2c3d4e5f6g7h8i9%22")), std::vector<std::string>{id});

  // O7/O8: profile update is GET then PUT of the whole representation.
  json current = get_json("/Users/" + id);
  current["name"]["familyName"] = "Userson";
  current["meta"]["created"] = "04-12-2018 00:00:00";
  current["groups"] = json::array();
  current["password"] = "gl^m&qWZ";
  Reply put = http().send({"PUT", "/Users/" + id, okta_headers, current.dump()});
  ASSERT_EQ(put.status, 200) << put.describe();
  EXPECT_EQ(put.body["name"]["familyName"], "Userson");
  EXPECT_FALSE(put.body.contains("password"));

  // O9: deactivation is a path-less replace; O12: never a DELETE; the user stays readable.
  Reply deactivated = http().send({"PATCH", "/Users/" + id, okta_headers,
                                   patch_body({{{"op", "replace"}, {"value", {{"active", false}}}}}).dump()});
  ASSERT_TRUE(deactivated.status == 200 || deactivated.status == 204) << deactivated.describe();
  EXPECT_EQ(get_json("/Users/" + id)["active"], json(false));
  EXPECT_EQ(ids_of(list("/Users", filter)), std::vector<std::string>{id});
  // O10: reactivation mirrors it.
  Reply reactivated = http().patch("/Users/" + id, patch_body({{{"op", "replace"}, {"value", {{"active", true}}}}}));
  ASSERT_TRUE(reactivated.status == 200 || reactivated.status == 204) << reactivated.describe();
  EXPECT_EQ(get_json("/Users/" + id)["active"], json(true));

  // Group push. O13: the POST already carries the member and the next PATCH adds it again.
  std::string second = create_user("second.user@okta.local").value("id", "");
  json group_post = {{"schemas", {group_urn}},
                     {"displayName", "Okta Pushed Group"},
                     {"members", {{{"value", id}, {"display", login}}}}};
  Reply group = http().send({"POST", "/Groups", okta_headers, group_post.dump()});
  ASSERT_EQ(group.status, 201) << group.describe();
  std::string gid = group.body.value("id", "");
  Reply readd = http().patch("/Groups/" + gid, patch_body({{{"op", "add"},
                                                            {"path", "members"},
                                                            {"value", {{{"value", id}, {"display", login}}}}}}));
  ASSERT_TRUE(readd.status == 200 || readd.status == 204) << readd.describe();
  EXPECT_EQ(member_ids(get_json("/Groups/" + gid)), std::vector<std::string>{id});
  // O3: groups are looked up by displayName.
  EXPECT_EQ(ids_of(list("/Groups", "filter=displayName%20eq%20%22Okta%20Pushed%20Group%22")),
            std::vector<std::string>{gid});
  // O14: a rename is a path-less replace echoing the readOnly id, sent after every push.
  Reply renamed = http().patch("/Groups/" + gid, patch_body({{{"op", "replace"},
                                                              {"value", {{"id", gid}, {"displayName", "Okta Group Renamed"}}}}}));
  ASSERT_TRUE(renamed.status == 200 || renamed.status == 204) << renamed.describe();
  EXPECT_EQ(get_json("/Groups/" + gid)["displayName"], "Okta Group Renamed");
  EXPECT_EQ(get_json("/Users/" + id)["groups"][0]["display"], "Okta Group Renamed");
  // O15: a delta, removes before adds, in one request.
  Reply delta = http().patch(
      "/Groups/" + gid,
      patch_body({{{"op", "remove"}, {"path", "members[value eq \"" + id + "\"]"}},
                  {{"op", "add"}, {"path", "members"}, {"value", {{{"value", second}, {"display", "second.user@okta.local"}}}}}}));
  ASSERT_TRUE(delta.status == 200 || delta.status == 204) << delta.describe();
  EXPECT_EQ(member_ids(get_json("/Groups/" + gid)), std::vector<std::string>{second});
  // O11: an AIW app PUTs the full member list; a shorter list removes members.
  json group_now = get_json("/Groups/" + gid);
  group_now["members"] = {{{"value", id}}, {{"value", second}}};
  ASSERT_EQ(http().put("/Groups/" + gid, group_now).status, 200);
  EXPECT_EQ(member_ids(get_json("/Groups/" + gid)), sorted({id, second}));
  group_now["members"] = {{{"value", id}}};
  ASSERT_EQ(http().put("/Groups/" + gid, group_now).status, 200);
  EXPECT_EQ(member_ids(get_json("/Groups/" + gid)), std::vector<std::string>{id});
  EXPECT_TRUE(group_ids_of_user(get_json("/Users/" + second)).empty());

  // O17: import pages through users and groups.
  json users = list("/Users", "startIndex=1&count=100");
  EXPECT_EQ(users["totalResults"], 2);
  EXPECT_EQ(sorted(ids_of(users)), sorted({id, second}));
  EXPECT_EQ(ids_of(list("/Groups", "startIndex=1&count=100")), std::vector<std::string>{gid});

  // O12: the only DELETE Okta sends is for a group.
  EXPECT_EQ(http().del("/Groups/" + gid).status, 204);
  expect_scim_error(http().get("/Groups/" + gid), 404, "");
  EXPECT_TRUE(group_ids_of_user(get_json("/Users/" + id)).empty());
}

// ---- Entra ID's provisioning cycle (idp-quirks E1–E18) --------------------------------------

TEST_F(LoopbackTest, EntraUserAndGroupLifecycle) {
  // E9: Test Connection filters on a random GUID and expects 200 with an empty list.
  json probe = list("/Users", "filter=" + url_encode("userName eq \"e5b4a1c0-7f0e-4d2b-8f1a-0c9e7d6b5a43\""));
  EXPECT_EQ(probe["totalResults"], 0);
  EXPECT_EQ(probe["schemas"], json::array({list_urn}));

  // E8: the match query on userName, then E18: the create with string boolean, nulls and roles.
  const std::string upn = "jyoung@testuser.com";
  EXPECT_EQ(list("/Users", "filter=" + url_encode("userName eq \"" + upn + "\""))["totalResults"], 0);
  json create = {{"schemas", {user_urn, enterprise_urn}},
                 {"externalId", "jyoung"},
                 {"userName", upn},
                 {"active", "True"},
                 {"emails", {{{"primary", true}, {"type", "work"}, {"value", "jyoung@Contoso.com"}}}},
                 {"meta", {{"resourceType", "User"}}},
                 {"name", {{"formatted", "Jason Young"}, {"familyName", "Young"}, {"givenName", "Jason"}}},
                 {"roles", json::array()},
                 {"addresses", nullptr},
                 {"title", nullptr},
                 {enterprise_urn, {{"manager", nullptr}, {"department", nullptr}}}};
  Reply created = http().post("/Users", create);
  ASSERT_EQ(created.status, 201) << created.describe();
  std::string id = created.body.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(created.body["active"], json(true));  // E2: answered as a boolean
  EXPECT_FALSE(created.body.contains("title"));   // E18: null is absent
  EXPECT_FALSE(created.body.contains("addresses"));
  EXPECT_EQ(created.body["emails"][0]["value"], "jyoung@Contoso.com");  // E23: stored as sent
  // E8/E25: matching by externalId and by userName in another case.
  EXPECT_EQ(ids_of(list("/Users", "filter=" + url_encode("externalId eq \"jyoung\""))), std::vector<std::string>{id});
  EXPECT_EQ(ids_of(list("/Users", "filter=" + url_encode("userName eq \"JYoung@TestUser.com\""))),
            std::vector<std::string>{id});
  // E8: a work-email match query (RFC 7644 §3.4.2.2 value-filter form; emails.value is
  // caseExact=false, RFC 7643 §4.1.2).
  EXPECT_EQ(ids_of(list("/Users", "filter=" + url_encode("emails[type eq \"work\" and value eq \"jyoung@contoso.com\"]"))),
            std::vector<std::string>{id});

  // A manager to link (E15) and a second member.
  std::string manager = create_user("manager@testuser.com").value("id", "");

  // E1/E11/E12/E14/E15: attribute updates as Entra phrases them.
  Reply updates = http().patch(
      "/Users/" + id,
      patch_body({{{"op", "Replace"}, {"path", "emails[type eq \"work\"].value"}, {"value", "jason.young@contoso.com"}},
                  {{"op", "Replace"}, {"path", "addresses[type eq \"work\"].locality"}, {"value", "Redmond"}},
                  {{"op", "Replace"}, {"path", "addresses[type eq \"work\"].region"}, {"value", "WA"}},
                  {{"op", "Add"}, {"path", "nickName"}, {"value", "Jay"}},
                  {{"op", "Add"}, {"path", std::string(enterprise_urn) + ":department"}, {"value", "Finance"}},
                  {{"op", "Add"}, {"path", std::string(enterprise_urn) + ":manager"}, {"value", manager}}}));
  ASSERT_TRUE(updates.status == 200 || updates.status == 204) << updates.describe();
  json user = get_json("/Users/" + id);
  ASSERT_EQ(user["emails"].size(), 1u) << user.dump();
  EXPECT_EQ(user["emails"][0]["value"], "jason.young@contoso.com");
  EXPECT_EQ(user["emails"][0]["primary"], true);
  ASSERT_EQ(user["addresses"].size(), 1u) << user.dump();  // E11: merged into ONE element
  EXPECT_EQ(user["addresses"][0]["type"], "work");
  EXPECT_EQ(user["addresses"][0]["locality"], "Redmond");
  EXPECT_EQ(user["addresses"][0]["region"], "WA");
  EXPECT_EQ(user["nickName"], "Jay");
  EXPECT_EQ(user[enterprise_urn]["department"], "Finance");
  EXPECT_EQ(user[enterprise_urn]["manager"]["value"], manager);

  // E13: a path-less replace keyed by attribute paths.
  Reply dotted = http().patch("/Users/" + id, patch_body({{{"op", "replace"},
                                                           {"value",
                                                            {{"displayName", "Jason Young"},
                                                             {"name.givenName", "Jay"},
                                                             {std::string(enterprise_urn) + ":employeeNumber", "701984"}}}}}));
  ASSERT_TRUE(dotted.status == 200 || dotted.status == 204) << dotted.describe();
  user = get_json("/Users/" + id);
  EXPECT_EQ(user["name"]["givenName"], "Jay");
  EXPECT_EQ(user["name"]["familyName"], "Young");
  EXPECT_EQ(user[enterprise_urn]["employeeNumber"], "701984");
  EXPECT_FALSE(user.contains("name.givenName"));

  // E6: groups are created empty with Microsoft's schema URN and an externalId.
  json group_post = {{"schemas", {group_urn, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"}},
                     {"externalId", "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"},
                     {"displayName", "Entra Finance"},
                     {"meta", {{"resourceType", "Group"}}}};
  Reply group = http().post("/Groups", group_post);
  ASSERT_EQ(group.status, 201) << group.describe();
  std::string gid = group.body.value("id", "");
  // E7: every group lookup excludes members.
  json by_name = list("/Groups", "excludedAttributes=members&filter=" + url_encode("displayName eq \"entra finance\""));
  ASSERT_EQ(ids_of(by_name), std::vector<std::string>{gid});
  // E4: members added with a null $ref, several in one op.
  Reply added = http().patch("/Groups/" + gid, patch_body({{{"op", "Add"},
                                                            {"path", "members"},
                                                            {"value", {{{"$ref", nullptr}, {"value", id}},
                                                                       {{"$ref", nullptr}, {"value", manager}}}}}}));
  ASSERT_TRUE(added.status == 200 || added.status == 204) << added.describe();
  Reply without_members = http().get("/Groups/" + gid + "?excludedAttributes=members");
  ASSERT_EQ(without_members.status, 200);
  EXPECT_FALSE(without_members.body.contains("members")) << without_members.text;
  EXPECT_EQ(without_members.body["displayName"], "Entra Finance");
  EXPECT_EQ(member_ids(get_json("/Groups/" + gid)), sorted({id, manager}));
  // E3: a member removed with the id in value.
  Reply removed = http().patch("/Groups/" + gid, patch_body({{{"op", "Remove"},
                                                              {"path", "members"},
                                                              {"value", {{{"$ref", nullptr}, {"value", manager}}}}}}));
  ASSERT_TRUE(removed.status == 200 || removed.status == 204) << removed.describe();
  EXPECT_EQ(member_ids(get_json("/Groups/" + gid)), std::vector<std::string>{id});

  // E16: a UPN change renames userName and externalId; the id stays.
  Reply renamed = http().patch("/Users/" + id, patch_body({{{"op", "Replace"}, {"path", "userName"}, {"value", "jason.young@testuser.com"}},
                                                           {{"op", "Replace"}, {"path", "externalId"}, {"value", "jason.young"}}}));
  ASSERT_TRUE(renamed.status == 200 || renamed.status == 204) << renamed.describe();
  EXPECT_EQ(ids_of(list("/Users", "filter=" + url_encode("userName eq \"jason.young@testuser.com\""))),
            std::vector<std::string>{id});
  EXPECT_EQ(list("/Users", "filter=" + url_encode("userName eq \"" + upn + "\""))["totalResults"], 0);

  // E2/E17: disable with the string "False"; the user is still returned by GET and filters.
  Reply disabled = http().patch("/Users/" + id, patch_body({{{"op", "Replace"}, {"path", "active"}, {"value", "False"}}}));
  ASSERT_TRUE(disabled.status == 200 || disabled.status == 204) << disabled.describe();
  EXPECT_EQ(get_json("/Users/" + id)["active"], json(false));
  EXPECT_EQ(ids_of(list("/Users", "filter=" + url_encode("externalId eq \"jason.young\""))), std::vector<std::string>{id});
  // E17: the hard delete, 204.
  EXPECT_EQ(http().del("/Users/" + id).status, 204);
  expect_scim_error(http().get("/Users/" + id), 404, "");
  EXPECT_EQ(member_ids(get_json("/Groups/" + gid)), std::vector<std::string>{});
}

// ---- Durability across a restart ------------------------------------------------------------

// The SQLite file is the source of truth: a stopped server's data comes back with a new store
// on the same file, and a new server answers with the same representation.
TEST_F(LoopbackTest, DataSurvivesAStopAndANewStoreOnTheSameFile) {
  json user = create_user("persistent@example.com", {{"title", "Keeper"}});
  std::string id = user.value("id", "");
  json group = create_group("Persistent Group", {id});
  std::string gid = group.value("id", "");
  json user_with_groups = get_json("/Users/" + id);
  client_.reset();
  server_->stop();

  {
    std::unique_ptr<ResourceStore> store = ResourceStore::open(data_path_);
    ResourcePtr stored = store->find(ResourceKind::user, id);
    ASSERT_NE(stored, nullptr);
    EXPECT_EQ(json::parse(stored->json)["userName"], "persistent@example.com");
    EXPECT_EQ(store->count(ResourceKind::user), 1u);
    EXPECT_EQ(store->count(ResourceKind::group), 1u);
  }

  start_server();  // a new server on the same file; the port may differ
  json again = get_json("/Users/" + id);
  // meta.location carries the base URL, which moves with the port; everything else is equal.
  json expected = user_with_groups;
  expected["meta"].erase("location");
  again["meta"].erase("location");
  for (auto& g : expected["groups"]) g.erase("$ref");
  for (auto& g : again["groups"]) g.erase("$ref");
  EXPECT_EQ(again, expected);
  EXPECT_EQ(member_ids(get_json("/Groups/" + gid)), std::vector<std::string>{id});
  EXPECT_EQ(list("/Users", "filter=userName%20eq%20%22PERSISTENT%40example.com%22")["totalResults"], 1);
}

}  // namespace
}  // namespace refserver::e2e
