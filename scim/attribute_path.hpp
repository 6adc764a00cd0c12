#pragma once
// Attribute paths of RFC 7644 §3.10 and the PATCH path grammar of RFC 7644 §3.5.2:
//   attrPath  = [URI ":"] ATTRNAME *1subAttr
//   PATH      = attrPath / valuePath [subAttr]
// The URN of a fully qualified path is everything before the last ':' (URNs contain '.' in
// "2.0", attribute names never contain ':').
#include "scim/filter.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace scim {

// Parses an attribute path as it appears in filters, sortBy and attributes=.
// Throws scim::Error 400 with `error_type` (invalidFilter in filters, invalidPath in PATCH,
// invalidValue for attributes/sortBy) when the text is not an attrPath.
AttributePath parse_attribute_path(std::string_view text, ScimType error_type = ScimType::invalid_path);

// A PATCH operation's "path" (RFC 7644 §3.5.2): attribute, optional value filter, optional
// sub-attribute after the filter: emails[type eq "work"].value
struct PatchPath {
  AttributePath attribute;               // urn + attribute (+ sub_attribute when no filter)
  std::optional<Filter> value_filter;    // the [...] part, attribute names relative to `attribute`
  std::string filtered_sub_attribute;    // the ".value" after "]", empty when absent
};

// Throws scim::Error 400 invalidPath on anything that is not a PATH.
PatchPath parse_patch_path(std::string_view text);

std::string to_string(const AttributePath& path);

}  // namespace scim
