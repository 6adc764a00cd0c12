#pragma once
// Everything `scimulator serve` lets a user tune about the SCIM layer. Plain data.
#include "reference_server/api/faults.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace refserver {

struct ServiceConfig {
  std::string base_path = "/scim/v2";
  // Absolute URL prefix for meta.location and Location headers, e.g. http://127.0.0.1:8080/scim/v2.
  std::string base_url = "http://127.0.0.1/scim/v2";
  // Static bearer tokens (`serve --token`), accepted beside the scim_ tokens of the data file.
  std::vector<std::string> bearer_tokens;
  // The credential of the admin endpoint (/admin, admin_endpoint.hpp); empty turns it off.
  std::string admin_token;
  // "clickhouse": the modelled service's rules (provisioning/clickhouse_profile.hpp) on top of
  // RFC behaviour; "rfc": RFC behaviour only. Both keep the audit log.
  std::string profile = "rfc";
  // RFC behaviour where IdPs need otherwise (README "IdP tolerances" lists each conflict).
  bool strict_rfc = false;
  // Advertised in /ServiceProviderConfig and enforced.
  std::size_t max_results = 1000;            // filter.maxResults: a page never holds more
  std::size_t bulk_max_operations = 1000;    // bulk.maxOperations
  std::size_t bulk_max_payload = 1048576;    // bulk.maxPayloadSize, bytes
  std::size_t max_json_depth = 64;           // deeper bodies are refused with 400 invalidSyntax
  // Deliberate defects for testing the conformance harness (faults.hpp); none by default.
  // Set with parse_faults({"no-location-header", ...}) or Faults{}.add(Fault::no_etag).
  Faults faults;
};

}  // namespace refserver
