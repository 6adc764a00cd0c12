// Each writer on a fixed results set (fixtures/golden/reports/results.json: one case of every
// outcome, a wire log, a vendor verdict), compared byte for byte with its golden file. After an
// intended change, regenerate with SCIMULATOR_UPDATE_GOLDEN=1 and review the diff.
#include "reports/html_report.hpp"
#include "reports/junit_xml.hpp"
#include "reports/report_set.hpp"
#include "reports/summary_md.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

reports::ReportSet fixed_set() {
  std::ifstream in(fs::path(GOLDEN_DIR) / "results.json");
  return reports::from_results(nlohmann::json::parse(in));
}

void expect_golden(const std::string& name, const std::string& actual) {
  fs::path golden = fs::path(GOLDEN_DIR) / name;
  if (std::getenv("SCIMULATOR_UPDATE_GOLDEN")) std::ofstream(golden, std::ios::binary) << actual;
  ASSERT_TRUE(fs::exists(golden)) << golden;
  EXPECT_EQ(actual, read(golden)) << name << " differs from its golden file; if intended, regenerate with "
                                              "SCIMULATOR_UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace

TEST(ReportWriters, IndexJson) { expect_golden("index.json", fixed_set().index.dump(2) + "\n"); }
TEST(ReportWriters, JunitXml) { expect_golden("junit.xml", reports::junit_xml(fixed_set())); }
TEST(ReportWriters, SummaryMd) { expect_golden("summary.md", reports::summary_md(fixed_set())); }
TEST(ReportWriters, ReportHtml) { expect_golden("report.html", reports::html_report(fixed_set())); }
TEST(ReportWriters, CaseFile) {
  reports::ReportSet set = fixed_set();
  expect_golden("case-create-user-201.json", set.cases.at("rfc7644/3.3/create-user-201").dump(2) + "\n");
}

TEST(ReportWriters, CaseFileNamesAreSafeAndDistinct) {
  EXPECT_EQ(reports::case_file_name("rfc7644/3.4.2.2/eq-username"), "rfc7644__3.4.2.2__eq-username.json");
  EXPECT_EQ(reports::case_file_name("a/b c:d"), "a__b-c-d.json");
  EXPECT_NE(reports::case_file_name("a/b"), reports::case_file_name("a__b/"));
}

TEST(ReportWriters, RenderRebuildsEveryFormatFromTheDirectory) {
  fs::path dir = fs::temp_directory_path() / ("scimulator-render-" + std::to_string(getpid()));
  fs::remove_all(dir);
  reports::ReportSet set = fixed_set();
  reports::write_all(set, dir);
  std::string html = read(dir / "report.html");
  fs::remove(dir / "report.html");
  fs::remove(dir / "junit.xml");
  reports::write_all(reports::load(dir), dir);
  EXPECT_EQ(read(dir / "report.html"), html);
  EXPECT_EQ(read(dir / "junit.xml"), reports::junit_xml(set));
  fs::remove_all(dir);
}

TEST(ReportWriters, HtmlEscapesWhatTheTargetSent) {
  std::string html = reports::html_report(fixed_set());
  // The hint of the failing case holds "<here>" and "&": shown as text, never as markup.
  EXPECT_NE(html.find("&amp; a Location header &lt;here&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<here>"), std::string::npos);
}
