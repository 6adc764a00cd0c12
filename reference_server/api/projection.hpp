#pragma once
// RFC 7644 §3.4.2.5 "attributes" and "excludedAttributes": which attributes of a resource a
// response carries, combined with each attribute's "returned" characteristic (RFC 7643 §7).
//
// Rules (RFC 7643 §7, RFC 7644 §3.4.2.5, §3.9):
//  - returned "always" (id, schemas) is in every response, whatever the request says;
//  - returned "never" (password) is in none;
//  - returned "request" only when named in "attributes";
//  - with "attributes", only the named attributes (plus "always"); "name.givenName" selects a
//    sub-attribute, "urn:...:enterprise:2.0:User:department" one extension attribute, the bare
//    extension URN the whole extension object, the bare core URN every core attribute;
//  - with "excludedAttributes", the default set minus the named ones ("always" stays);
//  - when both are given, "attributes" wins and "excludedAttributes" is ignored (the RFC does
//    not say; taking the positive list is the reading that never hides what was asked for);
//  - names are case-insensitive (RFC 7643 §2.1); a name no schema defines selects nothing.
#include "scim/attribute_path.hpp"
#include "scim/schema.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace refserver {

struct Projection {
  std::vector<scim::AttributePath> attributes;
  std::vector<scim::AttributePath> excluded;

  bool empty() const { return attributes.empty() && excluded.empty(); }
};

// Comma-separated attribute paths as in the query string (RFC 7644 §3.4.2.5). Blank items are
// skipped. Throws scim::Error 400 invalidValue on a path that is not an attrPath.
Projection parse_projection(std::string_view attributes_csv, std::string_view excluded_csv);

// The JSON arrays of a POST .search body (RFC 7644 §3.4.3); an item may itself hold commas.
Projection parse_projection(const std::vector<std::string>& attributes, const std::vector<std::string>& excluded);

// The representation of `resource` (a full stored resource of `type`) that `projection` asks for.
nlohmann::json project(const nlohmann::json& resource, const Projection& projection,
                       const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type);

}  // namespace refserver
