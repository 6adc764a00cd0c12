// RFC 7644 §3.7 Bulk operations through the handler.
#include "reference_server/tests/api_service_fixture.hpp"

namespace refserver::testing {
namespace {

nlohmann::json bulk(nlohmann::json operations) {
  return {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}}, {"Operations", std::move(operations)}};
}

nlohmann::json user_op(const std::string& bulk_id, const std::string& user_name) {
  return {{"method", "POST"},
          {"path", "/Users"},
          {"bulkId", bulk_id},
          {"data", {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", user_name}}}};
}

class Rfc7644_3_7_Bulk : public ServiceTest {};

TEST_F(Rfc7644_3_7_Bulk, CreatesAndAnswersInRequestOrder) {
  Reply reply = call("POST", "/Bulk", bulk({user_op("a", "bulk.a"), user_op("b", "bulk.b")}));
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:BulkResponse");
  auto& ops = reply.body["Operations"];
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0]["bulkId"], "a");
  EXPECT_EQ(ops[0]["status"], "201");
  EXPECT_EQ(ops[1]["bulkId"], "b");
  std::string location = ops[0]["location"];
  EXPECT_EQ(location.rfind("http://scim.test/scim/v2/Users/", 0), 0u) << location;
  EXPECT_EQ(call("GET", "/Users?count=0").body["totalResults"], 2);
}

// "The service provider MUST try to resolve ... bulkId ... regardless of the order" (§3.7.2):
// the group references a user created later in the same request.
TEST_F(Rfc7644_3_7_Bulk, ForwardBulkIdReferenceIsResolved) {
  nlohmann::json group = {{"method", "POST"},
                          {"path", "/Groups"},
                          {"bulkId", "g"},
                          {"data",
                           {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                            {"displayName", "Tour Guides"},
                            {"members", {{{"type", "User"}, {"value", "bulkId:u"}}}}}}};
  Reply reply = call("POST", "/Bulk", bulk({group, user_op("u", "guide")}));
  ASSERT_EQ(reply.status, 200) << reply.text;
  auto& ops = reply.body["Operations"];
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0]["status"], "201") << ops.dump();
  EXPECT_EQ(ops[1]["status"], "201");
  std::string user_id = call("GET", "/Users?filter=userName%20eq%20%22guide%22").body["Resources"][0]["id"];
  Reply groups = call("GET", "/Groups?filter=displayName%20eq%20%22Tour%20Guides%22");
  EXPECT_EQ(groups.body["Resources"][0]["members"][0]["value"], user_id);
}

TEST_F(Rfc7644_3_7_Bulk, PathBulkIdReferenceIsResolved) {
  nlohmann::json patch = {{"method", "PATCH"},
                          {"path", "/Users/bulkId:u"},
                          {"data",
                           {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                            {"Operations", {{{"op", "replace"}, {"path", "title"}, {"value", "Chief"}}}}}}};
  Reply reply = call("POST", "/Bulk", bulk({user_op("u", "patched"), patch}));
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["Operations"][1]["status"], "200") << reply.text;
  EXPECT_EQ(call("GET", "/Users?filter=title%20eq%20%22Chief%22").body["totalResults"], 1);
}

TEST_F(Rfc7644_3_7_Bulk, ErrorsAreReportedPerOperation) {
  Reply reply = call("POST", "/Bulk", bulk({user_op("a", "dup"), user_op("b", "DUP")}));
  ASSERT_EQ(reply.status, 200);
  auto& second = reply.body["Operations"][1];
  EXPECT_EQ(second["status"], "409");
  EXPECT_EQ(second["response"]["scimType"], "uniqueness");
  EXPECT_EQ(second["response"]["status"], "409");
}

// "failOnErrors ... the number of errors that the service provider will accept before the
// operation is terminated" (§3.7)
TEST_F(Rfc7644_3_7_Bulk, FailOnErrorsStopsProcessing) {
  nlohmann::json request = bulk({user_op("a", "same"), user_op("b", "same"), user_op("c", "other")});
  request["failOnErrors"] = 1;
  Reply reply = call("POST", "/Bulk", request);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["Operations"].size(), 2u);
  EXPECT_EQ(call("GET", "/Users?filter=userName%20eq%20%22other%22").body["totalResults"], 0);
}

