// The filter oracle against RFC 7644 §3.4.2.2: every operator, precedence, caseExact from the
// schema, multi-valued and value-path semantics, URN-qualified names, and the filters a server
// must refuse with 400 invalidFilter.
#include "suites/oracle/filter_oracle.hpp"

#include "scim/error.hpp"
#include "scim/filter.hpp"
#include "scim/schema.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using nlohmann::json;

const scim::SchemaRegistry& registry() {
  static const scim::SchemaRegistry schemas = scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas");
  return schemas;
}

const scim::ResourceTypeDef& user_type() { return *registry().find_resource_type("User"); }
const scim::ResourceTypeDef& group_type() { return *registry().find_resource_type("Group"); }

// Close to the full User of RFC 7643 §8.2, with values chosen so that each test below can tell a
// right evaluation from a plausible wrong one.
json bjensen() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "externalId": "701984",
    "userName": "bjensen@example.com",
    "name": {"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen", "givenName": "Barbara"},
    "displayName": "Babs Jensen",
    "title": "Tour Guide",
    "userType": "Employee",
    "active": true,
    "emails": [
      {"value": "bjensen@other.org", "type": "work", "primary": true},
      {"value": "babs@jensen.org", "type": "home"},
      {"value": "Barbara@Example.com", "type": "other"}
    ],
    "nickName": "",
    "ims": [],
    "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw"}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
      "employeeNumber": "701984",
      "costCenter": "4130",
      "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}
    },
    "meta": {
      "resourceType": "User",
      "created": "2010-01-23T04:56:22Z",
      "lastModified": "2011-05-13T04:42:34.5Z",
      "version": "W/\"3694e05e9dff591\"",
      "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"
    }
  })");
}

bool matches(const std::string& filter, const json& resource = bjensen(), const scim::ResourceTypeDef& type = user_type()) {
  return suites::filter_matches(scim::parse_filter(filter), resource, registry(), type);
}

// The filter must be refused with 400 invalidFilter whatever the data.
void expect_refused(const std::string& filter, const scim::ResourceTypeDef& type = user_type()) {
  SCOPED_TRACE(filter);
  try {
    suites::filter_matches(scim::parse_filter(filter), bjensen(), registry(), type);
    ADD_FAILURE() << "expected 400 invalidFilter";
  } catch (const scim::Error& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.scim_type(), scim::ScimType::invalid_filter);
    EXPECT_FALSE(e.detail().empty());
  }
}

// ---- Table 3: attribute operators ---------------------------------------------------------------

TEST(Rfc7644_3_4_2_2_AttributeOperators, Eq) {
  EXPECT_TRUE(matches(R"(title eq "Tour Guide")"));
  EXPECT_FALSE(matches(R"(title eq "Tour")"));
  EXPECT_FALSE(matches(R"(title eq "Tour Guide ")"));
}

TEST(Rfc7644_3_4_2_2_AttributeOperators, Ne) {
  EXPECT_TRUE(matches(R"(title ne "Tour")"));
  EXPECT_FALSE(matches(R"(title ne "tour guide")"));  // caseExact false: identical
}

TEST(Rfc7644_3_4_2_2_AttributeOperators, Co) {
  EXPECT_TRUE(matches(R"(title co "our G")"));
  EXPECT_TRUE(matches(R"(title co "Tour Guide")"));  // the whole value is a substring of itself
  EXPECT_FALSE(matches(R"(title co "Guides")"));
}

TEST(Rfc7644_3_4_2_2_AttributeOperators, Sw) {
  EXPECT_TRUE(matches(R"(title sw "Tour")"));
  EXPECT_TRUE(matches(R"(title sw "Tour Guide")"));  // "satisfied if the two strings are identical"
  EXPECT_FALSE(matches(R"(title sw "Guide")"));
  EXPECT_FALSE(matches(R"(title sw "Tour Guide and more")"));
}

TEST(Rfc7644_3_4_2_2_AttributeOperators, Ew) {
  EXPECT_TRUE(matches(R"(title ew "Guide")"));
  EXPECT_FALSE(matches(R"(title ew "Tour")"));
  EXPECT_FALSE(matches(R"(title ew "The Tour Guide")"));
}

