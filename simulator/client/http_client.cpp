#include "simulator/client/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

namespace scimclient {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool has_header(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return header_name_equals(h.first, name); });
}

// Adds or replaces `name` (case-insensitive), keeping the position of the first occurrence.
void set_header(Headers& headers, const std::string& name, const std::string& value) {
  auto it = std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return header_name_equals(h.first, name); });
  if (it == headers.end()) {
    headers.emplace_back(name, value);
  } else {
    *it = {name, value};
    headers.erase(std::remove_if(std::next(it), headers.end(),
                                 [&](const auto& h) { return header_name_equals(h.first, name); }),
                  headers.end());
  }
}

// "host:port" of a URL for error messages; the URL itself when it does not parse.
std::string host_port(const std::string& url) {
  CURLU* u = curl_url();
  if (u == nullptr) return url;
  std::string result = url;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* host = nullptr;
    char* port = nullptr;
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      result = std::string(host) + ":" + port;
    }
    curl_free(host);
    curl_free(port);
  }
  curl_url_cleanup(u);
  return result;
}

// "H:P" from libcurl's "Failed to connect to H port P after ..." message, or "".
std::string peer_in_message(std::string_view message) {
  constexpr std::string_view prefix = "Failed to connect to ";
  constexpr std::string_view port_word = " port ";
  if (!message.starts_with(prefix)) return {};
  message.remove_prefix(prefix.size());
  auto at = message.find(port_word);
  if (at == std::string_view::npos) return {};
  std::string_view host = message.substr(0, at);
  std::string_view rest = message.substr(at + port_word.size());
  std::size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
  if (host.empty() || digits == 0) return {};
  // An IPv6 literal is bracketed, as host_port() spells it from the URL.
  std::string h = host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
  return h + ":" + std::string(rest.substr(0, digits));
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& headers = *static_cast<Headers*>(user);
  std::string_view line(data, size * count);
  // A new status line starts a new response (after 100 Continue or another interim response):
  // only the final response's headers belong to the Exchange.
  if (line.starts_with("HTTP/")) {
    headers.clear();
    return size * count;
  }
  std::string_view content = trim(line);
  if (content.empty()) return size * count;
  // RFC 9112 §5.2: obsolete line folding continues the previous field's value.
  if ((line.front() == ' ' || line.front() == '\t') && !headers.empty()) {
    headers.back().second += ' ';
    headers.back().second += content;
    return size * count;
  }
  auto colon = content.find(':');
  if (colon == std::string_view::npos) return size * count;
  headers.emplace_back(std::string(trim(content.substr(0, colon))), std::string(trim(content.substr(colon + 1))));
  return size * count;
}

// The options every request of a client shares, set once when its easy handle is made: a
// handle is reused request after request without curl_easy_reset, which would make each
// request pay for setting them again.
std::string configure_handle(CURL* easy, const ClientOptions& options) {
  std::string error;
  auto set = [&](CURLoption option, auto value, const char* what) {
    CURLcode code = curl_easy_setopt(easy, option, value);
    if (code != CURLE_OK && error.empty())
      error = std::string("could not prepare request (") + what + "): " + curl_easy_strerror(code);
  };
  // Threads and signals do not mix: without this a DNS timeout would longjmp out of a worker.
  set(CURLOPT_NOSIGNAL, 1L, "NOSIGNAL");
  set(CURLOPT_TCP_KEEPALIVE, 1L, "TCP_KEEPALIVE");
  set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1), "HTTP/1.1");
  // A conformance check must see a redirect as the target sent it, not where it leads.
  set(CURLOPT_FOLLOWLOCATION, 0L, "FOLLOWLOCATION");
  // Send the path exactly as the case wrote it ("/Users/../x" is a test input, not a typo).
  set(CURLOPT_PATH_AS_IS, 1L, "PATH_AS_IS");
  set(CURLOPT_MAXCONNECTS, 2L, "MAXCONNECTS");
  if (!options.use_env_proxy) set(CURLOPT_NOPROXY, "*", "NOPROXY");
  if (!options.ca_file.empty()) set(CURLOPT_CAINFO, options.ca_file.c_str(), "CAINFO");
  if (options.insecure) {
    set(CURLOPT_SSL_VERIFYPEER, 0L, "SSL_VERIFYPEER");
    set(CURLOPT_SSL_VERIFYHOST, 0L, "SSL_VERIFYHOST");
  }
  set(CURLOPT_WRITEFUNCTION, &on_body, "WRITEFUNCTION");
  set(CURLOPT_HEADERFUNCTION, &on_header, "HEADERFUNCTION");
  return error;
}

