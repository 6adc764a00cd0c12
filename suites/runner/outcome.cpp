#include "suites/runner/outcome.hpp"

#include <array>
#include <utility>

namespace suites {

namespace {
constexpr std::array<std::pair<Outcome, std::string_view>, 7> kNames{{
    {Outcome::pass, "pass"},
    {Outcome::fail, "fail"},
    {Outcome::non_strict, "non_strict"},
    {Outcome::informational, "informational"},
    {Outcome::unsupported, "unsupported"},
    {Outcome::blocked, "blocked"},
    {Outcome::error, "error"},
}};
}  // namespace

std::string_view to_string(Outcome outcome) {
  for (const auto& [value, name] : kNames)
    if (value == outcome) return name;
  return "error";
}

std::optional<Outcome> outcome_from_string(std::string_view text) {
  for (const auto& [value, name] : kNames)
    if (name == text) return value;
  return std::nullopt;
}

bool acceptable(Outcome outcome) { return outcome != Outcome::fail && outcome != Outcome::error; }

}  // namespace suites
