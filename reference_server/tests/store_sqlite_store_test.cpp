// The SQLite resource store: indexes, uniqueness, optimistic versions, member bookkeeping,
// reopening, refusing foreign files, concurrency and surviving kill -9.
#include "reference_server/store/resource_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace refserver {
namespace {

namespace fs = std::filesystem;

StoredResource user(const std::string& id, const std::string& name, const std::string& external_id = "",
                    std::uint64_t version = 1) {
  StoredResource r;
  r.kind = ResourceKind::user;
  r.id = id;
  r.version = version;
  r.name = name;
  r.external_id = external_id;
  r.json = nlohmann::json{{"id", id}, {"userName", name}, {"meta", {{"version", "W/\"" + std::to_string(version) + "\""}}}}.dump();
  return r;
}

StoredResource group(const std::string& id, const std::string& name, std::vector<std::string> members,
                     std::uint64_t version = 1) {
  StoredResource r;
  r.kind = ResourceKind::group;
  r.id = id;
  r.version = version;
  r.name = name;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& m : members) list.push_back({{"value", m}});
  nlohmann::json doc{{"id", id}, {"displayName", name}, {"meta", {{"version", "W/\"" + std::to_string(version) + "\""}}}};
  if (!list.empty()) doc["members"] = list;
  r.json = doc.dump();
  r.member_ids = std::move(members);
  return r;
}

int status_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const scim::Error& error) {
    return error.status();
  }
  return 0;
}

std::vector<std::string> ids_of(const std::vector<ResourcePtr>& list) {
  std::vector<std::string> out;
  for (const auto& r : list) out.push_back(r->id);
  return out;
}
std::vector<std::string> ids_of(const std::vector<GroupRef>& list) {
  std::vector<std::string> out;
  for (const auto& r : list) out.push_back(r.id + "=" + r.display_name);
  return out;
}

// A temporary data file removed (with its WAL and shm) at the end of the test.
struct TempFile {
  TempFile() {
    static std::atomic<int> counter{0};
    path = (fs::temp_directory_path() /
            ("scim_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".db"))
               .string();
    remove_all();
  }
  ~TempFile() { remove_all(); }
  void remove_all() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix);
  }
  std::string path;
};

class Store : public ::testing::Test {
 protected:
  TempFile file;
  std::unique_ptr<ResourceStore> store = ResourceStore::open(file.path);
};

TEST_F(Store, InsertFindGetAndCount) {
  auto stored = store->insert(user("u1", "alice", "ext", 1));
  EXPECT_EQ(stored->id, "u1");
  EXPECT_EQ(stored->seq, 1u);
  auto found = store->find(ResourceKind::user, "u1");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->name, "alice");
  EXPECT_EQ(found->external_id, "ext");
  EXPECT_EQ(store->find(ResourceKind::group, "u1"), nullptr);
  EXPECT_EQ(store->find(ResourceKind::user, "nope"), nullptr);
  EXPECT_EQ(store->get(ResourceKind::user, "u1")->id, "u1");
  EXPECT_EQ(status_of([&] { store->get(ResourceKind::user, "nope"); }), 404);
  EXPECT_EQ(store->count(ResourceKind::user), 1u);
  EXPECT_EQ(store->count(ResourceKind::group), 0u);
}

TEST_F(Store, FindByNameIsCaseInsensitive) {
  store->insert(user("u1", "Alice"));
  store->insert(group("g1", "Admins", {}));
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "ALICE")->id, "u1");
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alice")->id, "u1");
  EXPECT_EQ(store->find_by_name(ResourceKind::group, "admins")->id, "g1");
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "admins"), nullptr);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alicia"), nullptr);
}

TEST_F(Store, FindByExternalIdIsCaseExactAndReturnsEveryHolder) {
  store->insert(user("u1", "a", "E1"));
  store->insert(user("u2", "b", "e1"));
  store->insert(user("u3", "c", "E1"));
  EXPECT_EQ(ids_of(store->find_by_external_id(ResourceKind::user, "E1")), (std::vector<std::string>{"u1", "u3"}));
  EXPECT_EQ(ids_of(store->find_by_external_id(ResourceKind::user, "e1")), (std::vector<std::string>{"u2"}));
  EXPECT_TRUE(store->find_by_external_id(ResourceKind::user, "E2").empty());
}

