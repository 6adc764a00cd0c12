// The resource store: indexes, uniqueness, versioning, member bookkeeping, reopening a file,
// refusing files that are not ours, and concurrent use.
#include "store_test_support.hpp"

#include "reference_server/store/resource_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

namespace refserver {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using storetest::error_of;

StoredResource make_user(const std::string& id, const std::string& user_name, const std::string& external_id = "",
                         std::uint64_t version = 1) {
  StoredResource r;
  r.kind = ResourceKind::user;
  r.id = id;
  r.version = version;
  r.name = user_name;
  r.external_id = external_id;
  nlohmann::json doc = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                        {"id", id},
                        {"userName", user_name},
                        {"meta", {{"resourceType", "User"}, {"version", "W/\"" + std::to_string(version) + "\""}}}};
  if (!external_id.empty()) doc["externalId"] = external_id;
  r.json = doc.dump();
  return r;
}

StoredResource make_group(const std::string& id, const std::string& display_name,
                          const std::vector<std::string>& members = {}, std::uint64_t version = 1) {
  StoredResource r;
  r.kind = ResourceKind::group;
  r.id = id;
  r.version = version;
  r.name = display_name;
  r.member_ids = members;
  nlohmann::json doc = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                        {"id", id},
                        {"displayName", display_name},
                        {"meta",
                         {{"resourceType", "Group"},
                          {"lastModified", "2020-01-01T00:00:00.000Z"},
                          {"version", "W/\"" + std::to_string(version) + "\""}}}};
  if (!members.empty()) {
    doc["members"] = nlohmann::json::array();
    for (const auto& m : members) doc["members"].push_back({{"value", m}, {"type", "User"}});
  }
  r.json = doc.dump();
  return r;
}

std::vector<std::string> ids_of(const std::vector<ResourcePtr>& resources) {
  std::vector<std::string> ids;
  for (const auto& r : resources) ids.push_back(r->id);
  return ids;
}

std::vector<std::string> group_ids(const std::vector<GroupRef>& groups) {
  std::vector<std::string> ids;
  for (const auto& g : groups) ids.push_back(g.id);
  return ids;
}

// Runs `action`, which must throw scim::Error, and returns the error.
template <typename Action>
std::string open_failure(Action&& action) {
  try {
    action();
  } catch (const scim::Error& error) {
    ADD_FAILURE() << "expected std::runtime_error, got scim::Error " << error.detail();
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected std::runtime_error";
  return {};
}

struct TempDir : storetest::StoreTempDir {
  TempDir() : StoreTempDir("store_test") {}
};

class MemoryStore : public ::testing::Test {
 protected:
  std::unique_ptr<ResourceStore> store = ResourceStore::open(":memory:");
};
// Suites are named after the RFC section whose rule they check.
class ResourceStoreReads : public MemoryStore {};
class Rfc7643_3_1_CommonAttributes : public MemoryStore {};
class Rfc7643_4_1_1_SingularAttributes : public MemoryStore {};
class Rfc7643_4_2_GroupResource : public MemoryStore {};
class Rfc7644_3_14_Versioning : public MemoryStore {};
class Rfc7644_3_3_CreatingResources : public MemoryStore {};
class Rfc7644_3_5_1_ReplacingWithPut : public MemoryStore {};
class Rfc7644_3_6_DeletingResources : public MemoryStore {};

// ---------------------------------------------------------------------------------------------
// Reads

TEST_F(ResourceStoreReads, InsertReturnsTheRecordAsStoredWithSeqInCreationOrder) {
  ResourcePtr first = store->insert(make_user("u1", "alice", "ext-a"));
  ResourcePtr second = store->insert(make_group("g1", "Admins", {"u1"}));
  EXPECT_EQ(first->seq + 1, second->seq);
  EXPECT_EQ(first->id, "u1");
  EXPECT_EQ(first->name, "alice");
  EXPECT_EQ(first->external_id, "ext-a");
  EXPECT_EQ(first->json, make_user("u1", "alice", "ext-a").json);

  ResourcePtr found = store->find(ResourceKind::group, "g1");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found, second);  // the very record published, not a copy
  EXPECT_EQ(found->kind, ResourceKind::group);
  EXPECT_EQ(found->name, "Admins");
  EXPECT_THAT(found->member_ids, ElementsAre("u1"));
  EXPECT_EQ(store->get(ResourceKind::user, "u1"), first);
}

