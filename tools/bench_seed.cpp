// scimulator_bench_seed: fills a reference-server data file with N users and G groups for the
// benchmarks (tools/bench.sh). Every resource goes through ScimService::handle() as a real POST,
// so it is validated and committed exactly as over HTTP, only without sockets. Several threads
// post at once, as the server's own threads would, so the store's group commit batches their
// writes. The created ids are written one per line (user i on line i) so the wrk scripts can
// address existing resources.
#include "reference_server/api/scim_service.hpp"
#include "reference_server/store/resource_store.hpp"
#include "reference_server/transport/http_server.hpp"
#include "scim/schema.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>
#include <sys/resource.h>

namespace {

// "user000123" for index 123 with width 6; the width grows past 6 digits only when N needs it.
std::string padded(std::size_t index, int width) {
  std::string digits = std::to_string(index);
  if (static_cast<int>(digits.size()) < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

const char* const kDepartments[] = {"Engineering", "Sales", "Marketing", "Finance", "Support", "Legal", "Operations"};

// About 450 bytes (400 without the schemas list): the shape an IdP (Okta, Entra) pushes for a typical employee.
std::string user_body(std::size_t index, int width) {
  std::string n = padded(index, width);
  std::string body;
  body.reserve(512);
  body += R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",)"
          R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],)";
  body += R"("userName":"user)" + n + R"(@example.com",)";
  body += R"("externalId":"ext-)" + n + R"(",)";
  body += R"("name":{"givenName":"Given)" + n + R"(","familyName":"Family)" + n + R"("},)";
  body += R"("displayName":"Given)" + n + " Family" + n + R"(",)";
  body += R"("emails":[{"value":"user)" + n + R"(@example.com","type":"work","primary":true}],)";
  body += R"("active":true,)";
  body += R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":")" + n +
          R"(","department":")" + kDepartments[index % std::size(kDepartments)] + R"("}})";
  return body;
}

std::string group_body(std::size_t index) {
  return R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"group)" + padded(index, 4) +
         R"(","externalId":"gext-)" + padded(index, 4) + R"("})";
}

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// The id is the last segment of the Location header (RFC 7644 §3.3: "the service provider
// SHALL ... return ... a Location header"), which spares parsing the body.
std::string created_id(const transport::HttpResponse& response) {
  for (const auto& [name, value] : response.headers)
    if (scim::iequals(name, "Location")) return value.substr(value.rfind('/') + 1);
  return {};
}

struct Seeder {
  refserver::ScimService& service;
  transport::HttpRequest request;

  explicit Seeder(refserver::ScimService& s) : service(s) {
    request.method = "POST";
    request.headers = {{"Authorization", "Bearer seed"}, {"Content-Type", "application/scim+json"}};
  }

