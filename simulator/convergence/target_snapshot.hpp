#pragma once
// A full read of the target: every User and every Group, page by page (RFC 7644 §3.4.2.4).
// The first page gives totalResults; the other pages are then fetched together.
#include "simulator/idp/credentials.hpp"
#include "simulator/idp/runtime.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace sim {

struct TargetSnapshot {
  std::vector<nlohmann::json> users;
  std::vector<nlohmann::json> groups;
  std::int64_t users_total = 0;   // totalResults as the target reported it
  std::int64_t groups_total = 0;
  // A page that failed, or paging that did not add up: the comparison is then incomplete.
  std::vector<std::string> problems;
};

TargetSnapshot read_target(Runtime& runtime, const Credential& credential, int page_size = 100);

// When paging did not add up (a target that ignores startIndex/count, RFC 7644 §3.4.2.4), reads
// each linked id the pages missed with GET /Users/{id} or /Groups/{id}, so an account the IdP
// manages is never reported missing only because the list did not show it. A 404 stays missing.
void fill_in_linked(TargetSnapshot& snapshot, Runtime& runtime, const Credential& credential,
                    const std::vector<std::string>& user_ids, const std::vector<std::string>& group_ids);

}  // namespace sim
