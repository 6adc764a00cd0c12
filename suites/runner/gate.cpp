#include "suites/runner/gate.hpp"

#include <fstream>
#include <map>
#include <stdexcept>

namespace suites {

std::set<std::string> load_known_failures(const std::filesystem::path& file, const std::set<std::string>& catalog_ids) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read --known-failures " + file.string() + "; check the path");
  std::set<std::string> known;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    std::string id = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    if (!catalog_ids.count(id))
      throw std::runtime_error("--known-failures " + file.string() + " line " + std::to_string(number) + ": \"" + id +
                               "\" is not a case id; see scimulator run --list");
    known.insert(id);
  }
  return known;
}

void apply_known_failures(std::vector<CaseResult>& results, const std::set<std::string>& known) {
  for (CaseResult& result : results) {
    if (!known.count(result.info.id)) continue;
    bool rejected = result.vendor_verdict && !result.vendor_verdict->accepted;
    if (result.outcome == Outcome::fail || rejected) result.known_failure = true;
    // A flaky case failed in this run before it passed, so its entry still describes it.
    else if (acceptable(result.outcome) && result.outcome != Outcome::unsupported &&
             result.outcome != Outcome::blocked && !result.flaky)
      result.stale_known_failure = true;
  }
}

void retry_failures(RunSummary& summary, const CaseList& cases, RunEnvironment& environment,
                    const RunnerOptions& options, int retries) {
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < summary.results.size(); ++i) position[summary.results[i].info.id] = i;
  std::set<std::string> failed_once;
  for (int attempt = 2; attempt <= retries + 1; ++attempt) {
    std::set<std::string> again;
    for (const CaseResult& r : summary.results)
      if (r.outcome == Outcome::fail || r.outcome == Outcome::error) again.insert(r.info.id);
    if (again.empty()) return;
    failed_once.insert(again.begin(), again.end());
    // What a failure blocked gets its chance again too: its prerequisite may pass this time.
    for (const CaseResult& r : summary.results)
      if (r.outcome == Outcome::blocked && again.count(r.blocked_by)) again.insert(r.info.id);
    CaseList subset;
    for (const Case& c : cases)
      if (again.count(c.info.id)) subset.push_back(c);
    RunSummary rerun = run_cases(subset, environment, options);
    for (CaseResult& r : rerun.results) {
      auto it = position.find(r.info.id);
      if (it == position.end()) continue;
      r.attempts = attempt;
      r.flaky = failed_once.count(r.info.id) && acceptable(r.outcome);
      summary.results[it->second] = std::move(r);
    }
  }
}

}  // namespace suites
