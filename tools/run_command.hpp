#pragma once
// `scimulator run` as a function, so tests drive exactly what the CLI does.
#include "suites/runner/runner.hpp"
#include "tools/run_options.hpp"

#include <ostream>

namespace cli {

// Runs the selected cases, prints progress and the summary to `out`, writes results.json into
// options.out, and returns the exit code (0 acceptable, 1 failures, 2 harness error or nothing
// selected). Usage mistakes throw UsageError. When `summary` is given it receives the results.
int run(const RunOptions& options, std::ostream& out, suites::RunSummary* summary = nullptr);

}  // namespace cli
