#pragma once
// The harness's only way to a SCIM target: libcurl with kept-alive connections, returning an
// Exchange per request. The conformance runner and the IdP simulator both go through here, and
// nothing here knows the reference server: the oracle never calls the implementation under test.
#include "simulator/client/exchange.hpp"
#include "simulator/client/url.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimclient {

struct ClientOptions {
  // Prefix for relative request URLs, e.g. "http://127.0.0.1:8080/scim/v2".
  std::string base_url;
  // Sent with every request unless the request names the same header (e.g. Authorization).
  Headers default_headers;
  std::string user_agent = "scimulator/0.1";
  // RFC 7644 §3.1 / §8.1: the SCIM media type; sent as Accept unless empty.
  std::string accept = "application/scim+json";
  // Content-Type of the *_json helpers' bodies.
  std::string json_content_type = "application/scim+json";
  // Timeout the helpers and make_request() put into their requests.
  std::chrono::milliseconds timeout{30000};
  // Idle kept-alive connections the client holds on to for send() (one per pooled handle).
  int max_connections = 8;
  // Off by default: a target on loopback must not be routed through a proxy from http_proxy.
  bool use_env_proxy = false;
  // Accept any TLS certificate and host name (self-signed test targets). Never on by default.
  bool insecure = false;
  // PEM file of the CA that signed the target's certificate (a private CA); empty: system CAs.
  std::string ca_file;
};

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientOptions& options() const { return options_; }

  // Performs one request synchronously. Thread-safe; connections are reused between calls.
  // Never throws for network trouble: see Exchange::transport_error.
  Exchange send(const HttpRequestSpec& request);

  // Performs all requests on one libcurl multi handle with at most `concurrency` in flight
  // (values below 1 mean 1). Results are in input order. Calls are serialized per client.
  std::vector<Exchange> send_all(std::vector<HttpRequestSpec> requests, int concurrency);

  // Streams requests on the same multi handle: whenever fewer than `concurrency` are in flight,
  // asks `next` for one (nullopt: none ready now), and hands each exchange to `done` as soon as
  // it completes, with the sequence number of its request (0, 1, … in the order `next` gave
  // them). `done` may make more requests ready; they start before the client waits again.
  // Returns when nothing is in flight and `next` has none. `done` must not call back into this
  // client. Calls are serialized per client.
  using NextRequest = std::function<std::optional<HttpRequestSpec>()>;
  using OnExchange = std::function<void(std::size_t sequence, Exchange exchange)>;
  void stream(int concurrency, const NextRequest& next, const OnExchange& done);

  // A request with this client's timeout; `path` may be relative to base_url or absolute.
  // Query strings: build `path` with with_query(path, params).
  HttpRequestSpec make_request(std::string method, std::string_view path, std::string body = {},
                               Headers headers = {}) const;

  Exchange get(std::string_view path, Headers headers = {});
  Exchange post_json(std::string_view path, const nlohmann::json& body, Headers headers = {});
  Exchange put_json(std::string_view path, const nlohmann::json& body, Headers headers = {});
  Exchange patch_json(std::string_view path, const nlohmann::json& body, Headers headers = {});
  Exchange del(std::string_view path, Headers headers = {});

  // base_url joined with `path_or_url` (absolute URLs pass through).
  std::string resolve(std::string_view path_or_url) const;

 private:
  Exchange send_json(std::string method, std::string_view path, const nlohmann::json& body, Headers headers);
  // The request as it goes on the wire: absolute URL, defaults merged under its own headers.
  HttpRequestSpec effective(const HttpRequestSpec& request) const;
  void* acquire_easy(std::string& error);  // nullptr with `error` set when none can be made
  void release_easy(void* easy);

  ClientOptions options_;
  std::mutex pool_mutex_;
  std::vector<void*> idle_easy_;  // CURL*, each holding its own kept-alive connection
  std::mutex multi_mutex_;
  void* multi_ = nullptr;  // CURLM*, its connection cache outlives one send_all call
};

}  // namespace scimclient
