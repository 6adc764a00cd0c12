// RFC 7644 §3.4.2 querying: filtering, sorting, paging and the ListResponse.
#include "reference_server/api/crud_endpoint.hpp"
#include "reference_server/api/scim_response.hpp"
#include "scim/attribute_path.hpp"
#include "scim/urns.hpp"

#include <algorithm>
#include <charconv>

namespace refserver {

namespace {

// Paging numbers arrive as text; RFC 7644 §3.4.2.4 defines them as integers.
long long parse_paging_integer(const std::optional<std::string>& text, const char* name, long long fallback) {
  if (!text) return fallback;
  long long value = 0;
  const char* begin = text->data();
  const char* end = begin + text->size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text->empty() || ec != std::errc{} || ptr != end)
    throw scim::Error::bad_request(scim::ScimType::invalid_value,
                                   std::string(name) + " must be an integer, got \"" + *text + "\"");
  return value;
}

bool is_index_attribute(const scim::AttributePath& path, std::string_view name, std::string_view core_urn) {
  return path.sub_attribute.empty() && (path.urn.empty() || scim::iequals(path.urn, core_urn)) &&
         scim::iequals(path.attribute, name);
}

int compare_keys(const nlohmann::json& a, const nlohmann::json& b, bool case_exact) {
  if (a.is_string() && b.is_string()) {
    const auto& x = a.get_ref<const std::string&>();
    const auto& y = b.get_ref<const std::string&>();
    if (case_exact) return x.compare(y);
    std::string lx = scim::to_lower(x), ly = scim::to_lower(y);
    return lx.compare(ly);
  }
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_boolean() && b.is_boolean()) return static_cast<int>(a.get<bool>()) - static_cast<int>(b.get<bool>());
  // Mixed types cannot happen for a schema-validated attribute; order by type for determinism.
  return static_cast<int>(a.type()) - static_cast<int>(b.type());
}

// Fault filter-and-or-precedence: the tree a parser with "or" above "and" builds. Only filters
// without parentheses are regrouped: such a parser still honours grouping, and the parsed tree
// no longer shows where the parentheses were. Without parentheses the correct tree is an "or" of
// "and"s whose in-order leaves are the terms as written; the faulty one is an "and" of "or"s.
bool has_parentheses(std::string_view text) {
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (quoted && text[i] == '\\') ++i;
    else if (text[i] == '"') quoted = !quoted;
    else if (!quoted && (text[i] == '(' || text[i] == ')')) return true;
  }
  return false;
}

void flatten(const scim::Filter& filter, std::vector<const scim::Filter*>& terms,
             std::vector<scim::Filter::Kind>& joins) {
  using Kind = scim::Filter::Kind;
  if (filter.kind != Kind::logical_and && filter.kind != Kind::logical_or) {
    terms.push_back(&filter);
    return;
  }
  flatten(filter.children[0], terms, joins);
  joins.push_back(filter.kind);
  flatten(filter.children[1], terms, joins);
}

scim::Filter join(scim::Filter::Kind kind, scim::Filter left, scim::Filter right) {
  scim::Filter out;
  out.kind = kind;
  out.children.push_back(std::move(left));
  out.children.push_back(std::move(right));
  return out;
}

scim::Filter or_binds_tighter(const scim::Filter& filter, std::string_view text) {
  if (has_parentheses(text)) return filter;
  std::vector<const scim::Filter*> terms;
  std::vector<scim::Filter::Kind> joins;
  flatten(filter, terms, joins);
  std::optional<scim::Filter> result;  // the "and" of the groups closed so far
  scim::Filter group = *terms[0];      // the "or" group being built
  for (std::size_t i = 0; i < joins.size(); ++i) {
    if (joins[i] == scim::Filter::Kind::logical_or) {
      group = join(scim::Filter::Kind::logical_or, std::move(group), *terms[i + 1]);
      continue;
    }
    result = result ? join(scim::Filter::Kind::logical_and, std::move(*result), std::move(group)) : std::move(group);
    group = *terms[i + 1];
  }
  return result ? join(scim::Filter::Kind::logical_and, std::move(*result), std::move(group)) : group;
}

}  // namespace

