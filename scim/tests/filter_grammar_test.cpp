// The filter grammar of RFC 7644 §3.4.2.2: precedence, operators, literals, attribute paths and
// the 400 invalidFilter answers for text that is not a filter.
#include "scim/filter.hpp"
#include "scim/urns.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace scim {
namespace {

// The status, scimType and detail of the error parse_filter throws; fails the test if none.
Error parse_error(const std::string& text) {
  try {
    Filter filter = parse_filter(text);
    ADD_FAILURE() << "'" << text << "' parsed as " << to_string(filter);
  } catch (const Error& e) {
    return e;
  }
  return Error(0, ScimType::none, "");
}

struct PrecedenceRow {
  std::string input;
  std::string parenthesised;
};

// RFC 7644 §3.4.2.2: "Filters MUST be evaluated using the following order of operations, in
// order of importance: Grouping operators, Logical operators - where "not" takes precedence
// over "and", which takes precedence over "or", Attribute operators". to_string writes every
// and/or with its own parentheses, so each row shows the tree the parser built.
const std::vector<PrecedenceRow>& precedence_table() {
  static const std::vector<PrecedenceRow> rows = {
      {R"(a eq 1 or b eq 2 and c eq 3)", R"((a eq 1 or (b eq 2 and c eq 3)))"},
      {R"(a eq 1 and b eq 2 or c eq 3)", R"(((a eq 1 and b eq 2) or c eq 3))"},
      {R"(a pr and b pr and c pr)", R"(((a pr and b pr) and c pr))"},
      {R"(a pr or b pr or c pr)", R"(((a pr or b pr) or c pr))"},
      {R"(not (a pr) and b pr)", R"((not (a pr) and b pr))"},
      {R"(b pr and not (a pr))", R"((b pr and not (a pr)))"},
      {R"(not (a pr or b pr) and c pr)", R"((not (a pr or b pr) and c pr))"},
      {R"(a pr or not (b pr and c pr) and d pr)", R"((a pr or (not (b pr and c pr) and d pr)))"},
      {R"((a eq 1 or b eq 2) and c eq 3)", R"(((a eq 1 or b eq 2) and c eq 3))"},
      {R"(a eq 1 and (b eq 2 or c eq 3))", R"((a eq 1 and (b eq 2 or c eq 3)))"},
      {R"(a pr and (b pr or (c pr and (d pr or e pr))))", R"((a pr and (b pr or (c pr and (d pr or e pr)))))"},
      {R"(((a pr)))", R"(a pr)"},
      {R"(not (not (a pr)))", R"(not (not (a pr)))"},
      {R"(a pr AND b pr Or c pr)", R"(((a pr and b pr) or c pr))"},
      {R"(NOT(a pr) oR b pr)", R"((not (a pr) or b pr))"},
      {R"(a   eq   1    and  b  pr)", R"((a eq 1 and b pr))"},
      {R"((a pr)and(b pr))", R"((a pr and b pr))"},
      {R"(emails[type eq "work" and value co "@x"] or userName eq "u")",
       R"((emails[type eq "work" and value co "@x"] or userName eq "u"))"},
      {R"(emails[type eq "work" or type eq "home" and primary eq true])",
       R"(emails[type eq "work" or (type eq "home" and primary eq true)])"},
      {R"(emails[not (type eq "work")] and (userName sw "J" or title pr))",
       R"((emails[not (type eq "work")] and (userName sw "J" or title pr)))"},
      {R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))",
       R"((userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")))"},
  };
  return rows;
}

TEST(Rfc7644_3_4_2_2_Filtering, PrecedenceTable) {
  for (const auto& row : precedence_table()) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(to_string(parse_filter(row.input)), row.parenthesised);
  }
}

TEST(Rfc7644_3_4_2_2_Filtering, CanonicalFormParsesToTheSameTree) {
  for (const auto& row : precedence_table()) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(to_string(parse_filter(row.parenthesised)), row.parenthesised);
  }
}

TEST(Rfc7644_3_4_2_2_Filtering, AndBindsTighterThanOr) {
  Filter filter = parse_filter(R"(a eq 1 or b eq 2 and c eq 3)");
  ASSERT_EQ(filter.kind, Filter::Kind::logical_or);
  ASSERT_EQ(filter.children.size(), 2u);
  EXPECT_EQ(filter.children[0].kind, Filter::Kind::compare);
  EXPECT_EQ(filter.children[0].path.attribute, "a");
  ASSERT_EQ(filter.children[1].kind, Filter::Kind::logical_and);
  EXPECT_EQ(filter.children[1].children[0].path.attribute, "b");
  EXPECT_EQ(filter.children[1].children[1].path.attribute, "c");
}

