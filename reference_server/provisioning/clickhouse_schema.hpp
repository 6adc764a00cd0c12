#pragma once
// The schemas as the clickhouse profile serves them: User.roles is computed from group
// membership (clickhouse_profile.hpp), so /Schemas declares it readOnly and the validator
// ignores what a client sends for it, as RFC 7643 §2.2 has it for readOnly attributes.
#include "scim/schema.hpp"

namespace refserver {

scim::SchemaRegistry clickhouse_registry(const scim::SchemaRegistry& rfc);

}  // namespace refserver
