// The reference server's filter evaluation (RFC 7644 §3.4.2.2) against resource JSON, with the
// comparison rules taken from the RFC 7643 schemas in fixtures/schemas.
#include "reference_server/api/filter_eval.hpp"
#include "scim/error.hpp"
#include "scim/filter.hpp"
#include "scim/schema.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using nlohmann::json;

constexpr const char* core_user = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* enterprise_user = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const scim::SchemaRegistry& registry() {
  static const scim::SchemaRegistry r = scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas");
  return r;
}

const scim::ResourceTypeDef& user_type() {
  const auto* type = registry().find_resource_type("User");
  if (!type) throw std::runtime_error("no User resource type in fixtures");
  return *type;
}

json bjensen() {
  return {
      {"schemas", {core_user, enterprise_user}},
      {"id", "2819c223-7f76-453a-919d-413861904646"},
      {"externalId", "Bjensen-Ext"},
      {"userName", "bjensen"},
      {"name", {{"familyName", "Jensen"}, {"givenName", "Barbara"}}},
      {"title", "Tour Guide"},
      {"userType", "Employee"},
      {"active", true},
      {"emails",
       {{{"value", "bjensen@example.com"}, {"type", "work"}, {"primary", true}},
        {{"value", "babs@jensen.org"}, {"type", "home"}}}},
      {"meta", {{"created", "2010-01-23T04:56:22Z"}, {"lastModified", "2011-05-13T04:42:34Z"}}},
      {enterprise_user, {{"employeeNumber", "701984"}, {"manager", {{"value", "26118915"}}}}},
  };
}

json jsmith() {
  return {
      {"schemas", {core_user}},
      {"id", "c3a26dd3"},
      {"userName", "JSmith"},
      {"name", {{"familyName", "O'Malley"}}},
      {"userType", "Intern"},
      {"active", false},
      {"emails", {{{"value", "jsmith@example.org"}, {"type", "work"}}}},
      {"ims", {{{"value", "js@foo.com"}, {"type", "xmpp"}}}},
      // 03:42:34Z: an hour before bjensen although the local clock reads later.
      {"meta", {{"lastModified", "2011-05-13T05:42:34+02:00"}}},
  };
}

json alice() {
  return {
      {"schemas", {core_user, "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER"}},
      {"id", "a11ce"},
      {"userName", "alice"},
      {"title", ""},
      {"userType", "Contractor"},
      {"emails", {{{"value", "alice@corp.net"}, {"type", "home"}}}},
      // A quarter second after bjensen.
      {"meta", {{"lastModified", "2011-05-13T04:42:34.250Z"}}},
      {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", {{"employeeNumber", "1"}}},
  };
}

json mdoe() {
  return {
      {"schemas", {core_user}},
      {"id", "d0e"},
      {"userName", "mdoe"},
      {"title", "Manager"},
      {"userType", "Employee"},
      {"emails",
       {{{"value", "mdoe@example.org"}, {"type", "work"}}, {{"value", "mdoe@example.com"}, {"type", "home"}}}},
      {"meta", {{"lastModified", "2011-05-13T04:42:33.999Z"}}},
  };
}

bool user_matches(const std::string& filter, const json& user) {
  refserver::FilterEvaluator evaluator(registry(), user_type());
  return evaluator.matches(scim::parse_filter(filter), user);
}

void expect_invalid_filter(const std::string& filter, const json& resource,
                           const scim::ResourceTypeDef& type = user_type()) {
  SCOPED_TRACE("filter: " + filter);
  refserver::FilterEvaluator evaluator(registry(), type);
  try {
    evaluator.matches(scim::parse_filter(filter), resource);
    ADD_FAILURE() << "evaluated without error";
  } catch (const scim::Error& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.scim_type(), scim::ScimType::invalid_filter);
  }
}

