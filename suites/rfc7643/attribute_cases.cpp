// RFC 7643 §2 cases where a correct server may either refuse the request or accept and normalize
// it: the verdict depends on which it chose, which a data-declared step cannot branch on.
#include "suites/runner/case.hpp"
#include "suites/runner/case_context.hpp"
#include "suites/runner/json_match.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace suites {

CaseList rfc7643_attribute_cases();

namespace {

constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";

CaseInfo make_info(std::string id, std::string title, std::string section, Level level, std::string quote,
                   std::vector<std::string> keywords, std::string hint) {
  CaseInfo info;
  info.id = std::move(id);
  info.profile = "rfc";
  info.title = std::move(title);
  info.spec = SpecRef{"RFC 7643", std::move(section), level, std::move(quote)};
  info.keywords = std::move(keywords);
  info.requires_capabilities = {"users"};
  info.depends_on = {"rfc7644/3.3/create-user-201"};
  info.hint = std::move(hint);
  info.source = "suites/rfc7643/attribute_cases.cpp";
  return info;
}

// How many values of a multi-valued attribute carry "primary": true.
int count_primaries(const nlohmann::json& resource, std::string_view attribute) {
  const nlohmann::json* values = find_member(resource, attribute);
  if (values == nullptr || !values->is_array()) return 0;
  int count = 0;
  for (const auto& value : *values) {
    const nlohmann::json* primary = find_member(value, "primary");
    if (primary != nullptr && primary->is_boolean() && primary->get<bool>()) ++count;
  }
  return count;
}

std::string created_id(CaseContext& context, const scimclient::Exchange& exchange) {
  auto body = exchange.json();
  const nlohmann::json* id = body ? find_member(*body, "id") : nullptr;
  if (id == nullptr || !id->is_string()) context.blocked("the 201 answer has no \"id\", so the user cannot be read back");
  context.track("/Users", id->get<std::string>());
  return id->get<std::string>();
}

// RFC 7643 §2.4: "The primary attribute value "true" MUST appear no more than once." A request
// marking two emails primary may be refused (400 invalidValue) or accepted with one primary
// kept; what may never happen is a stored user with two primary emails.
void two_primary_emails(CaseContext& context) {
  nlohmann::json body = {
      {"schemas", {kUserSchema}},
      {"userName", context.unique("twoprimaries")},
      {"emails",
       {{{"value", context.unique("work") + "@example.com"}, {"type", "work"}, {"primary", true}},
        {{"value", context.unique("home") + "@example.org"}, {"type", "home"}, {"primary", true}}}}};
  const auto& answer = context.post("/Users", body);
  if (!context.expect_status_in(answer, {201, 400})) return;
  if (answer.status == 400) {
    context.note("the server refused two primary values");
    CheckOptions should;
    should.level = Level::should;
    should.citation = "RFC 7644 §3.12";
    context.expect_error(answer, 400, "invalidValue", should);
    return;
  }
  context.note("the server accepted the request; at most one email may be primary in what it stored");
  std::string id = created_id(context, answer);
  if (auto echoed = answer.json())
    context.expect(count_primaries(*echoed, "emails") <= 1, "the 201 answer has at most one primary email",
                   "≤ 1 primary", std::to_string(count_primaries(*echoed, "emails")) + " primary");
  nlohmann::json stored = context.read("/Users", id);
  context.expect(count_primaries(stored, "emails") <= 1, "the stored user has at most one primary email", "≤ 1 primary",
                 std::to_string(count_primaries(stored, "emails")) + " primary");
}

// RFC 7643 §2.3.2: a boolean is the literal true or false. Entra ID sends "active": "True"
// (idp-quirks E2), so a server may accept the string; if it does, it must store and answer a
// JSON boolean, never the string.
void string_true_for_boolean(CaseContext& context) {
  nlohmann::json body = {{"schemas", {kUserSchema}}, {"userName", context.unique("stringbool")}, {"active", "True"}};
  const auto& answer = context.post("/Users", body);
  if (!context.expect_status_in(answer, {201, 400})) return;
  if (answer.status == 400) {
    context.note("the server follows RFC 7643 §2.3.2 and refuses the string; Entra ID's \"True\" would be refused too "
                 "(idp-quirks E2)");
    CheckOptions should;
    should.level = Level::should;
    should.citation = "RFC 7644 §3.12";
    context.expect_error(answer, 400, "invalidValue", should);
    return;
  }
  context.note("the server accepted \"True\" (Entra ID tolerance); it must answer the JSON boolean true");
  std::string id = created_id(context, answer);
  auto shown = [](const nlohmann::json* value) { return value ? value->dump() : std::string("absent"); };
  if (auto echoed = answer.json()) {
    const nlohmann::json* active = find_member(*echoed, "active");
    context.expect(active != nullptr && *active == true, "the 201 answer has \"active\": true (a JSON boolean)", "true",
                   shown(active));
  }
  nlohmann::json stored = context.read("/Users", id);
  const nlohmann::json* active = find_member(stored, "active");
  context.expect(active != nullptr && *active == true, "the stored user has \"active\": true (a JSON boolean)", "true",
                 shown(active));
}

}  // namespace

CaseList rfc7643_attribute_cases() {
  CaseList cases;
  cases.push_back(
      {make_info("rfc7643/2.4/at-most-one-primary",
                 "Two emails marked primary are refused, or stored with at most one primary", "2.4", Level::must,
                 "The primary attribute value \"true\" MUST appear no more than once.",
                 {"Users", "attributes", "multi-valued", "primary", "writes", "POST"},
                 "Refuse a request with two primary values (400 invalidValue), or keep one primary (e.g. the first) "
                 "and clear the flag on the others before storing."),
       two_primary_emails});
  cases.push_back(
      {make_info("rfc7643/2.3/boolean-given-string-true",
                 "\"active\": \"True\" (a string) is refused, or accepted and answered as the JSON boolean true",
                 "2.3.2", Level::must, "Boolean  The literal \"true\" or \"false\".",
                 {"Users", "attributes", "boolean", "writes", "POST", "entra"},
                 "RFC 7643 allows only JSON true/false, while Entra ID sends \"True\"/\"False\" (idp-quirks E2): "
                 "either refuse the string with 400 invalidValue or coerce it, but never store or echo the string."),
       string_true_for_boolean});
  return cases;
}

}  // namespace suites
