// HttpServer on Boost.Beast, shaped like Beast's example/http/server/async: a listener that
// accepts, sessions that only read, time out, hand the request over, write and close.
#include "reference_server/transport/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
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
#include <stdexcept>
#include <thread>
#include <type_traits>

namespace transport {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string_view HttpRequest::header(std::string_view name) const {
  // Field names are ASCII (RFC 9110 §5.1); folding only A-Z keeps this free of locale calls.
  auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (const auto& [key, value] : headers)
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [&](char a, char b) { return fold(a) == fold(b); }))
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
  char buffer[64];  // room for any int the compiler cannot rule out
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

// What stop() needs of a connection, whatever stream it runs on.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void shutdown(bool force = false) = 0;
};

struct HttpServer::Impl {
  ServerOptions options;
  Handler& handler;
  // One io_context per server thread, each connection living on one of them: a socket that
  // becomes readable wakes the thread that serves it, and a connection's handlers never run on
  // two threads, so they need no strand. The first also runs the acceptor.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::size_t next_context = 0;  // round robin over contexts, on the acceptor's thread
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  asio::io_context& context_for_next_connection() { return *contexts[next_context++ % contexts.size()]; }
  RequestIds ids;
  std::mutex log_mutex;
  std::mutex sessions_mutex;
  std::set<std::shared_ptr<SessionBase>> sessions;
  std::unique_ptr<asio::ssl::context> tls;  // set when serving HTTPS
  std::atomic<bool> stopping{false};
  std::atomic<int> busy{0};  // requests being handled or written
  bool started = false;
  bool stopped = false;
  std::mutex stop_mutex;

  Impl(ServerOptions o, Handler& h)
      : options(std::move(o)), handler(h), contexts(make_contexts(options.threads)), acceptor(*contexts.front()) {}

  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int threads) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int i = 0; i < std::max(1, threads); ++i) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  // "<UTC time> <client> <method> <target> <status> <ms>ms req=<id>"; "-" for a method and
  // target the transport never learned (the request was refused before its start line parsed).
  void log(std::string_view peer, std::string_view method, std::string_view target, int status,
           std::chrono::steady_clock::duration took, std::string_view request_id) {
    char millis[32];
    std::snprintf(millis, sizeof millis, "%.2f", std::chrono::duration<double, std::milli>(took).count());
    std::string line = utc_timestamp();
    for (std::string_view part : {peer, method.empty() ? "-" : method, target.empty() ? "-" : target})
      line.append(" ").append(part);
    line.append(" ").append(std::to_string(status)).append(" ").append(millis).append("ms req=");
    line.append(request_id).append("\n");
    std::ostream& out = options.log ? *options.log : std::cerr;
    std::lock_guard lock(log_mutex);
    out << line << std::flush;
  }
  // A connection-level event with no request (a failed TLS handshake), on the same log.
  void note(std::string_view peer, std::string_view what) {
    if (!options.access_log) return;
    std::ostream& out = options.log ? *options.log : std::cerr;
    std::lock_guard lock(log_mutex);
    out << utc_timestamp() << " " << peer << " " << what << "\n" << std::flush;
  }
};

namespace {

// RFC 7230 §3.2: field-name = token; field-value = *( field-content / obs-fold ) made of VCHAR,
// obs-text, SP and HTAB. A CR or LF in a value would end the field early and let whatever follows
// be read as a header field of its own (response splitting).
bool is_token(std::string_view name) {
  static constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && specials.find(static_cast<char>(c)) == std::string_view::npos) return false;
  return true;
}
bool is_field_value(std::string_view value) {
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\t') || c == 0x7F) return false;
  return true;
}

