// The client against a tiny HTTP/1.1 peer written here with POSIX sockets: the peer records
// what arrived byte for byte and counts connections, so each test checks the wire, not just
// what the client claims it did. The reference server is deliberately not used.
#include "simulator/client/http_client.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using scimclient::Client;
using scimclient::ClientOptions;
using scimclient::Exchange;
using scimclient::Headers;
using scimclient::HttpRequestSpec;

struct ReceivedRequest {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;

  std::vector<std::string> values(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : headers) {
      if (scimclient::header_name_equals(n, name)) out.push_back(v);
    }
    return out;
  }
  std::string header(std::string_view name) const {
    auto v = values(name);
    return v.empty() ? std::string() : v.front();
  }
};

// Returns the raw response to write, or nullopt to never answer (the connection stays open).
using Handler = std::function<std::optional<std::string>(const ReceivedRequest&)>;

std::string response(int status, const std::string& reason, const Headers& headers, const std::string& body,
                     bool content_length = true) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
  for (const auto& [n, v] : headers) out += n + ": " + v + "\r\n";
  if (content_length) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n" + body;
  return out;
}

std::string ok(const std::string& body) { return response(200, "OK", {{"Content-Type", "text/plain"}}, body); }

// Binds 127.0.0.1 on a kernel-chosen free port. With `listen_too` false the socket is only
// bound, so a connect to the port is refused while nobody else can take it.
int bound_socket(int& port, bool listen_too) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind failed");
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  if (listen_too && ::listen(fd, 64) != 0) throw std::runtime_error("listen failed");
  return fd;
}

class TestServer {
 public:
  explicit TestServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = bound_socket(port_, true);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~TestServer() { stop(); }

  std::string url(const std::string& path = "") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  int connections() const { return connections_.load(); }
  int max_in_flight() const { return max_in_flight_.load(); }
  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  void stop() {
    if (stopping_.exchange(true)) return;
    acceptor_.join();
    std::vector<std::thread> workers;
    {
      std::lock_guard lock(mutex_);
      workers.swap(workers_);
    }
    for (auto& w : workers) w.join();
    ::close(listen_fd_);
  }

 private:
  // Waits until `fd` is readable, checking every 20 ms whether the server is stopping.
  bool wait_readable(int fd) {
    while (!stopping_) {
      pollfd p{fd, POLLIN, 0};
      int r = ::poll(&p, 1, 20);
      if (r > 0) return true;
      if (r < 0 && errno != EINTR) return false;
    }
    return false;
  }

  void accept_loop() {
    while (wait_readable(listen_fd_)) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      std::lock_guard lock(mutex_);
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  }

  void serve(int fd) {
    std::string buffer;
    char chunk[8192];
    while (true) {
      std::size_t end = buffer.find("\r\n\r\n");
      std::optional<ReceivedRequest> request;
      if (end != std::string::npos) request = parse(buffer, end);
      if (!request) {
        if (!wait_readable(fd)) break;
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) break;
        buffer.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(*request);
      }
      int now = ++in_flight_;
      int seen = max_in_flight_.load();
      while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
      }
      std::optional<std::string> reply = handler_(*request);
      if (!reply) {
        --in_flight_;
        // Hold the connection open and unanswered until the client gives up or we stop.
        while (wait_readable(fd) && ::recv(fd, chunk, sizeof chunk, 0) > 0) {
        }
        break;
      }
      ::send(fd, reply->data(), reply->size(), MSG_NOSIGNAL);
      --in_flight_;
    }
    ::close(fd);
  }

  // Parses one complete request from the front of `buffer` (consuming it), or nullopt when the
  // body has not fully arrived yet. The client always sends Content-Length, never chunked.
  static std::optional<ReceivedRequest> parse(std::string& buffer, std::size_t header_end) {
    ReceivedRequest r;
    std::string head = buffer.substr(0, header_end);
    std::size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    std::size_t sp1 = request_line.find(' ');
    std::size_t sp2 = request_line.find(' ', sp1 + 1);
    r.method = request_line.substr(0, sp1);
    r.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      std::size_t next = head.find("\r\n", pos);
      if (next == std::string::npos) next = head.size();
      std::string line = head.substr(pos, next - pos);
      std::size_t colon = line.find(':');
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace_back(line.substr(0, colon), value);
      pos = next + 2;
    }
    std::size_t length = 0;
    if (auto cl = r.header("Content-Length"); !cl.empty()) length = std::stoul(cl);
    if (buffer.size() < header_end + 4 + length) return std::nullopt;
    r.body = buffer.substr(header_end + 4, length);
    buffer.erase(0, header_end + 4 + length);
    return r;
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::vector<ReceivedRequest> requests_;
};

