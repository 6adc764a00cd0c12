// RFC 7644 §3.14 versioning: weak ETags, If-Match and If-None-Match.
#include "reference_server/tests/api_service_fixture.hpp"

namespace refserver::testing {
namespace {

class Rfc7644_3_14_Versioning : public ServiceTest {};

TEST_F(Rfc7644_3_14_Versioning, EveryResourceCarriesAWeakETagMatchingMetaVersion) {
  Reply created = call("POST", "/Users", nlohmann::json{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                                                        {"userName", "etag"}});
  ASSERT_EQ(created.status, 201);
  std::string etag = created.header("ETag");
  EXPECT_EQ(etag.rfind("W/\"", 0), 0u) << etag;
  EXPECT_EQ(etag, created.body["meta"]["version"]);
  Reply read = call("GET", "/Users/" + created.body["id"].get<std::string>());
  EXPECT_EQ(read.header("ETag"), etag);
}

TEST_F(Rfc7644_3_14_Versioning, EveryWriteChangesTheVersion) {
  std::string id = create_user("v");
  std::string v1 = call("GET", "/Users/" + id).header("ETag");
  nlohmann::json patch = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                          {"Operations", {{{"op", "replace"}, {"path", "displayName"}, {"value", "V"}}}}};
  Reply patched = call("PATCH", "/Users/" + id, patch);
  ASSERT_EQ(patched.status, 200) << patched.text;
  EXPECT_NE(patched.header("ETag"), v1);
  EXPECT_EQ(patched.header("ETag"), patched.body["meta"]["version"]);
}

// "If the version matches, the service provider SHALL return 304 (Not Modified)" (If-None-Match on GET)
TEST_F(Rfc7644_3_14_Versioning, IfNoneMatchCurrentVersionIs304) {
  std::string id = create_user("cache");
  std::string etag = call("GET", "/Users/" + id).header("ETag");
  Reply reply = call("GET", "/Users/" + id, "", {{"If-None-Match", etag}});
  EXPECT_EQ(reply.status, 304);
  EXPECT_TRUE(reply.text.empty());
  EXPECT_EQ(reply.header("ETag"), etag);
}

TEST_F(Rfc7644_3_14_Versioning, IfNoneMatchOldVersionReturnsTheResource) {
  std::string id = create_user("cache2");
  Reply reply = call("GET", "/Users/" + id, "", {{"If-None-Match", "W/\"999\""}});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["id"], id);
}

// "If the version does not match, the service provider MUST return 412 Precondition Failed"
TEST_F(Rfc7644_3_14_Versioning, IfMatchMismatchIs412ForPutPatchDelete) {
  std::string id = create_user("guarded");
  nlohmann::json put = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", "guarded"}};
  nlohmann::json patch = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                          {"Operations", {{{"op", "replace"}, {"path", "title"}, {"value", "x"}}}}};
  transport::Headers stale = {{"If-Match", "W/\"999\""}};
  EXPECT_EQ(call("PUT", "/Users/" + id, put, stale).status, 412);
  EXPECT_EQ(call("PATCH", "/Users/" + id, patch, stale).status, 412);
  Reply deleted = call("DELETE", "/Users/" + id, "", stale);
  EXPECT_EQ(deleted.status, 412);
  EXPECT_EQ(deleted.body["status"], "412");
  // Nothing was changed by the refused writes.
  Reply read = call("GET", "/Users/" + id);
  EXPECT_EQ(read.status, 200);
  EXPECT_FALSE(read.body.contains("title"));
}

TEST_F(Rfc7644_3_14_Versioning, IfMatchCurrentVersionOrStarSucceeds) {
  std::string id = create_user("ok");
  std::string etag = call("GET", "/Users/" + id).header("ETag");
  nlohmann::json patch = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                          {"Operations", {{{"op", "replace"}, {"path", "title"}, {"value", "x"}}}}};
  Reply first = call("PATCH", "/Users/" + id, patch, {{"If-Match", etag}});
  EXPECT_EQ(first.status, 200) << first.text;
  // The old ETag is now stale.
  EXPECT_EQ(call("PATCH", "/Users/" + id, patch, {{"If-Match", etag}}).status, 412);
  EXPECT_EQ(call("PATCH", "/Users/" + id, patch, {{"If-Match", "*"}}).status, 200);
  EXPECT_EQ(call("DELETE", "/Users/" + id, "", {{"If-Match", first.header("ETag") + ", *"}}).status, 204);
}

TEST(EtagMatching, WeakComparisonIgnoresThePrefix) {
  EXPECT_TRUE(etag_matches("W/\"3\"", "W/\"3\""));
  EXPECT_TRUE(etag_matches("\"3\"", "W/\"3\""));
  EXPECT_TRUE(etag_matches("W/\"1\", W/\"3\"", "W/\"3\""));
  EXPECT_TRUE(etag_matches("*", "W/\"3\""));
  EXPECT_FALSE(etag_matches("W/\"31\"", "W/\"3\""));
  EXPECT_FALSE(etag_matches("", "W/\"3\""));
}

}  // namespace
}  // namespace refserver::testing
