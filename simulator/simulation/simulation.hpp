#pragma once
// One simulated IdP over one scenario, from the first push to the convergence check:
//
//   1. the scenario's target_seed is created on the target (accounts made by hand before);
//   2. the engine provisions the directory as it stands (Okta: assign and push; Entra ID: the
//      initial cycle);
//   3. the lifecycle's events are applied to the directory in time order on a virtual clock;
//      Okta pushes each minute's changes at once, Entra ID finds them in its next 40-minute
//      cycle; rotate_token, outage, tamper, retry_tasks, provision_on_demand and import act on
//      the target or the engine directly;
//   4. after the last event (and no earlier than the scenario's last day) the engine settles:
//      Entra ID runs cycles until nothing is pending or escrowed;
//   5. the target is read in full and compared with the directory (convergence/).
//
// Everything reaches the target through one scimclient::Client. The result holds the drift, the
// timeline and the engine's own report; simulation_json.hpp writes them as documented in
// docs/simulate.md.
#include "simulator/client/http_client.hpp"
#include "simulator/convergence/convergence.hpp"
#include "simulator/idp/engine.hpp"
#include "simulator/idp/entra_requests.hpp"
#include "simulator/lifecycle/scenario.hpp"
#include "simulator/simulation/rotation.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sim {

enum class IdpKind { okta, okta_aiw, entra };
std::string_view to_string(IdpKind idp);  // "okta", "okta-aiw", "entra"
// Throws std::invalid_argument naming the valid IdPs.
IdpKind parse_idp(std::string_view text);

struct SimulationOptions {
  IdpKind idp = IdpKind::okta;
  EntraDialect dialect = EntraDialect::scim;
  int concurrency = 8;
  bool real_time = false;
  Credential credential;
  // Needed only when the lifecycle has rotate_token events.
  std::optional<Rotation> rotation;
  std::uint64_t seed = 1;  // Okta's random passwords
  int entra_cycle_minutes = 40;
  // One line per notable moment, for the terminal; may be empty.
  std::function<void(const std::string&)> progress;
};

struct SimulationResult {
  std::string engine;  // Engine::name()
  DriftReport drift;
  nlohmann::json timeline = nlohmann::json::array();
  nlohmann::json engine_report;
  nlohmann::json rotations = nlohmann::json::array();
  std::vector<Failure> open_failures;
  WireStats stats;
  std::size_t events = 0;
  std::int64_t end_minute = 0;  // virtual time when the engine had settled
  std::chrono::milliseconds wall{0};
  // Where the wall time went: the IdP's provisioning (initial cycle, lifecycle, settling), the
  // full read of the target, and the comparison with the directory. A slow target shows in the
  // first two; a large directory in the last.
  std::chrono::milliseconds provisioning_wall{0}, read_wall{0}, compare_wall{0};
  std::string credential_in_use;  // Credential::describe() at the end (never the secret)
};

// Throws std::invalid_argument for a lifecycle that needs what is not given (rotate_token with no
// rotation) and std::runtime_error when rotation fails; the target's misbehaviour is drift, never
// an exception.
SimulationResult run_simulation(Scenario scenario, scimclient::Client& client, const SimulationOptions& options);

}  // namespace sim
