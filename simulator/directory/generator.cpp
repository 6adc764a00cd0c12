#include "simulator/directory/generator.hpp"

#include <array>
#include <cstdio>
#include <charconv>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

namespace sim {

namespace {

constexpr std::array<const char*, 40> kGiven = {
    "Alice", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ines", "Jonas",
    "Keiko", "Luis", "Maya", "Nikolai", "Olga", "Priya", "Quentin", "Rosa", "Samir", "Tara",
    "Umar", "Vera", "Wen", "Xavier", "Yara", "Zoltan", "Amara", "Bjorn", "Carmen", "Dmitri",
    "Elif", "Farid", "Greta", "Hugo", "Ilse", "Jamal", "Kira", "Lena", "Mateo", "Noor"};
constexpr std::array<const char*, 40> kFamily = {
    "Ng", "Jensen", "Okafor", "Silva", "Kowalski", "Haddad", "Tanaka", "Moreau", "Novak", "Ivanova",
    "Garcia", "Schmidt", "Rossi", "Kim", "Nielsen", "Petrov", "Smith", "Dubois", "Yilmaz", "Costa",
    "Larsen", "Mendes", "Fischer", "Horvat", "Ali", "Berg", "Nakamura", "Lopez", "Weber", "Sato",
    "Popescu", "Kaur", "Andersen", "Bianchi", "Duarte", "Ortiz", "Wagner", "Sousa", "Lindqvist", "Park"};
constexpr std::array<const char*, 8> kDepartments = {"Engineering", "Sales", "Support", "Finance",
                                                     "Marketing", "Legal", "Operations", "Research"};
constexpr std::array<const char*, 6> kTitles = {"Engineer", "Analyst", "Manager", "Specialist", "Director",
                                                "Associate"};
// The first groups carry the role names of the modelled service's five-step test plan.
constexpr std::array<const char*, 3> kRoleGroups = {"ClickHouse-Admins", "ClickHouse-Developers",
                                                    "ClickHouse-Read-only"};

template <class T>
T number(std::string_view key, std::string_view value) {
  T out{};
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (error != std::errc() || end != value.data() + value.size())
    throw std::invalid_argument("--generate " + std::string(key) + "=" + std::string(value) + " is not a number");
  return out;
}

double fraction(std::string_view key, std::string_view value) {
  std::string copy(value);
  std::size_t used = 0;
  double out = 0;
  try {
    out = std::stod(copy, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != copy.size() || out < 0 || out > 1)
    throw std::invalid_argument("--generate " + std::string(key) + "=" + copy + " must be a number from 0 to 1");
  return out;
}

}  // namespace

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::size_t Rng::below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }

bool Rng::chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

GenerateSpec parse_generate_spec(std::string_view text) {
  GenerateSpec spec;
  const char* valid = "valid keys: users, groups, seed, churn, domain, mixed_case (e.g. users=1000,groups=20,seed=7)";
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string_view item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    if (item.empty()) continue;
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos)
      throw std::invalid_argument("--generate item \"" + std::string(item) + "\" is not key=value; " + valid);
    std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "users") spec.users = number<std::size_t>(key, value);
    else if (key == "groups") spec.groups = number<std::size_t>(key, value);
    else if (key == "seed") spec.seed = number<std::uint64_t>(key, value);
    else if (key == "churn") spec.churn = fraction(key, value);
    else if (key == "mixed_case") spec.mixed_case = fraction(key, value);
    else if (key == "domain") {
      if (value.empty() || value.find('@') != std::string_view::npos || value.find(' ') != std::string_view::npos)
        throw std::invalid_argument("--generate domain=" + std::string(value) + " is not a domain name");
      spec.domain = std::string(value);
    } else {
      throw std::invalid_argument("--generate has an unknown key \"" + std::string(key) + "\"; " + valid);
    }
  }
  if (spec.users > 1000000) throw std::invalid_argument("--generate users= is limited to 1000000");
  if (spec.groups > 100000) throw std::invalid_argument("--generate groups= is limited to 100000");
  return spec;
}

std::string to_string(const GenerateSpec& spec) {
  std::ostringstream out;
  out << "users=" << spec.users << ",groups=" << spec.groups << ",seed=" << spec.seed << ",churn=" << spec.churn
      << ",domain=" << spec.domain << ",mixed_case=" << spec.mixed_case;
  return out.str();
}

std::string capitalized_email(std::string_view email) {
  std::string out(email);
  bool start = true;
  for (char& c : out) {
    if (c == '.' || c == '@' || c == '-') {
      start = true;
      continue;
    }
    if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    start = false;
  }
  return out;
}

UserFactory::UserFactory(const GenerateSpec& spec, std::uint64_t seed, std::size_t first_index)
    : spec_(spec), rng_(seed), next_index_(first_index) {}

DirUser UserFactory::make(const Directory& directory) {
  std::size_t index = next_index_++;
  DirUser user;
  char key[32];
  std::snprintf(key, sizeof key, "u-%06zu", index);
  user.key = key;
  while (directory.find_user(user.key)) user.key += "x";
  user.given_name = kGiven[rng_.below(kGiven.size())];
  user.family_name = kFamily[rng_.below(kFamily.size())];
  user.display_name = user.given_name + " " + user.family_name;
  std::string local = lower(user.given_name + "." + user.family_name);
  // Unique in the directory ignoring case (RFC 7643 §4.1.1: userName is caseExact=false).
  std::string candidate = local + "@" + spec_.domain;
  if (directory.find_user_by_name(candidate)) candidate = local + "." + std::to_string(index) + "@" + spec_.domain;
  user.user_name = candidate;
  user.email = rng_.chance(spec_.mixed_case) ? capitalized_email(candidate) : candidate;
  user.department = kDepartments[rng_.below(kDepartments.size())];
  user.title = kTitles[rng_.below(kTitles.size())];
  user.employee_number = std::to_string(100000 + index);
  return user;
}

Directory generate_directory(const GenerateSpec& spec) {
  Directory directory;
  UserFactory factory(spec, spec.seed);
  for (std::size_t i = 0; i < spec.users; ++i) {
    DirUser user = factory.make(directory);
    // A management tree: every eighth person reports to the same manager, created earlier.
    if (i > 0) user.manager = directory.users()[(i - 1) / 8].key;
    directory.add_user(std::move(user));
  }
  Rng rng(spec.seed ^ 0x5ca1ab1eull);
  for (std::size_t g = 0; g < spec.groups; ++g) {
    DirGroup group;
    char key[32];
    std::snprintf(key, sizeof key, "g-%04zu", g);
    group.key = key;
    if (g < kRoleGroups.size()) {
      group.display_name = kRoleGroups[g];
    } else {
      group.display_name = std::string("Team-") + kDepartments[g % kDepartments.size()] + "-" + std::to_string(g);
    }
    directory.add_group(std::move(group));
  }
  if (spec.groups > 0) {
    // One to three groups per user.
    for (const auto& user : directory.users()) {
      std::size_t count = 1 + rng.below(3);
      for (std::size_t k = 0; k < count; ++k) directory.groups()[rng.below(spec.groups)].members.insert(user.key);
    }
  }
  return directory;
}

}  // namespace sim