// RFC 7644 §3.4.2.2 lists example filters; the expected sets were worked out by hand from the
// four users above.
TEST(Rfc7644_3_4_2_2_Filtering, RfcExampleFilters) {
  const std::vector<json> users = {bjensen(), jsmith(), alice(), mdoe()};
  const std::vector<std::string> names = {"bjensen", "JSmith", "alice", "mdoe"};
  struct Case {
    std::string filter;
    std::set<std::string> expected;
  };
  const Case cases[] = {
      {R"(userName eq "bjensen")", {"bjensen"}},
      {R"(name.familyName co "O'Malley")", {"JSmith"}},
      {R"(userName sw "J")", {"JSmith"}},
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J")", {"JSmith"}},
      {R"(title pr)", {"bjensen", "mdoe"}},
      {R"(meta.lastModified gt "2011-05-13T04:42:34Z")", {"alice"}},
      {R"(meta.lastModified ge "2011-05-13T04:42:34Z")", {"bjensen", "alice"}},
      {R"(meta.lastModified lt "2011-05-13T04:42:34Z")", {"JSmith", "mdoe"}},
      {R"(meta.lastModified le "2011-05-13T04:42:34Z")", {"bjensen", "JSmith", "mdoe"}},
      {R"(title pr and userType eq "Employee")", {"bjensen", "mdoe"}},
      {R"(title pr or userType eq "Intern")", {"bjensen", "JSmith", "mdoe"}},
      {R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")", {"bjensen", "alice"}},
      {R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))",
       {"bjensen", "mdoe"}},
      {R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))", {"alice"}},
      {R"(userType eq "Employee" and (emails.type eq "work"))", {"bjensen", "mdoe"}},
      // mdoe has a work address and an @example.com address, but not on the same element.
      {R"(userType eq "Employee" and emails[type eq "work" and value co "@example.com"])", {"bjensen"}},
      {R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])",
       {"bjensen", "JSmith"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.filter);
    std::set<std::string> got;
    for (std::size_t i = 0; i < users.size(); ++i)
      if (user_matches(c.filter, users[i])) got.insert(names[i]);
    EXPECT_EQ(got, c.expected);
  }
}

TEST(Rfc7644_3_4_2_2_Filtering, StringOperators) {
  const json u = bjensen();
  EXPECT_TRUE(user_matches(R"(title eq "Tour Guide")", u));
  EXPECT_FALSE(user_matches(R"(title eq "Tour")", u));
  EXPECT_TRUE(user_matches(R"(title ne "Tour")", u));
  EXPECT_FALSE(user_matches(R"(title ne "tour guide")", u));
  EXPECT_TRUE(user_matches(R"(title co "our G")", u));
  EXPECT_FALSE(user_matches(R"(title co "Guides")", u));
  EXPECT_TRUE(user_matches(R"(title sw "tour")", u));
  EXPECT_FALSE(user_matches(R"(title sw "Guide")", u));
  EXPECT_TRUE(user_matches(R"(title ew "GUIDE")", u));
  EXPECT_FALSE(user_matches(R"(title ew "Tour")", u));
  // Ordering is lexicographical (RFC 7644 §3.4.2.2 "gt": "For string attribute types, a
  // lexicographical comparison is performed").
  EXPECT_TRUE(user_matches(R"(title gt "Tour A")", u));
  EXPECT_FALSE(user_matches(R"(title gt "Tour Z")", u));
  EXPECT_TRUE(user_matches(R"(title lt "tour z")", u));
  EXPECT_FALSE(user_matches(R"(title lt "Tour Guide")", u));
  EXPECT_TRUE(user_matches(R"(title ge "tour guide")", u));
  EXPECT_FALSE(user_matches(R"(title ge "Tour H")", u));
  EXPECT_TRUE(user_matches(R"(title le "TOUR GUIDE")", u));
  EXPECT_FALSE(user_matches(R"(title le "Tour F")", u));
}

// RFC 7643 §4.1 userName: caseExact false; RFC 7643 §3.1 id and externalId: caseExact true.
TEST(Rfc7643_2_2_CaseExact, UserNameIgnoresCaseIdAndExternalIdDoNot) {
  const json u = bjensen();
  EXPECT_TRUE(user_matches(R"(userName eq "BJensen")", u));
  EXPECT_TRUE(user_matches(R"(userName sw "BJ")", u));
  EXPECT_TRUE(user_matches(R"(id eq "2819c223-7f76-453a-919d-413861904646")", u));
  EXPECT_FALSE(user_matches(R"(id eq "2819C223-7F76-453A-919D-413861904646")", u));
  EXPECT_FALSE(user_matches(R"(id sw "2819C")", u));
  EXPECT_TRUE(user_matches(R"(externalId eq "Bjensen-Ext")", u));
  EXPECT_FALSE(user_matches(R"(externalId eq "bjensen-ext")", u));
  EXPECT_TRUE(user_matches(R"(externalId ne "bjensen-ext")", u));
}

