// FilterEvaluator (RFC 7644 §3.4.2.2) over resource JSON, with the comparison rules of the
// RFC 7643 schemas loaded from fixtures/schemas.
#include "reference_server/api/filter_eval.hpp"
#include "scim/error.hpp"
#include "scim/filter.hpp"
#include "scim/schema.hpp"
#include "scim/urns.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace refserver {
namespace {

using nlohmann::json;

const scim::SchemaRegistry& registry() {
  static const scim::SchemaRegistry loaded = scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas");
  return loaded;
}

const scim::ResourceTypeDef& resource_type(const scim::SchemaRegistry& from, const std::string& name) {
  const scim::ResourceTypeDef* type = from.find_resource_type(name);
  if (!type) throw std::runtime_error("resource type " + name + " is not in the registry");
  return *type;
}

// The core schemas have no integer or decimal attribute; this registry adds a User extension
// that has them, beside copies of the fixture schemas.
constexpr const char* test_extension = "urn:example:params:scim:schemas:extension:filtertest:2.0:User";

const scim::SchemaRegistry& extended_registry() {
  static const scim::SchemaRegistry loaded = [] {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("scimulator_filter_eval_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::path source = scim::default_fixtures_dir() / "schemas";
    for (const char* file : {"user.json", "group.json", "enterprise_user.json"})
      fs::copy_file(source / file, dir / file, fs::copy_options::overwrite_existing);
    auto attribute = [](const char* name, const char* type, bool multi, bool case_exact) {
      return json{{"name", name}, {"type", type}, {"multiValued", multi}, {"required", false},
                  {"caseExact", case_exact}, {"mutability", "readWrite"}, {"returned", "default"},
                  {"uniqueness", "none"}};
    };
    json schema = {{"schemas", {std::string(scim::urn::schema)}},
                   {"id", test_extension},
                   {"name", "FilterTest"},
                   {"attributes",
                    {attribute("loginCount", "integer", false, false), attribute("score", "decimal", false, false),
                     attribute("ratings", "integer", true, false), attribute("hired", "dateTime", false, false),
                     attribute("tags", "string", true, true)}}};
    std::ofstream(dir / "filter_test.json") << schema.dump(2);
    json types = json::parse(std::ifstream(source / "resource_types.json"));
    for (auto& type : types)
      if (type["id"] == "User") type["schemaExtensions"].push_back({{"schema", test_extension}, {"required", false}});
    std::ofstream(dir / "resource_types.json") << types.dump(2);
    scim::SchemaRegistry result = scim::SchemaRegistry::load(dir);
    fs::remove_all(dir);
    return result;
  }();
  return loaded;
}

// RFC 7643 §8.2-shaped users: an employee, an intern and a contractor.
json bjensen() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "externalId": "701984",
    "userName": "bjensen",
    "name": {"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen", "givenName": "Barbara"},
    "displayName": "Babs Jensen",
    "title": "Tour Guide",
    "userType": "Employee",
    "active": true,
    "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
               {"value": "babs@jensen.org", "type": "home"}],
    "ims": [{"value": "someaimhandle", "type": "aim"}],
    "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
      "employeeNumber": "701984",
      "costCenter": "4130",
      "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}
    },
    "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z",
             "version": "W/\"3694e05e9dff591\"",
             "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"}
  })");
}

json jsmith() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "id": "08e1d05d-121c-4561-8b96-473d93df9210",
    "userName": "Jsmith",
    "name": {"familyName": "O'Malley", "givenName": "John"},
    "userType": "Intern",
    "active": false,
    "emails": [{"value": "js@example.org", "type": "work"}],
    "meta": {"resourceType": "User", "created": "2011-05-13T04:42:34Z", "lastModified": "2012-01-01T00:00:00Z"}
  })");
}

json contractor() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "id": "c0ffee00-0000-4000-8000-000000000001",
    "userName": "mjones",
    "title": "",
    "userType": "Contractor",
    "emails": [{"value": "mj@other.net", "type": "work"}],
    "ims": [{"value": "mj@foo.com", "type": "xmpp"}],
    "meta": {"resourceType": "User", "lastModified": "2011-05-13T04:42:33.999Z"}
  })");
}

json tour_guides() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
    "displayName": "Tour Guides",
    "members": [
      {"value": "2819c223-7f76-453a-919d-413861904646",
       "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen"},
      {"value": "902c246b-6245-4190-8e05-00816be7344a",
       "$ref": "https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge"}
    ],
    "meta": {"resourceType": "Group", "lastModified": "2011-05-13T04:42:34Z"}
  })");
}

bool user_matches(const std::string& filter, const json& resource) {
  FilterEvaluator evaluator(registry(), resource_type(registry(), "User"));
  return evaluator.matches(scim::parse_filter(filter), resource);
}

bool group_matches(const std::string& filter, const json& resource) {
  FilterEvaluator evaluator(registry(), resource_type(registry(), "Group"));
  return evaluator.matches(scim::parse_filter(filter), resource);
}

bool extended_matches(const std::string& filter, const json& resource) {
  FilterEvaluator evaluator(extended_registry(), resource_type(extended_registry(), "User"));
  return evaluator.matches(scim::parse_filter(filter), resource);
}

