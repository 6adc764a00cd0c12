#include "reference_server/api/crud_endpoint.hpp"

#include "reference_server/api/patch_detail.hpp"
#include "reference_server/api/scim_response.hpp"
#include "reference_server/api/stored_json.hpp"
#include "scim/urns.hpp"

#include <algorithm>

namespace refserver {

namespace {

bool projection_empty(const Projection& projection) {
  return projection.attributes.empty() && projection.excluded.empty();
}

ResourceKind kind_of(const scim::ResourceTypeDef& type) {
  return scim::iequals(type.id, "Group") ? ResourceKind::group : ResourceKind::user;
}

// A failed precondition is 412 with no scimType (RFC 7644 §3.14).
void check_if_match(const Preconditions& pre, const StoredResource& current, const Faults& faults) {
  if (pre.if_match.empty()) return;
  // Fault etag-ignored: a server that hands out ETags but never checks them, so concurrent
  // writers overwrite each other.
  if (faults.has(Fault::etag_ignored)) return;
  if (!etag_matches(pre.if_match, weak_etag(current.version)))
    throw scim::Error(412, scim::ScimType::none,
                      "If-Match " + pre.if_match + " does not match the current version " + weak_etag(current.version) +
                          "; GET the resource again and retry with its ETag");
}

std::string string_or_empty(const nlohmann::json& resource, const char* key) {
  auto it = resource.find(key);
  return it != resource.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

bool has_request_only(const std::vector<scim::AttributeDef>& attributes) {
  for (const auto& attribute : attributes)
    if (attribute.returned == scim::Returned::request || has_request_only(attribute.sub_attributes)) return true;
  return false;
}

// Whether any attribute of the type's schemas (core and extensions) is returned "request".
bool has_request_only(const scim::SchemaRegistry& registry, const scim::ResourceTypeDef& type) {
  std::vector<std::string_view> urns{type.schema};
  for (const auto& extension : type.extensions) urns.push_back(extension.schema);
  for (std::string_view urn : urns)
    if (const scim::Schema* schema = registry.find_schema(urn); schema && has_request_only(schema->attributes))
      return true;
  return has_request_only(registry.common_attributes());
}

}  // namespace

bool etag_matches(std::string_view header, std::string_view etag) {
  // Weak comparison (RFC 7232 §2.3.2): W/ prefixes are ignored on both sides.
  auto strip_weak = [](std::string_view tag) {
    if (tag.size() > 2 && (tag[0] == 'W' || tag[0] == 'w') && tag[1] == '/') tag.remove_prefix(2);
    return tag;
  };
  std::string_view wanted = strip_weak(etag);
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "*" || strip_weak(item) == wanted) return true;
  }
  return false;
}

CrudEndpoint::CrudEndpoint(const ServiceConfig& config, const scim::SchemaRegistry& registry,
                           const scim::ResourceTypeDef& type, ResourceStore& store)
    : config_(config),
      registry_(registry),
      type_(type),
      store_(store),
      kind_(kind_of(type)),
      validator_(registry, type),
      patch_(registry, type, PatchOptions{config.strict_rfc}, config.faults),
      evaluator_(registry, type),
      location_prefix_(config.base_url + type.endpoint + "/"),
      has_request_only_(has_request_only(registry, type)) {}

nlohmann::json CrudEndpoint::stamp_meta(const std::string& id, std::uint64_t version, const std::string& created) const {
  std::string now = now_rfc3339();
  return {{"resourceType", type_.name},
          {"created", created.empty() ? now : created},
          {"lastModified", now},
          {"location", location_prefix_ + id},
          {"version", weak_etag(version)}};
}

std::vector<std::string> CrudEndpoint::resolve_members(nlohmann::json& resource) const {
  std::vector<std::string> ids;
  auto it = resource.find("members");
  if (it == resource.end()) return ids;
  nlohmann::json kept = nlohmann::json::array();
  for (auto& member : *it) {
    std::string value = string_or_empty(member, "value");
    if (std::find(ids.begin(), ids.end(), value) != ids.end()) continue;  // Okta O13 pushes members twice
    const char* member_type = nullptr;
    std::string endpoint;
    if (store_.find(ResourceKind::user, value)) {
      member_type = "User";
      endpoint = "/Users/";
    } else if (store_.find(ResourceKind::group, value)) {
      member_type = "Group";
      endpoint = "/Groups/";
    } else {
      throw scim::Error::bad_request(scim::ScimType::invalid_value,
                                     "member \"" + value +
                                         "\" is neither a User nor a Group of this server; create it first and use "
                                         "the id the server returned");
    }
    member["type"] = member_type;
    member["$ref"] = config_.base_url + endpoint + value;
    ids.push_back(value);
    kept.push_back(std::move(member));
  }
  if (kept.empty()) resource.erase("members");
  else *it = std::move(kept);
  return ids;
}

