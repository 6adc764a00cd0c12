// PATCH semantics of RFC 7644 §3.5.2, written from the RFC text and the RFC 7643 schema
// characteristics; see patch_oracle.hpp for the two leniencies and the decisions taken where the
// RFC is silent.
#include "suites/oracle/patch_oracle.hpp"

#include "scim/attribute_path.hpp"
#include "scim/error.hpp"
#include "scim/filter.hpp"
#include "scim/urns.hpp"
#include "suites/oracle/filter_oracle.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace suites {

namespace {

using nlohmann::json;
using scim::AttributeDef;
using scim::AttributeType;
using scim::Mutability;

// An error a correct server must answer; unwinds the whole request (atomicity).
struct Failure {
  int status;
  std::string scim_type;
  std::string why;
  std::vector<std::string> also;
};

[[noreturn]] void fail(std::string scim_type, std::string why, std::vector<std::string> also = {}) {
  throw Failure{400, std::move(scim_type), std::move(why), std::move(also)};
}

enum class Op { add, remove, replace };

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

// The member of `object` named `name` in any case, created under `name` when absent.
json& slot(json& object, const std::string& name) {
  if (json* existing = find_member(object, name)) return *existing;
  return object[name];
}

void erase_member(json& object, std::string_view name) {
  if (!object.is_object()) return;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (scim::iequals(it.key(), name)) {
      object.erase(it);
      return;
    }
  }
}

// Drops unassigned members and values (RFC 7643 §2.5) below `node`, so that "emptied" and
// "absent" are one state for every later operation.
void drop_unassigned(json& node) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end();) {
      drop_unassigned(it.value());
      if (is_unassigned(it.value())) {
        it = node.erase(it);
      } else {
        ++it;
      }
    }
  } else if (node.is_array()) {
    for (auto& element : node) drop_unassigned(element);
    node.erase(std::remove_if(node.begin(), node.end(), [](const json& v) { return is_unassigned(v); }), node.end());
  }
}

// What an operation addresses.
struct Target {
  const scim::Schema* extension = nullptr;  // the extension holding the attribute (or the root)
  bool extension_root = false;              // the path is the extension URN itself
  const AttributeDef* attribute = nullptr;  // top-level attribute
  const AttributeDef* sub = nullptr;        // attr.sub without a value filter
  std::optional<scim::Filter> filter;       // attr[filter]
  const AttributeDef* filtered_sub = nullptr;  // attr[filter].sub
  std::string text;                         // the path as sent, for messages
};

class PatchRun {
 public:
  PatchRun(const json& before, const scim::SchemaRegistry& schemas, const scim::ResourceTypeDef& type,
           PatchLeniency leniency)
      : schemas_(schemas), type_(type), leniency_(leniency), before_(before), work_(before) {
    drop_unassigned(work_);
  }

  json run(const json& request) {
    if (!request.is_object())
      fail("invalidSyntax", "the PATCH body is not a JSON object; RFC 7644 §3.5.2 expects a PatchOp message");
    // RFC 7644 §3.5.2: "The body of each request MUST contain the "schemas" attribute with the
    // URI value of "urn:ietf:params:scim:api:messages:2.0:PatchOp"."
    bool has_urn = false;
    if (const json* list = find_member(request, "schemas"); list && list->is_array())
      for (const auto& urn : *list)
        if (urn.is_string() && scim::iequals(urn.get<std::string>(), scim::urn::patch_op)) has_urn = true;
    if (!has_urn)
      fail("invalidSyntax", "RFC 7644 §3.5.2: the body MUST carry \"schemas\": [\"" + std::string(scim::urn::patch_op) +
                                "\"]");
    // RFC 7644 §3.5.2: "The body of an HTTP PATCH request MUST contain the attribute
    // "Operations", whose value is an array of one or more PATCH operations."
    const json* operations = find_member(request, "Operations");
    if (!operations || !operations->is_array() || operations->empty())
      fail("invalidSyntax", "RFC 7644 §3.5.2: \"Operations\" MUST be an array of one or more operations");
    for (std::size_t i = 0; i < operations->size(); ++i) {
      const json& operation = (*operations)[i];
      try {
        apply(operation);
      } catch (Failure& failure) {
        failure.why = "Operations[" + std::to_string(i) + "] " + describe(operation) + ": " + failure.why;
        throw;
      }
    }
    finish();
    return work_;
  }

 private:
  bool lenient() const { return leniency_ == PatchLeniency::idp; }

  static std::string describe(const json& operation) {
    if (!operation.is_object()) return operation.dump();
    std::string text = "(";
    if (const json* op = find_member(operation, "op")) text += op->is_string() ? op->get<std::string>() : op->dump();
    if (const json* path = find_member(operation, "path"); path && path->is_string())
      text += " " + path->get<std::string>();
    return text + ")";
  }

  Op parse_op(const json& operation) const {
    const json* name = find_member(operation, "op");
    // RFC 7644 §3.5.2: "Each PATCH operation object MUST have exactly one "op" member".
    if (!name || !name->is_string())
      fail("invalidSyntax", "RFC 7644 §3.5.2: each operation MUST have an \"op\" member naming add, remove or replace");
    const std::string& text = name->get_ref<const std::string&>();
    static const std::pair<const char*, Op> known[] = {{"add", Op::add}, {"remove", Op::remove}, {"replace", Op::replace}};
    for (const auto& [word, op] : known) {
      if (text == word) return op;
      if (scim::iequals(text, word)) {
        if (lenient()) return op;
        fail("invalidSyntax", "op " + in_quotes(text) + " is not one of \"add\", \"remove\", \"replace\" as RFC 7644 "
                              "§3.5.2 spells them; Entra ID capitalises op names, which only IdP leniency accepts");
      }
    }
    fail("invalidSyntax", "op " + in_quotes(text) + " is not one of add, remove, replace (RFC 7644 §3.5.2)");
    return Op::add;  // not reached
  }