// The error the evaluator throws for `filter` on a User; fails the test when there is none.
scim::Error user_error(const std::string& filter, const json& resource = bjensen()) {
  try {
    bool result = user_matches(filter, resource);
    ADD_FAILURE() << "'" << filter << "' evaluated to " << result << " instead of failing";
  } catch (const scim::Error& e) {
    return e;
  }
  return scim::Error(0, scim::ScimType::none, "");
}

void expect_invalid_filter(const std::string& filter, const std::string& detail_part) {
  SCOPED_TRACE(filter);
  scim::Error error = user_error(filter);
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.scim_type(), scim::ScimType::invalid_filter);
  EXPECT_NE(error.detail().find(detail_part), std::string::npos) << error.detail();
}

json extended_user() {
  json user = bjensen();
  user[test_extension] = {{"loginCount", 42}, {"score", 2.5}, {"ratings", {3, 17}},
                          {"hired", "2009-12-31T23:00:00-02:00"}, {"tags", {"Blue", "green"}}};
  return user;
}

// ---------------------------------------------------------------------------------------------

struct ExampleRow {
  std::string filter;
  bool bjensen, jsmith, contractor;
};

// RFC 7644 §3.4.2.2, Figure 2: the example filters, each judged for three users.
TEST(Rfc7644_3_4_2_2_Filtering, RfcExampleFilters) {
  const std::vector<ExampleRow> rows = {
      {R"(userName eq "bjensen")", true, false, false},
      {R"(name.familyName co "O'Malley")", false, true, false},
      {R"(userName sw "J")", false, true, false},
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J")", false, true, false},
      {R"(title pr)", true, false, false},
      {R"(meta.lastModified gt "2011-05-13T04:42:34Z")", false, true, false},
      {R"(meta.lastModified ge "2011-05-13T04:42:34Z")", true, true, false},
      {R"(meta.lastModified lt "2011-05-13T04:42:34Z")", false, false, true},
      {R"(meta.lastModified le "2011-05-13T04:42:34Z")", true, false, true},
      {R"(title pr and userType eq "Employee")", true, false, false},
      {R"(title pr or userType eq "Intern")", true, true, false},
      {R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")", true, false, false},
      {R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))", true, false, false},
      {R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))", false, false,
       true},
      {R"(userType eq "Employee" and (emails.type eq "work"))", true, false, false},
      {R"(userType eq "Employee" and emails[type eq "work" and value co "@example.com"])", true, false, false},
      {R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])", true,
       false, true},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.filter);
    EXPECT_EQ(user_matches(row.filter, bjensen()), row.bjensen);
    EXPECT_EQ(user_matches(row.filter, jsmith()), row.jsmith);
    EXPECT_EQ(user_matches(row.filter, contractor()), row.contractor);
  }
}

TEST(Rfc7644_3_4_2_2_Filtering, StringEqAndNe) {
  EXPECT_TRUE(user_matches(R"(userName eq "bjensen")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName eq "bjense")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName eq "bjensenn")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName ne "bjensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName ne "jsmith")", bjensen()));
  EXPECT_TRUE(user_matches(R"(title eq "Tour Guide")", bjensen()));
}

TEST(Rfc7644_3_4_2_2_Filtering, StringSubstringOperators) {
  EXPECT_TRUE(user_matches(R"(userName co "jens")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName co "bjensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName co "")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName co "jensenx")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName sw "bje")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName sw "jen")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName sw "bjensen2")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName ew "sen")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName ew "bje")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName ew "xbjensen")", bjensen()));
}

// RFC 7644 §3.4.2.2, gt: "If the attribute value is a string, then a lexicographical
// comparison is performed."
TEST(Rfc7644_3_4_2_2_Filtering, StringOrdering) {
  EXPECT_TRUE(user_matches(R"(userName gt "a")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName gt "bjense")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName gt "bjensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName ge "bjensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName lt "c")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName lt "bjensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName le "bjensen")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName le "bjensem")", bjensen()));
  // A literal above the value fails gt and ge: "differs" is not "greater".
  EXPECT_FALSE(user_matches(R"(title gt "Tour Z")", bjensen()));
  EXPECT_FALSE(user_matches(R"(title ge "Tour H")", bjensen()));
  // caseExact=false: "B" orders like "b", so "bjensen" is not below "BA".
  EXPECT_FALSE(user_matches(R"(userName lt "BA")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName gt "BA")", bjensen()));
}

