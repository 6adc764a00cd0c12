// The HTTP transport seen from the wire: framing, keep-alive, limits answered through
// Handler::reject, timeouts, graceful stop, request ids and the access log. A raw socket is the
// client wherever it matters which connection carries a request, or exactly which bytes arrive
// (or do not); libcurl where an ordinary client suffices.
#include "reference_server/transport/http_server.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <future>
#include <mutex>
#include <optional>
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
using Clock = std::chrono::steady_clock;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Echoes what it received; a few targets behave specially.
class EchoHandler : public Handler {
 public:
  HttpResponse handle(const HttpRequest& request) override {
    {
      std::lock_guard lock(mutex);
      handled.push_back(request.method + " " + request.target);
      request_ids.push_back(request.request_id);
    }
    if (request.target == "/throw") throw std::runtime_error("boom");
    if (request.target == "/slow") {
      slow_entered = true;
      std::this_thread::sleep_for(300ms);
    }
    HttpResponse response;
    if (request.target == "/status/204") response.status = 204;
    if (request.target == "/status/304") response.status = 304;
    if (request.target == "/headers") {
      response.headers = {{"Content-Length", "999"},
                          {"Connection", "keep-alive"},
                          {"X-Evil", "a\r\nInjected: yes"},
                          {"X-Fine", "ok"}};
    }
    response.headers.emplace_back("Content-Type", "text/plain");
    response.headers.emplace_back("X-Seen-Test", std::string(request.header("x-TEST")));
    response.body = request.method + " " + request.target + "\n" + request.body;
    return response;
  }
  HttpResponse reject(int status, std::string_view reason) override {
    std::lock_guard lock(mutex);
    rejects.emplace_back(status, std::string(reason));
    HttpResponse response;
    response.status = status;
    response.headers.emplace_back("Content-Type", "text/plain");
    response.body = "rejected " + std::to_string(status);
    return response;
  }

  std::size_t handled_count() {
    std::lock_guard lock(mutex);
    return handled.size();
  }
  std::vector<std::pair<int, std::string>> rejected() {
    std::lock_guard lock(mutex);
    return rejects;
  }

  std::mutex mutex;
  std::vector<std::string> handled;
  std::vector<std::string> request_ids;
  std::vector<std::pair<int, std::string>> rejects;
  std::atomic<bool> slow_entered{false};
};

ServerOptions quiet_options() {
  ServerOptions options;
  options.access_log = false;
  options.threads = 2;
  return options;
}

struct Response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (iequals(key, name)) return value;
    return std::nullopt;
  }
};

// A blocking client on a raw socket: it sends exact bytes and reads exactly one response at a
// time, so pipelined responses and connection reuse are visible.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::system_error(errno, std::generic_category(), "connect");
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::system_error(errno, std::generic_category(), "send");
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  enum class Got { data, closed, timeout };
  Got fill(std::chrono::milliseconds timeout) {
    pollfd poller{fd_, POLLIN, 0};
    if (::poll(&poller, 1, static_cast<int>(timeout.count())) <= 0) return Got::timeout;
    char chunk[8192];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return Got::closed;  // EOF or reset
    buffered_.append(chunk, static_cast<std::size_t>(n));
    return Got::data;
  }

  // One response; its body length comes from Content-Length, or is zero where HTTP says so.
  std::optional<Response> read_response(bool to_head_request = false, std::chrono::milliseconds timeout = 3s) {
    const auto deadline = Clock::now() + timeout;
    auto remaining = [&] {
      return std::max(0ms, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    };
    std::size_t end;
    while ((end = buffered_.find("\r\n\r\n")) == std::string::npos)
      if (fill(remaining()) != Got::data) return std::nullopt;
    Response response;
    std::istringstream head(buffered_.substr(0, end + 2));
    std::string line;
    std::getline(head, line);
    if (line.rfind("HTTP/1.1 ", 0) != 0) return std::nullopt;
    response.status = std::stoi(line.substr(9, 3));
    while (std::getline(head, line) && line != "\r") {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      auto colon = line.find(':');
      if (colon == std::string::npos) return std::nullopt;
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      response.headers.emplace_back(line.substr(0, colon), value);
    }
    buffered_.erase(0, end + 4);
    std::size_t length = 0;
    const bool bodiless = to_head_request || response.status == 204 || response.status == 304;
    if (!bodiless) {
      auto content_length = response.header("Content-Length");
      if (!content_length) return std::nullopt;  // this server always frames by length
      length = std::stoul(*content_length);
    }
    while (buffered_.size() < length)
      if (fill(remaining()) != Got::data) return std::nullopt;
    response.body = buffered_.substr(0, length);
    buffered_.erase(0, length);
    return response;
  }

  // True when the server closes the connection within `timeout`, with nothing more to read.
  bool closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      switch (fill(left)) {
        case Got::closed: return buffered_.empty();
        case Got::timeout: return false;
        case Got::data: break;
      }
    }
    return false;
  }
  const std::string& unread() const { return buffered_; }

 private:
  int fd_ = -1;
  std::string buffered_;
};

