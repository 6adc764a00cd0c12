#pragma once
// `scimulator simulate`: an IdP (Okta or Entra ID) plays a directory and its lifecycle against a
// target, then the target is checked for convergence. With no --target the embedded reference
// server is driven (clickhouse profile, tokens issued through its admin API so that rotation is
// real). docs/simulate.md describes the options, the scenarios and the files written.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace cli {

struct SimulateOptions {
  std::string idp = "okta";       // okta | okta-aiw | entra
  std::string dialect = "scim";   // Entra ID: scim | aadOptscim062020
  std::string scenario;           // NAME (fixtures/scenarios/NAME.json) or FILE
  std::string generate;           // users=N,groups=M,seed=S,churn=C,domain=D,mixed_case=F
  std::string directory;          // a directory JSON file, provisioned with no lifecycle
  int days = -1;                  // -1: the scenario's own (30 with --generate)
  std::string target;             // empty: the embedded reference server
  std::string auth;               // basic:USER:PASS | bearer:TOKEN | header:VALUE
  std::vector<std::string> rotate_to;  // credentials for successive rotate_token events
  std::string revoke_command;          // run by /bin/sh to revoke the credential rotated away from
  std::string admin_url;          // a ClickHouse-style admin API: tokens issued and revoked there
  std::string admin_token;
  int concurrency = 8;
  std::string out = "out/simulate";
  bool real_time = false;
  double timeout_seconds = 60;    // O23: Okta waits 60 s
  bool insecure = false;
  std::string ca_file;
  std::string server_profile = "clickhouse";  // embedded server only
  std::vector<std::string> server_faults;     // embedded server only
  std::uint64_t seed = 1;
  bool list_scenarios = false;
  std::string fixtures;
};

void add_simulate_options(CLI::App& command, SimulateOptions& options);
// Exit code: 0 converged, 1 drift; throws UsageError for bad input.
int simulate(const SimulateOptions& options, std::ostream& out);

}  // namespace cli
