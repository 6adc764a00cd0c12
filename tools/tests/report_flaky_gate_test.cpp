// The exit code of `run` with --retries and --known-failures against a target that fails once:
// the reference server assembled in this process behind a handler that answers the first
// POST /Users with 503 and serves everything else. Without retries the gate fails; with them
// the case is reported flaky (failed, then passed) and the gate passes; a known-failures entry
// for a flaky case is not stale. Every report says flaky.
#include "cli_process.hpp"
#include "reference_server/api/scim_service.hpp"
#include "reference_server/store/resource_store.hpp"
#include "reference_server/transport/http_server.hpp"
#include "scim/schema.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <memory>

namespace {

namespace fs = std::filesystem;
using clitest::scimulator;

// The reference server (rfc profile, in memory) whose first POST /Users fails with 503.
class OnceFailingTarget : public transport::Handler {
 public:
  OnceFailingTarget() {
    registry_ = scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas");
    store_ = refserver::ResourceStore::open(":memory:");
    transport::ServerOptions options;
    options.access_log = false;
    server_ = std::make_unique<transport::HttpServer>(options, *this);
    server_->start();
    refserver::ServiceConfig config;
    config.base_path = "/scim/v2";
    config.bearer_tokens = {kToken};
    config.profile = "rfc";
    config.base_url = "http://127.0.0.1:" + std::to_string(server_->port()) + config.base_path;
    base_url_ = config.base_url;
    auto runner = [store = store_.get()](const std::function<void(refserver::sqlite::Database&)>& work) {
      store->with_database(work);
    };
    auto access = std::make_shared<refserver::access::AccessControl>(runner, config.bearer_tokens);
    service_ = std::make_unique<refserver::ScimService>(config, registry_, *store_, access);
  }
  ~OnceFailingTarget() override { server_->stop(); }

  transport::HttpResponse handle(const transport::HttpRequest& request) override {
    if (request.method == "POST" && request.target == "/scim/v2/Users" && !failed_.exchange(true))
      return {503,
              {{"Content-Type", "application/scim+json"}},
              R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"503","detail":"try again"})"};
    return service_->handle(request);
  }
  transport::HttpResponse reject(int status, std::string_view reason) override { return service_->reject(status, reason); }

  const std::string& base_url() const { return base_url_; }
  static constexpr const char* kToken = "flaky-target-token";

 private:
  scim::SchemaRegistry registry_;
  std::unique_ptr<refserver::ResourceStore> store_;
  std::unique_ptr<transport::HttpServer> server_;
  std::unique_ptr<refserver::ScimService> service_;
  std::string base_url_;
  std::atomic<bool> failed_{false};
};

// create-user-201 is the first POST /Users; location-header-user depends on it.
const std::string kSelection =
    " --select rfc7644/3.3/create-user-201 --select rfc7644/3.3/location-header-user --concurrency 1 --quiet";

fs::path scratch(const std::string& name) { return clitest::scratch_dir("flaky", name); }

nlohmann::json line_of(const fs::path& dir, const std::string& id) {
  std::ifstream in(dir / "index.json");
  nlohmann::json index = nlohmann::json::parse(in);
  for (const auto& line : index["cases"])
    if (line["id"] == id) return line;
  return nullptr;
}

std::string read(const fs::path& file) { return clitest::read_text(file); }

clitest::Outcome run_against(const OnceFailingTarget& target, const std::string& extra, const fs::path& out) {
  return scimulator("run --target " + target.base_url() + " --auth bearer:" + OnceFailingTarget::kToken + kSelection +
                    extra + " --out " + out.string());
}

}  // namespace

TEST(RunGateFlaky, WithoutRetriesAOnceFailingCaseFailsTheGate) {
  OnceFailingTarget target;
  fs::path dir = scratch("no-retries");
  clitest::Outcome out = run_against(target, "", dir);
  EXPECT_EQ(out.code, 1) << out.output;
  nlohmann::json create = line_of(dir, "rfc7644/3.3/create-user-201");
  EXPECT_EQ(create["outcome"], "fail") << create;
  EXPECT_EQ(line_of(dir, "rfc7644/3.3/location-header-user")["outcome"], "blocked");
}

TEST(RunGateFlaky, RetriesReportFlakyAndPassTheGate) {
  OnceFailingTarget target;
  fs::path dir = scratch("retries");
  clitest::Outcome out = run_against(target, " --retries 2", dir);
  EXPECT_EQ(out.code, 0) << out.output;
  EXPECT_NE(out.output.find("1 flaky"), std::string::npos) << out.output;
  nlohmann::json create = line_of(dir, "rfc7644/3.3/create-user-201");
  EXPECT_EQ(create["outcome"], "pass") << create;
  EXPECT_EQ(create.value("flaky", false), true) << create;
  EXPECT_EQ(create.value("attempts", 1), 2) << create;
  nlohmann::json location = line_of(dir, "rfc7644/3.3/location-header-user");
  EXPECT_EQ(location["outcome"], "pass") << "what the flaky case blocked ran again";
  EXPECT_FALSE(location.value("flaky", false)) << "it never failed, it was blocked";
  // Not hidden: every report names it.
  EXPECT_NE(read(dir / "summary.md").find("(flaky: 2 attempts)"), std::string::npos);
  EXPECT_NE(read(dir / "report.html").find("(flaky)"), std::string::npos);
  EXPECT_NE(read(dir / "junit.xml").find("flaky: failed, then passed on attempt 2"), std::string::npos);
}

TEST(RunGateFlaky, AKnownFailureThatIsFlakyIsNotStale) {
  OnceFailingTarget target;
  fs::path dir = scratch("known");
  std::ofstream(dir / "known.txt") << "# fails now and then\nrfc7644/3.3/create-user-201\n";
  clitest::Outcome out = run_against(target, " --retries 1 --known-failures " + (dir / "known.txt").string(), dir);
  EXPECT_EQ(out.code, 0) << out.output;
  nlohmann::json create = line_of(dir, "rfc7644/3.3/create-user-201");
  EXPECT_TRUE(create.value("flaky", false)) << create;
  EXPECT_FALSE(create.value("stale_known_failure", false)) << create;
}

// Retries never turn a steady failure into a pass, and a stale entry fails the gate even when
// retries are on.
TEST(RunGateFlaky, RetriesDoNotExcuseAStaleEntry) {
  OnceFailingTarget target;
  fs::path dir = scratch("stale");
  std::ofstream(dir / "known.txt") << "rfc7644/3.3/location-header-user\n";
  clitest::Outcome out = run_against(target, " --retries 1 --known-failures " + (dir / "known.txt").string(), dir);
  EXPECT_EQ(out.code, 1) << out.output;
  EXPECT_TRUE(line_of(dir, "rfc7644/3.3/location-header-user").value("stale_known_failure", false));
}
