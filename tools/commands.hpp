#pragma once
// Each verb of the scimulator CLI registers its options on a CLI11 subcommand and returns the
// function that runs it. The main file only wires verbs together and maps errors to exit codes.
#include <CLI/CLI.hpp>

#include <functional>
#include <stdexcept>
#include <string>

namespace cli {

using Command = std::function<int()>;

// A problem with what the user asked for: printed as one line, exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Command add_serve_command(CLI::App& app);
Command add_run_command(CLI::App& app);
Command add_admin_command(CLI::App& app);
Command add_report_command(CLI::App& app);
Command add_simulate_command(CLI::App& app);

}  // namespace cli
