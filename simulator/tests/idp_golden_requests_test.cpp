// Golden tests: each engine's requests for each event kind, built without a server and compared
// with the shapes documented in fixtures/golden/simulator/*.json (method, URL with its query
// encoding, headers in order, JSON body). The fixtures spell out what Okta and Entra ID send as
// the idp-quirks reference documents it; a builder that drifts from them fails here.
#include "simulator/directory/directory_json.hpp"
#include "simulator/idp/entra_requests.hpp"
#include "simulator/idp/okta_requests.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

namespace {

using nlohmann::json;

json load(const std::string& name) {
  std::ifstream in(std::filesystem::path(SIMULATOR_FIXTURES_DIR) / "golden" / "simulator" / name);
  if (!in) throw std::runtime_error("cannot read fixtures/golden/simulator/" + name);
  return json::parse(in);
}

struct GoldenCase {
  std::string file;
  std::string event;
};

void PrintTo(const GoldenCase& golden, std::ostream* out) { *out << golden.file << " " << golden.event; }

std::string case_name(const testing::TestParamInfo<GoldenCase>& info) {
  std::string name = info.param.file.substr(0, info.param.file.find('.')) + "_" + info.param.event;
  for (char& c : name)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

std::vector<GoldenCase> cases_of(const std::string& file) {
  std::vector<GoldenCase> out;
  json golden = load(file);
  for (const auto& item : golden["cases"]) out.push_back({file, item["event"].get<std::string>()});
  return out;
}

json headers_json(const scimclient::Headers& headers) {
  json out = json::array();
  for (const auto& [name, value] : headers) out.push_back({name, value});
  return out;
}

sim::DirUser user_for(const json& file, const json& item) {
  json user = file["user"];
  if (item.contains("user")) user.update(item["user"]);
  return sim::user_from_json(user);
}

std::vector<sim::okta::Member> okta_members(const json& list) {
  std::vector<sim::okta::Member> out;
  for (const auto& member : list) out.push_back({member["id"], member["display"]});
  return out;
}

std::vector<std::string> strings(const json& list) { return list.get<std::vector<std::string>>(); }

scimclient::HttpRequestSpec build_okta(const sim::okta::Wire& wire, const std::string& builder, const json& args,
                                       const sim::DirUser& user) {
  namespace okta = sim::okta;
  if (builder == "find_user") return okta::find_user(wire, args["userName"]);
  if (builder == "create_user") return okta::create_user(wire, user, args["password"]);
  if (builder == "get_user") return okta::get_user(wire, args["id"]);
  if (builder == "replace_user") return okta::replace_user(wire, args["id"], okta::merge_profile(args["server"], user));
  if (builder == "set_active") return okta::set_active(wire, args["id"], args["active"]);
  if (builder == "find_group") return okta::find_group(wire, args["displayName"]);
  if (builder == "create_group") return okta::create_group(wire, args["displayName"], okta_members(args["members"]));
  if (builder == "get_group") return okta::get_group(wire, args["id"]);
  if (builder == "rename_group") return okta::rename_group(wire, args["id"], args["displayName"]);
  if (builder == "update_members")
    return okta::update_members(wire, args["id"], okta_members(args["add"]), strings(args["remove"]));
  if (builder == "replace_members") return okta::replace_members(wire, args["id"], okta_members(args["members"]));
  if (builder == "replace_group")
    return okta::replace_group(wire, args["id"], args["server"], args["displayName"], okta_members(args["members"]));
  if (builder == "delete_group") return okta::delete_group(wire, args["id"]);
  if (builder == "list_page") return okta::list_page(wire, args["endpoint"], args["startIndex"].get<std::int64_t>());
  throw std::runtime_error("the golden file names an unknown Okta builder " + builder);
}

scimclient::HttpRequestSpec build_entra(const sim::entra::Wire& wire, const std::string& builder, const json& args,
                                        const sim::DirUser& user) {
  namespace entra = sim::entra;
  if (builder == "find_user") return entra::find_user(wire, args["userName"]);
  if (builder == "get_user") return entra::get_user(wire, args["id"]);
  if (builder == "create_user") return entra::create_user(wire, user);
  if (builder == "update_user") {
    std::vector<entra::Delta> deltas;
    for (const auto& delta : args["deltas"]) deltas.push_back({delta["path"], delta["value"], delta["had_value"]});
    return entra::update_user(wire, args["id"], deltas);
  }
  if (builder == "set_manager") return entra::set_manager(wire, args["id"], args["manager"]);
  if (builder == "delete_user") return entra::delete_user(wire, args["id"]);
  if (builder == "find_group") return entra::find_group(wire, args["displayName"]);
  if (builder == "get_group") return entra::get_group(wire, args["id"]);
  if (builder == "create_group") {
    sim::DirGroup group;
    group.key = args["key"];
    group.display_name = args["displayName"];
    return entra::create_group(wire, group);
  }
  if (builder == "rename_group") return entra::rename_group(wire, args["id"], args["displayName"]);
  if (builder == "update_members") return entra::update_members(wire, args["id"], strings(args["add"]), strings(args["remove"]));
  if (builder == "delete_group") return entra::delete_group(wire, args["id"]);
  throw std::runtime_error("the golden file names an unknown Entra ID builder " + builder);
}

class GoldenRequests : public testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenRequests, MatchTheDocumentedShape) {
  const GoldenCase& param = GetParam();
  json file = load(param.file);
  json item;
  for (const auto& candidate : file["cases"])
    if (candidate["event"] == param.event) item = candidate;
  ASSERT_TRUE(item.is_object());
  sim::DirUser user = user_for(file, item);
  sim::Credential credential = sim::parse_credential(file["credential"].get<std::string>());
  bool is_okta = param.file == "okta.json";
  sim::EntraDialect dialect = is_okta ? sim::EntraDialect::scim : sim::parse_entra_dialect(file["dialect"].get<std::string>());