  void apply(const json& operation) {
    if (!operation.is_object()) fail("invalidSyntax", "each element of \"Operations\" must be a JSON object (RFC 7644 §3.5.2)");
    Op op = parse_op(operation);
    const json* path = find_member(operation, "path");
    if (path && path->is_null()) path = nullptr;
    if (path && !path->is_string()) fail("invalidPath", "\"path\" must be a string (RFC 7644 §3.5.2)");
    const json* value = find_member(operation, "value");
    const json snapshot = work_;

    switch (op) {
      case Op::add:
        // RFC 7644 §3.5.2.1: "The operation MUST contain a "value" member whose content
        // specifies the value to be added."
        if (!value || value->is_null())
          fail("invalidValue", "RFC 7644 §3.5.2.1: an add operation MUST contain a \"value\"", {"invalidSyntax"});
        if (!path) {
          apply_pathless(*value, op);
        } else {
          write_at(resolve_path(path->get<std::string>()), *value, op);
        }
        break;
      case Op::replace:
        if (!value)
          fail("invalidValue", "RFC 7644 §3.5.2.3: a replace operation needs a \"value\" to replace with", {"invalidSyntax"});
        if (!path) {
          apply_pathless(*value, op);
        } else {
          write_at(resolve_path(path->get<std::string>()), *value, op);
        }
        break;
      case Op::remove:
        // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status
        // code 400 and a "scimType" error code of "noTarget"."
        if (!path) fail("noTarget", "RFC 7644 §3.5.2.2: remove requires a \"path\"");
        if (value && !value->is_null() && !lenient())
          fail("invalidSyntax",
               "RFC 7644 §3.5.2.2 defines no \"value\" for remove: an RFC server would remove every value at \"" +
                   path->get<std::string>() +
                   "\" or refuse; Entra ID sends the values to remove this way, which only IdP leniency honours",
               {"invalidValue"});
        remove_at(resolve_path(path->get<std::string>()), value && !value->is_null() ? value : nullptr);
        break;
    }
    drop_unassigned(work_);
    check_required(snapshot, op);
    check_primary(snapshot);
  }

  // ---- paths -------------------------------------------------------------------------------

  const scim::Schema* extension_named(std::string_view urn) const {
    for (const auto& extension : type_.extensions)
      if (scim::iequals(extension.schema, urn)) return schemas_.find_schema(extension.schema);
    return nullptr;
  }

  // A core or common attribute, or an extension attribute by its URN; an unqualified name falls
  // back to the single extension defining it (RFC 7644 §3.10 "SHOULD fully qualify").
  std::optional<scim::ResolvedAttribute> resolve_attribute(const scim::AttributePath& path, bool unqualified_extensions) const {
    auto resolved = schemas_.resolve(type_, path.urn, path.attribute, path.sub_attribute);
    if (resolved || !path.urn.empty() || !unqualified_extensions) return resolved;
    std::optional<scim::ResolvedAttribute> found;
    int count = 0;
    for (const auto& extension : type_.extensions)
      if (auto candidate = schemas_.resolve(type_, extension.schema, path.attribute, path.sub_attribute)) {
        found = candidate;
        ++count;
      }
    return count == 1 ? found : std::nullopt;
  }

  // IdP leniency: Entra writes `roles[primary eq "True"]`; the string stands for the boolean
  // (idp-quirks E2), in a value filter as in a value.
  static void fold_string_booleans(scim::Filter& filter, const AttributeDef& attribute) {
    for (auto& child : filter.children) fold_string_booleans(child, attribute);
    if (filter.kind != scim::Filter::Kind::compare || !filter.value.is_string()) return;
    const AttributeDef* sub = attribute.find_sub(filter.path.sub_attribute.empty() ? filter.path.attribute
                                                                                   : filter.path.sub_attribute);
    if (!sub || sub->type != scim::AttributeType::boolean) return;
    const std::string& text = filter.value.get_ref<const std::string&>();
    if (scim::iequals(text, "true")) filter.value = true;
    else if (scim::iequals(text, "false")) filter.value = false;
  }

  Target resolve_path(const std::string& text) const {
    scim::PatchPath parsed;
    try {
      parsed = scim::parse_patch_path(text);
    } catch (const scim::Error& e) {
      // RFC 7644 §3.12 invalidPath: "The "path" attribute was invalid or malformed".
      fail("invalidPath", e.detail());
    }
    Target target;
    target.text = text;
    const auto& path = parsed.attribute;
    if (!path.urn.empty() && path.sub_attribute.empty() && !parsed.value_filter) {
      if (const scim::Schema* extension = extension_named(path.urn + ":" + path.attribute)) {
        target.extension = extension;
        target.extension_root = true;
        return target;
      }
    }
    if (path.urn.empty() && scim::iequals(path.attribute, "schemas"))
      fail("mutability", "\"schemas\" is derived by the server from the attributes present (RFC 7643 §3); no "
                         "operation can target it",
           {"invalidPath"});
    auto resolved = resolve_attribute(path, true);
    if (!resolved)
      fail("invalidPath", "path " + in_quotes(text) + " names no attribute of resource type " + type_.name +
                              " (RFC 7644 §3.12 invalidPath)",
           {"noTarget"});
    target.attribute = resolved->attribute;
    target.sub = resolved->sub_attribute;
    if (resolved->in_extension) target.extension = resolved->schema;
    if (parsed.value_filter) {
      if (lenient()) fold_string_booleans(*parsed.value_filter, *target.attribute);
      if (!target.attribute->multi_valued)
        fail("invalidPath", "a value filter applies to multi-valued attributes; " + target.attribute->name + " has one value");
      try {
        // Refuses unknown sub-attributes and unsupported comparisons before any data is seen.
        element_matches(*parsed.value_filter, json::object(), *target.attribute);
      } catch (const scim::Error& e) {
        fail("invalidPath", "in the value filter of " + in_quotes(text) + ": " + e.detail(), {"invalidFilter"});
      }
      target.filter = std::move(parsed.value_filter);
      if (!parsed.filtered_sub_attribute.empty()) {
        target.filtered_sub = target.attribute->find_sub(parsed.filtered_sub_attribute);
        if (!target.filtered_sub)
          fail("invalidPath", in_quotes(parsed.filtered_sub_attribute) + " is not a sub-attribute of " + target.attribute->name);
      }
    }
    return target;
  }