TEST_F(Rfc7644_3_7_Bulk, ReferenceToAFailedOperationFails) {
  nlohmann::json bad = user_op("bad", "x");
  bad["data"].erase("userName");
  nlohmann::json group = {{"method", "POST"},
                          {"path", "/Groups"},
                          {"bulkId", "g"},
                          {"data",
                           {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                            {"displayName", "G"},
                            {"members", {{{"value", "bulkId:bad"}}}}}}};
  Reply reply = call("POST", "/Bulk", bulk({bad, group}));
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["Operations"][0]["status"], "400");
  EXPECT_EQ(reply.body["Operations"][1]["status"], "409");
}

TEST_F(Rfc7644_3_7_Bulk, CircularReferencesEndIn409) {
  auto group = [](const std::string& id, const std::string& other) {
    return nlohmann::json{{"method", "POST"},
                          {"path", "/Groups"},
                          {"bulkId", id},
                          {"data",
                           {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                            {"displayName", id},
                            {"members", {{{"value", "bulkId:" + other}}}}}}};
  };
  Reply reply = call("POST", "/Bulk", bulk({group("x", "y"), group("y", "x")}));
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["Operations"][0]["status"], "409");
  EXPECT_EQ(reply.body["Operations"][1]["status"], "409");
}

TEST_F(Rfc7644_3_7_Bulk, UndefinedBulkIdIsInvalidValue) {
  nlohmann::json group = {{"method", "POST"},
                          {"path", "/Groups"},
                          {"bulkId", "g"},
                          {"data",
                           {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                            {"displayName", "G"},
                            {"members", {{{"value", "bulkId:nowhere"}}}}}}};
  Reply reply = call("POST", "/Bulk", bulk({group}));
  EXPECT_EQ(reply.body["Operations"][0]["status"], "400");
  EXPECT_EQ(reply.body["Operations"][0]["response"]["scimType"], "invalidValue");
}

// "If the number of operations exceeds maxOperations ... 413 Payload Too Large" (§3.7.4)
TEST(Rfc7644_3_7_4_BulkLimits, TooManyOperationsIs413) {
  ServiceConfig config;
  config.bulk_max_operations = 2;
  struct Small : ServiceTest {
    explicit Small(ServiceConfig c) : ServiceTest(c) {}
    void TestBody() override {}
  } test(config);
  Reply reply = test.call("POST", "/Bulk", bulk({user_op("a", "a"), user_op("b", "b"), user_op("c", "c")}));
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.body["status"], "413");
  EXPECT_EQ(test.call("GET", "/Users?count=0").body["totalResults"], 0);
}

TEST(Rfc7644_3_7_4_BulkLimits, PayloadOverMaxPayloadSizeIs413) {
  ServiceConfig config;
  config.bulk_max_payload = 200;
  struct Small : ServiceTest {
    explicit Small(ServiceConfig c) : ServiceTest(c) {}
    void TestBody() override {}
  } test(config);
  Reply reply = test.call("POST", "/Bulk", bulk({user_op("a", std::string(300, 'a'))}));
  EXPECT_EQ(reply.status, 413);
}

TEST(Rfc7644_3_7_4_BulkLimits, ServiceProviderConfigAdvertisesTheLimits) {
  ServiceConfig config;
  config.bulk_max_operations = 7;
  config.bulk_max_payload = 4096;
  struct Small : ServiceTest {
    explicit Small(ServiceConfig c) : ServiceTest(c) {}
    void TestBody() override {}
  } test(config);
  Reply reply = test.call("GET", "/ServiceProviderConfig");
  EXPECT_EQ(reply.body["bulk"]["supported"], true);
  EXPECT_EQ(reply.body["bulk"]["maxOperations"], 7);
  EXPECT_EQ(reply.body["bulk"]["maxPayloadSize"], 4096);
}

}  // namespace
}  // namespace refserver::testing
