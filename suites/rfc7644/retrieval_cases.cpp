// RFC 7644 §3.4 retrieval cases a data step cannot state: they depend on what the target's
// /Schemas declares, so the attribute under test is chosen at run time.
#include "scim/schema.hpp"
#include "simulator/client/url.hpp"
#include "suites/runner/json_match.hpp"
#include "suites/runner/case.hpp"
#include "suites/runner/case_context.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace suites {

namespace {

// An attribute the harness can give a value to without knowing its meaning.
struct RequestAttribute {
  const scim::ResourceTypeDef* type = nullptr;
  const scim::AttributeDef* attribute = nullptr;
  std::string extension;  // the extension URN holding it, or "" for the core schema
};

bool writable(const scim::AttributeDef& def) {
  return def.mutability == scim::Mutability::read_write || def.mutability == scim::Mutability::immutable;
}

// A value of the attribute's type; nullopt for types the harness cannot invent (complex).
std::optional<nlohmann::json> sample_value(const scim::AttributeDef& def, const std::string& suffix) {
  nlohmann::json one;
  switch (def.type) {
    case scim::AttributeType::string: one = "request-" + suffix; break;
    case scim::AttributeType::reference: one = "https://example.com/request-" + suffix; break;
    case scim::AttributeType::boolean: one = true; break;
    case scim::AttributeType::integer: one = 7; break;
    case scim::AttributeType::decimal: one = 1.5; break;
    case scim::AttributeType::date_time: one = "2020-01-01T00:00:00Z"; break;
    case scim::AttributeType::binary: one = "cmVxdWVzdA=="; break;
    case scim::AttributeType::complex: return std::nullopt;
  }
  // A canonical list restricts the value; take its first entry.
  if (!def.canonical_values.empty() && one.is_string()) one = def.canonical_values.front();
  if (def.multi_valued) return nlohmann::json::array({one});
  return one;
}

// The first writable, non-required, simple attribute with returned "request" on /Users or
// /Groups (the endpoints a case can create resources on without further knowledge).
std::optional<RequestAttribute> find_request_attribute(const scim::SchemaRegistry& registry) {
  for (const auto& type : registry.resource_types()) {
    if (!scim::iequals(type.endpoint, "/Users") && !scim::iequals(type.endpoint, "/Groups")) continue;
    auto scan = [&](const scim::Schema* schema, const std::string& extension) -> std::optional<RequestAttribute> {
      if (!schema) return std::nullopt;
      for (const auto& def : schema->attributes)
        if (def.returned == scim::Returned::request && writable(def) && def.type != scim::AttributeType::complex)
          return RequestAttribute{&type, &def, extension};
      return std::nullopt;
    };
    if (auto found = scan(registry.find_schema(type.schema), "")) return found;
    for (const auto& extension : type.extensions)
      if (auto found = scan(registry.find_schema(extension.schema), extension.schema)) return found;
  }
  return std::nullopt;
}

// Where the attribute sits in a resource: "/title" or "/<urn>/attr" (a JSON pointer; URNs
// hold no '/' or '~').
std::string pointer_of(const RequestAttribute& found) {
  return found.extension.empty() ? "/" + found.attribute->name : "/" + found.extension + "/" + found.attribute->name;
}

std::string path_of(const RequestAttribute& found) {
  return found.extension.empty() ? found.attribute->name : found.extension + ":" + found.attribute->name;
}

void returned_request_only_when_asked(CaseContext& context) {
  auto found = find_request_attribute(context.schemas());
  if (!found)
    context.unsupported("the target's /Schemas declare no writable simple attribute with returned \"request\" on "
                        "/Users or /Groups (RFC 7643's User, Group and enterprise schemas have none)");
  const auto& def = *found->attribute;
  auto value = sample_value(def, context.suffix());
  if (!value) context.unsupported("no value can be made for " + path_of(*found));

  const bool users = scim::iequals(found->type->endpoint, "/Users");
  nlohmann::json body = {{"schemas", nlohmann::json::array({found->type->schema})}};
  if (users) body["userName"] = context.unique("request-attr");
  else body["displayName"] = context.unique("Request Attr");
  if (found->extension.empty()) {
    body[def.name] = *value;
  } else {
    body["schemas"].push_back(found->extension);
    body[found->extension] = {{def.name, *value}};
  }
  nlohmann::json created = context.create(found->type->endpoint, body);
  const std::string id = created["id"].get<std::string>();
  const std::string pointer = pointer_of(*found);
  const std::string resource = found->type->endpoint + "/" + id;

  // RFC 7644 §3.4: "By default, resource attributes returned in a response are those attributes
  // whose characteristic "returned" setting is "always" or "default"".
  const auto& plain = context.get(resource);
  if (context.expect_status(plain, 200)) {
    auto json = plain.json();
    const nlohmann::json* shown = json ? find_pointer(*json, pointer) : nullptr;
    context.expect(shown == nullptr, path_of(*found) + " (returned \"request\") is absent from GET " +
                                         found->type->endpoint + "/{id} without attributes",
                   "absent", shown ? shown->dump() : "absent");
  }
  // RFC 7643 §2.2 "request": "The attribute is returned in a SCIM query operation only if
  // specified in the "attributes" parameter."
  const auto& asked = context.get(scimclient::with_query(resource, {{"attributes", path_of(*found)}}));
  if (context.expect_status(asked, 200)) {
    auto json = asked.json();
    const nlohmann::json* shown = json ? find_pointer(*json, pointer) : nullptr;
    context.expect(shown != nullptr && !shown->is_null(),
                   path_of(*found) + " is returned when the attributes parameter names it", value->dump(),
                   shown ? shown->dump() : "absent");
  }
}

}  // namespace

CaseList rfc7644_retrieval_cases() {
  CaseList cases;
  Case request_case;
  CaseInfo& info = request_case.info;
  info.id = "rfc7644/3.4.2.5/returned-request-only-when-asked";
  info.profile = "rfc";
  info.title = "An attribute with returned \"request\" appears only when the attributes parameter names it";
  info.spec = {"RFC 7643", "2.2", Level::must,
               "request The attribute is returned in response to any PUT, POST, or PATCH operations if the attribute "
               "was specified by the client (for example, the attribute was modified). The attribute is returned in a "
               "SCIM query operation only if specified in the \"attributes\" parameter."};
  info.keywords = {"attributes", "projection", "returned", "reads"};
  info.requires_capabilities = {"users"};
  info.depends_on = {"rfc7644/3.3/create-user-201"};
  info.hint = "Leave attributes whose schema says returned \"request\" out of every representation unless the "
              "request's attributes parameter names them. The case picks the attribute from the target's /Schemas "
              "and is unsupported when there is none.";
  info.source = "suites/rfc7644/retrieval_cases.cpp";
  request_case.body = returned_request_only_when_asked;
  cases.push_back(std::move(request_case));
  return cases;
}

}  // namespace suites