  // The object holding the target's top-level attribute: the resource, or its extension object.
  json* container(const Target& target, bool create) {
    if (!target.extension) return &work_;
    json* object = find_member(work_, target.extension->id);
    if (object && object->is_object()) return object;
    if (!create) return nullptr;
    json& made = slot(work_, target.extension->id);
    made = json::object();
    return &made;
  }

  // ---- values ------------------------------------------------------------------------------

  // RFC 7643 §2.2 readOnly: "The attribute SHALL NOT be modified." RFC 7644 §3.5.2: "a client
  // MUST NOT modify an attribute that has mutability "readOnly" ... An operation that is not
  // compatible with an attribute's mutability ... SHALL return the appropriate HTTP response
  // status code and a JSON detail error response".
  static void check_writable(const AttributeDef& def, const std::string& shown) {
    if (def.mutability == Mutability::read_only)
      fail("mutability", in_quotes(shown) + " is readOnly (RFC 7643 §2.2); RFC 7644 §3.5.2: a client MUST NOT modify it");
  }

  // A singular complex value as an object. Entra's `manager` arrives as a bare id or a list of
  // one (idp-quirks E15).
  json complex_object(const AttributeDef& def, const json& value, const std::string& shown) const {
    if (value.is_object()) return value;
    if (lenient() && !def.multi_valued) {
      if (value.is_string() && def.find_sub("value")) return json{{"value", value}};
      if (value.is_array() && value.size() == 1 && value[0].is_object()) return value[0];
    }
    fail("invalidValue", in_quotes(shown) + " is complex; RFC 7644 §3.5.2.1: its value SHALL be an object of "
                                         "sub-attributes, not " +
                             value.dump(),
         {"invalidSyntax"});
    return value;  // not reached
  }

  // The value as the server must store it: types checked against RFC 7643 §2.3, sub-attribute
  // names in their schema spelling, nulls dropped, readOnly sub-attributes dropped (the server
  // computes them; RFC 7644 §3.5.2.1's example adds a member with "display").
  json normalize(const AttributeDef& def, const json& value, const std::string& shown, bool element) const {
    if (def.multi_valued && !element) {
      json out = json::array();
      if (is_unassigned(value)) return out;
      // RFC 7644 §3.5.2.1: "The value MAY be a quoted value, or it may be a JSON object".
      const json list = value.is_array() ? value : json::array({value});
      for (const auto& item : list)
        if (!is_unassigned(item)) out.push_back(normalize(def, item, shown, true));
      return out;
    }
    if (def.type == AttributeType::complex) {
      json source = complex_object(def, value, shown);
      json out = json::object();
      for (const auto& [key, sub_value] : source.items()) {
        const AttributeDef* sub = def.find_sub(key);
        if (!sub)
          fail("invalidValue", in_quotes(key) + " is not a sub-attribute of " + shown + " in the schema (RFC 7643 §2.3.8)",
               {"invalidPath"});
        if (is_unassigned(sub_value) || sub->mutability == Mutability::read_only) continue;
        out[sub->name] = normalize(*sub, sub_value, shown + "." + sub->name, false);
      }
      return out;
    }
    auto wrong = [&](const std::string& expected) {
      fail("invalidValue", in_quotes(shown) + " is " + expected + " (RFC 7643 §2.3), not " + value.dump());
    };
    switch (def.type) {
      case AttributeType::boolean:
        if (value.is_boolean()) return value;
        if (value.is_string() && (scim::iequals(value.get<std::string>(), "true") ||
                                  scim::iequals(value.get<std::string>(), "false"))) {
          if (lenient()) return scim::iequals(value.get<std::string>(), "true");
          fail("invalidValue", in_quotes(shown) + " is a boolean (RFC 7643 §2.3.2) but the value is the string " +
                                   value.dump() + "; Entra ID sends string booleans, which only IdP leniency accepts");
        }
        wrong("a boolean");
        return value;
      case AttributeType::integer:
        if (!value.is_number_integer()) wrong("an integer");
        return value;
      case AttributeType::decimal:
        if (!value.is_number()) wrong("a decimal number");
        return value;
      case AttributeType::date_time:
        if (!value.is_string() || !parse_date_time(value.get<std::string>())) wrong("an xsd:dateTime string");
        return value;
      default:
        if (!value.is_string()) wrong("a string");
        return value;
    }
  }

  // A value about to become a new element of a multi-valued attribute must carry its required
  // sub-attributes (members.value, fixtures/schemas/README.md item 5).
  static void check_new_element(const AttributeDef& def, const json& element, const std::string& shown) {
    if (def.type != AttributeType::complex) return;
    for (const auto& sub : def.sub_attributes)
      if (sub.required && (!find_member(element, sub.name) || is_unassigned(*find_member(element, sub.name))))
        fail("invalidValue", "each value of " + in_quotes(shown) + " requires " + in_quotes(sub.name) + " (RFC 7643 §2.2 required)");
  }

  // Whether `existing` already is the value `incoming` names: values with a "$ref" are
  // references and are the same when their "value" is; others when every sub-attribute the
  // incoming value carries is equal.
  static bool same_element(const json& existing, const json& incoming, const AttributeDef& def) {
    if (def.type != AttributeType::complex) return values_equal(existing, incoming, def);
    if (!incoming.is_object() || !existing.is_object()) return false;
    const AttributeDef* value_def = def.find_sub("value");
    if (def.find_sub("$ref") && value_def && find_member(incoming, "value")) {
      const json* existing_value = find_member(existing, "value");
      return existing_value && values_equal(*existing_value, *find_member(incoming, "value"), *value_def);
    }
    bool any = false;
    for (const auto& [key, value] : incoming.items()) {
      const AttributeDef* sub = def.find_sub(key);
      const json* other = find_member(existing, key);
      if (!sub || !values_equal(other ? *other : json(), value, *sub)) return false;
      any = true;
    }
    return any;
  }

