#include "reports/run_diff.hpp"

#include "reports/report_set.hpp"

#include <map>

namespace reports {

namespace {

// A case's state as the diff sees it: its outcome, and "(Okta rejects)" when the modelled
// vendor would reject the answer, since that fails a gate too.
std::map<std::string, std::string> states(const nlohmann::json& index) {
  std::map<std::string, std::string> out;
  for (const auto& line : index.value("cases", nlohmann::json::array())) {
    std::string state = line.value("outcome", "");
    if (vendor_rejects(line)) state += " (" + line["vendor_verdict"].value("vendor", "vendor") + " rejects)";
    out[line.value("id", "")] = state;
  }
  return out;
}

// Whether a state counts against the target: fail, error, or a vendor rejection. Known-failure
// lists do not matter here: the diff compares what the target did.
bool failing(const std::string& state) {
  std::string outcome = state.substr(0, state.find(' '));
  return gate_failing(outcome) || state.find(" rejects)") != std::string::npos;
}

void list(std::string& out, const char* title, const std::vector<OutcomeChange>& changes) {
  if (changes.empty()) return;
  out += std::string(title) + " (" + std::to_string(changes.size()) + "):\n";
  for (const auto& change : changes)
    out += "  " + change.id + "  " + (change.before.empty() ? "-" : change.before) + " -> " +
           (change.after.empty() ? "-" : change.after) + "\n";
}

}  // namespace

RunDiff diff_runs(const nlohmann::json& old_index, const nlohmann::json& new_index) {
  RunDiff diff;
  auto before = states(old_index), after = states(new_index);
  for (const auto& [id, state] : after) {
    auto it = before.find(id);
    if (it == before.end()) {
      diff.added.push_back({id, "", state});
      if (failing(state)) diff.newly_failing.push_back({id, "", state});
      continue;
    }
    if (it->second == state) continue;
    OutcomeChange change{id, it->second, state};
    if (!failing(it->second) && failing(state)) diff.newly_failing.push_back(change);
    else if (failing(it->second) && !failing(state)) diff.newly_passing.push_back(change);
    else diff.changed.push_back(change);
  }
  for (const auto& [id, state] : before)
    if (!after.count(id)) diff.removed.push_back({id, state, ""});
  return diff;
}

std::string format_diff(const RunDiff& diff) {
  std::string out;
  list(out, "newly failing", diff.newly_failing);
  list(out, "newly passing", diff.newly_passing);
  list(out, "changed", diff.changed);
  list(out, "only in the new run", diff.added);
  list(out, "only in the old run", diff.removed);
  if (out.empty()) out = "no case changed its outcome\n";
  return out;
}

}  // namespace reports
