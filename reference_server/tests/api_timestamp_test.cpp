// meta.created and meta.lastModified (RFC 7643 §3.1) come from now_rfc3339(), which formats the
// date and time of day once per second and thread: these tests hold it to the clock.
#include "reference_server/api/scim_response.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <string>
#include <thread>

namespace {

using Clock = std::chrono::system_clock;

// Milliseconds since the epoch of "YYYY-MM-DDTHH:MM:SS.mmmZ".
long long parse_millis(const std::string& text) {
  std::tm utc{};
  int ms = 0;
  EXPECT_EQ(std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
                        &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &ms),
            7)
      << text;
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  return static_cast<long long>(timegm(&utc)) * 1000 + ms;
}

long long now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

TEST(Rfc7643_3_1_Meta, TimestampIsUtcWithMillisecondsAndReadsTheClock) {
  long long before = now_millis();
  std::string stamp = refserver::now_rfc3339();
  long long after = now_millis();

  EXPECT_TRUE(std::regex_match(stamp, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"))) << stamp;
  long long at = parse_millis(stamp);
  EXPECT_GE(at, before);
  EXPECT_LE(at, after);
}

TEST(Rfc7643_3_1_Meta, TimestampFollowsTheClockAcrossSeconds) {
  // Three stamps a little over a second apart: each must carry its own second, not a cached one.
  for (int i = 0; i < 3; ++i) {
    long long before = now_millis();
    std::string stamp = refserver::now_rfc3339();
    long long after = now_millis();
    long long at = parse_millis(stamp);
    EXPECT_GE(at, before) << stamp;
    EXPECT_LE(at, after) << stamp;
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  }
}

TEST(Rfc7643_3_1_Meta, EachThreadStampsTheSameClock) {
  std::string other;
  long long before = now_millis();
  std::thread thread([&] { other = refserver::now_rfc3339(); });
  thread.join();
  long long after = now_millis();
  long long at = parse_millis(other);
  EXPECT_GE(at, before) << other;
  EXPECT_LE(at, after) << other;
}

}  // namespace
