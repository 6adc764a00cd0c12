// Case selection as curl and h2spec do it: by id prefix, keyword and !keyword, with the
// prerequisites of a selected case pulled in and placed before it.
#include "suites/runner/selection.hpp"

#include <gtest/gtest.h>

namespace suites {
namespace {

Case make(std::string id, std::vector<std::string> keywords = {}, std::vector<std::string> depends = {},
          std::string profile = "rfc") {
  Case c;
  c.info.id = std::move(id);
  c.info.keywords = std::move(keywords);
  c.info.depends_on = std::move(depends);
  c.info.profile = std::move(profile);
  return c;
}

std::vector<std::string> ids(const CaseList& cases) {
  std::vector<std::string> out;
  for (const auto& c : cases) out.push_back(c.info.id);
  return out;
}

TEST(Selection, PrefixSelectsASectionAndItsPrerequisites) {
  CaseList catalog{make("rfc7644/3.3/create"), make("rfc7644/3.4.2.2/eq", {}, {"rfc7644/3.3/create"}),
                   make("rfc7644/3.6/delete")};
  Selection selection;
  selection.prefixes = {"rfc7644/3.4"};
  EXPECT_EQ(ids(select_cases(catalog, selection)),
            (std::vector<std::string>{"rfc7644/3.3/create", "rfc7644/3.4.2.2/eq"}));
}

TEST(Selection, KeywordAndNegatedKeyword) {
  CaseList catalog{make("a/1/x", {"Users", "writes"}), make("a/1/y", {"Users"}), make("a/1/z", {"Groups"})};
  Selection selection;
  selection.keywords = {"users", "!writes"};
  EXPECT_EQ(ids(select_cases(catalog, selection)), (std::vector<std::string>{"a/1/y"}));
}

TEST(Selection, ProfileFilters) {
  CaseList catalog{make("rfc7644/3.3/a"), make("okta-spec/R1/b", {}, {}, "okta-spec")};
  Selection selection;
  selection.profile = "okta-spec";
  EXPECT_EQ(ids(select_cases(catalog, selection)), (std::vector<std::string>{"okta-spec/R1/b"}));
  selection.profile = "all";
  EXPECT_EQ(select_cases(catalog, selection).size(), 2u);
}

TEST(Selection, DependantsComeAfterTheirPrerequisitesWhateverTheCatalogOrder) {
  CaseList catalog{make("b", {}, {"a"}), make("c", {}, {"b"}), make("a")};
  EXPECT_EQ(ids(select_cases(catalog, Selection{})), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Selection, UnknownDependencyAndCyclesAreReportedByName) {
  CaseList unknown{make("a", {}, {"missing"})};
  try {
    select_cases(unknown, Selection{});
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("missing"), std::string::npos);
  }
  CaseList cycle{make("a", {}, {"b"}), make("b", {}, {"a"})};
  EXPECT_THROW(select_cases(cycle, Selection{}), std::invalid_argument);
}

TEST(Selection, NothingMatchesGivesAnEmptyList) {
  CaseList catalog{make("rfc7644/3.3/a")};
  Selection selection;
  selection.prefixes = {"rfc7643/"};
  EXPECT_TRUE(select_cases(catalog, selection).empty());
}

}  // namespace
}  // namespace suites
