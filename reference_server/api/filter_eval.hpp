#pragma once
// Evaluates an RFC 7644 §3.4.2.2 filter against one resource's JSON. Comparison rules come from
// the schema: caseExact decides string case sensitivity (userName matches case-insensitively),
// the attribute type decides ordering (dateTime chronologically, numbers numerically, booleans
// only eq/ne). Multi-valued attributes match when any value matches (RFC 7644 §3.4.2.2).
#include "scim/filter.hpp"
#include "scim/schema.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace refserver {

// A filter checked and resolved against one resource type's schema (FilterEvaluator::compile):
// attribute definitions looked up, operators checked, literals folded and dateTimes parsed once,
// so scanning many resources costs no schema lookups and no allocation per resource.
// Holds pointers into the SchemaRegistry, which must outlive it.
class CompiledFilter {
 public:
  CompiledFilter();
  ~CompiledFilter();
  CompiledFilter(CompiledFilter&&) noexcept;
  CompiledFilter& operator=(CompiledFilter&&) noexcept;

  struct Node;  // defined in filter_evaluator.cpp

 private:
  friend class FilterEvaluator;
  std::vector<Node> nodes_;  // nodes_[0] is the root
};

class FilterEvaluator {
 public:
  FilterEvaluator(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type);

  // Resolves and checks `filter` without looking at any resource, so a bad filter is refused
  // with 400 invalidFilter even when nothing would be compared (an empty store). Throws what
  // matches() documents below.
  CompiledFilter compile(const scim::Filter& filter) const;
  // `filter` must come from this evaluator's compile() (it is bound to the resource type).
  bool matches(const CompiledFilter& filter, const nlohmann::json& resource) const;

  // Throws scim::Error 400 invalidFilter for comparisons the RFC forbids: gt/lt/ge/le on
  // booleans or complex attributes, a comparison on a complex attribute without a
  // sub-attribute, an attribute path into an unknown schema URN.
  // Unknown attribute names simply match nothing.
  // Compiles on every call: when testing many resources, compile() once and use the overload
  // above.
  bool matches(const scim::Filter& filter, const nlohmann::json& resource) const;

  // The same rules applied to one element of a multi-valued complex attribute, as in
  // PATCH's members[value eq "..."] and emails[type eq "work"]: `attribute` is the
  // definition of the multi-valued attribute, names inside `filter` are relative to it.
  bool matches_element(const scim::Filter& filter, const scim::AttributeDef& attribute,
                       const nlohmann::json& element) const;

  // compile() for a filter whose names are relative to the complex attribute `attribute`, and
  // its evaluation against one element, for callers that test many elements.
  CompiledFilter compile_element(const scim::Filter& filter, const scim::AttributeDef& attribute) const;
  bool matches_element(const CompiledFilter& filter, const nlohmann::json& element) const;

 private:
  bool evaluate(const CompiledFilter& filter, std::uint32_t node, const nlohmann::json& resource,
                const nlohmann::json* element) const;

  const scim::SchemaRegistry& registry_;
  const scim::ResourceTypeDef& type_;
};

}  // namespace refserver
