// A catalog of malformed requests sent to the real server over loopback, one table row each:
// what was sent, and the status and scimType RFC 7644 §3.12 calls for. Every answer must be a
// well-formed SCIM error (schemas, status as a string, detail) with the SCIM media type. After
// the whole table the server must still serve correct requests and nothing stored may have
// changed. One server serves the whole table, as one long-lived server serves an IdP.
#include "api_test_server.hpp"

#include <map>
#include <set>

namespace refserver::e2e {
namespace {

using nlohmann::json;

struct BadRequest {
  std::string name;
  std::string method;
  std::string target;  // below the base path, sent verbatim; {user} {user2} {group} are the seeds' ids
  std::vector<std::string> headers;
  std::optional<std::string> body;
  int status;
  std::string scim_type;  // "" when the error carries no scimType
};

// Small limits for the bulk rows, so "too many" needs only a few operations.
constexpr std::size_t bulk_max_operations = 10;
constexpr std::size_t bulk_max_payload = 64 * 1024;

std::string user_text(const std::string& fields) {
  return std::string("{\"schemas\":[\"") + user_urn + "\"]," + fields + "}";
}
std::string group_text(const std::string& fields) {
  return std::string("{\"schemas\":[\"") + group_urn + "\"]," + fields + "}";
}
std::string patch_text(const std::string& operations) {
  return std::string("{\"schemas\":[\"") + patch_urn + "\"],\"Operations\":" + operations + "}";
}
std::string bulk_text(const std::string& operations) {
  return std::string("{\"schemas\":[\"") + bulk_urn + "\"],\"Operations\":" + operations + "}";
}

std::vector<BadRequest> catalog() {
  const std::string valid_user = user_text(R"("userName":"never.stored@example.com")");
  const std::string deep_arrays(10000, '[');
  std::string deep_value = user_text(R"("userName":"deep@example.com","displayName":)" + std::string(100, '[') +
                                     "\"x\"" + std::string(100, ']'));
  std::string too_many_ops = "[";
  for (std::size_t i = 0; i <= bulk_max_operations; ++i)
    too_many_ops += std::string(i ? "," : "") + R"({"method":"POST","path":"/Users","bulkId":"b)" + std::to_string(i) +
                    R"(","data":)" + user_text(R"("userName":"bulk.)" + std::to_string(i) + R"(@example.com")") + "}";
  too_many_ops += "]";
  std::string big_bulk = bulk_text(R"([{"method":"POST","path":"/Users","bulkId":"big","data":)" +
                                   user_text(R"("userName":"bigbulk@example.com","displayName":")" +
                                             std::string(bulk_max_payload + 100, 'b') + "\"") +
                                   "}]");
  std::string over_limit = user_text(R"("userName":"huge@example.com","displayName":")" +
                                     std::string(1024 * 1024 + 10, 'h') + "\"");
  const std::string plain = "Content-Type: text/plain";

  // RFC 7644 §3.12 Table 9: invalidSyntax "The request body message structure was invalid or
  // did not conform to the request schema"; invalidValue "A required value was missing, or the
  // value specified was not compatible with the operation or attribute type"; invalidFilter;
  // invalidPath; noTarget; mutability; uniqueness (409). Other statuses carry no scimType.
  return {
      // ---- broken JSON
      {"json-truncated", "POST", "/Users", {}, std::string("{\"schemas\":[\"") + user_urn + "\"],\"userName\":", 400, "invalidSyntax"},
      {"json-trailing-comma", "POST", "/Users", {}, user_text(R"("userName":"a@example.com",)"), 400, "invalidSyntax"},
      {"json-single-quotes", "POST", "/Users", {}, "{'schemas':['" + std::string(user_urn) + "'],'userName':'a'}", 400, "invalidSyntax"},
      {"json-unterminated-string", "POST", "/Users", {}, user_text(R"("userName":"a@example.com})"), 400, "invalidSyntax"},
      {"json-trailing-garbage", "POST", "/Users", {}, valid_user + " {}", 400, "invalidSyntax"},
      {"json-invalid-utf8", "POST", "/Users", {}, user_text("\"userName\":\"bad\xff\xfeutf8\""), 400, "invalidSyntax"},
      {"json-raw-control-char", "POST", "/Users", {}, user_text("\"userName\":\"tab\there\""), 400, "invalidSyntax"},
      {"json-bare-word", "POST", "/Users", {}, "userName=bjensen", 400, "invalidSyntax"},
      {"json-empty-body", "POST", "/Users", {}, "", 400, "invalidSyntax"},
      {"json-whitespace-body", "POST", "/Users", {}, " \r\n\t ", 400, "invalidSyntax"},
      {"json-deep-nesting-10k", "POST", "/Users", {}, deep_arrays, 400, "invalidSyntax"},
      {"json-deep-nesting-in-value", "POST", "/Users", {}, deep_value, 400, "invalidSyntax"},
      {"json-broken-in-put", "PUT", "/Users/{user}", {}, "{\"userName\":", 400, "invalidSyntax"},
      {"json-broken-in-patch", "PATCH", "/Users/{user}", {}, "{\"Operations\":[", 400, "invalidSyntax"},
      {"json-empty-body-in-patch", "PATCH", "/Users/{user}", {}, "", 400, "invalidSyntax"},
      // ---- JSON that is not an object (RFC 7644 §3.3: the body is the resource, an object)
      {"not-object-array", "POST", "/Users", {}, "[" + valid_user + "]", 400, "invalidSyntax"},
      {"not-object-string", "POST", "/Users", {}, "\"bjensen\"", 400, "invalidSyntax"},
      {"not-object-number", "POST", "/Users", {}, "42", 400, "invalidSyntax"},
      {"not-object-null", "POST", "/Users", {}, "null", 400, "invalidSyntax"},
      {"not-object-patch-array", "PATCH", "/Users/{user}", {}, R"([{"op":"replace","path":"title","value":"x"}])", 400, "invalidSyntax"},
      // ---- wrong attribute types (RFC 7643 §2.3)
      {"type-userName-number", "POST", "/Users", {}, user_text(R"("userName":12345)"), 400, "invalidValue"},
      {"type-active-maybe", "POST", "/Users", {}, user_text(R"("userName":"t1@example.com","active":"maybe")"), 400, "invalidValue"},
      {"type-emails-object", "POST", "/Users", {}, user_text(R"("userName":"t2@example.com","emails":{"value":"t2@example.com"})"), 400, "invalidValue"},
      {"type-name-string", "POST", "/Users", {}, user_text(R"("userName":"t3@example.com","name":"Barbara Jensen")"), 400, "invalidValue"},
      {"type-externalId-object", "POST", "/Users", {}, user_text(R"("userName":"t4@example.com","externalId":{"id":"x"})"), 400, "invalidValue"},
      {"type-members-string", "POST", "/Groups", {}, group_text(R"("displayName":"Typed","members":"{user}")"), 400, "invalidValue"},
      {"type-primary-string", "POST", "/Users", {}, user_text(R"("userName":"t5@example.com","emails":[{"value":"t5@example.com","primary":"yes"}])"), 400, "invalidValue"},
      {"type-unknown-sub-attribute", "POST", "/Users", {}, user_text(R"("userName":"t6@example.com","name":{"middle":"Q"})"), 400, "invalidValue"},
      {"type-unknown-attribute", "POST", "/Users", {}, user_text(R"("userName":"t7@example.com","shoeSize":44)"), 400, "invalidValue"},
      {"type-attribute-twice-other-case", "POST", "/Users", {}, user_text(R"("userName":"t8@example.com","USERNAME":"t9@example.com")"), 400, "invalidValue"},
      // ---- schemas (RFC 7643 §3: "schemas" is REQUIRED and names the base schema)
      {"schemas-unknown-urn", "POST", "/Users", {}, std::string("{\"schemas\":[\"") + user_urn + "\",\"urn:example:params:scim:schemas:Widget\"],\"userName\":\"s1@example.com\"}", 400, "invalidValue"},
      {"schemas-missing", "POST", "/Users", {}, R"({"userName":"s2@example.com"})", 400, "invalidSyntax"},
      {"schemas-without-core", "POST", "/Users", {}, std::string("{\"schemas\":[\"") + enterprise_urn + "\"],\"userName\":\"s3@example.com\"}", 400, "invalidSyntax"},
      // The unknown URN is named even when the core URN is missing as well: the client hears
      // which value to fix, not only that core is absent.
      {"schemas-only-unknown-urn", "POST", "/Users", {}, R"({"schemas":["urn:example:not:a:schema"],"userName":"s5@example.com"})", 400, "invalidValue"},
      {"schemas-group-urn-on-users", "POST", "/Users", {}, std::string("{\"schemas\":[\"") + group_urn + "\"],\"userName\":\"s4@example.com\"}", 400, "invalidValue"},
      // ---- required and unique values
      {"required-userName-missing", "POST", "/Users", {}, user_text(R"("displayName":"No Login")"), 400, "invalidValue"},
      {"required-userName-empty", "POST", "/Users", {}, user_text(R"("userName":"")"), 400, "invalidValue"},
      {"required-group-displayName-missing", "POST", "/Groups", {}, group_text(R"("externalId":"g-no-name")"), 400, "invalidValue"},
      {"two-primary-emails", "POST", "/Users", {}, user_text(R"("userName":"p@example.com","emails":[{"value":"a@example.com","primary":true},{"value":"b@example.com","primary":true}])"), 400, "invalidValue"},
      {"unknown-group-member", "POST", "/Groups", {}, group_text(R"("displayName":"Ghosts","members":[{"value":"no-such-user"}])"), 400, "invalidValue"},
      // RFC 7644 §3.3: "If the service provider determines that the creation of the requested
      // resource conflicts with existing resources (e.g., a "User" resource with a duplicate
      // "userName"), the service provider MUST return HTTP status code 409 (Conflict) with a
      // "scimType" error code of "uniqueness"". userName is caseExact=false (RFC 7643 §4.1.1).
      {"duplicate-userName-other-case", "POST", "/Users", {}, user_text(R"("userName":"SEED.User@EXAMPLE.com")"), 409, "uniqueness"},
      {"rename-onto-taken-userName", "PUT", "/Users/{user2}", {}, user_text(R"("userName":"Seed.User@example.com")"), 409, "uniqueness"},
      {"duplicate-group-displayName", "POST", "/Groups", {}, group_text(R"("displayName":"seed group")"), 409, "uniqueness"},
      // ---- media type (RFC 7644 §3.1 / RFC 7231 §6.5.13)
      {"content-type-text-plain", "POST", "/Users", {plain}, valid_user, 415, ""},
      {"content-type-xml", "PUT", "/Users/{user}", {"Content-Type: application/xml"}, valid_user, 415, ""},
      {"content-type-form", "PATCH", "/Users/{user}", {"Content-Type: application/x-www-form-urlencoded"}, patch_text(R"([{"op":"replace","path":"title","value":"x"}])"), 415, ""},
      // ---- filters (RFC 7644 §3.4.2.2: invalidFilter)
      {"filter-unbalanced-parens", "GET", "/Users?filter=" + url_encode("(userName eq \"a\""), {}, std::nullopt, 400, "invalidFilter"},
      {"filter-unknown-operator", "GET", "/Users?filter=" + url_encode("userName like \"a\""), {}, std::nullopt, 400, "invalidFilter"},
      {"filter-missing-value", "GET", "/Users?filter=" + url_encode("userName eq"), {}, std::nullopt, 400, "invalidFilter"},
      {"filter-unquoted-string", "GET", "/Users?filter=" + url_encode("userName eq bjensen"), {}, std::nullopt, 400, "invalidFilter"},
      {"filter-trailing-garbage", "GET", "/Users?filter=" + url_encode("userName eq \"a\" garbage"), {}, std::nullopt, 400, "invalidFilter"},
      {"filter-unterminated-string", "GET", "/Users?filter=" + url_encode("userName eq \"a"), {}, std::nullopt, 400, "invalidFilter"},
      {"filter-dangling-and", "GET", "/Users?filter=" + url_encode("userName eq \"a\" and"), {}, std::nullopt, 400, "invalidFilter"},
      // RFC 7644 §3.4.2.2, gt: "Boolean and Binary attributes SHALL cause a failed response
      // (i.e., HTTP 400 Bad Request) with an error response "scimType" of "invalidFilter"".
      {"filter-gt-on-boolean", "GET", "/Users?filter=" + url_encode("active gt true"), {}, std::nullopt, 400, "invalidFilter"},
      {"filter-bad-in-search-body", "POST", "/Users/.search", {}, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName eq"})", 400, "invalidFilter"},
      {"filter-bad-in-root-search", "POST", "/.search", {}, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"(displayName pr"})", 400, "invalidFilter"},
      // ---- PATCH paths (RFC 7644 §3.5.2: invalidPath)
      {"patch-path-unclosed-bracket", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"replace","path":"emails[type eq \"work\"","value":"x@example.com"}])"), 400, "invalidPath"},
      {"patch-path-double-dot", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"replace","path":"name..givenName","value":"X"}])"), 400, "invalidPath"},
      {"patch-path-unknown-attribute", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"replace","path":"shoeSize","value":44}])"), 400, "invalidPath"},
      {"patch-path-unknown-sub-attribute", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"add","path":"name.middle","value":"Q"}])"), 400, "invalidPath"},
      // ---- PATCH message (RFC 7644 §3.5.2)
      {"patch-no-operations", "PATCH", "/Users/{user}", {}, std::string("{\"schemas\":[\"") + patch_urn + "\"]}", 400, "invalidSyntax"},
      {"patch-empty-operations", "PATCH", "/Users/{user}", {}, patch_text("[]"), 400, "invalidSyntax"},
      {"patch-operations-not-array", "PATCH", "/Users/{user}", {}, patch_text(R"({"op":"replace","path":"title","value":"x"})"), 400, "invalidSyntax"},
      {"patch-unknown-op", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"move","path":"title","value":"x"}])"), 400, "invalidSyntax"},
      {"patch-missing-schemas", "PATCH", "/Users/{user}", {}, R"({"Operations":[{"op":"replace","path":"title","value":"x"}]})", 400, "invalidSyntax"},
      {"patch-replace-without-value", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"replace","path":"title"}])"), 400, "invalidSyntax"},
      // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code
      // 400 and a "scimType" error code of "noTarget"."
      {"patch-remove-without-path", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"remove"}])"), 400, "noTarget"},
      // RFC 7644 §3.5.2: read-only attributes cannot be modified; §3.12 "mutability: The
      // attempted modification is not compatible with the target attribute's mutability".
      {"patch-replace-id", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"replace","path":"id","value":"hijacked"}])"), 400, "mutability"},
      {"patch-replace-meta-created", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"replace","path":"meta.created","value":"2001-01-01T00:00:00Z"}])"), 400, "mutability"},
      {"patch-remove-meta", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"remove","path":"meta"}])"), 400, "mutability"},
      {"patch-active-maybe", "PATCH", "/Users/{user}", {}, patch_text(R"([{"op":"replace","path":"active","value":"maybe"}])"), 400, "invalidValue"},
      // ---- request targets (RFC 3986 §2.1: '%' is followed by two hex digits)
      {"percent-bad-in-path", "GET", "/Users/%zz", {}, std::nullopt, 400, "invalidSyntax"},
      {"percent-short-in-query", "GET", "/Users?filter=%4", {}, std::nullopt, 400, "invalidSyntax"},
      {"percent-bad-in-query-name", "GET", "/Users?count%G1=1", {}, std::nullopt, 400, "invalidSyntax"},
      // ---- methods (RFC 7231 §6.5.5: 405)
      {"method-delete-collection", "DELETE", "/Users", {}, std::nullopt, 405, ""},
      {"method-put-collection", "PUT", "/Users", {}, valid_user, 405, ""},
      {"method-post-resource", "POST", "/Users/{user}", {}, valid_user, 405, ""},
      {"method-patch-service-provider-config", "PATCH", "/ServiceProviderConfig", {}, patch_text("[]"), 405, ""},
      {"method-put-service-provider-config", "PUT", "/ServiceProviderConfig", {}, "{}", 405, ""},
      {"method-post-schemas", "POST", "/Schemas", {}, "{}", 405, ""},
      {"method-get-search", "GET", "/Users/.search", {}, std::nullopt, 405, ""},
      {"method-get-bulk", "GET", "/Bulk", {}, std::nullopt, 405, ""},
      // ---- unknown resources (404)
      {"unknown-user-id", "GET", "/Users/does-not-exist", {}, std::nullopt, 404, ""},
      {"unknown-user-put", "PUT", "/Users/does-not-exist", {}, valid_user, 404, ""},
      {"unknown-user-patch", "PATCH", "/Users/does-not-exist", {}, patch_text(R"([{"op":"replace","path":"title","value":"x"}])"), 404, ""},
      {"unknown-user-delete", "DELETE", "/Users/does-not-exist", {}, std::nullopt, 404, ""},
      {"unknown-endpoint", "GET", "/Widgets", {}, std::nullopt, 404, ""},
      {"unknown-schema", "GET", "/Schemas/urn:x", {}, std::nullopt, 404, ""},
      {"unknown-resource-type", "GET", "/ResourceTypes/Widget", {}, std::nullopt, 404, ""},
      {"unknown-sub-path", "GET", "/Users/{user}/extra", {}, std::nullopt, 404, ""},
      // ---- query parameters (RFC 7644 §3.4.2.4: startIndex and count are integers)
      {"paging-startIndex-abc", "GET", "/Users?startIndex=abc", {}, std::nullopt, 400, "invalidValue"},
      {"paging-count-fraction", "GET", "/Users?count=1.5", {}, std::nullopt, 400, "invalidValue"},
      {"paging-count-empty", "GET", "/Users?count=", {}, std::nullopt, 400, "invalidValue"},
      {"sort-by-unknown-attribute", "GET", "/Users?sortBy=shoeSize", {}, std::nullopt, 400, "invalidValue"},
      {"sort-order-sideways", "GET", "/Users?sortBy=userName&sortOrder=sideways", {}, std::nullopt, 400, "invalidValue"},
      {"attributes-bad-path", "GET", "/Users/{user}?attributes=" + url_encode("name..givenName"), {}, std::nullopt, 400, "invalidValue"},
      {"attributes-bad-path-on-list", "GET", "/Users?attributes=" + url_encode("name..givenName"), {}, std::nullopt, 400, "invalidValue"},
      {"search-count-not-integer", "POST", "/Users/.search", {}, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":"ten"})", 400, "invalidValue"},
      // RFC 7644 §4: discovery endpoints "SHALL" ignore or reject filters; this server
      // answers 403 as the RFC suggests.
      {"filter-on-schemas", "GET", "/Schemas?filter=" + url_encode("id eq \"x\""), {}, std::nullopt, 403, ""},
      // ---- bulk (RFC 7644 §3.7)
      // RFC 7644 §3.7.4: over maxOperations "the service provider returns HTTP response code 413".
      {"bulk-too-many-operations", "POST", "/Bulk", {}, bulk_text(too_many_ops), 413, ""},
      {"bulk-over-max-payload", "POST", "/Bulk", {}, big_bulk, 413, ""},
      {"bulk-without-operations", "POST", "/Bulk", {}, std::string("{\"schemas\":[\"") + bulk_urn + "\"]}", 400, "invalidSyntax"},
      {"bulk-without-schemas", "POST", "/Bulk", {}, R"({"Operations":[]})", 400, "invalidSyntax"},
      {"bulk-fail-on-errors-text", "POST", "/Bulk", {}, std::string("{\"schemas\":[\"") + bulk_urn + R"("],"failOnErrors":"x","Operations":[]})", 400, "invalidValue"},
      {"bulk-duplicate-bulkId", "POST", "/Bulk", {}, bulk_text(R"([{"method":"POST","path":"/Users","bulkId":"a","data":)" + user_text(R"("userName":"dup1@example.com")") + R"(},{"method":"POST","path":"/Users","bulkId":"a","data":)" + user_text(R"("userName":"dup2@example.com")") + "}]"), 400, "invalidValue"},
      // ---- size limit (RFC 7231 §6.5.11: 413)
      {"body-over-1MiB", "POST", "/Users", {}, over_limit, 413, ""},
      // An IdP that asks first (RFC 7231 §5.1.1) must get the 413, not a 100 and then a read of
      // the megabyte; the header is sent here rather than left to libcurl's size threshold.
      {"body-over-1MiB-expect-100-continue", "POST", "/Users", {"Expect: 100-continue"}, over_limit, 413, ""},
      // ---- preconditions (RFC 7644 §3.14: 412)
      {"if-match-stale", "PUT", "/Users/{user}", {"If-Match: W/\"424242\""}, user_text(R"("userName":"seed.user@example.com","title":"changed")"), 412, ""},
      // ---- authentication (RFC 7644 §2, RFC 6750 §3: 401)
      {"auth-missing", "GET", "/Users", {"Authorization:"}, std::nullopt, 401, ""},
      {"auth-basic-scheme", "GET", "/Users", {"Authorization: Basic ZTJlLXRva2VuOg=="}, std::nullopt, 401, ""},
      {"auth-token-without-scheme", "GET", "/Users", {std::string("Authorization: ") + token}, std::nullopt, 401, ""},
      // The right token under another scheme: a server that skips the scheme word would let it in.
      {"auth-token-scheme", "GET", "/Users", {std::string("Authorization: Token ") + token}, std::nullopt, 401, ""},
      {"auth-wrong-token", "POST", "/Users", {"Authorization: Bearer not-the-token"}, valid_user, 401, ""},
      {"auth-empty-bearer", "DELETE", "/Users/{user}", {"Authorization: Bearer "}, std::nullopt, 401, ""},
      // ---- /Me (RFC 7644 §3.11: 501 when not supported)
      {"me-not-implemented", "GET", "/Me", {}, std::nullopt, 501, ""},
  };
}

