#include "reports/html_report.hpp"

#include "reports/html_assets.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

namespace reports {

namespace {

const std::vector<std::string> kOutcomes = {"pass", "fail", "non_strict", "informational", "unsupported", "blocked", "error"};

std::string section_of(const nlohmann::json& spec) { return spec.value("citation", spec.value("document", "")); }

template <class Values>
std::string options(const Values& values) {
  std::string out = "<option value=\"\">all</option>";
  for (const auto& value : values) out += "<option value=\"" + escape_html(value) + "\">" + escape_html(value) + "</option>";
  return out;
}

std::string pretty_body(const std::string& body) {
  if (body.empty()) return "";
  // ordered_json keeps the members in the order they went over the wire.
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(body, nullptr, false);
  return parsed.is_discarded() ? body : parsed.dump(2);
}

std::string milliseconds(long long microseconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", static_cast<double>(microseconds) / 1000.0);
  return buffer;
}

std::string wire_log(const nlohmann::json& record) {
  std::string out;
  int n = 0;
  for (const auto& exchange : record.value("exchanges", nlohmann::json::array())) {
    const nlohmann::json request = exchange.value("request", nlohmann::json::object());
    const nlohmann::json response = exchange.value("response", nlohmann::json::object());
    std::string text = "#" + std::to_string(++n) + "  " + request.value("method", "") + " " + request.value("url", "") + "\n";
    for (const auto& header : request.value("headers", nlohmann::json::array()))
      text += header[0].get<std::string>() + ": " + header[1].get<std::string>() + "\n";
    if (std::string body = pretty_body(request.value("body", "")); !body.empty()) text += "\n" + body + "\n";
    text += "\n<- " + std::to_string(response.value("status", 0)) + "  (" +
            milliseconds(exchange.value("duration_us", 0)) + " ms)\n";
    for (const auto& header : response.value("headers", nlohmann::json::array()))
      text += header[0].get<std::string>() + ": " + header[1].get<std::string>() + "\n";
    if (exchange.contains("transport_error")) text += "transport error: " + exchange.value("transport_error", "") + "\n";
    if (std::string body = pretty_body(response.value("body", "")); !body.empty()) text += "\n" + body + "\n";
    out += "<pre>" + escape_html(text) + "</pre>";
  }
  if (n == 0) return "";
  return "<p><b>Wire log</b> (" + std::to_string(n) + (n == 1 ? " exchange" : " exchanges") + ")</p>" + out;
}

std::string checks_table(const nlohmann::json& record) {
  std::string rows;
  for (const auto& check : record.value("checks", nlohmann::json::array())) {
    if (check.value("passed", true)) continue;
    rows += "<tr><td>" + escape_html(check.value("what", "")) + "</td><td>" + escape_html(check.value("level", "")) +
            "</td><td>" + escape_html(check.value("citation", "")) + "</td><td><pre>" +
            escape_html(check.value("expected", "")) + "</pre></td><td><pre>" + escape_html(check.value("actual", "")) +
            "</pre></td></tr>";
  }
  if (rows.empty()) return "";
  return "<table><tr><th>check</th><th>level</th><th>requirement</th><th>expected</th><th>actual</th></tr>" + rows +
         "</table>";
}

// "RFC 7644 §3.4.2" before "RFC 7644 §3.10": numbers compare as numbers.
struct NaturalLess {
  bool operator()(const std::string& a, const std::string& b) const {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
      if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
        std::size_t ei = i, ej = j;
        while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
        while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
        unsigned long x = std::stoul(a.substr(i, ei - i)), y = std::stoul(b.substr(j, ej - j));
        if (x != y) return x < y;
        i = ei;
        j = ej;
      } else {
        if (a[i] != b[j]) return a[i] < b[j];
        ++i;
        ++j;
      }
    }
    return a.size() - i < b.size() - j;
  }
};

struct Rate {
  int passed = 0, judged = 0;
};

