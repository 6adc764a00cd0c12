#pragma once
// JSON helpers for data-declared expectations. SCIM attribute names are case-insensitive
// (RFC 7643 §2.1), so lookups by key and by pointer ignore case; values compare exactly.
#include "suites/oracle/filter_oracle.hpp"  // find_member: case-insensitive member lookup

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace suites {

// RFC 6901 pointer ("/name/givenName", "/emails/0/value") with case-insensitive member names.
const nlohmann::json* find_pointer(const nlohmann::json& document, std::string_view pointer);

// Whether `actual` contains `expected`: every expected member present (case-insensitive name)
// with a matching value, every expected array element matched by a distinct actual element,
// scalars equal. On a mismatch, `where` gets the pointer and what differed.
bool contains_subset(const nlohmann::json& actual, const nlohmann::json& expected, std::string* where = nullptr);

// Replaces {{NAME}} in every string of `value` from `variables`; an unknown name throws
// std::invalid_argument naming it (a broken fixture is a harness error, never a verdict).
nlohmann::json substitute(const nlohmann::json& value, const std::map<std::string, std::string>& variables);
std::string substitute_text(std::string_view text, const std::map<std::string, std::string>& variables);

// Short text of a value for a check's expected/actual columns.
std::string brief(const nlohmann::json& value, std::size_t limit = 200);

}  // namespace suites
