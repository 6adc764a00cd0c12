// RFC 7644 §3.12 error responses.
#include "scim/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace scim {
namespace {

TEST(Rfc7644_3_12_ErrorResponse, BodyHasSchemasStatusStringScimTypeAndDetail) {
  nlohmann::json body = to_json(Error(400, ScimType::invalid_filter, "bad filter"));
  EXPECT_EQ(body["schemas"], nlohmann::json::array({"urn:ietf:params:scim:api:messages:2.0:Error"}));
  EXPECT_EQ(body["status"], "400");  // a string, per the RFC's examples and Table 9
  EXPECT_EQ(body["scimType"], "invalidFilter");
  EXPECT_EQ(body["detail"], "bad filter");
}

TEST(Rfc7644_3_12_ErrorResponse, ScimTypeIsOmittedWhenNotDefined) {
  nlohmann::json body = to_json(Error::not_found("User x not found"));
  EXPECT_EQ(body["status"], "404");
  EXPECT_FALSE(body.contains("scimType"));
}

TEST(Rfc7644_3_12_ErrorResponse, EveryScimTypeHasItsRfcSpelling) {
  EXPECT_EQ(to_string(ScimType::invalid_filter), "invalidFilter");
  EXPECT_EQ(to_string(ScimType::too_many), "tooMany");
  EXPECT_EQ(to_string(ScimType::uniqueness), "uniqueness");
  EXPECT_EQ(to_string(ScimType::mutability), "mutability");
  EXPECT_EQ(to_string(ScimType::invalid_syntax), "invalidSyntax");
  EXPECT_EQ(to_string(ScimType::invalid_path), "invalidPath");
  EXPECT_EQ(to_string(ScimType::no_target), "noTarget");
  EXPECT_EQ(to_string(ScimType::invalid_value), "invalidValue");
  EXPECT_EQ(to_string(ScimType::invalid_vers), "invalidVers");
  EXPECT_EQ(to_string(ScimType::sensitive), "sensitive");
  EXPECT_EQ(to_string(ScimType::none), "");
}

}  // namespace
}  // namespace scim
