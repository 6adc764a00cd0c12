#pragma once
// The inline CSS and JavaScript of report.html. The script applies the filters (outcome,
// profile, section) from the select boxes and from the URL fragment (#outcome=fail&profile=rfc),
// keeps the fragment in step, shows the number of cases shown in #shown, opens every case before
// printing, and sets data-ready="yes" on <body> once it has run to the end.
namespace reports {

const char* html_style();
const char* html_script();

}  // namespace reports
