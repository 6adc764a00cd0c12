// The response validator against RFC 7644 (the protocol): status codes, headers, error bodies,
// list, bulk and delete responses. Each rule has a response that passes and one that is caught,
// and a caught response must raise that rule and no other.
#include "validate_test_support.hpp"

namespace suites::testing {
namespace {

const std::string kUserPath = "/Users/2819c223-7f76-453a-919d-413861904646";
const std::string kUserUrl = std::string(kBase) + kUserPath;

std::vector<Finding> judge(const scimclient::Exchange& e, bool etag = false) {
  return validate_exchange(e, rfc_context(etag));
}

// ---- RFC 7643 §8: the RFC's own examples, served as responses, raise nothing -------------------

TEST(Rfc7643_8_Examples, MinimalFullEnterpriseUserAndGroupPass) {
  EXPECT_TRUE(clean(judge(exchange("GET", kUserPath, {200, minimal_user()}))));
  EXPECT_TRUE(clean(judge(exchange("GET", kUserPath, {200, full_user()}))));
  EXPECT_TRUE(clean(judge(exchange("GET", kUserPath, {200, enterprise_user()}))));
  EXPECT_TRUE(clean(judge(exchange("GET", "/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a", {200, group()}))));
  EXPECT_TRUE(clean(judge(exchange("GET", "/ServiceProviderConfig", {200, service_provider_config()}))));
}

TEST(Rfc7643_8_Examples, ExamplesPassInListsAndRootSearch) {
  json users = list_of({full_user(), enterprise_user()});
  EXPECT_TRUE(clean(judge(exchange("GET", "/Users", {200, users}))));
  json mixed = list_of({full_user(), group()});
  EXPECT_TRUE(clean(judge(exchange("POST", "/.search", {200, mixed}, {{"schemas", {std::string(scim::urn::search_request)}}}))));
}

// ---- RFC 7644 §3.8 / §3.1: application/scim+json --------------------------------------------------

TEST(Rfc7644_3_8_DataInputOutputFormats, ScimJsonWithParametersPasses) {
  Reply reply{200, minimal_user(), {{"content-type", "application/scim+json; charset=utf-8"}}};
  EXPECT_TRUE(clean(judge(exchange("GET", kUserPath, reply))));
}

TEST(Rfc7644_3_8_DataInputOutputFormats, PlainJsonIsCaughtWhenTheClientAskedForScimJson) {
  Reply reply{200, minimal_user(), {{"Content-Type", "application/json"}}};
  auto findings = judge(exchange("GET", kUserPath, reply));
  ASSERT_TRUE(caught_only(findings, rule::content_type, ""));
  EXPECT_EQ(findings[0].expected, "application/scim+json");
  EXPECT_EQ(findings[0].actual, "application/json");
}

TEST(Rfc7644_3_8_DataInputOutputFormats, PlainJsonPassesWhenTheClientAskedForIt) {
  auto e = exchange("GET", kUserPath, {200, minimal_user(), {{"Content-Type", "application/json"}}});
  e.request.headers = {{"Accept", "application/json"}};
  EXPECT_TRUE(clean(judge(e)));
}

TEST(Rfc7644_3_8_DataInputOutputFormats, ErrorBodiesAndMissingHeadersAreJudgedToo) {
  auto error = exchange("GET", "/Users/nope", {404, error_body("404"), {{"Content-Type", "text/html"}}});
  EXPECT_TRUE(caught_only(judge(error), rule::content_type));
  auto bare = exchange("GET", kUserPath, {200, minimal_user(), {}});
  auto findings = judge(bare);
  ASSERT_TRUE(caught_only(findings, rule::content_type));
  EXPECT_EQ(findings[0].actual, "(none)");
}

// ---- RFC 7644 §3.3 Creating Resources ------------------------------------------------------------

TEST(Rfc7644_3_3_CreatingResources, CreatedWithMatchingLocationPasses) {
  Reply reply{201, minimal_user(), {{"Content-Type", "application/scim+json"}, {"Location", kUserUrl}}};
  EXPECT_TRUE(clean(judge(exchange("POST", "/Users", reply, {{"userName", "bjensen@example.com"}}))));
}

TEST(Rfc7644_3_3_CreatingResources, RelativeLocationIsResolvedAgainstTheRequestOrigin) {
  Reply reply{201, minimal_user(), {{"Content-Type", "application/scim+json"}, {"Location", "/v2" + kUserPath}}};
  EXPECT_TRUE(clean(judge(exchange("POST", "/Users", reply))));
}

TEST(Rfc7644_3_3_CreatingResources, MetaLocationRelativeToTheBaseNamesTheSameResource) {
  json user = minimal_user();
  user["meta"]["location"] = kUserPath;
  Reply reply{201, user, {{"Content-Type", "application/scim+json"}, {"Location", kUserUrl}}};
  EXPECT_TRUE(clean(judge(exchange("POST", "/Users", reply))));
  user["meta"]["location"] = "/Users/someone-else";
  Reply other{201, user, {{"Content-Type", "application/scim+json"}, {"Location", kUserUrl}}};
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/Users", other)), rule::location_header, "/meta/location"));
}

TEST(Rfc7644_3_3_CreatingResources, OkInsteadOfCreatedIsCaught) {
  Reply reply{200, minimal_user(), {{"Content-Type", "application/scim+json"}, {"Location", kUserUrl}}};
  auto findings = judge(exchange("POST", "/Users", reply));
  ASSERT_TRUE(caught_only(findings, rule::create_status, ""));
  EXPECT_EQ(findings[0].actual, "200");
}

TEST(Rfc7644_3_3_CreatingResources, MissingOrDifferentLocationIsCaught) {
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/Users", {201, minimal_user()})), rule::location_header, ""));
  Reply other{201, minimal_user(), {{"Content-Type", "application/scim+json"}, {"Location", kUserUrl + "x"}}};
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/Users", other)), rule::location_header, "/meta/location"));
}

TEST(Rfc7644_3_3_CreatingResources, CreatedWithoutBodyNeedsOnlyTheLocation) {
  Reply reply{201, nullptr, {{"Location", kUserUrl}}};
  EXPECT_TRUE(clean(judge(exchange("POST", "/Users", reply))));
}

// ---- RFC 7644 §3.4.2 Query Resources: the ListResponse ---------------------------------------------

json page(const std::vector<json>& resources, long long total, long long start) {
  json body = list_of(resources, total);
  body["startIndex"] = start;
  return body;
}

TEST(Rfc7644_3_4_2_ListResponse, ThePageOfAPaginatedQueryPasses) {
  json body = page({minimal_user(), full_user()}, 5, 3);
  EXPECT_TRUE(clean(judge(exchange("GET", "/Users?startIndex=3&count=2", {200, body}))));
}

TEST(Rfc7644_3_4_2_ListResponse, MissingListResponseSchemaIsCaught) {
  json body = list_of({minimal_user()});
  body["schemas"] = {std::string(scim::urn::user)};
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users", {200, body})), rule::list_schema, "/schemas"));
  // A bare array is no ListResponse either.
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users", {200, json::array({minimal_user()})})), rule::list_schema));
}

TEST(Rfc7644_3_4_2_ListResponse, TotalResultsMustBeAnInteger) {
  json body = list_of({minimal_user()});
  body["totalResults"] = "1";
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users", {200, body})), rule::total_results, "/totalResults"));
  body.erase("totalResults");
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users", {200, body})), rule::total_results, "/totalResults"));
}

TEST(Rfc7644_3_4_2_ListResponse, TotalResultsSmallerThanThePageIsCaught) {
  json body = list_of({minimal_user(), group()}, 1);
  body["Resources"][1] = full_user();
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users", {200, body})), rule::total_covers_page, "/totalResults"));
}

TEST(Rfc7644_3_4_2_ListResponse, ResourcesMayBeAbsentOnlyWhenNothingIsDue) {
  json empty = {{"schemas", {std::string(scim::urn::list_response)}}, {"totalResults", 0}};
  EXPECT_TRUE(clean(judge(exchange("GET", "/Users?filter=userName%20eq%20%22x%22", {200, empty}))));
  json counted = {{"schemas", {std::string(scim::urn::list_response)}}, {"totalResults", 12}};
  EXPECT_TRUE(clean(judge(exchange("GET", "/Users?count=0", {200, counted}))));
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users", {200, counted})), rule::resources_array, "/Resources"));
  json object = list_from(json::array());
  object["Resources"] = minimal_user();
  object["totalResults"] = 1;
  object.erase("itemsPerPage");
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users", {200, object})), rule::resources_array, "/Resources"));
}

TEST(Rfc7644_3_4_2_ListResponse, ItemsPerPageCountsTheResourcesReturned) {
  json body = page({minimal_user()}, 5, 1);
  body["itemsPerPage"] = 10;  // the page size asked for, not what came back
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users?count=10", {200, body})), rule::items_per_page, "/itemsPerPage"));
  body.erase("itemsPerPage");  // and a partial page must say it
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users?count=10", {200, body})), rule::items_per_page, "/itemsPerPage"));
}

TEST(Rfc7644_3_4_2_4_Pagination, StartIndexEchoesTheRequest) {
  json body = page({minimal_user(), full_user()}, 5, 1);
  auto findings = judge(exchange("GET", "/Users?startIndex=3&count=2", {200, body}));
  ASSERT_TRUE(caught_only(findings, rule::start_index, "/startIndex"));
  EXPECT_EQ(findings[0].expected, "3");
  // Below 1 it means 1 ...
  EXPECT_TRUE(clean(judge(exchange("GET", "/Users?startIndex=0&count=2", {200, body}))));
  // ... and a partial page without startIndex is caught.
  body.erase("startIndex");
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users?startIndex=3&count=2", {200, body})), rule::start_index));
}

TEST(Rfc7644_3_4_2_4_Pagination, ServerThatDoesNotPageMayAnswerEverythingFromOne) {
  json body = page({minimal_user(), full_user()}, 2, 1);
  EXPECT_TRUE(clean(judge(exchange("GET", "/Users?startIndex=3", {200, body}))));
}

TEST(Rfc7644_3_4_2_4_Pagination, MoreResourcesThanCountIsCaught) {
  json body = page({minimal_user(), full_user()}, 2, 1);
  auto findings = judge(exchange("GET", "/Users?count=1", {200, body}));
  ASSERT_TRUE(caught_only(findings, rule::count_limit, "/Resources"));
  EXPECT_EQ(findings[0].expected, "at most 1");
  // A negative count means 0: totalResults only.
  json none = {{"schemas", {std::string(scim::urn::list_response)}}, {"totalResults", 2}};
  EXPECT_TRUE(clean(judge(exchange("GET", "/Users?count=-5", {200, none}))));
}

TEST(Rfc7644_3_4_3_QueryingWithPost, PagingIsReadFromTheSearchRequestBody) {
  json search = {{"schemas", {std::string(scim::urn::search_request)}}, {"count", 1}, {"startIndex", 1}};
  json body = page({minimal_user(), full_user()}, 2, 1);
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/Users/.search", {200, body}, search)), rule::count_limit));
  search["count"] = 2;
  EXPECT_TRUE(clean(judge(exchange("POST", "/Users/.search", {200, body}, search))));
}

TEST(Rfc7644_3_4_2_ListResponse, EveryListedResourceIsJudged) {
  json broken_group = group();
  broken_group["members"] = broken_group["members"][0];  // an object where an array belongs
  json body = list_of({full_user(), broken_group});
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/.search", {200, body}, {{"count", 10}})), rule::multi_valued_array,
                          "/Resources/1/members"));
  json no_id = minimal_user();
  no_id.erase("id");
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users", {200, list_of({no_id})})), rule::id_present,
                          "/Resources/0/id"));
}

