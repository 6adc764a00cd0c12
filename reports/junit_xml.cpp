#include "reports/junit_xml.hpp"

#include <pugixml.hpp>

#include <cstdio>
#include <map>
#include <sstream>
#include <vector>

namespace reports {

namespace {

std::string seconds(double milliseconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", milliseconds / 1000.0);
  return buffer;
}

std::string failed_checks(const nlohmann::json& record) {
  std::string text;
  for (const auto& check : record.value("checks", nlohmann::json::array())) {
    if (check.value("passed", true)) continue;
    text += check.value("what", "") + " [" + check.value("level", "") + ", " + check.value("citation", "") + "]\n";
    text += "  expected: " + check.value("expected", "") + "\n";
    text += "  actual:   " + check.value("actual", "") + "\n";
  }
  return text;
}

struct SuiteTotals {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double milliseconds = 0;
};

void set_totals(pugi::xml_node node, const SuiteTotals& totals) {
  node.append_attribute("tests") = totals.tests;
  node.append_attribute("failures") = totals.failures;
  node.append_attribute("errors") = totals.errors;
  node.append_attribute("skipped") = totals.skipped;
  node.append_attribute("time") = seconds(totals.milliseconds).c_str();
}

}  // namespace

std::string suite_of(const nlohmann::json& line) {
  if (line.value("profile", "") != "rfc") return line.value("profile", "other");
  const nlohmann::json& spec = line.value("spec", nlohmann::json::object());
  return spec.value("citation", spec.value("document", "RFC"));
}

std::string junit_xml(const ReportSet& set) {
  // Suites in order of first appearance, so the file follows the run.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const nlohmann::json*>> suites;
  static const nlohmann::json kNone = nlohmann::json::array();
  const nlohmann::json& lines = set.index.contains("cases") ? set.index.at("cases") : kNone;
  for (const auto& line : lines) {
    std::string suite = suite_of(line);
    if (!suites.count(suite)) order.push_back(suite);
    suites[suite].push_back(&line);
  }

  pugi::xml_document doc;
  auto declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("testsuites");
  root.append_attribute("name") = ("scimulator run " + set.index["run"].value("target", "")).c_str();
  SuiteTotals all;
  pugi::xml_node first_suite;
  for (const std::string& name : order) {
    pugi::xml_node suite = root.append_child("testsuite");
    suite.append_attribute("name") = name.c_str();
    suite.append_attribute("timestamp") = set.index["run"].value("started", "").c_str();
    SuiteTotals totals;
    for (const nlohmann::json* line : suites[name]) {
      std::string id = line->value("id", "");
      std::string outcome = line->value("outcome", "");
      const nlohmann::json& spec = (*line)["spec"];
      const nlohmann::json& record = set.cases.count(id) ? set.cases.at(id) : *line;
      pugi::xml_node test = suite.append_child("testcase");
      std::string classname = id.substr(0, id.rfind('/'));
      for (char& c : classname)
        if (c == '/') c = '.';
      test.append_attribute("classname") = classname.c_str();
      test.append_attribute("name") = id.c_str();
      double ms = line->value("duration_ms", 0.0);
      test.append_attribute("time") = seconds(ms).c_str();
      pugi::xml_node properties = test.append_child("properties");
      for (const char* key : {"document", "section", "level", "citation"}) {
        pugi::xml_node property = properties.append_child("property");
        property.append_attribute("name") = key;
        property.append_attribute("value") = spec.value(key, "").c_str();
      }
      std::string reason = line->value("reason", "");
      bool known = line->value("known_failure", false);
      ++totals.tests;
      totals.milliseconds += ms;
      if (line->value("stale_known_failure", false)) {
        pugi::xml_node failure = test.append_child("failure");
        failure.append_attribute("message") = "stale known failure: this case passes now; remove it from the known-failures list";
        failure.append_attribute("type") = "stale";
        ++totals.failures;
      } else if (gate_failing(outcome) && known) {
        pugi::xml_node skipped = test.append_child("skipped");
        skipped.append_attribute("message") = ("known failure: " + reason).c_str();
        ++totals.skipped;
      } else if (outcome == "fail") {
        pugi::xml_node failure = test.append_child("failure");
        failure.append_attribute("message") = reason.c_str();
        failure.append_attribute("type") = spec.value("level", "MUST").c_str();
        failure.text().set(failed_checks(record).c_str());
        ++totals.failures;
      } else if (outcome == "error") {
        pugi::xml_node error = test.append_child("error");
        error.append_attribute("message") = reason.c_str();
        error.append_attribute("type") = "harness";
        ++totals.errors;
      } else if (outcome == "unsupported" || outcome == "informational" || outcome == "blocked") {
        pugi::xml_node skipped = test.append_child("skipped");
        skipped.append_attribute("message") = (outcome + ": " + reason).c_str();
        ++totals.skipped;
      } else if (line->value("flaky", false)) {
        test.append_child("system-out").text().set(("flaky: failed, then passed on attempt " +
                                                    std::to_string(line->value("attempts", 1))).c_str());
      } else if (outcome == "non_strict") {
        test.append_child("system-out").text().set(("SHOULD missed: " + reason + "\n" + failed_checks(record)).c_str());
      }
    }
    set_totals(suite, totals);
    all.tests += totals.tests;
    all.failures += totals.failures;
    all.errors += totals.errors;
    all.skipped += totals.skipped;
    all.milliseconds += totals.milliseconds;
  }
  set_totals(root, all);
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace reports