ClientOptions options_for(const TestServer& server, const std::string& base_path = "/scim/v2") {
  ClientOptions o;
  o.base_url = server.url(base_path);
  o.timeout = 2000ms;
  return o;
}

TEST(HttpClient_Request, GetSendsDefaultAndRequestHeadersAndCapturesBody) {
  TestServer server([](const ReceivedRequest&) {
    return response(200, "OK", {{"Content-Type", "application/scim+json"}}, R"({"id":"1","userName":"bjensen"})");
  });
  ClientOptions o = options_for(server);
  o.default_headers = {{"Authorization", "Bearer secret-token"}};
  Client client(o);

  Exchange ex = client.get("/Users/1", {{"X-Request-Id", "r-1"}});

  ASSERT_TRUE(ex.ok()) << ex.transport_error;
  EXPECT_EQ(ex.status, 200);
  EXPECT_EQ(ex.response_body, R"({"id":"1","userName":"bjensen"})");
  ASSERT_TRUE(ex.json().has_value());
  EXPECT_EQ((*ex.json())["userName"], "bjensen");
  EXPECT_GT(ex.duration.count(), 0);

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/scim/v2/Users/1");
  EXPECT_EQ(seen[0].header("Authorization"), "Bearer secret-token");
  EXPECT_EQ(seen[0].header("User-Agent"), "scimulator/0.1");
  EXPECT_EQ(seen[0].header("Accept"), "application/scim+json");
  EXPECT_EQ(seen[0].header("X-Request-Id"), "r-1");
  EXPECT_TRUE(seen[0].body.empty());

  // The exchange records the request as sent, for the wire log.
  EXPECT_EQ(ex.request.url, server.url("/scim/v2/Users/1"));
  EXPECT_EQ(ex.request.method, "GET");
  bool has_auth = false;
  for (const auto& [n, v] : ex.request.headers) has_auth |= (n == "Authorization" && v == "Bearer secret-token");
  EXPECT_TRUE(has_auth);
}

TEST(HttpClient_Request, RequestHeaderReplacesDefaultOfSameNameCaseInsensitively) {
  TestServer server([](const ReceivedRequest&) { return ok("x"); });
  ClientOptions o = options_for(server);
  o.default_headers = {{"Authorization", "Bearer default"}};
  Client client(o);

  Exchange ex = client.get("/Users", {{"authorization", "Bearer override"}, {"accept", "application/json"}});

  ASSERT_TRUE(ex.ok()) << ex.transport_error;
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].values("Authorization"), std::vector<std::string>{"Bearer override"});
  EXPECT_EQ(seen[0].values("Accept"), std::vector<std::string>{"application/json"});
}

TEST(HttpClient_Request, WithoutDefaultHeadersSendsOnlyTheRequestsOwn) {
  TestServer server([](const ReceivedRequest&) { return response(401, "Unauthorized", {}, ""); });
  ClientOptions o = options_for(server);
  o.default_headers = {{"Authorization", "Bearer secret-token"}};
  Client client(o);

  HttpRequestSpec spec = client.make_request("GET", "/Users", {}, {{"X-Probe", "1"}});
  spec.with_default_headers = false;
  Exchange ex = client.send(spec);

  ASSERT_TRUE(ex.ok()) << ex.transport_error;
  EXPECT_EQ(ex.status, 401);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].values("Authorization").empty());
  EXPECT_TRUE(seen[0].values("User-Agent").empty());
  EXPECT_TRUE(seen[0].values("Accept").empty());
  EXPECT_EQ(seen[0].header("X-Probe"), "1");
}

