#include "tools/admin_time.hpp"

#include "tools/commands.hpp"

#include <ctime>

namespace cli {

namespace {

bool all_digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::int64_t parse_duration(const std::string& text, const std::string& flag) {
  if (all_digits(text) && text.size() < 12) return std::stoll(text);
  std::string number = text.substr(0, text.empty() ? 0 : text.size() - 1);
  if (all_digits(number) && number.size() < 10) {
    std::int64_t value = std::stoll(number);
    switch (text.back()) {
      case 'd': return value * 86400;
      case 'h': return value * 3600;
      case 'm': return value * 60;
      case 's': return value;
    }
  }
  throw UsageError(flag + " " + text + " is not a duration; write e.g. 365d, 12h, 30m or a number of seconds");
}

std::int64_t parse_time(const std::string& text, std::int64_t now) {
  if (all_digits(text) && text.size() < 12) return std::stoll(text);
  std::tm tm{};
  if (const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm); end && (*end == 'Z' || *end == '\0'))
    return static_cast<std::int64_t>(timegm(&tm));
  try {
    return now - parse_duration(text, "--since");
  } catch (const UsageError&) {
    throw UsageError("--since " + text + " is not a time; write Unix seconds, 2026-11-23T10:00:00Z, or an age like 2h or 7d");
  }
}

std::string format_time(const nlohmann::json& unix_seconds) {
  std::int64_t value = unix_seconds.is_number_integer() ? unix_seconds.get<std::int64_t>() : 0;
  if (value == 0) return "-";
  std::time_t time = static_cast<std::time_t>(value);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace cli
