#include "simulator/convergence/target_snapshot.hpp"

#include "simulator/client/url.hpp"
#include "simulator/idp/scim_json.hpp"

#include <future>
#include <map>
#include <set>
#include <tuple>

namespace sim {

namespace {

scimclient::HttpRequestSpec page_request(const Credential& credential, const std::string& endpoint, std::int64_t start,
                                         int count) {
  scimclient::HttpRequestSpec spec;
  spec.method = "GET";
  spec.url = scimclient::with_query("/" + endpoint, {{"startIndex", std::to_string(start)}, {"count", std::to_string(count)}});
  spec.headers = {{"Authorization", credential.authorization()}, {"Accept", "application/scim+json"}};
  spec.timeout = std::chrono::seconds(60);
  return spec;
}

// A page parsed off the simulator's thread. A full read is mostly JSON parsing, and the
// thread that sends the requests and receives the answers would otherwise do all of it while
// the target waits for the next request.
struct ParsedPage {
  std::optional<ListPage> page;
  std::string failure;  // what the exchange was, when it gave no page
};

Flow<void> fetch_parsed(Runtime& runtime, scimclient::HttpRequestSpec request, std::future<ParsedPage>* out) {
  scimclient::Exchange exchange = co_await runtime.send(std::move(request));
  *out = std::async(std::launch::async, [exchange = std::move(exchange)] {
    ParsedPage parsed;
    parsed.page = list_page(exchange);
    if (!parsed.page) parsed.failure = summarize(exchange);
    return parsed;
  });
}

// The name a page goes by in the problems: "Users" for the first, "Users at startIndex=501" after.
std::string page_label(const std::string& endpoint, std::int64_t start) {
  return start == 1 ? endpoint : endpoint + " at startIndex=" + std::to_string(start);
}

// Waits for a page's parse. A failed page, or one whose request never completed, is named in
// `problems`.
std::optional<ListPage> take_parsed(std::future<ParsedPage>& pending, const std::string& label,
                                    std::vector<std::string>& problems) {
  ParsedPage parsed;
  if (pending.valid()) parsed = pending.get();
  else parsed.failure = "no answer";
  if (!parsed.page) problems.push_back("reading " + label + ": " + parsed.failure);
  return std::move(parsed.page);
}

Flow<void> fetch_one(Runtime& runtime, scimclient::HttpRequestSpec request, std::optional<nlohmann::json>* out,
                     int* status) {
  scimclient::Exchange exchange = co_await runtime.send(std::move(request));
  *status = exchange.ok() ? exchange.status : 0;
  if (exchange.ok() && exchange.status == 200) *out = resource_of(exchange);
}

}  // namespace

void fill_in_linked(TargetSnapshot& snapshot, Runtime& runtime, const Credential& credential,
                    const std::vector<std::string>& user_ids, const std::vector<std::string>& group_ids) {
  struct Lookup {
    std::vector<nlohmann::json>* into;
    std::optional<nlohmann::json> resource;
    int status = 0;
  };
  std::vector<std::pair<std::string, std::string>> wanted;  // endpoint, id
  for (const auto& [endpoint, ids, have] :
       {std::tuple{std::string("Users"), &user_ids, &snapshot.users}, std::tuple{std::string("Groups"), &group_ids, &snapshot.groups}}) {
    std::set<std::string> present;
    for (const auto& resource : *have) present.insert(resource.value("id", ""));
    for (const auto& id : *ids)
      if (!present.count(id)) wanted.emplace_back(endpoint, id);
  }
  std::vector<Lookup> lookups(wanted.size());
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    lookups[i].into = wanted[i].first == "Users" ? &snapshot.users : &snapshot.groups;
    scimclient::HttpRequestSpec request = page_request(credential, wanted[i].first, 1, 1);
    request.url = "/" + wanted[i].first + "/" + scimclient::encode_query_value(wanted[i].second);
    runtime.spawn(fetch_one(runtime, std::move(request), &lookups[i].resource, &lookups[i].status));
  }
  runtime.run();
  std::size_t found = 0;
  for (auto& lookup : lookups)
    if (lookup.resource) {
      lookup.into->push_back(std::move(*lookup.resource));
      ++found;
    }
  if (!wanted.empty())
    snapshot.problems.push_back("read " + std::to_string(wanted.size()) + " linked resource(s) the paging missed by id: " +
                                std::to_string(found) + " exist, " + std::to_string(wanted.size() - found) + " do not");
}

TargetSnapshot read_target(Runtime& runtime, const Credential& credential, int page_size) {
  TargetSnapshot snapshot;
  const std::vector<std::string> endpoints = {"Users", "Groups"};
  // First pages: totalResults, and how many the server puts on a page (it may cap page_size).
  std::map<std::string, std::future<ParsedPage>> first_parsing;
  for (const auto& endpoint : endpoints)
    runtime.spawn(fetch_parsed(runtime, page_request(credential, endpoint, 1, page_size), &first_parsing[endpoint]));
  runtime.run();
  std::map<std::string, std::optional<ListPage>> first;
  for (const auto& endpoint : endpoints)
    first[endpoint] = take_parsed(first_parsing[endpoint], page_label(endpoint, 1), snapshot.problems);

  std::map<std::string, std::vector<std::pair<std::int64_t, std::future<ParsedPage>>>> parsing;
  for (const auto& endpoint : endpoints) {
    if (!first[endpoint]) continue;
    std::int64_t total = first[endpoint]->total_results;
    std::int64_t step = static_cast<std::int64_t>(first[endpoint]->resources.size());
    if (step <= 0) continue;
    for (std::int64_t start = 1 + step; start <= total; start += step) parsing[endpoint].emplace_back(start, std::future<ParsedPage>{});
  }
  for (auto& [endpoint, pages] : parsing)
    for (auto& [start, page] : pages)
      runtime.spawn(fetch_parsed(runtime, page_request(credential, endpoint, start, page_size), &page));
  runtime.run();
  std::map<std::string, std::vector<std::pair<std::int64_t, std::optional<ListPage>>>> rest;
  for (auto& [endpoint, pages] : parsing)
    for (auto& [start, page] : pages)
      rest[endpoint].emplace_back(start, take_parsed(page, page_label(endpoint, start), snapshot.problems));

  for (const auto& endpoint : endpoints) {
    if (!first[endpoint]) continue;
    std::vector<nlohmann::json>& out = endpoint == "Users" ? snapshot.users : snapshot.groups;
    std::int64_t total = first[endpoint]->total_results;
    (endpoint == "Users" ? snapshot.users_total : snapshot.groups_total) = total;
    std::set<std::string> seen;
    auto take = [&](std::vector<nlohmann::json>& resources) {
      for (auto& resource : resources)
        if (seen.insert(resource.value("id", "")).second) out.push_back(std::move(resource));
    };
    take(first[endpoint]->resources);
    for (auto& [start, page] : rest[endpoint])
      if (page) take(page->resources);
    if (static_cast<std::int64_t>(out.size()) != total)
      snapshot.problems.push_back(endpoint + ": totalResults is " + std::to_string(total) + " but paging returned " +
                                  std::to_string(out.size()) + " distinct resources");
  }
  return snapshot;
}

}  // namespace sim
