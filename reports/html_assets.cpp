// The style sheet and script of report.html, kept apart from the markup so each reads on its
// own. Both are inlined in the page: it must work offline, from a CI artifact or an e-mail.
#include "reports/html_assets.hpp"

namespace reports {

const char* html_style() {
  return R"css(
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
details.case[hidden] { display: none; }
table.data td { font-size: 12px; }
.note { color: #57606a; }
@page { margin: 12mm; }
@media print {
  .filters { display: none; }
  body { max-width: none; padding: 0; font-size: 11px; }
  details.case { break-inside: avoid; }
  details.case > summary { list-style: none; }
  pre { font-size: 9px; }
  .verdict, .bar i { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr { break-inside: avoid; }
}
)css";
}

const char* html_script() {
  return R"js(
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
  // Printing shows every case that passes the filters, opened.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details.case').forEach(function (d) { d.open = true; });
  });
  // Only a script that ran to the end marks the page: a test can tell a broken page.
  document.body.setAttribute('data-ready', 'yes');
})();
)js";
}

}  // namespace reports
