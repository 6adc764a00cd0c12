#include "reference_server/api/resource_validator.hpp"

#include "scim/error.hpp"
#include "scim/urns.hpp"

#include <cctype>
#include <string>

namespace refserver {

namespace {

using json = nlohmann::json;
using scim::AttributeDef;
using scim::AttributeType;
using scim::Mutability;
using scim::ScimType;

// Where a value sits in the request body, as a chain on the stack; rendered as text
// ("emails[1].primary", "urn:...:enterprise:2.0:User:manager.value") only when an error is thrown.
struct Where {
  enum class Kind { attribute, element, urn };
  const Where* parent = nullptr;
  std::string_view name;
  long index = -1;
  Kind kind = Kind::attribute;

  static Where element(const Where& parent, long index) { return {&parent, {}, index, Kind::element}; }

  std::string render() const {
    std::string text = parent ? parent->render() : std::string{};
    switch (kind) {
      case Kind::element: return text + "[" + std::to_string(index) + "]";
      case Kind::urn: return text + std::string(name);
      case Kind::attribute:
        if (parent) text += parent->kind == Kind::urn ? ":" : ".";
        return text + std::string(name);
    }
    return text;
  }
};

[[noreturn]] void fail(ScimType type, std::string detail) { throw scim::Error::bad_request(type, std::move(detail)); }

std::string quoted(const Where& where) { return "\"" + where.render() + "\""; }

// The value as the client sent it, short enough for an error detail.
std::string shown(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string sub_attribute_names(const AttributeDef& def) {
  std::string names;
  for (const auto& sub : def.sub_attributes) {
    if (!names.empty()) names += ", ";
    names += sub.name;
  }
  return names;
}

bool starts_with_urn(std::string_view key) {
  return key.size() > scim::urn::prefix.size() && scim::iequals(key.substr(0, scim::urn::prefix.size()), scim::urn::prefix);
}

// RFC 7643 §4.1.1: "Each User MUST include a non-empty userName value"; an empty string for a
// required attribute is as good as none.
bool is_missing(const json& object, const std::string& name) {
  auto it = object.find(name);
  return it == object.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty());
}

void put(json& target, const std::string& name, json&& value, const Where& where) {
  auto [it, inserted] = target.emplace(name, std::move(value));
  if (!inserted)
    fail(ScimType::invalid_value, "attribute " + quoted(where) +
                                      " is given more than once (attribute names are case-insensitive, RFC 7643 "
                                      "§2.1); send it once");
}

const json* find_ci(const json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  if (auto it = object.find(name); it != object.end()) return &*it;
  for (auto it = object.begin(); it != object.end(); ++it)
    if (scim::iequals(it.key(), name)) return &it.value();
  return nullptr;
}

const AttributeDef* find_def(const std::vector<AttributeDef>& defs, std::string_view name) {
  for (const auto& def : defs)
    if (scim::iequals(def.name, name)) return &def;
  return nullptr;
}

// One pass over a value against its attribute definition. Returns false when nothing is left
// to store (null, empty array, empty complex value).
class Walker {
 public:
  explicit Walker(const AttributeDef* manager) : manager_(manager) {}

  bool attribute(const AttributeDef& def, const json& in, json& out, const Where& where) const {
    // RFC 7644 §3.5.1: "Clients that want to clear an attribute ... null"; RFC 7643 §2.5:
    // unassigned and null are equivalent. Entra (E18) sends null for cleared attributes.
    if (in.is_null()) return false;
    if (&def == manager_) return manager(def, in, out, where);
    if (def.multi_valued) {
      // RFC 7643 §2.4: multi-valued attributes are JSON arrays.
      if (!in.is_array())
        fail(ScimType::invalid_value, quoted(where) + " is multi-valued (RFC 7643 §2.4): send a JSON array such as [" +
                                          shown(in) + "]");
      out = json::array();
      int primaries = 0;
      long index = 0;
      for (const auto& element : in) {
        Where here = Where::element(where, index++);
        json value;
        if (!single(def, element, value, here)) continue;
        if (def.type == AttributeType::complex) {
          // RFC 7643 §2.4: "The primary attribute value "true" MUST appear no more than once."
          auto primary = value.find("primary");
          if (primary != value.end() && primary->is_boolean() && primary->get<bool>() && ++primaries > 1)
            fail(ScimType::invalid_value, quoted(where) +
                                              " has more than one value with \"primary\": true (RFC 7643 §2.4 allows "
                                              "at most one); mark a single value primary");
        }
        out.push_back(std::move(value));
      }
      return !out.empty();
    }
    if (in.is_array())
      fail(ScimType::invalid_value,
           quoted(where) + " is single-valued (RFC 7643 §2.4): send one value, not an array");
    return single(def, in, out, where);
  }

