#include "reference_server/access/token_store.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

namespace refserver::access {

namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1)
    throw std::runtime_error("the system random generator failed; cannot issue a token");
  return hex(buffer.data(), buffer.size());
}

}  // namespace

// Secrets carry 256 random bits, so a plain SHA-256 is as strong as a slow password hash here.
std::string hash_secret(const std::string& text) {
  // Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up in its providers on every
  // call, which cost more than the hash itself on each authenticated request.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (sha256 == nullptr || EVP_Digest(text.data(), text.size(), digest.data(), &length, sha256, nullptr) != 1)
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  return hex(digest.data(), length);
}

namespace {

TokenInfo read_info(const sqlite::Statement& row) {
  TokenInfo info;
  info.key = std::string(row.column_text(0));
  info.label = std::string(row.column_text(1));
  info.created_at = row.column_int64(2);
  info.expires_at = row.column_int64(3);
  info.revoked_at = row.column_int64(4);
  return info;
}

constexpr const char* kColumns = "key, label, created_at, expires_at, revoked_at";

}  // namespace

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::accepted: return "accepted";
    case Verdict::unknown_key: return "unknown key";
    case Verdict::wrong_secret: return "wrong secret";
    case Verdict::revoked: return "revoked";
    case Verdict::expired: return "expired";
  }
  return "unknown";
}

IssuedToken TokenStore::create(std::int64_t now, std::int64_t lifetime_seconds, std::string label) {
  if (lifetime_seconds <= 0) throw AccessRefused("a token's lifetime must be positive; give e.g. 365d");
  if (active_count(now) >= kMaxActiveTokens)
    throw AccessRefused("there are already " + std::to_string(kMaxActiveTokens) +
                        " active tokens; revoke one first (admin token list, then admin token revoke KEY)");
  IssuedToken issued;
  issued.info.key = "scim_" + random_hex(12);
  issued.info.label = std::move(label);
  issued.info.created_at = now;
  issued.info.expires_at = now + lifetime_seconds;
  issued.secret = random_hex(32);
  std::string hash = hash_secret(issued.secret);
  sqlite::Statement insert = db_.prepare(
      "INSERT INTO access_tokens(key, secret_hash, label, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.bind(1, issued.info.key);
  insert.bind(2, hash);
  insert.bind(3, issued.info.label);
  insert.bind(4, issued.info.created_at);
  insert.bind(5, issued.info.expires_at);
  insert.run();
  return issued;
}

std::vector<TokenInfo> TokenStore::list() const {
  sqlite::Statement query =
      db_.prepare(std::string("SELECT ") + kColumns + " FROM access_tokens ORDER BY created_at DESC, rowid DESC");
  std::vector<TokenInfo> out;
  while (query.step()) out.push_back(read_info(query));
  return out;
}

std::optional<TokenInfo> TokenStore::find(const std::string& key) const {
  sqlite::Statement query = db_.prepare(std::string("SELECT ") + kColumns + " FROM access_tokens WHERE key = ?1");
  query.bind(1, key);
  if (!query.step()) return std::nullopt;
  return read_info(query);
}

TokenInfo TokenStore::revoke(const std::string& key, std::int64_t now) {
  std::optional<TokenInfo> info = find(key);
  if (!info) throw AccessRefused("no token with key " + key + "; list the keys with admin token list");
  if (info->revoked_at != 0) return *info;
  sqlite::Statement update = db_.prepare("UPDATE access_tokens SET revoked_at = ?2 WHERE key = ?1");
  update.bind(1, key);
  update.bind(2, now);
  update.run();
  info->revoked_at = now;
  return *info;
}

Verdict judge(const StoredToken* stored, const std::string& secret, std::int64_t now) {
  if (!stored) return Verdict::unknown_key;
  std::string presented = hash_secret(secret);
  const std::string& kept = stored->secret_hash;
  bool same = kept.size() == presented.size() && CRYPTO_memcmp(kept.data(), presented.data(), presented.size()) == 0;
  if (!same) return Verdict::wrong_secret;
  if (stored->info.revoked_at != 0) return Verdict::revoked;
  if (now >= stored->info.expires_at) return Verdict::expired;
  return Verdict::accepted;
}

std::vector<StoredToken> TokenStore::stored() const {
  sqlite::Statement query = db_.prepare(std::string("SELECT ") + kColumns + ", secret_hash FROM access_tokens ORDER BY created_at, rowid");
  std::vector<StoredToken> out;
  while (query.step()) out.push_back({read_info(query), std::string(query.column_text(5))});
  return out;
}

Verification TokenStore::verify(const std::string& key, const std::string& secret, std::int64_t now) const {
  std::optional<StoredToken> found;
  for (StoredToken& token : stored())
    if (token.info.key == key) found = std::move(token);
  return {judge(found ? &*found : nullptr, secret, now), key};
}

std::size_t TokenStore::active_count(std::int64_t now) const {
  sqlite::Statement query = db_.prepare("SELECT count(*) FROM access_tokens WHERE revoked_at = 0 AND expires_at > ?1");
  query.bind(1, now);
  query.step();
  return static_cast<std::size_t>(query.column_int64(0));
}

}  // namespace refserver::access
