#include "reports/report_set.hpp"

#include "reports/html_report.hpp"
#include "reports/junit_xml.hpp"
#include "reports/summary_md.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace reports {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_json(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string() + "; is this a scimulator report directory?");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(file.string() + " is not valid JSON (" + error.what() + ")");
  }
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + file.string());
  out << text;
}

}  // namespace

bool gate_failing(const std::string& outcome) { return outcome == "fail" || outcome == "error"; }

std::string case_file_name(const std::string& id) {
  std::string out;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    if (c == '/') out += "__";
    else if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') out += c;
    else out += '-';
  }
  return out + ".json";
}

ReportSet from_results(const nlohmann::json& results) {
  ReportSet set;
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& c : results.value("cases", nlohmann::json::array())) {
    std::string id = c.value("id", "");
    nlohmann::json line = {{"id", id},
                           {"title", c.value("title", "")},
                           {"profile", c.value("profile", "")},
                           {"outcome", c.value("outcome", "")},
                           {"reason", c.value("reason", "")},
                           {"duration_ms", c.value("duration_ms", 0)},
                           {"spec", c.value("spec", nlohmann::json::object())},
                           {"file", "cases/" + case_file_name(id)}};
    line["spec"].erase("quote");
    if (c.contains("vendor_verdict")) line["vendor_verdict"] = c["vendor_verdict"];
    if (c.contains("blocked_by")) line["blocked_by"] = c["blocked_by"];
    if (c.contains("known_failure")) line["known_failure"] = c["known_failure"];
    if (c.contains("attempts")) line["attempts"] = c["attempts"];
    if (c.contains("flaky")) line["flaky"] = c["flaky"];
    if (c.contains("stale_known_failure")) line["stale_known_failure"] = c["stale_known_failure"];
    lines.push_back(std::move(line));
    set.cases[id] = c;
  }
  set.index = {{"format", "scimulator-index"},
               {"format_version", kIndexVersion},
               {"run", results.value("run", nlohmann::json::object())},
               {"counts", results.value("counts", nlohmann::json::object())},
               {"exit_code", results.value("exit_code", 2)},
               {"cases", lines}};
  if (results.contains("gate")) set.index["gate"] = results["gate"];
  return set;
}

ReportSet load(const fs::path& dir) {
  ReportSet set;
  set.index = read_json(dir / "index.json");
  if (set.index.value("format", "") != "scimulator-index")
    throw std::runtime_error((dir / "index.json").string() + " is not a scimulator index");
  for (const auto& line : set.index.value("cases", nlohmann::json::array()))
    set.cases[line.value("id", "")] = read_json(dir / line.value("file", ""));
  return set;
}

void write_all(const ReportSet& set, const fs::path& dir) {
  fs::create_directories(dir / "cases");
  // dump() sorts keys (nlohmann::json objects are ordered maps): two runs diff cleanly.
  write_text(dir / "index.json", set.index.dump(2) + "\n");
  for (const auto& [id, record] : set.cases) write_text(dir / "cases" / case_file_name(id), record.dump(2) + "\n");
  write_text(dir / "junit.xml", junit_xml(set));
  write_text(dir / "summary.md", summary_md(set));
  write_text(dir / "report.html", html_report(set));
}

}  // namespace reports
