// RFC 7644 §3.7.4 cases: a BulkRequest just over the limits the target itself declares in
// /ServiceProviderConfig. The request is built from the declared number, which a data step
// cannot do (it cannot repeat an operation N+1 times).
#include "scim/schema.hpp"
#include "suites/runner/case.hpp"
#include "suites/runner/case_context.hpp"
#include "suites/runner/json_match.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace suites {

CaseList rfc7644_bulk_cases();

namespace {

constexpr const char* kBulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
constexpr const char* kLimitsQuote =
    "The service provider MUST define the maximum number of operations and maximum payload size a client may send "
    "in a single request. … the service provider MUST return HTTP response code 413 … The returned response MUST "
    "specify the limit exceeded in the body of the error response.";
// Larger requests are not sent: the case would measure the network, not the server.
constexpr long long kLargestProbe = 32LL * 1024 * 1024;
constexpr int kMostOperations = 20000;

CaseInfo make_info(std::string id, std::string title, std::string hint) {
  CaseInfo info;
  info.id = std::move(id);
  info.profile = "rfc";
  info.title = std::move(title);
  info.spec = SpecRef{"RFC 7644", "3.7.4", Level::must, kLimitsQuote};
  info.keywords = {"Bulk", "limits", "413", "writes"};
  info.requires_capabilities = {"bulk"};
  info.hint = std::move(hint);
  info.source = "suites/rfc7644/bulk_cases.cpp";
  return info;
}

// An operation with no lasting effect even on a server that wrongly runs it: the id names no
// resource, so the worst outcome is a 404 inside the BulkResponse.
nlohmann::json harmless_operation(const CaseContext& context, int index) {
  return {{"method", "DELETE"}, {"path", "/Users/" + context.unique("bulk-limit") + "-" + std::to_string(index)}};
}

// RFC 7644 §3.7.4: "The returned response MUST specify the limit exceeded in the body of the
// error response." How it is worded is the server's choice; a detail naming the number or the
// kind of limit is what lets a client split its request correctly.
void expect_limit_named(CaseContext& context, const scimclient::Exchange& answer, long long limit,
                        std::string_view kind) {
  auto body = answer.json();
  const nlohmann::json* detail = body ? find_member(*body, "detail") : nullptr;
  std::string text = detail && detail->is_string() ? detail->get<std::string>() : "";
  context.expect(!text.empty(), "the 413 answer has an error body with a \"detail\" (RFC 7644 §3.12)",
                 "a SCIM error with detail", body ? brief(*body, 200) : "no JSON body");
  CheckOptions should;
  should.level = Level::should;
  bool named = text.find(std::to_string(limit)) != std::string::npos ||
               scim::to_lower(text).find(std::string(kind)) != std::string::npos;
  context.expect(named, "the detail names the limit exceeded (" + std::to_string(limit) + " or \"" + std::string(kind) + "\")",
                 "detail mentioning the limit", text.empty() ? "(no detail)" : text, should);
}

// One operation more than bulk.maxOperations.
void max_operations_exceeded(CaseContext& context) {
  int limit = context.discovery().bulk_max_operations;
  if (limit <= 0)
    context.unsupported("the target declares bulk supported but no positive bulk.maxOperations in /ServiceProviderConfig");
  if (limit >= kMostOperations)
    context.unsupported("bulk.maxOperations is " + std::to_string(limit) + "; more than " +
                        std::to_string(kMostOperations) + " operations are not sent");
  nlohmann::json operations = nlohmann::json::array();
  for (int i = 0; i <= limit; ++i) operations.push_back(harmless_operation(context, i));
  nlohmann::json request = {{"schemas", {kBulkRequest}}, {"Operations", operations}};
  std::string text = request.dump();
  long long payload_limit = context.discovery().bulk_max_payload;
  if (payload_limit > 0 && static_cast<long long>(text.size()) > payload_limit)
    context.note("the " + std::to_string(limit + 1) + " operations take " + std::to_string(text.size()) +
                 " bytes, over bulk.maxPayloadSize (" + std::to_string(payload_limit) +
                 "): either limit explains a 413");
  context.note("bulk.maxOperations is " + std::to_string(limit) + "; sending " + std::to_string(limit + 1) + " operations");
  const auto& answer = context.send_raw("POST", "/Bulk", text, "application/scim+json");
  if (!context.expect_status(answer, 413)) return;
  expect_limit_named(context, answer, limit, "operations");
}

// One byte more than bulk.maxPayloadSize, as a well-formed BulkRequest padded with JSON
// whitespace so that only its size is wrong.
void max_payload_exceeded(CaseContext& context) {
  long long limit = context.discovery().bulk_max_payload;
  if (limit <= 0)
    context.unsupported("the target declares bulk supported but no positive bulk.maxPayloadSize in /ServiceProviderConfig");
  if (limit >= kLargestProbe)
    context.unsupported("bulk.maxPayloadSize is " + std::to_string(limit) + " bytes; bodies over " +
                        std::to_string(kLargestProbe) + " bytes are not sent");
  nlohmann::json request = {{"schemas", {kBulkRequest}}, {"Operations", {harmless_operation(context, 0)}}};
  std::string text = request.dump();
  std::string padded = text.substr(0, text.size() - 1);
  padded.append(static_cast<std::size_t>(limit + 1) - text.size(), ' ');
  padded.push_back('}');
  context.note("bulk.maxPayloadSize is " + std::to_string(limit) + " bytes; sending " + std::to_string(padded.size()));
  const auto& answer = context.send_raw("POST", "/Bulk", padded, "application/scim+json");
  if (!context.expect(answer.ok(), "the server answers the oversized request (it may close the connection after)",
                      "an HTTP response", answer.transport_error))
    return;
  if (!context.expect_status(answer, 413)) return;
  expect_limit_named(context, answer, limit, "payload");
}

}  // namespace

CaseList rfc7644_bulk_cases() {
  CaseList cases;
  cases.push_back({make_info("rfc7644/3.7/max-operations-413",
                             "A BulkRequest with one operation more than bulk.maxOperations is refused with 413",
                             "Count the Operations before running any and answer 413 with a SCIM error whose detail "
                             "names maxOperations; the limit must be the one /ServiceProviderConfig advertises."),
                   max_operations_exceeded});
  cases.push_back({make_info("rfc7644/3.7/max-payload-413",
                             "A BulkRequest one byte larger than bulk.maxPayloadSize is refused with 413",
                             "Check the body size before parsing and answer 413 with a SCIM error whose detail names "
                             "maxPayloadSize; the HTTP layer's own body limit must not be lower than the advertised one."),
                   max_payload_exceeded});
  return cases;
}

}  // namespace suites