// RFC 7644 §3.4.2.2: "the case sensitivity for String type attributes SHALL be determined by
// the attribute's "caseExact" characteristic". userName is caseExact false (RFC 7643 §4.1.1),
// id and externalId are caseExact true (RFC 7643 §3.1).
TEST(Rfc7644_3_4_2_2_Filtering, CaseExactDecidesCaseSensitivity) {
  EXPECT_TRUE(user_matches(R"(userName eq "BJENSEN")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName sw "BJ")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName co "JeNs")", bjensen()));
  EXPECT_TRUE(user_matches(R"(userName ew "SEN")", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName ne "BJENSEN")", bjensen()));

  EXPECT_TRUE(user_matches(R"(id eq "2819c223-7f76-453a-919d-413861904646")", bjensen()));
  EXPECT_FALSE(user_matches(R"(id eq "2819C223-7F76-453A-919D-413861904646")", bjensen()));
  EXPECT_TRUE(user_matches(R"(id ne "2819C223-7F76-453A-919D-413861904646")", bjensen()));
  EXPECT_FALSE(user_matches(R"(id sw "2819C")", bjensen()));
  EXPECT_TRUE(user_matches(R"(id sw "2819c")", bjensen()));

  json user = bjensen();
  user["externalId"] = "Ext-Bjensen";
  EXPECT_TRUE(user_matches(R"(externalId eq "Ext-Bjensen")", user));
  EXPECT_FALSE(user_matches(R"(externalId eq "ext-bjensen")", user));
  EXPECT_FALSE(user_matches(R"(externalId co "BJENSEN")", user));
}

// RFC 7644 §3.4.2.2: "Attribute names and attribute operators used in filters are case
// insensitive." The resource's own keys are found whatever their spelling (RFC 7643 §2.1).
TEST(Rfc7644_3_4_2_2_Filtering, AttributeNamesAreCaseInsensitive) {
  EXPECT_TRUE(user_matches(R"(USERNAME eq "bjensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(username EQ "bjensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(NAME.FAMILYNAME eq "jensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(Emails.Value co "EXAMPLE.COM")", bjensen()));
  EXPECT_TRUE(user_matches(R"(EMAILS[TYPE eq "work"])", bjensen()));
  EXPECT_TRUE(user_matches(R"(META.LASTMODIFIED ge "2011-05-13T04:42:34Z")", bjensen()));

  json odd = json::parse(R"({"UserName": "kim", "NAME": {"FamilyName": "Lee"},
                             "EMAILS": [{"Value": "kim@example.com", "TYPE": "work"}],
                             "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {"EmployeeNumber": "7"}})");
  EXPECT_TRUE(user_matches(R"(userName eq "kim")", odd));
  EXPECT_TRUE(user_matches(R"(name.familyName eq "lee")", odd));
  EXPECT_TRUE(user_matches(R"(emails[type eq "work" and value ew "@example.com"])", odd));
  EXPECT_TRUE(user_matches(R"(emails.value eq "kim@example.com")", odd));
  EXPECT_TRUE(user_matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7")", odd));
}

// RFC 7644 §3.4.2.2: "If the specified attribute in a filter expression is a multi-valued
// attribute, the filter matches if any of the values of the specified attribute match the
// specified criterion".
TEST(Rfc7644_3_4_2_2_Filtering, MultiValuedMatchesAnyValue) {
  EXPECT_TRUE(user_matches(R"(emails.value eq "bjensen@example.com")", bjensen()));
  EXPECT_TRUE(user_matches(R"(emails.value eq "babs@jensen.org")", bjensen()));
  EXPECT_FALSE(user_matches(R"(emails.value eq "nobody@example.com")", bjensen()));
  EXPECT_TRUE(user_matches(R"(emails.type eq "home")", bjensen()));
  EXPECT_TRUE(user_matches(R"(emails.value ew ".org")", bjensen()));
  EXPECT_TRUE(user_matches(R"(emails.primary eq true)", bjensen()));
  EXPECT_FALSE(user_matches(R"(emails.primary eq true)", jsmith()));
  // Any value differing is enough for ne.
  EXPECT_TRUE(user_matches(R"(emails.type ne "work")", bjensen()));
  EXPECT_FALSE(user_matches(R"(emails.type ne "work")", jsmith()));
}

// RFC 7644 §3.4.2.2, Figure 2 compares emails itself (emails co "example.com"): a multi-valued
// complex attribute without a sub-attribute stands for its "value" sub-attribute.
TEST(Rfc7644_3_4_2_2_Filtering, MultiValuedComplexWithoutSubAttributeComparesValue) {
  EXPECT_TRUE(user_matches(R"(emails eq "babs@jensen.org")", bjensen()));
  EXPECT_TRUE(user_matches(R"(emails co "example.com")", bjensen()));
  EXPECT_FALSE(user_matches(R"(emails eq "work")", bjensen()));  // a type, not a value
  EXPECT_TRUE(group_matches(R"(members eq "902c246b-6245-4190-8e05-00816be7344a")", tour_guides()));
  EXPECT_FALSE(group_matches(R"(members eq "Mandy Pepperidge")", tour_guides()));
}

// RFC 7644 §3.4.2.2 valuePath: the filter in brackets must hold for one element.
TEST(Rfc7644_3_4_2_2_Filtering, ValuePathMatchesWithinOneElement) {
  EXPECT_TRUE(user_matches(R"(emails[type eq "work" and value co "@example.com"])", bjensen()));
  EXPECT_TRUE(user_matches(R"(emails[type eq "home" and value co "@jensen.org"])", bjensen()));
  // Each half holds for some element, but no single element has both.
  EXPECT_TRUE(user_matches(R"(emails.type eq "home" and emails.value co "@example.com")", bjensen()));
  EXPECT_FALSE(user_matches(R"(emails[type eq "home" and value co "@example.com"])", bjensen()));
  EXPECT_TRUE(user_matches(R"(emails[type eq "home" or value eq "nobody"])", bjensen()));
  EXPECT_FALSE(user_matches(R"(emails[type eq "other" or value eq "nobody"])", bjensen()));
  EXPECT_TRUE(user_matches(R"(emails[not (type eq "work")])", bjensen()));
  EXPECT_FALSE(user_matches(R"(emails[not (type eq "work")])", jsmith()));
  EXPECT_TRUE(user_matches(R"(emails[primary eq true and (type eq "home" or type eq "work")])", bjensen()));
  EXPECT_FALSE(user_matches(R"(emails[type eq "work"])", json::object()));
  EXPECT_TRUE(user_matches(R"(urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"])", bjensen()));
  // A single-valued complex attribute is one element.
  EXPECT_TRUE(user_matches(R"(name[givenName eq "barbara" and familyName sw "J"])", bjensen()));
  EXPECT_TRUE(group_matches(R"(members[value eq "2819c223-7f76-453a-919d-413861904646" and display co "Babs"])",
                            tour_guides()));
  EXPECT_FALSE(group_matches(R"(members[value eq "2819c223-7f76-453a-919d-413861904646" and display co "Mandy"])",
                             tour_guides()));
}

// RFC 7644 §3.10: fully qualified names, core and extension; RFC 7643 §3.3 puts extension
// attributes in a sub-object named by the extension URN.
TEST(Rfc7644_3_4_2_2_Filtering, UrnQualifiedCoreAndEnterpriseAttributes) {
  EXPECT_TRUE(user_matches(R"(urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "Jensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:userName eq "bjensen")", bjensen()));
  EXPECT_TRUE(user_matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984")",
                           bjensen()));
  EXPECT_FALSE(user_matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1")",
                            bjensen()));
  EXPECT_FALSE(user_matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr)",
                            jsmith()));
  EXPECT_TRUE(user_matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr)",
                           bjensen()));
  EXPECT_TRUE(user_matches(
      R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d")",
      bjensen()));
  EXPECT_TRUE(user_matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName sw "john")",
                           bjensen()));
  EXPECT_TRUE(user_matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr)", bjensen()));
  // The extension attribute is not at the top level: the same key there does not count.
  json top_level = jsmith();
  top_level["employeeNumber"] = "701984";
  EXPECT_FALSE(user_matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984")",
                            top_level));
}

