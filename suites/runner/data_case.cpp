#include "suites/runner/data_case.hpp"

#include "scim/error.hpp"
#include "scim/filter.hpp"
#include "scim/schema.hpp"
#include "simulator/client/url.hpp"
#include "suites/oracle/filter_oracle.hpp"
#include "suites/oracle/patch_oracle.hpp"
#include "suites/runner/case_context.hpp"
#include "suites/runner/json_match.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace suites {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_json_file(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(file.string() + " is not valid JSON: " + error.what());
  }
}

std::vector<std::string> strings_of(const nlohmann::json& value, const char* key) {
  std::vector<std::string> out;
  auto it = value.find(key);
  if (it == value.end()) return out;
  for (const auto& item : *it) out.push_back(item.get<std::string>());
  return out;
}

// The endpoint a request path addresses: "/Users/abc?x" → "/Users"; "/.search" → "".
std::string collection_of(const std::string& path) {
  if (path.size() < 2 || path[0] != '/') return "";
  std::size_t end = path.find_first_of("/?", 1);
  std::string first = path.substr(0, end);
  return first == "/.search" || first == "/Bulk" ? "" : first;
}

std::string resource_id_of(const std::string& path) {
  std::size_t slash = path.find('/', 1);
  if (slash == std::string::npos) return "";
  std::string rest = path.substr(slash + 1);
  if (auto q = rest.find('?'); q != std::string::npos) rest.resize(q);
  if (rest.empty() || rest == ".search") return "";
  return rest;
}

std::set<std::string> listed_ids(const nlohmann::json& body) {
  std::set<std::string> ids;
  const nlohmann::json* resources = find_member(body, "Resources");
  if (!resources || !resources->is_array()) return ids;
  for (const auto& resource : *resources)
    if (const nlohmann::json* id = find_member(resource, "id"); id && id->is_string()) ids.insert(id->get<std::string>());
  return ids;
}

std::string join(const std::set<std::string>& values) {
  std::string out = "[";
  for (const auto& v : values) out += (out.size() > 1 ? ", " : "") + v;
  return out + "]";
}

class StepRunner {
 public:
  StepRunner(CaseContext& context, const fs::path& bodies_dir) : context_(context), bodies_dir_(bodies_dir) {}

  void run(const nlohmann::json& raw_step, std::size_t number) {
    auto& variables = context_.variables();
    variables["suffix"] = context_.suffix();
    const nlohmann::json step = substitute(raw_step, variables);
    // "setup": true makes a failure `blocked`; "setup": "unsupported" marks an optional feature
    // (a MAY of the RFC) whose absence makes the case `unsupported`.
    const nlohmann::json setup = step.value("setup", nlohmann::json(false));
    setup_ = setup.is_boolean() ? setup.get<bool>() : setup.is_string();
    setup_unsupported_ = setup.is_string() && setup.get<std::string>() == "unsupported";
    options_ = CheckOptions{};
    if (auto level = step.find("level"); level != step.end())
      options_.level = level_from_string(level->get<std::string>());
    options_.citation = step.value("citation", "");
    options_.vendor = step.value("vendor", false);
    label_ = step.value("title", "");

    const nlohmann::json& request = step.at("request");
    path_ = request.at("path").get<std::string>();
    if (auto query = request.find("query"); query != request.end()) {
      scimclient::QueryParams params;
      for (auto it = query->begin(); it != query->end(); ++it)
        params.emplace_back(it.key(), it->is_string() ? it->get<std::string>() : it->dump());
      query_ = *query;
      path_ = scimclient::with_query(path_, params);
    } else {
      query_ = nlohmann::json::object();
    }
    method_ = request.value("method", "GET");
    body_ = nullptr;
    std::string body_text;
    std::string content_type = request.value("content_type", "application/scim+json");
    if (auto body = request.find("body"); body != request.end()) {
      body_ = load_body(*body);
      body_text = body_.dump();
    } else if (auto raw = request.find("raw"); raw != request.end()) {
      body_text = raw->get<std::string>();
      if (auto repeat = request.find("repeat"); repeat != request.end()) {
        std::string unit = body_text;
        for (int i = 1; i < repeat->get<int>(); ++i) body_text += unit;
      }
    }
    scimclient::Headers headers;
    if (auto given = request.find("headers"); given != request.end())
      for (auto it = given->begin(); it != given->end(); ++it) headers.emplace_back(it.key(), it->get<std::string>());
    if (!body_text.empty() || method_ == "POST" || method_ == "PUT" || method_ == "PATCH")
      if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);

