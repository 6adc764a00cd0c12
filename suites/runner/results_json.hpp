#pragma once
// The results of a run as JSON (results.json in --out): run metadata, per-case outcome with
// its checks and the redacted wire log. Keys are sorted so two runs diff cleanly.
#include "suites/runner/catalog.hpp"
#include "suites/runner/runner.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace suites {

struct RunMetadata {
  std::string target;
  std::string profile;
  std::string catalog_checksum;
  std::string harness_version;
  bool embedded = false;
  std::vector<std::string> discovery_notes;
};

nlohmann::json case_to_json(const CaseResult& result, const std::vector<std::string>& secrets);
nlohmann::json run_to_json(const RunSummary& summary, const RunMetadata& metadata,
                           const std::vector<std::string>& secrets);

// "2026-11-23T16:29:12Z"
std::string iso_time(std::chrono::system_clock::time_point when);

// Every occurrence of a secret (the --auth token or password, --admin-token) replaced by "***",
// as are the string values of JSON "password" members and the userinfo of URLs
// (http://***@host). Headers are also passed through scimclient::redact_header.
std::string redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace suites