  // RFC 7644 §3.5.2: "a PATCH operation that sets a value's "primary" sub-attribute to "true"
  // SHALL cause the server to automatically set "primary" to "false" for any other values in
  // the array." Two values marked primary by the same operation are refused by check_primary.
  void settle_primary(json& list, const AttributeDef& def, const std::vector<std::size_t>& claimed) const {
    if (!list.is_array() || !def.find_sub("primary")) return;
    std::optional<std::size_t> winner;
    for (std::size_t index : claimed)
      if (index < list.size()) {
        const json* primary = find_member(list[index], "primary");
        if (primary && primary->is_boolean() && primary->get<bool>()) winner = index;
      }
    if (!winner) return;
    for (std::size_t i = 0; i < list.size(); ++i)
      if (i != *winner) erase_member(list[i], "primary");
  }

  // Sets attribute `def` of `parent` (add and replace alike for singular values; RFC 7644
  // §3.5.2.1 "If the target location specifies a single-valued attribute, the existing value
  // is replaced"), appends (add) or replaces all values (replace) of a multi-valued one.
  void write_attribute(json& parent, const AttributeDef& def, const json& raw, const std::string& shown, Op op) {
    check_writable(def, shown);
    if (def.multi_valued) {
      json incoming = normalize(def, raw, shown, false);
      for (const auto& element : incoming) check_new_element(def, element, shown);
      json& list = slot(parent, def.name);
      std::vector<std::size_t> claimed;
      if (op == Op::replace) {
        // RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute and no filter
        // is specified, the attribute and all values are replaced."
        list = incoming;
        for (std::size_t i = 0; i < list.size(); ++i) claimed.push_back(i);
      } else {
        if (!list.is_array()) list = list.is_null() ? json::array() : json::array({list});
        // RFC 7644 §3.5.2.1: "If the target location specifies a multi-valued attribute, a new
        // value is added to the attribute." ... "If the target location already contains the
        // value specified, no changes SHOULD be made to the resource".
        for (const auto& element : incoming) {
          bool present = false;
          for (const auto& existing : list)
            if (same_element(existing, element, def)) present = true;
          if (!present) {
            list.push_back(element);
            claimed.push_back(list.size() - 1);
          }
        }
      }
      settle_primary(list, def, claimed);
      return;
    }
    json* existing = find_member(parent, def.name);
    const bool had_value = existing && !is_unassigned(*existing);
    if (is_unassigned(raw)) {
      // RFC 7643 §2.5: null is "unassigned"; replacing with it unassigns the attribute.
      if (had_value && def.mutability == Mutability::immutable)
        fail("mutability", in_quotes(shown) + " is immutable and has a value (RFC 7643 §2.2)");
      erase_member(parent, def.name);
      return;
    }
    if (def.type == AttributeType::complex) {
      // RFC 7644 §3.5.2.3: "If the target location specifies a complex attribute, a set of
      // sub-attributes SHALL be specified in the "value" parameter, which replaces any existing
      // values or adds where an attribute did not previously exist. Sub-attributes that are not
      // specified in the "value" parameter are left unchanged."
      json source = complex_object(def, raw, shown);
      json& object = slot(parent, def.name);
      if (!object.is_object()) object = json::object();
      for (const auto& [key, sub_value] : source.items()) {
        const AttributeDef* sub = def.find_sub(key);
        if (!sub)
          fail("invalidValue", in_quotes(key) + " is not a sub-attribute of " + shown + " in the schema (RFC 7643 §2.3.8)",
               {"invalidPath"});
        if (sub->mutability == Mutability::read_only) continue;  // computed by the server
        write_attribute(object, *sub, sub_value, shown + "." + sub->name, op);
      }
      return;
    }
    json incoming = normalize(def, raw, shown, false);
    // RFC 7644 §3.5.2: "a client MAY "add" a value to an "immutable" attribute if the attribute
    // had no previous value"; writing the value it already has modifies nothing.
    if (def.mutability == Mutability::immutable && had_value && !values_equal(*existing, incoming, def))
      fail("mutability", in_quotes(shown) + " is immutable and already has the value " + existing->dump() +
                             " (RFC 7643 §2.2, RFC 7644 §3.5.2)");
    slot(parent, def.name) = incoming;
  }

  // The element an IdP expects a filter with no match to create (Entra E11): the filter's eq
  // terms as sub-attribute values.
  json element_from_filter(const scim::Filter& filter, const AttributeDef& def, const Target& target) const {
    json element = json::object();
    bool simple_value_set = false;
    json simple_value;
    auto collect = [&](auto&& self, const scim::Filter& node) -> void {
      if (node.kind == scim::Filter::Kind::logical_and) {
        self(self, node.children[0]);
        self(self, node.children[1]);
        return;
      }
      if (node.kind == scim::Filter::Kind::compare && node.op == scim::CompareOp::eq && !node.value.is_null()) {
        if (def.type != AttributeType::complex) {
          simple_value = node.value;
          simple_value_set = true;
          return;
        }
        const AttributeDef* sub = def.find_sub(node.path.attribute);
        if (sub) {
          element[sub->name] = node.value;
          return;
        }
      }
      fail("noTarget", "the filter of " + in_quotes(target.text) +
                           " matches no value, and it is not made of \"eq\" terms joined by \"and\", so no value "
                           "can be created from it (RFC 7644 §3.5.2.3 noTarget)");
    };
    collect(collect, filter);
    if (def.type != AttributeType::complex) return simple_value_set ? simple_value : json();
    return element;
  }

