#include "reports/report_set.hpp"

#include "reports/html_report.hpp"
#include "reports/junit_xml.hpp"
#include "reports/summary_md.hpp"

#include <cctype>
#include <fstream>
#include <set>
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

bool vendor_rejects(const nlohmann::json& line) {
  return line.contains("vendor_verdict") && !line["vendor_verdict"].value("accepted", true);
}

GateEffect gate_effect(const nlohmann::json& line) {
  std::string outcome = line.value("outcome", "");
  if (outcome == "error") return GateEffect::harness_error;
  if (line.value("stale_known_failure", false)) return GateEffect::stale;
  if (line.value("known_failure", false)) return GateEffect::known_failure;
  if (outcome == "fail" || vendor_rejects(line)) return GateEffect::fails;
  return GateEffect::passes;
}

std::string verdict_of(const nlohmann::json& index) {
  int code = index.value("exit_code", 2);
  return code == 0 ? "PASS" : code == 1 ? "FAIL" : "ERROR";
}

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
               {"kind", results.value("kind", "run")},
               {"run", results.value("run", nlohmann::json::object())},
               {"counts", results.value("counts", nlohmann::json::object())},
               {"exit_code", results.value("exit_code", 2)},
               {"cases", lines}};
  if (results.contains("gate")) set.index["gate"] = results["gate"];
  if (results.contains("simulation")) set.index["simulation"] = results["simulation"];
  return set;
}

ReportSet load(const fs::path& dir) {
  ReportSet set;
  set.index = read_json(dir / "index.json");
  if (set.index.value("format", "") != "scimulator-index")
    throw std::runtime_error((dir / "index.json").string() + " is not a scimulator index");
  // The file name comes from the id, never from the index's "file" member, so an index cannot
  // point outside its directory.
  for (const auto& line : set.index.value("cases", nlohmann::json::array())) {
    std::string id = line.value("id", "");
    set.cases[id] = read_json(dir / "cases" / case_file_name(id));
  }
  return set;
}

void write_all(const ReportSet& set, const fs::path& dir) {
  fs::create_directories(dir / "cases");
  // dump() sorts keys (nlohmann::json objects are ordered maps): two runs diff cleanly.
  write_text(dir / "index.json", set.index.dump(2) + "\n");
  std::set<std::string> names;
  for (const auto& [id, record] : set.cases) {
    names.insert(case_file_name(id));
    write_text(dir / "cases" / case_file_name(id), record.dump(2) + "\n");
  }
  // A directory reused by another run keeps no case file of the earlier one.
  for (const auto& entry : fs::directory_iterator(dir / "cases"))
    if (entry.is_regular_file() && entry.path().extension() == ".json" && !names.count(entry.path().filename().string()))
      fs::remove(entry.path());
  write_text(dir / "junit.xml", junit_xml(set));
  write_text(dir / "summary.md", summary_md(set));
  write_text(dir / "report.html", html_report(set));
}

}  // namespace reports
