#pragma once
// Did the target converge on the IdP's directory? The full read of the target is compared with
// what the IdP holds: its directory, the ids it linked, and the attributes its app maps.
//
//   missing_user       active in the IdP, no account on the target
//   orphaned_user      an active account the IdP deactivated, deleted or never knew (in scope)
//   unlinked_user      active in the IdP; the target holds an account with that userName
//                      (ignoring case) that the IdP never linked: the casing story of C2
//   duplicate_user     several accounts whose userNames differ only in case (RFC 7643 §4.1.1)
//   attribute_drift    a mapped attribute differs (emails compared ignoring case)
//   missing_group      a live IdP group with no group on the target
//   orphaned_group     a group deleted in the IdP still on the target
//   group_drift        a group's displayName differs
//   membership_drift   members missing from, or unexpected in, a group
//   incomplete_read    the target could not be read in full; the comparison is partial
//   stale_credential   (token rotation) the revoked credential is still accepted
//   credential_refused (token rotation) the new credential, or requests sent with it, refused
// Inactive IdP users are only checked for being inactive or absent: neither IdP pushes profile
// changes of a deactivated user.
#include "simulator/convergence/target_snapshot.hpp"
#include "simulator/directory/directory.hpp"
#include "simulator/idp/links.hpp"
#include "simulator/idp/user_mapping.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

enum class DriftKind {
  missing_user,
  orphaned_user,
  unlinked_user,
  duplicate_user,
  attribute_drift,
  missing_group,
  orphaned_group,
  group_drift,
  membership_drift,
  incomplete_read,
  stale_credential,    // set by the simulation: a revoked credential still worked
  credential_refused,  // set by the simulation: the credential switched to was refused
};
std::string_view to_string(DriftKind kind);
const std::vector<DriftKind>& all_drift_kinds();

struct Drift {
  DriftKind kind = DriftKind::attribute_drift;
  std::string object;     // "user", "group", "target", "credential"
  std::string key;        // directory key, if any
  std::string name;       // userName / displayName
  std::string target_id;  // the target's id, if any
  std::string attribute;  // for attribute_drift / group_drift
  nlohmann::json expected;
  nlohmann::json actual;
  std::string detail;     // one sentence for people
};
nlohmann::json to_json(const Drift& drift);

struct DriftReport {
  std::vector<Drift> drift;
  std::size_t directory_users = 0, directory_active_users = 0, directory_groups = 0;
  std::size_t target_users = 0, target_users_in_scope = 0, target_groups = 0;
  bool converged() const { return drift.empty(); }
  std::map<DriftKind, std::size_t> counts() const;
};

using MappingFn = std::function<std::vector<MappedAttribute>(const DirUser&)>;

// Target users in scope: those the IdP linked, those whose userName matches a directory user
// ignoring case, and those in one of the directory's email domains (accounts of other tenants
// or test data on a shared target are left alone).
DriftReport compare(const Directory& directory, const LinkTable& links, const TargetSnapshot& target,
                    const MappingFn& mapping);

// A mapped attribute equal on the target? (Absent, null and "" are the same: no value.)
bool same_value(const MappedAttribute& attribute, const std::optional<nlohmann::json>& actual);

}  // namespace sim