std::string rate_cell(const Rate& rate) {
  if (rate.judged == 0) return "<td class=\"num\">–</td>";
  int percent = rate.passed * 100 / rate.judged;
  return "<td class=\"num\">" + std::to_string(rate.passed) + "/" + std::to_string(rate.judged) + " (" +
         std::to_string(percent) + "%) <span class=\"bar\"><i style=\"width:" + std::to_string(percent) +
         "%\"></i></span></td>";
}

}  // namespace

std::string escape_html(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}


namespace {

std::string cell_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

// An array of JSON objects as a table: the usual leading keys first, then the rest by name.
// `simulate` fills these (drift items, timeline entries); the writer needs no knowledge of them.
std::string data_table(const std::string& id, const nlohmann::json& rows, std::size_t most, const std::string& whole) {
  static const std::vector<std::string> kLeading = {"minute", "cycle", "kind", "object", "key", "name"};
  std::vector<std::string> columns;
  for (const auto& key : kLeading)
    for (const auto& row : rows)
      if (row.is_object() && row.contains(key)) {
        columns.push_back(key);
        break;
      }
  std::set<std::string> rest;
  for (const auto& row : rows)
    if (row.is_object())
      for (const auto& [key, value] : row.items())
        if (std::find(columns.begin(), columns.end(), key) == columns.end()) rest.insert(key);
  columns.insert(columns.end(), rest.begin(), rest.end());
  std::string html = "<table class=\"data\" id=\"" + id + "\"><tr>";
  for (const auto& column : columns) html += "<th>" + escape_html(column) + "</th>";
  html += "</tr>";
  std::size_t n = 0;
  for (const auto& row : rows) {
    if (++n > most) break;
    html += "<tr>";
    for (const auto& column : columns)
      html += "<td>" + escape_html(row.is_object() && row.contains(column) ? cell_text(row[column]) : "") + "</td>";
    html += "</tr>";
  }
  html += "</table>\n";
  if (rows.size() > most)
    html += "<p class=\"note\">The first " + std::to_string(most) + " of " + std::to_string(rows.size()) + "; " +
            escape_html(whole) + " holds them all.</p>\n";
  return html;
}

std::string simulation_sections(const nlohmann::json& simulation) {
  const nlohmann::json drift = simulation.value("drift", nlohmann::json::array());
  const nlohmann::json timeline = simulation.value("timeline", nlohmann::json::array());
  bool converged = simulation.value("converged", drift.empty());
  std::string html = "<h2>Drift</h2>\n<p id=\"convergence\">" +
                     std::string(converged ? "The target converged: no orphaned, missing or drifted accounts."
                                           : "The target did not converge: " + std::to_string(drift.size()) +
                                                 " drift items.") +
                     "</p>\n";
  std::string counts;
  const nlohmann::json kinds = simulation.value("counts", nlohmann::json::object());
  for (const auto& [kind, n] : kinds.items())
    if (!n.is_number() || n.get<double>() != 0)
      counts += "<span>" + escape_html(kind) + " <b>" + escape_html(cell_text(n)) + "</b></span>";
  if (!counts.empty()) html += "<div class=\"counts\">" + counts + "</div>\n";
  // What the wire saw: a throttled target must show its 429s and the retries they cost.
  if (const nlohmann::json wire = simulation.value("wire", nlohmann::json::object()); !wire.empty())
    html += "<p id=\"wire\">" + escape_html(cell_text(wire.value("requests", nlohmann::json(0)))) + " requests, " +
            escape_html(cell_text(wire.value("throttled", nlohmann::json(0)))) + " answered 429, " +
            escape_html(cell_text(wire.value("retries", nlohmann::json(0)))) + " retried after Retry-After, " +
            escape_html(cell_text(wire.value("transport_errors", nlohmann::json(0)))) + " transport errors.</p>\n";
  if (!drift.empty()) html += data_table("drift", drift, 1000, "drift.json");
  if (!timeline.empty()) html += "<h2>Timeline of cycles</h2>\n" + data_table("timeline", timeline, 2000, "timeline.json");
  return html;
}

}  // namespace

