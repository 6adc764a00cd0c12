#pragma once
// What a correct server's filter must select, computed from RFC 7644 §3.4.2.2 and the RFC 7643
// schema characteristics alone. The harness feeds it the resources it created and compares the
// server's ListResponse with the resources this says match.
//
// Independent of the reference server on purpose (ARCHITECTURE.md, "The oracle stays
// independent"): a misreading shared by the server and its judge would pass unseen.
//
// Decisions where RFC 7644 §3.4.2.2 is silent (each is also noted at its code):
//  - binary values compare case-exactly (RFC 7643 §2.3.6 "A binary value is case exact"), although
//    the §8.7.1 listing gives x509Certificates.value caseExact false.
//  - A filter naming an attribute the resource type does not define is refused (400
//    invalidFilter), as is an operator the attribute's type does not support: ordering and
//    substring operators on booleans, ordering on binary (the RFC's SHALL), substring operators
//    on integer/decimal, and a comparison value whose JSON type cannot be that attribute's
//    (a string for `active`, a number for `userName`, an unparsable dateTime).
//  - A complex attribute compared without a sub-attribute (`emails co "example.com"`, used in
//    the RFC's own examples) compares its "value" sub-attribute; when it has none the filter is
//    refused.
//  - `eq null` matches an unassigned attribute and `ne null` an assigned one (RFC 7643 §2.5:
//    null and unassigned are the same state).
//  - `ne` on an unassigned attribute matches (nothing there is identical to the value); on a
//    multi-valued attribute it matches when any value differs (the RFC's "any value" rule).
//  - An extension attribute named without its URN (`employeeNumber`) resolves to the single
//    extension that defines it: RFC 7644 §3.10 says clients SHOULD, not MUST, qualify them.
//  - `schemas` is filterable as a multi-valued, case-insensitive string (URNs are
//    case-insensitive, RFC 7643 §2.1).
#include "scim/filter.hpp"
#include "scim/schema.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace suites {

// True when `resource` (as the server returned it) satisfies `filter`. Throws scim::Error 400
// invalidFilter when a server must refuse the filter; every attribute in the filter is checked
// whether or not evaluation reaches it, so the answer never depends on the data.
bool filter_matches(const scim::Filter& filter, const nlohmann::json& resource, const scim::SchemaRegistry& schemas,
                    const scim::ResourceTypeDef& type);

// The inner filter of a value path (`emails[type eq "work"]`, attribute names relative to the
// multi-valued attribute) applied to one element of `attribute`. Used by the PATCH oracle for
// paths such as members[value eq "..."]. Throws scim::Error 400 invalidFilter like
// filter_matches.
bool element_matches(const scim::Filter& inner, const nlohmann::json& element, const scim::AttributeDef& attribute);

// Equality of two attribute values the way RFC 7643 §2.3 defines it for the attribute's type:
// strings by caseExact, dateTime chronologically, numbers numerically; complex values
// sub-attribute by sub-attribute (unassigned == null == absent). Never throws.
bool values_equal(const nlohmann::json& a, const nlohmann::json& b, const scim::AttributeDef& def);

// An xsd:dateTime (RFC 7643 §2.3.5) as nanoseconds since 1970-01-01T00:00:00Z; a value without
// a zone is read as UTC. nullopt when `text` is not a dateTime.
std::optional<long long> parse_date_time(std::string_view text);

// Case-insensitive member lookup (RFC 7643 §2.1: attribute names are case-insensitive);
// nullptr when `object` is not an object or has no such member.
const nlohmann::json* find_member(const nlohmann::json& object, std::string_view name);
nlohmann::json* find_member(nlohmann::json& object, std::string_view name);

// RFC 7643 §2.5: null, an empty array and an object holding only unassigned members are
// unassigned ("SHALL be considered to be equivalent in 'state'").
bool is_unassigned(const nlohmann::json& value);

}  // namespace suites
