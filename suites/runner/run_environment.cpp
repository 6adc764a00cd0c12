#include "suites/runner/run_environment.hpp"

namespace suites {

namespace {
constexpr std::size_t kEvidencePerRule = 3;
}

RunEnvironment::RunEnvironment(scimclient::Client& client, Discovery discovery, RunSettings settings)
    : client_(client), discovery_(std::move(discovery)), settings_(std::move(settings)) {
  validation_.schemas = discovery_.registry.get();
  validation_.base_url = client_.options().base_url;
  validation_.etag_supported = discovery_.has("etag");
  // Fallback RFC schemas cannot say which extensions the target defines.
  validation_.schemas_declared_by_target = discovery_.registry_from_target;
}

std::vector<Finding> RunEnvironment::observe(const scimclient::Exchange& exchange, const std::string& case_id,
                                             int index) {
  if (!exchange.ok()) return {};
  std::vector<Finding> findings = validate_exchange(exchange, validation_);
  std::lock_guard lock(mutex_);
  // Every rule counts as seen once the validator looked at an exchange; which rules actually
  // applied is not reported by the validator, so "seen" is the number of exchanges judged.
  for (const auto& finding : findings) {
    auto& rule = observations_[finding.rule];
    ++rule.broken;
    if (rule.findings.size() < kEvidencePerRule) {
      rule.findings.push_back(finding);
      rule.where.push_back(case_id + " exchange #" + std::to_string(index + 1));
      rule.evidence.push_back(exchange);
    }
  }
  ++observations_["*"].seen;
  return findings;
}

std::map<std::string, RuleObservation> RunEnvironment::observations() const {
  std::lock_guard lock(mutex_);
  return observations_;
}

}  // namespace suites
