#pragma once
// Runs an engine golden fixture (fixtures/golden/simulator/flows/*.json, format in its README.md): each
// case sets up a directory and what the IdP already linked, then takes steps (start, events,
// advance, retry, on_demand, import); each step's requests, as the scripted peer received them
// over a real socket, must match the fixture exactly: method, path with its query encoding,
// every header (no more, no fewer, except Host and Content-Length), and the JSON body
// ("$any" matches any non-empty string, e.g. Okta's random password).
#include "scripted_peer.hpp"

#include "simulator/directory/directory_json.hpp"
#include "simulator/idp/entra_engine.hpp"
#include "simulator/idp/okta_engine.hpp"
#include "simulator/lifecycle/apply_event.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace simtest {

inline nlohmann::json load_golden(const std::string& file) {
  std::ifstream in(std::string(SIMULATOR_FIXTURES_DIR) + "/golden/simulator/flows/" + file);
  if (!in) throw std::runtime_error("cannot read golden fixture " + file);
  return nlohmann::json::parse(in);
}

inline std::vector<std::string> golden_case_names(const std::string& file) {
  std::vector<std::string> names;
  nlohmann::json golden = load_golden(file);
  for (const auto& item : golden["cases"]) names.push_back(item["name"].get<std::string>());
  return names;
}

inline std::string test_name(const std::string& name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

// `expected` with "$any" placeholders against `actual`; differences are added to `where`.
inline void match_json(const nlohmann::json& expected, const nlohmann::json& actual, const std::string& path,
                       std::vector<std::string>& problems) {
  if (expected.is_string() && expected == "$any") {
    if (!actual.is_string() || actual.get<std::string>().empty()) problems.push_back(path + ": expected a string, got " + actual.dump());
    return;
  }
  if (expected.is_object()) {
    if (!actual.is_object()) {
      problems.push_back(path + ": expected an object, got " + actual.dump());
      return;
    }
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) problems.push_back(path + "/" + key + ": missing");
      else match_json(value, actual[key], path + "/" + key, problems);
    }
    for (const auto& [key, value] : actual.items())
      if (!expected.contains(key)) problems.push_back(path + "/" + key + ": not expected, got " + value.dump());
    return;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      problems.push_back(path + ": expected " + expected.dump() + ", got " + actual.dump());
      return;
    }
    for (std::size_t i = 0; i < expected.size(); ++i) match_json(expected[i], actual[i], path + "/" + std::to_string(i), problems);
    return;
  }
  if (expected != actual) problems.push_back(path + ": expected " + expected.dump() + ", got " + actual.dump());
}