TEST(Rfc7644_3_4_2_2_AttributeOperators, PrOnAssignedValues) {
  EXPECT_TRUE(matches("title pr"));
  EXPECT_TRUE(matches("name pr"));    // a non-empty complex node
  EXPECT_TRUE(matches("emails pr"));
  EXPECT_TRUE(matches("active pr"));  // false would still be a value; true certainly is
}

// pr: "If the attribute has a non-empty value, or if it contains a non-empty node for complex
// attributes, there is a match."
TEST(Rfc7644_3_4_2_2_AttributeOperators, PrFalseForUnassignedNullEmptyArrayAndEmptyObject) {
  json user = bjensen();
  user["profileUrl"] = nullptr;
  user["addresses"] = json::array();
  user["name"] = json::object();
  EXPECT_FALSE(matches("locale pr", user));      // absent
  EXPECT_FALSE(matches("profileUrl pr", user));  // null
  EXPECT_FALSE(matches("addresses pr", user));   // []
  EXPECT_FALSE(matches("ims pr", user));         // []
  EXPECT_FALSE(matches("name pr", user));        // {}
  EXPECT_FALSE(matches("nickName pr", user));    // ""
  user["name"] = json{{"givenName", nullptr}};
  EXPECT_FALSE(matches("name pr", user));  // an object holding only null
}

TEST(Rfc7644_3_4_2_2_AttributeOperators, GtGeLtLeOnStringsAreLexicographic) {
  EXPECT_TRUE(matches(R"(title gt "Tour")"));
  EXPECT_FALSE(matches(R"(title gt "Tour Guide")"));
  EXPECT_TRUE(matches(R"(title ge "Tour Guide")"));
  EXPECT_TRUE(matches(R"(title lt "Tour Guidf")"));
  EXPECT_FALSE(matches(R"(title lt "Tour Guide")"));
  EXPECT_TRUE(matches(R"(title le "Tour Guide")"));
  EXPECT_FALSE(matches(R"(title le "Tour")"));
  // caseExact false: "tour guide" and "TOUR GUIDE" order like "Tour Guide".
  EXPECT_TRUE(matches(R"(title ge "TOUR GUIDE")"));
  EXPECT_TRUE(matches(R"(title le "tour guide")"));
  EXPECT_FALSE(matches(R"(title gt "tour guide")"));
}

