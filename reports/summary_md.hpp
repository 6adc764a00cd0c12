#pragma once
// summary.md: a few lines for a CI job summary (GitHub's $GITHUB_STEP_SUMMARY, GitLab's
// description): the verdict, the counts, and the cases that need attention.
#include "reports/report_set.hpp"

#include <string>

namespace reports {

std::string summary_md(const ReportSet& set);

}  // namespace reports
