#include "suites/validate/response_validator.hpp"

#include "scim/urns.hpp"
#include "suites/validate/response_rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <functional>
#include <optional>

namespace suites {

using nlohmann::json;

std::string_view to_string(RequestKind kind) {
  switch (kind) {
    case RequestKind::create: return "create";
    case RequestKind::read: return "read";
    case RequestKind::replace: return "replace";
    case RequestKind::modify: return "modify";
    case RequestKind::remove: return "delete";
    case RequestKind::list: return "list";
    case RequestKind::search: return "search";
    case RequestKind::bulk: return "bulk";
    case RequestKind::service_provider_config: return "service-provider-config";
    case RequestKind::resource_types: return "resource-types";
    case RequestKind::resource_type: return "resource-type";
    case RequestKind::schemas: return "schemas";
    case RequestKind::schema: return "schema";
    case RequestKind::other: return "other";
  }
  return "other";
}

namespace {

// ---- small helpers --------------------------------------------------------------------------

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && scim::iequals(text.substr(0, prefix.size()), prefix);
}

// RFC 6901: "~" and "/" inside a reference token are escaped.
std::string pointer_join(const std::string& base, std::string_view token) {
  std::string out = base + "/";
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_join(const std::string& base, std::size_t index) { return base + "/" + std::to_string(index); }

std::string clip(std::string text, std::size_t limit = 120) {
  if (text.size() > limit) text = text.substr(0, limit) + "...";
  return text;
}

// A value as evidence: its JSON text, shortened.
std::string shown(const json& value) { return clip(value.dump()); }

std::string kind_of(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "a JSON object";
    case json::value_t::array: return "a JSON array";
    case json::value_t::string: return "a JSON string";
    case json::value_t::boolean: return "a JSON boolean";
    case json::value_t::number_float: return "a JSON number with a fraction or exponent";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "a JSON integer";
    default: return "an unusable JSON value";
  }
}

const json* member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// Absent and null are the same state (RFC 7643 §2.5).
const json* present(const json& object, std::string_view key) {
  const json* value = member(object, key);
  return value && !value->is_null() ? value : nullptr;
}

std::optional<long long> integer_of(const json& value) {
  if (value.is_number_integer()) return value.get<long long>();
  if (value.is_number_unsigned()) return static_cast<long long>(value.get<unsigned long long>());
  return std::nullopt;
}

std::optional<long long> parse_integer(std::string_view text) {
  std::string trimmed = trim(text);
  long long out = 0;
  auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), out);
  if (error != std::errc() || end != trimmed.data() + trimmed.size() || trimmed.empty()) return std::nullopt;
  return out;
}

bool contains_urn(const std::vector<std::string>& urns, std::string_view urn) {
  return std::any_of(urns.begin(), urns.end(), [&](const std::string& u) { return scim::iequals(u, urn); });
}

// ---- RFC 7643 §2.3.5 DateTime (xsd:dateTime) --------------------------------------------------

struct DateTime {
  long long seconds = 0;  // since 1970-01-01T00:00:00 in the value's own zone, shifted to UTC when zoned
  long double fraction = 0;
  bool zoned = false;
};

long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool leap(long long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// xsd:dateTime (XML Schema 1.1 Part 2 §3.3.7): -?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?. The
// lower-case 't' and 'z' that RFC 3339 also allows are accepted: the doubt goes to the server.
std::optional<DateTime> parse_date_time(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&](std::size_t count, long long& out) {
    if (i + count > s.size()) return false;
    out = 0;
    for (std::size_t k = 0; k < count; ++k) {
      char c = s[i + k];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    i += count;
    return true;
  };
  auto expect = [&](char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  };
  bool negative = expect('-');
  std::size_t year_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  std::size_t year_digits = i - year_start;
  if (year_digits < 4 || year_digits > 9) return std::nullopt;
  long long year = 0;
  for (std::size_t k = year_start; k < i; ++k) year = year * 10 + (s[k] - '0');
  if (negative) year = -year;
  long long month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!expect('-') || !digits(2, month) || !expect('-') || !digits(2, day)) return std::nullopt;
  if (!(expect('T') || expect('t'))) return std::nullopt;
  if (!digits(2, hour) || !expect(':') || !digits(2, minute) || !expect(':') || !digits(2, second)) return std::nullopt;
  DateTime out;
  if (expect('.')) {
    std::size_t start = i;
    long double scale = 0.1L;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      out.fraction += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  long long offset_minutes = 0;
  if (expect('Z') || expect('z')) {
    out.zoned = true;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int sign = s[i] == '-' ? -1 : 1;
    ++i;
    long long oh = 0, om = 0;
    if (!digits(2, oh) || !expect(':') || !digits(2, om)) return std::nullopt;
    if (oh > 14 || om > 59 || (oh == 14 && om != 0)) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
    out.zoned = true;
  }
  if (i != s.size()) return std::nullopt;
  static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  if (day > month_days[month - 1] + (month == 2 && leap(year) ? 1 : 0)) return std::nullopt;
  // 24:00:00 is the end of the day in XML Schema 1.1; a leap second (:60) is tolerated.
  bool end_of_day = hour == 24 && minute == 0 && second == 0 && out.fraction == 0;
  if ((hour > 23 && !end_of_day) || minute > 59 || second > 60) return std::nullopt;
  out.seconds = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return out;
}

// ---- RFC 7643 §2.3.6 Binary: RFC 4648 §4 base64 -----------------------------------------------

bool is_base64(std::string_view s) {
  if (s.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isalnum(c) || c == '+' || c == '/') continue;
    if (c == '=' && (i == s.size() - 1 || (i == s.size() - 2 && s.back() == '='))) continue;
    return false;
  }
  return true;
}

// ---- URLs -----------------------------------------------------------------------------------

std::string strip_query(std::string_view url) {
  return std::string(url.substr(0, url.find_first_of("?#")));
}

std::string query_of(std::string_view url) {
  auto q = url.find('?');
  if (q == std::string_view::npos) return {};
  auto end = url.find('#', q);
  return std::string(url.substr(q + 1, end == std::string_view::npos ? std::string_view::npos : end - q - 1));
}

// "http://host:8080" of an absolute URL, "" otherwise.
std::string origin_of(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  auto path = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, path));
}

std::string path_of(std::string_view url) {
  std::string bare = strip_query(url);
  auto scheme = bare.find("://");
  if (scheme == std::string::npos) return bare;
  auto path = bare.find('/', scheme + 3);
  return path == std::string::npos ? std::string("/") : bare.substr(path);
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::optional<std::string> query_parameter(std::string_view url, std::string_view name) {
  std::string query = query_of(url);
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string_view pair(query.data() + start, end - start);
    std::size_t eq = pair.find('=');
    // SCIM parameter names are case-insensitive like attribute names (RFC 7644 §3.4.2).
    if (scim::iequals(percent_decode(pair.substr(0, eq)), name))
      return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    start = end + 1;
  }
  return std::nullopt;
}

