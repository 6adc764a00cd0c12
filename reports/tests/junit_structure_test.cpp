// junit.xml read back as CI consumers read it: the attributes Jenkins, GitLab and GitHub's
// reporters require on testsuites, testsuite and testcase, and counts that agree with the run.
#include "reports/junit_xml.hpp"
#include "reports/report_set.hpp"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <fstream>

namespace {

reports::ReportSet fixed_set() {
  std::ifstream in(std::string(GOLDEN_DIR) + "/results.json");
  return reports::from_results(nlohmann::json::parse(in));
}

}  // namespace

TEST(JunitStructure, LoadsWithTheAttributesCiConsumersRequire) {
  reports::ReportSet set = fixed_set();
  std::string xml = reports::junit_xml(set);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  pugi::xml_node root = doc.child("testsuites");
  ASSERT_TRUE(root);
  for (const char* attribute : {"tests", "failures", "errors", "skipped", "time"})
    EXPECT_TRUE(root.attribute(attribute)) << attribute;
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  for (pugi::xml_node suite : root.children("testsuite")) {
    for (const char* attribute : {"name", "tests", "failures", "errors", "skipped", "time"})
      EXPECT_TRUE(suite.attribute(attribute)) << attribute;
    int in_suite = 0;
    for (pugi::xml_node test : suite.children("testcase")) {
      ++in_suite;
      for (const char* attribute : {"classname", "name", "time"}) EXPECT_TRUE(test.attribute(attribute)) << attribute;
      if (pugi::xml_node failure = test.child("failure")) {
        EXPECT_TRUE(failure.attribute("message"));
        EXPECT_TRUE(failure.attribute("type"));
        ++failures;
      }
      if (test.child("error")) ++errors;
      if (test.child("skipped")) ++skipped;
    }
    EXPECT_EQ(suite.attribute("tests").as_int(), in_suite) << suite.attribute("name").value();
    tests += in_suite;
  }
  const nlohmann::json& counts = set.index["counts"];
  EXPECT_EQ(tests, static_cast<int>(set.index["cases"].size()));
  EXPECT_EQ(failures, counts["fail"].get<int>());
  EXPECT_EQ(errors, counts["error"].get<int>());
  EXPECT_EQ(skipped, counts["unsupported"].get<int>() + counts["informational"].get<int>() + counts["blocked"].get<int>());
  EXPECT_EQ(root.attribute("tests").as_int(), tests);
  EXPECT_EQ(root.attribute("failures").as_int(), failures);
}

TEST(JunitStructure, AFailureCarriesExpectedAndActual) {
  pugi::xml_document doc;
  std::string xml = reports::junit_xml(fixed_set());
  doc.load_string(xml.c_str());
  pugi::xpath_node failure = doc.select_node("//testcase[@name='rfc7644/3.3/create-user-201']/failure");
  ASSERT_TRUE(failure);
  std::string text = failure.node().text().get();
  EXPECT_NE(text.find("expected: 201"), std::string::npos) << text;
  EXPECT_NE(text.find("actual:   200"), std::string::npos) << text;
  EXPECT_EQ(std::string(failure.node().attribute("type").value()), "MUST");
}
