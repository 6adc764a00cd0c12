#include "simulator/simulation/target_actions.hpp"

#include "simulator/client/url.hpp"
#include "simulator/idp/scim_json.hpp"

namespace sim {

namespace {

scimclient::Exchange send(scimclient::Client& client, const Credential& credential, std::string method,
                          const std::string& path, const nlohmann::json* body) {
  scimclient::Headers headers = {{"Authorization", credential.authorization()}, {"Accept", "application/scim+json"}};
  if (body) headers.emplace_back("Content-Type", "application/scim+json");
  return client.send(client.make_request(std::move(method), path, body ? body->dump() : std::string(), headers));
}

nlohmann::json line(const scimclient::Exchange& exchange) {
  return {{"status", exchange.ok() ? exchange.status : 0}, {"detail", summarize(exchange)}};
}

}  // namespace

nlohmann::json seed_target(scimclient::Client& client, const Credential& credential, const nlohmann::json& seed) {
  nlohmann::json out = nlohmann::json::array();
  for (const char* endpoint : {"users", "groups"}) {
    if (!seed.contains(endpoint)) continue;
    std::string path = std::string(endpoint) == "users" ? "/Users" : "/Groups";
    for (const auto& resource : seed[endpoint]) {
      scimclient::Exchange exchange = send(client, credential, "POST", path, &resource);
      nlohmann::json entry = line(exchange);
      entry["method"] = "POST";
      entry["path"] = path;
      out.push_back(std::move(entry));
    }
  }
  return out;
}

nlohmann::json tamper(scimclient::Client& client, const Credential& credential, const LinkTable& links,
                      const Event& event) {
  std::string action = event.payload.value("action", "");
  nlohmann::json out = {{"action", action}};
  if (!event.user.empty()) out["user"] = event.user;
  if (!event.group.empty()) out["group"] = event.group;
  const std::string* user_id = event.user.empty() ? nullptr : links.user_id(event.user);
  const std::string* group_id = event.group.empty() ? nullptr : links.group_id(event.group);
  if (!user_id || (action == "remove_member" && !group_id)) {
    out["skipped"] = "the IdP has not linked this object to a target id";
    return out;
  }
  std::string user_path = "/Users/" + scimclient::encode_query_value(*user_id);
  scimclient::Exchange exchange;
  if (action == "deactivate") {
    // RFC 7644 §3.5.2.3: replace with a path.
    nlohmann::json body = patch_message(nlohmann::json::array({{{"op", "replace"}, {"path", "active"}, {"value", false}}}));
    exchange = send(client, credential, "PATCH", user_path, &body);
  } else if (action == "delete") {
    exchange = send(client, credential, "DELETE", user_path, nullptr);
  } else if (action == "set") {
    nlohmann::json body =
        patch_message(nlohmann::json::array(
            {{{"op", "replace"}, {"path", event.payload["attribute"]}, {"value", event.payload["value"]}}}));
    exchange = send(client, credential, "PATCH", user_path, &body);
  } else {
    // RFC 7644 §3.5.2.2: remove with a value filter on members.
    nlohmann::json body = patch_message(
        nlohmann::json::array({{{"op", "remove"}, {"path", "members[value eq " + filter_literal(*user_id) + "]"}}}));
    exchange = send(client, credential, "PATCH", "/Groups/" + scimclient::encode_query_value(*group_id), &body);
  }
  out["target_id"] = action == "remove_member" ? *group_id : *user_id;
  out.update(line(exchange));
  return out;
}

}  // namespace sim