// Location headers may be relative (RFC 9110 §10.2.2), and some targets write meta.location
// relative to their base URL. Two URIs are the same when they are equal after an absolute path
// is resolved against the request's origin or against the base URL; only a real difference is
// reported.
bool same_uri(const std::string& a, const std::string& b, const std::string& request_url, std::string base) {
  if (a == b) return true;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto forms = [&](const std::string& u) {
    std::vector<std::string> out{u};
    if (!u.empty() && u.front() == '/') {
      if (std::string origin = origin_of(request_url); !origin.empty()) out.push_back(origin + u);
      if (!base.empty()) out.push_back(base + u);
    }
    return out;
  };
  for (const auto& x : forms(a))
    for (const auto& y : forms(b))
      if (x == y) return true;
  return false;
}

const std::string* request_header(const scimclient::HttpRequestSpec& request, std::string_view name) {
  for (const auto& [n, v] : request.headers)
    if (scimclient::header_name_equals(n, name)) return &v;
  return nullptr;
}

std::string media_type(std::string_view content_type) {
  return scim::to_lower(trim(content_type.substr(0, content_type.find(';'))));
}

// ---- resource types --------------------------------------------------------------------------

// RFC 7644 §3.2's two endpoints, for a context without a registry.
const std::vector<scim::ResourceTypeDef>& fallback_types() {
  static const std::vector<scim::ResourceTypeDef> types = [] {
    scim::ResourceTypeDef user;
    user.id = user.name = "User";
    user.endpoint = "/Users";
    user.schema = std::string(scim::urn::user);
    scim::ResourceTypeDef group;
    group.id = group.name = "Group";
    group.endpoint = "/Groups";
    group.schema = std::string(scim::urn::group);
    return std::vector<scim::ResourceTypeDef>{user, group};
  }();
  return types;
}

const std::vector<scim::ResourceTypeDef>& types_of(const ValidationContext& context) {
  return context.schemas ? context.schemas->resource_types() : fallback_types();
}

const scim::SchemaRegistry& empty_registry() {
  static const scim::SchemaRegistry registry = scim::SchemaRegistry::from_documents(json::array(), json::array());
  return registry;
}

const scim::ResourceTypeDef* type_by_endpoint(const ValidationContext& context, std::string_view segment) {
  const scim::ResourceTypeDef* loose = nullptr;
  for (const auto& type : types_of(context)) {
    std::string_view endpoint = type.endpoint;
    if (!endpoint.empty() && endpoint.front() == '/') endpoint.remove_prefix(1);
    if (endpoint == segment) return &type;
    if (!loose && scim::iequals(endpoint, segment)) loose = &type;
  }
  return loose;
}

RequestTarget classify_segments(const std::vector<std::string>& segments, const std::string& method,
                                const ValidationContext& context) {
  RequestTarget target;
  target.in_scope = true;
  if (segments.empty() || segments.size() > 2) return target;
  const std::string& first = segments[0];
  const bool one = segments.size() == 1;
  if (scim::iequals(first, "ServiceProviderConfig") || scim::iequals(first, "ServiceProviderConfigs")) {
    if (one && method == "GET") target.kind = RequestKind::service_provider_config;
    return target;
  }
  if (scim::iequals(first, "ResourceTypes") || scim::iequals(first, "Schemas")) {
    if (method != "GET") return target;
    bool types = scim::iequals(first, "ResourceTypes");
    if (one) {
      target.kind = types ? RequestKind::resource_types : RequestKind::schemas;
    } else {
      target.kind = types ? RequestKind::resource_type : RequestKind::schema;
      target.id = segments[1];
    }
    return target;
  }
  if (scim::iequals(first, "Bulk")) {
    if (one && method == "POST") target.kind = RequestKind::bulk;
    return target;
  }
  if (first == ".search") {
    if (one && method == "POST") target.kind = RequestKind::search;
    return target;
  }
  const scim::ResourceTypeDef* type = type_by_endpoint(context, first);
  if (!type) return target;
  if (one) {
    if (method == "GET") target.kind = RequestKind::list;
    else if (method == "POST") target.kind = RequestKind::create;
    else return target;
  } else if (segments[1] == ".search") {
    if (method != "POST") return target;
    target.kind = RequestKind::search;
  } else {
    if (method == "GET") target.kind = RequestKind::read;
    else if (method == "PUT") target.kind = RequestKind::replace;
    else if (method == "PATCH") target.kind = RequestKind::modify;
    else if (method == "DELETE") target.kind = RequestKind::remove;
    else return target;
    target.id = percent_decode(segments[1]);
  }
  target.type = type;
  return target;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) segments.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

// ---- the validator ---------------------------------------------------------------------------

enum class DocumentKind { resource_type, schema };

class Validator {
 public:
  Validator(const scimclient::Exchange& exchange, const ValidationContext& context, std::vector<Finding>& out)
      : exchange_(exchange), context_(context), out_(out) {}

  void run() {
    if (!exchange_.ok() || exchange_.status == 0) return;
    target_ = classify_request(exchange_.request, context_);
    if (!target_.in_scope) return;
    method_ = upper(exchange_.request.method);
    if (method_ == "HEAD") return;  // no body to judge, and headers mirror a GET judged elsewhere
    const bool has_body = !trim(exchange_.response_body).empty();
    body_ = exchange_.json();
    if (has_body && body_) check_content_type();

    const int status = exchange_.status;
    if (status >= 400) {
      if (has_body) check_error_response(status);
      return;
    }
    if (status < 200 || status >= 300) return;

    switch (target_.kind) {
      case RequestKind::create: check_create(has_body); break;
      case RequestKind::read:
      case RequestKind::replace:
      case RequestKind::modify:
        if (has_body) check_single_resource();
        break;
      case RequestKind::remove: check_delete(has_body); break;
      case RequestKind::list:
      case RequestKind::search:
        if (has_body) check_list(resource_checker(target_.type));
        break;
      case RequestKind::bulk:
        if (has_body) check_bulk();
        break;
      case RequestKind::service_provider_config:
        if (has_body && check_body_is_json(rule::spc_features)) check_service_provider_config(*body_);
        break;
      case RequestKind::resource_types:
        if (has_body) check_discovery_list(DocumentKind::resource_type);
        break;
      case RequestKind::resource_type:
        if (has_body && check_body_is_json(rule::resource_type_document)) check_resource_type_document(*body_, "");
        break;
      case RequestKind::schemas:
        if (has_body) check_discovery_list(DocumentKind::schema);
        break;
      case RequestKind::schema:
        if (has_body && check_body_is_json(rule::schema_document)) check_schema_document(*body_, "");
        break;
      case RequestKind::other: break;
    }
  }

