#pragma once
// What running one case produced: its verdicts, every check with expected and actual, and the
// whole wire log, so a reader can see why without running it again.
#include "simulator/client/exchange.hpp"
#include "suites/catalog/case_info.hpp"
#include "suites/runner/outcome.hpp"

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace suites {

struct CheckResult {
  std::string what;  // "POST /Users answers 201"
  bool passed = false;
  Level level = Level::must;
  std::string citation;  // "RFC 7644 §3.3"
  std::string expected;
  std::string actual;
  int exchange = -1;     // index into CaseResult::exchanges, -1 when not about one exchange
  bool vendor = false;   // the vendor's own assertion: counts toward the vendor verdict only
};

// A vendor's verdict beside the RFC one: would this IdP's own check accept the server?
struct VendorVerdict {
  std::string vendor;  // "Okta", "Entra ID"
  bool accepted = true;
  std::string note;
};

struct CaseResult {
  CaseInfo info;
  Outcome outcome = Outcome::pass;
  std::string reason;      // one line: why this outcome (the first failed check, the missing capability…)
  std::string blocked_by;  // for `blocked`: the root cause, a case id or a refused precondition
  std::vector<CheckResult> checks;
  // A deque so references a case holds to earlier exchanges stay valid as it sends more.
  std::deque<scimclient::Exchange> exchanges;
  std::optional<VendorVerdict> vendor_verdict;
  std::vector<std::string> notes;  // observations that change no verdict
  std::chrono::milliseconds duration{0};
  // The CI gate (run --known-failures, --retries; suites/runner/gate.hpp): a failure listed as
  // known does not fail the gate; a listed case that now passes does, as stale; a case that
  // failed and then passed on a retry is flaky, reported and not hidden.
  bool known_failure = false;
  bool stale_known_failure = false;
  int attempts = 1;
  bool flaky = false;
};

}  // namespace suites
