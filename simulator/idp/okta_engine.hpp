#pragma once
// Okta as a SCIM client: every change is pushed at once (C5), one conversation per object.
//   joiner      GET /Users?filter=userName eq … (O1); POST with password and groups: [] (O4), or,
//               when found, PATCH active=true then GET + PUT (O10)
//   profile     GET /Users/{id} then the whole resource PUT back (O7)
//   leaver      PATCH {"op":"replace","value":{"active":false}} (O9); Okta never deletes users (O12)
//   groups      POST with members, PATCH add of the same members (O13), GET + path-less rename
//               with id after every membership update (O14), member deltas removes-first (O15),
//               DELETE only for a deleted pushed group (O12)
//   AIW apps    PUT instead of every PATCH, GET first (O11)
// 429 answers are retried after Retry-After (O24); any other failure parks a task in the Tasks
// queue (C5) until a retry_tasks event.
#include "simulator/directory/generator.hpp"
#include "simulator/idp/engine.hpp"
#include "simulator/idp/okta_requests.hpp"

#include <chrono>
#include <map>
#include <set>

namespace sim {

struct OktaOptions {
  bool aiw = false;                     // O11: an App Integration Wizard app (PUT only)
  bool push_members_in_post = true;     // O13: "Push group memberships immediately"
  bool rename_after_membership = true;  // O14
  RetryAfterPolicy throttle;            // O24; past max_retries the task is parked
  std::chrono::milliseconds timeout{60000};  // O23
  std::uint64_t seed = 1;                    // for the random passwords (O4)
};

class OktaEngine : public Engine {
 public:
  OktaEngine(EngineEnv env, OktaOptions options);

  std::string name() const override { return options_.aiw ? "okta-aiw" : "okta"; }
  void start(std::int64_t now) override;
  void on_changes(const std::vector<Change>& changes, std::int64_t now) override;
  void retry_failures(std::int64_t now) override;
  void import_directory(std::int64_t now) override;
  std::vector<MappedAttribute> mapping(const DirUser& user) const override { return okta_mapping(user); }
  std::vector<Failure> open_failures() const override;
  nlohmann::json report() const override;

 private:
  enum class UserAction { provision, update, deactivate, reactivate };

  okta::Wire wire() const;
  std::string password();
  // One request with Okta's 429 handling.
  Flow<scimclient::Exchange> call(scimclient::HttpRequestSpec request);
  void park(std::string object, std::string key, std::string action, const scimclient::Exchange& exchange);

  Flow<void> user_flow(std::string key, std::vector<UserAction> actions);
  Flow<bool> provision(std::string key);
  Flow<bool> push_profile(std::string key, std::string id);
  Flow<bool> deactivate(std::string key, std::string id);
  Flow<void> group_flow(std::string key, bool renamed);
  Flow<bool> push_new_group(std::string key);
  Flow<bool> push_members(std::string key, std::string id);
  Flow<bool> rename(std::string key, std::string id);
  Flow<void> import_flow(std::string endpoint);

  // Runs the user conversations, then the group pushes (group pushes need the users' ids).
  void push(std::map<std::string, std::vector<UserAction>> users, std::map<std::string, bool> groups);
  std::vector<okta::Member> desired_members(const DirGroup& group) const;
  bool membership_dirty(const DirGroup& group) const;

  EngineEnv env_;
  OktaOptions options_;
  Rng rng_;
  std::int64_t now_ = 0;
  // The Tasks queue: the last failure per object, keyed "user:<key>" / "group:<key>".
  std::map<std::string, Failure> tasks_;
  std::size_t tasks_parked_ = 0;
  std::size_t tasks_retried_ = 0;
  nlohmann::json imports_ = nlohmann::json::array();
};

}  // namespace sim
