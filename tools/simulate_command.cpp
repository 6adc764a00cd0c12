// `scimulator simulate`: an IdP over a directory's lifecycle, then the convergence check.
#include "tools/simulate_command.hpp"

#include "scim/schema.hpp"
#include "simulator/client/http_client.hpp"
#include "simulator/directory/directory_json.hpp"
#include "simulator/lifecycle/scenario.hpp"
#include "simulator/simulation/rotation.hpp"
#include "simulator/simulation/simulation.hpp"
#include "simulator/simulation/simulation_report.hpp"
#include "reports/report_set.hpp"
#include "suites/runner/results_json.hpp"
#include "tools/commands.hpp"
#include "tools/random_id.hpp"
#include "tools/embedded_server.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

namespace cli {

namespace {

std::string origin_of(const std::string& url) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

void validate(const SimulateOptions& options) {
  try {
    sim::parse_idp(options.idp);
    sim::parse_entra_dialect(options.dialect);
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
  if (options.idp != "entra" && options.dialect != "scim")
    throw UsageError("--dialect applies to --idp entra only");
  if (options.concurrency < 1 || options.concurrency > 256) throw UsageError("--concurrency must be 1 to 256");
  if (options.days < -1 || options.days > 3650) throw UsageError("--days must be 0 to 3650");
  if (options.timeout_seconds <= 0) throw UsageError("--timeout must be a positive number of seconds");
  if (!options.directory.empty() && (!options.scenario.empty() || !options.generate.empty()))
    throw UsageError("--directory is a directory with no lifecycle; drop --scenario and --generate, or use a scenario file");
  if (options.server_profile != "clickhouse" && options.server_profile != "rfc")
    throw UsageError("--server-profile must be clickhouse or rfc");
  if (!options.target.empty()) {
    if (!options.server_faults.empty()) throw UsageError("--server-fault applies to the embedded server only; drop --target");
    if (options.auth.empty())
      throw UsageError("--target needs --auth (basic:USER:PASS for Okta, bearer:TOKEN for Entra ID)");
    if (!options.rotate_to.empty() && options.revoke_command.empty() && options.admin_url.empty())
      throw UsageError("--rotate-to needs --revoke-command CMD (or --admin-url and --admin-token) to revoke the old credential");
  } else if (!options.auth.empty() || !options.rotate_to.empty() || !options.admin_url.empty()) {
    throw UsageError("--auth, --rotate-to and --admin-url apply to a --target; the embedded server issues its own tokens");
  }
  if (options.admin_url.empty() != options.admin_token.empty())
    throw UsageError("--admin-url and --admin-token go together");
}

sim::Scenario load(const SimulateOptions& options, const std::filesystem::path& fixtures) {
  std::optional<sim::GenerateSpec> spec;
  std::optional<int> days;
  if (options.days >= 0) days = options.days;
  try {
    if (!options.generate.empty()) spec = sim::parse_generate_spec(options.generate);
    if (!options.scenario.empty()) return sim::load_scenario(options.scenario, fixtures, spec, days);
    if (spec) return sim::generated_scenario(*spec, days.value_or(30));
    if (!options.directory.empty()) {
      std::ifstream in(options.directory);
      if (!in) throw std::invalid_argument("cannot read directory file " + options.directory);
      nlohmann::json value = nlohmann::json::parse(in, nullptr, false);
      if (value.is_discarded()) throw std::invalid_argument("directory file " + options.directory + " is not valid JSON");
      sim::Scenario scenario;
      scenario.name = std::filesystem::path(options.directory).stem().string();
      scenario.description = "the directory in " + options.directory + ", provisioned with no lifecycle";
      scenario.directory = sim::directory_from_json(value);
      scenario.days = days.value_or(0);
      return scenario;
    }
    return sim::load_scenario("joiner-mover-leaver", fixtures, std::nullopt, days);
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
}

void list_scenarios(const std::filesystem::path& fixtures, std::ostream& out) {
  for (const auto& name : sim::builtin_scenarios(fixtures)) {
    std::ifstream in(fixtures / "scenarios" / (name + ".json"));
    nlohmann::json value = nlohmann::json::parse(in, nullptr, false);
    std::string description = value.is_object() ? value.value("description", "") : "";
    out << name << "\n    " << description << "\n";
  }
}

// Every secret the user gave: the credentials' secrets and the admin token.
std::vector<std::string> secrets_of(const SimulateOptions& options) {
  std::vector<std::string> secrets;
  auto add = [&secrets](const std::string& spec) {
    // basic:USER:PASS, bearer:TOKEN (often KEY:SECRET), header:VALUE: all after the form, and the
    // password or secret on its own.
    auto colon = spec.find(':');
    if (colon == std::string::npos) return;
    std::string value = spec.substr(colon + 1);
    secrets.push_back(value);
    if (auto inner = value.rfind(':'); inner != std::string::npos) secrets.push_back(value.substr(inner + 1));
  };
  if (!options.auth.empty()) add(options.auth);
  for (const auto& spec : options.rotate_to) add(spec);
  if (!options.admin_token.empty()) secrets.push_back(options.admin_token);
  return secrets;
}

sim::Credential parse(const std::string& spec) {
  try {
    return sim::parse_credential(spec);
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }
}

// --rotate-to credentials in order; revocation by --revoke-command, else the admin API.
sim::Rotation given_rotation(const SimulateOptions& options, scimclient::Client& client) {
  auto next = std::make_shared<std::vector<sim::Credential>>();
  for (const auto& spec : options.rotate_to) next->push_back(parse(spec));
  sim::Rotation rotation;
  rotation.issue = [next](const sim::Credential&) {
    if (next->empty()) throw std::runtime_error("the scenario rotates the token more often than --rotate-to gives credentials");
    sim::Credential credential = next->front();
    next->erase(next->begin());
    return credential;
  };
  if (!options.revoke_command.empty()) {
    std::string command = options.revoke_command;
    rotation.revoke = [command](const sim::Credential& old) {
      // The command learns which credential to revoke by its label (the Basic user, or the key
      // of a "key:secret" Bearer token), never by its secret.
      ::setenv("SCIMULATOR_REVOKE_LABEL", old.label.c_str(), 1);
      int status = std::system(command.c_str());
      if (status != 0)
        throw std::runtime_error("--revoke-command failed (status " + std::to_string(status) + "): " + command);
    };
  } else {
    rotation.revoke = sim::admin_api_rotation(client, options.admin_url, options.admin_token, sim::Credential::Form::bearer).revoke;
  }
  return rotation;
}

}  // namespace

void add_simulate_options(CLI::App& command, SimulateOptions& options) {
  command.add_option("--idp", options.idp, "okta, okta-aiw (an App Integration Wizard app: PUT only) or entra")->capture_default_str();
  command.add_option("--dialect", options.dialect, "Entra ID's dialect: scim (the default job) or aadOptscim062020")->capture_default_str();
  command.add_option("--scenario", options.scenario, "a built-in scenario (see --list-scenarios) or a scenario JSON file")->type_name("NAME|FILE");
  command.add_option("--generate", options.generate, "generate the org: users=N,groups=M,seed=S,churn=C,domain=D,mixed_case=F")->type_name("SPEC");
  command.add_option("--directory", options.directory, "a directory JSON file, provisioned with no lifecycle")->type_name("FILE");
  command.add_option("--days", options.days, "days of lifecycle (default: the scenario's; 30 with --generate)");
  command.add_option("--target", options.target, "base URL of the SCIM service (default: the embedded reference server)");
  command.add_option("--auth", options.auth, "the IdP's credential: basic:USER:PASS (Okta), bearer:TOKEN (Entra ID) or header:VALUE");
  command.add_option("--rotate-to", options.rotate_to, "credential to switch to at a rotate_token event (repeatable, in order)")->type_name("CRED");
  command.add_option("--revoke-command", options.revoke_command, "shell command that revokes the credential rotated away from; $SCIMULATOR_REVOKE_LABEL names it")->type_name("CMD");
  command.add_option("--admin-url", options.admin_url, "the target's admin API (ClickHouse-style tokens), e.g. http://127.0.0.1:8080/admin");
  command.add_option("--admin-token", options.admin_token, "credential of --admin-url (Bearer)");
  command.add_option("--concurrency", options.concurrency, "requests in flight at once (per-object order is kept)")->capture_default_str();
  command.add_option("--out", options.out, "directory for drift.json and timeline.json")->capture_default_str();
  command.add_flag("--real-time", options.real_time, "wait for real time between events instead of jumping the virtual clock");
  command.add_option("--timeout", options.timeout_seconds, "seconds to wait for each response (Okta: 60)")->capture_default_str();
  command.add_flag("--insecure", options.insecure, "accept any TLS certificate (self-signed test targets)");
  command.add_option("--ca-file", options.ca_file, "PEM file of the CA that signed the target's certificate");
  command.add_option("--server-profile", options.server_profile, "embedded server profile: clickhouse or rfc")->capture_default_str();
  command.add_option("--server-fault", options.server_faults, "switch on a deliberate defect in the embedded server (see serve --list-faults)")->type_name("NAME");
  command.add_option("--seed", options.seed, "seed of the IdP's random values (Okta's passwords)")->capture_default_str();
  command.add_flag("--list-scenarios", options.list_scenarios, "print the built-in scenarios and exit");
  command.add_option("--fixtures", options.fixtures, "fixtures directory (default: the source tree's)");
}

int simulate(const SimulateOptions& options, std::ostream& out) {
  std::filesystem::path fixtures = options.fixtures.empty() ? scim::default_fixtures_dir() : std::filesystem::path(options.fixtures);
  if (options.list_scenarios) {
    list_scenarios(fixtures, out);
    return 0;
  }
  validate(options);
  sim::Scenario scenario = load(options, fixtures);

  sim::IdpKind idp = sim::parse_idp(options.idp);
  // C1: Okta authenticates with Basic key:secret, Entra ID with Bearer key:secret.
  sim::Credential::Form form = idp == sim::IdpKind::entra ? sim::Credential::Form::bearer : sim::Credential::Form::basic;

  std::unique_ptr<EmbeddedServer> embedded;
  std::vector<std::string> embedded_faults;
  std::string target = options.target, admin_url = options.admin_url, admin_token = options.admin_token;
  if (target.empty()) {
    EmbeddedServerOptions server;
    server.profile = options.server_profile;
    server.faults = options.server_faults.empty() ? scenario.embedded_faults : options.server_faults;
    server.fixtures = options.fixtures;
    server.admin_token = "admin-" + random_id(24);
    try {
      embedded = std::make_unique<EmbeddedServer>(server);
    } catch (const std::invalid_argument& error) {
      throw UsageError(std::string(error.what()) + " (see scimulator serve --list-faults)");
    }
    target = embedded->base_url();
    embedded_faults = server.faults;
    admin_url = origin_of(target) + "/admin";
    admin_token = server.admin_token;
  }

  scimclient::ClientOptions client_options = sim::idp_client_options(target);
  client_options.insecure = options.insecure;
  client_options.ca_file = options.ca_file;
  client_options.max_connections = std::max(2, options.concurrency * 2);
  client_options.timeout = std::chrono::milliseconds(static_cast<long long>(options.timeout_seconds * 1000));
  scimclient::Client client(client_options);

  sim::SimulationOptions simulation;
  simulation.idp = idp;
  simulation.dialect = sim::parse_entra_dialect(options.dialect);
  simulation.concurrency = options.concurrency;
  simulation.real_time = options.real_time;
  simulation.seed = options.seed;
  simulation.progress = [&out](const std::string& line) { out << line << "\n" << std::flush; };
  if (embedded) {
    // The first token comes from the admin API too, so a rotation revokes a real token.
    simulation.credential = sim::issue_admin_token(client, admin_url, admin_token, form, "simulate-" + options.idp);
    simulation.rotation = sim::admin_api_rotation(client, admin_url, admin_token, form);
  } else {
    simulation.credential = parse(options.auth);
    if (!options.rotate_to.empty()) simulation.rotation = given_rotation(options, client);
    else if (!admin_url.empty()) simulation.rotation = sim::admin_api_rotation(client, admin_url, admin_token, form);
  }

  sim::RunInfo info;
  info.scenario = scenario.name;
  info.description = scenario.description;
  info.idp = options.idp;
  if (idp == sim::IdpKind::entra) info.dialect = options.dialect;
  info.target = target;
  info.embedded = embedded != nullptr;
  info.server_profile = options.server_profile;
  info.server_faults = embedded_faults;
  info.generate = scenario.generate ? sim::to_string(*scenario.generate) : "";
  info.days = scenario.days;

  out << "scimulator simulate: " << options.idp << (idp == sim::IdpKind::entra ? " (" + options.dialect + ")" : "")
      << " against " << target
      << (embedded ? " (embedded reference server, " + options.server_profile + " profile)" : "") << "\n";
  for (const auto& fault : embedded ? embedded_faults : std::vector<std::string>{})
    out << "  the embedded server has the deliberate defect " << fault << "\n";

  auto started = std::chrono::system_clock::now();
  sim::SimulationResult result;
  try {
    result = sim::run_simulation(std::move(scenario), client, simulation);
  } catch (const std::invalid_argument& error) {
    throw UsageError(error.what());
  }

  std::filesystem::path out_dir = options.out;
  std::filesystem::create_directories(out_dir);
  // Credentials reach these files only as Credential::describe() gives them; the redaction is
  // the second line of defence, for a secret a target echoed back in a detail.
  std::vector<std::string> secrets = secrets_of(options);
  auto write = [&](const char* name, const nlohmann::json& value) {
    std::ofstream(out_dir / name) << suites::redact(value.dump(2), secrets) << "\n";
  };
  nlohmann::json drift = sim::drift_json(result, info);
  write("drift.json", drift);
  write("timeline.json", sim::timeline_json(result, info));
  nlohmann::json results = nlohmann::json::parse(suites::redact(
      sim::results_json(result, drift, info, suites::iso_time(started), SCIMULATOR_VERSION).dump(), secrets));
  write("results.json", results);
  reports::write_all(reports::from_results(results), out_dir);
  sim::print_summary(result, out);
  out << "scimulator simulate: drift.json, timeline.json, report.html, junit.xml, summary.md and index.json in "
      << out_dir.string() << "\n";
  int code = result.drift.converged() ? 0 : 1;
  out << "scimulator simulate: " << (code == 0 ? "CONVERGED" : "DRIFT") << " (exit " << code << ")\n";
  return code;
}

Command add_simulate_command(CLI::App& app) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* sub = app.add_subcommand("simulate", "play Okta or Entra ID over a directory's lifecycle, then check the target converged");
  add_simulate_options(*sub, *options);
  return [options] { return simulate(*options, std::cout); };
}

}  // namespace cli