// ---- RFC 7644 §3.6 Deleting Resources -------------------------------------------------------------

TEST(Rfc7644_3_6_DeletingResources, NoContentPasses) {
  EXPECT_TRUE(clean(judge(exchange("DELETE", kUserPath, {204, nullptr, {}}))));
}

TEST(Rfc7644_3_6_DeletingResources, OkWithTheDeletedResourceIsCaught) {
  auto findings = judge(exchange("DELETE", kUserPath, {200, minimal_user()}));
  ASSERT_TRUE(caught_only(findings, rule::delete_status, ""));
  EXPECT_EQ(findings[0].expected, "204");
}

TEST(Rfc7644_3_6_DeletingResources, NoContentWithABodyIsCaught) {
  EXPECT_TRUE(caught_only(judge(exchange("DELETE", kUserPath, {204, nullptr, {}, "deleted"})), rule::delete_status));
}

// ---- RFC 7644 §3.7 Bulk Operations ----------------------------------------------------------------

json bulk_response() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"],
    "Operations": [
      {"location": "https://example.com/v2/Users/92b725cd-9465-4e7d-8c16-01f8e146b87a", "method": "POST",
       "bulkId": "qwerty", "version": "W\/\"oY4m4wn58tkVjJxK\"", "status": "201"},
      {"method": "POST", "bulkId": "ytrewq", "status": "409",
       "response": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "scimType": "uniqueness",
                    "detail": "userName taken", "status": "409"}}
    ]
  })");
}