TEST_F(ResourceStoreReads, FindLooksOnlyAtTheRequestedKind) {
  store->insert(make_user("u1", "alice"));
  EXPECT_EQ(store->find(ResourceKind::group, "u1"), nullptr);
  EXPECT_EQ(store->find(ResourceKind::user, "nope"), nullptr);
}

TEST_F(ResourceStoreReads, GetOfAMissingResourceIs404NamingKindAndId) {
  store->insert(make_user("u1", "alice"));
  scim::Error error = error_of([&] { store->get(ResourceKind::group, "u1"); });
  EXPECT_EQ(error.status(), 404);
  EXPECT_EQ(error.scim_type(), scim::ScimType::none);
  EXPECT_THAT(error.detail(), HasSubstr("Group u1 not found"));
  EXPECT_THAT(error_of([&] { store->get(ResourceKind::user, "x9"); }).detail(), HasSubstr("User x9 not found"));
}

TEST_F(ResourceStoreReads, AllIsInCreationOrderPerKindAndCountMatches) {
  store->insert(make_user("u3", "c"));
  store->insert(make_group("g1", "G"));
  store->insert(make_user("u1", "a"));
  store->insert(make_user("u2", "b"));
  EXPECT_THAT(ids_of(store->all(ResourceKind::user)), ElementsAre("u3", "u1", "u2"));
  EXPECT_THAT(ids_of(store->all(ResourceKind::group)), ElementsAre("g1"));
  EXPECT_EQ(store->count(ResourceKind::user), 3u);
  EXPECT_EQ(store->count(ResourceKind::group), 1u);

  // A replace keeps the creation slot; a remove leaves the others in order.
  store->replace(make_user("u3", "c2", "", 2), 1);
  store->remove(ResourceKind::user, "u1", std::nullopt);
  auto users = store->all(ResourceKind::user);
  EXPECT_THAT(ids_of(users), ElementsAre("u3", "u2"));
  EXPECT_EQ(users[0]->name, "c2");
  EXPECT_EQ(store->count(ResourceKind::user), 2u);
}

// RFC 7643 §4.1.1: userName "MUST be unique across the service provider's entire set of Users";
// the User schema (§8.7.1) declares it caseExact false, so uniqueness and lookup ignore case.
TEST_F(Rfc7643_4_1_1_SingularAttributes, FindByNameIgnoresCase) {
  store->insert(make_user("u1", "Alice.Smith@Example.com"));
  store->insert(make_group("g1", "Engineering"));
  ASSERT_NE(store->find_by_name(ResourceKind::user, "alice.smith@example.COM"), nullptr);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "ALICE.SMITH@EXAMPLE.COM")->id, "u1");
  EXPECT_EQ(store->find_by_name(ResourceKind::group, "engineering")->id, "g1");
  EXPECT_EQ(store->find_by_name(ResourceKind::group, "Alice.Smith@Example.com"), nullptr);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alice.smith@example.co"), nullptr);
}

// RFC 7643 §3.1: externalId is defined by the client and caseExact; nothing makes it unique.
TEST_F(Rfc7643_3_1_CommonAttributes, FindByExternalIdIsCaseExactAndReturnsEveryHolderInCreationOrder) {
  store->insert(make_user("u1", "a", "E-1"));
  store->insert(make_user("u2", "b", "e-1"));
  store->insert(make_user("u3", "c", "E-1"));
  store->insert(make_group("g1", "G"));
  EXPECT_THAT(ids_of(store->find_by_external_id(ResourceKind::user, "E-1")), ElementsAre("u1", "u3"));
  EXPECT_THAT(ids_of(store->find_by_external_id(ResourceKind::user, "e-1")), ElementsAre("u2"));
  EXPECT_TRUE(store->find_by_external_id(ResourceKind::group, "E-1").empty());

  store->replace(make_user("u1", "a", "E-2", 2), 1);
  EXPECT_THAT(ids_of(store->find_by_external_id(ResourceKind::user, "E-1")), ElementsAre("u3"));
  EXPECT_THAT(ids_of(store->find_by_external_id(ResourceKind::user, "E-2")), ElementsAre("u1"));
  store->remove(ResourceKind::user, "u3", std::nullopt);
  EXPECT_TRUE(store->find_by_external_id(ResourceKind::user, "E-1").empty());
}

