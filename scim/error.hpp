#pragma once
// The SCIM error vocabulary of RFC 7644 §3.12: an HTTP status, an optional scimType keyword,
// and a human-readable detail. Domain code throws scim::Error; exactly one place in the server
// turns it into the response body (see to_json).
#include <nlohmann/json_fwd.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace scim {

// RFC 7644 §3.12, Table 9. Enumerators spell the RFC token in snake_case.
enum class ScimType {
  none,
  invalid_filter,
  too_many,
  uniqueness,
  mutability,
  invalid_syntax,
  invalid_path,
  no_target,
  invalid_value,
  invalid_vers,
  sensitive,
};

// The RFC spelling ("invalidFilter"); empty for ScimType::none.
std::string_view to_string(ScimType type);

class Error : public std::runtime_error {
 public:
  Error(int status, ScimType scim_type, std::string detail);

  int status() const { return status_; }
  ScimType scim_type() const { return scim_type_; }
  const std::string& detail() const { return detail_; }

  // Shorthands for the errors domain code raises most.
  static Error bad_request(ScimType type, std::string detail) { return Error(400, type, std::move(detail)); }
  static Error not_found(std::string detail) { return Error(404, ScimType::none, std::move(detail)); }
  static Error conflict(std::string detail) { return Error(409, ScimType::uniqueness, std::move(detail)); }

 private:
  int status_;
  ScimType scim_type_;
  std::string detail_;
};

// The RFC 7644 §3.12 body: schemas, status as a string, scimType when defined, detail.
nlohmann::json to_json(const Error& error);

}  // namespace scim