// Headers whose value only the transport knows: the framing (RFC 7230 §3.3), the connection's
// fate (§6.1) and the id it assigned. A handler's copy would contradict what is on the wire.
bool transport_owned(std::string_view name) {
  for (std::string_view owned : {"Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "X-Request-Id"})
    if (beast::iequals(name, owned)) return true;
  return false;
}

}  // namespace

// One connection, over plain TCP or TLS: the same reading, timing and answering either way; TLS
// only adds the handshake before the first read.
template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  template <class... Context>
  Session(tcp::socket&& socket, HttpServer::Impl& server, Context&... context)
      : stream_(std::move(socket), context...), server_(server), read_deadline_(stream_.get_executor()) {
    beast::error_code ec;
    auto endpoint = lowest().socket().remote_endpoint(ec);
    peer_ = ec ? "-" : endpoint.address().to_string();
  }

  void run() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->start(); });
  }

  // Called from stop(): idle connections close now; busy ones close after their write, or at
  // once when `force` (the grace period is over).
  void shutdown(bool force = false) override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), force] {
      if (force || !self->busy_) self->close();
    });
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kLingerAtMost{2000};  // as Apache httpd's lingering close

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void start() {
    if constexpr (kTls) {
      // A client that never completes the handshake falls under the read timeout.
      lowest().expires_after(server_.options.read_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) {
          // The commonest failure by far is a client that spoke plain HTTP: say so in words.
          bool plain_http = ec.category() == asio::error::get_ssl_category() &&
                            ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_HTTP_REQUEST;
          self->server_.note(self->peer_, "TLS handshake failed: " +
                                              (plain_http ? std::string("plain HTTP sent to this HTTPS port") : ec.message()));
          return self->close();
        }
        self->lowest().expires_never();
        self->do_read();
      });
    } else {
      do_read();
    }
  }

  void do_read() {
    if (server_.stopping) return close();
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    // A pipelined request is already under way.
    if (buffer_.size()) return begin_request();
    // Waiting for the next request on a kept-alive connection uses the idle timeout, and the
    // stream's own timer, which closes the socket silently: no request, so nothing to answer.
    // The first bytes are awaited on their own so that a half-sent header falls under the read
    // timeout instead of holding the connection for the whole idle period.
    lowest().expires_after(server_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->close();  // idle timeout, the client left, or stop()
      self->buffer_.commit(n);
      self->begin_request();
    });
  }

  void begin_request() {
    request_started_ = Clock::now();
    lowest().expires_never();
    arm_read_deadline();
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, this->shared_from_this()));
  }

  // The read timeout is a timer of our own rather than the stream's: the stream's closes the
  // socket when it fires, and a started request that never arrives whole gets a 408 first.
  void arm_read_deadline() {
    timed_out_ = false;
    read_deadline_.expires_after(server_.options.read_timeout);
    read_deadline_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      // A deadline moved or cancelled since this wait was queued is not this one.
      if (ec || self->closed_ || self->read_deadline_.expiry() > Clock::now()) return;
      self->timed_out_ = true;
      self->lowest().socket().cancel(ec);  // the pending read completes with operation_aborted
    });
  }
  void disarm_read_deadline() {
    // Moving the expiry into the future also disowns a wait whose handler is already queued.
    read_deadline_.expires_at(Clock::time_point::max());
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    auto& header = parser_->get();
    // RFC 7231 §5.1.1: a server receiving "100-continue" either sends 100 (Continue) or
    // "responds with a final status code" without reading the body. Expectation values are
    // case-insensitive (RFC 9110 §10.1.1).
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      if (auto length = parser_->content_length(); length && *length > server_.options.body_limit)
        return refuse(413, "request body larger than " + std::to_string(server_.options.body_limit) + " bytes");
      // The client waits for the 100 before it sends the body: the read timeout starts anew.
      disarm_read_deadline();
      auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      lowest().expires_after(server_.options.read_timeout);
      http::async_write(stream_, *interim, [self = this->shared_from_this(), interim](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->lowest().expires_never();
        self->arm_read_deadline();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    // The deadline can fire after the header read completed but before this ran; its cancel
    // then found nothing to cancel, so it is honoured here.
    if (timed_out_) return on_read_error(beast::error::timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, this->shared_from_this()));
  }

  void on_read_error(beast::error_code ec) {
    disarm_read_deadline();
    if (closed_) return;
    if (timed_out_)
      return refuse(408, "request not received whole within " + std::to_string(server_.options.read_timeout.count()) +
                             " ms; send the complete request without pausing");
    if (ec == http::error::body_limit)
      return refuse(413, "request body larger than " + std::to_string(server_.options.body_limit) + " bytes");
    if (ec == http::error::header_limit)
      return refuse(431, "request header fields larger than " + std::to_string(server_.options.header_limit) + " bytes");
    // The client went away (or stop() closed the socket): nobody to answer.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset || ec == asio::error::eof)
      return close();
    if (ec.category() == http::make_error_code(http::error::bad_target).category())
      return refuse(400, "malformed HTTP request: " + ec.message());
    close();
  }

  // Asks the handler; a handler that throws from reject() too still leaves the client an answer.
  HttpResponse safe_reject(int status, const std::string& reason) {
    try {
      return server_.handler.reject(status, reason);
    } catch (...) {
      HttpResponse response;
      response.status = status;
      response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
      // A 500's reason may carry an exception's text, which is not the client's business.
      response.body = status == 500 ? "internal error" : reason;
      return response;
    }
  }

  void on_read(beast::error_code ec, std::size_t) {
    disarm_read_deadline();
    if (ec) return on_read_error(ec);
    busy_ = true;
    ++server_.busy;
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
      if (response.status < 200 || response.status > 599)
        response = safe_reject(500, "internal error: handler answered with status " + std::to_string(response.status));
    } catch (const std::exception& e) {
      response = safe_reject(500, std::string("internal error: ") + e.what());
    } catch (...) {
      response = safe_reject(500, "internal error");
    }
    if (server_.options.access_log)
      server_.log(peer_, request.method, request.target, response.status, Clock::now() - request_started_,
                  request.request_id);
    bool keep_alive = message.keep_alive() && !server_.stopping;
    write(std::move(response), request.request_id, keep_alive, request.method == "HEAD", message.version());
  }

  // Answers a request the transport will not hand over, then closes: after a refused request
  // the rest of its bytes cannot be told from the next request's.
  void refuse(int status, std::string reason) {
    disarm_read_deadline();
    busy_ = true;
    ++server_.busy;
    HttpResponse response = safe_reject(status, reason);
    std::string request_id = server_.ids.next();
    if (server_.options.access_log) {
      std::string method, target;
      if (parser_ && parser_->is_header_done()) {
        method = std::string(parser_->get().method_string());
        target = std::string(parser_->get().target());
      }
      server_.log(peer_, method, target, response.status, Clock::now() - request_started_, request_id);
    }
    write(std::move(response), request_id, false, false, 11);
  }

  void write(HttpResponse response, const std::string& request_id, bool keep_alive, bool head, unsigned version) {
    auto out = std::make_shared<http::response<http::string_body>>();
    // RFC 7230 §2.6: "A server SHOULD send a response version equal to the highest version to
    // which the server is conformant that has a major version less than or equal to the one
    // received in the request."
    out->version(11);
    out->result(static_cast<unsigned>(response.status));
    // A header field the handler could not legally have sent is dropped whole: trimming it would
    // send a value the handler never meant.
    for (auto& [name, value] : response.headers)
      if (is_token(name) && is_field_value(value) && !transport_owned(name)) out->insert(name, value);
    out->set("X-Request-Id", request_id);
    // RFC 7230 §6.1: a server that "does not support persistent connections MUST send the
    // "close" connection option"; §6.3: an HTTP/1.0 connection persists only when the
    // recipient is told "keep-alive", while HTTP/1.1 persists by default.
    if (!keep_alive)
      out->set(http::field::connection, "close");
    else if (version < 11)
      out->set(http::field::connection, "keep-alive");
    // RFC 7230 §3.3.2: "A server MUST NOT send a Content-Length header field in any response
    // with a status code of [...] 204 (No Content)"; 204 and 304 end at the header (§3.3.3).
    if (response.status == 204 || response.status == 304) {
    } else if (head) {
      // RFC 7231 §4.3.2: the same header fields as a GET, so the length a GET would have had.
      out->content_length(response.body.size());
    } else {
      out->body() = std::move(response.body);
      out->prepare_payload();
    }
    response_ = out;
    lowest().expires_after(server_.options.read_timeout);
    http::async_write(stream_, *out, [self = this->shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
      self->response_.reset();
      self->busy_ = false;
      --self->server_.busy;
      if (ec) return self->close();
      if (!keep_alive) return self->linger();
      self->do_read();
    });
  }

  // RFC 7230 §6.6: after an immediate close, data still arriving from the client makes the
  // server's TCP stack "send a reset packet to the client; unfortunately, the reset packet might
  // erase the client's unacknowledged input buffers", i.e. the response just written. So close
  // "in stages": half-close, read and discard until the client closes too, or a short while.
  void linger() {
    if (server_.stopping) return close();
    if constexpr (kTls) {
      // RFC 8446 §6.1: "Each party MUST send a "close_notify" alert before closing its write
      // side of the connection". The shutdown then reads until the client's own close_notify or
      // its close, which is the lingering read of §6.6 above, under the same time limit.
      lowest().expires_after(std::min<std::chrono::milliseconds>(server_.options.read_timeout, kLingerAtMost));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close(); });
      return;
    }
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    lowest().expires_after(std::min<std::chrono::milliseconds>(server_.options.read_timeout, kLingerAtMost));
    discard();
  }
  void discard() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(16 * 1024), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();  // the client closed too, the linger time is up, or stop()
      self->discard();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    read_deadline_.cancel();
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    lowest().socket().close(ec);
    std::lock_guard lock(server_.sessions_mutex);
    server_.sessions.erase(this->shared_from_this());
  }

  Stream stream_;
  HttpServer::Impl& server_;
  asio::steady_timer read_deadline_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> response_;
  Clock::time_point request_started_ = Clock::now();
  bool timed_out_ = false;
  bool busy_ = false;
  bool closed_ = false;
};