// ---------------------------------------------------------------------------------------------
// Uniqueness: RFC 7644 §3.3 "If the service provider determines that the creation of the
// requested resource conflicts with existing resources (e.g., a "User" resource with a duplicate
// "userName"), the service provider MUST return HTTP status code 409 (Conflict) with a
// "scimType" error code of "uniqueness"".

TEST_F(Rfc7644_3_3_CreatingResources, InsertWithACaseVariantOfATakenUserNameIs409AndStoresNothing) {
  store->insert(make_user("u1", "bob"));
  scim::Error error = error_of([&] { store->insert(make_user("u2", "BOB")); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.scim_type(), scim::ScimType::uniqueness);
  EXPECT_THAT(error.detail(), HasSubstr("userName \"BOB\" is already taken by u1"));
  EXPECT_EQ(store->find(ResourceKind::user, "u2"), nullptr);
  EXPECT_EQ(store->count(ResourceKind::user), 1u);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "bob")->id, "u1");
}

TEST_F(Rfc7644_3_3_CreatingResources, InsertWithATakenDisplayNameIs409SayingDisplayName) {
  store->insert(make_group("g1", "Sales"));
  scim::Error error = error_of([&] { store->insert(make_group("g2", "sales")); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.scim_type(), scim::ScimType::uniqueness);
  EXPECT_THAT(error.detail(), HasSubstr("displayName \"sales\" is already taken by g1"));
  EXPECT_EQ(store->count(ResourceKind::group), 1u);
}

TEST_F(Rfc7644_3_3_CreatingResources, NamesAreUniquePerKindOnly) {
  store->insert(make_user("u1", "ops"));
  EXPECT_NO_THROW(store->insert(make_group("g1", "OPS")));
  EXPECT_EQ(store->find_by_name(ResourceKind::group, "ops")->id, "g1");
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "ops")->id, "u1");
}

TEST_F(Rfc7644_3_3_CreatingResources, InsertWithAnIdAlreadyUsedByEitherKindIs409) {
  store->insert(make_user("x1", "alice"));
  EXPECT_EQ(error_of([&] { store->insert(make_user("x1", "other")); }).status(), 409);
  EXPECT_EQ(error_of([&] { store->insert(make_group("x1", "G")); }).status(), 409);
  EXPECT_EQ(store->get(ResourceKind::user, "x1")->name, "alice");
  EXPECT_EQ(store->count(ResourceKind::group), 0u);
}

TEST_F(Rfc7644_3_5_1_ReplacingWithPut, ReplaceRenamingOntoAnotherResourcesNameIs409AndChangesNothing) {
  store->insert(make_user("u1", "alice"));
  ResourcePtr bob = store->insert(make_user("u2", "bob"));
  scim::Error error = error_of([&] { store->replace(make_user("u2", "ALICE", "", 2), 1); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.scim_type(), scim::ScimType::uniqueness);
  EXPECT_THAT(error.detail(), HasSubstr("userName \"ALICE\" is already taken by u1"));
  EXPECT_EQ(store->get(ResourceKind::user, "u2"), bob);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "bob"), bob);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alice")->id, "u1");
}

TEST_F(Rfc7644_3_5_1_ReplacingWithPut, ReplaceMayChangeOnlyTheCaseOfItsOwnName) {
  store->insert(make_user("u1", "alice"));
  ResourcePtr renamed = store->replace(make_user("u1", "Alice", "", 2), 1);
  EXPECT_EQ(renamed->name, "Alice");
  EXPECT_EQ(renamed->version, 2u);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alice"), renamed);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "ALICE"), renamed);
}

TEST_F(Rfc7644_3_5_1_ReplacingWithPut, ARenameFreesTheOldName) {
  store->insert(make_user("u1", "alice"));
  store->replace(make_user("u1", "alicia", "", 2), 1);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alice"), nullptr);
  EXPECT_NO_THROW(store->insert(make_user("u2", "Alice")));
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alice")->id, "u2");
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alicia")->id, "u1");
}

TEST_F(Rfc7644_3_6_DeletingResources, ARemoveFreesTheName) {
  store->insert(make_group("g1", "Sales"));
  store->remove(ResourceKind::group, "g1", std::nullopt);
  EXPECT_NO_THROW(store->insert(make_group("g2", "SALES")));
}