inline std::string lower_ascii(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

inline void expect_request(const nlohmann::json& fixture, const nlohmann::json& expected, const ReceivedRequest& got,
                           const std::string& where) {
  EXPECT_EQ(got.method, expected["method"].get<std::string>()) << where;
  EXPECT_EQ(got.target, "/scim/v2" + expected["path"].get<std::string>()) << where;
  // Headers: the fixture's defaults, the body headers when there is a body, then the request's own.
  nlohmann::json headers = fixture["headers"];
  if (expected.contains("body")) headers.update(fixture["body_headers"]);
  if (expected.contains("headers")) headers.update(expected["headers"]);
  std::map<std::string, std::string> received;
  for (const auto& [name, value] : got.headers) {
    std::string key = lower_ascii(name);
    if (key == "host" || key == "content-length") continue;
    EXPECT_FALSE(received.count(key)) << where << ": header " << name << " sent twice";
    received[key] = value;
  }
  for (const auto& [name, value] : headers.items()) {
    auto it = received.find(lower_ascii(name));
    if (it == received.end()) {
      ADD_FAILURE() << where << ": header " << name << " missing";
      continue;
    }
    EXPECT_EQ(it->second, value.get<std::string>()) << where << ": header " << name;
    received.erase(it);
  }
  for (const auto& [name, value] : received) ADD_FAILURE() << where << ": unexpected header " << name << ": " << value;
  if (expected.contains("body")) {
    nlohmann::json body = nlohmann::json::parse(got.body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << where << ": the body is not JSON: " << got.body;
    std::vector<std::string> problems;
    match_json(expected["body"], body, "", problems);
    for (const auto& problem : problems) ADD_FAILURE() << where << ": body" << problem << "\n  sent: " << got.body;
  } else {
    EXPECT_TRUE(got.body.empty()) << where << ": unexpected body " << got.body;
  }
}

inline ScriptedResponse scripted(const nlohmann::json& response) {
  ScriptedResponse out;
  out.status = response.value("status", 200);
  if (response.contains("headers"))
    for (const auto& [name, value] : response["headers"].items()) out.headers.emplace_back(name, value.get<std::string>());
  if (response.contains("body")) out.body = response["body"].dump();
  return out;
}

inline void run_golden_case(const std::string& file, const std::string& name) {
  nlohmann::json fixture = load_golden(file);
  nlohmann::json item;
  for (const auto& candidate : fixture["cases"])
    if (candidate["name"] == name) item = candidate;
  ASSERT_TRUE(item.is_object()) << name;

  sim::Directory directory = sim::directory_from_json(item.contains("directory") ? item["directory"] : fixture["directory"]);
  sim::LinkTable links;
  nlohmann::json linked = item.value("links", nlohmann::json::object());
  // Named copies: items() of a temporary would outlive the object it iterates.
  const nlohmann::json users = linked.value("users", nlohmann::json::object());
  const nlohmann::json groups = linked.value("groups", nlohmann::json::object());
  const nlohmann::json exported = linked.value("exported", nlohmann::json::object());
  for (const auto& [key, id] : users.items()) links.user_ids[key] = id.get<std::string>();
  for (const auto& [key, id] : groups.items()) links.group_ids[key] = id.get<std::string>();
  for (const auto& [key, members] : exported.items()) links.exported_members[key] = members.get<std::set<std::string>>();

  ScriptedPeer peer;
  scimclient::Client client(sim::idp_client_options(peer.base_url()));
  sim::Runtime runtime(client, 1);
  sim::Credential credential = sim::parse_credential(fixture["credential"].get<std::string>());
  sim::EngineEnv env{runtime, directory, links, [credential] { return credential; }, {}};
  std::unique_ptr<sim::Engine> engine;
  sim::EntraEngine* entra = nullptr;
  std::string idp = fixture["idp"];
  if (idp == "entra") {
    sim::EntraOptions options;
    options.dialect = sim::parse_entra_dialect(fixture["dialect"].get<std::string>());
    auto made = std::make_unique<sim::EntraEngine>(env, options);
    entra = made.get();
    engine = std::move(made);
    if (item.value("resume", false)) entra->resume(0);
  } else {
    sim::OktaOptions options;
    options.aiw = idp == "okta-aiw";
    engine = std::make_unique<sim::OktaEngine>(env, options);
  }

  int index = 0;
  for (const auto& step : item["steps"]) {
    std::string where = name + ", step " + std::to_string(++index) + " (" + step["do"].get<std::string>() + ")";
    std::vector<ScriptedResponse> responses;
    for (const auto& exchange : step["exchanges"]) responses.push_back(scripted(exchange["response"]));
    peer.script(std::move(responses));
    std::int64_t at = step.value("at", 0);
    std::string action = step["do"];
    auto started = std::chrono::steady_clock::now();
    if (action == "start") {
      engine->start(at);
    } else if (action == "events") {
      std::vector<sim::Change> changes;
      for (const auto& event : step["events"]) {
        nlohmann::json with_time = event;
        with_time["at"] = at;
        auto more = sim::apply_event(directory, sim::event_from_json(with_time));
        changes.insert(changes.end(), more.begin(), more.end());
      }
      engine->on_changes(changes, at);
      if (entra) entra->advance(at);
    } else if (action == "advance") {
      engine->advance(at);
    } else if (action == "retry") {
      engine->retry_failures(at);
    } else if (action == "on_demand") {
      engine->provision_on_demand(step["user"].get<std::string>(), at);
    } else if (action == "import") {
      engine->import_directory(at);
    } else {
      FAIL() << where << ": unknown step";
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::vector<ReceivedRequest> received = peer.take_received();
    const nlohmann::json& exchanges = step["exchanges"];
    EXPECT_EQ(received.size(), exchanges.size()) << where << ": requests sent";
    for (std::size_t i = 0; i < received.size() && i < exchanges.size(); ++i)
      expect_request(fixture, exchanges[i]["request"], received[i], where + ", request " + std::to_string(i + 1));
    for (std::size_t i = exchanges.size(); i < received.size(); ++i)
      ADD_FAILURE() << where << ": unexpected request " << received[i].method << " " << received[i].target << " " << received[i].body;
    if (step.contains("open_failures")) {
      EXPECT_EQ(engine->open_failures().size(), step["open_failures"].get<std::size_t>()) << where;
    }
    if (step.contains("min_seconds")) {
      EXPECT_GE(seconds, step["min_seconds"].get<double>()) << where;
    }
  }
  peer.stop();
}

}  // namespace simtest