TEST(Rfc7644_3_7_BulkOperations, BulkResponseWithFailedOperationPasses) {
  EXPECT_TRUE(clean(judge(exchange("POST", "/Bulk", {200, bulk_response()}))));
}

TEST(Rfc7644_3_7_BulkOperations, WrongSchemaIsCaught) {
  json body = bulk_response();
  body["schemas"] = {std::string(scim::urn::bulk_request)};
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/Bulk", {200, body})), rule::bulk_schema, "/schemas"));
}

TEST(Rfc7644_3_7_BulkOperations, OperationsAndTheirStatusAreRequired) {
  json body = bulk_response();
  body["Operations"][0].erase("status");
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/Bulk", {200, body})), rule::bulk_operations,
                          "/Operations/0/status"));
  body.erase("Operations");
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/Bulk", {200, body})), rule::bulk_operations, "/Operations"));
}

TEST(Rfc7644_3_7_BulkOperations, FailedOperationNeedsAnErrorResponse) {
  json body = bulk_response();
  body["Operations"][1].erase("response");
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/Bulk", {200, body})), rule::bulk_operation_error,
                          "/Operations/1/response"));
  body = bulk_response();
  body["Operations"][1]["response"]["status"] = 409;
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/Bulk", {200, body})), rule::error_status,
                          "/Operations/1/response/status"));
}

