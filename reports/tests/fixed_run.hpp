#pragma once
// A fixed run for the report tests: one case of every outcome and every gate mark (known,
// stale, flaky, a vendor rejection), wire logs holding the --auth token, the admin token and a
// password, and fixed times, so every writer's output can be compared byte for byte with its
// golden file in fixtures/golden/reports/.
#include "reports/report_set.hpp"
#include "suites/runner/results_json.hpp"
#include "suites/runner/runner.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace fixedrun {

inline const std::string kToken = "s3cr3t-bearer-token-5e1f";
inline const std::string kAdminToken = "adm1n-token-9c2b77";
inline const std::string kPassword = "t1meMa$heen";
inline const std::string kTarget = "http://127.0.0.1:8080/scim/v2";

inline suites::CaseInfo info(std::string id, std::string profile, std::string document, std::string section,
                             suites::Level level, std::string title, std::string quote = "") {
  suites::CaseInfo info;
  info.id = std::move(id);
  info.profile = std::move(profile);
  info.title = std::move(title);
  info.spec = suites::SpecRef{std::move(document), std::move(section), level, std::move(quote)};
  info.source = "fixtures/cases/rfc7644/3.3-creating-resources.json";
  return info;
}

inline scimclient::Exchange exchange(std::string method, std::string path, std::string body, int status,
                                     std::string response_body, scimclient::Headers response_headers = {}) {
  scimclient::Exchange e;
  e.request.method = std::move(method);
  e.request.url = kTarget + path;
  e.request.headers = {{"Authorization", "Bearer " + kToken}, {"Accept", "application/scim+json"}};
  if (!body.empty()) e.request.headers.emplace_back("Content-Type", "application/scim+json");
  e.request.body = std::move(body);
  e.status = status;
  e.response_headers = {{"Content-Type", "application/scim+json"}};
  for (auto& header : response_headers) e.response_headers.push_back(std::move(header));
  e.response_body = std::move(response_body);
  e.duration = std::chrono::microseconds(1830);
  return e;
}

inline suites::CheckResult check(std::string what, bool passed, suites::Level level, std::string citation,
                                 std::string expected, std::string actual, int exchange = 0, bool vendor = false) {
  return {std::move(what), passed, level, std::move(citation), std::move(expected), std::move(actual), exchange, vendor};
}

inline suites::CaseResult result(suites::CaseInfo info, suites::Outcome outcome, std::string reason = "",
                                 int milliseconds = 12) {
  suites::CaseResult r;
  r.info = std::move(info);
  r.outcome = outcome;
  r.reason = std::move(reason);
  r.duration = std::chrono::milliseconds(milliseconds);
  return r;
}

