#pragma once
// A scenario: a directory (given or generated), the lifecycle played over it, and the accounts
// that exist on the target before the IdP starts. Built-in scenarios are the JSON files in
// fixtures/scenarios/ (fixtures/scenarios/README.md documents the format).
#include "simulator/directory/directory.hpp"
#include "simulator/directory/generator.hpp"
#include "simulator/lifecycle/event.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sim {

struct Scenario {
  std::string name;
  std::string description;
  int days = 1;
  Directory directory;
  std::optional<GenerateSpec> generate;  // set when the directory was generated
  bool default_lifecycle = false;        // events come from default_lifecycle()
  std::vector<Event> events;
  // SCIM resources created on the target directly before the IdP starts (e.g. a manual invite
  // whose casing differs from the IdP's, C2): {"users": [...], "groups": [...]}.
  nlohmann::json target_seed = nlohmann::json::object();
  // What a correct target shows at the end (documentation and tests): e.g. {"converged": true}.
  nlohmann::json expect = nlohmann::json::object();
  // Defects the embedded reference server plays for this scenario when no --target is given and
  // no --server-fault overrides them (e.g. "throttle" for the throttling story).
  std::vector<std::string> embedded_faults;
};

// A scenario from its JSON; `generate_override` replaces the scenario's "generate" spec.
// Throws std::invalid_argument naming what is wrong.
Scenario scenario_from_json(const nlohmann::json& value, const std::string& fallback_name,
                            const std::optional<GenerateSpec>& generate_override = std::nullopt,
                            std::optional<int> days_override = std::nullopt);

// NAME (a file fixtures/scenarios/NAME.json) or a path to a JSON file.
Scenario load_scenario(const std::string& name_or_file, const std::filesystem::path& fixtures,
                       const std::optional<GenerateSpec>& generate_override = std::nullopt,
                       std::optional<int> days_override = std::nullopt);

// --generate with no scenario: the generated org and its default lifecycle.
Scenario generated_scenario(const GenerateSpec& spec, int days);

// The built-in scenario names, sorted.
std::vector<std::string> builtin_scenarios(const std::filesystem::path& fixtures);

}  // namespace sim
