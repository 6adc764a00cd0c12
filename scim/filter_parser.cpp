// Recursive-descent parser for the filter grammar of RFC 7644 §3.4.2.2 (see filter.hpp).
//
// Precedence is encoded by the call chain: parse_or → parse_and → parse_factor, so "and" binds
// tighter than "or", and "not (...)", "(...)" and "attr[...]" are single factors. Chains of
// and/or build left-associative trees without recursion; only brackets recurse, and they are
// bounded by max_depth.
#include "scim/attribute_path.hpp"
#include "scim/filter.hpp"
#include "scim/schema.hpp"

#include <optional>

namespace scim {

std::string_view to_string(CompareOp op) {
  switch (op) {
    case CompareOp::eq: return "eq";
    case CompareOp::ne: return "ne";
    case CompareOp::co: return "co";
    case CompareOp::sw: return "sw";
    case CompareOp::ew: return "ew";
    case CompareOp::gt: return "gt";
    case CompareOp::lt: return "lt";
    case CompareOp::ge: return "ge";
    case CompareOp::le: return "le";
    case CompareOp::pr: return "pr";
  }
  return "eq";
}

namespace {

// Nesting of "(", "not (" and "[" beyond this is refused: the parser, the evaluator and the
// Filter destructor all recurse once per level.
constexpr int max_depth = 64;
// A chain of and/or is a left-deep tree that the evaluator and destructor also walk
// recursively; no real query needs more comparisons than this.
constexpr int max_comparisons = 1000;

constexpr CompareOp all_operators[] = {CompareOp::eq, CompareOp::ne, CompareOp::co, CompareOp::sw, CompareOp::ew,
                                       CompareOp::gt, CompareOp::lt, CompareOp::ge, CompareOp::le, CompareOp::pr};

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Characters an attrPath may hold: ATTRNAME characters, the URN's ':' and '.', "$ref"'s '$'.
bool is_path_char(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == ':' || c == '.' || c == '$'; }

std::optional<CompareOp> operator_named(std::string_view word) {
  for (CompareOp op : all_operators)
    if (iequals(word, to_string(op))) return op;
  return std::nullopt;
}

class FilterParser {
 public:
  explicit FilterParser(std::string_view text) : text_(text) {}