 private:
  // Entra ID (E15) sends the enterprise manager as the bare id ("manager": "26118915-...") and
  // some clients as an array of one object; both mean {"value": id} (RFC 7643 §4.3).
  bool manager(const AttributeDef& def, const json& in, json& out, const Where& where) const {
    if (in.is_null()) return false;
    if (in.is_string()) {
      if (in.get_ref<const std::string&>().empty()) return false;  // "" clears the manager
      return single(def, json{{"value", in}}, out, where);
    }
    if (in.is_array()) {
      if (in.empty()) return false;
      if (in.size() == 1) return manager(def, in.front(), out, where);
      fail(ScimType::invalid_value,
           quoted(where) + " is single-valued (RFC 7643 §4.3): send one object {\"value\": \"<manager id>\"}");
    }
    return single(def, in, out, where);
  }

  bool single(const AttributeDef& def, const json& in, json& out, const Where& where) const {
    if (in.is_null()) return false;
    switch (def.type) {
      case AttributeType::string:
      case AttributeType::reference:
        // Entra (E23): values are stored as sent, no trimming and no case change.
        if (!in.is_string()) wrong_type(def, in, where, "a JSON string");
        out = in;
        return true;
      case AttributeType::boolean:
        if (in.is_boolean()) {
          out = in;
          return true;
        }
        // Entra ID (E2) sends booleans as the strings "True"/"False" in PATCH values.
        if (in.is_string()) {
          const auto& text = in.get_ref<const std::string&>();
          if (scim::iequals(text, "true") || scim::iequals(text, "false")) {
            out = scim::iequals(text, "true");
            return true;
          }
        }
        wrong_type(def, in, where, "true or false");
      case AttributeType::decimal:
        if (!in.is_number()) wrong_type(def, in, where, "a JSON number");
        out = in;
        return true;
      case AttributeType::integer:
        // RFC 7643 §2.3.4: "A decimal number with no fractional digits"; 1.0 is a decimal.
        if (!in.is_number_integer()) wrong_type(def, in, where, "a JSON integer (no fraction, no exponent)");
        out = in;
        return true;
      case AttributeType::date_time:
        if (!in.is_string() || !is_valid_date_time(in.get_ref<const std::string&>()))
          wrong_type(def, in, where, "an xsd:dateTime string such as \"2008-01-23T04:56:22Z\"");
        out = in;
        return true;
      case AttributeType::binary:
        if (!in.is_string() || !is_valid_base64(in.get_ref<const std::string&>()))
          wrong_type(def, in, where, "a base64 string (RFC 4648 §4, padded)");
        out = in;
        return true;
      case AttributeType::complex:
        return complex(def, in, out, where);
    }
    return false;
  }

  bool complex(const AttributeDef& def, const json& in, json& out, const Where& where) const {
    if (!in.is_object())
      fail(ScimType::invalid_value, quoted(where) + " is complex (RFC 7643 §2.3.8): send a JSON object with " +
                                        sub_attribute_names(def) + "; got " + shown(in));
    out = json::object();
    for (auto it = in.begin(); it != in.end(); ++it) {
      if (it->is_null()) continue;
      const AttributeDef* sub = def.find_sub(it.key());
      if (!sub) {
        Where here{&where, it.key()};
        fail(ScimType::invalid_value, "unknown sub-attribute " + quoted(here) + "; " + quoted(where) +
                                          " has the sub-attributes " + sub_attribute_names(def) +
                                          " (GET /Schemas lists what this server accepts)");
      }
      // RFC 7644 §3.5.1: readOnly values "SHALL be ignored" (members.display, manager.displayName).
      if (sub->mutability == Mutability::read_only) continue;
      Where here{&where, sub->name};
      json value;
      if (attribute(*sub, *it, value, here)) put(out, sub->name, std::move(value), here);
    }
    // RFC 7643 §2.2 "required": sub-attributes required within a value that is present.
    for (const auto& sub : def.sub_attributes)
      if (sub.required && sub.mutability != Mutability::read_only && is_missing(out, sub.name))
        fail(ScimType::invalid_value, "missing required attribute " + quoted(Where{&where, sub.name}) +
                                          " (its schema marks it required; GET /Schemas lists them)");
    return !out.empty();
  }