std::string CrudEndpoint::name_key(const nlohmann::json& resource) const {
  std::string name = string_or_empty(resource, kind_ == ResourceKind::user ? "userName" : "displayName");
  // Fault username-case-sensitive: the name index stops folding case (see case_exact_name_key).
  if (kind_ == ResourceKind::user && config_.faults.has(Fault::username_case_sensitive))
    return case_exact_name_key(name);
  return name;
}

StoredResource CrudEndpoint::to_record(const std::string& id, std::uint64_t version, nlohmann::json& resource) const {
  StoredResource record;
  record.kind = kind_;
  record.id = id;
  record.version = version;
  record.name = name_key(resource);
  record.external_id = string_or_empty(resource, "externalId");
  if (kind_ == ResourceKind::group) record.member_ids = resolve_members(resource);
  record.json = resource.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return record;
}

std::string CrudEndpoint::stored_text(const StoredResource& resource) const {
  // URLs are stamped at write time; a server restarted on another port or base URL must not
  // hand out the old ones. The common case (same base URL) costs one substring search.
  std::string location = location_prefix_ + resource.id;
  if (resource.json.find("\"location\":\"" + location + "\"") != std::string::npos) return resource.json;
  // Another base URL: the few URLs are rewritten in the text; only a document the scan does not
  // understand is parsed.
  if (auto edits = stored_json::url_edits(resource.json, location, config_.base_url))
    return stored_json::apply(resource.json, *edits);
  nlohmann::json parsed = nlohmann::json::parse(resource.json);
  parsed["meta"]["location"] = location_prefix_ + resource.id;
  if (auto members = parsed.find("members"); members != parsed.end() && members->is_array())
    for (auto& member : *members) {
      std::string endpoint = string_or_empty(member, "type") == "Group" ? "/Groups/" : "/Users/";
      member["$ref"] = config_.base_url + endpoint + string_or_empty(member, "value");
    }
  return parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string CrudEndpoint::render(const StoredResource& resource) const {
  std::string text = stored_text(resource);
  // Fault missing-meta: a server that keeps only timestamps in meta, so clients cannot find the
  // resource's URL or version in its body.
  if (config_.faults.has(Fault::missing_meta)) {
    nlohmann::json parsed = nlohmann::json::parse(text);
    parsed["meta"].erase("location");
    parsed["meta"].erase("version");
    text = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  if (resource.kind != ResourceKind::user) return text;
  if (hooks_)
    if (std::string extra = hooks_->computed_user_members(resource); !extra.empty()) {
      text.pop_back();  // the closing '}'
      text += extra + "}";
    }
  // Fault groups-not-computed: a server that stores User and Group apart and never derives the
  // user's read-only "groups" from group membership.
  if (config_.faults.has(Fault::groups_not_computed)) return text;
  std::vector<GroupRef> groups = store_.groups_of(resource.id);
  if (groups.empty()) return text;
  // RFC 7643 §4.1.2: "groups" is read-only, derived from Group membership. Spliced into the
  // stored text so a read never re-parses the user.
  nlohmann::json list = nlohmann::json::array();
  for (const auto& group : groups)
    list.push_back({{"value", group.id},
                    {"$ref", config_.base_url + "/Groups/" + group.id},
                    {"display", group.display_name},
                    {"type", "direct"}});
  text.pop_back();  // the closing '}'
  text += ",\"groups\":" + list.dump() + "}";
  return text;
}

std::string_view to_string(WriteAction action) {
  switch (action) {
    case WriteAction::create: return "create";
    case WriteAction::replace: return "replace";
    case WriteAction::modify: return "modify";
    case WriteAction::remove: return "delete";
  }
  return "write";
}

std::string CrudEndpoint::render(const StoredResource& resource, const Projection& projection) const {
  std::string full = render(resource);
  // Fault attributes-ignored: a server that parses but never applies attributes and
  // excludedAttributes.
  if (config_.faults.has(Fault::attributes_ignored)) return full;
  // RFC 7643 §7 returned "request": "The attribute is returned in response to any PUT, POST,
  // or PATCH operations if specified in the "attributes" parameter", so never in the default
  // representation. Only a schema that has such attributes pays for the projection.
  if (projection_empty(projection) && !has_request_only_) return full;
  return project(nlohmann::json::parse(full), projection, registry_, type_).dump();
}

transport::HttpResponse CrudEndpoint::resource_response(int status, const StoredResource& resource,
                                                        const Projection& projection) const {
  transport::HttpResponse response = json_response(status, render(resource, projection));
  add_etag(response, resource.version);
  // Fault no-location-header: a server that puts the URL only in meta.location.
  if (status == 201 && !config_.faults.has(Fault::no_location_header))
    response.headers.emplace_back("Location", location_prefix_ + resource.id);
  return response;
}

ResourceStore::SameTransaction CrudEndpoint::record_write(WriteAction action, const std::string& id,
                                                         const nlohmann::json* before,
                                                         const nlohmann::json* after) const {
  if (!hooks_) return {};
  return hooks_->record_write(kind_, action, id, before, after);
}

void CrudEndpoint::add_etag(transport::HttpResponse& response, std::uint64_t version) const {
  // Fault no-etag: a server that advertises etag.supported but never sends the header.
  if (config_.faults.has(Fault::no_etag)) return;
  response.headers.emplace_back("ETag", weak_etag(version));
}

transport::HttpResponse CrudEndpoint::create(const nlohmann::json& body, const Projection& projection) {
  nlohmann::json resource = validator_.normalize(body, WriteMode::create, nullptr);
  // Fault no-duplicate-409: an "idempotent" create that answers a taken name with the resource
  // already holding it, so the client never learns of the conflict.
  if (config_.faults.has(Fault::no_duplicate_409))
    if (ResourcePtr existing = store_.find_by_name(kind_, name_key(resource)))
      return resource_response(201, *existing, projection);
  // Fault password-returned: a server that stores the writeOnly password as sent (the clean
  // validator drops it), so every representation of the user leaks it.
  if (config_.faults.has(Fault::password_returned))
    if (auto password = body.find("password"); password != body.end() && password->is_string())
      resource["password"] = *password;
  if (hooks_) hooks_->before_store(kind_, resource, nullptr);
  std::string id = new_resource_id();
  resource["id"] = id;
  resource["meta"] = stamp_meta(id, 1, "");
  ResourcePtr stored = store_.insert(to_record(id, 1, resource), record_write(WriteAction::create, id, nullptr, &resource));
  transport::HttpResponse response = resource_response(201, *stored, projection);
  // Fault create-returns-200: a server that answers every success with 200.
  if (config_.faults.has(Fault::create_returns_200)) response.status = 200;
  return response;
}

transport::HttpResponse CrudEndpoint::read(const std::string& id, const Projection& projection,
                                           const Preconditions& pre) {
  ResourcePtr current = store_.get(kind_, id);
  // RFC 7644 §3.14: a matching If-None-Match on GET answers 304 Not Modified.
  if (!pre.if_none_match.empty() && etag_matches(pre.if_none_match, weak_etag(current->version))) {
    transport::HttpResponse response = empty_response(304);
    add_etag(response, current->version);
    return response;
  }
  return resource_response(200, *current, projection);
}

void CrudEndpoint::ignore_faulty_changes(const nlohmann::json& existing, nlohmann::json& resource) const {
  // Fault deactivation-ignored: a server that accepts active=false and never applies it.
  if (kind_ == ResourceKind::user && config_.faults.has(Fault::deactivation_ignored)) {
    auto active = resource.find("active");
    if (active != resource.end() && *active == false) *active = existing.value("active", true);
  }
  // Fault member-removal-ignored: every member the group had stays, whatever the request said.
  if (kind_ == ResourceKind::group && config_.faults.has(Fault::member_removal_ignored)) {
    const nlohmann::json before = existing.value("members", nlohmann::json::array());
    nlohmann::json after = resource.value("members", nlohmann::json::array());
    for (const auto& member : before) {
      bool kept = std::any_of(after.begin(), after.end(),
                              [&](const nlohmann::json& m) { return m.value("value", "") == member.value("value", ""); });
      if (!kept) after.push_back(member);
    }
    if (!after.empty()) resource["members"] = std::move(after);
  }
}

template <typename Change>
transport::HttpResponse CrudEndpoint::update(const std::string& id, const Preconditions& pre,
                                             const Projection& projection, WriteAction action, Change change) {
  // Optimistic concurrency: re-run the change when another writer got in between, unless the
  // client pinned a version with If-Match, in which case the 412 is its answer.
  for (int attempt = 0;; ++attempt) {
    ResourcePtr current = store_.get(kind_, id);
    check_if_match(pre, *current, config_.faults);
    nlohmann::json existing = nlohmann::json::parse(current->json);
    nlohmann::json resource = change(existing);
    ignore_faulty_changes(existing, resource);
    if (hooks_) hooks_->before_store(kind_, resource, &existing);
    std::string created = existing["meta"].value("created", "");
    std::uint64_t version = current->version + 1;
    resource["id"] = id;
    resource["meta"] = stamp_meta(id, version, created);
    try {
      ResourcePtr stored = store_.replace(to_record(id, version, resource), current->version,
                                          record_write(action, id, &existing, &resource));
      return resource_response(200, *stored, projection);
    } catch (const scim::Error& error) {
      if (error.status() != 412 || !pre.if_match.empty() || attempt >= 8) throw;
    }
  }
}

transport::HttpResponse CrudEndpoint::replace(const std::string& id, const nlohmann::json& body,
                                              const Projection& projection, const Preconditions& pre) {
  return update(id, pre, projection, WriteAction::replace, [&](const nlohmann::json& existing) {
    return validator_.normalize(body, WriteMode::replace, &existing);
  });
}

transport::HttpResponse CrudEndpoint::modify(const std::string& id, const nlohmann::json& body,
                                             const Projection& projection, const Preconditions& pre) {
  if (config_.faults.has(Fault::patch_not_atomic)) return modify_op_by_op(id, body, projection, pre);
  return update(id, pre, projection, WriteAction::modify, [&](const nlohmann::json& existing) {
    nlohmann::json patched = patch_.apply(existing, body);
    return validator_.normalize(patched, WriteMode::replace, &existing);
  });
}

// Fault patch-not-atomic: a server that applies and keeps each operation in turn, so an error in
// operation N leaves operations 0..N-1 stored while the client is told the request failed.
transport::HttpResponse CrudEndpoint::modify_op_by_op(const std::string& id, const nlohmann::json& body,
                                                      const Projection& projection, const Preconditions& pre) {
  auto operations = patch_detail::find_key(body, "Operations");
  const bool splittable = operations != body.end() && operations->is_array() && !operations->empty();
  std::optional<scim::Error> failed;
  transport::HttpResponse response = update(id, pre, projection, WriteAction::modify, [&](const nlohmann::json& existing) {
    failed.reset();
    nlohmann::json patched = splittable ? existing : patch_.apply(existing, body);  // the latter throws
    for (std::size_t i = 0; splittable && i < operations->size(); ++i) {
      nlohmann::json single = body;
      *patch_detail::find_key(single, "Operations") = nlohmann::json::array({(*operations)[i]});
      try {
        patched = patch_.apply(patched, single);
      } catch (const scim::Error& error) {
        if (i == 0) throw;  // nothing applied yet: nothing to keep
        failed = error;
        break;
      }
    }
    return validator_.normalize(patched, WriteMode::replace, &existing);
  });
  if (failed) throw *failed;
  return response;
}

transport::HttpResponse CrudEndpoint::remove(const std::string& id, const Preconditions& pre) {
  std::optional<std::uint64_t> expected;
  if (!pre.if_match.empty()) {
    ResourcePtr current = store_.get(kind_, id);
    check_if_match(pre, *current, config_.faults);
    expected = current->version;
  }
  // Fault delete-returns-200-body: a server that answers DELETE like a read of what it removed.
  if (config_.faults.has(Fault::delete_returns_200_body)) {
    std::string gone = render(*store_.get(kind_, id));
    store_.remove(kind_, id, expected);
    return json_response(200, std::move(gone));
  }
  std::optional<nlohmann::json> before;
  if (hooks_) before = nlohmann::json::parse(store_.get(kind_, id)->json);
  store_.remove(kind_, id, expected, record_write(WriteAction::remove, id, before ? &*before : nullptr, nullptr));
  return empty_response(204);
}

}  // namespace refserver
