#pragma once
// The RFC 7643 §7 schema model: attribute definitions with their characteristics, loaded from
// the same JSON documents the server serves at /Schemas (fixtures/schemas/). Plain immutable
// structs; lookups by name are case-insensitive because RFC 7643 §2.1 says attribute names are.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scim {

// RFC 7643 §2.3 data types.
enum class AttributeType { string, boolean, decimal, integer, date_time, binary, reference, complex };
// RFC 7643 §7 "mutability".
enum class Mutability { read_only, read_write, immutable, write_only };
// RFC 7643 §7 "returned".
enum class Returned { always, never, by_default, request };
// RFC 7643 §7 "uniqueness".
enum class Uniqueness { none, server, global };

std::string_view to_string(AttributeType type);
std::string_view to_string(Mutability mutability);
std::string_view to_string(Returned returned);
std::string_view to_string(Uniqueness uniqueness);

struct AttributeDef {
  std::string name;
  AttributeType type = AttributeType::string;
  bool multi_valued = false;
  bool required = false;
  bool case_exact = false;
  Mutability mutability = Mutability::read_write;
  Returned returned = Returned::by_default;
  Uniqueness uniqueness = Uniqueness::none;
  std::vector<std::string> canonical_values;
  std::vector<std::string> reference_types;
  std::vector<AttributeDef> sub_attributes;

  // Case-insensitive lookup of a sub-attribute; nullptr when absent.
  const AttributeDef* find_sub(std::string_view sub_name) const;
};

struct Schema {
  std::string id;  // the URN
  std::string name;
  std::string description;
  std::vector<AttributeDef> attributes;
  nlohmann::json document;  // the definition as served at /Schemas/{id}

  const AttributeDef* find(std::string_view attribute_name) const;
};

struct SchemaExtension {
  std::string schema;
  bool required = false;
};

// RFC 7643 §6.
struct ResourceTypeDef {
  std::string id;        // "User"
  std::string name;      // "User"
  std::string endpoint;  // "/Users"
  std::string description;
  std::string schema;    // core schema URN
  std::vector<SchemaExtension> extensions;
  nlohmann::json document;  // as served at /ResourceTypes/{id}, without meta
};

// Where an attribute lives for one resource type: which schema defines it, and under which
// key of the resource JSON it is found (core attributes at top level, extension attributes
// below their schema URN).
struct ResolvedAttribute {
  const Schema* schema = nullptr;
  const AttributeDef* attribute = nullptr;
  const AttributeDef* sub_attribute = nullptr;  // set for "name.givenName"
  bool in_extension = false;

  // The definition that governs the value the path points at.
  const AttributeDef& target() const { return sub_attribute ? *sub_attribute : *attribute; }
};

class SchemaRegistry {
 public:
  // Loads every *.json in `dir` that holds a schema ("id" starting with urn: and "attributes"),
  // and resource_types.json. Throws std::runtime_error naming the file on malformed input, and
  // when a resource type names a schema the directory lacks (our own fixtures must be complete).
  static SchemaRegistry load(const std::filesystem::path& dir);

  // Builds a registry from what a target serves at /Schemas and /ResourceTypes: each argument is
  // either a ListResponse (its "Resources") or a bare array of documents. Characteristics a
  // document omits take their RFC 7643 §2.2 defaults (type string, single-valued, readWrite,
  // returned default, ...). A resource type that names a schema the target does not serve is kept
  // (its attributes are then unknown) rather than refused: a harness must still judge such a
  // target. Throws std::runtime_error saying which document is unusable (not an object, no
  // schema id, no endpoint, an unknown attribute type, ...).
  static SchemaRegistry from_documents(const nlohmann::json& schemas, const nlohmann::json& resource_types);

  const Schema* find_schema(std::string_view urn) const;           // case-insensitive
  const ResourceTypeDef* find_resource_type(std::string_view name) const;  // by id/name
  const std::vector<const Schema*>& schemas() const { return schema_order_; }
  const std::vector<ResourceTypeDef>& resource_types() const { return resource_types_; }

  // The attributes every resource carries (RFC 7643 §3.1): id, externalId, meta.
  const std::vector<AttributeDef>& common_attributes() const { return common_; }

  // Resolves "userName", "name.givenName", "urn:...:User:name.givenName",
  // "urn:...:enterprise:2.0:User:manager.value" for the resource type. Unknown → nullopt.
  std::optional<ResolvedAttribute> resolve(const ResourceTypeDef& type, std::string_view urn,
                                           std::string_view attribute, std::string_view sub_attribute) const;

 private:
  // Shared by load and from_documents; `where` prefixes every error message.
  void add_schema(nlohmann::json document, const std::string& where);
  void add_resource_type(const nlohmann::json& document, const std::string& where);

  std::vector<std::unique_ptr<Schema>> owned_;
  std::vector<const Schema*> schema_order_;
  std::vector<ResourceTypeDef> resource_types_;
  std::vector<AttributeDef> common_;
  Schema common_schema_;
};

// Default location of fixtures/: $SCIMULATOR_FIXTURES, else the build-time source path.
std::filesystem::path default_fixtures_dir();

// ASCII only, and inline: attribute names and URNs are folded on every request, where libc's
// locale-aware tolower (a call per character) showed up in profiles.
constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Case-insensitive ASCII comparison, the rule for attribute names and URNs (RFC 7643 §2.1).
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}
std::string to_lower(std::string_view text);

}  // namespace scim
