#pragma once
// One HTTP request and what came back for it. An Exchange is the unit the runner judges and the
// reports print as the wire log, so it records the request as actually sent (resolved URL,
// merged headers), and a transport failure is data (transport_error), never an exception: a
// target that refuses connections or hangs is a finding, not a crash of the harness.
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scimclient {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequestSpec {
  std::string method;
  // Absolute ("http://host/scim/v2/Users") or relative to the client's base_url ("/Users").
  std::string url;
  // Sent in this order after the client's defaults; a name given here replaces a default of the
  // same name (case-insensitive). An empty value sends the header with an empty value.
  Headers headers;
  std::string body;
  // The whole transfer (connect + send + receive); 0 or less means no limit.
  std::chrono::milliseconds timeout{30000};
  // False sends only `headers` (no Authorization, Accept, User-Agent from the client), e.g. to
  // check that the target rejects an unauthenticated request.
  bool with_default_headers = true;
};

struct Exchange {
  HttpRequestSpec request;  // as sent: absolute URL, default headers merged in
  int status = 0;           // 0 when no response status line arrived
  Headers response_headers; // in arrival order, names as the server spelled them, values trimmed
  std::string response_body;
  std::chrono::microseconds duration{0};  // connect to last byte, as measured by libcurl
  std::string transport_error;            // empty when a complete response arrived

  bool ok() const { return transport_error.empty(); }
  // First value of the header `name` (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
  // Every value of the header `name` in arrival order (repeated headers are not folded).
  std::vector<std::string> header_values(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The response body parsed as JSON; nullopt when empty or not JSON.
  std::optional<nlohmann::json> json() const;
};

// ASCII case-insensitive comparison, as HTTP field names compare (RFC 9110 §5.1).
bool header_name_equals(std::string_view a, std::string_view b);

// A header value fit for a report: credentials are hidden but their scheme is kept, so a reader
// can still see which kind of authentication was used ("Bearer ***", "Basic ***"). Cookies and
// API-key headers become "***". Other headers are returned unchanged.
std::string redact_header(std::string_view name, std::string_view value);

}  // namespace scimclient