std::string get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) + "\r\n";
}

size_t collect_body(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// --- Message exchange ----------------------------------------------------------------------

TEST(HttpServerExchange, HandsMethodTargetHeadersAndBodyToTheHandler) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();

  CURL* curl = curl_easy_init();
  ASSERT_NE(curl, nullptr);
  std::string body;
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/scim/v2/Users?filter=a%20b";
  curl_slist* headers = curl_slist_append(nullptr, "X-Test: hello");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "{\"x\":1}");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  ASSERT_EQ(curl_easy_perform(curl), CURLE_OK);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);

  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, "POST /scim/v2/Users?filter=a%20b\n{\"x\":1}");
  server.stop();
}

TEST(HttpServerExchange, EveryResponseCarriesAUniqueRequestIdTheHandlerSaw) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/a", "X-Test: v\r\n"));
  auto first = client.read_response();
  client.send(get("/b"));
  auto second = client.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->header("X-Seen-Test"), "v");  // header lookup is case-insensitive
  ASSERT_TRUE(first->header("X-Request-Id") && second->header("X-Request-Id"));
  const std::regex id_shape("[0-9a-f]{4}-[0-9a-f]{8,}");
  EXPECT_TRUE(std::regex_match(*first->header("X-Request-Id"), id_shape)) << *first->header("X-Request-Id");
  EXPECT_NE(*first->header("X-Request-Id"), *second->header("X-Request-Id"));
  std::lock_guard lock(handler.mutex);
  EXPECT_EQ(handler.request_ids, (std::vector<std::string>{*first->header("X-Request-Id"),
                                                             *second->header("X-Request-Id")}));
  server.stop();
}

TEST(HttpServerExchange, TransportOwnsFramingHeadersAndDropsInjectedLines) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/headers"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Content-Length"), std::to_string(response->body.size()));
  EXPECT_EQ(response->header("Content-Type"), "text/plain");
  EXPECT_EQ(response->header("X-Fine"), "ok");
  EXPECT_FALSE(response->header("Connection"));  // the handler's "keep-alive" is not the transport's word
  EXPECT_FALSE(response->header("X-Evil"));
  EXPECT_FALSE(response->header("Injected"));
  // The connection is still usable: the body length was the true one, not the handler's 999.
  client.send(get("/next"));
  auto next = client.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "GET /next\n");
  server.stop();
}

TEST(HttpServerExchange, ChunkedRequestBodyIsReassembled) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send("PUT /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "PUT /c\nabcde");
  server.stop();
}

