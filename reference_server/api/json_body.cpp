#include "reference_server/api/json_body.hpp"

#include "scim/error.hpp"
#include "scim/schema.hpp"

#include <string>

namespace refserver {

void require_json_media_type(std::string_view content_type) {
  if (content_type.empty()) return;
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
  if (scim::iequals(type, "application/scim+json") || scim::iequals(type, "application/json")) return;
  throw scim::Error(415, scim::ScimType::none,
                    "unsupported Content-Type '" + std::string(content_type) +
                        "': send the body as application/scim+json (RFC 7644 §3.1)");
}

nlohmann::json parse_json_body(std::string_view body, std::size_t max_depth) {
  bool blank = body.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (blank)
    throw scim::Error::bad_request(scim::ScimType::invalid_syntax, "the request body is empty; a JSON object is expected");
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > max_depth)
        throw scim::Error::bad_request(scim::ScimType::invalid_syntax,
                                       "JSON nested deeper than " + std::to_string(max_depth) + " levels at offset " +
                                           std::to_string(i) + "; SCIM resources are at most a few levels deep");
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    throw scim::Error::bad_request(scim::ScimType::invalid_syntax,
                                   "the request body is not valid JSON (byte " + std::to_string(e.byte) +
                                       "): fix the syntax and resend");
  }
}

}  // namespace refserver