 private:
  using ElementCheck = std::function<void(const json&, const std::string&)>;

  void add(std::string_view rule, std::string message, std::string expected, std::string actual,
           std::string pointer = "") {
    out_.push_back(Finding{std::string(rule), std::move(message), std::move(expected), std::move(actual),
                           std::move(pointer)});
  }

  const std::vector<scim::AttributeDef>& common() const {
    return (context_.schemas ? *context_.schemas : empty_registry()).common_attributes();
  }

  const scim::Schema* find_schema(std::string_view urn) const {
    return context_.schemas ? context_.schemas->find_schema(urn) : nullptr;
  }

  // A body that should be JSON but is not; reported under `rule`. Returns whether JSON was there.
  bool check_body_is_json(std::string_view rule) {
    if (body_) return true;
    add(rule, "the response body is not JSON", "a JSON document", clip(exchange_.response_body));
    return false;
  }

  // RFC 7644 §3.8 (and §3.1): SCIM content is application/scim+json, application/json only for
  // a client that asked for it.
  void check_content_type() {
    std::string header = exchange_.header("Content-Type");
    std::string media = media_type(header);
    if (media == "application/scim+json") return;
    if (media == "application/json" && accepts_plain_json()) return;
    add(rule::content_type,
        header.empty() ? "a JSON response carries no Content-Type header"
                       : "a JSON response is labelled " + header + " instead of application/scim+json",
        "application/scim+json", header.empty() ? "(none)" : header);
  }

  bool accepts_plain_json() const {
    const std::string* accept = request_header(exchange_.request, "Accept");
    if (!accept) return false;
    std::size_t start = 0;
    while (start <= accept->size()) {
      std::size_t end = accept->find(',', start);
      if (end == std::string::npos) end = accept->size();
      if (media_type(std::string_view(*accept).substr(start, end - start)) == "application/json") return true;
      start = end + 1;
    }
    return false;
  }

  // ---- RFC 7644 §3.12 errors ----

  // RFC 7644 §3.12: "implementers MUST return the errors in the body of the response in a JSON
  // format"; "status ... expressed as a JSON string.  REQUIRED."; scimType from Table 9.
  void check_error_response(int status) {
    if (!body_ || !body_->is_object()) {
      add(rule::error_json, "the error response's body is not a JSON object",
          "a JSON object with the urn:ietf:params:scim:api:messages:2.0:Error schema",
          clip(exchange_.response_body));
      return;
    }
    check_error_object(*body_, status, "");
  }

  void check_error_object(const json& error, int status, const std::string& at) {
    const json* schemas = present(error, "schemas");
    if (!schemas) {
      add(rule::error_schema, "the error body has no \"schemas\"", "[\"urn:ietf:params:scim:api:messages:2.0:Error\"]",
          "(absent)", pointer_join(at, "schemas"));
    } else if (!schemas->is_array() ||
               std::none_of(schemas->begin(), schemas->end(), [](const json& v) {
                 return v.is_string() && scim::iequals(v.get<std::string>(), scim::urn::error);
               })) {
      add(rule::error_schema, "the error body's \"schemas\" does not name the Error schema",
          std::string(scim::urn::error), shown(*schemas), pointer_join(at, "schemas"));
    }

    const std::string expected_status = std::to_string(status);
    const json* value = present(error, "status");
    if (!value) {
      add(rule::error_status, "the error body has no \"status\"", "\"" + expected_status + "\"", "(absent)",
          pointer_join(at, "status"));
    } else if (!value->is_string()) {
      add(rule::error_status, "the error body's \"status\" is " + kind_of(*value) + ", not a JSON string",
          "\"" + expected_status + "\"", shown(*value), pointer_join(at, "status"));
    } else if (trim(value->get<std::string>()) != expected_status) {
      add(rule::error_status, "the error body's \"status\" differs from the HTTP status " + expected_status,
          "\"" + expected_status + "\"", shown(*value), pointer_join(at, "status"));
    }

    if (const json* type = present(error, "scimType")) {
      static constexpr std::array<std::string_view, 10> keywords = {
          "invalidFilter", "tooMany",  "uniqueness", "mutability",  "invalidSyntax",
          "invalidPath",   "noTarget", "invalidValue", "invalidVers", "sensitive"};
      bool known = type->is_string() && std::find(keywords.begin(), keywords.end(), type->get<std::string>()) !=
                                            keywords.end();
      if (!known)
        add(rule::error_scim_type, "the error body's \"scimType\" is not a keyword of RFC 7644 Table 9",
            "one of invalidFilter, tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget, "
            "invalidValue, invalidVers, sensitive",
            shown(*type), pointer_join(at, "scimType"));
    }
    if (const json* detail = present(error, "detail"); detail && !detail->is_string())
      add(rule::error_detail, "the error body's \"detail\" is " + kind_of(*detail) + ", not a JSON string",
          "a JSON string", shown(*detail), pointer_join(at, "detail"));
  }

  // ---- single resources ----

  // RFC 7644 §3.3: "an HTTP response SHALL be returned with HTTP status code 201 (Created)"; "The
  // URI of the created resource SHALL include, in the HTTP "Location" header and the HTTP body, a
  // JSON representation [RFC7159] with the attribute "meta.location"."
  void check_create(bool has_body) {
    if (exchange_.status != 201)
      add(rule::create_status, "a successful create answered " + std::to_string(exchange_.status) + " instead of 201",
          "201", std::to_string(exchange_.status));
    if (exchange_.status == 201) {
      if (!exchange_.has_header("Location")) {
        add(rule::location_header, "the 201 response has no Location header", "the created resource's URI",
            "(none)");
      } else if (body_ && body_->is_object()) {
        const json* meta = present(*body_, "meta");
        const json* location = meta ? present(*meta, "location") : nullptr;
        std::string header = exchange_.header("Location");
        if (location && location->is_string() &&
            !same_uri(header, location->get<std::string>(), exchange_.request.url, context_.base_url))
          add(rule::location_header, "the Location header differs from meta.location", location->get<std::string>(),
              header, "/meta/location");
      }
    }
    if (has_body) check_single_resource();
  }

