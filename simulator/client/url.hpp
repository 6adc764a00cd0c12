#pragma once
// URL building for requests to a SCIM target. Filters travel in the query string
// (RFC 7644 §3.4.2), so a value like `userName eq "a b@c"` must arrive byte-exact after the
// server decodes it; encoding everything but the unreserved set is the one safe choice.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scimclient {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes every byte outside the RFC 3986 §2.3 unreserved set (ALPHA DIGIT - . _ ~),
// with upper-case hex (§2.1). A space becomes %20, never '+'.
std::string encode_query_value(std::string_view value);

// `path` followed by `?name=value&...` with names and values encoded by encode_query_value.
// Appends with '&' when `path` already has a query; returns `path` unchanged when params is empty.
std::string encode_query_value(std::string_view path, const QueryParams& params);
std::string with_query(std::string_view path, const QueryParams& params);

// Joins a base URL and a path with exactly one '/' between them. A `path_or_url` that is
// already absolute (has a scheme such as "http://") is returned as is, so URLs a server hands
// back (Location, meta.location) can be requested directly.
std::string join_url(std::string_view base_url, std::string_view path_or_url);

// True when `s` starts with a URI scheme followed by "://" (RFC 3986 §3.1).
bool is_absolute_url(std::string_view s);

}  // namespace scimclient