std::optional<std::vector<ResourcePtr>> CrudEndpoint::indexed_candidates(const scim::Filter& filter) const {
  using Kind = scim::Filter::Kind;
  if (filter.kind == Kind::compare) {
    if (filter.op != scim::CompareOp::eq || !filter.value.is_string()) return std::nullopt;
    const std::string& value = filter.value.get_ref<const std::string&>();
    std::vector<ResourcePtr> out;
    // userName and Group displayName are caseExact=false (RFC 7643 §4.1.1, §4.2) and unique,
    // so the lower-cased name index answers eq exactly.
    std::string_view name_attribute = kind_ == ResourceKind::user ? "userName" : "displayName";
    if (is_index_attribute(filter.path, name_attribute, type_.schema)) {
      bool case_exact = kind_ == ResourceKind::user && config_.faults.has(Fault::username_case_sensitive);
      if (ResourcePtr hit = store_.find_by_name(kind_, case_exact ? case_exact_name_key(value) : value)) {
        // Fault username-filter-case-sensitive: a server whose userName lookup is a plain
        // byte comparison, ignoring that userName is caseExact=false.
        if (kind_ == ResourceKind::user && config_.faults.has(Fault::username_filter_case_sensitive) &&
            hit->name != value)
          return out;
        out.push_back(std::move(hit));
      }
      return out;
    }
    if (is_index_attribute(filter.path, "externalId", type_.schema)) return store_.find_by_external_id(kind_, value);
    if (is_index_attribute(filter.path, "id", type_.schema)) {
      if (ResourcePtr hit = store_.find(kind_, value)) out.push_back(std::move(hit));
      return out;
    }
    return std::nullopt;
  }
  if (filter.kind == Kind::logical_and) {
    if (auto left = indexed_candidates(filter.children[0])) return left;
    return indexed_candidates(filter.children[1]);
  }
  if (filter.kind == Kind::logical_or) {
    auto left = indexed_candidates(filter.children[0]);
    if (!left) return std::nullopt;
    auto right = indexed_candidates(filter.children[1]);
    if (!right) return std::nullopt;
    for (auto& r : *right)
      if (std::none_of(left->begin(), left->end(), [&](const ResourcePtr& l) { return l->id == r->id; }))
        left->push_back(std::move(r));
    std::sort(left->begin(), left->end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->seq < b->seq; });
    return left;
  }
  return std::nullopt;
}

const scim::AttributeDef* CrudEndpoint::sort_attribute(const ListQuery& query, scim::AttributePath* path) const {
  if (!query.sort_by || query.sort_by->empty()) return nullptr;
  *path = scim::parse_attribute_path(*query.sort_by, scim::ScimType::invalid_value);
  auto resolved = registry_.resolve(type_, path->urn, path->attribute, path->sub_attribute);
  if (!resolved)
    throw scim::Error::bad_request(scim::ScimType::invalid_value,
                                   "sortBy \"" + *query.sort_by + "\" names no attribute of " + type_.name +
                                       "; /Schemas lists the attributes");
  const scim::AttributeDef* def = &resolved->target();
  // RFC 7644 §3.4.2.3: sorting a multi-valued complex attribute without a sub-attribute sorts
  // by its "value".
  if (def->type == scim::AttributeType::complex) {
    const scim::AttributeDef* value = def->find_sub("value");
    if (!value)
      throw scim::Error::bad_request(scim::ScimType::invalid_value,
                                     "sortBy \"" + *query.sort_by + "\" is complex; name a sub-attribute");
    path->sub_attribute = "value";
    def = value;
  }
  return def;
}

