// The simulator's promise at the size of a real org: 10,000 users in 50 groups through 30 days
// of joiners, movers, renames, casing changes and leavers, under Okta and under both Entra ID
// dialects, against the embedded reference server, ends with zero drift. One test per engine so
// CTest runs them side by side; each takes about a minute on two cores.
#include "cli_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

void converges(const std::string& name, const std::string& engine) {
  fs::path dir = fs::temp_directory_path() / ("scimulator-scale-test-" + std::to_string(getpid())) / name;
  fs::remove_all(dir);
  clitest::Outcome out = clitest::scimulator("simulate " + engine +
                                             " --generate users=10000,groups=50,seed=11,churn=0.1 --days 30 --out " +
                                             dir.string());
  ASSERT_EQ(out.code, 0) << out.output.substr(out.output.size() > 4000 ? out.output.size() - 4000 : 0);
  std::ifstream in(dir / "drift.json");
  nlohmann::json drift = nlohmann::json::parse(in);
  EXPECT_TRUE(drift["converged"].get<bool>()) << drift["counts"];
  EXPECT_EQ(drift["days"], 30);
  // The lifecycle really ran: the org grew and shrank, and thousands of changes went out.
  EXPECT_GT(drift["directory"]["users"].get<int>(), 10000);
  EXPECT_LT(drift["directory"]["active_users"].get<int>(), drift["directory"]["users"].get<int>());
  EXPECT_GT(drift["events"].get<int>(), 1000);
  // Okta never deletes an account (O12: it deactivates), so the target may hold more than the
  // directory's live users; never fewer.
  EXPECT_GE(drift["target"]["users_in_scope"].get<int>(), drift["directory"]["users"].get<int>());
  fs::remove_all(dir);
}

}  // namespace

TEST(SimulateScale, TenThousandUsersThirtyDaysConvergeUnderOkta) { converges("okta", "--idp okta"); }

TEST(SimulateScale, TenThousandUsersThirtyDaysConvergeUnderEntraScim) {
  converges("entra-scim", "--idp entra --dialect scim");
}

TEST(SimulateScale, TenThousandUsersThirtyDaysConvergeUnderEntraAadOptscim062020) {
  converges("entra-aad", "--idp entra --dialect aadOptscim062020");
}