// ---------------------------------------------------------------------------------------------
// Versioning (RFC 7644 §3.14): a write made against a version that is no longer current fails
// with 412 Precondition Failed; a resource that is gone is 404.

TEST_F(Rfc7644_3_14_Versioning, ReplaceWithAStaleVersionIs412AndKeepsTheStoredRecord) {
  store->insert(make_user("u1", "alice"));
  ResourcePtr v2 = store->replace(make_user("u1", "alice", "x", 2), 1);
  scim::Error error = error_of([&] { store->replace(make_user("u1", "alice", "y", 2), 1); });
  EXPECT_EQ(error.status(), 412);
  EXPECT_EQ(error.scim_type(), scim::ScimType::none);
  EXPECT_THAT(error.detail(), HasSubstr("changed since version 1"));
  EXPECT_THAT(error.detail(), HasSubstr("re-read it and retry"));
  EXPECT_EQ(store->get(ResourceKind::user, "u1"), v2);
  EXPECT_EQ(store->get(ResourceKind::user, "u1")->external_id, "x");
}

TEST_F(Rfc7644_3_14_Versioning, ReplaceOfAMissingResourceIs404) {
  scim::Error error = error_of([&] { store->replace(make_user("u1", "alice", "", 2), 1); });
  EXPECT_EQ(error.status(), 404);
  EXPECT_THAT(error.detail(), HasSubstr("User u1 not found"));
  EXPECT_EQ(store->count(ResourceKind::user), 0u);
}

TEST_F(Rfc7644_3_14_Versioning, RemoveChecksExistenceAndTheOptionalVersion) {
  store->insert(make_user("u1", "alice"));
  EXPECT_EQ(error_of([&] { store->remove(ResourceKind::user, "u9", std::nullopt); }).status(), 404);
  EXPECT_EQ(error_of([&] { store->remove(ResourceKind::group, "u1", std::nullopt); }).status(), 404);
  scim::Error stale = error_of([&] { store->remove(ResourceKind::user, "u1", 7); });
  EXPECT_EQ(stale.status(), 412);
  EXPECT_EQ(stale.scim_type(), scim::ScimType::none);
  ASSERT_NE(store->find(ResourceKind::user, "u1"), nullptr);

  store->remove(ResourceKind::user, "u1", 1);
  EXPECT_EQ(store->find(ResourceKind::user, "u1"), nullptr);
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "alice"), nullptr);
  EXPECT_EQ(store->count(ResourceKind::user), 0u);
  EXPECT_EQ(error_of([&] { store->remove(ResourceKind::user, "u1", std::nullopt); }).status(), 404);
}

// ---------------------------------------------------------------------------------------------
// Group membership: RFC 7643 §4.1.2 User.groups is derived from Group.members.

TEST_F(Rfc7643_4_2_GroupResource, GroupsOfListsTheGroupsHoldingAMemberInGroupCreationOrder) {
  store->insert(make_user("u1", "alice"));
  store->insert(make_user("u2", "bob"));
  store->insert(make_group("g2", "Second", {"u1"}));
  store->insert(make_group("g1", "First", {"u2", "u1"}));
  auto groups = store->groups_of("u1");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].id, "g2");
  EXPECT_EQ(groups[0].display_name, "Second");
  EXPECT_EQ(groups[1].id, "g1");
  EXPECT_EQ(groups[1].display_name, "First");
  EXPECT_THAT(group_ids(store->groups_of("u2")), ElementsAre("g1"));
  EXPECT_TRUE(store->groups_of("nobody").empty());
}

TEST_F(Rfc7643_4_2_GroupResource, ReplacingAGroupMovesItsMembersInTheIndex) {
  store->insert(make_group("g1", "Team", {"u1", "u2"}));
  store->insert(make_group("g2", "Other", {"u2"}));
  store->replace(make_group("g1", "Team Renamed", {"u2", "u3"}, 2), 1);
  EXPECT_TRUE(store->groups_of("u1").empty());
  EXPECT_THAT(group_ids(store->groups_of("u2")), ElementsAre("g1", "g2"));
  EXPECT_THAT(group_ids(store->groups_of("u3")), ElementsAre("g1"));
  EXPECT_EQ(store->groups_of("u3")[0].display_name, "Team Renamed");
}

