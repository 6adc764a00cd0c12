#include "reference_server/api/admin_endpoint.hpp"

#include "reference_server/api/request_target.hpp"
#include "reference_server/api/scim_response.hpp"
#include "scim/error.hpp"

#include <charconv>

namespace refserver {

namespace {

nlohmann::json token_json(const access::TokenInfo& info, std::int64_t now) {
  return {{"key", info.key},
          {"label", info.label},
          {"created_at", info.created_at},
          {"expires_at", info.expires_at},
          {"revoked_at", info.revoked_at},
          {"active", info.active(now)}};
}

nlohmann::json role_json(const access::Role& role) {
  return {{"name", role.name},           {"system", role.system},         {"scim_group", role.scim_group},
          {"grants", role.grants},       {"created_by", role.created_by}, {"created_at", role.created_at}};
}

nlohmann::json parse_object(const std::string& body) {
  if (body.empty()) return nlohmann::json::object();
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    throw scim::Error(400, scim::ScimType::invalid_syntax, "the admin request body must be a JSON object");
  return parsed;
}

std::string string_member(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) throw scim::Error(400, scim::ScimType::invalid_value, std::string(name) + " must be a string");
  return it->get<std::string>();
}

std::int64_t integer_param(const RequestTarget& target, const char* name, std::int64_t fallback) {
  std::optional<std::string> text = target.param(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc{} || end != text->data() + text->size() || value < 0)
    throw scim::Error(400, scim::ScimType::invalid_value, std::string(name) + " must be a non-negative integer");
  return value;
}

transport::HttpResponse refused(const access::AccessRefused& refusal) {
  std::string message = refusal.what();
  int status = message.rfind("no ", 0) == 0 ? 404 : 409;
  return error_response(scim::Error(status, scim::ScimType::none, message), Faults{});
}

}  // namespace

nlohmann::json to_json(const access::EffectiveRole& role) {
  return {{"value", role.name}, {"display", role.name}, {"type", role.type}};
}

std::vector<access::EffectiveRole> user_effective_roles(access::AccessControl& access, const ResourceStore& store,
                                                        const StoredResource& user) {
  std::vector<std::string> groups;
  for (const GroupRef& group : store.groups_of(user.id)) groups.push_back(group.display_name);
  // Stored JSON is compact and attribute names canonical, so this finds a deactivated user
  // without parsing the document on every read. A user without "active" counts as active.
  bool active = user.json.find("\"active\":false") == std::string::npos;
  return access.effective_roles(groups, active);
}

transport::HttpResponse AdminEndpoint::handle(const std::string& method, std::string_view raw_target,
                                              const std::string& body, const std::string& actor) {
  try {
    RequestTarget target = parse_request_target(raw_target);
    std::string path = target.path.substr(std::string_view(kAdminPrefix).size());
    auto segment = [&](std::string_view prefix) -> std::optional<std::string> {
      if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 && path[prefix.size()] == '/')
        return path.substr(prefix.size() + 1);
      return std::nullopt;
    };
    std::int64_t now = access_.now();

    if (path == "/tokens" && method == "GET") {
      nlohmann::json list = nlohmann::json::array();
      for (const access::TokenInfo& info : access_.tokens()) list.push_back(token_json(info, now));
      return json_response(200, nlohmann::json{{"tokens", list}});
    }
    if (path == "/tokens" && method == "POST") {
      nlohmann::json request = parse_object(body);
      std::int64_t lifetime = access::kDefaultTokenLifetime;
      if (request.contains("expires_in_seconds")) {
        if (!request["expires_in_seconds"].is_number_integer() || request["expires_in_seconds"].get<std::int64_t>() <= 0)
          throw scim::Error(400, scim::ScimType::invalid_value, "expires_in_seconds must be a positive integer");
        lifetime = request["expires_in_seconds"].get<std::int64_t>();
      }
      access::IssuedToken issued = access_.create_token(actor, lifetime, string_member(request, "label"));
      nlohmann::json answer = token_json(issued.info, now);
      // The only time the secret leaves the server: it is kept as a hash from here on.
      answer["secret"] = issued.secret;
      answer["entra_bearer"] = issued.info.key + ":" + issued.secret;
      transport::HttpResponse response = json_response(201, answer);
      response.headers.emplace_back("Cache-Control", "no-store");
      return response;
    }
    if (auto key = segment("/tokens"); key && method == "DELETE")
      return json_response(200, token_json(access_.revoke_token(actor, *key), now));

    if (path == "/roles" && method == "GET") {
      nlohmann::json list = nlohmann::json::array();
      for (const access::Role& role : access_.roles()) list.push_back(role_json(role));
      return json_response(200, nlohmann::json{{"roles", list}});
    }
    if (path == "/roles" && method == "POST") {
      nlohmann::json request = parse_object(body);
      return json_response(201, role_json(access_.create_role(actor, string_member(request, "name"),
                                                              string_member(request, "scim_group"),
                                                              string_member(request, "grants"))));
    }
    if (auto name = segment("/roles"); name && method == "PATCH") {
      nlohmann::json request = parse_object(body);
      return json_response(200, role_json(access_.bind_role(actor, *name, string_member(request, "scim_group"))));
    }
    if (auto name = segment("/roles"); name && method == "DELETE") {
      access_.remove_role(actor, *name);
      return empty_response(204);
    }

    if (path == "/audit" && method == "GET") {
      nlohmann::json list = nlohmann::json::array();
      for (const access::AuditEntry& entry :
           access_.audit(integer_param(target, "since", 0), static_cast<std::size_t>(integer_param(target, "limit", 0))))
        list.push_back(access::to_json(entry));
      return json_response(200, nlohmann::json{{"entries", list}});
    }
    if (auto rest = segment("/users"); rest && method == "GET" && rest->size() > 6 &&
                                       rest->compare(rest->size() - 6, 6, "/roles") == 0) {
      std::string user_name = rest->substr(0, rest->size() - 6);
      ResourcePtr user = store_.find_by_name(ResourceKind::user, user_name);
      if (!user) throw scim::Error(404, scim::ScimType::none, "no user with userName " + user_name);
      nlohmann::json roles = nlohmann::json::array();
      for (const access::EffectiveRole& role : user_effective_roles(access_, store_, *user)) roles.push_back(to_json(role));
      nlohmann::json groups = nlohmann::json::array();
      for (const GroupRef& group : store_.groups_of(user->id)) groups.push_back(group.display_name);
      return json_response(200, nlohmann::json{{"id", user->id}, {"userName", user->name}, {"groups", groups}, {"roles", roles}});
    }
    throw scim::Error(404, scim::ScimType::none,
                      method + " " + std::string(target.path) + " is not an admin operation; see scimulator admin --help");
  } catch (const access::AccessRefused& refusal) {
    return refused(refusal);
  } catch (const scim::Error& error) {
    return error_response(error, Faults{});
  }
}

}  // namespace refserver
