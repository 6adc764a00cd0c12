// The clickhouse profile: the provisioning behaviour ClickHouse Cloud documents for its SCIM
// endpoint (scim_ key + secret tokens, two active at most, Okta's Basic and Entra's Bearer
// key:secret, lowercase emails, userName = sign-in email, group→role mapping with a Default
// role, deactivation removing access, an audit log), checked on any target that claims it.
// Every case needs the target's admin API (--admin-url, --admin-token); without it the case is
// unsupported, not failed.
#include "simulator/client/url.hpp"
#include "suites/clickhouse/clickhouse_admin.hpp"
#include "suites/runner/case.hpp"
#include "suites/runner/case_context.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <mutex>

namespace suites {

CaseList clickhouse_cases();

namespace {

using clickhouse::AdminApi;

constexpr const char* kUser = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* kGroup = "urn:ietf:params:scim:schemas:core:2.0:Group";
constexpr const char* kPatch = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

// At most two tokens are active per organization: cases that issue tokens take turns, or a
// rotation running beside the third-token case would see the limit it does not test.
std::mutex& token_turn() {
  static std::mutex turn;
  return turn;
}

CaseInfo info(std::string id, std::string section, std::string title, std::string quote, std::string hint,
              std::vector<std::string> keywords, std::vector<std::string> depends = {}) {
  CaseInfo info;
  info.id = std::move(id);
  info.profile = "clickhouse";
  info.title = std::move(title);
  info.spec = SpecRef{"clickhouse", std::move(section), Level::must, std::move(quote)};
  info.keywords = {"clickhouse", "writes"};
  for (auto& k : keywords) info.keywords.push_back(std::move(k));
  info.requires_capabilities = {"users"};
  info.depends_on = std::move(depends);
  info.hint = std::move(hint);
  info.source = "suites/clickhouse/clickhouse_cases.cpp";
  return info;
}

std::string base64(const std::string& text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string email_of(CaseContext& c, std::string_view local) { return c.unique(local) + "@example.com"; }

nlohmann::json user_body(const std::string& user_name, const std::string& email, const std::string& given = "Ada") {
  return {{"schemas", {kUser}},
          {"userName", user_name},
          {"name", {{"givenName", given}, {"familyName", "Lovelace"}}},
          {"emails", {{{"value", email}, {"type", "work"}, {"primary", true}}}},
          {"active", true}};
}

nlohmann::json patch_body(nlohmann::json operations) { return {{"schemas", {kPatch}}, {"Operations", std::move(operations)}}; }

std::string create_user(CaseContext& c, std::string_view local) {
  std::string email = email_of(c, local);
  return c.create("/Users", user_body(email, email))["id"];
}

std::string create_group(CaseContext& c, const std::string& name, const std::vector<std::string>& members) {
  nlohmann::json body = {{"schemas", {kGroup}}, {"displayName", name}, {"members", nlohmann::json::array()}};
  for (const auto& id : members) body["members"].push_back({{"value", id}});
  return c.create("/Groups", body)["id"];
}

std::vector<std::string> roles_of(CaseContext& c, const std::string& id) {
  const scimclient::Exchange& read = c.get("/Users/" + id);
  c.require(read.status == 200, "GET /Users/" + id + " answers 200");
  std::vector<std::string> names;
  std::optional<nlohmann::json> body = read.json();
  if (body && body->contains("roles") && (*body)["roles"].is_array())
    for (const auto& role : (*body)["roles"])
      if (role.is_object() && role.contains("value") && role["value"].is_string()) names.push_back(role["value"]);
  return names;
}

std::string join(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& item : items) out += (out.size() > 1 ? ", " : "") + item;
  return out + "]";
}

bool has(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

void expect_roles(CaseContext& c, const std::string& id, const std::vector<std::string>& wanted, const std::string& what) {
  std::vector<std::string> roles = roles_of(c, id);
  std::vector<std::string> sorted_roles = roles, sorted_wanted = wanted;
  std::sort(sorted_roles.begin(), sorted_roles.end());
  std::sort(sorted_wanted.begin(), sorted_wanted.end());
  c.expect(sorted_roles == sorted_wanted, what, join(wanted), join(roles));
}

const scimclient::Exchange& get_users_as(CaseContext& c, const std::string& authorization) {
  scimclient::HttpRequestSpec request = c.make_request("GET", "/Users?count=1");
  request.headers.emplace_back("Authorization", authorization);
  return c.send(request);
}

std::string detail_of(const scimclient::Exchange& exchange) {
  std::optional<nlohmann::json> body = exchange.json();
  return body && body->contains("detail") && (*body)["detail"].is_string() ? (*body)["detail"].get<std::string>() : "";
}

// ---- the documented five-step test plan (steps 1, 3, 4, 5; step 2 is SAML sign-in) ---------

void test_plan(CaseContext& c, bool deactivate_by_put) {
  AdminApi admin(c);
  std::string admins = c.unique("ClickHouse-Admins"), readers = c.unique("ClickHouse-Read-only");
  admin.create_role(admins, "", "Admin");
  admin.create_role(readers, "", "Read-only");
  std::string id = create_user(c, "plan");
  std::string admins_group = create_group(c, admins, {id});
  std::string readers_group = create_group(c, readers, {});
  expect_roles(c, id, {admins, "Admin"}, "1. a user added to " + admins + " has the role Admin");

  c.require(c.patch("/Users/" + id, patch_body({{{"op", "replace"}, {"path", "name.givenName"}, {"value", "Augusta"}}})).status == 200,
            "PATCH name.givenName answers 200");
  std::optional<nlohmann::json> renamed = c.get("/Users/" + id).json();
  c.expect(renamed && renamed->value("/name/givenName"_json_pointer, std::string()) == "Augusta",
           "3. the changed first name is stored", "Augusta", renamed ? renamed->value("/name/givenName"_json_pointer, std::string()) : "");

  c.require(c.patch("/Groups/" + admins_group, patch_body({{{"op", "remove"}, {"path", "members[value eq \"" + id + "\"]"}}})).status == 200,
            "removing the member from " + admins + " answers 200");
  c.require(c.patch("/Groups/" + readers_group, patch_body({{{"op", "add"}, {"path", "members"}, {"value", {{{"value", id}}}}}})).status == 200,
            "adding the member to " + readers + " answers 200");
  expect_roles(c, id, {readers, "Read-only"}, "4. moved to " + readers + ", the user's role is Read-only");

  if (deactivate_by_put) {
    nlohmann::json user = *c.get("/Users/" + id).json();
    user["active"] = false;
    user.erase("roles");
    c.require(c.put("/Users/" + id, user).status == 200, "PUT with active false answers 200");
  } else {
    c.require(c.patch("/Users/" + id, patch_body({{{"op", "replace"}, {"value", {{"active", false}}}}})).status == 200,
              "Okta's path-less PATCH {\"active\": false} answers 200");
  }
  expect_roles(c, id, {}, "5. a deactivated user holds no role (removed from the organization)");
  c.expect_status(c.get("/Users/" + id), 200);
}

// ---- mapping rules ------------------------------------------------------------------------

void custom_role_named_like_group(CaseContext& c) {
  AdminApi admin(c);
  std::string name = c.unique("Analysts");
  admin.create_role(name, "", "Developer");
  std::string id = create_user(c, "named");
  create_group(c, name, {id});
  expect_roles(c, id, {name, "Developer"}, "a custom role named like the pushed group links to it");
}

void scim_group_field_binds(CaseContext& c) {
  AdminApi admin(c);
  std::string role = c.unique("Engineering"), group = c.unique("eng-all");
  admin.create_role(role, group, "Developer");
  std::string id = create_user(c, "bound");
  create_group(c, group, {id});
  expect_roles(c, id, {role, "Developer"}, "the role whose SCIM group field names the group is the user's role");
}

void unmatched_group_creates_role(CaseContext& c) {
  AdminApi admin(c);
  std::string group = c.unique("Data-Engineers");
  create_group(c, group, {});
  admin.forget_role_later(group);
  clickhouse::AdminReply roles = admin.call("GET", "/roles");
  bool created = false;
  for (const auto& role : roles.body.value("roles", nlohmann::json::array()))
    if (role.value("name", "") == group) created = !role.value("system", true);
  c.expect(created, "a pushed group that matches no role creates a custom role with its name", group, roles.body.dump());
}

void system_role_not_mappable(CaseContext& c) {
  AdminApi admin(c);
  clickhouse::AdminReply bind = admin.call("PATCH", "/roles/Admin", {{"scim_group", c.unique("ops")}});
  c.expect(bind.status >= 400 && bind.status < 500, "binding the predefined Admin role to a SCIM group is refused",
           "4xx", std::to_string(bind.status));
  const scimclient::Exchange& pushed = c.post("/Groups", {{"schemas", {kGroup}}, {"displayName", "Admin"}});
  if (pushed.status == 201) {
    if (auto body = pushed.json(); body && body->contains("id")) c.track("/Groups", (*body)["id"]);
  }
  c.expect_error(pushed, 400, "invalidValue");
  c.expect(detail_of(pushed).find("not recognised") != std::string::npos,
           "the refusal says the group name is not recognised", "displayName not recognised", detail_of(pushed));
}

void default_role(CaseContext& c) {
  AdminApi admin(c);
  std::string id = create_user(c, "nogroup");
  expect_roles(c, id, {"Default"}, "a user in no mapped group has the Default role");
}

void rename_re_evaluates(CaseContext& c) {
  AdminApi admin(c);
  std::string target_role = c.unique("Ops"), first = c.unique("Team-A");
  admin.create_role(target_role, "", "Developer");
  std::string id = create_user(c, "mover");
  std::string group = create_group(c, first, {id});
  admin.forget_role_later(first);
  c.require(c.patch("/Groups/" + group, patch_body({{{"op", "replace"}, {"path", "displayName"}, {"value", target_role}}})).status == 200,
            "renaming the group answers 200");
  expect_roles(c, id, {target_role, "Developer"}, "after the rename the members hold the role the new name maps to");
}

// ---- authentication and tokens --------------------------------------------------------------

void okta_basic(CaseContext& c) {
  std::lock_guard turn(token_turn());
  AdminApi admin(c);
  AdminApi::Token token = admin.create_token("okta-basic");
  c.expect_status(get_users_as(c, "Basic " + base64(token.key + ":" + token.secret)), 200);
  c.expect_status(get_users_as(c, "Basic " + base64(token.key + ":wrong")), 401);
}

void entra_bearer(CaseContext& c) {
  std::lock_guard turn(token_turn());
  AdminApi admin(c);
  AdminApi::Token token = admin.create_token("entra-bearer");
  c.expect_status(get_users_as(c, "Bearer " + token.key + ":" + token.secret), 200);
  const scimclient::Exchange& doubled = get_users_as(c, "Bearer Bearer " + token.key + ":" + token.secret);
  c.expect_error(doubled, 401);
  c.expect(detail_of(doubled).find("Bearer") != std::string::npos,
           "a value starting with a second \"Bearer \" is refused with a detail naming that mistake",
           "a detail mentioning Bearer", detail_of(doubled));
}

void rotation(CaseContext& c) {
  std::lock_guard turn(token_turn());
  AdminApi admin(c);
  AdminApi::Token old_token = admin.create_token("rotation-old");
  std::string as_old = "Bearer " + old_token.key + ":" + old_token.secret;
  // A change made with the old token, before the switch.
  std::string before = email_of(c, "before");
  scimclient::HttpRequestSpec create = c.make_request("POST", "/Users", user_body(before, before).dump(),
                                                      {{"Content-Type", "application/scim+json"}});
  create.headers.emplace_back("Authorization", as_old);
  const scimclient::Exchange& made = c.send(create);
  c.require(made.status == 201, "POST /Users with the old token answers 201");
  if (auto body = made.json(); body && body->contains("id")) c.track("/Users", (*body)["id"]);

  AdminApi::Token new_token = admin.create_token("rotation-new");
  std::string as_new = "Bearer " + new_token.key + ":" + new_token.secret;
  c.expect_status(get_users_as(c, as_old), 200, {});
  c.expect_status(get_users_as(c, as_new), 200, {});
  admin.revoke(old_token.key);
  const scimclient::Exchange& refused = get_users_as(c, as_old);
  c.expect_error(refused, 401);
  c.expect_status(get_users_as(c, as_new), 200);
  // Nothing written with the old token is lost by the switch.
  scimclient::HttpRequestSpec lookup = c.make_request(
      "GET", scimclient::with_query("/Users", {{"filter", "userName eq \"" + before + "\""}}));
  lookup.headers.emplace_back("Authorization", as_new);
  std::optional<nlohmann::json> found = c.send(lookup).json();
  c.expect(found && found->value("totalResults", 0) == 1, "the user created with the old token is there after the rotation",
           "totalResults 1", found ? found->dump() : "no body");
}

void third_token_refused(CaseContext& c) {
  std::lock_guard turn(token_turn());
  AdminApi admin(c);
  // Fill the two slots (the run's own credential may hold one), then ask for one more.
  clickhouse::AdminReply reply;
  int issued = 0;
  for (int i = 0; i < 3; ++i) {
    reply = admin.call("POST", "/tokens", {{"label", "limit-" + std::to_string(i)}});
    if (reply.status != 201) break;
    ++issued;
    admin.revoke_later(reply.body.value("key", std::string()));
  }
  c.expect(issued <= 2, "no more than two tokens are active at once", "at most 2 issued", std::to_string(issued) + " issued");
  c.expect(reply.status >= 400 && reply.status < 500, "the token beyond the second active one is refused", "4xx",
           std::to_string(reply.status));
  std::string detail = reply.body.is_object() ? reply.body.value("detail", std::string()) : "";
  c.expect(detail.find("revoke") != std::string::npos, "the refusal says to revoke a token first",
           "a message mentioning revoke", detail);
}

// ---- users --------------------------------------------------------------------------------

void lowercase(CaseContext& c) {
  AdminApi admin(c);
  std::string mixed = c.unique("Ada.Lovelace") + "@Example.COM";
  std::string lower = mixed;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  nlohmann::json created = c.create("/Users", user_body(mixed, mixed));
  c.expect(created.value("userName", "") == lower, "userName is stored lowercase", lower, created.value("userName", ""));
  std::string email = created.contains("emails") && created["emails"].is_array() && !created["emails"].empty()
                          ? created["emails"][0].value("value", "") : "";
  c.expect(email == lower, "emails are stored lowercase", lower, email);
}

void username_must_match_email(CaseContext& c) {
  AdminApi admin(c);
  std::string user_name = c.unique("ada"), email = email_of(c, "ada.lovelace");
  const scimclient::Exchange& refused = c.post("/Users", user_body(user_name, email));
  if (refused.status == 201)
    if (auto body = refused.json(); body && body->contains("id")) c.track("/Users", (*body)["id"]);
  c.expect_error(refused, 400, "invalidValue");
  std::string detail = detail_of(refused);
  c.expect(detail.find(user_name) != std::string::npos && detail.find(email) != std::string::npos,
           "the detail names both the userName and the email", user_name + " and " + email, detail);
}

void casing_duplicate(CaseContext& c) {
  AdminApi admin(c);
  std::string invited = email_of(c, "grace.hopper");
  create_user(c, "grace.hopper");
  // The IdP's copy differs in case only: Okta's existence check must find the invited user, and
  // a create must not make a second account.
  std::string upper = invited;
  upper[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[0])));
  std::optional<nlohmann::json> found =
      c.get(scimclient::with_query("/Users", {{"filter", "userName eq \"" + upper + "\""}, {"startIndex", "1"}, {"count", "100"}})).json();
  c.expect(found && found->value("totalResults", 0) == 1, "the existence check finds the user whatever the casing",
           "totalResults 1", found ? found->dump() : "no body");
  const scimclient::Exchange& again = c.post("/Users", user_body(upper, upper));
  if (again.status == 201)
    if (auto body = again.json(); body && body->contains("id")) c.track("/Users", (*body)["id"]);
  c.expect_error(again, 409, "uniqueness");
}

void audit_without_secrets(CaseContext& c) {
  AdminApi admin(c);
  std::string email = email_of(c, "audited");
  nlohmann::json body = user_body(email, email);
  std::string password = "Pw-" + c.unique("secret");
  body["password"] = password;
  std::string id = c.create("/Users", body)["id"];
  c.require(c.patch("/Users/" + id, patch_body({{{"op", "replace"}, {"path", "active"}, {"value", false}}})).status == 200,
            "deactivating the user answers 200");
  clickhouse::AdminReply audit = admin.call("GET", "/audit");
  std::vector<std::string> actions;
  for (const auto& entry : audit.body.value("entries", nlohmann::json::array()))
    if (entry.value("resource", "") == "Users/" + id) actions.push_back(entry.value("action", ""));
  c.expect(has(actions, "user.create"), "the creation is in the audit log", "user.create", join(actions));
  c.expect(has(actions, "user.deactivate"), "the deactivation is in the audit log", "user.deactivate", join(actions));
  c.expect(audit.body.dump().find(password) == std::string::npos, "the audit log holds no password", "absent", "present");
}

}  // namespace

