#include "suites/runner/results_json.hpp"

#include <cctype>
#include <iomanip>
#include <string_view>
#include <sstream>

namespace suites {

std::string iso_time(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::ostringstream out;
  out << std::put_time(&utc, "%Y-%m-%dT%H:%M:%SZ");
  return out.str();
}

namespace {

nlohmann::json exchange_to_json(const scimclient::Exchange& exchange, const std::vector<std::string>& secrets) {
  nlohmann::json request_headers = nlohmann::json::array(), response_headers = nlohmann::json::array();
  for (const auto& [name, value] : exchange.request.headers)
    request_headers.push_back({name, redact(scimclient::redact_header(name, value), secrets)});
  for (const auto& [name, value] : exchange.response_headers)
    response_headers.push_back({name, redact(scimclient::redact_header(name, value), secrets)});
  nlohmann::json out{
      {"request",
       {{"method", exchange.request.method},
        {"url", redact(exchange.request.url, secrets)},
        {"headers", request_headers},
        {"body", redact(exchange.request.body, secrets)}}},
      {"response", {{"status", exchange.status}, {"headers", response_headers}, {"body", redact(exchange.response_body, secrets)}}},
      {"duration_us", exchange.duration.count()},
  };
  if (!exchange.transport_error.empty()) out["transport_error"] = exchange.transport_error;
  return out;
}

}  // namespace

namespace {

bool iequals_at(const std::string& text, std::size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  return true;
}

// The string values of JSON members named "password" (any case) become "***": the harness sends
// passwords in its payloads (Okta always does, O4) and a server that echoes one must not leak it
// into a report. Works on text, so a body that is not valid JSON is still covered.
void redact_password_members(std::string& text) {
  static constexpr std::string_view kName = "\"password\"";
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (!iequals_at(text, at, kName)) continue;
    std::size_t i = at + kName.size();
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size() || text[i] != ':') continue;
    ++i;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size() || text[i] != '"') continue;
    std::size_t end = i + 1;
    while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
    if (end >= text.size()) end = text.size() - 1;
    text.replace(i, end - i + 1, "\"***\"");
    at = i + 4;
  }
}

// http://user:secret@host/… → http://***@host/…
void redact_userinfo(std::string& text) {
  for (std::size_t at = text.find("://"); at != std::string::npos; at = text.find("://", at + 3)) {
    std::size_t start = at + 3;
    std::size_t end = text.find_first_of("/?# \t\r\n\"'<>", start);
    std::size_t userinfo = text.rfind('@', end == std::string::npos ? text.size() : end);
    if (userinfo == std::string::npos || userinfo < start) continue;
    if (text.compare(start, userinfo - start, "***") != 0) text.replace(start, userinfo - start, "***");
  }
}

}  // namespace

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.size() < 4) continue;  // too short to tell from ordinary text
    for (std::size_t at; (at = text.find(secret)) != std::string::npos;) text.replace(at, secret.size(), "***");
  }
  redact_password_members(text);
  redact_userinfo(text);
  return text;
}

nlohmann::json case_to_json(const CaseResult& result, const std::vector<std::string>& secrets) {
  const CaseInfo& info = result.info;
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& check : result.checks)
    checks.push_back({{"what", redact(check.what, secrets)},
                      {"passed", check.passed},
                      {"level", std::string(to_string(check.level))},
                      {"citation", check.citation},
                      {"expected", redact(check.expected, secrets)},
                      {"actual", redact(check.actual, secrets)},
                      {"exchange", check.exchange},
                      {"vendor", check.vendor}});
  nlohmann::json wire = nlohmann::json::array();
  for (const auto& exchange : result.exchanges) wire.push_back(exchange_to_json(exchange, secrets));
  nlohmann::json out{
      {"id", info.id},
      {"title", info.title},
      {"profile", info.profile},
      {"spec",
       {{"document", info.spec.document},
        {"section", info.spec.section},
        {"level", std::string(to_string(info.spec.level))},
        {"quote", info.spec.quote},
        {"citation", info.spec.citation()}}},
      {"keywords", info.keywords},
      {"requires", info.requires_capabilities},
      {"depends_on", info.depends_on},
      {"hint", info.hint},
      {"source", info.source},
      {"outcome", std::string(to_string(result.outcome))},
      {"reason", redact(result.reason, secrets)},
      {"checks", checks},
      {"notes", result.notes},
      {"duration_ms", result.duration.count()},
      {"exchanges", wire},
  };
  if (!result.blocked_by.empty()) out["blocked_by"] = result.blocked_by;
  if (result.known_failure) out["known_failure"] = true;
  if (result.stale_known_failure) out["stale_known_failure"] = true;
  if (result.attempts > 1) out["attempts"] = result.attempts;
  if (result.flaky) out["flaky"] = true;
  if (result.vendor_verdict)
    out["vendor_verdict"] = {{"vendor", result.vendor_verdict->vendor},
                             {"accepted", result.vendor_verdict->accepted},
                             {"note", redact(result.vendor_verdict->note, secrets)}};
  return out;
}

nlohmann::json run_to_json(const RunSummary& summary, const RunMetadata& metadata,
                           const std::vector<std::string>& secrets) {
  nlohmann::json counts = nlohmann::json::object();
  for (Outcome outcome : {Outcome::pass, Outcome::fail, Outcome::non_strict, Outcome::informational,
                          Outcome::unsupported, Outcome::blocked, Outcome::error})
    counts[std::string(to_string(outcome))] = summary.count(outcome);
  nlohmann::json cases = nlohmann::json::array();
  nlohmann::json known = nlohmann::json::array(), stale = nlohmann::json::array(), flaky = nlohmann::json::array();
  for (const auto& result : summary.results) {
    cases.push_back(case_to_json(result, secrets));
    if (result.known_failure) known.push_back(result.info.id);
    if (result.stale_known_failure) stale.push_back(result.info.id);
    if (result.flaky) flaky.push_back(result.info.id);
  }
  return {{"format", "scimulator-results"},
          {"format_version", 1},
          {"run",
           {{"target", redact(metadata.target, secrets)},
            {"embedded", metadata.embedded},
            {"profile", metadata.profile},
            {"catalog_checksum", metadata.catalog_checksum},
            {"harness_version", metadata.harness_version},
            {"started", iso_time(summary.started)},
            {"duration_ms", summary.duration.count()},
            {"discovery_notes", metadata.discovery_notes}}},
          {"counts", counts},
          {"exit_code", summary.exit_code()},
          {"gate", {{"known_failures", known}, {"stale_known_failures", stale}, {"flaky", flaky}}},
          {"cases", cases}};
}

}  // namespace suites
