#pragma once
// A run as its reports see it: the index (run metadata and one line per case) and the full
// record of each case (checks, wire log). Built from a run's results JSON, or read back from a
// report directory, so every writer works alike after a run and in `scimulator report render`.
//
// Directory layout (docs/reports.md): index.json, cases/<file>.json, junit.xml, report.html,
// summary.md, results.json (the whole run in one file).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace reports {

inline constexpr int kIndexVersion = 1;

struct ReportSet {
  nlohmann::json index;                        // see index_from_results
  std::map<std::string, nlohmann::json> cases;  // by case id: the full case record
};

// The file of a case under cases/: its id with '/' as "__" and anything outside [A-Za-z0-9._-]
// as '-', so ids stay readable and every name is safe on any file system.
std::string case_file_name(const std::string& id);

// From the results JSON of suites::run_to_json.
ReportSet from_results(const nlohmann::json& results);
// Reads index.json and cases/*.json from `dir`; throws std::runtime_error naming what is missing.
ReportSet load(const std::filesystem::path& dir);

// Writes index.json, cases/, junit.xml, summary.md and report.html into `dir`.
void write_all(const ReportSet& set, const std::filesystem::path& dir);

// The outcomes of a run that fail the gate (exit code 1): fail, error. Used by every writer so
// they agree with the exit code.
bool gate_failing(const std::string& outcome);

}  // namespace reports
