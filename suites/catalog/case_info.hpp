#pragma once
// What a conformance case is, apart from what it does: its stable id, the requirement it checks
// (document, section, RFC 2119 level, the quoted text), how it is selected (keywords), what the
// target must declare for it to apply (capabilities) and which cases must pass before it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suites {

// RFC 2119 keywords; decides how a broken check grades the case (MUST → fail, SHOULD →
// non_strict, MAY → informational).
enum class Level { must, should, may };

std::string_view to_string(Level level);  // "MUST", "SHOULD", "MAY"
std::optional<Level> level_from_string(std::string_view text);  // case-insensitive

// The requirement a case or a check is anchored to.
struct SpecRef {
  std::string document;  // "RFC 7644", "RFC 7643", "okta-spec", "entra-validator"
  std::string section;   // "3.3", "R8", "mandatory-user"
  Level level = Level::must;
  std::string quote;  // the requirement, verbatim where it comes from an RFC

  // "RFC 7644 §3.3" or "okta-spec R8".
  std::string citation() const;
};

struct CaseInfo {
  std::string id;       // <spec>/<section>/<slug>; the slug never changes
  std::string profile;  // rfc | okta-spec | entra-validator | clickhouse
  std::string title;    // one line a reader understands without the RFC at hand
  SpecRef spec;
  std::vector<std::string> keywords;  // selection with --keyword K / !K
  // Capabilities the target must declare (see runner/discovery.hpp): a missing one makes the
  // case `unsupported` instead of failed.
  std::vector<std::string> requires_capabilities;
  std::vector<std::string> depends_on;  // case ids; a failed one makes this case `blocked`
  std::string hint;    // how to fix the server when the case fails
  std::string source;  // fixture file or C++ file that defines the case
  // For a vendor profile: the vendor whose verdict is reported beside the RFC verdict
  // ("Okta", "Entra ID"); empty for plain RFC cases.
  std::string vendor;
};

}  // namespace suites