    auto spec = context_.make_request(method_, path_, body_text, headers);
    std::string auth = request.value("auth", "default");
    if (auth == "none") {
      spec.with_default_headers = false;
      spec.headers.emplace_back("Accept", "application/scim+json");
    }
    before_ = std::nullopt;
    if (method_ == "PATCH" || method_ == "PUT" || method_ == "DELETE")
      if (std::string id = resource_id_of(path_); !id.empty()) before_ = context_.last_seen(id);

    const scimclient::Exchange& exchange = context_.send(std::move(spec));
    track_created(exchange);
    if (auto expect = step.find("expect"); expect != step.end()) judge(exchange, *expect);
    if (auto capture = step.find("capture"); capture != step.end()) capture_values(exchange, *capture, number);
  }

 private:
  nlohmann::json load_body(const nlohmann::json& body) {
    if (body.is_object() && body.size() == 1 && body.contains("$file")) {
      nlohmann::json loaded = read_json_file(bodies_dir_ / body["$file"].get<std::string>());
      return substitute(loaded, context_.variables());
    }
    return body;
  }

  void track_created(const scimclient::Exchange& exchange) {
    if (method_ != "POST" || exchange.status != 201) return;
    std::string collection = collection_of(path_);
    if (collection.empty() || path_.find('/', 1) != std::string::npos) return;
    auto body = exchange.json();
    if (body && body->is_object())
      if (const nlohmann::json* id = find_member(*body, "id"); id && id->is_string())
        context_.track(collection, id->get<std::string>());
  }

  std::string what(const std::string& text) const {
    return label_.empty() ? method_ + " " + path_ + ": " + text : label_ + ": " + text;
  }

  bool check(bool ok, const std::string& text, std::string expected, std::string actual) {
    if (setup_unsupported_ && !ok)
      context_.unsupported("optional feature absent: " + what(text) + " (expected " + expected + ", got " + actual + ")");
    if (setup_ && !ok)
      context_.blocked("set-up step failed: " + what(text) + " (expected " + expected + ", got " + actual + ")");
    return context_.expect(ok, what(text), std::move(expected), std::move(actual), options_);
  }

  void judge(const scimclient::Exchange& exchange, const nlohmann::json& expect) {
    auto body = exchange.json();
    const nlohmann::json empty;
    const nlohmann::json& json = body ? *body : empty;

    bool accepted_success = false;
    if (auto status = expect.find("status"); status != expect.end()) {
      std::vector<int> allowed;
      if (status->is_array())
        for (const auto& s : *status) allowed.push_back(s.get<int>());
      else
        allowed.push_back(status->get<int>());
      std::string wanted;
      for (int s : allowed) wanted += (wanted.empty() ? "" : " or ") + std::to_string(s);
      bool ok = std::find(allowed.begin(), allowed.end(), exchange.status) != allowed.end();
      check(ok, "status " + wanted, wanted, std::to_string(exchange.status));
      accepted_success = ok && exchange.status < 300;
    }
    // RFC 7644 §3.12: scimType belongs to an error body. Where the step also accepts a success
    // (either behaviour is allowed) and got one, there is no error whose type could be judged.
    if (auto scim_type = expect.find("scimType"); scim_type != expect.end() && !accepted_success) {
      const nlohmann::json* actual = find_member(json, "scimType");
      std::string got = actual && actual->is_string() ? actual->get<std::string>() : "(none)";
      check(got == scim_type->get<std::string>(), "scimType " + scim_type->get<std::string>() + " (RFC 7644 §3.12)",
            scim_type->get<std::string>(), got);
    }
    if (auto headers = expect.find("headers"); headers != expect.end()) {
      for (auto it = headers->begin(); it != headers->end(); ++it) {
        bool present = exchange.has_header(it.key());
        std::string value = exchange.header(it.key());
        if (it->is_boolean()) {
          check(present == it->get<bool>(), "header " + it.key() + (it->get<bool>() ? " present" : " absent"),
                it->get<bool>() ? "present" : "absent", present ? value : "absent");
        } else if (it->is_object() && it->contains("contains")) {
          std::string part = (*it)["contains"].get<std::string>();
          check(present && scim::to_lower(value).find(scim::to_lower(part)) != std::string::npos,
                "header " + it.key() + " contains \"" + part + "\"", part, present ? value : "absent");
        } else {
          check(present && value == it->get<std::string>(), "header " + it.key(), it->get<std::string>(),
                present ? value : "absent");
        }
      }
    }
    if (auto subset = expect.find("body"); subset != expect.end()) {
      std::string where;
      bool ok = body && contains_subset(json, *subset, &where);
      check(ok, "body contains " + brief(*subset, 120), brief(*subset), body ? where : "no JSON body");
    }
    if (auto absent = expect.find("absent"); absent != expect.end()) {
      for (const auto& pointer : *absent) {
        const nlohmann::json* found = find_pointer(json, pointer.get<std::string>());
        check(found == nullptr, pointer.get<std::string>() + " absent", "absent", found ? brief(*found) : "absent");
      }
    }
    if (auto present = expect.find("present"); present != expect.end()) {
      for (const auto& pointer : *present) {
        const nlohmann::json* found = find_pointer(json, pointer.get<std::string>());
        check(found != nullptr && !found->is_null(), pointer.get<std::string>() + " present", "present",
              found ? brief(*found) : "absent");
      }
    }
    if (auto equals = expect.find("equals"); equals != expect.end()) {
      for (auto it = equals->begin(); it != equals->end(); ++it) {
        const nlohmann::json* found = find_pointer(json, it.key());
        check(found && *found == *it, it.key() + " is " + brief(*it, 80), brief(*it), found ? brief(*found) : "absent");
      }
    }
    if (auto list = expect.find("list"); list != expect.end()) judge_list(json, *list);
    if (auto oracle = expect.find("oracle"); oracle != expect.end()) {
      std::string kind = oracle->get<std::string>();
      if (kind == "filter") judge_filter(exchange, json);
      else if (kind == "patch") judge_patch(exchange, json, expect.value("leniency", "idp"));
      else throw std::invalid_argument("unknown oracle \"" + kind + "\" (filter or patch)");
    }
  }

  void judge_list(const nlohmann::json& json, const nlohmann::json& list) {
    for (const char* number : {"totalResults", "itemsPerPage", "startIndex"}) {
      if (!list.contains(number)) continue;
      const nlohmann::json* actual = find_member(json, number);
      check(actual && actual->is_number_integer() && *actual == list[number],
            std::string(number) + " is " + list[number].dump(), list[number].dump(), actual ? actual->dump() : "absent");
    }
    std::set<std::string> ids = listed_ids(json);
    const nlohmann::json* resources = find_member(json, "Resources");
    std::size_t listed = resources && resources->is_array() ? resources->size() : 0;
    if (list.contains("resources")) {
      std::size_t wanted = list["resources"].get<std::size_t>();
      check(listed == wanted, std::to_string(wanted) + " resources on the page", std::to_string(wanted),
            std::to_string(listed));
    }
    if (list.contains("at_most")) {
      std::size_t limit = list["at_most"].get<std::size_t>();
      check(listed <= limit, "at most " + std::to_string(limit) + " resources on the page",
            "≤ " + std::to_string(limit), std::to_string(listed));
    }
    if (list.contains("ids")) {
      std::set<std::string> wanted(list["ids"].begin(), list["ids"].end());
      check(ids == wanted, "exactly the resources " + join(wanted), join(wanted), join(ids));
    }
    if (list.contains("includes"))
      for (const auto& id : list["includes"])
        check(ids.count(id.get<std::string>()) > 0, "lists " + id.get<std::string>(), "listed", join(ids));
    if (list.contains("excludes"))
      for (const auto& id : list["excludes"])
        check(ids.count(id.get<std::string>()) == 0, "does not list " + id.get<std::string>(), "not listed", join(ids));
    if (list.contains("order")) {
      // The named resources appear in this relative order (others may be interleaved).
      std::vector<std::string> seen;
      if (resources && resources->is_array())
        for (const auto& resource : *resources)
          if (const nlohmann::json* id = find_member(resource, "id"); id && id->is_string()) {
            std::string value = id->get<std::string>();
            for (const auto& wanted : list["order"])
              if (wanted == value) seen.push_back(value);
          }
      std::vector<std::string> wanted(list["order"].begin(), list["order"].end());
      std::string expected, actual;
      for (const auto& v : wanted) expected += (expected.empty() ? "" : ", ") + v;
      for (const auto& v : seen) actual += (actual.empty() ? "" : ", ") + v;
      check(seen == wanted, "resources in the order " + expected, expected, actual);
    }
  }

  // RFC 7644 §3.4.2.2: the resources a correct server lists for a filter, computed from the
  // case's own resources as the server last returned them. Other data the target holds is
  // ignored: only the case's resources are known to the oracle.
  void judge_filter(const scimclient::Exchange& exchange, const nlohmann::json& json) {
    std::string filter_text;
    if (query_.contains("filter")) filter_text = query_["filter"].get<std::string>();
    else if (body_.is_object() && body_.contains("filter")) filter_text = body_["filter"].get<std::string>();
    else throw std::invalid_argument("oracle \"filter\" on a step without a filter");
    std::string collection = collection_of(path_);
    std::vector<std::string> endpoints = collection.empty() ? std::vector<std::string>{"/Users", "/Groups"}
                                                            : std::vector<std::string>{collection};
    std::set<std::string> expected, known;
    // RFC 7644 §3.4.2.1: in a query over several resource types, an attribute one type lacks is
    // treated "as if there is no attribute value"; only a filter no searched type can evaluate
    // must be refused.
    std::optional<scim::Error> refusal;
    int evaluable = 0;
    scim::Filter filter;
    try {
      filter = scim::parse_filter(filter_text);
    } catch (const scim::Error& error) {
      refusal = error;
    }
    std::optional<scim::Error> type_error;
    for (const auto& endpoint : endpoints) {
      if (refusal) break;
      const scim::ResourceTypeDef& type = context_.resource_type(endpoint);
      std::vector<std::string> ids = context_.created_ids(endpoint);
      known.insert(ids.begin(), ids.end());
      std::set<std::string> matched;
      bool type_ok = true;
      for (const auto& id : ids) {
        auto model = context_.last_seen(id);
        if (!model) context_.blocked("the filter oracle has no representation of " + id);
        try {
          if (filter_matches(filter, *model, context_.schemas(), type)) matched.insert(id);
        } catch (const scim::Error& error) {
          type_error = error;
          type_ok = false;
          break;
        }
      }
      if (type_ok && !ids.empty()) {
        ++evaluable;
        expected.insert(matched.begin(), matched.end());
      }
    }
    if (!refusal && type_error && evaluable == 0) refusal = type_error;
    if (refusal) {
      // RFC 7644 §3.4.2.2: a filter the server cannot evaluate is 400 invalidFilter.
      check(exchange.status == 400, "an unusable filter is refused with 400 (" + std::string(refusal->what()) + ")",
            "400", std::to_string(exchange.status));
      const nlohmann::json* type = find_member(json, "scimType");
      std::string got = type && type->is_string() ? type->get<std::string>() : "(none)";
      check(got == "invalidFilter", "scimType invalidFilter (RFC 7644 §3.12)", "invalidFilter", got);
      return;
    }
    if (!check(exchange.status == 200, "filter " + filter_text + " is answered", "200", std::to_string(exchange.status)))
      return;
    std::set<std::string> listed = listed_ids(json), actual;
    for (const auto& id : listed)
      if (known.count(id)) actual.insert(id);
    check(actual == expected, "filter " + filter_text + " lists exactly the matching resources", join(expected),
          join(actual));
  }

  // RFC 7644 §3.5.2: the resource after a PATCH, computed from the representation the server
  // returned before and the operations sent; read back to see that the change is stored and
  // that a refused request changed nothing (atomicity).
  void judge_patch(const scimclient::Exchange& exchange, const nlohmann::json& json, const std::string& leniency) {
    std::string id = resource_id_of(path_);
    if (!before_) context_.blocked("the PATCH oracle has no earlier representation of " + id);
    const scim::ResourceTypeDef& type = context_.resource_type(collection_of(path_));
    auto expect_with = [&](PatchLeniency mode) { return expect_patch(*before_, body_, context_.schemas(), type, mode); };

    PatchExpectation rfc = expect_with(PatchLeniency::rfc);
    PatchExpectation idp = expect_with(PatchLeniency::idp);
    const nlohmann::json after = read_back(id);
    auto matches = [&](const PatchExpectation& e) {
      if (!e.ok) return exchange.status == e.status && resource_differences(*before_, after, context_.schemas(), type).empty();
      if (exchange.status != 200 && exchange.status != 204) return false;
      return resource_differences(e.resource, after, context_.schemas(), type).empty();
    };
    auto describe = [](const PatchExpectation& e) {
      return e.ok ? std::string("200 and the operations applied") : std::to_string(e.status) + " " + e.scim_type + " (" + e.why + ")";
    };
    auto differences = [&](const PatchExpectation& e) {
      std::vector<std::string> lines = e.ok ? resource_differences(e.resource, after, context_.schemas(), type)
                                            : resource_differences(*before_, after, context_.schemas(), type);
      std::string text = std::to_string(exchange.status);
      for (const auto& line : lines) text += "; " + line;
      return text;
    };

    if (leniency == "either") {
      // A documented conflict between the RFC and what IdPs need: either answer is accepted,
      // the note says which the server chose, the vendor verdict whether the IdP would break.
      bool chose_rfc = matches(rfc), chose_idp = matches(idp);
      check(chose_rfc || chose_idp, "the PATCH result is the RFC's or the IdPs' behaviour",
            describe(rfc) + " or " + describe(idp), differences(idp));
      if (chose_rfc != chose_idp)
        context_.note(std::string("the server chose the ") + (chose_rfc ? "RFC behaviour: " + describe(rfc) : "IdP behaviour: " + describe(idp)));
      CheckOptions vendor = options_;
      vendor.vendor = true;
      context_.expect(chose_idp, what("the IdP's expectation holds"), describe(idp), differences(idp), vendor);
      return;
    }
    const PatchExpectation& wanted = leniency == "rfc" ? rfc : idp;
    if (!wanted.ok) {
      check(exchange.status == wanted.status, "refused with " + std::to_string(wanted.status) + " (" + wanted.why + ")",
            std::to_string(wanted.status), std::to_string(exchange.status));
      if (!wanted.scim_type.empty()) {
        // Where the RFC leaves the choice open the oracle lists the other acceptable types.
        const nlohmann::json* type_field = find_member(json, "scimType");
        std::string got = type_field && type_field->is_string() ? type_field->get<std::string>() : "(none)";
        std::string accepted = wanted.scim_type;
        bool ok = got == wanted.scim_type;
        for (const auto& other : wanted.also_acceptable_scim_types) {
          accepted += " or " + other;
          ok = ok || got == other;
        }
        check(ok, "scimType " + accepted, accepted, got);
      }
      auto lines = resource_differences(*before_, after, context_.schemas(), type);
      std::string text;
      for (const auto& line : lines) text += (text.empty() ? "" : "; ") + line;
      check(lines.empty(), "a refused PATCH changes nothing (RFC 7644 §3.5.2: all or none)", "unchanged", text);
      return;
    }
    check(exchange.status == 200 || exchange.status == 204, "the PATCH succeeds", "200 or 204",
          std::to_string(exchange.status));
    if (exchange.status == 200 && json.is_object()) {
      auto lines = resource_differences(wanted.resource, json, context_.schemas(), type);
      std::string text;
      for (const auto& line : lines) text += (text.empty() ? "" : "; ") + line;
      check(lines.empty(), "the answered resource is what the operations imply", "no difference", text);
    }
    auto lines = resource_differences(wanted.resource, after, context_.schemas(), type);
    std::string text;
    for (const auto& line : lines) text += (text.empty() ? "" : "; ") + line;
    check(lines.empty(), "the stored resource is what the operations imply", "no difference", text);
  }

  nlohmann::json read_back(const std::string& id) {
    std::string collection = collection_of(path_);
    const auto& exchange = context_.get(collection + "/" + id);
    auto body = exchange.json();
    if (exchange.status != 200 || !body) context_.blocked("reading " + collection + "/" + id + " back answered " +
                                                          std::to_string(exchange.status));
    return *body;
  }

  void capture_values(const scimclient::Exchange& exchange, const nlohmann::json& capture, std::size_t number) {
    auto body = exchange.json();
    for (auto it = capture.begin(); it != capture.end(); ++it) {
      std::string source = it->get<std::string>();
      std::string value;
      bool found = false;
      if (source.rfind("header:", 0) == 0) {
        found = exchange.has_header(source.substr(7));
        value = exchange.header(source.substr(7));
      } else if (body) {
        if (const nlohmann::json* at = find_pointer(*body, source)) {
          found = true;
          value = at->is_string() ? at->get<std::string>() : at->dump();
        }
      }
      if (!found)
        context_.blocked("step " + std::to_string(number + 1) + " could not capture " + it.key() + " from " + source +
                         " (answer " + std::to_string(exchange.status) + ")");
      context_.variables()[it.key()] = value;
    }
  }

  CaseContext& context_;
  fs::path bodies_dir_;
  bool setup_ = false;
  bool setup_unsupported_ = false;
  CheckOptions options_;
  std::string label_, method_, path_;
  nlohmann::json query_, body_;
  std::optional<nlohmann::json> before_;
};

