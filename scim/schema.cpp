#include "scim/schema.hpp"

#include "scim/urns.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace scim {

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string_view to_string(AttributeType type) {
  switch (type) {
    case AttributeType::string: return "string";
    case AttributeType::boolean: return "boolean";
    case AttributeType::decimal: return "decimal";
    case AttributeType::integer: return "integer";
    case AttributeType::date_time: return "dateTime";
    case AttributeType::binary: return "binary";
    case AttributeType::reference: return "reference";
    case AttributeType::complex: return "complex";
  }
  return "string";
}

std::string_view to_string(Mutability mutability) {
  switch (mutability) {
    case Mutability::read_only: return "readOnly";
    case Mutability::read_write: return "readWrite";
    case Mutability::immutable: return "immutable";
    case Mutability::write_only: return "writeOnly";
  }
  return "readWrite";
}

std::string_view to_string(Returned returned) {
  switch (returned) {
    case Returned::always: return "always";
    case Returned::never: return "never";
    case Returned::by_default: return "default";
    case Returned::request: return "request";
  }
  return "default";
}

std::string_view to_string(Uniqueness uniqueness) {
  switch (uniqueness) {
    case Uniqueness::none: return "none";
    case Uniqueness::server: return "server";
    case Uniqueness::global: return "global";
  }
  return "none";
}

