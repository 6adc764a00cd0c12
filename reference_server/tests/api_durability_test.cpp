// Durability of the real `scimulator serve` binary: a 2xx answer is a promise that the write is
// on disk (store/resource_store.hpp: "A write returns only after its SQLite transaction
// committed, so a 2xx answer built on it survives kill -9"). The server runs as a child process;
// clients hammer it, it is killed with SIGKILL (or stopped with SIGTERM), restarted on the same
// file, and every acknowledged resource must be there. Children are killed and reaped by
// CliServer's destructor on every path; data files live in a TempDir.
#include "api_test_server.hpp"

#include <atomic>
#include <mutex>

namespace refserver::e2e {
namespace {

using nlohmann::json;

struct Acknowledged {
  std::string id;
  std::string user_name;
};

// Four client threads POSTing users as fast as the server answers, each recording the users
// whose 201 it received. The destructor stops and joins them, so no assertion can leave a
// joinable thread behind.
class CreateLoad {
 public:
  CreateLoad(const std::string& origin, const std::string& tag, int threads = 4) : results_(threads) {
    for (int t = 0; t < threads; ++t)
      threads_.emplace_back([this, origin, tag, t] { run(origin, tag, t); });
  }
  ~CreateLoad() { join(); }

  void stop() { stop_ = true; }
  void join() {
    stop_ = true;
    for (auto& thread : threads_)
      if (thread.joinable()) thread.join();
  }
  std::vector<Acknowledged> acknowledged() const {
    std::vector<Acknowledged> all;
    for (const auto& part : results_) all.insert(all.end(), part.begin(), part.end());
    return all;
  }
  // Answers that were neither a 201 nor a transport failure: always a server fault here.
  std::vector<std::string> unexpected() const {
    std::lock_guard lock(mutex_);
    return unexpected_;
  }
  long sent() const { return sent_; }

 private:
  void run(const std::string& origin, const std::string& tag, int thread) {
    HttpClient client(origin);
    client.set_timeout(std::chrono::seconds(5));
    for (long n = 0; !stop_; ++n) {
      std::string name = tag + "-" + std::to_string(thread) + "-" + std::to_string(n) + "@durable.example.com";
      ++sent_;
      Reply reply = client.post("/Users", user_body(name));
      if (!reply.curl_error.empty()) break;  // the server went away; nothing more is acknowledged
      if (reply.status == 201 && reply.body.is_object() && reply.body.contains("id")) {
        results_[thread].push_back({reply.body["id"].get<std::string>(), name});
      } else {
        std::lock_guard lock(mutex_);
        unexpected_.push_back(name + ": " + reply.describe());
        break;
      }
    }
  }

  std::vector<std::vector<Acknowledged>> results_;  // one per thread, written by that thread only
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<long> sent_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> unexpected_;
};

// Every acknowledged user must be readable with the name it was created with, and the total
// must count at least all of them (requests cut off by the kill may or may not have committed).
void expect_all_present(HttpClient& client, const std::vector<Acknowledged>& acknowledged) {
  std::size_t missing = 0;
  for (const auto& user : acknowledged) {
    Reply reply = client.get("/Users/" + user.id);
    if (reply.status != 200 || !reply.body.is_object() || reply.body.value("userName", "") != user.user_name) {
      if (++missing <= 10)
        ADD_FAILURE() << "acknowledged user " << user.user_name << " (" << user.id << ") lost: " << reply.describe();
    }
  }
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged creates";
  Reply totals = client.get("/Users?count=0");
  ASSERT_EQ(totals.status, 200) << totals.describe();
  EXPECT_GE(totals.body.value("totalResults", -1L), static_cast<long>(acknowledged.size()));
}

TEST(Persistence_KillDurability, EveryAcknowledgedCreateSurvivesSigkill) {
  TempDir dir;
  const std::string data = dir.file("durable.db");
  std::vector<Acknowledged> acknowledged;
  {
    CliServer server(data);
    CreateLoad load(server.origin(), "kill9");
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    pid_t pid = server.pid();
    ASSERT_GT(pid, 0);
    server.signal(SIGKILL);
    std::optional<int> status = server.wait_exit(std::chrono::seconds(10));
    load.join();
    ASSERT_TRUE(status.has_value()) << "the server survived SIGKILL";
    EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL) << "wait status " << *status;
    EXPECT_TRUE(load.unexpected().empty()) << load.unexpected().front();
    acknowledged = load.acknowledged();
  }
  ::testing::Test::RecordProperty("acknowledged_creates", static_cast<int>(acknowledged.size()));
  // Without enough acknowledged writes the test would prove nothing.
  ASSERT_GE(acknowledged.size(), 20u) << "too few creates were acknowledged in one second";