TEST(HttpClient_Request, PostBodyIsSentByteExact) {
  TestServer server([](const ReceivedRequest&) { return response(201, "Created", {}, ""); });
  Client client(options_for(server));

  // NULs, CR/LF, UTF-8, and more than 1 KiB (where libcurl would otherwise add Expect).
  std::string body("{\"a\":\"\0\r\n\xC3\xA9\"}", 12);
  body += std::string(3000, 'z');
  HttpRequestSpec spec = client.make_request("POST", "/Users", body, {{"Content-Type", "application/scim+json"}});
  Exchange ex = client.send(spec);

  ASSERT_TRUE(ex.ok()) << ex.transport_error;
  EXPECT_EQ(ex.status, 201);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].body, body);
  EXPECT_EQ(seen[0].header("Content-Length"), std::to_string(body.size()));
  EXPECT_EQ(seen[0].values("Content-Type"), std::vector<std::string>{"application/scim+json"});
  EXPECT_TRUE(seen[0].values("Expect").empty());
}

TEST(HttpClient_Request, JsonHelpersUseTheirMethodAndScimContentType) {
  TestServer server([](const ReceivedRequest&) { return response(200, "OK", {}, "{}"); });
  Client client(options_for(server));
  nlohmann::json user = {{"userName", "Zoë"}};

  EXPECT_TRUE(client.post_json("/Users", user).ok());
  EXPECT_TRUE(client.put_json("/Users/1", user).ok());
  EXPECT_TRUE(client.patch_json("/Users/1", user, {{"If-Match", "W/\"1\""}}).ok());
  EXPECT_TRUE(client.del("/Users/1").ok());

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[1].method, "PUT");
  EXPECT_EQ(seen[2].method, "PATCH");
  EXPECT_EQ(seen[3].method, "DELETE");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(seen[i].body, user.dump());
    EXPECT_EQ(seen[i].header("Content-Type"), "application/scim+json");
  }
  EXPECT_EQ(seen[2].header("If-Match"), "W/\"1\"");
  EXPECT_TRUE(seen[3].body.empty());
  EXPECT_TRUE(seen[3].values("Content-Type").empty());
  EXPECT_EQ(seen[3].target, "/scim/v2/Users/1");
}

// Easy handles are reused without a reset: a request must not inherit the method, body, headers
// or HEAD's no-body rule of the one before it on the same handle.
TEST(HttpClient_Request, AReusedHandleCarriesNothingFromTheRequestBefore) {
  TestServer server([](const ReceivedRequest& r) {
    return response(200, "OK", {}, r.method == "HEAD" ? "" : "body of " + r.method);
  });
  Client client(options_for(server));
  std::vector<HttpRequestSpec> specs = {
      client.make_request("POST", "/Users", "{\"a\":1}", {{"Content-Type", "application/scim+json"}, {"X-Only", "post"}}),
      client.make_request("DELETE", "/Users/1"),
      client.make_request("HEAD", "/Users/1"),
      client.make_request("GET", "/Users/1"),
      client.make_request("PATCH", "/Users/1", "{\"b\":2}", {{"Content-Type", "application/scim+json"}}),
      client.make_request("GET", "/Users/2"),
  };

  // One request in flight: every request runs on the handle the one before it used.
  std::vector<Exchange> results = client.send_all(specs, 1);

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), specs.size());
  EXPECT_EQ(server.connections(), 1);
  std::vector<std::string> methods;
  for (const auto& r : seen) methods.push_back(r.method);
  EXPECT_EQ(methods, (std::vector<std::string>{"POST", "DELETE", "HEAD", "GET", "PATCH", "GET"}));
  EXPECT_EQ(seen[0].body, "{\"a\":1}");
  EXPECT_EQ(seen[4].body, "{\"b\":2}");
  for (std::size_t i : {1u, 2u, 3u, 5u}) {
    EXPECT_TRUE(seen[i].body.empty()) << seen[i].method;
    EXPECT_TRUE(seen[i].values("Content-Length").empty()) << seen[i].method;
    EXPECT_TRUE(seen[i].values("Content-Type").empty()) << seen[i].method;
  }
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_TRUE(seen[i].values("X-Only").empty()) << seen[i].method;
  // After HEAD, a GET reads its body again.
  EXPECT_EQ(results[2].response_body, "");
  EXPECT_EQ(results[3].response_body, "body of GET");
  EXPECT_EQ(results[5].response_body, "body of GET");
}

