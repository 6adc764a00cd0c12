#pragma once
// Evaluates an RFC 7644 §3.4.2.2 filter against one resource's JSON. Comparison rules come from
// the schema: caseExact decides string case sensitivity (userName matches case-insensitively),
// the attribute type decides ordering (dateTime chronologically, numbers numerically, booleans
// only eq/ne). Multi-valued attributes match when any value matches (RFC 7644 §3.4.2.2).
#include "scim/filter.hpp"
#include "scim/schema.hpp"

#include <nlohmann/json.hpp>

namespace refserver {

class FilterEvaluator {
 public:
  FilterEvaluator(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type);

  // Throws scim::Error 400 invalidFilter for comparisons the RFC forbids: gt/lt/ge/le on
  // booleans or complex attributes, a comparison on a complex attribute without a
  // sub-attribute, an attribute path into an unknown schema URN.
  // Unknown attribute names simply match nothing.
  bool matches(const scim::Filter& filter, const nlohmann::json& resource) const;

  // The same rules applied to one element of a multi-valued complex attribute, as in
  // PATCH's members[value eq "..."] and emails[type eq "work"]: `attribute` is the
  // definition of the multi-valued attribute, names inside `filter` are relative to it.
  bool matches_element(const scim::Filter& filter, const scim::AttributeDef& attribute,
                       const nlohmann::json& element) const;

 private:
  const scim::SchemaRegistry& registry_;
  const scim::ResourceTypeDef& type_;
};

}  // namespace refserver
