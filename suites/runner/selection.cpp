#include "suites/runner/selection.hpp"

#include "scim/schema.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

namespace suites {

const std::vector<std::string>& known_profiles() {
  static const std::vector<std::string> profiles{"rfc", "okta-spec", "entra-validator", "clickhouse", "all"};
  return profiles;
}

bool matches_selection(const CaseInfo& info, const Selection& selection) {
  if (selection.profile != "all" && info.profile != selection.profile) return false;
  if (!selection.prefixes.empty() &&
      std::none_of(selection.prefixes.begin(), selection.prefixes.end(),
                   [&](const std::string& prefix) { return info.id.rfind(prefix, 0) == 0; }))
    return false;
  auto has_keyword = [&](std::string_view keyword) {
    return std::any_of(info.keywords.begin(), info.keywords.end(),
                       [&](const std::string& k) { return scim::iequals(k, keyword); });
  };
  for (const auto& keyword : selection.keywords) {
    if (!keyword.empty() && keyword[0] == '!') {
      if (has_keyword(std::string_view(keyword).substr(1))) return false;
    } else if (!has_keyword(keyword)) {
      return false;
    }
  }
  return true;
}

CaseList select_cases(const CaseList& catalog, const Selection& selection) {
  std::map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < catalog.size(); ++i) by_id[catalog[i].info.id] = i;

  std::set<std::size_t> wanted;
  std::function<void(std::size_t, std::vector<std::string>&)> want = [&](std::size_t index,
                                                                         std::vector<std::string>& trail) {
    const auto& info = catalog[index].info;
    if (std::find(trail.begin(), trail.end(), info.id) != trail.end())
      throw std::invalid_argument("case " + info.id + " depends on itself through " + trail.front());
    if (!wanted.insert(index).second) return;
    trail.push_back(info.id);
    for (const auto& dependency : info.depends_on) {
      auto it = by_id.find(dependency);
      if (it == by_id.end())
        throw std::invalid_argument("case " + info.id + " depends on unknown case " + dependency);
      want(it->second, trail);
    }
    trail.pop_back();
  };
  for (std::size_t i = 0; i < catalog.size(); ++i)
    if (matches_selection(catalog[i].info, selection)) {
      std::vector<std::string> trail;
      want(i, trail);
    }

  // Stable topological order: repeatedly take, in catalog order, the cases whose
  // prerequisites are already placed.
  CaseList ordered;
  std::set<std::string> placed;
  std::vector<std::size_t> pending(wanted.begin(), wanted.end());
  while (!pending.empty()) {
    auto ready = std::stable_partition(pending.begin(), pending.end(), [&](std::size_t index) {
      const auto& deps = catalog[index].info.depends_on;
      return std::all_of(deps.begin(), deps.end(), [&](const std::string& d) { return placed.count(d) > 0; });
    });
    if (ready == pending.begin())
      throw std::invalid_argument("cases depend on each other in a cycle, starting at " +
                                  catalog[pending.front()].info.id);
    for (auto it = pending.begin(); it != ready; ++it) {
      ordered.push_back(catalog[*it]);
      placed.insert(catalog[*it].info.id);
    }
    pending.erase(pending.begin(), ready);
  }
  return ordered;
}

}  // namespace suites
