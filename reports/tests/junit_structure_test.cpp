// junit.xml read back as CI consumers read it: the elements and attributes Jenkins (JUnit and
// xUnit plugins), GitLab and GitHub's test reporters require on testsuites, testsuite and
// testcase, at most one result element per testcase, totals that add up, and counts that agree
// with the run's exit code (a vendor rejection or a stale known failure fails; a known failure
// is skipped).
#include "fixed_run.hpp"
#include "reports/junit_xml.hpp"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <cstdlib>
#include <regex>

namespace {

pugi::xml_document parse(const std::string& xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_string(xml.c_str());
  EXPECT_TRUE(parsed) << parsed.description() << "\n" << xml;
  return doc;
}

bool is_seconds(const char* text) {
  char* end = nullptr;
  double value = std::strtod(text, &end);
  return end != text && *end == '\0' && value >= 0;
}

}  // namespace

TEST(JunitStructure, LoadsWithTheAttributesCiConsumersRequire) {
  reports::ReportSet set = fixedrun::report_set();
  pugi::xml_document doc = parse(reports::junit_xml(set));
  pugi::xml_node root = doc.child("testsuites");
  ASSERT_TRUE(root);
  EXPECT_EQ(std::distance(doc.children().begin(), doc.children().end()), 1) << "one root element";
  for (const char* attribute : {"name", "tests", "failures", "errors", "skipped", "time"})
    EXPECT_TRUE(root.attribute(attribute)) << attribute;
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  for (pugi::xml_node suite : root.children()) {
    ASSERT_STREQ(suite.name(), "testsuite") << "only testsuite elements under testsuites";
    for (const char* attribute : {"name", "tests", "failures", "errors", "skipped", "time", "timestamp"})
      EXPECT_TRUE(suite.attribute(attribute)) << attribute;
    EXPECT_TRUE(is_seconds(suite.attribute("time").value()));
    // The JUnit schema's ISO 8601 pattern: no zone designator.
    EXPECT_TRUE(std::regex_match(suite.attribute("timestamp").value(),
                                 std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")))
        << suite.attribute("timestamp").value();
    int in_suite = 0, suite_failures = 0, suite_errors = 0, suite_skipped = 0;
    for (pugi::xml_node test : suite.children("testcase")) {
      ++in_suite;
      for (const char* attribute : {"classname", "name", "time"}) EXPECT_TRUE(test.attribute(attribute)) << attribute;
      EXPECT_TRUE(is_seconds(test.attribute("time").value())) << test.attribute("time").value();
      int results = 0;
      for (const char* element : {"failure", "error", "skipped"}) results += test.child(element) ? 1 : 0;
      EXPECT_LE(results, 1) << test.attribute("name").value();
      if (pugi::xml_node failure = test.child("failure")) {
        EXPECT_TRUE(failure.attribute("message"));
        EXPECT_TRUE(failure.attribute("type"));
        ++suite_failures;
      }
      if (pugi::xml_node error = test.child("error")) {
        EXPECT_TRUE(error.attribute("message"));
        EXPECT_TRUE(error.attribute("type"));
        ++suite_errors;
      }
      if (test.child("skipped")) ++suite_skipped;
      for (pugi::xml_node property : test.child("properties").children()) {
        EXPECT_STREQ(property.name(), "property");
        EXPECT_TRUE(property.attribute("name"));
        EXPECT_TRUE(property.attribute("value"));
      }
    }
    EXPECT_EQ(suite.attribute("tests").as_int(), in_suite) << suite.attribute("name").value();
    EXPECT_EQ(suite.attribute("failures").as_int(), suite_failures) << suite.attribute("name").value();
    EXPECT_EQ(suite.attribute("errors").as_int(), suite_errors) << suite.attribute("name").value();
    EXPECT_EQ(suite.attribute("skipped").as_int(), suite_skipped) << suite.attribute("name").value();
    tests += in_suite;
    failures += suite_failures;
    errors += suite_errors;
    skipped += suite_skipped;
  }
  const nlohmann::json& counts = set.index["counts"];
  EXPECT_EQ(tests, static_cast<int>(set.index["cases"].size()));
  // fail (create-user-201) + a vendor rejection (okta R9) + a stale known failure (entra); the
  // known failure (co) is skipped, as are informational, unsupported and blocked.
  EXPECT_EQ(failures, counts["fail"].get<int>() - 1 + 1 + 1);
  EXPECT_EQ(errors, counts["error"].get<int>());
  EXPECT_EQ(skipped, 1 + counts["unsupported"].get<int>() + counts["informational"].get<int>() + counts["blocked"].get<int>());
  EXPECT_EQ(root.attribute("tests").as_int(), tests);
  EXPECT_EQ(root.attribute("failures").as_int(), failures);
  EXPECT_EQ(root.attribute("errors").as_int(), errors);
  EXPECT_EQ(root.attribute("skipped").as_int(), skipped);
}

TEST(JunitStructure, ASuitePerRfcSectionOrProfile) {
  pugi::xml_document doc = parse(reports::junit_xml(fixedrun::report_set()));
  std::vector<std::string> names;
  for (pugi::xml_node suite : doc.child("testsuites").children("testsuite")) names.push_back(suite.attribute("name").value());
  EXPECT_EQ(names, (std::vector<std::string>{"RFC 7644 §3.3", "RFC 7644 §3.4.2.2", "RFC 7644 §3.11", "RFC 7644 §3.14",
                                             "RFC 7644 §3.7", "RFC 7644 §3.5.2.1", "okta-spec", "entra-validator",
                                             "clickhouse"}));
}

TEST(JunitStructure, AFailureCarriesExpectedActualAndTheRequirement) {
  pugi::xml_document doc = parse(reports::junit_xml(fixedrun::report_set()));
  pugi::xpath_node test = doc.select_node("//testcase[@name='rfc7644/3.3/create-user-201']");
  ASSERT_TRUE(test);
  pugi::xml_node failure = test.node().child("failure");
  ASSERT_TRUE(failure);
  std::string text = failure.text().get();
  EXPECT_NE(text.find("expected: 201"), std::string::npos) << text;
  EXPECT_NE(text.find("actual:   200"), std::string::npos) << text;
  EXPECT_EQ(std::string(failure.attribute("type").value()), "MUST");
  EXPECT_EQ(std::string(failure.attribute("message").value()), "POST /Users: status 201: expected 201, got 200");
  EXPECT_EQ(std::string(test.node().attribute("classname").value()), "rfc7644.3.3");
  auto property = [&](const char* name) {
    return std::string(test.node().select_node(("properties/property[@name='" + std::string(name) + "']").c_str())
                           .node().attribute("value").value());
  };
  EXPECT_EQ(property("rfc"), "7644");
  EXPECT_EQ(property("section"), "3.3");
  EXPECT_EQ(property("level"), "MUST");
}

TEST(JunitStructure, GateMarksMapAsTheExitCodeCountsThem) {
  pugi::xml_document doc = parse(reports::junit_xml(fixedrun::report_set()));
  auto child_of = [&](const char* id, const char* element) {
    return doc.select_node(("//testcase[@name='" + std::string(id) + "']/" + element).c_str()).node();
  };
  EXPECT_TRUE(child_of("rfc7644/3.4.2.2/co", "skipped")) << "a known failure is skipped";
  EXPECT_EQ(std::string(child_of("entra-validator/mandatory-user/create-user", "failure").attribute("type").value()), "stale");
  pugi::xml_node vendor = child_of("okta-spec/R9/username-case-insensitive", "failure");
  EXPECT_EQ(std::string(vendor.attribute("type").value()), "vendor");
  EXPECT_NE(std::string(vendor.text().get()).find("Okta: exactly one Resources entry"), std::string::npos);
  EXPECT_TRUE(child_of("rfc7644/3.11/me-resource-or-501", "system-out")) << "a SHOULD miss passes, noted";
  EXPECT_NE(std::string(child_of("rfc7644/3.4.2.2/sw", "system-out").text().get()).find("flaky"), std::string::npos);
  EXPECT_TRUE(child_of("rfc7644/3.14/weak-etag", "skipped")) << "informational is skipped";
  EXPECT_TRUE(child_of("rfc7644/3.7/bulk-posts", "skipped")) << "unsupported is skipped";
  EXPECT_TRUE(child_of("clickhouse/tokens/at-most-two-active", "error"));
}