TEST(Rfc7644_3_4_2_2_Filtering, NotAppliesToTheGroupOnly) {
  Filter filter = parse_filter(R"(not (a pr) and b pr)");
  ASSERT_EQ(filter.kind, Filter::Kind::logical_and);
  ASSERT_EQ(filter.children[0].kind, Filter::Kind::logical_not);
  ASSERT_EQ(filter.children[0].children.size(), 1u);
  EXPECT_EQ(filter.children[0].children[0].path.attribute, "a");
  EXPECT_EQ(filter.children[1].kind, Filter::Kind::compare);
  EXPECT_EQ(filter.children[1].path.attribute, "b");
}

TEST(Rfc7644_3_4_2_2_Filtering, EveryComparisonOperator) {
  const std::pair<const char*, CompareOp> ops[] = {
      {"eq", CompareOp::eq}, {"ne", CompareOp::ne}, {"co", CompareOp::co}, {"sw", CompareOp::sw},
      {"ew", CompareOp::ew}, {"gt", CompareOp::gt}, {"lt", CompareOp::lt}, {"ge", CompareOp::ge},
      {"le", CompareOp::le}};
  for (const auto& [name, op] : ops) {
    std::string text = std::string("title ") + name + " \"x\"";
    SCOPED_TRACE(text);
    Filter filter = parse_filter(text);
    EXPECT_EQ(filter.kind, Filter::Kind::compare);
    EXPECT_EQ(filter.op, op);
    EXPECT_EQ(filter.path.attribute, "title");
    EXPECT_EQ(filter.value, "x");
    EXPECT_EQ(to_string(op), name);
    EXPECT_EQ(to_string(filter), text);
  }
  Filter present = parse_filter("title pr");
  EXPECT_EQ(present.op, CompareOp::pr);
  EXPECT_TRUE(present.value.is_null());
  EXPECT_EQ(to_string(present), "title pr");
}

// RFC 7644 §3.4.2.2: "Attribute names and attribute operators used in filters are case
// insensitive."
TEST(Rfc7644_3_4_2_2_Filtering, OperatorsAndKeywordsAreCaseInsensitive) {
  EXPECT_EQ(parse_filter(R"(userName EQ "john")").op, CompareOp::eq);
  EXPECT_EQ(parse_filter(R"(userName Eq "john")").op, CompareOp::eq);
  EXPECT_EQ(parse_filter(R"(title PR)").op, CompareOp::pr);
  EXPECT_EQ(parse_filter(R"(title Sw "a")").op, CompareOp::sw);
  EXPECT_EQ(parse_filter(R"(a pr AnD b pr)").kind, Filter::Kind::logical_and);
  EXPECT_EQ(parse_filter(R"(a pr OR b pr)").kind, Filter::Kind::logical_or);
  EXPECT_EQ(parse_filter(R"(Not (a pr))").kind, Filter::Kind::logical_not);
  // Attribute names keep their spelling; the evaluator matches them case-insensitively.
  EXPECT_EQ(parse_filter(R"(USERNAME eq "john")").path.attribute, "USERNAME");
}

