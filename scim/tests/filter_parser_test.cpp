// The filter grammar of RFC 7644 §3.4.2.2: precedence, literals, paths and the errors a
// malformed filter must produce (400 invalidFilter).
#include "scim/attribute_path.hpp"
#include "scim/error.hpp"
#include "scim/filter.hpp"

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

struct Row {
  const char* input;
  const char* expected;
};

// Each row pins the tree shape through its fully parenthesised form.
const Row precedence_rows[] = {
    // "and" has higher precedence than "or" (RFC 7644 §3.4.2.2 Table 3/4 notes).
    {R"(a eq 1 or b eq 2 and c eq 3)", R"(((a eq 1) or ((b eq 2) and (c eq 3))))"},
    {R"(a eq 1 and b eq 2 or c eq 3)", R"((((a eq 1) and (b eq 2)) or (c eq 3)))"},
    // Parentheses override precedence.
    {R"((a eq 1 or b eq 2) and c eq 3)", R"((((a eq 1) or (b eq 2)) and (c eq 3)))"},
    // Chains are left-associative.
    {R"(a pr and b pr and c pr)", R"((((a pr) and (b pr)) and (c pr)))"},
    {R"(a pr or b pr or c pr)", R"((((a pr) or (b pr)) or (c pr)))"},
    // "not" applies to the parenthesised group only.
    {R"(not (a pr) and b pr)", R"((not((a pr)) and (b pr)))"},
    {R"(not(a pr or b pr))", R"(not(((a pr) or (b pr))))"},
    // Keywords and operators are case-insensitive.
    {R"(userName EQ "x" AND title Pr Or NOT (active eq TRUE))",
     R"((((userName eq "x") and (title pr)) or not((active eq true))))"},
    // valuePath with logical operators inside; outside operators still bind around it.
    {R"(emails[type eq "work" and value co "@example.com"] or userName sw "j")",
     R"((emails[((type eq "work") and (value co "@example.com"))] or (userName sw "j")))"},
    {R"(emails[type eq "work" or primary eq true and value pr])",
     R"(emails[((type eq "work") or ((primary eq true) and (value pr)))])"},
    // URN-qualified paths: the URN ends at the last ':' ("2.0" holds a dot).
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984")",
     R"((urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"))"},
    {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915")",
     R"((urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915"))"},
    // Sub-attributes.
    {R"(name.familyName co "O'Malley")", R"((name.familyName co "O'Malley"))"},
    // Every literal kind of compValue.
    {R"(a eq true or b eq false or c eq null)", R"((((a eq true) or (b eq false)) or (c eq null)))"},
    {R"(a gt -12 and b le 3.5)", R"(((a gt -12) and (b le 3.5)))"},
    {R"(a eq "q\"uo\\te")", R"((a eq "q\"uo\\te"))"},
    {R"(a eq "\u00e9")", "(a eq \"\xc3\xa9\")"},
    // Extra spaces are tolerated around groups.
    {R"(  ( a pr )  )", R"((a pr))"},
};

TEST(Rfc7644_3_4_2_2_Precedence, TableOfCanonicalForms) {
  for (const auto& row : precedence_rows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(shape(scim::parse_filter(row.input)), row.expected);
  }
}

// filter.hpp: to_string is the canonical text form. It must say the same thing as the input:
// parsing it again gives the same tree, and every logical node carries its own parentheses.
TEST(Rfc7644_3_4_2_2_Precedence, ToStringRoundTripsAndBracketsLogicalNodes) {
  for (const auto& row : precedence_rows) {
    SCOPED_TRACE(row.input);
    const scim::Filter parsed = scim::parse_filter(row.input);
    const std::string text = scim::to_string(parsed);
    EXPECT_EQ(shape(scim::parse_filter(text)), row.expected) << text;
  }
  EXPECT_EQ(scim::to_string(scim::parse_filter("a pr or b pr and c pr")).front(), '(');
  const std::string nested = scim::to_string(scim::parse_filter("a pr or b pr and c pr"));
  EXPECT_NE(nested.find("(b pr and c pr)"), std::string::npos) << nested;
}

TEST(Rfc7644_3_4_2_2_Precedence, AndBindsTighterThanOrInTheTree) {
  scim::Filter f = scim::parse_filter(R"(a eq 1 or b eq 2 and c eq 3)");
  ASSERT_EQ(f.kind, scim::Filter::Kind::logical_or);
  ASSERT_EQ(f.children.size(), 2u);
  EXPECT_EQ(f.children[0].kind, scim::Filter::Kind::compare);
  EXPECT_EQ(f.children[1].kind, scim::Filter::Kind::logical_and);
}

TEST(Rfc7644_3_4_2_2_Filtering, AttributeExpressionFields) {
  scim::Filter f = scim::parse_filter(R"(urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "Ba")");
  ASSERT_EQ(f.kind, scim::Filter::Kind::compare);
  EXPECT_EQ(f.path.urn, "urn:ietf:params:scim:schemas:core:2.0:User");
  EXPECT_EQ(f.path.attribute, "name");
  EXPECT_EQ(f.path.sub_attribute, "givenName");
  EXPECT_EQ(f.op, scim::CompareOp::sw);
  EXPECT_EQ(f.value, "Ba");
}