// RFC 7644 §3.4.2.2 "gt": "If the attribute type is dateTime, the comparison is performed by
// ... chronological".
TEST(Rfc7644_3_4_2_2_Filtering, DateTimesCompareChronologically) {
  const json u = bjensen();  // lastModified 2011-05-13T04:42:34Z
  EXPECT_TRUE(user_matches(R"(meta.lastModified eq "2011-05-13T06:42:34+02:00")", u));
  EXPECT_TRUE(user_matches(R"(meta.lastModified eq "2011-05-12T23:42:34-05:00")", u));
  EXPECT_TRUE(user_matches(R"(meta.lastModified eq "2011-05-13T04:42:34.000Z")", u));
  EXPECT_FALSE(user_matches(R"(meta.lastModified ne "2011-05-13T06:42:34+02:00")", u));
  // Lexically "05:..." > "04:...", chronologically 03:42:34Z < 04:42:34Z.
  EXPECT_TRUE(user_matches(R"(meta.lastModified gt "2011-05-13T05:42:34+02:00")", u));
  EXPECT_FALSE(user_matches(R"(meta.lastModified lt "2011-05-13T05:42:34+02:00")", u));
  // Fractional seconds count.
  EXPECT_TRUE(user_matches(R"(meta.lastModified lt "2011-05-13T04:42:34.001Z")", u));
  EXPECT_FALSE(user_matches(R"(meta.lastModified ge "2011-05-13T04:42:34.5Z")", u));
  EXPECT_TRUE(user_matches(R"(meta.lastModified gt "2011-05-13T04:42:33.999999Z")", u));
  EXPECT_TRUE(user_matches(R"(meta.lastModified le "2011-05-13T04:42:34Z")", u));
  EXPECT_TRUE(user_matches(R"(meta.created lt "2011-01-01T00:00:00Z")", u));
  EXPECT_TRUE(user_matches(R"(meta.created sw "2010-01")", u));
  // The stored value carries the offset and the fraction.
  json a = alice();  // 2011-05-13T04:42:34.250Z
  EXPECT_TRUE(user_matches(R"(meta.lastModified gt "2011-05-13T06:42:34.2+02:00")", a));
  EXPECT_FALSE(user_matches(R"(meta.lastModified gt "2011-05-13T06:42:34.25+02:00")", a));
  EXPECT_TRUE(user_matches(R"(meta.lastModified eq "2011-05-13T06:42:34.25+02:00")", a));
}

TEST(Rfc7644_3_4_2_2_Filtering, BooleansAllowOnlyEqNePr) {
  const json b = bjensen();  // active true
  const json j = jsmith();   // active false
  EXPECT_TRUE(user_matches("active eq true", b));
  EXPECT_FALSE(user_matches("active eq true", j));
  EXPECT_TRUE(user_matches("active eq false", j));
  EXPECT_TRUE(user_matches("active ne false", b));
  EXPECT_FALSE(user_matches("active ne true", b));
  EXPECT_TRUE(user_matches("active pr", j));
  EXPECT_TRUE(user_matches("emails[primary eq true]", b));
  EXPECT_FALSE(user_matches("emails[primary eq true]", j));
  // RFC 7644 §3.4.2.2: "gt ... Boolean and Binary attributes SHALL cause a failed response
  // (HTTP status code 400) with "scimType" of "invalidFilter"."
  for (const char* op : {"gt", "lt", "ge", "le"}) expect_invalid_filter(std::string("active ") + op + " true", b);
  expect_invalid_filter(R"(active co "t")", b);
  expect_invalid_filter(R"(emails[primary gt false])", b);
}

TEST(Rfc7644_3_4_2_2_Filtering, MultiValuedAttributesMatchAnyValue) {
  const json u = bjensen();
  EXPECT_TRUE(user_matches(R"(emails.value eq "babs@jensen.org")", u));
  EXPECT_TRUE(user_matches(R"(emails.value eq "BJENSEN@example.com")", u));
  EXPECT_FALSE(user_matches(R"(emails.value eq "nobody@example.com")", u));
  // Without a sub-attribute the comparison is on "value".
  EXPECT_TRUE(user_matches(R"(emails co "jensen.org")", u));
  EXPECT_TRUE(user_matches(R"(emails eq "bjensen@example.com")", u));
  EXPECT_FALSE(user_matches(R"(emails co "home")", u));
  EXPECT_TRUE(user_matches(R"(emails.type eq "home")", u));
  EXPECT_TRUE(user_matches(R"(emails ew ".org")", u));
  EXPECT_FALSE(user_matches(R"(emails ew ".net")", u));
}

