#pragma once
// Runs IdP flows against the target. The requests flows wait on stream through Client::stream
// (one libcurl multi handle, keep-alive, at most `concurrency` in flight, started in the order
// the flows asked); each flow resumes with its own Exchange the moment it completes, and its next
// request joins the stream while the others are still in flight. Flows that wait (Retry-After) sleep in real time, since the target's rate
// limit counts real seconds. During a simulated outage window nothing is sent: every request
// fails as a refused connection would.
#include "simulator/client/http_client.hpp"
#include "simulator/idp/flow.hpp"

#include <chrono>
#include <coroutine>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sim {

struct WireStats {
  std::size_t requests = 0;
  std::size_t transport_errors = 0;
  std::size_t outage_failures = 0;   // requests refused by a simulated outage window
  std::size_t throttled = 0;         // 429 answers
  std::size_t retries = 0;           // requests sent again after a 429
  std::map<int, std::size_t> by_status;
  std::map<std::string, std::size_t> by_method;
  std::chrono::microseconds target_time{0};  // summed libcurl durations
};

// How an IdP answers a 429 (Okta O24, Entra ID E21): wait as long as Retry-After says (or
// `default_wait` without one, never more than `max_wait`), then send the same request again, up
// to `max_retries` times; only the refused request waits.
struct RetryAfterPolicy {
  int max_retries = 10;
  std::chrono::milliseconds default_wait{1000};
  std::chrono::milliseconds max_wait{60000};
};

// Client options for an IdP: no User-Agent or Accept of the client's own, since each engine
// sends exactly the headers the IdP it plays sends.
scimclient::ClientOptions idp_client_options(std::string base_url);

class Runtime {
 public:
  Runtime(scimclient::Client& client, int concurrency);

  struct SendAwaiter {
    Runtime* runtime;
    scimclient::HttpRequestSpec request;
    scimclient::Exchange result;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> flow) { runtime->pending_.push_back({this, flow}); }
    scimclient::Exchange await_resume() { return std::move(result); }
  };
  struct SleepAwaiter {
    Runtime* runtime;
    std::chrono::steady_clock::time_point until;
    bool await_ready() const noexcept { return until <= std::chrono::steady_clock::now(); }
    void await_suspend(std::coroutine_handle<> flow) { runtime->sleepers_.push_back({until, flow}); }
    void await_resume() const noexcept {}
  };

  // co_await runtime.send(request) -> Exchange
  SendAwaiter send(scimclient::HttpRequestSpec request) { return SendAwaiter{this, std::move(request), {}}; }
  SleepAwaiter sleep_for(std::chrono::milliseconds duration) {
    return SleepAwaiter{this, std::chrono::steady_clock::now() + duration};
  }
  // Counts a request sent again after a 429 (for the report).
  void count_retry() { ++stats_.retries; }

  // Queues a flow; run() starts it.
  void spawn(Flow<void> flow) { flows_.push_back(std::move(flow)); }
  // Runs every queued flow to completion. Rethrows the first exception a flow ended with (a
  // harness bug; target misbehaviour is data in the Exchange, never an exception).
  void run();

  // While down, requests are not sent; they fail with `reason` as their transport error.
  void set_outage(bool down, std::string reason = {});
  bool outage() const { return outage_; }

  // Called for every exchange, in completion order (e.g. to write a wire log).
  void on_exchange(std::function<void(const scimclient::Exchange&)> observer) { observer_ = std::move(observer); }

  const WireStats& stats() const { return stats_; }
  scimclient::Client& client() { return client_; }
  int concurrency() const { return concurrency_; }

 private:
  struct Pending {
    SendAwaiter* awaiter;
    std::coroutine_handle<> flow;
  };
  struct Sleeper {
    std::chrono::steady_clock::time_point until;
    std::coroutine_handle<> flow;
  };
  void record(const scimclient::Exchange& exchange);
  void wake_sleepers(bool wait);

  scimclient::Client& client_;
  int concurrency_;
  std::vector<Flow<void>> flows_;
  std::deque<Pending> pending_;
  std::vector<Sleeper> sleepers_;
  bool outage_ = false;
  std::string outage_reason_;
  std::function<void(const scimclient::Exchange&)> observer_;
  WireStats stats_;
};

// Sends `request` through `runtime` as RetryAfterPolicy describes; the last exchange is the answer.
Flow<scimclient::Exchange> send_honouring_retry_after(Runtime& runtime, scimclient::HttpRequestSpec request,
                                                      RetryAfterPolicy policy);

}  // namespace sim