  void write_at(const Target& target, const json& value, Op op) {
    if (target.extension_root) {
      // The extension's object is addressed like a complex attribute whose sub-attributes are
      // the extension's attributes (RFC 7643 §3.3).
      if (is_unassigned(value)) {
        if (op == Op::replace) erase_member(work_, target.extension->id);
        return;
      }
      if (!value.is_object())
        fail("invalidValue", "the value for extension " + target.extension->id + " must be an object of its attributes");
      json& object = *container(target, true);
      for (const auto& [key, item] : value.items()) {
        const AttributeDef* def = target.extension->find(key);
        if (!def)
          fail("invalidValue", in_quotes(key) + " is not an attribute of extension " + target.extension->id, {"invalidPath"});
        write_attribute(object, *def, item, target.extension->id + ":" + def->name, op);
      }
      return;
    }
    json& parent = *container(target, true);
    const AttributeDef& attribute = *target.attribute;
    if (!target.filter && !target.sub) {
      write_attribute(parent, attribute, value, target.text, op);
      return;
    }
    check_writable(attribute, target.text);
    if (!target.filter) {
      if (!attribute.multi_valued) {
        json& object = slot(parent, attribute.name);
        if (!object.is_object()) object = json::object();
        write_attribute(object, *target.sub, value, target.text, op);
        return;
      }
      // `emails.value` without a filter: that sub-attribute of every value (a decision; the
      // RFC defines no meaning for it).
      json* list = find_member(parent, attribute.name);
      if (!list || !list->is_array() || list->empty())
        fail("noTarget", in_quotes(target.text) + " addresses a sub-attribute of every value of " + attribute.name +
                             ", which has none");
      for (auto& element : *list) write_attribute(element, *target.sub, value, target.text, op);
      std::vector<std::size_t> all(list->size());
      for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
      settle_primary(*list, attribute, all);
      return;
    }

    json* list = find_member(parent, attribute.name);
    std::vector<std::size_t> matched;
    if (list && list->is_array())
      for (std::size_t i = 0; i < list->size(); ++i)
        if (element_matches(*target.filter, (*list)[i], attribute)) matched.push_back(i);
    bool created = false;
    if (matched.empty()) {
      if (!lenient()) {
        // RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute for which a
        // value selection filter ("valuePath") has been supplied and no record match was made,
        // the service provider SHALL indicate failure by returning HTTP status code 400 and a
        // "scimType" error code of "noTarget"." For add the same follows from §3.12.
        fail("noTarget", "the value filter of " + in_quotes(target.text) +
                             " matches no value; RFC 7644 §3.5.2.3 requires 400 noTarget (Entra ID expects the "
                             "value to be created, which only IdP leniency does)");
      }
      json element = element_from_filter(*target.filter, attribute, target);
      json& made = slot(parent, attribute.name);
      if (!made.is_array()) made = made.is_null() ? json::array() : json::array({made});
      made.push_back(element);
      list = &made;
      matched.push_back(list->size() - 1);
      created = true;
    }
    if (target.filtered_sub) {
      // RFC 7644 §3.5.2.3: "the matching sub-attribute of all matching records is replaced".
      for (std::size_t i : matched)
        write_attribute((*list)[i], *target.filtered_sub, value, target.text, op);
    } else if (op == Op::replace && !created) {
      // RFC 7644 §3.5.2.3: "all matching record values SHALL be replaced".
      json incoming = normalize(attribute, value, target.text, true);
      check_new_element(attribute, incoming, target.text);
      for (std::size_t i : matched) {
        if (attribute.type == AttributeType::complex)
          for (const auto& sub : attribute.sub_attributes) {
            const json* old_value = find_member((*list)[i], sub.name);
            const json* new_value = find_member(incoming, sub.name);
            if (sub.mutability == Mutability::immutable && old_value && new_value && !is_unassigned(*old_value) &&
                !values_equal(*old_value, *new_value, sub))
              fail("mutability", in_quotes(target.text + "." + sub.name) + " is immutable and has a value (RFC 7643 §2.2)");
          }
        (*list)[i] = incoming;
      }
    } else if (attribute.type == AttributeType::complex) {
      // add to a filtered value (or a value just created): merge the given sub-attributes.
      json source = complex_object(attribute, value, target.text);
      for (std::size_t i : matched)
        for (const auto& [key, sub_value] : source.items()) {
          const AttributeDef* sub = attribute.find_sub(key);
          if (!sub)
            fail("invalidValue", in_quotes(key) + " is not a sub-attribute of " + attribute.name, {"invalidPath"});
          if (sub->mutability == Mutability::read_only) continue;
          write_attribute((*list)[i], *sub, sub_value, target.text + "." + sub->name, op);
        }
    } else {
      json incoming = normalize(attribute, value, target.text, true);
      for (std::size_t i : matched) (*list)[i] = incoming;
    }
    if (created) check_new_element(attribute, (*list)[matched.front()], target.text);
    settle_primary(*list, attribute, matched);
  }

  // RFC 7644 §3.5.2.2: "If an attribute is removed or becomes unassigned and is defined as a
  // required attribute or a read-only attribute, the server SHALL return ... "mutability"."
  static void check_removable(const AttributeDef& def, const json* existing, const std::string& shown) {
    check_writable(def, shown);
    if (!existing || is_unassigned(*existing)) return;
    if (def.required)
      fail("mutability", in_quotes(shown) + " is required; RFC 7644 §3.5.2.2: removing a required attribute SHALL "
                                         "fail with \"mutability\"");
    if (def.mutability == Mutability::immutable)
      fail("mutability", in_quotes(shown) + " is immutable and has a value (RFC 7643 §2.2)");
  }

  void remove_sub(json& element, const AttributeDef& sub, const std::string& shown) {
    check_removable(sub, find_member(element, sub.name), shown);
    erase_member(element, sub.name);
  }

