// The admin endpoint over real sockets: token rotation without downtime as an operator (or the
// simulator) performs it on a running server, both IdP credential forms, refusals that say
// what to do, and an audit log that never holds a secret.
#include "api_test_server.hpp"

#include "basic_auth.hpp"

using namespace refserver;
using namespace refserver::e2e;

namespace {

constexpr const char* kAdminToken = "admin-credential-for-tests";


class AdminEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServiceConfig config;
    config.admin_token = kAdminToken;
    server_ = std::make_unique<LoopbackServer>(dir_.file("data.db"), config);
    server_->start();
    client_ = server_->client();
  }
  Reply admin(const std::string& method, const std::string& path, std::optional<nlohmann::json> body = std::nullopt,
              std::string credential = kAdminToken) {
    HttpClient::Request request;
    request.method = method;
    request.target = std::string("/admin") + path;
    request.absolute_target = true;
    request.authorize = false;
    request.headers = {"Authorization: Bearer " + credential, "Content-Type: application/json"};
    if (body) request.body = body->dump();
    return client_->send(request);
  }
  Reply users_with(const std::string& authorization) {
    HttpClient::Request request;
    request.target = "/Users?count=1";
    request.authorize = false;
    request.headers = {authorization};
    return client_->send(request);
  }

  TempDir dir_;
  std::unique_ptr<LoopbackServer> server_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace

TEST_F(AdminEndpointTest, RefusesAWrongAdminCredentialWithAScimError) {
  Reply reply = admin("GET", "/tokens", std::nullopt, "not-it");
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.body["status"], "401");
  Reply scim_token_is_not_admin = admin("GET", "/tokens", std::nullopt, token);
  EXPECT_EQ(scim_token_is_not_admin.status, 401);
}

TEST_F(AdminEndpointTest, RotationWithoutDowntimeOverTheWire) {
  Reply first = admin("POST", "/tokens", nlohmann::json{{"label", "okta"}});
  ASSERT_EQ(first.status, 201) << first.text;
  std::string key1 = first.body["key"], secret1 = first.body["secret"];
  EXPECT_EQ(key1.rfind("scim_", 0), 0u);
  EXPECT_EQ(users_with("Authorization: " + basic_authorization(key1, secret1)).status, 200) << "Okta's Basic form";
  EXPECT_EQ(users_with("Authorization: Bearer " + key1 + ":" + secret1).status, 200) << "Entra's Bearer key:secret form";

  Reply second = admin("POST", "/tokens", nlohmann::json{{"label", "okta-2027"}});
  ASSERT_EQ(second.status, 201) << second.text;
  std::string key2 = second.body["key"], secret2 = second.body["secret"];
  Reply third = admin("POST", "/tokens", nlohmann::json::object());
  EXPECT_EQ(third.status, 409);
  EXPECT_NE(third.body["detail"].get<std::string>().find("revoke one first"), std::string::npos) << third.text;

  // Both work during the switch; after revocation the old one is refused on the next request.
  EXPECT_EQ(users_with("Authorization: " + basic_authorization(key1, secret1)).status, 200);
  EXPECT_EQ(users_with("Authorization: " + basic_authorization(key2, secret2)).status, 200);
  ASSERT_EQ(admin("DELETE", "/tokens/" + key1).status, 200);
  Reply old = users_with("Authorization: " + basic_authorization(key1, secret1));
  EXPECT_EQ(old.status, 401);
  EXPECT_EQ(old.body["schemas"][0], error_urn);
  EXPECT_NE(old.body["detail"].get<std::string>().find("revoked"), std::string::npos) << old.text;
  EXPECT_EQ(users_with("Authorization: " + basic_authorization(key2, secret2)).status, 200);

  Reply listed = admin("GET", "/tokens");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body["tokens"].size(), 2u);
  for (const auto& token_info : listed.body["tokens"]) EXPECT_FALSE(token_info.contains("secret"));

  Reply audit = admin("GET", "/audit");
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.text.find(secret1), std::string::npos) << "a secret reached the audit log";
  EXPECT_EQ(audit.text.find(secret2), std::string::npos) << "a secret reached the audit log";
  std::vector<std::string> actions;
  for (const auto& entry : audit.body["entries"]) actions.push_back(entry["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"token.create", "token.create", "token.revoke", "auth.refused"}));
}

TEST_F(AdminEndpointTest, ADoubledBearerPrefixGets401NamingTheMistake) {
  Reply issued = admin("POST", "/tokens", nlohmann::json::object());
  ASSERT_EQ(issued.status, 201);
  std::string value = issued.body["key"].get<std::string>() + ":" + issued.body["secret"].get<std::string>();
  Reply refused = users_with("Authorization: Bearer Bearer " + value);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.body["detail"].get<std::string>().find("second \"Bearer \""), std::string::npos) << refused.text;
  EXPECT_EQ(refused.text.find(issued.body["secret"].get<std::string>()), std::string::npos);
}

TEST_F(AdminEndpointTest, TokensSurviveARestartOnTheSameFile) {
  Reply issued = admin("POST", "/tokens", nlohmann::json::object());
  ASSERT_EQ(issued.status, 201);
  std::string key = issued.body["key"], secret = issued.body["secret"];
  server_->stop();
  server_->start();
  client_ = server_->client();
  EXPECT_EQ(users_with("Authorization: " + basic_authorization(key, secret)).status, 200);
}

TEST_F(AdminEndpointTest, RolesAreAdministeredAndSystemRolesCannotBeMapped) {
  Reply created = admin("POST", "/roles", nlohmann::json{{"name", "Admins"}, {"scim_group", "ClickHouse-Admins"}, {"grants", "Admin"}});
  ASSERT_EQ(created.status, 201) << created.text;
  EXPECT_EQ(created.body["scim_group"], "ClickHouse-Admins");
  Reply system = admin("PATCH", "/roles/Admin", nlohmann::json{{"scim_group", "Ops"}});
  EXPECT_EQ(system.status, 409);
  EXPECT_NE(system.body["detail"].get<std::string>().find("predefined system role"), std::string::npos);
  Reply listed = admin("GET", "/roles");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body["roles"].size(), 5u);
  EXPECT_EQ(admin("DELETE", "/roles/Admins").status, 204);
  EXPECT_EQ(admin("DELETE", "/roles/Admins").status, 404);
}

TEST_F(AdminEndpointTest, TheEndpointIsOffWithoutAnAdminCredential) {
  server_->stop();
  server_ = std::make_unique<LoopbackServer>(dir_.file("other.db"));
  server_->start();
  client_ = server_->client();
  Reply reply = admin("GET", "/tokens");
  EXPECT_EQ(reply.status, 404);
  EXPECT_NE(reply.body["detail"].get<std::string>().find("--admin-token"), std::string::npos);
}