TEST(HttpClient_Response, StatusAndRepeatedHeadersAreParsedAndLookupIgnoresCase) {
  TestServer server([](const ReceivedRequest&) {
    return response(201, "Created",
                    {{"Content-Type", "application/scim+json"},
                     {"ETag", "W/\"3694e05e9dff590\""},
                     {"X-Multi", "first"},
                     {"x-multi", "second"},
                     {"Location", "http://example.test/scim/v2/Users/2819c223"}},
                    R"({"id":"2819c223"})");
  });
  Client client(options_for(server));

  Exchange ex = client.post_json("/Users", {{"userName", "bjensen"}});

  ASSERT_TRUE(ex.ok()) << ex.transport_error;
  EXPECT_EQ(ex.status, 201);
  EXPECT_EQ(ex.header("content-type"), "application/scim+json");
  EXPECT_EQ(ex.header("ETAG"), "W/\"3694e05e9dff590\"");
  EXPECT_EQ(ex.header("location"), "http://example.test/scim/v2/Users/2819c223");
  EXPECT_EQ(ex.header_values("X-MULTI"), (std::vector<std::string>{"first", "second"}));
  EXPECT_TRUE(ex.has_header("etag"));
  EXPECT_FALSE(ex.has_header("X-Absent"));
  EXPECT_EQ(ex.header("X-Absent"), "");
  ASSERT_GE(ex.response_headers.size(), 5u);
  EXPECT_EQ(ex.response_headers[0], (std::pair<std::string, std::string>{"Content-Type", "application/scim+json"}));
  EXPECT_EQ((*ex.json())["id"], "2819c223");
}

TEST(HttpClient_Response, InterimResponseHeadersDoNotLeakIntoTheFinalOne) {
  TestServer server([](const ReceivedRequest&) {
    return "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n" + response(200, "OK", {{"X-Final", "yes"}}, "done");
  });
  Client client(options_for(server));

  Exchange ex = client.get("/Users");

  ASSERT_TRUE(ex.ok()) << ex.transport_error;
  EXPECT_EQ(ex.status, 200);
  EXPECT_EQ(ex.header("X-Final"), "yes");
  EXPECT_FALSE(ex.has_header("X-Interim"));
  EXPECT_EQ(ex.response_body, "done");
}

