#pragma once
// What a simulation leaves behind: drift.json (the convergence verdict, what drifted, the
// engine's own report and the wire counts) and timeline.json (every moment that sent requests),
// both documented field by field in docs/simulate.md, and the summary printed on the terminal.
// Neither file holds a secret: credentials appear only as Credential::describe() gives them.
#include "simulator/simulation/simulation.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace sim {

// The run as the user asked for it, for the files' headers.
struct RunInfo {
  std::string scenario;
  std::string description;
  std::string idp;      // "okta", "okta-aiw", "entra"
  std::string dialect;  // Entra ID only
  std::string target;
  bool embedded = false;           // the embedded reference server
  std::string server_profile;      // embedded only
  std::vector<std::string> server_faults;
  std::string generate;  // the --generate spec, if any
  int days = 0;
};

inline constexpr const char* kDriftFormat = "scimulator.simulate.drift/1";
inline constexpr const char* kTimelineFormat = "scimulator.simulate.timeline/1";

nlohmann::json drift_json(const SimulationResult& result, const RunInfo& info);
nlohmann::json timeline_json(const SimulationResult& result, const RunInfo& info);

// The run in the shape of a `run`'s results.json (kind "simulate", no cases, the drift report and
// the timeline under "simulation"), so reports/ writes index.json, junit.xml, summary.md and
// report.html for it as for any run. `drift` is drift_json(result, info), built once by the caller
// that also writes it to drift.json. `started` is ISO 8601 UTC.
nlohmann::json results_json(const SimulationResult& result, const nlohmann::json& drift, const RunInfo& info,
                            const std::string& started, const std::string& harness_version);

// Counts by drift kind, the first `max_items` drift items, open failures, rotations and retries.
void print_summary(const SimulationResult& result, std::ostream& out, std::size_t max_items = 20);

}  // namespace sim
