// Filter evaluation over resource JSON (RFC 7644 §3.4.2.2), with comparison rules taken from
// the schema: caseExact, type, multi-valued.
//
// Two phases. compile() resolves every attribute path once, refuses the comparisons the RFC
// forbids (so a bad filter fails even on an empty store) and prepares each literal: folded to
// lower case for caseExact=false, parsed when it is a dateTime. evaluate() then walks the
// resource JSON in place: no copies, no allocation, no schema lookups.
//
// Choices the RFC leaves open, made here:
//  - An attribute no schema of the resource type defines matches nothing (every operator,
//    "ne" included). RFC 7644 §3.4.2.2 leaves unknown attributes to the service provider, and
//    IdPs probe attributes they map before using them; a 400 would break their whole sync.
//  - A URN that is no schema of the server is a 400 invalidFilter: it is a typo the client
//    must hear about. A schema of another resource type (a root search spans all types)
//    matches nothing.
//  - A literal of another JSON type than the attribute (active eq "true", userName eq 5) is a
//    value that is never equal: eq and the ordering/substring operators fail, ne holds.
//  - "ne" on an attribute the resource does not have holds: the resource does not have that
//    value. On a multi-valued attribute "ne" holds when any value differs (any-match).
//  - "eq null" holds when the attribute has no value, "ne null" when it has one; other
//    operators with null are a 400.
//  - Case folding for caseExact=false is ASCII; other characters compare exactly.
#include "reference_server/api/filter_eval.hpp"

