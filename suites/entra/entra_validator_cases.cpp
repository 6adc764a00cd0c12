// Microsoft Entra ID's SCIM Validator, the tests whose one-off write must be judged twice: by
// what the validator asserts (vendor checks) and by the RFC (our checks), on the same answer.
// A POST that creates, a DELETE that deletes, and the manager removal (where the validator
// accepts two outcomes, "absent" and {"value":""}, that a data step cannot state as one check)
// cannot be repeated for a second set of checks. The other validator tests are data:
// fixtures/cases/entra-validator/*.json.
//
// Microsoft publishes no test list: the tests and their assertions are rebuilt from published
// result analyses (shared/reference/vendor-suites.md), the payloads from Entra's documented
// requests (shared/reference/idp-quirks.md, E1-E25).
#include "scim/schema.hpp"
#include "simulator/client/url.hpp"
#include "suites/runner/case.hpp"
#include "suites/runner/case_context.hpp"
#include "suites/runner/json_match.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace suites {

CaseList entra_validator_cases();

namespace {

constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
constexpr const char* kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
constexpr const char* kMicrosoftGroup = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
constexpr const char* kError = "urn:ietf:params:scim:api:messages:2.0:Error";
constexpr const char* kPatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

CheckOptions vendor() {
  CheckOptions options;
  options.vendor = true;
  return options;
}

CheckOptions rfc(std::string citation, Level level = Level::must) {
  CheckOptions options;
  options.citation = std::move(citation);
  options.level = level;
  return options;
}

std::string shown(const nlohmann::json* value) { return value ? brief(*value, 120) : "absent"; }

// Entra's POST /Users (idp-quirks E18): core and enterprise schemas even without extension
// data, the readOnly meta.resourceType, roles: [], explicit nulls for unmapped attributes, and a
// work email whose case differs from userName (E25).
nlohmann::json entra_user(const CaseContext& context, const std::string& given, const std::string& family) {
  std::string login = scim::to_lower(given + "." + family) + "-" + context.suffix();
  return {{"schemas", {kUserSchema, kEnterprise}},
          {"externalId", scim::to_lower(given) + "-" + context.suffix()},
          {"userName", login + "@contoso.com"},
          {"active", true},
          {"emails", {{{"primary", true}, {"type", "work"}, {"value", given + "." + family + "-" + context.suffix() + "@Contoso.com"}}}},
          {"meta", {{"resourceType", "User"}}},
          {"name", {{"formatted", given + " " + family}, {"familyName", family}, {"givenName", given}}},
          {"title", nullptr},
          {"addresses", nullptr},
          {"roles", nlohmann::json::array()}};
}

// Entra's POST /Groups (E6): created empty, with Microsoft's group schema URN and the Entra
// objectId as externalId.
nlohmann::json entra_group(const CaseContext& context) {
  return {{"schemas", {kGroupSchema, kMicrosoftGroup}},
          {"externalId", "9d1c2a3b-" + context.suffix()},
          {"displayName", "Entra Group " + context.suffix()},
          {"meta", {{"resourceType", "Group"}}}};
}

std::string id_of(const scimclient::Exchange& answer) {
  auto body = answer.json();
  if (!body || !body->is_object()) return "";
  const nlohmann::json* id = find_member(*body, "id");
  return id && id->is_string() ? id->get<std::string>() : "";
}

bool has_schema(const nlohmann::json& body, const char* urn) {
  const nlohmann::json* schemas = find_member(body, "schemas");
  if (!schemas || !schemas->is_array()) return false;
  for (const auto& s : *schemas)
    if (s.is_string() && s.get<std::string>() == urn) return true;
  return false;
}

void expect_equals(CaseContext& context, const nlohmann::json& body, const std::string& pointer,
                   const nlohmann::json& wanted, const std::string& what, const CheckOptions& options) {
  const nlohmann::json* got = find_pointer(body, pointer);
  context.expect(got && *got == wanted, what, brief(wanted, 120), shown(got), options);
}

// RFC 7644 §3.3: 201, a Location header and meta.location naming the same URI, an id.
void rfc_created(CaseContext& context, const scimclient::Exchange& answer) {
  auto body = answer.json().value_or(nlohmann::json());
  context.expect_status(answer, 201, rfc("RFC 7644 §3.3"));
  const nlohmann::json* id = find_member(body, "id");
  context.expect(id && id->is_string() && !id->get<std::string>().empty(), "the created resource has a server-assigned id",
                 "an id", shown(id), rfc("RFC 7643 §3.1"));
  std::string location = answer.header("Location");
  context.expect(!location.empty(), "the Location header names the created resource", "a Location header",
                 location.empty() ? "absent" : location, rfc("RFC 7644 §3.3"));
  const nlohmann::json* meta_location = find_pointer(body, "/meta/location");
  context.expect(meta_location && meta_location->is_string() && meta_location->get<std::string>() == location,
                 "meta.location in the body is the same URI as Location", location.empty() ? "the Location URI" : location,
                 shown(meta_location), rfc("RFC 7644 §3.3"));
}

// RFC 7644 §3.12: an error is a JSON body with the Error schema and "status" as a JSON string.
void rfc_error_body(CaseContext& context, const scimclient::Exchange& answer, int status) {
  auto body = answer.json().value_or(nlohmann::json());
  context.expect(has_schema(body, kError), "the error body carries the Error schema URN", kError, brief(body, 160),
                 rfc("RFC 7644 §3.12"));
  const nlohmann::json* given = find_member(body, "status");
  context.expect(given && given->is_string() && given->get<std::string>() == std::to_string(status),
                 "\"status\" is the HTTP status as a JSON string", "\"" + std::to_string(status) + "\"", shown(given),
                 rfc("RFC 7644 §3.12"));
}

// ---- Users -----------------------------------------------------------------------------------

// "Create a new User (POST, then a verifying GET)".
void user_create(CaseContext& context) {
  nlohmann::json sent = entra_user(context, "Ellen", "Entra");
  const auto& created = context.post("/Users", sent);
  std::string id = id_of(created);
  if (!id.empty() && (created.status == 201 || created.status == 200)) context.track("/Users", id);
  context.expect_status(created, 201, vendor());
  rfc_created(context, created);
  if (id.empty()) return;

  const auto& read = context.get("/Users/" + id);
  auto body = read.json().value_or(nlohmann::json());
  // The validator compares every attribute it sent with what the GET returns.
  context.expect_status(read, 200, vendor());
  for (const char* pointer : {"/userName", "/externalId", "/active", "/name/givenName", "/name/familyName", "/name/formatted"})
    expect_equals(context, body, pointer, *find_pointer(sent, pointer), std::string("Entra: ") + (pointer + 1) + " reads back as sent",
                  vendor());
  expect_equals(context, body, "/emails/0/value", sent["emails"][0]["value"], "Entra: the work email reads back as sent",
                vendor());

  context.expect_status(read, 200, rfc("RFC 7644 §3.4.1"));
  expect_equals(context, body, "/id", id, "GET by id returns the created resource", rfc("RFC 7644 §3.4.1"));
  expect_equals(context, body, "/active", true, "active is stored as the JSON boolean sent", rfc("RFC 7643 §2.3.2"));
  const nlohmann::json* title = find_member(body, "title");
  context.expect(title == nullptr || title->is_null(), "an attribute sent as null is unassigned", "unassigned",
                 shown(title), rfc("RFC 7643 §2.5"));
}

// "Patch User – Remove Manager": Entra clears the manager with a Replace of {"value":""}.
void user_remove_manager(CaseContext& context) {
  std::string manager = context.create("/Users", {{"schemas", {kUserSchema}},
                                                  {"userName", "mona.manager-" + context.suffix() + "@contoso.com"},
                                                  {"name", {{"givenName", "Mona"}, {"familyName", "Manager"}}}})
                            .value("id", "");
  nlohmann::json report = entra_user(context, "Ellen", "Entra");
  report[kEnterprise] = {{"manager", {{"value", manager}}}};
  std::string id = context.create("/Users", report).value("id", "");
  const std::string path = std::string("/") + kEnterprise + "/manager/value";

  nlohmann::json patch = {{"schemas", {kPatchOp}},
                          {"Operations", {{{"op", "Replace"}, {"path", std::string(kEnterprise) + ":manager"},
                                           {"value", {{"value", ""}}}}}}};
  const auto& answer = context.patch("/Users/" + id, patch);
  int status = answer.status;
  context.expect_status_in(answer, {200, 204}, vendor());
  // RFC 7644 §3.5.2: success is 200 with the resource or 204. A server may refuse Entra's
  // capitalised "Replace" (RFC 7644 spells ops in lower case): a clean 400 that changes nothing
  // is an acceptable RFC reading; anything else is not.
  bool refused = status == 400;
  context.expect(status == 200 || status == 204 || refused, "the PATCH succeeds (200/204) or is refused with 400",
                 "200, 204 or 400", std::to_string(status), rfc("RFC 7644 §3.5.2"));
  if (refused) context.note("the server refused Entra's capitalised \"Replace\": RFC-defensible, but Entra never clears managers");

  const auto& read = context.get("/Users/" + id);
  auto body = read.json().value_or(nlohmann::json());
  const nlohmann::json* value = find_pointer(body, path);
  std::string left = value && value->is_string() ? value->get<std::string>() : "";
  context.expect_status(read, 200, vendor());
  // The validator passes when the old manager is gone, including a manager left as
  // {"value":""} (a known false pass, vendor-suites.md).
  context.expect(left != manager, "Entra: the manager no longer points at the old manager", "not " + manager,
                 shown(value), vendor());
  if (refused) {
    context.expect(left == manager, "a refused PATCH changes nothing", manager, shown(value), rfc("RFC 7644 §3.5.2"));
    return;
  }
  context.expect(left != manager, "after the replace the old manager is no longer referenced", "not " + manager,
                 shown(value), rfc("RFC 7644 §3.5.2.3"));
  // An empty id references no resource: clearing the manager is the meaning a client can rely on.
  context.expect(value == nullptr || value->is_null(), "no manager reference is left (manager unassigned, not {\"value\":\"\"})",
                 "manager.value unassigned", shown(value), rfc("RFC 7643 §4.3", Level::should));
}

// "Delete a User (DELETE, then a verifying GET expects 404)".
void user_delete(CaseContext& context) {
  nlohmann::json sent = entra_user(context, "Ellen", "Entra");
  std::string id = context.create("/Users", sent).value("id", "");
  const auto& gone = context.del("/Users/" + id);
  context.expect_status(gone, 204, vendor());
  context.expect_status(gone, 204, rfc("RFC 7644 §3.6"));
  const auto& read = context.get("/Users/" + id);
  context.expect_status(read, 404, vendor());
  context.expect_status(read, 404, rfc("RFC 7644 §3.6"));
  std::string filter = "userName eq \"" + sent["userName"].get<std::string>() + "\"";
  const auto& listed = context.get(scimclient::with_query("/Users", {{"filter", filter}}));
  auto body = listed.json().value_or(nlohmann::json());
  const nlohmann::json* total = find_member(body, "totalResults");
  context.expect(listed.status == 200 && total && *total == 0, "the deleted user is omitted from query results",
                 "200 with totalResults 0", std::to_string(listed.status) + ", totalResults " + shown(total),
                 rfc("RFC 7644 §3.6"));
}

// ---- Groups ----------------------------------------------------------------------------------

// "Create a new Group".
void group_create(CaseContext& context) {
  nlohmann::json sent = entra_group(context);
  const auto& created = context.post("/Groups", sent);
  std::string id = id_of(created);
  if (!id.empty() && (created.status == 201 || created.status == 200)) context.track("/Groups", id);
  context.expect_status(created, 201, vendor());
  rfc_created(context, created);
  if (id.empty()) return;
  const auto& read = context.get(scimclient::with_query("/Groups/" + id, {{"excludedAttributes", "members"}}));
  auto body = read.json().value_or(nlohmann::json());
  context.expect_status(read, 200, vendor());
  expect_equals(context, body, "/displayName", sent["displayName"], "Entra: displayName reads back as sent", vendor());
  expect_equals(context, body, "/externalId", sent["externalId"], "Entra: externalId reads back as sent", vendor());
  context.expect_status(read, 200, rfc("RFC 7644 §3.4.1"));
  expect_equals(context, body, "/id", id, "GET by id returns the created group", rfc("RFC 7644 §3.4.1"));
  context.expect(has_schema(body, kGroupSchema), "schemas names the core Group schema", kGroupSchema, brief(body, 160),
                 rfc("RFC 7643 §3"));
}

// "Create a duplicate Group": Entra needs unique displayNames (E7); RFC 7643 does not.
void group_create_duplicate(CaseContext& context) {
  nlohmann::json sent = entra_group(context);
  context.create("/Groups", sent);
  const auto& again = context.post("/Groups", sent);
  if (again.status == 201 || again.status == 200)
    if (std::string id = id_of(again); !id.empty()) context.track("/Groups", id);
  context.expect_status(again, 409, vendor());
  // RFC 7643 §4.2 gives Group displayName uniqueness "none": a second group is allowed. If the
  // server does refuse it, RFC 7644 §3.3 fixes how: 409 with scimType "uniqueness".
  context.expect_status_in(again, {201, 409}, rfc("RFC 7644 §3.3"));
  if (again.status == 409) {
    auto body = again.json().value_or(nlohmann::json());
    const nlohmann::json* type = find_member(body, "scimType");
    context.expect(type && *type == "uniqueness", "the conflict carries scimType \"uniqueness\"", "uniqueness", shown(type),
                   rfc("RFC 7644 §3.3"));
    rfc_error_body(context, again, 409);
  } else if (again.status == 201) {
    context.note("the server allows duplicate group displayNames (RFC 7643 allows it); Entra matches groups by "
                 "displayName and then links the wrong one");
  }
}

// "Delete a Group".
void group_delete(CaseContext& context) {
  nlohmann::json sent = entra_group(context);
  std::string id = context.create("/Groups", sent).value("id", "");
  const auto& gone = context.del("/Groups/" + id);
  context.expect_status(gone, 204, vendor());
  context.expect_status(gone, 204, rfc("RFC 7644 §3.6"));
  const auto& read = context.get("/Groups/" + id);
  context.expect_status(read, 404, vendor());
  context.expect_status(read, 404, rfc("RFC 7644 §3.6"));
  std::string filter = "displayName eq \"" + sent["displayName"].get<std::string>() + "\"";
  const auto& listed = context.get(scimclient::with_query("/Groups", {{"filter", filter}}));
  auto body = listed.json().value_or(nlohmann::json());
  const nlohmann::json* total = find_member(body, "totalResults");
  context.expect(listed.status == 200 && total && *total == 0, "the deleted group is omitted from query results",
                 "200 with totalResults 0", std::to_string(listed.status) + ", totalResults " + shown(total),
                 rfc("RFC 7644 §3.6"));
}

// ---- Preview: delete the same resource twice -------------------------------------------------

void delete_twice(CaseContext& context, const std::string& endpoint, const nlohmann::json& body) {
  std::string id = context.create(endpoint, body).value("id", "");
  const auto& first = context.del(endpoint + "/" + id);
  context.expect_status(first, 204, vendor());
  context.expect_status(first, 204, rfc("RFC 7644 §3.6"));
  const auto& second = context.del(endpoint + "/" + id);
  context.expect_status(second, 404, vendor());
  context.expect_status(second, 404, rfc("RFC 7644 §3.6"));
  rfc_error_body(context, second, 404);
}

void user_delete_twice(CaseContext& context) { delete_twice(context, "/Users", entra_user(context, "Ellen", "Entra")); }
void group_delete_twice(CaseContext& context) { delete_twice(context, "/Groups", entra_group(context)); }

CaseInfo info(std::string id, std::string section, std::string title, std::string quote, std::string hint,
              std::vector<std::string> keywords, std::vector<std::string> requires_capabilities,
              std::vector<std::string> depends) {
  CaseInfo info;
  info.id = std::move(id);
  info.profile = "entra-validator";
  info.vendor = "Entra ID";
  info.title = std::move(title);
  info.spec = SpecRef{"entra-validator", std::move(section), Level::must, std::move(quote)};
  info.keywords = {"entra", "vendor"};
  for (auto& k : keywords) info.keywords.push_back(std::move(k));
  info.requires_capabilities = std::move(requires_capabilities);
  info.depends_on = std::move(depends);
  info.hint = std::move(hint);
  info.source = "suites/entra/entra_validator_cases.cpp";
  return info;
}

}  // namespace

