// HTTPS on the transport: real TLS handshakes over loopback with a certificate from a throwaway
// CA; keep-alive over TLS; a plain-HTTP client on the TLS port is turned away without harming
// the server; unusable certificate files are refused naming the file.
#include "reference_server/transport/http_server.hpp"
#include "tls_test_certificates.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <sstream>

namespace {

struct Echo : transport::Handler {
  transport::HttpResponse handle(const transport::HttpRequest& request) override {
    return {200, {{"Content-Type", "text/plain"}}, "you asked for " + request.target};
  }
  transport::HttpResponse reject(int status, std::string_view reason) override { return {status, {}, std::string(reason)}; }
};

size_t collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct Fetched {
  CURLcode code = CURLE_OK;
  long status = 0;
  long new_connections = 0;
  std::string body;
};

Fetched fetch(CURL* curl, const std::string& url, const std::string& ca) {
  Fetched out;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, ca.c_str());
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
  out.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &out.new_connections);
  return out;
}

// A blocking TLS client on a raw socket (OpenSSL's own API), for what libcurl hides: exactly which
// bytes are sent and when, and how the server ends the TLS session.
class RawTlsClient {
 public:
  RawTlsClient(std::uint16_t port, const std::string& ca) {
    context_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(context_, ca.c_str(), nullptr);
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval wait{10, 0};  // a server that never answers fails the test instead of hanging it
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return;
    ssl_ = SSL_new(context_);
    SSL_set_fd(ssl_, fd_);
    SSL_set1_host(ssl_, "127.0.0.1");
    connected_ = SSL_connect(ssl_) == 1;
  }
  ~RawTlsClient() {
    if (ssl_) SSL_free(ssl_);
    if (fd_ >= 0) close(fd_);
    SSL_CTX_free(context_);
  }
  bool connected() const { return connected_; }
  void send(const std::string& bytes) { SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())); }

  // Reads until the server ends the session; says whether it ended with a close_notify
  // (SSL_ERROR_ZERO_RETURN) rather than a bare TCP close.
  std::string read_to_end(bool* clean_close) {
    std::string out;
    char buffer[4096];
    for (;;) {
      int n = SSL_read(ssl_, buffer, sizeof buffer);
      if (n > 0) {
        out.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      *clean_close = SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN;
      ERR_clear_error();
      return out;
    }
  }

 private:
  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool connected_ = false;
};

class TransportTls : public ::testing::Test {
 protected:
  void SetUp() override { start(transport::ServerOptions{}); }
  void start(transport::ServerOptions options) {
    if (server_) server_->stop();
    options.port = 0;
    options.log = &log_;
    options.tls_certificate_file = certificates_.certificate;
    options.tls_private_key_file = certificates_.key;
    server_ = std::make_unique<transport::HttpServer>(options, handler_);
    server_->start();
  }
  std::string url(const std::string& scheme, const std::string& path) const {
    return scheme + "://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  TlsTestCertificates certificates_;
  Echo handler_;
  std::ostringstream log_;
  std::unique_ptr<transport::HttpServer> server_;
};

}  // namespace

TEST_F(TransportTls, AnswersOverHttpsAndKeepsTheConnectionAlive) {
  CURL* curl = curl_easy_init();
  Fetched first = fetch(curl, url("https", "/a"), certificates_.ca);
  ASSERT_EQ(first.code, CURLE_OK) << curl_easy_strerror(first.code);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "you asked for /a");
  Fetched second = fetch(curl, url("https", "/b"), certificates_.ca);
  ASSERT_EQ(second.code, CURLE_OK);
  EXPECT_EQ(second.body, "you asked for /b");
  EXPECT_EQ(second.new_connections, 0) << "the second request should reuse the TLS connection";
  curl_easy_cleanup(curl);
}

