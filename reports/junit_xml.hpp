#pragma once
// junit.xml as CI systems read it (Jenkins, GitLab, GitHub test reporters): a testsuite per RFC
// section or vendor profile, a testcase per case. fail → <failure>, error → <error>;
// unsupported, informational, blocked and known failures → <skipped> with the reason; a missed
// SHOULD passes, with the miss in <system-out>, as it does not fail the gate.
#include "reports/report_set.hpp"

#include <string>

namespace reports {

std::string junit_xml(const ReportSet& set);

// The suite a case belongs to: "RFC 7644 §3.4.2.2" for RFC cases, the profile otherwise.
std::string suite_of(const nlohmann::json& index_line);

}  // namespace reports
