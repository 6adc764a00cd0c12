#pragma once
// RFC 7644 §3.5.2 PATCH: add, replace and remove over attribute paths, value-filter paths,
// full-URN extension paths and path-less operations with an object value, applied atomically:
// either every operation applies or the input is left untouched and scim::Error is thrown.
//
// Tolerances for what IdPs really send (each listed in README with its source):
//  - op names in any case ("Replace", "ADD")                              Entra E1
//  - "True"/"False" strings for boolean attributes                       Entra E2
//  - remove of "members" with a value array naming the members to drop   Entra E3
//  - path-less replace echoing the resource's own read-only "id"         Okta O14
//  - path-less replace keyed by attribute paths ("name.givenName", URNs)  Entra E13
//  - replace/add on a value-filter path that matches nothing creates the element (E11);
//    with strict_rfc it is 400 noTarget as RFC 7644 §3.5.2.3 says.
#include "reference_server/api/faults.hpp"
#include "scim/schema.hpp"

#include <nlohmann/json.hpp>

namespace refserver {

struct PatchOptions {
  bool strict_rfc = false;
};

class PatchEngine {
 public:
  // `faults` are deliberate defects (faults.hpp) for testing the conformance harness.
  PatchEngine(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type, PatchOptions options = {},
              Faults faults = {});

  // `resource` is the current full representation (id, schemas, meta, attributes);
  // `request` is the PatchOp message body. Returns the patched resource. meta is left as is:
  // the caller stamps version and lastModified. Throws scim::Error:
  //   400 invalidSyntax  not a PatchOp message (schemas, Operations missing or malformed)
  //   400 invalidPath    unparsable path or a path naming no attribute of the schema
  //   400 noTarget       remove (or strict replace) whose filter matches nothing; remove without path
  //   400 mutability     a readOnly or immutable attribute targeted (except the O14 id echo)
  //   400 invalidValue   a value of the wrong shape for its attribute
  nlohmann::json apply(const nlohmann::json& resource, const nlohmann::json& request) const;

 private:
  const scim::SchemaRegistry& registry_;
  const scim::ResourceTypeDef& type_;
  PatchOptions options_;
  Faults faults_;
};

}  // namespace refserver
