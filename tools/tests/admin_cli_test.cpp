// `scimulator admin` as an operator uses it: tokens issued on a data file before the server
// starts (then no --token is needed), rotation on a running server through the admin endpoint,
// roles, the audit log, and secrets that appear only once, on the line that issues them.
#include "cli_process.hpp"

#include "simulator/client/http_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace {

namespace fs = std::filesystem;
using clitest::labelled;
using clitest::scimulator;
using clitest::ServeProcess;

fs::path scratch(const std::string& name) { return clitest::scratch_dir("admin", name); }

int status_with(const std::string& base_url, const std::string& authorization) {
  scimclient::ClientOptions options;
  options.base_url = base_url;
  scimclient::Client client(options);
  return client.get("/Users?count=1", {{"Authorization", authorization}}).status;
}

struct Issued {
  std::string key, secret;
};

Issued create_token(const std::string& where) {
  clitest::Outcome out = scimulator("admin " + where + " token create --label test");
  EXPECT_EQ(out.code, 0) << out.output;
  return {labelled(out.output, "key:"), labelled(out.output, "secret:")};
}

}  // namespace

TEST(AdminCli, TokensOnTheDataFileAreAllServeNeeds) {
  fs::path dir = scratch("file");
  std::string data = (dir / "data.db").string();
  Issued token = create_token("--data " + data);
  ASSERT_EQ(token.key.rfind("scim_", 0), 0u) << token.key;
  ASSERT_GE(token.secret.size(), 32u);
  {
    ServeProcess server({"--port", "0", "--data", data}, dir / "serve.log");
    EXPECT_EQ(server.output().find("generated"), std::string::npos) << "no token should be made up: " << server.output();
    EXPECT_EQ(status_with(server.base_url(), "Bearer " + token.key + ":" + token.secret), 200);
    EXPECT_EQ(status_with(server.base_url(), "Bearer " + token.key + ":nope"), 401);
    // The file is held by the running server: the CLI says how to reach it instead.
    clitest::Outcome busy = scimulator("admin --data " + data + " token list");
    EXPECT_EQ(busy.code, 2);
    EXPECT_NE(busy.output.find("--url"), std::string::npos) << busy.output;
    server.stop();
    EXPECT_EQ(server.output().find(token.secret), std::string::npos) << "a secret reached the server log";
  }
  clitest::Outcome listed = scimulator("admin --data " + data + " token list");
  EXPECT_EQ(listed.code, 0);
  EXPECT_NE(listed.output.find(token.key), std::string::npos);
  EXPECT_EQ(listed.output.find(token.secret), std::string::npos);
}

TEST(AdminCli, RotationOnARunningServerThroughTheAdminEndpoint) {
  fs::path dir = scratch("rotate");
  std::string data = (dir / "data.db").string();
  Issued old_token = create_token("--data " + data);
  ServeProcess server({"--port", "0", "--data", data, "--admin-token", "adm-cred"}, dir / "serve.log");
  std::string remote = "--url " + server.origin() + " --admin-token adm-cred";
  Issued new_token = create_token(remote);
  ASSERT_FALSE(new_token.secret.empty());
  EXPECT_EQ(status_with(server.base_url(), "Bearer " + old_token.key + ":" + old_token.secret), 200);
  EXPECT_EQ(status_with(server.base_url(), "Bearer " + new_token.key + ":" + new_token.secret), 200);

  clitest::Outcome third = scimulator("admin " + remote + " token create");
  EXPECT_EQ(third.code, 2);
  EXPECT_NE(third.output.find("revoke one first"), std::string::npos) << third.output;

  clitest::Outcome revoked = scimulator("admin " + remote + " token revoke " + old_token.key);
  EXPECT_EQ(revoked.code, 0) << revoked.output;
  EXPECT_EQ(status_with(server.base_url(), "Bearer " + old_token.key + ":" + old_token.secret), 401);
  EXPECT_EQ(status_with(server.base_url(), "Bearer " + new_token.key + ":" + new_token.secret), 200);

  clitest::Outcome wrong = scimulator("admin --url " + server.origin() + " --admin-token nope token list");
  EXPECT_EQ(wrong.code, 2);

  clitest::Outcome audit = scimulator("admin " + remote + " --format json audit");
  EXPECT_EQ(audit.code, 0) << audit.output;
  for (const std::string& secret : {old_token.secret, new_token.secret}) {
    EXPECT_EQ(audit.output.find(secret), std::string::npos) << "a secret reached the audit log";
    EXPECT_EQ(server.output().find(secret), std::string::npos) << "a secret reached the server log";
  }
  EXPECT_NE(audit.output.find("token.revoke"), std::string::npos);
  EXPECT_NE(audit.output.find("auth.refused"), std::string::npos);
}

TEST(AdminCli, RolesAndMistakesAreOneLine) {
  fs::path dir = scratch("roles");
  std::string where = "--data " + (dir / "data.db").string();
  EXPECT_EQ(scimulator("admin " + where + " role create Admins --scim-group ClickHouse-Admins --grants Admin").code, 0);
  clitest::Outcome listed = scimulator("admin " + where + " role list");
  EXPECT_NE(listed.output.find("ClickHouse-Admins"), std::string::npos) << listed.output;
  for (const std::string& mistake : {"admin " + where + " role bind Admin Ops", std::string("admin token list"),
                                     "admin " + where + " token create --expires soon",
                                     "admin " + where + " audit --since yesterday",
                                     "admin " + where + " token revoke scim_unknown"}) {
    clitest::Outcome out = scimulator(mistake);
    EXPECT_EQ(out.code, 2) << mistake << ": " << out.output;
    EXPECT_EQ(std::count(out.output.begin(), out.output.end(), '\n'), 1) << mistake << ": " << out.output;
  }
}
