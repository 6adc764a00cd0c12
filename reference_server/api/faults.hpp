#pragma once
// Deliberate defects of the reference server, switched on by name (`scimulator serve --fault NAME`).
// They exist to prove that the conformance harness catches broken servers: each one is a small,
// realistic bug placed where a real implementation would have it (a handler, the PATCH engine,
// the list query), never a rewrite of finished responses. The description says exactly what is
// wrong and rfc_section what a harness should report.
//
// This header is self-contained (no .cpp needed for Faults::has) so the PATCH library, which does
// not link the API library, can test faults too. A clean server holds an empty set: every hook is
// one bit test.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace refserver {

enum class Fault : std::uint8_t {
  username_filter_case_sensitive,
  filter_and_or_precedence,
  invalid_filter_500,
  start_index_zero_based,
  count_ignored,
  total_results_page_size,
  sort_ignored,
  attributes_ignored,
  create_returns_200,
  no_location_header,
  no_duplicate_409,
  missing_meta,
  groups_not_computed,
  password_returned,
  patch_op_case_sensitive,
  entra_member_removal_ignored,
  patch_not_atomic,
  etag_ignored,
  no_etag,
  delete_returns_200_body,
  error_status_number,
  error_plain_json,
  auth_any_token,
  unauthorized_no_body,
  schemas_missing_enterprise,
  username_case_sensitive,
  deactivation_ignored,
  member_removal_ignored,
  throttle,
};

struct FaultInfo {
  Fault fault;
  std::string name;         // the --fault spelling, e.g. "no-location-header"
  std::string description;  // what the server does wrong, observable over HTTP
  std::string rfc_section;  // what a harness should report, e.g. "RFC 7644 §3.3"
};

// A set of active faults; empty by default.
class Faults {
 public:
  constexpr Faults() = default;

  constexpr bool has(Fault fault) const { return (bits_ & bit(fault)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr Faults& add(Fault fault) {
    bits_ |= bit(fault);
    return *this;
  }
  constexpr bool operator==(const Faults&) const = default;

  // The active faults' names in known_faults() order, e.g. for a startup warning.
  std::vector<std::string> names() const;

 private:
  static constexpr std::uint64_t bit(Fault fault) { return std::uint64_t{1} << static_cast<unsigned>(fault); }
  std::uint64_t bits_ = 0;
};

// Every fault, in a stable order (the order of the enum).
const std::vector<FaultInfo>& known_faults();
const FaultInfo& fault_info(Fault fault);
std::string_view to_string(Fault fault);

// The store's name index folds case (userName is caseExact=false). Fault username-case-sensitive
// indexes this key instead: each capital letter becomes a marker byte and its lower case, so
// names that differ only in case no longer collide.
std::string case_exact_name_key(std::string_view name);

// Fault throttle: one request in this many is answered 429 with Retry-After.
inline constexpr unsigned kThrottleEvery = 5;
inline constexpr int kThrottleRetryAfterSeconds = 1;

// By exact name. Throws std::invalid_argument naming the unknown fault and listing the valid names.
Fault parse_fault(std::string_view name);
// Every name parsed as above; repeated names are fine.
Faults parse_faults(const std::vector<std::string>& names);

}  // namespace refserver
