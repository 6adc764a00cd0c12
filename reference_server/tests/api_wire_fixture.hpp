#pragma once
// End-to-end plumbing for tests that talk to the reference server over real sockets: a temp
// SQLite file that cleans up after itself, the server (HttpServer + ScimService) in-process on
// 127.0.0.1:0, and a libcurl client that reuses one easy handle (and so one keep-alive
// connection) the way an IdP does. Handler-level tests use api_service_fixture.hpp instead.
#include "reference_server/api/scim_service.hpp"
#include "reference_server/store/resource_store.hpp"
#include "reference_server/transport/http_server.hpp"
#include "scim/schema.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

namespace refserver::wire {

inline constexpr const char* kToken = "wire-test-token";
inline constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr const char* kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr const char* kEnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
inline constexpr const char* kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
inline constexpr const char* kPatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
inline constexpr const char* kBulkRequestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
inline constexpr const char* kListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

// A unique path in the temp directory; the SQLite file and its WAL/SHM companions are removed
// on destruction so repeated runs leave nothing behind.
class TempDbFile {
 public:
  explicit TempDbFile(const std::string& stem) {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             (stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db"))
                .string();
    remove_all();
  }
  ~TempDbFile() { remove_all(); }
  TempDbFile(const TempDbFile&) = delete;
  TempDbFile& operator=(const TempDbFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  void remove_all() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix, ec);
  }
  std::string path_;
};

struct HttpReply {
  int status = 0;  // 0: transport failure, see `error`
  std::vector<std::pair<std::string, std::string>> headers;
  std::string text;
  nlohmann::json body;  // parsed text; null when empty or not JSON
  std::string error;

  std::string header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (scim::iequals(key, name)) return value;
    return {};
  }
};

// One easy handle for the client's lifetime: curl_easy_reset clears options between requests
// but keeps the connection cache, so consecutive requests ride the same keep-alive socket.
class CurlClient {
 public:
  CurlClient() : handle_(curl_easy_init()) {
    if (!handle_) throw std::runtime_error("curl_easy_init failed");
  }
  ~CurlClient() { curl_easy_cleanup(handle_); }
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  // `headers` are sent verbatim ("Name: value"); "Name:" suppresses a header curl would add.
  // A body, even an empty one, is sent whenever `send_body` is true.
  HttpReply request(const std::string& method, const std::string& url, const std::string& body,
                    const std::vector<std::string>& headers, bool send_body) {
    curl_easy_reset(handle_);
    HttpReply reply;
    curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(handle_, CURLOPT_PATH_AS_IS, 1L);  // keep "%zz" and "/../" exactly as written
    if (method == "GET" && !send_body) {
      curl_easy_setopt(handle_, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(handle_, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (send_body) {
      curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, body.data());
    }
    struct curl_slist* list = nullptr;
    for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &CurlClient::on_body);
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &reply.text);
    curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &CurlClient::on_header);
    curl_easy_setopt(handle_, CURLOPT_HEADERDATA, &reply.headers);
    CURLcode code = curl_easy_perform(handle_);
    curl_slist_free_all(list);
    if (code != CURLE_OK) {
      reply.error = curl_easy_strerror(code);
      return reply;
    }
    long status = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
    reply.status = static_cast<int>(status);
    reply.body = nlohmann::json::parse(reply.text, nullptr, false);
    if (reply.body.is_discarded()) reply.body = nullptr;
    return reply;
  }

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
  }
  static size_t on_header(char* data, size_t size, size_t count, void* out) {
    auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(out);
    std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) headers->clear();  // a new response (after 100 Continue)
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
      headers->emplace_back(line.substr(0, colon), value);
    }
    return size * count;
  }
  CURL* handle_;
};