TEST_F(Store, AllIsInCreationOrder) {
  for (std::string id : {"z", "a", "m", "b"}) store->insert(user(id, "name-" + id));
  EXPECT_EQ(ids_of(store->all(ResourceKind::user)), (std::vector<std::string>{"z", "a", "m", "b"}));
  store->remove(ResourceKind::user, "a", std::nullopt);
  store->insert(user("a", "again"));
  EXPECT_EQ(ids_of(store->all(ResourceKind::user)), (std::vector<std::string>{"z", "m", "b", "a"}));
}

TEST_F(Store, UniquenessOnInsertAndReplaceIgnoresCase) {
  store->insert(user("u1", "alice"));
  store->insert(user("u2", "bob"));
  EXPECT_EQ(status_of([&] { store->insert(user("u3", "ALICE")); }), 409);
  EXPECT_EQ(store->count(ResourceKind::user), 2u);
  EXPECT_EQ(status_of([&] { store->replace(user("u2", "Alice", "", 2), 1); }), 409);
  EXPECT_EQ(store->get(ResourceKind::user, "u2")->name, "bob");
  EXPECT_EQ(store->get(ResourceKind::user, "u2")->version, 1u);
  // Changing only the case of one's own name is not a collision.
  auto renamed = store->replace(user("u1", "ALICE", "", 2), 1);
  EXPECT_EQ(renamed->name, "ALICE");
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alice")->id, "u1");
  // A rename frees the old name.
  store->replace(user("u2", "robert", "", 2), 1);
  EXPECT_NO_THROW(store->insert(user("u3", "Bob")));
}

TEST_F(Store, AnIdUsedByEitherKindIs409) {
  store->insert(user("x1", "alice"));
  EXPECT_EQ(status_of([&] { store->insert(user("x1", "bob")); }), 409);
  EXPECT_EQ(status_of([&] { store->insert(group("x1", "Admins", {})); }), 409);
  EXPECT_EQ(store->count(ResourceKind::group), 0u);
}

TEST_F(Store, ReplaceWithAStaleVersionIs412) {
  store->insert(user("u1", "alice"));
  store->replace(user("u1", "alice2", "", 2), 1);
  EXPECT_EQ(status_of([&] { store->replace(user("u1", "alice3", "", 2), 1); }), 412);
  EXPECT_EQ(store->get(ResourceKind::user, "u1")->name, "alice2");
  EXPECT_EQ(status_of([&] { store->replace(user("gone", "x", "", 2), 1); }), 404);
}

TEST_F(Store, RemoveIs404WhenGoneAnd412WithAStaleVersion) {
  store->insert(user("u1", "alice"));
  EXPECT_EQ(status_of([&] { store->remove(ResourceKind::user, "u1", 7); }), 412);
  EXPECT_NE(store->find(ResourceKind::user, "u1"), nullptr);
  store->remove(ResourceKind::user, "u1", 1);
  EXPECT_EQ(store->find(ResourceKind::user, "u1"), nullptr);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alice"), nullptr);
  EXPECT_EQ(status_of([&] { store->remove(ResourceKind::user, "u1", std::nullopt); }), 404);
  EXPECT_EQ(store->count(ResourceKind::user), 0u);
}

TEST_F(Store, GroupsOfFollowsInsertsReplacesAndRemoves) {
  store->insert(user("u1", "alice"));
  store->insert(group("g2", "Second", {"u1"}));
  store->insert(group("g1", "First", {"u1"}));
  store->insert(group("g3", "Other", {}));
  EXPECT_EQ(ids_of(store->groups_of("u1")), (std::vector<std::string>{"g2=Second", "g1=First"}));
  store->replace(group("g3", "Other", {"u1"}, 2), 1);
  store->replace(group("g2", "Renamed", {"u1"}, 2), 1);
  EXPECT_EQ(ids_of(store->groups_of("u1")), (std::vector<std::string>{"g2=Renamed", "g1=First", "g3=Other"}));
  store->replace(group("g1", "First", {}, 2), 1);
  EXPECT_EQ(ids_of(store->groups_of("u1")), (std::vector<std::string>{"g2=Renamed", "g3=Other"}));
  store->remove(ResourceKind::group, "g2", std::nullopt);
  EXPECT_EQ(ids_of(store->groups_of("u1")), (std::vector<std::string>{"g3=Other"}));
  EXPECT_TRUE(store->groups_of("nobody").empty());
}

