#pragma once
// A run as its reports see it: the index (run metadata and one line per case) and the full
// record of each case (checks, wire log). Built from a run's results JSON, or read back from a
// report directory, so every writer works alike after a run and in `scimulator report render`.
// The writers read JSON only, never the runner's objects: `simulate` fills the same index
// (kind "simulate", with its drift report and timeline under "simulation") and gets the same
// files.
//
// Directory layout and schema: docs/reports.md (index.json, cases/<file>.json, junit.xml,
// report.html, summary.md, results.json).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace reports {

inline constexpr int kIndexVersion = 1;

struct ReportSet {
  nlohmann::json index;                        // see docs/reports.md
  std::map<std::string, nlohmann::json> cases;  // by case id: the full case record
};

// The file of a case under cases/: its id with '/' as "__" and anything outside [A-Za-z0-9._-]
// as '-', so ids stay readable and every name is safe on any file system.
std::string case_file_name(const std::string& id);

// From the results JSON of suites::run_to_json (or anything shaped like it: `simulate`).
ReportSet from_results(const nlohmann::json& results);
// Reads index.json and cases/*.json from `dir`; throws std::runtime_error naming what is missing.
ReportSet load(const std::filesystem::path& dir);

// Writes index.json, cases/, junit.xml, summary.md and report.html into `dir`.
void write_all(const ReportSet& set, const std::filesystem::path& dir);

// What one case does to the CI gate, from its index line, by the rules of the runner's exit
// code (suites/runner/runner.cpp): every writer asks here, so none disagrees with the exit code.
enum class GateEffect {
  passes,         // acceptable (pass, non_strict, informational, unsupported, blocked, flaky)
  fails,          // fail, or a modelled vendor would reject the answer
  known_failure,  // would fail, but is listed in --known-failures
  stale,          // listed in --known-failures and passes now: the list is out of date
  harness_error,  // error: the harness could not test; a known-failures list never excuses it
};
GateEffect gate_effect(const nlohmann::json& index_line);
// The modelled vendor (Okta, Entra ID) would reject the server's answer.
bool vendor_rejects(const nlohmann::json& index_line);

// The outcomes that count against the target whatever the gate's lists say: fail, error.
bool gate_failing(const std::string& outcome);

// "PASS", "FAIL" or "ERROR" for exit code 0, 1 or anything else.
std::string verdict_of(const nlohmann::json& index);

}  // namespace reports
