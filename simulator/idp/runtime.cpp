#include "simulator/idp/runtime.hpp"

#include "simulator/idp/scim_json.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace sim {

scimclient::ClientOptions idp_client_options(std::string base_url) {
  scimclient::ClientOptions options;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  options.base_url = std::move(base_url);
  options.user_agent.clear();
  options.accept.clear();
  return options;
}

Runtime::Runtime(scimclient::Client& client, int concurrency) : client_(client), concurrency_(std::max(1, concurrency)) {}

void Runtime::set_outage(bool down, std::string reason) {
  outage_ = down;
  outage_reason_ = reason.empty() ? "simulated outage window: the target is unreachable" : std::move(reason);
}

void Runtime::record(const scimclient::Exchange& exchange) {
  ++stats_.requests;
  ++stats_.by_method[exchange.request.method];
  if (!exchange.ok()) {
    ++stats_.transport_errors;
  } else {
    ++stats_.by_status[exchange.status];
    if (exchange.status == 429) ++stats_.throttled;
  }
  stats_.target_time += exchange.duration;
  if (observer_) observer_(exchange);
}

void Runtime::wake_sleepers(bool wait) {
  if (sleepers_.empty()) return;
  if (wait) {
    auto earliest = std::min_element(sleepers_.begin(), sleepers_.end(),
                                     [](const Sleeper& a, const Sleeper& b) { return a.until < b.until; });
    std::this_thread::sleep_until(earliest->until);
  }
  auto now = std::chrono::steady_clock::now();
  std::vector<std::coroutine_handle<>> due;
  auto split = std::partition(sleepers_.begin(), sleepers_.end(), [&](const Sleeper& s) { return s.until > now; });
  for (auto it = split; it != sleepers_.end(); ++it) due.push_back(it->flow);
  sleepers_.erase(split, sleepers_.end());
  for (auto flow : due) flow.resume();
}

void Runtime::run() {
  std::vector<Flow<void>> flows = std::move(flows_);
  flows_.clear();
  for (auto& flow : flows) flow.handle().resume();
  while (!pending_.empty() || !sleepers_.empty()) {
    if (pending_.empty()) {
      wake_sleepers(true);
      continue;
    }
    if (outage_) {
      // Nothing reaches the target: every waiting request fails as a refused connection would.
      std::deque<Pending> batch = std::move(pending_);
      pending_.clear();
      for (auto& item : batch) {
        scimclient::Exchange failed;
        failed.request = item.awaiter->request;
        failed.request.url = client_.resolve(failed.request.url);
        failed.transport_error = outage_reason_;
        ++stats_.outage_failures;
        record(failed);
        item.awaiter->result = std::move(failed);
      }
      for (auto& item : batch) item.flow.resume();
      wake_sleepers(false);
      continue;
    }
    // Each answer resumes its flow at once, and the flow's next request joins the stream while
    // the others are still in flight: at most `concurrency_` requests, never idle waiting for the
    // slowest of a round. Requests start in the order flows asked, so per-object order holds.
    std::unordered_map<std::size_t, Pending> in_flight;
    std::size_t given = 0;
    client_.stream(
        concurrency_,
        [&]() -> std::optional<scimclient::HttpRequestSpec> {
          if (pending_.empty()) return std::nullopt;
          Pending item = pending_.front();
          pending_.pop_front();
          in_flight.emplace(given++, item);
          return item.awaiter->request;
        },
        [&](std::size_t sequence, scimclient::Exchange exchange) {
          auto it = in_flight.find(sequence);
          Pending item = it->second;
          in_flight.erase(it);
          record(exchange);
          item.awaiter->result = std::move(exchange);
          item.flow.resume();
          wake_sleepers(false);
        });
  }
  for (auto& flow : flows) {
    if (!flow.done()) throw std::logic_error("a simulator flow stopped without finishing (nothing left to wait for)");
    if (flow.handle().promise().error) std::rethrow_exception(flow.handle().promise().error);
  }
}

Flow<scimclient::Exchange> send_honouring_retry_after(Runtime& runtime, scimclient::HttpRequestSpec request,
                                                      RetryAfterPolicy policy) {
  for (int attempt = 0;; ++attempt) {
    scimclient::Exchange exchange = co_await runtime.send(request);
    if (exchange.ok() && exchange.status == 429 && attempt < policy.max_retries) {
      std::chrono::milliseconds wait = std::min(retry_after(exchange, policy.default_wait), policy.max_wait);
      runtime.count_retry();
      co_await runtime.sleep_for(wait);
      continue;
    }
    co_return exchange;
  }
}

}  // namespace sim
