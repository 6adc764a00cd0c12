#pragma once
// Shared pieces of the end-to-end tests (api_integration_test, api_bad_input_test,
// api_durability_test): the real server on a loopback port, a libcurl client that keeps one
// connection alive, temporary data directories, and the `scimulator serve` binary as a child
// process. Everything here talks to the server over real sockets; nothing calls the handler
// directly, so these tests see exactly what an IdP sees.
#include "reference_server/api/scim_service.hpp"
#include "reference_server/store/resource_store.hpp"
#include "reference_server/transport/http_server.hpp"
#include "scim/schema.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace refserver::e2e {

inline constexpr const char* token = "e2e-token";
inline constexpr const char* base_path = "/scim/v2";
inline constexpr const char* user_urn = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr const char* group_urn = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr const char* enterprise_urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
inline constexpr const char* patch_urn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
inline constexpr const char* bulk_urn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
inline constexpr const char* list_urn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
inline constexpr const char* error_urn = "urn:ietf:params:scim:api:messages:2.0:Error";

// A private directory under the system temp dir, removed with everything in it (the SQLite
// file and its -wal/-shm companions) when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "scimulator-e2e-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// One HTTP exchange as the client saw it.
struct Reply {
  int status = 0;  // 0 when the transfer failed (see curl_error)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string text;
  nlohmann::json body;     // parsed text; null when empty or not JSON
  std::string curl_error;  // empty when the exchange completed
  long new_connections = 0;  // connections libcurl opened for this exchange (0: reused)

  // Case-insensitive; "" when absent.
  std::string header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (scim::iequals(key, name)) return value;
    return {};
  }
  bool has_header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (scim::iequals(key, name)) return true;
    return false;
  }
  // For assertion messages.
  std::string describe() const {
    if (!curl_error.empty()) return "transfer failed: " + curl_error;
    return "HTTP " + std::to_string(status) + " " + text.substr(0, 600);
  }
};

// libcurl's global state must be set up once, before any thread makes a handle.
inline void ensure_curl_global() {
  static const bool done = [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
    return true;
  }();
  (void)done;
}

// A blocking client over ONE libcurl easy handle: curl_easy_reset keeps the live connection,
// so consecutive requests reuse it (keep-alive) as Okta's and Entra's clients do.
// Request targets are sent verbatim (CURLOPT_REQUEST_TARGET): the caller percent-encodes, so
// tests can send exactly the bytes an IdP sends, malformed ones included.
class HttpClient {
 public:
  // `origin` is "http://127.0.0.1:PORT".
  explicit HttpClient(std::string origin) : origin_(std::move(origin)) {
    ensure_curl_global();
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
  }
  ~HttpClient() {
    if (curl_) curl_easy_cleanup(curl_);
  }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  struct Request {
    std::string method = "GET";
    std::string target;                 // below the base path ("/Users?count=1"), sent verbatim
    std::vector<std::string> headers;   // "Name: value"; "Name:" removes a header libcurl would add
    std::optional<std::string> body;    // absent: no body at all
    bool authorize = true;              // add "Authorization: Bearer <token>"
    bool absolute_target = false;       // target is the whole request-target, base path not added
  };