std::string html_report(const ReportSet& set) {
  const nlohmann::json run = set.index.value("run", nlohmann::json::object());
  const nlohmann::json lines = set.index.value("cases", nlohmann::json::array());
  const nlohmann::json counts = set.index.value("counts", nlohmann::json::object());
  int exit_code = set.index.value("exit_code", 2);
  std::string verdict = verdict_of(set.index);

  // The compliance matrix: per section, how many judged MUST (and SHOULD) cases held. A case
  // not judged (unsupported, blocked) is left out of the rates and counted apart, as is a MAY.
  struct Row {
    Rate must, should;
    int not_rated = 0;
  };
  std::map<std::string, Row, NaturalLess> matrix;
  std::set<std::string> profiles;
  std::set<std::string, NaturalLess> sections;
  int known = 0, stale = 0, flaky = 0, rejected = 0;
  for (const auto& line : lines) {
    const nlohmann::json spec = line.value("spec", nlohmann::json::object());
    std::string section = section_of(spec);
    profiles.insert(line.value("profile", ""));
    sections.insert(section);
    GateEffect effect = gate_effect(line);
    known += effect == GateEffect::known_failure;
    stale += effect == GateEffect::stale;
    flaky += line.value("flaky", false);
    rejected += vendor_rejects(line);
    std::string outcome = line.value("outcome", "");
    std::string level = spec.value("level", "MUST");
    Row& row = matrix[section];
    if (outcome == "unsupported" || outcome == "blocked" || level == "MAY") {
      ++row.not_rated;
      continue;
    }
    Rate& rate = level == "SHOULD" ? row.should : row.must;
    ++rate.judged;
    if (level == "SHOULD" ? outcome == "pass" : !gate_failing(outcome)) ++rate.passed;
  }

  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<title>scimulator report: " + escape_html(verdict) + " " + escape_html(run.value("target", "")) +
                     "</title><style>" + html_style() + "</style></head><body>\n";
  html += "<h1>scimulator " + escape_html(set.index.value("kind", "run")) + " <span class=\"verdict " + verdict +
          "\" id=\"verdict\">" + verdict + "</span></h1>\n";
  html += "<div class=\"meta\">target <code>" + escape_html(run.value("target", "")) + "</code> · profile " +
          escape_html(run.value("profile", "")) + " · started " + escape_html(run.value("started", "")) + " · " +
          std::to_string(run.value("duration_ms", 0)) + " ms · scimulator " + escape_html(run.value("harness_version", "")) +
          (run.contains("scenario") ? " · scenario " + escape_html(run.value("scenario", "")) : "") +
          (run.contains("catalog_checksum") ? " · catalog " + escape_html(run.value("catalog_checksum", "").substr(0, 12)) : "") +
          " · exit code " + std::to_string(exit_code) + "</div>\n";
  // A simulation without cases has no case outcomes to count: its drift section says it all.
  if (!lines.empty() || !set.index.contains("simulation")) {
    html += "<div class=\"counts\" id=\"counts\"><span>cases <b id=\"count-total\">" + std::to_string(lines.size()) +
            "</b></span>";
    for (const auto& outcome : kOutcomes)
      html += "<span class=\"o-" + outcome + "\">" + outcome + " <b id=\"count-" + outcome + "\">" +
              std::to_string(counts.value(outcome, 0)) + "</b></span>";
    html += "</div>\n";
  }
  std::string gate;
  auto gate_count = [&gate](const char* id, int n, const char* text) {
    if (n) gate += "<span>" + std::string(text) + " <b id=\"count-" + id + "\">" + std::to_string(n) + "</b></span>";
  };
  gate_count("vendor-rejected", rejected, "rejected by the modelled vendor");
  gate_count("known", known, "known failures");
  gate_count("stale", stale, "stale known failures (they pass now: remove them from the list)");
  gate_count("flaky", flaky, "flaky (failed, then passed on a retry)");
  if (!gate.empty()) html += "<div class=\"counts\" id=\"gate\">" + gate + "</div>\n";

  if (set.index.contains("simulation")) html += simulation_sections(set.index["simulation"]);

  if (!lines.empty()) {
    html += "<h2>Compliance by section</h2>\n<table id=\"matrix\"><tr><th>requirement</th><th>MUST held</th><th>SHOULD "
            "held</th><th title=\"unsupported, blocked, or MAY\">not rated</th></tr>";
    for (const auto& [section, row] : matrix)
      html += "<tr><td>" + escape_html(section) + "</td>" + rate_cell(row.must) + rate_cell(row.should) +
              "<td class=\"num\">" + (row.not_rated ? std::to_string(row.not_rated) : "–") + "</td></tr>";
    html += "</table>\n";
  }

  html += "<h2>Cases</h2>\n<div class=\"filters\"><label>outcome <select id=\"f-outcome\">" +
          options(std::set<std::string>(kOutcomes.begin(), kOutcomes.end())) +
          "</select></label><label>profile <select id=\"f-profile\">" + options(profiles) +
          "</select></label><label>section <select id=\"f-section\">" + options(sections) +
          "</select></label>showing <b id=\"shown\">" + std::to_string(lines.size()) + "</b></div>\n";
  for (const auto& line : lines) {
    std::string id = line.value("id", "");
    std::string outcome = line.value("outcome", "");
    const nlohmann::json& record = set.cases.count(id) ? set.cases.at(id) : line;
    const nlohmann::json line_spec = line.value("spec", nlohmann::json::object());
    const nlohmann::json spec = record.value("spec", line_spec);
    GateEffect effect = gate_effect(line);
    html += "<details class=\"case\" data-outcome=\"" + escape_html(outcome) + "\" data-profile=\"" +
            escape_html(line.value("profile", "")) + "\" data-section=\"" + escape_html(section_of(line_spec)) +
            "\"><summary><span class=\"o o-" + escape_html(outcome) + "\">" + escape_html(outcome) +
            (effect == GateEffect::known_failure ? " (known)" : "") +
            (effect == GateEffect::stale ? " (stale known failure)" : "") +
            (line.value("flaky", false) ? " (flaky)" : "") + "</span> <code>" + escape_html(id) + "</code> " +
            escape_html(line.value("title", "")) + "</summary>";
    html += "<p><b>" + escape_html(spec.value("citation", "")) + "</b> (" + escape_html(spec.value("level", "")) + ")</p>";
    if (!spec.value("quote", "").empty()) html += "<blockquote>" + escape_html(spec.value("quote", "")) + "</blockquote>";
    if (!line.value("reason", "").empty()) html += "<p>" + escape_html(line.value("reason", "")) + "</p>";
    if (!line.value("blocked_by", "").empty()) html += "<p>Blocked by <code>" + escape_html(line.value("blocked_by", "")) + "</code>.</p>";
    if (line.value("flaky", false))
      html += "<p>Failed, then passed on attempt " + std::to_string(line.value("attempts", 1)) + ".</p>";
    else if (line.value("attempts", 1) > 1)
      html += "<p>Failed on all " + std::to_string(line.value("attempts", 1)) + " attempts.</p>";
    if (effect == GateEffect::stale)
      html += "<p>Listed in --known-failures but passes now: remove it from the list.</p>";
    if (line.contains("vendor_verdict"))
      html += "<p>" + escape_html(line["vendor_verdict"].value("vendor", "")) + ": " +
              (line["vendor_verdict"].value("accepted", true) ? "would accept" : "would reject") + ". " +
              escape_html(line["vendor_verdict"].value("note", "")) + "</p>";
    html += checks_table(record);
    if ((outcome != "pass" || effect != GateEffect::passes) && !record.value("hint", "").empty())
      html += "<p class=\"hint\">How to fix: " + escape_html(record.value("hint", "")) + "</p>";
    html += wire_log(record) + "</details>\n";
  }
  html += std::string("<script>") + html_script() + "</script>\n</body></html>\n";
  return html;
}

}  // namespace reports
