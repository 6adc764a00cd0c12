#pragma once
// Reading what a target answered, as an IdP does: list pages, single resources, Retry-After,
// and the few attribute paths the IdPs map. This is deliberately not a filter engine: the
// simulator only reads the exact paths it writes.
#include "simulator/client/exchange.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

inline constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr const char* kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr const char* kEnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
inline constexpr const char* kPatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
inline constexpr const char* kListResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
// Entra ID adds it to every group it creates (E6).
inline constexpr const char* kMicrosoftGroupSchema =
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

struct ListPage {
  std::vector<nlohmann::json> resources;
  std::int64_t total_results = 0;
};

// A PatchOp message (RFC 7644 §3.5.2) carrying `operations`, a JSON array.
nlohmann::json patch_message(nlohmann::json operations);

// A request as an IdP sends it: exactly `headers`, the JSON `body` if any, the IdP's timeout.
scimclient::HttpRequestSpec idp_request(std::string method, std::string url, scimclient::Headers headers,
                                        const nlohmann::json* body, std::chrono::milliseconds timeout);

// A 200 ListResponse (RFC 7644 §3.4.2); "resources" in lower case is read too, as Okta does
// (O17). nullopt for anything else.
std::optional<ListPage> list_page(const scimclient::Exchange& exchange);
// The JSON object of a 2xx answer; nullopt when there is none (e.g. 204).
std::optional<nlohmann::json> resource_of(const scimclient::Exchange& exchange);
bool success(const scimclient::Exchange& exchange);  // a 2xx answer arrived

// Retry-After (RFC 9110 §10.2.3) in seconds, or `fallback` when absent or an HTTP date.
std::chrono::milliseconds retry_after(const scimclient::Exchange& exchange, std::chrono::milliseconds fallback);

// One line for reports: "POST /Users -> 409 uniqueness: userName is taken" or the transport error.
std::string summarize(const scimclient::Exchange& exchange);

// The value at `path` in a resource, for the shapes the IdPs map: "userName", "name.givenName",
// "emails[type eq \"work\"].value", "emails[primary eq true].value", and extension attributes by
// full URN ("urn:...:enterprise:2.0:User:department", "...:manager.value"). Attribute names match
// case-insensitively (RFC 7643 §2.1). nullopt when absent or null.
std::optional<nlohmann::json> read_path(const nlohmann::json& resource, std::string_view path);

// The member ids of a Group resource.
std::vector<std::string> member_ids(const nlohmann::json& group);

// A SCIM filter string literal: quotes and backslashes escaped (RFC 7644 §3.4.2.2, JSON string rules).
std::string filter_literal(std::string_view value);

}  // namespace sim
