// The audit log: durable, ordered, filtered by time, and free of secrets.
#include "access_test_fixture.hpp"

#include "reference_server/access/audit_log.hpp"

using namespace refserver::access;

using Audit = AccessFileTest;

TEST_F(Audit, EntriesSurviveReopenInOrderAndFilterByTime) {
  AuditLog log(*db_);
  log.record({0, 100, "scim_a", "user.create", "Users/1", {{"userName", "a@example.com"}}});
  log.record({0, 200, "scim_a", "user.patch", "Users/1", {{"changed", {"name.givenName"}}}});
  log.record({0, 300, "anonymous", "auth.refused", "", {{"reason", "wrong secret"}}});
  reopen();
  std::vector<AuditEntry> all = AuditLog(*db_).since(0);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_LT(all[0].seq, all[1].seq);
  EXPECT_EQ(all[1].detail["changed"][0], "name.givenName");
  std::vector<AuditEntry> late = AuditLog(*db_).since(200);
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(late[0].action, "user.patch");
  EXPECT_EQ(AuditLog(*db_).since(0, 1).size(), 1u);
}

TEST_F(Audit, SecretsAreRemovedFromTheDetail) {
  AuditLog log(*db_);
  AuditEntry entry = log.record(
      {0, 1, "scim_a", "user.create", "Users/1",
       {{"body", {{"userName", "a"}, {"password", "hunter2"}}},
        {"Operations", {{{"op", "replace"}, {"path", "password"}, {"value", "hunter3"}}}},
        {"token_key", "scim_a"},
        {"secret", "abc"}}});
  std::string stored = AuditLog(*db_).since(0)[0].detail.dump();
  for (const char* secret : {"hunter2", "hunter3", "\"abc\""})
    EXPECT_EQ(stored.find(secret), std::string::npos) << secret << " in " << stored;
  EXPECT_NE(stored.find("scim_a"), std::string::npos) << "a token's public key stays";
  EXPECT_EQ(entry.detail.dump(), stored);
}
