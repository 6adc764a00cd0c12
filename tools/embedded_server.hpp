#pragma once
// The reference server assembled from its parts (schemas, SQLite store, SCIM service, HTTP
// transport) on a real socket: what `serve` runs in the foreground and what `run` and
// `simulate` start in-process when no target is given.
#include "reference_server/api/service_config.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace cli {

struct EmbeddedServerOptions {
  std::string bind = "127.0.0.1";
  int port = 0;
  std::string data = ":memory:";
  // Static bearer tokens, accepted beside the scim_ tokens kept in the data file.
  std::vector<std::string> tokens;
  // With no tokens given and none in the data file, make one up (see generated_token()), so a
  // new server is never open to everyone nor closed to everyone.
  bool generate_token = false;
  // PEM certificate (chain) and private key: serve HTTPS. Both or neither.
  std::string tls_cert;
  std::string tls_key;
  // The admin endpoint's credential (/admin); empty turns the endpoint off.
  std::string admin_token;
  int threads = 2;
  std::string base_path = "/scim/v2";
  std::size_t body_limit = 1024 * 1024;
  bool strict_rfc = false;
  // "rfc" or "clickhouse" (ServiceConfig::profile).
  std::string profile = "rfc";
  bool access_log = false;
  std::string fixtures;              // empty: scim::default_fixtures_dir()
  std::vector<std::string> faults;   // deliberate defects by name (serve --fault)
};

class EmbeddedServer {
 public:
  // Binds and starts serving; throws std::system_error when the address is taken and
  // std::invalid_argument for an unknown fault name or an unusable TLS certificate or key.
  explicit EmbeddedServer(const EmbeddedServerOptions& options);
  ~EmbeddedServer();  // stops, draining in-flight requests

  const std::string& base_url() const;
  const std::string& data_path() const;
  // The token made up because none was given or stored; empty otherwise.
  const std::string& generated_token() const;
  // Blocks until SIGINT or SIGTERM, then drains and stops.
  void run_until_signal();
  void stop();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace cli