TEST(Rfc7644_3_4_2_2_Filtering, EveryLiteralKind) {
  EXPECT_EQ(parse_filter("active eq true").value, nlohmann::json(true));
  EXPECT_EQ(parse_filter("active eq false").value, nlohmann::json(false));
  EXPECT_EQ(parse_filter("active eq TRUE").value, nlohmann::json(true));
  EXPECT_TRUE(parse_filter("title eq null").value.is_null());
  EXPECT_EQ(parse_filter("title eq null").op, CompareOp::eq);

  nlohmann::json integer = parse_filter("count gt 42").value;
  EXPECT_TRUE(integer.is_number_integer());
  EXPECT_EQ(integer.get<long long>(), 42);
  EXPECT_EQ(parse_filter("count gt -7").value.get<long long>(), -7);
  nlohmann::json decimal = parse_filter("score le 1.5").value;
  EXPECT_TRUE(decimal.is_number_float());
  EXPECT_DOUBLE_EQ(decimal.get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(parse_filter("score ge 1e3").value.get<double>(), 1000.0);
  EXPECT_DOUBLE_EQ(parse_filter("score ge -2.5E-1").value.get<double>(), -0.25);

  EXPECT_EQ(parse_filter(R"(title eq "plain")").value, "plain");
  EXPECT_EQ(parse_filter(R"(title eq "")").value, "");
  EXPECT_EQ(parse_filter(R"(title eq "say \"hi\"")").value, "say \"hi\"");
  EXPECT_EQ(parse_filter(R"(title eq "back\\slash")").value, "back\\slash");
  EXPECT_EQ(parse_filter(R"(title eq "tab\tnl\n")").value, "tab\tnl\n");
  EXPECT_EQ(parse_filter(R"(title eq "caf\u00e9")").value, "caf\xc3\xa9");
  EXPECT_EQ(parse_filter(R"(title eq "a ) and b ] or")").value, "a ) and b ] or");
  EXPECT_EQ(parse_filter(R"(name.familyName co "O'Malley")").value, "O'Malley");
}

TEST(Rfc7644_3_4_2_2_Filtering, StringLiteralsPrintAsJson) {
  Filter filter = parse_filter(R"(title eq "say \"hi\"")");
  EXPECT_EQ(to_string(filter), R"(title eq "say \"hi\"")");
  EXPECT_EQ(to_string(parse_filter(to_string(filter))), to_string(filter));
}

// RFC 7644 §3.10: attrPath = [URI ":"] ATTRNAME *1subAttr.
TEST(Rfc7644_3_4_2_2_Filtering, AttributePathsWithSubAttributesAndUrns) {
  Filter sub = parse_filter(R"(name.familyName co "O'Malley")");
  EXPECT_EQ(sub.path.urn, "");
  EXPECT_EQ(sub.path.attribute, "name");
  EXPECT_EQ(sub.path.sub_attribute, "familyName");

  Filter meta = parse_filter(R"(meta.lastModified gt "2011-05-13T04:42:34Z")");
  EXPECT_EQ(meta.path.attribute, "meta");
  EXPECT_EQ(meta.path.sub_attribute, "lastModified");
  EXPECT_EQ(meta.op, CompareOp::gt);
  EXPECT_EQ(meta.value, "2011-05-13T04:42:34Z");

  Filter enterprise = parse_filter(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1")");
  EXPECT_EQ(enterprise.path.urn, urn::enterprise_user);
  EXPECT_EQ(enterprise.path.attribute, "employeeNumber");
  EXPECT_EQ(enterprise.path.sub_attribute, "");

  Filter core = parse_filter(R"(urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "Jensen")");
  EXPECT_EQ(core.path.urn, urn::user);
  EXPECT_EQ(core.path.attribute, "name");
  EXPECT_EQ(core.path.sub_attribute, "familyName");
  EXPECT_EQ(to_string(core), R"(urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "Jensen")");

  Filter manager = parse_filter(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915")");
  EXPECT_EQ(manager.path.urn, urn::enterprise_user);
  EXPECT_EQ(manager.path.attribute, "manager");
  EXPECT_EQ(manager.path.sub_attribute, "value");

  Filter ref = parse_filter(R"(members.$ref pr)");
  EXPECT_EQ(ref.path.attribute, "members");
  EXPECT_EQ(ref.path.sub_attribute, "$ref");
}

TEST(Rfc7644_3_4_2_2_Filtering, ValuePathHoldsAFilterRelativeToTheAttribute) {
  Filter filter = parse_filter(R"(emails[type eq "work" and value co "@example.com"])");
  ASSERT_EQ(filter.kind, Filter::Kind::value_path);
  EXPECT_EQ(filter.path.attribute, "emails");
  ASSERT_EQ(filter.children.size(), 1u);
  const Filter& inner = filter.children[0];
  ASSERT_EQ(inner.kind, Filter::Kind::logical_and);
  EXPECT_EQ(inner.children[0].path.attribute, "type");
  EXPECT_EQ(inner.children[0].value, "work");
  EXPECT_EQ(inner.children[1].path.attribute, "value");
  EXPECT_EQ(inner.children[1].op, CompareOp::co);

  Filter qualified = parse_filter(R"(urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"])");
  EXPECT_EQ(qualified.kind, Filter::Kind::value_path);
  EXPECT_EQ(qualified.path.urn, urn::user);
  EXPECT_EQ(qualified.path.attribute, "emails");
}

// "not" is a keyword only before '('; an attribute may be called "not" (or start with it).
TEST(Rfc7644_3_4_2_2_Filtering, NotWithoutParenthesisIsAnAttributeName) {
  Filter named = parse_filter(R"(not eq "x")");
  EXPECT_EQ(named.kind, Filter::Kind::compare);
  EXPECT_EQ(named.path.attribute, "not");
  Filter prefixed = parse_filter(R"(notes pr and orders pr)");
  ASSERT_EQ(prefixed.kind, Filter::Kind::logical_and);
  EXPECT_EQ(prefixed.children[0].path.attribute, "notes");
  EXPECT_EQ(prefixed.children[1].path.attribute, "orders");
}

TEST(Rfc7644_3_4_2_2_Filtering, SixtyFourLevelsNestAndSixtyFiveAreRefused) {
  auto nested = [](int levels) { return std::string(levels, '(') + "a pr" + std::string(levels, ')'); };
  EXPECT_EQ(to_string(parse_filter(nested(64))), "a pr");
  Error error = parse_error(nested(65));
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.scim_type(), ScimType::invalid_filter);
  EXPECT_NE(error.detail().find("64"), std::string::npos) << error.detail();

  std::string deep_not;
  for (int i = 0; i < 65; ++i) deep_not += "not (";
  deep_not += "a pr" + std::string(65, ')');
  EXPECT_EQ(parse_error(deep_not).scim_type(), ScimType::invalid_filter);
}

