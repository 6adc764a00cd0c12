#pragma once
// Changes made to the target without the IdP: the accounts an administrator created by hand
// before the IdP was connected (a scenario's target_seed, e.g. the manual invite of C2's casing
// story), and tampering behind the IdP's back, which the convergence check must then find.
// Both go through the same client as the IdP and are plain RFC 7644 requests.
#include "simulator/client/http_client.hpp"
#include "simulator/directory/directory.hpp"
#include "simulator/idp/credentials.hpp"
#include "simulator/idp/links.hpp"
#include "simulator/lifecycle/event.hpp"

#include <nlohmann/json.hpp>

namespace sim {

// POSTs each of seed["users"] to /Users and each of seed["groups"] to /Groups, as given.
// Returns one timeline line per request: {"method", "path", "status", "detail"}.
nlohmann::json seed_target(scimclient::Client& client, const Credential& credential, const nlohmann::json& seed);

// A tamper event (lifecycle/event.hpp): deactivate, delete or set an attribute of a user's
// account, or remove a member from a group, by the ids the IdP linked. Returns a timeline line
// {"action", "target_id", "status", "detail"}; an object the IdP never linked is reported as
// skipped, not an error.
nlohmann::json tamper(scimclient::Client& client, const Credential& credential, const LinkTable& links,
                      const Event& event);

}  // namespace sim