// A new easy handle configured for `options`, or nullptr with `error` saying why.
CURL* make_easy(const ClientOptions& options, std::string& error) {
  CURL* easy = curl_easy_init();
  if (easy == nullptr) {
    error = "could not prepare request: curl_easy_init failed";
    return nullptr;
  }
  error = configure_handle(easy, options);
  if (!error.empty()) {
    curl_easy_cleanup(easy);
    return nullptr;
  }
  return easy;
}

// One transfer on one easy handle: configures the handle for the exchange, and after libcurl
// reports completion fills in status, timing and any transport error.
class Transfer {
 public:
  // `easy` has had configure_handle() for these options; the transfer sets the rest.
  Transfer(CURL* easy, Exchange& exchange) : easy_(easy), exchange_(exchange) {
    error_buffer_[0] = '\0';
    configure();
  }
  // The handle outlives the transfer and is reused without a reset: it must not keep pointers
  // into this transfer or its exchange.
  ~Transfer() {
    curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(easy_, CURLOPT_HEADERDATA, nullptr);
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, nullptr);
    curl_slist_free_all(header_list_);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy() const { return easy_; }
  // Non-empty when the request could not even be handed to libcurl.
  const std::string& setup_error() const { return setup_error_; }

  void finish(CURLcode code) {
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    exchange_.status = static_cast<int>(status);
    curl_off_t total_us = 0;
    if (curl_easy_getinfo(easy_, CURLINFO_TOTAL_TIME_T, &total_us) == CURLE_OK) {
      exchange_.duration = std::chrono::microseconds(total_us);
    }
    if (code != CURLE_OK) exchange_.transport_error = describe(code);
  }

  void fail_setup() { exchange_.transport_error = setup_error_; }

 private:
  void check(CURLcode code, const char* what) {
    if (code != CURLE_OK && setup_error_.empty()) {
      setup_error_ = std::string("could not prepare request (") + what + "): " + curl_easy_strerror(code);
    }
  }

