#include "simulator/lifecycle/scenario.hpp"

#include "simulator/directory/directory_json.hpp"
#include "simulator/lifecycle/apply_event.hpp"
#include "simulator/lifecycle/default_lifecycle.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>

namespace sim {

Scenario scenario_from_json(const nlohmann::json& value, const std::string& fallback_name,
                            const std::optional<GenerateSpec>& generate_override, std::optional<int> days_override) {
  if (!value.is_object()) throw std::invalid_argument("a scenario must be a JSON object");
  static const std::set<std::string> known = {"name", "description", "days", "directory", "generate",
                                              "lifecycle", "events", "target_seed", "expect", "idps",
                                              "embedded_server"};
  for (const auto& [key, field] : value.items())
    if (!known.count(key)) throw std::invalid_argument("the scenario has an unknown field \"" + key + "\"");
  Scenario scenario;
  scenario.name = value.value("name", fallback_name);
  scenario.description = value.value("description", "");
  scenario.days = value.value("days", 1);
  if (days_override) scenario.days = *days_override;
  if (scenario.days < 0 || scenario.days > 3650) throw std::invalid_argument("a scenario's days must be 0 to 3650");

  if (value.contains("directory") && value.contains("generate"))
    throw std::invalid_argument("a scenario has either \"directory\" or \"generate\", not both");
  if (value.contains("generate") || generate_override) {
    if (generate_override) scenario.generate = *generate_override;
    else if (value["generate"].is_string()) scenario.generate = parse_generate_spec(value["generate"].get<std::string>());
    else throw std::invalid_argument("a scenario's \"generate\" must be a string like \"users=100,groups=5,seed=1\"");
    scenario.directory = generate_directory(*scenario.generate);
  } else if (value.contains("directory")) {
    scenario.directory = directory_from_json(value["directory"]);
  } else {
    throw std::invalid_argument("a scenario needs \"directory\" or \"generate\"");
  }

  std::string lifecycle = value.value("lifecycle", "");
  if (!lifecycle.empty() && lifecycle != "default")
    throw std::invalid_argument("a scenario's \"lifecycle\" can only be \"default\"");
  if (value.contains("events")) scenario.events = events_from_json(value["events"]);
  if (lifecycle == "default") {
    if (!scenario.generate)
      throw std::invalid_argument("\"lifecycle\": \"default\" needs a generated directory (\"generate\")");
    scenario.default_lifecycle = true;
    std::vector<Event> generated = default_lifecycle(scenario.directory, *scenario.generate, scenario.days);
    // Scripted events (an outage, a rotation) join the generated ones in time order.
    generated.insert(generated.end(), scenario.events.begin(), scenario.events.end());
    std::stable_sort(generated.begin(), generated.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
    scenario.events = std::move(generated);
  }
  if (value.contains("target_seed")) {
    scenario.target_seed = value["target_seed"];
    if (!scenario.target_seed.is_object())
      throw std::invalid_argument("a scenario's \"target_seed\" must be {\"users\": [...], \"groups\": [...]}");
  }
  if (value.contains("expect")) scenario.expect = value["expect"];
  if (value.contains("embedded_server")) {
    const nlohmann::json& server = value["embedded_server"];
    if (!server.is_object() || !server.value("faults", nlohmann::json::array()).is_array())
      throw std::invalid_argument("a scenario's \"embedded_server\" must be {\"faults\": [\"name\", ...]}");
    for (const auto& fault : server.value("faults", nlohmann::json::array())) scenario.embedded_faults.push_back(fault.get<std::string>());
  }
  validate_lifecycle(scenario.directory, scenario.events);
  return scenario;
}

Scenario load_scenario(const std::string& name_or_file, const std::filesystem::path& fixtures,
                       const std::optional<GenerateSpec>& generate_override, std::optional<int> days_override) {
  std::filesystem::path path = name_or_file;
  bool is_file = name_or_file.find('/') != std::string::npos || path.extension() == ".json";
  if (!is_file) path = fixtures / "scenarios" / (name_or_file + ".json");
  std::ifstream in(path);
  if (!in) {
    if (is_file) throw std::invalid_argument("cannot read scenario file " + path.string());
    std::string names;
    for (const auto& name : builtin_scenarios(fixtures)) names += (names.empty() ? "" : ", ") + name;
    throw std::invalid_argument("no scenario named \"" + name_or_file + "\"; built-in scenarios: " + names);
  }
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument("scenario " + path.string() + " is not valid JSON: " + error.what());
  }
  try {
    return scenario_from_json(value, path.stem().string(), generate_override, days_override);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument("scenario " + path.filename().string() + ": " + error.what());
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument("scenario " + path.filename().string() + ": " + error.what());
  }
}

Scenario generated_scenario(const GenerateSpec& spec, int days) {
  Scenario scenario;
  scenario.name = "generated";
  scenario.description = "a generated org (" + to_string(spec) + ") through " + std::to_string(days) +
                         " days of hires, moves, renames, casing changes and leavers";
  scenario.days = days;
  scenario.generate = spec;
  scenario.directory = generate_directory(spec);
  scenario.default_lifecycle = true;
  scenario.events = default_lifecycle(scenario.directory, spec, days);
  return scenario;
}

std::vector<std::string> builtin_scenarios(const std::filesystem::path& fixtures) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures / "scenarios", error))
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace sim
