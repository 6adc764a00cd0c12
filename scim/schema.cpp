#include "scim/schema.hpp"

#include "scim/urns.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace scim {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
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
  if (it == node.end()) return fallback;
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
      for (const auto& node : doc) {
        ResourceTypeDef type;
        type.id = node.value("id", node.value("name", ""));
        type.name = node.value("name", type.id);
        type.endpoint = node.value("endpoint", "");
        type.description = node.value("description", "");
        type.schema = node.value("schema", "");
        if (type.id.empty() || type.endpoint.empty() || type.schema.empty())
          throw std::runtime_error(file.string() + ": a ResourceType needs id, endpoint and schema");
        if (auto it = node.find("schemaExtensions"); it != node.end() && it->is_array())
          for (const auto& ext : *it) type.extensions.push_back({ext.value("schema", ""), ext.value("required", false)});
        type.document = node;
        registry.resource_types_.push_back(std::move(type));
      }
      continue;
    }
    if (!doc.is_object() || !doc.contains("id") || !doc.contains("attributes")) continue;
    auto schema = std::make_unique<Schema>();
    schema->id = doc["id"].get<std::string>();
    schema->name = doc.value("name", "");
    schema->description = doc.value("description", "");
    for (const auto& node : doc["attributes"]) schema->attributes.push_back(parse_attribute(node, file.string()));
    schema->document = std::move(doc);
    registry.schema_order_.push_back(schema.get());
    registry.owned_.push_back(std::move(schema));
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
