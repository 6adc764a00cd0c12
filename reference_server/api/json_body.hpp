#pragma once
// Turns a request body into JSON or a precise SCIM error: wrong media type (415), empty or
// broken JSON and nesting deeper than the configured limit (400 invalidSyntax).
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace refserver {

// RFC 7644 §3.1 and §8.1: clients send application/scim+json; Okta's own suite sends
// application/json (idp-quirks O19). Both are accepted, with or without parameters; an absent
// Content-Type is taken as JSON. Anything else is 415.
void require_json_media_type(std::string_view content_type);

// Parses `body`; nesting deeper than `max_depth` is refused before parsing, so hostile input
// cannot exhaust the stack.
nlohmann::json parse_json_body(std::string_view body, std::size_t max_depth);

}  // namespace refserver
