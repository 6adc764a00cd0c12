#include "reports/run_diff.hpp"

#include "reports/report_set.hpp"

#include <map>

namespace reports {

namespace {

std::map<std::string, std::string> outcomes(const nlohmann::json& index) {
  std::map<std::string, std::string> out;
  for (const auto& line : index.value("cases", nlohmann::json::array())) out[line.value("id", "")] = line.value("outcome", "");
  return out;
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
  auto before = outcomes(old_index), after = outcomes(new_index);
  for (const auto& [id, outcome] : after) {
    auto it = before.find(id);
    if (it == before.end()) {
      diff.added.push_back({id, "", outcome});
      if (gate_failing(outcome)) diff.newly_failing.push_back({id, "", outcome});
      continue;
    }
    if (it->second == outcome) continue;
    OutcomeChange change{id, it->second, outcome};
    if (!gate_failing(it->second) && gate_failing(outcome)) diff.newly_failing.push_back(change);
    else if (gate_failing(it->second) && !gate_failing(outcome)) diff.newly_passing.push_back(change);
    else diff.changed.push_back(change);
  }
  for (const auto& [id, outcome] : before)
    if (!after.count(id)) diff.removed.push_back({id, outcome, ""});
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