void HttpServer::Impl::do_accept() {
  acceptor.async_accept(context_for_next_connection(), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec) {
    if (ec == asio::error::operation_aborted || stopping) return;
  } else {
    socket.set_option(tcp::no_delay(true), ec);
    std::shared_ptr<SessionBase> session;
    if (tls) {
      auto tls_session = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(std::move(socket), *this, *tls);
      session = tls_session;
      tls_session->run();
    } else {
      auto plain_session = std::make_shared<Session<beast::tcp_stream>>(std::move(socket), *this);
      session = plain_session;
      plain_session->run();
    }
    {
      std::lock_guard lock(sessions_mutex);
      sessions.insert(session);
    }
  }
  if (!stopping) do_accept();
}

HttpServer::HttpServer(ServerOptions options, Handler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  auto& s = *impl_;
  if (!s.options.tls_certificate_file.empty() || !s.options.tls_private_key_file.empty()) {
    if (s.options.tls_certificate_file.empty() || s.options.tls_private_key_file.empty())
      throw std::invalid_argument("TLS needs both a certificate file and a private key file");
    s.tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    s.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    beast::error_code tls_error;
    s.tls->use_certificate_chain_file(s.options.tls_certificate_file, tls_error);
    if (tls_error)
      throw std::invalid_argument("TLS certificate " + s.options.tls_certificate_file + ": " + tls_error.message() +
                                  "; give a PEM certificate (chain) file");
    s.tls->use_private_key_file(s.options.tls_private_key_file, asio::ssl::context::pem, tls_error);
    if (tls_error)
      throw std::invalid_argument("TLS private key " + s.options.tls_private_key_file + ": " + tls_error.message() +
                                  "; give the PEM private key of the certificate");
  }
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
  for (auto& context : s.contexts) s.work.push_back(asio::make_work_guard(*context));
  s.started = true;
  s.do_accept();
  for (auto& context : s.contexts) s.threads.emplace_back([&context] { context->run(); });
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
  asio::post(s.acceptor.get_executor(), [&s] {
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
  // The closes were only posted: give the threads a moment to run them, or stop() would
  // drop them and leave the clients' connections open until the server is destroyed.
  auto close_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (std::chrono::steady_clock::now() < close_deadline) {
    {
      std::lock_guard lock(s.sessions_mutex);
      if (s.sessions.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  s.work.clear();
  for (auto& context : s.contexts) context->stop();
  for (auto& thread : s.threads)
    if (thread.joinable()) thread.join();
  s.threads.clear();
  std::lock_guard lock(s.sessions_mutex);
  s.sessions.clear();
}

void HttpServer::run_until_signal() {
  {
    std::lock_guard stop_lock(impl_->stop_mutex);
    if (impl_->stopped) return;
  }
  // The CLI starts first to report the port; a caller that has not is started here.
  if (!impl_->started) start();
  // The handlers are installed here, after start(): a signal that arrives sooner ends the
  // process by the default action, as it would any program not yet serving.
  asio::io_context signals_context;
  asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([](beast::error_code, int) {});
  signals_context.run();
  stop();
}

}  // namespace transport
