#include "simulator/idp/runtime.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

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
    if (!pending_.empty()) {
      std::vector<Pending> batch = std::move(pending_);
      pending_.clear();
      std::vector<scimclient::Exchange> results;
      if (outage_) {
        results.resize(batch.size());
        for (std::size_t i = 0; i < batch.size(); ++i) {
          results[i].request = batch[i].awaiter->request;
          results[i].request.url = client_.resolve(results[i].request.url);
          results[i].transport_error = outage_reason_;
          ++stats_.outage_failures;
        }
      } else {
        std::vector<scimclient::HttpRequestSpec> requests;
        requests.reserve(batch.size());
        for (const auto& item : batch) requests.push_back(item.awaiter->request);
        results = client_.send_all(std::move(requests), concurrency_);
      }
      for (std::size_t i = 0; i < batch.size(); ++i) {
        record(results[i]);
        batch[i].awaiter->result = std::move(results[i]);
      }
      for (auto& item : batch) item.flow.resume();
      wake_sleepers(false);
    } else {
      wake_sleepers(true);
    }
  }
  for (auto& flow : flows) {
    if (!flow.done()) throw std::logic_error("a simulator flow stopped without finishing (nothing left to wait for)");
    if (flow.handle().promise().error) std::rethrow_exception(flow.handle().promise().error);
  }
}

}  // namespace sim
