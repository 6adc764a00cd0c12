#include "reference_server/access/access_control.hpp"

#include "reference_server/access/access_tables.hpp"
#include "reference_server/access/credentials.hpp"

#include <openssl/crypto.h>

#include <chrono>
#include <mutex>

namespace refserver::access {

namespace {

template <typename Result, typename Function>
Result with(const DatabaseRunner& run, Function&& function) {
  Result result{};
  run([&](sqlite::Database& db) { result = function(db); });
  return result;
}

bool equal_constant_time(const std::string& a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

nlohmann::json role_detail(const Role& role) {
  return {{"scim_group", role.scim_group}, {"grants", role.grants}, {"created_by", role.created_by}};
}

}  // namespace

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

AccessControl::AccessControl(DatabaseRunner run, std::vector<std::string> static_tokens, Clock clock)
    : run_(std::move(run)), static_tokens_(std::move(static_tokens)), clock_(std::move(clock)) {
  run_([this](sqlite::Database& db) {
    ensure_access_tables(db);
    refresh(db);
  });
}

void AccessControl::refresh(sqlite::Database& db) {
  std::vector<StoredToken> tokens = TokenStore(db).stored();
  RoleIndex roles(RoleStore(db).list());
  std::unique_lock lock(cache_mutex_);
  tokens_ = std::move(tokens);
  roles_ = std::move(roles);
}

std::optional<StoredToken> AccessControl::token_named(const std::string& key) const {
  std::shared_lock lock(cache_mutex_);
  for (const StoredToken& token : tokens_)
    if (token.info.key == key) return token;
  return std::nullopt;
}

AuthResult AccessControl::authenticate(std::string_view authorization, std::string_view client) {
  PresentedCredential credential = parse_authorization(authorization);
  AuthResult result;
  result.actor = "anonymous";
  switch (credential.form) {
    case CredentialForm::none:
      result.detail = "authentication required: send Authorization: Basic <base64(key:secret)> or Bearer <key>:<secret>";
      return result;  // not audited: every client's first probe looks like this
    case CredentialForm::malformed:
      result.detail = credential.problem;
      break;
    case CredentialForm::basic:
    case CredentialForm::bearer: {
      if (credential.form == CredentialForm::bearer) {
        // Static tokens are compared whole and every one is compared, so timing reveals nothing.
        bool matched = false;
        for (const std::string& token : static_tokens_) matched |= equal_constant_time(token, credential.bearer_value);
        if (matched) {
          result.accepted = true;
          result.actor = "static-token";
          return result;
        }
      }
      if (credential.key.empty()) {
        result.detail = "the bearer token is not valid for this server; check the token configured in the client";
        break;
      }
      std::optional<StoredToken> stored = token_named(credential.key);
      Verification verification{judge(stored ? &*stored : nullptr, credential.secret, clock_()), credential.key};
      if (verification.verdict == Verdict::accepted) {
        result.accepted = true;
        result.actor = credential.key;
        return result;
      }
      if (verification.verdict != Verdict::unknown_key) result.actor = credential.key;
      switch (verification.verdict) {
        case Verdict::revoked:
          result.detail = "the token " + credential.key + " was revoked; configure the IdP with an active token";
          break;
        case Verdict::expired:
          result.detail = "the token " + credential.key + " has expired; create a new token and configure the IdP with it";
          break;
        default:
          result.detail = "the credentials are not valid for this server; check the token's key and secret in the IdP";
      }
      break;
    }
  }
  record(result.actor, "auth.refused", "", {{"reason", result.detail}, {"client", std::string(client)}});
  return result;
}

bool AccessControl::has_credentials() {
  if (!static_tokens_.empty()) return true;
  std::shared_lock lock(cache_mutex_);
  return !tokens_.empty();
}

IssuedToken AccessControl::create_token(const std::string& actor, std::int64_t lifetime_seconds, const std::string& label) {
  return with<IssuedToken>(run_, [&](sqlite::Database& db) {
    db.exec("SAVEPOINT create_token");
    try {
      IssuedToken issued = TokenStore(db).create(clock_(), lifetime_seconds, label);
      record_in(db, actor, "token.create", "tokens/" + issued.info.key,
                           {{"label", label}, {"expires_at", issued.info.expires_at}});
      db.exec("RELEASE create_token");
      refresh(db);
      return issued;
    } catch (...) {
      db.exec("ROLLBACK TO create_token; RELEASE create_token");
      throw;
    }
  });
}

std::vector<TokenInfo> AccessControl::tokens() {
  std::shared_lock lock(cache_mutex_);
  std::vector<TokenInfo> out;
  // Newest first, as TokenStore::list gives them.
  for (auto it = tokens_.rbegin(); it != tokens_.rend(); ++it) out.push_back(it->info);
  return out;
}

TokenInfo AccessControl::revoke_token(const std::string& actor, const std::string& key) {
  return with<TokenInfo>(run_, [&](sqlite::Database& db) {
    TokenInfo info = TokenStore(db).revoke(key, clock_());
    record_in(db, actor, "token.revoke", "tokens/" + key, nlohmann::json::object());
    refresh(db);
    return info;
  });
}

std::vector<Role> AccessControl::roles() {
  std::shared_lock lock(cache_mutex_);
  return roles_.roles();
}

Role AccessControl::create_role(const std::string& actor, const std::string& name, const std::string& scim_group,
                                const std::string& grants) {
  return with<Role>(run_, [&](sqlite::Database& db) {
    Role role = RoleStore(db).create(name, scim_group, grants, clock_());
    record_in(db, actor, "role.create", "roles/" + role.name, role_detail(role));
    refresh(db);
    return role;
  });
}

Role AccessControl::bind_role(const std::string& actor, const std::string& name, const std::string& scim_group) {
  return with<Role>(run_, [&](sqlite::Database& db) {
    Role role = RoleStore(db).bind_group(name, scim_group);
    record_in(db, actor, "role.bind", "roles/" + role.name, role_detail(role));
    refresh(db);
    return role;
  });
}

void AccessControl::remove_role(const std::string& actor, const std::string& name) {
  run_([&](sqlite::Database& db) {
    RoleStore(db).remove(name);
    record_in(db, actor, "role.remove", "roles/" + name, nlohmann::json::object());
    refresh(db);
  });
}

Role AccessControl::ensure_role_for_group(const std::string& actor, const std::string& group) {
  {
    std::shared_lock lock(cache_mutex_);
    if (const Role* existing = roles_.for_group(group)) return *existing;
  }
  return with<Role>(run_, [&](sqlite::Database& db) {
    RoleStore roles(db);
    if (std::optional<Role> existing = roles.role_for_group(group)) return *existing;
    Role role = roles.ensure_role_for_group(group, clock_());
    record_in(db, actor, "role.create", "roles/" + role.name, role_detail(role));
    // The one new role joins the cache; re-reading every role here would make pushing N groups
    // cost N² rows.
    std::unique_lock lock(cache_mutex_);
    roles_.add(role);
    return role;
  });
}

std::vector<EffectiveRole> AccessControl::effective_roles(const std::vector<std::string>& groups, bool active) {
  std::shared_lock lock(cache_mutex_);
  return access::effective_roles(roles_, groups, active);
}

void AccessControl::record(const std::string& actor, const std::string& action, const std::string& resource,
                           nlohmann::json detail) {
  run_([&](sqlite::Database& db) { record_in(db, actor, action, resource, std::move(detail)); });
}

void AccessControl::record_in(sqlite::Database& db, const std::string& actor, const std::string& action,
                              const std::string& resource, nlohmann::json detail) const {
  AuditLog(db).record({0, clock_(), actor, action, resource, std::move(detail)});
}

std::vector<AuditEntry> AccessControl::audit(std::int64_t since, std::size_t limit) {
  return with<std::vector<AuditEntry>>(run_, [&](sqlite::Database& db) { return AuditLog(db).since(since, limit); });
}

}  // namespace refserver::access
