// RFC 7644 §3.5.2 PATCH. Every operation is applied to a private copy of the resource; the copy
// is returned only when all operations succeeded, which gives the atomicity of RFC 7644 §3.5.2:
// "A PATCH request, regardless of the number of operations, SHALL be treated as atomic."
//
// Choices where the RFC leaves room, or where identity providers need more than it says:
//  - remove whose filter matches nothing is a successful no-op: Okta and Entra retry membership
//    removals after timeouts and treat a 400 as a failed push. strict_rfc answers 400 noTarget.
//  - remove of a multi-valued attribute with a "value" removes only the listed values
//    (Entra, idp-quirks E3). RFC 7644 §3.5.2.2 defines no "value" for remove, and an RFC-literal
//    reading would remove every member; strict_rfc refuses the request (400 invalidSyntax)
//    rather than silently emptying the group.
//  - add of a value already present in a multi-valued attribute changes nothing (RFC 7644
//    §3.5.2.1: "If the target location already contains the value specified, no changes SHOULD
//    be made"; Okta re-adds members it just created, idp-quirks O13).
//  - add/replace through a value filter that matches nothing creates the element from the
//    filter's eq terms (Entra, idp-quirks E11); strict_rfc answers 400 noTarget.
//  - replace/add of a singular complex attribute merges sub-attributes (RFC 7644 §3.5.2.3:
//    "Sub-attributes that are not specified in the "value" parameter are left unchanged"),
//    except when the new "value" sub-attribute differs from the stored one: that is a reference
//    to another resource (manager), and its old $ref/displayName would be stale.
#include "reference_server/api/patch.hpp"

#include "reference_server/api/filter_eval.hpp"
#include "reference_server/api/patch_detail.hpp"
#include "scim/attribute_path.hpp"
#include "scim/error.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace refserver {

namespace {

void fold_string_booleans(scim::Filter& filter, const scim::AttributeDef& attribute) {
  for (auto& child : filter.children) fold_string_booleans(child, attribute);
  if (filter.kind != scim::Filter::Kind::compare || !filter.value.is_string()) return;
  const scim::AttributeDef* sub =
      attribute.find_sub(filter.path.sub_attribute.empty() ? filter.path.attribute : filter.path.sub_attribute);
  if (!sub || sub->type != scim::AttributeType::boolean) return;
  const std::string& text = filter.value.get_ref<const std::string&>();
  if (scim::iequals(text, "true")) filter.value = true;
  else if (scim::iequals(text, "false")) filter.value = false;
}

using nlohmann::json;
using patch_detail::erase_key;
using patch_detail::find_key;
using patch_detail::normalize_single;
using patch_detail::normalize_value;
using patch_detail::OpKind;
using patch_detail::Operation;
using patch_detail::set_key;
using patch_detail::values_equal;
using scim::AttributeDef;
using scim::Error;
using scim::Mutability;
using scim::ScimType;

// A resolved PATCH path.
struct Target {
  std::string text;                       // the path as sent, for error details
  scim::ResolvedAttribute resolved;       // sub_attribute set only for singular complex parents
  std::optional<scim::Filter> filter;     // emails[type eq "work"]
  const AttributeDef* element_sub = nullptr;  // the ".value" applied to selected elements
  bool every_element = false;             // "emails.value": a sub-attribute of every element
  std::string extension_urn;              // the schema id when the attribute lives in an extension

  const AttributeDef& attribute() const { return *resolved.attribute; }
  bool on_elements() const { return filter.has_value() || every_element; }
};

Error mutability_error(const std::string& detail) { return Error::bad_request(ScimType::mutability, detail); }

Error read_only_error(const std::string& path) {
  // RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly"".
  return mutability_error("\"" + path +
                          "\" is readOnly (RFC 7643 §7): the service provider sets it, and RFC 7644 §3.5.2 says "
                          "clients MUST NOT modify it; drop this operation");
}

Error immutable_error(const std::string& path) {
  // RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability ... "immutable".
  // However, a client MAY "add" a value to an "immutable" attribute if the attribute had no
  // previous value."
  return mutability_error("\"" + path +
                          "\" is immutable (RFC 7643 §7) and already has a value; RFC 7644 §3.5.2 allows setting "
                          "it only while it has none");
}

Error required_error(const std::string& path) {
  // RFC 7644 §3.5.2.2: "If an attribute is removed or becomes unassigned and is defined as a
  // required attribute or a read-only attribute, the server SHALL return ... a "scimType" error
  // code of "mutability"."
  return mutability_error("\"" + path +
                          "\" is required (RFC 7643 §7) and cannot be removed or left without a value; replace it "
                          "with a new value instead");
}

class PatchRun {
 public:
  PatchRun(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type, const PatchOptions& options,
           Faults faults, json& doc)
      : registry_(registry), type_(type), options_(options), faults_(faults), evaluator_(registry, type), doc_(doc) {
    for (const auto& def : registry_.common_attributes())
      if (scim::iequals(def.name, "id")) id_def_ = &def;
  }

