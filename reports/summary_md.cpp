#include "reports/summary_md.hpp"

namespace reports {

namespace {

std::string escape_cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string summary_md(const ReportSet& set) {
  const nlohmann::json& run = set.index["run"];
  int exit_code = set.index.value("exit_code", 2);
  std::string verdict = exit_code == 0 ? "PASS" : exit_code == 1 ? "FAIL" : "ERROR";
  std::string out = "## scimulator run: " + verdict + "\n\n";
  out += "Target `" + run.value("target", "") + "`, profile `" + run.value("profile", "") + "`, " +
         std::to_string(set.index["cases"].size()) + " cases in " + std::to_string(run.value("duration_ms", 0)) +
         " ms (catalog " + run.value("catalog_checksum", "").substr(0, 12) + ", scimulator " +
         run.value("harness_version", "") + ").\n\n";
  out += "| pass | fail | non_strict | informational | unsupported | blocked | error |\n|---:|---:|---:|---:|---:|---:|---:|\n|";
  for (const char* outcome : {"pass", "fail", "non_strict", "informational", "unsupported", "blocked", "error"})
    out += " " + std::to_string(set.index["counts"].value(outcome, 0)) + " |";
  out += "\n";
  std::string attention;
  int shown = 0, more = 0;
  for (const auto& line : set.index["cases"]) {
    std::string outcome = line.value("outcome", "");
    bool vendor_rejects = line.contains("vendor_verdict") && !line["vendor_verdict"].value("accepted", true);
    bool stale = line.value("stale_known_failure", false), flaky = line.value("flaky", false);
    if (!gate_failing(outcome) && outcome != "non_strict" && !vendor_rejects && !stale && !flaky) continue;
    if (shown == 25) {
      ++more;
      continue;
    }
    ++shown;
    std::string label = outcome + (line.value("known_failure", false) ? " (known)" : "") +
                        (stale ? " (stale known failure)" : "") +
                        (flaky ? " (flaky: " + std::to_string(line.value("attempts", 1)) + " attempts)" : "") +
                        (vendor_rejects ? " (" + line["vendor_verdict"].value("vendor", "") + " would reject)" : "");
    attention += "| " + label + " | `" + line.value("id", "") + "` | " + line["spec"].value("citation", "") + " | " +
                 escape_cell(line.value("reason", "")) + " |\n";
  }
  if (!attention.empty()) {
    out += "\n| outcome | case | requirement | why |\n|---|---|---|---|\n" + attention;
    if (more) out += "\n…and " + std::to_string(more) + " more in report.html.\n";
  }
  out += "\nFull report: `report.html`; JUnit: `junit.xml`; every exchange: `cases/`.\n";
  return out;
}

}  // namespace reports
