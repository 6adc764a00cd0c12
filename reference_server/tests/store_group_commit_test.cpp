// Group commit: concurrent writers share one SQLite commit, and each still returns only once the
// commit holding its own write is in the file; a refused write in a batch takes nothing of the
// others with it.
#include "store_test_support.hpp"

#include "reference_server/store/resource_store.hpp"
#include "reference_server/store/sqlite_db.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

namespace refserver {
namespace {

using ::testing::HasSubstr;
using storetest::error_of;

StoredResource make_user(const std::string& id, const std::string& user_name, std::uint64_t version = 1) {
  StoredResource r;
  r.kind = ResourceKind::user;
  r.id = id;
  r.version = version;
  r.name = user_name;
  r.json = nlohmann::json{{"id", id}, {"userName", user_name}, {"meta", {{"version", "W/\"" + std::to_string(version) + "\""}}}}
               .dump();
  return r;
}

struct TempDir : storetest::StoreTempDir {
  TempDir() : StoreTempDir("group_commit_test") {}
};

// Counts the commits of the store's connection. Each commit also sleeps a little, as an fsync
// would, so writers arriving meanwhile have to queue for the next one.
struct CommitCounter {
  std::atomic<int> commits{0};
  std::chrono::microseconds delay{0};

  static int on_commit(void* self) {
    auto* counter = static_cast<CommitCounter*>(self);
    ++counter->commits;
    if (counter->delay.count()) std::this_thread::sleep_for(counter->delay);
    return 0;  // 0 lets the commit proceed
  }
  void attach(ResourceStore& store) {
    store.with_database([this](sqlite::Database& db) { sqlite3_commit_hook(db.handle(), &CommitCounter::on_commit, this); });
  }
};

TEST(GroupCommit, ConcurrentWritersShareCommitsAndEachWriteIsPersisted) {
  TempDir dir;
  std::string path = dir.file("data.db");
  constexpr int kThreads = 8, kPerThread = 60;
  std::map<std::string, std::uint64_t> acknowledged;  // id -> seq the store returned
  int commits = 0;
  {
    auto store = ResourceStore::open(path);
    CommitCounter counter;
    counter.attach(*store);
    counter.delay = std::chrono::milliseconds(2);
    int before = counter.commits;
    std::mutex acknowledged_mutex;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          std::string id = "u" + std::to_string(t) + "-" + std::to_string(i);
          ResourcePtr stored = store->insert(make_user(id, "user-" + id));
          // The writer's own write, as it asked for it.
          EXPECT_EQ(stored->id, id);
          EXPECT_EQ(store->find(ResourceKind::user, id), stored);
          std::lock_guard lock(acknowledged_mutex);
          acknowledged[id] = stored->seq;
        }
      });
    for (auto& thread : threads) thread.join();
    commits = counter.commits - before;
    store->with_database([](sqlite::Database& db) { sqlite3_commit_hook(db.handle(), nullptr, nullptr); });
  }
  ASSERT_EQ(acknowledged.size(), static_cast<std::size_t>(kThreads * kPerThread));
  // One commit per write would be kThreads * kPerThread; writers queued behind a 2 ms commit
  // join the next batch.
  EXPECT_LE(commits, kThreads * kPerThread / 2) << "writes were not batched";
  EXPECT_GE(commits, 1);

  std::set<std::uint64_t> seqs;
  for (const auto& [id, seq] : acknowledged) seqs.insert(seq);
  EXPECT_EQ(seqs.size(), acknowledged.size()) << "two writes got the same seq";

  auto reopened = ResourceStore::open(path);
  EXPECT_EQ(reopened->count(ResourceKind::user), acknowledged.size());
  for (const auto& [id, seq] : acknowledged) {
    ResourcePtr found = reopened->find(ResourceKind::user, id);
    ASSERT_NE(found, nullptr) << id;
    EXPECT_EQ(found->seq, seq);
    EXPECT_EQ(found->name, "user-" + id);
  }
}

TEST(GroupCommit, ARefusedWriteInABatchLeavesTheOthersCommitted) {
  TempDir dir;
  std::string path = dir.file("data.db");
  constexpr int kThreads = 6, kNames = 40;
  std::atomic<int> created{0}, refused{0};
  std::mutex winners_mutex;
  std::map<std::string, std::string> winner;  // name -> id that got it
  {
    auto store = ResourceStore::open(path);
    CommitCounter counter;
    counter.attach(*store);
    counter.delay = std::chrono::milliseconds(1);
    std::vector<std::thread> threads;
    // Every thread tries every name: exactly one insert per name may win, case-insensitively.
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int n = 0; n < kNames; ++n) {
          std::string id = "t" + std::to_string(t) + "-n" + std::to_string(n);
          std::string name = (t % 2 ? "NAME-" : "name-") + std::to_string(n);
          try {
            store->insert(make_user(id, name));
            ++created;
            std::lock_guard lock(winners_mutex);
            EXPECT_TRUE(winner.emplace("name-" + std::to_string(n), id).second) << "two winners for " << name;
          } catch (const scim::Error& error) {
            EXPECT_EQ(error.status(), 409) << error.detail();
            ++refused;
          }
        }
      });
    for (auto& thread : threads) thread.join();
    store->with_database([](sqlite::Database& db) { sqlite3_commit_hook(db.handle(), nullptr, nullptr); });
    EXPECT_EQ(store->count(ResourceKind::user), static_cast<std::size_t>(kNames));
  }
  EXPECT_EQ(created, kNames);
  EXPECT_EQ(refused, kNames * (kThreads - 1));
  auto reopened = ResourceStore::open(path);
  EXPECT_EQ(reopened->count(ResourceKind::user), static_cast<std::size_t>(kNames));
  for (const auto& [name, id] : winner) EXPECT_EQ(reopened->find_by_name(ResourceKind::user, name)->id, id);
}