TEST_F(Rfc7643_4_2_GroupResource, RemovingAGroupDropsItFromGroupsOf) {
  store->insert(make_group("g1", "A", {"u1"}));
  store->insert(make_group("g2", "B", {"u1"}));
  store->remove(ResourceKind::group, "g1", std::nullopt);
  EXPECT_THAT(group_ids(store->groups_of("u1")), ElementsAre("g2"));
  store->remove(ResourceKind::group, "g2", 1);
  EXPECT_TRUE(store->groups_of("u1").empty());
}

TEST_F(Rfc7643_4_2_GroupResource, RemovingAUserStripsItFromEveryGroupAndBumpsThoseGroups) {
  store->insert(make_user("u1", "alice"));
  store->insert(make_user("u2", "bob"));
  store->insert(make_group("g1", "Both", {"u1", "u2"}));
  store->insert(make_group("g2", "OnlyAlice", {"u1"}));
  ResourcePtr untouched = store->insert(make_group("g3", "OnlyBob", {"u2"}));

  store->remove(ResourceKind::user, "u1", std::nullopt);

  ResourcePtr both = store->get(ResourceKind::group, "g1");
  EXPECT_EQ(both->version, 2u);
  EXPECT_THAT(both->member_ids, ElementsAre("u2"));
  nlohmann::json doc = nlohmann::json::parse(both->json);
  ASSERT_EQ(doc["members"].size(), 1u);
  EXPECT_EQ(doc["members"][0]["value"], "u2");
  EXPECT_EQ(doc["members"][0]["type"], "User");  // the other members are kept whole
  EXPECT_EQ(doc["meta"]["version"], "W/\"2\"");
  EXPECT_EQ(doc["meta"]["resourceType"], "Group");
  std::string modified = doc["meta"]["lastModified"];
  EXPECT_TRUE(std::regex_match(modified, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"))) << modified;
  EXPECT_NE(modified, "2020-01-01T00:00:00.000Z");

  ResourcePtr only = store->get(ResourceKind::group, "g2");
  EXPECT_EQ(only->version, 2u);
  EXPECT_TRUE(only->member_ids.empty());
  EXPECT_FALSE(nlohmann::json::parse(only->json).contains("members"));

  EXPECT_EQ(store->get(ResourceKind::group, "g3"), untouched);
  EXPECT_TRUE(store->groups_of("u1").empty());
  EXPECT_THAT(group_ids(store->groups_of("u2")), ElementsAre("g1", "g3"));
  // Seq (the paging order) of the rewritten groups is unchanged.
  EXPECT_THAT(ids_of(store->all(ResourceKind::group)), ElementsAre("g1", "g2", "g3"));
}

TEST_F(Rfc7643_4_2_GroupResource, RemovingANestedGroupStripsItFromItsParents) {
  store->insert(make_group("child", "Child"));
  store->insert(make_group("parent", "Parent", {"child", "u7"}));
  store->remove(ResourceKind::group, "child", std::nullopt);
  ResourcePtr parent = store->get(ResourceKind::group, "parent");
  EXPECT_THAT(parent->member_ids, ElementsAre("u7"));
  EXPECT_EQ(parent->version, 2u);
  EXPECT_TRUE(store->groups_of("child").empty());
  EXPECT_THAT(group_ids(store->groups_of("u7")), ElementsAre("parent"));
}

// ---------------------------------------------------------------------------------------------
// Reopening a data file

void expect_same(const StoredResource& a, const StoredResource& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.json, b.json);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.external_id, b.external_id);
  EXPECT_EQ(a.member_ids, b.member_ids);
}

