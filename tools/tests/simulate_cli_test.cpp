// `scimulator simulate` through the real binary, against the reference server (embedded, or
// running as `serve`): every built-in scenario converges under every engine, a server with a
// defect switched on is caught with the drift that defect causes, a throttled server still
// converges with its retries in the report, a token rotates through the admin endpoint of a
// running server, and changes made on the target behind the IdP's back stay and are reported. The expectations come from the scenarios themselves, never from the server's
// code: a correct target ends with no drift; each defect leaves its own kind of drift.
#include "cli_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using clitest::labelled;
using clitest::scimulator;
using clitest::ServeProcess;

fs::path scratch(const std::string& name) { return clitest::scratch_dir("simulate", name); }

std::string read(const fs::path& file) { return clitest::read_text(file); }

nlohmann::json read_json(const fs::path& file) { return nlohmann::json::parse(read(file)); }

std::size_t drift_count(const nlohmann::json& drift, const std::string& kind) {
  return drift["counts"].value(kind, std::size_t{0});
}

struct Engine {
  std::string name;       // for test output
  std::string arguments;  // --idp …
};

const std::vector<Engine>& engines() {
  static const std::vector<Engine> all = {{"okta", "--idp okta"},
                                          {"okta-aiw", "--idp okta-aiw"},
                                          {"entra-scim", "--idp entra --dialect scim"},
                                          {"entra-aadOptscim062020", "--idp entra --dialect aadOptscim062020"}};
  return all;
}

// Runs simulate into a fresh directory; returns the outcome and leaves the files in `dir`.
clitest::Outcome simulate(const fs::path& dir, const std::string& arguments) {
  return scimulator("simulate " + arguments + " --out " + dir.string());
}

}  // namespace

TEST(SimulateCli, EveryBuiltinScenarioConvergesUnderEveryEngine) {
  for (const std::string scenario : {"joiner-mover-leaver", "casing-duplicate", "unmapped-group", "token-rotation"}) {
    for (const Engine& engine : engines()) {
      fs::path dir = scratch(scenario + "-" + engine.name);
      clitest::Outcome out = simulate(dir, engine.arguments + " --scenario " + scenario);
      EXPECT_EQ(out.code, 0) << scenario << " under " << engine.name << ":\n" << out.output;
      nlohmann::json drift = read_json(dir / "drift.json");
      EXPECT_TRUE(drift["converged"].get<bool>()) << scenario << " under " << engine.name << ": " << drift["drift"];
      EXPECT_GT(drift["wire"]["requests"].get<int>(), 0);
      // Every IdP user that is still active has its account, and nothing else is active.
      EXPECT_EQ(drift["directory"]["users"], drift["target"]["users_in_scope"]) << scenario << " under " << engine.name;
    }
  }
}

TEST(SimulateCli, TheRotationScenarioRevokesTheOldTokenAndLosesNothing) {
  for (const Engine& engine : engines()) {
    fs::path dir = scratch("rotation-" + engine.name);
    clitest::Outcome out = simulate(dir, engine.arguments + " --scenario token-rotation");
    ASSERT_EQ(out.code, 0) << out.output;
    nlohmann::json drift = read_json(dir / "drift.json");
    ASSERT_EQ(drift["rotations"].size(), 1u) << drift;
    const nlohmann::json& rotation = drift["rotations"][0];
    EXPECT_EQ(rotation["old_credential_status_after_revoke"], 401) << engine.name;
    EXPECT_EQ(rotation["new_credential_status"], 200) << engine.name;
    EXPECT_EQ(rotation["refused_after_switch"], 0) << engine.name;
  }
}

// A case-sensitive userName index misses the hand-made invite in the IdP's existence check and
// creates a second Alan (RFC 7643 §4.1.1: userName is unique and case-insensitive).
TEST(SimulateCli, ACaseSensitiveUserNameTurnsTheCasingStoryIntoADuplicate) {
  for (const Engine& engine : engines()) {
    fs::path dir = scratch("casing-defect-" + engine.name);
    clitest::Outcome out = simulate(dir, engine.arguments +
                                             " --scenario casing-duplicate --server-profile rfc "
                                             "--server-fault username-case-sensitive");
    EXPECT_EQ(out.code, 1) << engine.name << ":\n" << out.output;
    nlohmann::json drift = read_json(dir / "drift.json");
    EXPECT_GE(drift_count(drift, "duplicate_user"), 1u) << engine.name << ": " << drift["counts"];
    EXPECT_NE(out.output.find("duplicate_user"), std::string::npos) << out.output;
    // The same story on the correct server converges (the test above), so the defect is the cause.
  }
}

