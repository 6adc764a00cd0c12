// Attribute paths (RFC 7644 §3.10, RFC 7643 §2.1 ATTRNAME) and PATCH paths (RFC 7644 §3.5.2).
#include "scim/attribute_path.hpp"
#include "scim/urns.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace scim {
namespace {

Error path_error(const std::string& text, ScimType type) {
  try {
    AttributePath path = parse_attribute_path(text, type);
    ADD_FAILURE() << "'" << text << "' parsed as " << to_string(path);
  } catch (const Error& e) {
    return e;
  }
  return Error(0, ScimType::none, "");
}

Error patch_error(const std::string& text) {
  try {
    PatchPath path = parse_patch_path(text);
    ADD_FAILURE() << "'" << text << "' parsed as " << to_string(path.attribute);
  } catch (const Error& e) {
    return e;
  }
  return Error(0, ScimType::none, "");
}

TEST(Rfc7644_3_10_AttributeNotation, SimpleAndSubAttributes) {
  AttributePath simple = parse_attribute_path("userName");
  EXPECT_EQ(simple.urn, "");
  EXPECT_EQ(simple.attribute, "userName");
  EXPECT_EQ(simple.sub_attribute, "");

  AttributePath sub = parse_attribute_path("name.familyName");
  EXPECT_EQ(sub.attribute, "name");
  EXPECT_EQ(sub.sub_attribute, "familyName");

  // RFC 7643 §2.1: nameChar = "-" / "_" / DIGIT / ALPHA.
  AttributePath chars = parse_attribute_path("x509Certificates.value-2_b");
  EXPECT_EQ(chars.attribute, "x509Certificates");
  EXPECT_EQ(chars.sub_attribute, "value-2_b");
}

// RFC 7643 §2.3.7: "$ref" names the reference sub-attribute of members, groups, manager.
TEST(Rfc7644_3_10_AttributeNotation, DollarRefIsAName) {
  AttributePath ref = parse_attribute_path("members.$ref");
  EXPECT_EQ(ref.attribute, "members");
  EXPECT_EQ(ref.sub_attribute, "$ref");
  EXPECT_EQ(parse_attribute_path("$ref").attribute, "$ref");
  EXPECT_EQ(path_error("members.$other", ScimType::invalid_path).status(), 400);
}

// RFC 7644 §3.10: "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName".
TEST(Rfc7644_3_10_AttributeNotation, FullyQualifiedPaths) {
  AttributePath core = parse_attribute_path("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName");
  EXPECT_EQ(core.urn, urn::user);
  EXPECT_EQ(core.attribute, "name");
  EXPECT_EQ(core.sub_attribute, "familyName");

  AttributePath number = parse_attribute_path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber");
  EXPECT_EQ(number.urn, urn::enterprise_user);
  EXPECT_EQ(number.attribute, "employeeNumber");
  EXPECT_EQ(number.sub_attribute, "");

  // The URN holds '.' ("2.0"); only the part after the last ':' is split at '.'.
  AttributePath manager = parse_attribute_path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
  EXPECT_EQ(manager.urn, urn::enterprise_user);
  EXPECT_EQ(manager.attribute, "manager");
  EXPECT_EQ(manager.sub_attribute, "value");

  AttributePath upper = parse_attribute_path("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:USERNAME");
  EXPECT_EQ(upper.urn, "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER");
  EXPECT_EQ(upper.attribute, "USERNAME");
}

TEST(Rfc7644_3_10_AttributeNotation, ToStringRoundTrips) {
  for (std::string text : {"userName", "name.familyName", "members.$ref",
                           "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
                           "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}) {
    EXPECT_EQ(to_string(parse_attribute_path(text)), text);
  }
}

TEST(Rfc7644_3_10_AttributeNotation, InvalidPathsUseTheCallersScimType) {
  const std::vector<std::string> invalid = {
      "",
      "1name",
      "-name",
      "name.",
      ".name",
      "name..givenName",
      "name.givenName.first",
      "user name",
      "userName ",
      "emails[type eq \"work\"]",
      "a:b",
      "urn:userName",
      "urn:ietf:params:scim:schemas:core:2.0:User:",
      "urn:ietf:params:scim:schemas:core:2.0:User:1x",
      "name.1x",
      "na%me",
  };
  for (ScimType type : {ScimType::invalid_path, ScimType::invalid_filter, ScimType::invalid_value}) {
    for (const auto& text : invalid) {
      SCOPED_TRACE(text);
      Error error = path_error(text, type);
      EXPECT_EQ(error.status(), 400);
      EXPECT_EQ(error.scim_type(), type);
      EXPECT_NE(error.detail().find("is not an attribute path"), std::string::npos) << error.detail();
    }
  }
  EXPECT_EQ(path_error("x.y.z", ScimType::invalid_path).detail(),
            "'x.y.z' is not an attribute path: SCIM paths have at most one sub-attribute level (attribute.subAttribute)");
}

// RFC 7644 §3.5.2: PATH = attrPath / valuePath [subAttr].
TEST(Rfc7644_3_5_2_PatchPath, PlainAttributePaths) {
  PatchPath plain = parse_patch_path("displayName");
  EXPECT_EQ(plain.attribute.attribute, "displayName");
  EXPECT_FALSE(plain.value_filter.has_value());
  EXPECT_EQ(plain.filtered_sub_attribute, "");

  PatchPath sub = parse_patch_path("name.givenName");
  EXPECT_EQ(sub.attribute.attribute, "name");
  EXPECT_EQ(sub.attribute.sub_attribute, "givenName");
  EXPECT_FALSE(sub.value_filter.has_value());

  PatchPath manager = parse_patch_path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager");
  EXPECT_EQ(manager.attribute.urn, urn::enterprise_user);
  EXPECT_EQ(manager.attribute.attribute, "manager");
  EXPECT_EQ(manager.attribute.sub_attribute, "");

  PatchPath manager_value = parse_patch_path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
  EXPECT_EQ(manager_value.attribute.urn, urn::enterprise_user);
  EXPECT_EQ(manager_value.attribute.attribute, "manager");
  EXPECT_EQ(manager_value.attribute.sub_attribute, "value");
}

// RFC 7644 §3.5.2.2 example: "path":"members[value eq \"2819c223-7f76-...\"]".
TEST(Rfc7644_3_5_2_PatchPath, ValueFilter) {
  PatchPath member = parse_patch_path(R"(members[value eq "2819c223-7f76-453a-919d-413861904646"])");
  EXPECT_EQ(member.attribute.attribute, "members");
  EXPECT_EQ(member.attribute.sub_attribute, "");
  ASSERT_TRUE(member.value_filter.has_value());
  EXPECT_EQ(member.value_filter->kind, Filter::Kind::compare);
  EXPECT_EQ(member.value_filter->path.attribute, "value");
  EXPECT_EQ(member.value_filter->op, CompareOp::eq);
  EXPECT_EQ(member.value_filter->value, "2819c223-7f76-453a-919d-413861904646");
  EXPECT_EQ(member.filtered_sub_attribute, "");
}

// RFC 7644 §3.5.2.3 example: "path":"addresses[type eq \"work\"].streetAddress".
TEST(Rfc7644_3_5_2_PatchPath, ValueFilterThenSubAttribute) {
  PatchPath email = parse_patch_path(R"(emails[type eq "work"].value)");
  EXPECT_EQ(email.attribute.attribute, "emails");
  ASSERT_TRUE(email.value_filter.has_value());
  EXPECT_EQ(to_string(*email.value_filter), R"(type eq "work")");
  EXPECT_EQ(email.filtered_sub_attribute, "value");

  PatchPath complex = parse_patch_path(R"(emails[type eq "work" and value ew "@example.com"].display)");
  ASSERT_TRUE(complex.value_filter.has_value());
  EXPECT_EQ(to_string(*complex.value_filter), R"((type eq "work" and value ew "@example.com"))");
  EXPECT_EQ(complex.filtered_sub_attribute, "display");

  PatchPath qualified = parse_patch_path(R"(urn:ietf:params:scim:schemas:core:2.0:User:addresses[type eq "work"].streetAddress)");
  EXPECT_EQ(qualified.attribute.urn, urn::user);
  EXPECT_EQ(qualified.attribute.attribute, "addresses");
  EXPECT_EQ(qualified.filtered_sub_attribute, "streetAddress");

  // A ']' inside the quoted value does not close the filter.
  PatchPath bracket = parse_patch_path(R"(members[display eq "team ]["].value)");
  ASSERT_TRUE(bracket.value_filter.has_value());
  EXPECT_EQ(bracket.value_filter->value, "team ][");
  EXPECT_EQ(bracket.filtered_sub_attribute, "value");

  PatchPath ref = parse_patch_path(R"(members[value eq "1"].$ref)");
  EXPECT_EQ(ref.filtered_sub_attribute, "$ref");
}

// RFC 7644 §3.5.2: "If the target location path specifies an attribute that does not exist
// ... invalidPath" / Table 9 invalidPath: "The "path" attribute was invalid or malformed".
TEST(Rfc7644_3_5_2_PatchPath, MalformedPathsAre400InvalidPath) {
  const std::vector<std::string> invalid = {
      "",
      "emails[type eq \"work\"",
      "emails[type eq \"work\"]value",
      "emails[type eq \"work\"].",
      "emails[type eq \"work\"].value.display",
      "emails[type eq \"work\"][value pr]",
      "emails[]",
      "emails[type eq]",
      "emails[type eq work]",
      "name.givenName[value eq \"x\"]",
      "[type eq \"work\"]",
      "emails]",
      "emails[type eq \"work\"]]",
      "1emails",
      "emails.value[type eq \"work\"]",
      "urn:ietf:params:scim:schemas:core:2.0:User:",
  };
  for (const auto& text : invalid) {
    SCOPED_TRACE(text);
    Error error = patch_error(text);
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.scim_type(), ScimType::invalid_path);
    EXPECT_FALSE(error.detail().empty());
  }
  // The filter's own diagnosis is kept, under invalidPath.
  Error unquoted = patch_error("emails[type eq work]");
  EXPECT_NE(unquoted.detail().find("must be quoted"), std::string::npos) << unquoted.detail();
  EXPECT_NE(unquoted.detail().find("emails[type eq work]"), std::string::npos) << unquoted.detail();
}

}  // namespace
}  // namespace scim