  void apply(const Operation& op) {
    if (!op.path) {
      // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code
      // 400 and a "scimType" error code of "noTarget"."
      if (op.kind == OpKind::remove)
        throw Error::bad_request(ScimType::no_target,
                                 "remove needs a \"path\" naming what to remove (RFC 7644 §3.5.2.2)");
      apply_pathless(op.kind, *op.value);
      return;
    }
    const std::string& path = *op.path;
    // A path that is exactly an extension URN addresses the whole extension object.
    if (const std::string* urn = extension_named(path)) {
      if (op.kind == OpKind::remove) {
        remove_extension(*urn);
      } else {
        if (!op.value->is_object())
          throw Error::bad_request(ScimType::invalid_value,
                                   "the value for path \"" + path + "\" must be an object of its attributes");
        apply_pathless(op.kind, json{{*urn, *op.value}});
      }
      return;
    }
    Target target = resolve(path);
    if (op.kind == OpKind::remove)
      remove(target, op.value ? &*op.value : nullptr);
    else
      write(op.kind, target, *op.value);
  }

  // Drops extension objects left empty and keeps "schemas" in step with the extensions in use
  // (RFC 7643 §3: "schemas" lists the schemas the resource uses).
  void finish() {
    for (const std::string& urn : touched_extensions_) {
      auto it = find_key(doc_, urn);
      const bool in_use = it != doc_.end() && it->is_object() && !it->empty();
      if (!in_use) erase_key(doc_, urn);
      auto schemas = find_key(doc_, "schemas");
      if (in_use) {
        if (schemas == doc_.end() || !schemas->is_array()) {
          set_key(doc_, "schemas", json::array({type_.schema}));
          schemas = find_key(doc_, "schemas");
        }
        const bool listed = std::any_of(schemas->begin(), schemas->end(), [&](const json& v) {
          return v.is_string() && scim::iequals(v.get_ref<const std::string&>(), urn);
        });
        if (!listed) schemas->push_back(urn);
      } else if (schemas != doc_.end() && schemas->is_array()) {
        json kept = json::array();
        for (const auto& v : *schemas)
          if (!(v.is_string() && scim::iequals(v.get_ref<const std::string&>(), urn))) kept.push_back(v);
        *schemas = std::move(kept);
      }
    }
  }

 private:
  // ---- paths ---------------------------------------------------------------------------------

  const std::string* extension_named(std::string_view text) const {
    for (const auto& ext : type_.extensions)
      if (scim::iequals(ext.schema, text)) return &ext.schema;
    return nullptr;
  }

  const std::string* schema_named(std::string_view text) const {
    if (scim::iequals(type_.schema, text)) return &type_.schema;
    return extension_named(text);
  }

  std::string known_schemas() const {
    std::string out = type_.schema;
    for (const auto& ext : type_.extensions) out += ", " + ext.schema;
    return out;
  }

