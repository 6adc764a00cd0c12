// `scimulator serve`: the reference SCIM server on a real socket with a SQLite file.
#include "reference_server/api/faults.hpp"
#include "tools/commands.hpp"
#include "tools/embedded_server.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>

namespace cli {

namespace {

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string data;
  std::vector<std::string> tokens;
  std::string admin_token;
  std::string tls_cert;
  std::string tls_key;
  int threads = 2;
  std::string base_path = "/scim/v2";
  bool quiet = false;
  bool strict_rfc = false;
  std::string profile = "clickhouse";
  std::size_t body_limit = 1024 * 1024;
  std::string fixtures;
  std::vector<std::string> faults;
  bool list_faults = false;
};

std::string default_data_path() {
  const char* home = std::getenv("HOME");
  std::filesystem::path dir = home && *home ? std::filesystem::path(home) / ".local/share/scimulator" : ".";
  std::filesystem::create_directories(dir);
  return (dir / "reference.db").string();
}

std::vector<std::string> tokens_from_environment() {
  std::vector<std::string> tokens;
  if (const char* env = std::getenv("SCIMULATOR_TOKEN"); env && *env) {
    std::string all = env;
    std::size_t start = 0;
    while (start <= all.size()) {
      auto comma = all.find(',', start);
      std::string token = all.substr(start, comma - start);
      if (!token.empty()) tokens.push_back(token);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return tokens;
}

int serve(const ServeOptions& options) {
  if (options.list_faults) {
    for (const auto& fault : refserver::known_faults())
      std::cout << fault.name << "\t" << fault.rfc_section << "\t" << fault.description << "\n";
    return 0;
  }
  if (options.port < 0 || options.port > 65535)
    throw UsageError("--port " + std::to_string(options.port) + " is out of range; use 0-65535 (0 picks a free port)");
  if (options.threads < 1 || options.threads > 256)
    throw UsageError("--threads must be between 1 and 256");
  if (options.tls_cert.empty() != options.tls_key.empty())
    throw UsageError("--tls-cert and --tls-key go together: give the PEM certificate and its private key");
  if (!options.base_path.empty() && options.base_path.front() != '/')
    throw UsageError("--base-path must start with '/', e.g. /scim/v2");

  std::vector<std::string> tokens = options.tokens;
  for (auto& token : tokens_from_environment()) tokens.push_back(token);
  std::string admin_token = options.admin_token;
  if (admin_token.empty())
    if (const char* env = std::getenv("SCIMULATOR_ADMIN_TOKEN"); env) admin_token = env;

  EmbeddedServerOptions server_options;
  server_options.bind = options.bind;
  server_options.port = options.port;
  server_options.data = options.data.empty() ? default_data_path() : options.data;
  server_options.tokens = tokens;
  server_options.generate_token = true;
  server_options.tls_cert = options.tls_cert;
  server_options.tls_key = options.tls_key;
  server_options.admin_token = admin_token;
  server_options.threads = options.threads;
  server_options.base_path = options.base_path;
  server_options.body_limit = options.body_limit;
  server_options.strict_rfc = options.strict_rfc;
  server_options.profile = options.profile;
  server_options.access_log = !options.quiet;
  server_options.fixtures = options.fixtures;
  server_options.faults = options.faults;
  std::unique_ptr<EmbeddedServer> server;
  try {
    server = std::make_unique<EmbeddedServer>(server_options);
  } catch (const std::system_error& e) {
    throw UsageError(std::string(e.what()) + "; pick another --port (0 picks a free one)");
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const std::string& data = server->data_path();
  for (const auto& fault : options.faults)
    std::cerr << "scimulator serve: WARNING fault " << fault << " is on: this server is deliberately broken\n";

  std::cout << "scimulator serve: listening on " << server->base_url() << "\n";
  std::cout << "scimulator serve: data in " << data << "\n";
  if (!server->generated_token().empty())
    std::cout << "scimulator serve: token " << server->generated_token()
              << " (generated: no --token given and no scim_ token in the data file)\n";
  if (!admin_token.empty()) {
    const std::string& url = server->base_url();
    std::cout << "scimulator serve: admin endpoint on " << url.substr(0, url.find('/', url.find("://") + 3)) << "/admin\n";
  }
  std::cout.flush();
  server->run_until_signal();
  std::cout << "scimulator serve: stopped\n";
  return 0;
}

}  // namespace

Command add_serve_command(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* sub = app.add_subcommand("serve", "run the reference SCIM 2.0 server");
  sub->add_option("--bind", options->bind, "address to listen on")->capture_default_str();
  sub->add_option("--port", options->port, "port to listen on; 0 picks a free port")->capture_default_str();
  sub->add_option("--data", options->data, "SQLite file holding the resources (:memory: keeps nothing); default ~/.local/share/scimulator/reference.db");
  sub->add_option("--token", options->tokens, "bearer token clients must send (repeatable; also SCIMULATOR_TOKEN, comma-separated)");
  sub->add_option("--admin-token", options->admin_token,
                  "credential of the admin endpoint /admin (tokens, roles, audit; also SCIMULATOR_ADMIN_TOKEN); off when empty");
  sub->add_option("--profile", options->profile,
                  "clickhouse: lowercase emails, userName = email, group-to-role mapping (README); rfc: RFC 7643/7644 only")
      ->check(CLI::IsMember({"clickhouse", "rfc"}))
      ->capture_default_str();
  sub->add_option("--tls-cert", options->tls_cert, "PEM certificate (chain): serve HTTPS (with --tls-key)");
  sub->add_option("--tls-key", options->tls_key, "PEM private key of --tls-cert");
  sub->add_option("--threads", options->threads, "worker threads")->capture_default_str();
  sub->add_option("--base-path", options->base_path, "path prefix of every endpoint")->capture_default_str();
  sub->add_option("--body-limit", options->body_limit, "largest request body in bytes; larger ones get 413")->capture_default_str();
  sub->add_option("--fixtures", options->fixtures, "fixtures directory holding schemas/ (default: the source tree's)");
  sub->add_flag("--quiet", options->quiet, "no access log on stderr");
  sub->add_option("--fault", options->faults, "switch on a deliberate defect, to see a harness catch it (repeatable)")->type_name("NAME");
  sub->add_flag("--list-faults", options->list_faults, "print the defects --fault can switch on and exit");
  sub->add_flag("--strict-rfc", options->strict_rfc, "follow RFC 7644 where IdPs need otherwise (see README, IdP tolerances)");
  return [options] { return serve(*options); };
}

}  // namespace cli