  std::string post(std::string_view endpoint, std::string body) {
    request.target = std::string("/scim/v2/") + std::string(endpoint);
    request.body = std::move(body);
    transport::HttpResponse response = service.handle(request);
    std::string id = created_id(response);
    if (response.status != 201 || id.empty())
      throw std::runtime_error("POST /" + std::string(endpoint) + " answered " + std::to_string(response.status) +
                               ": " + response.body.substr(0, 400) + "\nrequest body: " + request.body);
    return id;
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Seeds a reference-server data file with users and groups for tools/bench.sh"};
  std::string data;
  std::size_t users = 100000;
  std::size_t groups = 100;
  std::string user_ids_path;
  std::string group_ids_path;
  std::size_t progress_every = 100000;
  unsigned threads = 4;
  std::string profile = "clickhouse";
  app.add_option("--data", data, "SQLite data file to create (must not hold resources yet)")->required();
  app.add_option("--users", users, "users to create")->capture_default_str();
  app.add_option("--groups", groups, "groups to create (empty; the PATCH benchmark fills them)")->capture_default_str();
  app.add_option("--user-ids", user_ids_path, "file receiving the user ids, one per line")->required();
  app.add_option("--group-ids", group_ids_path, "file receiving the group ids, one per line")->required();
  app.add_option("--threads", threads, "threads posting users at once")->capture_default_str()->check(CLI::Range(1u, 64u));
  app.add_option("--profile", profile, "provisioning profile, as `scimulator serve --profile`")->capture_default_str();
  app.add_option("--progress", progress_every, "print a progress line every this many users (0: never)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    using clock = std::chrono::steady_clock;
    auto started = clock::now();
    std::unique_ptr<refserver::ResourceStore> store = refserver::ResourceStore::open(data);
    if (store->count(refserver::ResourceKind::user) != 0 || store->count(refserver::ResourceKind::group) != 0)
      throw std::runtime_error(data + " already holds resources; seed into a new file so the id lists match it");
    scim::SchemaRegistry registry = scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas");
    refserver::ServiceConfig config;
    config.base_url = "http://127.0.0.1/scim/v2";
    config.bearer_tokens = {"seed"};
    config.profile = profile;
    refserver::ScimService service(config, registry, *store);
    Seeder seeder(service);

    std::ofstream user_ids(user_ids_path, std::ios::trunc);
    std::ofstream group_ids(group_ids_path, std::ios::trunc);
    if (!user_ids || !group_ids) throw std::runtime_error("cannot write the id files " + user_ids_path + ", " + group_ids_path);

    int width = std::max<int>(6, static_cast<int>(std::to_string(users ? users - 1 : 0).size()));
    std::cout << "seeding " << users << " users (userName user" << padded(0, width) << "@example.com ...) and "
              << groups << " groups into " << data << "\n" << std::flush;
    auto users_started = clock::now();
    auto window_started = users_started;
    std::vector<std::string> ids(users);
    std::atomic<std::size_t> next{0}, body_bytes{0};
    std::mutex progress_mutex;
    std::string failure;
    std::atomic<bool> failed{false};
    auto post_users = [&] {
      Seeder poster(service);
      try {
        for (std::size_t i = next++; i < users && !failed; i = next++) {
          std::string body = user_body(i, width);
          body_bytes += body.size();
          ids[i] = poster.post("Users", std::move(body));
          if (progress_every && (i + 1) % progress_every == 0) {
            std::lock_guard lock(progress_mutex);
            auto now = clock::now();
            double window = std::chrono::duration<double>(now - window_started).count();
            std::printf("  %zu users, last %zu at %.0f/s, RSS %ld MiB\n", i + 1, progress_every,
                        progress_every / window, rss_kib() / 1024);
            std::fflush(stdout);
            window_started = now;
          }
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(progress_mutex);
        if (failure.empty()) failure = e.what();
        failed = true;
      }
    };
    std::vector<std::thread> posters;
    for (unsigned t = 0; t < threads; ++t) posters.emplace_back(post_users);
    for (auto& poster : posters) poster.join();
    if (!failure.empty()) throw std::runtime_error(failure);
    for (const auto& id : ids) user_ids << id << '\n';
    double users_seconds = std::chrono::duration<double>(clock::now() - users_started).count();

    auto groups_started = clock::now();
    for (std::size_t g = 0; g < groups; ++g) group_ids << seeder.post("Groups", group_body(g)) << '\n';
    double groups_seconds = std::chrono::duration<double>(clock::now() - groups_started).count();

    user_ids.close();
    group_ids.close();
    if (!user_ids || !group_ids) throw std::runtime_error("writing the id files failed (disk full?)");

    double total_seconds = std::chrono::duration<double>(clock::now() - started).count();
    std::printf("users: %zu in %.1f s = %.0f/s (mean request body %zu bytes)\n", users, users_seconds,
                users ? users / users_seconds : 0.0, users ? body_bytes.load() / users : 0);
    std::printf("groups: %zu in %.2f s\n", groups, groups_seconds);
    std::printf("total: %.1f s; RSS %ld MiB, peak RSS %ld MiB\n", total_seconds, rss_kib() / 1024,
                peak_rss_kib() / 1024);
    // Machine-readable summary for bench.sh.
    std::printf("SEED users=%zu seconds=%.3f rate=%.0f rss_kib=%ld peak_rss_kib=%ld width=%d\n", users, users_seconds,
                users ? users / users_seconds : 0.0, rss_kib(), peak_rss_kib(), width);
    return 0;  // the store closes last (declared first): SQLite checkpoints the WAL into the file
  } catch (const std::exception& e) {
    std::cerr << "scimulator_bench_seed: " << e.what() << "\n";
    return 1;
  }
}
