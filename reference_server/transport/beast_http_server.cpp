// HttpServer on Boost.Beast, shaped like Beast's example/http/server/async: a listener that
// accepts, sessions that only read, time out, hand the request over, write and close.
#include "reference_server/transport/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

namespace transport {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string_view HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](unsigned char a, unsigned char b) {
          return std::tolower(a) == std::tolower(b);
        }))
      return value;
  return {};
}

namespace {

std::string utc_timestamp() {
  auto now = std::chrono::system_clock::now();
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis % 1000));
  return buffer;
}

// Cheap unique request ids: a per-process random tag and a counter.
class RequestIds {
 public:
  RequestIds() {
    std::random_device device;
    std::snprintf(tag_, sizeof tag_, "%04x", static_cast<unsigned>(device() & 0xFFFF));
  }
  std::string next() {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s-%08llx", tag_, static_cast<unsigned long long>(++counter_));
    return buffer;
  }

 private:
  char tag_[8];
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace

class Session;

struct HttpServer::Impl {
  ServerOptions options;
  Handler& handler;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  RequestIds ids;
  std::mutex log_mutex;
  std::mutex sessions_mutex;
  std::set<std::shared_ptr<Session>> sessions;
  std::atomic<bool> stopping{false};
  std::atomic<int> busy{0};  // requests being handled or written
  bool stopped = false;
  std::mutex stop_mutex;

  Impl(ServerOptions o, Handler& h) : options(std::move(o)), handler(h) {}

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void log(const HttpRequest& request, int status, std::chrono::steady_clock::duration took) {
    std::string line = utc_timestamp() + " " + request.method + " " + request.target + " " + std::to_string(status) +
                       " " + std::to_string(std::chrono::duration<double, std::milli>(took).count()) + "ms req=" +
                       request.request_id + "\n";
    std::ostream& out = options.log ? *options.log : std::cerr;
    std::lock_guard lock(log_mutex);
    out << line << std::flush;
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl& server) : stream_(std::move(socket)), server_(server) {}

  void run() { asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::do_read, shared_from_this())); }

  // Called from stop(): idle connections close now; busy ones close after their write, or at
  // once when `force` (the grace period is over).
  void shutdown(bool force = false) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), force] {
      if (force || !self->busy_) self->close();
    });
  }

 private:
  void do_read() {
    if (server_.stopping) return close();
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    // Waiting for the next request on a kept-alive connection uses the idle timeout; once bytes
    // arrive the read timeout governs the rest. The first bytes are awaited on their own: a
    // header read started under the idle timeout would let a half-sent header hold the
    // connection for the whole idle period.
    if (buffer_.size()) return read_header();
    stream_.expires_after(server_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->on_read_error(ec);
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  void read_header() {
    stream_.expires_after(server_.options.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    auto& header = parser_->get();
    // Expectation values are case-insensitive (RFC 9110 §10.1.1).
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      if (auto length = parser_->content_length(); length && *length > server_.options.body_limit)
        return refuse(413, "request body larger than " + std::to_string(server_.options.body_limit) + " bytes");
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, header.version());
      http::write(stream_.socket(), *cont, ec);
    }
    stream_.expires_after(server_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::body_limit)
      return refuse(413, "request body larger than " + std::to_string(server_.options.body_limit) + " bytes");
    if (ec == http::error::header_limit)
      return refuse(431, "request header fields larger than " + std::to_string(server_.options.header_limit) + " bytes");
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof)
      return close();
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) return refuse(400, "malformed HTTP request: " + ec.message());
    close();
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    busy_ = true;
    ++server_.busy;
    auto started = std::chrono::steady_clock::now();
    auto& message = parser_->get();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.headers.reserve(8);
    for (const auto& field : message) request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    request.body = std::move(message.body());
    request.request_id = server_.ids.next();
    HttpResponse response;
    try {
      response = server_.handler.handle(request);
    } catch (const std::exception& e) {
      response = server_.handler.reject(500, std::string("internal error: ") + e.what());
    } catch (...) {
      response = server_.handler.reject(500, "internal error");
    }
    if (server_.options.access_log) server_.log(request, response.status, std::chrono::steady_clock::now() - started);
    bool keep_alive = message.keep_alive() && !server_.stopping;
    write(std::move(response), request.request_id, keep_alive, request.method == "HEAD", message.version());
  }

  void refuse(int status, std::string reason) {
    busy_ = true;
    ++server_.busy;
    HttpResponse response = server_.handler.reject(status, reason);
    write(std::move(response), server_.ids.next(), false, false, 11);
  }

  void write(HttpResponse response, const std::string& request_id, bool keep_alive, bool head, unsigned version) {
    auto out = std::make_shared<http::response<http::string_body>>();
    out->version(version);
    out->result(static_cast<unsigned>(response.status));
    for (auto& [name, value] : response.headers) out->insert(name, value);
    out->set("X-Request-Id", request_id);
    bool no_body = head || response.status == 204 || response.status == 304 || response.status < 200;
    if (!no_body) out->body() = std::move(response.body);
    out->keep_alive(keep_alive);
    if (no_body && !head) {
      out->content_length(boost::none);
    } else if (head) {
      out->content_length(response.body.size());
    } else {
      out->prepare_payload();
    }
    response_ = out;
    stream_.expires_after(server_.options.read_timeout);
    http::async_write(stream_, *out, [self = shared_from_this(), keep_alive, head](beast::error_code ec, std::size_t) {
      self->response_.reset();
      self->busy_ = false;
      --self->server_.busy;
      if (ec || !keep_alive) return self->close();
      self->do_read();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
    std::lock_guard lock(server_.sessions_mutex);
    server_.sessions.erase(shared_from_this());
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> response_;
  bool busy_ = false;
  bool closed_ = false;
};

void HttpServer::Impl::do_accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec) {
    if (ec == asio::error::operation_aborted || stopping) return;
  } else {
    socket.set_option(tcp::no_delay(true), ec);
    auto session = std::make_shared<Session>(std::move(socket), *this);
    {
      std::lock_guard lock(sessions_mutex);
      sessions.insert(session);
    }
    session->run();
  }
  if (!stopping) do_accept();
}

