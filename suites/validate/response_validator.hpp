#pragma once
// Judges any response a target gives, not only the one a case is about: status codes, headers
// and bodies against RFC 7643/7644 and against the schemas the target itself serves. Every
// finding names a rule of response_rules() and says where (a JSON Pointer into the body) and
// what was expected. The validator never raises on what a server sends: a broken response is a
// finding. When a response could be read two ways, it is not flagged.
#include "scim/schema.hpp"
#include "simulator/client/exchange.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace suites {

struct Finding {
  std::string rule;      // an id of response_rules()
  std::string message;   // what is wrong, in a sentence
  std::string expected;  // what the RFC asks for here
  std::string actual;    // what the target sent
  std::string pointer;   // RFC 6901 pointer into the response body; "" for the status line, headers or the whole body
};

struct ValidationContext {
  // The target's schemas and resource types (from /Schemas and /ResourceTypes, or RFC 7643's).
  // Without it only /Users and /Groups are recognised and attribute types are not judged.
  const scim::SchemaRegistry* schemas = nullptr;
  // The target's SCIM base URL ("http://host/scim/v2"); requests outside it are not judged.
  // Empty: the endpoint is found anywhere in the request path.
  std::string base_url;
  // ServiceProviderConfig's etag.supported.
  bool etag_supported = false;
  // False when `schemas` are RFC 7643's stand-ins because the target's own /Schemas or
  // /ResourceTypes could not be used: what the target declares is then unknown, so
  // schemas-declared-only and unknown-attribute are not judged.
  bool schemas_declared_by_target = true;
};

// What a request was, inferred from its method and its URL relative to the base URL.
enum class RequestKind {
  create,                   // POST /Users
  read,                     // GET /Users/{id}
  replace,                  // PUT /Users/{id}
  modify,                   // PATCH /Users/{id}
  remove,                   // DELETE /Users/{id}
  list,                     // GET /Users
  search,                   // POST /Users/.search or POST /.search
  bulk,                     // POST /Bulk
  service_provider_config,  // GET /ServiceProviderConfig
  resource_types,           // GET /ResourceTypes
  resource_type,            // GET /ResourceTypes/{id}
  schemas,                  // GET /Schemas
  schema,                   // GET /Schemas/{id}
  other,                    // anything else under the base URL (/Me, unknown paths, other methods)
};

std::string_view to_string(RequestKind kind);  // "create", ..., "delete", ..., "other"

struct RequestTarget {
  RequestKind kind = RequestKind::other;
  // The resource type addressed (create .. search); nullptr for POST /.search and non-resource kinds.
  const scim::ResourceTypeDef* type = nullptr;
  std::string id;         // the path segment after the endpoint: resource id, schema URN, ResourceType id
  bool in_scope = false;  // the URL lies under the base URL (always true with an empty base URL)
};

RequestTarget classify_request(const scimclient::HttpRequestSpec& request, const ValidationContext& context);

// Every finding for one exchange; empty when the response is acceptable or was not judged (no
// response arrived, or the request went outside the base URL).
std::vector<Finding> validate_exchange(const scimclient::Exchange& exchange, const ValidationContext& context);

}  // namespace suites
