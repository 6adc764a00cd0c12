// `scimulator run` against an HTTPS target: `serve --tls-cert/--tls-key` with a certificate from
// a throwaway CA; the run trusts it with --ca-file or --insecure, and without either refuses in
// one line that says which option to give.
#include "cli_process.hpp"
#include "reference_server/tests/tls_test_certificates.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

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

TEST(ServeTls, HalfATlsConfigurationOrABadFileIsOneLineAndExit2) {
  TlsTestCertificates certificates;
  for (const std::string& arguments :
       {"serve --port 0 --data :memory: --tls-cert " + certificates.certificate,
        "serve --port 0 --data :memory: --tls-cert /no/such.pem --tls-key " + certificates.key}) {
    clitest::Outcome out = scimulator(arguments);
    EXPECT_EQ(out.code, 2) << arguments << ": " << out.output;
    EXPECT_EQ(lines(out.output), 1) << arguments << ": " << out.output;
  }
}
