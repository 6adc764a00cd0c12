// Filter semantics of RFC 7644 §3.4.2.2, written from the RFC text and the RFC 7643 schema
// characteristics; see filter_oracle.hpp for the decisions taken where the RFC is silent.
#include "suites/oracle/filter_oracle.hpp"

#include "scim/attribute_path.hpp"
#include "scim/error.hpp"

#include <cctype>
#include <vector>

namespace suites {

using nlohmann::json;
using scim::AttributeDef;
using scim::AttributeType;
using scim::CompareOp;
using scim::Filter;

const json* find_member(const json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  if (auto it = object.find(std::string(name)); it != object.end()) return &*it;
  for (auto it = object.begin(); it != object.end(); ++it)
    if (scim::iequals(it.key(), name)) return &it.value();
  return nullptr;
}

json* find_member(json& object, std::string_view name) {
  return const_cast<json*>(find_member(static_cast<const json&>(object), name));
}

bool is_unassigned(const json& value) {
  if (value.is_null()) return true;
  if (value.is_array()) {
    for (const auto& element : value)
      if (!is_unassigned(element)) return false;
    return true;
  }
  if (value.is_object()) {
    for (const auto& [key, member] : value.items())
      if (!is_unassigned(member)) return false;
    return true;
  }
  return false;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

}  // namespace

std::optional<long long> parse_date_time(std::string_view text) {
  // xsd:dateTime: -?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?
  std::size_t i = 0;
  auto number = [&](std::size_t digits) -> std::optional<long long> {
    if (i + digits > text.size()) return std::nullopt;
    long long n = 0;
    for (std::size_t k = 0; k < digits; ++k) {
      if (!is_digit(text[i + k])) return std::nullopt;
      n = n * 10 + (text[i + k] - '0');
    }
    i += digits;
    return n;
  };
  auto expect = [&](char c) {
    if (i < text.size() && (text[i] == c || std::tolower(static_cast<unsigned char>(text[i])) == c)) {
      ++i;
      return true;
    }
    return false;
  };
  bool negative_year = expect('-');
  auto year = number(4);
  if (!year || !expect('-')) return std::nullopt;
  auto month = number(2);
  if (!month || !expect('-')) return std::nullopt;
  auto day = number(2);
  if (!day || !expect('t')) return std::nullopt;
  auto hour = number(2);
  if (!hour || !expect(':')) return std::nullopt;
  auto minute = number(2);
  if (!minute || !expect(':')) return std::nullopt;
  auto second = number(2);
  if (!second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 24 || *minute > 59 || *second > 60)
    return std::nullopt;
  long long nanos = 0;
  if (expect('.')) {
    long long scale = 100000000;
    std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) {
      nanos += (text[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  long long offset_minutes = 0;
  if (i < text.size()) {
    if (expect('z')) {
    } else if (text[i] == '+' || text[i] == '-') {
      int sign = text[i] == '-' ? -1 : 1;
      ++i;
      auto oh = number(2);
      if (!oh || !expect(':')) return std::nullopt;
      auto om = number(2);
      if (!om || *oh > 14 || *om > 59) return std::nullopt;
      offset_minutes = sign * (*oh * 60 + *om);
    } else {
      return std::nullopt;
    }
  }
  if (i != text.size()) return std::nullopt;
  long long y = negative_year ? -*year : *year;
  long long seconds = days_from_civil(y, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400 +
                      *hour * 3600 + *minute * 60 + *second - offset_minutes * 60;
  return seconds * 1000000000LL + nanos;
}

namespace {

[[noreturn]] void refuse(const std::string& detail) {
  throw scim::Error::bad_request(scim::ScimType::invalid_filter, detail);
}

std::string fold(const std::string& text, bool case_exact) { return case_exact ? text : scim::to_lower(text); }

// RFC 7643 §2.3.6: "A binary value is case exact", whatever the schema listing says
// (x509Certificates.value is listed with caseExact false).
bool case_exact(const AttributeDef& def) { return def.case_exact || def.type == AttributeType::binary; }

// RFC 7643 §3 "schemas" is on every resource but in no schema; URNs are case-insensitive.
const AttributeDef& schemas_attribute() {
  static const AttributeDef def = [] {
    AttributeDef d;
    d.name = "schemas";
    d.type = AttributeType::reference;
    d.multi_valued = true;
    d.case_exact = false;
    d.mutability = scim::Mutability::read_only;
    d.returned = scim::Returned::always;
    return d;
  }();
  return def;
}

// Where a filter's attribute lives in a resource.
struct Target {
  const AttributeDef* attribute = nullptr;  // the top-level attribute
  const AttributeDef* sub = nullptr;        // the sub-attribute, when the path names one
  std::string extension;                    // the extension URN whose object holds it, or ""
};

Target resolve(const scim::AttributePath& path, const scim::SchemaRegistry& schemas, const scim::ResourceTypeDef& type) {
  Target target;
  if (path.urn.empty() && path.sub_attribute.empty() && scim::iequals(path.attribute, "schemas")) {
    target.attribute = &schemas_attribute();
    return target;
  }
  auto resolved = schemas.resolve(type, path.urn, path.attribute, path.sub_attribute);
  if (!resolved && path.urn.empty()) {
    // RFC 7644 §3.10: clients "SHOULD fully qualify extended attributes", so an unqualified
    // name may still mean an extension attribute; it does when exactly one extension has it.
    int found = 0;
    for (const auto& extension : type.extensions) {
      if (auto candidate = schemas.resolve(type, extension.schema, path.attribute, path.sub_attribute)) {
        resolved = candidate;
        ++found;
      }
    }
    if (found > 1) refuse("attribute '" + scim::to_string(path) + "' is defined by several extensions of " + type.name +
                          "; qualify it with the extension's schema URN");
  }
  if (!resolved)
    refuse("filter names attribute '" + scim::to_string(path) + "', which resource type " + type.name +
           " does not define (see its schemas at /Schemas)");
  target.attribute = resolved->attribute;
  target.sub = resolved->sub_attribute;
  if (resolved->in_extension) target.extension = resolved->schema->id;
  return target;
}

// The definition a comparison is judged by. RFC 7644 §3.4.2.2: "For complex attributes, a fully
// qualified sub-attribute MUST be specified"; the RFC's own examples nevertheless write
// `emails co "example.com"`, which we read as the "value" sub-attribute.
const AttributeDef& compared_def(const AttributeDef& def, const std::string& shown) {
  if (def.type != AttributeType::complex) return def;
  if (const AttributeDef* value = def.find_sub("value")) return *value;
  refuse("'" + shown + "' is a complex attribute; compare one of its sub-attributes, e.g. " + shown + "." +
         (def.sub_attributes.empty() ? std::string("value") : def.sub_attributes.front().name));
}

// Refuses what RFC 7644 §3.4.2.2 and §3.12 ("the specified attribute and filter comparison
// combination is not supported") say a server must refuse.
void check_comparison(CompareOp op, const json& value, const AttributeDef& def, const std::string& shown) {
  if (op == CompareOp::pr) return;
  const std::string op_name(scim::to_string(op));
  const bool ordering = op == CompareOp::gt || op == CompareOp::ge || op == CompareOp::lt || op == CompareOp::le;
  const bool substring = op == CompareOp::co || op == CompareOp::sw || op == CompareOp::ew;
  if (value.is_null()) {
    if (op != CompareOp::eq && op != CompareOp::ne)
      refuse("'" + shown + " " + op_name + " null': only eq and ne can compare with null");
    return;
  }
  switch (def.type) {
    case AttributeType::boolean:
      // RFC 7644 §3.4.2.2, gt/ge/lt/le: "Boolean and Binary attributes SHALL cause a failed
      // response (HTTP 400 Bad Request) with a scimType of "invalidFilter""; substring
      // operators have no meaning on a boolean either.
      if (ordering || substring)
        refuse("'" + shown + "' is a boolean; it can only be compared with eq or ne, not " + op_name);
      if (!value.is_boolean()) refuse("'" + shown + "' is a boolean; compare it with true or false, not " + value.dump());
      return;
    case AttributeType::binary:
      if (ordering) refuse("'" + shown + "' is binary; RFC 7644 §3.4.2.2 forbids " + op_name + " on binary attributes");
      break;
    case AttributeType::integer:
    case AttributeType::decimal:
      if (substring) refuse("'" + shown + "' is a number; " + op_name + " applies to strings only");
      if (!value.is_number()) refuse("'" + shown + "' is a number; compare it with a number, not " + value.dump());
      return;
    case AttributeType::date_time:
      if (!value.is_string()) refuse("'" + shown + "' is a dateTime; compare it with a quoted dateTime string");
      if (!substring && !parse_date_time(value.get<std::string>()))
        refuse("'" + value.get<std::string>() + "' is not an xsd:dateTime (e.g. \"2011-05-13T04:42:34Z\")");
      return;
    case AttributeType::complex:
      refuse("'" + shown + "' is complex and cannot be compared with " + op_name);
    default:
      break;
  }
  if (!value.is_string()) refuse("'" + shown + "' is a string; compare it with a quoted string, not " + value.dump());
}

bool has_content(const json& value) {
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  return !is_unassigned(value);
}

// One stored value against the operand, for an operator other than pr. Values of the wrong JSON
// type never match: the server stored something its schema does not allow.
bool compare_one(const json& actual, CompareOp op, const json& operand, const AttributeDef& def) {
  if (op == CompareOp::co || op == CompareOp::sw || op == CompareOp::ew) {
    if (!actual.is_string()) return false;
    // RFC 7644 §3.4.2.2: case sensitivity follows the attribute's caseExact.
    const std::string a = fold(actual.get<std::string>(), case_exact(def));
    const std::string b = fold(operand.get<std::string>(), case_exact(def));
    if (op == CompareOp::co) return a.find(b) != std::string::npos;
    if (op == CompareOp::sw) return a.compare(0, b.size(), b) == 0 && a.size() >= b.size();
    return a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0;
  }
  int order = 0;  // actual <=> operand
  switch (def.type) {
    case AttributeType::boolean:
      if (!actual.is_boolean()) return false;
      order = actual.get<bool>() == operand.get<bool>() ? 0 : 1;
      break;
    case AttributeType::integer:
    case AttributeType::decimal: {
      if (!actual.is_number()) return false;
      if (actual.is_number_integer() && operand.is_number_integer()) {
        auto a = actual.get<long long>(), b = operand.get<long long>();
        order = a < b ? -1 : a > b ? 1 : 0;
      } else {
        double a = actual.get<double>(), b = operand.get<double>();
        order = a < b ? -1 : a > b ? 1 : 0;
      }
      break;
    }
    case AttributeType::date_time: {
      // RFC 7644 §3.4.2.2: "for DateTime types, it is a chronological comparison".
      if (!actual.is_string()) return false;
      auto a = parse_date_time(actual.get<std::string>());
      auto b = parse_date_time(operand.get<std::string>());
      if (!a || !b) return false;
      order = *a < *b ? -1 : *a > *b ? 1 : 0;
      break;
    }
    default: {
      // RFC 7644 §3.4.2.2: "For string attribute types, this is a lexicographical comparison".
      if (!actual.is_string()) return false;
      int c = fold(actual.get<std::string>(), case_exact(def)).compare(fold(operand.get<std::string>(), case_exact(def)));
      order = c < 0 ? -1 : c > 0 ? 1 : 0;
      break;
    }
  }
  switch (op) {
    case CompareOp::eq: return order == 0;
    case CompareOp::ne: return order != 0;
    case CompareOp::gt: return order > 0;
    case CompareOp::ge: return order >= 0;
    case CompareOp::lt: return order < 0;
    case CompareOp::le: return order <= 0;
    default: return false;
  }
}

// A comparison over every value the path yields. RFC 7644 §3.4.2.2: "If the specified attribute
// in a filter expression is a multi-valued attribute, the filter matches if any of the values of
// the specified attribute match the specified criterion".
bool compare_values(const std::vector<const json*>& values, CompareOp op, const json& operand, const AttributeDef& def) {
  std::vector<const json*> present;
  for (const json* v : values)
    if (v && has_content(*v)) present.push_back(v);
  // RFC 7644 §3.4.2.2, pr: "If the attribute has a non-empty value, or if it contains a
  // non-empty node for complex attributes, there is a match."
  if (op == CompareOp::pr) return !present.empty();
  // RFC 7643 §2.5: null and unassigned are one state, so `eq null` asks "unassigned?".
  if (operand.is_null()) return op == CompareOp::eq ? present.empty() : !present.empty();
  // Nothing unassigned is identical to a value, so `ne` holds for it (a documented choice).
  if (op == CompareOp::ne && present.empty()) return true;
  for (const json* v : present)
    if (compare_one(*v, op, operand, def)) return true;
  return false;
}

// Appends the values `def` holds in `node` (the attribute's value): the elements of a
// multi-valued attribute, or the single value.
void push_values(const json* node, std::vector<const json*>& out) {
  if (!node || node->is_null()) return;
  if (node->is_array()) {
    for (const auto& element : *node) out.push_back(&element);
  } else {
    out.push_back(node);
  }
}

// The values of sub-attribute `sub` across the elements (or the one object) in `values`.
std::vector<const json*> sub_values(const std::vector<const json*>& values, std::string_view sub) {
  std::vector<const json*> out;
  for (const json* v : values) push_values(find_member(*v, sub), out);
  return out;
}

class Evaluator {
 public:
  Evaluator(const scim::SchemaRegistry& schemas, const scim::ResourceTypeDef& type) : schemas_(schemas), type_(type) {}

  // Resolves every path and checks every comparison, so a filter a server must refuse is refused
  // even when evaluation would short-circuit past the offending part.
  void validate(const Filter& filter) const {
    switch (filter.kind) {
      case Filter::Kind::logical_and:
      case Filter::Kind::logical_or:
      case Filter::Kind::logical_not:
        for (const auto& child : filter.children) validate(child);
        return;
      case Filter::Kind::value_path: {
        Target target = resolve(filter.path, schemas_, type_);
        // RFC 7644 §3.4.2.2: valuePath filters the values of a multi-valued attribute (a single
        // complex value is accepted as a list of one).
        if (!target.attribute->multi_valued && target.attribute->type != AttributeType::complex)
          refuse("'" + scim::to_string(filter.path) + "' is a single simple value; [...] applies to multi-valued attributes");
        validate_inner(filter.children.at(0), *target.attribute, scim::to_string(filter.path));
        return;
      }
      case Filter::Kind::compare: {
        Target target = resolve(filter.path, schemas_, type_);
        const std::string shown = scim::to_string(filter.path);
        const AttributeDef& def = target.sub ? *target.sub : *target.attribute;
        if (filter.op != CompareOp::pr) check_comparison(filter.op, filter.value, compared_def(def, shown), shown);
        return;
      }
    }
  }

  // Checks a value filter whose names are sub-attributes of `attribute`.
  static void validate_inner(const Filter& filter, const AttributeDef& attribute, const std::string& outer) {
    switch (filter.kind) {
      case Filter::Kind::logical_and:
      case Filter::Kind::logical_or:
      case Filter::Kind::logical_not:
        for (const auto& child : filter.children) validate_inner(child, attribute, outer);
        return;
      case Filter::Kind::value_path:
        refuse("value filters cannot nest inside " + outer + "[...]");
      case Filter::Kind::compare: {
        const AttributeDef& def = inner_def(filter.path, attribute, outer);
        const std::string shown = outer + "." + filter.path.attribute;
        if (filter.op != CompareOp::pr) check_comparison(filter.op, filter.value, compared_def(def, shown), shown);
        return;
      }
    }
  }

  // The definition an inner name refers to: a sub-attribute of a complex attribute, or, for a
  // multi-valued attribute of simple values, "value" meaning the element itself.
  static const AttributeDef& inner_def(const scim::AttributePath& path, const AttributeDef& attribute,
                                       const std::string& outer) {
    if (!path.urn.empty() || !path.sub_attribute.empty())
      refuse("inside " + outer + "[...] name a sub-attribute of " + attribute.name + " (e.g. type, value), not '" +
             scim::to_string(path) + "'");
    if (attribute.type != AttributeType::complex) {
      if (scim::iequals(path.attribute, "value")) return attribute;
      refuse(outer + " holds simple values; inside [...] only 'value' names them");
    }
    if (const AttributeDef* sub = attribute.find_sub(path.attribute)) return *sub;
    refuse("'" + path.attribute + "' is not a sub-attribute of " + attribute.name);
  }

  bool evaluate(const Filter& filter, const json& resource) const {
    switch (filter.kind) {
      case Filter::Kind::logical_and: return evaluate(filter.children[0], resource) && evaluate(filter.children[1], resource);
      case Filter::Kind::logical_or: return evaluate(filter.children[0], resource) || evaluate(filter.children[1], resource);
      case Filter::Kind::logical_not: return !evaluate(filter.children[0], resource);
      case Filter::Kind::value_path: {
        Target target = resolve(filter.path, schemas_, type_);
        std::vector<const json*> elements;
        push_values(attribute_node(resource, target), elements);
        for (const json* element : elements)
          if (evaluate_inner(filter.children[0], *element, *target.attribute)) return true;
        return false;
      }
      case Filter::Kind::compare: {
        Target target = resolve(filter.path, schemas_, type_);
        std::vector<const json*> values;
        push_values(attribute_node(resource, target), values);
        const AttributeDef* def = target.attribute;
        if (target.sub) {
          values = sub_values(values, target.sub->name);
          def = target.sub;
        }
        if (filter.op == CompareOp::pr) return compare_values(values, filter.op, filter.value, *def);
        if (def->type == AttributeType::complex) {
          values = sub_values(values, "value");
          def = def->find_sub("value");
        }
        return compare_values(values, filter.op, filter.value, *def);
      }
    }
    return false;
  }

  static bool evaluate_inner(const Filter& filter, const json& element, const AttributeDef& attribute) {
    switch (filter.kind) {
      case Filter::Kind::logical_and:
        return evaluate_inner(filter.children[0], element, attribute) && evaluate_inner(filter.children[1], element, attribute);
      case Filter::Kind::logical_or:
        return evaluate_inner(filter.children[0], element, attribute) || evaluate_inner(filter.children[1], element, attribute);
      case Filter::Kind::logical_not: return !evaluate_inner(filter.children[0], element, attribute);
      case Filter::Kind::value_path: return false;  // refused by validate_inner
      case Filter::Kind::compare: {
        const AttributeDef& def = inner_def(filter.path, attribute, attribute.name);
        std::vector<const json*> values;
        if (&def == &attribute) {
          values.push_back(&element);
        } else {
          push_values(find_member(element, def.name), values);
        }
        const AttributeDef* compared = &def;
        if (filter.op != CompareOp::pr && def.type == AttributeType::complex) {
          values = sub_values(values, "value");
          compared = def.find_sub("value");
        }
        return compare_values(values, filter.op, filter.value, *compared);
      }
    }
    return false;
  }

 private:
  // The JSON node holding the top-level attribute of `target`, or nullptr.
  static const json* attribute_node(const json& resource, const Target& target) {
    const json* container = &resource;
    if (!target.extension.empty()) {
      container = find_member(resource, target.extension);
      if (!container) return nullptr;
    }
    return find_member(*container, target.attribute->name);
  }

  const scim::SchemaRegistry& schemas_;
  const scim::ResourceTypeDef& type_;
};

}  // namespace

bool filter_matches(const Filter& filter, const json& resource, const scim::SchemaRegistry& schemas,
                    const scim::ResourceTypeDef& type) {
  Evaluator evaluator(schemas, type);
  evaluator.validate(filter);
  return evaluator.evaluate(filter, resource);
}

bool element_matches(const Filter& inner, const json& element, const AttributeDef& attribute) {
  Evaluator::validate_inner(inner, attribute, attribute.name);
  return Evaluator::evaluate_inner(inner, element, attribute);
}

bool values_equal(const json& a, const json& b, const AttributeDef& def) {
  const bool a_unassigned = is_unassigned(a), b_unassigned = is_unassigned(b);
  if (a_unassigned || b_unassigned) return a_unassigned == b_unassigned;
  if (def.multi_valued && a.is_array() && b.is_array()) {
    // Multi-valued attributes are unordered (RFC 7643 §2.4): equal as multisets.
    AttributeDef element_def = def;
    element_def.multi_valued = false;
    std::vector<bool> used(b.size(), false);
    std::size_t a_count = 0, b_count = 0;
    for (const auto& x : b)
      if (!is_unassigned(x)) ++b_count;
    for (const auto& x : a) {
      if (is_unassigned(x)) continue;
      ++a_count;
      bool found = false;
      for (std::size_t i = 0; i < b.size() && !found; ++i)
        if (!used[i] && values_equal(x, b[i], element_def)) used[i] = found = true;
      if (!found) return false;
    }
    return a_count == b_count;
  }
  if (def.type == AttributeType::complex) {
    if (!a.is_object() || !b.is_object()) return false;
    for (const auto& [key, value] : a.items()) {
      const json* other = find_member(b, key);
      const AttributeDef* sub = def.find_sub(key);
      if (sub) {
        if (!values_equal(value, other ? *other : json(), *sub)) return false;
      } else if (!(other ? *other == value : is_unassigned(value))) {
        return false;
      }
    }
    for (const auto& [key, value] : b.items())
      if (!find_member(a, key) && !is_unassigned(value)) return false;
    return true;
  }
  switch (def.type) {
    case AttributeType::boolean: return a.is_boolean() && b.is_boolean() && a == b;
    case AttributeType::integer:
    case AttributeType::decimal:
      if (!a.is_number() || !b.is_number()) return false;
      if (a.is_number_integer() && b.is_number_integer()) return a.get<long long>() == b.get<long long>();
      return a.get<double>() == b.get<double>();
    case AttributeType::date_time:
      if (a.is_string() && b.is_string()) {
        auto x = parse_date_time(a.get<std::string>()), y = parse_date_time(b.get<std::string>());
        if (x && y) return *x == *y;
      }
      return a == b;
    default:
      if (!a.is_string() || !b.is_string()) return a == b;
      return fold(a.get<std::string>(), case_exact(def)) == fold(b.get<std::string>(), case_exact(def));
  }
}

}  // namespace suites
