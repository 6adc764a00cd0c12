// Recursive-descent parser for the filter grammar of RFC 7644 §3.4.2.2 (see filter.hpp).
#include "scim/attribute_path.hpp"
#include "scim/filter.hpp"
#include "scim/schema.hpp"

#include <cctype>

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

constexpr int max_depth = 64;

class FilterParser {
 public:
  explicit FilterParser(std::string_view text) : text_(text) {}

  Filter parse() {
    skip_spaces();
    if (at_end()) fail("the filter is empty; write e.g. userName eq \"bjensen\"");
    Filter filter = parse_or(0);
    skip_spaces();
    if (!at_end()) fail("unexpected '" + std::string(rest(12)) + "'; expected 'and', 'or' or the end");
    return filter;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error::bad_request(ScimType::invalid_filter,
                             "filter: " + what + " at offset " + std::to_string(pos_) + " of '" + std::string(text_) + "'");
  }
  bool at_end() const { return pos_ >= text_.size(); }
  std::string_view rest(std::size_t n) const { return text_.substr(pos_, n); }
  void skip_spaces() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  // A case-insensitive keyword followed by a space or '(' (or the end for "pr").
  bool keyword(std::string_view word, bool allow_paren) {
    if (text_.size() - pos_ < word.size() || !iequals(text_.substr(pos_, word.size()), word)) return false;
    std::size_t after = pos_ + word.size();
    if (after < text_.size()) {
      char c = text_[after];
      if (!(c == ' ' || c == '\t' || (allow_paren && c == '('))) return false;
    }
    pos_ = after;
    return true;
  }

  Filter parse_or(int depth) {
    Filter left = parse_and(depth);
    for (;;) {
      std::size_t save = pos_;
      skip_spaces();
      if (!keyword("or", true)) {
        pos_ = save;
        return left;
      }
      skip_spaces();
      Filter node;
      node.kind = Filter::Kind::logical_or;
      node.children.push_back(std::move(left));
      node.children.push_back(parse_and(depth));
      left = std::move(node);
    }
  }

  // RFC 7644 §3.4.2.2: "and" binds tighter than "or".
  Filter parse_and(int depth) {
    Filter left = parse_unary(depth);
    for (;;) {
      std::size_t save = pos_;
      skip_spaces();
      if (!keyword("and", true)) {
        pos_ = save;
        return left;
      }
      skip_spaces();
      Filter node;
      node.kind = Filter::Kind::logical_and;
      node.children.push_back(std::move(left));
      node.children.push_back(parse_unary(depth));
      left = std::move(node);
    }
  }

  Filter parse_unary(int depth) {
    if (depth >= max_depth) fail("nested deeper than " + std::to_string(max_depth) + " levels");
    skip_spaces();
    if (at_end()) fail("expected an attribute, 'not' or '('");
    std::size_t save = pos_;
    if (keyword("not", true)) {
      skip_spaces();
      if (at_end() || text_[pos_] != '(') {
        pos_ = save;  // an attribute that happens to be called "not..." is handled below
      } else {
        Filter node;
        node.kind = Filter::Kind::logical_not;
        node.children.push_back(parse_group(depth + 1));
        return node;
      }
    }
    if (text_[pos_] == '(') return parse_group(depth + 1);
    return parse_attribute_expression(depth);
  }

  Filter parse_group(int depth) {
    ++pos_;  // '('
    skip_spaces();
    Filter inner = parse_or(depth);
    skip_spaces();
    if (at_end() || text_[pos_] != ')') fail("expected ')'");
    ++pos_;
    return inner;
  }

