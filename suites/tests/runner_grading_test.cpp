// Autobahn-style graded verdicts: a broken MUST fails, a SHOULD is non_strict (fail under
// --strict), a MAY informational; vendor checks only decide the vendor verdict; a case that
// checked nothing is a harness error, never a pass. Exit codes follow h2spec.
#include "suites/runner/runner.hpp"

#include <gtest/gtest.h>

namespace suites {
namespace {

CheckResult check(bool passed, Level level, bool vendor = false) {
  CheckResult c;
  c.what = "status";
  c.passed = passed;
  c.level = level;
  c.expected = "201";
  c.actual = passed ? "201" : "200";
  c.citation = "RFC 7644 §3.3";
  c.vendor = vendor;
  return c;
}

CaseResult with(std::vector<CheckResult> checks, std::string vendor = {}) {
  CaseResult r;
  r.info.id = "x/1/y";
  r.info.vendor = std::move(vendor);
  r.checks = std::move(checks);
  return r;
}

TEST(Grading, MustMissFails) {
  auto r = with({check(true, Level::must), check(false, Level::must)});
  grade(r, false);
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_NE(r.reason.find("RFC 7644 §3.3"), std::string::npos);
}

TEST(Grading, ShouldMissIsNonStrictUnlessStrict) {
  auto r = with({check(false, Level::should)});
  grade(r, false);
  EXPECT_EQ(r.outcome, Outcome::non_strict);
  grade(r, true);
  EXPECT_EQ(r.outcome, Outcome::fail);
}

TEST(Grading, MayMissIsInformational) {
  auto r = with({check(false, Level::may)});
  grade(r, false);
  EXPECT_EQ(r.outcome, Outcome::informational);
}

TEST(Grading, WorstMissWins) {
  auto r = with({check(false, Level::may), check(false, Level::must), check(false, Level::should)});
  grade(r, false);
  EXPECT_EQ(r.outcome, Outcome::fail);
}

TEST(Grading, VendorChecksMakeOnlyTheVendorVerdict) {
  auto r = with({check(true, Level::must), check(false, Level::must, true)}, "Okta");
  grade(r, false);
  EXPECT_EQ(r.outcome, Outcome::pass);
  ASSERT_TRUE(r.vendor_verdict.has_value());
  EXPECT_FALSE(r.vendor_verdict->accepted);
  EXPECT_EQ(r.vendor_verdict->vendor, "Okta");
}

TEST(Grading, NoCheckIsAHarnessError) {
  auto r = with({});
  grade(r, false);
  EXPECT_EQ(r.outcome, Outcome::error);
}

TEST(ExitCode, FollowsTheWorstOutcomeAndAnEmptyRunFails) {
  RunSummary summary;
  EXPECT_EQ(summary.exit_code(), 2);  // nothing selected must never pass a gate
  CaseResult pass;
  pass.outcome = Outcome::pass;
  summary.results = {pass};
  EXPECT_EQ(summary.exit_code(), 0);
  CaseResult non_strict;
  non_strict.outcome = Outcome::non_strict;
  summary.results.push_back(non_strict);
  EXPECT_EQ(summary.exit_code(), 0);
  CaseResult fail;
  fail.outcome = Outcome::fail;
  summary.results.push_back(fail);
  EXPECT_EQ(summary.exit_code(), 1);
  CaseResult error;
  error.outcome = Outcome::error;
  summary.results.push_back(error);
  EXPECT_EQ(summary.exit_code(), 2);
}

TEST(ExitCode, AVendorRejectionFailsTheGateWithoutChangingTheOutcome) {
  auto r = with({check(true, Level::must), check(false, Level::must, true)}, "Entra ID");
  grade(r, false);
  RunSummary summary;
  summary.results = {r};
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(summary.vendor_rejections(), 1);
  EXPECT_EQ(summary.exit_code(), 1);
}

}  // namespace
}  // namespace suites