// RFC 7231 §4.3.2: "The server SHOULD send the same header fields in response to a HEAD
// request as it would have sent if the request had been a GET" and "MUST NOT send a message
// body in the response".
TEST(Rfc7231_4_3_2_Head, SameContentLengthAsGetButNoBody) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  // Pipelined: were a body sent after the HEAD response, it would be read as the next status line.
  client.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n" + get("/after"));
  auto head = client.read_response(/*to_head_request=*/true);
  auto after = client.read_response();
  ASSERT_TRUE(head && after);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Length"), std::to_string(std::string("HEAD /h\n").size()));
  EXPECT_EQ(after->body, "GET /after\n");
  EXPECT_EQ(client.unread(), "");
  server.stop();
}

// RFC 7230 §3.3.2: "A server MUST NOT send a Content-Length header field in any response with a
// status code of [...] 204 (No Content)"; RFC 7230 §3.3.3: 204 and 304 responses end at the
// empty line after the header fields.
TEST(Rfc7230_3_3_MessageBody, NoContentAndNotModifiedHaveNoBody) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/status/204") + get("/status/304") + get("/after"));
  auto no_content = client.read_response();
  auto not_modified = client.read_response();
  auto after = client.read_response();
  ASSERT_TRUE(no_content && not_modified && after);
  EXPECT_EQ(no_content->status, 204);
  EXPECT_FALSE(no_content->header("Content-Length"));
  EXPECT_EQ(not_modified->status, 304);
  EXPECT_EQ(after->body, "GET /after\n");
  EXPECT_EQ(client.unread(), "");
  server.stop();
}

// --- Persistence -----------------------------------------------------------------------------

// RFC 7230 §6.3: "A server that supports persistent connections MAY [...] HTTP/1.1 defaults
// to the use of persistent connections".
TEST(Rfc7230_6_3_Persistence, TwoRequestsOnOneConnection) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/one"));
  auto one = client.read_response();
  ASSERT_TRUE(one);
  EXPECT_FALSE(one->header("Connection"));
  client.send(get("/two"));
  auto two = client.read_response();
  ASSERT_TRUE(two);
  EXPECT_EQ(one->body, "GET /one\n");
  EXPECT_EQ(two->body, "GET /two\n");
  EXPECT_FALSE(client.closed_within(100ms));
  server.stop();
}

// RFC 7230 §6.3.2: "A server MAY process a sequence of pipelined requests in parallel if they
// all have safe methods, but it MUST send the corresponding responses in the same order that
// the requests were received."
TEST(Rfc7230_6_3_2_Pipelining, ResponsesComeInRequestOrder) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/1") + "POST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz" + get("/3"));
  for (std::string expected : {"GET /1\n", "POST /2\nxyz", "GET /3\n"}) {
    auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, expected);
  }
  server.stop();
}

// RFC 7230 §6.6: "A server that sends a "close" connection option MUST initiate a close of the
// connection [...] after it sends the response containing "close"."
TEST(Rfc7230_6_6_Teardown, ConnectionCloseRequestIsAnsweredThenClosed) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/bye", "Connection: close\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.closed_within(1s));
  server.stop();
}

// RFC 7230 §6.6: after an immediate close, data still arriving from the client makes the
// server's TCP stack "send a reset packet to the client; unfortunately, the reset packet might
// erase the client's unacknowledged input buffers", so "servers typically close a connection in
// stages": half-close first, then read until the client closes too.
TEST(Rfc7230_6_6_Teardown, ClientStillSendingARefusedBodyIsNotReset) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.body_limit = 1000;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  const std::string body(4 * 1024 * 1024, 'x');
  client.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  // The body keeps coming after the 413 was decided, as from a client that does not read
  // before it has sent everything.
  auto sender = std::async(std::launch::async, [&] {
    try {
      client.send(body);
      return true;
    } catch (const std::system_error&) {
      return false;  // reset by the server
    }
  });
  auto response = client.read_response();
  const bool body_sent = sender.get();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(body_sent);
  EXPECT_TRUE(client.closed_within(2s));  // the server's half of the connection is closed
  EXPECT_EQ(handler.handled_count(), 0u);
  server.stop();
}

