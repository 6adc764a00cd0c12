// Filter evaluation over resource JSON (RFC 7644 §3.4.2.2), with comparison rules taken from
// the schema: caseExact, type, multi-valued.
#include "reference_server/api/filter_eval.hpp"
#include "scim/attribute_path.hpp"

#include <cmath>
#include <ctime>
#include <optional>

namespace refserver {

namespace {

using scim::AttributeDef;
using scim::AttributeType;
using scim::CompareOp;
using scim::Filter;

[[noreturn]] void invalid(const std::string& detail) {
  throw scim::Error::bad_request(scim::ScimType::invalid_filter, detail);
}

// Keys are written in the schema's spelling by the validator; the case-insensitive scan is for
// documents that are not (a PATCH in progress, an older file).
const nlohmann::json* member(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  if (it != object.end()) return &*it;
  for (auto i = object.begin(); i != object.end(); ++i)
    if (scim::iequals(i.key(), name)) return &i.value();
  return nullptr;
}

// RFC 3339 date-time as (seconds since epoch, nanoseconds); nullopt when unparsable.
std::optional<std::pair<long long, long>> parse_date_time(const std::string& text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 19 || std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute, &second) != 6)
    return std::nullopt;
  std::size_t i = 19;
  long nanos = 0;
  if (i < text.size() && text[i] == '.') {
    long scale = 100000000;
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, scale /= 10)
      nanos += (text[i] - '0') * scale;
  }
  long offset = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int oh, om;
    if (std::sscanf(text.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset = (text[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return std::make_pair(static_cast<long long>(timegm(&tm)) - offset, nanos);
}

std::string fold(const std::string& text, bool case_exact) { return case_exact ? text : scim::to_lower(text); }

// Refuses operator/type combinations RFC 7644 §3.4.2.2 does not define, before any value is read
// so the answer does not depend on the data.
void check_operator(const AttributeDef& def, CompareOp op, const std::string& name) {
  if (op == CompareOp::pr) return;
  bool ordering = op == CompareOp::gt || op == CompareOp::lt || op == CompareOp::ge || op == CompareOp::le;
  bool substring = op == CompareOp::co || op == CompareOp::sw || op == CompareOp::ew;
  switch (def.type) {
    case AttributeType::boolean:
      if (ordering || substring) invalid("'" + name + "' is a boolean: only eq, ne and pr apply");
      break;
    case AttributeType::binary:
      if (ordering) invalid("'" + name + "' is binary: gt, lt, ge and le do not apply");
      break;
    case AttributeType::complex:
      invalid("'" + name + "' is complex: compare one of its sub-attributes, e.g. " + name + ".value");
    case AttributeType::integer:
    case AttributeType::decimal:
      if (substring) invalid("'" + name + "' is a number: co, sw and ew apply to strings");
      break;
    default: break;
  }
}

bool compare_value(const nlohmann::json& value, CompareOp op, const nlohmann::json& literal, const AttributeDef& def) {
  if (literal.is_null()) return op == CompareOp::eq ? value.is_null() : op == CompareOp::ne ? !value.is_null() : false;
  int order = 0;
  switch (def.type) {
    case AttributeType::boolean:
      if (!value.is_boolean() || !literal.is_boolean()) return op == CompareOp::ne;
      order = value.get<bool>() == literal.get<bool>() ? 0 : 1;
      break;
    case AttributeType::integer:
    case AttributeType::decimal: {
      if (!value.is_number() || !literal.is_number()) return op == CompareOp::ne;
      double a = value.get<double>(), b = literal.get<double>();
      order = a < b ? -1 : a > b ? 1 : 0;
      break;
    }
    case AttributeType::date_time:
      if (!value.is_string() || !literal.is_string()) return op == CompareOp::ne;
      if (op != CompareOp::co && op != CompareOp::sw && op != CompareOp::ew) {
        auto a = parse_date_time(value.get<std::string>());
        auto b = parse_date_time(literal.get<std::string>());
        if (a && b) {
          order = *a < *b ? -1 : *a > *b ? 1 : 0;
          break;
        }
      }
      [[fallthrough]];
    default: {
      if (!value.is_string() || !literal.is_string()) return op == CompareOp::ne;
      std::string a = fold(value.get<std::string>(), def.case_exact);
      std::string b = fold(literal.get<std::string>(), def.case_exact);
      switch (op) {
        case CompareOp::co: return a.find(b) != std::string::npos;
        case CompareOp::sw: return a.compare(0, b.size(), b) == 0;
        case CompareOp::ew: return a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0;
        default: order = a.compare(b); order = order < 0 ? -1 : order > 0 ? 1 : 0;
      }
    }
  }
  switch (op) {
    case CompareOp::eq: return order == 0;
    case CompareOp::ne: return order != 0;
    case CompareOp::gt: return order > 0;
    case CompareOp::lt: return order < 0;
    case CompareOp::ge: return order >= 0;
    case CompareOp::le: return order <= 0;
    default: return false;
  }
}

bool present(const nlohmann::json* value) {
  if (!value || value->is_null()) return false;
  if (value->is_string()) return !value->get_ref<const std::string&>().empty();
  if (value->is_array() || value->is_object()) return !value->empty();
  return true;
}

// Applies one comparison to every value found at the path: any match is a match; a missing
// attribute matches only "ne" (the resource does not hold that value).
bool compare_values(const std::vector<const nlohmann::json*>& values, const Filter& filter, const AttributeDef& def) {
  if (filter.op == CompareOp::pr) {
    for (const auto* v : values)
      if (present(v)) return true;
    return false;
  }
  bool any = false;
  for (const auto* v : values) {
    if (!v || v->is_null()) continue;
    any = true;
    if (compare_value(*v, filter.op, filter.value, def)) return true;
  }
  if (!any) return filter.op == CompareOp::ne ? !filter.value.is_null() : filter.value.is_null() && filter.op == CompareOp::eq;
  return false;
}

// Gathers the values a path names inside `holder`, flattening multi-valued attributes.
void collect(const nlohmann::json* value, const AttributeDef& attribute, const AttributeDef* sub,
             std::vector<const nlohmann::json*>& out) {
  if (!value) return;
  auto pick = [&](const nlohmann::json& element) {
    if (sub) out.push_back(member(element, sub->name));
    else out.push_back(&element);
  };
  if (value->is_array()) {
    for (const auto& element : *value) pick(element);
  } else {
    pick(*value);
  }
}

}  // namespace

FilterEvaluator::FilterEvaluator(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type)
    : registry_(registry), type_(type) {}

bool FilterEvaluator::matches(const Filter& filter, const nlohmann::json& resource) const {
  switch (filter.kind) {
    case Filter::Kind::logical_and: return matches(filter.children[0], resource) && matches(filter.children[1], resource);
    case Filter::Kind::logical_or: return matches(filter.children[0], resource) || matches(filter.children[1], resource);
    case Filter::Kind::logical_not: return !matches(filter.children[0], resource);
    default: break;
  }
  const auto& path = filter.path;
  if (!path.urn.empty() && !scim::iequals(path.urn, type_.schema)) {
    bool known = false;
    for (const auto& ext : type_.extensions) known |= scim::iequals(ext.schema, path.urn);
    if (!known) invalid("'" + path.urn + "' is not a schema of " + type_.name);
  }
  auto resolved = registry_.resolve(type_, path.urn, path.attribute, path.sub_attribute);
  // An attribute the schema does not define matches nothing: RFC 7644 §3.4.2.2 leaves unknown
  // attributes to the provider, and IdPs probe attributes they map (Entra E8).
  if (!resolved) return filter.kind == Filter::Kind::compare && filter.op == CompareOp::ne;

  const nlohmann::json* holder = &resource;
  if (resolved->in_extension) holder = member(resource, resolved->schema->id);
  const nlohmann::json* value = holder ? member(*holder, resolved->attribute->name) : nullptr;

  if (filter.kind == Filter::Kind::value_path) {
    if (resolved->attribute->type != AttributeType::complex)
      invalid("'" + path.attribute + "[...]' needs a complex attribute");
    if (!value) return false;
    if (value->is_array()) {
      for (const auto& element : *value)
        if (matches_element(filter.children[0], *resolved->attribute, element)) return true;
      return false;
    }
    return matches_element(filter.children[0], *resolved->attribute, *value);
  }

  const AttributeDef* sub = resolved->sub_attribute;
  const AttributeDef* target = sub ? sub : resolved->attribute;
  // RFC 7644 §3.4.2.2: a filter on a multi-valued complex attribute without a sub-attribute
  // compares its "value" sub-attribute ("emails co \"@example.com\"").
  if (!sub && target->type == AttributeType::complex && filter.op != CompareOp::pr) {
    if (const AttributeDef* value_def = target->find_sub("value"); value_def && target->multi_valued) {
      sub = value_def;
      target = value_def;
    }
  }
  check_operator(*target, filter.op, scim::to_string(path));
  std::vector<const nlohmann::json*> values;
  collect(value, *resolved->attribute, sub, values);
  return compare_values(values, filter, *target);
}

bool FilterEvaluator::matches_element(const Filter& filter, const AttributeDef& attribute,
                                      const nlohmann::json& element) const {
  switch (filter.kind) {
    case Filter::Kind::logical_and:
      return matches_element(filter.children[0], attribute, element) &&
             matches_element(filter.children[1], attribute, element);
    case Filter::Kind::logical_or:
      return matches_element(filter.children[0], attribute, element) ||
             matches_element(filter.children[1], attribute, element);
    case Filter::Kind::logical_not: return !matches_element(filter.children[0], attribute, element);
    case Filter::Kind::value_path: invalid("value filters cannot nest: '" + scim::to_string(filter.path) + "[...]'");
    case Filter::Kind::compare: break;
  }
  if (!filter.path.urn.empty() || !filter.path.sub_attribute.empty())
    invalid("inside " + attribute.name + "[...] name a sub-attribute of " + attribute.name + ", e.g. value");
  const AttributeDef* sub = attribute.find_sub(filter.path.attribute);
  if (!sub) return filter.op == CompareOp::ne;
  check_operator(*sub, filter.op, attribute.name + "." + sub->name);
  std::vector<const nlohmann::json*> values{member(element, sub->name)};
  return compare_values(values, filter, *sub);
}

}  // namespace refserver
