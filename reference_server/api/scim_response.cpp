#include "reference_server/api/scim_response.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace refserver {

transport::HttpResponse json_response(int status, std::string body) {
  transport::HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", scim_media_type);
  response.body = std::move(body);
  return response;
}

transport::HttpResponse json_response(int status, const nlohmann::json& body) {
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

transport::HttpResponse error_response(const scim::Error& error, const Faults& faults) {
  if (faults.empty()) return json_response(error.status(), scim::to_json(error));
  nlohmann::json body = scim::to_json(error);
  // Fault error-status-number: a server that serialises the HTTP status as the integer it is.
  if (faults.has(Fault::error_status_number)) body["status"] = error.status();
  // Fault error-plain-json: a server whose error path is a generic JSON error handler that knows
  // neither the SCIM media type nor the Error message schema.
  if (faults.has(Fault::error_plain_json)) {
    body.erase("schemas");
    transport::HttpResponse response = json_response(error.status(), body);
    for (auto& [name, value] : response.headers)
      if (name == "Content-Type") value = "application/json";
    return response;
  }
  return json_response(error.status(), body);
}

transport::HttpResponse empty_response(int status) {
  transport::HttpResponse response;
  response.status = status;
  return response;
}

std::string weak_etag(std::uint64_t version) { return "W/\"" + std::to_string(version) + "\""; }

std::string now_rfc3339() {
  auto now = std::chrono::system_clock::now();
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  // The date and time of day are formatted once per second and thread: glibc's gmtime_r takes a
  // process-wide lock, which every write's meta stamp was queueing on.
  thread_local std::time_t cached_second = -1;
  thread_local char prefix[24];  // "YYYY-MM-DDTHH:MM:SS."
  if (seconds != cached_second) {
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::snprintf(prefix, sizeof prefix, "%04d-%02d-%02dT%02d:%02d:%02d.", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    cached_second = seconds;
  }
  int ms = static_cast<int>(millis % 1000);
  std::string out(prefix);
  out += static_cast<char>('0' + ms / 100);
  out += static_cast<char>('0' + ms / 10 % 10);
  out += static_cast<char>('0' + ms % 10);
  out += 'Z';
  return out;
}

std::string new_resource_id() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uint64_t hi = engine(), lo = engine();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buffer[37];
  std::snprintf(buffer, sizeof buffer, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buffer;
}

}  // namespace refserver
