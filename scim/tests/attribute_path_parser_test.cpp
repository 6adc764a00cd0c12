// Attribute paths (RFC 7644 §3.10) and PATCH paths (RFC 7644 §3.5.2).
#include "scim/attribute_path.hpp"
#include "scim/error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

// The tree shape, fully parenthesised, printed here rather than by scim::to_string so the
// tables check the parser's structure whatever bracket style to_string uses.
std::string shape(const scim::Filter& f) {
  switch (f.kind) {
    case scim::Filter::Kind::logical_and: return "(" + shape(f.children.at(0)) + " and " + shape(f.children.at(1)) + ")";
    case scim::Filter::Kind::logical_or: return "(" + shape(f.children.at(0)) + " or " + shape(f.children.at(1)) + ")";
    case scim::Filter::Kind::logical_not: return "not(" + shape(f.children.at(0)) + ")";
    case scim::Filter::Kind::value_path: return scim::to_string(f.path) + "[" + shape(f.children.at(0)) + "]";
    case scim::Filter::Kind::compare:
      if (f.op == scim::CompareOp::pr) return "(" + scim::to_string(f.path) + " pr)";
      return "(" + scim::to_string(f.path) + " " + std::string(scim::to_string(f.op)) + " " + f.value.dump() + ")";
  }
  return "?";
}

constexpr const char* core_user = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* enterprise_user = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

// RFC 7644 §3.10: attrPath = [URI ":"] ATTRNAME *1subAttr
TEST(Rfc7644_3_10_AttributeNotation, SimpleName) {
  scim::AttributePath p = scim::parse_attribute_path("userName");
  EXPECT_EQ(p.urn, "");
  EXPECT_EQ(p.attribute, "userName");
  EXPECT_EQ(p.sub_attribute, "");
}

TEST(Rfc7644_3_10_AttributeNotation, SubAttribute) {
  scim::AttributePath p = scim::parse_attribute_path("name.familyName");
  EXPECT_EQ(p.attribute, "name");
  EXPECT_EQ(p.sub_attribute, "familyName");
  EXPECT_EQ(scim::to_string(p), "name.familyName");
}

TEST(Rfc7644_3_10_AttributeNotation, CoreUrnQualified) {
  scim::AttributePath p = scim::parse_attribute_path(std::string(core_user) + ":userName");
  EXPECT_EQ(p.urn, core_user);
  EXPECT_EQ(p.attribute, "userName");
  EXPECT_EQ(p.sub_attribute, "");
}

// The URN contains "2.0": the URN ends at the last ':' so the dot in it is not a sub-attribute.
TEST(Rfc7644_3_10_AttributeNotation, EnterpriseUrnWithVersionDot) {
  scim::AttributePath p = scim::parse_attribute_path(std::string(enterprise_user) + ":employeeNumber");
  EXPECT_EQ(p.urn, enterprise_user);
  EXPECT_EQ(p.attribute, "employeeNumber");
  EXPECT_EQ(p.sub_attribute, "");
}

TEST(Rfc7644_3_10_AttributeNotation, EnterpriseManagerValue) {
  const std::string text = std::string(enterprise_user) + ":manager.value";
  scim::AttributePath p = scim::parse_attribute_path(text);
  EXPECT_EQ(p.urn, enterprise_user);
  EXPECT_EQ(p.attribute, "manager");
  EXPECT_EQ(p.sub_attribute, "value");
  EXPECT_EQ(scim::to_string(p), text);
}

// RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar); "$ref" is reserved (RFC 7643 §2.3.7).
TEST(Rfc7643_2_1_AttributeNames, NameCharactersAndRef) {
  EXPECT_EQ(scim::parse_attribute_path("x509Certificates").attribute, "x509Certificates");
  EXPECT_EQ(scim::parse_attribute_path("a-b_c").attribute, "a-b_c");
  EXPECT_EQ(scim::parse_attribute_path("members.$ref").sub_attribute, "$ref");
}

void expect_path_error(const std::string& text, scim::ScimType type) {
  SCOPED_TRACE("path: '" + text + "'");
  try {
    scim::parse_attribute_path(text, type);
    ADD_FAILURE() << "accepted";
  } catch (const scim::Error& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.scim_type(), type);
  }
}

TEST(Rfc7644_3_10_AttributeNotation, InvalidPathsAreRefused) {
  const char* cases[] = {"", "1abc", "-x", "user name", "name.", ".name", "name.given.x", "name.1x",
                         "urn:", "urn:x", "urn:a:b:", "foo:bar", "emails[type eq \"work\"]", "a/b"};
  for (const char* text : cases) expect_path_error(text, scim::ScimType::invalid_path);
}

