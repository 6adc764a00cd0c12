#include "simulator/lifecycle/virtual_clock.hpp"

#include <thread>

namespace sim {

void VirtualClock::advance_to(std::int64_t minute) {
  if (minute <= now_) return;
  now_ = minute;
  if (real_time_) std::this_thread::sleep_until(started_ + std::chrono::minutes(minute));
}

}  // namespace sim
