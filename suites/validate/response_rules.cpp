#include "suites/validate/response_rules.hpp"

namespace suites {

namespace {

RuleInfo make(std::string_view id, std::string title, const char* document, std::string section, Level level,
              std::string quote, std::string hint) {
  return RuleInfo{std::string(id), std::move(title),
                  SpecRef{document, std::move(section), level, std::move(quote)}, std::move(hint)};
}

constexpr const char* k7644 = "RFC 7644";
constexpr const char* k7643 = "RFC 7643";

std::vector<RuleInfo> build() {
  std::vector<RuleInfo> rules;
  auto add = [&](RuleInfo info) { rules.push_back(std::move(info)); };

  // ---- RFC 7644: the protocol --------------------------------------------------------------
  add(make(rule::create_status, "A successful create answers 201 Created", k7644, "3.3", Level::must,
           R"q(When the service provider successfully creates the new resource, an HTTP response SHALL be returned with HTTP status code 201 (Created).)q",
           "Answer a successful POST to a resource endpoint with 201, not 200 or 204; reserve 200 for reads, "
           "replacements and modifications."));
  add(make(rule::location_header, "201 Created carries a Location header equal to meta.location", k7644, "3.3",
           Level::must,
           R"q(The URI of the created resource SHALL include, in the HTTP "Location" header and the HTTP body, a JSON representation [RFC7159] with the attribute "meta.location".)q",
           "Set the Location header of every 201 to the new resource's URI, the same absolute URI the body gives "
           "as meta.location."));
  add(make(rule::list_schema, "A list or query response is a ListResponse", k7644, "3.4.2", Level::must,
           R"q(Responses MUST be identified using the following URI: "urn:ietf:params:scim:api:messages:2.0:ListResponse".)q",
           "Wrap query results in {\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"], "
           "\"totalResults\": n, \"Resources\": [...]}; never answer a bare array or a resource."));
  add(make(rule::total_results, "A ListResponse has an integer totalResults", k7644, "3.4.2", Level::must,
           R"q(totalResults  The total number of results returned by the list or query operation.  The value may be larger than the number of resources returned, such as when returning a single page (see Section 3.4.2.4) of results where multiple pages are available.  REQUIRED.)q",
           "Always send totalResults as a non-negative JSON integer (not a string), also when nothing matched."));
  add(make(rule::total_covers_page, "totalResults is at least the number of Resources on the page", k7644, "3.4.2",
           Level::must,
           R"q(totalResults  The total number of results returned by the list or query operation.  The value may be larger than the number of resources returned, such as when returning a single page (see Section 3.4.2.4) of results where multiple pages are available.  REQUIRED.)q",
           "Count every match of the query in totalResults, not the number of matches on the page; it can never be "
           "smaller than the page."));
  add(make(rule::resources_array, "Resources is an array, present whenever totalResults is non-zero", k7644, "3.4.2",
           Level::must,
           R"q(Resources  A multi-valued list of complex objects containing the requested resources.  This MAY be a subset of the full set of resources if pagination (Section 3.4.2.4) is requested.  REQUIRED if "totalResults" is non-zero.)q",
           "Send the page of results as a JSON array named \"Resources\" (capital R); omit it only when "
           "totalResults is 0 or the client asked for count=0."));
  add(make(rule::items_per_page, "itemsPerPage equals the number of Resources returned", k7644, "3.4.2", Level::must,
           R"q(itemsPerPage  The number of resources returned in a list response page.  REQUIRED when partial results are returned due to pagination.)q",
           "Set itemsPerPage to the length of the Resources array actually sent (not the requested count or the "
           "server's page size), and always send it with a partial page."));
  add(make(rule::start_index, "startIndex is the index of the first result returned", k7644, "3.4.2.4", Level::must,
           R"q(startIndex  The 1-based index of the first query result.  A value less than 1 SHALL be interpreted as 1.)q",
           "Echo the startIndex the client asked for (1 when it gave none or less than 1), and always send it with a "
           "partial page."));
  add(make(rule::count_limit, "No more Resources than the requested count", k7644, "3.4.2.4", Level::must,
           R"q(count  Non-negative integer.  Specifies the desired maximum number of query results per page, e.g., 10.  A negative value SHALL be interpreted as "0".  A value of "0" indicates that no resource results are to be returned except for "totalResults".  When specified, the service provider MUST NOT return more results than specified, although it MAY return fewer results.)q",
           "Cut the page at count results (a negative count means 0: return totalResults only)."));
  add(make(rule::delete_status, "A successful DELETE answers 204 No Content without a body", k7644, "3.6",
           Level::must,
           R"q(In response to a successful DELETE, the server SHALL return a successful HTTP status code 204 (No Content).)q",
           "Answer a successful DELETE with 204 and an empty body; do not return the deleted resource with 200."));
  add(make(rule::bulk_schema, "A bulk response is a BulkResponse", k7644, "3.7", Level::must,
           R"q(Bulk responses are identified using the following URI: "urn:ietf:params:scim:api:messages:2.0:BulkResponse".)q",
           "Answer POST /Bulk with {\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:BulkResponse\"], "
           "\"Operations\": [...]}."));
  add(make(rule::bulk_operations, "A BulkResponse lists its Operations, each with a status", k7644, "3.7", Level::must,
           R"q(Operations  Defines operations within a bulk job.  Each operation corresponds to a single HTTP request against a resource endpoint.  REQUIRED.)q",
           "Return an \"Operations\" array with one object per operation processed, each carrying the HTTP "
           "\"status\" of that operation."));
  add(make(rule::bulk_operation_error, "A failed bulk operation carries a SCIM error response", k7644, "3.7",
           Level::must,
           R"q(status  The HTTP response status code for the requested operation.  When indicating an error, the "response" attribute MUST contain a detailed error response as defined in Section 3.12.)q",
           "For every operation whose status is 400 or above, put the RFC 7644 §3.12 error object (Error schema, "
           "status as a string, scimType, detail) under \"response\"."));
  add(make(rule::content_type, "SCIM JSON responses are labelled application/scim+json", k7644, "3.8", Level::must,
           R"q(Service providers MUST support the accept header "Accept: application/scim+json" and SHOULD support the header "Accept: application/json", both of which specify JSON documents conforming to [RFC7159].  The format defaults to "application/scim+json" if no format is specified.)q",
           "Send \"Content-Type: application/scim+json\" on every JSON response, errors included (RFC 7644 §3.1: "
           "SCIM uses this media type to identify its content); answer application/json only to a client whose "
           "Accept header asks for it."));
  add(make(rule::error_json, "An error response has a JSON error body", k7644, "3.12", Level::must,
           R"q(In addition to returning an HTTP response code, implementers MUST return the errors in the body of the response in a JSON format, using the attributes described below.)q",
           "Make every error a JSON object, also those raised by the web framework, the router or an authentication "
           "filter (401, 404 for unknown paths, 405, 413, 500): no HTML or plain-text error pages under the SCIM "
           "base URL."));
  add(make(rule::error_schema, "An error body names the Error schema", k7644, "3.12", Level::must,
           R"q(In addition to returning an HTTP response code, implementers MUST return the errors in the body of the response in a JSON format, using the attributes described below.  Error responses are identified using the following "schema" URI: "urn:ietf:params:scim:api:messages:2.0:Error".)q",
           "Include \"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:Error\"] in every error body."));
  add(make(rule::error_status, "An error body's status is a string equal to the HTTP status", k7644, "3.12",
           Level::must,
           R"q(status  The HTTP status code (see Section 6 of [RFC7231]) expressed as a JSON string.  REQUIRED.)q",
           "Send \"status\": \"404\" (a JSON string) holding the same code as the HTTP status line; an integer 404 "
           "breaks clients that follow the RFC."));
  add(make(rule::error_scim_type, "An error body's scimType is one of the RFC 7644 Table 9 keywords", k7644, "3.12",
           Level::must,
           R"q(scimType  A SCIM detail error keyword.  See Table 9.  OPTIONAL.)q",
           "Use only invalidFilter, tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget, "
           "invalidValue, invalidVers or sensitive, spelled exactly so, or leave scimType out."));
  add(make(rule::error_detail, "An error body's detail is a string", k7644, "3.12", Level::must,
           R"q(detail  A detailed human-readable message.  OPTIONAL.)q",
           "Send detail as a JSON string explaining what was wrong, or leave it out; not an object or an array."));
  add(make(rule::etag_header, "With ETags supported, every resource response has an ETag header", k7644, "3.14",
           Level::must,
           R"q(When supported, SCIM ETags MUST be specified as an HTTP header and SHOULD be specified within the "version" attribute contained in the resource's "meta" attribute.)q",
           "Since ServiceProviderConfig declares etag.supported, send an ETag header on every response that returns "
           "a single resource (create, read, replace, modify), or declare etag.supported false."));

