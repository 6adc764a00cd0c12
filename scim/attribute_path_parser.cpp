// Attribute paths (RFC 7644 §3.10) and PATCH paths (RFC 7644 §3.5.2).
#include "scim/attribute_path.hpp"
#include "scim/schema.hpp"

namespace scim {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA.
// "$ref" is the one reserved name outside that rule (RFC 7643 §2.3.7, members.$ref).
bool valid_name(std::string_view name) {
  if (name == "$ref") return true;
  if (name.empty() || !is_alpha(name[0])) return false;
  for (char c : name)
    if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '_') return false;
  return true;
}

// A URN as it prefixes an attribute (RFC 8141 "urn:" NID ":" NSS). Only the shape is checked
// here; whether the server knows the schema is the evaluator's question.
bool valid_urn(std::string_view urn) {
  if (urn.size() < 4 || !iequals(urn.substr(0, 4), "urn:")) return false;
  std::string_view rest = urn.substr(4);
  auto colon = rest.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == rest.size()) return false;
  for (char c : urn)
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '[' || c == ']' || c == '(' || c == ')' ||
        static_cast<unsigned char>(c) >= 0x7f)
      return false;
  return true;
}

}  // namespace

AttributePath parse_attribute_path(std::string_view text, ScimType error_type) {
  auto fail = [&](const std::string& why) {
    throw Error::bad_request(error_type, "'" + std::string(text) + "' is not an attribute path: " + why);
  };
  if (text.empty()) fail("it is empty; name an attribute such as userName or name.familyName");
  AttributePath path;
  std::string_view rest = text;
  // RFC 7644 §3.10: the URN of a fully qualified name is everything before the last ':'
  // ("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName"); attribute names hold no ':'.
  if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    std::string_view urn = rest.substr(0, colon);
    if (!valid_urn(urn))
      fail("only a schema URN may precede ':' (e.g. urn:ietf:params:scim:schemas:core:2.0:User:userName)");
    path.urn = std::string(urn);
    rest = rest.substr(colon + 1);
    if (rest.empty()) fail("an attribute name must follow the schema URN");
  }
  auto dot = rest.find('.');
  std::string_view name = rest.substr(0, dot);
  if (!valid_name(name))
    fail("'" + std::string(name) + "' is not an attribute name (a letter, then letters, digits, '-' or '_')");
  path.attribute = std::string(name);
  if (dot != std::string_view::npos) {
    std::string_view sub = rest.substr(dot + 1);
    if (sub.find('.') != std::string_view::npos)
      fail("SCIM paths have at most one sub-attribute level (attribute.subAttribute)");
    if (!valid_name(sub))
      fail("'" + std::string(sub) + "' after '.' is not a sub-attribute name (a letter, then letters, digits, '-' or '_')");
    path.sub_attribute = std::string(sub);
  }
  return path;
}

PatchPath parse_patch_path(std::string_view text) {
  auto fail = [&](const std::string& why) {
    throw Error::bad_request(ScimType::invalid_path, "PATCH path '" + std::string(text) + "': " + why);
  };
  PatchPath result;
  auto open = text.find('[');
  if (open == std::string_view::npos) {
    if (text.find(']') != std::string_view::npos) fail("']' without an opening '['");
    result.attribute = parse_attribute_path(text, ScimType::invalid_path);
    return result;
  }
  // RFC 7644 §3.5.2: PATH = attrPath / valuePath [subAttr]; valuePath = attrPath "[" valFilter "]".
  if (open == 0) fail("a value filter must follow an attribute name, e.g. emails[type eq \"work\"]");
  result.attribute = parse_attribute_path(text.substr(0, open), ScimType::invalid_path);
  if (!result.attribute.sub_attribute.empty())
    fail("a value filter follows a multi-valued attribute, not a sub-attribute; write e.g. emails[type eq \"work\"].value");
  // valFilter holds no brackets of its own (RFC 7644 §3.4.2.2 grammar), so the first ']'
  // outside a quoted string closes it.
  std::size_t close = std::string_view::npos;
  bool quoted = false;
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ']') {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos) fail("the value filter opened at offset " + std::to_string(open) + " has no closing ']'");
  try {
    result.value_filter = parse_filter(text.substr(open + 1, close - open - 1));
  } catch (const Error& e) {
    fail("in the value filter: " + e.detail());
  }
  std::string_view after = text.substr(close + 1);
  if (!after.empty()) {
    if (after[0] != '.' || !valid_name(after.substr(1)))
      fail("only '.subAttribute' may follow the value filter, found '" + std::string(after) + "'");
    result.filtered_sub_attribute = std::string(after.substr(1));
  }
  return result;
}

std::string to_string(const AttributePath& path) {
  std::string out;
  if (!path.urn.empty()) {
    out = path.urn;
    out += ':';
  }
  out += path.attribute;
  if (!path.sub_attribute.empty()) {
    out += '.';
    out += path.sub_attribute;
  }
  return out;
}

}  // namespace scim