// RFC 7230 §6.3: for HTTP/1.0, the connection persists only "if the "keep-alive" connection
// option is present" and the recipient must otherwise close after the response. RFC 7230 §2.6:
// "A server SHOULD send a response version equal to the highest version to which the server is
// conformant that has a major version less than or equal to the one received in the request",
// so HTTP/1.0 requests get HTTP/1.1 responses (read_response accepts no other status line).
TEST(Rfc7230_6_3_Persistence, Http10ClosesUnlessKeepAliveIsAsked) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  {
    RawClient client(server.port());
    client.send("GET /old HTTP/1.0\r\n\r\n");
    while (client.unread().find("\r\n") == std::string::npos) ASSERT_EQ(client.fill(2s), RawClient::Got::data);
    EXPECT_EQ(client.unread().rfind("HTTP/1.1 200 ", 0), 0u) << client.unread();
    auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "GET /old\n");
    EXPECT_EQ(response->header("Connection"), "close");
    EXPECT_TRUE(client.closed_within(1s));
  }
  {
    RawClient client(server.port());
    client.send("GET /k1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto first = client.read_response();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->header("Connection"), "keep-alive");
    client.send("GET /k2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto second = client.read_response();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->body, "GET /k2\n");
  }
  server.stop();
}

// --- Limits and malformed input -------------------------------------------------------------

TEST(HttpServerLimits, BodyOverLimitIsRejectedWith413AndTheConnectionClosed) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.body_limit = 1000;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  client.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n" + std::string(1001, 'x'));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->body, "rejected 413");
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.closed_within(2s));
  auto rejects = handler.rejected();
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].first, 413);
  EXPECT_NE(rejects[0].second.find("request body larger than 1000 bytes"), std::string::npos) << rejects[0].second;
  EXPECT_EQ(handler.handled_count(), 0u);
  server.stop();
}

TEST(HttpServerLimits, BodyAtLimitIsAccepted) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.body_limit = 1000;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  client.send("POST /fits HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'x'));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST /fits\n" + std::string(1000, 'x'));
  server.stop();
}

TEST(HttpServerLimits, ChunkedBodyOverLimitIsRejectedWith413) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.body_limit = 10;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  // Each chunk fits; their sum does not.
  client.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->body, "rejected 413");
  EXPECT_TRUE(client.closed_within(2s));
  // One chunk alone is too big, and arrives after the header was already accepted.
  RawClient second(server.port());
  second.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
  second.send("f\r\n" + std::string(15, 'x') + "\r\n0\r\n\r\n");
  auto single = second.read_response();
  ASSERT_TRUE(single);
  EXPECT_EQ(single->status, 413);
  EXPECT_TRUE(second.closed_within(2s));
  EXPECT_EQ(handler.handled_count(), 0u);
  auto rejects = handler.rejected();
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].first, 413);
  EXPECT_EQ(rejects[1].first, 413);
  server.stop();
}

// RFC 7231 §5.1.1: a server receiving "Expect: 100-continue" either sends 100 (Continue) and
// reads the body, or "responds with a final status code" without reading it.
TEST(Rfc7231_5_1_1_Expect, OversizedBodyIsRefusedBeforeItIsSent) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.body_limit = 1000;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  client.send("PUT /big HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n");
  auto response = client.read_response();  // no body was sent, so this must not wait for one
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);  // the first response: no 100 (Continue) came before it
  EXPECT_TRUE(client.closed_within(2s));
  EXPECT_EQ(handler.handled_count(), 0u);
  server.stop();
}

TEST(Rfc7231_5_1_1_Expect, AcceptableBodyGets100ContinueThenTheAnswer) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send("PUT /ok HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  // The 100 response has no body and no Content-Length: read it as a bodiless head.
  while (client.unread().find("\r\n\r\n") == std::string::npos)
    ASSERT_EQ(client.fill(2s), RawClient::Got::data);
  EXPECT_EQ(client.unread().rfind("HTTP/1.1 100 Continue\r\n\r\n", 0), 0u) << client.unread();
  auto interim = client.read_response(/*to_head_request=*/true);
  ASSERT_TRUE(interim);
  client.send("data");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "PUT /ok\ndata");
  server.stop();
}