nlohmann::json CrudEndpoint::sort_key(const nlohmann::json& resource, const scim::AttributePath& path) const {
  auto resolved = registry_.resolve(type_, path.urn, path.attribute, path.sub_attribute);
  if (!resolved) return nullptr;
  const nlohmann::json* holder = &resource;
  if (resolved->in_extension) {
    auto ext = resource.find(resolved->schema->id);
    if (ext == resource.end()) return nullptr;
    holder = &*ext;
  }
  auto it = holder->find(resolved->attribute->name);
  if (it == holder->end()) return nullptr;
  const nlohmann::json* value = &*it;
  // RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else its first.
  if (value->is_array()) {
    if (value->empty()) return nullptr;
    const nlohmann::json* chosen = &value->front();
    for (const auto& element : *value)
      if (element.is_object() && element.value("primary", false)) chosen = &element;
    value = chosen;
  }
  if (!path.sub_attribute.empty()) {
    if (!value->is_object()) return nullptr;
    auto sub = value->find(resolved->sub_attribute ? resolved->sub_attribute->name : path.sub_attribute);
    if (sub == value->end()) return nullptr;
    return *sub;
  }
  return *value;
}

std::vector<CrudEndpoint::Match> CrudEndpoint::matches(const ListQuery& query) const {
  std::optional<scim::Filter> filter;
  std::optional<CompiledFilter> compiled;  // resolved once, not per resource
  if (query.filter) {
    try {
      filter = scim::parse_filter(*query.filter);
      if (config_.faults.has(Fault::filter_and_or_precedence)) filter = or_binds_tighter(*filter, *query.filter);
      compiled = evaluator_.compile(*filter);
    } catch (const scim::Error& error) {
      // Fault invalid-filter-500: a server whose filter parser fails with an internal error
      // instead of a client error.
      if (!config_.faults.has(Fault::invalid_filter_500) || error.scim_type() != scim::ScimType::invalid_filter)
        throw;
      throw scim::Error(500, scim::ScimType::none, "internal server error");
    }
  }
  scim::AttributePath sort_path;
  const scim::AttributeDef* sort_def = sort_attribute(query, &sort_path);
  if (query.sort_order && !scim::iequals(*query.sort_order, "ascending") &&
      !scim::iequals(*query.sort_order, "descending"))
    throw scim::Error::bad_request(scim::ScimType::invalid_value,
                                   "sortOrder must be \"ascending\" or \"descending\", got \"" + *query.sort_order +
                                       "\"");

  std::vector<ResourcePtr> candidates;
  bool exact = false;  // candidates already satisfy the filter
  if (filter) {
    if (auto indexed = indexed_candidates(*filter)) {
      candidates = std::move(*indexed);
      exact = filter->kind == scim::Filter::Kind::compare;
    } else {
      candidates = store_.all(kind_);
    }
  } else {
    candidates = store_.all(kind_);
  }

  std::vector<Match> out;
  bool need_json = (filter && !exact) || sort_def;
  for (auto& candidate : candidates) {
    Match match{candidate, nullptr, this};
    if (need_json) {
      nlohmann::json resource = nlohmann::json::parse(render(*candidate));
      if (compiled && !exact && !evaluator_.matches(*compiled, resource)) continue;
      if (sort_def) match.sort_key = sort_key(resource, sort_path);
    }
    out.push_back(std::move(match));
  }
  // Fault sort-ignored: a server that validates sortBy but never sorts (root /.search has the
  // same hook).
  if (sort_def && !config_.faults.has(Fault::sort_ignored)) sort_matches(out, query, sort_def);
  return out;
}

void sort_matches(std::vector<CrudEndpoint::Match>& matches, const ListQuery& query,
                  const scim::AttributeDef* sort_attribute) {
  bool descending = query.sort_order && scim::iequals(*query.sort_order, "descending");
  bool case_exact = sort_attribute && sort_attribute->case_exact;
  std::stable_sort(matches.begin(), matches.end(), [&](const auto& a, const auto& b) {
    // RFC 7644 §3.4.2.3: "if there is no data for the specified "sortBy" value, … they are
    // ordered last if ascending and first if descending."
    if (a.sort_key.is_null() || b.sort_key.is_null()) {
      if (a.sort_key.is_null() == b.sort_key.is_null()) return false;
      return descending ? a.sort_key.is_null() : b.sort_key.is_null();
    }
    int order = compare_keys(a.sort_key, b.sort_key, case_exact);
    return descending ? order > 0 : order < 0;
  });
}