TEST(HttpClient_Response, RedirectIsReportedNotFollowed) {
  TestServer server([](const ReceivedRequest&) { return response(302, "Found", {{"Location", "/elsewhere"}}, ""); });
  Client client(options_for(server));

  Exchange ex = client.get("/Users");

  ASSERT_TRUE(ex.ok()) << ex.transport_error;
  EXPECT_EQ(ex.status, 302);
  EXPECT_EQ(ex.header("Location"), "/elsewhere");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(HttpClient_Response, HeadDoesNotWaitForABody) {
  TestServer server([](const ReceivedRequest&) {
    return std::string("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
  });
  ClientOptions o = options_for(server);
  o.timeout = 1000ms;
  Client client(o);

  Exchange ex = client.send(client.make_request("HEAD", "/Users"));

  ASSERT_TRUE(ex.ok()) << ex.transport_error;
  EXPECT_EQ(ex.status, 200);
  EXPECT_EQ(ex.header("Content-Length"), "1234");
  EXPECT_EQ(server.requests().at(0).method, "HEAD");
}

// RFC 9112 §9.3: HTTP/1.1 connections persist by default; the harness relies on it so a suite
// of hundreds of requests does not open hundreds of connections.
TEST(Rfc9112_9_3_Persistence, SequentialRequestsReuseOneConnection) {
  TestServer server([](const ReceivedRequest& r) { return ok(r.target); });
  Client client(options_for(server));

  for (int i = 0; i < 10; ++i) {
    Exchange ex = client.get("/Users/" + std::to_string(i));
    ASSERT_TRUE(ex.ok()) << ex.transport_error;
    EXPECT_EQ(ex.response_body, "/scim/v2/Users/" + std::to_string(i));
  }

  EXPECT_EQ(server.requests().size(), 10u);
  EXPECT_EQ(server.connections(), 1);
}

TEST(Rfc9112_9_3_Persistence, ConcurrentSendsStayWithinThePool) {
  TestServer server([](const ReceivedRequest& r) {
    std::this_thread::sleep_for(5ms);
    return ok(r.target);
  });
  ClientOptions o = options_for(server);
  o.max_connections = 4;
  Client client(o);

  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        std::string path = "/Users/" + std::to_string(t) + "-" + std::to_string(i);
        Exchange ex = client.get(path);
        if (ex.ok() && ex.status == 200 && ex.response_body == "/scim/v2" + path) ++good;
      }
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(good.load(), 20);
  EXPECT_EQ(server.requests().size(), 20u);
  EXPECT_LE(server.connections(), 4);
}

TEST(HttpClient_SendAll, ResultsComeBackInInputOrderWithBoundedConcurrency) {
  TestServer server([](const ReceivedRequest& r) {
    // Earlier requests answer later, so completion order differs from input order.
    int n = std::stoi(r.target.substr(r.target.rfind('/') + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds((4 - n % 4) * 10));
    return ok(r.target);
  });
  Client client(options_for(server));

  std::vector<HttpRequestSpec> specs;
  for (int i = 0; i < 20; ++i) specs.push_back(client.make_request("GET", "/Users/" + std::to_string(i)));
  auto results = client.send_all(specs, 4);

  ASSERT_EQ(results.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].transport_error;
    EXPECT_EQ(results[i].status, 200);
    EXPECT_EQ(results[i].response_body, "/scim/v2/Users/" + std::to_string(i));
    EXPECT_EQ(results[i].request.url, server.url("/scim/v2/Users/" + std::to_string(i)));
  }
  EXPECT_EQ(server.requests().size(), 20u);
  EXPECT_LE(server.max_in_flight(), 4);
  EXPECT_GE(server.max_in_flight(), 2) << "send_all ran the requests one at a time";
  int after_first = server.connections();
  EXPECT_LE(after_first, 4);

  // The multi handle keeps its connections alive for the next batch.
  auto again = client.send_all(std::vector<HttpRequestSpec>(specs.begin(), specs.begin() + 8), 4);
  for (const auto& ex : again) EXPECT_TRUE(ex.ok()) << ex.transport_error;
  EXPECT_EQ(server.connections(), after_first);
}

TEST(HttpClient_SendAll, OneFailedTransferDoesNotSpoilTheOthers) {
  TestServer server([](const ReceivedRequest& r) { return ok(r.target); });
  int refused_port = 0;
  int refused_fd = bound_socket(refused_port, false);
  Client client(options_for(server));

  std::vector<HttpRequestSpec> specs = {
      client.make_request("GET", "/Users/0"),
      client.make_request("GET", "http://127.0.0.1:" + std::to_string(refused_port) + "/Users/1"),
      client.make_request("GET", "/Users/2"),
  };
  auto results = client.send_all(specs, 2);
  ::close(refused_fd);

  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[0].response_body, "/scim/v2/Users/0");
  EXPECT_EQ(results[1].transport_error, "connection refused to 127.0.0.1:" + std::to_string(refused_port));
  EXPECT_EQ(results[1].status, 0);
  EXPECT_TRUE(results[2].ok());
  EXPECT_EQ(results[2].response_body, "/scim/v2/Users/2");
}

