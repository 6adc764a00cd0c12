// Secrets never reach a report: the --auth token, the admin token and passwords in the fixed
// run's wire logs, checks, reasons and URLs are absent from every file write_all puts on disk,
// and suites::redact covers the forms a secret takes on the wire.
#include "fixed_run.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(Redaction, NoWrittenFileHoldsASecret) {
  fs::path dir = fs::temp_directory_path() / ("scimulator-redaction-" + std::to_string(getpid()));
  fs::remove_all(dir);
  reports::write_all(fixedrun::report_set(), dir);
  std::ofstream(dir / "results.json") << fixedrun::results().dump(2);
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::string text = read(entry.path());
    for (const std::string& secret : {fixedrun::kToken, fixedrun::kAdminToken, fixedrun::kPassword})
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << entry.path();
  }
  EXPECT_EQ(files, 5 + 12) << "index.json, results.json, junit.xml, summary.md, report.html and a file per case";
  // What was redacted is still visibly there, so a reader sees which credential was used.
  std::string html = read(dir / "report.html");
  EXPECT_NE(html.find("Authorization: Bearer ***"), std::string::npos);
  EXPECT_NE(html.find("&quot;password&quot;: &quot;***&quot;"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Redaction, SecretsPasswordsAndUrlCredentials) {
  EXPECT_EQ(suites::redact("token abcd1234 and abcd1234", {"abcd1234"}), "token *** and ***");
  EXPECT_EQ(suites::redact("abc", {"abc"}), "abc") << "secrets shorter than 4 characters are not searched for";
  EXPECT_EQ(suites::redact(R"({"userName":"a","password":"p@ss \"quoted\""})", {}), R"({"userName":"a","password":"***"})");
  EXPECT_EQ(suites::redact(R"({"Password" : "x", "n": 1})", {}), R"({"Password" : "***", "n": 1})");
  EXPECT_EQ(suites::redact(R"({"name":"password","type":"string"})", {}), R"({"name":"password","type":"string"})")
      << "the /Schemas definition of password is not a password";
  EXPECT_EQ(suites::redact("https://user:pw@host.example/scim/v2?x=a@b", {}), "https://***@host.example/scim/v2?x=a@b");
  EXPECT_EQ(suites::redact("see https://host.example/a and mail a@b.example", {}), "see https://host.example/a and mail a@b.example");
}
