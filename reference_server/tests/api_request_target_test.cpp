// Request-target decoding: what Okta and Entra put on the wire (idp-quirks O1, E22).
#include "reference_server/api/request_target.hpp"
#include "scim/error.hpp"

#include <gtest/gtest.h>

namespace refserver {
namespace {

TEST(RequestTarget, OktaPercentEncodedFilter) {
  auto target = parse_request_target(
      "/scim/v2/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100");
  EXPECT_EQ(target.path, "/scim/v2/Users");
  EXPECT_EQ(target.param("filter"), "userName eq \"test.user@okta.local\"");
  EXPECT_EQ(target.param("startIndex"), "1");
  EXPECT_EQ(target.param("count"), "100");
}

TEST(RequestTarget, PlusIsASpaceInTheQuery) {
  auto target = parse_request_target("/Users?filter=userName+eq+%22jane.doe%40example.com%22");
  EXPECT_EQ(target.param("filter"), "userName eq \"jane.doe@example.com\"");
}

TEST(RequestTarget, PlusStaysInThePath) {
  EXPECT_EQ(parse_request_target("/Users/a+b").path, "/Users/a+b");
}

TEST(RequestTarget, ParameterNamesMatchCaseInsensitively) {
  EXPECT_EQ(parse_request_target("/Users?STARTINDEX=3").param("startIndex"), "3");
  EXPECT_FALSE(parse_request_target("/Users").param("filter"));
}

TEST(RequestTarget, BadPercentEncodingIsInvalidSyntax) {
  for (const char* bad : {"/Users/%zz", "/Users/%4", "/Users?filter=%", "/Users?x=%00"}) {
    try {
      parse_request_target(bad);
      ADD_FAILURE() << bad;
    } catch (const scim::Error& e) {
      EXPECT_EQ(e.status(), 400) << bad;
      EXPECT_EQ(e.scim_type(), scim::ScimType::invalid_syntax) << bad;
    }
  }
}

}  // namespace
}  // namespace refserver
