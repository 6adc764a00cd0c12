// report.html opened in headless Chromium: the counts it shows agree with index.json, the
// outcome and profile filters (set from the URL fragment, as a reader's link would) show exactly
// the matching cases, and a screenshot is saved beside the report. A page whose script breaks
// fails here, since the filters and the "showing" count come from the script.
#include "reports/report_set.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

namespace {

namespace fs = std::filesystem;

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[65536];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return out;
}

class ReportInChromium : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(CHROMIUM)) << CHROMIUM << " is missing: run tools/setup.sh (it installs Debian's chromium)";
    dir_ = fs::temp_directory_path() / ("scimulator-chromium-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    std::ifstream in(std::string(GOLDEN_DIR) + "/results.json");
    set_ = reports::from_results(nlohmann::json::parse(in));
    reports::write_all(set_, dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string chromium(const std::string& flags, const std::string& fragment) {
    std::string profile = (dir_ / "profile").string();
    return run(std::string("timeout 120 ") + CHROMIUM + " --headless --no-sandbox --disable-gpu --no-first-run "
               "--user-data-dir=" + profile + " --virtual-time-budget=3000 " + flags + " 'file://" +
               (dir_ / "report.html").string() + fragment + "' 2>/dev/null");
  }
  std::string dom(const std::string& fragment) { return chromium("--dump-dom", fragment); }

  static int shown(const std::string& html) {
    std::smatch match;
    if (!std::regex_search(html, match, std::regex("id=\"shown\">([0-9]+)<"))) return -1;
    return std::stoi(match[1]);
  }
  static int visible_rows(const std::string& html, const std::string& outcome) {
    // Rows the script hid carry hidden=""; count the others of this outcome.
    std::regex row("<details class=\"case\" data-outcome=\"" + outcome + "\"[^>]*>");
    int count = 0;
    for (std::sregex_iterator it(html.begin(), html.end(), row), end; it != end; ++it)
      if (it->str().find("hidden") == std::string::npos) ++count;
    return count;
  }

  fs::path dir_;
  reports::ReportSet set_;
};

}  // namespace

TEST_F(ReportInChromium, CountsAgreeWithTheIndex) {
  std::string html = dom("");
  ASSERT_FALSE(html.empty()) << "chromium rendered nothing";
  for (const char* outcome : {"pass", "fail", "non_strict", "unsupported", "blocked", "error"}) {
    std::smatch match;
    ASSERT_TRUE(std::regex_search(html, match, std::regex(std::string("id=\"count-") + outcome + "\">([0-9]+)<")))
        << outcome;
    EXPECT_EQ(std::stoi(match[1]), set_.index["counts"][outcome].get<int>()) << outcome;
  }
  EXPECT_EQ(shown(html), static_cast<int>(set_.index["cases"].size()));
}

TEST_F(ReportInChromium, FiltersFromTheUrlShowExactlyTheMatchingCases) {
  std::string failing = dom("#outcome=fail");
  EXPECT_EQ(shown(failing), set_.index["counts"]["fail"].get<int>());
  EXPECT_EQ(visible_rows(failing, "fail"), set_.index["counts"]["fail"].get<int>());
  EXPECT_EQ(visible_rows(failing, "pass"), 0);
  std::string okta = dom("#profile=okta-spec");
  EXPECT_EQ(shown(okta), 1);
  std::string passing_rfc = dom("#outcome=pass&profile=rfc");
  EXPECT_EQ(shown(passing_rfc), set_.index["counts"]["pass"].get<int>());
}

TEST_F(ReportInChromium, SavesAScreenshot) {
  fs::path shot = dir_ / "report.png";
  chromium("--window-size=1280,1600 --screenshot=" + shot.string(), "");
  ASSERT_TRUE(fs::exists(shot));
  EXPECT_GT(fs::file_size(shot), 10000u) << "the screenshot is (nearly) empty";
  // Kept for a human to look at when the test runs in CI.
  fs::copy_file(shot, fs::temp_directory_path() / "scimulator-report.png", fs::copy_options::overwrite_existing);
}
