#pragma once
// The attribute mappings of the simulated apps: which SCIM attribute each IdP fills from which
// directory field. The engines build their bodies from these and the convergence check compares
// the target against the very same list, so what is checked is exactly what was sent.
#include "simulator/directory/directory.hpp"
#include "simulator/idp/links.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace sim {

struct MappedAttribute {
  std::string path;     // as read_path() reads it
  nlohmann::json value; // null: the IdP has no value, so the target should hold none
  // Compared ignoring ASCII case: userName and email addresses are caseExact=false (RFC 7643
  // §4.1.1, §4.1.2) and targets such as ClickHouse Cloud store them lower-cased (C2). Two
  // accounts whose userNames differ only in case are a duplicate, which the convergence check
  // reports on its own.
  bool ignore_case = false;
};

inline constexpr const char* kOktaEmailPath = "emails[primary eq true].value";
inline constexpr const char* kEntraEmailPath = "emails[type eq \"work\"].value";

// Okta's default SCIM app mapping (O4, C5): login -> userName, Okta user id -> externalId,
// primary email, names, title, department and employee number.
std::vector<MappedAttribute> okta_mapping(const DirUser& user);

// Entra ID's default mapping (E8, E18, C4): userPrincipalName -> userName, mailNickname ->
// externalId, mail -> work email, names, jobTitle, department, employeeId, and the manager
// reference as the target's id of the manager (E15). `links` resolves the manager.
std::vector<MappedAttribute> entra_mapping(const DirUser& user, const LinkTable& links);

// Empty strings become null: an IdP leaves an attribute without a value out.
nlohmann::json value_or_null(const std::string& text);

}  // namespace sim
