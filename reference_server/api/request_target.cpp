#include "reference_server/api/request_target.hpp"

#include "scim/error.hpp"
#include "scim/schema.hpp"

namespace refserver {

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0)
        throw scim::Error::bad_request(scim::ScimType::invalid_syntax,
                                       "bad percent-encoding at offset " + std::to_string(i) + " of '" +
                                           std::string(text) + "': '%' must be followed by two hex digits");
      char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0')
        throw scim::Error::bad_request(scim::ScimType::invalid_syntax, "percent-encoded NUL (%00) is not allowed");
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

RequestTarget parse_request_target(std::string_view target) {
  RequestTarget result;
  auto question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  if (auto hash = raw_path.find('#'); hash != std::string_view::npos) raw_path = raw_path.substr(0, hash);
  result.path = percent_decode(raw_path, false);
  if (question == std::string_view::npos) return result;
  std::string_view query = target.substr(question + 1);
  if (auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string name = percent_decode(pair.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1), true);
    result.query.emplace_back(std::move(name), std::move(value));
  }
  return result;
}

std::optional<std::string> RequestTarget::param(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (scim::iequals(key, name)) return value;
  return std::nullopt;
}

}  // namespace refserver