TEST(HttpServerLimits, HeaderOverLimitIsRejectedWith431) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.header_limit = 1024;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/h", "X-Big: " + std::string(2000, 'a') + "\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(client.closed_within(2s));
  auto rejects = handler.rejected();
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_NE(rejects[0].second.find("1024"), std::string::npos) << rejects[0].second;
  EXPECT_EQ(handler.handled_count(), 0u);
  server.stop();
}

TEST(HttpServerLimits, GarbageRequestLineIsRejectedWith400) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send("THIS IS NOT HTTP\r\n\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->body, "rejected 400");
  EXPECT_TRUE(client.closed_within(2s));
  EXPECT_EQ(handler.handled_count(), 0u);
  server.stop();
}

TEST(HttpServerLimits, BadChunkedEncodingIsRejectedWith400) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(client.closed_within(2s));
  EXPECT_EQ(handler.handled_count(), 0u);
  server.stop();
}

// --- Timeouts --------------------------------------------------------------------------------

TEST(HttpServerTimeouts, IdleKeepAliveConnectionIsClosedSilently) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.idle_timeout = 200ms;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/once"));
  ASSERT_TRUE(client.read_response());
  const auto idle_since = Clock::now();
  EXPECT_TRUE(client.closed_within(2s));  // closed_within also checks no bytes (no 408) came
  EXPECT_GE(Clock::now() - idle_since, 150ms);
  EXPECT_LT(Clock::now() - idle_since, 1500ms);
  EXPECT_TRUE(handler.rejected().empty());
  server.stop();
}

TEST(HttpServerTimeouts, HalfSentRequestTimesOutWith408AndIsClosed) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.read_timeout = 200ms;
  options.idle_timeout = 10s;  // so only the read timeout can explain a prompt answer
  HttpServer server(options, handler);
  server.start();
  {
    RawClient client(server.port());
    client.send("GET /slowpoke HTTP/1.1\r\nHost: t\r\n");  // the header never ends
    const auto sent = Clock::now();
    auto response = client.read_response(false, 2s);
    ASSERT_TRUE(response);
    EXPECT_GE(Clock::now() - sent, 150ms);
    EXPECT_EQ(response->status, 408);
    EXPECT_TRUE(client.closed_within(2s));
  }
  {
    RawClient client(server.port());
    client.send("POST /slowpoke HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");  // the body never ends
    auto response = client.read_response(false, 2s);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 408);
    EXPECT_TRUE(client.closed_within(2s));
  }
  EXPECT_EQ(handler.handled_count(), 0u);
  auto rejects = handler.rejected();
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].first, 408);
  EXPECT_EQ(rejects[1].first, 408);
  server.stop();
}

TEST(HttpServerTimeouts, ReadTimeoutDoesNotCutAKeepAliveConnectionWaitingForItsNextRequest) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.read_timeout = 150ms;
  options.idle_timeout = 5s;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/1"));
  ASSERT_TRUE(client.read_response());
  std::this_thread::sleep_for(400ms);  // idle, not reading: only idle_timeout applies
  client.send(get("/2"));
  auto second = client.read_response();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "GET /2\n");
  server.stop();
}

// --- Handler failures --------------------------------------------------------------------

TEST(HttpServerHandlerFailure, ThrowingHandlerGives500AndTheServerKeepsServing) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/throw"));
  auto failed = client.read_response();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 500);
  EXPECT_EQ(failed->body, "rejected 500");
  auto rejects = handler.rejected();
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0], (std::pair<int, std::string>{500, "internal error: boom"}));
  client.send(get("/fine"));  // same connection still works
  auto fine = client.read_response();
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
  RawClient other(server.port());
  other.send(get("/other"));
  auto again = other.read_response();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  server.stop();
}

