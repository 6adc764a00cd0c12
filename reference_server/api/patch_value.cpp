// Coercing PATCH values to the shapes of RFC 7643 §2.3, with the tolerances listed in
// patch_detail.hpp. The lead validator re-checks the whole patched resource, so this only needs
// to reject shapes the engine itself cannot work with (an object where a string belongs).
#include "reference_server/api/patch_detail.hpp"

#include "scim/error.hpp"

namespace refserver::patch_detail {

using nlohmann::json;
using scim::AttributeDef;
using scim::AttributeType;
using scim::Error;
using scim::ScimType;

namespace {

std::string type_name(const json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number()) return "a number";
  return "null";
}

[[noreturn]] void wrong_shape(const AttributeDef& def, const json& value, const std::string& where) {
  throw Error::bad_request(ScimType::invalid_value,
                           "\"" + where + "\" is of type " + std::string(scim::to_string(def.type)) +
                               (def.multi_valued ? " (multi-valued)" : "") + " but the value is " + type_name(value) +
                               "; send a value of that type (RFC 7643 §2.3)");
}

}  // namespace

bool values_equal(const AttributeDef& def, const json& a, const json& b) {
  if (a.is_string() && b.is_string() && !def.case_exact)
    return scim::iequals(a.get_ref<const std::string&>(), b.get_ref<const std::string&>());
  return a == b;
}

json normalize_single(const AttributeDef& def, const json& value, const std::string& where) {
  switch (def.type) {
    case AttributeType::complex: {
      // Entra sends manager as a bare id string and as a one-element array (idp-quirks E15):
      // both mean {"value": id} for a complex attribute that has a "value" sub-attribute.
      if (value.is_string() && def.find_sub("value")) return normalize_single(def, json{{"value", value}}, where);
      if (value.is_array() && value.size() == 1 && !def.multi_valued) return normalize_single(def, value[0], where);
      if (!value.is_object()) wrong_shape(def, value, where);
      // Entra removes a manager by replacing it with {"value": ""} (vendor-suites, "Remove
      // Manager"): a reference to nothing unassigns the attribute (null, RFC 7643 §2.5).
      if (!def.multi_valued && def.find_sub("value") && value.size() == 1) {
        auto only = value.begin();
        if (scim::iequals(only.key(), "value") && only->is_string() && only->get<std::string>().empty()) return nullptr;
      }
      json out = json::object();
      for (const auto& [key, sub_value] : value.items()) {
        const AttributeDef* sub = def.find_sub(key);
        if (!sub)
          throw Error::bad_request(ScimType::invalid_value, "\"" + where + "\" has no sub-attribute \"" + key +
                                                                "\"; use only sub-attributes its schema defines");
        // Entra sends "$ref": null (idp-quirks E4); RFC 7643 §2.5 makes null "unassigned".
        if (sub_value.is_null()) continue;
        // RFC 7644 §3.5.1: readOnly values a client sends "SHALL be ignored". Okta sends the
        // readOnly members[].display on every membership add (idp-quirks O15).
        if (sub->mutability == scim::Mutability::read_only) continue;
        json normalized = sub->multi_valued ? normalize_value(*sub, sub_value, where + "." + sub->name)
                                            : normalize_single(*sub, sub_value, where + "." + sub->name);
        set_key(out, sub->name, std::move(normalized));
      }
      return out;
    }
    case AttributeType::boolean:
      if (value.is_boolean()) return value;
      // Entra sends "True"/"False" (and "false") for active (idp-quirks E2).
      if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        if (scim::iequals(text, "true")) return true;
        if (scim::iequals(text, "false")) return false;
      }
      wrong_shape(def, value, where);
    case AttributeType::integer:
      if (value.is_number_integer()) return value;
      wrong_shape(def, value, where);
    case AttributeType::decimal:
      if (value.is_number()) return value;
      wrong_shape(def, value, where);
    case AttributeType::string:
    case AttributeType::reference:
    case AttributeType::binary:
    case AttributeType::date_time:
      if (value.is_string()) return value;
      wrong_shape(def, value, where);
  }
  wrong_shape(def, value, where);
}

json normalize_value(const AttributeDef& def, const json& value, const std::string& where) {
  if (!def.multi_valued) return normalize_single(def, value, where);
  json out = json::array();
  if (value.is_array()) {
    for (const auto& element : value)
      if (!element.is_null()) out.push_back(normalize_single(def, element, where));
  } else if (!value.is_null()) {
    out.push_back(normalize_single(def, value, where));
  }
  return out;
}

}  // namespace refserver::patch_detail
