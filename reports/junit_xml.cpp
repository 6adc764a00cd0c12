#include "reports/junit_xml.hpp"

#include <pugixml.hpp>

#include <cstdio>
#include <map>
#include <utility>
#include <sstream>
#include <vector>

namespace reports {

namespace {

std::string seconds(double milliseconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", milliseconds / 1000.0);
  return buffer;
}

// Expected and actual of each failed check, or of the vendor's own checks only.
std::string failed_checks(const nlohmann::json& record, bool vendor_only = false) {
  std::string text;
  for (const auto& check : record.value("checks", nlohmann::json::array())) {
    if (check.value("passed", true) || (vendor_only && !check.value("vendor", false))) continue;
    text += check.value("what", "") + " [" + check.value("level", "") + ", " + check.value("citation", "") + "]\n";
    text += "  expected: " + check.value("expected", "") + "\n";
    text += "  actual:   " + check.value("actual", "") + "\n";
  }
  return text;
}

std::string vendor_note(const nlohmann::json& line) {
  const nlohmann::json& verdict = line.value("vendor_verdict", nlohmann::json::object());
  return verdict.value("vendor", "the vendor") + " would reject this: " + verdict.value("note", "");
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

// `simulate`: convergence is one test; its failure lists the drift by kind and the first items.
SuiteTotals simulation_suite(pugi::xml_node root, const nlohmann::json& simulation, const std::string& timestamp) {
  SuiteTotals totals;
  totals.tests = 1;
  totals.milliseconds = simulation.value("duration_ms", 0.0);
  pugi::xml_node suite = root.append_child("testsuite");
  suite.append_attribute("name") = "simulate";
  suite.append_attribute("timestamp") = timestamp.c_str();
  pugi::xml_node test = suite.append_child("testcase");
  test.append_attribute("classname") = "simulate";
  test.append_attribute("name") = "convergence";
  test.append_attribute("time") = seconds(totals.milliseconds).c_str();
  const nlohmann::json drift = simulation.value("drift", nlohmann::json::array());
  if (!simulation.value("converged", drift.empty())) {
    std::string text;
    const nlohmann::json kinds = simulation.value("counts", nlohmann::json::object());
    for (const auto& [kind, n] : kinds.items())
      if (n.is_number() && n.get<double>() > 0) text += kind + ": " + n.dump() + "\n";
    std::size_t shown = 0;
    for (const auto& item : drift) {
      if (++shown > 50) break;
      text += item.dump() + "\n";
    }
    pugi::xml_node failure = test.append_child("failure");
    failure.append_attribute("message") = ("the target did not converge: " + std::to_string(drift.size()) + " drift items").c_str();
    failure.append_attribute("type") = "drift";
    failure.text().set(text.c_str());
    totals.failures = 1;
  }
  set_totals(suite, totals);
  return totals;
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
  const nlohmann::json run = set.index.value("run", nlohmann::json::object());
  root.append_attribute("name") = ("scimulator " + set.index.value("kind", "run") + " " + run.value("target", "")).c_str();
  // JUnit's schema has timestamps without a zone (they are UTC here); strict readers such as
  // Jenkins' xUnit validate against it.
  std::string timestamp = run.value("started", "");
  if (!timestamp.empty() && timestamp.back() == 'Z') timestamp.pop_back();
  SuiteTotals all;
  auto add_to_all = [&all](const SuiteTotals& totals) {
    all.tests += totals.tests;
    all.failures += totals.failures;
    all.errors += totals.errors;
    all.skipped += totals.skipped;
    all.milliseconds += totals.milliseconds;
  };
  for (const std::string& name : order) {
    pugi::xml_node suite = root.append_child("testsuite");
    suite.append_attribute("name") = name.c_str();
    suite.append_attribute("timestamp") = timestamp.c_str();
    SuiteTotals totals;
    for (const nlohmann::json* line : suites[name]) {
      std::string id = line->value("id", "");
      std::string outcome = line->value("outcome", "");
      const nlohmann::json spec = line->value("spec", nlohmann::json::object());
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
      auto property = [&](const char* name, const std::string& value) {
        pugi::xml_node node = properties.append_child("property");
        node.append_attribute("name") = name;
        node.append_attribute("value") = value.c_str();
      };
      std::string document = spec.value("document", "");
      if (document.rfind("RFC ", 0) == 0) property("rfc", document.substr(4));
      for (const char* key : {"document", "section", "level", "citation"}) property(key, spec.value(key, ""));
      property("profile", line->value("profile", ""));
      property("outcome", outcome);
      if (line->contains("vendor_verdict"))
        property("vendor_verdict", (*line)["vendor_verdict"].value("vendor", "") +
                                       ((*line)["vendor_verdict"].value("accepted", true) ? " accepts" : " rejects"));
      std::string reason = line->value("reason", "");
      ++totals.tests;
      totals.milliseconds += ms;
      // One result element at most per testcase: GitLab and Jenkins read only the first.
      switch (gate_effect(*line)) {
        case GateEffect::harness_error: {
          pugi::xml_node error = test.append_child("error");
          error.append_attribute("message") = reason.c_str();
          error.append_attribute("type") = "harness";
          ++totals.errors;
          break;
        }
        case GateEffect::stale: {
          pugi::xml_node failure = test.append_child("failure");
          failure.append_attribute("message") = "stale known failure: this case passes now; remove it from the known-failures list";
          failure.append_attribute("type") = "stale";
          ++totals.failures;
          break;
        }
        case GateEffect::known_failure: {
          pugi::xml_node skipped = test.append_child("skipped");
          skipped.append_attribute("message") = ("known failure: " + (reason.empty() ? vendor_note(*line) : reason)).c_str();
          ++totals.skipped;
          break;
        }
        case GateEffect::fails: {
          pugi::xml_node failure = test.append_child("failure");
          if (outcome == "fail") {
            failure.append_attribute("message") = reason.c_str();
            failure.append_attribute("type") = spec.value("level", "MUST").c_str();
            failure.text().set(failed_checks(record).c_str());
          } else {
            // The RFC verdict holds but the modelled IdP would reject the answer: the gate fails.
            failure.append_attribute("message") = vendor_note(*line).c_str();
            failure.append_attribute("type") = "vendor";
            failure.text().set(failed_checks(record, true).c_str());
          }
          ++totals.failures;
          break;
        }
        case GateEffect::passes:
          if (outcome == "unsupported" || outcome == "informational" || outcome == "blocked") {
            pugi::xml_node skipped = test.append_child("skipped");
            skipped.append_attribute("message") = (outcome + ": " + reason).c_str();
            ++totals.skipped;
          } else if (line->value("flaky", false)) {
            test.append_child("system-out").text().set(("flaky: failed, then passed on attempt " +
                                                        std::to_string(line->value("attempts", 1))).c_str());
          } else if (outcome == "non_strict") {
            test.append_child("system-out").text().set(("SHOULD missed: " + reason + "\n" + failed_checks(record)).c_str());
          }
          break;
      }
    }
    set_totals(suite, totals);
    add_to_all(totals);
  }
  if (set.index.contains("simulation")) add_to_all(simulation_suite(root, set.index["simulation"], timestamp));
  set_totals(root, all);
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace reports
