// The deliberate defects of faults.hpp. Each test runs one scenario against a clean server and
// against a server with one fault switched on: the clean server must show the RFC behaviour a
// harness expects, the faulty one exactly the defect its description names. A fault that stopped
// changing anything, or leaked into the clean server, fails here.
#include "reference_server/api/faults.hpp"
#include "reference_server/tests/api_service_fixture.hpp"
#include "scim/urns.hpp"

#include <gmock/gmock.h>

#include <set>
#include <stdexcept>

namespace refserver::testing {
namespace {

using nlohmann::json;

ServiceConfig config_with(Faults faults) {
  ServiceConfig config;
  config.faults = faults;
  return config;
}

// A whole service (in-memory store) with the given faults, for use inside a TEST body.
struct Server : ServiceTest {
  explicit Server(Faults faults = {}) : ServiceTest(config_with(faults)) {}
  explicit Server(Fault fault) : Server(Faults{}.add(fault)) {}
  void TestBody() override {}

  // A request with exactly the headers given (no Authorization added).
  Reply raw(const std::string& method, const std::string& path, transport::Headers headers) {
    transport::HttpRequest request;
    request.method = method;
    request.target = "/scim/v2" + path;
    request.headers = std::move(headers);
    transport::HttpResponse response = service_->handle(request);
    Reply reply{response.status, response.headers, response.body, nullptr};
    reply.body = json::parse(response.body, nullptr, false);
    if (reply.body.is_discarded()) reply.body = nullptr;
    return reply;
  }