// Changes made on the target behind the IdP's back (an admin in the provider's console) are
// not the IdP's to undo: neither Okta's pushes nor Entra ID's incremental cycles send an object
// that did not change in the directory, so each tamper stays, and the check names it. What each
// drift must be follows from the scenario: the IdP still holds Ada's title, Alan active, Grace in
// the group and Edsger at all.
TEST(SimulateCli, ChangesBehindTheIdPsBackStayAndAreEachReportedAsTheirDrift) {
  fs::path scenario = scratch("tamper-scenario") / "tamper.json";
  std::ofstream(scenario) << R"({
  "name": "tamper",
  "description": "four changes on the target that the IdP never made",
  "days": 1,
  "directory": {
    "users": [
      {"key": "u-ada", "userName": "ada@example.com", "givenName": "Ada", "familyName": "Lovelace", "title": "Analyst"},
      {"key": "u-alan", "userName": "alan@example.com", "givenName": "Alan", "familyName": "Turing"},
      {"key": "u-grace", "userName": "grace@example.com", "givenName": "Grace", "familyName": "Hopper"},
      {"key": "u-edsger", "userName": "edsger@example.com", "givenName": "Edsger", "familyName": "Dijkstra"}
    ],
    "groups": [{"key": "g-dev", "displayName": "ClickHouse-Developers", "members": ["u-grace", "u-alan"]}]
  },
  "events": [
    {"at": "0d 09:00", "kind": "tamper", "action": "set", "user": "u-ada", "attribute": "title", "value": "Intern"},
    {"at": "0d 09:00", "kind": "tamper", "action": "deactivate", "user": "u-alan"},
    {"at": "0d 09:00", "kind": "tamper", "action": "remove_member", "group": "g-dev", "member": "u-grace"},
    {"at": "0d 09:00", "kind": "tamper", "action": "delete", "user": "u-edsger"}
  ]
})";
  for (const Engine& engine : {engines()[0], engines()[2]}) {
    fs::path dir = scratch("tamper-" + engine.name);
    clitest::Outcome out = simulate(dir, engine.arguments + " --scenario " + scenario.string());
    EXPECT_EQ(out.code, 1) << engine.name << ":\n" << out.output;
    nlohmann::json drift = read_json(dir / "drift.json");
    auto find = [&](const std::string& kind, const std::string& key, const std::string& attribute) {
      for (const auto& item : drift["drift"])
        if (item["kind"] == kind && item.value("key", "") == key && item.value("attribute", "") == attribute) return item;
      return nlohmann::json();
    };
    nlohmann::json title = find("attribute_drift", "u-ada", "title");
    ASSERT_FALSE(title.is_null()) << engine.name << ": " << drift["drift"];
    EXPECT_EQ(title["expected"], "Analyst");
    EXPECT_EQ(title["actual"], "Intern");
    nlohmann::json active = find("attribute_drift", "u-alan", "active");
    ASSERT_FALSE(active.is_null()) << engine.name << ": " << drift["drift"];
    EXPECT_EQ(active["expected"], true);
    EXPECT_EQ(active["actual"], false);
    nlohmann::json members = find("membership_drift", "g-dev", "members");
    ASSERT_FALSE(members.is_null()) << engine.name << ": " << drift["drift"];
    EXPECT_EQ(members["expected"]["missing"], nlohmann::json::array({"grace@example.com"})) << members;
    EXPECT_FALSE(find("missing_user", "u-edsger", "").is_null()) << engine.name << ": " << drift["drift"];
    EXPECT_EQ(drift["drift"].size(), 4u) << engine.name << ": nothing else drifted: " << drift["drift"];
    // The timeline says what was done to the target, and that the target took it.
    nlohmann::json timeline = read_json(dir / "timeline.json");
    int tampers = 0;
    for (const auto& entry : timeline["entries"])
      if (entry["type"] == "tamper") {
        ++tampers;
        EXPECT_FALSE(entry.contains("skipped")) << entry;
      }
    EXPECT_EQ(tampers, 4) << engine.name;
  }
}

