#include "suites/runner/json_match.hpp"

#include "scim/schema.hpp"

#include <stdexcept>
#include <vector>

namespace suites {

const nlohmann::json* find_pointer(const nlohmann::json& document, std::string_view pointer) {
  const nlohmann::json* at = &document;
  if (pointer.empty()) return at;
  if (pointer[0] != '/') return nullptr;
  std::size_t start = 1;
  while (at) {
    std::size_t end = pointer.find('/', start);
    std::string token(pointer.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    // RFC 6901 §4 escapes.
    for (std::size_t i; (i = token.find("~1")) != std::string::npos;) token.replace(i, 2, "/");
    for (std::size_t i; (i = token.find("~0")) != std::string::npos;) token.replace(i, 2, "~");
    if (at->is_array()) {
      if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos) return nullptr;
      std::size_t index = std::stoul(token);
      at = index < at->size() ? &(*at)[index] : nullptr;
    } else {
      at = find_member(*at, token);
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return at;
}

namespace {

bool subset(const nlohmann::json& actual, const nlohmann::json& expected, const std::string& path, std::string* where) {
  auto fail = [&](std::string what) {
    if (where) *where = (path.empty() ? "/" : path) + ": " + what;
    return false;
  };
  if (expected.is_object()) {
    if (!actual.is_object()) return fail("expected an object, got " + brief(actual));
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      const nlohmann::json* member = find_member(actual, it.key());
      if (!member) return fail("member \"" + it.key() + "\" is missing");
      if (!subset(*member, it.value(), path + "/" + it.key(), where)) return false;
    }
    return true;
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return fail("expected an array, got " + brief(actual));
    std::vector<bool> used(actual.size(), false);
    for (std::size_t e = 0; e < expected.size(); ++e) {
      bool found = false;
      for (std::size_t a = 0; a < actual.size() && !found; ++a)
        if (!used[a] && subset(actual[a], expected[e], path, nullptr)) used[a] = found = true;
      if (!found) return fail("no element matches " + brief(expected[e]) + " in " + brief(actual));
    }
    return true;
  }
  if (expected.is_number() && actual.is_number()) {
    if (expected.get<double>() == actual.get<double>()) return true;
    return fail("expected " + expected.dump() + ", got " + actual.dump());
  }
  if (actual != expected) return fail("expected " + brief(expected) + ", got " + brief(actual));
  return true;
}

}  // namespace

bool contains_subset(const nlohmann::json& actual, const nlohmann::json& expected, std::string* where) {
  return subset(actual, expected, "", where);
}

std::string substitute_text(std::string_view text, const std::map<std::string, std::string>& variables) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    std::size_t open = text.find("{{", at);
    if (open == std::string_view::npos) break;
    std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    std::string name(text.substr(open + 2, close - open - 2));
    auto it = variables.find(name);
    if (it == variables.end()) throw std::invalid_argument("fixture uses {{" + name + "}}, which no earlier step captured");
    out += it->second;
    at = close + 2;
  }
  out.append(text.substr(at));
  return out;
}

nlohmann::json substitute(const nlohmann::json& value, const std::map<std::string, std::string>& variables) {
  if (value.is_string()) return substitute_text(value.get_ref<const std::string&>(), variables);
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) out.push_back(substitute(item, variables));
    return out;
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = value.begin(); it != value.end(); ++it) out[substitute_text(it.key(), variables)] = substitute(it.value(), variables);
    return out;
  }
  return value;
}

std::string brief(const nlohmann::json& value, std::size_t limit) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > limit) text = text.substr(0, limit) + "…";
  return text;
}

}  // namespace suites