// The reference server as `scimulator serve` wires it, in-process: the base URL needs the port,
// which exists only after start(), so the HttpServer holds a forwarding handler.
class WireServer {
 public:
  explicit WireServer(const std::string& db_path, ServiceConfig config = {}, std::size_t body_limit = 1024 * 1024)
      : registry_(scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas")),
        store_(ResourceStore::open(db_path)) {
    transport::ServerOptions options;
    options.bind_address = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.body_limit = body_limit;
    options.access_log = false;
    server_ = std::make_unique<transport::HttpServer>(options, forward_);
    server_->start();
    config.bearer_tokens = {kToken};
    config.base_url = "http://127.0.0.1:" + std::to_string(server_->port()) + config.base_path;
    config.bulk_max_payload = std::min(config.bulk_max_payload, body_limit);
    base_url_ = config.base_url;
    service_ = std::make_unique<ScimService>(config, registry_, *store_);
    forward_.service = service_.get();
  }
  ~WireServer() { stop(); }

  void stop() {
    if (server_) server_->stop(std::chrono::milliseconds{2000});
    server_.reset();
  }
  const std::string& base_url() const { return base_url_; }
  ResourceStore& store() { return *store_; }

 private:
  struct Forward : transport::Handler {
    ScimService* service = nullptr;
    transport::HttpResponse handle(const transport::HttpRequest& r) override { return service->handle(r); }
    transport::HttpResponse reject(int s, std::string_view reason) override { return service->reject(s, reason); }
  };
  // Declaration order matters: the server (and its threads) must go before the service it calls.
  scim::SchemaRegistry registry_;
  std::unique_ptr<ResourceStore> store_;
  Forward forward_;
  std::unique_ptr<ScimService> service_;
  std::unique_ptr<transport::HttpServer> server_;
  std::string base_url_;
};

// A fixture with one server on one temp file and an authenticated client.
class WireTest : public ::testing::Test {
 protected:
  WireTest() : db_("scimulator-wire") { start_server(); }

  void start_server() { server_ = std::make_unique<WireServer>(db_.path()); }
  void restart_server() {
    server_.reset();  // stops the transport, then closes the SQLite store
    start_server();
  }

  // Path relative to the base URL ("/Users?filter=..."), sent exactly as written.
  HttpReply call(const std::string& method, const std::string& path, const std::string& body = "",
                 std::vector<std::string> extra = {}, bool auth = true) {
    std::vector<std::string> headers = {"Expect:"};
    if (auth) headers.push_back(std::string("Authorization: Bearer ") + kToken);
    bool has_body = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
    bool own_type = false;  // a row that sends its own Content-Type must send only that one
    for (const auto& header : extra) own_type |= scim::iequals(header.substr(0, 13), "Content-Type:");
    if (has_body && !own_type) headers.push_back("Content-Type: application/scim+json");
    for (auto& header : extra) headers.push_back(std::move(header));
    return client_.request(method, server_->base_url() + path, body, headers, has_body);
  }
  HttpReply call(const std::string& method, const std::string& path, const char* body,
                 std::vector<std::string> extra = {}, bool auth = true) {
    return call(method, path, std::string(body), std::move(extra), auth);
  }
  HttpReply call(const std::string& method, const std::string& path, const nlohmann::json& body,
                 std::vector<std::string> extra = {}) {
    return call(method, path, body.dump(), std::move(extra));
  }

  std::string create_user(const std::string& user_name, nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json body = {{"schemas", {kUserSchema}}, {"userName", user_name}};
    body.update(extra);
    HttpReply reply = call("POST", "/Users", body);
    EXPECT_EQ(reply.status, 201) << reply.error << reply.text;
    return reply.body.is_object() ? reply.body.value("id", "") : "";
  }

  // The RFC 7644 §3.12 error body: "schemas" with the Error URN, "status" a string equal to the
  // HTTP status, a non-empty "detail"; and the SCIM media type.
  static void expect_scim_error(const HttpReply& reply, int status, const std::string& scim_type,
                                const std::string& context = "") {
    SCOPED_TRACE(context);
    EXPECT_EQ(reply.status, status) << reply.error << reply.text;
    EXPECT_EQ(reply.header("Content-Type").rfind("application/scim+json", 0), 0u) << reply.header("Content-Type");
    ASSERT_TRUE(reply.body.is_object()) << reply.text;
    EXPECT_EQ(reply.body.value("schemas", nlohmann::json::array()), nlohmann::json::array({kErrorSchema}));
    ASSERT_TRUE(reply.body.contains("status") && reply.body["status"].is_string()) << reply.text;
    EXPECT_EQ(reply.body["status"].get<std::string>(), std::to_string(status));
    ASSERT_TRUE(reply.body.contains("detail") && reply.body["detail"].is_string()) << reply.text;
    EXPECT_FALSE(reply.body["detail"].get<std::string>().empty());
    if (scim_type.empty())
      EXPECT_FALSE(reply.body.contains("scimType")) << reply.text;
    else
      EXPECT_EQ(reply.body.value("scimType", ""), scim_type) << reply.text;
  }

  TempDbFile db_;
  std::unique_ptr<WireServer> server_;
  CurlClient client_;
};

}  // namespace refserver::wire
