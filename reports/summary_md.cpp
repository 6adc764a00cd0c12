#include "reports/summary_md.hpp"

namespace reports {

namespace {

std::string escape_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

constexpr int kMostShown = 25;

}  // namespace

std::string summary_md(const ReportSet& set) {
  const nlohmann::json run = set.index.value("run", nlohmann::json::object());
  const nlohmann::json lines = set.index.value("cases", nlohmann::json::array());
  const nlohmann::json counts = set.index.value("counts", nlohmann::json::object());
  std::string out = "## scimulator " + set.index.value("kind", "run") + ": " + verdict_of(set.index) + "\n\n";
  // A simulation has no cases: its scenario and its convergence say what it did.
  bool simulation_only = lines.empty() && set.index.contains("simulation");
  std::string what = simulation_only ? "scenario `" + run.value("scenario", "") + "`"
                                     : std::to_string(lines.size()) + " cases";
  std::string catalog = run.value("catalog_checksum", "").substr(0, 12);
  out += "Target `" + run.value("target", "") + "`, profile `" + run.value("profile", "") + "`, " + what + " in " +
         std::to_string(run.value("duration_ms", 0)) + " ms (" + (catalog.empty() ? "" : "catalog " + catalog + ", ") +
         "scimulator " + run.value("harness_version", "") + ", exit code " +
         std::to_string(set.index.value("exit_code", 2)) + ").\n\n";
  if (!simulation_only) {
    out += "| pass | fail | non_strict | informational | unsupported | blocked | error |\n|---:|---:|---:|---:|---:|---:|---:|\n|";
    for (const char* outcome : {"pass", "fail", "non_strict", "informational", "unsupported", "blocked", "error"})
      out += " " + std::to_string(counts.value(outcome, 0)) + " |";
    out += "\n";
  }

  int known = 0, stale = 0, flaky = 0, rejected = 0;
  std::string attention;
  int shown = 0, more = 0;
  for (const auto& line : lines) {
    GateEffect effect = gate_effect(line);
    bool is_flaky = line.value("flaky", false), rejects = vendor_rejects(line);
    std::string outcome = line.value("outcome", "");
    known += effect == GateEffect::known_failure;
    stale += effect == GateEffect::stale;
    flaky += is_flaky;
    rejected += rejects;
    if (effect == GateEffect::passes && outcome != "non_strict" && !is_flaky) continue;
    if (shown == kMostShown) {
      ++more;
      continue;
    }
    ++shown;
    std::string label = outcome + (effect == GateEffect::known_failure ? " (known)" : "") +
                        (effect == GateEffect::stale ? " (stale known failure)" : "") +
                        (is_flaky ? " (flaky: " + std::to_string(line.value("attempts", 1)) + " attempts)" : "") +
                        (rejects ? " (" + line["vendor_verdict"].value("vendor", "") + " would reject)" : "");
    std::string why = line.value("reason", "");
    if (why.empty() && rejects) why = line["vendor_verdict"].value("note", "");
    const nlohmann::json spec = line.value("spec", nlohmann::json::object());
    attention += "| " + label + " | `" + line.value("id", "") + "` | " + spec.value("citation", "") + " | " +
                 escape_cell(why) + " |\n";
  }
  if (known || stale || flaky || rejected) {
    out += "\n";
    std::string sep;
    if (rejected) out += sep + std::to_string(rejected) + " rejected by the vendor they model", sep = "; ";
    if (known) out += sep + std::to_string(known) + " known failures", sep = "; ";
    if (stale) out += sep + std::to_string(stale) + " stale known failures (they pass now: remove them from the list)", sep = "; ";
    if (flaky) out += sep + std::to_string(flaky) + " flaky (failed, then passed on a retry)", sep = "; ";
    out += ".\n";
  }
  if (set.index.contains("simulation")) {
    const nlohmann::json& simulation = set.index["simulation"];
    const nlohmann::json drift = simulation.value("drift", nlohmann::json::array());
    bool converged = simulation.value("converged", drift.empty());
    out += "\n**Convergence:** " + std::string(converged ? "the target converged" : "the target did not converge") +
           " (" + std::to_string(drift.size()) + " drift items";
    const nlohmann::json kinds = simulation.value("counts", nlohmann::json::object());
    for (const auto& [kind, n] : kinds.items())
      if (n.is_number() && n.get<double>() > 0) out += "; " + kind + " " + n.dump();
    out += ").\n";
  }
  if (!attention.empty()) {
    out += "\n| outcome | case | requirement | why |\n|---|---|---|---|\n" + attention;
    if (more) out += "\n…and " + std::to_string(more) + " more in report.html.\n";
  }
  out += simulation_only ? "\nFull report: `report.html`; JUnit: `junit.xml`; drift: `drift.json`; timeline: `timeline.json`.\n"
                         : "\nFull report: `report.html`; JUnit: `junit.xml`; every exchange: `cases/`.\n";
  return out;
}

}  // namespace reports