CaseList clickhouse_cases() {
  const std::string plan = "The documented five-step test plan: add a test user to the ClickHouse-Admins group (role Admin), "
                           "change the first name, move the user to ClickHouse-Read-only (role Read-only), unassign or "
                           "deactivate (removed from the organization).";
  CaseList cases;
  cases.push_back({info("clickhouse/test-plan/admins-to-read-only-to-deactivated", "test-plan", 
                        "The documented test plan with Okta's deactivation: role Admin, first name, role Read-only, no access",
                        plan, "Map groups to roles by name; compute the read-only roles attribute from membership; a user "
                        "with active false holds no role but stays readable.", {"roles", "deactivation"}),
                   [](CaseContext& c) { test_plan(c, false); }});
  cases.push_back({info("clickhouse/test-plan/deactivate-by-put", "test-plan",
                        "The test plan with deactivation by a full PUT (Okta's AIW apps, Entra's soft delete)", plan,
                        "Treat active false in PUT like the PATCH: the user loses every role.", {"roles", "deactivation"}),
                   [](CaseContext& c) { test_plan(c, true); }});
  cases.push_back({info("clickhouse/roles/custom-role-named-like-group", "roles",
                        "A custom role named like the incoming group links to it automatically",
                        "A custom role with the same name as the incoming group links automatically.",
                        "Match pushed group names to custom role names case-insensitively.", {"roles"}),
                   custom_role_named_like_group});
  cases.push_back({info("clickhouse/roles/scim-group-field", "roles", "A role's SCIM group field binds a group of another name",
                        "A role may name a different group in its \"SCIM group\" field.",
                        "Prefer an explicit SCIM group binding over a name match.", {"roles"}),
                   scim_group_field_binds});
  cases.push_back({info("clickhouse/roles/unmatched-group-creates-role", "roles",
                        "A pushed group that matches no role creates a custom role with its name",
                        "A pushed group that matches no role name and no role's SCIM group field creates a new custom role "
                        "with the group's name.", "Create the custom role when the group arrives, with no permissions yet.",
                        {"roles"}),
                   unmatched_group_creates_role});
  cases.push_back({info("clickhouse/roles/system-role-not-mappable", "roles",
                        "A predefined system role cannot be mapped to a SCIM group; a group named like one is not recognised",
                        "SCIM groups bind to custom roles by name; a predefined system role cannot be mapped. Documented error "
                        "when a group name is not recognised: \"displayName not recognised\".",
                        "Refuse the binding, and answer a group named like a system role with 400 invalidValue "
                        "\"displayName not recognised\".", {"roles", "errors"}),
                   system_role_not_mappable});
  cases.push_back({info("clickhouse/roles/default-role", "roles", "A user in no mapped group gets the Default role",
                        "A user assigned with no pushed group gets the Default role.",
                        "Give users outside every mapped group the Default role.", {"roles"}),
                   default_role});
  cases.push_back({info("clickhouse/roles/rename-re-evaluates", "roles", "Renaming a group re-evaluates its mapping",
                        "SCIM groups bind to custom roles by name.",
                        "Evaluate the mapping from the group's current name, not the name it had when pushed.", {"roles"}),
                   rename_re_evaluates});
  cases.push_back({info("clickhouse/auth/okta-basic", "auth", "Okta's HTTP Basic form: username = key, password = secret",
                        "Okta: HTTP Basic, username = the scim_ key, password = the secret.",
                        "Accept Basic credentials whose username is the key and password the secret.", {"auth", "tokens"}),
                   okta_basic});
  cases.push_back({info("clickhouse/auth/entra-bearer-key-secret", "auth",
                        "Entra's form Bearer <key>:<secret>, and the doubled \"Bearer \" mistake named in the 401",
                        "Entra ID: Bearer whose value is <key>:<secret> joined by a colon. Entra adds the Bearer prefix "
                        "itself; pasting it into the token field is a common mistake.",
                        "Split the bearer value at its first colon; detect a value starting with \"Bearer \" and say so.",
                        {"auth", "tokens"}),
                   entra_bearer});
  cases.push_back({info("clickhouse/tokens/rotation-without-downtime", "tokens",
                        "Rotation: two tokens work at once, the revoked one gets 401 at once, nothing written is lost",
                        "At most two active tokens per organization, so a rotation has no downtime: create the new one, "
                        "switch the IdP, confirm provisioning, revoke the old one.",
                        "Allow two active tokens; check revocation on every request.", {"tokens"}),
                   rotation});
  cases.push_back({info("clickhouse/tokens/third-token-refused", "tokens", "A third active token is refused, saying to revoke one",
                        "At most two active tokens per organization.",
                        "Refuse the third token with a message telling the operator to revoke one first.", {"tokens"},
                        {"clickhouse/tokens/rotation-without-downtime"}),
                   third_token_refused});
  cases.push_back({info("clickhouse/users/lowercase", "users", "userName and emails are normalised to lowercase",
                        "Emails are normalised to lowercase.", "Lowercase userName and email values on store.", {"users"}),
                   lowercase});
  cases.push_back({info("clickhouse/users/username-is-sign-in-email", "users",
                        "A userName that differs from the primary or work email is refused, naming both",
                        "userName is the unique identifier and primary email; emails[primary] (Okta) or emails[type eq "
                        "\"work\"] (Entra) must match it.",
                        "Answer 400 invalidValue with a detail naming the userName and the email.", {"users", "errors"}),
                   username_must_match_email});
  cases.push_back({info("clickhouse/users/casing-duplicate", "users",
                        "The casing duplicate story: an existing user is found and not duplicated whatever the casing",
                        "Inconsistent casing against an earlier manual invite causes duplicate members.",
                        "Compare userName case-insensitively in filters and uniqueness.", {"users", "uniqueness"}),
                   casing_duplicate});
  cases.push_back({info("clickhouse/audit/mutations-without-secrets", "audit",
                        "Every SCIM action is in the audit log, and no password is",
                        "Every SCIM action (user created, deactivated, profile updated, ...) is written to the "
                        "organization's audit log.", "Record each write with its actor; never record secret values.",
                        {"audit"}),
                   audit_without_secrets});
  return cases;
}

}  // namespace suites
