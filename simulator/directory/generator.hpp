#pragma once
// A deterministic org: the same spec and seed give the same users, groups and memberships on
// every machine (own PRNG and no std::distribution, whose output the standard leaves open).
#include "simulator/directory/directory.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace sim {

// `--generate users=N,groups=M,seed=S,churn=C,domain=D,mixed_case=F`
struct GenerateSpec {
  std::size_t users = 100;
  std::size_t groups = 10;
  std::uint64_t seed = 1;
  // Share of the org that joins (and as many that leave) per 30 days in the default lifecycle.
  double churn = 0.1;
  std::string domain = "example.com";
  // Share of users whose email differs from their userName in casing (E25: Entra's own example
  // has userName jyoung@testuser.com and email jyoung@Contoso.com).
  double mixed_case = 0.2;
};

// Throws std::invalid_argument naming the bad key or value and listing the valid keys.
GenerateSpec parse_generate_spec(std::string_view text);
std::string to_string(const GenerateSpec& spec);

// SplitMix64: tiny, fast, and specified here, so sequences never depend on the library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::size_t below(std::size_t n);  // 0 <= r < n (n > 0)
  bool chance(double p);              // true with probability p

 private:
  std::uint64_t state_;
};

// Makes users in the generated org's style; also used for the lifecycle's new hires so names
// stay unique across the whole run.
class UserFactory {
 public:
  // Keys count up from `first_index` ("u-000042").
  UserFactory(const GenerateSpec& spec, std::uint64_t seed, std::size_t first_index = 0);
  // The next user, key "u-000042"; userName unique within this factory (and `directory`).
  DirUser make(const Directory& directory);
  std::size_t next_index() const { return next_index_; }

 private:
  GenerateSpec spec_;
  Rng rng_;
  std::size_t next_index_ = 0;
};

Directory generate_directory(const GenerateSpec& spec);

// The first-letter-capitalized form of each dot-separated part of the local part and the domain:
// "alice.ng@example.com" -> "Alice.Ng@Example.com".
std::string capitalized_email(std::string_view email);

}  // namespace sim
