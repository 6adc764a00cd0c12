#pragma once
// The filter grammar of RFC 7644 §3.4.2.2 as an AST. Parsing is shared vocabulary; evaluation
// against resources belongs to whoever holds the resources (the reference server has its own).
//
//   FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
//   valuePath = attrPath "[" valFilter "]"
//   attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
//   logExp    = FILTER SP ("and" / "or") SP FILTER
// Precedence: "not" and parentheses bind tightest, then "and", then "or" (RFC 7644 §3.4.2.2:
// "and" has higher precedence than "or"). Operators and keywords are case-insensitive.
#include "scim/error.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace scim {

struct AttributePath {
  std::string urn;            // "" unless fully qualified
  std::string attribute;      // "emails"
  std::string sub_attribute;  // "value" in "emails.value", "" when absent
};

enum class CompareOp { eq, ne, co, sw, ew, gt, lt, ge, le, pr };
std::string_view to_string(CompareOp op);  // "eq", ...

struct Filter {
  enum class Kind { compare, logical_and, logical_or, logical_not, value_path };
  Kind kind = Kind::compare;

  // compare: path op value (value is null for pr; a JSON string, number, boolean or null).
  // value_path: path names the multi-valued attribute, children[0] is the filter inside [...],
  // whose attribute names are relative to it.
  AttributePath path;
  CompareOp op = CompareOp::eq;
  nlohmann::json value;

  // logical_and / logical_or: two children; logical_not / value_path: one.
  std::vector<Filter> children;
};

// Throws scim::Error 400 invalidFilter with a detail naming the position and what was expected.
// Nesting deeper than 64 levels is refused the same way (a guard against stack exhaustion).
Filter parse_filter(std::string_view text);

// Canonical text form: every and/or group parenthesised so precedence is visible (a single
// comparison is left bare); used in tests and error details.
std::string to_string(const Filter& filter);

}  // namespace scim
