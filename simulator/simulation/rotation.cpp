#include "simulator/simulation/rotation.hpp"

#include "simulator/client/url.hpp"
#include "simulator/idp/scim_json.hpp"

#include <atomic>
#include <memory>
#include <stdexcept>

namespace sim {

namespace {

scimclient::Headers admin_headers(const std::string& admin_token) {
  return {{"Authorization", "Bearer " + admin_token}, {"Accept", "application/json"}};
}

}  // namespace

Credential issue_admin_token(scimclient::Client& client, const std::string& admin_url, const std::string& admin_token,
                             Credential::Form form, const std::string& label) {
  scimclient::Headers headers = admin_headers(admin_token);
  headers.emplace_back("Content-Type", "application/json");
  scimclient::HttpRequestSpec request =
      client.make_request("POST", scimclient::join_url(admin_url, "tokens"), nlohmann::json{{"label", label}}.dump(), headers);
  scimclient::Exchange exchange = client.send(request);
  auto body = exchange.json();
  if (!exchange.ok() || exchange.status != 201 || !body || !body->contains("key") || !body->contains("secret"))
    throw std::runtime_error("could not issue a token through the admin API (" + summarize(exchange) +
                             "); check --admin-url and --admin-token, and that fewer than two tokens are active");
  Credential credential;
  credential.form = form == Credential::Form::basic ? Credential::Form::basic : Credential::Form::bearer;
  std::string key = (*body)["key"].get<std::string>(), secret = (*body)["secret"].get<std::string>();
  if (credential.form == Credential::Form::basic) {
    credential.user = key;
    credential.secret = secret;
  } else {
    credential.secret = key + ":" + secret;
  }
  credential.label = key;
  return credential;
}

void revoke_admin_token(scimclient::Client& client, const std::string& admin_url, const std::string& admin_token,
                        const std::string& key) {
  scimclient::HttpRequestSpec request = client.make_request(
      "DELETE", scimclient::join_url(admin_url, "tokens/" + scimclient::encode_query_value(key)), {},
      admin_headers(admin_token));
  scimclient::Exchange exchange = client.send(request);
  if (!success(exchange))
    throw std::runtime_error("could not revoke token " + key + " through the admin API (" + summarize(exchange) + ")");
}

Rotation admin_api_rotation(scimclient::Client& client, std::string admin_url, std::string admin_token,
                            Credential::Form form) {
  auto count = std::make_shared<std::atomic<int>>(0);
  Rotation rotation;
  rotation.issue = [&client, admin_url, admin_token, form, count](const Credential&) {
    return issue_admin_token(client, admin_url, admin_token, form, "rotation-" + std::to_string(++*count));
  };
  rotation.revoke = [&client, admin_url, admin_token](const Credential& old) {
    if (old.label.rfind("scim_", 0) != 0)
      throw std::runtime_error("the credential in use was not issued by the admin API, so it cannot be revoked there");
    revoke_admin_token(client, admin_url, admin_token, old.label);
  };
  return rotation;
}

int probe_credential(scimclient::Client& client, const Credential& credential) {
  scimclient::HttpRequestSpec request = client.make_request(
      "GET", scimclient::with_query("/Users", {{"startIndex", "1"}, {"count", "1"}}), {},
      {{"Authorization", credential.authorization()}, {"Accept", "application/scim+json"}});
  scimclient::Exchange exchange = client.send(request);
  return exchange.ok() ? exchange.status : 0;
}

}  // namespace sim