namespace {

template <typename Enum, std::size_t N>
Enum parse_token(const nlohmann::json& node, const char* key, const Enum (&values)[N], Enum fallback,
                 const std::string& where) {
  auto it = node.find(key);
  // RFC 7643 §2.5: null is the same as absent, so the §2.2 default applies.
  if (it == node.end() || it->is_null()) return fallback;
  if (!it->is_string()) throw std::runtime_error(where + ": \"" + key + "\" must be a string");
  for (Enum value : values)
    if (iequals(to_string(value), it->get_ref<const std::string&>())) return value;
  throw std::runtime_error(where + ": unknown " + key + " \"" + it->get<std::string>() + "\"");
}

bool parse_bool(const nlohmann::json& node, const char* key, bool fallback) {
  auto it = node.find(key);
  return it != node.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::vector<std::string> parse_strings(const nlohmann::json& node, const char* key) {
  std::vector<std::string> out;
  auto it = node.find(key);
  if (it != node.end() && it->is_array())
    for (const auto& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

AttributeDef parse_attribute(const nlohmann::json& node, const std::string& where) {
  if (!node.is_object() || !node.contains("name") || !node["name"].is_string())
    throw std::runtime_error(where + ": every attribute needs a string \"name\"");
  AttributeDef def;
  def.name = node["name"].get<std::string>();
  const std::string here = where + " attribute " + def.name;
  static constexpr AttributeType types[] = {AttributeType::string,    AttributeType::boolean, AttributeType::decimal,
                                            AttributeType::integer,   AttributeType::date_time, AttributeType::binary,
                                            AttributeType::reference, AttributeType::complex};
  static constexpr Mutability mutabilities[] = {Mutability::read_only, Mutability::read_write, Mutability::immutable,
                                                Mutability::write_only};
  static constexpr Returned returns[] = {Returned::always, Returned::never, Returned::by_default, Returned::request};
  static constexpr Uniqueness uniquenesses[] = {Uniqueness::none, Uniqueness::server, Uniqueness::global};
  def.type = parse_token(node, "type", types, AttributeType::string, here);
  def.multi_valued = parse_bool(node, "multiValued", false);
  def.required = parse_bool(node, "required", false);
  def.case_exact = parse_bool(node, "caseExact", false);
  def.mutability = parse_token(node, "mutability", mutabilities, Mutability::read_write, here);
  def.returned = parse_token(node, "returned", returns, Returned::by_default, here);
  def.uniqueness = parse_token(node, "uniqueness", uniquenesses, Uniqueness::none, here);
  def.canonical_values = parse_strings(node, "canonicalValues");
  def.reference_types = parse_strings(node, "referenceTypes");
  if (auto it = node.find("subAttributes"); it != node.end() && it->is_array())
    for (const auto& sub : *it) def.sub_attributes.push_back(parse_attribute(sub, here));
  return def;
}

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  }
}

// RFC 7643 §3.1: id, externalId and meta belong to every resource but to no schema.
std::vector<AttributeDef> make_common_attributes() {
  auto attr = [](std::string name, AttributeType type, bool case_exact, Mutability mutability, Returned returned) {
    AttributeDef def;
    def.name = std::move(name);
    def.type = type;
    def.case_exact = case_exact;
    def.mutability = mutability;
    def.returned = returned;
    return def;
  };
  AttributeDef id = attr("id", AttributeType::string, true, Mutability::read_only, Returned::always);
  id.uniqueness = Uniqueness::server;
  AttributeDef external_id = attr("externalId", AttributeType::string, true, Mutability::read_write, Returned::by_default);
  AttributeDef meta = attr("meta", AttributeType::complex, false, Mutability::read_only, Returned::by_default);
  meta.sub_attributes = {
      attr("resourceType", AttributeType::string, true, Mutability::read_only, Returned::by_default),
      attr("created", AttributeType::date_time, false, Mutability::read_only, Returned::by_default),
      attr("lastModified", AttributeType::date_time, false, Mutability::read_only, Returned::by_default),
      attr("location", AttributeType::reference, true, Mutability::read_only, Returned::by_default),
      attr("version", AttributeType::string, true, Mutability::read_only, Returned::by_default),
  };
  return {id, external_id, meta};
}

const AttributeDef* find_in(const std::vector<AttributeDef>& defs, std::string_view name) {
  for (const auto& def : defs)
    if (iequals(def.name, name)) return &def;
  return nullptr;
}

}  // namespace

const AttributeDef* AttributeDef::find_sub(std::string_view sub_name) const { return find_in(sub_attributes, sub_name); }

const AttributeDef* Schema::find(std::string_view attribute_name) const { return find_in(attributes, attribute_name); }

namespace {

// The string under `key`, or "" when absent or not a string: a served document may carry
// anything, and a wrong type is reported by the caller as "missing".
std::string string_field(const nlohmann::json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string json_kind(const nlohmann::json& value) {
  if (value.is_null()) return "null";
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  return "a number";
}

// RFC 7644 §4 serves /Schemas and /ResourceTypes as ListResponses; some targets answer a bare
// array. Either way the documents come back as an array.
const nlohmann::json& documents_of(const nlohmann::json& body, const std::string& where) {
  static const nlohmann::json empty = nlohmann::json::array();
  if (body.is_array()) return body;
  if (body.is_object()) {
    auto it = body.find("Resources");
    if (it != body.end() && it->is_array()) return *it;
    if (it == body.end() && body.contains("totalResults")) return empty;  // an empty ListResponse
  }
  throw std::runtime_error(where + ": expected a ListResponse with a \"Resources\" array or a bare array of documents, got " +
                           json_kind(body));
}

}  // namespace

void SchemaRegistry::add_schema(nlohmann::json doc, const std::string& where) {
  if (!doc.is_object()) throw std::runtime_error(where + ": a schema must be a JSON object, got " + json_kind(doc));
  std::string id = string_field(doc, "id");
  if (id.empty()) throw std::runtime_error(where + ": a schema needs a non-empty string \"id\" (its URN)");
  if (find_schema(id)) return;  // served twice: the first definition stands
  auto schema = std::make_unique<Schema>();
  schema->id = std::move(id);
  schema->name = string_field(doc, "name");
  schema->description = string_field(doc, "description");
  const std::string here = where + " (" + schema->id + ")";
  if (auto it = doc.find("attributes"); it != doc.end() && !it->is_null()) {
    if (!it->is_array()) throw std::runtime_error(here + ": \"attributes\" must be an array");
    for (const auto& node : *it) schema->attributes.push_back(parse_attribute(node, here));
  }
  schema->document = std::move(doc);
  schema_order_.push_back(schema.get());
  owned_.push_back(std::move(schema));
}

void SchemaRegistry::add_resource_type(const nlohmann::json& node, const std::string& where) {
  if (!node.is_object()) throw std::runtime_error(where + ": a ResourceType must be a JSON object, got " + json_kind(node));
  ResourceTypeDef type;
  type.id = string_field(node, "id");
  type.name = string_field(node, "name");
  if (type.id.empty()) type.id = type.name;
  if (type.name.empty()) type.name = type.id;
  type.endpoint = string_field(node, "endpoint");
  type.description = string_field(node, "description");
  type.schema = string_field(node, "schema");
  if (type.id.empty() || type.endpoint.empty() || type.schema.empty())
    throw std::runtime_error(where + ": a ResourceType needs id (or name), endpoint and schema as strings");
  // RFC 7643 §6 shows endpoints as "/Users"; accept "Users" and store it in the same form.
  if (type.endpoint.front() != '/') type.endpoint.insert(type.endpoint.begin(), '/');
  if (auto it = node.find("schemaExtensions"); it != node.end() && !it->is_null()) {
    if (!it->is_array()) throw std::runtime_error(where + " (" + type.id + "): \"schemaExtensions\" must be an array");
    for (const auto& ext : *it) {
      std::string urn = ext.is_object() ? string_field(ext, "schema") : std::string();
      if (urn.empty())
        throw std::runtime_error(where + " (" + type.id + "): every schemaExtensions entry needs a string \"schema\"");
      type.extensions.push_back({std::move(urn), parse_bool(ext, "required", false)});
    }
  }
  type.document = node;
  resource_types_.push_back(std::move(type));
}

SchemaRegistry SchemaRegistry::load(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir))
    throw std::runtime_error("schema directory " + dir.string() +
                             " not found; set SCIMULATOR_FIXTURES to the fixtures/ folder of the source tree");
  SchemaRegistry registry;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());

  for (const auto& file : files) {
    nlohmann::json doc = read_json(file);
    if (file.filename() == "resource_types.json") {
      if (!doc.is_array()) throw std::runtime_error(file.string() + ": expected an array of ResourceType documents");
      for (const auto& node : doc) registry.add_resource_type(node, file.string());
      continue;
    }
    // Other JSON beside the schemas (none today) is not a schema unless it looks like one.
    if (!doc.is_object() || !doc.contains("id") || !doc.contains("attributes")) continue;
    registry.add_schema(std::move(doc), file.string());
  }
  for (const auto& type : registry.resource_types_) {
    if (!registry.find_schema(type.schema))
      throw std::runtime_error("resource type " + type.id + " names schema " + type.schema + ", which is not in " +
                               dir.string());
    for (const auto& ext : type.extensions)
      if (!registry.find_schema(ext.schema))
        throw std::runtime_error("resource type " + type.id + " names extension " + ext.schema +
                                 ", which is not in " + dir.string());
  }
  registry.common_ = make_common_attributes();
  return registry;
}

