// `scimulator run`: the conformance suites against a target, or against the embedded reference
// server when no target is given.
#include "reports/report_set.hpp"
#include "scim/schema.hpp"
#include "simulator/client/http_client.hpp"
#include "suites/runner/catalog.hpp"
#include "suites/runner/gate.hpp"
#include "suites/runner/results_json.hpp"
#include "suites/runner/runner.hpp"
#include "suites/runner/selection.hpp"
#include "tools/commands.hpp"
#include "tools/random_id.hpp"
#include "tools/embedded_server.hpp"
#include "tools/run_command.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <set>

#include <unistd.h>

namespace cli {

namespace {

std::string base64(const std::string& text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                               reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

const char* colour(suites::Outcome outcome, bool tty) {
  if (!tty) return "";
  switch (outcome) {
    case suites::Outcome::pass: return "\033[32m";
    case suites::Outcome::fail:
    case suites::Outcome::error: return "\033[31m";
    case suites::Outcome::non_strict:
    case suites::Outcome::blocked: return "\033[33m";
    default: return "\033[36m";
  }
}

void print_list(const suites::Catalog& catalog, const suites::Selection& selection, std::ostream& out) {
  for (const suites::CaseInfo* info : catalog.all()) {
    if (!suites::matches_selection(*info, selection)) continue;
    out << std::left << std::setw(64) << info->id << " " << std::setw(7) << to_string(info->spec.level) << " "
              << info->spec.citation() << "  " << info->title << "\n";
  }
}

struct Pass {
  std::string embedded_profile;  // "" when the target was given
  suites::CaseList cases;
  std::vector<suites::CaseInfo> rules;
};

struct PassResult {
  suites::RunSummary summary;
  std::string target;
  std::vector<std::string> secrets;
  std::vector<std::string> notes;
};

PassResult run_pass(const RunOptions& options, const std::filesystem::path& fixtures, Pass& pass,
                    const std::string& run_id, const std::function<void(const suites::CaseResult&)>& on_result,
                    std::ostream& out) {
  PassResult result;
  std::unique_ptr<EmbeddedServer> embedded;
  std::string target = options.target, auth = options.auth;
  std::string admin_url = options.admin_url, admin_token = options.admin_token;
  if (target.empty()) {
    EmbeddedServerOptions server;
    server.tokens = {"run-" + random_id(24)};
    server.faults = options.server_faults;
    server.fixtures = options.fixtures;
    server.profile = pass.embedded_profile;
    server.admin_token = "admin-" + random_id(24);
    embedded = std::make_unique<EmbeddedServer>(server);
    target = embedded->base_url();
    auth = "bearer:" + server.tokens.front();
    admin_url = target.substr(0, target.find('/', target.find("://") + 3)) + "/admin";
    admin_token = server.admin_token;
  }
  result.target = target;
  if (!admin_token.empty()) result.secrets.push_back(admin_token);

  scimclient::ClientOptions client_options;
  client_options.base_url = target;
  while (!client_options.base_url.empty() && client_options.base_url.back() == '/') client_options.base_url.pop_back();
  client_options.insecure = options.insecure;
  client_options.ca_file = options.ca_file;
  client_options.max_connections = std::max(2, options.concurrency * 2);
  client_options.timeout = std::chrono::milliseconds(static_cast<long long>(options.timeout_seconds * 1000));
  if (auth.rfind("bearer:", 0) == 0) {
    result.secrets.push_back(auth.substr(7));
    client_options.default_headers.emplace_back("Authorization", "Bearer " + auth.substr(7));
  } else if (auth.rfind("basic:", 0) == 0) {
    std::string credentials = auth.substr(6);
    auto colon = credentials.find(':');
    result.secrets.push_back(credentials.substr(colon + 1));
    result.secrets.push_back(base64(credentials));
    client_options.default_headers.emplace_back("Authorization", "Basic " + base64(credentials));
  }
  scimclient::Client client(client_options);

  suites::RunSettings settings;
  settings.keep = options.keep;
  settings.allow_writes = options.allow_writes;
  settings.target_is_loopback = is_loopback_url(target);
  settings.strict = options.strict;
  settings.timeout = client_options.timeout;
  settings.run_id = run_id;
  settings.admin_url = admin_url;
  settings.admin_token = admin_token;

  suites::Discovery discovery = suites::discover(client, fixtures);
  if (!discovery.exchanges.empty() && !discovery.exchanges.front().ok()) {
    const std::string& error = discovery.exchanges.front().transport_error;
    std::string lowered = error;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lowered.find("certificate") != std::string::npos)
      throw std::runtime_error("cannot verify the TLS certificate of " + target + " (" + error +
                               "); give --ca-file with the CA that signed it, or --insecure for a test target");
    // Any other TLS failure is most often an https:// target that speaks plain HTTP.
    if (lowered.find("ssl") != std::string::npos || lowered.find("tls") != std::string::npos)
      throw std::runtime_error("TLS handshake with " + target + " failed (" + error +
                               "); check that the target serves HTTPS, or give it as http://");
    throw std::runtime_error("cannot reach " + target + ": " + error + "; check --target and that the server is running");
  }
  suites::RunEnvironment environment(client, discovery, settings);

  std::string which = pass.embedded_profile.empty() ? ""
                      : pass.embedded_profile == "rfc" ? " (embedded reference server)"
                                                       : " (embedded reference server, " + pass.embedded_profile + " profile)";
  out << "scimulator run: " << pass.cases.size() + pass.rules.size() << " cases against " << suites::redact(target, result.secrets) << which << "\n";
  for (const auto& note : discovery.notes) out << "  note: " << note << "\n";
  result.notes = discovery.notes;
  suites::RunnerOptions runner_options;
  runner_options.concurrency = options.concurrency;
  runner_options.on_result = on_result;
  result.summary = suites::run_cases(pass.cases, environment, runner_options);
  if (options.retries > 0) {
    out << "  retrying what failed (up to " << options.retries << " more times)\n";
    suites::retry_failures(result.summary, pass.cases, environment, runner_options, options.retries);
  }
  for (auto& rule : suites::rule_results(pass.rules, environment, settings.strict)) {
    on_result(rule);
    result.summary.results.push_back(std::move(rule));
  }
  return result;
}

}  // namespace

int run(const RunOptions& options, std::ostream& out, suites::RunSummary* summary_out) {
  validate(options);
  std::filesystem::path fixtures = options.fixtures.empty() ? scim::default_fixtures_dir() : std::filesystem::path(options.fixtures);
  suites::Catalog catalog = suites::load_catalog(fixtures);
  suites::Selection selection{options.profile, options.select, options.keywords};

  if (options.list) {
    print_list(catalog, selection, out);
    return 0;
  }
  // Read before anything runs, so a bad list costs no run.
  std::set<std::string> known;
  if (!options.known_failures.empty()) {
    std::set<std::string> ids;
    for (const suites::CaseInfo* info : catalog.all()) ids.insert(info->id);
    try {
      known = suites::load_known_failures(options.known_failures, ids);
    } catch (const std::runtime_error& error) {
      throw UsageError(error.what());
    }
  }
  suites::CaseList cases;
  try {
    cases = suites::select_cases(catalog.cases, selection);
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(std::string("the catalog is inconsistent: ") + error.what());
  }
  std::vector<suites::CaseInfo> rules;
  for (const auto& rule : catalog.rules)
    if (suites::matches_selection(rule, selection)) rules.push_back(rule);
  if (cases.empty() && rules.empty())
    throw UsageError("no case matched the selection (profile " + options.profile +
                     "); see scimulator run --list for the ids and keywords");

  // With no target, the embedded reference server on a free loopback port: the plain RFC
  // profile for every suite but clickhouse, whose cases need the modelled service's rules and
  // its admin API, so they get a second server of their own.
  std::vector<Pass> passes;
  if (options.target.empty()) {
    suites::CaseList clickhouse_cases, other_cases;
    for (auto& c : cases) (c.info.profile == "clickhouse" ? clickhouse_cases : other_cases).push_back(std::move(c));
    if (!other_cases.empty() || !rules.empty()) passes.push_back({"rfc", std::move(other_cases), std::move(rules)});
    if (!clickhouse_cases.empty()) passes.push_back({"clickhouse", std::move(clickhouse_cases), {}});
  } else {
    passes.push_back({"", std::move(cases), std::move(rules)});
  }

  bool tty = &out == &std::cout && isatty(fileno(stdout));
  std::mutex print;
  auto on_result = [&](const suites::CaseResult& result) {
    bool rejected = result.vendor_verdict && !result.vendor_verdict->accepted;
    if (options.quiet && suites::acceptable(result.outcome) && result.outcome != suites::Outcome::non_strict && !rejected)
      return;
    std::lock_guard lock(print);
    out << "  " << colour(result.outcome, tty) << std::left << std::setw(13) << to_string(result.outcome)
              << (tty ? "\033[0m" : "") << result.info.id;
    if (result.outcome != suites::Outcome::pass && !result.reason.empty()) out << "\n      " << result.reason;
    if (result.vendor_verdict && !result.vendor_verdict->accepted)
      out << "\n      " << result.vendor_verdict->vendor << " would reject this: " << result.vendor_verdict->note;
    out << "\n";
  };

  suites::RunSummary summary;
  std::vector<std::string> secrets;
  std::vector<std::string> notes;
  std::string target = options.target;
  std::string run_id = random_id(5);
  for (Pass& pass : passes) {
    PassResult result = run_pass(options, fixtures, pass, run_id, on_result, out);
    if (target.empty()) target = result.target;
    secrets.insert(secrets.end(), result.secrets.begin(), result.secrets.end());
    notes.insert(notes.end(), result.notes.begin(), result.notes.end());
    if (summary.results.empty()) summary.started = result.summary.started;
    summary.duration += result.summary.duration;
    for (auto& r : result.summary.results) summary.results.push_back(std::move(r));
  }
  bool embedded = options.target.empty();
  suites::apply_known_failures(summary.results, known);

  std::filesystem::path out_dir = options.out;
  std::filesystem::create_directories(out_dir);
  suites::RunMetadata metadata{target, options.profile, catalog.checksum(), SCIMULATOR_VERSION, embedded, notes};
  nlohmann::json results = suites::run_to_json(summary, metadata, secrets);
  std::ofstream(out_dir / "results.json") << results.dump(2) << "\n";
  reports::write_all(reports::from_results(results), out_dir);

  out << "\n";
  for (suites::Outcome outcome : {suites::Outcome::pass, suites::Outcome::fail, suites::Outcome::non_strict,
                                  suites::Outcome::informational, suites::Outcome::unsupported,
                                  suites::Outcome::blocked, suites::Outcome::error})
    if (int n = summary.count(outcome)) out << "  " << n << " " << to_string(outcome);
  if (int n = summary.vendor_rejections()) out << "  (" << n << " rejected by the vendor they model)";
  auto tally = [&](auto flag) { return std::count_if(summary.results.begin(), summary.results.end(), flag); };
  if (auto n = tally([](const suites::CaseResult& r) { return r.known_failure; })) out << "  " << n << " known failures";
  if (auto n = tally([](const suites::CaseResult& r) { return r.stale_known_failure; }))
    out << "  " << n << " stale known failures (they pass now: remove them from the list)";
  if (auto n = tally([](const suites::CaseResult& r) { return r.flaky; })) out << "  " << n << " flaky";
  out << "  in " << summary.duration.count() << " ms\n";
  out << "scimulator run: reports in " << out_dir.string()
      << " (report.html, junit.xml, summary.md, index.json, cases/, results.json)\n";
  int code = summary.exit_code();
  if (summary_out) *summary_out = summary;
  out << "scimulator run: " << (code == 0 ? "PASS" : code == 1 ? "FAIL" : "ERROR") << " (exit " << code << ")\n";
  return code;
}

Command add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* sub = app.add_subcommand("run", "run the conformance suites against a SCIM server (default: the embedded one)");
  add_run_options(*sub, *options);
  return [options, sub] {
    if (!options->config.empty()) load_run_config(*options, *sub);
    return run(*options, std::cout);
  };
}

}  // namespace cli
