// RFC 7644 §4 discovery endpoints, §3.11 /Me, §3.12 errors and authentication, through the handler.
#include "reference_server/tests/api_service_fixture.hpp"

#include <set>

namespace refserver::testing {
namespace {

class Rfc7644_4_Discovery : public ServiceTest {};

TEST_F(Rfc7644_4_Discovery, ServiceProviderConfigDeclaresWhatIsSupported) {
  Reply reply = call("GET", "/ServiceProviderConfig");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("Content-Type"), "application/scim+json");
  EXPECT_EQ(reply.body["schemas"][0], "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
  for (const char* feature : {"patch", "bulk", "filter", "changePassword", "sort", "etag"})
    EXPECT_TRUE(reply.body[feature]["supported"].is_boolean()) << feature;
  EXPECT_EQ(reply.body["filter"]["maxResults"], 1000);
  EXPECT_FALSE(reply.body["authenticationSchemes"].empty());
}

TEST_F(Rfc7644_4_Discovery, ResourceTypesListsUserAndGroup) {
  Reply reply = call("GET", "/ResourceTypes");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["totalResults"], 2);
  std::set<std::string> endpoints;
  for (const auto& type : reply.body["Resources"]) endpoints.insert(type["endpoint"]);
  EXPECT_EQ(endpoints, (std::set<std::string>{"/Users", "/Groups"}));
  Reply user = call("GET", "/ResourceTypes/User");
  EXPECT_EQ(user.body["schema"], "urn:ietf:params:scim:schemas:core:2.0:User");
  EXPECT_EQ(user.body["meta"]["location"], "http://scim.test/scim/v2/ResourceTypes/User");
  EXPECT_EQ(call("GET", "/ResourceTypes/Widget").status, 404);
}

TEST_F(Rfc7644_4_Discovery, SchemasServesTheSameDefinitionsTheServerValidatesWith) {
  Reply reply = call("GET", "/Schemas");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["totalResults"], registry_.schemas().size());
  Reply user = call("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
  ASSERT_EQ(user.status, 200);
  bool found = false;
  for (const auto& attribute : user.body["attributes"])
    if (attribute["name"] == "userName") {
      found = true;
      EXPECT_EQ(attribute["uniqueness"], "server");
      EXPECT_EQ(attribute["caseExact"], false);
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(call("GET", "/Schemas/urn:example:nothing").status, 404);
}

// "If a "filter" is provided, the service provider SHOULD respond with HTTP status code 403"
TEST_F(Rfc7644_4_Discovery, FilteringDiscoveryIs403) {
  EXPECT_EQ(call("GET", "/Schemas?filter=id%20pr").status, 403);
}

// RFC 7644 §3.11: a provider without /Me SHOULD answer 501 Not Implemented.
TEST_F(Rfc7644_4_Discovery, MeIsNotImplemented) {
  Reply reply = call("GET", "/Me");
  EXPECT_EQ(reply.status, 501);
  EXPECT_EQ(reply.body["status"], "501");
}

// RFC 7644 §3.12: "status" is the HTTP status code as a string; "detail" explains.
TEST_F(Rfc7644_4_Discovery, ErrorsUseTheScimEnvelope) {
  Reply reply = call("GET", "/Users/nope");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.header("Content-Type"), "application/scim+json");
  EXPECT_EQ(reply.body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error");
  EXPECT_EQ(reply.body["status"], "404");
  EXPECT_FALSE(reply.body["detail"].get<std::string>().empty());
  EXPECT_FALSE(reply.body.contains("scimType"));
}

TEST_F(Rfc7644_4_Discovery, EveryEndpointNeedsTheToken) {
  for (const char* path : {"/Users", "/Groups", "/ServiceProviderConfig", "/Schemas", "/ResourceTypes", "/Me"}) {
    transport::HttpRequest request;
    request.method = "GET";
    request.target = std::string("/scim/v2") + path;
    transport::HttpResponse response = service_->handle(request);
    EXPECT_EQ(response.status, 401) << path;
    bool challenge = false;
    for (const auto& [name, value] : response.headers) challenge |= name == "WWW-Authenticate";
    EXPECT_TRUE(challenge) << path;
    request.headers = {{"Authorization", "Bearer wrong"}};
    EXPECT_EQ(service_->handle(request).status, 401) << path;
  }
}

TEST_F(Rfc7644_4_Discovery, WrongMethodIs405WithAllow) {
  Reply reply = call("DELETE", "/Users");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.header("Allow"), "GET, POST");
}

TEST_F(Rfc7644_4_Discovery, PathsOutsideTheBasePathAre404) {
  transport::HttpRequest request;
  request.method = "GET";
  request.target = "/other/Users";
  request.headers = {{"Authorization", std::string("Bearer ") + token}};
  EXPECT_EQ(service_->handle(request).status, 404);
}

}  // namespace
}  // namespace refserver::testing
