#include "reference_server/api/stored_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace refserver::stored_json {

namespace {

std::size_t skip_space(std::string_view text, std::size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t')) ++pos;
  return pos;
}

// The end of the string whose opening quote is at `pos`.
std::optional<std::size_t> skip_string(std::string_view text, std::size_t pos) {
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '\\') ++i;
    else if (text[i] == '"') return i + 1;
  }
  return std::nullopt;
}

// The end of the object or array whose bracket is at `pos`: brackets are counted outside strings.
std::optional<std::size_t> skip_container(std::string_view text, std::size_t pos) {
  std::size_t depth = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      auto end = skip_string(text, i);
      if (!end) return std::nullopt;
      i = *end - 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::nullopt;
}

bool needs_escape(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) return true;
  return false;
}

// The JSON string for `value`, as nlohmann::json::dump writes it.
std::string json_string(std::string_view value) {
  if (needs_escape(value))
    return nlohmann::json(std::string(value)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back('"');
  out.append(value);
  out.push_back('"');
  return out;
}

bool is_string(std::string_view text, Span span) { return span.end - span.begin >= 2 && text[span.begin] == '"'; }

}  // namespace

std::optional<std::size_t> skip_value(std::string_view text, std::size_t pos) {
  pos = skip_space(text, pos);
  if (pos >= text.size()) return std::nullopt;
  char c = text[pos];
  if (c == '"') return skip_string(text, pos);
  if (c == '{' || c == '[') return skip_container(text, pos);
  // A number, true, false or null: up to the next delimiter.
  std::size_t end = pos;
  while (end < text.size() && text[end] != ',' && text[end] != '}' && text[end] != ']' && text[end] != ' ' &&
         text[end] != '\n' && text[end] != '\r' && text[end] != '\t')
    ++end;
  if (end == pos) return std::nullopt;
  return end;
}

std::optional<Span> find_member(std::string_view text, std::size_t object, std::string_view key) {
  std::size_t pos = skip_space(text, object);
  if (pos >= text.size() || text[pos] != '{') return std::nullopt;
  pos = skip_space(text, pos + 1);
  if (pos < text.size() && text[pos] == '}') return std::nullopt;
  while (pos < text.size()) {
    if (text[pos] != '"') return std::nullopt;
    auto key_end = skip_string(text, pos);
    if (!key_end) return std::nullopt;
    std::string_view name = text.substr(pos + 1, *key_end - pos - 2);
    pos = skip_space(text, *key_end);
    if (pos >= text.size() || text[pos] != ':') return std::nullopt;
    std::size_t value = skip_space(text, pos + 1);
    auto value_end = skip_value(text, value);
    if (!value_end) return std::nullopt;
    if (name == key) return Span{value, *value_end};
    pos = skip_space(text, *value_end);
    if (pos >= text.size()) return std::nullopt;
    if (text[pos] == '}') return std::nullopt;
    if (text[pos] != ',') return std::nullopt;
    pos = skip_space(text, pos + 1);
  }
  return std::nullopt;
}

std::optional<std::vector<Span>> array_elements(std::string_view text, std::size_t array) {
  std::size_t pos = skip_space(text, array);
  if (pos >= text.size() || text[pos] != '[') return std::nullopt;
  std::vector<Span> out;
  pos = skip_space(text, pos + 1);
  if (pos < text.size() && text[pos] == ']') return out;
  while (pos < text.size()) {
    auto end = skip_value(text, pos);
    if (!end) return std::nullopt;
    out.push_back({pos, *end});
    pos = skip_space(text, *end);
    if (pos >= text.size()) return std::nullopt;
    if (text[pos] == ']') return out;
    if (text[pos] != ',') return std::nullopt;
    pos = skip_space(text, pos + 1);
  }
  return std::nullopt;
}

std::optional<std::string_view> plain_string(std::string_view text, Span span) {
  if (!is_string(text, span)) return std::nullopt;
  std::string_view inner = text.substr(span.begin + 1, span.end - span.begin - 2);
  if (inner.find('\\') != std::string_view::npos) return std::nullopt;
  return inner;
}

std::string apply(std::string_view text, const std::vector<Edit>& edits) {
  std::string out;
  std::size_t grow = 0;
  for (const auto& edit : edits) grow += edit.replacement.size();
  out.reserve(text.size() + grow);
  std::size_t at = 0;
  for (const auto& edit : edits) {
    out.append(text.substr(at, edit.span.begin - at));
    out.append(edit.replacement);
    at = edit.span.end;
  }
  out.append(text.substr(at));
  return out;
}

std::optional<std::vector<Edit>> url_edits(std::string_view resource, std::string_view location,
                                           std::string_view base_url) {
  std::vector<Edit> edits;
  // The scan reads the top-level members in text order; meta and members are each found once.
  auto meta = find_member(resource, 0, "meta");
  if (!meta || resource[meta->begin] != '{') return std::nullopt;
  auto current = find_member(resource, meta->begin, "location");
  if (!current) return std::nullopt;
  auto current_text = plain_string(resource, *current);
  if (!current_text) return std::nullopt;
  if (*current_text != location) edits.push_back(Edit{*current, json_string(location)});

  if (auto members = find_member(resource, 0, "members"); members && resource[members->begin] == '[') {
    auto elements = array_elements(resource, members->begin);
    if (!elements) return std::nullopt;
    std::string wanted;
    for (const Span& member : *elements) {
      if (resource[member.begin] != '{') return std::nullopt;
      auto ref = find_member(resource, member.begin, "$ref");
      if (!ref) return std::nullopt;
      std::string_view type, value;
      // An absent type or value reads as "" (CrudEndpoint's string_or_empty); one that is there
      // but not a plain string is left to the parsing path.
      if (auto span = find_member(resource, member.begin, "type")) {
        auto text = plain_string(resource, *span);
        if (!text) return std::nullopt;
        type = *text;
      }
      if (auto span = find_member(resource, member.begin, "value")) {
        auto text = plain_string(resource, *span);
        if (!text) return std::nullopt;
        value = *text;
      }
      wanted.assign(base_url).append(type == "Group" ? "/Groups/" : "/Users/").append(value);
      auto ref_text = plain_string(resource, *ref);
      if (ref_text && *ref_text == wanted) continue;
      edits.push_back(Edit{*ref, json_string(wanted)});
    }
  }
  // "members" sorts before "meta" in the stored text; edits must be in text order.
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.span.begin < b.span.begin; });
  return edits;
}

}  // namespace refserver::stored_json
