// The table of response rules: ids in the case-id form with stable slugs, each anchored to an RFC
// section with its quoted requirement and a hint, and every id the validator uses present.
#include "suites/validate/response_rules.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace suites {
namespace {

TEST(ResponseRules, IdsAreCaseIdsMatchingTheirCitation) {
  const std::regex form(R"(^(rfc7643|rfc7644)/([0-9]+(\.[0-9]+)*)/[a-z0-9]+(-[a-z0-9]+)*$)");
  std::set<std::string> ids;
  for (const RuleInfo& info : response_rules()) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(info.id, match, form)) << info.id;
    EXPECT_TRUE(ids.insert(info.id).second) << "duplicate id " << info.id;
    EXPECT_EQ(info.spec.document, match[1] == "rfc7643" ? "RFC 7643" : "RFC 7644") << info.id;
    EXPECT_EQ(info.spec.section, match[2].str()) << info.id;
    EXPECT_FALSE(info.title.empty()) << info.id;
    EXPECT_FALSE(info.hint.empty()) << info.id;
    EXPECT_GT(info.spec.quote.size(), 20u) << info.id;
  }
  EXPECT_EQ(ids.size(), response_rules().size());
}

TEST(ResponseRules, QuotesCarryTheLevelTheyAreGradedAt) {
  // These quotes define a format (a data type, a message's schema URN, an attribute's meaning)
  // without an RFC 2119 keyword: a value outside the definition breaks it all the same, so they
  // are graded MUST. Any other MUST rule has to quote its keyword.
  const std::set<std::string_view> definitional = {
      rule::string_type,        rule::boolean_type,    rule::decimal_type,    rule::reference_type,
      rule::complex_type,       rule::multi_valued_array, rule::single_valued, rule::returned_never,
      rule::schema_document,    rule::bulk_schema,     rule::error_scim_type, rule::error_detail,
      rule::meta_resource_type};
  for (const RuleInfo& info : response_rules()) {
    if (info.spec.level != Level::must) continue;
    const std::string& quote = info.spec.quote;
    bool keyword = quote.find("MUST") != std::string::npos || quote.find("SHALL") != std::string::npos ||
                   quote.find("REQUIRED") != std::string::npos || quote.find("must be") != std::string::npos;
    EXPECT_NE(keyword, definitional.count(info.id) == 1) << info.id << ": " << quote;
  }
}

TEST(ResponseRules, EveryIdTheValidatorUsesIsInTheTable) {
  for (std::string_view id :
       {rule::content_type, rule::create_status, rule::location_header, rule::list_schema, rule::total_results,
        rule::total_covers_page, rule::resources_array, rule::items_per_page, rule::start_index, rule::count_limit,
        rule::delete_status, rule::bulk_schema, rule::bulk_operations, rule::bulk_operation_error, rule::error_json,
        rule::error_schema, rule::error_status, rule::error_scim_type, rule::error_detail, rule::etag_header,
        rule::string_type, rule::boolean_type, rule::decimal_type, rule::integer_type, rule::date_time,
        rule::binary_type, rule::reference_type, rule::complex_type, rule::multi_valued_array, rule::one_primary,
        rule::schemas_attribute, rule::schemas_core, rule::schemas_declared, rule::schemas_extensions,
        rule::unknown_attribute, rule::id_present, rule::id_not_bulk_id, rule::meta_resource_type,
        rule::last_modified_order, rule::content_location, rule::version_etag, rule::spc_features, rule::spc_limits,
        rule::spc_authentication, rule::resource_type_document, rule::schema_document, rule::single_valued,
        rule::returned_never}) {
    const RuleInfo* info = find_response_rule(id);
    ASSERT_NE(info, nullptr) << id;
    EXPECT_EQ(info->id, id);
  }
  EXPECT_EQ(response_rules().size(), 48u);
  EXPECT_EQ(find_response_rule("rfc7644/3.12/no-such-rule"), nullptr);
}

TEST(ResponseRules, OnlyTheUnknownAttributeRuleIsInformational) {
  for (const RuleInfo& info : response_rules())
    EXPECT_EQ(info.spec.level == Level::may, info.id == rule::unknown_attribute) << info.id;
}

}  // namespace
}  // namespace suites
