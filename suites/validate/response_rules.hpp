#pragma once
// The response rules: every requirement the response validator checks on every exchange, each
// under a stable id in the case-id form (<spec>/<section>/<slug>) so that the catalog lists it
// beside the cases and a run reports it like one. The quote is the RFC's text; the hint says how
// to fix a server that breaks the rule.
#include "suites/catalog/case_info.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace suites {

struct RuleInfo {
  std::string id;     // "rfc7644/3.12/error-status"; the slug never changes
  std::string title;  // one line a reader understands without the RFC at hand
  SpecRef spec;
  std::string hint;   // how to fix the server
};

// Every rule, RFC 7644 first, then RFC 7643, each in section order.
const std::vector<RuleInfo>& response_rules();

// The rule with this id; nullptr when there is none.
const RuleInfo* find_response_rule(std::string_view id);

// The ids, spelled once so the validator and its tests cannot drift from the table.
namespace rule {
// RFC 7644
inline constexpr std::string_view content_type = "rfc7644/3.8/content-type-scim-json";
inline constexpr std::string_view create_status = "rfc7644/3.3/create-201";
inline constexpr std::string_view location_header = "rfc7644/3.3/location-header";
inline constexpr std::string_view list_schema = "rfc7644/3.4.2/list-response-schema";
inline constexpr std::string_view total_results = "rfc7644/3.4.2/total-results";
inline constexpr std::string_view total_covers_page = "rfc7644/3.4.2/total-results-covers-page";
inline constexpr std::string_view resources_array = "rfc7644/3.4.2/resources-array";
inline constexpr std::string_view items_per_page = "rfc7644/3.4.2/items-per-page";
inline constexpr std::string_view start_index = "rfc7644/3.4.2.4/start-index";
inline constexpr std::string_view count_limit = "rfc7644/3.4.2.4/count-limit";
inline constexpr std::string_view delete_status = "rfc7644/3.6/delete-204";
inline constexpr std::string_view bulk_schema = "rfc7644/3.7/bulk-response-schema";
inline constexpr std::string_view bulk_operations = "rfc7644/3.7/bulk-operations";
inline constexpr std::string_view bulk_operation_error = "rfc7644/3.7/bulk-operation-error";
inline constexpr std::string_view error_json = "rfc7644/3.12/error-json-body";
inline constexpr std::string_view error_schema = "rfc7644/3.12/error-schema";
inline constexpr std::string_view error_status = "rfc7644/3.12/error-status";
inline constexpr std::string_view error_scim_type = "rfc7644/3.12/error-scim-type";
inline constexpr std::string_view error_detail = "rfc7644/3.12/error-detail";
inline constexpr std::string_view etag_header = "rfc7644/3.14/etag-header";
// RFC 7643
inline constexpr std::string_view string_type = "rfc7643/2.3.1/string-value";
inline constexpr std::string_view boolean_type = "rfc7643/2.3.2/boolean-value";
inline constexpr std::string_view decimal_type = "rfc7643/2.3.3/decimal-value";
inline constexpr std::string_view integer_type = "rfc7643/2.3.4/integer-value";
inline constexpr std::string_view date_time = "rfc7643/2.3.5/datetime-value";
inline constexpr std::string_view binary_type = "rfc7643/2.3.6/binary-base64";
inline constexpr std::string_view reference_type = "rfc7643/2.3.7/reference-value";
inline constexpr std::string_view complex_type = "rfc7643/2.3.8/complex-value";
inline constexpr std::string_view multi_valued_array = "rfc7643/2.4/multi-valued-array";
inline constexpr std::string_view one_primary = "rfc7643/2.4/one-primary";
inline constexpr std::string_view schemas_attribute = "rfc7643/3/schemas-attribute";
inline constexpr std::string_view schemas_core = "rfc7643/3/schemas-core-urn";
inline constexpr std::string_view schemas_declared = "rfc7643/3/schemas-declared-only";
inline constexpr std::string_view schemas_extensions = "rfc7643/3/schemas-lists-extensions";
inline constexpr std::string_view unknown_attribute = "rfc7643/3/unknown-attribute";
inline constexpr std::string_view id_present = "rfc7643/3.1/id-present";
inline constexpr std::string_view id_not_bulk_id = "rfc7643/3.1/id-not-bulkid";
inline constexpr std::string_view meta_resource_type = "rfc7643/3.1/meta-resource-type";
inline constexpr std::string_view last_modified_order = "rfc7643/3.1/last-modified-not-before-created";
inline constexpr std::string_view content_location = "rfc7643/3.1/location-content-location";
inline constexpr std::string_view version_etag = "rfc7643/3.1/version-matches-etag";
inline constexpr std::string_view spc_features = "rfc7643/5/spc-features";
inline constexpr std::string_view spc_limits = "rfc7643/5/spc-limits";
inline constexpr std::string_view spc_authentication = "rfc7643/5/spc-authentication-schemes";
inline constexpr std::string_view resource_type_document = "rfc7643/6/resource-type-document";
inline constexpr std::string_view schema_document = "rfc7643/7/schema-document";
inline constexpr std::string_view single_valued = "rfc7643/7/single-valued-not-array";
inline constexpr std::string_view returned_never = "rfc7643/7/returned-never";
}  // namespace rule

}  // namespace suites