  Target resolve(const std::string& text) const {
    scim::PatchPath parsed = scim::parse_patch_path(text);
    const scim::AttributePath& path = parsed.attribute;
    if (!path.urn.empty() && !schema_named(path.urn))
      throw Error::bad_request(ScimType::invalid_path, "path \"" + text + "\" names schema \"" + path.urn +
                                                           "\", which " + type_.name + " resources do not use; use " +
                                                           known_schemas());
    const std::string sub_name = parsed.value_filter ? std::string() : path.sub_attribute;
    auto resolved = registry_.resolve(type_, path.urn, path.attribute, sub_name);
    // Entra's tutorial adds the enterprise manager with the bare path "manager"
    // (idp-quirks E15). An unqualified name that is no core attribute resolves in the one
    // extension defining it; when several do, the client must qualify it.
    if (!resolved && path.urn.empty()) {
      for (const auto& ext : type_.extensions) {
        auto candidate = registry_.resolve(type_, ext.schema, path.attribute, sub_name);
        if (!candidate) continue;
        if (resolved)
          throw Error::bad_request(ScimType::invalid_path, "path \"" + text + "\" is defined by several schema "
                                                               "extensions; prefix it with the schema URN");
        resolved = candidate;
      }
    }
    if (!resolved) {
      if (!sub_name.empty() && registry_.resolve(type_, path.urn, path.attribute, ""))
        throw Error::bad_request(ScimType::invalid_path, "path \"" + text + "\": attribute \"" + path.attribute +
                                                             "\" has no sub-attribute \"" + sub_name + "\"");
      throw Error::bad_request(ScimType::invalid_path, "path \"" + text + "\": \"" + path.attribute +
                                                           "\" is not an attribute of " + type_.name +
                                                           " resources (schemas " + known_schemas() + ")");
    }
    Target target;
    target.text = text;
    target.resolved = *resolved;
    if (resolved->in_extension) target.extension_urn = resolved->schema->id;
    const AttributeDef& def = *resolved->attribute;
    if (parsed.value_filter) {
      // RFC 7644 §3.5.2: "The "valuePath" rule allows specific values of a complex multi-valued
      // attribute to be selected."
      if (!def.multi_valued)
        throw Error::bad_request(ScimType::invalid_path, "path \"" + text + "\": a value filter selects values of a "
                                                             "multi-valued attribute, and \"" + def.name +
                                                             "\" is single-valued");
      // Entra writes `roles[primary eq "True"]` (idp-quirks E2, E11): the string stands for
      // the boolean in a value filter as in a value. strict_rfc leaves it for the evaluator to
      // refuse (a boolean compared with a string).
      if (!options_.strict_rfc) fold_string_booleans(*parsed.value_filter, def);
      target.filter = std::move(parsed.value_filter);
      if (!parsed.filtered_sub_attribute.empty()) {
        target.element_sub = def.find_sub(parsed.filtered_sub_attribute);
        if (!target.element_sub)
          throw Error::bad_request(ScimType::invalid_path, "path \"" + text + "\": attribute \"" + def.name +
                                                               "\" has no sub-attribute \"" +
                                                               parsed.filtered_sub_attribute + "\"");
      }
    } else if (resolved->sub_attribute && def.multi_valued) {
      // "emails.value" names the sub-attribute in every value of the list.
      target.element_sub = resolved->sub_attribute;
      target.resolved.sub_attribute = nullptr;
      target.every_element = true;
    }
    return target;
  }

  // ---- resource access -----------------------------------------------------------------------

  // The object holding the target attribute: the resource itself, or its extension object.
  json* container(const Target& target, bool create) {
    if (target.extension_urn.empty()) return &doc_;
    touched_extensions_.insert(target.extension_urn);
    auto it = find_key(doc_, target.extension_urn);
    if (it != doc_.end() && it->is_object()) return &*it;
    if (!create) return nullptr;
    return &set_key(doc_, target.extension_urn, json::object());
  }

  static json list_of(const json* box, const AttributeDef& def) {
    if (!box) return json::array();
    auto it = find_key(*box, def.name);
    if (it == box->end() || it->is_null()) return json::array();
    return it->is_array() ? *it : json::array({*it});
  }

  void store_list(const Target& target, json list) {
    const AttributeDef& def = target.attribute();
    json* box = container(target, !list.empty());
    if (!box) return;
    if (list.empty())
      erase_key(*box, def.name);
    else
      set_key(*box, def.name, std::move(list));
  }

