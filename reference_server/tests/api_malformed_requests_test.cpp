// Malformed requests over a real socket, one table row each: what was sent and the status and
// scimType RFC 7644 §3.12 calls for. Every answer must be a well-formed SCIM error with the
// SCIM media type, and afterwards the server must still serve with its data intact.
#include "reference_server/tests/api_wire_fixture.hpp"

namespace refserver::wire {
namespace {

using nlohmann::json;

struct Case {
  const char* name;
  std::string method;
  std::string path;  // relative to the base URL; "{id}" is the seeded user's id, "{gid}" the group's
  std::vector<std::string> headers;
  std::string body;
  int status;
  std::string scim_type;  // "" when RFC 7644 §3.12 defines none for this status
};

std::string user_json(const std::string& fields) {
  return std::string(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)") + fields + "}";
}
std::string patch_json(const std::string& operations) {
  return std::string(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)") + operations + "}";
}

std::vector<Case> malformed_cases() {
  std::string deep(10000, '[');
  std::string many_ops = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[)";
  for (int i = 0; i < 1001; ++i) many_ops += std::string(i ? "," : "") + R"({"method":"DELETE","path":"/Users/x)" + std::to_string(i) + "\"}";
  many_ops += "]}";
  std::string big = user_json(R"("userName":"big@example.com","displayName":")" + std::string(1024 * 1024 + 10, 'x') + "\"");
  // RFC 7644 §3.12 Table 9 names the scimType for each 400 cause; 401/404/405/409/413/415 carry
  // none unless the table says so (409 uniqueness).
  return {
      // Broken JSON: RFC 7644 §3.12 "invalidSyntax: The request body message structure was invalid".
      {"json_truncated", "POST", "/Users", {}, R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":)", 400, "invalidSyntax"},
      {"json_trailing_comma", "POST", "/Users", {}, user_json(R"("userName":"a@example.com",)"), 400, "invalidSyntax"},
      {"json_single_quotes", "POST", "/Users", {}, R"({'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'x'})", 400, "invalidSyntax"},
      {"json_garbage_after", "POST", "/Users", {}, user_json(R"("userName":"a@example.com")") + "}}", 400, "invalidSyntax"},
      {"json_not_json", "POST", "/Users", {}, "userName=alice", 400, "invalidSyntax"},
      {"json_array_body", "POST", "/Users", {}, R"([{"userName":"a@example.com"}])", 400, "invalidSyntax"},
      {"json_string_body", "POST", "/Users", {}, R"("userName")", 400, "invalidSyntax"},
      {"json_deeply_nested", "POST", "/Users", {}, deep, 400, "invalidSyntax"},
      {"empty_body_post", "POST", "/Users", {}, "", 400, "invalidSyntax"},
      {"empty_body_patch", "PATCH", "/Users/{id}", {}, "", 400, "invalidSyntax"},
      // RFC 7644 §3.1 / §8.1: JSON only; anything else is 415 Unsupported Media Type.
      {"text_plain", "POST", "/Users", {"Content-Type: text/plain"}, user_json(R"("userName":"t@example.com")"), 415, ""},
      // Wrong attribute types: RFC 7644 §3.12 "invalidValue: A required value was missing, or the
      // value specified was not compatible with the operation or attribute type".
      {"username_number", "POST", "/Users", {}, user_json(R"("userName":42)"), 400, "invalidValue"},
      {"active_maybe", "POST", "/Users", {}, user_json(R"("userName":"m@example.com","active":"maybe")"), 400, "invalidValue"},
      {"emails_object", "POST", "/Users", {}, user_json(R"("userName":"e@example.com","emails":{"value":"e@example.com"})"), 400, "invalidValue"},
      {"name_string", "POST", "/Users", {}, user_json(R"("userName":"n@example.com","name":"Ann Smith")"), 400, "invalidValue"},
      {"external_id_object", "POST", "/Users", {}, user_json(R"("userName":"x@example.com","externalId":{"id":1})"), 400, "invalidValue"},
      {"members_string", "POST", "/Groups", {}, R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G2","members":"{id}"})", 400, "invalidValue"},
      {"two_primary_emails", "POST", "/Users", {},
       user_json(R"("userName":"p@example.com","emails":[{"value":"a@example.com","primary":true},{"value":"b@example.com","primary":true}])"), 400, "invalidValue"},
      // RFC 7643 §3: "schemas" is REQUIRED and must hold the core schema; a body without it does
      // "not conform to the request schema" (§3.12 invalidSyntax). An unknown URN is a value the
      // resource schema does not allow (invalidValue).
      {"schemas_unknown_urn", "POST", "/Users", {}, R"({"schemas":["urn:example:not:a:schema"],"userName":"u@example.com"})", 400, "invalidValue"},
      {"schemas_missing", "POST", "/Users", {}, R"({"userName":"s@example.com"})", 400, "invalidSyntax"},
      {"schemas_core_missing", "POST", "/Users", {}, R"({"schemas":["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"c@example.com"})", 400, "invalidSyntax"},
      {"username_missing", "POST", "/Users", {}, user_json(R"("displayName":"No Name")"), 400, "invalidValue"},
      // RFC 7643 §4.1.1 / RFC 7644 §3.3: userName is unique and caseExact=false.
      {"duplicate_username_other_case", "POST", "/Users", {}, user_json(R"("userName":"SEED.USER@EXAMPLE.COM")"), 409, "uniqueness"},
      // RFC 7644 §3.4.2.2 / §3.12 "invalidFilter: The specified filter syntax was invalid".
      {"filter_unbalanced_parens", "GET", "/Users?filter=%28userName%20eq%20%22a%22", {}, "", 400, "invalidFilter"},
      {"filter_unknown_operator", "GET", "/Users?filter=userName%20like%20%22a%22", {}, "", 400, "invalidFilter"},
      {"filter_missing_value", "GET", "/Users?filter=userName%20eq", {}, "", 400, "invalidFilter"},
      {"filter_unquoted_string", "GET", "/Users?filter=userName%20eq%20alice", {}, "", 400, "invalidFilter"},
      {"filter_trailing_garbage", "GET", "/Users?filter=userName%20eq%20%22a%22%20%22b%22", {}, "", 400, "invalidFilter"},
      // RFC 7644 §3.4.2.2: "gt" on a Boolean "SHALL" be refused with 400 invalidFilter.
      {"filter_gt_on_boolean", "GET", "/Users?filter=active%20gt%20true", {}, "", 400, "invalidFilter"},
      // RFC 7644 §3.5.2: bad paths are invalidPath; a missing "Operations" is invalidSyntax; a
      // remove without path is noTarget; readOnly targets are mutability.
      {"patch_path_unparsable", "PATCH", "/Users/{id}", {}, patch_json(R"([{"op":"replace","path":"name..givenName","value":"x"}])"), 400, "invalidPath"},
      {"patch_path_unknown_attribute", "PATCH", "/Users/{id}", {}, patch_json(R"([{"op":"replace","path":"noSuchAttribute","value":"x"}])"), 400, "invalidPath"},
      {"patch_path_unclosed_filter", "PATCH", "/Users/{id}", {}, patch_json(R"([{"op":"replace","path":"emails[type eq \"work\"","value":"x"}])"), 400, "invalidPath"},
      {"patch_without_operations", "PATCH", "/Users/{id}", {}, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]})", 400, "invalidSyntax"},
      {"patch_unknown_op", "PATCH", "/Users/{id}", {}, patch_json(R"([{"op":"merge","path":"displayName","value":"x"}])"), 400, "invalidSyntax"},
      {"patch_remove_without_path", "PATCH", "/Users/{id}", {}, patch_json(R"([{"op":"remove"}])"), 400, "noTarget"},
      {"patch_readonly_target", "PATCH", "/Users/{id}", {}, patch_json(R"([{"op":"replace","path":"meta.created","value":"2001-01-01T00:00:00Z"}])"), 400, "mutability"},
      // RFC 3986 §2.1: '%' must be followed by two hex digits.
      {"bad_percent_in_path", "GET", "/Users/%zz", {}, "", 400, "invalidSyntax"},
      {"bad_percent_in_query", "GET", "/Users?filter=userName%20eq%20%22a%2", {}, "", 400, "invalidSyntax"},
      // RFC 7231 §6.5.5: 405 for a method the resource does not support.
      {"method_delete_on_collection", "DELETE", "/Users", {}, "", 405, ""},
      {"method_put_on_collection", "PUT", "/Users", {}, user_json(R"("userName":"w@example.com")"), 405, ""},
      {"method_post_on_resource", "POST", "/Users/{id}", {}, user_json(R"("userName":"w@example.com")"), 405, ""},
      {"method_patch_on_service_provider_config", "PATCH", "/ServiceProviderConfig", {}, patch_json("[]"), 405, ""},
      {"method_get_on_bulk", "GET", "/Bulk", {}, "", 405, ""},
      // RFC 7644 §3.12: 404 for an unknown resource or endpoint.
      {"unknown_user_id", "GET", "/Users/00000000-0000-4000-8000-000000000000", {}, "", 404, ""},
      {"unknown_endpoint", "GET", "/Widgets", {}, "", 404, ""},
      {"unknown_resource_type", "GET", "/ResourceTypes/Widget", {}, "", 404, ""},
      {"unknown_schema", "GET", "/Schemas/urn:example:nothing", {}, "", 404, ""},
      // RFC 7644 §3.4.2.4: startIndex and count are integers.
      {"start_index_not_integer", "GET", "/Users?startIndex=abc", {}, "", 400, "invalidValue"},
      {"count_not_integer", "GET", "/Users?count=1.5", {}, "", 400, "invalidValue"},
      {"sort_by_unknown", "GET", "/Users?sortBy=noSuchAttribute", {}, "", 400, "invalidValue"},
      {"attributes_bad_path", "GET", "/Users?attributes=name..givenName", {}, "", 400, "invalidValue"},
      // RFC 7644 §3.7.4: more operations than bulk.maxOperations is 413.
      {"bulk_over_max_operations", "POST", "/Bulk", {}, many_ops, 413, ""},
      {"bulk_without_operations", "POST", "/Bulk", {}, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"]})", 400, "invalidSyntax"},
      // RFC 7644 §3.12: 413 "The request payload is too large".
      {"body_over_limit", "POST", "/Users", {"Expect: 100-continue"}, big, 413, ""},
      // RFC 6750 §3 / RFC 7644 §2: only Bearer tokens are accepted.
      {"authorization_basic", "GET", "/Users", {"Authorization: Basic dXNlcjpwYXNz"}, "", 401, ""},
      {"authorization_token_scheme", "GET", "/Users", {std::string("Authorization: Token ") + kToken}, "", 401, ""},
  };
}