  for (const auto& step : item["requests"]) {
    std::string builder = step["build"];
    SCOPED_TRACE(param.event + ": " + builder);
    scimclient::HttpRequestSpec request =
        is_okta ? build_okta(sim::okta::Wire{credential}, builder, step["args"], user)
                : build_entra(sim::entra::Wire{credential, dialect}, builder, step["args"], user);
    const json& expect = step["expect"];
    EXPECT_EQ(request.method, expect["method"].get<std::string>());
    EXPECT_EQ(request.url, expect["url"].get<std::string>());
    bool with_body = expect.contains("body");
    EXPECT_EQ(headers_json(request.headers), file["headers"][with_body ? "with_body" : "without_body"]);
    if (with_body) {
      ASSERT_FALSE(request.body.empty());
      EXPECT_EQ(json::parse(request.body), expect["body"]) << "sent: " << request.body;
    } else {
      EXPECT_TRUE(request.body.empty()) << request.body;
    }
    // O23 (Okta) and E21's timeouts: the IdP gives up on a request after 60 s.
    EXPECT_EQ(request.timeout, std::chrono::milliseconds(60000));
  }
}

INSTANTIATE_TEST_SUITE_P(Okta, GoldenRequests, testing::ValuesIn(cases_of("okta.json")), case_name);
INSTANTIATE_TEST_SUITE_P(EntraScim, GoldenRequests, testing::ValuesIn(cases_of("entra_scim.json")), case_name);
INSTANTIATE_TEST_SUITE_P(EntraAadOptscim062020, GoldenRequests,
                         testing::ValuesIn(cases_of("entra_aadOptscim062020.json")), case_name);

// Every event kind a lifecycle can hold that makes the IdP send something has a golden case.
TEST(GoldenRequests, CoverEveryEventKind) {
  for (const std::string file : {"okta.json", "entra_scim.json", "entra_aadOptscim062020.json"}) {
    std::set<std::string> events;
    json golden = load(file);
    for (const auto& item : golden["cases"]) events.insert(item["event"].get<std::string>());
    for (const std::string kind : {"hire", "update", "move", "deactivate", "reactivate", "group_create", "group_rename",
                                   "group_delete"})
      EXPECT_TRUE(events.count(kind)) << file << " has no golden case for " << kind;
  }
}

}  // namespace