  void remove_at(const Target& target, const json* value) {
    if (target.extension_root) {
      for (const auto& extension : type_.extensions)
        if (scim::iequals(extension.schema, target.extension->id) && extension.required)
          fail("mutability", "extension " + extension.schema + " is required by resource type " + type_.name);
      erase_member(work_, target.extension->id);
      return;
    }
    const AttributeDef& attribute = *target.attribute;
    json* parent = container(target, false);
    if (!target.filter && !target.sub) {
      json* existing = parent ? find_member(*parent, attribute.name) : nullptr;
      if (value && attribute.multi_valued) {
        check_writable(attribute, target.text);
        if (existing) remove_listed(*existing, attribute, *value, target.text);
        return;
      }
      check_removable(attribute, existing, target.text);
      // RFC 7644 §3.5.2.2: "If the target location is a single-value attribute, the attribute
      // and its associated value is removed"; "If the target location is a multi-valued
      // attribute and no filter is specified, the attribute and all values are removed".
      // Removing what has no value changes nothing (a decision; the RFC is silent).
      if (parent) erase_member(*parent, attribute.name);
      return;
    }
    check_writable(attribute, target.text);
    json* existing = parent ? find_member(*parent, attribute.name) : nullptr;
    if (!target.filter) {
      if (!existing) {
        check_writable(*target.sub, target.text);
        return;
      }
      if (!attribute.multi_valued) {
        remove_sub(*existing, *target.sub, target.text);
      } else if (existing->is_array()) {
        for (auto& element : *existing) remove_sub(element, *target.sub, target.text);
      }
      return;
    }
    std::vector<std::size_t> matched;
    if (existing && existing->is_array())
      for (std::size_t i = 0; i < existing->size(); ++i)
        if (element_matches(*target.filter, (*existing)[i], attribute)) matched.push_back(i);
    if (matched.empty()) {
      if (lenient()) return;
      // RFC 7644 §3.12 noTarget: "This occurs when the specified "path" value contains a filter
      // that yields no match."
      fail("noTarget", "the value filter of " + in_quotes(target.text) +
                           " matches no value (RFC 7644 §3.12 noTarget; IdP leniency treats it as already removed)");
    }
    if (target.filtered_sub) {
      for (std::size_t i : matched) remove_sub((*existing)[i], *target.filtered_sub, target.text);
      return;
    }
    // RFC 7644 §3.5.2.2: "the values matched by the filter are removed. If no other values remain
    // after removal of the selected values, the multi-valued attribute SHALL be considered
    // unassigned."
    for (auto it = matched.rbegin(); it != matched.rend(); ++it) existing->erase(*it);
  }

  // Entra ID's member removal (idp-quirks E3): only the listed values go.
  void remove_listed(json& list, const AttributeDef& attribute, const json& value, const std::string& shown) {
    json doomed = normalize(attribute, value, shown, false);
    if (!list.is_array()) return;
    for (const auto& item : doomed)
      list.erase(std::remove_if(list.begin(), list.end(),
                                [&](const json& existing) { return same_element(existing, item, attribute); }),
                 list.end());
  }

  void apply_pathless(const json& value, Op op) {
    // RFC 7644 §3.5.2.1: "If omitted, the target location is assumed to be the resource itself.
    // The "value" parameter contains a set of attributes to be added to the resource."
    // §3.5.2.3: "the "value" attribute SHALL contain a list of one or more attributes that are
    // to be replaced."
    if (!value.is_object())
      fail("invalidValue", "without a \"path\", \"value\" must be an object of attributes (RFC 7644 §3.5.2.1, §3.5.2.3)",
           {"invalidSyntax"});
    for (const auto& [key, item] : value.items()) {
      // The server derives "schemas" from the attributes present (RFC 7643 §3); a decision.
      if (scim::iequals(key, "schemas")) continue;
      if (const scim::Schema* extension = extension_named(key)) {
        Target target;
        target.extension = extension;
        target.extension_root = true;
        target.text = key;
        write_at(target, item, op);
        continue;
      }
      if (auto resolved = schemas_.resolve(type_, "", key, "")) {
        const AttributeDef& def = *resolved->attribute;
        if (def.mutability == Mutability::read_only && scim::iequals(def.name, "id")) {
          const json* own = find_member(before_, "id");
          const bool same = own && *own == item;
          if (lenient() && same) continue;  // Okta's group rename echoes the id (idp-quirks O14)
          fail("mutability", "\"id\" is readOnly (RFC 7643 §3.1); RFC 7644 §3.5.2: a client MUST NOT modify a readOnly "
                             "attribute" +
                                 std::string(same ? "; Okta echoes the unchanged id in a path-less replace, which only IdP "
                                                    "leniency ignores"
                                                  : ""));
        }
        Target target;
        target.attribute = &def;
        if (resolved->in_extension) target.extension = resolved->schema;
        target.text = def.name;
        write_at(target, item, op);
        continue;
      }
      if (key.find(':') != std::string::npos || key.find('.') != std::string::npos) {
        if (lenient()) {
          // Entra ID with aadOptscim062020 keys a path-less value by attribute paths (idp-quirks E13).
          Target target = resolve_path(key);
          if (target.filter) fail("invalidValue", "a value filter cannot be a key of a path-less value: " + in_quotes(key));
          write_at(target, item, op);
          continue;
        }
        fail("invalidValue", in_quotes(key) + " is not an attribute name; a path-less value nests attributes as the resource "
                             "does (RFC 7644 §3.5.2.1). Entra ID keys it by paths, which only IdP leniency accepts",
             {"invalidPath"});
      }
      fail("invalidValue", in_quotes(key) + " is not an attribute of resource type " + type_.name, {"invalidPath"});
    }
  }

  // ---- after each operation -----------------------------------------------------------------

  // Every top-level attribute definition of the type with the object that holds it.
  template <typename Visit>
  void for_each_attribute(const json& resource, Visit&& visit) const {
    if (const scim::Schema* core = schemas_.find_schema(type_.schema))
      for (const auto& def : core->attributes) visit(def, find_member(resource, def.name));
    for (const auto& extension : type_.extensions) {
      const scim::Schema* schema = schemas_.find_schema(extension.schema);
      if (!schema) continue;
      const json* object = find_member(resource, schema->id);
      for (const auto& def : schema->attributes) visit(def, object ? find_member(*object, def.name) : nullptr);
    }
  }

  const json* value_in(const json& resource, const AttributeDef& wanted) const {
    const json* found = nullptr;
    for_each_attribute(resource, [&](const AttributeDef& def, const json* value) {
      if (&def == &wanted) found = value;
    });
    return found;
  }

  // A replace or add that leaves a required attribute unassigned (value null or []).
  void check_required(const json& snapshot, Op op) const {
    for_each_attribute(work_, [&](const AttributeDef& def, const json* value) {
      if (!def.required || (value && !is_unassigned(*value))) return;
      const json* old_value = value_in(snapshot, def);
      if (!old_value || is_unassigned(*old_value)) return;
      if (op == Op::remove)
        fail("mutability", in_quotes(def.name) + " is required and would become unassigned (RFC 7644 §3.5.2.2)");
      fail("invalidValue", in_quotes(def.name) + " is required; the operation leaves it unassigned (RFC 7643 §2.2, "
                                              "RFC 7644 §3.12 \"A required value was missing\")");
    });
  }

