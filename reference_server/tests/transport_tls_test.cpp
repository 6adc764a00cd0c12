// HTTPS on the transport: real TLS handshakes over loopback with a certificate from a throwaway
// CA; keep-alive over TLS; a plain-HTTP client on the TLS port is turned away without harming
// the server; unusable certificate files are refused naming the file.
#include "reference_server/transport/http_server.hpp"
#include "tls_test_certificates.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>

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

class TransportTls : public ::testing::Test {
 protected:
  void SetUp() override {
    transport::ServerOptions options;
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
  EXPECT_NE(log_.str().find("TLS handshake failed"), std::string::npos) << log_.str();
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
