#pragma once
// junit.xml as CI systems read it (Jenkins, GitLab, GitHub test reporters): a testsuite per RFC
// section or vendor profile, a testcase per case with at most one result element, chosen as the
// run's exit code counts the case (reports::gate_effect): fail, a vendor rejection and a stale
// known failure → <failure>; error → <error>; unsupported, informational, blocked and known
// failures → <skipped> with the reason; a missed SHOULD and a flaky case pass, noted in
// <system-out>. A simulation adds a "simulate" suite whose convergence test fails on drift.
// The mapping is documented in docs/reports.md.
#include "reports/report_set.hpp"

#include <string>

namespace reports {

std::string junit_xml(const ReportSet& set);

// The suite a case belongs to: "RFC 7644 §3.4.2.2" for RFC cases, the profile otherwise.
std::string suite_of(const nlohmann::json& index_line);

}  // namespace reports