SpecRef spec_from(const nlohmann::json& declared, SpecRef spec) {
  if (!declared.is_object()) return spec;
  if (declared.contains("document")) spec.document = declared["document"].get<std::string>();
  if (declared.contains("rfc")) spec.document = "RFC " + std::to_string(declared["rfc"].get<int>());
  if (declared.contains("section")) spec.section = declared["section"].get<std::string>();
  if (declared.contains("quote")) spec.quote = declared["quote"].get<std::string>();
  if (declared.contains("level")) {
    auto level = level_from_string(declared["level"].get<std::string>());
    if (!level) throw std::runtime_error("unknown level " + declared["level"].dump());
    spec.level = *level;
  }
  return spec;
}

// A case that narrows its query to its own data with `co`, `sw` or `and` (paging, sorting,
// search) cannot judge anything on a target without that operator: it depends on the
// operator's own case, so one missing operator is one failure and the rest are `blocked`
// naming it. No circle: the `co` and `sw` cases use only their own operator, and `and` uses
// `co`.
void add_operator_dependencies(CaseInfo& info, const nlohmann::json& steps) {
  if (info.profile != "rfc") return;
  for (const auto& step : steps) {
    const nlohmann::json& request = step["request"];
    std::string filter;
    if (auto query = request.find("query"); query != request.end() && query->is_object() && query->contains("filter") &&
                                            (*query)["filter"].is_string())
      filter = (*query)["filter"].get<std::string>();
    else if (auto body = request.find("body"); body != request.end() && body->is_object() && body->contains("filter") &&
                                               (*body)["filter"].is_string())
      filter = (*body)["filter"].get<std::string>();
    if (filter.empty()) continue;
    std::string lowered = scim::to_lower(filter);
    for (const char* op : {"co", "sw", "and"}) {
      if (lowered.find(std::string(" ") + op + " ") == std::string::npos) continue;
      std::string root = std::string("rfc7644/3.4.2.2/") + op;
      if (root == info.id) continue;
      if (std::find(info.depends_on.begin(), info.depends_on.end(), root) == info.depends_on.end())
        info.depends_on.push_back(root);
    }
  }
}

}  // namespace