  Filter parse() {
    skip_spaces();
    if (at_end()) fail("the filter is empty; write an expression such as userName eq \"bjensen\"");
    Filter filter = parse_or(0);
    skip_spaces();
    if (!at_end()) fail_after_expression("the end of the filter");
    return filter;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }
  [[noreturn]] void fail_at(std::size_t offset, const std::string& what) const {
    throw Error::bad_request(ScimType::invalid_filter, "filter: " + what + " at offset " + std::to_string(offset));
  }
  // What stands where an expression ended and 'and', 'or' or `closer` was due.
  [[noreturn]] void fail_after_expression(const std::string& closer) const {
    char c = text_[pos_];
    if (c == ')' && closer != "')'") fail("unexpected ')' without a matching '('");
    if (c == ']' && closer != "']'") fail("unexpected ']' without a matching '['");
    if (c == '.' && pos_ > 0 && text_[pos_ - 1] == ']')
      fail("a sub-attribute after ']' is only allowed in PATCH paths; in a filter write e.g. emails[type eq \"work\" and value pr]");
    fail("expected 'and', 'or' or " + closer + ", found '" + std::string(word_at(pos_)) + "'");
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  bool skip_spaces() {
    std::size_t start = pos_;
    while (!at_end() && is_space(peek())) ++pos_;
    return pos_ != start;
  }
  // A short excerpt for error details: the token starting at `offset`.
  std::string_view word_at(std::size_t offset) const {
    std::size_t end = offset;
    while (end < text_.size() && !is_space(text_[end]) && end - offset < 24) ++end;
    if (end == offset && end < text_.size()) ++end;
    return text_.substr(offset, end - offset);
  }

  // RFC 7644 §3.4.2.2: logExp = FILTER SP ("and" / "or") SP FILTER; keywords are
  // case-insensitive. A ')' or ']' may stand in for the space before, a '(' for the one after.
  bool logical_keyword(std::string_view word) {
    std::size_t save = pos_;
    bool spaced = skip_spaces();
    bool closed_before = save > 0 && (text_[save - 1] == ')' || text_[save - 1] == ']');
    if ((spaced || closed_before) && text_.size() - pos_ >= word.size() &&
        iequals(text_.substr(pos_, word.size()), word)) {
      std::size_t after = pos_ + word.size();
      if (after == text_.size()) fail_at(after, "expected an expression after '" + std::string(word) + "'");
      if (is_space(text_[after]) || text_[after] == '(') {
        pos_ = after;
        skip_spaces();
        if (at_end()) fail("expected an expression after '" + std::string(word) + "'");
        return true;
      }
    }
    pos_ = save;
    return false;
  }

  Filter combine(Filter::Kind kind, Filter left, Filter right) {
    Filter node;
    node.kind = kind;
    node.children.reserve(2);
    node.children.push_back(std::move(left));
    node.children.push_back(std::move(right));
    return node;
  }

  // RFC 7644 §3.4.2.2: "and" takes precedence over "or".
  Filter parse_or(int depth) {
    Filter left = parse_and(depth);
    while (logical_keyword("or")) left = combine(Filter::Kind::logical_or, std::move(left), parse_and(depth));
    return left;
  }

  Filter parse_and(int depth) {
    Filter left = parse_factor(depth);
    while (logical_keyword("and")) left = combine(Filter::Kind::logical_and, std::move(left), parse_factor(depth));
    return left;
  }

  void enter(int depth) const {
    if (depth >= max_depth)
      fail("brackets nest deeper than " + std::to_string(max_depth) + " levels; simplify the filter");
  }

  Filter parse_group(int depth) {
    enter(depth);
    std::size_t open = pos_++;
    skip_spaces();
    if (at_end()) fail("expected an expression after '('");
    Filter inner = parse_or(depth + 1);
    skip_spaces();
    if (at_end()) fail("expected ')' to close the '(' at offset " + std::to_string(open));
    if (peek() != ')') fail_after_expression("')' (closing the '(' at offset " + std::to_string(open) + ")");
    ++pos_;
    return inner;
  }

  Filter parse_factor(int depth) {
    skip_spaces();
    if (at_end()) fail("expected an attribute name, 'not' or '('");
    if (peek() == '(') return parse_group(depth);
    // "not" is a keyword only when a '(' follows; otherwise it is an attribute named "not".
    if (text_.size() - pos_ >= 3 && iequals(text_.substr(pos_, 3), "not") &&
        (pos_ + 3 == text_.size() || is_space(text_[pos_ + 3]) || text_[pos_ + 3] == '(')) {
      std::size_t keyword = pos_;
      pos_ += 3;
      skip_spaces();
      if (!at_end() && peek() == '(') {
        Filter node;
        node.kind = Filter::Kind::logical_not;
        node.children.push_back(parse_group(depth));
        return node;
      }
      // "not eq ..." compares an attribute called "not"; anything else is a missing '('.
      std::size_t word_start = pos_;
      while (!at_end() && is_alpha(peek())) ++pos_;
      bool operator_follows = operator_named(text_.substr(word_start, pos_ - word_start)).has_value();
      pos_ = keyword;
      if (!operator_follows) fail_at(keyword + 3, "expected '(' after 'not', as in not (title pr)");
    }
    return parse_attribute_expression(depth);
  }

  Filter parse_attribute_expression(int depth) {
    std::size_t start = pos_;
    while (!at_end() && is_path_char(peek())) ++pos_;
    std::string_view token = text_.substr(start, pos_ - start);
    if (token.empty()) fail("expected an attribute name, 'not' or '(', found '" + std::string(word_at(pos_)) + "'");
    Filter node;
    try {
      node.path = parse_attribute_path(token, ScimType::invalid_filter);
    } catch (const Error& e) {
      fail_at(start, e.detail());
    }
    if (++comparisons_ > max_comparisons)
      fail_at(start, "more than " + std::to_string(max_comparisons) + " comparisons in one filter; split the query");

    if (!at_end() && peek() == '[') return parse_value_path(std::move(node), depth);

    if (at_end()) fail("expected a comparison operator after '" + std::string(token) + "'");
    if (!is_space(peek()))
      fail("expected a space and a comparison operator after '" + std::string(token) + "', found '" +
           std::string(word_at(pos_)) + "'");
    skip_spaces();
    if (at_end()) fail("expected a comparison operator after '" + std::string(token) + "'");
    std::size_t op_start = pos_;
    while (!at_end() && is_alpha(peek())) ++pos_;
    std::string_view op_text = text_.substr(op_start, pos_ - op_start);
    auto op = operator_named(op_text);
    if (!op)
      fail_at(op_start, "expected a comparison operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) after '" +
                            std::string(token) + "', found '" + std::string(word_at(op_start)) + "'");
    node.op = *op;
    if (node.op == CompareOp::pr) {
      if (!at_end() && !is_space(peek()) && peek() != ')' && peek() != ']')
        fail("expected a space, ')' or ']' after 'pr', found '" + std::string(word_at(pos_)) + "'");
      return node;
    }
    // RFC 7644 §3.4.2.2: attrExp = attrPath SP compareOp SP compValue.
    if (at_end() || peek() == ')' || peek() == ']')
      fail("expected a value after '" + std::string(op_text) + "' (a \"quoted string\", a number, true, false or null)");
    if (!is_space(peek()))
      fail("expected a space between '" + std::string(op_text) + "' and its value, found '" +
           std::string(word_at(pos_)) + "'");
    skip_spaces();
    if (at_end())
      fail("expected a value after '" + std::string(op_text) + "' (a \"quoted string\", a number, true, false or null)");
    node.value = parse_value();
    return node;
  }

  // valuePath = attrPath "[" valFilter "]"; valFilter admits no valuePath of its own.
  Filter parse_value_path(Filter node, int depth) {
    if (in_value_filter_) fail("value filters cannot nest; inside [...] name sub-attributes of the outer attribute");
    if (!node.path.sub_attribute.empty())
      fail("a value filter follows a multi-valued attribute, not a sub-attribute; write e.g. emails[type eq \"work\"]");
    enter(depth);
    std::size_t open = pos_++;
    skip_spaces();
    if (at_end() || peek() == ']') fail("expected a filter inside '[...]', e.g. emails[type eq \"work\"]");
    in_value_filter_ = true;
    Filter inner = parse_or(depth + 1);
    in_value_filter_ = false;
    skip_spaces();
    if (at_end()) fail("expected ']' to close the '[' at offset " + std::to_string(open));
    if (peek() != ']') fail_after_expression("']' (closing the '[' at offset " + std::to_string(open) + ")");
    ++pos_;
    node.kind = Filter::Kind::value_path;
    node.children.push_back(std::move(inner));
    return node;
  }

  // compValue = false / null / true / number / string (RFC 7644 §3.4.2.2), with the JSON
  // spellings of RFC 7159; ABNF literals are case-insensitive (RFC 5234 §2.3).
  nlohmann::json parse_value() {
    std::size_t start = pos_;
    if (peek() == '"') {
      ++pos_;
      while (!at_end() && peek() != '"') pos_ += peek() == '\\' ? 2 : 1;
      if (at_end()) fail_at(start, "unterminated string value (a closing '\"' is missing)");
      ++pos_;
      nlohmann::json value = nlohmann::json::parse(text_.substr(start, pos_ - start), nullptr, false);
      if (value.is_discarded())
        fail_at(start, "invalid string value: use JSON escapes (\\\" \\\\ \\n \\uXXXX) and valid UTF-8");
      if (!at_end() && !is_space(peek()) && peek() != ')' && peek() != ']')
        fail("expected a space, ')' or ']' after the string value, found '" + std::string(word_at(pos_)) + "'");
      return value;
    }
    while (!at_end() && !is_space(peek()) && peek() != ')' && peek() != ']') ++pos_;
    std::string_view word = text_.substr(start, pos_ - start);
    if (iequals(word, "true")) return true;
    if (iequals(word, "false")) return false;
    if (iequals(word, "null")) return nullptr;
    if (!word.empty() && (word[0] == '-' || is_digit(word[0]))) {
      nlohmann::json number = nlohmann::json::parse(word, nullptr, false);
      if (!number.is_number()) fail_at(start, "'" + std::string(word) + "' is not a number (JSON number syntax, e.g. 42, -1.5, 1e3)");
      return number;
    }
    if (word.empty()) fail("expected a value (a \"quoted string\", a number, true, false or null)");
    fail_at(start, "string values must be quoted: write \"" + std::string(word) + "\" instead of " + std::string(word));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int comparisons_ = 0;
  bool in_value_filter_ = false;
};

// The text of an and/or node without its own outer parentheses, for places already bracketed.
std::string body(const Filter& filter);

std::string logical(const Filter& filter, std::string_view keyword) {
  return to_string(filter.children[0]) + " " + std::string(keyword) + " " + to_string(filter.children[1]);
}

std::string body(const Filter& filter) {
  switch (filter.kind) {
    case Filter::Kind::logical_and: return logical(filter, "and");
    case Filter::Kind::logical_or: return logical(filter, "or");
    default: return to_string(filter);
  }
}

}  // namespace

Filter parse_filter(std::string_view text) { return FilterParser(text).parse(); }

std::string to_string(const Filter& filter) {
  switch (filter.kind) {
    case Filter::Kind::logical_and:
    case Filter::Kind::logical_or: return "(" + body(filter) + ")";
    case Filter::Kind::logical_not: return "not (" + body(filter.children[0]) + ")";
    case Filter::Kind::value_path: return to_string(filter.path) + "[" + body(filter.children[0]) + "]";
    case Filter::Kind::compare: {
      std::string out = to_string(filter.path);
      out += ' ';
      out += to_string(filter.op);
      if (filter.op != CompareOp::pr) {
        out += ' ';
        out += filter.value.dump();
      }
      return out;
    }
  }
  return "";
}

}  // namespace scim
