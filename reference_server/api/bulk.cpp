// RFC 7644 §3.7 Bulk: operations run through the same dispatcher as single requests, in an
// order that resolves "bulkId:" references, answered in the order they were sent.
#include "reference_server/api/json_body.hpp"
#include "reference_server/api/scim_response.hpp"
#include "reference_server/api/scim_service.hpp"
#include "scim/urns.hpp"

#include <map>
#include <set>

namespace refserver {

namespace {

constexpr std::string_view bulk_id_prefix = "bulkId:";

void collect_references(const nlohmann::json& value, std::set<std::string>& out) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.rfind(bulk_id_prefix, 0) == 0) out.insert(text.substr(bulk_id_prefix.size()));
  } else if (value.is_structured()) {
    for (const auto& child : value) collect_references(child, out);
  }
}

void substitute(nlohmann::json& value, const std::map<std::string, std::string>& ids) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.rfind(bulk_id_prefix, 0) == 0)
      if (auto it = ids.find(text.substr(bulk_id_prefix.size())); it != ids.end()) value = it->second;
  } else if (value.is_structured()) {
    for (auto& child : value) substitute(child, ids);
  }
}

std::string substitute_path(std::string path, const std::map<std::string, std::string>& ids) {
  auto at = path.find(bulk_id_prefix);
  if (at == std::string::npos) return path;
  auto end = path.find_first_of("/?", at);
  std::string key = path.substr(at + bulk_id_prefix.size(), end == std::string::npos ? end : end - at - bulk_id_prefix.size());
  if (auto it = ids.find(key); it != ids.end()) path.replace(at, (end == std::string::npos ? path.size() : end) - at, it->second);
  return path;
}

struct BulkOperation {
  std::string method;
  std::string bulk_id;
  std::string version;
  std::string path;
  nlohmann::json data;
  bool has_data = false;
  std::set<std::string> references;
  nlohmann::json result;  // the response entry, null while pending
};

nlohmann::json error_entry(const BulkOperation& op, const scim::Error& error) {
  nlohmann::json entry = {{"method", op.method}, {"status", std::to_string(error.status())}, {"response", scim::to_json(error)}};
  if (!op.bulk_id.empty()) entry["bulkId"] = op.bulk_id;
  return entry;
}

std::string string_field(const nlohmann::json& node, const char* key, bool required, std::size_t index) {
  for (auto it = node.begin(); it != node.end(); ++it)
    if (scim::iequals(it.key(), key)) {
      if (!it->is_string())
        throw scim::Error::bad_request(scim::ScimType::invalid_syntax,
                                       "Operations[" + std::to_string(index) + "]." + key + " must be a string");
      return it->get<std::string>();
    }
  if (required)
    throw scim::Error::bad_request(scim::ScimType::invalid_syntax,
                                   "Operations[" + std::to_string(index) + "] needs \"" + key + "\"");
  return {};
}

}  // namespace