// RFC 7644 §3.4.2.2, pr: "If the attribute has a non-empty value, or if it contains a
// non-empty node for complex attributes, there is a match."
TEST(Rfc7644_3_4_2_2_Filtering, PresentNeedsANonEmptyValue) {
  EXPECT_TRUE(user_matches("title pr", bjensen()));
  EXPECT_FALSE(user_matches("title pr", jsmith()));      // absent
  EXPECT_FALSE(user_matches("title pr", contractor()));  // ""
  json user = bjensen();
  user["title"] = nullptr;
  EXPECT_FALSE(user_matches("title pr", user));
  user["emails"] = json::array();
  EXPECT_FALSE(user_matches("emails pr", user));
  EXPECT_FALSE(user_matches("emails.value pr", user));
  user["emails"] = json::array({json::object()});  // an element with nothing in it is no value
  EXPECT_FALSE(user_matches("emails pr", user));
  user["name"] = json::object();
  EXPECT_FALSE(user_matches("name pr", user));
  user["name"] = {{"givenName", ""}};
  EXPECT_FALSE(user_matches("name pr", user));
  EXPECT_FALSE(user_matches("name.givenName pr", user));
  EXPECT_TRUE(user_matches("name pr", bjensen()));
  EXPECT_TRUE(user_matches("emails pr", bjensen()));
  EXPECT_TRUE(user_matches("emails.primary pr", bjensen()));
  EXPECT_FALSE(user_matches("emails.display pr", bjensen()));
  EXPECT_TRUE(user_matches("active pr", jsmith()));  // false is a value
}

// RFC 7644 §3.4.2.2, gt: "If the attribute value is a DateTime, then a chronological
// comparison is performed."
TEST(Rfc7644_3_4_2_2_Filtering, DateTimesCompareChronologically) {
  const json user = bjensen();  // lastModified 2011-05-13T04:42:34Z
  EXPECT_TRUE(user_matches(R"(meta.lastModified eq "2011-05-13T04:42:34Z")", user));
  EXPECT_TRUE(user_matches(R"(meta.lastModified eq "2011-05-13T04:42:34.000Z")", user));
  EXPECT_TRUE(user_matches(R"(meta.lastModified eq "2011-05-13T06:42:34+02:00")", user));
  EXPECT_TRUE(user_matches(R"(meta.lastModified eq "2011-05-12T23:42:34-05:00")", user));
  EXPECT_FALSE(user_matches(R"(meta.lastModified ne "2011-05-13T06:42:34+02:00")", user));
  EXPECT_TRUE(user_matches(R"(meta.lastModified gt "2011-05-13T04:42:33.999Z")", user));
  EXPECT_FALSE(user_matches(R"(meta.lastModified gt "2011-05-13T04:42:34.001Z")", user));
  EXPECT_TRUE(user_matches(R"(meta.lastModified lt "2011-05-13T04:42:34.5Z")", user));
  // Rounded to milliseconds, .999999 would be 34.000 and equal.
  EXPECT_TRUE(user_matches(R"(meta.lastModified gt "2011-05-13T04:42:33.999999Z")", user));
  // Text order says "04:42" > "00:42"; in time 00:42-05:00 is 05:42Z, an hour later.
  EXPECT_TRUE(user_matches(R"(meta.lastModified lt "2011-05-13T00:42:34-05:00")", user));
  EXPECT_FALSE(user_matches(R"(meta.lastModified gt "2011-05-13T00:42:34-05:00")", user));
  EXPECT_TRUE(user_matches(R"(meta.created lt "2011-01-01T00:00:00Z")", user));
  EXPECT_TRUE(user_matches(R"(meta.created le "2010-01-23T04:56:22Z")", user));
  EXPECT_FALSE(user_matches(R"(meta.created ge "2010-01-23T04:56:22.1Z")", user));
  EXPECT_TRUE(user_matches(R"(meta.lastModified gt "1999-12-31T23:59:59Z")", user));
  // Substring operators read the text as written.
  EXPECT_TRUE(user_matches(R"(meta.lastModified sw "2011-05")", user));
  // A missing date: only ne holds.
  EXPECT_FALSE(user_matches(R"(meta.created gt "2000-01-01T00:00:00Z")", contractor()));
  EXPECT_TRUE(user_matches(R"(meta.created ne "2000-01-01T00:00:00Z")", contractor()));
}

