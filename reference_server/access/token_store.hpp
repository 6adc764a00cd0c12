#pragma once
// SCIM tokens as the modelled service issues them: a public key prefixed "scim_" and a secret
// shown once. Only a hash of the secret is kept, so a stolen data file does not authenticate.
// At most two tokens are active at a time: enough to rotate without downtime (create the new
// one, switch the IdP, revoke the old one), few enough that forgotten tokens do not pile up.
#include "reference_server/store/sqlite_db.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace refserver::access {

inline constexpr std::size_t kMaxActiveTokens = 2;
inline constexpr std::int64_t kDefaultTokenLifetime = 365LL * 24 * 3600;  // the vendor's advice: 12 months

struct TokenInfo {
  std::string key;  // "scim_…", safe to show and log
  std::string label;
  std::int64_t created_at = 0;  // Unix seconds
  std::int64_t expires_at = 0;
  std::int64_t revoked_at = 0;  // 0 while not revoked

  bool active(std::int64_t now) const { return revoked_at == 0 && now < expires_at; }
};

// A token as created: the only moment its secret exists outside the client.
struct IssuedToken {
  TokenInfo info;
  std::string secret;
};

// A request the model refuses for a reason the operator can fix (a third active token, an
// unknown key); the message says what to do.
struct AccessRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Verdict { accepted, unknown_key, wrong_secret, revoked, expired };
const char* to_string(Verdict verdict);

struct Verification {
  Verdict verdict = Verdict::unknown_key;
  std::string key;  // the key presented, for the audit log (never the secret)
};

// A token as kept: its public part and the hash of its secret.
struct StoredToken {
  TokenInfo info;
  std::string secret_hash;
};

// The hash kept in place of a secret.
std::string hash_secret(const std::string& secret);
// The verdict for `secret` presented with a token found as `stored` (nullptr: unknown key).
// Compares hashes in constant time; the secret is judged before the token's state, so a caller
// without it learns nothing about that state.
Verdict judge(const StoredToken* stored, const std::string& secret, std::int64_t now);

// Works on a connection the caller serialises. Every call reads the file, so a token revoked
// through another path is refused on the very next request.
class TokenStore {
 public:
  explicit TokenStore(sqlite::Database& db) : db_(db) {}

  // Throws AccessRefused when kMaxActiveTokens are already active.
  IssuedToken create(std::int64_t now, std::int64_t lifetime_seconds = kDefaultTokenLifetime, std::string label = {});
  // Every token ever issued, newest first.
  std::vector<TokenInfo> list() const;
  std::optional<TokenInfo> find(const std::string& key) const;
  // Every token with its hash, for a server to verify from memory.
  std::vector<StoredToken> stored() const;
  // Throws AccessRefused for an unknown key; revoking a revoked token is a no-op.
  TokenInfo revoke(const std::string& key, std::int64_t now);
  // Compares the secret's hash in constant time.
  Verification verify(const std::string& key, const std::string& secret, std::int64_t now) const;
  std::size_t active_count(std::int64_t now) const;

 private:
  sqlite::Database& db_;
};

}  // namespace refserver::access
