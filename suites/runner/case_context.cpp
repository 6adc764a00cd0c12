#include "suites/runner/case_context.hpp"

#include "scim/schema.hpp"

#include <algorithm>

namespace suites {

namespace {

bool is_success(int status) { return status >= 200 && status < 300; }

std::string status_text(const scimclient::Exchange& exchange) {
  if (!exchange.ok()) return "no answer (" + exchange.transport_error + ")";
  return std::to_string(exchange.status);
}

// The scimType of a §3.12 error body, or "" when the body has none.
std::string scim_type_of(const scimclient::Exchange& exchange) {
  auto body = exchange.json();
  if (!body || !body->is_object()) return "";
  auto it = body->find("scimType");
  return it != body->end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string describe(const scimclient::HttpRequestSpec& request, const std::string& base_url) {
  std::string url = request.url.rfind(base_url, 0) == 0 ? request.url.substr(base_url.size()) : request.url;
  return request.method + " " + url;
}

CaseContext::CaseContext(RunEnvironment& environment, const CaseInfo& info, std::string suffix)
    : environment_(environment), info_(info), suffix_(std::move(suffix)) {
  result_.info = info;
}

bool CaseContext::writes(const scimclient::HttpRequestSpec& request) const {
  if (request.method == "GET" || request.method == "HEAD") return false;
  if (request.method == "POST" && request.url.size() >= 7 &&
      request.url.compare(request.url.size() - 7, 7, ".search") == 0)
    return false;
  return true;
}

const scimclient::Exchange& CaseContext::send(scimclient::HttpRequestSpec request) {
  const auto& settings = environment_.settings();
  if (!settings.target_is_loopback && !settings.allow_writes && writes(request))
    throw CaseStop{Outcome::blocked, "writes refused: the target is not on loopback (pass --allow-writes to permit " +
                                         request.method + " requests that create, change and delete data)"};
  if (request.timeout.count() == 0 || request.timeout == std::chrono::milliseconds{30000})
    request.timeout = settings.timeout;
  return record(environment_.client().send(request), true);
}

const scimclient::Exchange& CaseContext::record(scimclient::Exchange exchange, bool judge) {
  result_.exchanges.push_back(std::move(exchange));
  const auto& stored = result_.exchanges.back();
  int index = last_exchange_index();
  if (!stored.ok()) {
    // A hang or a dropped connection is the target's failure; a refused connection means the
    // harness could not test at all.
    bool refused = stored.transport_error.find("onnect") != std::string::npos;
    throw CaseStop{refused ? Outcome::error : Outcome::fail,
                   describe(stored.request, environment_.validation().base_url) + ": " + stored.transport_error};
  }
  if (judge) {
    for (const auto& finding : environment_.observe(stored, info_.id, index))
      result_.notes.push_back("exchange #" + std::to_string(index + 1) + " breaks " + finding.rule + ": " +
                              finding.message);
  }
  remember(stored);
  return stored;
}

void CaseContext::remember(const scimclient::Exchange& exchange) {
  if (!is_success(exchange.status)) return;
  const std::string& url = exchange.request.url;
  // Projected answers are not the whole resource: never a "before" for the oracle.
  std::string lowered = scim::to_lower(url);
  if (lowered.find("attributes=") != std::string::npos) return;  // also excludedAttributes=
  auto body = exchange.json();
  if (!body || !body->is_object()) return;
  auto id = body->find("id");
  if (id == body->end() || !id->is_string()) return;
  seen_[id->get<std::string>()] = *body;
}

const scimclient::Exchange& CaseContext::get(std::string_view path, scimclient::Headers headers) {
  return send(environment_.client().make_request("GET", path, {}, std::move(headers)));
}

const scimclient::Exchange& CaseContext::post(std::string_view path, const nlohmann::json& body,
                                              scimclient::Headers headers) {
  return send_raw("POST", path, body.dump(), "application/scim+json", std::move(headers));
}

const scimclient::Exchange& CaseContext::put(std::string_view path, const nlohmann::json& body,
                                             scimclient::Headers headers) {
  return send_raw("PUT", path, body.dump(), "application/scim+json", std::move(headers));
}

const scimclient::Exchange& CaseContext::patch(std::string_view path, const nlohmann::json& body,
                                               scimclient::Headers headers) {
  return send_raw("PATCH", path, body.dump(), "application/scim+json", std::move(headers));
}

const scimclient::Exchange& CaseContext::del(std::string_view path, scimclient::Headers headers) {
  return send(environment_.client().make_request("DELETE", path, {}, std::move(headers)));
}

const scimclient::Exchange& CaseContext::send_raw(std::string method, std::string_view path, std::string body,
                                                  std::string content_type, scimclient::Headers headers) {
  bool named = std::any_of(headers.begin(), headers.end(),
                           [](const auto& h) { return scimclient::header_name_equals(h.first, "Content-Type"); });
  if (!named && !content_type.empty()) headers.emplace_back("Content-Type", content_type);
  return send(environment_.client().make_request(std::move(method), path, std::move(body), std::move(headers)));
}

const scimclient::Exchange& CaseContext::send_unauthenticated(std::string method, std::string_view path,
                                                              scimclient::Headers headers) {
  auto request = environment_.client().make_request(std::move(method), path, {}, std::move(headers));
  request.with_default_headers = false;
  bool has_accept = std::any_of(request.headers.begin(), request.headers.end(),
                                [](const auto& h) { return scimclient::header_name_equals(h.first, "Accept"); });
  if (!has_accept) request.headers.emplace_back("Accept", "application/scim+json");
  return send(std::move(request));
}

CheckResult CaseContext::make_check(std::string what, bool ok, std::string expected, std::string actual,
                                    const CheckOptions& options, int exchange) const {
  CheckResult check;
  check.what = std::move(what);
  check.passed = ok;
  check.level = options.level.value_or(info_.spec.level);
  check.citation = options.citation.empty() ? info_.spec.citation() : options.citation;
  check.expected = std::move(expected);
  check.actual = std::move(actual);
  check.exchange = exchange;
  check.vendor = options.vendor;
  return check;
}

bool CaseContext::expect(bool ok, std::string what, std::string expected, std::string actual,
                         const CheckOptions& options) {
  result_.checks.push_back(make_check(std::move(what), ok, std::move(expected), std::move(actual), options,
                                      last_exchange_index()));
  return ok;
}

bool CaseContext::expect_status(const scimclient::Exchange& exchange, int status, const CheckOptions& options) {
  return expect_status_in(exchange, {status}, options);
}

bool CaseContext::expect_status_in(const scimclient::Exchange& exchange, const std::vector<int>& statuses,
                                   const CheckOptions& options) {
  bool ok = std::find(statuses.begin(), statuses.end(), exchange.status) != statuses.end();
  std::string wanted;
  for (int status : statuses) wanted += (wanted.empty() ? "" : " or ") + std::to_string(status);
  int index = last_exchange_index();
  for (std::size_t i = 0; i < result_.exchanges.size(); ++i)
    if (&result_.exchanges[i] == &exchange) index = static_cast<int>(i);
  std::string what = describe(exchange.request, environment_.validation().base_url) + " answers " + wanted;
  result_.checks.push_back(make_check(what, ok, wanted, status_text(exchange), options, index));
  return ok;
}

bool CaseContext::expect_error(const scimclient::Exchange& exchange, int status, std::string_view scim_type,
                               const CheckOptions& options) {
  bool ok = expect_status(exchange, status, options);
  if (!scim_type.empty()) {
    std::string actual = scim_type_of(exchange);
    ok = expect(actual == scim_type,
                "the error's scimType is \"" + std::string(scim_type) + "\" (RFC 7644 §3.12)",
                std::string(scim_type), actual.empty() ? "(none)" : actual, options) &&
         ok;
  }
  return ok;
}

nlohmann::json CaseContext::create(std::string_view endpoint, const nlohmann::json& body) {
  const auto& exchange = post(endpoint, body);
  auto created = exchange.json();
  if (exchange.status != 201 && exchange.status != 200)
    blocked("set-up: POST " + std::string(endpoint) + " answered " + std::to_string(exchange.status) +
            (scim_type_of(exchange).empty() ? "" : " " + scim_type_of(exchange)) + ", so the resource this case needs "
            "does not exist");
  if (!created || !created->is_object() || !created->contains("id") || !(*created)["id"].is_string())
    blocked("set-up: POST " + std::string(endpoint) + " answered without an \"id\"");
  created_.emplace_back(std::string(endpoint), (*created)["id"].get<std::string>());
  return *created;
}

nlohmann::json CaseContext::read(std::string_view endpoint, std::string_view id) {
  const auto& exchange = get(std::string(endpoint) + "/" + std::string(id));
  auto body = exchange.json();
  if (exchange.status != 200 || !body || !body->is_object())
    blocked("set-up: GET " + std::string(endpoint) + "/" + std::string(id) + " answered " +
            std::to_string(exchange.status));
  return *body;
}

void CaseContext::track(std::string_view endpoint, std::string id) {
  for (const auto& [where, known] : created_)
    if (known == id) return;
  created_.emplace_back(std::string(endpoint), std::move(id));
}

scimclient::HttpRequestSpec CaseContext::make_request(std::string method, std::string_view path, std::string body,
                                                      scimclient::Headers headers) const {
  auto request = environment_.client().make_request(std::move(method), path, std::move(body), std::move(headers));
  request.timeout = environment_.settings().timeout;
  return request;
}

void CaseContext::require(bool ok, std::string what) {
  if (!ok) blocked(std::move(what));
}

void CaseContext::blocked(std::string why) { throw CaseStop{Outcome::blocked, std::move(why)}; }
void CaseContext::unsupported(std::string why) { throw CaseStop{Outcome::unsupported, std::move(why)}; }
void CaseContext::note(std::string text) { result_.notes.push_back(std::move(text)); }

std::string CaseContext::unique(std::string_view base) const { return std::string(base) + "-" + suffix_; }

const scim::ResourceTypeDef& CaseContext::resource_type(std::string_view endpoint) const {
  for (const auto& type : schemas().resource_types())
    if (scim::iequals(type.endpoint, endpoint)) return type;
  throw CaseStop{Outcome::unsupported, "the target declares no resource type at " + std::string(endpoint)};
}

std::optional<nlohmann::json> CaseContext::last_seen(const std::string& id) const {
  auto it = seen_.find(id);
  if (it == seen_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> CaseContext::created_ids(std::string_view endpoint) const {
  std::vector<std::string> ids;
  for (const auto& [where, id] : created_)
    if (scim::iequals(where, endpoint)) ids.push_back(id);
  return ids;
}

void CaseContext::clean_up() {
  // Groups first so members are not deleted under a group that still lists them.
  std::vector<std::pair<std::string, std::string>> order(created_.rbegin(), created_.rend());
  std::stable_partition(order.begin(), order.end(), [](const auto& item) { return scim::iequals(item.first, "/Groups"); });
  for (const auto& [endpoint, id] : order) {
    auto request = environment_.client().make_request("DELETE", endpoint + "/" + id);
    request.timeout = environment_.settings().timeout;
    // Cleanup is logged but not judged: the case's verdict is about its own requests.
    result_.exchanges.push_back(environment_.client().send(request));
  }
  created_.clear();
}

}  // namespace suites
