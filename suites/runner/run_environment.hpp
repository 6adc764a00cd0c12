#pragma once
// What every case of one run shares: the client, the discovered target, the options, and the
// table of response rules observed across all exchanges (so a rule broken everywhere is one
// failure, not one per case).
#include "simulator/client/http_client.hpp"
#include "suites/runner/discovery.hpp"
#include "suites/validate/response_validator.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace suites {

struct RunSettings {
  bool keep = false;          // leave created resources in place (evidence for a bug report)
  bool allow_writes = false;  // permit writing cases against a target that is not on loopback
  bool target_is_loopback = true;
  bool strict = false;        // SHOULD misses fail (h2spec's --strict)
  std::chrono::milliseconds timeout{30000};
  std::string run_id;  // short, unique per run: namespaces every name a case creates
  // The target's admin API (tokens, roles, audit), for the clickhouse cases; empty when unknown.
  std::string admin_url;
  std::string admin_token;
};

// One exchange in which a response rule held or broke.
struct RuleObservation {
  int seen = 0;
  std::vector<Finding> findings;         // the first few, as evidence
  std::vector<std::string> where;        // "<case id> exchange #n" for each finding kept
  std::vector<scimclient::Exchange> evidence;
  int broken = 0;
};

class RunEnvironment {
 public:
  RunEnvironment(scimclient::Client& client, Discovery discovery, RunSettings settings);

  scimclient::Client& client() { return client_; }
  const Discovery& discovery() const { return discovery_; }
  const RunSettings& settings() const { return settings_; }
  const ValidationContext& validation() const { return validation_; }

  // Judges one response against every response rule and records what held and what broke.
  // Returns the findings so the case can show them beside its own checks.
  std::vector<Finding> observe(const scimclient::Exchange& exchange, const std::string& case_id, int index);
  std::map<std::string, RuleObservation> observations() const;

 private:
  scimclient::Client& client_;
  Discovery discovery_;
  RunSettings settings_;
  ValidationContext validation_;
  mutable std::mutex mutex_;
  std::map<std::string, RuleObservation> observations_;
};

}  // namespace suites
