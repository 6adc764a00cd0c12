// scimulator: the CLI. Exit codes: 0 success, 1 failures found, 2 usage or harness error.
#include "tools/allocator.hpp"
#include "tools/commands.hpp"

#include <iostream>

#ifndef SCIMULATOR_VERSION
#define SCIMULATOR_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  CLI::App app{"scimulator: SCIM 2.0 conformance suites, IdP simulator and reference server", "scimulator"};
  app.set_version_flag("--version", std::string("scimulator ") + SCIMULATOR_VERSION + " (" + cli::allocator_name() + ")");
  app.require_subcommand(1);
  cli::Command run = cli::add_run_command(app);
  cli::Command serve = cli::add_serve_command(app);
  cli::Command admin = cli::add_admin_command(app);
  cli::Command report = cli::add_report_command(app);
  cli::Command simulate = cli::add_simulate_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "scimulator: " << e.what() << " (see scimulator --help)\n";
    return 2;
  }
  try {
    if (app.got_subcommand("run")) return run();
    if (app.got_subcommand("serve")) return serve();
    if (app.got_subcommand("admin")) return admin();
    if (app.got_subcommand("report")) return report();
    if (app.got_subcommand("simulate")) return simulate();
  } catch (const cli::UsageError& e) {
    std::cerr << "scimulator: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "scimulator: " << e.what() << "\n";
    return 2;
  }
  return 2;
}
