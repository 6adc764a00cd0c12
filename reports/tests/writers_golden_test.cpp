// Each writer on a fixed run (fixed_run.hpp: a RunSummary built here with one case of every
// outcome and gate mark, fixed times), from the runner's results JSON to every file of the report
// directory, compared byte for byte with its golden file in fixtures/golden/reports/. After an
// intended change, regenerate with SCIMULATOR_UPDATE_GOLDEN=1 and review the diff.
#include "fixed_run.hpp"
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

void expect_golden(const std::string& name, const std::string& actual) {
  fs::path golden = fs::path(GOLDEN_DIR) / name;
  if (std::getenv("SCIMULATOR_UPDATE_GOLDEN")) std::ofstream(golden, std::ios::binary) << actual;
  ASSERT_TRUE(fs::exists(golden)) << golden;
  EXPECT_EQ(actual, read(golden)) << name << " differs from its golden file; if intended, regenerate with "
                                              "SCIMULATOR_UPDATE_GOLDEN=1 and review the diff";
}

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("scimulator-golden-" + std::to_string(getpid())) / name;
  fs::remove_all(dir);
  return dir;
}

}  // namespace

TEST(ReportWriters, ResultsJson) { expect_golden("results.json", fixedrun::results().dump(2) + "\n"); }
TEST(ReportWriters, IndexJson) { expect_golden("index.json", fixedrun::report_set().index.dump(2) + "\n"); }
TEST(ReportWriters, JunitXml) { expect_golden("junit.xml", reports::junit_xml(fixedrun::report_set())); }
TEST(ReportWriters, SummaryMd) { expect_golden("summary.md", reports::summary_md(fixedrun::report_set())); }
TEST(ReportWriters, ReportHtml) { expect_golden("report.html", reports::html_report(fixedrun::report_set())); }
TEST(ReportWriters, CaseFile) {
  reports::ReportSet set = fixedrun::report_set();
  expect_golden("case-create-user-201.json", set.cases.at("rfc7644/3.3/create-user-201").dump(2) + "\n");
}

// write_all puts exactly the golden bytes on disk, one case file per case.
TEST(ReportWriters, WriteAllWritesTheGoldenFiles) {
  fs::path dir = scratch("write-all");
  reports::ReportSet set = fixedrun::report_set();
  fs::create_directories(dir / "cases");
  std::ofstream(dir / "cases" / "rfc7644__9__from-an-earlier-run.json") << "{}";
  reports::write_all(set, dir);
  EXPECT_FALSE(fs::exists(dir / "cases" / "rfc7644__9__from-an-earlier-run.json")) << "a reused directory keeps an old case";
  for (const char* file : {"index.json", "junit.xml", "summary.md", "report.html"})
    EXPECT_EQ(read(dir / file), read(fs::path(GOLDEN_DIR) / file)) << file;
  EXPECT_EQ(read(dir / "cases" / "rfc7644__3.3__create-user-201.json"),
            read(fs::path(GOLDEN_DIR) / "case-create-user-201.json"));
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir / "cases")) files += entry.is_regular_file();
  EXPECT_EQ(files, set.index["cases"].size());
  fs::remove_all(dir.parent_path());
}

TEST(ReportWriters, IndexKeysAreSortedAndTheSchemaVersioned) {
  nlohmann::json index = fixedrun::report_set().index;
  EXPECT_EQ(index["format"], "scimulator-index");
  EXPECT_EQ(index["format_version"], reports::kIndexVersion);
  EXPECT_EQ(index["kind"], "run");
  std::string text = index.dump(2);
  EXPECT_LT(text.find("\"cases\""), text.find("\"counts\""));
  EXPECT_LT(text.find("\"counts\""), text.find("\"exit_code\""));
  EXPECT_LT(text.find("\"exit_code\""), text.find("\"format\""));
  for (const char* key : {"target", "profile", "catalog_checksum", "started", "duration_ms", "harness_version"})
    EXPECT_TRUE(index["run"].contains(key)) << key;
  EXPECT_EQ(index["run"]["started"], "2026-11-23T10:00:00Z");
  EXPECT_EQ(index["exit_code"], 2) << "an error case makes the run exit 2";
}