inline suites::RunSummary summary() {
  using suites::Level;
  using suites::Outcome;
  const std::string user = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen@example.com","password":")" +
                           kPassword + R"("})";
  suites::RunSummary run;
  run.started = std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + std::chrono::hours{10};
  run.duration = std::chrono::milliseconds(842);

  auto create = result(info("rfc7644/3.3/create-user-201", "rfc", "RFC 7644", "3.3", Level::must,
                            "POST /Users creates a user and answers 201",
                            "When the service provider successfully creates the new resource, an HTTP response SHALL be "
                            "returned with HTTP status code 201 (Created)."),
                       Outcome::fail, "POST /Users: status 201: expected 201, got 200");
  create.info.hint = "Answer a successful create with 201 Created & a Location header <here>.";
  create.info.keywords = {"Users", "POST"};
  create.exchanges.push_back(exchange("POST", "/Users", user, 200,
                                       R"({"id":"2819c223","userName":"bjensen@example.com","password":")" + kPassword + "\"}"));
  create.checks = {check("POST /Users: status 201", false, Level::must, "RFC 7644 §3.3", "201", "200"),
                   check("POST /Users: /id present", true, Level::must, "RFC 7644 §3.3", "present", "present")};
  run.results.push_back(create);

  auto duplicate = result(info("rfc7644/3.3/duplicate-username-409", "rfc", "RFC 7644", "3.3", Level::must,
                               "A second POST with the same userName answers 409 uniqueness"),
                          Outcome::pass, "", 21);
  duplicate.exchanges.push_back(exchange("POST", "/Users", user, 201, R"({"id":"7d1f","userName":"bjensen@example.com"})",
                                         {{"Location", kTarget + "/Users/7d1f"}, {"ETag", "W/\"1\""}}));
  duplicate.exchanges.push_back(exchange(
      "POST", "/Users", user, 409,
      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"uniqueness","status":"409"})"));
  duplicate.checks = {check("second POST: status 409", true, Level::must, "RFC 7644 §3.3", "409", "409", 1)};
  run.results.push_back(duplicate);

  auto eq = result(info("rfc7644/3.4.2.2/eq-username", "rfc", "RFC 7644", "3.4.2.2", Level::must, "eq matches userName"),
                   Outcome::pass, "", 7);
  eq.exchanges.push_back(exchange("GET", "/Users?filter=userName%20eq%20%22bjensen%40example.com%22", "", 200,
                                  R"({"Resources":[{"id":"7d1f"}],"totalResults":1})"));
  run.results.push_back(eq);

  auto co = result(info("rfc7644/3.4.2.2/co", "rfc", "RFC 7644", "3.4.2.2", Level::must, "co matches a substring"),
                   Outcome::fail, "GET /Users?filter=userName co \"jens\": totalResults: expected 1, got 0", 5);
  co.checks = {check("totalResults", false, Level::must, "RFC 7644 §3.4.2.2", "1", "0", -1)};
  co.known_failure = true;
  run.results.push_back(co);

  auto sw = result(info("rfc7644/3.4.2.2/sw", "rfc", "RFC 7644", "3.4.2.2", Level::must, "sw matches a prefix"),
                   Outcome::pass, "", 6);
  sw.attempts = 2;
  sw.flaky = true;
  run.results.push_back(sw);

  auto me = result(info("rfc7644/3.11/me-resource-or-501", "rfc", "RFC 7644", "3.11", Level::should, "/Me answers or says 501"),
                   Outcome::non_strict, "GET /Me: status 200 or 501: expected 200 or 501, got 404");
  me.checks = {check("GET /Me: status 200 or 501", false, Level::should, "RFC 7644 §3.11", "200 or 501", "404", -1)};
  run.results.push_back(me);

  auto etag = result(info("rfc7644/3.14/weak-etag", "rfc", "RFC 7644", "3.14", Level::may, "Resources carry a weak ETag"),
                     Outcome::informational, "no ETag header on GET /Users/{id}", 4);
  run.results.push_back(etag);

  auto bulk = result(info("rfc7644/3.7/bulk-posts", "rfc", "RFC 7644", "3.7", Level::must, "Bulk POSTs answer 200"),
                     Outcome::unsupported, "bulk.supported is false in /ServiceProviderConfig", 0);
  bulk.info.requires_capabilities = {"bulk"};
  run.results.push_back(bulk);

  auto member = result(info("rfc7644/3.5.2.1/add-member", "rfc", "RFC 7644", "3.5.2.1", Level::must,
                            "PATCH add puts a user into a group"),
                       Outcome::blocked, "prerequisite rfc7644/3.3/create-user-201 did not pass", 0);
  member.info.depends_on = {"rfc7644/3.3/create-user-201"};
  member.blocked_by = "rfc7644/3.3/create-user-201";
  run.results.push_back(member);

  auto okta = result(info("okta-spec/R9/username-case-insensitive", "okta-spec", "okta-spec", "R9", Level::must,
                          "Okta R9: userName filter ignores case"),
                     Outcome::pass, "", 9);
  okta.info.vendor = "Okta";
  okta.checks = {check("userName eq is case-insensitive", true, Level::must, "RFC 7643 §4.1.1", "1 result", "1 result"),
                 check("Okta: exactly one Resources entry", false, Level::must, "okta-spec R9", "1", "2", 0, true)};
  okta.vendor_verdict = suites::VendorVerdict{"Okta", false, "Okta expects exactly one user for userName eq"};
  run.results.push_back(okta);

  auto entra = result(info("entra-validator/mandatory-user/create-user", "entra-validator", "entra-validator",
                           "mandatory-user", Level::must, "Entra: create a user with the mandatory attributes"),
                      Outcome::pass, "", 15);
  entra.info.vendor = "Entra ID";
  entra.stale_known_failure = true;
  entra.vendor_verdict = suites::VendorVerdict{"Entra ID", true, ""};
  run.results.push_back(entra);

  auto tokens = result(info("clickhouse/tokens/at-most-two-active", "clickhouse", "clickhouse", "tokens", Level::must,
                            "A third active token is refused"),
                       Outcome::error, "POST /admin/tokens: connection refused (" + kAdminToken + ")", 3);
  scimclient::Exchange refused;
  refused.request.method = "POST";
  refused.request.url = "http://admin:" + kAdminToken + "@127.0.0.1:8080/admin/tokens";
  refused.request.headers = {{"Authorization", "Bearer " + kAdminToken}};
  refused.request.body = R"({"label":"third"})";
  refused.transport_error = "Couldn't connect to server: Connection refused";
  refused.duration = std::chrono::microseconds(410);
  tokens.exchanges.push_back(refused);
  run.results.push_back(tokens);
  return run;
}

inline suites::RunMetadata metadata() {
  return {kTarget, "all", "0123456789abcdef0123456789abcdef", "0.1.0", false,
          {"ServiceProviderConfig declares bulk.supported=false"}};
}

inline nlohmann::json results() { return suites::run_to_json(summary(), metadata(), {kToken, kAdminToken}); }

inline reports::ReportSet report_set() { return reports::from_results(results()); }

}  // namespace fixedrun