transport::HttpResponse ScimService::bulk(const transport::HttpRequest& request) {
  // RFC 7644 §3.7.4: more than maxPayloadSize or maxOperations is 413 Payload Too Large.
  if (request.body.size() > config_.bulk_max_payload)
    throw scim::Error(413, scim::ScimType::none,
                      "the bulk request is " + std::to_string(request.body.size()) +
                          " bytes; the maximum payload size is " + std::to_string(config_.bulk_max_payload) + " bytes");
  require_json_media_type(request.header("Content-Type"));
  nlohmann::json body = parse_json_body(request.body, config_.max_json_depth);
  if (!body.is_object())
    throw scim::Error::bad_request(scim::ScimType::invalid_syntax, "a BulkRequest must be a JSON object");
  auto schemas = body.find("schemas");
  bool schema_ok = false;
  if (schemas != body.end() && schemas->is_array())
    for (const auto& s : *schemas) schema_ok |= s.is_string() && scim::iequals(s.get<std::string>(), scim::urn::bulk_request);
  if (!schema_ok)
    throw scim::Error::bad_request(scim::ScimType::invalid_syntax,
                                   "schemas must contain " + std::string(scim::urn::bulk_request));
  auto operations = body.find("Operations");
  if (operations == body.end() || !operations->is_array())
    throw scim::Error::bad_request(scim::ScimType::invalid_syntax, "a BulkRequest needs an \"Operations\" array");
  if (operations->size() > config_.bulk_max_operations)
    throw scim::Error(413, scim::ScimType::none,
                      "the bulk request has " + std::to_string(operations->size()) +
                          " operations; the maximum is " + std::to_string(config_.bulk_max_operations));
  std::size_t fail_on_errors = 0;  // 0: never stop
  if (auto it = body.find("failOnErrors"); it != body.end()) {
    if (!it->is_number_integer() || it->get<long long>() < 1)
      throw scim::Error::bad_request(scim::ScimType::invalid_value, "failOnErrors must be a positive integer");
    fail_on_errors = it->get<std::size_t>();
  }

  std::vector<BulkOperation> ops;
  std::set<std::string> declared;
  for (std::size_t i = 0; i < operations->size(); ++i) {
    const nlohmann::json& node = (*operations)[i];
    if (!node.is_object())
      throw scim::Error::bad_request(scim::ScimType::invalid_syntax, "Operations[" + std::to_string(i) + "] must be an object");
    BulkOperation op;
    op.method = string_field(node, "method", true, i);
    for (char& c : op.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    op.bulk_id = string_field(node, "bulkId", op.method == "POST", i);
    op.version = string_field(node, "version", false, i);
    op.path = string_field(node, "path", true, i);
    for (auto it = node.begin(); it != node.end(); ++it)
      if (scim::iequals(it.key(), "data")) {
        op.data = *it;
        op.has_data = true;
      }
    if (!op.bulk_id.empty() && !declared.insert(op.bulk_id).second)
      throw scim::Error::bad_request(scim::ScimType::invalid_value, "bulkId \"" + op.bulk_id + "\" is used twice");
    collect_references(op.data, op.references);
    if (auto at = op.path.find(bulk_id_prefix); at != std::string::npos)
      op.references.insert(op.path.substr(at + bulk_id_prefix.size(), op.path.find_first_of("/?", at) - at - bulk_id_prefix.size()));
    ops.push_back(std::move(op));
  }

  std::map<std::string, std::string> resolved;  // bulkId → created id
  std::set<std::string> failed;                 // bulkIds whose operation failed
  std::size_t errors = 0;
  bool stopped = false;
  // Each pass runs every operation whose references are resolved, in request order; a pass that
  // runs nothing means the rest wait on failures or on each other (a cycle).
  for (bool progress = true; progress && !stopped;) {
    progress = false;
    for (auto& op : ops) {
      if (!op.result.is_null() || stopped) continue;
      bool ready = true;
      for (const auto& ref : op.references) {
        if (!declared.count(ref)) {
          op.result = error_entry(op, scim::Error::bad_request(scim::ScimType::invalid_value,
                                                               "bulkId:" + ref + " is not defined in this request"));
          break;
        }
        if (failed.count(ref)) {
          op.result = error_entry(op, scim::Error(409, scim::ScimType::none,
                                                  "bulkId:" + ref + " refers to an operation that failed"));
          break;
        }
        if (!resolved.count(ref)) ready = false;
      }
      if (op.result.is_null() && !ready) continue;
      progress = true;
      if (op.result.is_null()) {
        transport::HttpRequest inner;
        inner.method = op.method;
        inner.headers = {{"Content-Type", std::string(scim_media_type)}};
        if (!op.version.empty()) inner.headers.emplace_back("If-Match", op.version);
        nlohmann::json data = op.data;
        substitute(data, resolved);
        if (op.has_data) inner.body = data.dump();
        std::string path = substitute_path(op.path, resolved);
        transport::HttpResponse response = dispatch(op.method, path, inner, true);
        nlohmann::json entry = {{"method", op.method}, {"status", std::to_string(response.status)}};
        if (!op.bulk_id.empty()) entry["bulkId"] = op.bulk_id;
        for (const auto& [name, value] : response.headers) {
          if (scim::iequals(name, "Location")) entry["location"] = value;
          if (scim::iequals(name, "ETag")) entry["version"] = value;
        }
        if (response.status >= 400) {
          entry["response"] = nlohmann::json::parse(response.body, nullptr, false);
        } else if (response.status == 201 && !op.bulk_id.empty()) {
          nlohmann::json created = nlohmann::json::parse(response.body, nullptr, false);
          if (created.is_object() && created.contains("id")) resolved[op.bulk_id] = created["id"].get<std::string>();
          if (!entry.contains("location") && created.contains("meta")) entry["location"] = created["meta"].value("location", "");
        } else if (!entry.contains("location")) {
          entry["location"] = config_.base_url + path.substr(0, path.find('?'));
        }
        op.result = std::move(entry);
      }
      if (op.result["status"].get<std::string>()[0] >= '4') {
        if (!op.bulk_id.empty()) failed.insert(op.bulk_id);
        if (fail_on_errors && ++errors >= fail_on_errors) stopped = true;
      }
    }
  }
  nlohmann::json results = nlohmann::json::array();
  for (auto& op : ops) {
    if (op.result.is_null() && !stopped)
      op.result = error_entry(op, scim::Error(409, scim::ScimType::none,
                                              "circular bulkId references could not be resolved"));
    if (!op.result.is_null()) results.push_back(std::move(op.result));
  }
  return json_response(200, nlohmann::json{{"schemas", {std::string(scim::urn::bulk_response)}}, {"Operations", results}});
}

}  // namespace refserver