TEST(Rfc7644_3_10_AttributeNotation, ErrorTypeIsTheCallersChoice) {
  expect_path_error("1abc", scim::ScimType::invalid_filter);
  expect_path_error("1abc", scim::ScimType::invalid_value);
}

// RFC 7644 §3.5.2: PATH = attrPath / valuePath [subAttr]
TEST(Rfc7644_3_5_2_PatchPath, PlainAttribute) {
  scim::PatchPath p = scim::parse_patch_path("name.givenName");
  EXPECT_EQ(p.attribute.attribute, "name");
  EXPECT_EQ(p.attribute.sub_attribute, "givenName");
  EXPECT_FALSE(p.value_filter.has_value());
  EXPECT_EQ(p.filtered_sub_attribute, "");
}

TEST(Rfc7644_3_5_2_PatchPath, MembersValueFilter) {
  scim::PatchPath p = scim::parse_patch_path(R"(members[value eq "2819c223-7f76-453a-919d-413861904646"])");
  EXPECT_EQ(p.attribute.attribute, "members");
  EXPECT_EQ(p.attribute.sub_attribute, "");
  ASSERT_TRUE(p.value_filter.has_value());
  EXPECT_EQ(shape(*p.value_filter), R"((value eq "2819c223-7f76-453a-919d-413861904646"))");
  EXPECT_EQ(p.filtered_sub_attribute, "");
}

TEST(Rfc7644_3_5_2_PatchPath, FilterThenSubAttribute) {
  scim::PatchPath p = scim::parse_patch_path(R"(emails[type eq "work"].value)");
  EXPECT_EQ(p.attribute.attribute, "emails");
  ASSERT_TRUE(p.value_filter.has_value());
  EXPECT_EQ(shape(*p.value_filter), R"((type eq "work"))");
  EXPECT_EQ(p.filtered_sub_attribute, "value");
}

TEST(Rfc7644_3_5_2_PatchPath, LogicalFilterAndQuotedBracket) {
  scim::PatchPath p = scim::parse_patch_path(R"(addresses[type eq "wo]rk" and primary eq true].streetAddress)");
  EXPECT_EQ(p.attribute.attribute, "addresses");
  ASSERT_TRUE(p.value_filter.has_value());
  EXPECT_EQ(shape(*p.value_filter), R"(((type eq "wo]rk") and (primary eq true)))");
  EXPECT_EQ(p.filtered_sub_attribute, "streetAddress");
}

TEST(Rfc7644_3_5_2_PatchPath, EnterpriseManagerValue) {
  scim::PatchPath p = scim::parse_patch_path(std::string(enterprise_user) + ":manager.value");
  EXPECT_EQ(p.attribute.urn, enterprise_user);
  EXPECT_EQ(p.attribute.attribute, "manager");
  EXPECT_EQ(p.attribute.sub_attribute, "value");
  EXPECT_FALSE(p.value_filter.has_value());
}

TEST(Rfc7644_3_5_2_PatchPath, UrnQualifiedValuePath) {
  scim::PatchPath p = scim::parse_patch_path(std::string(core_user) + R"(:emails[type eq "home"].display)");
  EXPECT_EQ(p.attribute.urn, core_user);
  EXPECT_EQ(p.attribute.attribute, "emails");
  ASSERT_TRUE(p.value_filter.has_value());
  EXPECT_EQ(p.filtered_sub_attribute, "display");
}

// RFC 7644 §3.5.2: "invalidPath" when "The "path" attribute was invalid or malformed".
TEST(Rfc7644_3_5_2_PatchPath, MalformedPathsAreInvalidPath) {
  const char* cases[] = {
      "",
      "1abc",
      R"(emails[type eq "work")",
      R"(emails[type eq "work"]value)",
      R"(emails[type eq "work"].)",
      R"(emails[type eq "work"].1x)",
      R"(emails[type eq "work"].value.x)",
      R"(emails[])",
      R"(emails[type eq])",
      R"(emails[type eq work])",
      R"(emails[type eq "work" and])",
      R"(name.givenName[value pr])",
      R"([type eq "work"])",
      R"(emails[type eq "unterminated])",
      "name..givenName",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(std::string("path: '") + text + "'");
    try {
      scim::parse_patch_path(text);
      ADD_FAILURE() << "accepted";
    } catch (const scim::Error& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_EQ(e.scim_type(), scim::ScimType::invalid_path);
    }
  }
}

}  // namespace
