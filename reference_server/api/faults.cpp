#include "reference_server/api/faults.hpp"

#include <stdexcept>

namespace refserver {

const std::vector<FaultInfo>& known_faults() {
  static const std::vector<FaultInfo> faults = {
      {Fault::username_filter_case_sensitive, "username-filter-case-sensitive",
       "filter userName eq \"...\" compares case-exactly: a User created as \"BJensen\" is not found by "
       "userName eq \"bjensen\"",
       "RFC 7643 §4.1.1 (userName caseExact=false); RFC 7644 §3.4.2.2"},
      {Fault::filter_and_or_precedence, "filter-and-or-precedence",
       "in a filter mixing and/or without parentheses, \"or\" binds tighter than \"and\": "
       "a or b and c is evaluated as (a or b) and c",
       "RFC 7644 §3.4.2.2 (\"and\" takes precedence over \"or\")"},
      {Fault::invalid_filter_500, "invalid-filter-500",
       "an unparsable or invalid filter answers 500 with no scimType instead of 400 invalidFilter",
       "RFC 7644 §3.4.2.2, §3.12 (invalidFilter)"},
      {Fault::start_index_zero_based, "start-index-zero-based",
       "startIndex is used as a 0-based offset: startIndex=1 skips the first result (a request without "
       "startIndex is unaffected)",
       "RFC 7644 §3.4.2.4 (startIndex is 1-based)"},
      {Fault::count_ignored, "count-ignored",
       "count is ignored: every match is returned on one page (up to filter.maxResults)",
       "RFC 7644 §3.4.2.4"},
      {Fault::total_results_page_size, "total-results-page-size",
       "ListResponse totalResults is the number of resources on the page, not the number of matches",
       "RFC 7644 §3.4.2 (totalResults)"},
      {Fault::sort_ignored, "sort-ignored",
       "sortBy and sortOrder are accepted but results stay in creation order, although ServiceProviderConfig "
       "advertises sort.supported=true",
       "RFC 7644 §3.4.2.3"},
      {Fault::attributes_ignored, "attributes-ignored",
       "the attributes and excludedAttributes parameters are ignored: every response holds the default "
       "representation",
       "RFC 7644 §3.9, §3.4.2.5"},
      {Fault::create_returns_200, "create-returns-200",
       "a successful POST answers 200 OK instead of 201 Created", "RFC 7644 §3.3"},
      {Fault::no_location_header, "no-location-header",
       "201 Created carries no Location header (meta.location is still in the body)", "RFC 7644 §3.3"},
      {Fault::no_duplicate_409, "no-duplicate-409",
       "a POST whose userName (Group: displayName) is already taken answers 201 with the existing resource "
       "instead of 409 uniqueness",
       "RFC 7644 §3.3, §3.12 (uniqueness)"},
      {Fault::missing_meta, "missing-meta",
       "resources are returned without meta.location and meta.version (resourceType, created and "
       "lastModified remain)",
       "RFC 7643 §3.1; RFC 7644 §3.3 (meta.location)"},
      {Fault::groups_not_computed, "groups-not-computed",
       "User.groups is never filled: a member of a Group shows no groups", "RFC 7643 §4.1.2"},
      {Fault::password_returned, "password-returned",
       "the password sent in POST /Users is stored and returned in every representation of the User",
       "RFC 7643 §4.1.1, §7 (password returned \"never\")"},
      {Fault::patch_op_case_sensitive, "patch-op-case-sensitive",
       "PATCH op names must be lower case: \"Add\", \"Replace\", \"Remove\" (as Entra ID sends them) are "
       "refused with 400 invalidSyntax",
       "RFC 7644 §3.5.2; Entra ID SCIM guidance (case-insensitive ops)"},
      {Fault::entra_member_removal_ignored, "entra-member-removal-ignored",
       "PATCH remove with a path naming a multi-valued attribute (Entra ID: \"members\") and a value array "
       "listing what to remove answers 200 but removes nothing",
       "RFC 7644 §3.5.2.2; Entra ID member removal"},
      {Fault::patch_not_atomic, "patch-not-atomic",
       "PATCH operations before a failing operation stay applied and stored, although the request answers "
       "with the error",
       "RFC 7644 §3.5.2 (a PATCH request SHALL be treated as atomic)"},
      {Fault::etag_ignored, "etag-ignored",
       "If-Match is ignored: PUT, PATCH and DELETE with a stale ETag succeed instead of answering 412",
       "RFC 7644 §3.14"},
      {Fault::no_etag, "no-etag",
       "responses carry no ETag header, although ServiceProviderConfig advertises etag.supported=true "
       "(meta.version is still in the body)",
       "RFC 7644 §3.14"},
      {Fault::delete_returns_200_body, "delete-returns-200-body",
       "a successful DELETE answers 200 with the deleted resource instead of 204 No Content", "RFC 7644 §3.6"},
      {Fault::error_status_number, "error-status-number",
       "error bodies give \"status\" as a JSON number (404) instead of a string (\"404\")", "RFC 7644 §3.12"},
      {Fault::error_plain_json, "error-plain-json",
       "error responses are Content-Type application/json and their body has no \"schemas\" with the Error "
       "URN",
       "RFC 7644 §3.12, §8.1"},
      {Fault::auth_any_token, "auth-any-token",
       "any bearer token is accepted; only a request without a Bearer Authorization header is refused",
       "RFC 7644 §2, §3.12 (401); RFC 6750 §3.1"},
      {Fault::unauthorized_no_body, "unauthorized-no-body",
       "401 responses have an empty body instead of a SCIM error (WWW-Authenticate is still sent)",
       "RFC 7644 §3.12"},
      {Fault::schemas_missing_enterprise, "schemas-missing-enterprise",
       "/Schemas omits the enterprise User extension that /ResourceTypes/User declares; "
       "GET /Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User is 404",
       "RFC 7644 §4; RFC 7643 §6 (schemaExtensions)"},
      {Fault::username_case_sensitive, "username-case-sensitive",
       "userName is compared case-exactly everywhere: in filters and for uniqueness, so "
       "\"Alan.Turing@Example.com\" and \"alan.turing@example.com\" become two users (use with --profile rfc; "
       "the clickhouse profile lowercases userName first)",
       "RFC 7643 §4.1.1 (userName caseExact=false, unique)"},
      {Fault::deactivation_ignored, "deactivation-ignored",
       "a PUT or PATCH setting active to false answers 200 but the user stays active: the leaver keeps "
       "access",
       "RFC 7643 §4.1.1 (active); RFC 7644 §3.5.1, §3.5.2"},
      {Fault::member_removal_ignored, "member-removal-ignored",
       "a PUT or PATCH that takes members out of a group answers 200 but every member stays, whatever form "
       "the removal takes",
       "RFC 7644 §3.5.1, §3.5.2.2"},
      {Fault::throttle, "throttle",
       "one SCIM request in five is answered 429 Too Many Requests with Retry-After: 1 (the admin endpoint "
       "is never throttled)",
       "RFC 7644 §3.12 (error body); RFC 6585 §4 (429), RFC 7231 §7.1.3 (Retry-After)"},
  };
  return faults;
}

std::string case_exact_name_key(std::string_view name) {
  std::string key;
  key.reserve(name.size() + 4);
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      key += '\x01';
      key += static_cast<char>(c + ('a' - 'A'));
    } else {
      key += c;
    }
  }
  return key;
}

const FaultInfo& fault_info(Fault fault) {
  // known_faults() is in enum order; the api_faults test checks that.
  return known_faults().at(static_cast<std::size_t>(fault));
}

std::string_view to_string(Fault fault) { return fault_info(fault).name; }

Fault parse_fault(std::string_view name) {
  for (const auto& info : known_faults())
    if (info.name == name) return info.fault;
  std::string valid;
  for (const auto& info : known_faults()) valid += (valid.empty() ? "" : ", ") + info.name;
  throw std::invalid_argument("unknown fault \"" + std::string(name) + "\"; valid faults are: " + valid);
}

Faults parse_faults(const std::vector<std::string>& names) {
  Faults faults;
  for (const auto& name : names) faults.add(parse_fault(name));
  return faults;
}

std::vector<std::string> Faults::names() const {
  std::vector<std::string> out;
  for (const auto& info : known_faults())
    if (has(info.fault)) out.push_back(info.name);
  return out;
}

}  // namespace refserver