TEST(ResourceStoreFile, ReopeningRestoresEveryFieldTheOrderAndTheIndexes) {
  TempDir dir;
  std::string path = dir.file("data.db");
  std::vector<ResourcePtr> users_before, groups_before;
  std::uint64_t last_seq = 0;
  {
    auto store = ResourceStore::open(path);
    store->insert(make_user("u1", "Alice", "ext-1"));
    store->insert(make_user("u2", "bob", "ext-2"));
    store->insert(make_user("u3", "carol", "ext-1"));
    store->insert(make_group("g1", "Team", {"u1", "u2"}));
    store->insert(make_group("g2", "Empty"));
    store->insert(make_user("u4", "dave"));
    store->replace(make_user("u2", "Bobby", "ext-2b", 2), 1);
    store->remove(ResourceKind::user, "u1", std::nullopt);  // rewrites g1
    last_seq = store->insert(make_user("u5", "eve"))->seq;
    users_before = store->all(ResourceKind::user);
    groups_before = store->all(ResourceKind::group);
  }
  auto store = ResourceStore::open(path);
  auto users = store->all(ResourceKind::user);
  auto groups = store->all(ResourceKind::group);
  ASSERT_EQ(users.size(), users_before.size());
  ASSERT_EQ(groups.size(), groups_before.size());
  for (std::size_t i = 0; i < users.size(); ++i) expect_same(*users[i], *users_before[i]);
  for (std::size_t i = 0; i < groups.size(); ++i) expect_same(*groups[i], *groups_before[i]);
  EXPECT_THAT(ids_of(users), ElementsAre("u2", "u3", "u4", "u5"));

  EXPECT_EQ(store->get(ResourceKind::group, "g1")->version, 2u);
  EXPECT_THAT(store->get(ResourceKind::group, "g1")->member_ids, ElementsAre("u2"));
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "BOBBY")->id, "u2");
  EXPECT_EQ(store->find_by_name(ResourceKind::user, "bob"), nullptr);
  EXPECT_THAT(ids_of(store->find_by_external_id(ResourceKind::user, "ext-1")), ElementsAre("u3"));
  EXPECT_THAT(group_ids(store->groups_of("u2")), ElementsAre("g1"));
  EXPECT_TRUE(store->groups_of("u1").empty());
  EXPECT_EQ(error_of([&] { store->insert(make_user("u9", "CAROL")); }).status(), 409);

  ResourcePtr next = store->insert(make_user("u6", "frank"));
  EXPECT_EQ(next->seq, last_seq + 1);
  EXPECT_THAT(ids_of(store->all(ResourceKind::user)), ElementsAre("u2", "u3", "u4", "u5", "u6"));
}

TEST(ResourceStoreFile, AnEmptyFileReopensEmptyAndFullDurabilityPersistsToo) {
  TempDir dir;
  std::string path = dir.file("data.db");
  { ResourceStore::open(path); }
  EXPECT_EQ(ResourceStore::open(path)->count(ResourceKind::user), 0u);
  {
    auto store = ResourceStore::open(path, Durability::full);
    store->insert(make_user("u1", "alice"));
  }
  EXPECT_EQ(ResourceStore::open(path, Durability::normal)->get(ResourceKind::user, "u1")->name, "alice");
}

TEST(ResourceStoreFile, TheFileIsInWalMode) {
  TempDir dir;
  std::string path = dir.file("data.db");
  { ResourceStore::open(path)->insert(make_user("u1", "alice")); }
  // Header bytes 18 and 19 (file format read/write version) are 2 for WAL
  // (https://www.sqlite.org/fileformat.html#file_format_version_numbers).
  std::ifstream file(path, std::ios::binary);
  char header[20];
  ASSERT_TRUE(file.read(header, sizeof header));
  EXPECT_EQ(header[18], 2);
  EXPECT_EQ(header[19], 2);
}

TEST(ResourceStoreFile, MemoryStoresAreIndependentAndStartEmpty) {
  auto a = ResourceStore::open(":memory:");
  auto b = ResourceStore::open(":memory:");
  a->insert(make_user("u1", "alice"));
  EXPECT_EQ(b->find(ResourceKind::user, "u1"), nullptr);
  EXPECT_NO_THROW(b->insert(make_user("u1", "alice")));
}

// ---------------------------------------------------------------------------------------------
// Files that are not ours

TEST(ResourceStoreOpen, AFileThatIsNotSqliteIsRefusedNamingTheFile) {
  TempDir dir;
  std::string path = dir.file("notes.txt");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 200; ++i) out << "this is a text file, not a database\n";
  }
  std::string message = open_failure([&] { ResourceStore::open(path); });
  EXPECT_THAT(message, HasSubstr(path));
  EXPECT_THAT(message, HasSubstr("not a SQLite database"));
  // The file is left as it was.
  EXPECT_EQ(std::filesystem::file_size(path), 200u * 36u);
}

