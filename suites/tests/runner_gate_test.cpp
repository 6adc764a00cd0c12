// The CI gate's allowances on synthetic cases (no target needed): retries turn a case that
// fails and then passes into `flaky` and keep a steady failure failing; a known-failures list
// excuses listed failures and fails the gate on listed cases that pass.
#include "scim/schema.hpp"
#include "suites/runner/case_context.hpp"
#include "suites/runner/gate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>

using namespace suites;

namespace {

CaseInfo info(std::string id, std::vector<std::string> depends = {}) {
  CaseInfo info;
  info.id = std::move(id);
  info.profile = "rfc";
  info.title = info.id;
  info.spec = SpecRef{"RFC 7644", "3.3", Level::must, "quoted"};
  info.depends_on = std::move(depends);
  return info;
}

class GateTest : public ::testing::Test {
 protected:
  GateTest() : client_(options()), environment_(client_, discovery(), RunSettings{}) {}
  static scimclient::ClientOptions options() {
    scimclient::ClientOptions o;
    o.base_url = "http://127.0.0.1:1/scim/v2";  // never contacted: these cases send nothing
    return o;
  }
  Discovery discovery() {
    Discovery d;
    d.registry = std::make_shared<scim::SchemaRegistry>(
        scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas"));
    return d;
  }
  RunnerOptions runner() {
    RunnerOptions o;
    o.concurrency = 2;
    return o;
  }

  scimclient::Client client_;
  RunEnvironment environment_;
};

}  // namespace

TEST_F(GateTest, RetriesReportAFailThenPassAsFlakyAndKeepASteadyFailure) {
  auto flips = std::make_shared<std::atomic<int>>(0);
  auto steady_runs = std::make_shared<std::atomic<int>>(0);
  CaseList cases = {
      {info("t/flaky"), [flips](CaseContext& c) { c.expect((*flips)++ > 0, "passes from the second run on"); }},
      {info("t/after-flaky", {"t/flaky"}), [](CaseContext& c) { c.expect(true, "holds"); }},
      {info("t/steady"), [steady_runs](CaseContext& c) { ++*steady_runs; c.expect(false, "never holds"); }},
      {info("t/fine"), [](CaseContext& c) { c.expect(true, "holds"); }},
  };
  RunSummary summary = run_cases(cases, environment_, runner());
  ASSERT_EQ(summary.results[0].outcome, Outcome::fail);
  ASSERT_EQ(summary.results[1].outcome, Outcome::blocked);
  EXPECT_EQ(summary.exit_code(), 1);

  retry_failures(summary, cases, environment_, runner(), 2);
  EXPECT_EQ(summary.results[0].outcome, Outcome::pass);
  EXPECT_TRUE(summary.results[0].flaky);
  EXPECT_EQ(summary.results[0].attempts, 2);
  EXPECT_EQ(summary.results[1].outcome, Outcome::pass) << "what the flaky case blocked gets another chance";
  EXPECT_EQ(summary.results[2].outcome, Outcome::fail);
  EXPECT_FALSE(summary.results[2].flaky);
  EXPECT_EQ(summary.results[2].attempts, 3);
  EXPECT_EQ(steady_runs->load(), 3);
  EXPECT_FALSE(summary.results[3].flaky);
  EXPECT_EQ(summary.results[3].attempts, 1) << "a passing case is not rerun";
  EXPECT_EQ(summary.exit_code(), 1) << "retries never hide a steady failure";
}

TEST_F(GateTest, KnownFailuresExcuseListedFailuresAndStaleEntriesFailTheGate) {
  CaseList cases = {{info("t/broken"), [](CaseContext& c) { c.expect(false, "never holds"); }},
                    {info("t/fine"), [](CaseContext& c) { c.expect(true, "holds"); }}};
  RunSummary listed_broken = run_cases(cases, environment_, runner());
  apply_known_failures(listed_broken.results, {"t/broken"});
  EXPECT_TRUE(listed_broken.results[0].known_failure);
  EXPECT_EQ(listed_broken.exit_code(), 0);

  RunSummary listed_fine = run_cases(cases, environment_, runner());
  apply_known_failures(listed_fine.results, {"t/broken", "t/fine"});
  EXPECT_TRUE(listed_fine.results[1].stale_known_failure);
  EXPECT_EQ(listed_fine.exit_code(), 1) << "a listed case that passes makes the list stale";

  RunSummary unlisted = run_cases(cases, environment_, runner());
  apply_known_failures(unlisted.results, {});
  EXPECT_EQ(unlisted.exit_code(), 1);
}

// Neither a listed case whose prerequisite failed (it was not tested) nor a listed case that
// failed before a retry passed makes the list stale.
TEST_F(GateTest, BlockedAndFlakyListedCasesAreNotStale) {
  auto flips = std::make_shared<std::atomic<int>>(0);
  CaseList cases = {
      {info("t/broken"), [](CaseContext& c) { c.expect(false, "never holds"); }},
      {info("t/after-broken", {"t/broken"}), [](CaseContext& c) { c.expect(true, "holds"); }},
      {info("t/flaky"), [flips](CaseContext& c) { c.expect((*flips)++ > 0, "passes from the second run on"); }},
  };
  RunSummary summary = run_cases(cases, environment_, runner());
  retry_failures(summary, cases, environment_, runner(), 1);
  ASSERT_EQ(summary.results[1].outcome, Outcome::blocked);
  ASSERT_TRUE(summary.results[2].flaky);
  apply_known_failures(summary.results, {"t/broken", "t/after-broken", "t/flaky"});
  EXPECT_TRUE(summary.results[0].known_failure);
  EXPECT_FALSE(summary.results[1].stale_known_failure);
  EXPECT_FALSE(summary.results[2].stale_known_failure);
  EXPECT_EQ(summary.exit_code(), 0);
}

TEST(KnownFailuresFile, CommentsAndBlankLinesAreIgnoredAndUnknownIdsNamed) {
  std::filesystem::path file = std::filesystem::temp_directory_path() / ("known-" + std::to_string(getpid()) + ".txt");
  std::ofstream(file) << "# waiting on the vendor\n\nrfc7644/3.3/a   # tracked as BUG-1\n  rfc7644/3.3/b\n";
  std::set<std::string> known = load_known_failures(file, {"rfc7644/3.3/a", "rfc7644/3.3/b"});
  EXPECT_EQ(known, (std::set<std::string>{"rfc7644/3.3/a", "rfc7644/3.3/b"}));
  std::ofstream(file) << "rfc7644/3.3/a\nrfc7644/3.3/typo\n";
  try {
    load_known_failures(file, {"rfc7644/3.3/a"});
    FAIL() << "an unknown id was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("line 2"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("rfc7644/3.3/typo"), std::string::npos) << error.what();
  }
  std::filesystem::remove(file);
}
