// The clickhouse profile of the suites, both ways: it passes the reference server in its
// clickhouse profile, catches the same server in the plain RFC profile (no lowercase, no role
// mapping), and is unsupported, not failed, on a target whose admin API is unknown.
#include "cli_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <regex>

namespace {

namespace fs = std::filesystem;
using clitest::scimulator;
using clitest::ServeProcess;

fs::path scratch(const std::string& name) { return clitest::scratch_dir("ch", name); }

std::map<std::string, std::string> outcomes(const fs::path& results) {
  std::ifstream in(results);
  nlohmann::json document = nlohmann::json::parse(in);
  std::map<std::string, std::string> out;
  for (const auto& c : document["cases"]) out[c["id"]] = c["outcome"];
  return out;
}

}  // namespace

TEST(ClickHouseSuite, PassesTheEmbeddedServerInItsClickHouseProfile) {
  fs::path dir = scratch("embedded");
  clitest::Outcome out = scimulator("run --profile clickhouse --out " + dir.string());
  EXPECT_EQ(out.code, 0) << out.output;
  auto results = outcomes(dir / "results.json");
  EXPECT_GE(results.size(), 15u);
  for (const auto& [id, outcome] : results) EXPECT_EQ(outcome, "pass") << id;
  // The cases issue tokens; their secrets (64 hex digits) must not reach the results.
  std::ifstream in(dir / "results.json");
  std::string text(std::istreambuf_iterator<char>(in), {});
  EXPECT_NE(text.find("scim_"), std::string::npos) << "the token keys should be there";
  EXPECT_FALSE(std::regex_search(text, std::regex("[0-9a-f]{64}"))) << "a token secret reached results.json";
}

TEST(ClickHouseSuite, CatchesAServerWithoutTheModelledRules) {
  fs::path dir = scratch("rfc");
  ServeProcess server({"--port", "0", "--data", ":memory:", "--quiet", "--profile", "rfc", "--token", "t", "--admin-token", "adm"},
                      dir / "serve.log");
  clitest::Outcome out = scimulator("run --profile clickhouse --target " + server.base_url() + " --auth bearer:t --admin-url " +
                                    server.origin() + "/admin --admin-token adm --out " + dir.string());
  EXPECT_EQ(out.code, 1) << out.output;
  auto results = outcomes(dir / "results.json");
  for (const char* id : {"clickhouse/users/lowercase", "clickhouse/users/username-is-sign-in-email",
                         "clickhouse/roles/default-role", "clickhouse/roles/unmatched-group-creates-role",
                         "clickhouse/roles/system-role-not-mappable", "clickhouse/test-plan/admins-to-read-only-to-deactivated"})
    EXPECT_EQ(results[id], "fail") << id;
  // What the plain profile shares with the modelled one still passes: no false alarms there.
  for (const char* id : {"clickhouse/tokens/rotation-without-downtime", "clickhouse/auth/okta-basic",
                         "clickhouse/users/casing-duplicate"})
    EXPECT_EQ(results[id], "pass") << id;
  std::ifstream in(dir / "results.json");
  std::string text(std::istreambuf_iterator<char>(in), {});
  EXPECT_EQ(text.find("Bearer adm"), std::string::npos) << "the admin credential reached the results";
}

TEST(ClickHouseSuite, IsUnsupportedWithoutAnAdminApi) {
  fs::path dir = scratch("noadmin");
  ServeProcess server({"--port", "0", "--data", ":memory:", "--quiet", "--token", "t"}, dir / "serve.log");
  clitest::Outcome out =
      scimulator("run --profile clickhouse --target " + server.base_url() + " --auth bearer:t --out " + dir.string());
  EXPECT_EQ(out.code, 0) << out.output;
  for (const auto& [id, outcome] : outcomes(dir / "results.json")) EXPECT_EQ(outcome, "unsupported") << id;
}