// The generated org over 30 days has leavers and movers every week: a server that ignores
// deactivation leaves orphaned accounts, one that ignores member removals leaves members behind.
TEST(SimulateCli, IgnoredDeactivationsAndMemberRemovalsAreCaughtAsDrift) {
  const std::string org = " --generate users=400,groups=12,seed=5,churn=0.3 --days 30";
  for (const Engine& engine : {engines()[0], engines()[2]}) {
    fs::path leavers = scratch("deactivation-" + engine.name);
    clitest::Outcome out = simulate(leavers, engine.arguments + org + " --server-fault deactivation-ignored");
    EXPECT_EQ(out.code, 1) << out.output;
    nlohmann::json drift = read_json(leavers / "drift.json");
    EXPECT_GE(drift_count(drift, "orphaned_user"), 1u) << engine.name << ": " << drift["counts"];
    for (const auto& item : drift["drift"]) {
      if (item["kind"] == "orphaned_user") {
        EXPECT_EQ(item["attribute"], "active") << item;
      }
    }

    fs::path movers = scratch("member-removal-" + engine.name);
    out = simulate(movers, engine.arguments + org + " --server-fault member-removal-ignored");
    EXPECT_EQ(out.code, 1) << out.output;
    drift = read_json(movers / "drift.json");
    EXPECT_GE(drift_count(drift, "membership_drift"), 1u) << engine.name << ": " << drift["counts"];
    bool unexpected_member = false;
    for (const auto& item : drift["drift"])
      if (item["kind"] == "membership_drift" && !item["actual"].value("unexpected", nlohmann::json::array()).empty())
        unexpected_member = true;
    EXPECT_TRUE(unexpected_member) << drift["drift"];
    // Nothing else is blamed on these defects.
    for (const std::string kind : {"missing_user", "duplicate_user", "missing_group"})
      EXPECT_EQ(drift_count(drift, kind), 0u) << kind << " " << drift["counts"];
  }
}

TEST(SimulateCli, AThrottledTargetStillConvergesAndTheReportShowsTheRetries) {
  for (const Engine& engine : {engines()[0], engines()[3]}) {
    fs::path dir = scratch("throttled-" + engine.name);
    clitest::Outcome out = simulate(dir, engine.arguments + " --scenario throttling");
    ASSERT_EQ(out.code, 0) << out.output;
    nlohmann::json drift = read_json(dir / "drift.json");
    EXPECT_TRUE(drift["server_faults"].dump().find("throttle") != std::string::npos) << drift["server_faults"];
    int throttled = drift["wire"]["throttled"].get<int>();
    EXPECT_GT(throttled, 0);
    EXPECT_EQ(drift["wire"]["retries"].get<int>(), throttled) << "each 429 is sent again once it is due";
    EXPECT_NE(out.output.find("answered 429"), std::string::npos) << out.output;
    std::string html = read(dir / "report.html");
    EXPECT_NE(html.find(std::to_string(throttled) + " answered 429"), std::string::npos);
  }
}

TEST(SimulateCli, EveryRunWritesTheReportsWithTheDriftAndTheTimeline) {
  fs::path dir = scratch("reports");
  clitest::Outcome out = simulate(dir, "--idp entra --scenario joiner-mover-leaver --server-fault member-removal-ignored");
  ASSERT_EQ(out.code, 1) << out.output;
  for (const char* file : {"drift.json", "timeline.json", "results.json", "index.json", "junit.xml", "summary.md",
                           "report.html"})
    EXPECT_TRUE(fs::exists(dir / file)) << file;
  nlohmann::json index = read_json(dir / "index.json");
  EXPECT_EQ(index["kind"], "simulate");
  EXPECT_EQ(index["exit_code"], 1);
  EXPECT_FALSE(index["simulation"]["converged"].get<bool>());
  nlohmann::json timeline = read_json(dir / "timeline.json");
  int cycles = 0;
  for (const auto& entry : timeline["entries"]) cycles += entry["type"] == "cycle";
  EXPECT_GT(cycles, 0) << "Entra ID works in cycles";
  // Where the time went: each phase measured, together no more than the whole run.
  nlohmann::json drift = read_json(dir / "drift.json");
  const nlohmann::json& phases = drift.at("wall_ms_by_phase");
  std::int64_t phase_sum = 0;
  for (const char* phase : {"provisioning", "convergence_read", "compare"}) {
    ASSERT_TRUE(phases.contains(phase)) << phases.dump();
    EXPECT_GE(phases[phase].get<std::int64_t>(), 0) << phase;
    phase_sum += phases[phase].get<std::int64_t>();
  }
  EXPECT_GT(phases["provisioning"].get<std::int64_t>(), 0) << "a lifecycle of requests takes time";
  EXPECT_LE(phase_sum, drift["wall_ms"].get<std::int64_t>());
  EXPECT_NE(out.output.find("convergence read"), std::string::npos) << out.output;
  std::string html = read(dir / "report.html");
  EXPECT_NE(html.find("id=\"drift\""), std::string::npos);
  EXPECT_NE(html.find("Timeline of cycles"), std::string::npos);
  EXPECT_NE(html.find("membership_drift"), std::string::npos);
  std::string junit = read(dir / "junit.xml");
  EXPECT_NE(junit.find("<failure"), std::string::npos) << junit;
  EXPECT_NE(read(dir / "summary.md").find("did not converge"), std::string::npos);
}