TEST(Rfc7644_3_4_2_2_Filtering, EveryOperatorParses) {
  const char* ops[] = {"eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"};
  const scim::CompareOp expected[] = {scim::CompareOp::eq, scim::CompareOp::ne, scim::CompareOp::co,
                                      scim::CompareOp::sw, scim::CompareOp::ew, scim::CompareOp::gt,
                                      scim::CompareOp::lt, scim::CompareOp::ge, scim::CompareOp::le};
  for (std::size_t i = 0; i < std::size(ops); ++i) {
    scim::Filter f = scim::parse_filter(std::string("title ") + ops[i] + " \"x\"");
    EXPECT_EQ(f.op, expected[i]) << ops[i];
  }
  scim::Filter pr = scim::parse_filter("title PR");
  EXPECT_EQ(pr.op, scim::CompareOp::pr);
  EXPECT_TRUE(pr.value.is_null());
}

TEST(Rfc7644_3_4_2_2_Filtering, LiteralKinds) {
  EXPECT_TRUE(scim::parse_filter("a eq true").value.is_boolean());
  EXPECT_EQ(scim::parse_filter("a eq False").value, false);
  EXPECT_TRUE(scim::parse_filter("a eq null").value.is_null());
  EXPECT_TRUE(scim::parse_filter("a eq 42").value.is_number_integer());
  EXPECT_EQ(scim::parse_filter("a eq 42").value, 42);
  EXPECT_DOUBLE_EQ(scim::parse_filter("a eq 1.5e2").value.get<double>(), 150.0);
  EXPECT_EQ(scim::parse_filter(R"(a eq "x\ny")").value, "x\ny");
  // A string that spells a keyword stays a string.
  EXPECT_TRUE(scim::parse_filter(R"(a eq "true")").value.is_string());
  // Brackets and parentheses inside a quoted string are data.
  EXPECT_EQ(scim::parse_filter(R"(emails[value eq "a]b) or"])").children[0].value, "a]b) or");
}

TEST(Rfc7644_3_4_2_2_Filtering, AttributeNamedLikeAKeyword) {
  // "not" without "(" is an attribute name; "order"/"andrew" are not keywords.
  EXPECT_EQ(shape(scim::parse_filter("not pr")), "(not pr)");
  EXPECT_EQ(shape(scim::parse_filter("a pr or order pr")), "((a pr) or (order pr))");
  EXPECT_EQ(shape(scim::parse_filter("a pr and andrew pr")), "((a pr) and (andrew pr))");
}

TEST(Rfc7644_3_4_2_2_Filtering, SixtyFourLevelsOfNestingAreAccepted) {
  // filter.hpp: "Nesting deeper than 64 levels is refused"; 64 itself is allowed.
  std::string text = std::string(64, '(') + "a pr" + std::string(64, ')');
  EXPECT_EQ(shape(scim::parse_filter(text)), "(a pr)");
}

void expect_invalid_filter(const std::string& text) {
  SCOPED_TRACE("filter: '" + text + "'");
  try {
    scim::parse_filter(text);
    ADD_FAILURE() << "accepted";
  } catch (const scim::Error& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.scim_type(), scim::ScimType::invalid_filter);
    EXPECT_FALSE(e.detail().empty());
  }
}

// RFC 7644 §3.4.2.2: "If the specified filter is invalid, the service provider SHALL return
// HTTP status code 400 with scimType invalidFilter" (Table 9, §3.12).
TEST(Rfc7644_3_4_2_2_InvalidFilter, RefusedWith400InvalidFilter) {
  const std::string cases[] = {
      "",
      "   ",
      "userName eq",
      "userName eq ",
      "userName eq bjensen",
      "userName like \"x\"",
      "userName",
      "(userName eq \"x\"",
      "userName eq \"x\")",
      "((userName pr)",
      "emails[type eq \"work\"",
      "emails[type eq \"work\"]]",
      "userName eq \"x\" garbage",
      "userName eq \"x\" and",
      "userName eq \"x\" or ",
      "and userName eq \"x\"",
      "1abc eq \"x\"",
      "user$Name eq \"x\"",
      "userName eq \"unterminated",
      "userName eq \"bad \\q escape\"",
      "not userName eq \"x\"",
      "not ()",
      "()",
      "userName eq\"x\"",
      "userName eq \"x\"and title pr",
      "title pr \"x\"",
      "name.familyName.x eq \"y\"",
      "name.givenName[value pr]",
      "emails[]",
      "a eq 01",
      "a eq 1abc",
      "a eq tru",
      std::string(65, '(') + "a pr" + std::string(65, ')'),
      [] {
        std::string s;
        for (int i = 0; i < 65; ++i) s += "not(";
        return s + "a pr" + std::string(65, ')');
      }(),
  };
  for (const auto& text : cases) expect_invalid_filter(text);
}

TEST(Rfc7644_3_4_2_2_InvalidFilter, DetailNamesTheOffset) {
  try {
    scim::parse_filter("userName zz \"x\"");
    FAIL() << "accepted";
  } catch (const scim::Error& e) {
    EXPECT_NE(e.detail().find("offset 9"), std::string::npos) << e.detail();
  }
}

}  // namespace
