#pragma once
// Runs selected cases against one target: prerequisites first, up to N cases at a time, each
// graded from its checks, cascades collapsed to their root cause, and the response rules that
// judged every exchange turned into cases of their own.
#include "suites/runner/case.hpp"
#include "suites/runner/case_result.hpp"
#include "suites/runner/run_environment.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace suites {

struct RunnerOptions {
  int concurrency = 4;
  // Called as each case finishes (progress on the terminal); serialized by the runner.
  std::function<void(const CaseResult&)> on_result;
};

struct RunSummary {
  std::vector<CaseResult> results;  // in the order the cases were selected
  std::chrono::system_clock::time_point started;
  std::chrono::milliseconds duration{0};

  int count(Outcome outcome) const;
  // Cases whose vendor (Okta, Entra ID) would reject the server's answer.
  int vendor_rejections() const;
  // 0 every case acceptable, 1 a failure or a vendor rejection, 2 a harness error or nothing
  // selected.
  int exit_code() const;
};

// The verdict from a finished case's checks. MUST misses fail, SHOULD misses are non_strict
// (fail when `strict`), MAY misses informational; vendor checks decide only the vendor verdict.
void grade(CaseResult& result, bool strict);

// `cases` must come from select_cases (prerequisites before dependants).
RunSummary run_cases(const CaseList& cases, RunEnvironment& environment, const RunnerOptions& options);

// Results for the response rules (validate/response_rules.hpp) among `rule_cases`, from what
// the environment observed across the whole run.
std::vector<CaseResult> rule_results(const std::vector<CaseInfo>& rule_cases, const RunEnvironment& environment,
                                     bool strict);

}  // namespace suites
