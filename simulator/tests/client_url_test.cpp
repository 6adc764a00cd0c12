// URL building, header redaction and Exchange accessors: the parts of the client that need no
// peer.
#include "simulator/client/exchange.hpp"
#include "simulator/client/url.hpp"

#include <gtest/gtest.h>

namespace {

using scimclient::encode_query_value;
using scimclient::join_url;
using scimclient::redact_header;
using scimclient::with_query;

// RFC 3986 §2.3: unreserved characters are never encoded.
TEST(Rfc3986_2_3_UnreservedCharacters, AreKeptAsIs) {
  std::string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  EXPECT_EQ(encode_query_value(unreserved), unreserved);
}

// RFC 3986 §2.1: everything else is a percent-encoded octet, upper-case hex.
TEST(Rfc3986_2_1_PercentEncoding, ReservedAndOtherBytesAreEncoded) {
  EXPECT_EQ(encode_query_value("userName eq \"a b@c\""), "userName%20eq%20%22a%20b%40c%22");
  EXPECT_EQ(encode_query_value("a+b&c=d/e?f#g%h"), "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25h");
  EXPECT_EQ(encode_query_value("\xC3\xA9"), "%C3%A9");  // UTF-8 é, byte by byte
  EXPECT_EQ(encode_query_value(std::string("\0\x7F", 2)), "%00%7F");
  EXPECT_EQ(encode_query_value(""), "");
}

TEST(Rfc3986_2_1_PercentEncoding, QueryParamsAreJoinedAndEncoded) {
  EXPECT_EQ(with_query("/Users", {{"filter", "title pr"}, {"startIndex", "1"}}),
            "/Users?filter=title%20pr&startIndex=1");
  EXPECT_EQ(with_query("/Users?count=2", {{"attributes", "name.givenName,emails"}}),
            "/Users?count=2&attributes=name.givenName%2Cemails");
  EXPECT_EQ(with_query("/Users", {}), "/Users");
  EXPECT_EQ(encode_query_value("/Groups", {{"a b", "c"}}), "/Groups?a%20b=c");
}

TEST(HttpClient_Url, JoinPutsExactlyOneSlashBetweenBaseAndPath) {
  EXPECT_EQ(join_url("http://h:1/scim/v2", "/Users"), "http://h:1/scim/v2/Users");
  EXPECT_EQ(join_url("http://h:1/scim/v2/", "/Users"), "http://h:1/scim/v2/Users");
  EXPECT_EQ(join_url("http://h:1/scim/v2/", "Users"), "http://h:1/scim/v2/Users");
  EXPECT_EQ(join_url("http://h:1/scim/v2", "?filter=x"), "http://h:1/scim/v2?filter=x");
  EXPECT_EQ(join_url("http://h:1/scim/v2", ""), "http://h:1/scim/v2");
}

// A location a server gave as an absolute-path reference resolves against the origin (RFC 3986
// §5.2), not below the base path a second time.
TEST(Rfc3986_5_2_ReferenceResolution, AbsolutePathsHoldingTheBasePathResolveAgainstTheOrigin) {
  EXPECT_EQ(join_url("http://h:1/scim/v2", "/scim/v2/Users/7"), "http://h:1/scim/v2/Users/7");
  EXPECT_EQ(join_url("https://h/scim/v2/", "/scim/v2/Groups/9?x=1"), "https://h/scim/v2/Groups/9?x=1");
  EXPECT_EQ(join_url("http://h:1/scim/v2", "/scim/v2x/Users"), "http://h:1/scim/v2/scim/v2x/Users");
  EXPECT_EQ(join_url("http://h:1", "/Users/7"), "http://h:1/Users/7");
}

TEST(HttpClient_Url, AbsoluteUrlsPassThrough) {
  EXPECT_EQ(join_url("http://h:1/scim/v2", "https://other.test/Users/1"), "https://other.test/Users/1");
  EXPECT_TRUE(scimclient::is_absolute_url("http://x"));
  EXPECT_FALSE(scimclient::is_absolute_url("/Users"));
  EXPECT_FALSE(scimclient::is_absolute_url("Users:1"));
}

TEST(HttpClient_Redaction, AuthorizationKeepsOnlyTheScheme) {
  EXPECT_EQ(redact_header("Authorization", "Bearer eyJhbGciOi.secret"), "Bearer ***");
  EXPECT_EQ(redact_header("authorization", "Basic dXNlcjpwYXNz"), "Basic ***");
  EXPECT_EQ(redact_header("Proxy-Authorization", "Basic dXNlcjpwYXNz"), "Basic ***");
  EXPECT_EQ(redact_header("Authorization", "justatoken"), "***");
}

TEST(HttpClient_Redaction, OpaqueSecretsAreHiddenAndOtherHeadersKept) {
  EXPECT_EQ(redact_header("Cookie", "session=abc"), "***");
  EXPECT_EQ(redact_header("x-api-key", "k-123"), "***");
  EXPECT_EQ(redact_header("Content-Type", "application/scim+json"), "application/scim+json");
  EXPECT_EQ(redact_header("ETag", "W/\"1\""), "W/\"1\"");
}

TEST(HttpClient_Exchange, JsonIsEmptyForMissingOrInvalidBodies) {
  scimclient::Exchange ex;
  EXPECT_FALSE(ex.json().has_value());
  ex.response_body = "<html>not json</html>";
  EXPECT_FALSE(ex.json().has_value());
  ex.response_body = R"({"totalResults":0})";
  ASSERT_TRUE(ex.json().has_value());
  EXPECT_EQ((*ex.json())["totalResults"], 0);
}

TEST(HttpClient_Exchange, HeaderLookupIgnoresCaseAndKeepsRepeats) {
  scimclient::Exchange ex;
  ex.response_headers = {{"Set-Cookie", "a=1"}, {"Content-Type", "application/scim+json"}, {"set-cookie", "b=2"}};
  EXPECT_EQ(ex.header("CONTENT-TYPE"), "application/scim+json");
  EXPECT_EQ(ex.header_values("Set-Cookie"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_EQ(ex.header("Missing"), "");
  EXPECT_FALSE(ex.has_header("Missing"));
}

}  // namespace