TEST_F(TransportTls, ACertificateFromAnotherAuthorityIsNotTrusted) {
  TlsTestCertificates other;
  CURL* curl = curl_easy_init();
  Fetched refused = fetch(curl, url("https", "/"), other.ca);
  EXPECT_NE(refused.code, CURLE_OK) << "the client must not trust a certificate its CA did not sign";
  curl_easy_cleanup(curl);
}

TEST_F(TransportTls, PlainHttpOnTheTlsPortIsTurnedAwayAndTheServerKeepsServing) {
  CURL* plain = curl_easy_init();
  Fetched wrong = fetch(plain, url("http", "/plain"), certificates_.ca);
  EXPECT_NE(wrong.status, 200);
  curl_easy_cleanup(plain);
  CURL* curl = curl_easy_init();
  Fetched right = fetch(curl, url("https", "/after"), certificates_.ca);
  EXPECT_EQ(right.code, CURLE_OK);
  EXPECT_EQ(right.body, "you asked for /after");
  curl_easy_cleanup(curl);
  server_->stop();
  EXPECT_NE(log_.str().find("TLS handshake failed: plain HTTP sent to this HTTPS port"), std::string::npos) << log_.str();
}

// RFC 8446 §6.1: "Each party MUST send a "close_notify" alert before closing its write side of
// the connection".
TEST_F(TransportTls, AConnectionCloseResponseEndsTheTlsSessionWithCloseNotify) {
  RawTlsClient client(server_->port(), certificates_.ca);
  ASSERT_TRUE(client.connected());
  client.send("GET /bye HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  bool clean = false;
  std::string response = client.read_to_end(&clean);
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response;
  EXPECT_NE(response.find("you asked for /bye"), std::string::npos) << response;
  EXPECT_TRUE(clean) << "the server closed the TCP connection without a TLS close_notify";
}

// The read timeout holds inside TLS as it does on plain TCP: a started request that stops
// arriving gets 408, encrypted, on the same connection.
TEST_F(TransportTls, AHalfSentRequestGets408OverTls) {
  transport::ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(300);
  start(options);
  RawTlsClient client(server_->port(), certificates_.ca);
  ASSERT_TRUE(client.connected());
  client.send("GET /slowly HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  auto started = std::chrono::steady_clock::now();
  bool clean = false;
  std::string response = client.read_to_end(&clean);
  EXPECT_EQ(response.rfind("HTTP/1.1 408", 0), 0u) << response;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

// A client that connects and never starts the handshake is dropped after the read timeout,
// and the server still answers others meanwhile.
TEST_F(TransportTls, ASilentClientIsDroppedAfterTheReadTimeout) {
  transport::ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(300);
  start(options);
  int silent = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(server_->port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  CURL* curl = curl_easy_init();
  EXPECT_EQ(fetch(curl, url("https", "/meanwhile"), certificates_.ca).body, "you asked for /meanwhile");
  curl_easy_cleanup(curl);
  timeval wait{5, 0};
  setsockopt(silent, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  char byte;
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(recv(silent, &byte, 1, 0), 0) << "the server should have closed the connection";
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  close(silent);
}

TEST(TransportTlsSetup, UnusableCertificateOrKeyFilesAreRefusedNamingTheFile) {
  TlsTestCertificates certificates;
  Echo handler;
  transport::ServerOptions options;
  options.tls_certificate_file = "/no/such/cert.pem";
  options.tls_private_key_file = certificates.key;
  transport::HttpServer missing(options, handler);
  try {
    missing.start();
    FAIL() << "a missing certificate file was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("/no/such/cert.pem"), std::string::npos) << error.what();
  }
  options.tls_certificate_file = certificates.certificate;
  options.tls_private_key_file = certificates.ca;  // a certificate, not a key
  transport::HttpServer wrong_key(options, handler);
  EXPECT_THROW(wrong_key.start(), std::invalid_argument);
  options.tls_private_key_file.clear();
  transport::HttpServer half(options, handler);
  EXPECT_THROW(half.start(), std::invalid_argument);
}
