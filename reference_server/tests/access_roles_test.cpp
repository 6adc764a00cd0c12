// Group→role mapping exactly as the modelled service documents it.
#include "access_test_fixture.hpp"

#include "reference_server/access/roles.hpp"
#include "reference_server/access/token_store.hpp"
#include "scim/error.hpp"

using namespace refserver::access;

namespace {

constexpr std::int64_t kNow = 1'800'000'000;

std::vector<std::string> names(const std::vector<EffectiveRole>& roles) {
  std::vector<std::string> out;
  for (const auto& role : roles) out.push_back(role.name);
  return out;
}

}  // namespace

using Roles = AccessFileTest;

TEST_F(Roles, PredefinedSystemRolesExistAndCannotBeMapped) {
  RoleStore roles(*db_);
  for (const char* name : {"Admin", "Developer", "Read-only", "Default"}) {
    std::optional<Role> role = roles.find(name);
    ASSERT_TRUE(role) << name;
    EXPECT_TRUE(role->system);
  }
  EXPECT_THROW(roles.bind_group("Admin", "ClickHouse-Admins"), AccessRefused);
  EXPECT_THROW(roles.remove("Default"), AccessRefused);
}

TEST_F(Roles, ACustomRoleNamedLikeTheGroupLinksAutomatically) {
  RoleStore roles(*db_);
  roles.create("ClickHouse-Admins", "", "Admin", kNow);
  EXPECT_EQ(names(roles.effective_roles({"clickhouse-admins"}, true)),
            (std::vector<std::string>{"ClickHouse-Admins", "Admin"}));
}

TEST_F(Roles, TheScimGroupFieldBindsADifferentName) {
  RoleStore roles(*db_);
  roles.create("Analysts", "", "Read-only", kNow);
  roles.bind_group("Analysts", "ClickHouse-Read-only");
  EXPECT_EQ(names(roles.effective_roles({"ClickHouse-Read-only"}, true)),
            (std::vector<std::string>{"Analysts", "Read-only"}));
  // Bound to another name, the role no longer links by its own.
  EXPECT_EQ(names(roles.effective_roles({"Analysts"}, true)), (std::vector<std::string>{"Default"}));
}

TEST_F(Roles, APushedGroupMatchingNothingCreatesACustomRoleWithoutPermissions) {
  RoleStore roles(*db_);
  Role created = roles.ensure_role_for_group("Data-Engineers", kNow);
  EXPECT_EQ(created.name, "Data-Engineers");
  EXPECT_FALSE(created.system);
  EXPECT_EQ(created.created_by, "scim");
  EXPECT_TRUE(created.grants.empty());
  ASSERT_TRUE(roles.find("Data-Engineers"));
  EXPECT_EQ(roles.ensure_role_for_group("data-engineers", kNow).name, "Data-Engineers") << "no second role";
  EXPECT_EQ(roles.list().size(), 5u);
}

TEST_F(Roles, AGroupNamedLikeASystemRoleIsNotRecognised) {
  RoleStore roles(*db_);
  try {
    roles.ensure_role_for_group("admin", kNow);
    FAIL() << "a group mapped to the system role Admin";
  } catch (const scim::Error& error) {
    EXPECT_EQ(error.status(), 400);
    EXPECT_NE(std::string(error.what()).find("displayName not recognised"), std::string::npos);
  }
}

TEST_F(Roles, AUserInNoMappedGroupGetsDefaultAndADeactivatedUserNothing) {
  RoleStore roles(*db_);
  EXPECT_EQ(names(roles.effective_roles({}, true)), (std::vector<std::string>{"Default"}));
  EXPECT_EQ(names(roles.effective_roles({"Unmapped"}, true)), (std::vector<std::string>{"Default"}));
  roles.create("Devs", "", "Developer", kNow);
  EXPECT_TRUE(roles.effective_roles({"Devs"}, false).empty());
}

TEST_F(Roles, RenamingAGroupReMapsBecauseMappingIsEvaluatedOnRead) {
  RoleStore roles(*db_);
  roles.create("ClickHouse-Admins", "", "Admin", kNow);
  roles.create("ClickHouse-Read-only", "", "Read-only", kNow);
  EXPECT_EQ(names(roles.effective_roles({"ClickHouse-Admins"}, true))[1], "Admin");
  EXPECT_EQ(names(roles.effective_roles({"ClickHouse-Read-only"}, true))[1], "Read-only");
}

TEST_F(Roles, OneGroupMayBeBoundToOneRoleOnly) {
  RoleStore roles(*db_);
  roles.create("A", "Team", "", kNow);
  EXPECT_THROW(roles.create("B", "team", "", kNow), AccessRefused);
  EXPECT_THROW(roles.create("a", "", "", kNow), AccessRefused) << "role names are case-insensitive";
  EXPECT_THROW(roles.create("C", "", "Superuser", kNow), AccessRefused) << "grants names a system role";
}

// The SQL lookup a group push uses and the in-memory index every read uses give the same
// answer: a binding first, else an unbound custom role of the group's name, ignoring case;
// system roles and the empty name map to nothing.
TEST_F(Roles, TheStoreAndTheIndexMapGroupsAlike) {
  RoleStore roles(*db_);
  roles.create("Team", "", "Developer", kNow);       // links by its name...
  roles.create("Owners", "TEAM", "Admin", kNow + 1);  // ...but this one is bound to it
  roles.create("Analysts", "", "", kNow + 2);
  roles.create("Bound", "Elsewhere", "", kNow + 3);
  RoleIndex index(roles.list());
  struct Case {
    const char* group;
    const char* role;  // nullptr: no role
  };
  for (Case c : {Case{"team", "Owners"}, Case{"ANALYSTS", "Analysts"}, Case{"Bound", nullptr},
                 Case{"elsewhere", "Bound"}, Case{"Admin", nullptr}, Case{"", nullptr}, Case{"nobody", nullptr}}) {
    std::optional<Role> stored = roles.role_for_group(c.group);
    const Role* indexed = index.for_group(c.group);
    if (!c.role) {
      EXPECT_FALSE(stored) << c.group;
      EXPECT_EQ(indexed, nullptr) << c.group;
      continue;
    }
    ASSERT_TRUE(stored && indexed) << c.group;
    EXPECT_EQ(stored->name, c.role) << c.group;
    EXPECT_EQ(indexed->name, c.role) << c.group;
  }
}

// A role added to the index lands where the store's listing puts it, and maps at once.
TEST_F(Roles, AnAddedRoleTakesItsListedPlaceAndMaps) {
  RoleStore roles(*db_);
  roles.create("Zeta", "", "", kNow);
  RoleIndex index(roles.list());
  Role later = roles.ensure_role_for_group("Later", kNow + 5);
  Role alpha = roles.ensure_role_for_group("alpha", kNow);  // same second as Zeta, sorts before it
  index.add(later);
  index.add(alpha);
  std::vector<std::string> listed, indexed;
  for (const Role& role : roles.list()) listed.push_back(role.name);
  for (const Role& role : index.roles()) indexed.push_back(role.name);
  EXPECT_EQ(indexed, listed);
  ASSERT_NE(index.for_group("ZETA"), nullptr);
  EXPECT_EQ(index.for_group("ZETA")->name, "Zeta") << "positions after a middle insert are re-indexed";
  ASSERT_NE(index.for_group("Alpha"), nullptr);
  EXPECT_EQ(index.for_group("LATER")->name, "Later");
}