// The stored value is parsed like the literal: a client may have written it with an offset or
// a fraction, and the order must still be that of the instants.
TEST(Rfc7644_3_4_2_2_Filtering, StoredDateTimesAreReadWithTheirOffsetAndFraction) {
  json user = jsmith();
  // 05:42:34+02:00 is 03:42:34Z: an hour before the literal although its text sorts after it.
  user["meta"]["lastModified"] = "2011-05-13T05:42:34+02:00";
  EXPECT_TRUE(user_matches(R"(meta.lastModified lt "2011-05-13T04:42:34Z")", user));
  EXPECT_TRUE(user_matches(R"(meta.lastModified le "2011-05-13T04:42:34Z")", user));
  EXPECT_FALSE(user_matches(R"(meta.lastModified gt "2011-05-13T04:42:34Z")", user));
  EXPECT_FALSE(user_matches(R"(meta.lastModified ge "2011-05-13T04:42:34Z")", user));
  // Fractions on both sides, the literal's with an offset: .25 and .250 are one instant.
  user["meta"]["lastModified"] = "2011-05-13T04:42:34.250Z";
  EXPECT_TRUE(user_matches(R"(meta.lastModified gt "2011-05-13T06:42:34.2+02:00")", user));
  EXPECT_FALSE(user_matches(R"(meta.lastModified gt "2011-05-13T06:42:34.25+02:00")", user));
  EXPECT_TRUE(user_matches(R"(meta.lastModified eq "2011-05-13T06:42:34.25+02:00")", user));
}

TEST(Rfc7644_3_4_2_2_Filtering, DateTimeLiteralMustBeADateTime) {
  expect_invalid_filter(R"(meta.lastModified gt "yesterday")", "RFC 3339");
  expect_invalid_filter(R"(meta.lastModified eq "2011-13-01T00:00:00Z")", "RFC 3339");
  expect_invalid_filter(R"(meta.lastModified eq "2011-02-29T00:00:00Z")", "RFC 3339");
  expect_invalid_filter(R"(meta.lastModified lt "2011-05-13 04:42:34Z")", "RFC 3339");
}

// RFC 7644 §3.4.2.2, gt: "For integer attributes, it is a comparison by numeric value."
TEST(Rfc7644_3_4_2_2_Filtering, NumbersCompareNumerically) {
  const json user = extended_user();  // loginCount 42, score 2.5, ratings [3, 17]
  const std::string ext = std::string(test_extension) + ":";
  EXPECT_TRUE(extended_matches(ext + "loginCount eq 42", user));
  EXPECT_TRUE(extended_matches(ext + "loginCount eq 42.0", user));
  EXPECT_FALSE(extended_matches(ext + "loginCount eq 41", user));
  EXPECT_TRUE(extended_matches(ext + "loginCount ne 41", user));
  EXPECT_FALSE(extended_matches(ext + "loginCount ne 42", user));
  EXPECT_TRUE(extended_matches(ext + "loginCount gt 5", user));  // as text "42" < "5"
  EXPECT_FALSE(extended_matches(ext + "loginCount gt 42", user));
  EXPECT_TRUE(extended_matches(ext + "loginCount ge 42", user));
  EXPECT_TRUE(extended_matches(ext + "loginCount lt 100", user));
  EXPECT_FALSE(extended_matches(ext + "loginCount lt 42", user));
  EXPECT_TRUE(extended_matches(ext + "loginCount le 42", user));
  EXPECT_FALSE(extended_matches(ext + "loginCount ge 43", user));
  EXPECT_FALSE(extended_matches(ext + "loginCount le 41", user));
  EXPECT_TRUE(extended_matches(ext + "loginCount gt -1", user));
  EXPECT_TRUE(extended_matches(ext + "loginCount lt 42.5", user));
  // A string is not a number, even one that reads as the stored number.
  EXPECT_FALSE(extended_matches(ext + R"(loginCount eq "42")", user));

  EXPECT_TRUE(extended_matches(ext + "score gt 2.25", user));
  EXPECT_TRUE(extended_matches(ext + "score lt 10", user));  // as text "2.5" > "10"
  EXPECT_TRUE(extended_matches(ext + "score eq 2.5", user));
  EXPECT_TRUE(extended_matches(ext + "score eq 25e-1", user));
  EXPECT_FALSE(extended_matches(ext + "score ge 2.51", user));
  EXPECT_FALSE(extended_matches(ext + "score gt 2.5", user));
  EXPECT_TRUE(extended_matches(ext + "score le 2.5", user));
  EXPECT_TRUE(extended_matches(ext + "score ne 2", user));

  EXPECT_TRUE(extended_matches(ext + "ratings gt 10", user));
  EXPECT_FALSE(extended_matches(ext + "ratings gt 17", user));
  EXPECT_TRUE(extended_matches(ext + "ratings eq 3", user));

  // dateTime with an offset in an extension.
  EXPECT_TRUE(extended_matches(ext + R"(hired eq "2010-01-01T01:00:00Z")", user));
  // Multi-valued caseExact strings.
  EXPECT_TRUE(extended_matches(ext + R"(tags eq "Blue")", user));
  EXPECT_FALSE(extended_matches(ext + R"(tags eq "blue")", user));
  EXPECT_TRUE(extended_matches(ext + R"(tags eq "green")", user));
}

