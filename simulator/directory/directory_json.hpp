#pragma once
// The directory as JSON, the format of fixtures and of `simulate --directory FILE`:
//
//   { "users":  [ { "key": "u-1", "userName": "alice@example.com", "email": "Alice@Example.com",
//                   "givenName": "Alice", "familyName": "Ng", "displayName": "Alice Ng",
//                   "active": true, "department": "Eng", "employeeNumber": "1001",
//                   "title": "Engineer", "manager": "u-0", "mailNickname": "alice" } ],
//     "groups": [ { "key": "g-1", "displayName": "ClickHouse-Admins", "members": ["u-1"] } ] }
//
// Only key and userName are required; email defaults to userName and displayName to
// "givenName familyName". Unknown fields are refused so a typo never passes silently.
#include "simulator/directory/directory.hpp"

#include <nlohmann/json.hpp>

namespace sim {

// Throws std::invalid_argument naming the offending field.
DirUser user_from_json(const nlohmann::json& value);
DirGroup group_from_json(const nlohmann::json& value);
Directory directory_from_json(const nlohmann::json& value);

nlohmann::json to_json(const DirUser& user);
nlohmann::json to_json(const DirGroup& group);
nlohmann::json to_json(const Directory& directory);

}  // namespace sim
