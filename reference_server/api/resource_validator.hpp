#pragma once
// Turns a resource a client sent (POST body, PUT body, or the result of applying a PATCH) into
// the clean form the store keeps, by the schema of its resource type (RFC 7643 §2, §3, §7), or
// refuses it with scim::Error 400. Runs on every write, so it walks the JSON once and builds
// error paths only when it throws.
//
// What "clean" means:
//  - attribute names in the schema's spelling (RFC 7643 §2.1: names are case-insensitive);
//  - no null values, no empty arrays or objects (RFC 7644 §3.5.1: null is "unassigned");
//  - values of the schema's type (RFC 7643 §2.3), booleans as JSON booleans;
//  - no readOnly attributes (id, meta, groups, members.display...): the server computes them;
//  - no password (see resource_validator.cpp for why);
//  - "schemas" = the core URN plus the declared extensions in use, in the type's order.
#include "scim/schema.hpp"

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace refserver {

enum class WriteMode { create, replace };

// A schema URN some identity provider sends that is no schema of ours, accepted and dropped.
struct ToleratedUrn {
  std::string_view resource_type;  // "Group"; empty for every type
  std::string_view urn;
  std::string_view why;
};

class ResourceValidator {
 public:
  ResourceValidator(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type);

  // `existing` is the stored resource when mode is replace (PUT, PATCH): immutable attributes
  // are checked against it and carried over when the client omitted them. Throws scim::Error
  // 400 (invalidSyntax, invalidValue, mutability) naming the offending attribute.
  nlohmann::json normalize(const nlohmann::json& input, WriteMode mode, const nlohmann::json* existing) const;

  const scim::ResourceTypeDef& type() const { return type_; }

  // The documented tolerance list (see the .cpp for the sources).
  static const std::vector<ToleratedUrn>& tolerated_urns();

 private:
  struct Extension {
    const scim::Schema* schema = nullptr;
    bool required = false;
  };
  const Extension* find_extension(std::string_view urn) const;
  bool is_tolerated(std::string_view urn) const;

  const scim::SchemaRegistry& registry_;
  const scim::ResourceTypeDef& type_;
  const scim::Schema* core_ = nullptr;
  std::vector<Extension> extensions_;
};

// RFC 7643 §2.3.5: xsd:dateTime with both date and time (timezone optional as in XML Schema
// §3.3.7; "T"/"Z" also accepted in lower case as RFC 3339 §5.6 allows).
bool is_valid_date_time(std::string_view text);

// RFC 7643 §2.3.6: base64 per RFC 4648 §4 (standard alphabet, padded).
bool is_valid_base64(std::string_view text);

}  // namespace refserver
