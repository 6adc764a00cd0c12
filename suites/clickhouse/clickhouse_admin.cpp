#include "suites/clickhouse/clickhouse_admin.hpp"

namespace suites::clickhouse {

AdminApi::AdminApi(CaseContext& context) : context_(context) {
  const RunSettings& settings = context.settings();
  if (settings.admin_url.empty())
    context.unsupported("the target's admin API is unknown: give --admin-url and --admin-token (tokens, roles and the "
                        "audit log are administered there)");
  scimclient::ClientOptions options;
  options.base_url = settings.admin_url;
  options.accept = "application/json";
  options.json_content_type = "application/json";
  options.timeout = settings.timeout;
  options.default_headers = {{"Authorization", "Bearer " + settings.admin_token}};
  client_ = std::make_unique<scimclient::Client>(options);
  AdminReply probe = call("GET", "/roles");
  if (probe.status != 200 || !probe.body.is_object() || !probe.body.contains("roles"))
    context.unsupported("the target's admin API does not list roles (GET " + settings.admin_url + "/roles answered " +
                        std::to_string(probe.status) + ")");
}

AdminApi::~AdminApi() {
  if (context_.settings().keep) return;
  for (const std::string& key : tokens_) client_->del("/tokens/" + key);
  for (const std::string& role : roles_) client_->del("/roles/" + role);
}

AdminReply AdminApi::call(const std::string& method, const std::string& path, const nlohmann::json& body) {
  scimclient::HttpRequestSpec request =
      client_->make_request(method, path, body.is_null() ? "" : body.dump(), {{"Content-Type", "application/json"}});
  scimclient::Exchange exchange = client_->send(request);
  if (!exchange.ok()) {
    context_.result().exchanges.push_back(exchange);
    context_.blocked("the admin API did not answer " + method + " " + path + ": " + exchange.transport_error);
  }
  std::optional<nlohmann::json> parsed = exchange.json();
  // A token's secret is shown once, in this answer: the wire log keeps the answer without it.
  if (parsed && parsed->is_object() && (parsed->contains("secret") || parsed->contains("entra_bearer"))) {
    nlohmann::json shown = *parsed;
    for (const char* member : {"secret", "entra_bearer"})
      if (shown.contains(member)) shown[member] = "***";
    exchange.response_body = shown.dump();
  }
  context_.result().exchanges.push_back(std::move(exchange));
  return {context_.result().exchanges.back().status, parsed ? *parsed : nlohmann::json()};
}

AdminApi::Token AdminApi::create_token(const std::string& label) {
  AdminReply reply = call("POST", "/tokens", {{"label", label}});
  if (reply.status != 201 || !reply.body.contains("key") || !reply.body.contains("secret"))
    context_.blocked("the admin API issued no token (HTTP " + std::to_string(reply.status) +
                     "); revoke unused tokens if two are active");
  Token token{reply.body["key"], reply.body["secret"]};
  tokens_.push_back(token.key);
  return token;
}

void AdminApi::revoke(const std::string& key) { call("DELETE", "/tokens/" + key); }

void AdminApi::create_role(const std::string& name, const std::string& scim_group, const std::string& grants) {
  AdminReply reply = call("POST", "/roles", {{"name", name}, {"scim_group", scim_group}, {"grants", grants}});
  if (reply.status != 201) context_.blocked("the admin API did not create role " + name + " (HTTP " + std::to_string(reply.status) + ")");
  roles_.push_back(name);
}

}  // namespace suites::clickhouse
