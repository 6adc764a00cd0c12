// report.html opened in headless Chromium: the counts it shows agree with index.json, the
// outcome, profile and section filters (set from the URL fragment, as a reader's link would)
// show exactly the matching cases, and a screenshot is saved beside the report. A page whose
// script breaks fails here: the script marks <body data-ready="yes"> only when it ran to the
// end, and the filters and the "showing" count come from it. Chromium missing is a failure with
// a message, never a skip.
#include "fixed_run.hpp"
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
    set_ = fixedrun::report_set();
    reports::write_all(set_, dir_);
    std::ifstream in(dir_ / "index.json");
    index_ = nlohmann::json::parse(in);
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
  // Rows the script hid carry hidden=""; count the others whose attribute `name` is `value`
  // (any value when empty).
  static int visible_rows(const std::string& html, const std::string& name = "", const std::string& value = "") {
    std::regex row("<details class=\"case\"[^>]*>");
    int count = 0;
    for (std::sregex_iterator it(html.begin(), html.end(), row), end; it != end; ++it) {
      std::string tag = it->str();
      if (tag.find("hidden") != std::string::npos) continue;
      if (!name.empty() && tag.find("data-" + name + "=\"" + value + "\"") == std::string::npos) continue;
      ++count;
    }
    return count;
  }
  static bool ready(const std::string& html) { return html.find("data-ready=\"yes\"") != std::string::npos; }
  int count_in_index(const std::string& key, const std::string& value) const {
    int n = 0;
    for (const auto& line : index_["cases"]) n += line.value(key, "") == value;
    return n;
  }
  int section_count(const std::string& citation) const {
    int n = 0;
    for (const auto& line : index_["cases"]) n += line["spec"].value("citation", "") == citation;
    return n;
  }

  // Cases of the index a filter should show; an empty value matches anything.
  int matching(const std::string& outcome, const std::string& profile, const std::string& citation) const {
    int n = 0;
    for (const auto& line : set_.index["cases"])
      if ((outcome.empty() || line["outcome"] == outcome) && (profile.empty() || line["profile"] == profile) &&
          (citation.empty() || line["spec"]["citation"] == citation))
        ++n;
    return n;
  }

  fs::path dir_;
  reports::ReportSet set_;
  nlohmann::json index_;  // as written to disk
};

}  // namespace

TEST_F(ReportInChromium, CountsAgreeWithTheIndex) {
  std::string html = dom("");
  ASSERT_FALSE(html.empty()) << "chromium rendered nothing";
  ASSERT_TRUE(ready(html)) << "the page's script did not run to the end";
  for (const char* outcome : {"pass", "fail", "non_strict", "informational", "unsupported", "blocked", "error"}) {
    std::smatch match;
    ASSERT_TRUE(std::regex_search(html, match, std::regex(std::string("id=\"count-") + outcome + "\">([0-9]+)<")))
        << outcome;
    EXPECT_EQ(std::stoi(match[1]), index_["counts"][outcome].get<int>()) << outcome;
    EXPECT_EQ(std::stoi(match[1]), count_in_index("outcome", outcome)) << outcome;
  }
  const nlohmann::json& gate = index_["gate"];
  for (auto [id, key] : {std::pair{"known", "known_failures"}, {"stale", "stale_known_failures"}, {"flaky", "flaky"}}) {
    std::smatch match;
    ASSERT_TRUE(std::regex_search(html, match, std::regex(std::string("id=\"count-") + id + "\">([0-9]+)<"))) << id;
    EXPECT_EQ(std::stoi(match[1]), static_cast<int>(gate[key].size())) << id;
  }
  EXPECT_NE(html.find("id=\"verdict\">ERROR<"), std::string::npos) << "the verdict follows exit code 2";
  EXPECT_EQ(shown(html), static_cast<int>(index_["cases"].size()));
  EXPECT_EQ(visible_rows(html), static_cast<int>(index_["cases"].size()));
}

TEST_F(ReportInChromium, FiltersFromTheUrlShowExactlyTheMatchingCases) {
  std::string failing = dom("#outcome=fail");
  ASSERT_TRUE(ready(failing)) << "the page's script did not run to the end";
  int fails = index_["counts"]["fail"].get<int>();
  ASSERT_GT(fails, 0);
  EXPECT_EQ(shown(failing), fails);
  EXPECT_EQ(visible_rows(failing), fails);
  EXPECT_EQ(visible_rows(failing, "outcome", "fail"), fails);

  std::string okta = dom("#profile=okta-spec");
  EXPECT_EQ(shown(okta), count_in_index("profile", "okta-spec"));
  EXPECT_EQ(visible_rows(okta), count_in_index("profile", "okta-spec"));

  // A section's citation holds a space and "§": the link carries it percent-encoded.
  std::string section = dom("#section=RFC%207644%20%C2%A73.4.2.2");
  EXPECT_EQ(shown(section), section_count("RFC 7644 §3.4.2.2"));
  EXPECT_EQ(visible_rows(section), section_count("RFC 7644 §3.4.2.2"));
  EXPECT_EQ(section_count("RFC 7644 §3.4.2.2"), 3);

  std::string passing_rfc = dom("#outcome=pass&profile=rfc");
  int expected = 0;
  for (const auto& line : index_["cases"]) expected += line["outcome"] == "pass" && line["profile"] == "rfc";
  EXPECT_EQ(shown(passing_rfc), expected);
  EXPECT_EQ(visible_rows(passing_rfc), expected);
  EXPECT_LT(expected, index_["counts"]["pass"].get<int>()) << "the profile filter narrowed the outcome filter";
}

TEST_F(ReportInChromium, SavesAScreenshot) {
  fs::path shot = dir_ / "report.png";
  chromium("--window-size=1280,1600 --screenshot=" + shot.string(), "");
  ASSERT_TRUE(fs::exists(shot));
  EXPECT_GT(fs::file_size(shot), 10000u) << "the screenshot is (nearly) empty";
  // Kept for a human to look at when the test runs in CI.
  fs::copy_file(shot, fs::temp_directory_path() / "scimulator-report.png", fs::copy_options::overwrite_existing);
}
