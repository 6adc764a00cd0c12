#pragma once
// What the IdP remembers about what it provisioned: the target's id for each directory object
// (Okta's app user link, Entra's cached anchor) and, per group, the members it last exported.
// The IdP never reads group members back (Entra excludes them, E7), so a target that drops a
// membership change is only found by the convergence check.
#include <set>
#include <string>
#include <unordered_map>

namespace sim {

struct LinkTable {
  std::unordered_map<std::string, std::string> user_ids;   // directory key -> target id
  std::unordered_map<std::string, std::string> group_ids;
  std::unordered_map<std::string, std::set<std::string>> exported_members;  // group key -> user keys

  const std::string* user_id(const std::string& key) const {
    auto it = user_ids.find(key);
    return it == user_ids.end() ? nullptr : &it->second;
  }
  const std::string* group_id(const std::string& key) const {
    auto it = group_ids.find(key);
    return it == group_ids.end() ? nullptr : &it->second;
  }
};

}  // namespace sim
