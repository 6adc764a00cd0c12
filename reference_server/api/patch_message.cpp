// Reading the PatchOp message of RFC 7644 §3.5.2 and the case-insensitive JSON key helpers.
#include "reference_server/api/patch_detail.hpp"

#include "scim/error.hpp"
#include "scim/urns.hpp"

#include <string>

namespace refserver::patch_detail {

using nlohmann::json;
using scim::Error;
using scim::ScimType;

std::string_view to_string(OpKind kind) {
  switch (kind) {
    case OpKind::add: return "add";
    case OpKind::remove: return "remove";
    case OpKind::replace: return "replace";
  }
  return "add";
}

json::iterator find_key(json& object, std::string_view name) {
  if (!object.is_object()) return object.end();
  auto exact = object.find(name);  // the object's comparator is transparent: no string is built
  if (exact != object.end()) return exact;
  for (auto it = object.begin(); it != object.end(); ++it)
    if (scim::iequals(it.key(), name)) return it;
  return object.end();
}

json::const_iterator find_key(const json& object, std::string_view name) {
  if (!object.is_object()) return object.end();
  auto exact = object.find(name);  // the object's comparator is transparent: no string is built
  if (exact != object.end()) return exact;
  for (auto it = object.begin(); it != object.end(); ++it)
    if (scim::iequals(it.key(), name)) return it;
  return object.end();
}

bool erase_key(json& object, std::string_view name) {
  if (!object.is_object()) return false;
  bool erased = false;
  for (auto it = object.begin(); it != object.end();) {
    if (scim::iequals(it.key(), name)) {
      it = object.erase(it);
      erased = true;
    } else {
      ++it;
    }
  }
  return erased;
}

json& set_key(json& object, std::string_view name, json value) {
  if (!object.is_object()) object = json::object();
  for (auto it = object.begin(); it != object.end();) {
    if (it.key() != name && scim::iequals(it.key(), name))
      it = object.erase(it);
    else
      ++it;
  }
  json& slot = object[std::string(name)];
  slot = std::move(value);
  return slot;
}

namespace {

std::string op_where(std::size_t index) { return "Operations[" + std::to_string(index) + "]"; }

OpKind parse_op_name(const json& op, std::size_t index, Faults faults) {
  auto it = find_key(op, "op");
  if (it == op.end())
    throw Error::bad_request(ScimType::invalid_syntax,
                             op_where(index) + " has no \"op\"; RFC 7644 §3.5.2 requires exactly one \"op\" "
                                               "member: \"add\", \"remove\" or \"replace\"");
  if (!it->is_string())
    throw Error::bad_request(ScimType::invalid_syntax,
                             op_where(index) + ".op must be a string: \"add\", \"remove\" or \"replace\"");
  const std::string& name = it->get_ref<const std::string&>();
  // Fault patch-op-case-sensitive: a server that matches the RFC's lower-case spelling exactly
  // and so refuses Entra's "Replace" (the tolerance below is what real IdPs need).
  if (faults.has(Fault::patch_op_case_sensitive) && name != "add" && name != "remove" && name != "replace")
    throw Error::bad_request(ScimType::invalid_syntax,
                             op_where(index) + ".op \"" + name + "\" is not \"add\", \"remove\" or \"replace\"");
  // RFC 7644 §3.5.2 spells the ops in lower case; Entra sends "Add"/"Replace"/"Remove"
  // (idp-quirks E1) and Microsoft asks servers not to match structural elements case-sensitively.
  if (scim::iequals(name, "add")) return OpKind::add;
  if (scim::iequals(name, "remove")) return OpKind::remove;
  if (scim::iequals(name, "replace")) return OpKind::replace;
  throw Error::bad_request(ScimType::invalid_syntax, op_where(index) + ".op \"" + name +
                                                         "\" is not a SCIM PATCH operation; use \"add\", "
                                                         "\"remove\" or \"replace\" (RFC 7644 §3.5.2)");
}

}  // namespace

std::vector<Operation> parse_patch_message(const json& body, Faults faults) {
  if (!body.is_object())
    throw Error::bad_request(ScimType::invalid_syntax,
                             "a PATCH body must be a JSON object with \"schemas\" and \"Operations\" (RFC 7644 §3.5.2)");

  // RFC 7644 §3.5.2: the body "MUST contain the attribute "Operations"" and is identified by the
  // PatchOp message schema.
  auto schemas = find_key(body, "schemas");
  bool has_urn = false;
  if (schemas != body.end() && schemas->is_array())
    for (const auto& urn : *schemas)
      if (urn.is_string() && scim::iequals(urn.get_ref<const std::string&>(), scim::urn::patch_op)) has_urn = true;
  if (!has_urn)
    throw Error::bad_request(ScimType::invalid_syntax,
                             std::string("\"schemas\" must be an array containing \"") + std::string(scim::urn::patch_op) +
                                 "\" (RFC 7644 §3.5.2)");

  auto ops = find_key(body, "Operations");
  if (ops == body.end())
    throw Error::bad_request(ScimType::invalid_syntax,
                             "the PATCH body has no \"Operations\" array; RFC 7644 §3.5.2 requires one");
  if (!ops->is_array())
    throw Error::bad_request(ScimType::invalid_syntax, "\"Operations\" must be an array of operation objects");
  if (ops->empty())
    throw Error::bad_request(ScimType::invalid_syntax,
                             "\"Operations\" is empty; RFC 7644 §3.5.2 requires \"an array of one or more PATCH "
                             "operations\"");

  std::vector<Operation> out;
  out.reserve(ops->size());
  std::size_t index = 0;
  for (const auto& node : *ops) {
    if (!node.is_object())
      throw Error::bad_request(ScimType::invalid_syntax,
                               op_where(index) + " must be an object with \"op\", \"path\" and \"value\"");
    Operation op;
    op.index = index;
    op.kind = parse_op_name(node, index, faults);
    if (auto path = find_key(node, "path"); path != node.end() && !path->is_null()) {
      if (!path->is_string())
        throw Error::bad_request(ScimType::invalid_syntax, op_where(index) + ".path must be a string");
      const std::string& text = path->get_ref<const std::string&>();
      if (text.find_first_not_of(" \t") != std::string::npos) op.path = text;
    }
    if (auto value = find_key(node, "value"); value != node.end()) op.value = *value;
    // RFC 7644 §3.5.2.1 and §3.5.2.3: add and replace "MUST contain a "value" member".
    if (op.kind != OpKind::remove && !op.value)
      throw Error::bad_request(ScimType::invalid_syntax,
                               op_where(index) + " (" + std::string(to_string(op.kind)) +
                                   ") has no \"value\"; RFC 7644 §3.5.2 requires one for add and replace");
    out.push_back(std::move(op));
    ++index;
  }
  return out;
}

}  // namespace refserver::patch_detail
