#pragma once
// Okta's requests, built apart from sending so golden tests can compare them byte for byte with
// the documented shapes (fixtures/golden/simulator/okta.json). Each builder cites the quirk it
// reproduces (../shared/reference/idp-quirks.md, section A).
#include "simulator/client/exchange.hpp"
#include "simulator/directory/directory.hpp"
#include "simulator/idp/credentials.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace sim::okta {

// What goes with every Okta request.
struct Wire {
  Credential credential;
  // O23: Okta gives up on a request after 60 s.
  std::chrono::milliseconds timeout{60000};
};

struct Member {
  std::string id;       // the target's user id
  std::string display;  // O15: Okta sends the user's login as display
};

// O19 (Accept-Encoding is left out: the client does not decode compressed bodies).
scimclient::Headers headers(const Wire& wire, bool with_body);

// O1: GET /Users?filter=userName%20eq%20%22…%22&startIndex=1&count=100
scimclient::HttpRequestSpec find_user(const Wire& wire, const std::string& user_name);
// O4: POST /Users with a random password, groups: [], locale, externalId = Okta's user id.
scimclient::HttpRequestSpec create_user(const Wire& wire, const DirUser& user, const std::string& password);
nlohmann::json user_body(const DirUser& user);  // the profile part of create_user's body
scimclient::HttpRequestSpec get_user(const Wire& wire, const std::string& id);
// O7, O8: the server's representation with Okta's mapped attributes written over it, put back
// whole (id, meta, groups and unmapped stale values included).
nlohmann::json merge_profile(nlohmann::json server_user, const DirUser& user);
scimclient::HttpRequestSpec replace_user(const Wire& wire, const std::string& id, const nlohmann::json& body);
// O9, O10: {"op":"replace","value":{"active":false}} with no path.
scimclient::HttpRequestSpec set_active(const Wire& wire, const std::string& id, bool active);

// O3: GET /Groups?filter=displayName%20eq%20%22…%22&startIndex=1&count=100 (paging inferred, gap D4).
scimclient::HttpRequestSpec find_group(const Wire& wire, const std::string& display_name);
// O13: POST /Groups with the members already in it when memberships are pushed immediately.
scimclient::HttpRequestSpec create_group(const Wire& wire, const std::string& display_name,
                                         const std::vector<Member>& members);
scimclient::HttpRequestSpec get_group(const Wire& wire, const std::string& id);
// O14: {"op":"replace","value":{"id":"<group id>","displayName":"…"}}.
scimclient::HttpRequestSpec rename_group(const Wire& wire, const std::string& id, const std::string& display_name);
// O15: removes first, one op per member with a value-filter path and no value; then one add of
// every new member with {value, display}. Lower-case ops.
scimclient::HttpRequestSpec update_members(const Wire& wire, const std::string& id, const std::vector<Member>& add,
                                           const std::vector<std::string>& remove);
// O15: the "full push" of a group found on the target: replace members with the whole list.
scimclient::HttpRequestSpec replace_members(const Wire& wire, const std::string& id, const std::vector<Member>& members);
// O11 (AIW apps): the whole group PUT back with the full member list.
scimclient::HttpRequestSpec replace_group(const Wire& wire, const std::string& id, nlohmann::json server_group,
                                          const std::string& display_name, const std::vector<Member>& members);
// O12: the only DELETE Okta sends.
scimclient::HttpRequestSpec delete_group(const Wire& wire, const std::string& id);
// O17, O18: import pages, count=100.
scimclient::HttpRequestSpec list_page(const Wire& wire, const std::string& endpoint, std::int64_t start_index,
                                      int count = 100);

}  // namespace sim::okta