// ---- RFC 7644 §3.12 HTTP Status and Error Response Handling ---------------------------------------

TEST(Rfc7644_3_12_ErrorResponses, RfcShapedErrorPasses) {
  EXPECT_TRUE(clean(judge(exchange("GET", "/Users/nope", {404, error_body("404")}))));
  EXPECT_TRUE(clean(judge(exchange("POST", "/Users", {409, error_body("409", "uniqueness")}))));
  // An error without a body has nothing to judge.
  EXPECT_TRUE(clean(judge(exchange("GET", "/Users", {401, nullptr, {{"WWW-Authenticate", "Bearer"}}}))));
}

TEST(Rfc7644_3_12_ErrorResponses, NonJsonErrorBodyIsCaught) {
  Reply html{404, nullptr, {{"Content-Type", "text/html"}}, "<html><body>Not Found</body></html>"};
  auto findings = judge(exchange("GET", "/Users/nope", html));
  ASSERT_TRUE(caught_only(findings, rule::error_json, ""));
  EXPECT_NE(findings[0].actual.find("Not Found"), std::string::npos);
}

TEST(Rfc7644_3_12_ErrorResponses, ErrorSchemaIsRequired) {
  json body = error_body("404");
  body["schemas"] = {"urn:example:error"};
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users/nope", {404, body})), rule::error_schema, "/schemas"));
  body.erase("schemas");
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users/nope", {404, body})), rule::error_schema, "/schemas"));
}