TEST(HttpClient_TransportErrors, ConnectionRefusedIsReportedNotThrown) {
  int port = 0;
  int fd = bound_socket(port, false);
  ClientOptions o;
  o.base_url = "http://127.0.0.1:" + std::to_string(port) + "/scim/v2";
  Client client(o);

  Exchange ex;
  EXPECT_NO_THROW(ex = client.get("/Users"));
  ::close(fd);

  EXPECT_FALSE(ex.ok());
  EXPECT_EQ(ex.transport_error, "connection refused to 127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(ex.status, 0);
}

TEST(HttpClient_TransportErrors, SilentServerTimesOutWithinTheTimeout) {
  TestServer server([](const ReceivedRequest&) { return std::nullopt; });
  Client client(options_for(server));

  HttpRequestSpec spec = client.make_request("GET", "/Users");
  spec.timeout = 200ms;
  auto started = std::chrono::steady_clock::now();
  Exchange ex = client.send(spec);
  auto elapsed = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(ex.transport_error, "timed out after 200 ms");
  EXPECT_EQ(ex.status, 0);
  EXPECT_GE(elapsed, 190ms);
  EXPECT_LT(elapsed, 1000ms);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(HttpClient_TransportErrors, MalformedUrlIsReportedNotThrown) {
  Client client(ClientOptions{});
  Exchange ex;
  EXPECT_NO_THROW(ex = client.send(client.make_request("GET", "http://[::1/Users")));
  EXPECT_FALSE(ex.ok());
  EXPECT_NE(ex.transport_error.find("http://[::1/Users"), std::string::npos) << ex.transport_error;

  EXPECT_NO_THROW(ex = client.send(client.make_request("", "http://127.0.0.1:1/")));
  EXPECT_FALSE(ex.ok());
}

// A proxy from the environment must not capture loopback traffic unless asked for.
TEST(HttpClient_Options, EnvironmentProxyIsIgnoredUnlessEnabled) {
  TestServer server([](const ReceivedRequest& r) { return ok(r.target); });
  int proxy_port = 0;
  int proxy_fd = bound_socket(proxy_port, false);  // a "proxy" that refuses every connection
  std::string proxy = "http://127.0.0.1:" + std::to_string(proxy_port);
  const char* saved_no_proxy = std::getenv("no_proxy");
  const char* saved_no_proxy_upper = std::getenv("NO_PROXY");
  std::string saved_lower = saved_no_proxy ? saved_no_proxy : "";
  std::string saved_upper = saved_no_proxy_upper ? saved_no_proxy_upper : "";
  ::unsetenv("no_proxy");
  ::unsetenv("NO_PROXY");
  ::setenv("http_proxy", proxy.c_str(), 1);

  ClientOptions o = options_for(server);
  Client direct(o);
  Exchange ex_direct = direct.get("/Users");
  o.use_env_proxy = true;
  Client proxied(o);
  Exchange ex_proxied = proxied.get("/Users");

  ::unsetenv("http_proxy");
  if (saved_no_proxy) ::setenv("no_proxy", saved_lower.c_str(), 1);
  if (saved_no_proxy_upper) ::setenv("NO_PROXY", saved_upper.c_str(), 1);
  ::close(proxy_fd);

  EXPECT_TRUE(ex_direct.ok()) << ex_direct.transport_error;
  EXPECT_EQ(ex_direct.response_body, "/scim/v2/Users");
  // Proves the variable was in effect: with the proxy allowed the request goes to it and fails.
  EXPECT_EQ(ex_proxied.transport_error, "connection refused to proxy 127.0.0.1:" + std::to_string(proxy_port));
}

// RFC 7644 §3.4.2.2: the filter travels as a query parameter; it must reach the server intact.
TEST(Rfc7644_3_4_2_2_Filtering, FilterValueIsPercentEncodedOnTheWire) {
  TestServer server([](const ReceivedRequest& r) { return ok(r.target); });
  Client client(options_for(server));

  EXPECT_EQ(scimclient::encode_query_value("userName eq \"a b@c\""), "userName%20eq%20%22a%20b%40c%22");

  Exchange ex = client.get(scimclient::with_query("/Users", {{"filter", "userName eq \"a b@c\""}, {"count", "10"}}));

  ASSERT_TRUE(ex.ok()) << ex.transport_error;
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/scim/v2/Users?filter=userName%20eq%20%22a%20b%40c%22&count=10");
}

}  // namespace