  std::vector<std::size_t> matching(const Target& target, const json& list) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < list.size(); ++i)
      if (target.every_element || evaluator_.matches_element(*target.filter, target.attribute(), list[i]))
        out.push_back(i);
    return out;
  }

  void require_writable(const Target& target) const {
    const AttributeDef& def = target.attribute();
    if (def.mutability == Mutability::read_only) throw read_only_error(target.text);
    if (target.resolved.sub_attribute && target.resolved.sub_attribute->mutability == Mutability::read_only)
      throw read_only_error(target.text);
    if (target.element_sub && target.element_sub->mutability == Mutability::read_only)
      throw read_only_error(target.text);
  }

  // ---- add and replace -----------------------------------------------------------------------

  void apply_pathless(OpKind kind, const json& value) {
    // RFC 7644 §3.5.2.1 (add) and §3.5.2.3 (replace): without "path" the target is the resource
    // itself and "value" holds the attributes to add or replace.
    if (!value.is_object())
      throw Error::bad_request(ScimType::invalid_value,
                               std::string(patch_detail::to_string(kind)) +
                                   " without \"path\" needs an object of attributes as \"value\" (RFC 7644 §3.5.2)");
    for (const auto& [key, item] : value.items()) {
      // "schemas" describes the value, it is not an attribute to patch.
      if (scim::iequals(key, "schemas")) continue;
      if (const std::string* urn = schema_named(key)) {
        if (!item.is_object())
          throw Error::bad_request(ScimType::invalid_value,
                                   "\"" + key + "\" must hold an object of that schema's attributes");
        for (const auto& [name, inner] : item.items()) write(kind, resolve(*urn + ":" + name), inner);
        continue;
      }
      // Keys are attribute paths: plain names as the RFC shows, and also "name.givenName" or a
      // full URN path, as Entra sends them (idp-quirks E13).
      write(kind, resolve(key), item);
    }
  }

  bool is_own_id_echo(const Target& target, const json& value) const {
    if (&target.attribute() != id_def_ || target.resolved.sub_attribute || target.on_elements()) return false;
    auto current = find_key(doc_, "id");
    return current != doc_.end() && value.is_string() && *current == value;
  }

  void write(OpKind kind, const Target& target, const json& value) {
    // Okta's group rename echoes the group's own readOnly id (idp-quirks O14); an id equal to the
    // stored one changes nothing, so it is not a modification RFC 7644 §3.5.2 forbids.
    if (is_own_id_echo(target, value)) return;
    require_writable(target);
    if (target.on_elements())
      write_elements(kind, target, value);
    else if (target.resolved.sub_attribute)
      write_sub_attribute(kind, target, value);
    else
      write_attribute(kind, target, value);
  }

  void write_attribute(OpKind kind, const Target& target, const json& value) {
    const AttributeDef& def = target.attribute();
    // RFC 7643 §2.5: null and [] are "unassigned". Replacing with them removes the attribute;
    // adding them adds nothing.
    // A singular complex value that normalizes to nothing (Entra's manager {"value": ""}) is
    // unassigned the same way.
    const bool empty_reference = !def.multi_valued && def.type == scim::AttributeType::complex && value.is_object() &&
                                 normalize_single(def, value, target.text).is_null();
    if (value.is_null() || empty_reference || (def.multi_valued && value.is_array() && value.empty())) {
      if (kind == OpKind::replace) remove_attribute(target);
      return;
    }
    json* box = container(target, true);
    auto it = find_key(*box, def.name);
    const bool present = it != box->end() && !it->is_null();

    if (def.multi_valued) {
      json incoming = normalize_value(def, value, target.text);
      json list = list_of(box, def);
      if (kind == OpKind::replace) {
        // RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute and no filter
        // is specified, the attribute and all values are replaced."
        if (def.mutability == Mutability::immutable && !list.empty() && list != incoming)
          throw immutable_error(target.text);
        store_list(target, std::move(incoming));
        return;
      }
      // RFC 7644 §3.5.2.1: "If the target location specifies a multi-valued attribute, a new
      // value is added to the attribute."
      if (def.mutability == Mutability::immutable && !list.empty()) throw immutable_error(target.text);
      std::vector<std::size_t> touched;
      ValuePositions positions(def, list);
      for (const auto& element : incoming) add_element(def, list, element, touched, target.text, positions);
      enforce_single_primary(list, touched);
      store_list(target, std::move(list));
      return;
    }

    json incoming = normalize_single(def, value, target.text);
    if (def.type == scim::AttributeType::complex) {
      if (incoming.empty()) return;  // no sub-attribute to set
      json result;
      if (present && it->is_object() && !changes_reference(def, *it, incoming)) {
        result = *it;
        merge_into(def, result, incoming, target.text);
      } else {
        result = std::move(incoming);
      }
      if (def.mutability == Mutability::immutable && present && result != *it) throw immutable_error(target.text);
      set_key(*box, def.name, std::move(result));
      return;
    }
    // RFC 7644 §3.5.2.1: for a singular attribute "If the target location exists, the value is
    // replaced"; Entra uses add on unset singular attributes (idp-quirks E12).
    if (def.mutability == Mutability::immutable && present && !values_equal(def, *it, incoming))
      throw immutable_error(target.text);
    set_key(*box, def.name, std::move(incoming));
  }

  void write_sub_attribute(OpKind kind, const Target& target, const json& value) {
    const AttributeDef& parent = target.attribute();
    const AttributeDef& sub = *target.resolved.sub_attribute;
    if (value.is_null()) {
      if (kind == OpKind::replace) remove_sub_attribute(target);
      return;
    }
    json incoming = normalize_value(sub, value, target.text);
    json* box = container(target, true);
    auto it = find_key(*box, parent.name);
    json object = it != box->end() && it->is_object() ? *it : json::object();
    auto current = find_key(object, sub.name);
    if (current != object.end() && !values_equal(sub, *current, incoming) &&
        (sub.mutability == Mutability::immutable || parent.mutability == Mutability::immutable))
      throw immutable_error(target.text);
    set_key(object, sub.name, std::move(incoming));
    set_key(*box, parent.name, std::move(object));
  }

  void write_elements(OpKind kind, const Target& target, const json& value) {
    if (value.is_null()) {
      if (kind == OpKind::replace) remove_elements(target);
      return;
    }
    const AttributeDef& def = target.attribute();
    const AttributeDef* sub = target.element_sub;
    json list = list_of(container(target, false), def);
    std::vector<std::size_t> matches = matching(target, list);
    std::vector<std::size_t> touched;

    if (matches.empty()) {
      // RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute for which a value
      // selection filter ("valuePath") has been supplied and no record match was made, the
      // service provider SHALL indicate failure by returning HTTP status code 400 and a
      // "scimType" error code of "noTarget"."
      if (options_.strict_rfc)
        throw Error::bad_request(ScimType::no_target, "path \"" + target.text + "\" selects no value of \"" +
                                                          def.name + "\" (RFC 7644 §3.5.2.3); add the value first");
      // Entra sends add/replace through a filter expecting the value to be created
      // (idp-quirks E11): the filter's eq terms describe the new element. "emails.value" on an
      // empty list creates {"value": ...}.
      json element = target.filter ? element_from_filter(target) : json::object();
      if (sub) {
        set_key(element, sub->name, normalize_value(*sub, value, target.text));
      } else {
        merge_into(def, element, normalize_single(def, value, target.text), target.text, /*check_immutable=*/false);
      }
      list.push_back(std::move(element));
      touched.push_back(list.size() - 1);
    } else {
      for (std::size_t index : matches) {
        json& element = list[index];
        if (sub) {
          json incoming = normalize_value(*sub, value, target.text);
          auto current = find_key(element, sub->name);
          if (sub->mutability == Mutability::immutable && current != element.end() &&
              !values_equal(*sub, *current, incoming))
            throw immutable_error(target.text);
          set_key(element, sub->name, std::move(incoming));
        } else {
          json incoming = normalize_single(def, value, target.text);
          if (kind == OpKind::replace) {
            // RFC 7644 §3.5.2.3: "all matching record values SHALL be replaced".
            for (const auto& s : def.sub_attributes) {
              if (s.mutability != Mutability::immutable) continue;
              auto old_value = find_key(element, s.name);
              if (old_value == element.end()) continue;
              auto new_value = find_key(incoming, s.name);
              if (new_value == incoming.end() || !values_equal(s, *old_value, *new_value))
                throw immutable_error(target.text + "." + s.name);
            }
            element = std::move(incoming);
          } else {
            merge_into(def, element, incoming, target.text);
          }
        }
        touched.push_back(index);
      }
    }
    enforce_single_primary(list, touched);
    drop_empty_elements(list);
    store_list(target, std::move(list));
  }

  // The element a filter like [type eq "work" and primary eq true] describes; only eq terms
  // joined by "and" describe one unambiguously.
  json element_from_filter(const Target& target) const {
    json element = json::object();
    if (!collect_eq_terms(*target.filter, target.attribute(), element, target.text))
      throw Error::bad_request(ScimType::no_target,
                               "path \"" + target.text + "\" selects no value of \"" + target.attribute().name +
                                   "\", and a new value can only be created from a filter of \"eq\" comparisons "
                                   "joined by \"and\"; add the value first");
    return element;
  }

  static bool collect_eq_terms(const scim::Filter& filter, const AttributeDef& def, json& out, const std::string& where) {
    switch (filter.kind) {
      case scim::Filter::Kind::logical_and:
        return filter.children.size() == 2 && collect_eq_terms(filter.children[0], def, out, where) &&
               collect_eq_terms(filter.children[1], def, out, where);
      case scim::Filter::Kind::compare: {
        if (filter.op != scim::CompareOp::eq || !filter.path.sub_attribute.empty() || filter.value.is_null())
          return false;
        const AttributeDef* sub = def.find_sub(filter.path.attribute);
        if (!sub || sub->mutability == Mutability::read_only) return false;
        set_key(out, sub->name, normalize_single(*sub, filter.value, where));
        return true;
      }
      default:
        return false;
    }
  }

  // Merges the sub-attributes of `incoming` into the complex value `into`.
  static void merge_into(const AttributeDef& def, json& into, const json& incoming, const std::string& where,
                         bool check_immutable = true) {
    if (!into.is_object()) into = json::object();
    for (const auto& [key, value] : incoming.items()) {
      const AttributeDef* sub = def.find_sub(key);
      auto current = find_key(into, key);
      if (check_immutable && sub && sub->mutability == Mutability::immutable && current != into.end() &&
          !values_equal(*sub, *current, value))
        throw immutable_error(where + "." + sub->name);
      set_key(into, key, value);
    }
  }

  static bool changes_reference(const AttributeDef& def, const json& current, const json& incoming) {
    const AttributeDef* value_def = def.find_sub("value");
    if (!value_def) return false;
    auto old_value = find_key(current, "value");
    auto new_value = find_key(incoming, "value");
    return old_value != current.end() && new_value != incoming.end() && !values_equal(*value_def, *old_value, *new_value);
  }

  // Where each element of a list sits by its "value", when a required "value" identifies the
  // elements (members.value): adding m members to a group of n then costs n + m lookups instead
  // of n × m comparisons. Keys are folded the way values_equal compares them.
  struct ValuePositions {
    const AttributeDef* value_def = nullptr;  // null: elements are not identified by value
    std::unordered_map<std::string, std::size_t> first;

    ValuePositions(const AttributeDef& def, const json& list) {
      if (def.type != scim::AttributeType::complex) return;
      const AttributeDef* sub = def.find_sub("value");
      if (!sub || !sub->required) return;
      value_def = sub;
      first.reserve(list.size());
      for (std::size_t i = 0; i < list.size(); ++i)
        if (auto value = find_key(list[i], "value"); value != list[i].end() && value->is_string())
          first.emplace(key(*value), i);
    }
    std::string key(const json& value) const {
      const auto& text = value.get_ref<const std::string&>();
      return value_def->case_exact ? text : scim::to_lower(text);
    }
  };

  // Adds one normalized element unless the list already holds it.
  static void add_element(const AttributeDef& def, json& list, const json& element, std::vector<std::size_t>& touched,
                          const std::string& where, ValuePositions& positions) {
    if (def.type == scim::AttributeType::complex && element.is_object()) {
      const AttributeDef* value_def = def.find_sub("value");
      auto value = find_key(element, "value");
      if (positions.value_def && value != element.end() && value->is_string()) {
        // The same member added again is the same member (idp-quirks O13): merged into the
        // first element holding its value. Elements whose value is not a string never match it.
        std::string key = positions.key(*value);
        if (auto held = positions.first.find(key); held != positions.first.end()) {
          merge_into(def, list[held->second], element, where);
          touched.push_back(held->second);
          return;
        }
        list.push_back(element);
        touched.push_back(list.size() - 1);
        positions.first.emplace(std::move(key), list.size() - 1);
        return;
      }
      if (value_def && value != element.end()) {
        // A required "value" (members.value) identifies the element: the same member added
        // again is the same member (idp-quirks O13). Otherwise (emails) an element with the
        // same value but a different type is a different element.
        const bool identifies = value_def->required;
        for (std::size_t i = 0; i < list.size(); ++i) {
          json& existing = list[i];
          auto existing_value = find_key(existing, "value");
          if (existing_value == existing.end() || !values_equal(*value_def, *existing_value, *value)) continue;
          bool conflict = false;
          for (const auto& [key, v] : element.items()) {
            auto c = find_key(existing, key);
            const AttributeDef* sub = def.find_sub(key);
            if (c != existing.end() && sub && !values_equal(*sub, *c, v)) conflict = true;
          }
          if (conflict && !identifies) continue;
          merge_into(def, existing, element, where);
          touched.push_back(i);
          return;
        }
      } else {
        for (const auto& existing : list)
          if (existing == element) return;
      }
    } else {
      for (const auto& existing : list)
        if (values_equal(def, existing, element)) return;
    }
    list.push_back(element);
    touched.push_back(list.size() - 1);
  }

  // RFC 7644 §3.5.2: "a PATCH operation that sets a value's "primary" sub-attribute to "true"
  // SHALL cause the server to automatically set "primary" to "false" for any other values in
  // the array."
  static void enforce_single_primary(json& list, const std::vector<std::size_t>& touched) {
    std::optional<std::size_t> primary;
    for (std::size_t index : touched) {
      auto flag = find_key(list[index], "primary");
      if (flag != list[index].end() && *flag == true) primary = index;
    }
    if (!primary) return;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i == *primary || !list[i].is_object()) continue;
      auto flag = find_key(list[i], "primary");
      if (flag != list[i].end() && *flag == true) *flag = false;
    }
  }

  static void drop_empty_elements(json& list) {
    json kept = json::array();
    for (auto& element : list)
      if (!(element.is_object() && element.empty())) kept.push_back(std::move(element));
    list = std::move(kept);
  }

  // ---- remove --------------------------------------------------------------------------------

  void remove(const Target& target, const json* value) {
    require_writable(target);
    if (target.on_elements())
      remove_elements(target);
    else if (target.resolved.sub_attribute)
      remove_sub_attribute(target);
    else if (value && !value->is_null() && target.attribute().multi_valued)
      remove_listed(target, *value);
    else
      remove_attribute(target);
  }

  void remove_attribute(const Target& target) {
    const AttributeDef& def = target.attribute();
    if (def.required) throw required_error(target.text);
    json* box = container(target, false);
    if (!box) return;
    auto it = find_key(*box, def.name);
    // RFC 7644 §3.5.2.2: "the attribute and its associated value is removed"; removing what is
    // not there leaves the resource as the client wants it.
    if (it == box->end()) return;
    if (def.mutability == Mutability::immutable && !it->is_null()) throw immutable_error(target.text);
    erase_key(*box, def.name);
  }

  void remove_sub_attribute(const Target& target) {
    const AttributeDef& parent = target.attribute();
    const AttributeDef& sub = *target.resolved.sub_attribute;
    if (sub.required) throw required_error(target.text);
    json* box = container(target, false);
    if (!box) return;
    auto it = find_key(*box, parent.name);
    if (it == box->end() || !it->is_object()) return;
    auto current = find_key(*it, sub.name);
    if (current == it->end()) return;
    if (sub.mutability == Mutability::immutable || parent.mutability == Mutability::immutable)
      throw immutable_error(target.text);
    erase_key(*it, sub.name);
    if (it->empty()) {
      if (parent.required) throw required_error(target.text);
      erase_key(*box, parent.name);
    }
  }

  void remove_elements(const Target& target) {
    const AttributeDef& def = target.attribute();
    const AttributeDef* sub = target.element_sub;
    json list = list_of(container(target, false), def);
    std::vector<std::size_t> matches = matching(target, list);
    if (matches.empty()) {
      // RFC 7644 §3.12 noTarget: "the specified "path" value contains a filter that yields no
      // match". Default mode: removing what is already gone succeeds, because Okta and Entra
      // retry membership removals and treat a 400 as a failed push.
      if (options_.strict_rfc && target.filter)
        throw Error::bad_request(ScimType::no_target, "path \"" + target.text + "\" selects no value of \"" +
                                                          def.name + "\" (RFC 7644 §3.5.2.2)");
      return;
    }
    if (sub) {
      if (sub->required) throw required_error(target.text);
      for (std::size_t index : matches) {
        json& element = list[index];
        auto current = find_key(element, sub->name);
        if (current == element.end()) continue;
        if (sub->mutability == Mutability::immutable) throw immutable_error(target.text);
        erase_key(element, sub->name);
      }
      drop_empty_elements(list);
    } else {
      // RFC 7644 §3.5.2.2: "the matching records are removed".
      json kept = json::array();
      std::size_t next = 0;
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (next < matches.size() && matches[next] == i) {
          ++next;
          continue;
        }
        kept.push_back(std::move(list[i]));
      }
      list = std::move(kept);
    }
    // RFC 7644 §3.5.2.2: "If the complex multi-valued attribute has no remaining records, the
    // attribute SHALL be considered unassigned" - which a required attribute may not become.
    if (list.empty() && def.required) throw required_error(target.text);
    store_list(target, std::move(list));
  }

  // Entra removes members with path "members" and the members in "value" (idp-quirks E3).
  void remove_listed(const Target& target, const json& value) {
    const AttributeDef& def = target.attribute();
    if (options_.strict_rfc)
      throw Error::bad_request(ScimType::invalid_syntax,
                               "remove defines no \"value\" (RFC 7644 §3.5.2.2); to remove single values use a "
                               "filter path such as " + def.name + "[value eq \"...\"]");
    // Fault entra-member-removal-ignored: a server that knows only the RFC's filter form of
    // remove and silently ignores Entra's value array, so departed members stay in the group.
    if (faults_.has(Fault::entra_member_removal_ignored)) return;
    json items = normalize_value(def, value, target.text);
    json list = list_of(container(target, false), def);
    const AttributeDef* value_def = def.find_sub("value");
    for (const auto& item : items) {
      json kept = json::array();
      for (auto& element : list) {
        if (!listed_matches(def, value_def, element, item)) kept.push_back(std::move(element));
      }
      list = std::move(kept);
    }
    if (list.empty() && def.required) throw required_error(target.text);
    store_list(target, std::move(list));
  }

  static bool listed_matches(const AttributeDef& def, const AttributeDef* value_def, const json& element,
                             const json& item) {
    if (def.type != scim::AttributeType::complex || !item.is_object() || !element.is_object())
      return values_equal(def, element, item);
    if (value_def) {
      auto wanted = find_key(item, "value");
      if (wanted != item.end()) {
        auto have = find_key(element, "value");
        return have != element.end() && values_equal(*value_def, *have, *wanted);
      }
    }
    // Without a "value", every sub-attribute the client listed must match.
    for (const auto& [key, v] : item.items()) {
      auto have = find_key(element, key);
      const AttributeDef* sub = def.find_sub(key);
      if (have == element.end() || !sub || !values_equal(*sub, *have, v)) return false;
    }
    return !item.empty();
  }

  void remove_extension(const std::string& urn) {
    for (const auto& ext : type_.extensions)
      if (scim::iequals(ext.schema, urn) && ext.required)
        throw required_error(urn);
    touched_extensions_.insert(urn);
    erase_key(doc_, urn);
  }

  const scim::SchemaRegistry& registry_;
  const scim::ResourceTypeDef& type_;
  const PatchOptions& options_;
  Faults faults_;
  FilterEvaluator evaluator_;
  json& doc_;
  const AttributeDef* id_def_ = nullptr;
  std::set<std::string> touched_extensions_;
};

std::string describe(const Operation& op) {
  std::string out = "Operations[" + std::to_string(op.index) + "] (" + std::string(patch_detail::to_string(op.kind));
  if (op.path) out += " \"" + *op.path + "\"";
  return out + "): ";
}

}  // namespace

PatchEngine::PatchEngine(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type, PatchOptions options,
                         Faults faults)
    : registry_(registry), type_(type), options_(options), faults_(faults) {}

json PatchEngine::apply(const json& resource, const json& request) const {
  std::vector<Operation> operations = patch_detail::parse_patch_message(request, faults_);
  // RFC 7644 §3.5.2: "If a single operation encounters an error condition, the original SCIM
  // resource MUST be restored" - the operations run on a copy that is dropped on error.
  json working = resource;
  PatchRun run(registry_, type_, options_, faults_, working);
  for (const Operation& op : operations) {
    try {
      run.apply(op);
    } catch (const Error& error) {
      throw Error(error.status(), error.scim_type(), describe(op) + error.detail());
    }
  }
  run.finish();
  return working;
}

}  // namespace refserver
