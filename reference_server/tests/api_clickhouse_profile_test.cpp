// The clickhouse profile over real sockets: the modelled service's documented rules for users
// (lowercase, userName = sign-in email), group→role mapping with its five-step test plan,
// deactivation without deletion, and an audit trail of every SCIM write.
#include "api_test_server.hpp"

using namespace refserver;
using namespace refserver::e2e;

namespace {

constexpr const char* kAdminToken = "admin-credential-for-tests";

class ClickHouseProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServiceConfig config;
    config.profile = "clickhouse";
    config.admin_token = kAdminToken;
    server_ = std::make_unique<LoopbackServer>(dir_.file("data.db"), config);
    server_->start();
    client_ = server_->client();
  }
  Reply admin(const std::string& method, const std::string& path, std::optional<nlohmann::json> body = std::nullopt) {
    HttpClient::Request request;
    request.method = method;
    request.target = std::string("/admin") + path;
    request.absolute_target = true;
    request.authorize = false;
    request.headers = {std::string("Authorization: Bearer ") + kAdminToken, "Content-Type: application/json"};
    if (body) request.body = body->dump();
    return client_->send(request);
  }
  static nlohmann::json user(const std::string& user_name, const std::string& email) {
    return {{"schemas", {user_urn}},
            {"userName", user_name},
            {"name", {{"givenName", "Ada"}, {"familyName", "Lovelace"}}},
            {"emails", {{{"value", email}, {"type", "work"}, {"primary", true}}}},
            {"password", "Secret-Passw0rd!"},
            {"active", true}};
  }
  std::string create_user(const std::string& email) {
    Reply created = client_->post("/Users", user(email, email));
    EXPECT_EQ(created.status, 201) << created.text;
    return created.body.value("id", "");
  }
  std::string create_group(const std::string& name, const std::vector<std::string>& members) {
    nlohmann::json body = {{"schemas", {group_urn}}, {"displayName", name}, {"members", nlohmann::json::array()}};
    for (const auto& id : members) body["members"].push_back({{"value", id}});
    Reply created = client_->post("/Groups", body);
    EXPECT_EQ(created.status, 201) << created.text;
    return created.body.value("id", "");
  }
  std::vector<std::string> roles_of(const std::string& id) {
    Reply read = client_->get("/Users/" + id);
    EXPECT_EQ(read.status, 200) << read.text;
    std::vector<std::string> names;
    for (const auto& role : read.body.value("roles", nlohmann::json::array())) names.push_back(role["value"]);
    return names;
  }
  Reply patch(const std::string& path, nlohmann::json operations) {
    return client_->patch(path, {{"schemas", {patch_urn}}, {"Operations", std::move(operations)}});
  }

  TempDir dir_;
  std::unique_ptr<LoopbackServer> server_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace

TEST_F(ClickHouseProfileTest, UserNameAndEmailsAreStoredLowercaseSoCasingCannotDuplicate) {
  Reply created = client_->post("/Users", user("Ada.Lovelace@Example.COM", "Ada.Lovelace@Example.COM"));
  ASSERT_EQ(created.status, 201) << created.text;
  EXPECT_EQ(created.body["userName"], "ada.lovelace@example.com");
  EXPECT_EQ(created.body["emails"][0]["value"], "ada.lovelace@example.com");
  Reply again = client_->post("/Users", user("ada.lovelace@example.com", "ada.lovelace@example.com"));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["scimType"], "uniqueness");
}

TEST_F(ClickHouseProfileTest, AUserNameThatIsNotTheSignInEmailIsRefusedNamingBoth) {
  Reply refused = client_->post("/Users", user("ada", "ada.lovelace@example.com"));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body["scimType"], "invalidValue");
  std::string detail = refused.body["detail"];
  EXPECT_NE(detail.find("\"ada\""), std::string::npos) << detail;
  EXPECT_NE(detail.find("ada.lovelace@example.com"), std::string::npos) << detail;
  // Entra maps the work email, Okta marks the primary one; a work email without primary counts.
  nlohmann::json entra = user("grace@example.com", "grace@example.com");
  entra["emails"] = {{{"value", "hopper@example.com"}, {"type", "work"}}};
  EXPECT_EQ(client_->post("/Users", entra).status, 400);
}