  Reply send(const Request& request) {
    curl_easy_reset(curl_);
    Reply reply;
    std::string target = request.absolute_target ? request.target : std::string(base_path) + request.target;
    std::string url = origin_ + "/";
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_REQUEST_TARGET, target.c_str());
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, timeout_ms_);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl_, CURLOPT_PROXY, "");  // never route loopback through an environment proxy
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &HttpClient::on_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &reply.text);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &HttpClient::on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &reply.headers);
    if (request.method == "GET") {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
      curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (request.body) {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body->size()));
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body->data());
      // POSTFIELDS switches the method to POST; restore the one asked for.
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    curl_slist* list = nullptr;
    bool has_content_type = false, has_authorization = false;
    for (const auto& header : request.headers) {
      std::string_view name = std::string_view(header).substr(0, header.find(':'));
      has_content_type |= scim::iequals(name, "Content-Type");
      has_authorization |= scim::iequals(name, "Authorization");
      list = curl_slist_append(list, header.c_str());
    }
    if (request.authorize && !has_authorization)
      list = curl_slist_append(list, (std::string("Authorization: Bearer ") + token).c_str());
    if (request.body && !has_content_type) list = curl_slist_append(list, "Content-Type: application/scim+json");
    list = curl_slist_append(list, "Accept: application/scim+json");
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);

    CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(list);
    if (code != CURLE_OK) {
      reply.curl_error = curl_easy_strerror(code);
      return reply;
    }
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &reply.new_connections);
    reply.status = static_cast<int>(status);
    reply.body = nlohmann::json::parse(reply.text, nullptr, false);
    if (reply.body.is_discarded()) reply.body = nullptr;
    return reply;
  }

  Reply get(const std::string& target, std::vector<std::string> headers = {}) {
    return send({"GET", target, std::move(headers), std::nullopt});
  }
  Reply del(const std::string& target, std::vector<std::string> headers = {}) {
    return send({"DELETE", target, std::move(headers), std::nullopt});
  }
  Reply post(const std::string& target, const nlohmann::json& body, std::vector<std::string> headers = {}) {
    return send({"POST", target, std::move(headers), body.dump()});
  }
  Reply put(const std::string& target, const nlohmann::json& body, std::vector<std::string> headers = {}) {
    return send({"PUT", target, std::move(headers), body.dump()});
  }
  Reply patch(const std::string& target, const nlohmann::json& body, std::vector<std::string> headers = {}) {
    return send({"PATCH", target, std::move(headers), body.dump()});
  }

  void set_timeout(std::chrono::milliseconds timeout) { timeout_ms_ = static_cast<long>(timeout.count()); }
  const std::string& origin() const { return origin_; }

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
  }
  static size_t on_header(char* data, size_t size, size_t count, void* out) {
    auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(out);
    std::string_view line(data, size * count);
    // A new status line (after "100 Continue") starts a new header block.
    if (line.rfind("HTTP/", 0) == 0) {
      headers->clear();
      return size * count;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return size * count;
    auto trim = [](std::string_view text) {
      while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
      while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
      return text;
    };
    headers->emplace_back(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
    return size * count;
  }

  std::string origin_;
  CURL* curl_ = nullptr;
  long timeout_ms_ = 10'000;
};

// Percent-encodes one query value (RFC 3986 unreserved characters stay; space becomes %20).
inline std::string url_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

// The reference server assembled in-process exactly as `scimulator serve` assembles it:
// HttpServer on 127.0.0.1 with a free port, ScimService behind a forwarding handler (the base
// URL, which meta.location needs, is known only after the port is bound), a ResourceStore on
// a SQLite file.
class LoopbackServer {
 public:
  LoopbackServer(std::string data_path, ServiceConfig config = {}, transport::ServerOptions options = {})
      : data_path_(std::move(data_path)), config_(std::move(config)), options_(std::move(options)) {
    options_.bind_address = "127.0.0.1";
    options_.port = 0;
    options_.access_log = false;
    config_.bearer_tokens = {token};
    config_.base_path = base_path;
  }
  ~LoopbackServer() { stop(); }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  void start() {
    registry_ = std::make_unique<scim::SchemaRegistry>(scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas"));
    store_ = ResourceStore::open(data_path_);
    server_ = std::make_unique<transport::HttpServer>(options_, forward_);
    server_->start();
    config_.base_url = origin() + base_path;
    service_ = std::make_unique<ScimService>(config_, *registry_, *store_);
    forward_.service = service_.get();
  }

  // Stops the listener and closes the store, so the file can be reopened.
  void stop() {
    if (server_) server_->stop();
    server_.reset();
    forward_.service = nullptr;
    service_.reset();
    store_.reset();
  }

  std::uint16_t port() const { return server_ ? server_->port() : 0; }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port()); }
  const std::string& base_url() const { return config_.base_url; }
  const ServiceConfig& config() const { return config_; }
  std::unique_ptr<HttpClient> client() const { return std::make_unique<HttpClient>(origin()); }

 private:
  struct Forward : transport::Handler {
    ScimService* service = nullptr;
    transport::HttpResponse handle(const transport::HttpRequest& request) override {
      if (!service) return {503, {}, ""};
      return service->handle(request);
    }
    transport::HttpResponse reject(int status, std::string_view reason) override {
      if (!service) return {status, {}, ""};
      return service->reject(status, reason);
    }
  };

  std::string data_path_;
  ServiceConfig config_;
  transport::ServerOptions options_;
  std::unique_ptr<scim::SchemaRegistry> registry_;
  std::unique_ptr<ResourceStore> store_;
  Forward forward_;
  std::unique_ptr<transport::HttpServer> server_;
  std::unique_ptr<ScimService> service_;
};

// `scimulator serve` as a child process. The destructor SIGKILLs the child if it still runs and
// always reaps it, so no test path leaves a server behind. Signals go to this pid only.
class CliServer {
 public:
  static std::string binary() { return std::string(SCIMULATOR_BINARY_DIR) + "/tools/scimulator"; }