  static int primary_count(const json* list) {
    int count = 0;
    if (list && list->is_array())
      for (const auto& element : *list)
        if (const json* primary = find_member(element, "primary"); primary && primary->is_boolean() && primary->get<bool>())
          ++count;
    return count;
  }

  // RFC 7643 §2.4: "The primary attribute value "true" MUST appear no more than once."
  void check_primary(const json& snapshot) const {
    for_each_attribute(work_, [&](const AttributeDef& def, const json* value) {
      if (!def.multi_valued || !def.find_sub("primary")) return;
      if (primary_count(value) > 1 && primary_count(value_in(snapshot, def)) <= 1)
        fail("invalidValue", "the operation leaves more than one value of " + in_quotes(def.name) +
                                 " with \"primary\": true, which RFC 7643 §2.4 forbids (\"MUST appear no more than "
                                 "once\")");
    });
  }

  // Drops what the server never returns and lists extensions now carrying values in "schemas".
  void finish() {
    for_each_attribute(work_, [&](const AttributeDef& def, const json*) {
      if (def.returned != scim::Returned::never) return;
      erase_member(work_, def.name);
      for (const auto& extension : type_.extensions)
        if (json* object = find_member(work_, extension.schema)) erase_member(*object, def.name);
    });
    json* listed = find_member(work_, "schemas");
    if (!listed || !listed->is_array()) return;
    for (const auto& extension : type_.extensions) {
      const json* object = find_member(work_, extension.schema);
      if (!object || is_unassigned(*object)) continue;
      bool present = false;
      for (const auto& urn : *listed)
        if (urn.is_string() && scim::iequals(urn.get<std::string>(), extension.schema)) present = true;
      if (!present) listed->push_back(extension.schema);
    }
  }

  const scim::SchemaRegistry& schemas_;
  const scim::ResourceTypeDef& type_;
  PatchLeniency leniency_;
  const json& before_;
  json work_;
};

// ---- resource_differences ---------------------------------------------------------------------

std::string shown(const json* value) { return value && !is_unassigned(*value) ? value->dump() : "(absent)"; }

// Sub-attributes the server computes, which a reviewer does not hold against it.
bool ignored_sub(const AttributeDef& parent, const AttributeDef& sub) {
  return sub.mutability == Mutability::read_only || sub.returned == scim::Returned::never || sub.name == "$ref" ||
         (scim::iequals(sub.name, "type") && parent.find_sub("$ref"));
}

class Differ {
 public:
  Differ(const scim::SchemaRegistry& schemas, const scim::ResourceTypeDef& type) : schemas_(schemas), type_(type) {}

  std::vector<std::string> run(const json& expected, const json& actual) {
    for (const std::string& key : union_keys(expected, actual)) {
      const json* e = find_member(expected, key);
      const json* a = find_member(actual, key);
      if (scim::iequals(key, "meta")) continue;
      if (scim::iequals(key, "schemas")) {
        compare_schemas(expected, actual);
        continue;
      }
      if (const scim::Schema* extension = extension_named(key)) {
        json empty = json::object();
        const json& eo = e && e->is_object() ? *e : empty;
        const json& ao = a && a->is_object() ? *a : empty;
        for (const std::string& inner : union_keys(eo, ao)) {
          const AttributeDef* def = extension->find(inner);
          const std::string path = extension->id + ":" + (def ? def->name : inner);
          if (def) {
            top_attribute(path, *def, find_member(eo, inner), find_member(ao, inner));
          } else {
            raw(path, find_member(eo, inner), find_member(ao, inner));
          }
        }
        continue;
      }
      if (auto resolved = schemas_.resolve(type_, "", key, "")) {
        top_attribute(resolved->attribute->name, *resolved->attribute, e, a);
        continue;
      }
      raw(key, e, a);
    }
    return std::move(lines_);
  }

 private:
  static std::vector<std::string> union_keys(const json& a, const json& b) {
    std::vector<std::string> keys;
    auto add = [&](const json& object) {
      if (!object.is_object()) return;
      for (const auto& [key, value] : object.items()) {
        bool seen = false;
        for (const auto& k : keys)
          if (scim::iequals(k, key)) seen = true;
        if (!seen) keys.push_back(key);
      }
    };
    add(a);
    add(b);
    return keys;
  }

  const scim::Schema* extension_named(std::string_view urn) const {
    for (const auto& extension : type_.extensions)
      if (scim::iequals(extension.schema, urn)) return schemas_.find_schema(extension.schema);
    return nullptr;
  }

  void line(const std::string& path, const json* expected, const json* actual) {
    lines_.push_back(path + ": expected " + shown(expected) + ", actual " + shown(actual));
  }

  void raw(const std::string& path, const json* e, const json* a) {
    const bool e_unassigned = !e || is_unassigned(*e), a_unassigned = !a || is_unassigned(*a);
    if (e_unassigned && a_unassigned) return;
    if (e_unassigned != a_unassigned || *e != *a) line(path, e, a);
  }

  // The value without what a reviewer ignores: computed sub-attributes, `primary: false`, nulls.
  static json prune(const AttributeDef& def, const json& value) {
    if (def.multi_valued && value.is_array()) {
      json out = json::array();
      AttributeDef element = def;
      element.multi_valued = false;
      for (const auto& item : value) {
        json pruned = prune(element, item);
        if (!is_unassigned(pruned)) out.push_back(std::move(pruned));
      }
      return out;
    }
    if (def.type != AttributeType::complex || !value.is_object()) return value;
    json out = json::object();
    for (const auto& [key, item] : value.items()) {
      const AttributeDef* sub = def.find_sub(key);
      if (is_unassigned(item)) continue;
      if (sub && ignored_sub(def, *sub)) continue;
      // RFC 7643 §2.4: only `true` means anything for "primary".
      if (sub && scim::iequals(sub->name, "primary") && item == json(false)) continue;
      out[sub ? sub->name : key] = item;
    }
    return out;
  }