TEST_F(Store, RemovingAUserStripsItFromEveryGroup) {
  store->insert(user("u1", "alice"));
  store->insert(user("u2", "bob"));
  store->insert(group("g1", "One", {"u1", "u2"}));
  store->insert(group("g2", "Two", {"u1"}, 5));
  store->insert(group("g3", "Three", {"u2"}));
  store->remove(ResourceKind::user, "u1", std::nullopt);
  EXPECT_TRUE(store->groups_of("u1").empty());
  auto check = [&](ResourceStore& s) {
    auto g1 = s.get(ResourceKind::group, "g1");
    EXPECT_EQ(g1->member_ids, (std::vector<std::string>{"u2"}));
    EXPECT_EQ(g1->version, 2u);
    auto doc1 = nlohmann::json::parse(g1->json);
    EXPECT_EQ(doc1["members"], nlohmann::json::parse(R"([{"value":"u2"}])"));
    EXPECT_EQ(doc1["meta"]["version"], "W/\"2\"");
    auto g2 = s.get(ResourceKind::group, "g2");
    EXPECT_TRUE(g2->member_ids.empty());
    EXPECT_EQ(g2->version, 6u);
    auto doc2 = nlohmann::json::parse(g2->json);
    EXPECT_FALSE(doc2.contains("members")) << g2->json;
    EXPECT_EQ(doc2["meta"]["version"], "W/\"6\"");
    auto g3 = s.get(ResourceKind::group, "g3");
    EXPECT_EQ(g3->version, 1u);  // did not hold u1: untouched
    EXPECT_EQ(ids_of(s.groups_of("u2")), (std::vector<std::string>{"g1=One", "g3=Three"}));
  };
  check(*store);
  store.reset();
  auto reopened = ResourceStore::open(file.path);
  check(*reopened);  // the group rewrites were committed, not only published
}

TEST(StoreFile, ReopeningRestoresEverything) {
  TempFile file;
  {
    auto store = ResourceStore::open(file.path);
    store->insert(user("u1", "Alice", "X1"));
    store->insert(user("u2", "bob", "X1"));
    store->insert(group("g1", "Admins", {"u1", "u2"}));
    store->replace(user("u2", "Robert", "X2", 2), 1);
    store->insert(user("u3", "carol"));
    store->remove(ResourceKind::user, "u3", std::nullopt);
  }
  auto store = ResourceStore::open(file.path);
  ASSERT_EQ(store->count(ResourceKind::user), 2u);
  ASSERT_EQ(store->count(ResourceKind::group), 1u);
  auto u2 = store->get(ResourceKind::user, "u2");
  EXPECT_EQ(u2->name, "Robert");
  EXPECT_EQ(u2->external_id, "X2");
  EXPECT_EQ(u2->version, 2u);
  EXPECT_EQ(u2->seq, 2u);
  EXPECT_EQ(u2->json, user("u2", "Robert", "X2", 2).json);
  EXPECT_EQ(store->get(ResourceKind::group, "g1")->member_ids, (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alice")->id, "u1");
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "bob"), nullptr);
  EXPECT_EQ(ids_of(store->find_by_external_id(ResourceKind::user, "X1")), (std::vector<std::string>{"u1"}));
  EXPECT_EQ(ids_of(store->groups_of("u2")), (std::vector<std::string>{"g1=Admins"}));
  EXPECT_EQ(status_of([&] { store->insert(user("u9", "ROBERT")); }), 409);
  // seq continues after the highest one stored (g1's 3, shared across kinds), so new records
  // sort after every record that survived the reopen.
  auto u4 = store->insert(user("u4", "dave"));
  EXPECT_GT(u4->seq, store->get(ResourceKind::group, "g1")->seq);
  EXPECT_GT(u4->seq, u2->seq);
  EXPECT_EQ(ids_of(store->all(ResourceKind::user)), (std::vector<std::string>{"u1", "u2", "u4"}));
}

