#pragma once
// Splits an HTTP request-target into decoded path segments and query parameters.
// Query values decode both %20 and '+' as a space: Okta sends either form (idp-quirks O1, E22).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace refserver {

struct RequestTarget {
  std::string path;  // decoded, no query
  std::vector<std::pair<std::string, std::string>> query;

  // First value of a parameter, matched case-insensitively (RFC 7644 parameter names are
  // case-insensitive in practice: Entra and Okta spell them consistently, people do not).
  std::optional<std::string> param(std::string_view name) const;
};

// Throws scim::Error 400 invalidSyntax on bad percent-encoding (a '%' not followed by two hex
// digits, or an encoded NUL).
RequestTarget parse_request_target(std::string_view target);

std::string percent_decode(std::string_view text, bool plus_is_space);

}  // namespace refserver