HttpServer::HttpServer(ServerOptions options, Handler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  auto& s = *impl_;
  beast::error_code ec;
  auto address = asio::ip::make_address(s.options.bind_address, ec);
  std::string where = s.options.bind_address + ":" + std::to_string(s.options.port);
  if (ec) throw std::system_error(ec, "cannot listen on " + where);
  tcp::endpoint endpoint{address, s.options.port};
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::system_error(ec, "cannot listen on " + where);
  s.work.emplace(s.ioc.get_executor());
  s.do_accept();
  int threads = std::max(1, s.options.threads);
  for (int i = 0; i < threads; ++i) s.threads.emplace_back([&s] { s.ioc.run(); });
}

std::uint16_t HttpServer::port() const {
  beast::error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  auto& s = *impl_;
  std::lock_guard stop_lock(s.stop_mutex);
  if (s.stopped) return;
  s.stopped = true;
  s.stopping = true;
  asio::post(s.ioc, [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
  });
  {
    std::lock_guard lock(s.sessions_mutex);
    for (auto& session : s.sessions) session->shutdown();
  }
  // In-flight requests finish and their responses are written before the threads stop.
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (s.busy > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  {
    std::lock_guard lock(s.sessions_mutex);
    for (auto& session : s.sessions) session->shutdown(true);
  }
  // The closes were only posted: give the threads a moment to run them, or ioc.stop() would
  // drop them and leave the clients' connections open until the server is destroyed.
  auto close_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (std::chrono::steady_clock::now() < close_deadline) {
    {
      std::lock_guard lock(s.sessions_mutex);
      if (s.sessions.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  s.work.reset();
  s.ioc.stop();
  for (auto& thread : s.threads)
    if (thread.joinable()) thread.join();
  s.threads.clear();
  std::lock_guard lock(s.sessions_mutex);
  s.sessions.clear();
}

void HttpServer::run_until_signal() {
  asio::io_context signals_context;
  asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([](beast::error_code, int) {});
  signals_context.run();
  stop();
}

}  // namespace transport