TEST(StoreFile, FullDurabilityOpensAndPersists) {
  TempFile file;
  {
    auto store = ResourceStore::open(file.path, Durability::full);
    store->insert(user("u1", "alice"));
  }
  EXPECT_EQ(ResourceStore::open(file.path, Durability::full)->count(ResourceKind::user), 1u);
}

void expect_refused(const std::string& path) {
  try {
    ResourceStore::open(path);
    ADD_FAILURE() << "opened a file that is not a store: " << path;
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
}

TEST(StoreFile, AnotherApplicationsSqliteFileIsRefused) {
  TempFile file;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE invoices(n INTEGER)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  expect_refused(file.path);
}

TEST(StoreFile, ATextFileIsRefused) {
  TempFile file;
  std::ofstream(file.path) << std::string(4096, 'x') << "\nnot a database\n";
  expect_refused(file.path);
}

TEST(StoreConcurrency, ReadersAndWritersOnSeveralThreads) {
  TempFile file;
  auto store = ResourceStore::open(file.path);
  constexpr int kWriters = 4, kPerWriter = 100;
  std::atomic<bool> done{false};
  std::atomic<int> bad_reads{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r)
    threads.emplace_back([&] {
      while (!done) {
        auto all = store->all(ResourceKind::user);
        for (std::size_t i = 1; i < all.size(); ++i)
          if (all[i - 1]->seq >= all[i]->seq) ++bad_reads;
        for (const auto& r : all)
          if (auto by_name = store->find_by_name(ResourceKind::user, r->name); by_name && by_name->id != r->id)
            ++bad_reads;
      }
    });
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
        store->insert(user(id, "name-" + id));
        if (i % 2 == 0) store->replace(user(id, "NAME-" + id, "", 2), 1);
        if (i % 5 == 0) store->remove(ResourceKind::user, id, std::nullopt);
      }
    });
  for (std::size_t i = 2; i < threads.size(); ++i) threads[i].join();
  done = true;
  threads[0].join();
  threads[1].join();
  EXPECT_EQ(bad_reads, 0);
  std::size_t expected = kWriters * (kPerWriter - kPerWriter / 5);
  EXPECT_EQ(store->count(ResourceKind::user), expected);
  store.reset();
  EXPECT_EQ(ResourceStore::open(file.path)->count(ResourceKind::user), expected);
}

TEST(StoreDurability, EveryAcknowledgedInsertSurvivesKill9) {
  TempFile file;
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    auto store = ResourceStore::open(file.path);
    for (int i = 0;; ++i) {
      std::string id = "k" + std::to_string(i);
      store->insert(user(id, "user-" + id));
      std::string line = id + "\n";
      if (::write(pipe_fds[1], line.data(), line.size()) < 0) ::_exit(1);
    }
  }
  ::close(pipe_fds[1]);
  std::set<std::string> acknowledged;
  std::string pending;
  char buffer[256];
  while (acknowledged.size() < 200) {
    ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
      acknowledged.insert(pending.substr(0, nl));
      pending.erase(0, nl + 1);
    }
  }
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  // Whatever the child wrote to the pipe before dying was acknowledged too.
  while (true) {
    ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
    acknowledged.insert(pending.substr(0, nl));
    pending.erase(0, nl + 1);
  }
  ASSERT_GE(acknowledged.size(), 200u);
  auto store = ResourceStore::open(file.path);
  for (const auto& id : acknowledged) {
    auto found = store->find(ResourceKind::user, id);
    ASSERT_NE(found, nullptr) << id << " was acknowledged but lost";
    EXPECT_EQ(found->name, "user-" + id);
  }
  EXPECT_GE(store->count(ResourceKind::user), acknowledged.size());
}

}  // namespace
}  // namespace refserver
