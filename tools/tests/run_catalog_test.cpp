// The harness tested both ways: the whole catalog against the clean reference server raises
// nothing, and against each deliberate defect (serve --fault) at least one case fails citing
// the RFC section the defect breaks.
#include "reference_server/api/faults.hpp"
#include "tools/run_command.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

namespace {

cli::RunOptions options_for(const std::string& name, std::vector<std::string> faults = {}) {
  cli::RunOptions options;
  options.out = (std::filesystem::temp_directory_path() / ("scimulator-run-test-" + name)).string();
  options.server_faults = std::move(faults);
  options.quiet = true;
  return options;
}

// "RFC 7644 §3.4.2" names the same place as "RFC 7644 §3.4.2.4" (a subsection) and vice versa.
bool same_section(const std::string& a, const std::string& b) {
  const std::string& shorter = a.size() <= b.size() ? a : b;
  const std::string& longer = a.size() <= b.size() ? b : a;
  if (longer.compare(0, shorter.size(), shorter) != 0) return false;
  return longer.size() == shorter.size() || longer[shorter.size()] == '.';
}

// "RFC 7643 §4.1.1 (…); RFC 7644 §3.9, §3.4.2.5" → {"RFC 7643 §4.1.1", "RFC 7644 §3.9", "RFC 7644 §3.4.2.5"}.
std::vector<std::string> citations_in(const std::string& text) {
  std::vector<std::string> found;
  std::string rfc;
  static const std::regex token(R"(RFC (\d+)|§([0-9][0-9.]*[0-9]|[0-9]))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), token); it != std::sregex_iterator(); ++it) {
    if ((*it)[1].matched) rfc = (*it)[1].str();
    else if (!rfc.empty()) found.push_back("RFC " + rfc + " §" + (*it)[2].str());
  }
  return found;
}

TEST(RunCatalog, CleanReferenceServerRaisesNothing) {
  std::ostringstream out;
  suites::RunSummary summary;
  int code = cli::run(options_for("clean"), out, &summary);
  std::string problems;
  for (const auto& result : summary.results) {
    bool fine = result.outcome == suites::Outcome::pass || result.outcome == suites::Outcome::informational ||
                (result.outcome == suites::Outcome::unsupported && !result.reason.empty());
    if (result.vendor_verdict && !result.vendor_verdict->accepted) fine = false;
    if (!fine) problems += "\n  " + std::string(to_string(result.outcome)) + " " + result.info.id + ": " + result.reason;
  }
  EXPECT_EQ(problems, "");
  EXPECT_EQ(code, 0) << out.str();
  EXPECT_GE(summary.results.size(), 150u);
}

}  // namespace

namespace refserver {
// Test names and failure messages show the fault's name, not its bytes.
void PrintTo(const FaultInfo& fault, std::ostream* out) { *out << fault.name; }
}  // namespace refserver

namespace {

class RunCatalogAgainstFault : public testing::TestWithParam<refserver::FaultInfo> {};

TEST_P(RunCatalogAgainstFault, IsCaughtCitingTheBrokenSection) {
  const refserver::FaultInfo& fault = GetParam();
  std::ostringstream out;
  suites::RunSummary summary;
  int code = cli::run(options_for(fault.name, {fault.name}), out, &summary);
  EXPECT_EQ(code, 1) << "fault " << fault.name << " went unnoticed:\n" << out.str();
  std::vector<std::string> cited;
  bool named = false;
  for (const auto& result : summary.results) {
    bool rejected = result.vendor_verdict && !result.vendor_verdict->accepted;
    if (result.outcome != suites::Outcome::fail && result.outcome != suites::Outcome::non_strict && !rejected) continue;
    for (const auto& check : result.checks)
      if (!check.passed && (!check.vendor || rejected)) {
        cited.push_back(result.info.id + " → " + check.citation);
        for (const auto& section : citations_in(fault.rfc_section))
          named = named || same_section(check.citation, section);
      }
  }
  EXPECT_TRUE(named) << "fault " << fault.name << " breaks " << fault.rfc_section << " but the failures cite:\n"
                     << testing::PrintToString(cited);
}

std::string fault_name(const testing::TestParamInfo<refserver::FaultInfo>& info) {
  std::string name;
  for (char c : info.param.name) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryKnownFault, RunCatalogAgainstFault, testing::ValuesIn(refserver::known_faults()),
                         fault_name);

}  // namespace