  [[noreturn]] static void wrong_type(const AttributeDef& def, const json& in, const Where& where,
                                      std::string_view expected) {
    fail(ScimType::invalid_value, quoted(where) + " has type " + std::string(scim::to_string(def.type)) +
                                      " (RFC 7643 §2.3): send " + std::string(expected) + "; got " + shown(in));
  }

  const AttributeDef* manager_;
};

// RFC 7643 §7 / RFC 7644 §3.5.1 "immutable": "If one or more values are already set for the
// attribute, the input value(s) MUST match, or HTTP status code 400 SHOULD be returned with a
// "scimType" error code of "mutability"." An omitted immutable attribute is "not asserted" and
// keeps its stored value. Elements of multi-valued attributes (members.value) have no identity
// apart from their values, so replacing the list is a change of the readWrite parent, not of an
// immutable element; only single values and single-valued complex values are compared.
bool same_value(const AttributeDef& def, const json& a, const json& b) {
  if ((def.type == AttributeType::string || def.type == AttributeType::reference) && !def.case_exact &&
      a.is_string() && b.is_string())
    return scim::iequals(a.get_ref<const std::string&>(), b.get_ref<const std::string&>());
  return a == b;
}

void keep_immutable(const std::vector<AttributeDef>& defs, json& target, const json& before, const Where* parent) {
  for (const auto& def : defs) {
    const json* stored = find_ci(before, def.name);
    if (!stored || stored->is_null()) continue;
    Where here{parent, def.name};
    if (def.mutability == Mutability::immutable) {
      auto it = target.find(def.name);
      if (it == target.end()) {
        target[def.name] = *stored;
      } else if (!same_value(def, *it, *stored)) {
        fail(ScimType::mutability, "attribute " + quoted(here) + " is immutable (RFC 7643 §7) and is already " +
                                       shown(*stored) + "; send that value or omit the attribute");
      }
    } else if (def.type == AttributeType::complex && !def.multi_valued && stored->is_object()) {
      json& value = target[def.name];
      if (value.is_null()) value = json::object();
      keep_immutable(def.sub_attributes, value, *stored, &here);
      if (value.empty()) target.erase(def.name);
    }
  }
}

void check_required(const std::vector<AttributeDef>& defs, const json& object, const Where* parent,
                    std::string_view schema) {
  for (const auto& def : defs)
    if (def.required && def.mutability != Mutability::read_only && is_missing(object, def.name))
      fail(ScimType::invalid_value, "missing required attribute " + quoted(Where{parent, def.name}) + ": schema " +
                                        std::string(schema) + " requires it (GET /Schemas/" + std::string(schema) +
                                        ")");
}

}  // namespace

const std::vector<ToleratedUrn>& ResourceValidator::tolerated_urns() {
  static const std::vector<ToleratedUrn> list = {
      // Microsoft Entra ID puts its own Group schema in "schemas" of Groups it provisions
      // (seen in its SCIM validator traffic); it defines no attribute we could store.
      {"Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
       "Entra ID sends it on every Group"},
  };
  return list;
}

ResourceValidator::ResourceValidator(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type)
    : registry_(registry), type_(type), core_(registry.find_schema(type.schema)) {
  if (!core_) throw std::runtime_error("resource type " + type.id + " names unknown schema " + type.schema);
  for (const auto& ext : type.extensions)
    if (const scim::Schema* schema = registry.find_schema(ext.schema)) extensions_.push_back({schema, ext.required});
}

const ResourceValidator::Extension* ResourceValidator::find_extension(std::string_view urn) const {
  for (const auto& ext : extensions_)
    if (scim::iequals(ext.schema->id, urn)) return &ext;
  return nullptr;
}

bool ResourceValidator::is_tolerated(std::string_view urn) const {
  for (const auto& tolerated : tolerated_urns())
    if ((tolerated.resource_type.empty() || scim::iequals(tolerated.resource_type, type_.id)) &&
        scim::iequals(tolerated.urn, urn))
      return true;
  return false;
}

json ResourceValidator::normalize(const json& input, WriteMode mode, const json* existing) const {
  if (!input.is_object())
    fail(ScimType::invalid_syntax, "the request body must be a JSON object holding a " + type_.name +
                                       " resource (RFC 7644 §3.3); got " + shown(input));

  // RFC 7643 §3: "schemas ... REQUIRED" and it must name the resource type's base schema.
  const json* schemas = find_ci(input, "schemas");
  std::string expected = "\"schemas\" must be an array of strings containing \"" + core_->id + "\" for " +
                         type_.name + " resources (RFC 7643 §3)";
  if (!schemas || !schemas->is_array()) fail(ScimType::invalid_syntax, expected);
  std::vector<bool> used(extensions_.size(), false);
  bool has_core = false;
  for (const auto& urn : *schemas) {
    if (!urn.is_string()) fail(ScimType::invalid_syntax, expected + "; found " + shown(urn));
    const auto& text = urn.get_ref<const std::string&>();
    if (scim::iequals(text, core_->id)) {
      has_core = true;
    } else if (const Extension* ext = find_extension(text)) {
      used[ext - extensions_.data()] = true;
    } else if (!is_tolerated(text)) {
      std::string accepted = core_->id;
      for (const auto& ext : extensions_) accepted += ", " + ext.schema->id;
      fail(ScimType::invalid_value, "unknown schema URN \"" + text + "\" in \"schemas\": " + type_.name +
                                        " resources accept " + accepted + " (GET /ResourceTypes/" + type_.id + ")");
    }
  }
  if (!has_core) fail(ScimType::invalid_syntax, expected);

  Walker walker(nullptr);
  const AttributeDef* manager = nullptr;
  if (const Extension* enterprise = find_extension(scim::urn::enterprise_user))
    manager = enterprise->schema->find("manager");
  Walker ext_walker(manager);

  json out = json::object();
  std::vector<json> ext_values(extensions_.size(), json::object());
  const auto& common = registry_.common_attributes();

  auto core_attribute = [&](std::string_view name, const json& value) {
    if (value.is_null()) return;
    const AttributeDef* def = find_def(common, name);
    if (!def) def = core_->find(name);
    if (!def)
      fail(ScimType::invalid_value, "unknown attribute \"" + std::string(name) + "\" for " + type_.name +
                                        " resources; GET /Schemas/" + core_->id +
                                        " lists the attributes this server accepts");
    // RFC 7644 §3.5.1: readOnly values "SHALL be ignored" (id, meta, groups); Okta (O7) echoes
    // them back in every PUT.
    if (def->mutability == Mutability::read_only) return;
    // writeOnly "password": the reference server models ClickHouse Cloud, where people sign in
    // by SAML SSO and SCIM never sets a usable password; Okta (O4) sends a random one on create.
    // Storing even a hash would be a secret with no use, so it is dropped. RFC 7643 §4.1.1
    // allows a provider to ignore it ("returned": "never" means it never comes back anyway).
    if (def->mutability == Mutability::write_only) return;
    Where here{nullptr, def->name};
    json normalized;
    if (walker.attribute(*def, value, normalized, here)) put(out, def->name, std::move(normalized), here);
  };

  auto ext_attribute = [&](std::size_t index, std::string_view name, const json& value, const Where& urn_where) {
    if (value.is_null()) return;
    const scim::Schema& schema = *extensions_[index].schema;
    const AttributeDef* def = schema.find(name);
    if (!def)
      fail(ScimType::invalid_value, "unknown attribute \"" + std::string(name) + "\" in extension " + schema.id +
                                        "; GET /Schemas/" + schema.id + " lists the attributes this server accepts");
    if (def->mutability == Mutability::read_only || def->mutability == Mutability::write_only) return;
    Where here{&urn_where, def->name};
    json normalized;
    if (ext_walker.attribute(*def, value, normalized, here))
      put(ext_values[index], def->name, std::move(normalized), here);
  };

  for (auto it = input.begin(); it != input.end(); ++it) {
    const std::string& key = it.key();
    const json& value = it.value();
    if (scim::iequals(key, "schemas")) continue;
    if (!starts_with_urn(key)) {
      core_attribute(key, value);
      continue;
    }
    if (const Extension* ext = find_extension(key)) {
      std::size_t index = ext - extensions_.data();
      if (value.is_null()) continue;
      // RFC 7643 §3.3: extension attributes live in an object under the extension's URN.
      if (!value.is_object())
        fail(ScimType::invalid_value, "\"" + ext->schema->id + "\" must be a JSON object holding the attributes of " +
                                          "that extension (RFC 7643 §3.3); got " + shown(value));
      Where urn_where{nullptr, ext->schema->id, -1, Where::Kind::urn};
      for (auto attr = value.begin(); attr != value.end(); ++attr) ext_attribute(index, attr.key(), *attr, urn_where);
      continue;
    }
    if (is_tolerated(key)) continue;
    // RFC 7644 §3.10: a fully qualified attribute name, "urn:...:User:userName" or
    // "urn:...:enterprise:2.0:User:department", as PATCH results and some clients produce.
    auto colon = key.rfind(':');
    std::string_view urn = std::string_view(key).substr(0, colon);
    std::string_view name = std::string_view(key).substr(colon + 1);
    if (scim::iequals(urn, core_->id)) {
      core_attribute(name, value);
    } else if (const Extension* ext = find_extension(urn)) {
      Where urn_where{nullptr, ext->schema->id, -1, Where::Kind::urn};
      ext_attribute(ext - extensions_.data(), name, value, urn_where);
    } else if (!value.is_null()) {
      fail(ScimType::invalid_value, "unknown schema or attribute \"" + key + "\" for " + type_.name +
                                        " resources; GET /ResourceTypes/" + type_.id +
                                        " lists the schemas this server accepts");
    }
  }

  for (std::size_t i = 0; i < extensions_.size(); ++i)
    if (!ext_values[i].empty()) out[extensions_[i].schema->id] = std::move(ext_values[i]);

  if (mode == WriteMode::replace && existing && existing->is_object()) {
    keep_immutable(core_->attributes, out, *existing, nullptr);
    keep_immutable(common, out, *existing, nullptr);
    for (const auto& ext : extensions_) {
      const json* stored = find_ci(*existing, ext.schema->id);
      if (!stored || !stored->is_object()) continue;
      json& value = out[ext.schema->id];
      if (value.is_null()) value = json::object();
      Where urn_where{nullptr, ext.schema->id, -1, Where::Kind::urn};
      keep_immutable(ext.schema->attributes, value, *stored, &urn_where);
      if (value.empty()) out.erase(ext.schema->id);
    }
  }

  // RFC 7643 §2.2 "required" (userName for User, RFC 7643 §4.1.1; displayName for Group, §4.2).
  check_required(core_->attributes, out, nullptr, core_->id);
  for (std::size_t i = 0; i < extensions_.size(); ++i) {
    const auto& ext = extensions_[i];
    auto it = out.find(ext.schema->id);
    if (it == out.end()) {
      // RFC 7643 §6 "schemaExtensions.required".
      if (ext.required)
        fail(ScimType::invalid_value, "missing required extension \"" + ext.schema->id + "\" for " + type_.name +
                                          " resources (GET /ResourceTypes/" + type_.id + ")");
      continue;
    }
    // Lenient: Okta and Entra sometimes send the extension object without listing its URN in
    // "schemas" (RFC 7643 §3 says they SHOULD list it); the URN is added rather than refused.
    used[i] = true;
    Where urn_where{nullptr, ext.schema->id, -1, Where::Kind::urn};
    check_required(ext.schema->attributes, *it, &urn_where, ext.schema->id);
  }

  json schema_list = json::array({core_->id});
  for (std::size_t i = 0; i < extensions_.size(); ++i)
    if (used[i]) schema_list.push_back(extensions_[i].schema->id);
  out["schemas"] = std::move(schema_list);
  return out;
}

namespace {

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

}  // namespace

bool is_valid_date_time(std::string_view text) {
  // YYYY-MM-DDThh:mm:ss[.fraction][Z|(+|-)hh:mm]
  int year, month, day, hour, minute, second;
  if (text.size() < 19 || !read_digits(text, 0, 4, year) || text[4] != '-' || !read_digits(text, 5, 2, month) ||
      text[7] != '-' || !read_digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
      !read_digits(text, 11, 2, hour) || text[13] != ':' || !read_digits(text, 14, 2, minute) || text[16] != ':' ||
      !read_digits(text, 17, 2, second))
    return false;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return false;
  }
  if (pos < text.size()) {
    char zone = text[pos];
    if (zone == 'Z' || zone == 'z') {
      ++pos;
    } else if (zone == '+' || zone == '-') {
      int zone_hour, zone_minute;
      if (!read_digits(text, pos + 1, 2, zone_hour) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
          !read_digits(text, pos + 4, 2, zone_minute) || zone_hour > 14 || zone_minute > 59)
        return false;
      pos += 6;
    } else {
      return false;
    }
  }
  if (pos != text.size()) return false;
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month) && hour <= 23 &&
         minute <= 59 && second <= 59;
}

bool is_valid_base64(std::string_view text) {
  if (text.size() % 4 != 0) return false;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  for (std::size_t i = 0; i + padding < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!std::isalnum(c) && c != '+' && c != '/') return false;
  }
  return true;
}

}  // namespace refserver