// Issue 5's end-to-end rotation: a running server, a token issued by its admin endpoint, and the
// simulator rotating it through that endpoint mid-lifecycle.
TEST(SimulateCli, RotatesTheTokenOfARunningServerThroughItsAdminEndpoint) {
  fs::path dir = scratch("running");
  ServeProcess server({"--port", "0", "--data", (dir / "data.db").string(), "--quiet", "--admin-token", "adm-sim"},
                      dir / "serve.log");
  std::string remote = "--url " + server.origin() + " --admin-token adm-sim";
  clitest::Outcome issued = scimulator("admin " + remote + " token create --label okta");
  ASSERT_EQ(issued.code, 0) << issued.output;
  std::string key = labelled(issued.output, "key:"), secret = labelled(issued.output, "secret:");
  ASSERT_FALSE(secret.empty()) << issued.output;

  fs::path out_dir = dir / "out";
  clitest::Outcome out = scimulator("simulate --idp okta --scenario token-rotation --target " + server.base_url() +
                                    " --auth basic:" + key + ":" + secret + " --admin-url " + server.origin() +
                                    "/admin --admin-token adm-sim --out " + out_dir.string());
  ASSERT_EQ(out.code, 0) << out.output;
  nlohmann::json drift = read_json(out_dir / "drift.json");
  ASSERT_EQ(drift["rotations"].size(), 1u);
  EXPECT_EQ(drift["rotations"][0]["old_credential_status_after_revoke"], 401);
  EXPECT_EQ(drift["rotations"][0]["refused_after_switch"], 0);

  // The server's own records agree: the first token is revoked, one other is active.
  clitest::Outcome tokens = scimulator("admin " + remote + " --format json token list");
  ASSERT_EQ(tokens.code, 0) << tokens.output;
  nlohmann::json listed = nlohmann::json::parse(tokens.output);
  if (listed.is_object()) listed = listed["tokens"];
  int active = 0;
  bool old_revoked = false;
  for (const auto& token : listed) {
    if (token.value("key", "") == key) old_revoked = !token["revoked_at"].is_null() && !token.value("active", true);
    active += token.value("active", false);
  }
  EXPECT_TRUE(old_revoked) << listed;
  EXPECT_EQ(active, 1) << listed;

  // No secret reached any file the run wrote, nor the terminal.
  EXPECT_EQ(out.output.find(secret), std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(out_dir)) {
    if (!entry.is_regular_file()) continue;
    std::string text = read(entry.path());
    EXPECT_EQ(text.find(secret), std::string::npos) << entry.path();
    EXPECT_EQ(text.find("adm-sim"), std::string::npos) << entry.path();
  }
}

TEST(SimulateCli, MistakesAreOneLineAndExitTwo) {
  fs::path dir = scratch("mistakes");
  for (const std::string arguments : {"--scenario no-such-story", "--idp okta --dialect aadOptscim062020",
                                      "--generate users=many", "--target http://127.0.0.1:1/scim/v2",
                                      "--server-fault no-such-defect", "--concurrency 0"}) {
    clitest::Outcome out = simulate(dir, arguments);
    EXPECT_EQ(out.code, 2) << arguments << ":\n" << out.output;
    EXPECT_EQ(out.output.rfind("scimulator: ", 0), 0u) << arguments << ":\n" << out.output;
    EXPECT_EQ(std::count(out.output.begin(), out.output.end(), '\n'), 1) << arguments << ":\n" << out.output;
  }
}
