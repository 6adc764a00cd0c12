#include "reference_server/api/projection.hpp"

#include "scim/error.hpp"

#include <map>

namespace refserver {

namespace {

using json = nlohmann::json;
using scim::AttributeDef;
using scim::Returned;

void parse_list(std::string_view csv, std::vector<scim::AttributePath>& out) {
  while (!csv.empty()) {
    auto comma = csv.find(',');
    std::string_view item = csv.substr(0, comma);
    csv = comma == std::string_view::npos ? std::string_view{} : csv.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.empty()) continue;  // "userName,,emails" and a trailing comma are harmless
    // RFC 7644 §3.4.2.5: the value is "a multi-valued list of strings indicating the names of
    // resource attributes"; anything that is no attrPath is a client error.
    out.push_back(scim::parse_attribute_path(item, scim::ScimType::invalid_value));
  }
}

// What one request selects (or excludes) of one attribute: all of it, or some sub-attributes.
struct AttributeSelection {
  bool whole = false;
  std::vector<std::string> subs;  // schema spelling

  bool names(const std::string& sub) const {
    for (const auto& s : subs)
      if (s == sub) return true;
    return false;
  }
};

// The selection for one schema's attributes (the core ones, or one extension's object).
struct LevelSelection {
  bool whole = false;                                  // the bare schema URN was named
  std::map<std::string, AttributeSelection> attributes;  // keyed by the schema spelling
};

struct Selection {
  LevelSelection core;
  std::vector<LevelSelection> extensions;  // parallel to the type's extensions
};

Selection build_selection(const std::vector<scim::AttributePath>& paths, const scim::SchemaRegistry& registry,
                          const scim::ResourceTypeDef& type, const std::vector<const scim::Schema*>& extensions) {
  Selection selection;
  selection.extensions.resize(extensions.size());
  for (const auto& path : paths) {
    // A bare schema URN parses as urn "...:2.0" + attribute "User": it names the whole schema.
    if (!path.urn.empty() && path.sub_attribute.empty()) {
      std::string full = path.urn + ":" + path.attribute;
      if (scim::iequals(full, type.schema)) {
        selection.core.whole = true;
        continue;
      }
      bool matched = false;
      for (std::size_t i = 0; i < extensions.size(); ++i)
        if (extensions[i] && scim::iequals(full, extensions[i]->id)) {
          selection.extensions[i].whole = true;
          matched = true;
        }
      if (matched) continue;
    }
    auto resolved = registry.resolve(type, path.urn, path.attribute, path.sub_attribute);
    if (!resolved) continue;  // a name no schema defines selects nothing
    LevelSelection* level = &selection.core;
    if (resolved->in_extension)
      for (std::size_t i = 0; i < extensions.size(); ++i)
        if (extensions[i] == resolved->schema) level = &selection.extensions[i];
    AttributeSelection& attribute = level->attributes[resolved->attribute->name];
    if (resolved->sub_attribute) attribute.subs.push_back(resolved->sub_attribute->name);
    else attribute.whole = true;
  }
  return selection;
}

// Whether a sub-attribute is in the response, given what the request selected of its parent
// (nullptr: nothing named, the default set).
bool sub_included(const AttributeDef& sub, const AttributeSelection* selected) {
  if (sub.returned == Returned::never) return false;
  if (sub.returned == Returned::always) return true;
  if (selected && selected->names(sub.name)) return true;
  if (selected && !selected->whole) return false;
  return sub.returned != Returned::request;
}

json filter_object(const AttributeDef& def, const json& value, const AttributeSelection* selected,
                   const AttributeSelection* excluded) {
  json out = json::object();
  for (auto it = value.begin(); it != value.end(); ++it) {
    const AttributeDef* sub = def.find_sub(it.key());
    if (!sub) {
      if (!selected || selected->whole) out[it.key()] = *it;
      continue;
    }
    if (!sub_included(*sub, selected)) continue;
    if (excluded && sub->returned != Returned::always && excluded->names(sub->name)) continue;
    out[it.key()] = *it;
  }
  return out;
}

// False when nothing of the value is left to return.
bool render_value(const AttributeDef& def, const json& value, const AttributeSelection* selected,
                  const AttributeSelection* excluded, json& out) {
  if (def.type != scim::AttributeType::complex) {
    out = value;
    return true;
  }
  if (value.is_object()) {
    out = filter_object(def, value, selected, excluded);
    return !out.empty();
  }
  if (value.is_array()) {
    out = json::array();
    for (const auto& element : value) {
      if (!element.is_object()) {
        out.push_back(element);
        continue;
      }
      json kept = filter_object(def, element, selected, excluded);
      if (!kept.empty()) out.push_back(std::move(kept));
    }
    return !out.empty();
  }
  out = value;
  return true;
}

// One member of a resource (or of an extension object). `select` is set in "attributes" mode,
// `exclude` in "excludedAttributes" mode; neither for the default representation.
void render_member(const std::string& key, const json& value, const AttributeDef* def, const LevelSelection* select,
                   const LevelSelection* exclude, json& out) {
  if (!def) {  // not defined by the schema: part of the default set only
    if (!select || select->whole) out[key] = value;
    return;
  }
  // RFC 7643 §7 returned "never": "The attribute is never returned".
  if (def->returned == Returned::never) return;
  const AttributeSelection* selected = nullptr;
  const AttributeSelection* excluded = nullptr;
  AttributeSelection widened;
  if (select) {
    auto it = select->attributes.find(def->name);
    if (it != select->attributes.end()) selected = &it->second;
    if (def->returned == Returned::always) {
      // RFC 7643 §7 "always": "returned, regardless of the contents of the "attributes"
      // parameter" — all of it, not only the sub-attributes named.
      selected = nullptr;
    } else if (select->whole) {
      // The bare schema URN was named: every default attribute, request ones only if named.
      if (!selected && def->returned == Returned::request) return;
      if (selected) {
        widened = *selected;
        widened.whole = true;
        selected = &widened;
      }
    } else if (!selected) {
      return;
    }
  } else {
    // RFC 7643 §7 "request": "returned in response to any PUT, POST, or PATCH operations if
    // specified in the "attributes" parameter" — never by default.
    if (def->returned == Returned::request) return;
    // RFC 7644 §3.4.2.5: excludedAttributes "SHALL have no effect on attributes whose schema
    // "returned" setting is "always"".
    if (exclude && def->returned != Returned::always) {
      if (exclude->whole) return;  // the bare schema URN was excluded
      auto it = exclude->attributes.find(def->name);
      if (it != exclude->attributes.end()) {
        if (it->second.whole) return;
        excluded = &it->second;
      }
    }
  }
  json rendered;
  if (render_value(*def, value, selected, excluded, rendered)) out[key] = std::move(rendered);
}

}  // namespace