  Reply filter(const std::string& resource, const std::string& text, const std::string& more = "") {
    std::string encoded;
    for (char c : text) {
      if (c == ' ') encoded += "%20";
      else if (c == '"') encoded += "%22";
      else if (c == '(') encoded += "%28";
      else if (c == ')') encoded += "%29";
      else encoded += c;
    }
    return call("GET", "/" + resource + "?filter=" + encoded + more);
  }
};

json patch_body(json operations) {
  return {{"schemas", {std::string(scim::urn::patch_op)}}, {"Operations", std::move(operations)}};
}

std::vector<std::string> user_names(const Reply& list) {
  std::vector<std::string> names;
  for (const auto& resource : list.body.value("Resources", json::array())) names.push_back(resource.value("userName", ""));
  return names;
}

using Names = std::vector<std::string>;

// ---- the catalogue ----------------------------------------------------------------------------

TEST(FaultCatalogue, EveryFaultIsListedOnceInEnumOrderWithDescriptionAndRfcSection) {
  const auto& faults = known_faults();
  EXPECT_GE(faults.size(), 18u);
  std::set<std::string> names;
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const FaultInfo& info = faults[i];
    EXPECT_EQ(static_cast<std::size_t>(info.fault), i) << info.name;
    EXPECT_TRUE(names.insert(info.name).second) << "duplicate name " << info.name;
    EXPECT_EQ(info.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"), std::string::npos) << info.name;
    EXPECT_FALSE(info.description.empty()) << info.name;
    EXPECT_EQ(info.rfc_section.rfind("RFC 764", 0), 0u) << info.name << ": " << info.rfc_section;
    EXPECT_EQ(&fault_info(info.fault), &info);
  }
  // The last enumerator is in the catalogue too (nothing added to the enum and forgotten here).
  EXPECT_EQ(faults.back().fault, Fault::throttle);
}

TEST(FaultCatalogue, NamesParseBackToTheirFault) {
  for (const auto& info : known_faults()) {
    EXPECT_EQ(parse_fault(info.name), info.fault);
    EXPECT_EQ(to_string(info.fault), info.name);
  }
  Faults faults = parse_faults({"no-etag", "create-returns-200", "no-etag"});
  EXPECT_TRUE(faults.has(Fault::no_etag));
  EXPECT_TRUE(faults.has(Fault::create_returns_200));
  EXPECT_FALSE(faults.has(Fault::etag_ignored));
  EXPECT_EQ(faults.names(), (Names{"create-returns-200", "no-etag"}));
}

TEST(FaultCatalogue, UnknownNameIsInvalidArgumentListingEveryValidName) {
  EXPECT_THROW(parse_fault("No-Etag"), std::invalid_argument);  // names are exact
  try {
    parse_faults({"no-etag", "no-such-fault"});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& error) {
    std::string message = error.what();
    EXPECT_THAT(message, ::testing::HasSubstr("\"no-such-fault\""));
    for (const auto& info : known_faults()) EXPECT_THAT(message, ::testing::HasSubstr(info.name));
  }
}

TEST(FaultCatalogue, NothingIsActiveByDefault) {
  EXPECT_TRUE(ServiceConfig{}.faults.empty());
  EXPECT_TRUE(parse_faults({}).empty());
  EXPECT_TRUE(Faults{}.names().empty());
}

TEST(FaultCatalogue, EveryFaultAtOnceStillServesRequests) {
  Faults all;
  for (const auto& info : known_faults()) all.add(info.fault);
  Server server(all);
  Reply created = server.call("POST", "/Users", json{{"schemas", {std::string(scim::urn::user)}}, {"userName", "all"}});
  EXPECT_EQ(created.status, 200) << created.text;  // create-returns-200
  std::string id = created.body.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(server.call("GET", "/Users/" + id).status, 200);
  EXPECT_EQ(server.call("DELETE", "/Users/" + id).status, 200);  // delete-returns-200-body
}

// ---- RFC 7644 §3.4.2.2 Filtering ----------------------------------------------------------------

// RFC 7643 §4.1.1: userName "is case insensitive"; RFC 7644 §3.4.2.2 compares by caseExact.
TEST(Faults_Rfc7644_3_4_2_2_Filtering, UsernameFilterCaseSensitive) {
  Server clean, faulty(Fault::username_filter_case_sensitive);
  for (Server* server : {&clean, &faulty}) server->create_user("BJensen");
  EXPECT_EQ(clean.filter("Users", "userName eq \"bjensen\"").body["totalResults"], 1);
  EXPECT_EQ(faulty.filter("Users", "userName eq \"bjensen\"").body["totalResults"], 0);
  EXPECT_EQ(faulty.filter("Users", "userName eq \"BJensen\"").body["totalResults"], 1);
}

// "Logical operators - where "not" takes precedence over "and", which takes precedence over "or""
TEST(Faults_Rfc7644_3_4_2_2_Filtering, FilterAndOrPrecedence) {
  Server clean, faulty(Fault::filter_and_or_precedence);
  for (Server* server : {&clean, &faulty}) {
    server->create_user("a", {{"active", true}});
    server->create_user("b", {{"active", false}});
    server->create_user("c", {{"active", false}});
  }
  const std::string mixed = "userName eq \"a\" or userName eq \"b\" and active eq false";
  EXPECT_EQ(user_names(clean.filter("Users", mixed)), (Names{"a", "b"}));
  EXPECT_EQ(user_names(faulty.filter("Users", mixed)), (Names{"b"}));
  // Read with "or" first this is (active eq false) and (b or a) and (active eq true): nothing.
  const std::string longer = "active eq false and userName eq \"b\" or userName eq \"a\" and active eq true";
  EXPECT_EQ(user_names(clean.filter("Users", longer)), (Names{"a", "b"}));
  EXPECT_EQ(user_names(faulty.filter("Users", longer)), (Names{}));
  // Explicit grouping is honoured by the faulty parser too.
  const std::string grouped = "userName eq \"a\" or (userName eq \"b\" and active eq false)";
  EXPECT_EQ(user_names(clean.filter("Users", grouped)), (Names{"a", "b"}));
  EXPECT_EQ(user_names(faulty.filter("Users", grouped)), (Names{"a", "b"}));
}

// RFC 7644 §3.12: invalidFilter "The specified filter syntax was invalid", status 400.
TEST(Faults_Rfc7644_3_4_2_2_Filtering, InvalidFilter500) {
  Server clean, faulty(Fault::invalid_filter_500);
  for (Server* server : {&clean, &faulty}) server->create_user("f");
  for (const char* bad : {"userName eq", "userName xx \"f\"", "(userName eq \"f\""}) {
    Reply good = clean.filter("Users", bad);
    EXPECT_EQ(good.status, 400) << bad;
    EXPECT_EQ(good.body.value("scimType", ""), "invalidFilter") << bad;
    Reply broken = faulty.filter("Users", bad);
    EXPECT_EQ(broken.status, 500) << bad;
    EXPECT_FALSE(broken.body.contains("scimType")) << bad;
  }
  EXPECT_EQ(faulty.filter("Users", "userName eq \"f\"").body["totalResults"], 1);
}

// ---- RFC 7644 §3.4.2.3 Sorting, §3.4.2.4 Pagination --------------------------------------------

// "startIndex: The 1-based index of the first query result."
TEST(Faults_Rfc7644_3_4_2_4_Pagination, StartIndexZeroBased) {
  Server clean, faulty(Fault::start_index_zero_based);
  for (Server* server : {&clean, &faulty})
    for (const char* name : {"u1", "u2", "u3"}) server->create_user(name);
  EXPECT_EQ(user_names(clean.call("GET", "/Users?startIndex=1&count=2")), (Names{"u1", "u2"}));
  EXPECT_EQ(user_names(faulty.call("GET", "/Users?startIndex=1&count=2")), (Names{"u2", "u3"}));
  EXPECT_EQ(user_names(clean.call("GET", "/Users?startIndex=2")), (Names{"u2", "u3"}));
  EXPECT_EQ(user_names(faulty.call("GET", "/Users?startIndex=2")), (Names{"u3"}));
  EXPECT_EQ(user_names(faulty.call("GET", "/Users")), (Names{"u1", "u2", "u3"}));
}

// "count: Non-negative integer. Specifies the desired maximum number of query results per page"
TEST(Faults_Rfc7644_3_4_2_4_Pagination, CountIgnored) {
  Server clean, faulty(Fault::count_ignored);
  for (Server* server : {&clean, &faulty})
    for (const char* name : {"u1", "u2", "u3"}) server->create_user(name);
  Reply page = clean.call("GET", "/Users?count=1");
  EXPECT_EQ(user_names(page), (Names{"u1"}));
  EXPECT_EQ(page.body["itemsPerPage"], 1);
  Reply all = faulty.call("GET", "/Users?count=1");
  EXPECT_EQ(user_names(all), (Names{"u1", "u2", "u3"}));
  EXPECT_EQ(all.body["itemsPerPage"], 3);
}

// totalResults: "The total number of results returned by the list or query operation ... may be
// larger than the number of resources returned, such as when returning a single page"
TEST(Faults_Rfc7644_3_4_2_4_Pagination, TotalResultsPageSize) {
  Server clean, faulty(Fault::total_results_page_size);
  for (Server* server : {&clean, &faulty})
    for (const char* name : {"u1", "u2", "u3"}) server->create_user(name);
  EXPECT_EQ(clean.call("GET", "/Users?count=1").body["totalResults"], 3);
  Reply page = faulty.call("GET", "/Users?count=1");
  EXPECT_EQ(page.body["totalResults"], 1);
  EXPECT_EQ(user_names(page), (Names{"u1"}));  // the page itself is right
}

// sort.supported is advertised, so sortBy must order the results.
TEST(Faults_Rfc7644_3_4_2_3_Sorting, SortIgnored) {
  Server clean, faulty(Fault::sort_ignored);
  for (Server* server : {&clean, &faulty})
    for (const char* name : {"b", "c", "a"}) server->create_user(name, {{"externalId", std::string("x-") + name}});
  EXPECT_EQ(user_names(clean.call("GET", "/Users?sortBy=userName")), (Names{"a", "b", "c"}));
  EXPECT_EQ(user_names(faulty.call("GET", "/Users?sortBy=userName")), (Names{"b", "c", "a"}));
  EXPECT_EQ(user_names(faulty.call("GET", "/Users?sortBy=userName&sortOrder=descending")), (Names{"b", "c", "a"}));
  // The same through a root search spanning every resource type (RFC 7644 §3.4.3), sorted by an
  // attribute both types have.
  json search = {{"schemas", {std::string(scim::urn::search_request)}}, {"sortBy", "externalId"}};
  EXPECT_EQ(user_names(clean.call("POST", "/.search", search)), (Names{"a", "b", "c"}));
  EXPECT_EQ(user_names(faulty.call("POST", "/.search", search)), (Names{"b", "c", "a"}));
  // The advertisement the harness holds the server to is unchanged.
  EXPECT_EQ(faulty.call("GET", "/ServiceProviderConfig").body["sort"]["supported"], true);
}

// ---- RFC 7644 §3.9 attributes and excludedAttributes -------------------------------------------

TEST(Faults_Rfc7644_3_9_AdditionalResponseParameters, AttributesIgnored) {
  Server clean, faulty(Fault::attributes_ignored);
  std::string clean_id = clean.create_user("p", {{"displayName", "Pat"}});
  std::string faulty_id = faulty.create_user("p", {{"displayName", "Pat"}});
  Reply only = clean.call("GET", "/Users/" + clean_id + "?attributes=userName");
  EXPECT_FALSE(only.body.contains("displayName")) << only.text;
  EXPECT_EQ(only.body["userName"], "p");
  EXPECT_TRUE(faulty.call("GET", "/Users/" + faulty_id + "?attributes=userName").body.contains("displayName"));
  EXPECT_FALSE(clean.call("GET", "/Users/" + clean_id + "?excludedAttributes=displayName").body.contains("displayName"));
  EXPECT_TRUE(
      faulty.call("GET", "/Users/" + faulty_id + "?excludedAttributes=displayName").body.contains("displayName"));
  // Lists too.
  EXPECT_FALSE(clean.call("GET", "/Users?attributes=userName").body["Resources"][0].contains("displayName"));
  EXPECT_TRUE(faulty.call("GET", "/Users?attributes=userName").body["Resources"][0].contains("displayName"));
}

// ---- RFC 7644 §3.3 Creating Resources ---------------------------------------------------------

// "an HTTP response SHALL be returned with HTTP status code 201 (Created)"
TEST(Faults_Rfc7644_3_3_CreatingResources, CreateReturns200) {
  Server clean, faulty(Fault::create_returns_200);
  json user = {{"schemas", {std::string(scim::urn::user)}}, {"userName", "new"}};
  EXPECT_EQ(clean.call("POST", "/Users", user).status, 201);
  Reply created = faulty.call("POST", "/Users", user);
  EXPECT_EQ(created.status, 200);
  EXPECT_EQ(created.body["userName"], "new");
  EXPECT_FALSE(created.header("Location").empty());
  json group = {{"schemas", {std::string(scim::urn::group)}}, {"displayName", "g"}};
  EXPECT_EQ(clean.call("POST", "/Groups", group).status, 201);
  EXPECT_EQ(faulty.call("POST", "/Groups", group).status, 200);
}

// "The URI of the created resource SHALL include, in the HTTP "Location" header and the HTTP
// body, ... the attribute "meta.location"."
TEST(Faults_Rfc7644_3_3_CreatingResources, NoLocationHeader) {
  Server clean, faulty(Fault::no_location_header);
  json user = {{"schemas", {std::string(scim::urn::user)}}, {"userName", "loc"}};
  Reply good = clean.call("POST", "/Users", user);
  ASSERT_EQ(good.status, 201);
  EXPECT_EQ(good.header("Location"), good.body["meta"]["location"]);
  Reply bad = faulty.call("POST", "/Users", user);
  ASSERT_EQ(bad.status, 201);
  EXPECT_EQ(bad.header("Location"), "");
  EXPECT_TRUE(bad.body["meta"].contains("location"));
}

// "(e.g., a "User" resource with a duplicate "userName"), the service provider MUST return HTTP
// status code 409 (Conflict) with a "scimType" error code of "uniqueness""
TEST(Faults_Rfc7644_3_3_CreatingResources, NoDuplicate409) {
  Server clean, faulty(Fault::no_duplicate_409);
  json user = {{"schemas", {std::string(scim::urn::user)}}, {"userName", "dup"}};
  clean.create_user("dup");
  std::string first_faulty = faulty.create_user("dup");
  Reply conflict = clean.call("POST", "/Users", user);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(conflict.body.value("scimType", ""), "uniqueness");
  Reply accepted = faulty.call("POST", "/Users", json{{"schemas", {std::string(scim::urn::user)}}, {"userName", "DUP"}});
  EXPECT_EQ(accepted.status, 201);
  EXPECT_EQ(accepted.body["id"], first_faulty);
  EXPECT_EQ(faulty.call("GET", "/Users").body["totalResults"], 1);
  // Groups: displayName.
  faulty.create_group("team");
  Reply group = faulty.call("POST", "/Groups", json{{"schemas", {std::string(scim::urn::group)}}, {"displayName", "team"}});
  EXPECT_EQ(group.status, 201);
  clean.create_group("team");
  EXPECT_EQ(clean.call("POST", "/Groups", json{{"schemas", {std::string(scim::urn::group)}}, {"displayName", "team"}})
                .status,
            409);
}

// RFC 7643 §3.1: meta.location "The URI of the resource being returned", meta.version its version.
TEST(Faults_Rfc7643_3_1_CommonAttributes, MissingMeta) {
  Server clean, faulty(Fault::missing_meta);
  json user = {{"schemas", {std::string(scim::urn::user)}}, {"userName", "m"}};
  Reply good = clean.call("POST", "/Users", user);
  EXPECT_TRUE(good.body["meta"].contains("location"));
  EXPECT_TRUE(good.body["meta"].contains("version"));
  Reply bad = faulty.call("POST", "/Users", user);
  ASSERT_EQ(bad.status, 201) << bad.text;
  EXPECT_FALSE(bad.body["meta"].contains("location")) << bad.text;
  EXPECT_FALSE(bad.body["meta"].contains("version")) << bad.text;
  EXPECT_TRUE(bad.body["meta"].contains("created"));
  EXPECT_EQ(bad.body["meta"]["resourceType"], "User");
  std::string id = bad.body["id"];
  EXPECT_FALSE(faulty.call("GET", "/Users/" + id).body["meta"].contains("location"));
  EXPECT_FALSE(faulty.call("GET", "/Users").body["Resources"][0]["meta"].contains("version"));
  std::string group = faulty.create_group("g");
  EXPECT_FALSE(faulty.call("GET", "/Groups/" + group).body["meta"].contains("location"));
}

// RFC 7643 §4.1.2 groups: "A list of groups to which the user belongs, either through direct
// membership, through nested groups, or dynamically calculated."
TEST(Faults_Rfc7643_4_1_2_UserGroups, GroupsNotComputed) {
  Server clean, faulty(Fault::groups_not_computed);
  std::string clean_user = clean.create_user("member");
  std::string clean_group = clean.create_group("team", {clean_user});
  std::string faulty_user = faulty.create_user("member");
  faulty.create_group("team", {faulty_user});
  Reply good = clean.call("GET", "/Users/" + clean_user);
  ASSERT_EQ(good.body["groups"].size(), 1u) << good.text;
  EXPECT_EQ(good.body["groups"][0]["value"], clean_group);
  Reply bad = faulty.call("GET", "/Users/" + faulty_user);
  EXPECT_EQ(bad.status, 200);
  EXPECT_FALSE(bad.body.contains("groups")) << bad.text;
}

// RFC 7643 §4.1.1 password: "... MUST never be returned by a service provider in any form";
// §7 returned "never".
TEST(Faults_Rfc7643_4_1_1_Password, PasswordReturned) {
  Server clean, faulty(Fault::password_returned);
  json user = {{"schemas", {std::string(scim::urn::user)}}, {"userName", "pw"}, {"password", "t1meMa$heen"}};
  Reply good = clean.call("POST", "/Users", user);
  ASSERT_EQ(good.status, 201);
  EXPECT_FALSE(good.body.contains("password"));
  EXPECT_FALSE(clean.call("GET", "/Users/" + good.body["id"].get<std::string>()).body.contains("password"));
  Reply bad = faulty.call("POST", "/Users", user);
  ASSERT_EQ(bad.status, 201);
  EXPECT_EQ(bad.body.value("password", ""), "t1meMa$heen");
  EXPECT_EQ(faulty.call("GET", "/Users/" + bad.body["id"].get<std::string>()).body.value("password", ""),
            "t1meMa$heen");
  EXPECT_EQ(faulty.call("GET", "/Users").body["Resources"][0].value("password", ""), "t1meMa$heen");
}

// ---- RFC 7644 §3.5.2 Modifying with PATCH -----------------------------------------------------

// Entra ID sends "Add"/"Replace"/"Remove"; the clean server accepts any case (idp-quirks E1).
TEST(Faults_Rfc7644_3_5_2_Patch, PatchOpCaseSensitive) {
  Server clean, faulty(Fault::patch_op_case_sensitive);
  std::string clean_id = clean.create_user("op");
  std::string faulty_id = faulty.create_user("op");
  json capitalized = patch_body({{{"op", "Replace"}, {"path", "displayName"}, {"value", "Cap"}}});
  Reply good = clean.call("PATCH", "/Users/" + clean_id, capitalized);
  EXPECT_EQ(good.status, 200) << good.text;
  EXPECT_EQ(good.body["displayName"], "Cap");
  Reply bad = faulty.call("PATCH", "/Users/" + faulty_id, capitalized);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body.value("scimType", ""), "invalidSyntax");
  EXPECT_FALSE(faulty.call("GET", "/Users/" + faulty_id).body.contains("displayName"));
  json lower = patch_body({{{"op", "replace"}, {"path", "displayName"}, {"value", "low"}}});
  EXPECT_EQ(faulty.call("PATCH", "/Users/" + faulty_id, lower).status, 200);
}

// Entra ID removes members with path "members" and a value array (idp-quirks E3).
TEST(Faults_Rfc7644_3_5_2_2_PatchRemove, EntraMemberRemovalIgnored) {
  Server clean, faulty(Fault::entra_member_removal_ignored);
  for (Server* server : {&clean, &faulty}) {
    std::string stays = server->create_user("stays");
    std::string leaves = server->create_user("leaves");
    std::string group = server->create_group("team", {stays, leaves});
    json entra = patch_body({{{"op", "Remove"}, {"path", "members"}, {"value", {{{"value", leaves}}}}}});
    Reply reply = server->call("PATCH", "/Groups/" + group, entra);
    EXPECT_EQ(reply.status, 200) << reply.text;
    json members = server->call("GET", "/Groups/" + group).body["members"];
    if (server == &clean) {
      ASSERT_EQ(members.size(), 1u) << members;
      EXPECT_EQ(members[0]["value"], stays);
    } else {
      EXPECT_EQ(members.size(), 2u) << members;
      // The RFC's filter form still works on the faulty server.
      json rfc = patch_body({{{"op", "remove"}, {"path", "members[value eq \"" + leaves + "\"]"}}});
      EXPECT_EQ(server->call("PATCH", "/Groups/" + group, rfc).status, 200);
      EXPECT_EQ(server->call("GET", "/Groups/" + group).body["members"].size(), 1u);
    }
  }
}

// "A PATCH request, regardless of the number of operations, SHALL be treated as atomic. If a
// single operation encounters an error condition, the original SCIM resource MUST be restored"
TEST(Faults_Rfc7644_3_5_2_Patch, PatchNotAtomic) {
  Server clean, faulty(Fault::patch_not_atomic);
  json ops = patch_body({{{"op", "replace"}, {"path", "displayName"}, {"value", "New"}},
                         {{"op", "replace"}, {"path", "title"}, {"value", "Boss"}},
                         {{"op", "remove"}, {"path", "userName"}}});  // required: 400 mutability
  for (Server* server : {&clean, &faulty}) {
    std::string id = server->create_user("atomic", {{"displayName", "Old"}});
    std::string version = server->call("GET", "/Users/" + id).header("ETag");
    Reply reply = server->call("PATCH", "/Users/" + id, ops);
    EXPECT_EQ(reply.status, 400) << reply.text;
    EXPECT_EQ(reply.body.value("scimType", ""), "mutability");
    Reply after = server->call("GET", "/Users/" + id);
    if (server == &clean) {
      EXPECT_EQ(after.body["displayName"], "Old");
      EXPECT_FALSE(after.body.contains("title"));
      EXPECT_EQ(after.header("ETag"), version);
    } else {
      EXPECT_EQ(after.body["displayName"], "New");
      EXPECT_EQ(after.body["title"], "Boss");
      EXPECT_EQ(after.body["userName"], "atomic");
      EXPECT_NE(after.header("ETag"), version);
    }
  }
  // A fully valid PATCH behaves the same on the faulty server.
  std::string id = faulty.create_user("ok");
  Reply fine = faulty.call("PATCH", "/Users/" + id,
                           patch_body({{{"op", "add"}, {"path", "title"}, {"value", "T"}},
                                       {{"op", "replace"}, {"path", "displayName"}, {"value", "D"}}}));
  EXPECT_EQ(fine.status, 200) << fine.text;
  EXPECT_EQ(fine.body["title"], "T");
  EXPECT_EQ(fine.body["displayName"], "D");
  // A malformed message is still refused as a whole.
  EXPECT_EQ(faulty.call("PATCH", "/Users/" + id, patch_body(json::array())).status, 400);
}

// ---- RFC 7644 §3.14 Versioning -----------------------------------------------------------------

// "If the version does not match, the service provider MUST return 412 Precondition Failed"
TEST(Faults_Rfc7644_3_14_Versioning, EtagIgnored) {
  Server clean, faulty(Fault::etag_ignored);
  transport::Headers stale = {{"If-Match", "W/\"999\""}};
  json put = {{"schemas", {std::string(scim::urn::user)}}, {"userName", "guarded"}, {"title", "put"}};
  json patch = patch_body({{{"op", "replace"}, {"path", "title"}, {"value", "patched"}}});
  std::string clean_id = clean.create_user("guarded");
  std::string faulty_id = faulty.create_user("guarded");
  EXPECT_EQ(clean.call("PUT", "/Users/" + clean_id, put, stale).status, 412);
  EXPECT_EQ(clean.call("PATCH", "/Users/" + clean_id, patch, stale).status, 412);
  EXPECT_EQ(clean.call("DELETE", "/Users/" + clean_id, "", stale).status, 412);
  EXPECT_EQ(faulty.call("PUT", "/Users/" + faulty_id, put, stale).status, 200);
  Reply patched = faulty.call("PATCH", "/Users/" + faulty_id, patch, stale);
  EXPECT_EQ(patched.status, 200);
  EXPECT_EQ(patched.body["title"], "patched");
  EXPECT_EQ(faulty.call("DELETE", "/Users/" + faulty_id, "", stale).status, 204);
  EXPECT_EQ(faulty.call("GET", "/Users/" + faulty_id).status, 404);
}

// etag.supported is advertised: "the service provider MUST include an HTTP "ETag" header"
// with the version it also puts in meta.version.
TEST(Faults_Rfc7644_3_14_Versioning, NoEtag) {
  Server clean, faulty(Fault::no_etag);
  json user = {{"schemas", {std::string(scim::urn::user)}}, {"userName", "tag"}};
  Reply good = clean.call("POST", "/Users", user);
  EXPECT_EQ(good.header("ETag"), good.body["meta"]["version"]);
  EXPECT_FALSE(good.header("ETag").empty());
  Reply bad = faulty.call("POST", "/Users", user);
  EXPECT_EQ(bad.header("ETag"), "");
  EXPECT_TRUE(bad.body["meta"].contains("version"));
  std::string id = bad.body["id"];
  EXPECT_EQ(faulty.call("GET", "/Users/" + id).header("ETag"), "");
  EXPECT_EQ(faulty.call("PATCH", "/Users/" + id, patch_body({{{"op", "add"}, {"path", "title"}, {"value", "x"}}}))
                .header("ETag"),
            "");
  EXPECT_EQ(faulty.call("GET", "/ServiceProviderConfig").body["etag"]["supported"], true);
}

// ---- RFC 7644 §3.6 Deleting Resources ----------------------------------------------------------

// "In response to a successful DELETE, the server SHALL return a successful HTTP status code 204
// (No Content)."
TEST(Faults_Rfc7644_3_6_DeletingResources, DeleteReturns200Body) {
  Server clean, faulty(Fault::delete_returns_200_body);
  std::string clean_id = clean.create_user("gone");
  std::string faulty_id = faulty.create_user("gone");
  Reply good = clean.call("DELETE", "/Users/" + clean_id);
  EXPECT_EQ(good.status, 204);
  EXPECT_TRUE(good.text.empty());
  Reply bad = faulty.call("DELETE", "/Users/" + faulty_id);
  EXPECT_EQ(bad.status, 200);
  EXPECT_EQ(bad.body["id"], faulty_id);
  EXPECT_EQ(bad.body["userName"], "gone");
  // Deleted all the same.
  EXPECT_EQ(faulty.call("GET", "/Users/" + faulty_id).status, 404);
  EXPECT_EQ(faulty.call("DELETE", "/Users/" + faulty_id).status, 404);
}

// ---- RFC 7644 §3.12 HTTP Status and Error Response Handling -----------------------------------

// status: "The HTTP status code ... expressed as a JSON string. REQUIRED."
TEST(Faults_Rfc7644_3_12_ErrorResponses, ErrorStatusNumber) {
  Server clean, faulty(Fault::error_status_number);
  Reply good = clean.call("GET", "/Users/missing");
  EXPECT_EQ(good.status, 404);
  EXPECT_EQ(good.body["status"], "404");
  Reply bad = faulty.call("GET", "/Users/missing");
  EXPECT_EQ(bad.status, 404);
  EXPECT_TRUE(bad.body["status"].is_number_integer()) << bad.text;
  EXPECT_EQ(bad.body["status"], 404);
  EXPECT_EQ(bad.body["schemas"], json::array({std::string(scim::urn::error)}));
  EXPECT_EQ(bad.header("Content-Type"), "application/scim+json");
  EXPECT_EQ(faulty.filter("Users", "userName eq").body["status"], 400);
}

// Errors are "identified using the following "schema" URI:
// "urn:ietf:params:scim:api:messages:2.0:Error"" in the application/scim+json media type (§8.1).
TEST(Faults_Rfc7644_3_12_ErrorResponses, ErrorPlainJson) {
  Server clean, faulty(Fault::error_plain_json);
  Reply good = clean.call("GET", "/Users/missing");
  EXPECT_EQ(good.header("Content-Type"), "application/scim+json");
  EXPECT_EQ(good.body["schemas"], json::array({std::string(scim::urn::error)}));
  Reply bad = faulty.call("GET", "/Users/missing");
  EXPECT_EQ(bad.status, 404);
  EXPECT_EQ(bad.header("Content-Type"), "application/json");
  EXPECT_FALSE(bad.body.contains("schemas")) << bad.text;
  EXPECT_EQ(bad.body["status"], "404");
  EXPECT_FALSE(bad.body.value("detail", "").empty());
  // Successes keep the SCIM media type.
  EXPECT_EQ(faulty.call("GET", "/Users").header("Content-Type"), "application/scim+json");
}

// RFC 7644 §3.12, 401 Unauthorized: "Authorization failure. The authorization header is invalid
// or missing."
TEST(Faults_Rfc7644_2_Authentication, AuthAnyToken) {
  Server clean, faulty(Fault::auth_any_token);
  transport::Headers wrong = {{"Authorization", "Bearer not-the-token"}};
  EXPECT_EQ(clean.raw("GET", "/Users", wrong).status, 401);
  EXPECT_EQ(faulty.raw("GET", "/Users", wrong).status, 200);
  EXPECT_EQ(faulty.raw("GET", "/Users", {}).status, 401);
  EXPECT_EQ(faulty.raw("GET", "/Users", {{"Authorization", "Basic dXNlcjpwYXNz"}}).status, 401);
}

TEST(Faults_Rfc7644_3_12_ErrorResponses, UnauthorizedNoBody) {
  Server clean, faulty(Fault::unauthorized_no_body);
  for (const transport::Headers& headers :
       {transport::Headers{}, transport::Headers{{"Authorization", "Bearer not-the-token"}}}) {
    Reply good = clean.raw("GET", "/Users", headers);
    EXPECT_EQ(good.status, 401);
    EXPECT_EQ(good.body["status"], "401");
    EXPECT_EQ(good.body["schemas"], json::array({std::string(scim::urn::error)}));
    Reply bad = faulty.raw("GET", "/Users", headers);
    EXPECT_EQ(bad.status, 401);
    EXPECT_TRUE(bad.text.empty()) << bad.text;
    EXPECT_FALSE(bad.header("WWW-Authenticate").empty());
  }
  // Other errors keep their body.
  EXPECT_EQ(faulty.call("GET", "/Users/missing").body["status"], "404");
}

// ---- RFC 7644 §4 Service Provider Configuration Endpoints -------------------------------------

// /Schemas retrieves "information about resource schemas supported by a SCIM service provider";
// /ResourceTypes/User names the enterprise extension in schemaExtensions (RFC 7643 §6).
TEST(Faults_Rfc7644_4_DiscoveryEndpoints, SchemasMissingEnterprise) {
  Server clean, faulty(Fault::schemas_missing_enterprise);
  const std::string enterprise(scim::urn::enterprise_user);
  auto listed = [&](Server& server) {
    std::vector<std::string> ids;
    Reply reply = server.call("GET", "/Schemas");
    for (const auto& schema : reply.body["Resources"]) ids.push_back(schema.value("id", ""));
    return ids;
  };
  EXPECT_THAT(listed(clean), ::testing::Contains(enterprise));
  EXPECT_EQ(clean.call("GET", "/Schemas/" + enterprise).status, 200);
  EXPECT_THAT(listed(faulty), ::testing::Not(::testing::Contains(enterprise)));
  EXPECT_THAT(listed(faulty), ::testing::Contains(std::string(scim::urn::user)));
  EXPECT_EQ(faulty.call("GET", "/Schemas/" + enterprise).status, 404);
  Reply user_type = faulty.call("GET", "/ResourceTypes/User");
  ASSERT_EQ(user_type.status, 200);
  EXPECT_EQ(user_type.body["schemaExtensions"][0]["schema"], enterprise);
  // Writing enterprise attributes still works: only discovery is broken.
  std::string id = faulty.create_user(
      "e", {{"schemas", {std::string(scim::urn::user), enterprise}}, {enterprise, {{"employeeNumber", "7"}}}});
  EXPECT_EQ(faulty.call("GET", "/Users/" + id).body[enterprise]["employeeNumber"], "7");
}


// ---- faults the simulator's convergence check must catch ------------------------------------------

// RFC 7643 §4.1.1: userName is "REQUIRED", "unique" and "case insensitive".
TEST(Faults_Rfc7643_4_1_1_UserName, UsernameCaseSensitive) {
  Server clean, faulty(Fault::username_case_sensitive);
  for (Server* server : {&clean, &faulty}) server->create_user("Alan.Turing@Example.com");
  json twin = {{"schemas", {std::string(scim::urn::user)}}, {"userName", "alan.turing@example.com"}};
  EXPECT_EQ(clean.call("POST", "/Users", twin).status, 409);
  EXPECT_EQ(clean.filter("Users", "userName eq \"alan.turing@example.com\"").body["totalResults"], 1);
  EXPECT_EQ(faulty.filter("Users", "userName eq \"alan.turing@example.com\"").body["totalResults"], 0);
  EXPECT_EQ(faulty.call("POST", "/Users", twin).status, 201);
  EXPECT_EQ(faulty.call("GET", "/Users").body["totalResults"], 2);
  // Exact repeats still collide, and exact filters still find.
  EXPECT_EQ(faulty.call("POST", "/Users", twin).status, 409);
  EXPECT_EQ(faulty.filter("Users", "userName eq \"Alan.Turing@Example.com\"").body["totalResults"], 1);
}

TEST(Faults_Rfc7644_3_5_2_Patch, DeactivationIgnored) {
  Server clean, faulty(Fault::deactivation_ignored);
  for (Server* server : {&clean, &faulty}) {
    std::string id = server->create_user("leaver");
    json patch = patch_body({{{"op", "replace"}, {"value", {{"active", false}}}}});
    EXPECT_EQ(server->call("PATCH", "/Users/" + id, patch).status, 200);
    EXPECT_EQ(server->call("GET", "/Users/" + id).body["active"], server == &faulty) << "PATCH";
    json put = {{"schemas", {std::string(scim::urn::user)}}, {"userName", "leaver"}, {"active", false}};
    EXPECT_EQ(server->call("PUT", "/Users/" + id, put).status, 200);
    EXPECT_EQ(server->call("GET", "/Users/" + id).body["active"], server == &faulty) << "PUT";
  }
}

TEST(Faults_Rfc7644_3_5_2_2_PatchRemove, MemberRemovalIgnored) {
  Server clean, faulty(Fault::member_removal_ignored);
  for (Server* server : {&clean, &faulty}) {
    std::string stays = server->create_user("stays");
    std::string leaves = server->create_user("leaves");
    std::string group = server->create_group("team", {stays, leaves});
    json rfc = patch_body({{{"op", "remove"}, {"path", "members[value eq \"" + leaves + "\"]"}}});
    EXPECT_EQ(server->call("PATCH", "/Groups/" + group, rfc).status, 200);
    json put = {{"schemas", {std::string(scim::urn::group)}}, {"displayName", "team"}, {"members", json::array()}};
    EXPECT_EQ(server->call("PUT", "/Groups/" + group, put).status, 200);
    json members = server->call("GET", "/Groups/" + group).body.value("members", json::array());
    EXPECT_EQ(members.size(), server == &faulty ? 2u : 0u) << members;
  }
}

// RFC 6585 §4: 429 "indicates that the user has sent too many requests"; Retry-After says when.
TEST(Faults_Rfc6585_4_TooManyRequests, Throttle) {
  Server faulty(Fault::throttle);
  int throttled = 0;
  for (unsigned i = 0; i < 4 * kThrottleEvery; ++i) {
    Reply reply = faulty.call("GET", "/Users");
    if (reply.status == 429) {
      ++throttled;
      EXPECT_EQ(reply.header("Retry-After"), std::to_string(kThrottleRetryAfterSeconds));
      EXPECT_EQ(reply.body.value("status", ""), "429") << reply.text;
    } else {
      EXPECT_EQ(reply.status, 200);
    }
  }
  EXPECT_EQ(throttled, 4);
}

}  // namespace
}  // namespace refserver::testing
