#pragma once
// Shared fixture of the PATCH engine tests: the fixture schemas, a User and a Group shaped like
// the RFC 7644 §3.5.2 examples, and helpers that assert a scim::Error's status and scimType.
#include "reference_server/api/patch.hpp"
#include "scim/error.hpp"
#include "scim/schema.hpp"
#include "scim/urns.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>

namespace refserver::patch_test {

using nlohmann::json;

inline const scim::SchemaRegistry& registry() {
  static const scim::SchemaRegistry loaded = scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas");
  return loaded;
}

inline json message(json operations) {
  return json{{"schemas", json::array({std::string(scim::urn::patch_op)})}, {"Operations", std::move(operations)}};
}

inline const std::string bjensen_id = "2819c223-7f76-453a-919d-413861904646";
inline const std::string jsmith_id = "08e1d05d-121c-4561-8b96-473d93df9210";
inline const std::string mjones_id = "902c246b-6245-4190-8e05-00816be7344a";
inline const std::string group_id = "acbf3ae7-8463-4692-b4fd-9b4da3f908ce";

inline json make_user() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "externalId": "bjensen",
    "meta": {"resourceType": "User", "created": "2011-08-01T18:29:49.793Z",
             "lastModified": "2011-08-01T18:29:49.793Z",
             "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
             "version": "W/\"f250dd84f0671c3\""},
    "userName": "bjensen",
    "name": {"familyName": "Jensen", "givenName": "Barbara"},
    "active": true,
    "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
               {"value": "babs@jensen.org", "type": "home"}],
    "addresses": [{"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood",
                   "region": "CA", "postalCode": "91608", "country": "USA", "primary": true},
                  {"type": "home", "streetAddress": "456 Hollywood Blvd", "locality": "Hollywood",
                   "region": "CA", "postalCode": "91608", "country": "USA"}]
  })");
}

inline json make_group() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "id": "acbf3ae7-8463-4692-b4fd-9b4da3f908ce",
    "displayName": "Tour Guides",
    "meta": {"resourceType": "Group", "version": "W/\"3694e05e9dff590\""},
    "members": [
      {"value": "2819c223-7f76-453a-919d-413861904646", "type": "User",
       "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"},
      {"value": "902c246b-6245-4190-8e05-00816be7344a", "type": "User",
       "$ref": "https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a"}
    ]
  })");
}

class PatchTest : public ::testing::Test {
 protected:
  const scim::ResourceTypeDef& user_type() const { return *registry().find_resource_type("User"); }
  const scim::ResourceTypeDef& group_type() const { return *registry().find_resource_type("Group"); }

  json patch_user(json operations, PatchOptions options = {}) const {
    return PatchEngine(registry(), user_type(), options).apply(user_, message(std::move(operations)));
  }
  json patch_group(json operations, PatchOptions options = {}) const {
    return PatchEngine(registry(), group_type(), options).apply(group_, message(std::move(operations)));
  }

  // Runs `call`, expects a scim::Error with status 400 and `type`, and returns its detail.
  static std::string expect_error(const std::function<void()>& call, scim::ScimType type) {
    try {
      call();
    } catch (const scim::Error& error) {
      EXPECT_EQ(error.status(), 400) << error.detail();
      EXPECT_EQ(scim::to_string(error.scim_type()), scim::to_string(type)) << error.detail();
      EXPECT_FALSE(error.detail().empty());
      return error.detail();
    }
    ADD_FAILURE() << "expected scim::Error " << scim::to_string(type);
    return {};
  }
  std::string user_error(json operations, scim::ScimType type, PatchOptions options = {}) const {
    return expect_error([&] { patch_user(operations, options); }, type);
  }
  std::string group_error(json operations, scim::ScimType type, PatchOptions options = {}) const {
    return expect_error([&] { patch_group(operations, options); }, type);
  }

  static std::vector<std::string> member_ids(const json& group) {
    std::vector<std::string> out;
    if (group.contains("members"))
      for (const auto& member : group["members"]) out.push_back(member.at("value").get<std::string>());
    return out;
  }

  // The elements of `list` whose `key` equals `value`.
  static std::vector<json> elements_with(const json& list, const std::string& key, const json& value) {
    std::vector<json> out;
    for (const auto& element : list)
      if (element.contains(key) && element[key] == value) out.push_back(element);
    return out;
  }

  static constexpr PatchOptions strict{true};
  static constexpr const char* enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

  json user_ = make_user();
  json group_ = make_group();
};

}  // namespace refserver::patch_test