CaseList entra_validator_cases() {
  const std::vector<std::string> after_user = {"rfc7644/3.3/create-user-201"};
  const std::vector<std::string> after_group = {"rfc7644/3.3/create-group-201"};
  CaseList cases;
  cases.push_back({info("entra-validator/user/create", "mandatory-user",
                        "Entra: POST /Users with Entra's payload answers 201, and a GET returns every value sent",
                        "Mandatory, User: Create a new User (POST, then a verifying GET)",
                        "Accept Entra's create as sent: core plus enterprise schema URNs with no extension data, a "
                        "readOnly meta.resourceType (ignore it), roles: [], and explicit nulls (treat null as unassigned, "
                        "RFC 7643 §2.5). Answer 201 with a Location header: Entra's validator does not check Location "
                        "(a known false pass), RFC 7644 §3.3 requires it.",
                        {"Users", "POST"}, {"users", "enterprise-user"}, after_user),
                   user_create});
  cases.push_back({info("entra-validator/user/remove-manager", "mandatory-user",
                        "Entra: Replace of the manager with {\"value\":\"\"} removes the manager",
                        "Mandatory, User: Patch User – Remove Manager (removal is replace with {\"value\":\"\"})",
                        "Entra removes a manager with {\"op\":\"Replace\",\"path\":\"urn:…:enterprise:2.0:User:manager\","
                        "\"value\":{\"value\":\"\"}}. Treat an empty manager value as removal: drop the manager. Entra's "
                        "validator also passes a server that stores {\"value\":\"\"} (a known false pass); that leaves "
                        "a reference to no resource, which our RFC check reports (SHOULD, RFC 7643 §4.3).",
                        {"Users", "PATCH", "entra-dialect", "manager"}, {"users", "patch", "enterprise-user"}, after_user),
                   user_remove_manager});
  cases.push_back({info("entra-validator/user/delete", "mandatory-user",
                        "Entra: DELETE /Users/{id} answers 204 and the user is gone (GET 404, not listed)",
                        "Mandatory, User: Delete a User (DELETE, then a verifying GET expects 404)",
                        "Answer DELETE with 204 No Content, then 404 for the id and omit the user from filters "
                        "(RFC 7644 §3.6). A soft delete is fine if it is invisible to the API.",
                        {"Users", "DELETE"}, {"users"}, after_user),
                   user_delete});
  cases.push_back({info("entra-validator/group/create", "mandatory-group",
                        "Entra: POST /Groups with Microsoft's group schema URN answers 201, and a GET returns its values",
                        "Mandatory, Group: Create a new Group",
                        "Accept the extra schema URN http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/"
                        "Group and a group without members; answer 201 with a Location header (RFC 7644 §3.3).",
                        {"Groups", "POST"}, {"groups"}, after_group),
                   group_create});
  cases.push_back({info("entra-validator/group/create-duplicate", "mandatory-group",
                        "Entra: a second group with the same displayName is refused with 409",
                        "Mandatory, Group: Create a duplicate Group",
                        "Entra matches groups by displayName and needs it unique (idp-quirks E7); refuse a duplicate "
                        "with 409 and scimType \"uniqueness\". RFC 7643 itself allows duplicates, so our RFC check "
                        "accepts 201 too, but requires uniqueness and a SCIM Error body (\"status\" as a string; the "
                        "validator also accepts a number) when you refuse.",
                        {"Groups", "POST", "uniqueness"}, {"groups"}, after_group),
                   group_create_duplicate});
  cases.push_back({info("entra-validator/group/delete", "mandatory-group",
                        "Entra: DELETE /Groups/{id} answers 204 and the group is gone (GET 404, not listed)",
                        "Mandatory, Group: Delete a Group",
                        "Answer DELETE with 204 No Content, then 404 for the id and omit the group from filters "
                        "(RFC 7644 §3.6).",
                        {"Groups", "DELETE"}, {"groups"}, after_group),
                   group_delete});
  cases.push_back({info("entra-validator/preview/delete-user-twice", "preview",
                        "Entra preview: deleting the same user twice answers 204, then 404",
                        "Preview (informational): Delete the same User or Group twice",
                        "After a delete, every operation on the id answers 404 with a SCIM Error body (RFC 7644 §3.6), "
                        "including a second DELETE; a second 204 hides that the account was already gone. Entra's "
                        "validator checks only the status code and accepts a numeric \"status\" (a known false pass); "
                        "our RFC check requires the string.",
                        {"Users", "DELETE", "preview"}, {"users"}, after_user),
                   user_delete_twice});
  cases.push_back({info("entra-validator/preview/delete-group-twice", "preview",
                        "Entra preview: deleting the same group twice answers 204, then 404",
                        "Preview (informational): Delete the same User or Group twice",
                        "After a delete, every operation on the id answers 404 with a SCIM Error body (RFC 7644 §3.6).",
                        {"Groups", "DELETE", "preview"}, {"groups"}, after_group),
                   group_delete_twice});
  return cases;
}

}  // namespace suites
