#include "simulator/client/exchange.hpp"

#include <algorithm>
#include <array>

namespace scimclient {

namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool header_name_equals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::string Exchange::header(std::string_view name) const {
  for (const auto& [n, v] : response_headers) {
    if (header_name_equals(n, name)) return v;
  }
  return {};
}

std::vector<std::string> Exchange::header_values(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [n, v] : response_headers) {
    if (header_name_equals(n, name)) values.push_back(v);
  }
  return values;
}

bool Exchange::has_header(std::string_view name) const {
  return std::any_of(response_headers.begin(), response_headers.end(),
                     [&](const auto& h) { return header_name_equals(h.first, name); });
}

std::optional<nlohmann::json> Exchange::json() const {
  if (response_body.empty()) return std::nullopt;
  auto parsed = nlohmann::json::parse(response_body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

std::string redact_header(std::string_view name, std::string_view value) {
  // Credentials in the form "<scheme> <token>" (RFC 9110 §11.4): keep the scheme only.
  if (header_name_equals(name, "Authorization") || header_name_equals(name, "Proxy-Authorization")) {
    std::string_view v = trim(value);
    auto space = v.find_first_of(" \t");
    if (space == std::string_view::npos) return "***";
    return std::string(v.substr(0, space)) + " ***";
  }
  static constexpr std::array<std::string_view, 5> opaque_secrets = {"Cookie", "Set-Cookie", "X-API-Key", "Api-Key",
                                                                     "X-Auth-Token"};
  for (auto secret : opaque_secrets) {
    if (header_name_equals(name, secret)) return "***";
  }
  return std::string(value);
}

}  // namespace scimclient
