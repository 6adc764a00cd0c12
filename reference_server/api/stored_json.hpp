#pragma once
// Reading the stored JSON text of a resource without parsing it into a document. A GET answers
// with the stored text as it is; only the URLs stamped into it at write time (meta.location and
// the members' $ref) may need the server's current base URL, and those few values are found by a
// scan that allocates nothing. Parsing and re-serialising an 800-byte user cost more than the
// rest of a GET together.
//
// The scanner reads JSON as nlohmann::json::dump writes it (it tolerates whitespace too). It
// answers "unknown" (nullopt) for anything it does not expect, and the caller then takes the
// slow path that parses: the fast path never guesses.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace refserver::stored_json {

// A value inside a text: [begin, end) offsets. A string's span includes its quotes.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The end of the JSON value starting at `pos` (after optional whitespace), or nullopt when the
// text there is not a well-formed value.
std::optional<std::size_t> skip_value(std::string_view text, std::size_t pos);

// The value of member `key` of the object that starts at `object` (its '{'). nullopt when the
// member is absent or the object is malformed. Keys holding escapes never match.
std::optional<Span> find_member(std::string_view text, std::size_t object, std::string_view key);

// The elements of the array starting at `array` (its '['); nullopt when malformed.
std::optional<std::vector<Span>> array_elements(std::string_view text, std::size_t array);

// The characters of a string value (its span without the quotes) when it holds no escape.
std::optional<std::string_view> plain_string(std::string_view text, Span span);

// One replacement of a value's text.
struct Edit {
  Span span;
  std::string replacement;
};

// `text` with `edits` (sorted by position, not overlapping) applied.
std::string apply(std::string_view text, const std::vector<Edit>& edits);

// The edits that set meta.location to `location` and each member's $ref to
// `base_url` + "/Users/" or "/Groups/" (by the member's "type") + its "value", exactly as
// CrudEndpoint's parsing path would. Empty when every URL is already right; nullopt when the
// text holds something the scan does not handle (no meta.location, a member that is not an
// object, a value with escapes), so the caller must parse.
std::optional<std::vector<Edit>> url_edits(std::string_view resource, std::string_view location,
                                           std::string_view base_url);

}  // namespace refserver::stored_json
