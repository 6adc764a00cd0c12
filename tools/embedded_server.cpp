#include "tools/embedded_server.hpp"

#include "reference_server/api/scim_service.hpp"
#include "reference_server/store/resource_store.hpp"
#include "reference_server/transport/http_server.hpp"
#include "scim/schema.hpp"

#include <algorithm>
#include <random>
#include <sstream>

namespace cli {

namespace {

// The base URL is known only after binding (port 0), and the service needs it for
// meta.location, so the transport starts with a handler that forwards to the service built
// right after.
struct Forward : transport::Handler {
  refserver::ScimService* service = nullptr;
  transport::HttpResponse handle(const transport::HttpRequest& r) override { return service->handle(r); }
  transport::HttpResponse reject(int s, std::string_view reason) override { return service->reject(s, reason); }
};

std::string random_token() {
  std::random_device device;
  std::ostringstream out;
  out << "scimulator-";
  for (int i = 0; i < 4; ++i) out << std::hex << device();
  return out.str();
}

}  // namespace

struct EmbeddedServer::Parts {
  scim::SchemaRegistry registry;
  std::unique_ptr<refserver::ResourceStore> store;
  Forward forward;
  std::unique_ptr<transport::HttpServer> server;
  std::unique_ptr<refserver::ScimService> service;
  std::string base_url;
  std::string data;
  std::string generated_token;
};

EmbeddedServer::EmbeddedServer(const EmbeddedServerOptions& options) : parts_(std::make_unique<Parts>()) {
  std::filesystem::path fixtures =
      options.fixtures.empty() ? scim::default_fixtures_dir() : std::filesystem::path(options.fixtures);
  parts_->registry = scim::SchemaRegistry::load(fixtures / "schemas");
  parts_->data = options.data;
  parts_->store = refserver::ResourceStore::open(options.data);

  refserver::ServiceConfig config;
  config.base_path = options.base_path == "/" ? "" : options.base_path;
  config.bearer_tokens = options.tokens;
  config.strict_rfc = options.strict_rfc;
  config.bulk_max_payload = std::min(config.bulk_max_payload, options.body_limit);
  config.faults = refserver::parse_faults(options.faults);
  config.admin_token = options.admin_token;
  config.profile = options.profile;
  auto store_runner = [store = parts_->store.get()](const std::function<void(refserver::sqlite::Database&)>& work) {
    store->with_database(work);
  };
  auto access = std::make_shared<refserver::access::AccessControl>(store_runner, options.tokens);
  if (options.tokens.empty() && options.generate_token && !access->has_credentials()) {
    parts_->generated_token = random_token();
    config.bearer_tokens = {parts_->generated_token};
    access = std::make_shared<refserver::access::AccessControl>(store_runner, config.bearer_tokens);
  }

  transport::ServerOptions server_options;
  server_options.bind_address = options.bind;
  server_options.port = static_cast<std::uint16_t>(options.port);
  server_options.threads = options.threads;
  server_options.body_limit = options.body_limit;
  server_options.access_log = options.access_log;
  server_options.tls_certificate_file = options.tls_cert;
  server_options.tls_private_key_file = options.tls_key;
  parts_->server = std::make_unique<transport::HttpServer>(server_options, parts_->forward);
  parts_->server->start();

  std::string host = options.bind == "0.0.0.0" || options.bind == "::" ? "127.0.0.1" : options.bind;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  config.base_url = std::string(options.tls_cert.empty() ? "http://" : "https://") + host + ":" + std::to_string(parts_->server->port()) + config.base_path;
  parts_->base_url = config.base_url;
  parts_->service = std::make_unique<refserver::ScimService>(config, parts_->registry, *parts_->store, access);
  parts_->forward.service = parts_->service.get();
}

EmbeddedServer::~EmbeddedServer() { stop(); }

const std::string& EmbeddedServer::base_url() const { return parts_->base_url; }
const std::string& EmbeddedServer::data_path() const { return parts_->data; }
const std::string& EmbeddedServer::generated_token() const { return parts_->generated_token; }

void EmbeddedServer::run_until_signal() { parts_->server->run_until_signal(); }

void EmbeddedServer::stop() {
  if (parts_ && parts_->server) parts_->server->stop();
}

}  // namespace cli
