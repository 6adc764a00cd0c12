#pragma once
// Exchanges built by hand for the response validator's tests (no sockets), and the RFC 7643 §8
// example resources they are built from.
#include "scim/schema.hpp"
#include "scim/urns.hpp"
#include "simulator/client/exchange.hpp"
#include "suites/validate/response_rules.hpp"
#include "suites/validate/response_validator.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace suites::testing {

using nlohmann::json;

inline constexpr const char* kBase = "https://example.com/v2";

inline const scim::SchemaRegistry& rfc_registry() {
  static const scim::SchemaRegistry registry = scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas");
  return registry;
}

inline ValidationContext rfc_context(bool etag_supported = false) {
  return ValidationContext{&rfc_registry(), kBase, etag_supported};
}

struct Reply {
  Reply(int status_code, json json_body = nullptr,
        scimclient::Headers response_headers = {{"Content-Type", "application/scim+json"}}, std::string raw = "")
      : status(status_code), body(std::move(json_body)), headers(std::move(response_headers)), raw_body(std::move(raw)) {}

  int status;
  json body;                    // null: no body
  scimclient::Headers headers;
  std::string raw_body;         // sent instead of `body` when not empty
};

// A request as the client records it (absolute URL, Accept header) with the reply given.
inline scimclient::Exchange exchange(const std::string& method, const std::string& path, const Reply& reply,
                                     const json& request_body = nullptr) {
  scimclient::Exchange result;
  result.request.method = method;
  result.request.url = std::string(kBase) + path;
  result.request.headers = {{"Accept", "application/scim+json"}, {"Authorization", "Bearer t"}};
  if (!request_body.is_null()) {
    result.request.body = request_body.dump();
    result.request.headers.emplace_back("Content-Type", "application/scim+json");
  }
  result.status = reply.status;
  result.response_headers = reply.headers;
  result.response_body = !reply.raw_body.empty() ? reply.raw_body : reply.body.is_null() ? "" : reply.body.dump();
  return result;
}

inline std::set<std::string> rules_of(const std::vector<Finding>& findings) {
  std::set<std::string> rules;
  for (const auto& finding : findings) rules.insert(finding.rule);
  return rules;
}

inline std::string describe(const std::vector<Finding>& findings) {
  std::string text;
  for (const auto& f : findings)
    text += "\n  " + f.rule + " at '" + f.pointer + "': " + f.message + " (expected " + f.expected + ", got " +
            f.actual + ")";
  return text.empty() ? "(no findings)" : text;
}

// Passes when nothing at all was found.
inline ::testing::AssertionResult clean(const std::vector<Finding>& findings) {
  if (findings.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "unexpected findings:" << describe(findings);
}

// Passes when `rule`, and no other rule, was found (the validator must be precise), at `pointer`
// when one is given.
inline ::testing::AssertionResult caught_only(const std::vector<Finding>& findings, std::string_view rule,
                                              const std::string& pointer = "*") {
  std::set<std::string> rules = rules_of(findings);
  if (rules != std::set<std::string>{std::string(rule)})
    return ::testing::AssertionFailure() << "expected only " << rule << ", got:" << describe(findings);
  if (pointer != "*") {
    for (const auto& finding : findings)
      if (finding.pointer == pointer) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "no " << rule << " finding at '" << pointer << "':" << describe(findings);
  }
  return ::testing::AssertionSuccess();
}

// RFC 7643 §8.1 Minimal User Representation.
inline json minimal_user() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "userName": "bjensen@example.com",
    "meta": {
      "resourceType": "User",
      "created": "2010-01-23T04:56:22Z",
      "lastModified": "2011-05-13T04:42:34Z",
      "version": "W\/\"3694e05e9dff590\"",
      "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"
    }
  })");
}