  // Server-computed attributes (User.groups) and those never returned (password) are not compared;
  // `id` is readOnly but names the resource, so it is.
  void top_attribute(const std::string& path, const AttributeDef& def, const json* e, const json* a) {
    if (def.returned == scim::Returned::never) return;
    if (def.mutability == Mutability::read_only && !scim::iequals(def.name, "id")) return;
    attribute(path, def, e, a);
  }

  void attribute(const std::string& path, const AttributeDef& def, const json* e_in, const json* a_in) {
    const json e = e_in ? prune(def, def.multi_valued && !e_in->is_array() && !e_in->is_null() ? json::array({*e_in}) : *e_in) : json();
    const json a = a_in ? prune(def, def.multi_valued && !a_in->is_array() && !a_in->is_null() ? json::array({*a_in}) : *a_in) : json();
    const bool e_unassigned = is_unassigned(e), a_unassigned = is_unassigned(a);
    if (e_unassigned && a_unassigned) return;
    if (e_unassigned != a_unassigned) {
      line(path, &e, &a);
      return;
    }
    if (def.multi_valued) {
      multiset(path, def, e, a);
    } else if (def.type == AttributeType::complex && e.is_object() && a.is_object()) {
      complex(path, def, e, a);
    } else if (!values_equal(e, a, def)) {
      line(path, &e, &a);
    }
  }

  void complex(const std::string& path, const AttributeDef& def, const json& e, const json& a) {
    for (const std::string& key : union_keys(e, a)) {
      const AttributeDef* sub = def.find_sub(key);
      const json* ev = find_member(e, key);
      const json* av = find_member(a, key);
      if (!sub) {
        raw(path + "." + key, ev, av);
        continue;
      }
      const bool ev_unassigned = !ev || is_unassigned(*ev), av_unassigned = !av || is_unassigned(*av);
      if (ev_unassigned && av_unassigned) continue;
      if (ev_unassigned != av_unassigned || !values_equal(*ev, *av, *sub)) line(path + "." + sub->name, ev, av);
    }
  }

  // Multi-valued attributes are unordered (RFC 7643 §2.4): values are matched one to one.
  void multiset(const std::string& path, const AttributeDef& def, const json& e, const json& a) {
    AttributeDef element = def;
    element.multi_valued = false;
    std::vector<const json*> missing, extra;
    std::vector<bool> used(a.size(), false);
    for (const auto& x : e) {
      bool found = false;
      for (std::size_t i = 0; i < a.size() && !found; ++i)
        if (!used[i] && values_equal(x, a[i], element)) used[i] = found = true;
      if (!found) missing.push_back(&x);
    }
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!used[i]) extra.push_back(&a[i]);
    // Values with the same "value" are shown sub-attribute by sub-attribute.
    const AttributeDef* value_def = def.type == AttributeType::complex ? def.find_sub("value") : nullptr;
    for (auto m = missing.begin(); m != missing.end();) {
      const json* key = value_def ? find_member(**m, "value") : nullptr;
      auto partner = extra.end();
      if (key)
        partner = std::find_if(extra.begin(), extra.end(), [&](const json* x) {
          const json* other = find_member(*x, "value");
          return other && values_equal(*key, *other, *value_def);
        });
      if (partner == extra.end()) {
        ++m;
        continue;
      }
      complex(path + "[value eq " + key->dump() + "]", element, **m, **partner);
      extra.erase(partner);
      m = missing.erase(m);
    }
    for (const json* x : missing) lines_.push_back(path + ": expected value " + x->dump() + " is missing");
    for (const json* x : extra) lines_.push_back(path + ": unexpected value " + x->dump());
  }

  // "schemas" as a case-insensitive set; an extension URN counts only while that extension
  // holds a value, since servers differ on dropping it when the extension empties.
  void compare_schemas(const json& expected, const json& actual) {
    auto listed = [&](const json& resource) {
      std::vector<std::string> out;
      const json* list = find_member(resource, "schemas");
      if (!list || !list->is_array()) return out;
      for (const auto& urn : *list) {
        if (!urn.is_string()) continue;
        const std::string text = urn.get<std::string>();
        if (extension_named(text)) {
          const json* object = find_member(resource, text);
          if (!object || is_unassigned(*object)) continue;
        }
        out.push_back(scim::to_lower(text));
      }
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
      return out;
    };
    const auto e = listed(expected), a = listed(actual);
    for (const auto& urn : e)
      if (!std::binary_search(a.begin(), a.end(), urn)) lines_.push_back("schemas: expected " + in_quotes(urn) + " is missing");
    for (const auto& urn : a)
      if (!std::binary_search(e.begin(), e.end(), urn)) lines_.push_back("schemas: unexpected " + in_quotes(urn));
  }

  const scim::SchemaRegistry& schemas_;
  const scim::ResourceTypeDef& type_;
  std::vector<std::string> lines_;
};

}  // namespace

PatchExpectation expect_patch(const json& before, const json& patch_request, const scim::SchemaRegistry& schemas,
                              const scim::ResourceTypeDef& type, PatchLeniency leniency) {
  if (!before.is_object()) throw std::invalid_argument("expect_patch: the resource before the PATCH must be a JSON object");
  PatchExpectation expectation;
  try {
    PatchRun run(before, schemas, type, leniency);
    expectation.resource = run.run(patch_request);
  } catch (const Failure& failure) {
    // RFC 7644 §3.5.2: "A patch request, regardless of the number of operations, SHALL be
    // treated as atomic. If a single operation encounters an error condition, the original SCIM
    // resource MUST be restored, and a failure status SHALL be returned."
    expectation.ok = false;
    expectation.resource = before;
    expectation.status = failure.status;
    expectation.scim_type = failure.scim_type;
    expectation.why = failure.why;
    expectation.also_acceptable_scim_types = failure.also;
  }
  return expectation;
}

std::vector<std::string> resource_differences(const json& expected, const json& actual,
                                              const scim::SchemaRegistry& schemas, const scim::ResourceTypeDef& type) {
  return Differ(schemas, type).run(expected, actual);
}

}  // namespace suites