TEST(ResourceStoreOpen, AStoreFileWithADamagedHeaderIsRefused) {
  TempDir dir;
  std::string path = dir.file("data.db");
  { ResourceStore::open(path)->insert(make_user("u1", "alice")); }
  {
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    file.write("garbage garbage!", 16);  // the "SQLite format 3\0" magic
  }
  std::string message = open_failure([&] { ResourceStore::open(path); });
  EXPECT_THAT(message, HasSubstr(path));
  EXPECT_THAT(message, HasSubstr("not a SQLite database"));
}

void run_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(ResourceStoreOpen, AnotherApplicationsSqliteFileIsRefusedAndLeftAlone) {
  TempDir dir;
  std::string path = dir.file("other.db");
  run_sql(path, "CREATE TABLE resources(x); INSERT INTO resources VALUES(1)");
  std::string message = open_failure([&] { ResourceStore::open(path); });
  EXPECT_THAT(message, HasSubstr(path));
  EXPECT_THAT(message, HasSubstr("not a scimulator data file"));
  // Still the other application's file: our table was not created in it.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "CREATE TABLE resources(x)");
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(ResourceStoreOpen, AFileFromANewerSchemaVersionIsRefused) {
  TempDir dir;
  std::string path = dir.file("data.db");
  { ResourceStore::open(path)->insert(make_user("u1", "alice")); }
  run_sql(path, "PRAGMA user_version=3");
  std::string message = open_failure([&] { ResourceStore::open(path); });
  EXPECT_THAT(message, HasSubstr(path));
  EXPECT_THAT(message, HasSubstr("schema version 3"));
}

std::int64_t query_int(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  std::int64_t value = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
    value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

// A file written by a build whose layout was version 1 (a UNIQUE index on id) opens with every
// row, seq and index intact, and is version 2 afterwards, without that index.
TEST(ResourceStoreOpen, AVersion1FileIsMigratedKeepingEveryRow) {
  TempDir dir;
  std::string path = dir.file("v1.db");
  run_sql(path,
          "PRAGMA journal_mode=WAL; BEGIN; "
          "CREATE TABLE resources(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, id TEXT NOT NULL UNIQUE, "
          "version INTEGER NOT NULL, name TEXT NOT NULL, external_id TEXT NOT NULL, members TEXT NOT NULL, "
          "json TEXT NOT NULL); "
          "INSERT INTO resources VALUES(3, 0, 'u1', 2, 'Alice', 'ext-1', '', '{\"id\":\"u1\",\"userName\":\"Alice\"}'); "
          "INSERT INTO resources VALUES(7, 1, 'g1', 1, 'Admins', '', 'u1', '{\"id\":\"g1\",\"displayName\":\"Admins\"}'); "
          "PRAGMA application_id=1396918605; PRAGMA user_version=1; COMMIT");
  ASSERT_EQ(query_int(path, "SELECT count(*) FROM sqlite_master WHERE type='index'"), 1);
  {
    auto store = ResourceStore::open(path);
    ResourcePtr alice = store->find_by_name(ResourceKind::user, "alice");
    ASSERT_NE(alice, nullptr);
    EXPECT_EQ(alice->id, "u1");
    EXPECT_EQ(alice->seq, 3u);
    EXPECT_EQ(alice->version, 2u);
    EXPECT_EQ(alice->external_id, "ext-1");
    ASSERT_EQ(store->groups_of("u1").size(), 1u);
    EXPECT_EQ(store->groups_of("u1")[0].display_name, "Admins");
    ResourcePtr next = store->insert(make_user("u2", "bob"));
    EXPECT_EQ(next->seq, 8u) << "seqs continue after the migrated rows";
  }
  EXPECT_EQ(query_int(path, "PRAGMA user_version"), 2);
  EXPECT_EQ(query_int(path, "SELECT count(*) FROM sqlite_master WHERE type='index'"), 0);
  EXPECT_EQ(query_int(path, "SELECT count(*) FROM resources"), 3);
  EXPECT_EQ(ResourceStore::open(path)->count(ResourceKind::user), 2u);
}

// Ids are unique through the in-memory index alone; a file whose rows repeat one (changed by
// hand) is refused rather than loaded with one of the two silently hidden.
TEST(ResourceStoreOpen, AFileRepeatingAnIdIsRefusedNamingIt) {
  TempDir dir;
  std::string path = dir.file("data.db");
  {
    auto store = ResourceStore::open(path);
    store->insert(make_user("u1", "alice"));
    store->insert(make_group("g1", "Admins"));
  }
  run_sql(path, "UPDATE resources SET id='u1' WHERE id='g1'");
  std::string message = open_failure([&] { ResourceStore::open(path); });
  EXPECT_THAT(message, HasSubstr(path));
  EXPECT_THAT(message, HasSubstr("repeats the id u1"));
}

TEST(ResourceStoreOpen, AFileInUseByAnotherStoreIsRefused) {
  TempDir dir;
  std::string path = dir.file("data.db");
  auto first = ResourceStore::open(path);
  first->insert(make_user("u1", "alice"));
  std::string message = open_failure([&] { ResourceStore::open(path); });
  EXPECT_THAT(message, HasSubstr(path));
  EXPECT_THAT(message, HasSubstr("in use by another process"));
  // The first store is unaffected and keeps writing.
  EXPECT_NO_THROW(first->insert(make_user("u2", "bob")));
  first.reset();
  EXPECT_EQ(ResourceStore::open(path)->count(ResourceKind::user), 2u);
}

TEST(ResourceStoreOpen, AnUnreachablePathIsRefusedNamingIt) {
  std::string path = "/nonexistent-dir-for-scimulator-test/data.db";
  std::string message = open_failure([&] { ResourceStore::open(path); });
  EXPECT_THAT(message, HasSubstr(path));
}

// ---------------------------------------------------------------------------------------------
// Concurrency

TEST(ResourceStoreConcurrency, ReadersAndWritersOnSeveralThreadsAgree) {
  TempDir dir;
  auto store = ResourceStore::open(dir.file("data.db"));
  store->insert(make_group("g0", "Everyone"));
  constexpr int kWriters = 4;
  constexpr int kPerWriter = 150;
  std::atomic<bool> done{false};
  std::atomic<int> reader_problems{0};

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        std::string id = "u" + std::to_string(w) + "_" + std::to_string(i);
        store->insert(make_user(id, "User-" + id, "ext-" + std::to_string(w)));
        // Writer 0 also puts its first users into groups of their own; removing such a user
        // below must strip it from its group while the others write.
        if (w == 0 && i < 40)
          store->insert(make_group("g" + std::to_string(i + 1), "Group " + std::to_string(i), {id}));
        if (i % 3 == 0) store->replace(make_user(id, "user-" + id + "-renamed", "", 2), 1);
        if (i % 5 == 0) store->remove(ResourceKind::user, id, std::nullopt);
      }
    });
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r)
    readers.emplace_back([&] {
      while (!done) {
        auto users = store->all(ResourceKind::user);
        for (std::size_t i = 1; i < users.size(); ++i)
          if (users[i - 1]->seq >= users[i]->seq) reader_problems++;
        for (std::size_t i = 0; i < users.size(); i += 17) {
          ResourcePtr by_name = store->find_by_name(ResourceKind::user, users[i]->name);
          // Renamed or removed since the snapshot is fine; a different resource is not.
          if (by_name && by_name->id != users[i]->id) reader_problems++;
        }
        for (const auto& ref : store->groups_of("u0_3"))
          if (!store->find(ResourceKind::group, ref.id)) reader_problems++;
        store->find_by_external_id(ResourceKind::user, "ext-1");
      }
    });
  for (auto& t : writers) t.join();
  done = true;
  for (auto& t : readers) t.join();

  EXPECT_EQ(reader_problems.load(), 0);
  // Removed: i % 5 == 0, i.e. 30 of 150 per writer.
  std::size_t expected = kWriters * (kPerWriter - kPerWriter / 5);
  EXPECT_EQ(store->count(ResourceKind::user), expected);
  EXPECT_EQ(store->all(ResourceKind::user).size(), expected);
  EXPECT_EQ(store->count(ResourceKind::group), 41u);
  for (int i = 0; i < 40; i += 5) EXPECT_TRUE(store->groups_of("u0_" + std::to_string(i)).empty()) << i;
  EXPECT_THAT(group_ids(store->groups_of("u0_1")), ElementsAre("g2"));
  EXPECT_EQ(store->find_by_external_id(ResourceKind::user, "ext-2").size(),
            static_cast<std::size_t>(kPerWriter - kPerWriter / 5 - (kPerWriter / 3 - kPerWriter / 15)));
}

}  // namespace
}  // namespace refserver
