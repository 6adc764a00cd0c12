// The convergence read against a target that ignores startIndex and count (RFC 7644 §3.4.2.4):
// paging cannot add up, the read says so, and every linked id the pages missed is read on its own,
// so an account the IdP manages is never reported missing only because the list hid it.
#include "scripted_peer.hpp"

#include "simulator/convergence/target_snapshot.hpp"
#include "simulator/idp/credentials.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

std::string list(int total, const json& resources) {
  return json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:ListResponse"}},
              {"totalResults", total},
              {"startIndex", 1},
              {"itemsPerPage", resources.size()},
              {"Resources", resources}}
      .dump();
}

json user(const std::string& id) { return {{"id", id}, {"userName", id + "@example.com"}, {"active", true}}; }

TEST(TargetSnapshot, LinkedAccountsThePagesHidAreReadById) {
  simtest::ScriptedPeer peer;
  // Users: 3 in total, but every page is the first one; Groups: none.
  peer.script({{200, {}, list(3, json::array({user("t-1")}))},
               {200, {}, list(0, json::array())},
               {200, {}, list(3, json::array({user("t-1")}))},
               {200, {}, list(3, json::array({user("t-1")}))},
               {200, {}, user("t-2").dump()},
               {404, {}, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404"})"}});
  scimclient::Client client(sim::idp_client_options(peer.base_url()));
  sim::Runtime runtime(client, 1);
  sim::Credential credential = sim::parse_credential("bearer:t");

  sim::TargetSnapshot snapshot = sim::read_target(runtime, credential, 1);
  ASSERT_EQ(snapshot.users.size(), 1u);
  ASSERT_FALSE(snapshot.problems.empty()) << "paging that does not add up is reported";

  sim::fill_in_linked(snapshot, runtime, credential, {"t-1", "t-2", "t-3"}, {});
  std::vector<std::string> ids;
  for (const auto& resource : snapshot.users) ids.push_back(resource["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"t-1", "t-2"})) << "t-2 exists, t-3 answered 404";
  std::vector<simtest::ReceivedRequest> received = peer.take_received();
  ASSERT_EQ(received.size(), 6u);
  EXPECT_EQ(received[4].target, "/scim/v2/Users/t-2");
  EXPECT_EQ(received[5].target, "/scim/v2/Users/t-3");
  EXPECT_NE(snapshot.problems.back().find("1 exist"), std::string::npos) << snapshot.problems.back();
  peer.stop();
}

// Pages after the first are parsed off the simulator's thread: every good page still lands, in
// page order, and a page that failed is named in the problems.
TEST(TargetSnapshot, EveryPageLandsAndAFailedPageIsNamed) {
  simtest::ScriptedPeer peer;
  // One request in flight at a time, so the script's order is the request order.
  peer.script({{200, {}, list(4, json::array({user("t-1")}))},
               {200, {}, list(0, json::array())},
               {200, {}, list(4, json::array({user("t-2")}))},
               {500, {}, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500"})"},
               {200, {}, list(4, json::array({user("t-4")}))}});
  scimclient::Client client(sim::idp_client_options(peer.base_url()));
  sim::Runtime runtime(client, 1);
  sim::TargetSnapshot snapshot = sim::read_target(runtime, sim::parse_credential("bearer:t"), 1);

  std::vector<std::string> ids;
  for (const auto& resource : snapshot.users) ids.push_back(resource["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"t-1", "t-2", "t-4"}));
  EXPECT_EQ(snapshot.users_total, 4);
  ASSERT_EQ(snapshot.problems.size(), 2u);
  EXPECT_NE(snapshot.problems[0].find("Users at startIndex=3"), std::string::npos) << snapshot.problems[0];
  EXPECT_NE(snapshot.problems[1].find("paging returned 3"), std::string::npos) << snapshot.problems[1];
  peer.stop();
}

}  // namespace
