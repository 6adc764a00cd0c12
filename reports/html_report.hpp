#pragma once
// report.html: one self-contained file (no external assets, works offline, prints cleanly):
// the verdict, a compliance matrix by RFC section with MUST and SHOULD pass rates, and every
// case with its quoted requirement, expected versus actual, hint and wire log. Filters by
// outcome, profile and section; the URL fragment (#outcome=fail&profile=rfc) selects them too.
#include "reports/report_set.hpp"

#include <string>

namespace reports {

std::string html_report(const ReportSet& set);

// &, <, >, " and ' as entities.
std::string escape_html(const std::string& text);

}  // namespace reports