TEST(Rfc7644_3_4_2_2_Filtering, ValuePathMatchesWithinOneElement) {
  const json b = bjensen(), m = mdoe();
  const std::string filter = R"(emails[type eq "work" and value co "@example.com"])";
  EXPECT_TRUE(user_matches(filter, b));
  EXPECT_FALSE(user_matches(filter, m));  // work is @example.org, home is @example.com
  EXPECT_TRUE(user_matches(R"(emails[type eq "home" and value co "@example.com"])", m));
  EXPECT_TRUE(user_matches(R"(emails[not (type eq "work")])", b));
  EXPECT_FALSE(user_matches(R"(emails[type eq "other" or value eq "x"])", b));
  EXPECT_FALSE(user_matches(R"(ims[type eq "xmpp"])", b));  // attribute absent
  // A single-valued complex attribute can be filtered too.
  EXPECT_TRUE(user_matches(R"(name[givenName eq "barbara"])", b));
}

TEST(Rfc7644_3_4_2_2_Filtering, UrnQualifiedAttributes) {
  const json b = bjensen(), a = alice(), j = jsmith();
  const std::string emp = std::string(enterprise_user) + ":employeeNumber";
  EXPECT_TRUE(user_matches(emp + R"( eq "701984")", b));
  EXPECT_FALSE(user_matches(emp + R"( eq "701984")", a));
  EXPECT_FALSE(user_matches(emp + " pr", j));
  EXPECT_TRUE(user_matches(emp + " pr", a));
  EXPECT_TRUE(user_matches(std::string(enterprise_user) + R"(:manager.value eq "26118915")", b));
  EXPECT_FALSE(user_matches(std::string(enterprise_user) + R"(:manager.value eq "26118915")", a));
  EXPECT_TRUE(user_matches(std::string(core_user) + R"(:userName eq "bjensen")", b));
  EXPECT_TRUE(user_matches(std::string(core_user) + R"(:name.familyName eq "jensen")", b));
  // URNs are case-insensitive (RFC 7643 §2.1).
  EXPECT_TRUE(user_matches(R"(URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:userName eq "bjensen")", b));
  // A URN the server does not know is an invalid filter; a schema of another resource type
  // (a root search spans all types) names nothing a User holds.
  expect_invalid_filter(R"(urn:example:unknown:2.0:User:userName eq "x")", b);
  expect_invalid_filter(R"(urn:ietf:params:scim:schemas:core:2.0:Usr:userName eq "bjensen")", b);
  EXPECT_FALSE(user_matches(R"(urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x")", b));
  EXPECT_FALSE(user_matches(R"(urn:ietf:params:scim:schemas:core:2.0:Group:displayName ne "x")", b));
}

// RFC 7644 §3.4.2.2 "pr": "If the attribute has a non-empty value, or if it contains a non-empty
// node for complex attributes, there is a match."
TEST(Rfc7644_3_4_2_2_Filtering, PresentNeedsANonEmptyValue) {
  json u = bjensen();
  EXPECT_TRUE(user_matches("title pr", u));
  EXPECT_TRUE(user_matches("emails pr", u));
  EXPECT_TRUE(user_matches("name pr", u));
  EXPECT_TRUE(user_matches("emails.type pr", u));
  u.erase("title");
  EXPECT_FALSE(user_matches("title pr", u));
  u["title"] = nullptr;
  EXPECT_FALSE(user_matches("title pr", u));
  u["title"] = "";
  EXPECT_FALSE(user_matches("title pr", u));
  u["emails"] = json::array();
  EXPECT_FALSE(user_matches("emails pr", u));
  EXPECT_FALSE(user_matches("emails.value pr", u));
  u["emails"] = json::array({json::object()});
  EXPECT_FALSE(user_matches("emails pr", u));
  u["name"] = json::object();
  EXPECT_FALSE(user_matches("name pr", u));
  EXPECT_TRUE(user_matches("not (name pr)", u));
}

TEST(Rfc7644_3_4_2_2_Filtering, NeOnAMissingAttributeMatches) {
  json u = bjensen();
  u.erase("title");
  EXPECT_TRUE(user_matches(R"(title ne "Tour Guide")", u));
  EXPECT_FALSE(user_matches(R"(title eq "Tour Guide")", u));
  EXPECT_FALSE(user_matches(R"(title co "T")", u));
  EXPECT_FALSE(user_matches(R"(title gt "A")", u));
  EXPECT_TRUE(user_matches(R"(title eq null)", u));
  u["title"] = "Tour Guide";
  EXPECT_FALSE(user_matches(R"(title ne "Tour Guide")", u));
  EXPECT_FALSE(user_matches(R"(title eq null)", u));
  EXPECT_TRUE(user_matches(R"(title ne null)", u));
}

TEST(Rfc7644_3_4_2_2_Filtering, NotInvertsItsGroup) {
  const json u = bjensen();
  EXPECT_FALSE(user_matches(R"(not (userName eq "bjensen"))", u));
  EXPECT_TRUE(user_matches(R"(not (userName eq "jsmith"))", u));
  EXPECT_TRUE(user_matches(R"(not (not (userName eq "bjensen")))", u));
  EXPECT_TRUE(user_matches(R"(not (title pr) or userType eq "Employee")", u));
  EXPECT_FALSE(user_matches(R"(not (title pr or userType eq "Intern"))", u));
}

// filter_eval.hpp: "Unknown attribute names simply match nothing."
TEST(Rfc7644_3_4_2_2_Filtering, UnknownAttributeMatchesNothing) {
  const json u = bjensen();
  for (const char* f : {R"(nickname2 eq "x")", R"(nickname2 ne "x")", "nickname2 pr", R"(name.middle eq "x")",
                        R"(name.middle ne "x")", R"(emails[nosuch eq "x"])", R"(emails[nosuch ne "x"])",
                        R"(nosuch[value eq "x"])"})
    EXPECT_FALSE(user_matches(f, u)) << f;
  EXPECT_TRUE(user_matches(R"(not (nickname2 eq "x"))", u));
}

TEST(Rfc7644_3_4_2_2_Filtering, ComplexAttributeWithoutSubAttributeIsInvalid) {
  const json u = bjensen();
  expect_invalid_filter(R"(name eq "x")", u);
  expect_invalid_filter(R"(name co "Jensen")", u);
  expect_invalid_filter(R"(meta gt "2011-05-13T04:42:34Z")", u);
  expect_invalid_filter(std::string(enterprise_user) + R"(:manager eq "26118915")", u);
  // Attributes inside [...] are relative: a URN or a dotted path there is refused.
  expect_invalid_filter(R"(emails[emails.value eq "x"])", u);
  expect_invalid_filter(R"(userName[value eq "x"])", u);
}

// RFC 7644 §3.5.2: PATCH's members[value eq "..."] selects group members one element at a time.
TEST(Rfc7644_3_5_2_PatchPath, MatchesElementOfGroupMembers) {
  const auto* group = registry().find_resource_type("Group");
  ASSERT_NE(group, nullptr);
  const auto* schema = registry().find_schema(group->schema);
  ASSERT_NE(schema, nullptr);
  const auto* members = schema->find("members");
  ASSERT_NE(members, nullptr);
  refserver::FilterEvaluator evaluator(registry(), *group);
  const json element = {{"value", "2819c223"}, {"display", "Babs Jensen"}, {"type", "User"}};
  EXPECT_TRUE(evaluator.matches_element(scim::parse_filter(R"(value eq "2819c223")"), *members, element));
  EXPECT_FALSE(evaluator.matches_element(scim::parse_filter(R"(value eq "2819c224")"), *members, element));
  EXPECT_TRUE(
      evaluator.matches_element(scim::parse_filter(R"(type eq "user" and display sw "babs")"), *members, element));
  EXPECT_FALSE(evaluator.matches_element(scim::parse_filter(R"(not (value pr))"), *members, element));
  EXPECT_THROW(evaluator.matches_element(scim::parse_filter(R"(members.value eq "x")"), *members, element),
               scim::Error);
  // The whole-group form of the same filter.
  const json group_json = {{"schemas", {group->schema}},
                           {"displayName", "Tour Guides"},
                           {"members", {element, {{"value", "c3a26dd3"}}}}};
  EXPECT_TRUE(evaluator.matches(scim::parse_filter(R"(members[value eq "c3a26dd3"])"), group_json));
  EXPECT_TRUE(evaluator.matches(scim::parse_filter(R"(members eq "2819c223")"), group_json));
  EXPECT_FALSE(evaluator.matches(scim::parse_filter(R"(members[value eq "nobody"])"), group_json));
}

// Numbers: no core schema has an integer or decimal attribute, so a small test schema does.
class Rfc7644_3_4_2_2_Numbers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("scim_filter_numbers_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "widget.json") << json{
        {"id", "urn:example:params:scim:schemas:Widget"},
        {"name", "Widget"},
        {"attributes",
         {{{"name", "count"}, {"type", "integer"}},
          {{"name", "serial"}, {"type", "integer"}},
          {{"name", "price"}, {"type", "decimal"}},
          {{"name", "sizes"}, {"type", "integer"}, {"multiValued", true}}}}};
    std::ofstream(dir_ / "resource_types.json") << json::array(
        {{{"id", "Widget"}, {"endpoint", "/Widgets"}, {"schema", "urn:example:params:scim:schemas:Widget"}}});
    registry_ = new scim::SchemaRegistry(scim::SchemaRegistry::load(dir_));
  }
  static void TearDownTestSuite() {
    delete registry_;
    registry_ = nullptr;
    std::filesystem::remove_all(dir_);
  }
  bool widget_matches(const std::string& filter) const {
    refserver::FilterEvaluator evaluator(*registry_, *registry_->find_resource_type("Widget"));
    return evaluator.matches(scim::parse_filter(filter), widget_);
  }

  static inline std::filesystem::path dir_;
  static inline scim::SchemaRegistry* registry_ = nullptr;
  const json widget_ = {{"count", 5}, {"serial", 9007199254740993LL}, {"price", 10.5}, {"sizes", {1, 7, 12}}};
};

