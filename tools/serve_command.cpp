// `scimulator serve`: the reference SCIM server on a real socket with a SQLite file.
#include "reference_server/api/scim_service.hpp"
#include "reference_server/store/resource_store.hpp"
#include "reference_server/transport/http_server.hpp"
#include "scim/schema.hpp"
#include "tools/commands.hpp"

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
  int threads = 2;
  std::string base_path = "/scim/v2";
  bool quiet = false;
  bool strict_rfc = false;
  std::size_t body_limit = 1024 * 1024;
  std::string fixtures;
};

std::string default_data_path() {
  const char* home = std::getenv("HOME");
  std::filesystem::path dir = home && *home ? std::filesystem::path(home) / ".local/share/scimulator" : ".";
  std::filesystem::create_directories(dir);
  return (dir / "reference.db").string();
}

std::string random_token() {
  std::random_device device;
  std::ostringstream out;
  out << "scimulator-";
  for (int i = 0; i < 4; ++i) out << std::hex << device();
  return out.str();
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
  if (options.port < 0 || options.port > 65535)
    throw UsageError("--port " + std::to_string(options.port) + " is out of range; use 0-65535 (0 picks a free port)");
  if (options.threads < 1 || options.threads > 256)
    throw UsageError("--threads must be between 1 and 256");
  if (!options.base_path.empty() && options.base_path.front() != '/')
    throw UsageError("--base-path must start with '/', e.g. /scim/v2");

  std::filesystem::path fixtures = options.fixtures.empty() ? scim::default_fixtures_dir() : std::filesystem::path(options.fixtures);
  scim::SchemaRegistry registry = scim::SchemaRegistry::load(fixtures / "schemas");
  std::string data = options.data.empty() ? default_data_path() : options.data;
  std::unique_ptr<refserver::ResourceStore> store = refserver::ResourceStore::open(data);

  std::vector<std::string> tokens = options.tokens;
  for (auto& token : tokens_from_environment()) tokens.push_back(token);
  bool generated = tokens.empty();
  if (generated) tokens.push_back(random_token());

  transport::ServerOptions server_options;
  server_options.bind_address = options.bind;
  server_options.port = static_cast<std::uint16_t>(options.port);
  server_options.threads = options.threads;
  server_options.body_limit = options.body_limit;
  server_options.access_log = !options.quiet;

  refserver::ServiceConfig config;
  config.base_path = options.base_path == "/" ? "" : options.base_path;
  config.bearer_tokens = tokens;
  config.strict_rfc = options.strict_rfc;
  config.bulk_max_payload = std::min(config.bulk_max_payload, options.body_limit);

  // The base URL is known only after binding (port 0), and the service needs it for
  // meta.location, so the service is built behind a forwarding handler.
  struct Forward : transport::Handler {
    refserver::ScimService* service = nullptr;
    transport::HttpResponse handle(const transport::HttpRequest& r) override { return service->handle(r); }
    transport::HttpResponse reject(int s, std::string_view reason) override { return service->reject(s, reason); }
  } forward;
  transport::HttpServer server(server_options, forward);
  try {
    server.start();
  } catch (const std::system_error& e) {
    throw UsageError(std::string(e.what()) + "; pick another --port (0 picks a free one)");
  }
  std::string host = options.bind == "0.0.0.0" || options.bind == "::" ? "127.0.0.1" : options.bind;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  config.base_url = "http://" + host + ":" + std::to_string(server.port()) + config.base_path;
  refserver::ScimService service(config, registry, *store);
  forward.service = &service;

  std::cout << "scimulator serve: listening on " << config.base_url << "\n";
  std::cout << "scimulator serve: data in " << data << "\n";
  if (generated) std::cout << "scimulator serve: token " << tokens.front() << " (generated; pass --token to choose)\n";
  std::cout.flush();
  server.run_until_signal();
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
  sub->add_option("--threads", options->threads, "worker threads")->capture_default_str();
  sub->add_option("--base-path", options->base_path, "path prefix of every endpoint")->capture_default_str();
  sub->add_option("--body-limit", options->body_limit, "largest request body in bytes; larger ones get 413")->capture_default_str();
  sub->add_option("--fixtures", options->fixtures, "fixtures directory holding schemas/ (default: the source tree's)");
  sub->add_flag("--quiet", options->quiet, "no access log on stderr");
  sub->add_flag("--strict-rfc", options->strict_rfc, "follow RFC 7644 where IdPs need otherwise (see README, IdP tolerances)");
  return [options] { return serve(*options); };
}

}  // namespace cli
