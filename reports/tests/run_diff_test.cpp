// `report diff` case by case: what newly fails (an outcome, or a vendor that now rejects), what
// newly passes, other changes, and cases only one run has. Runs are the fixed run and edits of it.
#include "fixed_run.hpp"
#include "reports/run_diff.hpp"

#include <gtest/gtest.h>

namespace {

nlohmann::json& line(nlohmann::json& index, const std::string& id) {
  for (auto& l : index["cases"])
    if (l["id"] == id) return l;
  throw std::runtime_error("no line " + id);
}

}  // namespace

TEST(RunDiff, TheSameRunHasNoChange) {
  nlohmann::json index = fixedrun::report_set().index;
  reports::RunDiff diff = reports::diff_runs(index, index);
  EXPECT_TRUE(diff.newly_failing.empty() && diff.newly_passing.empty() && diff.changed.empty() && diff.added.empty() &&
              diff.removed.empty());
  EXPECT_EQ(reports::format_diff(diff), "no case changed its outcome\n");
}

TEST(RunDiff, SortsEveryChange) {
  nlohmann::json before = fixedrun::report_set().index, after = before;
  line(after, "rfc7644/3.3/duplicate-username-409")["outcome"] = "fail";      // pass -> fail
  line(after, "rfc7644/3.3/create-user-201")["outcome"] = "pass";             // fail -> pass
  line(after, "rfc7644/3.11/me-resource-or-501")["outcome"] = "pass";         // non_strict -> pass
  line(after, "entra-validator/mandatory-user/create-user")["vendor_verdict"]["accepted"] = false;  // now rejected
  line(before, "okta-spec/R9/username-case-insensitive")["vendor_verdict"]["accepted"] = true;      // newly rejected
  nlohmann::json removed = after["cases"][2];
  after["cases"].erase(2);                                                    // eq-username only in the old run
  after["cases"].push_back({{"id", "rfc7644/3.3/new-case"}, {"outcome", "error"}});  // new and failing

  reports::RunDiff diff = reports::diff_runs(before, after);
  std::vector<std::string> failing;
  for (const auto& c : diff.newly_failing) failing.push_back(c.id + ": " + c.before + " -> " + c.after);
  EXPECT_EQ(failing, (std::vector<std::string>{
                         "entra-validator/mandatory-user/create-user: pass -> pass (Entra ID rejects)",
                         "okta-spec/R9/username-case-insensitive: pass -> pass (Okta rejects)",
                         "rfc7644/3.3/duplicate-username-409: pass -> fail",
                         "rfc7644/3.3/new-case:  -> error"}));
  ASSERT_EQ(diff.newly_passing.size(), 1u);
  EXPECT_EQ(diff.newly_passing[0].id, "rfc7644/3.3/create-user-201");
  ASSERT_EQ(diff.changed.size(), 1u);
  EXPECT_EQ(diff.changed[0].id, "rfc7644/3.11/me-resource-or-501");
  ASSERT_EQ(diff.removed.size(), 1u);
  EXPECT_EQ(diff.removed[0].id, removed["id"]);
  ASSERT_EQ(diff.added.size(), 1u);
  std::string text = reports::format_diff(diff);
  EXPECT_NE(text.find("newly failing (4):\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  rfc7644/3.3/new-case  - -> error\n"), std::string::npos) << text;
  EXPECT_NE(text.find("only in the old run (1):\n  rfc7644/3.4.2.2/eq-username  pass -> -\n"), std::string::npos) << text;
}
