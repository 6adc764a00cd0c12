// The exit-code rules of `run` with --known-failures and --retries, on the real binary: listed
// failures pass the gate, a listed case that passes fails it as stale, retries never turn a
// steady failure into a pass, and a bad list is one line and exit 2 before anything runs.
#include "cli_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace {

namespace fs = std::filesystem;
using clitest::scimulator;

const std::string kSelection = "--select rfc7644/3.3 --select okta-spec/R6 --quiet";
const std::string kFault = " --server-fault create-returns-200";

fs::path scratch(const std::string& name) { return clitest::scratch_dir("gate", name); }

nlohmann::json index_of(const fs::path& dir) {
  std::ifstream in(dir / "index.json");
  return nlohmann::json::parse(in);
}

// The cases that fail the gate in a run: fail, or a vendor that would reject the answer.
std::vector<std::string> gate_failures(const nlohmann::json& index) {
  std::vector<std::string> ids;
  for (const auto& c : index["cases"])
    if (c["outcome"] == "fail" || (c.contains("vendor_verdict") && !c["vendor_verdict"]["accepted"].get<bool>()))
      ids.push_back(c["id"]);
  return ids;
}

}  // namespace

TEST(RunGate, KnownFailuresPassTheGateAndStaleOnesFailIt) {
  fs::path first = scratch("first"), listed = scratch("listed"), clean = scratch("clean");
  ASSERT_EQ(scimulator("run " + kSelection + kFault + " --out " + first.string()).code, 1);
  std::vector<std::string> failing = gate_failures(index_of(first));
  ASSERT_FALSE(failing.empty());
  fs::path list = first / "known.txt";
  {
    std::ofstream out(list);
    out << "# the server answers creates with 200, tracked upstream\n";
    for (const auto& id : failing) out << id << "\n";
  }
  clitest::Outcome excused = scimulator("run " + kSelection + kFault + " --known-failures " + list.string() + " --out " + listed.string());
  EXPECT_EQ(excused.code, 0) << excused.output;
  int known = 0;
  nlohmann::json listed_index = index_of(listed);
  for (const auto& c : listed_index["cases"]) known += c.value("known_failure", false) ? 1 : 0;
  EXPECT_EQ(known, static_cast<int>(failing.size()));

  clitest::Outcome stale = scimulator("run " + kSelection + " --known-failures " + list.string() + " --out " + clean.string());
  EXPECT_EQ(stale.code, 1) << stale.output;
  EXPECT_NE(stale.output.find("stale known failures"), std::string::npos) << stale.output;
}

TEST(RunGate, RetriesKeepASteadyFailureFailing) {
  fs::path dir = scratch("retries");
  clitest::Outcome out = scimulator("run " + kSelection + kFault + " --retries 2 --out " + dir.string());
  EXPECT_EQ(out.code, 1) << out.output;
  bool retried = false;
  nlohmann::json index = index_of(dir);
  for (const auto& c : index["cases"])
    if (c["outcome"] == "fail" && c["id"].get<std::string>() != "rfc7644/3.3/create-201") {  // a response rule, judged once
      EXPECT_EQ(c.value("attempts", 1), 3) << c["id"];
      EXPECT_FALSE(c.value("flaky", false));
      retried = true;
    }
  EXPECT_TRUE(retried);
}

TEST(RunGate, ABadListIsOneLineAndExit2) {
  fs::path dir = scratch("bad");
  std::ofstream(dir / "known.txt") << "rfc7644/3.3/no-such-case\n";
  for (const std::string& arguments : {"run --known-failures " + (dir / "known.txt").string(),
                                       "run --known-failures " + (dir / "missing.txt").string(), std::string("run --retries -1")}) {
    clitest::Outcome out = scimulator(arguments + " --out " + dir.string());
    EXPECT_EQ(out.code, 2) << arguments << ": " << out.output;
    EXPECT_EQ(std::count(out.output.begin(), out.output.end(), '\n'), 1) << arguments << ": " << out.output;
  }
}