TEST(Rfc7644_3_4_2_2_Filtering, LongChainsParseWithoutNesting) {
  std::string chain = "id eq \"0\"";
  for (int i = 1; i < 1000; ++i) chain += " or id eq \"" + std::to_string(i) + "\"";
  Filter filter = parse_filter(chain);
  EXPECT_EQ(filter.kind, Filter::Kind::logical_or);
  EXPECT_EQ(filter.children[1].value, "999");
  // One comparison more than the documented cap is refused rather than risking the stack.
  EXPECT_EQ(parse_error(chain + " or id eq \"1000\"").scim_type(), ScimType::invalid_filter);
}

struct InvalidRow {
  std::string input;
  std::string detail_part;  // a piece of the detail that tells the user what was wrong
};

// RFC 7644 §3.4.2.2: "If the specified filter is invalid ... 400 ... invalidFilter" (Table 9:
// "The specified filter syntax was invalid").
TEST(Rfc7644_3_4_2_2_Filtering, InvalidFiltersAre400InvalidFilter) {
  const std::vector<InvalidRow> rows = {
      {"", "empty"},
      {"   ", "empty"},
      {R"(userName eq)", "expected a value after 'eq'"},
      {R"(userName eq )", "expected a value after 'eq'"},
      {R"(userName eq bjensen)", "must be quoted"},
      {R"(userName)", "expected a comparison operator after 'userName' at offset 8"},
      {R"(userName xx "a")", "expected a comparison operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) after 'userName', found 'xx' at offset 9"},
      {R"(userName eq "a" garbage)", "expected 'and', 'or' or the end of the filter, found 'garbage' at offset 16"},
      {R"(userName eq "a"))", "unexpected ')' without a matching '(' at offset 15"},
      {R"((userName eq "a")", "expected ')' to close the '(' at offset 0"},
      {R"(userName eq "abc)", "unterminated string"},
      {R"(userName eq "a\q")", "invalid string value"},
      {R"(emails[type eq "work")", "expected ']' to close the '[' at offset 6"},
      {R"(emails[type eq "work"].value eq "x")", "only allowed in PATCH paths"},
      {R"(emails[addresses[type eq "a"]])", "cannot nest"},
      {R"(name.familyName[value eq "x"])", "not a sub-attribute"},
      {R"(not userName eq "a")", "expected '(' after 'not'"},
      {R"(userName eq "a" and)", "expected an expression after 'and'"},
      {R"(userName eq "a" or or title pr)", "comparison operator"},
      {R"(1abc eq "x")", "not an attribute name"},
      {R"(name.givenName.x eq "a")", "at most one sub-attribute"},
      {R"(userName eq 01)", "is not a number"},
      {R"(userName eq"a")", "expected a space between 'eq' and its value"},
      {R"(title pr"x")", "after 'pr'"},
      {R"(())", "expected an attribute name"},
      {R"(emails[])", "expected a filter inside"},
      {R"(title eq "a" andtitle pr)", "expected 'and', 'or' or the end"},
      {R"(bad:prefix:userName eq "a")", "schema URN"},
      {R"(userName = "a")", "expected a comparison operator"},
      {R"(eq "a")", "comparison operator"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    Error error = parse_error(row.input);
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.scim_type(), ScimType::invalid_filter);
    EXPECT_NE(error.detail().find(row.detail_part), std::string::npos) << error.detail();
    EXPECT_EQ(error.detail().rfind("filter: ", 0), 0u) << error.detail();
    EXPECT_NE(error.detail().find(" at offset "), std::string::npos) << error.detail();
  }
}

TEST(Rfc7644_3_4_2_2_Filtering, ErrorNamesOffsetAndExpectation) {
  EXPECT_EQ(parse_error("userName ").detail(), "filter: expected a comparison operator after 'userName' at offset 9");
  EXPECT_EQ(parse_error("userName eq").detail(),
            "filter: expected a value after 'eq' (a \"quoted string\", a number, true, false or null) at offset 11");
  EXPECT_EQ(parse_error(R"(title pr and userName eq bjensen)").detail(),
            "filter: string values must be quoted: write \"bjensen\" instead of bjensen at offset 25");
}

}  // namespace
}  // namespace scim