  void check_single_resource() {
    if (!body_) {
      add(rule::schemas_attribute, "the resource response's body is not JSON", "a JSON resource",
          clip(exchange_.response_body));
      return;
    }
    check_resource(*body_, target_.type, "");
    if (!body_->is_object()) return;
    const json* meta = present(*body_, "meta");
    // RFC 7643 §3.1 location: "This value MUST be the same as the "Content-Location" HTTP
    // response header".
    if (exchange_.has_header("Content-Location") && meta) {
      const json* location = present(*meta, "location");
      std::string header = exchange_.header("Content-Location");
      if (location && location->is_string() &&
          !same_uri(header, location->get<std::string>(), exchange_.request.url, context_.base_url))
        add(rule::content_location, "the Content-Location header differs from meta.location",
            location->get<std::string>(), header, "/meta/location");
    }
    if (!context_.etag_supported) return;
    // RFC 7644 §3.14: "When supported, SCIM ETags MUST be specified as an HTTP header".
    if (!exchange_.has_header("ETag")) {
      add(rule::etag_header, "ServiceProviderConfig declares ETag support but the resource response has no ETag header",
          "an ETag header", "(none)");
      return;
    }
    // RFC 7643 §3.1 version: "This value must be the same as the entity-tag (ETag) HTTP response header".
    const json* version = meta ? present(*meta, "version") : nullptr;
    std::string etag = exchange_.header("ETag");
    if (version && version->is_string() && version->get<std::string>() != etag)
      add(rule::version_etag, "meta.version differs from the ETag header", etag, version->get<std::string>(),
          "/meta/version");
  }

  // RFC 7644 §3.6: "In response to a successful DELETE, the server SHALL return a successful HTTP
  // status code 204 (No Content)."
  void check_delete(bool has_body) {
    if (exchange_.status != 204)
      add(rule::delete_status, "a successful DELETE answered " + std::to_string(exchange_.status) + " instead of 204",
          "204", std::to_string(exchange_.status));
    else if (has_body)
      add(rule::delete_status, "the 204 response to DELETE carries a body", "no body", clip(exchange_.response_body));
  }

  // The type a listed resource belongs to when the request did not say (POST /.search): by its
  // core schema URN, else by meta.resourceType.
  const scim::ResourceTypeDef* infer_type(const json& resource) const {
    if (!resource.is_object()) return nullptr;
    if (const json* schemas = present(resource, "schemas"); schemas && schemas->is_array())
      for (const auto& type : types_of(context_))
        for (const auto& urn : *schemas)
          if (urn.is_string() && scim::iequals(urn.get<std::string>(), type.schema)) return &type;
    if (const json* meta = present(resource, "meta"))
      if (const json* name = present(*meta, "resourceType"); name && name->is_string())
        for (const auto& type : types_of(context_))
          if (type.name == name->get<std::string>()) return &type;
    return nullptr;
  }

  ElementCheck resource_checker(const scim::ResourceTypeDef* type) {
    return [this, type](const json& resource, const std::string& at) {
      check_resource(resource, type ? type : infer_type(resource), at);
    };
  }

  // RFC 7643 §3 and §3.1, and every attribute against its definition.
  void check_resource(const json& resource, const scim::ResourceTypeDef* type, const std::string& at) {
    if (!resource.is_object()) {
      add(rule::schemas_attribute, "a resource must be a JSON object", "a JSON object", kind_of(resource), at);
      return;
    }
    std::vector<std::string> urns;
    if (check_schemas(resource, at, urns)) {
      if (type && !contains_urn(urns, type->schema))
        add(rule::schemas_core, "\"schemas\" lacks the core schema of the " + type->name + " resource type",
            type->schema, shown(resource["schemas"]), pointer_join(at, "schemas"));
      // Only the target's own declaration says which extensions a type has.
      if (type && context_.schemas && context_.schemas_declared_by_target)
        for (std::size_t i = 0; i < urns.size(); ++i) {
          const std::string& urn = urns[i];
          bool declared = scim::iequals(urn, type->schema) ||
                          std::any_of(type->extensions.begin(), type->extensions.end(),
                                      [&](const scim::SchemaExtension& e) { return scim::iequals(e.schema, urn); });
          if (!declared)
            add(rule::schemas_declared,
                "\"schemas\" lists " + urn + ", which the " + type->name +
                    " ResourceType declares neither as schema nor as schemaExtension",
                "only " + type->schema + " and its declared extensions", urn,
                pointer_join(pointer_join(at, "schemas"), i));
        }
      for (const auto& [key, value] : resource.items()) {
        if (!istarts_with(key, scim::urn::prefix) || value.is_null()) continue;
        if (value.is_object() && value.empty()) continue;  // no attribute of it is present
        if (type && istarts_with(key, type->schema)) continue;  // the core schema or a URN-qualified core attribute
        if (!contains_urn(urns, key))
          add(rule::schemas_extensions, "the body carries the extension " + key + " but \"schemas\" does not list it",
              "\"schemas\" containing " + key, shown(resource["schemas"]), pointer_join(at, key));
      }
    }

    check_id(resource, at);
    check_meta(resource, type, at);
    check_attributes(resource, type, at);
  }

  // The "schemas" attribute itself; fills `urns` and returns true when it could be read.
  // RFC 7643 §3: "The "schemas" attribute is a REQUIRED attribute and is an array of Strings ...
  // Duplicate values MUST NOT be included."
  bool check_schemas(const json& document, const std::string& at, std::vector<std::string>& urns) {
    const std::string where = pointer_join(at, "schemas");
    const json* schemas = present(document, "schemas");
    if (!schemas) {
      add(rule::schemas_attribute, "the document has no \"schemas\" attribute", "a non-empty array of schema URNs",
          "(absent)", where);
      return false;
    }
    if (!schemas->is_array() || schemas->empty()) {
      add(rule::schemas_attribute, "\"schemas\" is not a non-empty array", "a non-empty array of schema URNs",
          shown(*schemas), where);
      return false;
    }
    bool usable = true;
    for (std::size_t i = 0; i < schemas->size(); ++i) {
      const json& urn = (*schemas)[i];
      if (!urn.is_string()) {
        add(rule::schemas_attribute, "an element of \"schemas\" is " + kind_of(urn) + ", not a URN string",
            "a URN string", shown(urn), pointer_join(where, i));
        usable = false;
        continue;
      }
      if (contains_urn(urns, urn.get<std::string>()))
        add(rule::schemas_attribute, "\"schemas\" lists " + urn.get<std::string>() + " twice", "distinct URNs",
            shown(*schemas), pointer_join(where, i));
      urns.push_back(urn.get<std::string>());
    }
    return usable;
  }

