// `scimulator run` as a user meets it: the real binary, its exit codes, one-line errors, the
// catalog listing, config files, and results.json without the credentials it was given.
#include "cli_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code = -1;
  std::string output;  // stdout and stderr together
};

Outcome scimulator(const std::string& arguments) {
  std::string command = std::string(SCIMULATOR_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  Outcome out;
  if (!pipe) return out;
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.output.append(buffer.data(), n);
  int status = pclose(pipe);
  out.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

fs::path scratch(const std::string& name) { return clitest::scratch_dir("cli", name); }

int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST(RunCli, ListPrintsTheCatalogWithIdsLevelsAndSections) {
  Outcome out = scimulator("run --list");
  EXPECT_EQ(out.code, 0);
  EXPECT_GE(lines(out.output), 150);
  EXPECT_NE(out.output.find("rfc7644/3.3/duplicate-username-409"), std::string::npos);
  EXPECT_NE(out.output.find("RFC 7644 §3.3"), std::string::npos);
  EXPECT_NE(out.output.find("okta-spec/R9/"), std::string::npos);
}

TEST(RunCli, NoMatchingCaseIsExit2NeverAPass) {
  Outcome out = scimulator("run --select no-such-spec/");
  EXPECT_EQ(out.code, 2);
  EXPECT_EQ(lines(out.output), 1) << out.output;
  EXPECT_NE(out.output.find("no case matched"), std::string::npos);
}

TEST(RunCli, UsageMistakesAreOneLineAndExit2) {
  for (const char* arguments : {"run --profile nope", "run --auth token-without-scheme --target http://127.0.0.1:1/",
                                "run --target ftp://example.com", "run --concurrency 0", "run --config /no/such/file.json",
                                "run --server-fault no-such-fault"}) {
    Outcome out = scimulator(arguments);
    EXPECT_EQ(out.code, 2) << arguments << ": " << out.output;
    EXPECT_EQ(lines(out.output), 1) << arguments << ": " << out.output;
    EXPECT_EQ(out.output.rfind("scimulator: ", 0), 0u) << arguments << ": " << out.output;
  }
}

TEST(RunCli, UnreachableTargetIsAHarnessErrorExit2) {
  Outcome out = scimulator("run --target http://127.0.0.1:1/scim/v2 --auth bearer:x --select rfc7644/3.3");
  EXPECT_EQ(out.code, 2) << out.output;
  EXPECT_NE(out.output.find("cannot reach"), std::string::npos) << out.output;
}

TEST(RunCli, ASelectionPassesOnTheEmbeddedServerAndWritesResults) {
  fs::path dir = scratch("pass");
  Outcome out = scimulator("run --select rfc7644/3.3 --out " + dir.string());
  EXPECT_EQ(out.code, 0) << out.output;
  std::ifstream in(dir / "results.json");
  ASSERT_TRUE(in.good());
  nlohmann::json results = nlohmann::json::parse(in);
  EXPECT_EQ(results["exit_code"], 0);
  EXPECT_GT(results["counts"]["pass"].get<int>(), 3);
  EXPECT_TRUE(results["run"]["embedded"].get<bool>());
  for (const auto& c : results["cases"]) EXPECT_EQ(c["id"].get<std::string>().rfind("rfc7644/3.3", 0), 0u);
}

TEST(RunCli, ADeliberateServerFaultFailsTheGateWithExit1) {
  Outcome out = scimulator("run --select rfc7644/3.3 --server-fault create-returns-200 --out " + scratch("fault").string());
  EXPECT_EQ(out.code, 1) << out.output;
  EXPECT_NE(out.output.find("fail"), std::string::npos);
}

TEST(RunCli, ConfigFileGivesOptionsAndFlagsWin) {
  fs::path dir = scratch("config");
  std::ofstream(dir / "run.json") << R"({"select": ["no-such-spec/"], "profile": "rfc"})";
  Outcome from_file = scimulator("run --config " + (dir / "run.json").string());
  EXPECT_EQ(from_file.code, 2) << from_file.output;  // nothing matches the file's selection
  Outcome flag_wins = scimulator("run --config " + (dir / "run.json").string() + " --select rfc7644/3.3 --out " +
                                 (dir / "out").string());
  EXPECT_EQ(flag_wins.code, 0) << flag_wins.output;
  std::ofstream(dir / "bad.json") << R"({"colour": "blue"})";
  Outcome unknown = scimulator("run --config " + (dir / "bad.json").string());
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.output.find("colour"), std::string::npos);
}

// The embedded run's token is generated per run; against a served target the token given with
// --auth must appear nowhere in what the run writes.
TEST(RunCli, ResultsNeverHoldTheCredentials) {
  fs::path dir = scratch("secrets");
  const std::string token = "very-secret-token-4f9a2c";
  std::string serve = std::string(SCIMULATOR_BINARY) + " serve --port 0 --data :memory: --quiet --profile rfc --token " + token +
                      " > " + (dir / "serve.out").string() + " 2>&1 & echo $!";
  FILE* pipe = popen(serve.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  int pid = 0;
  ASSERT_EQ(fscanf(pipe, "%d", &pid), 1);
  pclose(pipe);
  std::string base;
  for (int i = 0; i < 100 && base.empty(); ++i) {
    std::ifstream in(dir / "serve.out");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("scimulator serve: listening on ", 0) == 0) base = line.substr(31);
    if (base.empty()) usleep(50000);
  }
  ASSERT_FALSE(base.empty());
  Outcome out = scimulator("run --target " + base + " --auth bearer:" + token +
                           " --select rfc7644/2 --select rfc7644/3.3 --out " + (dir / "out").string());
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  EXPECT_EQ(out.code, 0) << out.output;
  // Every file the run wrote: results.json, index.json, cases/, junit.xml, summary.md, report.html.
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "out")) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str().find(token), std::string::npos) << entry.path();
  }
  EXPECT_GE(files, 6);
  std::ifstream in(dir / "out" / "results.json");
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_GT(text.str().size(), 1000u);
  EXPECT_EQ(out.output.find(token), std::string::npos);
  EXPECT_NE(text.str().find("Bearer ***"), std::string::npos);
}

}  // namespace