Case make_data_case(const nlohmann::json& declaration, const nlohmann::json& defaults, const fs::path& file,
                    const fs::path& bodies_dir) {
  Case test_case;
  CaseInfo& info = test_case.info;
  try {
    info.id = declaration.at("id").get<std::string>();
    info.title = declaration.value("title", "");
    info.profile = declaration.value("profile", defaults.value("profile", "rfc"));
    info.vendor = declaration.value("vendor", defaults.value("vendor", ""));
    info.spec = spec_from(declaration.value("spec", nlohmann::json()), spec_from(defaults.value("spec", nlohmann::json()), {}));
    info.keywords = strings_of(defaults, "keywords");
    for (auto& keyword : strings_of(declaration, "keywords")) info.keywords.push_back(keyword);
    info.requires_capabilities = strings_of(defaults, "requires");
    for (auto& capability : strings_of(declaration, "requires")) info.requires_capabilities.push_back(capability);
    info.depends_on = strings_of(defaults, "depends");
    for (auto& dependency : strings_of(declaration, "depends")) info.depends_on.push_back(dependency);
    info.depends_on.erase(std::remove(info.depends_on.begin(), info.depends_on.end(), info.id), info.depends_on.end());
    info.hint = declaration.value("hint", "");
    info.source = file.string();
    if (info.title.empty()) throw std::runtime_error("a case needs a \"title\"");
    if (info.spec.document.empty() || info.spec.section.empty()) throw std::runtime_error("a case needs spec.document/rfc and spec.section");
    const nlohmann::json steps = declaration.at("steps");
    if (!steps.is_array() || steps.empty()) throw std::runtime_error("a case needs at least one step");
    add_operator_dependencies(info, steps);
    for (const auto& step : steps)
      if (!step.contains("request") || !step["request"].contains("path"))
        throw std::runtime_error("every step needs request.path");
    test_case.body = [steps, bodies_dir](CaseContext& context) {
      StepRunner runner(context, bodies_dir);
      for (std::size_t i = 0; i < steps.size(); ++i) runner.run(steps[i], i);
    };
  } catch (const std::exception& error) {
    throw std::runtime_error(file.string() + ": case " + (info.id.empty() ? "?" : info.id) + ": " + error.what());
  }
  return test_case;
}

CaseList load_data_cases(const fs::path& cases_dir) {
  CaseList cases;
  std::vector<fs::path> files;
  if (!fs::exists(cases_dir)) return cases;
  for (const auto& entry : fs::recursive_directory_iterator(cases_dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    auto relative = fs::relative(entry.path(), cases_dir);
    if (!relative.empty() && *relative.begin() == "bodies") continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    nlohmann::json document = read_json_file(file);
    nlohmann::json defaults = document.value("defaults", nlohmann::json::object());
    if (document.contains("cases")) {
      for (const auto& declaration : document["cases"])
        cases.push_back(make_data_case(declaration, defaults, fs::relative(file, cases_dir.parent_path().parent_path()),
                                       cases_dir / "bodies"));
    } else {
      cases.push_back(make_data_case(document, defaults, fs::relative(file, cases_dir.parent_path().parent_path()),
                                     cases_dir / "bodies"));
    }
  }
  return cases;
}

}  // namespace suites
