#include "tools/run_options.hpp"

#include "suites/runner/selection.hpp"
#include "tools/commands.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace cli {

void add_run_options(CLI::App& command, RunOptions& options) {
  command.add_option("--target", options.target, "base URL of the SCIM service, e.g. https://app.example/scim/v2 (default: the embedded reference server)");
  command.add_option("--auth", options.auth, "credentials: bearer:TOKEN or basic:USER:PASS");
  command.add_option("--profile", options.profile, "rfc, okta-spec, entra-validator, clickhouse or all")->capture_default_str();
  command.add_option("--select", options.select, "run only cases whose id starts with PREFIX (repeatable)")->type_name("PREFIX");
  command.add_option("--keyword", options.keywords, "run only cases with keyword K; !K excludes (repeatable)")->type_name("K");
  command.add_flag("--strict", options.strict, "SHOULD requirements fail like MUST ones");
  command.add_flag("--list", options.list, "print the selected cases and exit");
  command.add_option("--out", options.out, "directory for results.json")->capture_default_str();
  command.add_option("--timeout", options.timeout_seconds, "seconds to wait for each response")->capture_default_str();
  command.add_option("--concurrency", options.concurrency, "cases run at the same time")->capture_default_str();
  command.add_flag("--keep", options.keep, "keep the users and groups cases create (evidence)");
  command.add_flag("--allow-writes", options.allow_writes, "let cases create, change and delete data on a target that is not on loopback");
  command.add_flag("--insecure", options.insecure, "accept any TLS certificate (self-signed test targets)");
  command.add_option("--ca-file", options.ca_file, "PEM file of the CA that signed the target's certificate");
  command.add_option("--admin-url", options.admin_url, "the target's admin API for the clickhouse cases, e.g. http://127.0.0.1:8080/admin");
  command.add_option("--admin-token", options.admin_token, "credential of --admin-url (Bearer)");
  command.add_option("--known-failures", options.known_failures,
                     "file of case ids (one per line, # comments) that may fail without failing the gate");
  command.add_option("--retries", options.retries, "rerun failed cases up to N times; a later pass is reported as flaky")
      ->capture_default_str();
  command.add_flag("--quiet", options.quiet, "print only cases that need attention");
  command.add_option("--config", options.config, "JSON file with any of these options by long name (flags given here win)");
  command.add_option("--fixtures", options.fixtures, "fixtures directory (default: the source tree's)");
  command.add_option("--server-fault", options.server_faults, "switch on a deliberate defect in the embedded server (see serve --list-faults)")->type_name("NAME");
}

void load_run_config(RunOptions& options, const CLI::App& command) {
  std::ifstream in(options.config);
  if (!in) throw UsageError("cannot read --config " + options.config + "; check the path");
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw UsageError("--config " + options.config + " is not valid JSON (" + std::string(error.what()) + ")");
  }
  if (!config.is_object()) throw UsageError("--config " + options.config + " must hold a JSON object of option names");
  auto given = [&](const char* flag) { return command.count(flag) > 0; };
  try {
    for (auto it = config.begin(); it != config.end(); ++it) {
      const std::string& key = it.key();
      std::string flag = "--" + key;
      if (given(flag.c_str())) continue;
      const auto& value = it.value();
      if (key == "target") options.target = value.get<std::string>();
      else if (key == "auth") options.auth = value.get<std::string>();
      else if (key == "profile") options.profile = value.get<std::string>();
      else if (key == "select") options.select = value.get<std::vector<std::string>>();
      else if (key == "keyword") options.keywords = value.get<std::vector<std::string>>();
      else if (key == "strict") options.strict = value.get<bool>();
      else if (key == "out") options.out = value.get<std::string>();
      else if (key == "timeout") options.timeout_seconds = value.get<double>();
      else if (key == "concurrency") options.concurrency = value.get<int>();
      else if (key == "keep") options.keep = value.get<bool>();
      else if (key == "allow-writes") options.allow_writes = value.get<bool>();
      else if (key == "insecure") options.insecure = value.get<bool>();
      else if (key == "ca-file") options.ca_file = value.get<std::string>();
      else if (key == "quiet") options.quiet = value.get<bool>();
      else if (key == "known-failures") options.known_failures = value.get<std::string>();
      else if (key == "retries") options.retries = value.get<int>();
      else if (key == "admin-url") options.admin_url = value.get<std::string>();
      else if (key == "admin-token") options.admin_token = value.get<std::string>();
      else throw UsageError("--config " + options.config + ": unknown option \"" + key + "\"; use the long flag names of scimulator run --help");
    }
  } catch (const nlohmann::json::exception& error) {
    throw UsageError("--config " + options.config + ": a value has the wrong type (" + std::string(error.what()) + ")");
  }
}

void validate(const RunOptions& options) {
  const auto& profiles = suites::known_profiles();
  if (std::find(profiles.begin(), profiles.end(), options.profile) == profiles.end())
    throw UsageError("--profile " + options.profile + " is unknown; use rfc, okta-spec, entra-validator, clickhouse or all");
  if (!options.auth.empty() && options.auth.rfind("bearer:", 0) != 0 &&
      !(options.auth.rfind("basic:", 0) == 0 && options.auth.find(':', 6) != std::string::npos))
    throw UsageError("--auth must be bearer:TOKEN or basic:USER:PASS");
  if (!options.target.empty() && options.target.rfind("http://", 0) != 0 && options.target.rfind("https://", 0) != 0)
    throw UsageError("--target " + options.target + " is not an http:// or https:// URL");
  if (options.target.empty() && !options.auth.empty())
    throw UsageError("--auth needs --target (the embedded server makes its own token)");
  if (!options.target.empty() && !options.server_faults.empty())
    throw UsageError("--server-fault applies to the embedded server only; drop --target");
  if (options.admin_url.empty() != options.admin_token.empty())
    throw UsageError("--admin-url and --admin-token go together: give both, or neither");
  if (options.target.empty() && !options.admin_url.empty())
    throw UsageError("--admin-url needs --target (the embedded server brings its own admin API)");
  // Checked here: libcurl would report an unreadable CA file only as a certificate problem.
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file))
    throw UsageError("cannot read --ca-file " + options.ca_file + "; give the PEM file of the CA that signed the target's certificate");
  if (options.timeout_seconds <= 0 || options.timeout_seconds > 3600)
    throw UsageError("--timeout must be between 0 and 3600 seconds");
  if (options.retries < 0 || options.retries > 10) throw UsageError("--retries must be between 0 and 10");
  if (options.concurrency < 1 || options.concurrency > 64) throw UsageError("--concurrency must be between 1 and 64");
}

bool is_loopback_url(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  std::string host = url.substr(scheme + 3);
  host = host.substr(0, host.find_first_of("/?#"));
  if (auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  if (!host.empty() && host.front() == '[') host = host.substr(1, host.find(']') - 1);
  else host = host.substr(0, host.find(':'));
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace cli