TEST(GroupCommit, WorkThatThrowsTakesBackOnlyItsOwnRows) {
  TempDir dir;
  std::string path = dir.file("data.db");
  {
    auto store = ResourceStore::open(path);
    store->with_database([](sqlite::Database& db) { db.exec("CREATE TABLE notes(text TEXT NOT NULL)"); });
    std::atomic<bool> stop{false};
    std::atomic<int> inserted{0};
    std::thread writer([&] {
      for (int i = 0; !stop || i < 20; ++i) {
        store->insert(make_user("u" + std::to_string(i), "user" + std::to_string(i)));
        ++inserted;
      }
    });
    for (int i = 0; i < 50; ++i) {
      store->with_database([&](sqlite::Database& db) { db.exec("INSERT INTO notes VALUES('kept " + std::to_string(i) + "')"); });
      try {
        store->with_database([&](sqlite::Database& db) {
          db.exec("INSERT INTO notes VALUES('dropped')");
          throw std::runtime_error("refused after writing");
        });
        ADD_FAILURE() << "the work's exception must reach its caller";
      } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("refused after writing"));
      }
    }
    stop = true;
    writer.join();
    EXPECT_GE(inserted, 20);
  }
  auto reopened = ResourceStore::open(path);
  std::int64_t kept = 0, dropped = 0;
  reopened->with_database([&](sqlite::Database& db) {
    kept = db.query_int("SELECT count(*) FROM notes WHERE text LIKE 'kept%'");
    dropped = db.query_int("SELECT count(*) FROM notes WHERE text = 'dropped'");
  });
  EXPECT_EQ(kept, 50);
  EXPECT_EQ(dropped, 0);
  EXPECT_GE(reopened->count(ResourceKind::user), 20u);
}

// A write's companion rows (its audit entry) share its commit: one commit for both, both in the
// file after reopening; a companion that fails takes the resource row back with it.
TEST(GroupCommit, AWritesCompanionRowsCommitWithItOrNotAtAll) {
  TempDir dir;
  std::string path = dir.file("data.db");
  {
    auto store = ResourceStore::open(path);
    store->with_database([](sqlite::Database& db) { db.exec("CREATE TABLE notes(text TEXT NOT NULL)"); });
    CommitCounter counter;
    counter.attach(*store);
    counter.commits = 0;  // attaching is itself a commit
    auto note = [](std::string text) {
      return [text](sqlite::Database& db) { db.exec("INSERT INTO notes VALUES('" + text + "')"); };
    };
    store->insert(make_user("u1", "alice"), note("created alice"));
    store->replace(make_user("u1", "alice.b", 2), 1, note("renamed alice"));
    EXPECT_EQ(counter.commits.load(), 2) << "each write and its note share one commit";

    auto failing = [](sqlite::Database& db) { db.exec("INSERT INTO no_such_table VALUES(1)"); };
    EXPECT_EQ(error_of([&] { store->insert(make_user("u2", "bob"), failing); }).status(), 500);
    EXPECT_EQ(store->find(ResourceKind::user, "u2"), nullptr) << "the refused insert is not published";
    EXPECT_EQ(error_of([&] { store->remove(ResourceKind::user, "u1", std::nullopt, failing); }).status(), 500);
    EXPECT_NE(store->find(ResourceKind::user, "u1"), nullptr) << "the refused remove keeps the user";
    store->remove(ResourceKind::user, "u1", std::nullopt, note("removed alice"));
  }
  auto reopened = ResourceStore::open(path);
  EXPECT_EQ(reopened->count(ResourceKind::user), 0u);
  std::int64_t notes = 0;
  reopened->with_database([&](sqlite::Database& db) { notes = db.query_int("SELECT count(*) FROM notes"); });
  EXPECT_EQ(notes, 3);
}

// Several writer threads in a child process acknowledge each write on a pipe once insert()
// returned; the child is killed with SIGKILL mid-stream. Every acknowledged write must be in the
// file.
TEST(GroupCommit, EveryAcknowledgedConcurrentWriteSurvivesSigkill) {
  TempDir dir;
  std::string path = dir.file("data.db");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    try {
      auto store = ResourceStore::open(path);
      std::mutex pipe_mutex;
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
          for (int i = 0; i < 1000000; ++i) {
            std::string id = "u" + std::to_string(t) + "-" + std::to_string(i);
            store->insert(make_user(id, "user-" + id));
            std::string line = id + "\n";
            std::lock_guard lock(pipe_mutex);
            if (::write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(4);
          }
        });
      for (auto& thread : threads) thread.join();
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  // Read acknowledgements until enough arrived, then kill without warning.
  std::string received;
  char buffer[4096];
  std::size_t lines = 0;
  while (lines < 2000) {
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
    lines = static_cast<std::size_t>(std::count(received.begin(), received.end(), '\n'));
  }
  ::kill(child, SIGKILL);
  // Whatever was acknowledged before the kill landed is still in the pipe.
  while (true) {
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer ended on its own (status " << status << ")";

  std::vector<std::string> acknowledged;
  std::istringstream in(received);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && in.good()) acknowledged.push_back(line);  // a torn last line is no acknowledgement
  ASSERT_GE(acknowledged.size(), 1000u);
  auto reopened = ResourceStore::open(path);
  for (const auto& id : acknowledged) EXPECT_NE(reopened->find(ResourceKind::user, id), nullptr) << id;
}

}  // namespace
}  // namespace refserver
