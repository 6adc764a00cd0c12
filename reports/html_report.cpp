#include "reports/html_report.hpp"

#include <cctype>
#include <map>
#include <set>
#include <vector>

namespace reports {

namespace {

constexpr const char* kStyle = R"css(
:root { --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --skip:#57606a; --bg:#f6f8fa; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; color: #fff; font-weight: 600; }
.verdict.PASS { background: var(--pass); } .verdict.FAIL { background: var(--fail); } .verdict.ERROR { background: var(--warn); }
.meta { color: #57606a; margin: 6px 0 12px; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.counts span { margin-right: 14px; }
.o { display: inline-block; min-width: 92px; font-weight: 600; }
.o-pass { color: var(--pass); } .o-fail, .o-error { color: var(--fail); } .o-non_strict, .o-blocked { color: var(--warn); }
.o-informational, .o-unsupported { color: var(--skip); }
.filters { position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid #d0d7de; z-index: 1; }
.filters label { margin-right: 12px; }
details.case { border: 1px solid #d0d7de; border-radius: 6px; margin: 6px 0; padding: 4px 10px; }
details.case > summary { cursor: pointer; }
blockquote { margin: 6px 0; padding: 4px 10px; border-left: 3px solid #d0d7de; color: #424a53; }
pre { background: var(--bg); padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: 12px; }
.hint { background: #fff8c5; padding: 4px 8px; }
.bar { background: #eaeef2; height: 8px; width: 100px; display: inline-block; vertical-align: middle; }
.bar i { display: block; height: 8px; background: var(--pass); }
@media print { .filters { display: none; } details.case { break-inside: avoid; } body { max-width: none; } }
)css";

constexpr const char* kScript = R"js(
(function () {
  var keys = ['outcome', 'profile', 'section'];
  function readHash() {
    var state = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (pair) {
      var kv = pair.split('=');
      if (kv.length === 2) state[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1]);
    });
    return state;
  }
  function apply() {
    var want = {};
    keys.forEach(function (k) { want[k] = document.getElementById('f-' + k).value; });
    var shown = 0;
    document.querySelectorAll('details.case').forEach(function (row) {
      var ok = keys.every(function (k) { return !want[k] || row.dataset[k] === want[k]; });
      row.style.display = ok ? '' : 'none';
      row.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById('shown').textContent = String(shown);
    var parts = keys.filter(function (k) { return want[k]; }).map(function (k) {
      return encodeURIComponent(k) + '=' + encodeURIComponent(want[k]);
    });
    history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname);
  }
  var state = readHash();
  keys.forEach(function (k) {
    var select = document.getElementById('f-' + k);
    if (state[k]) select.value = state[k];
    select.addEventListener('change', apply);
  });
  apply();
  window.addEventListener('hashchange', function () {
    var s = readHash();
    keys.forEach(function (k) { document.getElementById('f-' + k).value = s[k] || ''; });
    apply();
  });
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details.case').forEach(function (d) { d.open = true; });
  });
})();
)js";

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
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  return parsed.is_discarded() ? body : parsed.dump(2);
}

std::string wire_log(const nlohmann::json& record) {
  std::string out;
  int n = 0;
  for (const auto& exchange : record.value("exchanges", nlohmann::json::array())) {
    const nlohmann::json& request = exchange["request"];
    const nlohmann::json& response = exchange["response"];
    std::string text = "#" + std::to_string(++n) + "  " + request.value("method", "") + " " + request.value("url", "") + "\n";
    for (const auto& header : request.value("headers", nlohmann::json::array()))
      text += header[0].get<std::string>() + ": " + header[1].get<std::string>() + "\n";
    if (std::string body = pretty_body(request.value("body", "")); !body.empty()) text += "\n" + body + "\n";
    text += "\n<- " + std::to_string(response.value("status", 0)) + "  (" +
            std::to_string(exchange.value("duration_us", 0) / 1000.0).substr(0, 6) + " ms)\n";
    for (const auto& header : response.value("headers", nlohmann::json::array()))
      text += header[0].get<std::string>() + ": " + header[1].get<std::string>() + "\n";
    if (exchange.contains("transport_error")) text += "transport error: " + exchange["transport_error"].get<std::string>() + "\n";
    if (std::string body = pretty_body(response.value("body", "")); !body.empty()) text += "\n" + body + "\n";
    out += "<pre>" + escape_html(text) + "</pre>";
  }
  return out;
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

std::string html_report(const ReportSet& set) {
  const nlohmann::json& run = set.index["run"];
  const nlohmann::json& lines = set.index["cases"];
  int exit_code = set.index.value("exit_code", 2);
  std::string verdict = exit_code == 0 ? "PASS" : exit_code == 1 ? "FAIL" : "ERROR";

  // The compliance matrix: per section, how many judged MUST (and SHOULD) cases held. A case
  // not judged (unsupported, blocked) is left out of the rate.
  std::map<std::string, std::pair<Rate, Rate>, NaturalLess> matrix;
  std::set<std::string> profiles;
  std::set<std::string, NaturalLess> sections;
  for (const auto& line : lines) {
    std::string section = section_of(line["spec"]);
    profiles.insert(line.value("profile", ""));
    sections.insert(section);
    std::string outcome = line.value("outcome", "");
    if (outcome == "unsupported" || outcome == "blocked") continue;
    std::string level = line["spec"].value("level", "MUST");
    auto& [must, should] = matrix[section];
    Rate& rate = level == "SHOULD" ? should : must;
    if (level == "MAY") continue;
    ++rate.judged;
    if (level == "SHOULD" ? outcome == "pass" : !gate_failing(outcome)) ++rate.passed;
  }

  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<title>scimulator report: " + escape_html(verdict) + " " + escape_html(run.value("target", "")) +
                     "</title><style>" + kStyle + "</style></head><body>\n";
  html += "<h1>scimulator <span class=\"verdict " + verdict + "\" id=\"verdict\">" + verdict + "</span></h1>\n";
  html += "<div class=\"meta\">target <code>" + escape_html(run.value("target", "")) + "</code> · profile " +
          escape_html(run.value("profile", "")) + " · started " + escape_html(run.value("started", "")) + " · " +
          std::to_string(run.value("duration_ms", 0)) + " ms · scimulator " + escape_html(run.value("harness_version", "")) +
          " · catalog " + escape_html(run.value("catalog_checksum", "").substr(0, 12)) + " · exit code " +
          std::to_string(exit_code) + "</div>\n";
  html += "<div class=\"counts\" id=\"counts\"><span>cases <b id=\"count-total\">" + std::to_string(lines.size()) +
          "</b></span>";
  for (const auto& outcome : kOutcomes)
    html += "<span class=\"o-" + outcome + "\">" + outcome + " <b id=\"count-" + outcome + "\">" +
            std::to_string(set.index["counts"].value(outcome, 0)) + "</b></span>";
  html += "</div>\n";

  html += "<h2>Compliance by section</h2>\n<table id=\"matrix\"><tr><th>requirement</th><th>MUST held</th><th>SHOULD held</th></tr>";
  for (const auto& [section, rates] : matrix)
    html += "<tr><td>" + escape_html(section) + "</td>" + rate_cell(rates.first) + rate_cell(rates.second) + "</tr>";
  html += "</table>\n";

  html += "<h2>Cases</h2>\n<div class=\"filters\"><label>outcome <select id=\"f-outcome\">" +
          options(std::set<std::string>(kOutcomes.begin(), kOutcomes.end())) +
          "</select></label><label>profile <select id=\"f-profile\">" + options(profiles) +
          "</select></label><label>section <select id=\"f-section\">" + options(sections) +
          "</select></label>showing <b id=\"shown\">" + std::to_string(lines.size()) + "</b></div>\n";
  for (const auto& line : lines) {
    std::string id = line.value("id", "");
    std::string outcome = line.value("outcome", "");
    const nlohmann::json& record = set.cases.count(id) ? set.cases.at(id) : line;
    const nlohmann::json& spec = record.value("spec", line["spec"]);
    html += "<details class=\"case\" data-outcome=\"" + escape_html(outcome) + "\" data-profile=\"" +
            escape_html(line.value("profile", "")) + "\" data-section=\"" + escape_html(section_of(line["spec"])) +
            "\"><summary><span class=\"o o-" + escape_html(outcome) + "\">" + escape_html(outcome) +
            (line.value("known_failure", false) ? " (known)" : "") +
            (line.value("stale_known_failure", false) ? " (stale known failure)" : "") +
            (line.value("flaky", false) ? " (flaky)" : "") + "</span> <code>" + escape_html(id) + "</code> " +
            escape_html(line.value("title", "")) + "</summary>";
    html += "<p><b>" + escape_html(spec.value("citation", "")) + "</b> (" + escape_html(spec.value("level", "")) + ")</p>";
    if (!spec.value("quote", "").empty()) html += "<blockquote>" + escape_html(spec.value("quote", "")) + "</blockquote>";
    if (!line.value("reason", "").empty()) html += "<p>" + escape_html(line.value("reason", "")) + "</p>";
    if (line.contains("vendor_verdict"))
      html += "<p>" + escape_html(line["vendor_verdict"].value("vendor", "")) + ": " +
              (line["vendor_verdict"].value("accepted", true) ? "would accept" : "would reject") + ". " +
              escape_html(line["vendor_verdict"].value("note", "")) + "</p>";
    html += checks_table(record);
    if (outcome != "pass" && !record.value("hint", "").empty())
      html += "<p class=\"hint\">How to fix: " + escape_html(record.value("hint", "")) + "</p>";
    html += wire_log(record) + "</details>\n";
  }
  html += std::string("<script>") + kScript + "</script>\n</body></html>\n";
  return html;
}

}  // namespace reports
