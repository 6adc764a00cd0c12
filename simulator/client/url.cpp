#include "simulator/client/url.hpp"

namespace scimclient {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 3986 §2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
bool is_unreserved(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

}  // namespace

std::string encode_query_value(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (char c : value) {
    if (is_unreserved(c)) {
      out.push_back(c);
    } else {
      auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0x0F]);
    }
  }
  return out;
}

std::string encode_query_value(std::string_view path, const QueryParams& params) {
  std::string out(path);
  if (params.empty()) return out;
  char separator = out.find('?') == std::string::npos ? '?' : '&';
  if (separator == '&' && (out.back() == '?' || out.back() == '&')) separator = '\0';
  for (const auto& [name, value] : params) {
    if (separator != '\0') out.push_back(separator);
    out += encode_query_value(name);
    out.push_back('=');
    out += encode_query_value(value);
    separator = '&';
  }
  return out;
}

std::string with_query(std::string_view path, const QueryParams& params) { return encode_query_value(path, params); }

bool is_absolute_url(std::string_view s) {
  // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  if (s.empty() || !is_alpha(s.front())) return false;
  std::size_t i = 1;
  while (i < s.size() && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) ++i;
  return s.substr(i).starts_with("://");
}

std::string join_url(std::string_view base_url, std::string_view path_or_url) {
  if (is_absolute_url(path_or_url)) return std::string(path_or_url);
  if (path_or_url.empty()) return std::string(base_url);
  // An absolute-path reference a server handed out ("/scim/v2/Users/1" in meta.location or a
  // Bulk location) already holds the base path: RFC 3986 §5.2 resolves it against the origin.
  // Paths the harness writes ("/Users/1") are below the base and never start with its path.
  if (path_or_url.front() == '/') {
    std::string_view rest = base_url.substr(base_url.find("://") == std::string_view::npos ? 0 : base_url.find("://") + 3);
    std::size_t slash = rest.find('/');
    if (slash != std::string_view::npos) {
      std::string_view base_path = rest.substr(slash);
      while (!base_path.empty() && base_path.back() == '/') base_path.remove_suffix(1);
      std::string_view origin = base_url.substr(0, base_url.size() - rest.size() + slash);
      if (!base_path.empty() && path_or_url.substr(0, base_path.size()) == base_path &&
          (path_or_url.size() == base_path.size() || path_or_url[base_path.size()] == '/' ||
           path_or_url[base_path.size()] == '?'))
        return std::string(origin) + std::string(path_or_url);
    }
  }
  std::string out(base_url);
  while (!out.empty() && out.back() == '/') out.pop_back();
  // A bare query ("?filter=...") belongs to the base itself, not to a child path.
  if (path_or_url.front() != '/' && path_or_url.front() != '?') out.push_back('/');
  out += path_or_url;
  return out;
}

}  // namespace scimclient