TEST(Rfc7644_3_4_2_2_AttributeOperators, OperatorsApplyToSubAttributes) {
  EXPECT_TRUE(matches(R"(name.familyName eq "Jensen")"));
  EXPECT_TRUE(matches(R"(name.givenName sw "Barb")"));
  EXPECT_FALSE(matches(R"(name.familyName co "O'Malley")"));
  EXPECT_FALSE(matches(R"(name.middleName pr)"));
}

// "The actual comparison is dependent on the attribute type ... for DateTime types, it is a
// chronological comparison."
TEST(Rfc7644_3_4_2_2_AttributeOperators, DateTimeComparesChronologically) {
  // Stored "…34.5Z" is later than "…34Z", though '.' sorts before 'Z' as text.
  EXPECT_TRUE(matches(R"(meta.lastModified gt "2011-05-13T04:42:34Z")"));
  EXPECT_FALSE(matches(R"(meta.lastModified lt "2011-05-13T04:42:34Z")"));
  // The same instant written in another zone is equal, and an earlier instant that sorts later
  // as text is still earlier.
  EXPECT_TRUE(matches(R"(meta.lastModified eq "2011-05-13T06:42:34.500+02:00")"));
  EXPECT_TRUE(matches(R"(meta.lastModified gt "2011-05-13T05:00:00+01:00")"));
  EXPECT_TRUE(matches(R"(meta.created ge "2010-01-23T04:56:22Z")"));
  EXPECT_TRUE(matches(R"(meta.created le "2010-01-23T04:56:22Z")"));
  EXPECT_FALSE(matches(R"(meta.created lt "2010-01-23T04:56:22Z")"));
  EXPECT_FALSE(matches(R"(meta.created gt "2011-01-01T00:00:00Z")"));
}

TEST(Rfc7644_3_4_2_2_AttributeOperators, BooleansCompareWithEqAndNe) {
  EXPECT_TRUE(matches("active eq true"));
  EXPECT_FALSE(matches("active eq false"));
  EXPECT_TRUE(matches("active ne false"));
  EXPECT_TRUE(matches("emails.primary eq true"));
  json inactive = bjensen();
  inactive["active"] = false;
  EXPECT_TRUE(matches("active eq false", inactive));
  EXPECT_FALSE(matches("active eq true", inactive));
}

// Numbers: no attribute of the RFC 7643 User or Group is numeric, so a schema with one is built.
TEST(Rfc7644_3_4_2_2_AttributeOperators, NumbersCompareNumerically) {
  scim::AttributeDef attribute;
  attribute.name = "scores";
  attribute.type = scim::AttributeType::complex;
  attribute.multi_valued = true;
  scim::AttributeDef points;
  points.name = "points";
  points.type = scim::AttributeType::integer;
  attribute.sub_attributes = {points};
  const json element = {{"points", 9}};
  auto inner = [&](const std::string& text) { return scim::parse_filter("scores[" + text + "]").children.at(0); };
  EXPECT_TRUE(suites::element_matches(inner("points lt 10"), element, attribute));
  EXPECT_FALSE(suites::element_matches(inner("points gt 10"), element, attribute));  // "9" > "10" as text
  EXPECT_TRUE(suites::element_matches(inner("points ge 9.0"), element, attribute));
  EXPECT_TRUE(suites::element_matches(inner("points eq 9"), element, attribute));
  EXPECT_THROW(suites::element_matches(inner("points co 9"), element, attribute), scim::Error);
  EXPECT_THROW(suites::element_matches(inner("points eq \"9\""), element, attribute), scim::Error);
}

// ---- caseExact (RFC 7644 §3.4.2.2 "the case sensitivity for String type attributes SHALL be
// determined by the attribute's "caseExact" characteristic") -------------------------------------

TEST(Rfc7644_3_4_2_2_CaseExact, UserNameIsCaseInsensitive) {
  EXPECT_TRUE(matches(R"(userName eq "BJENSEN@example.COM")"));
  EXPECT_TRUE(matches(R"(userName sw "BJensen")"));
  EXPECT_TRUE(matches(R"(userName ew "EXAMPLE.COM")"));
  EXPECT_TRUE(matches(R"(userName co "JENSEN@")"));
}

TEST(Rfc7644_3_4_2_2_CaseExact, EmailsValueIsCaseInsensitive) {
  EXPECT_TRUE(matches(R"(emails.value eq "barbara@example.com")"));
  EXPECT_TRUE(matches(R"(emails[value eq "BABS@JENSEN.ORG"])"));
}

TEST(Rfc7644_3_4_2_2_CaseExact, IdAndExternalIdAreCaseExact) {
  EXPECT_TRUE(matches(R"(id eq "2819c223-7f76-453a-919d-413861904646")"));
  EXPECT_FALSE(matches(R"(id eq "2819C223-7F76-453A-919D-413861904646")"));
  EXPECT_FALSE(matches(R"(id sw "2819C223")"));
  json user = bjensen();
  user["externalId"] = "AbC-701984";
  EXPECT_TRUE(matches(R"(externalId eq "AbC-701984")", user));
  EXPECT_FALSE(matches(R"(externalId eq "abc-701984")", user));
  EXPECT_TRUE(matches(R"(externalId ne "abc-701984")", user));
}

TEST(Rfc7644_3_4_2_2_CaseExact, AttributeNamesAndOperatorsAreCaseInsensitive) {
  EXPECT_TRUE(matches(R"(USERNAME EQ "bjensen@example.com")"));
  EXPECT_TRUE(matches(R"(Name.FamilyName Eq "Jensen")"));
  EXPECT_TRUE(matches(R"(EMAILS[TYPE eq "work"])"));
  json odd_keys = bjensen();
  odd_keys["USERNAME"] = odd_keys["userName"];
  odd_keys.erase("userName");
  EXPECT_TRUE(matches(R"(userName eq "bjensen@example.com")", odd_keys));
}

// ---- logical operators and precedence (Table 4; "and" binds tighter than "or", "not" tighter
// than both) -------------------------------------------------------------------------------------

TEST(Rfc7644_3_4_2_2_LogicalOperators, AndOrNot) {
  EXPECT_TRUE(matches(R"(title pr and userType eq "Employee")"));
  EXPECT_FALSE(matches(R"(title pr and userType eq "Intern")"));
  EXPECT_TRUE(matches(R"(title pr or userType eq "Intern")"));
  EXPECT_FALSE(matches(R"(locale pr or userType eq "Intern")"));
  EXPECT_TRUE(matches(R"(not (userType eq "Intern"))"));
  EXPECT_FALSE(matches(R"(not (userType eq "Employee"))"));
}

TEST(Rfc7644_3_4_2_2_Precedence, AndBindsTighterThanOr) {
  // A or B and C with A true, B true, C false: A or (B and C) is true, (A or B) and C false.
  EXPECT_TRUE(matches(R"(title pr or userType eq "Employee" and locale pr)"));
  // A and B or C with A false, C true: (A and B) or C is true, A and (B or C) false.
  EXPECT_TRUE(matches(R"(locale pr and title pr or userType eq "Employee")"));
  // Parentheses override.
  EXPECT_FALSE(matches(R"((title pr or userType eq "Employee") and locale pr)"));
}

TEST(Rfc7644_3_4_2_2_Precedence, NotAppliesOnlyToItsGroup) {
  // not (A) or B with A true, B true: true; not (A or B) would be false.
  EXPECT_TRUE(matches(R"(not (title pr) or userType eq "Employee")"));
  EXPECT_FALSE(matches(R"(not (title pr or userType eq "Employee"))"));
  // not (A) and B with A false, B true.
  EXPECT_TRUE(matches(R"(not (locale pr) and title pr)"));
}

// RFC 7644 §3.4.2.2 examples.
TEST(Rfc7644_3_4_2_2_Examples, ComplexExamplesOfTheRfc) {
  json user = bjensen();
  EXPECT_TRUE(matches(R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))", user));
  EXPECT_FALSE(matches(R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))", user));
  EXPECT_TRUE(matches(R"(userType eq "Employee" and (emails.type eq "work"))", user));
  EXPECT_TRUE(matches(R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bj")", user));
  EXPECT_TRUE(matches(R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")", user));
}

// ---- multi-valued attributes and value paths ------------------------------------------------------

// "the filter matches if any of the values of the specified attribute match"
TEST(Rfc7644_3_4_2_2_MultiValued, AnyValueMatches) {
  EXPECT_TRUE(matches(R"(emails.type eq "home")"));
  EXPECT_TRUE(matches(R"(emails.value ew "jensen.org")"));
  EXPECT_FALSE(matches(R"(emails.type eq "pager")"));
  // A complex attribute compared without a sub-attribute compares "value" (the RFC's own
  // example `emails co "example.com"`).
  EXPECT_TRUE(matches(R"(emails co "jensen.org")"));
  EXPECT_TRUE(matches(R"(emails eq "babs@jensen.org")"));
  EXPECT_FALSE(matches(R"(emails eq "home")"));
}

TEST(Rfc7644_3_4_2_2_MultiValued, NeMatchesWhenAnyValueDiffers) {
  EXPECT_TRUE(matches(R"(emails.type ne "work")"));  // "home" differs
  json one = bjensen();
  one["emails"] = json::array({{{"value", "a@b.c"}, {"type", "work"}}});
  EXPECT_FALSE(matches(R"(emails.type ne "work")", one));
}

TEST(Rfc7644_3_4_2_2_ValuePath, ConditionsHoldOnOneAndTheSameValue) {
  // The work address is at other.org and an example.com address is "other": as separate
  // conditions both hold, inside [...] no single value satisfies both.
  EXPECT_TRUE(matches(R"(emails.type eq "work" and emails.value co "@example.com")"));
  EXPECT_FALSE(matches(R"(emails[type eq "work" and value co "@example.com"])"));
  EXPECT_TRUE(matches(R"(emails[type eq "other" and value co "@example.com"])"));
  EXPECT_TRUE(matches(R"(emails[type eq "work" and value co "@other.org"])"));
}

TEST(Rfc7644_3_4_2_2_ValuePath, InnerLogicAndOuterCombination) {
  EXPECT_TRUE(matches(R"(emails[type eq "pager" or primary eq true])"));
  EXPECT_TRUE(matches(R"(emails[not (type eq "work") and value sw "babs"])"));
  EXPECT_FALSE(matches(R"(emails[type eq "work" and not (primary eq true)])"));
  EXPECT_TRUE(matches(R"(userType eq "Employee" and emails[type eq "home"])"));
  EXPECT_TRUE(matches(R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"] or userName pr)"));
  EXPECT_FALSE(matches(R"(ims[type eq "xmpp"])"));
  EXPECT_FALSE(matches(R"(phoneNumbers[value pr])"));
}

TEST(Rfc7644_3_4_2_2_ValuePath, GroupMembers) {
  const json group = json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "e9e30dba", "displayName": "Tour Guides",
    "members": [{"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen", "type": "User"},
                {"value": "902c246b-6245-4190-8e05-00816be7344a", "type": "User"}]})");
  EXPECT_TRUE(matches(R"(members[value eq "902c246b-6245-4190-8e05-00816be7344a"])", group, group_type()));
  EXPECT_TRUE(matches(R"(members.value eq "2819c223-7f76-453a-919d-413861904646")", group, group_type()));
  EXPECT_FALSE(matches(R"(members[value eq "nobody"])", group, group_type()));
  EXPECT_TRUE(matches(R"(displayName eq "TOUR GUIDES")", group, group_type()));
}