  CliServer restarted(data);
  auto client = restarted.client();
  expect_all_present(*client, acknowledged);
  // The restarted server accepts writes on the recovered file, and names stay unique.
  Reply again = client->post("/Users", user_body(acknowledged.front().user_name));
  expect_scim_error(again, 409, "uniqueness");
  Reply fresh = client->post("/Users", user_body("after.restart@durable.example.com"));
  EXPECT_EQ(fresh.status, 201) << fresh.describe();
}

// A SIGKILL in the middle of updates: every acknowledged PATCH is what a restart reads back.
TEST(Persistence_KillDurability, AcknowledgedUpdatesSurviveSigkill) {
  TempDir dir;
  const std::string data = dir.file("updates.db");
  std::string id;
  std::string last_title;  // the title of the last acknowledged PATCH
  {
    CliServer server(data);
    auto client = server.client();
    Reply created = client->post("/Users", user_body("updated@durable.example.com", {{"title", "v0"}}));
    ASSERT_EQ(created.status, 201) << created.describe();
    id = created.body.value("id", "");
    last_title = "v0";
    std::atomic<bool> go{true};
    std::thread killer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      server.signal(SIGKILL);
      go = false;
    });
    for (int n = 1; go; ++n) {
      std::string title = "v" + std::to_string(n);
      Reply reply = client->patch("/Users/" + id, patch_body({{{"op", "replace"}, {"path", "title"}, {"value", title}}}));
      if (!reply.curl_error.empty()) break;
      if (reply.status != 200 && reply.status != 204) {
        ADD_FAILURE() << "PATCH " << title << ": " << reply.describe();
        break;
      }
      last_title = title;
    }
    killer.join();
    ASSERT_TRUE(server.wait_exit(std::chrono::seconds(10)).has_value());
  }
  ::testing::Test::RecordProperty("last_acknowledged_title", last_title);
  ASSERT_NE(last_title, "v0") << "no PATCH was acknowledged before the kill";
  CliServer restarted(data);
  Reply reply = restarted.client()->get("/Users/" + id);
  ASSERT_EQ(reply.status, 200) << reply.describe();
  // The last acknowledged title, or one PATCH later if that one committed but its answer was cut
  // off by the kill.
  std::string title = reply.body.value("title", "");
  std::string next = "v" + std::to_string(std::stoi(last_title.substr(1)) + 1);
  EXPECT_TRUE(title == last_title || title == next) << "read back " << title << ", last acknowledged " << last_title;
}

// SIGTERM is the orderly stop (`docker stop`, systemd): the server exits 0 promptly, even with a
// kept-alive idle client connection, and everything written is there after a restart.
TEST(Persistence_GracefulShutdown, SigtermExitsZeroPromptlyAndKeepsData) {
  TempDir dir;
  const std::string data = dir.file("graceful.db");
  std::vector<Acknowledged> users;
  std::string group_id;
  {
    CliServer server(data);
    auto client = server.client();
    for (int i = 0; i < 20; ++i) {
      std::string name = "graceful." + std::to_string(i) + "@example.com";
      Reply reply = client->post("/Users", user_body(name));
      ASSERT_EQ(reply.status, 201) << reply.describe();
      users.push_back({reply.body.value("id", ""), name});
    }
    Reply group = client->post("/Groups", json{{"schemas", {group_urn}},
                                               {"displayName", "Graceful"},
                                               {"members", {{{"value", users[0].id}}, {{"value", users[1].id}}}}});
    ASSERT_EQ(group.status, 201) << group.describe();
    group_id = group.body.value("id", "");
    Reply patched = client->patch("/Users/" + users[2].id,
                                  patch_body({{{"op", "replace"}, {"path", "title"}, {"value", "Last Write"}}}));
    ASSERT_EQ(patched.status, 200) << patched.describe();
    // The client's connection stays open and idle while the server is asked to stop.
    auto asked = std::chrono::steady_clock::now();
    server.signal(SIGTERM);
    std::optional<int> status = server.wait_exit(std::chrono::seconds(10));
    auto took = std::chrono::steady_clock::now() - asked;
    ASSERT_TRUE(status.has_value()) << "the server did not exit within 10 s of SIGTERM";
    ASSERT_TRUE(WIFEXITED(*status)) << "wait status " << *status << " (killed by signal "
                                    << (WIFSIGNALED(*status) ? WTERMSIG(*status) : 0) << ")";
    EXPECT_EQ(WEXITSTATUS(*status), 0);
    EXPECT_LT(took, std::chrono::seconds(3)) << "SIGTERM took "
                                             << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                                             << " ms";
    // Nothing listens any more.
    Reply after = client->get("/Users?count=0");
    EXPECT_FALSE(after.curl_error.empty()) << after.describe();
  }
  CliServer restarted(data);
  auto client = restarted.client();
  expect_all_present(*client, users);
  EXPECT_EQ(client->get("/Users?count=0").body.value("totalResults", -1), 20);
  EXPECT_EQ(client->get("/Users/" + users[2].id).body.value("title", ""), "Last Write");
  Reply group = client->get("/Groups/" + group_id);
  ASSERT_EQ(group.status, 200) << group.describe();
  ASSERT_EQ(group.body["members"].size(), 2u) << group.text;
}

// SIGTERM under load: in-flight requests are answered or refused, never acknowledged and then
// lost, and the exit is still 0.
TEST(Persistence_GracefulShutdown, SigtermUnderLoadLosesNoAcknowledgedWrite) {
  TempDir dir;
  const std::string data = dir.file("graceful-load.db");
  std::vector<Acknowledged> acknowledged;
  {
    CliServer server(data);
    CreateLoad load(server.origin(), "term");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    server.signal(SIGTERM);
    std::optional<int> status = server.wait_exit(std::chrono::seconds(10));
    load.join();
    ASSERT_TRUE(status.has_value()) << "the server did not exit within 10 s of SIGTERM under load";
    ASSERT_TRUE(WIFEXITED(*status)) << "wait status " << *status;
    EXPECT_EQ(WEXITSTATUS(*status), 0);
    EXPECT_TRUE(load.unexpected().empty()) << load.unexpected().front();
    acknowledged = load.acknowledged();
  }
  ::testing::Test::RecordProperty("acknowledged_creates", static_cast<int>(acknowledged.size()));
  ASSERT_GE(acknowledged.size(), 10u);
  CliServer restarted(data);
  expect_all_present(*restarted.client(), acknowledged);
}

}  // namespace
}  // namespace refserver::e2e