// A handler whose reject() throws too still gets its client an answer.
class RejectThrowsHandler : public Handler {
 public:
  HttpResponse handle(const HttpRequest&) override { throw 42; }
  HttpResponse reject(int, std::string_view) override { throw std::runtime_error("no"); }
};

TEST(HttpServerHandlerFailure, RejectThrowingStillAnswers500) {
  RejectThrowsHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/x"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_NE(response->body.find("internal error"), std::string::npos);
  server.stop();
}

// --- Lifecycle -------------------------------------------------------------------------------

TEST(HttpServerLifecycle, PortZeroPicksAFreePort) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.port = 0;
  HttpServer server(options, handler);
  server.start();
  ASSERT_NE(server.port(), 0);
  RawClient client(server.port());
  client.send(get("/p"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  server.stop();
}

TEST(HttpServerLifecycle, BindingAPortInUseThrowsNamingTheAddress) {
  EchoHandler handler;
  HttpServer first(quiet_options(), handler);
  first.start();
  ServerOptions options = quiet_options();
  options.port = first.port();
  HttpServer second(options, handler);
  try {
    second.start();
    FAIL() << "second bind to the same port succeeded";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code(), std::errc::address_in_use);
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(first.port())), std::string::npos)
        << e.what();
  }
  second.stop();  // harmless on a server that never started
  first.stop();
}

TEST(HttpServerLifecycle, StopLetsTheInFlightRequestFinish) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/slow"));
  while (!handler.slow_entered) std::this_thread::sleep_for(1ms);
  const auto before = Clock::now();
  server.stop();
  EXPECT_LT(Clock::now() - before, 2s);
  auto response = client.read_response(false, 1s);  // already written: stop waited for it
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "GET /slow\n");
  EXPECT_EQ(response->header("Connection"), "close");  // no more requests on this connection
  EXPECT_TRUE(client.closed_within(1s));
  EXPECT_THROW(RawClient{server.port()}, std::system_error);  // no longer accepting
}

TEST(HttpServerLifecycle, StopClosesIdleConnectionsAtOnceAndIsIdempotent) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.idle_timeout = 60s;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/x"));
  ASSERT_TRUE(client.read_response());
  const auto before = Clock::now();
  server.stop();
  EXPECT_LT(Clock::now() - before, 1s);
  EXPECT_TRUE(client.closed_within(1s));
  server.stop();
}

TEST(HttpServerLifecycle, StopGivesUpOnAHalfSentRequestAfterTheGracePeriod) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.read_timeout = 30s;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  client.send("GET /never HTTP/1.1\r\n");
  std::this_thread::sleep_for(50ms);  // let the server start reading it
  const auto before = Clock::now();
  server.stop(200ms);
  EXPECT_LT(Clock::now() - before, 1500ms);
  EXPECT_TRUE(client.closed_within(1s));
}

TEST(HttpServerLifecycle, RunUntilSignalStopsOnSigterm) {
  EchoHandler handler;
  HttpServer server(quiet_options(), handler);
  struct sigaction original {};
  ::sigaction(SIGTERM, nullptr, &original);
  auto done = std::async(std::launch::async, [&] { server.run_until_signal(); });
  // Only signal once the server's handler is installed, or the default action ends the test.
  for (int i = 0; i < 2000; ++i) {
    struct sigaction current {};
    ::sigaction(SIGTERM, nullptr, &current);
    if (current.sa_handler != original.sa_handler) break;
    std::this_thread::sleep_for(1ms);
  }
  RawClient client(server.port());
  client.send(get("/before-signal"));
  ASSERT_TRUE(client.read_response());
  ::kill(::getpid(), SIGTERM);
  ASSERT_EQ(done.wait_for(3s), std::future_status::ready);
  EXPECT_TRUE(client.closed_within(1s));
  ::sigaction(SIGTERM, &original, nullptr);
}