// Integers compare as integers: 2^53 + 1 and 2^53 are one double but two integers, and an ID
// or a counter can be that large.
TEST(Rfc7644_3_4_2_2_Filtering, IntegersBeyondDoublePrecisionCompareExactly) {
  json user = extended_user();
  user[test_extension]["loginCount"] = 9007199254740993LL;
  const std::string login_count = std::string(test_extension) + ":loginCount";
  EXPECT_FALSE(extended_matches(login_count + " eq 9007199254740992", user));
  EXPECT_TRUE(extended_matches(login_count + " gt 9007199254740992", user));
  EXPECT_TRUE(extended_matches(login_count + " eq 9007199254740993", user));
  // A literal beyond int64 still orders against the stored value.
  EXPECT_TRUE(extended_matches(login_count + " lt 18446744073709551615", user));
}

TEST(Rfc7644_3_4_2_2_Filtering, SubstringOperatorsOnNumbersAreInvalid) {
  FilterEvaluator evaluator(extended_registry(), resource_type(extended_registry(), "User"));
  for (const char* op : {"co", "sw", "ew"}) {
    std::string filter = std::string(test_extension) + ":loginCount " + op + " 4";
    SCOPED_TRACE(filter);
    try {
      evaluator.compile(scim::parse_filter(filter));
      ADD_FAILURE() << "compiled";
    } catch (const scim::Error& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_EQ(e.scim_type(), scim::ScimType::invalid_filter);
      EXPECT_NE(e.detail().find("is a number"), std::string::npos) << e.detail();
    }
  }
}

TEST(Rfc7644_3_4_2_2_Filtering, BooleansCompareWithEqAndNe) {
  EXPECT_TRUE(user_matches("active eq true", bjensen()));
  EXPECT_FALSE(user_matches("active eq false", bjensen()));
  EXPECT_TRUE(user_matches("active eq false", jsmith()));
  EXPECT_TRUE(user_matches("active ne false", bjensen()));
  EXPECT_FALSE(user_matches("active ne true", bjensen()));
  EXPECT_TRUE(user_matches("active eq TRUE", bjensen()));
  // A string is not a boolean: "true" never equals true (documented in filter_evaluator.cpp).
  EXPECT_FALSE(user_matches(R"(active eq "true")", bjensen()));
  EXPECT_TRUE(user_matches(R"(active ne "true")", bjensen()));
  // Absent: eq fails, ne holds.
  EXPECT_FALSE(user_matches("active eq true", contractor()));
  EXPECT_FALSE(user_matches("active eq false", contractor()));
  EXPECT_TRUE(user_matches("active ne true", contractor()));
}

// RFC 7644 §3.4.2.2, gt/ge/lt/le: "Boolean and Binary attributes SHALL cause a failed
// response (HTTP 400 Bad Request) with a "scimType" of "invalidFilter"."
TEST(Rfc7644_3_4_2_2_Filtering, InvalidComparisonsAre400InvalidFilter) {
  for (const char* op : {"gt", "ge", "lt", "le", "co", "sw", "ew"})
    expect_invalid_filter(std::string("active ") + op + " true", "is a boolean");
  // The operator decides, not the literal: a string literal does not turn the 400 into a non-match.
  expect_invalid_filter(R"(active co "t")", "is a boolean");
  expect_invalid_filter("emails.primary gt false", "is a boolean");
  expect_invalid_filter("emails[primary gt false]", "is a boolean");
  for (const char* op : {"gt", "ge", "lt", "le"})
    expect_invalid_filter(std::string("x509Certificates.value ") + op + R"( "MII")", "is binary");
  // Binary values compare as text for eq and the substring operators.
  EXPECT_TRUE(user_matches(R"(x509Certificates.value sw "MIIDQz")", bjensen()));
  EXPECT_FALSE(user_matches(R"(x509Certificates.value eq "MII")", bjensen()));
  // RFC 7644 §3.4.2.2: "For complex attributes, a fully qualified sub-attribute MUST be
  // specified".
  expect_invalid_filter(R"(name eq "Barbara")", "is complex");
  expect_invalid_filter(R"(name gt "a")", "is complex");
  expect_invalid_filter(R"(meta eq "x")", "is complex");
  expect_invalid_filter(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "x")", "is complex");
  expect_invalid_filter(R"(userName[value eq "x"])", "needs a complex attribute");
  expect_invalid_filter(R"(emails[emails.type eq "work"])", "name a sub-attribute of emails");
  expect_invalid_filter(R"(title gt null)", "null can only be compared with eq or ne");
  // The verdict does not depend on data: a resource without the attribute is refused too.
  expect_invalid_filter("active gt true", "is a boolean");
  scim::Error on_empty = user_error("active gt true", json::object());
  EXPECT_EQ(on_empty.scim_type(), scim::ScimType::invalid_filter);
}