  // ---- RFC 7643: the schema ----------------------------------------------------------------
  add(make(rule::string_type, "String attributes hold JSON strings", k7643, "2.3.1", Level::must,
           R"q(A sequence of zero or more Unicode characters encoded using UTF-8 as per [RFC2277] and [RFC3629].  The JSON format is defined in Section 7 of [RFC7159].)q",
           "Serialize string attributes as JSON strings (\"12345\", not 12345), as the target's own /Schemas "
           "declares them."));
  add(make(rule::boolean_type, "Boolean attributes hold JSON true or false", k7643, "2.3.2", Level::must,
           R"q(The literal "true" or "false".)q",
           "Serialize booleans as the JSON literals true/false, not the strings \"true\"/\"True\" or 0/1."));
  add(make(rule::decimal_type, "Decimal attributes hold JSON numbers", k7643, "2.3.3", Level::must,
           R"q(A real number with at least one digit to the left and right of the period.  The JSON format is defined in Section 6 of [RFC7159].)q",
           "Serialize decimal attributes as JSON numbers, not strings."));
  add(make(rule::integer_type, "Integer attributes hold JSON integers", k7643, "2.3.4", Level::must,
           R"q(A whole number with no fractional digits or decimal.  The JSON format is defined in Section 6 of [RFC7159], with the additional constraint that the value MUST NOT contain fractional or exponent parts.)q",
           "Serialize integer attributes as JSON integers (42, not 42.0, 4.2e1 or \"42\")."));
  add(make(rule::date_time, "DateTime attributes hold xsd:dateTime strings", k7643, "2.3.5", Level::must,
           R"q(A DateTime value (e.g., 2008-01-23T04:56:22Z).  The attribute value MUST be encoded as a valid xsd:dateTime as specified in Section 3.3.7 of [XML-Schema] and MUST include both a date and a time.)q",
           "Format timestamps as \"2008-01-23T04:56:22Z\" (date, 'T', time, optional fraction and zone), never as "
           "epoch numbers, dates without a time or \"2008-01-23 04:56:22\"."));
  add(make(rule::binary_type, "Binary attributes hold base64 strings", k7643, "2.3.6", Level::must,
           R"q(Arbitrary binary data.  The attribute value MUST be base64 encoded as specified in Section 4 of [RFC4648].)q",
           "Send binary values (x509Certificates.value) as standard base64 with padding, without line breaks, "
           "PEM headers or the URL-safe alphabet."));
  add(make(rule::reference_type, "Reference attributes hold URI strings", k7643, "2.3.7", Level::must,
           R"q(In JSON representation, the URI value is represented as a JSON string per Section 7 of [RFC7159].  A reference is case exact.)q",
           "Serialize reference attributes ($ref, profileUrl, photos.value, meta.location) as JSON strings."));
  add(make(rule::complex_type, "Complex attributes hold JSON objects", k7643, "2.3.8", Level::must,
           R"q(A singular or multi-valued attribute whose value is a composition of one or more simple attributes.  The JSON format is defined in Section 4 of [RFC7159].)q",
           "Serialize complex attributes (name, meta, each email, the extension object) as JSON objects with their "
           "sub-attributes as members."));
  add(make(rule::multi_valued_array, "Multi-valued attributes are JSON arrays", k7643, "2.4", Level::must,
           R"q(Multi-valued attributes contain a list of elements using the JSON array format defined in Section 5 of [RFC7159].)q",
           "Send multi-valued attributes (emails, members, groups, ...) as arrays, also when they hold one value."));
  add(make(rule::one_primary, "At most one value of a multi-valued attribute is primary", k7643, "2.4", Level::must,
           R"q(The primary attribute value "true" MUST appear no more than once.)q",
           "When a value is made primary, clear primary on the other values of the same attribute."));
  add(make(rule::schemas_attribute, "Every resource has a schemas array of unique URI strings", k7643, "3", Level::must,
           R"q(The "schemas" attribute is a REQUIRED attribute and is an array of Strings containing URIs that are used to indicate the namespaces of the SCIM schemas that define the attributes present in the current JSON structure. ... Duplicate values MUST NOT be included.)q",
           "Send \"schemas\" as a non-empty array of distinct URN strings on every resource and discovery document, "
           "also when the client used attributes= or excludedAttributes=."));
  add(make(rule::schemas_core, "schemas contains the core schema URN of the resource's type", k7643, "3", Level::must,
           R"q(All representations of SCIM schemas MUST include a non-empty array with value(s) of the URIs supported by that representation.)q",
           "List the resource type's core schema (e.g. urn:ietf:params:scim:schemas:core:2.0:User) in schemas."));
  add(make(rule::schemas_declared, "schemas lists only the type's schema and declared extensions", k7643, "3",
           Level::must,
           R"q(The "schemas" attribute for a resource MUST only contain values defined as "schema" and "schemaExtensions" for the resource's defined "resourceType".)q",
           "Either remove the extra URN from schemas or declare it under schemaExtensions of the ResourceType "
           "served at /ResourceTypes."));
  add(make(rule::schemas_extensions, "schemas lists every extension whose attributes are present", k7643, "3",
           Level::must,
           R"q(The "schemas" attribute is a REQUIRED attribute and is an array of Strings containing URIs that are used to indicate the namespaces of the SCIM schemas that define the attributes present in the current JSON structure.)q",
           "Whenever a resource carries an extension object (e.g. "
           "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\": {...}), add that URN to schemas."));
  add(make(rule::unknown_attribute, "Attributes are defined by the schemas the target serves", k7643, "3", Level::may,
           R"q(The "schemas" attribute is a REQUIRED attribute and is an array of Strings containing URIs that are used to indicate the namespaces of the SCIM schemas that define the attributes present in the current JSON structure.)q",
           "Informational: the attribute is in no schema the target serves at /Schemas. Declare it (in the core "
           "schema or an extension) so that clients can discover it, or stop sending it."));
  add(make(rule::id_present, "Every resource has a non-empty string id", k7643, "3.1", Level::must,
           R"q(Each representation of the resource MUST include a non-empty "id" value.)q",
           "Return the server-assigned id as a non-empty JSON string on every resource representation (ids are "
           "strings even when the database key is a number)."));
  add(make(rule::id_not_bulk_id, "No resource has the id \"bulkId\"", k7643, "3.1", Level::must,
           R"q(The string "bulkId" is a reserved keyword and MUST NOT be specified.)q",
           "Never assign \"bulkId\" as an id; replace bulkId references with the created resource's id."));
  add(make(rule::meta_resource_type, "meta.resourceType names the resource's type", k7643, "3.1", Level::must,
           R"q(resourceType  The name of the resource type of the resource.  This attribute has a mutability of "readOnly" and "caseExact" as "true".)q",
           "Set meta.resourceType to the name of the resource's ResourceType exactly as served at /ResourceTypes "
           "(\"User\", \"Group\")."));
  add(make(rule::last_modified_order, "meta.lastModified is not earlier than meta.created", k7643, "3.1", Level::must,
           R"q(lastModified  The most recent DateTime that the details of this resource were updated at the service provider.  If this resource has never been modified since its initial creation, the value MUST be the same as the value of "created".)q",
           "Set lastModified to created when the resource is created and move it forward on every change; check the "
           "time zone of both values."));
  add(make(rule::content_location, "meta.location equals the Content-Location header", k7643, "3.1", Level::must,
           R"q(location  The URI of the resource being returned.  This value MUST be the same as the "Content-Location" HTTP response header (see Section 3.1.4.2 of [RFC7231]).)q",
           "Send the same absolute URI in meta.location and in Content-Location (or leave Content-Location out)."));
  add(make(rule::version_etag, "meta.version equals the ETag header", k7643, "3.1", Level::must,
           R"q(version  The version of the resource being returned.  This value must be the same as the entity-tag (ETag) HTTP response header (see Sections 2.1 and 2.3 of [RFC7232]).)q",
           "Send the ETag header and meta.version with the identical entity-tag, quotes and W/ prefix included "
           "(ETag: W/\"3694e05e9dff590\" and \"version\": \"W/\\\"3694e05e9dff590\\\"\")."));
  add(make(rule::spc_features, "ServiceProviderConfig declares each feature with a boolean supported", k7643, "5",
           Level::must,
           R"q(supported  A Boolean value specifying whether or not the operation is supported.  REQUIRED.)q",
           "Serve patch, bulk, filter, changePassword, sort and etag in /ServiceProviderConfig, each an object with "
           "\"supported\": true or false (a JSON boolean)."));
  add(make(rule::spc_limits, "ServiceProviderConfig gives its bulk and filter limits as integers", k7643, "5",
           Level::must,
           R"q(maxOperations  An integer value specifying the maximum number of operations.  REQUIRED.)q",
           "Give bulk.maxOperations, bulk.maxPayloadSize and filter.maxResults as JSON integers whenever the "
           "feature is supported."));
  add(make(rule::spc_authentication, "ServiceProviderConfig describes its authentication schemes", k7643, "5",
           Level::must,
           R"q(authenticationSchemes  A multi-valued complex type that specifies supported authentication scheme properties.  To enable seamless discovery of configurations, the service provider SHOULD, with the appropriate security considerations, make the authenticationSchemes attribute publicly accessible without prior authentication.  REQUIRED.)q",
           "Serve authenticationSchemes as an array of objects, each with string type (e.g. \"oauthbearertoken\"), "
           "name and description."));
  add(make(rule::resource_type_document, "ResourceType documents give name, endpoint and schema", k7643, "6",
           Level::must,
           R"q(endpoint  The resource type's HTTP-addressable endpoint relative to the Base URL of the service provider, e.g., "/Users".  REQUIRED.)q",
           "Serve each ResourceType with string name, endpoint and schema, and schemaExtensions entries each with a "
           "string schema and a boolean required."));
  add(make(rule::schema_document, "Schema documents give their URN and attribute definitions", k7643, "7", Level::must,
           R"q(type  The attribute's data type.  Valid values are "string", "boolean", "decimal", "integer", "dateTime", "reference", and "complex".)q",
           "Serve each schema with its URN as id and an attributes array; every attribute needs a string name and "
           "one of the RFC 7643 §2.3 types (binary included), sub-attributes likewise."));
  add(make(rule::single_valued, "Single-valued attributes are not arrays", k7643, "7", Level::must,
           R"q(multiValued  A Boolean value indicating the attribute's plurality.)q",
           "Send single-valued attributes (userName, name, active, manager, ...) as one value, not wrapped in an "
           "array, as the target's own /Schemas declares them."));
  add(make(rule::returned_never, "Attributes with returned \"never\" are never returned", k7643, "7", Level::must,
           R"q(never  The attribute is never returned.  This may occur because the original attribute value (e.g., a hashed value) is not retained by the service provider.)q",
           "Strip attributes whose schema says returned \"never\" (password) from every response, lists and "
           "create/replace echoes included."));
  return rules;
}

}  // namespace

const std::vector<RuleInfo>& response_rules() {
  static const std::vector<RuleInfo> rules = build();
  return rules;
}

const RuleInfo* find_response_rule(std::string_view id) {
  for (const auto& info : response_rules())
    if (info.id == id) return &info;
  return nullptr;
}

}  // namespace suites
