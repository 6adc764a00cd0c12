#pragma once
// An IdP engine turns directory changes into that IdP's requests, at the moments that IdP would
// send them. The simulation drives it: start() once over the initial directory, then
// on_changes() for each batch of events and advance() as virtual time passes.
#include "simulator/directory/directory.hpp"
#include "simulator/idp/credentials.hpp"
#include "simulator/idp/links.hpp"
#include "simulator/idp/runtime.hpp"
#include "simulator/idp/user_mapping.hpp"
#include "simulator/lifecycle/apply_event.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sim {

struct EngineEnv {
  Runtime& runtime;
  Directory& directory;
  LinkTable& links;
  // The credential in use at the moment a request is built (token rotation switches it).
  std::function<Credential()> credential;
  // Engine moments worth a line in the timeline (an Entra cycle that did something); may be empty.
  std::function<void(nlohmann::json)> log;
};

// A change the target did not take, as the IdP keeps it (Okta's Tasks queue, Entra's escrow).
struct Failure {
  std::int64_t at = 0;
  std::string object;  // "user" or "group"
  std::string key;
  std::string action;  // e.g. "create user", "push group membership"
  std::string detail;  // the exchange that failed, summarized
};
nlohmann::json to_json(const Failure& failure);

class Engine {
 public:
  virtual ~Engine() = default;
  // "okta", "okta-aiw", "entra/scim", "entra/aadOptscim062020"
  virtual std::string name() const = 0;
  // Provisions the directory as it stands (Okta: assign and push; Entra: the initial cycle).
  virtual void start(std::int64_t now) = 0;
  // The directory changed (already applied).
  virtual void on_changes(const std::vector<Change>& changes, std::int64_t now) = 0;
  // Virtual time reached `now`; Entra runs the cycles that fell due.
  virtual void advance(std::int64_t now) {}
  // After the last event: give the IdP the time it needs to send what is still queued
  // (Entra: its next cycles). Returns the virtual minute at which it is done.
  virtual std::int64_t settle(std::int64_t now) { return now; }
  virtual void provision_on_demand(const std::string& user_key, std::int64_t now) {}
  virtual void retry_failures(std::int64_t now) {}
  virtual void import_directory(std::int64_t now) {}
  // What the app maps for `user`; the convergence check compares exactly this.
  virtual std::vector<MappedAttribute> mapping(const DirUser& user) const = 0;
  // Failures still held (Okta's Tasks queue, Entra's escrow).
  virtual std::vector<Failure> open_failures() const = 0;
  // Engine-specific facts for the report (cycles, quarantine, retries).
  virtual nlohmann::json report() const = 0;
};

}  // namespace sim