  void configure() {
    const HttpRequestSpec& req = exchange_.request;
    if (req.method.empty()) {
      setup_error_ = "could not prepare request: the HTTP method is empty";
      return;
    }
    check(curl_easy_setopt(easy_, CURLOPT_URL, req.url.c_str()), "URL");
    check(curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_buffer_), "error buffer");
    long timeout_ms = req.timeout.count() > 0 ? static_cast<long>(req.timeout.count()) : 0L;
    check(curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, timeout_ms), "TIMEOUT_MS");
    check(curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms), "CONNECTTIMEOUT_MS");
    check(curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &exchange_.response_body), "WRITEDATA");
    check(curl_easy_setopt(easy_, CURLOPT_HEADERDATA, &exchange_.response_headers), "HEADERDATA");
    configure_method(req);
    configure_headers(req);
  }

  void configure_method(const HttpRequestSpec& req) {
    const std::string& m = req.method;
    bool sends_body = !req.body.empty() || m == "POST" || m == "PUT" || m == "PATCH";
    // The handle carries the previous request's method: every request states its own from GET.
    check(curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L), "HTTPGET");
    check(curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, nullptr), "CUSTOMREQUEST");
    if (sends_body) {
      // POSTFIELDS with an explicit size sends the body byte-exact (NULs included) with a
      // Content-Length; the exchange owns the bytes for the whole transfer.
      check(curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size())),
            "POSTFIELDSIZE");
      check(curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, req.body.data()), "POSTFIELDS");
      if (m != "POST") check(curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, m.c_str()), "CUSTOMREQUEST");
    } else if (m == "HEAD") {
      check(curl_easy_setopt(easy_, CURLOPT_NOBODY, 1L), "NOBODY");
    } else if (m != "GET") {
      check(curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, m.c_str()), "CUSTOMREQUEST");
    }
  }

  void configure_headers(const HttpRequestSpec& req) {
    auto append = [this](const std::string& line) {
      curl_slist* next = curl_slist_append(header_list_, line.c_str());
      if (next == nullptr) {
        if (setup_error_.empty()) setup_error_ = "could not prepare request: out of memory for headers";
        return;
      }
      header_list_ = next;
    };
    for (const auto& [name, value] : req.headers) {
      // libcurl drops "Name:" (it means "remove"); "Name;" is its spelling of an empty header.
      append(value.empty() ? name + ";" : name + ": " + value);
    }
    // Keep libcurl from inventing headers the caller did not ask for: a form Content-Type on
    // bodies, "Expect: 100-continue" on large ones, "Accept: */*" everywhere.
    if (!has_header(req.headers, "Content-Type")) append("Content-Type:");
    if (!has_header(req.headers, "Expect")) append("Expect:");
    if (!has_header(req.headers, "Accept")) append("Accept:");
    check(curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, header_list_), "HTTPHEADER");
  }

  std::string describe(CURLcode code) const {
    const std::string& url = exchange_.request.url;
    std::string detail = error_buffer_[0] != '\0' ? std::string(error_buffer_) : curl_easy_strerror(code);
    switch (code) {
      case CURLE_OPERATION_TIMEDOUT:
        return "timed out after " + std::to_string(exchange_.request.timeout.count()) + " ms";
      case CURLE_COULDNT_CONNECT: {
        long os_errno = 0;
        curl_easy_getinfo(easy_, CURLINFO_OS_ERRNO, &os_errno);
        // Name the peer actually tried: libcurl leaves PRIMARY_IP empty on a failed connect, but
        // its message ("Failed to connect to H port P ...") names the proxy when one is used.
        std::string peer = host_port(url);
        if (auto tried = peer_in_message(detail); !tried.empty() && tried != peer) peer = "proxy " + tried;
        if (os_errno == ECONNREFUSED || detail.find("refused") != std::string::npos) {
          return "connection refused to " + peer;
        }
        return "could not connect to " + peer + ": " + detail;
      }
      case CURLE_COULDNT_RESOLVE_HOST:
        return "could not resolve host of " + url + ": " + detail;
      case CURLE_GOT_NOTHING:
        return "connection closed by " + host_port(url) + " without a response";
      case CURLE_URL_MALFORMAT:
      case CURLE_UNSUPPORTED_PROTOCOL:
        return "invalid URL '" + url + "': " + detail;
      default:
        return detail;
    }
  }

  CURL* easy_;
  Exchange& exchange_;
  curl_slist* header_list_ = nullptr;
  char error_buffer_[CURL_ERROR_SIZE];
  std::string setup_error_;
};

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {
  global_init();
  if (options_.max_connections < 1) options_.max_connections = 1;
}

Client::~Client() {
  for (void* easy : idle_easy_) curl_easy_cleanup(static_cast<CURL*>(easy));
  if (multi_ != nullptr) curl_multi_cleanup(static_cast<CURLM*>(multi_));
}

std::string Client::resolve(std::string_view path_or_url) const { return join_url(options_.base_url, path_or_url); }