TEST(Rfc7644_3_12_ErrorResponses, StatusIsAStringEqualToTheHttpStatus) {
  json body = error_body("404");
  body["status"] = 404;
  auto findings = judge(exchange("GET", "/Users/nope", {404, body}));
  ASSERT_TRUE(caught_only(findings, rule::error_status, "/status"));
  EXPECT_EQ(findings[0].expected, "\"404\"");
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users/nope", {404, error_body("400")})), rule::error_status));
  body.erase("status");
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users/nope", {404, body})), rule::error_status));
}

TEST(Rfc7644_3_12_ErrorResponses, ScimTypeIsATable9Keyword) {
  EXPECT_TRUE(clean(judge(exchange("GET", "/Users?filter=x", {400, error_body("400", "invalidFilter")}))));
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users?filter=x", {400, error_body("400", "invalid_filter")})),
                          rule::error_scim_type, "/scimType"));
  EXPECT_TRUE(caught_only(judge(exchange("GET", "/Users?filter=x", {400, error_body("400", "InvalidFilter")})),
                          rule::error_scim_type));
}

TEST(Rfc7644_3_12_ErrorResponses, DetailIsAString) {
  json body = error_body("400", "invalidValue");
  body["detail"] = {{"field", "userName"}};
  EXPECT_TRUE(caught_only(judge(exchange("POST", "/Users", {400, body})), rule::error_detail, "/detail"));
}

// ---- RFC 7644 §3.14 Versioning Resources ----------------------------------------------------------

TEST(Rfc7644_3_14_Versioning, ETagEqualToVersionPasses) {
  Reply reply{200, minimal_user(), {{"Content-Type", "application/scim+json"}, {"ETag", "W/\"3694e05e9dff590\""}}};
  EXPECT_TRUE(clean(judge(exchange("GET", kUserPath, reply), true)));
}

TEST(Rfc7644_3_14_Versioning, MissingETagIsCaughtOnlyWhenEtagIsSupported) {
  auto e = exchange("PUT", kUserPath, {200, minimal_user()});
  EXPECT_TRUE(clean(judge(e, false)));
  EXPECT_TRUE(caught_only(judge(e, true), rule::etag_header, ""));
}

TEST(Rfc7643_3_1_CommonAttributes, VersionDifferentFromETagIsCaught) {
  Reply reply{200, minimal_user(), {{"Content-Type", "application/scim+json"}, {"ETag", "W/\"other\""}}};
  auto findings = judge(exchange("PATCH", kUserPath, reply), true);
  ASSERT_TRUE(caught_only(findings, rule::version_etag, "/meta/version"));
  EXPECT_EQ(findings[0].expected, "W/\"other\"");
}

TEST(Rfc7643_3_1_CommonAttributes, ContentLocationMustEqualMetaLocation) {
  Reply same{200, minimal_user(), {{"Content-Type", "application/scim+json"}, {"Content-Location", kUserUrl}}};
  EXPECT_TRUE(clean(judge(exchange("GET", kUserPath, same))));
  Reply other{200, minimal_user(), {{"Content-Type", "application/scim+json"}, {"Content-Location", kBase}}};
  EXPECT_TRUE(caught_only(judge(exchange("GET", kUserPath, other)), rule::content_location, "/meta/location"));
}

// ---- What the request was ----------------------------------------------------------------------

