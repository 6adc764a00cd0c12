#pragma once
// Two runs compared case by case (`scimulator report diff OLD NEW`): what newly fails, what
// newly passes, every other change of outcome, and cases only one run has.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace reports {

struct OutcomeChange {
  std::string id;
  std::string before;  // "" when the case is new
  std::string after;   // "" when the case is gone
};

struct RunDiff {
  // A state is the outcome, with " (Okta rejects)" appended when the modelled vendor would
  // reject the answer; "failing" is fail, error or such a rejection.
  std::vector<OutcomeChange> newly_failing;  // acceptable before, failing now (or new and failing)
  std::vector<OutcomeChange> newly_passing;  // failing before, acceptable now
  std::vector<OutcomeChange> changed;        // any other change of outcome
  std::vector<OutcomeChange> added, removed;
};

RunDiff diff_runs(const nlohmann::json& old_index, const nlohmann::json& new_index);
std::string format_diff(const RunDiff& diff);

}  // namespace reports