  Filter parse_attribute_expression(int depth) {
    std::size_t start = pos_;
    while (!at_end() && text_[pos_] != ' ' && text_[pos_] != '\t' && text_[pos_] != '[' && text_[pos_] != ']' &&
           text_[pos_] != '(' && text_[pos_] != ')')
      ++pos_;
    std::string_view token = text_.substr(start, pos_ - start);
    if (token.empty()) fail("expected an attribute name");
    AttributePath path;
    try {
      path = parse_attribute_path(token, ScimType::invalid_filter);
    } catch (const Error&) {
      pos_ = start;
      fail("'" + std::string(token) + "' is not an attribute path");
    }
    if (!at_end() && text_[pos_] == '[') {
      if (!path.sub_attribute.empty()) fail("a value filter must follow a multi-valued attribute, not a sub-attribute");
      ++pos_;
      skip_spaces();
      Filter inner = parse_or(depth + 1);
      skip_spaces();
      if (at_end() || text_[pos_] != ']') fail("expected ']'");
      ++pos_;
      Filter node;
      node.kind = Filter::Kind::value_path;
      node.path = std::move(path);
      node.children.push_back(std::move(inner));
      return node;
    }
    skip_spaces();
    if (at_end()) fail("expected a comparison operator after '" + std::string(token) + "'");
    std::size_t op_start = pos_;
    while (!at_end() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    std::string_view op_text = text_.substr(op_start, pos_ - op_start);
    static constexpr CompareOp ops[] = {CompareOp::eq, CompareOp::ne, CompareOp::co, CompareOp::sw, CompareOp::ew,
                                        CompareOp::gt, CompareOp::lt, CompareOp::ge, CompareOp::le, CompareOp::pr};
    Filter node;
    node.path = std::move(path);
    bool known = false;
    for (CompareOp op : ops)
      if (iequals(op_text, to_string(op))) {
        node.op = op;
        known = true;
      }
    if (!known) {
      pos_ = op_start;
      fail("expected a comparison operator (eq ne co sw ew gt lt ge le pr) after '" + std::string(token) + "'");
    }
    if (node.op == CompareOp::pr) return node;
    if (at_end() || (text_[pos_] != ' ' && text_[pos_] != '\t')) fail("expected a space and a value after '" + std::string(op_text) + "'");
    skip_spaces();
    node.value = parse_value();
    return node;
  }

  nlohmann::json parse_value() {
    if (at_end()) fail("expected a value");
    char c = text_[pos_];
    if (c == '"') {
      std::size_t start = pos_++;
      while (!at_end() && text_[pos_] != '"') {
        if (text_[pos_] == '\\') ++pos_;
        ++pos_;
      }
      if (at_end()) {
        pos_ = start;
        fail("unterminated string value");
      }
      ++pos_;
      try {
        return nlohmann::json::parse(text_.substr(start, pos_ - start));
      } catch (const nlohmann::json::exception&) {
        pos_ = start;
        fail("invalid escape in string value");
      }
    }
    std::size_t start = pos_;
    while (!at_end() && text_[pos_] != ' ' && text_[pos_] != '\t' && text_[pos_] != ')' && text_[pos_] != ']') ++pos_;
    std::string_view word = text_.substr(start, pos_ - start);
    // ABNF literals are case-insensitive (RFC 5234 §2.3).
    if (iequals(word, "true")) return true;
    if (iequals(word, "false")) return false;
    if (iequals(word, "null")) return nullptr;
    if (!word.empty() && (word[0] == '-' || std::isdigit(static_cast<unsigned char>(word[0])))) {
      nlohmann::json number = nlohmann::json::parse(word, nullptr, false);
      if (number.is_number()) return number;
    }
    pos_ = start;
    fail("expected a value: a \"quoted string\", a number, true, false or null (string values must be quoted)");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

Filter parse_filter(std::string_view text) { return FilterParser(text).parse(); }

std::string to_string(const Filter& filter) {
  switch (filter.kind) {
    case Filter::Kind::logical_and:
      return "(" + to_string(filter.children[0]) + " and " + to_string(filter.children[1]) + ")";
    case Filter::Kind::logical_or:
      return "(" + to_string(filter.children[0]) + " or " + to_string(filter.children[1]) + ")";
    case Filter::Kind::logical_not: return "not(" + to_string(filter.children[0]) + ")";
    case Filter::Kind::value_path: return to_string(filter.path) + "[" + to_string(filter.children[0]) + "]";
    case Filter::Kind::compare:
      if (filter.op == CompareOp::pr) return "(" + to_string(filter.path) + " pr)";
      return "(" + to_string(filter.path) + " " + std::string(to_string(filter.op)) + " " + filter.value.dump() + ")";
  }
  return "";
}

}  // namespace scim