  // RFC 7643 §3.1: "Each representation of the resource MUST include a non-empty "id" value."
  // and "The string "bulkId" is a reserved keyword and MUST NOT be specified."
  void check_id(const json& resource, const std::string& at) {
    const json* id = present(resource, "id");
    if (!id) {
      add(rule::id_present, "the resource has no \"id\"", "a non-empty string id", "(absent)", pointer_join(at, "id"));
    } else if (!id->is_string() || id->get<std::string>().empty()) {
      add(rule::id_present, "the resource's \"id\" is " + (id->is_string() ? std::string("empty") : kind_of(*id)),
          "a non-empty JSON string", shown(*id), pointer_join(at, "id"));
    } else if (id->get<std::string>() == "bulkId") {
      add(rule::id_not_bulk_id, "the resource's id is the reserved keyword \"bulkId\"", "any id but \"bulkId\"",
          "\"bulkId\"", pointer_join(at, "id"));
    }
  }

  // RFC 7643 §3.1: resourceType is "The name of the resource type of the resource"; lastModified
  // is "the same as the value of "created"" until the resource is modified, never before it.
  void check_meta(const json& resource, const scim::ResourceTypeDef* type, const std::string& at) {
    const json* meta = present(resource, "meta");
    if (!meta || !meta->is_object()) return;  // a non-object meta is reported as a complex-value error
    const std::string where = pointer_join(at, "meta");
    if (const json* name = present(*meta, "resourceType"); name && name->is_string() && type &&
                                                           name->get<std::string>() != type->name &&
                                                           name->get<std::string>() != type->id)
      add(rule::meta_resource_type, "meta.resourceType does not name the resource's type", type->name, shown(*name),
          pointer_join(where, "resourceType"));
    const json* created = present(*meta, "created");
    const json* modified = present(*meta, "lastModified");
    if (created && modified && created->is_string() && modified->is_string()) {
      auto c = parse_date_time(created->get<std::string>());
      auto m = parse_date_time(modified->get<std::string>());
      // Values without a zone are only comparable with each other.
      if (c && m && c->zoned == m->zoned &&
          (m->seconds < c->seconds || (m->seconds == c->seconds && m->fraction < c->fraction)))
        add(rule::last_modified_order, "meta.lastModified is earlier than meta.created",
            "a lastModified at or after " + created->get<std::string>(), modified->get<std::string>(),
            pointer_join(where, "lastModified"));
    }
  }

  void check_attributes(const json& resource, const scim::ResourceTypeDef* type, const std::string& at) {
    const scim::Schema* core = type ? find_schema(type->schema) : nullptr;
    for (const auto& [key, value] : resource.items()) {
      if (key == "schemas") continue;
      const std::string where = pointer_join(at, key);
      if (istarts_with(key, scim::urn::prefix)) {
        const scim::Schema* extension = find_schema(key);
        if (type && scim::iequals(key, type->schema)) extension = core;
        if (!extension || value.is_null()) continue;  // an undeclared URN is judged by the schemas rules
        if (!value.is_object()) {
          add(rule::complex_type, "the extension " + key + " is " + kind_of(value) + ", not a JSON object",
              "a JSON object", shown(value), where);
          continue;
        }
        current_schema_ = extension->id;
        for (const auto& [name, inner] : value.items()) {
          const scim::AttributeDef* def = extension->find(name);
          if (def) check_value(*def, inner, pointer_join(where, name));
          else unknown(name, extension->id, pointer_join(where, name));
        }
        continue;
      }
      current_schema_ = core ? core->id : std::string("RFC 7643 §3.1");
      const scim::AttributeDef* def = nullptr;
      for (const auto& attribute : common())
        if (scim::iequals(attribute.name, key)) def = &attribute;
      if (def && scim::iequals(def->name, "id")) continue;  // judged by id-present
      if (!def && core) def = core->find(key);
      if (def) check_value(*def, value, where);
      else if (core) unknown(key, core->id, where);
    }
  }

  void unknown(const std::string& name, const std::string& schema, const std::string& where) {
    if (!context_.schemas_declared_by_target) return;
    add(rule::unknown_attribute, "\"" + name + "\" is not defined by " + schema + " as served at /Schemas",
        "an attribute of " + schema, name, where);
  }

  // One attribute's value against its definition (RFC 7643 §2.3, §2.4, §7).
  // RFC 7643 §2.4: "Multi-valued attributes contain a list of elements using the JSON array
  // format"; "The primary attribute value "true" MUST appear no more than once."; §7 returned
  // "never": "The attribute is never returned."
  void check_value(const scim::AttributeDef& def, const json& value, const std::string& where) {
    if (value.is_null()) return;
    if (def.returned == scim::Returned::never) {
      add(rule::returned_never, "\"" + def.name + "\" has returned \"never\" but the response contains it",
          "no \"" + def.name + "\"", clip(value.is_string() ? std::string("(a value)") : kind_of(value)), where);
      return;
    }
    if (def.multi_valued) {
      if (!value.is_array()) {
        add(rule::multi_valued_array, "\"" + def.name + "\" is multi-valued but holds " + kind_of(value),
            "a JSON array", shown(value), where);
        return;
      }
      int primaries = 0;
      for (std::size_t i = 0; i < value.size(); ++i) {
        check_single(def, value[i], pointer_join(where, i));
        const json* primary = present(value[i], "primary");
        if (primary && primary->is_boolean() && primary->get<bool>()) ++primaries;
      }
      if (primaries > 1)
        add(rule::one_primary, "\"" + def.name + "\" has " + std::to_string(primaries) + " values with primary true",
            "at most one", std::to_string(primaries), where);
      return;
    }
    if (value.is_array()) {
      add(rule::single_valued, "\"" + def.name + "\" is single-valued but holds a JSON array", "a single value",
          shown(value), where);
      return;
    }
    check_single(def, value, where);
  }