HttpRequestSpec Client::effective(const HttpRequestSpec& request) const {
  HttpRequestSpec out;
  out.method = request.method;
  out.url = resolve(request.url);
  out.body = request.body;
  out.timeout = request.timeout;
  out.with_default_headers = request.with_default_headers;
  if (request.with_default_headers) {
    if (!options_.user_agent.empty()) set_header(out.headers, "User-Agent", options_.user_agent);
    if (!options_.accept.empty()) set_header(out.headers, "Accept", options_.accept);
    for (const auto& [name, value] : options_.default_headers) set_header(out.headers, name, value);
  }
  for (const auto& [name, value] : request.headers) {
    if (request.with_default_headers) {
      set_header(out.headers, name, value);
    } else {
      out.headers.emplace_back(name, value);
    }
  }
  return out;
}

void* Client::acquire_easy(std::string& error) {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_easy_.empty()) {
      void* easy = idle_easy_.back();
      idle_easy_.pop_back();
      return easy;
    }
  }
  return make_easy(options_, error);
}

void Client::release_easy(void* easy) {
  {
    std::lock_guard lock(pool_mutex_);
    if (static_cast<int>(idle_easy_.size()) < options_.max_connections) {
      idle_easy_.push_back(easy);
      return;
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(easy));
}

Exchange Client::send(const HttpRequestSpec& request) {
  Exchange exchange;
  exchange.request = effective(request);
  std::string error;
  CURL* easy = static_cast<CURL*>(acquire_easy(error));
  if (easy == nullptr) {
    exchange.transport_error = error;
    return exchange;
  }
  {
    Transfer transfer(easy, exchange);
    if (!transfer.setup_error().empty()) {
      transfer.fail_setup();
    } else {
      transfer.finish(curl_easy_perform(easy));
    }
  }
  release_easy(easy);
  return exchange;
}

std::vector<Exchange> Client::send_all(std::vector<HttpRequestSpec> requests, int concurrency) {
  std::vector<Exchange> results(requests.size());
  std::size_t given = 0;
  stream(
      concurrency,
      [&]() -> std::optional<HttpRequestSpec> {
        if (given == requests.size()) return std::nullopt;
        return std::move(requests[given++]);
      },
      [&](std::size_t sequence, Exchange exchange) { results[sequence] = std::move(exchange); });
  return results;
}

void Client::stream(int concurrency, const NextRequest& next, const OnExchange& done) {
  const std::size_t limit = static_cast<std::size_t>(std::max(concurrency, 1));
  std::lock_guard lock(multi_mutex_);
  std::size_t sequence = 0;
  // Every request `next` still gives fails with `error` (no multi handle to run it on).
  auto fail_the_rest = [&](const std::string& error) {
    while (std::optional<HttpRequestSpec> spec = next()) {
      Exchange exchange;
      exchange.request = effective(*spec);
      exchange.transport_error = error;
      done(sequence++, std::move(exchange));
    }
  };
  if (multi_ == nullptr) {
    multi_ = curl_multi_init();
    if (multi_ == nullptr) {
      fail_the_rest("could not prepare request: curl_multi_init failed");
      return;
    }
  }
  CURLM* multi = static_cast<CURLM*>(multi_);
  // The multi handle's connection cache is what is kept alive between calls.
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(std::max<std::size_t>(
                                                     limit, static_cast<std::size_t>(options_.max_connections))));

  struct Active {
    std::size_t sequence;
    std::unique_ptr<Exchange> exchange;  // the Transfer writes into it, so it must not move
    std::unique_ptr<Transfer> transfer;
  };
  std::vector<CURL*> spare;  // finished easy handles, configured and ready for the next request
  std::vector<Active> active;

  // Starts requests until `limit` are in flight or `next` has none ready; returns how many.
  auto fill = [&]() {
    std::size_t started = 0;
    while (active.size() < limit) {
      std::optional<HttpRequestSpec> spec = next();
      if (!spec) break;
      std::size_t number = sequence++;
      auto exchange = std::make_unique<Exchange>();
      exchange->request = effective(*spec);
      CURL* easy = nullptr;
      std::string error;
      if (!spare.empty()) {
        easy = spare.back();
        spare.pop_back();
      } else {
        easy = make_easy(options_, error);
      }
      if (easy == nullptr) {
        exchange->transport_error = error;
        done(number, std::move(*exchange));
        continue;
      }
      auto transfer = std::make_unique<Transfer>(easy, *exchange);
      if (!transfer->setup_error().empty()) {
        transfer->fail_setup();
      } else if (CURLMcode mc = curl_multi_add_handle(multi, easy); mc != CURLM_OK) {
        exchange->transport_error = std::string("could not start request: ") + curl_multi_strerror(mc);
      } else {
        active.push_back({number, std::move(exchange), std::move(transfer)});
        ++started;
        continue;
      }
      transfer.reset();
      spare.push_back(easy);
      done(number, std::move(*exchange));
    }
    return started;
  };

  fill();
  while (!active.empty()) {
    int running = 0;
    CURLMcode mc = curl_multi_perform(multi, &running);
    if (mc != CURLM_OK) {
      // The multi handle itself is broken; every unfinished request gets the same verdict.
      std::string error = std::string("transfer failed: ") + curl_multi_strerror(mc);
      std::vector<Active> failed = std::move(active);
      active.clear();
      for (auto& item : failed) {
        curl_multi_remove_handle(multi, item.transfer->easy());
        curl_easy_cleanup(item.transfer->easy());
        item.exchange->transport_error = error;
        done(item.sequence, std::move(*item.exchange));
      }
      fail_the_rest(error);
      break;
    }

    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      CURLcode code = msg->data.result;  // read before remove_handle invalidates msg
      auto it = std::find_if(active.begin(), active.end(), [&](const Active& a) { return a.transfer->easy() == easy; });
      if (it == active.end()) continue;
      it->transfer->finish(code);
      curl_multi_remove_handle(multi, easy);
      Active finished = std::move(*it);
      active.erase(it);
      finished.transfer.reset();
      spare.push_back(easy);
      // The answer goes back at once: its flow may send its next request in this same pass.
      done(finished.sequence, std::move(*finished.exchange));
    }

    // New requests start before waiting, so a flow's next request never waits for the others.
    if (fill() > 0) continue;
    if (!active.empty() && running > 0) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }

  for (CURL* easy : spare) curl_easy_cleanup(easy);
}

