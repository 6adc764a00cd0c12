#pragma once
// An asynchronous HTTP/1.1 server on Boost.Beast that knows nothing of SCIM. It reads a request,
// hands a plain HttpRequest to the Handler, writes the HttpResponse back, and keeps the
// connection alive. The handler never sees the socket (the Beast example's shape); transport
// failures the handler must phrase (body too large, headers too large, unparsable request line)
// go through Handler::reject so the SCIM layer can answer them with its own error body.
#include <chrono>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace transport {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;   // "GET", as received
  std::string target;   // raw request-target: path and query, still percent-encoded
  Headers headers;      // as received
  std::string body;
  std::string request_id;  // assigned by the server, echoed as X-Request-Id

  // Case-insensitive header lookup; "" when absent.
  std::string_view header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
};

class Handler {
 public:
  virtual ~Handler() = default;
  virtual HttpResponse handle(const HttpRequest& request) = 0;
  // A request the transport refused before it was complete: 413 body too large,
  // 431 header fields too large, 400 malformed HTTP. `reason` says which limit, in words.
  virtual HttpResponse reject(int status, std::string_view reason) = 0;
};

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;  // 0 picks a free port
  int threads = 2;
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds read_timeout{30'000};   // for a started request to arrive whole
  std::chrono::milliseconds idle_timeout{60'000};   // keep-alive connection with no request
  bool access_log = true;  // one line per request on `log`
  // PEM files; both set: HTTPS only (TLS 1.2 and later). Failed handshakes are logged and the
  // connection closed.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  std::ostream* log = nullptr;  // defaults to std::cerr
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, Handler& handler);
  ~HttpServer();  // stops if still running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens (throws std::system_error with the address on failure), then starts
  // the thread pool. Returns once the server accepts connections.
  void start();
  std::uint16_t port() const;  // the bound port, valid after start()

  // Stops accepting, lets in-flight requests finish and their responses be written
  // (up to `grace`), closes idle connections, joins the threads. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds{5000});

  // Blocks until SIGINT or SIGTERM, then stop(). For the CLI.
  void run_until_signal();

 private:
 public:
  struct Impl;  // opaque: the sessions of the implementation file reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace transport