SchemaRegistry SchemaRegistry::from_documents(const nlohmann::json& schemas, const nlohmann::json& resource_types) {
  SchemaRegistry registry;
  const nlohmann::json& schema_docs = documents_of(schemas, "/Schemas");
  for (std::size_t i = 0; i < schema_docs.size(); ++i)
    registry.add_schema(schema_docs[i], "/Schemas document #" + std::to_string(i + 1));
  const nlohmann::json& type_docs = documents_of(resource_types, "/ResourceTypes");
  for (std::size_t i = 0; i < type_docs.size(); ++i)
    registry.add_resource_type(type_docs[i], "/ResourceTypes document #" + std::to_string(i + 1));
  registry.common_ = make_common_attributes();
  return registry;
}

const Schema* SchemaRegistry::find_schema(std::string_view urn) const {
  for (const Schema* schema : schema_order_)
    if (iequals(schema->id, urn)) return schema;
  return nullptr;
}

const ResourceTypeDef* SchemaRegistry::find_resource_type(std::string_view name) const {
  for (const auto& type : resource_types_)
    if (iequals(type.id, name) || iequals(type.name, name)) return &type;
  return nullptr;
}

std::optional<ResolvedAttribute> SchemaRegistry::resolve(const ResourceTypeDef& type, std::string_view urn,
                                                         std::string_view attribute,
                                                         std::string_view sub_attribute) const {
  ResolvedAttribute resolved;
  const Schema* core = find_schema(type.schema);
  if (urn.empty() || iequals(urn, type.schema)) {
    if (const AttributeDef* def = find_in(common_, attribute)) {
      resolved.attribute = def;
      resolved.schema = core;
    } else if (const AttributeDef* core_def = core ? core->find(attribute) : nullptr) {
      resolved.attribute = core_def;
      resolved.schema = core;
    }
  } else {
    for (const auto& ext : type.extensions) {
      if (!iequals(ext.schema, urn)) continue;
      const Schema* schema = find_schema(ext.schema);
      if (const AttributeDef* def = schema ? schema->find(attribute) : nullptr) {
        resolved.attribute = def;
        resolved.schema = schema;
        resolved.in_extension = true;
      }
    }
  }
  if (!resolved.attribute) return std::nullopt;
  if (!sub_attribute.empty()) {
    resolved.sub_attribute = resolved.attribute->find_sub(sub_attribute);
    if (!resolved.sub_attribute) return std::nullopt;
  }
  return resolved;
}

std::filesystem::path default_fixtures_dir() {
  if (const char* env = std::getenv("SCIMULATOR_FIXTURES"); env && *env) return env;
#ifdef SCIMULATOR_FIXTURES_DIR
  return SCIMULATOR_FIXTURES_DIR;
#else
  return "fixtures";
#endif
}

}  // namespace scim
