#pragma once
// The CI gate's two allowances, as connectrpc's conformance runner has them: a known-failures
// list (failures that may fail without failing the gate; a listed case that passes fails it as
// stale) and retries (a case that fails, then passes, is `flaky`: reported, never hidden).
#include "suites/runner/case.hpp"
#include "suites/runner/runner.hpp"

#include <filesystem>
#include <set>
#include <string>

namespace suites {

// One case id per line; '#' starts a comment; blank lines are ignored. Throws
// std::runtime_error naming the file and line for a line that is not a case id of `catalog`.
std::set<std::string> load_known_failures(const std::filesystem::path& file, const std::set<std::string>& catalog_ids);

// Marks each result listed in `known`: a fail (or a vendor rejection) becomes a known failure;
// an acceptable outcome marks the entry stale, unless the case is flaky (it failed in this run
// before a retry passed). Unsupported and blocked cases are neither.
void apply_known_failures(std::vector<CaseResult>& results, const std::set<std::string>& known);

// Reruns the cases that failed (and those they blocked) up to `retries` times; a case that then
// passes keeps its new result with `flaky` set and the number of attempts.
void retry_failures(RunSummary& summary, const CaseList& cases, RunEnvironment& environment,
                    const RunnerOptions& options, int retries);

}  // namespace suites