// RFC 7643 §8.2 Full User Representation. The RFC's listing also shows "password"; a response
// never carries it (returned "never", §7), so it is left out here and added by the test that
// checks exactly that.
inline json full_user() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "externalId": "701984",
    "userName": "bjensen@example.com",
    "name": {
      "formatted": "Ms. Barbara J Jensen, III",
      "familyName": "Jensen",
      "givenName": "Barbara",
      "middleName": "Jane",
      "honorificPrefix": "Ms.",
      "honorificSuffix": "III"
    },
    "displayName": "Babs Jensen",
    "nickName": "Babs",
    "profileUrl": "https://login.example.com/bjensen",
    "emails": [
      {"value": "bjensen@example.com", "type": "work", "primary": true},
      {"value": "babs@jensen.org", "type": "home"}
    ],
    "addresses": [
      {"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood", "region": "CA",
       "postalCode": "91608", "country": "USA", "formatted": "100 Universal City Plaza\nHollywood, CA 91608 USA",
       "primary": true},
      {"type": "home", "streetAddress": "456 Hollywood Blvd", "locality": "Hollywood", "region": "CA",
       "postalCode": "91608", "country": "USA", "formatted": "456 Hollywood Blvd\nHollywood, CA 91608 USA"}
    ],
    "phoneNumbers": [
      {"value": "555-555-5555", "type": "work"},
      {"value": "555-555-4444", "type": "mobile"}
    ],
    "ims": [{"value": "someaimhandle", "type": "aim"}],
    "photos": [
      {"value": "https://photos.example.com/profilephoto/72930000000Ccne/F", "type": "photo"},
      {"value": "https://photos.example.com/profilephoto/72930000000Ccne/T", "type": "thumbnail"}
    ],
    "userType": "Employee",
    "title": "Tour Guide",
    "preferredLanguage": "en-US",
    "locale": "en-US",
    "timezone": "America/Los_Angeles",
    "active": true,
    "groups": [
      {"value": "e9e30dba-f08f-4109-8486-d5c6a331660a",
       "$ref": "https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a", "display": "Tour Guides"},
      {"value": "fc348aa8-3835-40eb-a20b-c726e15c55b5",
       "$ref": "https://example.com/v2/Groups/fc348aa8-3835-40eb-a20b-c726e15c55b5", "display": "Employees"},
      {"value": "71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7",
       "$ref": "https://example.com/v2/Groups/71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7", "display": "US Employees"}
    ],
    "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMxEzARBgNVBAgMCkNhbGlmb3JuaWExFDASBgNVBAoMC2V4YW1wbGUuY29tMRQwEgYDVQQDDAtleGFtcGxlLmNvbTAeFw0xMTEwMjIwNjI0MzFaFw0xMjEwMDQwNjI0MzFaMH8xCzAJBgNVBAYTAlVTMRMwEQYDVQQIDApDYWxpZm9ybmlhMRQwEgYDVQQKDAtleGFtcGxlLmNvbTEhMB8GA1UEAwwYTXMuIEJhcmJhcmEgSiBKZW5zZW4gSUlJMSIwIAYJKoZIhvcNAQkBFhNiamVuc2VuQGV4YW1wbGUuY29tMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA7Kr+Dcds/JQ5GwejJFcBIP682X3xpjis56AK02bc1FLgzdLI8auoR+cC9/Vrh5t66HkQIOdA4unHh0AaZ4xL5PhVbXIPMB5vAPKpzz5iPSi8xO8SL7I7SDhcBVJhqVqr3HgllEG6UClDdHO7nkLuwXq8HcISKkbT5WFTVfFZzidPl8HZ7DhXkZIRtJwBweq4bvm3hM1Os7UQH05ZS6cVDgweKNwdLLrT51ikSQG3DYrl+ft781UQRIqxgwqCfXEuDiinPh0kkvIi5jivVu1Z9QiwlYEdRbLJ4zJQBmDrSGTMYn4lRc2HgHO4DqB/bnMVorHB0CC6AV1QoFK4GPe1LwIDAQABo3sweTAJBgNVHRMEAjAAMCwGCWCGSAGG+EIBDQQfFh1PcGVuU1NMIEdlbmVyYXRlZCBDZXJ0aWZpY2F0ZTAdBgNVHQ4EFgQU8pD0U0vsZIsaA16lL8En8bx0F/gwHwYDVR0jBBgwFoAUdGeKitcaF7gnzsNwDx708kqaVt0wDQYJKoZIhvcNAQEFBQADgYEAA81SsFnOdYJtNg5Tcq+/ByEDrBgnusx0jloUhByPMEVkoMZ3J7j1ZgI8rAbOkNngX8+pKfTiDz1RC4+dx8oU6Za+4NJXUjlL5CvV6BEYb1+QAEJwitTVvxB/A67g42/vzgAtoRUeDov1+GFiBZ+GNF/cAYKcMtGcrs2i97ZkJMo="}],
    "meta": {
      "resourceType": "User",
      "created": "2010-01-23T04:56:22Z",
      "lastModified": "2011-05-13T04:42:34Z",
      "version": "W\/\"a330bc54f0671c9\"",
      "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"
    }
  })");
}

