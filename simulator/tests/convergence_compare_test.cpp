// The convergence check's judgement on hand-built directories and target reads, no server: what
// each drift kind needs to be reported, and what must not be blamed on the target.
#include "simulator/convergence/convergence.hpp"

#include <gtest/gtest.h>

namespace {

using nlohmann::json;

sim::DirUser user(std::string key, std::string user_name, bool active = true, bool deleted = false) {
  sim::DirUser out;
  out.key = std::move(key);
  out.user_name = user_name;
  out.email = user_name;
  out.active = active;
  out.deleted = deleted;
  return out;
}

json account(const std::string& id, const std::string& user_name, bool active) {
  return {{"id", id}, {"userName", user_name}, {"active", active}};
}

// Only the userName is mapped here: the tests are about accounts, not attributes.
std::vector<sim::MappedAttribute> user_name_only(const sim::DirUser& u) {
  sim::MappedAttribute attribute;
  attribute.path = "userName";
  attribute.value = u.user_name;
  attribute.ignore_case = true;
  return {attribute};
}

std::size_t count(const sim::DriftReport& report, sim::DriftKind kind) {
  auto counts = report.counts();
  return counts.count(kind) ? counts.at(kind) : 0;
}

TEST(ConvergenceCompare, ALeaverWhoseAccountIsStillActiveIsOrphaned) {
  sim::Directory directory;
  directory.add_user(user("u-old", "bjorn.lopez@example.com", false, true));
  sim::LinkTable links;
  links.user_ids["u-old"] = "t-1";
  sim::TargetSnapshot target;
  target.users.push_back(account("t-1", "bjorn.lopez@example.com", true));
  target.users_total = 1;
  sim::DriftReport report = sim::compare(directory, links, target, user_name_only);
  EXPECT_EQ(count(report, sim::DriftKind::orphaned_user), 1u);
}

// A hire who takes a leaver's userName is matched to the leaver's old account by the IdP's
// existence check, which reactivates it (Okta O10): the active account is the hire's.
TEST(ConvergenceCompare, AnAccountTakenOverByAHireWithTheSameUserNameIsNotOrphaned) {
  sim::Directory directory;
  directory.add_user(user("u-old", "bjorn.lopez@example.com", false, true));
  directory.add_user(user("u-new", "bjorn.lopez@example.com"));
  sim::LinkTable links;
  links.user_ids["u-old"] = "t-1";
  links.user_ids["u-new"] = "t-1";
  sim::TargetSnapshot target;
  target.users.push_back(account("t-1", "bjorn.lopez@example.com", true));
  target.users_total = 1;
  sim::DriftReport report = sim::compare(directory, links, target, user_name_only);
  EXPECT_TRUE(report.converged()) << sim::to_json(report.drift.front());
}

TEST(ConvergenceCompare, TwoAccountsDifferingOnlyInCaseAreADuplicate) {
  sim::Directory directory;
  directory.add_user(user("u-alan", "alan.turing@example.com"));
  sim::LinkTable links;
  links.user_ids["u-alan"] = "t-2";
  sim::TargetSnapshot target;
  target.users.push_back(account("t-1", "Alan.Turing@Example.com", true));
  target.users.push_back(account("t-2", "alan.turing@example.com", true));
  target.users_total = 2;
  sim::DriftReport report = sim::compare(directory, links, target, user_name_only);
  EXPECT_EQ(count(report, sim::DriftKind::duplicate_user), 1u);
}

}  // namespace
