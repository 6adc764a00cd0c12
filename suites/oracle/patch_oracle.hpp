#pragma once
// What a correct server must hold, or answer, after a PATCH (RFC 7644 §3.5.2), computed from
// the resource as the server last returned it and the PatchOp message the harness sent. Written
// from the RFC text alone, never from the reference server's PATCH engine, so that a misreading
// cannot be shared by the server and its judge.
//
// Two readings are available. `rfc` is the RFC as written. `idp` additionally accepts what Okta
// and Entra ID really send (shared/reference/idp-quirks.md), the way a server that wants to be
// provisioned by them must:
//   - op names in any case ("Replace", "Add"; Entra E1);
//   - "True"/"False" (any case) for boolean attributes, stored as JSON booleans (Entra E2);
//   - {"op":"Remove","path":"members","value":[{"value":"<id>"}]} removing only the listed
//     values of any multi-valued attribute (Entra E3);
//   - a path-less replace carrying the readOnly `id` equal to the resource's id, which is
//     ignored (Okta O14);
//   - `primary: true` on one value clearing `primary` on the others of that attribute;
//   - a value filter that matches nothing in add/replace (`emails[type eq "work"].value`)
//     creating the value from the filter's eq terms (Entra E11), and a remove whose filter
//     matches nothing succeeding unchanged;
//   - path-less values keyed by attribute paths ("name.givenName", URN-qualified names; Entra
//     E13), and a complex singular attribute given as a bare string or a one-element array
//     (Entra's `manager`, E15).
// Under `rfc` each of these is the error the RFC implies; PatchExpectation::why says which.
//
// Decisions where RFC 7644 §3.5.2 is silent or ambiguous (each is noted at its code too):
//  - remove of a required attribute: 400 mutability, per §3.5.2.2 "If an attribute is removed or
//    becomes unassigned and is defined as a required attribute or a read-only attribute, the
//    server SHALL return ... "mutability"". A replace/add that leaves a required attribute
//    unassigned (value null) is 400 invalidValue ("A required value was missing", §3.12).
//  - add and replace on a singular complex attribute merge sub-attributes (§3.5.2.3 says so for
//    replace; §3.5.2.1 asks for "a set of sub-attributes" for add).
//  - add of a value a multi-valued attribute already holds changes nothing (§3.5.2.1 SHOULD);
//    values with a "$ref" sub-attribute (members) are the same when their "value" is.
//  - readOnly sub-attributes inside a new value (members[].display) are dropped, not refused:
//    §3.5.2.1's own example adds a member with "display". A path or a path-less key naming a
//    readOnly attribute is 400 mutability (§3.5.2: "a client MUST NOT modify an attribute that
//    has mutability "readOnly" or "immutable"").
//  - an immutable attribute may be set when unassigned or to the value it already has.
//  - a value filter matching nothing is 400 noTarget for replace (§3.5.2.3 SHALL), and, under
//    `rfc`, also for add and remove (§3.12: noTarget "occurs when the specified "path" value
//    contains a filter that yields no match").
//  - remove of an attribute that has no value succeeds and changes nothing.
//  - `attr.sub` on a multi-valued attribute without a filter addresses that sub-attribute of
//    every value; with no values it is 400 noTarget.
//  - a path naming an attribute the resource type does not define is 400 invalidPath (noTarget
//    also acceptable); an unknown attribute inside a value is 400 invalidValue (invalidPath
//    also acceptable).
//  - "schemas" inside a path-less value is ignored: the server derives it from the attributes
//    present (RFC 7643 §3). An extension URN is added to "schemas" when its attributes appear.
//  - the Operations array must be non-empty and "schemas" must hold the PatchOp URN (§3.5.2
//    MUST), otherwise 400 invalidSyntax; a missing "value" for add/replace is 400 invalidValue.
#include "scim/schema.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace suites {

enum class PatchLeniency { rfc, idp };

struct PatchExpectation {
  bool ok = true;
  // On success the resource a correct server holds afterwards (meta untouched, `returned:
  // never` attributes dropped); on failure the resource unchanged (RFC 7644 §3.5.2: "the
  // original SCIM resource MUST be restored").
  nlohmann::json resource;
  int status = 200;        // 200 on success (204 is equally correct, RFC 7644 §3.5.2)
  std::string scim_type;   // RFC 7644 §3.12 spelling: "noTarget", ...; empty on success
  std::string why;         // the operation at fault, the rule broken, and the RFC section
  // Other scimType values a correct server may give for the same error where the RFC leaves the
  // choice open (e.g. "noTarget" beside "invalidPath" for an unknown attribute).
  std::vector<std::string> also_acceptable_scim_types;
};

// Never throws for anything in the request: a request a server must refuse is an expectation
// with ok == false. Throws std::invalid_argument when `before` is not a JSON object (a harness
// fault, not a server's).
PatchExpectation expect_patch(const nlohmann::json& before, const nlohmann::json& patch_request,
                              const scim::SchemaRegistry& schemas, const scim::ResourceTypeDef& type,
                              PatchLeniency leniency);

// How `actual` differs from `expected`, one human-readable line per difference naming the
// attribute path and both values; empty when they agree. Compared the way a reviewer would:
// attribute names case-insensitive; `meta`, readOnly attributes other than `id` (User.groups),
// readOnly sub-attributes (members.display), "$ref" and the "type" of reference values
// (members.type) and `returned: never` attributes ignored; multi-valued attributes as multisets;
// strings by the schema's caseExact; null, [] and absent alike; `primary: false` as absent; an
// extension URN in "schemas" ignored when that extension holds no value.
std::vector<std::string> resource_differences(const nlohmann::json& expected, const nlohmann::json& actual,
                                              const scim::SchemaRegistry& schemas, const scim::ResourceTypeDef& type);

}  // namespace suites