// RFC 7644 §3.4.2.2 leaves attributes the server does not know to the server; IdPs probe
// attributes they map, so an unknown name matches nothing instead of failing the request.
TEST(Rfc7644_3_4_2_2_Filtering, UnknownAttributeMatchesNothing) {
  json user = bjensen();
  user["bogus"] = "x";  // even when the resource happens to carry such a key
  EXPECT_FALSE(user_matches(R"(bogus eq "x")", user));
  EXPECT_FALSE(user_matches(R"(bogus ne "x")", user));
  EXPECT_FALSE(user_matches("bogus pr", user));
  EXPECT_FALSE(user_matches(R"(name.bogus eq "x")", user));
  EXPECT_FALSE(user_matches(R"(emails[bogus eq "x"])", user));
  // ne fails below the top level too: an unknown name holds no value that could differ.
  EXPECT_FALSE(user_matches(R"(name.bogus ne "x")", user));
  EXPECT_FALSE(user_matches(R"(emails[bogus ne "x"])", user));
  EXPECT_FALSE(user_matches(R"(bogus[type eq "x"])", user));
  EXPECT_TRUE(user_matches(R"(not (bogus eq "x"))", user));
  EXPECT_TRUE(user_matches(R"(bogus eq "x" or userName eq "bjensen")", user));
  // An extension attribute must be qualified with its URN.
  EXPECT_FALSE(user_matches(R"(employeeNumber eq "701984")", user));
}