Projection parse_projection(std::string_view attributes_csv, std::string_view excluded_csv) {
  Projection projection;
  parse_list(attributes_csv, projection.attributes);
  parse_list(excluded_csv, projection.excluded);
  return projection;
}

Projection parse_projection(const std::vector<std::string>& attributes, const std::vector<std::string>& excluded) {
  Projection projection;
  for (const auto& item : attributes) parse_list(item, projection.attributes);
  for (const auto& item : excluded) parse_list(item, projection.excluded);
  return projection;
}

json project(const json& resource, const Projection& projection, const scim::SchemaRegistry& registry,
             const scim::ResourceTypeDef& type) {
  const scim::Schema* core = registry.find_schema(type.schema);
  if (!resource.is_object() || !core) return resource;
  std::vector<const scim::Schema*> extensions;
  for (const auto& ext : type.extensions) extensions.push_back(registry.find_schema(ext.schema));

  // Both given: "attributes" wins (see projection.hpp).
  bool select_mode = !projection.attributes.empty();
  Selection selection =
      build_selection(select_mode ? projection.attributes : projection.excluded, registry, type, extensions);
  const LevelSelection* core_select = select_mode ? &selection.core : nullptr;
  const LevelSelection* core_exclude = select_mode ? nullptr : &selection.core;
  const auto& common = registry.common_attributes();

  json out = json::object();
  for (auto it = resource.begin(); it != resource.end(); ++it) {
    const std::string& key = it.key();
    // RFC 7643 §3: "schemas" is returned with every resource.
    if (scim::iequals(key, "schemas")) {
      out[key] = *it;
      continue;
    }
    std::size_t ext_index = extensions.size();
    for (std::size_t i = 0; i < extensions.size(); ++i)
      if (extensions[i] && scim::iequals(key, extensions[i]->id)) ext_index = i;
    if (ext_index < extensions.size()) {
      const LevelSelection& level = selection.extensions[ext_index];
      if (!it->is_object()) continue;
      json inner = json::object();
      for (auto attr = it->begin(); attr != it->end(); ++attr)
        render_member(attr.key(), *attr, extensions[ext_index]->find(attr.key()), select_mode ? &level : nullptr,
                      select_mode ? nullptr : &level, inner);
      if (!inner.empty()) out[key] = std::move(inner);
      continue;
    }
    const AttributeDef* def = nullptr;
    for (const auto& c : common)
      if (scim::iequals(c.name, key)) def = &c;
    if (!def) def = core->find(key);
    render_member(key, *it, def, core_select, core_exclude, out);
  }
  return out;
}

}  // namespace refserver
