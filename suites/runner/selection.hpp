#pragma once
// Which cases a run includes: by profile, id prefix (h2spec's `http2/6.5`) and keyword or
// `!keyword` (curl's test selection). Prerequisites of a selected case come along, since a
// case cannot be judged without them.
#include "suites/runner/case.hpp"

#include <string>
#include <vector>

namespace suites {

struct Selection {
  std::string profile = "all";         // rfc | okta-spec | entra-validator | clickhouse | all
  std::vector<std::string> prefixes;   // any matches; empty selects all
  std::vector<std::string> keywords;   // "K" must be present, "!K" must be absent; all must hold
};

bool matches_selection(const CaseInfo& info, const Selection& selection);

// The selected cases plus their prerequisites, in an order where every case comes after the
// cases it depends on (catalog order otherwise). Throws std::invalid_argument on a dependency
// on an unknown case or a cycle, naming it.
CaseList select_cases(const CaseList& catalog, const Selection& selection);

const std::vector<std::string>& known_profiles();

}  // namespace suites
