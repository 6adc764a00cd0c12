// The Beast HTTP transport: framing, keep-alive, limits answered through Handler::reject,
// timeouts, graceful stop, request ids and the access log. Raw POSIX sockets are used wherever
// the exact bytes on the wire (or their absence) matter.
#include "reference_server/transport/http_server.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace transport {
namespace {

using namespace std::chrono_literals;

// Echoes method, target and body; a few targets trigger special behaviour.
class EchoHandler : public Handler {
 public:
  HttpResponse handle(const HttpRequest& request) override {
    ++handled;
    {
      std::lock_guard lock(mutex);
      request_ids.push_back(request.request_id);
    }
    if (request.target == "/throw") throw std::runtime_error("boom");
    if (request.target == "/slow") std::this_thread::sleep_for(300ms);
    HttpResponse response;
    if (request.target == "/204") response.status = 204;
    if (request.target == "/304") response.status = 304;
    response.headers.emplace_back("Content-Type", "text/plain");
    response.body = request.method + " " + request.target + " " + request.body;
    return response;
  }
  HttpResponse reject(int status, std::string_view reason) override {
    std::lock_guard lock(mutex);
    rejects.emplace_back(status, std::string(reason));
    HttpResponse response;
    response.status = status;
    response.body = "rejected:" + std::to_string(status);
    return response;
  }
  std::atomic<int> handled{0};
  std::mutex mutex;
  std::vector<std::string> request_ids;
  std::vector<std::pair<int, std::string>> rejects;
};

ServerOptions quiet_options() {
  ServerOptions options;
  options.access_log = false;
  return options;
}

// Starts on 127.0.0.1 with a free port; the test stops it (and the destructor again, idempotently).
struct RunningServer {
  explicit RunningServer(ServerOptions options) : server(std::move(options), handler) { server.start(); }
  ~RunningServer() { server.stop(); }
  EchoHandler handler;
  HttpServer server;
};

class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::system_error(errno, std::generic_category(), "connect");
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the peer closed; what it answered is still readable
      sent += static_cast<std::size_t>(n);
    }
  }

  // Reads one response (head + Content-Length body, or head only when `head_only_body`).
  // Returns "" if the connection closed or nothing arrived within `timeout`.
  std::string read_response(std::chrono::milliseconds timeout = 2000ms, bool no_body = false) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        std::smatch match;
        std::string head = buffer_.substr(0, end);
        static const std::regex content_length("\r\n[Cc]ontent-[Ll]ength: *([0-9]+)");
        if (!no_body && std::regex_search(head, match, content_length)) length = std::stoul(match[1]);
        if (buffer_.size() >= end + 4 + length) {
          std::string response = buffer_.substr(0, end + 4 + length);
          buffer_.erase(0, end + 4 + length);
          return response;
        }
      }
      if (!fill(deadline)) return "";
    }
  }

  // True when the server closed the connection (EOF or reset) within `timeout`.
  bool closed_within(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (fill(deadline)) {
    }
    return eof_;
  }
  const std::string& pending() const { return buffer_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || eof_) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return -1;
  return std::stoi(response.substr(9, 3));
}
std::string body_of(const std::string& response) {
  auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}
std::string header_of(const std::string& response, const std::string& name) {
  std::regex pattern("\r\n" + name + ": *([^\r]*)", std::regex::icase);
  std::smatch match;
  std::string head = response.substr(0, response.find("\r\n\r\n"));
  return std::regex_search(head, match, pattern) ? match[1].str() : "";
}

TEST(HttpServer, EchoesMethodTargetAndBody) {
  RunningServer s(quiet_options());
  Client client(s.server.port());
  client.send("POST /echo?x=%20y HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
  std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 200) << response;
  EXPECT_EQ(body_of(response), "POST /echo?x=%20y hello");
  EXPECT_EQ(header_of(response, "Content-Type"), "text/plain");
}