  // RFC 7643 §2.3.1-§2.3.8: each data type's JSON form (integers "MUST NOT contain fractional or
  // exponent parts", DateTime "MUST be encoded as a valid xsd:dateTime", binary "MUST be base64
  // encoded").
  void check_single(const scim::AttributeDef& def, const json& value, const std::string& where) {
    if (value.is_null()) return;
    auto wrong = [&](std::string_view rule, const std::string& expected, const std::string& why = "") {
      add(rule, "\"" + def.name + "\" is of type " + std::string(scim::to_string(def.type)) + " but holds " +
                    (why.empty() ? kind_of(value) : why),
          expected, shown(value), where);
    };
    switch (def.type) {
      case scim::AttributeType::string:
        if (!value.is_string()) wrong(rule::string_type, "a JSON string");
        break;
      case scim::AttributeType::boolean:
        if (!value.is_boolean()) wrong(rule::boolean_type, "true or false");
        break;
      case scim::AttributeType::decimal:
        if (!value.is_number()) wrong(rule::decimal_type, "a JSON number");
        break;
      case scim::AttributeType::integer:
        if (!value.is_number_integer()) wrong(rule::integer_type, "a JSON integer without fraction or exponent");
        break;
      case scim::AttributeType::date_time:
        if (!value.is_string()) wrong(rule::date_time, "an xsd:dateTime string such as 2008-01-23T04:56:22Z");
        else if (!parse_date_time(value.get<std::string>()))
          wrong(rule::date_time, "an xsd:dateTime string such as 2008-01-23T04:56:22Z",
                "a string that is not an xsd:dateTime");
        break;
      case scim::AttributeType::binary:
        if (!value.is_string()) wrong(rule::binary_type, "a base64 string");
        else if (!is_base64(value.get<std::string>()))
          wrong(rule::binary_type, "a base64 string (RFC 4648 §4)", "a string that is not base64");
        break;
      case scim::AttributeType::reference:
        if (!value.is_string()) wrong(rule::reference_type, "a URI as a JSON string");
        break;
      case scim::AttributeType::complex:
        if (!value.is_object()) {
          wrong(rule::complex_type, "a JSON object");
          break;
        }
        for (const auto& [name, inner] : value.items()) {
          if (const scim::AttributeDef* sub = def.find_sub(name)) check_value(*sub, inner, pointer_join(where, name));
          else if (!def.sub_attributes.empty())
            unknown(def.name + "." + name, current_schema_, pointer_join(where, name));
        }
        break;
    }
  }

  // ---- RFC 7644 §3.4.2 list responses ----

  // The paging the client asked for: query parameters, or the body of POST .search.
  std::optional<long long> requested(std::string_view name) const {
    // RFC 7644 §4: on the discovery endpoints paging parameters "SHALL be ignored", so nothing
    // was asked for there.
    if (target_.kind == RequestKind::resource_types || target_.kind == RequestKind::schemas) return std::nullopt;
    if (method_ == "POST") {
      auto request_body = json::parse(exchange_.request.body, nullptr, false);
      if (request_body.is_discarded() || !request_body.is_object()) return std::nullopt;
      for (const auto& [key, value] : request_body.items()) {
        if (!scim::iequals(key, name)) continue;
        if (auto number = integer_of(value)) return number;
        if (value.is_string()) return parse_integer(value.get<std::string>());
        return std::nullopt;
      }
      return std::nullopt;
    }
    auto text = query_parameter(exchange_.request.url, name);
    return text ? parse_integer(*text) : std::nullopt;
  }

  // RFC 7644 §3.4.2: "Responses MUST be identified using the following URI:
  // "urn:ietf:params:scim:api:messages:2.0:ListResponse""; totalResults REQUIRED; Resources
  // "REQUIRED if "totalResults" is non-zero"; itemsPerPage and startIndex "REQUIRED when partial
  // results are returned due to pagination". §3.4.2.4 count: "the service provider MUST NOT return
  // more results than specified".
  void check_list(const ElementCheck& element_check) {
    if (!body_ || !body_->is_object()) {
      add(rule::list_schema, "the list response is not a JSON object",
          "a ListResponse object", body_ ? kind_of(*body_) : clip(exchange_.response_body));
      return;
    }
    const json& list = *body_;
    const json* schemas = present(list, "schemas");
    if (!schemas || !schemas->is_array() ||
        std::none_of(schemas->begin(), schemas->end(), [](const json& v) {
          return v.is_string() && scim::iequals(v.get<std::string>(), scim::urn::list_response);
        }))
      add(rule::list_schema, "the list response's \"schemas\" does not name the ListResponse schema",
          std::string(scim::urn::list_response), schemas ? shown(*schemas) : "(absent)", "/schemas");

    std::optional<long long> total;
    if (const json* value = present(list, "totalResults"); !value) {
      add(rule::total_results, "the list response has no \"totalResults\"", "a non-negative integer", "(absent)",
          "/totalResults");
    } else if (!integer_of(*value) || *integer_of(*value) < 0) {
      add(rule::total_results, "\"totalResults\" is not a non-negative JSON integer", "a non-negative integer",
          shown(*value), "/totalResults");
    } else {
      total = integer_of(*value);
    }

    const std::optional<long long> count = requested("count");
    const long long wanted_start = std::max(1LL, requested("startIndex").value_or(1));
    const bool count_zero = count && *count <= 0;

    const json* resources = present(list, "Resources");
    if (resources && !resources->is_array()) {
      add(rule::resources_array, "\"Resources\" is " + kind_of(*resources) + ", not an array", "a JSON array",
          shown(*resources), "/Resources");
      resources = nullptr;
    } else if (!resources && total && *total > 0 && !count_zero && wanted_start <= *total) {
      add(rule::resources_array, "totalResults is " + std::to_string(*total) + " but \"Resources\" is absent",
          "a Resources array", "(absent)", "/Resources");
    }
    const long long returned = resources ? static_cast<long long>(resources->size()) : 0;
    const bool partial = total && returned > 0 && returned < *total;

    if (const json* items = present(list, "itemsPerPage")) {
      auto n = integer_of(*items);
      if (!n || *n != returned)
        add(rule::items_per_page, "\"itemsPerPage\" is not the number of Resources returned", std::to_string(returned),
            shown(*items), "/itemsPerPage");
    } else if (partial) {
      add(rule::items_per_page, "a partial page has no \"itemsPerPage\"", std::to_string(returned), "(absent)",
          "/itemsPerPage");
    }

    if (const json* start = present(list, "startIndex")) {
      auto n = integer_of(*start);
      // A server that does not page returns everything from index 1; that is honest, not an echo failure.
      bool unpaged = n && *n == 1 && total && returned == *total;
      if (!n || (*n != wanted_start && !unpaged))
        add(rule::start_index, "\"startIndex\" is not the index of the first result requested",
            std::to_string(wanted_start), shown(*start), "/startIndex");
    } else if (partial) {
      add(rule::start_index, "a partial page has no \"startIndex\"", std::to_string(wanted_start), "(absent)",
          "/startIndex");
    }

    if (count && returned > std::max(0LL, *count))
      add(rule::count_limit,
          std::to_string(returned) + " resources returned for count=" + std::to_string(*count),
          "at most " + std::to_string(std::max(0LL, *count)), std::to_string(returned), "/Resources");
    if (total && *total < returned)
      add(rule::total_covers_page,
          "totalResults (" + std::to_string(*total) + ") is smaller than the " + std::to_string(returned) +
              " resources on the page",
          "at least " + std::to_string(returned), std::to_string(*total), "/totalResults");

    if (resources)
      for (std::size_t i = 0; i < resources->size(); ++i) element_check((*resources)[i], pointer_join("/Resources", i));
  }

