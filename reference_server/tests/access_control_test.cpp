// The access model as the server and the admin tools use it: both credential forms, refusals
// that say why, and an audit trail of every access change that never holds a secret.
#include "access_test_fixture.hpp"

#include "reference_server/access/access_control.hpp"
#include "reference_server/store/resource_store.hpp"

#include "basic_auth.hpp"

#include <mutex>

using namespace refserver::access;

namespace {

class Control : public AccessFileTest {
 protected:
  AccessControl make(std::vector<std::string> static_tokens = {}) {
    return AccessControl(
        [this](const std::function<void(refserver::sqlite::Database&)>& f) {
          std::lock_guard lock(mutex_);
          f(*db_);
        },
        std::move(static_tokens), [this] { return now_; });
  }
  std::string everything_logged(AccessControl& access) {
    std::string text;
    for (const AuditEntry& entry : access.audit(0)) text += to_json(entry).dump() + "\n";
    return text;
  }

  std::mutex mutex_;
  std::int64_t now_ = 1'800'000'000;
};

}  // namespace

TEST_F(Control, OktaBasicAndEntraBearerBothAuthenticateTheSameToken) {
  AccessControl access = make();
  IssuedToken token = access.create_token("admin", kDefaultTokenLifetime, "idp");
  AuthResult okta = access.authenticate(basic_authorization(token.info.key, token.secret));
  EXPECT_TRUE(okta.accepted) << okta.detail;
  EXPECT_EQ(okta.actor, token.info.key);
  AuthResult entra = access.authenticate("Bearer " + token.info.key + ":" + token.secret);
  EXPECT_TRUE(entra.accepted) << entra.detail;
  EXPECT_FALSE(access.authenticate("Bearer " + token.info.key + ":wrong").accepted);
}

TEST_F(Control, RotationWithoutDowntimeThenTheOldTokenIsRefused) {
  AccessControl access = make();
  IssuedToken old_token = access.create_token("admin", kDefaultTokenLifetime, "old");
  IssuedToken new_token = access.create_token("admin", kDefaultTokenLifetime, "new");
  EXPECT_TRUE(access.authenticate(basic_authorization(old_token.info.key, old_token.secret)).accepted);
  EXPECT_TRUE(access.authenticate(basic_authorization(new_token.info.key, new_token.secret)).accepted);
  access.revoke_token("admin", old_token.info.key);
  AuthResult refused = access.authenticate(basic_authorization(old_token.info.key, old_token.secret));
  EXPECT_FALSE(refused.accepted);
  EXPECT_NE(refused.detail.find("revoked"), std::string::npos) << refused.detail;
  EXPECT_TRUE(access.authenticate(basic_authorization(new_token.info.key, new_token.secret)).accepted);
}

TEST_F(Control, ExpiryIsJudgedAtEachRequest) {
  AccessControl access = make();
  IssuedToken token = access.create_token("admin", 3600, "");
  EXPECT_TRUE(access.authenticate("Bearer " + token.info.key + ":" + token.secret).accepted);
  now_ += 3600;
  AuthResult refused = access.authenticate("Bearer " + token.info.key + ":" + token.secret);
  EXPECT_FALSE(refused.accepted);
  EXPECT_NE(refused.detail.find("expired"), std::string::npos) << refused.detail;
}

TEST_F(Control, ADoubledBearerPrefixIsRefusedWithTheCommonMistakeNamed) {
  AccessControl access = make();
  IssuedToken token = access.create_token("admin", kDefaultTokenLifetime, "");
  AuthResult refused = access.authenticate("Bearer Bearer " + token.info.key + ":" + token.secret);
  EXPECT_FALSE(refused.accepted);
  EXPECT_NE(refused.detail.find("second \"Bearer \""), std::string::npos) << refused.detail;
}

TEST_F(Control, StaticTokensFromTheCommandLineStillWork) {
  AccessControl access = make({"plain-token"});
  EXPECT_TRUE(access.has_credentials());
  EXPECT_TRUE(access.authenticate("Bearer plain-token").accepted);
  EXPECT_FALSE(access.authenticate("Bearer plain-tokenX").accepted);
  EXPECT_FALSE(make().has_credentials());
}

TEST_F(Control, RefusalsAndAccessChangesAreAuditedWithoutSecrets) {
  AccessControl access = make();
  IssuedToken token = access.create_token("admin", kDefaultTokenLifetime, "okta");
  access.authenticate("Bearer " + token.info.key + ":not-the-secret");
  access.create_role("admin", "Admins", "ClickHouse-Admins", "Admin");
  access.ensure_role_for_group(token.info.key, "Data-Engineers");
  access.revoke_token("admin", token.info.key);
  std::vector<std::string> actions;
  for (const AuditEntry& entry : access.audit(0)) actions.push_back(entry.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"token.create", "auth.refused", "role.create", "role.create", "token.revoke"}));
  std::string log = everything_logged(access);
  EXPECT_EQ(log.find(token.secret), std::string::npos) << log;
  EXPECT_EQ(log.find("not-the-secret"), std::string::npos) << log;
}

TEST_F(Control, AThirdTokenIsRefusedAndNothingIsAudited) {
  AccessControl access = make();
  access.create_token("admin", kDefaultTokenLifetime, "");
  access.create_token("admin", kDefaultTokenLifetime, "");
  EXPECT_THROW(access.create_token("admin", kDefaultTokenLifetime, ""), AccessRefused);
  EXPECT_EQ(access.tokens().size(), 2u);
  EXPECT_EQ(access.audit(0).size(), 2u);
}

// The access tables live in the resource store's own file, reached through its connection
// (which holds the file's lock): a token issued there is there after a restart.
TEST(AccessInTheStoreFile, TokensAndAuditSurviveReopeningTheStore) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("scimulator-access-store-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "data.db").string();
  auto runner = [](refserver::ResourceStore& store) {
    return [&store](const std::function<void(refserver::sqlite::Database&)>& f) { store.with_database(f); };
  };
  IssuedToken issued;
  {
    auto store = refserver::ResourceStore::open(path);
    AccessControl access(runner(*store));
    issued = access.create_token("admin", kDefaultTokenLifetime, "okta");
  }
  {
    auto store = refserver::ResourceStore::open(path);
    AccessControl access(runner(*store));
    EXPECT_TRUE(access.authenticate("Bearer " + issued.info.key + ":" + issued.secret).accepted);
    ASSERT_EQ(access.audit(0).size(), 1u);
    EXPECT_EQ(access.audit(0)[0].action, "token.create");
  }
  std::filesystem::remove_all(dir);
}
