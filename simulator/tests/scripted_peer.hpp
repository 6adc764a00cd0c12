#pragma once
// A scripted HTTP peer for the engines' golden tests: a real loopback socket that records each
// request exactly as it arrived (method, target with its query encoding, headers, body) and
// answers with the next scripted response. Nothing of the reference server is used: the peer
// says only what the script says.
#include <atomic>
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace simtest {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class ScriptedPeer {
 public:
  ScriptedPeer() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { accept_loop(); });
  }
  ~ScriptedPeer() { stop(); }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/scim/v2"; }

  void script(std::vector<ScriptedResponse> responses) {
    std::lock_guard lock(mutex_);
    responses_.assign(responses.begin(), responses.end());
  }
  std::vector<ReceivedRequest> take_received() {
    std::lock_guard lock(mutex_);
    return std::exchange(received_, {});
  }
  std::size_t unused_responses() {
    std::lock_guard lock(mutex_);
    return responses_.size();
  }

  void stop() {
    if (stopped_.exchange(true)) return;
    boost::system::error_code ignored;
    // Closing an acceptor does not wake a thread blocked in accept() on Linux; a connection does.
    {
      boost::asio::ip::tcp::socket wake(io_);
      wake.connect({boost::asio::ip::address_v4::loopback(), port_}, ignored);
    }
    acceptor_.close(ignored);
    {
      std::lock_guard lock(mutex_);
      for (auto& socket : sockets_) socket->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    }
    if (thread_.joinable()) thread_.join();
    for (auto& connection : connections_)
      if (connection.joinable()) connection.join();
  }

 private:
  void accept_loop() {
    while (!stopped_) {
      auto socket = std::make_shared<boost::asio::ip::tcp::socket>(io_);
      boost::system::error_code error;
      acceptor_.accept(*socket, error);
      if (error) return;
      std::lock_guard lock(mutex_);
      sockets_.push_back(socket);
      connections_.emplace_back([this, socket] { serve(*socket); });
    }
  }

  void serve(boost::asio::ip::tcp::socket& socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    while (true) {
      http::request<http::string_body> request;
      boost::system::error_code error;
      http::read(socket, buffer, request, error);
      if (error) return;
      ScriptedResponse next{500, {}, R"({"detail":"the golden script has no response left"})"};
      {
        std::lock_guard lock(mutex_);
        ReceivedRequest record{std::string(request.method_string()), std::string(request.target()), {}, request.body()};
        for (const auto& field : request) record.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        received_.push_back(std::move(record));
        if (!responses_.empty()) {
          next = std::move(responses_.front());
          responses_.pop_front();
        }
      }
      http::response<http::string_body> response{static_cast<http::status>(next.status), 11};
      bool typed = false;
      for (const auto& [name, value] : next.headers) {
        response.set(name, value);
        typed = typed || boost::beast::iequals(name, "Content-Type");
      }
      if (!typed && !next.body.empty()) response.set(http::field::content_type, "application/scim+json");
      response.body() = next.body;
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      http::write(socket, response, error);
      if (error || !request.keep_alive()) return;
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
  std::vector<std::thread> connections_;
  std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;
  std::mutex mutex_;
  std::deque<ScriptedResponse> responses_;
  std::vector<ReceivedRequest> received_;
  std::atomic<bool> stopped_{false};
};

}  // namespace simtest