  // ---- RFC 7644 §3.7 bulk ----

  // RFC 7644 §3.7: the BulkResponse URN; "Operations ... REQUIRED"; "When indicating an error, the
  // "response" attribute MUST contain a detailed error response as defined in Section 3.12."
  void check_bulk() {
    if (!body_ || !body_->is_object()) {
      add(rule::bulk_schema, "the bulk response is not a JSON object", "a BulkResponse object",
          body_ ? kind_of(*body_) : clip(exchange_.response_body));
      return;
    }
    const json* schemas = present(*body_, "schemas");
    if (!schemas || !schemas->is_array() ||
        std::none_of(schemas->begin(), schemas->end(), [](const json& v) {
          return v.is_string() && scim::iequals(v.get<std::string>(), scim::urn::bulk_response);
        }))
      add(rule::bulk_schema, "the bulk response's \"schemas\" does not name the BulkResponse schema",
          std::string(scim::urn::bulk_response), schemas ? shown(*schemas) : "(absent)", "/schemas");
    const json* operations = present(*body_, "Operations");
    if (!operations || !operations->is_array()) {
      add(rule::bulk_operations, "the bulk response has no \"Operations\" array", "a JSON array",
          operations ? shown(*operations) : "(absent)", "/Operations");
      return;
    }
    for (std::size_t i = 0; i < operations->size(); ++i) {
      const json& operation = (*operations)[i];
      const std::string at = pointer_join("/Operations", i);
      if (!operation.is_object()) {
        add(rule::bulk_operations, "a bulk operation result is " + kind_of(operation) + ", not an object",
            "a JSON object", shown(operation), at);
        continue;
      }
      const json* status = present(operation, "status");
      std::optional<long long> code;
      if (status && status->is_string()) code = parse_integer(status->get<std::string>());
      else if (status) code = integer_of(*status);
      if (!code) {
        add(rule::bulk_operations, "a bulk operation result has no usable \"status\"", "an HTTP status code",
            status ? shown(*status) : "(absent)", pointer_join(at, "status"));
        continue;
      }
      if (*code < 400) continue;
      const json* response = present(operation, "response");
      if (!response || !response->is_object()) {
        add(rule::bulk_operation_error,
            "bulk operation status " + std::to_string(*code) + " without an error object in \"response\"",
            "an RFC 7644 §3.12 error object", response ? shown(*response) : "(absent)", pointer_join(at, "response"));
        continue;
      }
      check_error_object(*response, static_cast<int>(*code), pointer_join(at, "response"));
    }
  }

  // ---- RFC 7643 §5, §6, §7 discovery documents ----

  void check_schemas_naming(const json& document, std::string_view urn, const std::string& at) {
    std::vector<std::string> urns;
    if (check_schemas(document, at, urns) && !contains_urn(urns, urn))
      add(rule::schemas_core, "\"schemas\" does not name " + std::string(urn), std::string(urn),
          shown(document["schemas"]), pointer_join(at, "schemas"));
  }

  // RFC 7643 §5: patch, bulk, filter, changePassword, sort, etag each with "supported  A Boolean
  // value ... REQUIRED."; bulk and filter limits are REQUIRED integers; authenticationSchemes
  // "REQUIRED" with type, name and description.
  void check_service_provider_config(const json& spc) {
    if (!spc.is_object()) {
      add(rule::spc_features, "the ServiceProviderConfig is not a JSON object", "a JSON object", kind_of(spc));
      return;
    }
    check_schemas_naming(spc, scim::urn::service_provider_config, "");
    for (const char* feature : {"patch", "bulk", "filter", "changePassword", "sort", "etag"}) {
      const std::string at = pointer_join("", feature);
      const json* value = present(spc, feature);
      if (!value || !value->is_object()) {
        add(rule::spc_features, std::string("\"") + feature + "\" is " + (value ? "not an object" : "missing"),
            "{\"supported\": true|false}", value ? shown(*value) : "(absent)", at);
        continue;
      }
      const json* supported = present(*value, "supported");
      if (!supported || !supported->is_boolean()) {
        add(rule::spc_features, std::string("\"") + feature + ".supported\" is not a JSON boolean", "true or false",
            supported ? shown(*supported) : "(absent)", pointer_join(at, "supported"));
        continue;
      }
      std::vector<const char*> limits;
      if (std::string_view(feature) == "bulk") limits = {"maxOperations", "maxPayloadSize"};
      if (std::string_view(feature) == "filter") limits = {"maxResults"};
      for (const char* limit : limits) {
        const json* number = present(*value, limit);
        if (number ? !integer_of(*number).has_value() : supported->get<bool>())
          add(rule::spc_limits, std::string("\"") + feature + "." + limit + "\" is " +
                                    (number ? kind_of(*number) : "missing although the feature is supported"),
              "a JSON integer", number ? shown(*number) : "(absent)", pointer_join(at, limit));
      }
    }
    const json* schemes = present(spc, "authenticationSchemes");
    if (!schemes || !schemes->is_array()) {
      add(rule::spc_authentication, "\"authenticationSchemes\" is " + std::string(schemes ? "not an array" : "missing"),
          "an array of authentication scheme objects", schemes ? shown(*schemes) : "(absent)",
          "/authenticationSchemes");
      return;
    }
    for (std::size_t i = 0; i < schemes->size(); ++i) {
      const json& scheme = (*schemes)[i];
      const std::string at = pointer_join("/authenticationSchemes", i);
      if (!scheme.is_object()) {
        add(rule::spc_authentication, "an authentication scheme is " + kind_of(scheme), "a JSON object",
            shown(scheme), at);
        continue;
      }
      for (const char* key : {"type", "name", "description"}) {
        const json* text = present(scheme, key);
        if (!text || !text->is_string())
          add(rule::spc_authentication, std::string("an authentication scheme's \"") + key + "\" is " +
                                            (text ? kind_of(*text) : "missing"),
              "a JSON string", text ? shown(*text) : "(absent)", pointer_join(at, key));
      }
    }
  }

  void check_discovery_list(DocumentKind kind) {
    ElementCheck check = [this, kind](const json& document, const std::string& at) {
      if (kind == DocumentKind::resource_type) check_resource_type_document(document, at);
      else check_schema_document(document, at);
    };
    if (!body_) {
      add(kind == DocumentKind::schema ? rule::schema_document : rule::resource_type_document,
          "the discovery response's body is not JSON", "a ListResponse", clip(exchange_.response_body));
      return;
    }
    // A bare array is what many targets serve; it is read as the list it means.
    if (body_->is_array()) {
      for (std::size_t i = 0; i < body_->size(); ++i) check((*body_)[i], pointer_join("", i));
      return;
    }
    check_list(check);
  }

