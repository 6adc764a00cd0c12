// Attribute paths (RFC 7644 §3.10) and PATCH paths (RFC 7644 §3.5.2).
#include "scim/attribute_path.hpp"
#include "scim/schema.hpp"

#include <cctype>

namespace scim {

namespace {

// ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA (RFC 7643 §2.1);
// "$ref" is the one reserved name with another first character (RFC 7643 §2.3.7).
bool valid_name(std::string_view name) {
  if (name == "$ref") return true;
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

}  // namespace

AttributePath parse_attribute_path(std::string_view text, ScimType error_type) {
  auto fail = [&](const std::string& why) -> AttributePath {
    throw Error::bad_request(error_type, "'" + std::string(text) + "' is not an attribute path: " + why);
  };
  AttributePath path;
  std::string_view rest = text;
  if (rest.size() > 4 && iequals(rest.substr(0, 4), "urn:")) {
    auto colon = rest.rfind(':');
    path.urn = std::string(rest.substr(0, colon));
    rest = rest.substr(colon + 1);
    if (path.urn.size() <= 4) return fail("the URN is empty");
  }
  auto dot = rest.find('.');
  std::string_view name = rest.substr(0, dot);
  if (!valid_name(name)) return fail("attribute names start with a letter and hold letters, digits, '-' or '_'");
  path.attribute = std::string(name);
  if (dot != std::string_view::npos) {
    std::string_view sub = rest.substr(dot + 1);
    if (!valid_name(sub)) return fail("a sub-attribute name must follow the '.'");
    path.sub_attribute = std::string(sub);
  }
  return path;
}

PatchPath parse_patch_path(std::string_view text) {
  PatchPath result;
  auto open = text.find('[');
  if (open == std::string_view::npos) {
    result.attribute = parse_attribute_path(text, ScimType::invalid_path);
    return result;
  }
  result.attribute = parse_attribute_path(text.substr(0, open), ScimType::invalid_path);
  if (!result.attribute.sub_attribute.empty())
    throw Error::bad_request(ScimType::invalid_path,
                             "'" + std::string(text) + "': a value filter follows a multi-valued attribute, not a sub-attribute");
  // The closing bracket is the first ']' outside a quoted string.
  std::size_t close = std::string_view::npos;
  bool quoted = false;
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (quoted) {
      if (text[i] == '\\') ++i;
      else if (text[i] == '"') quoted = false;
    } else if (text[i] == '"') {
      quoted = true;
    } else if (text[i] == ']') {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos)
    throw Error::bad_request(ScimType::invalid_path, "'" + std::string(text) + "': the value filter has no closing ']'");
  try {
    result.value_filter = parse_filter(text.substr(open + 1, close - open - 1));
  } catch (const Error& e) {
    throw Error::bad_request(ScimType::invalid_path, "'" + std::string(text) + "': " + e.detail());
  }
  std::string_view after = text.substr(close + 1);
  if (!after.empty()) {
    if (after[0] != '.' || !valid_name(after.substr(1)))
      throw Error::bad_request(ScimType::invalid_path,
                               "'" + std::string(text) + "': only '.subAttribute' may follow the value filter");
    result.filtered_sub_attribute = std::string(after.substr(1));
  }
  return result;
}

std::string to_string(const AttributePath& path) {
  std::string out;
  if (!path.urn.empty()) out = path.urn + ":";
  out += path.attribute;
  if (!path.sub_attribute.empty()) out += "." + path.sub_attribute;
  return out;
}

}  // namespace scim
