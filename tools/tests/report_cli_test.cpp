// `scimulator report` on real run directories: render rebuilds the formats a run wrote, diff
// finds what a deliberately broken server newly fails, and both refuse a directory that is not
// a run's in one line.
#include "cli_process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace {

namespace fs = std::filesystem;
using clitest::scimulator;

fs::path scratch(const std::string& name) { return clitest::scratch_dir("report", name); }

std::string read(const fs::path& file) { return clitest::read_text(file); }

}  // namespace

TEST(ReportCli, RenderRebuildsTheFormatsARunWrote) {
  fs::path dir = scratch("render");
  ASSERT_EQ(scimulator("run --select rfc7644/3.3 --quiet --out " + dir.string()).code, 0);
  for (const char* file : {"index.json", "junit.xml", "summary.md", "report.html", "results.json"})
    ASSERT_TRUE(fs::exists(dir / file)) << file;
  std::string junit = read(dir / "junit.xml");
  fs::remove(dir / "junit.xml");
  fs::remove(dir / "report.html");
  clitest::Outcome out = scimulator("report render " + dir.string());
  EXPECT_EQ(out.code, 0) << out.output;
  EXPECT_EQ(read(dir / "junit.xml"), junit);
  EXPECT_TRUE(fs::exists(dir / "report.html"));
}

TEST(ReportCli, DiffNamesWhatABrokenServerNewlyFailsAndGatesOnIt) {
  fs::path good = scratch("good"), bad = scratch("bad");
  ASSERT_EQ(scimulator("run --select rfc7644/3.3 --quiet --out " + good.string()).code, 0);
  ASSERT_EQ(scimulator("run --select rfc7644/3.3 --quiet --server-fault create-returns-200 --out " + bad.string()).code, 1);
  clitest::Outcome regress = scimulator("report diff " + good.string() + " " + bad.string());
  EXPECT_EQ(regress.code, 1) << regress.output;
  EXPECT_NE(regress.output.find("newly failing"), std::string::npos) << regress.output;
  EXPECT_NE(regress.output.find("rfc7644/3.3/create-user-201  pass -> fail"), std::string::npos) << regress.output;
  clitest::Outcome fixed = scimulator("report diff " + bad.string() + " " + good.string());
  EXPECT_EQ(fixed.code, 0) << fixed.output;
  EXPECT_NE(fixed.output.find("newly passing"), std::string::npos) << fixed.output;
}

TEST(ReportCli, ADirectoryThatIsNotARunIsOneLineAndExit2) {
  fs::path empty = scratch("empty");
  for (const std::string& arguments : {"report render " + empty.string(), "report diff " + empty.string() + " " + empty.string()}) {
    clitest::Outcome out = scimulator(arguments);
    EXPECT_EQ(out.code, 2) << out.output;
    EXPECT_EQ(std::count(out.output.begin(), out.output.end(), '\n'), 1) << out.output;
  }
}