  // RFC 7643 §6: name, endpoint and schema REQUIRED; each schemaExtensions entry has schema and
  // required, both REQUIRED.
  void check_resource_type_document(const json& document, const std::string& at) {
    if (!document.is_object()) {
      add(rule::resource_type_document, "a ResourceType is " + kind_of(document), "a JSON object", shown(document), at);
      return;
    }
    check_schemas_naming(document, scim::urn::resource_type, at);
    for (const char* key : {"name", "endpoint", "schema"}) {
      const json* value = present(document, key);
      if (!value || !value->is_string() || value->get<std::string>().empty())
        add(rule::resource_type_document, std::string("the ResourceType's \"") + key + "\" is " +
                                              (value ? "not a non-empty string" : "missing"),
            "a non-empty JSON string", value ? shown(*value) : "(absent)", pointer_join(at, key));
    }
    const json* extensions = present(document, "schemaExtensions");
    if (!extensions) return;
    if (!extensions->is_array()) {
      add(rule::resource_type_document, "\"schemaExtensions\" is not an array", "a JSON array", shown(*extensions),
          pointer_join(at, "schemaExtensions"));
      return;
    }
    for (std::size_t i = 0; i < extensions->size(); ++i) {
      const json& extension = (*extensions)[i];
      const std::string where = pointer_join(pointer_join(at, "schemaExtensions"), i);
      const json* schema = present(extension, "schema");
      if (!schema || !schema->is_string())
        add(rule::resource_type_document, "a schemaExtensions entry has no string \"schema\"", "a schema URN",
            schema ? shown(*schema) : shown(extension), pointer_join(where, "schema"));
      const json* required = present(extension, "required");
      if (!required || !required->is_boolean())
        add(rule::resource_type_document, "a schemaExtensions entry has no boolean \"required\"", "true or false",
            required ? shown(*required) : "(absent)", pointer_join(where, "required"));
    }
  }

  // RFC 7643 §7: a schema's id is its URN; attributes define name and one of the data types.
  void check_schema_document(const json& document, const std::string& at) {
    if (!document.is_object()) {
      add(rule::schema_document, "a Schema is " + kind_of(document), "a JSON object", shown(document), at);
      return;
    }
    check_schemas_naming(document, scim::urn::schema, at);
    const json* id = present(document, "id");
    if (!id || !id->is_string() || id->get<std::string>().empty())
      add(rule::schema_document, "the Schema has no URN as \"id\"", "the schema URN", id ? shown(*id) : "(absent)",
          pointer_join(at, "id"));
    const json* attributes = present(document, "attributes");
    if (!attributes || !attributes->is_array()) {
      add(rule::schema_document,
          "the Schema's \"attributes\" is " + std::string(attributes ? "not an array" : "missing"),
          "an array of attribute definitions", attributes ? shown(*attributes) : "(absent)",
          pointer_join(at, "attributes"));
      return;
    }
    check_attribute_definitions(*attributes, pointer_join(at, "attributes"));
  }

  void check_attribute_definitions(const json& attributes, const std::string& at) {
    static constexpr std::array<std::string_view, 8> types = {"string",  "boolean",  "decimal",   "integer",
                                                              "dateTime", "binary", "reference", "complex"};
    for (std::size_t i = 0; i < attributes.size(); ++i) {
      const json& attribute = attributes[i];
      const std::string where = pointer_join(at, i);
      if (!attribute.is_object()) {
        add(rule::schema_document, "an attribute definition is " + kind_of(attribute), "a JSON object",
            shown(attribute), where);
        continue;
      }
      const json* name = present(attribute, "name");
      if (!name || !name->is_string() || name->get<std::string>().empty())
        add(rule::schema_document, "an attribute definition has no string \"name\"", "the attribute's name",
            name ? shown(*name) : "(absent)", pointer_join(where, "name"));
      if (const json* type = present(attribute, "type")) {
        bool known = type->is_string() && std::any_of(types.begin(), types.end(), [&](std::string_view t) {
                       return scim::iequals(t, type->get<std::string>());
                     });
        if (!known)
          add(rule::schema_document, "an attribute's \"type\" is not an RFC 7643 data type",
              "string, boolean, decimal, integer, dateTime, binary, reference or complex", shown(*type),
              pointer_join(where, "type"));
      }
      if (const json* multi = present(attribute, "multiValued"); multi && !multi->is_boolean())
        add(rule::schema_document, "an attribute's \"multiValued\" is not a JSON boolean", "true or false",
            shown(*multi), pointer_join(where, "multiValued"));
      if (const json* subs = present(attribute, "subAttributes")) {
        if (!subs->is_array())
          add(rule::schema_document, "an attribute's \"subAttributes\" is not an array", "a JSON array", shown(*subs),
              pointer_join(where, "subAttributes"));
        else
          check_attribute_definitions(*subs, pointer_join(where, "subAttributes"));
      }
    }
  }

  const scimclient::Exchange& exchange_;
  const ValidationContext& context_;
  std::vector<Finding>& out_;
  RequestTarget target_;
  std::string method_;
  std::string current_schema_;  // the schema whose attributes are being walked, for messages
  std::optional<json> body_;
};

}  // namespace

RequestTarget classify_request(const scimclient::HttpRequestSpec& request, const ValidationContext& context) {
  const std::string method = upper(request.method);
  const std::string url = strip_query(request.url);
  std::string base = strip_query(context.base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();

  if (!base.empty()) {
    std::string rest;
    // A relative request URL ("/Users") is relative to the base already.
    if (!url.empty() && url.front() == '/') rest = url;
    else if (istarts_with(url, base) && (url.size() == base.size() || url[base.size()] == '/'))
      rest = url.substr(base.size());
    else
      return RequestTarget{};  // outside the target's SCIM base: not ours to judge
    return classify_segments(split_path(rest), method, context);
  }
  // No base URL known: take the first position in the path from which the rest reads as a SCIM
  // request ("/scim/v2/Users/42" → Users/42).
  std::vector<std::string> segments = split_path(path_of(url));
  for (std::size_t start = 0; start < segments.size(); ++start) {
    std::vector<std::string> rest(segments.begin() + static_cast<std::ptrdiff_t>(start), segments.end());
    RequestTarget target = classify_segments(rest, method, context);
    if (target.kind != RequestKind::other) return target;
  }
  RequestTarget target;
  target.in_scope = true;
  return target;
}

std::vector<Finding> validate_exchange(const scimclient::Exchange& exchange, const ValidationContext& context) {
  std::vector<Finding> findings;
  Validator(exchange, context, findings).run();
  return findings;
}

}  // namespace suites