TEST(HttpServerLifecycle, ConcurrentClientsAreAllAnsweredWithUniqueRequestIds) {
  EchoHandler handler;
  ServerOptions options = quiet_options();
  options.threads = 4;
  HttpServer server(options, handler);
  server.start();
  constexpr int kClients = 8;
  constexpr int kRequests = 50;
  std::atomic<int> answered{0};
  std::vector<std::vector<std::string>> wire_ids(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      RawClient client(server.port());
      for (int r = 0; r < kRequests; ++r) {
        std::string target = "/c" + std::to_string(c) + "/r" + std::to_string(r);
        client.send(get(target));
        auto response = client.read_response();
        if (response && response->status == 200 && response->body == "GET " + target + "\n") ++answered;
        if (response) wire_ids[c].push_back(response->header("X-Request-Id").value_or(""));
      }
    });
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(answered.load(), kClients * kRequests);
  std::set<std::string> on_the_wire;
  for (const auto& ids : wire_ids)
    for (const auto& id : ids) {
      EXPECT_FALSE(id.empty());
      on_the_wire.insert(id);
    }
  EXPECT_EQ(on_the_wire.size(), static_cast<std::size_t>(kClients * kRequests));
  std::lock_guard lock(handler.mutex);
  // The ids the handler saw are exactly the ones echoed on the wire, each once.
  EXPECT_EQ(std::set<std::string>(handler.request_ids.begin(), handler.request_ids.end()), on_the_wire);
  EXPECT_EQ(handler.request_ids.size(), static_cast<std::size_t>(kClients * kRequests));
  server.stop();
}

// --- Access log --------------------------------------------------------------------------

TEST(HttpServerAccessLog, OneLinePerRequestWithMethodTargetStatusDurationAndId) {
  EchoHandler handler;
  std::ostringstream log;
  ServerOptions options = quiet_options();
  options.access_log = true;
  options.log = &log;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/scim/v2/Users?x=1"));
  auto response = client.read_response();
  client.send(get("/status/204"));
  auto no_content = client.read_response();
  client.send("BROKEN\r\n\r\n");
  auto rejected = client.read_response();
  ASSERT_TRUE(response && no_content && rejected);
  server.stop();

  std::istringstream lines(log.str());
  std::string line;
  std::vector<std::string> all;
  while (std::getline(lines, line)) all.push_back(line);
  ASSERT_EQ(all.size(), 3u) << log.str();
  ASSERT_EQ(log.str().back(), '\n');
  const std::regex shape(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1 (\S+) (\S+) (\d{3}) \d+\.\d\dms req=(\S+))");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(all[0], match, shape)) << all[0];
  EXPECT_EQ(match[1], "GET");
  EXPECT_EQ(match[2], "/scim/v2/Users?x=1");
  EXPECT_EQ(match[3], "200");
  EXPECT_EQ(match[4], *response->header("X-Request-Id"));
  ASSERT_TRUE(std::regex_match(all[1], match, shape)) << all[1];
  EXPECT_EQ(match[1], "GET");
  EXPECT_EQ(match[2], "/status/204");
  EXPECT_EQ(match[3], "204");
  EXPECT_EQ(match[4], *no_content->header("X-Request-Id"));
  ASSERT_TRUE(std::regex_match(all[2], match, shape)) << all[2];
  EXPECT_EQ(match[3], "400");
  EXPECT_EQ(match[4], *rejected->header("X-Request-Id"));
}

TEST(HttpServerAccessLog, NothingIsWrittenWhenDisabled) {
  EchoHandler handler;
  std::ostringstream log;
  ServerOptions options = quiet_options();
  options.access_log = false;
  options.log = &log;
  HttpServer server(options, handler);
  server.start();
  RawClient client(server.port());
  client.send(get("/quiet"));
  ASSERT_TRUE(client.read_response());
  server.stop();
  EXPECT_EQ(log.str(), "");
}

}  // namespace
}  // namespace transport