namespace {

// Which slice of the matches a page holds (RFC 7644 §3.4.2.4), the server's faults applied.
struct PageWindow {
  long long start = 1;    // startIndex as the response reports it
  std::size_t first = 0;  // 0-based index of the page's first match
  std::size_t count = 0;  // at most this many on the page
};

PageWindow page_window(const ListQuery& query, std::size_t max_results, const Faults& faults) {
  // RFC 7644 §3.4.2.4: startIndex below 1 is taken as 1; a negative count as 0; a count over
  // the server's maximum is capped (itemsPerPage tells the client how many it got).
  PageWindow window;
  window.start = std::max(1LL, parse_paging_integer(query.start_index, "startIndex", 1));
  long long count = parse_paging_integer(query.count, "count", static_cast<long long>(max_results));
  count = std::clamp(count, 0LL, static_cast<long long>(max_results));
  // Fault count-ignored: a server that always returns its maximum page.
  if (faults.has(Fault::count_ignored)) count = static_cast<long long>(max_results);
  window.count = static_cast<std::size_t>(count);
  window.first = static_cast<std::size_t>(window.start - 1);
  // Fault start-index-zero-based: a server that passes startIndex straight to an SQL OFFSET.
  if (faults.has(Fault::start_index_zero_based))
    window.first = static_cast<std::size_t>(std::max(0LL, parse_paging_integer(query.start_index, "startIndex", 0)));
  return window;
}

// The ListResponse for a page of `on_page` resources out of `total` matches; render(i) gives the
// page's i-th resource as it is sent.
template <typename Render>
transport::HttpResponse page_response(const PageWindow& window, std::size_t total, std::size_t on_page,
                                      const Render& render, const Faults& faults) {
  std::string items;
  for (std::size_t i = 0; i < on_page; ++i) {
    if (i) items.push_back(',');
    items += render(i);
  }
  // Fault total-results-page-size: a server that reports the size of the page it built.
  if (faults.has(Fault::total_results_page_size)) total = on_page;
  std::string body = "{\"schemas\":[\"" + std::string(scim::urn::list_response) +
                     "\"],\"totalResults\":" + std::to_string(total) +
                     ",\"startIndex\":" + std::to_string(window.start) + ",\"itemsPerPage\":" +
                     std::to_string(on_page) + ",\"Resources\":[" + items + "]}";
  return json_response(200, std::move(body));
}

}  // namespace

transport::HttpResponse list_response(const std::vector<CrudEndpoint::Match>& matches, const ListQuery& query,
                                      std::size_t max_results, const Faults& faults) {
  PageWindow window = page_window(query, max_results, faults);
  Projection projection = parse_projection(query.attributes, query.excluded_attributes);
  std::size_t on_page = window.first < matches.size() ? std::min(window.count, matches.size() - window.first) : 0;
  return page_response(
      window, matches.size(), on_page,
      [&](std::size_t i) {
        const CrudEndpoint::Match& match = matches[window.first + i];
        return match.endpoint->render(*match.resource, projection);
      },
      faults);
}

transport::HttpResponse CrudEndpoint::list(const ListQuery& query) const {
  if (query.filter || query.sort_by || query.sort_order)
    return list_response(matches(query), query, config_.max_results, config_.faults);
  // Every resource in creation order: the store hands over just the page, however deep, so
  // reading a large directory page by page stays linear in its size.
  PageWindow window = page_window(query, config_.max_results, config_.faults);
  Projection projection = parse_projection(query.attributes, query.excluded_attributes);
  ResourceStore::Page page = store_.page(kind_, window.first, window.count);
  return page_response(
      window, page.total, page.resources.size(),
      [&](std::size_t i) { return render(*page.resources[i], projection); }, config_.faults);
}

}  // namespace refserver