std::string substitute(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values)
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  return text;
}

class Rfc7644_3_12_HttpStatusAndErrorResponseHandling : public ::testing::Test {
 protected:
  void SetUp() override {
    ServiceConfig config;
    config.bulk_max_operations = bulk_max_operations;
    config.bulk_max_payload = bulk_max_payload;
    server_ = std::make_unique<LoopbackServer>(dir_.file("bad-input.db"), config);
    server_->start();
    client_ = server_->client();
  }
  void TearDown() override {
    client_.reset();
    server_->stop();
  }

  TempDir dir_;
  std::unique_ptr<LoopbackServer> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST(BadInputCatalog, HasAtLeastFortyUniquelyNamedRows) {
  auto rows = catalog();
  EXPECT_GE(rows.size(), 40u);
  std::set<std::string> names;
  for (const auto& row : rows) EXPECT_TRUE(names.insert(row.name).second) << "duplicate row name " << row.name;
}

TEST_F(Rfc7644_3_12_HttpStatusAndErrorResponseHandling, EveryMalformedRequestGetsAScimErrorAndChangesNothing) {
  HttpClient& http = *client_;
  // The seeds the rows aim at.
  Reply seed = http.post("/Users", user_body("seed.user@example.com", {{"title", "Seed"}}));
  ASSERT_EQ(seed.status, 201) << seed.describe();
  Reply seed2 = http.post("/Users", user_body("second.seed@example.com"));
  ASSERT_EQ(seed2.status, 201) << seed2.describe();
  Reply group = http.post("/Groups", json{{"schemas", {group_urn}}, {"displayName", "Seed Group"},
                                          {"members", {{{"value", seed.body.value("id", "")}}}}});
  ASSERT_EQ(group.status, 201) << group.describe();
  const std::map<std::string, std::string> ids = {{"{user}", seed.body.value("id", "")},
                                                  {"{user2}", seed2.body.value("id", "")},
                                                  {"{group}", group.body.value("id", "")}};
  auto snapshot = [&] {
    return std::vector<json>{http.get("/Users/" + ids.at("{user}")).body, http.get("/Users/" + ids.at("{user2}")).body,
                             http.get("/Groups/" + ids.at("{group}")).body};
  };
  const std::vector<json> before = snapshot();
  ASSERT_EQ(before[0].value("userName", ""), "seed.user@example.com");

  const auto rows = catalog();
  auto started = std::chrono::steady_clock::now();
  for (const auto& row : rows) {
    SCOPED_TRACE("row " + row.name + ": " + row.method + " " + row.target.substr(0, 120));
    HttpClient::Request request;
    request.method = row.method;
    request.target = substitute(row.target, ids);
    request.headers = row.headers;
    if (row.body) request.body = substitute(*row.body, ids);
    Reply reply = http.send(request);
    expect_scim_error(reply, row.status, row.scim_type);
    if (row.status == 401) {
      EXPECT_FALSE(reply.header("WWW-Authenticate").empty());
    }
    // RFC 7231 §6.5.5: a 405 "MUST generate an Allow header field".
    if (row.status == 405) {
      EXPECT_FALSE(reply.header("Allow").empty());
    }
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));

  // The server still serves, and no malformed request stored or changed anything.
  EXPECT_EQ(snapshot(), before);
  json users = http.get("/Users?count=0").body;
  EXPECT_EQ(users.value("totalResults", -1), 2);
  json groups = http.get("/Groups?count=0").body;
  EXPECT_EQ(groups.value("totalResults", -1), 1);
  Reply created = http.post("/Users", user_body("after.the.table@example.com"));
  ASSERT_EQ(created.status, 201) << created.describe();
  Reply fetched = http.get("/Users/" + created.body.value("id", ""));
  ASSERT_EQ(fetched.status, 200) << fetched.describe();
  EXPECT_EQ(fetched.body["userName"], "after.the.table@example.com");
  EXPECT_EQ(http.get("/Users?count=0").body.value("totalResults", -1), 3);
}

}  // namespace
}  // namespace refserver::e2e