#include "scim/attribute_path.hpp"

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace refserver {

namespace {

using scim::AttributeDef;
using scim::AttributeType;
using scim::CompareOp;
using scim::Filter;
using nlohmann::json;

[[noreturn]] void invalid(const std::string& detail) {
  throw scim::Error::bad_request(scim::ScimType::invalid_filter, "filter: " + detail);
}

// RFC 7644 §3.4.2.2 filters on "schemas" (filter=schemas eq "urn:...:enterprise:2.0:User"),
// which RFC 7643 §3 defines on every resource but no schema lists.
const AttributeDef& schemas_attribute() {
  static const AttributeDef def = [] {
    AttributeDef d;
    d.name = "schemas";
    d.type = AttributeType::reference;
    d.multi_valued = true;
    d.case_exact = false;  // schema URIs compare case-insensitively, as attribute names do
    return d;
  }();
  return def;
}

// ---------------------------------------------------------------------------------------------
// Values

// Keys are normally in the schema's spelling; the case-insensitive scan finds the ones that are
// not (RFC 7643 §2.1: attribute names are case-insensitive).
const json* member(const json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  if (it != object.end()) return &*it;
  for (auto i = object.begin(); i != object.end(); ++i)
    if (scim::iequals(i.key(), name)) return &i.value();
  return nullptr;
}

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string folded(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = fold(c);
  return out;
}

// `value` against `literal` (already folded when !case_exact), byte order after folding.
int compare_text(std::string_view value, std::string_view literal, bool case_exact) {
  std::size_t n = std::min(value.size(), literal.size());
  for (std::size_t i = 0; i < n; ++i) {
    auto a = static_cast<unsigned char>(case_exact ? value[i] : fold(value[i]));
    auto b = static_cast<unsigned char>(literal[i]);
    if (a != b) return a < b ? -1 : 1;
  }
  return value.size() < literal.size() ? -1 : value.size() > literal.size() ? 1 : 0;
}

bool equal_at(std::string_view value, std::size_t at, std::string_view literal, bool case_exact) {
  for (std::size_t i = 0; i < literal.size(); ++i)
    if ((case_exact ? value[at + i] : fold(value[at + i])) != literal[i]) return false;
  return true;
}

bool contains_text(std::string_view value, std::string_view literal, bool case_exact) {
  if (literal.size() > value.size()) return false;
  for (std::size_t at = 0; at + literal.size() <= value.size(); ++at)
    if (equal_at(value, at, literal, case_exact)) return true;
  return false;
}

struct DateTime {
  std::int64_t seconds = 0;  // since 1970-01-01T00:00:00Z
  std::int32_t nanos = 0;
  auto operator<=>(const DateTime&) const = default;
};

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool read_digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// RFC 7643 §2.3.5: dateTime is xsd:dateTime, written as RFC 3339 (2008-01-23T04:56:22Z, with
// optional fractional seconds and a numeric offset). A missing zone is read as UTC.
std::optional<DateTime> parse_date_time(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (!read_digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' || !read_digits(text, 5, 2, month) ||
      text[7] != '-' || !read_digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
      !read_digits(text, 11, 2, hour) || text[13] != ':' || !read_digits(text, 14, 2, minute) || text[16] != ':' ||
      !read_digits(text, 17, 2, second))
    return std::nullopt;
  static constexpr int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  std::size_t i = 19;
  std::int32_t nanos = 0;
  if (i < text.size() && text[i] == '.') {
    std::size_t first = ++i;
    std::int32_t scale = 100000000;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10) nanos += (text[i] - '0') * scale;
    if (i == first) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int oh, om;
    if (!read_digits(text, i + 1, 2, oh) || i + 3 >= text.size() || text[i + 3] != ':' ||
        !read_digits(text, i + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = (text[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 6;
  }
  if (i != text.size()) return std::nullopt;
  std::int64_t seconds = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                         hour * 3600 + minute * 60 + second - offset;
  return DateTime{seconds, nanos};
}

// RFC 7644 §3.4.2.2 "pr": "If the attribute has a non-empty value, or if it contains a
// non-empty node for complex attributes, there is a match." Null, "" and [] are empty
// (RFC 7643 §2.5 treats them as unassigned).
bool present(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return false;
    case json::value_t::string: return !value.get_ref<const std::string&>().empty();
    case json::value_t::array:
    case json::value_t::object:
      for (const auto& item : value)
        if (present(item)) return true;
      return false;
    default: return true;
  }
}

bool ordering(CompareOp op) { return op == CompareOp::gt || op == CompareOp::lt || op == CompareOp::ge || op == CompareOp::le; }
bool substring(CompareOp op) { return op == CompareOp::co || op == CompareOp::sw || op == CompareOp::ew; }

bool apply_order(CompareOp op, int order) {
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

enum class NodeKind : std::uint8_t { all_of, any_of, negate, element_match, compare, never };

// How a compare node reads each value.
enum class Mode : std::uint8_t { presence, text, boolean, number, date_time, null_literal, mismatch };

}  // namespace

struct CompiledFilter::Node {
  NodeKind kind = NodeKind::never;
  CompareOp op = CompareOp::eq;
  Mode mode = Mode::mismatch;
  bool in_element = false;  // look `attribute` up in the current element, not the resource
  bool case_exact = true;
  bool literal_bool = false;
  bool literal_integer = false;
  std::int64_t literal_int = 0;
  double literal_number = 0;
  DateTime literal_date;
  std::string literal_text;                 // folded when !case_exact
  const std::string* extension = nullptr;   // key of the extension object; null: top level
  const AttributeDef* attribute = nullptr;  // looked up in the resource, extension or element
  const AttributeDef* sub = nullptr;        // looked up in each value of `attribute`
  std::vector<std::uint32_t> children;
};

CompiledFilter::CompiledFilter() = default;
CompiledFilter::~CompiledFilter() = default;
CompiledFilter::CompiledFilter(CompiledFilter&&) noexcept = default;
CompiledFilter& CompiledFilter::operator=(CompiledFilter&&) noexcept = default;

namespace {

using Node = CompiledFilter::Node;

// ---------------------------------------------------------------------------------------------
// Compilation

class Compiler {
 public:
  Compiler(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type, std::vector<Node>& nodes)
      : registry_(registry), type_(type), nodes_(nodes) {}

  // `scope` is the complex attribute whose element the names are relative to (inside [...]),
  // null at the resource level.
  std::uint32_t add(const Filter& filter, const AttributeDef* scope) {
    auto index = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back();
    Node node = build(filter, scope);
    nodes_[index] = std::move(node);
    return index;
  }

 private:
  Node build(const Filter& filter, const AttributeDef* scope) {
    Node node;
    switch (filter.kind) {
      case Filter::Kind::logical_and:
      case Filter::Kind::logical_or: {
        node.kind = filter.kind == Filter::Kind::logical_and ? NodeKind::all_of : NodeKind::any_of;
        // A chain "a and b and c" is a left-deep tree; flattening it walks it without recursion.
        std::vector<const Filter*> pending{&filter};
        while (!pending.empty()) {
          const Filter* f = pending.back();
          pending.pop_back();
          if (f->kind == filter.kind && f->children.size() == 2) {
            pending.push_back(&f->children[1]);
            pending.push_back(&f->children[0]);
          } else {
            node.children.push_back(add(*f, scope));
          }
        }
        return node;
      }
      case Filter::Kind::logical_not:
        node.kind = NodeKind::negate;
        node.children.push_back(add(filter.children.at(0), scope));
        return node;
      case Filter::Kind::value_path: return build_value_path(filter, scope);
      case Filter::Kind::compare: return build_compare(filter, scope);
    }
    return node;
  }

  // Resolves a resource-level path into node.extension / attribute / sub; false when the
  // resource type has no such attribute.
  bool resolve(const scim::AttributePath& path, Node& node) {
    if (!path.urn.empty() && !scim::iequals(path.urn, type_.schema)) {
      bool extension = false;
      for (const auto& ext : type_.extensions) extension |= scim::iequals(ext.schema, path.urn);
      if (!extension) {
        std::string whole = scim::to_string(path);
        if (registry_.find_schema(whole))
          invalid("'" + whole + "' names a whole schema; filter on one of its attributes, e.g. " + whole +
                  ":attributeName");
        // A root search (RFC 7644 §3.4.3) applies one filter to every resource type.
        if (registry_.find_schema(path.urn)) return false;
        invalid("'" + path.urn + "' is not a schema this server knows; see /Schemas for the URNs of " + type_.name +
                " (" + type_.schema + (type_.extensions.empty() ? "" : " and its extensions") + ")");
      }
    }
    if ((path.urn.empty() || scim::iequals(path.urn, type_.schema)) && scim::iequals(path.attribute, "schemas")) {
      if (!path.sub_attribute.empty()) return false;
      node.attribute = &schemas_attribute();
      return true;
    }
    auto resolved = registry_.resolve(type_, path.urn, path.attribute, path.sub_attribute);
    if (!resolved) return false;
    node.attribute = resolved->attribute;
    node.sub = resolved->sub_attribute;
    if (resolved->in_extension) node.extension = &resolved->schema->id;
    return true;
  }

  Node build_value_path(const Filter& filter, const AttributeDef* scope) {
    Node node;
    std::string name = scim::to_string(filter.path);
    // RFC 7644 §3.4.2.2 grammar: valFilter holds attrExp / logExp / not, never a valuePath.
    if (scope) invalid("value filters cannot nest: '" + name + "[...]' inside " + scope->name + "[...]");
    if (!filter.path.sub_attribute.empty())
      invalid("'" + name + "[...]': a value filter follows a multi-valued attribute, not a sub-attribute");
    if (!resolve(filter.path, node)) return node;  // never
    if (node.attribute->type != AttributeType::complex)
      invalid("'" + name + "[...]' needs a complex attribute, and " + node.attribute->name + " is a " +
              std::string(scim::to_string(node.attribute->type)) + "; write " + name + " eq ... instead");
    node.kind = NodeKind::element_match;
    node.children.push_back(add(filter.children.at(0), node.attribute));
    return node;
  }

  Node build_compare(const Filter& filter, const AttributeDef* scope) {
    Node node;
    node.op = filter.op;
    std::string name = scim::to_string(filter.path);
    if (scope) {
      if (!filter.path.urn.empty() || !filter.path.sub_attribute.empty())
        invalid("inside " + scope->name + "[...] name a sub-attribute of " + scope->name + " (e.g. value, type), not '" +
                name + "'");
      node.in_element = true;
      node.attribute = scope->find_sub(filter.path.attribute);
      if (!node.attribute) return node;  // never
      name = scope->name + "." + node.attribute->name;
    } else if (!resolve(filter.path, node)) {
      return node;  // never
    }
    node.kind = NodeKind::compare;

    if (filter.op == CompareOp::pr) {
      node.mode = Mode::presence;
      return node;
    }
    const AttributeDef* target = node.sub ? node.sub : node.attribute;
    if (target->type == AttributeType::complex) {
      // RFC 7644 §3.4.2.2, Figure 2 filters a multi-valued complex attribute by itself
      // (emails co "example.com") beside emails.value co "example.org": the "value"
      // sub-attribute (RFC 7643 §2.4) stands for the element.
      const AttributeDef* value = target->multi_valued ? target->find_sub("value") : nullptr;
      if (!value || node.sub)
        invalid("'" + name + "' is complex: compare one of its sub-attributes" +
                (target->sub_attributes.empty() ? std::string()
                                                : ", e.g. " + name + "." + target->sub_attributes.front().name));
      node.sub = value;
      target = value;
    }
    configure(node, *target, filter.value, name);
    return node;
  }

  void configure(Node& node, const AttributeDef& target, const json& literal, const std::string& name) {
    CompareOp op = node.op;
    std::string op_name(scim::to_string(op));
    switch (target.type) {
      // RFC 7644 §3.4.2.2, gt/ge/lt/le: "Boolean and Binary attributes SHALL cause a failed
      // response (HTTP 400 Bad Request) with a "scimType" of "invalidFilter"."
      case AttributeType::boolean:
        if (op != CompareOp::eq && op != CompareOp::ne)
          invalid("'" + name + "' is a boolean: only eq, ne and pr apply, not " + op_name);
        break;
      case AttributeType::binary:
        if (ordering(op)) invalid("'" + name + "' is binary: gt, ge, lt and le do not apply (RFC 7644 §3.4.2.2)");
        break;
      // co/sw/ew are defined on strings ("substring of the attribute value").
      case AttributeType::integer:
      case AttributeType::decimal:
        if (substring(op)) invalid("'" + name + "' is a number: co, sw and ew apply to strings; use eq, gt, ge, lt or le");
        break;
      case AttributeType::complex:
        invalid("'" + name + "' is complex: compare one of its sub-attributes");
      default: break;
    }
    if (literal.is_null()) {
      if (op != CompareOp::eq && op != CompareOp::ne)
        invalid("null can only be compared with eq or ne ('" + name + " " + op_name + " null'); use pr to test presence");
      node.mode = Mode::null_literal;
      return;
    }
    node.case_exact = target.case_exact;
    switch (target.type) {
      case AttributeType::boolean:
        if (!literal.is_boolean()) return;  // Mode::mismatch
        node.mode = Mode::boolean;
        node.literal_bool = literal.get<bool>();
        return;
      case AttributeType::integer:
      case AttributeType::decimal:
        if (!literal.is_number()) return;
        node.mode = Mode::number;
        node.literal_number = literal.get<double>();
        if (literal.is_number_integer() &&
            (!literal.is_number_unsigned() ||
             literal.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
          node.literal_integer = true;
          node.literal_int = literal.get<std::int64_t>();
        }
        return;
      case AttributeType::date_time:
        if (!literal.is_string()) return;
        // RFC 7644 §3.4.2.2, gt: "If the attribute value is a DateTime, then a chronological
        // comparison is performed." Substring operators read the text as written.
        if (!substring(op)) {
          auto date = parse_date_time(literal.get_ref<const std::string&>());
          if (!date)
            invalid("'" + name + "' is a dateTime and " + literal.dump() +
                    " is not one; write RFC 3339 such as \"2011-05-13T04:42:34Z\"");
          node.mode = Mode::date_time;
          node.literal_date = *date;
          return;
        }
        break;
      default: break;
    }
    if (!literal.is_string()) return;
    // RFC 7644 §3.4.2.2: "the case sensitivity for String type attributes SHALL be determined
    // by the attribute's "caseExact" characteristic".
    node.mode = Mode::text;
    const auto& text = literal.get_ref<const std::string&>();
    node.literal_text = node.case_exact ? text : folded(text);
  }

  const scim::SchemaRegistry& registry_;
  const scim::ResourceTypeDef& type_;
  std::vector<Node>& nodes_;
};

// ---------------------------------------------------------------------------------------------
// Evaluation

int compare_numbers(const json& value, const Node& node) {
  if (node.literal_integer && value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return 1;
    auto v = value.get<std::int64_t>();
    return v < node.literal_int ? -1 : v > node.literal_int ? 1 : 0;
  }
  double v = value.get<double>();
  return v < node.literal_number ? -1 : v > node.literal_number ? 1 : 0;
}

// One non-null value against the node's literal.
bool test(const Node& node, const json& value) {
  switch (node.mode) {
    case Mode::text: {
      if (!value.is_string()) return node.op == CompareOp::ne;
      std::string_view text = value.get_ref<const std::string&>();
      std::string_view literal = node.literal_text;
      switch (node.op) {
        case CompareOp::co: return contains_text(text, literal, node.case_exact);
        case CompareOp::sw: return text.size() >= literal.size() && equal_at(text, 0, literal, node.case_exact);
        case CompareOp::ew:
          return text.size() >= literal.size() && equal_at(text, text.size() - literal.size(), literal, node.case_exact);
        default: return apply_order(node.op, compare_text(text, literal, node.case_exact));
      }
    }
    case Mode::boolean:
      if (!value.is_boolean()) return node.op == CompareOp::ne;
      return apply_order(node.op, value.get<bool>() == node.literal_bool ? 0 : 1);
    case Mode::number:
      if (!value.is_number()) return node.op == CompareOp::ne;
      return apply_order(node.op, compare_numbers(value, node));
    case Mode::date_time: {
      if (!value.is_string()) return node.op == CompareOp::ne;
      auto date = parse_date_time(value.get_ref<const std::string&>());
      if (!date) return node.op == CompareOp::ne;
      auto order = *date <=> node.literal_date;
      return apply_order(node.op, order < 0 ? -1 : order > 0 ? 1 : 0);
    }
    default: return node.op == CompareOp::ne;  // Mode::mismatch
  }
}

// Calls `visit` on every value the node's path reaches, flattening multi-valued attributes,
// until it returns true.
template <class Visit>
bool any_value(const json* value, const AttributeDef* sub, Visit&& visit) {
  if (!value) return false;
  auto leaf = [&](const json& v) {
    if (!v.is_array()) return visit(v);
    for (const auto& item : v)
      if (visit(item)) return true;
    return false;
  };
  if (!sub) return leaf(*value);
  auto step = [&](const json& item) {
    const json* inner = member(item, sub->name);
    return inner && leaf(*inner);
  };
  if (!value->is_array()) return step(*value);
  for (const auto& item : *value)
    if (step(item)) return true;
  return false;
}

const json* holder_of(const Node& node, const json& resource, const json* element) {
  if (node.in_element) return element;
  return node.extension ? member(resource, *node.extension) : &resource;
}

bool compare(const Node& node, const json& resource, const json* element) {
  const json* holder = holder_of(node, resource, element);
  const json* value = holder ? member(*holder, node.attribute->name) : nullptr;
  switch (node.mode) {
    case Mode::presence: return any_value(value, node.sub, [](const json& v) { return present(v); });
    case Mode::null_literal: {
      bool has = any_value(value, node.sub, [](const json& v) { return !v.is_null(); });
      return node.op == CompareOp::eq ? !has : has;
    }
    default: {
      bool seen = false;
      bool hit = any_value(value, node.sub, [&](const json& v) {
        if (v.is_null()) return false;
        seen = true;
        return test(node, v);
      });
      // "ne" on an attribute without any value: the resource does not have that value.
      return hit || (!seen && node.op == CompareOp::ne);
    }
  }
}

}  // namespace

FilterEvaluator::FilterEvaluator(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type)
    : registry_(registry), type_(type) {}

CompiledFilter FilterEvaluator::compile(const Filter& filter) const {
  CompiledFilter compiled;
  Compiler(registry_, type_, compiled.nodes_).add(filter, nullptr);
  return compiled;
}

CompiledFilter FilterEvaluator::compile_element(const Filter& filter, const AttributeDef& attribute) const {
  if (attribute.type != AttributeType::complex)
    invalid("'" + attribute.name + "[...]' needs a complex attribute, and " + attribute.name + " is a " +
            std::string(scim::to_string(attribute.type)));
  CompiledFilter compiled;
  Compiler(registry_, type_, compiled.nodes_).add(filter, &attribute);
  return compiled;
}

bool FilterEvaluator::matches(const CompiledFilter& filter, const json& resource) const {
  return !filter.nodes_.empty() && evaluate(filter, 0, resource, nullptr);
}

bool FilterEvaluator::matches(const Filter& filter, const json& resource) const {
  return matches(compile(filter), resource);
}

bool FilterEvaluator::matches_element(const CompiledFilter& filter, const json& element) const {
  return !filter.nodes_.empty() && evaluate(filter, 0, element, &element);
}

bool FilterEvaluator::matches_element(const Filter& filter, const AttributeDef& attribute, const json& element) const {
  return matches_element(compile_element(filter, attribute), element);
}

bool FilterEvaluator::evaluate(const CompiledFilter& filter, std::uint32_t index, const json& resource,
                               const json* element) const {
  const Node& node = filter.nodes_[index];
  switch (node.kind) {
    case NodeKind::all_of:
      for (auto child : node.children)
        if (!evaluate(filter, child, resource, element)) return false;
      return true;
    case NodeKind::any_of:
      for (auto child : node.children)
        if (evaluate(filter, child, resource, element)) return true;
      return false;
    // RFC 7644 §3.4.2.2: "not" is the logical negation of the filter it encloses.
    case NodeKind::negate: return !evaluate(filter, node.children[0], resource, element);
    case NodeKind::never: return false;
    case NodeKind::compare: return compare(node, resource, element);
    case NodeKind::element_match: {
      // RFC 7644 §3.4.2.2 valuePath: the whole [...] filter must hold for one and the same
      // element (emails[type eq "work" and value co "@example.com"]).
      const json* holder = holder_of(node, resource, element);
      const json* value = holder ? member(*holder, node.attribute->name) : nullptr;
      if (!value) return false;
      if (!value->is_array()) return value->is_object() && evaluate(filter, node.children[0], resource, value);
      for (const auto& item : *value)
        if (item.is_object() && evaluate(filter, node.children[0], resource, &item)) return true;
      return false;
    }
  }
  return false;
}

}  // namespace refserver
