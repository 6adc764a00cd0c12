// The matching rules of data-declared expectations.
#include "suites/runner/json_match.hpp"

#include <gtest/gtest.h>

namespace suites {
namespace {

using nlohmann::json;

TEST(JsonMatch, SubsetIgnoresMemberNameCaseAndArrayOrder) {
  json actual = {{"UserName", "bjensen"}, {"emails", {{{"value", "a"}, {"type", "home"}}, {{"value", "b"}, {"type", "work"}}}}};
  EXPECT_TRUE(contains_subset(actual, {{"userName", "bjensen"}, {"emails", {{{"type", "work"}}}}}));
  std::string where;
  EXPECT_FALSE(contains_subset(actual, {{"userName", "BJENSEN"}}, &where));
  EXPECT_NE(where.find("userName"), std::string::npos);
  EXPECT_FALSE(contains_subset(actual, {{"emails", {{{"type", "work"}}, {{"type", "work"}}}}}))
      << "one actual element cannot match two expected ones";
}

TEST(JsonMatch, PointerWithCaseInsensitiveNamesAndIndexes) {
  json doc = {{"Name", {{"GivenName", "Barbara"}}}, {"emails", {{{"value", "a"}}}}};
  ASSERT_NE(find_pointer(doc, "/name/givenName"), nullptr);
  EXPECT_EQ(*find_pointer(doc, "/name/givenName"), "Barbara");
  EXPECT_EQ(*find_pointer(doc, "/emails/0/value"), "a");
  EXPECT_EQ(find_pointer(doc, "/emails/1/value"), nullptr);
  EXPECT_EQ(find_pointer(doc, "/password"), nullptr);
}

TEST(JsonMatch, SubstitutionFillsVariablesAndRefusesUnknownOnes) {
  std::map<std::string, std::string> vars{{"suffix", "r1-001"}, {"U1", "abc"}};
  EXPECT_EQ(substitute(json{{"userName", "x-{{suffix}}"}, {"ids", {"{{U1}}"}}}, vars),
            (json{{"userName", "x-r1-001"}, {"ids", {"abc"}}}));
  EXPECT_THROW(substitute_text("{{U2}}", vars), std::invalid_argument);
}

}  // namespace
}  // namespace suites
