#pragma once
// Graded verdicts in the manner of Autobahn|Testsuite: a server is not simply right or wrong,
// and a CI gate needs to know which misses are failures.
#include <optional>
#include <string_view>

namespace suites {

enum class Outcome {
  pass,
  fail,           // a MUST broken, or an advertised feature broken
  non_strict,     // a SHOULD missed (fail under --strict)
  informational,  // a MAY, or a documented conflict where either behaviour is accepted
  unsupported,    // declared absent by the target (ServiceProviderConfig, ResourceTypes, Schemas)
  blocked,        // a prerequisite did not hold; the result names it
  error,          // the harness itself failed (bad fixture, refused connection)
};

std::string_view to_string(Outcome outcome);
std::optional<Outcome> outcome_from_string(std::string_view text);

// Whether a case with this outcome lets the CI gate pass. `blocked` does: its root cause is a
// failed case (which fails the gate itself) or a refusal the user chose (e.g. no --allow-writes).
bool acceptable(Outcome outcome);

}  // namespace suites