TEST_F(Rfc7644_3_4_2_2_Numbers, IntegerOperators) {
  EXPECT_TRUE(widget_matches("count eq 5"));
  EXPECT_FALSE(widget_matches("count eq 6"));
  EXPECT_TRUE(widget_matches("count ne 6"));
  EXPECT_FALSE(widget_matches("count ne 5"));
  EXPECT_TRUE(widget_matches("count gt 4"));
  EXPECT_FALSE(widget_matches("count gt 5"));
  EXPECT_TRUE(widget_matches("count lt 6"));
  EXPECT_FALSE(widget_matches("count lt 5"));
  EXPECT_TRUE(widget_matches("count ge 5"));
  EXPECT_FALSE(widget_matches("count ge 6"));
  EXPECT_TRUE(widget_matches("count le 5"));
  EXPECT_FALSE(widget_matches("count le 4"));
  EXPECT_TRUE(widget_matches("count gt -1"));
  EXPECT_TRUE(widget_matches("count eq 5.0"));
  // Numeric, not lexical: "5" > "10" as text.
  EXPECT_TRUE(widget_matches("count lt 10"));
  EXPECT_FALSE(widget_matches(R"(count eq "5")"));
}

TEST_F(Rfc7644_3_4_2_2_Numbers, DecimalOperators) {
  EXPECT_TRUE(widget_matches("price eq 10.5"));
  EXPECT_TRUE(widget_matches("price gt 10.49"));
  EXPECT_FALSE(widget_matches("price gt 10.5"));
  EXPECT_TRUE(widget_matches("price lt 11"));
  EXPECT_TRUE(widget_matches("price ge 1.05e1"));
  EXPECT_TRUE(widget_matches("price le 10.5"));
  EXPECT_TRUE(widget_matches("price ne 10"));
}

TEST_F(Rfc7644_3_4_2_2_Numbers, LargeIntegersCompareExactly) {
  // 2^53 + 1 and 2^53 are the same double; as integers they differ.
  EXPECT_FALSE(widget_matches("serial eq 9007199254740992"));
  EXPECT_TRUE(widget_matches("serial gt 9007199254740992"));
  EXPECT_TRUE(widget_matches("serial eq 9007199254740993"));
  EXPECT_TRUE(widget_matches("serial lt 18446744073709551615"));
}

TEST_F(Rfc7644_3_4_2_2_Numbers, MultiValuedAndSubstringOperators) {
  EXPECT_TRUE(widget_matches("sizes eq 7"));
  EXPECT_FALSE(widget_matches("sizes eq 8"));
  EXPECT_TRUE(widget_matches("sizes gt 11"));
  EXPECT_FALSE(widget_matches("sizes gt 12"));
  // co, sw and ew are string operators.
  for (const char* op : {"co", "sw", "ew"}) {
    refserver::FilterEvaluator evaluator(*registry_, *registry_->find_resource_type("Widget"));
    EXPECT_THROW(evaluator.matches(scim::parse_filter(std::string("count ") + op + " 5"), widget_), scim::Error)
        << op;
  }
}

}  // namespace