scimclient::HttpRequestSpec request(std::string method, std::string url) {
  scimclient::HttpRequestSpec spec;
  spec.method = std::move(method);
  spec.url = std::move(url);
  return spec;
}

TEST(RequestClassification, MethodAndPathRelativeToTheBase) {
  auto ctx = rfc_context();
  struct Row {
    const char* method;
    const char* path;
    RequestKind kind;
    const char* type;
  };
  const Row rows[] = {
      {"POST", "/Users", RequestKind::create, "User"},
      {"GET", "/Users/42", RequestKind::read, "User"},
      {"put", "/Users/42", RequestKind::replace, "User"},
      {"PATCH", "/Groups/7", RequestKind::modify, "Group"},
      {"DELETE", "/Groups/7", RequestKind::remove, "Group"},
      {"GET", "/Users?filter=userName%20eq%20%22a%22", RequestKind::list, "User"},
      {"POST", "/Groups/.search", RequestKind::search, "Group"},
      {"POST", "/.search", RequestKind::search, nullptr},
      {"POST", "/Bulk", RequestKind::bulk, nullptr},
      {"GET", "/ServiceProviderConfig", RequestKind::service_provider_config, nullptr},
      {"GET", "/ResourceTypes", RequestKind::resource_types, nullptr},
      {"GET", "/ResourceTypes/User", RequestKind::resource_type, nullptr},
      {"GET", "/Schemas", RequestKind::schemas, nullptr},
      {"GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", RequestKind::schema, nullptr},
      {"GET", "/Me", RequestKind::other, nullptr},
      {"GET", "/Widgets/1", RequestKind::other, nullptr},
      {"POST", "/Users/42", RequestKind::other, nullptr},
  };
  for (const Row& row : rows) {
    RequestTarget target = classify_request(request(row.method, std::string(kBase) + row.path), ctx);
    EXPECT_TRUE(target.in_scope) << row.path;
    EXPECT_EQ(target.kind, row.kind) << row.method << " " << row.path << " -> " << to_string(target.kind);
    if (row.type) {
      ASSERT_NE(target.type, nullptr) << row.path;
      EXPECT_EQ(target.type->name, row.type);
    }
  }
  EXPECT_EQ(classify_request(request("GET", std::string(kBase) + "/Users/42"), ctx).id, "42");
}

TEST(RequestClassification, OutsideTheBaseIsNotJudged) {
  auto ctx = rfc_context();
  EXPECT_FALSE(classify_request(request("GET", "https://example.com/v3/Users/1"), ctx).in_scope);
  EXPECT_FALSE(classify_request(request("GET", "https://other.example/v2/Users/1"), ctx).in_scope);
  auto e = exchange("GET", kUserPath, {500, nullptr, {{"Content-Type", "text/plain"}}, "boom"});
  e.request.url = "https://example.com/health";
  EXPECT_TRUE(clean(judge(e)));
}

TEST(RequestClassification, WithoutBaseOrRegistryTheEndpointIsFoundInThePath) {
  ValidationContext bare;
  RequestTarget target = classify_request(request("GET", "http://127.0.0.1:8080/scim/v2/Groups/9"), bare);
  EXPECT_EQ(target.kind, RequestKind::read);
  ASSERT_NE(target.type, nullptr);
  EXPECT_EQ(target.type->schema, scim::urn::group);
  // Without a registry the structure is still judged.
  auto e = exchange("GET", "/Groups/9", {200, {{"id", "9"}, {"displayName", "x"}}});
  EXPECT_TRUE(caught_only(validate_exchange(e, bare), rule::schemas_attribute, "/schemas"));
}

TEST(RequestClassification, NoResponseIsNotJudged) {
  auto e = exchange("GET", kUserPath, {0, nullptr, {}});
  e.transport_error = "Connection refused";
  EXPECT_TRUE(clean(judge(e)));
}

}  // namespace
}  // namespace suites::testing