TEST(HttpServer, KeepAliveServesTwoRequestsOnOneConnection) {
  RunningServer s(quiet_options());
  Client client(s.server.port());
  client.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string first = client.read_response();
  client.send("GET /two HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string second = client.read_response();
  EXPECT_EQ(body_of(first), "GET /one ");
  EXPECT_EQ(body_of(second), "GET /two ");
  EXPECT_FALSE(client.closed_within(100ms));
}

TEST(HttpServer, Http10WithoutKeepAliveIsClosedAfterTheResponse) {
  RunningServer s(quiet_options());
  Client client(s.server.port());
  client.send("GET /old HTTP/1.0\r\n\r\n");
  std::string response = client.read_response();
  EXPECT_EQ(response.rfind("HTTP/1.0 200", 0), 0u) << response;
  EXPECT_EQ(body_of(response), "GET /old ");
  EXPECT_TRUE(client.closed_within(1000ms));
}

TEST(HttpServer, BodyOverTheLimitIs413FromRejectAndCloses) {
  ServerOptions options = quiet_options();
  options.body_limit = 100;
  RunningServer s(options);
  Client client(s.server.port());
  client.send("POST /big HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
  std::string chunk(150, 'x');
  client.send("96\r\n" + chunk + "\r\n0\r\n\r\n");
  std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 413) << response;
  EXPECT_EQ(body_of(response), "rejected:413");
  EXPECT_TRUE(client.closed_within(1000ms));
  EXPECT_EQ(s.handler.handled, 0);
  std::lock_guard lock(s.handler.mutex);
  ASSERT_EQ(s.handler.rejects.size(), 1u);
  EXPECT_EQ(s.handler.rejects[0].first, 413);
}

TEST(HttpServer, ContentLengthOverTheLimitWithExpectContinueIs413BeforeTheBody) {
  ServerOptions options = quiet_options();
  options.body_limit = 100;
  RunningServer s(options);
  Client client(s.server.port());
  client.send("PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
  std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 413) << response;
  EXPECT_EQ(response.find("100 Continue"), std::string::npos);
  EXPECT_TRUE(client.closed_within(1000ms));
  EXPECT_EQ(s.handler.handled, 0);
}

TEST(HttpServer, ExpectContinueWithinTheLimitGets100ThenTheResponse) {
  RunningServer s(quiet_options());
  Client client(s.server.port());
  client.send("PUT /small HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  std::string interim = client.read_response(2000ms, true);
  EXPECT_EQ(status_of(interim), 100) << interim;
  client.send("abc");
  std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 200) << response;
  EXPECT_EQ(body_of(response), "PUT /small abc");
}

TEST(HttpServer, HeaderOverTheLimitIs431) {
  ServerOptions options = quiet_options();
  options.header_limit = 1024;
  RunningServer s(options);
  Client client(s.server.port());
  client.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(4000, 'h') + "\r\n\r\n");
  std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 431) << response;
  EXPECT_TRUE(client.closed_within(1000ms));
  EXPECT_EQ(s.handler.handled, 0);
}

TEST(HttpServer, GarbageRequestLineIs400) {
  RunningServer s(quiet_options());
  Client client(s.server.port());
  client.send("THIS IS NOT HTTP\r\n\r\n");
  std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 400) << response;
  EXPECT_EQ(body_of(response), "rejected:400");
  EXPECT_TRUE(client.closed_within(1000ms));
}

TEST(HttpServer, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerOptions options = quiet_options();
  options.idle_timeout = 200ms;
  RunningServer s(options);
  Client client(s.server.port());
  client.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(status_of(client.read_response()), 200);
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closed_within(2000ms));
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, 150ms);
  EXPECT_LT(took, 1500ms);
}

TEST(HttpServer, HalfSentRequestIsClosedAfterReadTimeout) {
  ServerOptions options = quiet_options();
  options.read_timeout = 200ms;
  options.idle_timeout = 10'000ms;  // so only the read timeout can explain a prompt close
  RunningServer s(options);
  {
    Client client(s.server.port());
    client.send("GET /half HTTP/1.1\r\nHost: a\r\n");  // header never finished
    EXPECT_TRUE(client.closed_within(2000ms));
  }
  {
    Client client(s.server.port());
    client.send("POST /half HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");  // body never finished
    EXPECT_TRUE(client.closed_within(2000ms));
  }
  EXPECT_EQ(s.handler.handled, 0);
}

TEST(HttpServer, HandlerThrowingIs500ViaRejectAndTheServerKeepsServing) {
  RunningServer s(quiet_options());
  {
    Client client(s.server.port());
    client.send("GET /throw HTTP/1.1\r\nHost: a\r\n\r\n");
    std::string response = client.read_response();
    EXPECT_EQ(status_of(response), 500) << response;
    EXPECT_EQ(body_of(response), "rejected:500");
  }
  {
    std::lock_guard lock(s.handler.mutex);
    ASSERT_EQ(s.handler.rejects.size(), 1u);
    EXPECT_NE(s.handler.rejects[0].second.find("boom"), std::string::npos);
  }
  Client client(s.server.port());
  client.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(body_of(client.read_response()), "GET /after ");
}

