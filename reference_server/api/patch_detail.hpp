#pragma once
// Internals of the PATCH engine (patch.hpp), split out so the message reader and the value
// coercion can be read and tested apart from the operation semantics. Not for other users:
// the resource validator owns the full type checking of stored resources.
#include "reference_server/api/faults.hpp"
#include "scim/schema.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace refserver::patch_detail {

enum class OpKind { add, remove, replace };
std::string_view to_string(OpKind kind);

struct Operation {
  OpKind kind = OpKind::add;
  std::optional<std::string> path;     // absent, null and "" all mean "no path"
  std::optional<nlohmann::json> value;  // absent is not the same as an explicit null
  std::size_t index = 0;                // position in Operations, for error details
};

// Reads the PatchOp message (RFC 7644 §3.5.2). Throws scim::Error 400 invalidSyntax naming the
// missing or malformed member. `faults` may switch on Fault::patch_op_case_sensitive.
std::vector<Operation> parse_patch_message(const nlohmann::json& body, Faults faults = {});

// Attribute names are case-insensitive (RFC 7643 §2.1), so every lookup into resource JSON
// goes through these. The const overload returns end() when absent.
nlohmann::json::iterator find_key(nlohmann::json& object, std::string_view name);
nlohmann::json::const_iterator find_key(const nlohmann::json& object, std::string_view name);
// Removes every key equal to `name` ignoring case; returns whether one was present.
bool erase_key(nlohmann::json& object, std::string_view name);
// Stores `value` under the schema's spelling `name`, dropping keys that differ only in case.
nlohmann::json& set_key(nlohmann::json& object, std::string_view name, nlohmann::json value);

// Value equality as the schema defines it: strings of a caseExact=false attribute compare
// ignoring case (RFC 7643 §2.2 "caseExact"); everything else compares exactly.
bool values_equal(const scim::AttributeDef& def, const nlohmann::json& a, const nlohmann::json& b);

// Coerces one value of `def` (one element when def is multi-valued) to the shape stored:
//  - booleans: "True"/"false" strings become JSON booleans (Entra, idp-quirks E2);
//  - complex: keys in the schema's spelling; null sub-attributes dropped (Entra's
//    "$ref": null, E4); readOnly sub-attributes dropped, as RFC 7644 §3.5.1 has servers ignore
//    them (Okta's members[].display, O15); a bare string becomes {"value": s} and a
//    one-element array is unwrapped for a singular complex attribute (Entra's manager, E15);
//  - other types must already have the JSON type of RFC 7643 §2.3.
// Throws scim::Error 400 invalidValue naming `where` otherwise.
nlohmann::json normalize_single(const scim::AttributeDef& def, const nlohmann::json& value, const std::string& where);

// The whole value of `def`: an array for multi-valued attributes (a single value is wrapped,
// nulls are dropped), normalize_single otherwise.
nlohmann::json normalize_value(const scim::AttributeDef& def, const nlohmann::json& value, const std::string& where);

}  // namespace refserver::patch_detail
