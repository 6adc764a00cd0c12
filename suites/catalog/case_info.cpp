#include "suites/catalog/case_info.hpp"

#include <cctype>

namespace suites {

std::string_view to_string(Level level) {
  switch (level) {
    case Level::must: return "MUST";
    case Level::should: return "SHOULD";
    case Level::may: return "MAY";
  }
  return "MUST";
}

std::optional<Level> level_from_string(std::string_view text) {
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "MUST" || upper == "REQUIRED" || upper == "SHALL") return Level::must;
  if (upper == "SHOULD" || upper == "RECOMMENDED") return Level::should;
  if (upper == "MAY" || upper == "OPTIONAL") return Level::may;
  return std::nullopt;
}

std::string SpecRef::citation() const {
  if (document.rfind("RFC", 0) == 0) return document + " §" + section;
  return document + " " + section;
}

}  // namespace suites