TEST(HttpServer, StopDrainsAnInFlightRequest) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  Client client(server.port());
  client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
  while (handler.handled == 0) std::this_thread::sleep_for(1ms);
  std::thread stopper([&] { server.stop(); });
  std::string response = client.read_response(3000ms);
  stopper.join();
  EXPECT_EQ(status_of(response), 200) << response;
  EXPECT_EQ(body_of(response), "GET /slow ");
  EXPECT_EQ(header_of(response, "Connection"), "close");
  EXPECT_TRUE(client.closed_within(1000ms));
  server.stop();  // idempotent
}

TEST(HttpServer, StopClosesIdleConnections) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  Client client(server.port());
  client.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(status_of(client.read_response()), 200);
  server.stop();
  EXPECT_TRUE(client.closed_within(1000ms));
}

TEST(HttpServer, PortZeroPicksAFreePortAndAPortInUseThrows) {
  RunningServer first(quiet_options());
  ASSERT_NE(first.server.port(), 0);
  ServerOptions options = quiet_options();
  options.port = first.server.port();
  EchoHandler handler;
  HttpServer second(options, handler);
  try {
    second.start();
    ADD_FAILURE() << "binding a port in use did not throw";
  } catch (const std::system_error& error) {
    EXPECT_NE(std::string(error.what()).find(std::to_string(options.port)), std::string::npos) << error.what();
  }
  second.stop();
}

TEST(HttpServer, ConcurrentClientsAreAllAnsweredWithUniqueRequestIds) {
  ServerOptions options = quiet_options();
  options.threads = 4;
  RunningServer s(options);
  constexpr int kThreads = 8, kRequests = 50;
  std::atomic<int> ok{0};
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      Client client(s.server.port());
      for (int i = 0; i < kRequests; ++i) {
        std::string target = "/t" + std::to_string(t) + "/" + std::to_string(i);
        client.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
        std::string response = client.read_response();
        if (status_of(response) == 200 && body_of(response) == "GET " + target + " ") ++ok;
        ids[t].push_back(header_of(response, "X-Request-Id"));
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, kThreads * kRequests);
  std::set<std::string> unique;
  for (const auto& list : ids)
    for (const auto& id : list) {
      EXPECT_FALSE(id.empty());
      unique.insert(id);
    }
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kRequests));
  // The id the handler saw is the one echoed on the wire.
  std::lock_guard lock(s.handler.mutex);
  std::set<std::string> seen(s.handler.request_ids.begin(), s.handler.request_ids.end());
  EXPECT_EQ(seen, unique);
}

TEST(HttpServer, AccessLogWritesOneLinePerRequest) {
  std::ostringstream log;
  ServerOptions options;
  options.log = &log;
  RunningServer s(options);
  Client client(s.server.port());
  client.send("GET /logged?q=1 HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string response = client.read_response();
  client.send("GET /204 HTTP/1.1\r\nHost: a\r\n\r\n");
  client.read_response();
  s.server.stop();
  std::string id = header_of(response, "X-Request-Id");
  std::string text = log.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
  std::regex line("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z GET /logged\\?q=1 200 [0-9.]+ms req=" + id + "\n"
                  ".* GET /204 204 [0-9.]+ms req=[^ ]+\n");
  EXPECT_TRUE(std::regex_match(text, line)) << text;
}

TEST(HttpServer, AccessLogOffWritesNothing) {
  std::ostringstream log;
  ServerOptions options;
  options.log = &log;
  options.access_log = false;
  RunningServer s(options);
  Client client(s.server.port());
  client.send("GET /quiet HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(status_of(client.read_response()), 200);
  s.server.stop();
  EXPECT_EQ(log.str(), "");
}

TEST(HttpServer, HeadAnd204And304CarryNoBody) {
  RunningServer s(quiet_options());
  Client client(s.server.port());
  client.send("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string head = client.read_response(2000ms, true);
  EXPECT_EQ(status_of(head), 200) << head;
  // HEAD announces the length a GET would have had, but sends no bytes of it.
  EXPECT_EQ(header_of(head, "Content-Length"), std::to_string(std::string("HEAD /h ").size()));
  client.send("GET /204 HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string no_content = client.read_response(2000ms, true);
  EXPECT_EQ(status_of(no_content), 204) << no_content;
  client.send("GET /304 HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string not_modified = client.read_response(2000ms, true);
  EXPECT_EQ(status_of(not_modified), 304) << not_modified;
  // Had any of them carried a body, its bytes would precede the next response.
  client.send("GET /last HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string last = client.read_response();
  EXPECT_EQ(status_of(last), 200) << last;
  EXPECT_EQ(body_of(last), "GET /last ");
  EXPECT_EQ(client.pending(), "");
}

}  // namespace
}  // namespace transport
