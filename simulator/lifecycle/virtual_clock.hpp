#pragma once
// Simulated time in minutes. By default time jumps: a 30-day lifecycle with a cycle every 40
// minutes runs as fast as the target answers. In real-time mode advancing waits for the wall
// clock, for watching a target live.
#include <chrono>
#include <cstdint>

namespace sim {

class VirtualClock {
 public:
  explicit VirtualClock(bool real_time = false) : real_time_(real_time), started_(std::chrono::steady_clock::now()) {}

  std::int64_t now() const { return now_; }
  bool real_time() const { return real_time_; }
  // Moves to `minute` (never backwards); in real-time mode sleeps until that minute has passed
  // since the clock was made.
  void advance_to(std::int64_t minute);

 private:
  bool real_time_;
  std::chrono::steady_clock::time_point started_;
  std::int64_t now_ = 0;
};

}  // namespace sim
