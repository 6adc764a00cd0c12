#pragma once
// The clickhouse cases reach the target's admin API (tokens, roles, audit log) besides its SCIM
// endpoint. Admin exchanges go into the case's wire log like any other, but are not judged by
// the SCIM response rules: the admin API is not SCIM.
#include "simulator/client/http_client.hpp"
#include "suites/runner/case_context.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace suites::clickhouse {

struct AdminReply {
  int status = 0;
  nlohmann::json body;  // null when empty or not JSON
};

class AdminApi {
 public:
  // Ends the case `unsupported` when the run knows no admin API for the target.
  explicit AdminApi(CaseContext& context);
  ~AdminApi();  // removes the roles and revokes the tokens this case created, unless --keep

  AdminReply call(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);

  struct Token {
    std::string key, secret;
  };
  // A new token; the case ends `blocked` if the target refuses it (e.g. two are active).
  Token create_token(const std::string& label);
  void revoke(const std::string& key);
  // A custom role; blocked if refused.
  void create_role(const std::string& name, const std::string& scim_group, const std::string& grants);
  // Marks a role the target created by itself (from a pushed group) for removal afterwards.
  void forget_role_later(const std::string& name) { roles_.push_back(name); }
  // Marks a token issued through call() for revocation afterwards.
  void revoke_later(const std::string& key) { tokens_.push_back(key); }

 private:
  CaseContext& context_;
  std::unique_ptr<scimclient::Client> client_;
  std::vector<std::string> tokens_;
  std::vector<std::string> roles_;
};

}  // namespace suites::clickhouse
