// The IdP's directory: userName lookups ignore case (RFC 7643 §4.1.1: userName is
// caseExact=false), follow renames and deletions, and stay unique across a generated org.
#include "simulator/directory/directory.hpp"
#include "simulator/directory/generator.hpp"

#include <gtest/gtest.h>

#include <set>

namespace sim {
namespace {

DirUser named(const std::string& key, const std::string& user_name) {
  DirUser user;
  user.key = key;
  user.user_name = user_name;
  return user;
}

TEST(Rfc7643_4_1_1_DirectoryUserName, LookupIgnoresCase) {
  Directory directory;
  directory.add_user(named("u1", "Ada.Lovelace@Example.com"));
  ASSERT_NE(directory.find_user_by_name("ada.lovelace@example.COM"), nullptr);
  EXPECT_EQ(directory.find_user_by_name("ada.lovelace@example.COM")->key, "u1");
  EXPECT_EQ(directory.find_user_by_name("ada@example.com"), nullptr);
}

TEST(Rfc7643_4_1_1_DirectoryUserName, ARenameFreesTheOldNameAndFindsTheNewOne) {
  Directory directory;
  directory.add_user(named("u1", "ada@example.com"));
  directory.rename_user(directory.get_user("u1"), "Ada.L@example.com");
  EXPECT_EQ(directory.find_user_by_name("ada@example.com"), nullptr);
  ASSERT_NE(directory.find_user_by_name("ada.l@EXAMPLE.com"), nullptr);
  EXPECT_EQ(directory.find_user_by_name("ada.l@EXAMPLE.com")->key, "u1");
  // Renamed back: found again under the first name.
  directory.rename_user(directory.get_user("u1"), "ADA@example.com");
  ASSERT_NE(directory.find_user_by_name("ada@example.com"), nullptr);
  EXPECT_EQ(directory.find_user_by_name("ada.l@example.com"), nullptr);
}

TEST(Rfc7643_4_1_1_DirectoryUserName, ADeletedHolderFreesTheNameForTheNextOne) {
  Directory directory;
  directory.add_user(named("leaver", "sam@example.com"));
  directory.get_user("leaver").deleted = true;
  EXPECT_EQ(directory.find_user_by_name("sam@example.com"), nullptr);
  directory.add_user(named("hire", "Sam@example.com"));
  ASSERT_NE(directory.find_user_by_name("sam@example.com"), nullptr);
  EXPECT_EQ(directory.find_user_by_name("sam@example.com")->key, "hire");
}

TEST(Rfc7643_4_1_1_DirectoryUserName, TheEarliestAddedLiveHolderIsFound) {
  Directory directory;
  directory.add_user(named("first", "kim@example.com"));
  directory.add_user(named("second", "other@example.com"));
  directory.rename_user(directory.get_user("second"), "KIM@example.com");
  EXPECT_EQ(directory.find_user_by_name("kim@example.com")->key, "first");
  directory.get_user("first").deleted = true;
  EXPECT_EQ(directory.find_user_by_name("kim@example.com")->key, "second");
}

TEST(Rfc7643_4_1_1_DirectoryUserName, AGeneratedOrgHasNoTwoUserNamesEqualIgnoringCase) {
  GenerateSpec spec;
  spec.users = 20000;  // far more people than first.last combinations of the name lists
  spec.groups = 5;
  Directory directory = generate_directory(spec);
  std::set<std::string> names;
  for (const DirUser& user : directory.users()) {
    EXPECT_TRUE(names.insert(lower(user.user_name)).second) << user.user_name << " is given twice";
    EXPECT_EQ(directory.find_user_by_name(user.user_name), &user);
  }
  EXPECT_EQ(names.size(), spec.users);
}

}  // namespace
}  // namespace sim
