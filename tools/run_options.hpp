#pragma once
// The options of `scimulator run`, from flags or a JSON config file (flags win), and their
// checks: every mistake is one line saying what is wrong and what to do (exit 2).
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace cli {

struct RunOptions {
  std::string target;  // empty: the embedded reference server
  std::string auth;    // bearer:TOKEN | basic:USER:PASS
  std::string profile = "all";
  std::vector<std::string> select;
  std::vector<std::string> keywords;
  bool strict = false;
  bool list = false;
  std::string out = "out/run";
  double timeout_seconds = 30;
  int concurrency = 4;
  bool keep = false;
  bool allow_writes = false;
  bool insecure = false;
  std::string ca_file;
  // The target's admin API (clickhouse cases: tokens, roles, audit); empty: those cases are
  // unsupported. The embedded server provides its own.
  std::string admin_url;
  std::string admin_token;
  bool quiet = false;
  // CI gate: failures listed in this file do not fail the run; listed cases that pass do.
  std::string known_failures;
  int retries = 0;  // reruns of failed cases; a later pass is reported as flaky
  std::string config;
  std::string fixtures;
  std::vector<std::string> server_faults;  // defects switched on in the embedded server
};

void add_run_options(CLI::App& command, RunOptions& options);
// Fills options not given on the command line from the JSON file named by options.config.
void load_run_config(RunOptions& options, const CLI::App& command);
// Throws UsageError for values no run can use.
void validate(const RunOptions& options);
bool is_loopback_url(const std::string& url);

}  // namespace cli
