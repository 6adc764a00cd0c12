#pragma once
// Token rotation as an administrator does it for ClickHouse Cloud (C1: at most two active tokens,
// so there is no downtime): issue a second credential, switch the IdP to it, revoke the first.
// How a credential is issued and revoked depends on the target, so both are functions: the
// target's admin API (the reference server's /admin), or a credential and a shell command given
// on the command line.
#include "simulator/client/http_client.hpp"
#include "simulator/idp/credentials.hpp"

#include <functional>
#include <string>

namespace sim {

struct Rotation {
  // The credential to switch to. Throws std::runtime_error saying why none could be had.
  std::function<Credential(const Credential& current)> issue;
  // Revokes `old` on the target. Throws std::runtime_error saying why it could not.
  std::function<void(const Credential& old)> revoke;
};

// Through a ClickHouse-style admin API at `admin_url` (e.g. http://127.0.0.1:8080/admin):
// POST {admin_url}/tokens {"label"} answers 201 {"key": "scim_…", "secret": "…"}, and
// DELETE {admin_url}/tokens/{key} revokes. Tokens are used as `form` says: Basic key:secret
// (Okta) or Bearer key:secret (Entra ID), as C1 documents.
Credential issue_admin_token(scimclient::Client& client, const std::string& admin_url, const std::string& admin_token,
                             Credential::Form form, const std::string& label);
void revoke_admin_token(scimclient::Client& client, const std::string& admin_url, const std::string& admin_token,
                        const std::string& key);
Rotation admin_api_rotation(scimclient::Client& client, std::string admin_url, std::string admin_token,
                            Credential::Form form);

// The status a credential gets on GET /Users?startIndex=1&count=1 (0 when no answer arrived).
int probe_credential(scimclient::Client& client, const Credential& credential);

}  // namespace sim
