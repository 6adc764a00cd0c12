#include "simulator/idp/scim_json.hpp"

#include "simulator/directory/directory.hpp"

#include <charconv>

namespace sim {

namespace {

const nlohmann::json* member_ci(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  if (auto it = object.find(std::string(name)); it != object.end()) return &*it;
  std::string wanted = lower(name);
  for (auto it = object.begin(); it != object.end(); ++it)
    if (lower(it.key()) == wanted) return &*it;
  return nullptr;
}

// "path" inside an object with dots for sub-attributes and an optional [a eq b] on the first step.
std::optional<nlohmann::json> read_core(const nlohmann::json& object, std::string_view path) {
  std::string_view head = path, rest;
  if (auto dot = path.find('.', path.find(']') == std::string_view::npos ? 0 : path.find(']')); dot != std::string_view::npos) {
    head = path.substr(0, dot);
    rest = path.substr(dot + 1);
  }
  std::string_view filter;
  if (auto bracket = head.find('['); bracket != std::string_view::npos) {
    filter = head.substr(bracket + 1, head.size() - bracket - 2);
    head = head.substr(0, bracket);
  }
  const nlohmann::json* value = member_ci(object, head);
  if (!value || value->is_null()) return std::nullopt;
  if (!filter.empty()) {
    // Only "<attr> eq <literal>" is used: type eq "work", primary eq true.
    auto space = filter.find(" eq ");
    if (space == std::string_view::npos || !value->is_array()) return std::nullopt;
    std::string_view attribute = filter.substr(0, space);
    nlohmann::json literal = nlohmann::json::parse(filter.substr(space + 4), nullptr, false);
    const nlohmann::json* match = nullptr;
    for (const auto& element : *value) {
      const nlohmann::json* field = member_ci(element, attribute);
      if (!field) continue;
      bool equal = field->is_string() && literal.is_string() ? lower(field->get<std::string>()) == lower(literal.get<std::string>())
                                                             : *field == literal;
      if (equal) {
        match = &element;
        break;
      }
    }
    if (!match) return std::nullopt;
    value = match;
  }
  if (rest.empty()) return *value;
  return read_core(*value, rest);
}

}  // namespace

nlohmann::json patch_message(nlohmann::json operations) {
  return {{"schemas", {kPatchOpSchema}}, {"Operations", std::move(operations)}};
}

scimclient::HttpRequestSpec idp_request(std::string method, std::string url, scimclient::Headers headers,
                                        const nlohmann::json* body, std::chrono::milliseconds timeout) {
  scimclient::HttpRequestSpec spec;
  spec.method = std::move(method);
  spec.url = std::move(url);
  spec.headers = std::move(headers);
  if (body) spec.body = body->dump();
  spec.timeout = timeout;
  return spec;
}

std::optional<ListPage> list_page(const scimclient::Exchange& exchange) {
  if (!exchange.ok() || exchange.status != 200) return std::nullopt;
  auto body = exchange.json();
  if (!body || !body->is_object()) return std::nullopt;
  ListPage page;
  // Moved out of the parsed body, not copied: a convergence read takes whole directories.
  auto* resources = const_cast<nlohmann::json*>(member_ci(*body, "Resources"));
  if (resources && resources->is_array()) {
    page.resources.reserve(resources->size());
    for (auto& item : *resources) page.resources.push_back(std::move(item));
  }
  if (const nlohmann::json* total = member_ci(*body, "totalResults"); total && total->is_number_integer())
    page.total_results = total->get<std::int64_t>();
  else
    page.total_results = static_cast<std::int64_t>(page.resources.size());
  return page;
}

bool success(const scimclient::Exchange& exchange) {
  return exchange.ok() && exchange.status >= 200 && exchange.status < 300;
}

std::optional<nlohmann::json> resource_of(const scimclient::Exchange& exchange) {
  if (!success(exchange)) return std::nullopt;
  auto body = exchange.json();
  if (!body || !body->is_object()) return std::nullopt;
  return body;
}

std::chrono::milliseconds retry_after(const scimclient::Exchange& exchange, std::chrono::milliseconds fallback) {
  std::string value = exchange.header("Retry-After");
  long long seconds = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || error != std::errc() || end != value.data() + value.size() || seconds < 0) return fallback;
  return std::chrono::seconds(seconds);
}

std::string summarize(const scimclient::Exchange& exchange) {
  std::string url = exchange.request.url;
  if (auto scheme = url.find("://"); scheme != std::string::npos)
    if (auto slash = url.find('/', scheme + 3); slash != std::string::npos) url = url.substr(slash);
  std::string out = exchange.request.method + " " + url + " -> ";
  if (!exchange.ok()) return out + exchange.transport_error;
  out += std::to_string(exchange.status);
  if (auto body = exchange.json(); body && body->is_object()) {
    if (auto it = body->find("scimType"); it != body->end() && it->is_string()) out += " " + it->get<std::string>();
    if (auto it = body->find("detail"); it != body->end() && it->is_string()) out += ": " + it->get<std::string>();
  }
  return out;
}

std::optional<nlohmann::json> read_path(const nlohmann::json& resource, std::string_view path) {
  if (path.starts_with("urn:")) {
    // The schema URN is everything up to the last ':' before the attribute name.
    std::string_view attribute_part = path;
    auto dot = path.find('.', path.rfind(':'));
    std::string_view before_dot = dot == std::string_view::npos ? path : path.substr(0, dot);
    auto colon = before_dot.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view urn = path.substr(0, colon);
    attribute_part = path.substr(colon + 1);
    const nlohmann::json* extension = member_ci(resource, urn);
    if (!extension || !extension->is_object()) return std::nullopt;
    auto value = read_core(*extension, attribute_part);
    if (value && value->is_null()) return std::nullopt;
    return value;
  }
  auto value = read_core(resource, path);
  if (value && value->is_null()) return std::nullopt;
  return value;
}

std::vector<std::string> member_ids(const nlohmann::json& group) {
  std::vector<std::string> out;
  const nlohmann::json* members = member_ci(group, "members");
  if (!members || !members->is_array()) return out;
  for (const auto& member : *members)
    if (const nlohmann::json* value = member_ci(member, "value"); value && value->is_string())
      out.push_back(value->get<std::string>());
  return out;
}

std::string filter_literal(std::string_view value) { return nlohmann::json(std::string(value)).dump(); }

}  // namespace sim
