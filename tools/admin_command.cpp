// `scimulator admin`: tokens, roles, the audit log and a user's roles. Every operation is a
// request to the admin API (reference_server/api/admin_endpoint.hpp): over HTTP to a running
// server (--url), or handed straight to the same handler on a data file no server holds
// (--data). One implementation, one output, whichever way the operator reaches the server.
#include "reference_server/access/access_control.hpp"
#include "reference_server/api/admin_endpoint.hpp"
#include "reference_server/store/resource_store.hpp"
#include "simulator/client/http_client.hpp"
#include "tools/admin_time.hpp"
#include "tools/commands.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>

namespace cli {

namespace {

struct AdminOptions {
  std::string data;
  std::string url;
  std::string admin_token;
  std::string format = "text";
  // token
  std::string label;
  std::string expires = "365d";
  std::string key;
  // role
  std::string role;
  std::string scim_group;
  std::string grants;
  // audit
  std::string since;
  std::size_t limit = 0;
  // user
  std::string user_name;
};

struct AdminReply {
  int status = 0;
  nlohmann::json body;
};

AdminReply call_local(const AdminOptions& options, const std::string& method, const std::string& target,
                      const nlohmann::json& body) {
  std::unique_ptr<refserver::ResourceStore> store;
  try {
    store = refserver::ResourceStore::open(options.data);
  } catch (const std::exception& e) {
    std::string message = e.what();
    if (message.find("in use by another process") != std::string::npos)
      throw UsageError("data file " + options.data +
                       " is held by a running server; reach it with --url URL --admin-token T instead of --data");
    throw UsageError(message);
  }
  refserver::access::AccessControl access(
      [&store](const std::function<void(refserver::sqlite::Database&)>& work) { store->with_database(work); });
  refserver::AdminEndpoint endpoint(access, *store);
  transport::HttpResponse response = endpoint.handle(method, target, body.is_null() ? "" : body.dump(), "admin-cli");
  return {response.status, response.body.empty() ? nlohmann::json() : nlohmann::json::parse(response.body, nullptr, false)};
}

AdminReply call_remote(const AdminOptions& options, const std::string& method, const std::string& target,
                       const nlohmann::json& body) {
  // The admin API lives beside the SCIM base path: keep only scheme://host:port of --url.
  std::string origin = options.url;
  std::size_t scheme = origin.find("://");
  if (scheme == std::string::npos)
    throw UsageError("--url " + options.url + " is not a URL; give the server's address, e.g. http://127.0.0.1:8080");
  if (std::size_t path = origin.find('/', scheme + 3); path != std::string::npos) origin.resize(path);
  scimclient::ClientOptions client_options;
  client_options.base_url = origin;
  client_options.accept = "application/json";
  client_options.json_content_type = "application/json";
  client_options.default_headers = {{"Authorization", "Bearer " + options.admin_token}};
  scimclient::Client client(client_options);
  scimclient::HttpRequestSpec request =
      client.make_request(method, target, body.is_null() ? "" : body.dump(), {{"Content-Type", "application/json"}});
  scimclient::Exchange exchange = client.send(request);
  if (!exchange.ok())
    throw UsageError("cannot reach " + origin + " (" + exchange.transport_error + "); check --url and that the server runs");
  std::optional<nlohmann::json> parsed = exchange.json();
  return {exchange.status, parsed ? *parsed : nlohmann::json()};
}

AdminReply call(const AdminOptions& options, const std::string& method, const std::string& target,
                const nlohmann::json& body = nullptr) {
  if (options.data.empty() == options.url.empty())
    throw UsageError("give either --data FILE (a server's data file, server stopped) or --url URL (a running server)");
  if (!options.url.empty() && options.admin_token.empty())
    throw UsageError("--url needs --admin-token T (or SCIMULATOR_ADMIN_TOKEN): the credential given to serve --admin-token");
  AdminReply reply = options.url.empty() ? call_local(options, method, target, body) : call_remote(options, method, target, body);
  if (reply.status >= 400) {
    std::string detail = reply.body.is_object() && reply.body.contains("detail") && reply.body["detail"].is_string()
                             ? reply.body["detail"].get<std::string>()
                             : "HTTP " + std::to_string(reply.status);
    throw UsageError(detail);
  }
  return reply;
}

std::string state_of(const nlohmann::json& token) {
  if (token.value("revoked_at", 0) != 0) return "revoked " + format_time(token["revoked_at"]);
  if (!token.value("active", false)) return "expired";
  return "active";
}

int print(const AdminOptions& options, const nlohmann::json& json, const std::function<void()>& as_text) {
  if (options.format == "json") std::cout << json.dump(2) << "\n";
  else as_text();
  return 0;
}

int token_create(const AdminOptions& options) {
  std::int64_t lifetime = parse_duration(options.expires, "--expires");
  AdminReply reply = call(options, "POST", "/admin/tokens", {{"label", options.label}, {"expires_in_seconds", lifetime}});
  const nlohmann::json& t = reply.body;
  return print(options, t, [&] {
    std::cout << "key:     " << t["key"].get<std::string>() << "\n"
              << "secret:  " << t["secret"].get<std::string>() << "\n"
              << "expires: " << format_time(t["expires_at"]) << "\n"
              << "Okta (HTTP Basic): username = key, password = secret\n"
              << "Entra ID (Secret Token): " << t["entra_bearer"].get<std::string>() << "\n"
              << "The secret is shown only now; the server keeps a hash of it.\n";
  });
}

int token_list(const AdminOptions& options) {
  AdminReply reply = call(options, "GET", "/admin/tokens");
  return print(options, reply.body, [&] {
    std::cout << std::left << std::setw(30) << "KEY" << std::setw(16) << "LABEL" << std::setw(22) << "CREATED"
              << std::setw(22) << "EXPIRES" << "STATE\n";
    for (const auto& t : reply.body["tokens"])
      std::cout << std::setw(30) << t["key"].get<std::string>() << std::setw(16) << t["label"].get<std::string>()
                << std::setw(22) << format_time(t["created_at"]) << std::setw(22) << format_time(t["expires_at"])
                << state_of(t) << "\n";
  });
}

int token_revoke(const AdminOptions& options) {
  AdminReply reply = call(options, "DELETE", "/admin/tokens/" + options.key);
  return print(options, reply.body, [&] { std::cout << "revoked " << options.key << ": refused from the next request on\n"; });
}

std::string role_line(const nlohmann::json& r) {
  std::ostringstream out;
  out << std::left << std::setw(24) << r["name"].get<std::string>() << std::setw(8)
      << (r["system"].get<bool>() ? "system" : "custom") << std::setw(24)
      << (r["scim_group"].get<std::string>().empty() ? "-" : r["scim_group"].get<std::string>()) << std::setw(12)
      << (r["grants"].get<std::string>().empty() ? "-" : r["grants"].get<std::string>())
      << r["created_by"].get<std::string>();
  return out.str();
}

int role_list(const AdminOptions& options) {
  AdminReply reply = call(options, "GET", "/admin/roles");
  return print(options, reply.body, [&] {
    std::cout << std::left << std::setw(24) << "ROLE" << std::setw(8) << "KIND" << std::setw(24) << "SCIM GROUP"
              << std::setw(12) << "GRANTS" << "CREATED BY\n";
    for (const auto& r : reply.body["roles"]) std::cout << role_line(r) << "\n";
  });
}

int role_create(const AdminOptions& options) {
  AdminReply reply = call(options, "POST", "/admin/roles",
                          {{"name", options.role}, {"scim_group", options.scim_group}, {"grants", options.grants}});
  return print(options, reply.body, [&] { std::cout << "created " << role_line(reply.body) << "\n"; });
}

int role_bind(const AdminOptions& options) {
  AdminReply reply = call(options, "PATCH", "/admin/roles/" + options.role, {{"scim_group", options.scim_group}});
  return print(options, reply.body, [&] { std::cout << "bound " << role_line(reply.body) << "\n"; });
}

int role_remove(const AdminOptions& options) {
  call(options, "DELETE", "/admin/roles/" + options.role);
  std::cout << "removed role " << options.role << "\n";
  return 0;
}

int audit(const AdminOptions& options) {
  std::int64_t since = options.since.empty() ? 0 : parse_time(options.since, refserver::access::system_now());
  std::string target = "/admin/audit?since=" + std::to_string(since);
  if (options.limit > 0) target += "&limit=" + std::to_string(options.limit);
  AdminReply reply = call(options, "GET", target);
  return print(options, reply.body["entries"], [&] {
    for (const auto& e : reply.body["entries"])
      std::cout << format_time(e["at"]) << "  " << std::left << std::setw(30) << e["actor"].get<std::string>()
                << std::setw(16) << e["action"].get<std::string>() << std::setw(48) << e["resource"].get<std::string>()
                << e["detail"].dump() << "\n";
  });
}

int user_roles(const AdminOptions& options) {
  AdminReply reply = call(options, "GET", "/admin/users/" + options.user_name + "/roles");
  return print(options, reply.body, [&] {
    std::cout << reply.body["userName"].get<std::string>() << " (" << reply.body["id"].get<std::string>() << ")\n";
    std::cout << "groups:";
    for (const auto& g : reply.body["groups"]) std::cout << " " << g.get<std::string>();
    std::cout << "\nroles: ";
    for (const auto& r : reply.body["roles"]) std::cout << " " << r["value"].get<std::string>() << " (" << r["type"].get<std::string>() << ")";
    std::cout << "\n";
  });
}

}  // namespace

Command add_admin_command(CLI::App& app) {
  auto options = std::make_shared<AdminOptions>();
  if (const char* env = std::getenv("SCIMULATOR_ADMIN_TOKEN"); env) options->admin_token = env;
  CLI::App* admin = app.add_subcommand("admin", "administer a reference server: tokens, roles, audit log");
  admin->require_subcommand(1);
  admin->add_option("--data", options->data, "the server's SQLite data file (while no server runs on it)");
  admin->add_option("--url", options->url, "a running server, e.g. http://127.0.0.1:8080");
  admin->add_option("--admin-token", options->admin_token, "the credential given to serve --admin-token (or SCIMULATOR_ADMIN_TOKEN)");
  admin->add_option("--format", options->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  auto selected = std::make_shared<std::function<int()>>();

  CLI::App* token = admin->add_subcommand("token", "scim_ tokens: create, list, revoke")->require_subcommand(1);
  CLI::App* create = token->add_subcommand("create", "issue a token (at most two are active); prints key and secret once");
  create->add_option("--label", options->label, "a note to tell tokens apart, e.g. okta-2027");
  create->add_option("--expires", options->expires, "lifetime: 365d, 12h, 30m or seconds")->capture_default_str();
  create->callback([=] { *selected = [=] { return token_create(*options); }; });
  token->add_subcommand("list", "every token with its state (never a secret)")
      ->callback([=] { *selected = [=] { return token_list(*options); }; });
  CLI::App* revoke = token->add_subcommand("revoke", "revoke a token: refused from the next request on");
  revoke->add_option("key", options->key, "the token's scim_ key")->required();
  revoke->callback([=] { *selected = [=] { return token_revoke(*options); }; });

  CLI::App* role = admin->add_subcommand("role", "roles and their SCIM groups")->require_subcommand(1);
  role->add_subcommand("list", "system and custom roles")->callback([=] { *selected = [=] { return role_list(*options); }; });
  CLI::App* role_new = role->add_subcommand("create", "a custom role");
  role_new->add_option("name", options->role, "role name")->required();
  role_new->add_option("--scim-group", options->scim_group, "bind it to a SCIM group of another name");
  role_new->add_option("--grants", options->grants, "the system role whose permissions it carries (Admin, Developer, Read-only, Default)");
  role_new->callback([=] { *selected = [=] { return role_create(*options); }; });
  CLI::App* bind = role->add_subcommand("bind", "bind a custom role to a SCIM group");
  bind->add_option("name", options->role, "role name")->required();
  bind->add_option("group", options->scim_group, "SCIM group displayName")->required();
  bind->callback([=] { *selected = [=] { return role_bind(*options); }; });
  CLI::App* remove = role->add_subcommand("remove", "remove a custom role");
  remove->add_option("name", options->role, "role name")->required();
  remove->callback([=] { *selected = [=] { return role_remove(*options); }; });

  CLI::App* log = admin->add_subcommand("audit", "the audit log, oldest first");
  log->add_option("--since", options->since, "Unix seconds, 2026-11-23T10:00:00Z, or an age such as 2h or 7d");
  log->add_option("--limit", options->limit, "at most this many entries");
  log->callback([=] { *selected = [=] { return audit(*options); }; });

  CLI::App* user = admin->add_subcommand("user", "a user's effective roles")->require_subcommand(1);
  CLI::App* roles_of = user->add_subcommand("roles", "the groups and effective roles of a user");
  roles_of->add_option("userName", options->user_name, "the user's userName")->required();
  roles_of->callback([=] { *selected = [=] { return user_roles(*options); }; });

  return [selected] { return (*selected)(); };
}

}  // namespace cli