std::string substitute(std::string text, const std::string& key, const std::string& value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
  return text;
}

using Rfc7644_3_12_HttpStatusAndErrorResponseHandling = WireTest;

TEST_F(Rfc7644_3_12_HttpStatusAndErrorResponseHandling, MalformedRequestsGetPreciseScimErrors) {
  std::string id = create_user("Seed.User@example.com");
  HttpReply group = call("POST", "/Groups", json{{"schemas", {kGroupSchema}}, {"displayName", "Seed Group"}});
  ASSERT_EQ(group.status, 201) << group.text;
  std::string gid = group.body.value("id", "");
  std::string seed_etag = call("GET", "/Users/" + id).header("ETag");

  std::vector<Case> cases = malformed_cases();
  ASSERT_GE(cases.size(), 40u);
  for (const Case& row : cases) {
    std::string path = substitute(substitute(row.path, "{id}", id), "{gid}", gid);
    std::string body = substitute(row.body, "{id}", id);
    std::vector<std::string> headers = row.headers;
    bool auth = true;
    for (const auto& h : headers)
      if (h.rfind("Authorization:", 0) == 0) auth = false;
    HttpReply reply = call(row.method, path, body, headers, auth);
    expect_scim_error(reply, row.status, row.scim_type, std::string(row.name) + ": " + row.method + " " + row.path);
  }

  // No malformed request changed anything: one user, one group, the seed user untouched.
  HttpReply users = call("GET", "/Users");
  ASSERT_EQ(users.status, 200) << users.error;
  EXPECT_EQ(users.body["totalResults"], 1) << users.text;
  EXPECT_EQ(call("GET", "/Groups").body["totalResults"], 1);
  EXPECT_EQ(call("GET", "/Users/" + id).header("ETag"), seed_etag);

  // And the server still serves.
  std::string after = create_user("after.table@example.com");
  HttpReply read = call("GET", "/Users/" + after);
  ASSERT_EQ(read.status, 200) << read.error << read.text;
  EXPECT_EQ(read.body["userName"], "after.table@example.com");
  EXPECT_EQ(call("GET", "/Users").body["totalResults"], 2);
}

}  // namespace
}  // namespace refserver::wire
