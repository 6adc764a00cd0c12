// What a write promises when it returns: it is in the file (a process killed right after still
// has it on reopen), and a write the file refused changed nothing, in the file or in memory.
#include "store_test_support.hpp"

#include "reference_server/store/resource_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace refserver {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

StoredResource make_user(const std::string& id, const std::string& user_name, std::uint64_t version = 1,
                         std::size_t padding = 0) {
  StoredResource r;
  r.kind = ResourceKind::user;
  r.id = id;
  r.version = version;
  r.name = user_name;
  nlohmann::json doc = {{"id", id},
                        {"userName", user_name},
                        {"meta", {{"version", "W/\"" + std::to_string(version) + "\""}}}};
  if (padding) doc["title"] = std::string(padding, 'x');
  r.json = doc.dump();
  return r;
}

StoredResource make_group(const std::string& id, const std::string& display_name,
                          const std::vector<std::string>& members, std::size_t padding = 0) {
  StoredResource r;
  r.kind = ResourceKind::group;
  r.id = id;
  r.name = display_name;
  r.member_ids = members;
  nlohmann::json doc = {{"id", id}, {"displayName", display_name}, {"meta", {{"version", "W/\"1\""}}}};
  for (const auto& m : members) doc["members"].push_back({{"value", m}});
  if (padding) doc["description"] = std::string(padding, 'x');
  r.json = doc.dump();
  return r;
}

struct TempDir : storetest::StoreTempDir {
  TempDir() : StoreTempDir("durability_test") {}
};

// ---------------------------------------------------------------------------------------------
// kill -9 in the middle of a stream of writes

enum class Step { inserted, replaced, removed };

// The child's script: user i is inserted, every 4th is then replaced (version 2), and every
// 10th from 5 on is removed. Each step is acknowledged on the pipe only after the store call
// returned, the way a server answers 2xx only after the store returned.
[[noreturn]] void run_writer(const std::string& path, Durability durability, int fd) {
  try {
    auto store = ResourceStore::open(path, durability);
    auto ack = [fd](const char* step, const std::string& id) {
      std::string line = std::string(step) + " " + id + "\n";
      if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(4);
    };
    for (int i = 0; i < 1000000; ++i) {
      std::string id = "u" + std::to_string(i);
      store->insert(make_user(id, "user" + std::to_string(i), 1, 300));
      ack("I", id);
      if (i % 4 == 0) {
        store->replace(make_user(id, "renamed" + std::to_string(i), 2, 300), 1);
        ack("R", id);
      }
      if (i % 10 == 5) {
        store->remove(ResourceKind::user, id, std::nullopt);
        ack("D", id);
      }
    }
  } catch (...) {
    ::_exit(3);
  }
  ::_exit(0);  // finishing means the parent never got to kill it mid-way
}

class KilledWriter : public ::testing::TestWithParam<Durability> {};

TEST_P(KilledWriter, EveryAcknowledgedWriteSurvivesSigkill) {
  TempDir dir;
  std::string path = dir.file("data.db");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    run_writer(path, GetParam(), fds[1]);
  }
  ::close(fds[1]);

  // Read acknowledgements; kill once enough arrived, then drain what the child wrote before it
  // died: every line in the pipe is a write the child saw return.
  std::string received;
  std::size_t acks = 0;
  bool killed = false;
  char buffer[4096];
  while (true) {
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
    acks += static_cast<std::size_t>(std::count(buffer, buffer + n, '\n'));
    if (!killed && acks >= 300) {
      ASSERT_EQ(::kill(child, SIGKILL), 0);
      killed = true;
    }
  }
  ::close(fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the writer was not killed mid-way (exit status " << status << ")";

  // The acknowledged state of every id, and the last acknowledged id: the one write in flight
  // when the kill landed may or may not have committed, and touches only that id or the next.
  std::map<std::string, Step> acked;
  std::vector<std::string> order;
  std::istringstream lines(received);
  std::string step, id;
  while (lines >> step >> id) {
    if (!acked.count(id)) order.push_back(id);
    acked[id] = step == "I" ? Step::inserted : step == "R" ? Step::replaced : Step::removed;
  }
  ASSERT_GE(order.size(), 200u);
  const std::string last = order.back();
  const std::string next = "u" + std::to_string(std::stoi(last.substr(1)) + 1);

  auto store = ResourceStore::open(path);
  std::size_t expected_present = 0;
  for (const auto& [acked_id, state] : acked) {
    ResourcePtr found = store->find(ResourceKind::user, acked_id);
    if (acked_id == last) {
      // In flight may have been its replace or remove, never anything earlier.
      if (state == Step::removed) {
        EXPECT_EQ(found, nullptr);
      } else if (state == Step::replaced && found) {
        EXPECT_EQ(found->version, 2u);
      }
      continue;
    }
    SCOPED_TRACE(acked_id);
    switch (state) {
      case Step::inserted:
        ASSERT_NE(found, nullptr);
        EXPECT_EQ(found->version, 1u);
        EXPECT_EQ(found->name, "user" + acked_id.substr(1));
        ++expected_present;
        break;
      case Step::replaced:
        ASSERT_NE(found, nullptr);
        EXPECT_EQ(found->version, 2u);
        EXPECT_EQ(found->name, "renamed" + acked_id.substr(1));
        EXPECT_EQ(nlohmann::json::parse(found->json)["meta"]["version"], "W/\"2\"");
        ++expected_present;
        break;
      case Step::removed:
        EXPECT_EQ(found, nullptr);
        break;
    }
  }
  // Nothing that was never written appears, except possibly the in-flight insert of `next`.
  for (const auto& resource : store->all(ResourceKind::user))
    EXPECT_TRUE(acked.count(resource->id) || resource->id == next) << resource->id;
  std::size_t count = store->count(ResourceKind::user);
  EXPECT_GE(count, expected_present);
  EXPECT_LE(count, expected_present + 2);

  // The reopened store carries on: seq continues after the highest one written.
  std::uint64_t highest = store->all(ResourceKind::user).back()->seq;
  EXPECT_GT(store->insert(make_user("after", "after-restart"))->seq, highest);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "USER" + order.front().substr(1)) == nullptr,
            acked[order.front()] != Step::inserted);
}

