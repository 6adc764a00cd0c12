#pragma once
// The SCIM service without sockets: requests go straight to ScimService::handle, the way the
// transport would hand them over. For handler tests; api_integration_test uses real sockets.
#include "reference_server/api/scim_service.hpp"
#include "reference_server/store/resource_store.hpp"
#include "scim/schema.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace refserver::testing {

struct Reply {
  int status = 0;
  transport::Headers headers;
  std::string text;
  nlohmann::json body;  // parsed text, discarded (null) when empty or not JSON

  std::string header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (scim::iequals(key, name)) return value;
    return {};
  }
};

class ServiceTest : public ::testing::Test {
 public:
  static constexpr const char* token = "test-token";

  explicit ServiceTest(ServiceConfig config = {})
      : registry_(scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas")),
        store_(ResourceStore::open(":memory:")) {
    config.bearer_tokens = {token};
    config.base_url = "http://scim.test/scim/v2";
    service_ = std::make_unique<ScimService>(config, registry_, *store_);
  }

  Reply call(const std::string& method, const std::string& path, const std::string& body = "",
             transport::Headers extra = {}) {
    transport::HttpRequest request;
    request.method = method;
    request.target = "/scim/v2" + path;
    request.headers = {{"Authorization", std::string("Bearer ") + token}};
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/scim+json");
    for (auto& header : extra) request.headers.push_back(std::move(header));
    request.body = body;
    transport::HttpResponse response = service_->handle(request);
    Reply reply{response.status, response.headers, response.body, nullptr};
    reply.body = nlohmann::json::parse(response.body, nullptr, false);
    if (reply.body.is_discarded()) reply.body = nullptr;
    return reply;
  }
  Reply call(const std::string& method, const std::string& path, const char* body, transport::Headers extra = {}) {
    return call(method, path, std::string(body), std::move(extra));
  }
  Reply call(const std::string& method, const std::string& path, const nlohmann::json& body,
             transport::Headers extra = {}) {
    return call(method, path, body.dump(), std::move(extra));
  }

  // Creates a user and returns its id; fails the test on anything but 201.
  std::string create_user(const std::string& user_name, nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json body = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}}, {"userName", user_name}};
    body.update(extra);
    Reply reply = call("POST", "/Users", body);
    EXPECT_EQ(reply.status, 201) << reply.text;
    return reply.body.value("id", "");
  }

  std::string create_group(const std::string& name, const std::vector<std::string>& member_ids = {}) {
    nlohmann::json members = nlohmann::json::array();
    for (const auto& id : member_ids) members.push_back({{"value", id}});
    nlohmann::json body = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}}, {"displayName", name}};
    if (!member_ids.empty()) body["members"] = members;
    Reply reply = call("POST", "/Groups", body);
    EXPECT_EQ(reply.status, 201) << reply.text;
    return reply.body.value("id", "");
  }

  scim::SchemaRegistry registry_;
  std::unique_ptr<ResourceStore> store_;
  std::unique_ptr<ScimService> service_;
};

}  // namespace refserver::testing