// ---- attribute notation (RFC 7644 §3.10) and common attributes ------------------------------------

TEST(Rfc7644_3_10_AttributeNotation, UrnQualifiedCoreAndExtensionAttributes) {
  EXPECT_TRUE(matches(R"(urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "jensen")"));
  EXPECT_TRUE(matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984")"));
  EXPECT_FALSE(matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701985")"));
  EXPECT_TRUE(matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d")"));
  EXPECT_TRUE(matches(R"(URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:costCenter sw "41")"));
  EXPECT_FALSE(matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr)"));
  // The extension attribute is not a core one: its value lives below the URN.
  json flat = bjensen();
  flat.erase("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
  flat["employeeNumber"] = "701984";
  EXPECT_FALSE(matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr)", flat));
}

TEST(Rfc7644_3_10_AttributeNotation, UnqualifiedExtensionAttributeResolvesToItsExtension) {
  EXPECT_TRUE(matches(R"(employeeNumber eq "701984")"));
  EXPECT_TRUE(matches(R"(manager.value pr)"));
}

TEST(Rfc7643_3_1_CommonAttributes, IdExternalIdMetaAndSchemasAreFilterable) {
  EXPECT_TRUE(matches(R"(externalId eq "701984")"));
  EXPECT_TRUE(matches(R"(meta.resourceType eq "User")"));
  EXPECT_FALSE(matches(R"(meta.resourceType eq "user")"));  // caseExact
  EXPECT_TRUE(matches(R"(meta.location sw "https://example.com/v2/Users/")"));
  EXPECT_TRUE(matches(R"(meta.version pr)"));
  EXPECT_TRUE(matches(R"(schemas eq "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER")"));
  EXPECT_FALSE(matches(R"(schemas eq "urn:ietf:params:scim:schemas:core:2.0:Group")"));
}

// RFC 7643 §2.5: null and unassigned are one state.
TEST(Rfc7644_3_4_2_2_Null, EqNullMeansUnassigned) {
  EXPECT_TRUE(matches("locale eq null"));
  EXPECT_FALSE(matches("title eq null"));
  EXPECT_TRUE(matches("title ne null"));
  EXPECT_FALSE(matches("locale ne null"));
  EXPECT_TRUE(matches(R"(locale ne "en-US")"));  // nothing unassigned equals a value
}

// ---- filters a server must refuse ----------------------------------------------------------------

TEST(Rfc7644_3_4_2_2_InvalidFilter, UnknownAttributes) {
  expect_refused(R"(nosuch eq "x")");
  expect_refused(R"(name.nosuch eq "x")");
  expect_refused(R"(emails[nosuch eq "x"])");
  expect_refused(R"(urn:example:unknown:2.0:User:userName eq "x")");
  expect_refused(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:nosuch eq "x")");
  expect_refused(R"(members pr)");  // a Group attribute, not a User one
  expect_refused(R"(userName pr)", group_type());
}

// Refused whatever the data, even where evaluation would short-circuit before reaching it.
TEST(Rfc7644_3_4_2_2_InvalidFilter, RefusedEvenBehindShortCircuit) {
  expect_refused(R"(userName pr or nosuch eq "x")");
  expect_refused(R"(locale pr and active gt true)");
}

// gt/ge/lt/le: "Boolean and Binary attributes SHALL cause a failed response (HTTP 400 Bad Request)
// with a scimType of "invalidFilter"."
TEST(Rfc7644_3_4_2_2_InvalidFilter, OrderingOnBooleanOrBinary) {
  for (const char* op : {"gt", "ge", "lt", "le"}) {
    expect_refused(std::string("active ") + op + " true");
    expect_refused(std::string("emails.primary ") + op + " false");
    expect_refused(std::string("x509Certificates.value ") + op + " \"MII\"");
  }
}

TEST(Rfc7644_3_4_2_2_InvalidFilter, BooleansOnlyEqAndNe) {
  expect_refused(R"(active co "t")");
  expect_refused(R"(active sw "t")");
  expect_refused(R"(active ew "e")");
  expect_refused(R"(active eq "true")");  // a string is not a boolean
}

TEST(Rfc7644_3_4_2_2_InvalidFilter, IncomparableValues) {
  expect_refused(R"(name eq "Barbara")");                    // complex without "value"
  expect_refused(R"(meta.lastModified gt "yesterday")");     // not a dateTime
  expect_refused(R"(userName eq 42)");                       // number for a string
  expect_refused(R"(title gt null)");                        // null orders nothing
  expect_refused(R"(userName[value eq "x"])");               // [...] on a single simple value
}

// RFC 7643 §2.3.6: "A binary value is case exact", although the §8.7.1 listing gives
// x509Certificates.value caseExact false; equality still applies to binary.
TEST(Rfc7643_2_3_6_Binary, EqualityIsCaseExact) {
  EXPECT_TRUE(matches(R"(x509Certificates.value eq "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw")"));
  EXPECT_FALSE(matches(R"(x509Certificates.value eq "miidqzccaqygawibagicEAAwDQYJKoZIhvcNAQEFBQAw")"));
  EXPECT_TRUE(matches(R"(x509Certificates.value sw "MIID")"));
  EXPECT_FALSE(matches(R"(x509Certificates.value sw "miid")"));
}

TEST(Rfc7643_2_3_5_DateTime, ParsesZonesAndFractions) {
  auto a = suites::parse_date_time("2011-05-13T04:42:34Z");
  auto b = suites::parse_date_time("2011-05-13T06:42:34+02:00");
  auto c = suites::parse_date_time("2011-05-13T04:42:34.250Z");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*c - *a, 250000000LL);
  EXPECT_EQ(*suites::parse_date_time("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*suites::parse_date_time("1970-01-02T00:00:00Z"), 86400LL * 1000000000LL);
  EXPECT_FALSE(suites::parse_date_time("2011-05-13"));
  EXPECT_FALSE(suites::parse_date_time("2011-13-13T04:42:34Z"));
  EXPECT_FALSE(suites::parse_date_time("2011-05-13T04:42:34Zjunk"));
}

}  // namespace