HttpRequestSpec Client::make_request(std::string method, std::string_view path, std::string body,
                                     Headers headers) const {
  HttpRequestSpec spec;
  spec.method = std::move(method);
  spec.url = std::string(path);
  spec.body = std::move(body);
  spec.headers = std::move(headers);
  spec.timeout = options_.timeout;
  return spec;
}

Exchange Client::get(std::string_view path, Headers headers) {
  return send(make_request("GET", path, {}, std::move(headers)));
}

Exchange Client::send_json(std::string method, std::string_view path, const nlohmann::json& body, Headers headers) {
  if (!has_header(headers, "Content-Type")) headers.emplace_back("Content-Type", options_.json_content_type);
  return send(make_request(std::move(method), path, body.dump(), std::move(headers)));
}

Exchange Client::post_json(std::string_view path, const nlohmann::json& body, Headers headers) {
  return send_json("POST", path, body, std::move(headers));
}

Exchange Client::put_json(std::string_view path, const nlohmann::json& body, Headers headers) {
  return send_json("PUT", path, body, std::move(headers));
}

Exchange Client::patch_json(std::string_view path, const nlohmann::json& body, Headers headers) {
  return send_json("PATCH", path, body, std::move(headers));
}

Exchange Client::del(std::string_view path, Headers headers) {
  return send(make_request("DELETE", path, {}, std::move(headers)));
}

}  // namespace scimclient