INSTANTIATE_TEST_SUITE_P(ResourceStoreDurability, KilledWriter,
                         ::testing::Values(Durability::normal, Durability::full),
                         [](const auto& info) { return info.param == Durability::normal ? "Normal" : "Full"; });

// ---------------------------------------------------------------------------------------------
// A write the file refuses. RLIMIT_FSIZE makes the kernel refuse to grow the WAL, as a full disk
// would; SIGXFSZ is ignored so the write fails with EFBIG instead of killing the process.

class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    previous_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &previous_);
    rlimit limited = previous_;
    limited.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() { lift(); }
  void lift() {
    if (lifted_) return;
    ::setrlimit(RLIMIT_FSIZE, &previous_);
    ::signal(SIGXFSZ, previous_handler_);
    lifted_ = true;
  }

 private:
  rlimit previous_{};
  sighandler_t previous_handler_{};
  bool lifted_ = false;
};

std::uintmax_t wal_size(const std::string& path) {
  std::error_code ignored;
  auto size = std::filesystem::file_size(path + "-wal", ignored);
  return ignored ? 0 : size;
}

TEST(ResourceStoreStorageFailure, ARefusedInsertIs500AndLeavesNoTrace) {
  TempDir dir;
  std::string path = dir.file("data.db");
  auto store = ResourceStore::open(path);
  ResourcePtr first = store->insert(make_user("u1", "alice"));
  {
    FileSizeLimit limit(wal_size(path) + 8192);
    try {
      store->insert(make_user("u2", "bob", 1, 1 << 20));
      ADD_FAILURE() << "the insert should have failed";
    } catch (const scim::Error& error) {
      EXPECT_EQ(error.status(), 500);
      EXPECT_THAT(error.detail(), HasSubstr("storage failure"));
      EXPECT_THAT(error.detail(), HasSubstr(path));
      EXPECT_THAT(error.detail(), HasSubstr("u2"));
    }
  }
  EXPECT_EQ(store->find(ResourceKind::user, "u2"), nullptr);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "bob"), nullptr);
  EXPECT_EQ(store->count(ResourceKind::user), 1u);

  // Once the file can grow again the store works, and the failed insert did not use up a seq.
  ResourcePtr second = store->insert(make_user("u2", "bob"));
  EXPECT_EQ(second->seq, first->seq + 1);
  store.reset();
  auto reopened = ResourceStore::open(path);
  EXPECT_EQ(reopened->count(ResourceKind::user), 2u);
}

TEST(ResourceStoreStorageFailure, ARefusedRemoveRollsBackTheGroupRewritesToo) {
  TempDir dir;
  std::string path = dir.file("data.db");
  auto store = ResourceStore::open(path);
  ResourcePtr alice = store->insert(make_user("u1", "alice"));
  // Big enough that rewriting it cannot fit under the limit below.
  ResourcePtr group = store->insert(make_group("g1", "Team", {"u1"}, 1 << 20));
  {
    FileSizeLimit limit(wal_size(path) + 8192);
    try {
      store->remove(ResourceKind::user, "u1", std::nullopt);
      ADD_FAILURE() << "the remove should have failed";
    } catch (const scim::Error& error) {
      EXPECT_EQ(error.status(), 500);
      EXPECT_THAT(error.detail(), HasSubstr("storage failure"));
    }
  }
  EXPECT_EQ(store->find(ResourceKind::user, "u1"), alice);
  EXPECT_EQ(store->find(ResourceKind::group, "g1"), group);
  ASSERT_EQ(store->groups_of("u1").size(), 1u);

  // Nothing of the failed transaction reached the file either.
  store.reset();
  store = ResourceStore::open(path);
  ASSERT_NE(store->find(ResourceKind::user, "u1"), nullptr);
  EXPECT_EQ(store->get(ResourceKind::group, "g1")->version, 1u);
  EXPECT_THAT(store->get(ResourceKind::group, "g1")->member_ids, ElementsAre("u1"));

  store->remove(ResourceKind::user, "u1", std::nullopt);
  EXPECT_EQ(store->get(ResourceKind::group, "g1")->version, 2u);
  EXPECT_TRUE(store->groups_of("u1").empty());
}

}  // namespace
}  // namespace refserver