TEST(Rfc7644_3_4_2_2_Filtering, UnknownSchemaUrnIsInvalid) {
  expect_invalid_filter(R"(urn:example:unknown:2.0:User:userName eq "bjensen")", "not a schema this server knows");
  expect_invalid_filter(R"(urn:ietf:params:scim:schemas:core:2.0:Usr:userName eq "bjensen")",
                        "not a schema this server knows");
  expect_invalid_filter(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User pr)", "names a whole schema");
  // A known schema of another resource type: a root search applies one filter to every type.
  EXPECT_FALSE(user_matches(R"(urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "Babs Jensen")", bjensen()));
  EXPECT_FALSE(user_matches(R"(urn:ietf:params:scim:schemas:core:2.0:Group:displayName ne "x")", bjensen()));
  EXPECT_FALSE(group_matches(R"(urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen")", tour_guides()));
}

// RFC 7644 §3.4.2.2: "not" is "Logical negation".
TEST(Rfc7644_3_4_2_2_Filtering, NotNegates) {
  EXPECT_FALSE(user_matches(R"(not (userName eq "bjensen"))", bjensen()));
  EXPECT_TRUE(user_matches(R"(not (userName eq "jsmith"))", bjensen()));
  EXPECT_TRUE(user_matches(R"(not (not (userName eq "bjensen")))", bjensen()));
  EXPECT_TRUE(user_matches("not (title pr)", jsmith()));
  EXPECT_FALSE(user_matches("not (title pr)", bjensen()));
  // not (a and b) == not a or not b
  for (const json& user : {bjensen(), jsmith(), contractor()}) {
    EXPECT_EQ(user_matches(R"(not (title pr and userType eq "Employee"))", user),
              user_matches(R"(not (title pr) or not (userType eq "Employee"))", user));
  }
}

TEST(Rfc7644_3_4_2_2_Filtering, LogicalOperatorsAndPrecedence) {
  EXPECT_TRUE(user_matches(R"(userName eq "bjensen" and title pr)", bjensen()));
  EXPECT_FALSE(user_matches(R"(userName eq "bjensen" and title pr)", jsmith()));
  EXPECT_TRUE(user_matches(R"(userName eq "x" or userType eq "Intern")", jsmith()));
  // "and" first: x or (y and z). jsmith: userType Intern holds, title pr fails.
  EXPECT_TRUE(user_matches(R"(userType eq "Intern" or title pr and userName eq "nobody")", jsmith()));
  EXPECT_FALSE(user_matches(R"((userType eq "Intern" or title pr) and userName eq "nobody")", jsmith()));
}

// RFC 7643 §3.1 common attributes, RFC 7644 §3.4.2.2 meta.* examples.
TEST(Rfc7644_3_4_2_2_Filtering, CommonAttributes) {
  EXPECT_TRUE(user_matches(R"(externalId eq "701984")", bjensen()));
  EXPECT_FALSE(user_matches("externalId pr", jsmith()));
  EXPECT_TRUE(user_matches(R"(meta.resourceType eq "User")", bjensen()));
  EXPECT_TRUE(user_matches(R"(meta.location co "/Users/2819c223")", bjensen()));
  EXPECT_TRUE(user_matches(R"(meta.version eq "W/\"3694e05e9dff591\"")", bjensen()));
  EXPECT_TRUE(user_matches(R"(urn:ietf:params:scim:schemas:core:2.0:User:id pr)", bjensen()));
  EXPECT_TRUE(group_matches(R"(id eq "e9e30dba-f08f-4109-8486-d5c6a331660a")", tour_guides()));
  EXPECT_TRUE(group_matches(R"(schemas eq "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP")", tour_guides()));
  // A client may have stored the URN in another case: the stored side is folded too.
  json upper = jsmith();
  upper["schemas"].push_back("URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER");
  EXPECT_TRUE(user_matches(R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")", upper));
}

TEST(Rfc7644_3_4_2_2_Filtering, NullLiteral) {
  EXPECT_FALSE(user_matches("title eq null", bjensen()));
  EXPECT_TRUE(user_matches("title eq null", jsmith()));
  EXPECT_TRUE(user_matches("title ne null", bjensen()));
  EXPECT_FALSE(user_matches("title ne null", jsmith()));
}

TEST(Rfc7644_3_4_2_2_Filtering, LiteralOfAnotherTypeNeverEquals) {
  EXPECT_FALSE(user_matches("userName eq 5", bjensen()));
  EXPECT_TRUE(user_matches("userName ne 5", bjensen()));
  EXPECT_FALSE(user_matches("userName gt 5", bjensen()));
  EXPECT_FALSE(user_matches("userName eq true", bjensen()));
  json numeric = bjensen();
  numeric["title"] = 7;  // a stored value of the wrong type is not equal either
  EXPECT_FALSE(user_matches(R"(title eq "7")", numeric));
}

TEST(Rfc7644_3_4_2_2_Filtering, GroupMembers) {
  EXPECT_TRUE(group_matches(R"(displayName eq "tour guides")", tour_guides()));
  EXPECT_TRUE(group_matches(R"(members.value eq "902c246b-6245-4190-8e05-00816be7344a")", tour_guides()));
  EXPECT_FALSE(group_matches(R"(members.value eq "00000000-0000-0000-0000-000000000000")", tour_guides()));
  EXPECT_TRUE(group_matches(R"(members.$ref co "/Users/902c246b")", tour_guides()));
  EXPECT_TRUE(group_matches(R"(members[display sw "mandy"])", tour_guides()));
  json empty = tour_guides();
  empty["members"] = json::array();
  EXPECT_FALSE(group_matches("members pr", empty));
  EXPECT_TRUE(group_matches(R"(members.value ne "x")", empty));
}

// PATCH's value filters (RFC 7644 §3.5.2): members[value eq "..."], emails[type eq "work"].
TEST(Rfc7644_3_5_2_PatchPath, MatchesElement) {
  FilterEvaluator groups(registry(), resource_type(registry(), "Group"));
  const scim::AttributeDef* members = registry().find_schema(scim::urn::group)->find("members");
  ASSERT_NE(members, nullptr);
  const json group = tour_guides();
  scim::Filter bjensen_member = scim::parse_filter(R"(value eq "2819c223-7f76-453a-919d-413861904646")");
  EXPECT_TRUE(groups.matches_element(bjensen_member, *members, group["members"][0]));
  EXPECT_FALSE(groups.matches_element(bjensen_member, *members, group["members"][1]));
  EXPECT_TRUE(groups.matches_element(scim::parse_filter(R"(VALUE eq "902c246b-6245-4190-8e05-00816be7344a")"),
                                     *members, group["members"][1]));
  EXPECT_FALSE(groups.matches_element(scim::parse_filter(R"(bogus eq "x")"), *members, group["members"][0]));
  EXPECT_FALSE(groups.matches_element(scim::parse_filter("not (value pr)"), *members, group["members"][0]));

  FilterEvaluator users(registry(), resource_type(registry(), "User"));
  const scim::AttributeDef* emails = registry().find_schema(scim::urn::user)->find("emails");
  ASSERT_NE(emails, nullptr);
  CompiledFilter work = users.compile_element(scim::parse_filter(R"(type eq "work" and primary eq true)"), *emails);
  const json user = bjensen();
  EXPECT_TRUE(users.matches_element(work, user["emails"][0]));
  EXPECT_FALSE(users.matches_element(work, user["emails"][1]));

  for (const char* bad : {R"(emails.type eq "work")", R"(urn:ietf:params:scim:schemas:core:2.0:User:type eq "work")",
                          R"(primary gt true)"}) {
    SCOPED_TRACE(bad);
    try {
      users.matches_element(scim::parse_filter(bad), *emails, user["emails"][0]);
      ADD_FAILURE() << "accepted";
    } catch (const scim::Error& e) {
      EXPECT_EQ(e.scim_type(), scim::ScimType::invalid_filter);
    }
  }
}

// compile() once, evaluate many times: the verdicts are those of matches(Filter, ...).
TEST(Rfc7644_3_4_2_2_Filtering, CompiledFilterIsReusable) {
  FilterEvaluator evaluator(registry(), resource_type(registry(), "User"));
  const std::string text = R"(emails[type eq "work"] and (userType eq "Employee" or meta.lastModified gt "2011-12-01T00:00:00Z"))";
  CompiledFilter compiled = evaluator.compile(scim::parse_filter(text));
  CompiledFilter moved = std::move(compiled);
  for (const json& user : {bjensen(), jsmith(), contractor()})
    EXPECT_EQ(evaluator.matches(moved, user), evaluator.matches(scim::parse_filter(text), user));
  EXPECT_TRUE(evaluator.matches(moved, bjensen()));
  EXPECT_TRUE(evaluator.matches(moved, jsmith()));
  EXPECT_FALSE(evaluator.matches(moved, contractor()));
}

// A long or-chain of ids (a client batching lookups) evaluates without deep recursion.
TEST(Rfc7644_3_4_2_2_Filtering, LongChains) {
  std::string text = R"(id eq "0")";
  for (int i = 1; i < 1000; ++i) text += R"( or id eq ")" + std::to_string(i) + "\"";
  json user = jsmith();
  user["id"] = "999";
  EXPECT_TRUE(user_matches(text, user));
  user["id"] = "1000";
  EXPECT_FALSE(user_matches(text, user));
}

}  // namespace
}  // namespace refserver
