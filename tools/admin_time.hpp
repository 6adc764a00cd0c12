#pragma once
// Times and durations as an operator types them on the admin command line.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace cli {

// "365d", "12h", "30m", "45s" or plain seconds; throws UsageError naming `flag` otherwise.
std::int64_t parse_duration(const std::string& text, const std::string& flag);
// Unix seconds, an RFC 3339 UTC time ("2026-11-23T10:00:00Z"), or an age before `now` ("2h").
std::int64_t parse_time(const std::string& text, std::int64_t now);
// Unix seconds as "2026-11-23T10:00:00Z"; "-" for 0.
std::string format_time(const nlohmann::json& unix_seconds);

}  // namespace cli