  // Starts `scimulator serve --port 0 --data <data_path> --token <token> --quiet` and waits
  // (up to `startup`) for the first stdout line, which names the URL.
  explicit CliServer(const std::string& data_path, std::chrono::milliseconds startup = std::chrono::seconds(20)) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    stdout_fd_ = fds[0];
    std::string path = binary();
    std::vector<std::string> args = {path, "serve", "--port", "0", "--data", data_path, "--token", token, "--quiet"};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
      close(stdout_fd_);
      stdout_fd_ = -1;
      throw std::runtime_error("cannot start " + path + ": " + std::strerror(rc) + " (build the scimulator target)");
    }
    pid_ = pid;
    std::string line;
    try {
      line = read_line(startup);
    } catch (...) {
      // The destructor does not run for a half-built object: reap the child here.
      ::kill(pid_, SIGKILL);
      wait_exit(std::chrono::seconds(10));
      close(stdout_fd_);
      throw;
    }
    constexpr std::string_view prefix = "scimulator serve: listening on ";
    if (line.rfind(prefix, 0) != 0) {
      ::kill(pid_, SIGKILL);
      wait_exit(std::chrono::seconds(10));
      close(stdout_fd_);
      throw std::runtime_error("scimulator serve printed \"" + line + "\" instead of \"" + std::string(prefix) + "URL\"");
    }
    base_url_ = line.substr(prefix.size());
    auto path_at = base_url_.find('/', std::string_view("http://").size());
    origin_ = base_url_.substr(0, path_at);
  }

  ~CliServer() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      wait_exit(std::chrono::seconds(10));
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
  }
  CliServer(const CliServer&) = delete;
  CliServer& operator=(const CliServer&) = delete;

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !status_; }
  const std::string& base_url() const { return base_url_; }
  const std::string& origin() const { return origin_; }
  std::unique_ptr<HttpClient> client() const { return std::make_unique<HttpClient>(origin_); }

  void signal(int sig) {
    if (running()) ::kill(pid_, sig);
  }

  // The wait status once the child exited (and was reaped), nullopt if it still runs after
  // `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    if (status_) return status_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int status = 0;
      pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        status_ = status;
        return status_;
      }
      if (done < 0 && errno != EINTR) {
        status_ = -1;  // not our child any more; nothing left to reap
        return status_;
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  // Everything the child wrote to stdout after the first line, up to now (non-blocking).
  std::string drain_stdout() {
    std::string out;
    char buffer[4096];
    for (;;) {
      pollfd p{stdout_fd_, POLLIN, 0};
      if (poll(&p, 1, 0) <= 0) break;
      ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  std::string read_line(std::chrono::milliseconds timeout) {
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("scimulator serve printed no URL line within the timeout");
      pollfd p{stdout_fd_, POLLIN, 0};
      int ready = poll(&p, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) continue;
      char c = 0;
      ssize_t n = read(stdout_fd_, &c, 1);
      if (n == 0) throw std::runtime_error("scimulator serve exited before printing its URL; stdout so far: \"" + line + "\"");
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error("reading scimulator serve's stdout failed");
      }
      if (c == '\n') return line;
      line.push_back(c);
    }
  }

  pid_t pid_ = -1;
  int stdout_fd_ = -1;  // kept open until the child is reaped: closing it early would SIGPIPE the child
  std::optional<int> status_;
  std::string base_url_;
  std::string origin_;
};

// A §3.12 error body check shared by the tests: schemas holds the Error URN, status is a JSON
// STRING equal to the HTTP status, detail is a non-empty string, and scimType (when expected)
// matches. `expected_scim_type` "" means the body must carry no scimType.
inline void expect_scim_error(const Reply& reply, int status, std::string_view expected_scim_type) {
  ASSERT_TRUE(reply.curl_error.empty()) << reply.curl_error;
  EXPECT_EQ(reply.status, status) << reply.describe();
  EXPECT_EQ(reply.header("Content-Type").substr(0, std::string_view("application/scim+json").size()),
            "application/scim+json")
      << reply.describe();
  ASSERT_TRUE(reply.body.is_object()) << "error body is not a JSON object: " << reply.describe();
  const auto& body = reply.body;
  ASSERT_TRUE(body.contains("schemas") && body["schemas"].is_array()) << reply.text;
  EXPECT_EQ(body["schemas"], nlohmann::json::array({error_urn})) << reply.text;
  ASSERT_TRUE(body.contains("status") && body["status"].is_string())
      << "RFC 7644 §3.12: status is a string: " << reply.text;
  EXPECT_EQ(body["status"].get<std::string>(), std::to_string(status)) << reply.text;
  ASSERT_TRUE(body.contains("detail") && body["detail"].is_string()) << reply.text;
  EXPECT_FALSE(body["detail"].get<std::string>().empty()) << reply.text;
  if (expected_scim_type.empty()) {
    EXPECT_FALSE(body.contains("scimType")) << reply.text;
  } else {
    ASSERT_TRUE(body.contains("scimType") && body["scimType"].is_string()) << reply.text;
    EXPECT_EQ(body["scimType"].get<std::string>(), expected_scim_type) << reply.text;
  }
}

inline nlohmann::json user_body(const std::string& user_name, nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json body = {{"schemas", {user_urn}}, {"userName", user_name}};
  body.update(extra);
  return body;
}

inline nlohmann::json patch_body(nlohmann::json operations) {
  return {{"schemas", {patch_urn}}, {"Operations", std::move(operations)}};
}

}  // namespace refserver::e2e
