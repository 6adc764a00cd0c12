#include "scim/error.hpp"

#include "scim/urns.hpp"

#include <nlohmann/json.hpp>

namespace scim {

std::string_view to_string(ScimType type) {
  switch (type) {
    case ScimType::none: return "";
    case ScimType::invalid_filter: return "invalidFilter";
    case ScimType::too_many: return "tooMany";
    case ScimType::uniqueness: return "uniqueness";
    case ScimType::mutability: return "mutability";
    case ScimType::invalid_syntax: return "invalidSyntax";
    case ScimType::invalid_path: return "invalidPath";
    case ScimType::no_target: return "noTarget";
    case ScimType::invalid_value: return "invalidValue";
    case ScimType::invalid_vers: return "invalidVers";
    case ScimType::sensitive: return "sensitive";
  }
  return "";
}

Error::Error(int status, ScimType scim_type, std::string detail)
    : std::runtime_error(detail), status_(status), scim_type_(scim_type), detail_(std::move(detail)) {}

nlohmann::json to_json(const Error& error) {
  nlohmann::json body = {
      {"schemas", {std::string(urn::error)}},
      {"status", std::to_string(error.status())},
      {"detail", error.detail()},
  };
  if (error.scim_type() != ScimType::none) body["scimType"] = std::string(to_string(error.scim_type()));
  return body;
}

}  // namespace scim