TEST(ReportWriters, CaseFileNamesAreSafeAndDistinct) {
  EXPECT_EQ(reports::case_file_name("rfc7644/3.4.2.2/eq-username"), "rfc7644__3.4.2.2__eq-username.json");
  EXPECT_EQ(reports::case_file_name("a/b c:d"), "a__b-c-d.json");
  EXPECT_EQ(reports::case_file_name("../../etc/passwd"), "..__..__etc__passwd.json");
  EXPECT_NE(reports::case_file_name("a/b"), reports::case_file_name("a__b/"));
}

TEST(ReportWriters, RenderRebuildsEveryFormatFromTheDirectory) {
  fs::path dir = scratch("render");
  reports::ReportSet set = fixedrun::report_set();
  reports::write_all(set, dir);
  for (const char* file : {"report.html", "junit.xml", "summary.md"}) fs::remove(dir / file);
  reports::write_all(reports::load(dir), dir);
  for (const char* file : {"index.json", "junit.xml", "summary.md", "report.html"})
    EXPECT_EQ(read(dir / file), read(fs::path(GOLDEN_DIR) / file)) << file;
  fs::remove_all(dir.parent_path());
}

TEST(ReportWriters, LoadNamesAMissingCaseFile) {
  fs::path dir = scratch("missing");
  reports::write_all(fixedrun::report_set(), dir);
  fs::remove(dir / "cases" / "rfc7644__3.11__me-resource-or-501.json");
  try {
    reports::load(dir);
    FAIL() << "a directory without one of its case files loaded";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("rfc7644__3.11__me-resource-or-501.json"), std::string::npos) << error.what();
  }
  fs::remove_all(dir.parent_path());
}

TEST(ReportWriters, HtmlEscapesWhatTheTargetSent) {
  std::string html = reports::html_report(fixedrun::report_set());
  // The hint of the failing case holds "<here>" and "&": shown as text, never as markup.
  EXPECT_NE(html.find("&amp; a Location header &lt;here&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<here>"), std::string::npos);
}

TEST(ReportWriters, HtmlIsOneFileWithNoExternalAsset) {
  std::string html = reports::html_report(fixedrun::report_set());
  for (const char* reference : {"src=", "href=", "@import", "url("}) EXPECT_EQ(html.find(reference), std::string::npos) << reference;
  EXPECT_NE(html.find("@media print"), std::string::npos);
}

// `simulate` fills the same index with its drift report and timeline; every writer shows them.
TEST(ReportWriters, SimulationSectionsAppearWhenTheIndexHasThem) {
  nlohmann::json results = fixedrun::results();
  results["kind"] = "simulate";
  results["simulation"] = {
      {"converged", false},
      {"counts", {{"missing", 1}, {"orphaned", 0}}},
      {"drift", {{{"kind", "missing"}, {"object", "user"}, {"key", "ada@example.com"}, {"detail", "never created"}}}},
      {"timeline", {{{"minute", 0}, {"kind", "cycle"}, {"requests", 12}}, {{"minute", 40}, {"kind", "cycle"}, {"requests", 3}}}}};
  reports::ReportSet set = reports::from_results(results);
  std::string html = reports::html_report(set);
  EXPECT_NE(html.find("<h1>scimulator simulate"), std::string::npos);
  EXPECT_NE(html.find("id=\"drift\""), std::string::npos);
  EXPECT_NE(html.find("<td>ada@example.com</td>"), std::string::npos);
  EXPECT_NE(html.find("Timeline of cycles"), std::string::npos);
  EXPECT_NE(html.find("<td>40</td>"), std::string::npos);
  EXPECT_NE(reports::summary_md(set).find("the target did not converge (1 drift items; missing 1)"), std::string::npos);
  std::string junit = reports::junit_xml(set);
  EXPECT_NE(junit.find("<testcase classname=\"simulate\" name=\"convergence\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("type=\"drift\""), std::string::npos);
}