TEST_F(ClickHouseProfileTest, TheDocumentedTestPlan) {
  ASSERT_EQ(admin("POST", "/roles", nlohmann::json{{"name", "ClickHouse-Admins"}, {"grants", "Admin"}}).status, 201);
  ASSERT_EQ(admin("POST", "/roles", nlohmann::json{{"name", "Readers"}, {"scim_group", "ClickHouse-Read-only"}, {"grants", "Read-only"}}).status, 201);
  std::string id = create_user("ada@example.com");
  EXPECT_EQ(roles_of(id), (std::vector<std::string>{"Default"})) << "in no mapped group yet";

  // 1. added to ClickHouse-Admins → role Admin
  std::string admins = create_group("ClickHouse-Admins", {id});
  std::string readers = create_group("ClickHouse-Read-only", {});
  EXPECT_EQ(roles_of(id), (std::vector<std::string>{"ClickHouse-Admins", "Admin"}));
  // 3. first name changed
  ASSERT_EQ(patch("/Users/" + id, {{{"op", "replace"}, {"path", "name.givenName"}, {"value", "Augusta"}}}).status, 200);
  EXPECT_EQ(client_->get("/Users/" + id).body["name"]["givenName"], "Augusta");
  // 4. moved to ClickHouse-Read-only → role Read-only
  ASSERT_EQ(patch("/Groups/" + admins, {{{"op", "remove"}, {"path", "members[value eq \"" + id + "\"]"}}}).status, 200);
  ASSERT_EQ(patch("/Groups/" + readers, {{{"op", "add"}, {"path", "members"}, {"value", {{{"value", id}}}}}}).status, 200);
  EXPECT_EQ(roles_of(id), (std::vector<std::string>{"Readers", "Read-only"}));
  // 5. deactivated → no access, but still readable so the IdP can reactivate
  ASSERT_EQ(patch("/Users/" + id, {{{"op", "replace"}, {"value", {{"active", false}}}}}).status, 200);
  EXPECT_TRUE(roles_of(id).empty());
  ASSERT_EQ(patch("/Users/" + id, {{{"op", "replace"}, {"path", "active"}, {"value", true}}}).status, 200);
  EXPECT_EQ(roles_of(id), (std::vector<std::string>{"Readers", "Read-only"}));
}

TEST_F(ClickHouseProfileTest, AGroupMatchingNoRoleCreatesOneAndSystemNamesAreNotRecognised) {
  create_group("Data-Engineers", {});
  Reply roles = admin("GET", "/roles");
  bool found = false;
  for (const auto& role : roles.body["roles"])
    if (role["name"] == "Data-Engineers") found = role["created_by"] == "scim" && role["system"] == false;
  EXPECT_TRUE(found) << roles.text;
  Reply refused = client_->post("/Groups", {{"schemas", {group_urn}}, {"displayName", "Admin"}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body["scimType"], "invalidValue");
  EXPECT_NE(refused.body["detail"].get<std::string>().find("displayName not recognised"), std::string::npos);
  EXPECT_EQ(client_->get("/Groups?filter=displayName%20eq%20%22Admin%22").body["totalResults"], 0);
}

TEST_F(ClickHouseProfileTest, RenamingAGroupReMapsItsMembers) {
  ASSERT_EQ(admin("POST", "/roles", nlohmann::json{{"name", "Ops"}, {"grants", "Developer"}}).status, 201);
  std::string id = create_user("ada@example.com");
  std::string group = create_group("Team-A", {id});
  EXPECT_EQ(roles_of(id), (std::vector<std::string>{"Team-A"})) << "an auto-created role grants nothing yet";
  ASSERT_EQ(patch("/Groups/" + group, {{{"op", "replace"}, {"value", {{"displayName", "Ops"}}}}}).status, 200);
  EXPECT_EQ(roles_of(id), (std::vector<std::string>{"Ops", "Developer"}));
}

TEST_F(ClickHouseProfileTest, RolesSentByAClientAreIgnored) {
  nlohmann::json body = user("ada@example.com", "ada@example.com");
  body["roles"] = {{{"value", "Admin"}}};
  Reply created = client_->post("/Users", body);
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(roles_of(created.body["id"]), (std::vector<std::string>{"Default"}));
}

TEST_F(ClickHouseProfileTest, EveryWriteIsAuditedWithItsActorAndNoSecret) {
  std::string id = create_user("ada@example.com");
  ASSERT_EQ(patch("/Users/" + id, {{{"op", "replace"}, {"path", "active"}, {"value", false}}}).status, 200);
  ASSERT_EQ(patch("/Users/" + id, {{{"op", "replace"}, {"path", "password"}, {"value", "N3w-Secret!"}}}).status, 200);
  ASSERT_EQ(client_->del("/Users/" + id).status, 204);
  Reply audit = admin("GET", "/audit");
  ASSERT_EQ(audit.status, 200);
  std::vector<std::string> actions;
  for (const auto& entry : audit.body["entries"]) {
    actions.push_back(entry["action"]);
    EXPECT_EQ(entry["actor"], "static-token");
    EXPECT_EQ(entry["resource"], "Users/" + id);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"user.create", "user.deactivate", "user.modify", "user.delete"}));
  EXPECT_EQ(audit.text.find("Secret-Passw0rd!"), std::string::npos);
  EXPECT_EQ(audit.text.find("N3w-Secret!"), std::string::npos);
}

TEST_F(ClickHouseProfileTest, SchemasDeclareRolesReadOnly) {
  Reply schema = client_->get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
  ASSERT_EQ(schema.status, 200);
  bool found = false;
  for (const auto& attribute : schema.body["attributes"])
    if (attribute["name"] == "roles") {
      found = true;
      EXPECT_EQ(attribute["mutability"], "readOnly");
    }
  EXPECT_TRUE(found);
}