// RFC 7643 §8.3 Enterprise User Extension Representation (its enterprise part on the §8.1 user).
inline json enterprise_user() {
  json user = minimal_user();
  user["schemas"] = {"urn:ietf:params:scim:schemas:core:2.0:User",
                     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"};
  user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = json::parse(R"({
    "employeeNumber": "701984",
    "costCenter": "4130",
    "organization": "Universal Studios",
    "division": "Theme Park",
    "department": "Tour Operations",
    "manager": {
      "value": "26118915-6090-4610-87e4-49d8ca9f808d",
      "$ref": "../Users/26118915-6090-4610-87e4-49d8ca9f808d",
      "displayName": "John Smith"
    }
  })");
  user["meta"]["version"] = "W/\"3694e05e9dff591\"";
  return user;
}

// RFC 7643 §8.4 Group Representation.
inline json group() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
    "displayName": "Tour Guides",
    "members": [
      {"value": "2819c223-7f76-453a-919d-413861904646",
       "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen"},
      {"value": "902c246b-6245-4190-8e05-00816be7344a",
       "$ref": "https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge"}
    ],
    "meta": {
      "resourceType": "Group",
      "created": "2010-01-23T04:56:22Z",
      "lastModified": "2011-05-13T04:42:34Z",
      "version": "W\/\"3694e05e9dff592\"",
      "location": "https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a"
    }
  })");
}

// RFC 7643 §8.5 Service Provider Configuration Representation.
inline json service_provider_config() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    "documentationUri": "http://example.com/help/scim.html",
    "patch": {"supported": true},
    "bulk": {"supported": true, "maxOperations": 1000, "maxPayloadSize": 1048576},
    "filter": {"supported": true, "maxResults": 200},
    "changePassword": {"supported": true},
    "sort": {"supported": true},
    "etag": {"supported": true},
    "authenticationSchemes": [
      {"name": "OAuth Bearer Token", "description": "Authentication scheme using the OAuth Bearer Token Standard",
       "specUri": "http://www.rfc-editor.org/info/rfc6750", "documentationUri": "http://example.com/help/oauth.html",
       "type": "oauthbearertoken", "primary": true},
      {"name": "HTTP Basic", "description": "Authentication scheme using the HTTP Basic Standard",
       "specUri": "http://www.rfc-editor.org/info/rfc2617",
       "documentationUri": "http://example.com/help/httpBasic.html", "type": "httpbasic"}
    ],
    "meta": {
      "location": "https://example.com/v2/ServiceProviderConfig",
      "resourceType": "ServiceProviderConfig",
      "created": "2010-01-23T04:56:22Z",
      "lastModified": "2011-05-13T04:42:34Z",
      "version": "W\/\"3694e05e9dff594\""
    }
  })");
}

// A one-page ListResponse holding the JSON array `resources`.
inline json list_from(const json& resources, long long total = -1) {
  return {{"schemas", {std::string(scim::urn::list_response)}},
          {"totalResults", total < 0 ? static_cast<long long>(resources.size()) : total},
          {"itemsPerPage", resources.size()},
          {"startIndex", 1},
          {"Resources", resources}};
}

// The same from a braced list; a vector, because nlohmann reads {one_value} as that value, not
// as an array of it.
inline json list_of(const std::vector<json>& resources, long long total = -1) {
  return list_from(json(resources), total);
}

inline json error_body(const std::string& status, const char* scim_type = nullptr) {
  json body = {{"schemas", {std::string(scim::urn::error)}}, {"status", status}, {"detail", "what went wrong"}};
  if (scim_type) body["scimType"] = scim_type;
  return body;
}

}  // namespace suites::testing
