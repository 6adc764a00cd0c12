// `scimulator run` against an HTTPS target: `serve --tls-cert/--tls-key` with a certificate from
// a throwaway CA; the run trusts it with --ca-file or --insecure, and without either refuses in
// one line that says which option to give.
#include "cli_process.hpp"
#include "reference_server/tests/tls_test_certificates.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using clitest::scimulator;
using clitest::ServeProcess;

int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

class RunTls : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("scimulator-run-tls-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    server_ = std::make_unique<ServeProcess>(
        std::vector<std::string>{"--port", "0", "--data", ":memory:", "--quiet", "--profile", "rfc", "--token", "tls-token",
                                 "--tls-cert", certificates_.certificate, "--tls-key", certificates_.key},
        dir_ / "serve.log");
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  clitest::Outcome run(const std::string& trust) {
    return scimulator("run --target " + server_->base_url() + " --auth bearer:tls-token --select rfc7644/3.3 " + trust +
                      " --out " + (dir_ / "out").string());
  }

  TlsTestCertificates certificates_;
  fs::path dir_;
  std::unique_ptr<ServeProcess> server_;
};

}  // namespace

TEST_F(RunTls, ServePrintsAnHttpsUrl) { EXPECT_EQ(server_->base_url().rfind("https://", 0), 0u) << server_->base_url(); }

TEST_F(RunTls, TheCaFileMakesTheTargetTrusted) {
  clitest::Outcome out = run("--ca-file " + certificates_.ca);
  EXPECT_EQ(out.code, 0) << out.output;
}

TEST_F(RunTls, InsecureAcceptsTheCertificate) {
  clitest::Outcome out = run("--insecure");
  EXPECT_EQ(out.code, 0) << out.output;
}

TEST_F(RunTls, AnUntrustedCertificateIsOneLineSayingWhatToGive) {
  clitest::Outcome out = run("");
  EXPECT_EQ(out.code, 2) << out.output;
  EXPECT_EQ(lines(out.output), 1) << out.output;
  EXPECT_NE(out.output.find("--ca-file"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("--insecure"), std::string::npos) << out.output;
}

TEST_F(RunTls, TheConfigFileCanNameTheCaFile) {
  fs::path config = dir_ / "run.json";
  std::ofstream(config) << nlohmann::json{{"target", server_->base_url()}, {"auth", "bearer:tls-token"},
                                          {"select", {"rfc7644/3.3"}}, {"ca-file", certificates_.ca},
                                          {"out", (dir_ / "out").string()}}
                               .dump();
  clitest::Outcome out = scimulator("run --config " + config.string());
  EXPECT_EQ(out.code, 0) << out.output;
  std::ofstream(config) << nlohmann::json{{"target", server_->base_url()}, {"auth", "bearer:tls-token"},
                                          {"select", {"rfc7644/3.3"}}, {"insecure", true},
                                          {"out", (dir_ / "out").string()}}
                               .dump();
  out = scimulator("run --config " + config.string());
  EXPECT_EQ(out.code, 0) << out.output;
}

TEST_F(RunTls, AnUnreadableCaFileIsOneLineNamingIt) {
  clitest::Outcome out = run("--ca-file /no/such/ca.pem");
  EXPECT_EQ(out.code, 2) << out.output;
  EXPECT_EQ(lines(out.output), 1) << out.output;
  EXPECT_NE(out.output.find("/no/such/ca.pem"), std::string::npos) << out.output;
}

TEST(ServeTls, HalfATlsConfigurationIsOneLineAndExit2) {
  TlsTestCertificates certificates;
  for (const std::string& arguments : {"serve --port 0 --data :memory: --tls-cert " + certificates.certificate,
                                       "serve --port 0 --data :memory: --tls-key " + certificates.key}) {
    clitest::Outcome out = scimulator(arguments);
    EXPECT_EQ(out.code, 2) << arguments << ": " << out.output;
    EXPECT_EQ(lines(out.output), 1) << arguments << ": " << out.output;
    EXPECT_NE(out.output.find("--tls-key"), std::string::npos) << out.output;
  }
}

TEST(ServeTls, AnUnusableCertificateOrKeyIsOneLineNamingTheFile) {
  TlsTestCertificates certificates;
  struct Case {
    std::string certificate, key, named;
  };
  // A missing certificate, and a key file that holds a certificate instead.
  for (const Case& c : {Case{"/no/such.pem", certificates.key, "/no/such.pem"},
                        Case{certificates.certificate, certificates.ca, certificates.ca}}) {
    clitest::Outcome out =
        scimulator("serve --port 0 --data :memory: --tls-cert " + c.certificate + " --tls-key " + c.key);
    EXPECT_EQ(out.code, 2) << out.output;
    EXPECT_EQ(lines(out.output), 1) << out.output;
    EXPECT_NE(out.output.find(c.named), std::string::npos) << out.output;
  }
}

TEST(RunTlsPlainTarget, HttpsToAPlainHttpServerIsOneLineSayingSo) {
  fs::path dir = fs::temp_directory_path() / ("scimulator-run-plain-" + std::to_string(getpid()));
  fs::create_directories(dir);
  clitest::Outcome out;
  {
    ServeProcess server({"--port", "0", "--data", ":memory:", "--quiet", "--profile", "rfc", "--token", "t"},
                        dir / "serve.log");
    std::string https = "https://" + server.base_url().substr(server.base_url().find("://") + 3);
    out = scimulator("run --target " + https + " --auth bearer:t --select rfc7644/3.3 --out " + (dir / "out").string());
  }
  fs::remove_all(dir);
  EXPECT_EQ(out.code, 2) << out.output;
  EXPECT_EQ(lines(out.output), 1) << out.output;
  EXPECT_NE(out.output.find("http://"), std::string::npos) << out.output;
}
