#pragma once
// Entra ID's provisioning service (E20, E21): nothing is sent when a change happens; a cycle runs
// every 40 minutes of virtual time.
//   initial cycle      every in-scope user is matched by filter, then created (POST) or brought
//                      in line (PATCH of what differs from the target's copy); managers are
//                      linked in a second round-trip (E15); then groups, created empty (E6) and
//                      filled by PATCH (E4)
//   incremental cycle  only objects changed since the watermark, plus escrowed objects whose
//                      back-off has passed; each is read back (GET by the cached id) and patched
//   on demand          one user right now, always in the default dialect (E20)
// Failures are escrowed and retried 30m, 1h, 2h, 4h, 8h later; a cycle where too many objects
// fail (or a credential is refused) quarantines the job: cycles drop to once a day until a cycle
// runs clean. Disabled users are never created (E24); hard-deleted users are DELETEd (E17).
#include "simulator/idp/engine.hpp"
#include "simulator/idp/entra_requests.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <set>

namespace sim {

struct EntraOptions {
  EntraDialect dialect = EntraDialect::scim;
  int cycle_minutes = 40;
  std::vector<int> escrow_backoff_minutes = {30, 60, 120, 240, 480};
  // Quarantine when at least this many objects fail in one cycle and they are at least this
  // share of the objects the cycle handled (E21 gives no numbers; these are stated guesses).
  std::size_t quarantine_min_failures = 10;
  double quarantine_failure_share = 0.4;
  int quarantine_cycle_minutes = 1440;
  std::size_t members_per_patch = 100;  // member values per PATCH (E4: several per op)
  RetryAfterPolicy throttle;  // E21
  std::chrono::milliseconds timeout{60000};
  // Virtual time settle() may spend flushing changes and escrow after the last event.
  int settle_minutes = 1440;
};

class EntraEngine : public Engine {
 public:
  EntraEngine(EngineEnv env, EntraOptions options);

  std::string name() const override { return "entra/" + std::string(to_string(options_.dialect)); }
  void start(std::int64_t now) override;
  void on_changes(const std::vector<Change>& changes, std::int64_t now) override {}
  void advance(std::int64_t now) override;
  std::int64_t settle(std::int64_t now) override;
  void provision_on_demand(const std::string& user_key, std::int64_t now) override;
  std::vector<MappedAttribute> mapping(const DirUser& user) const override { return entra_mapping(user, env_.links); }
  std::vector<Failure> open_failures() const override;
  nlohmann::json report() const override;

  // Continues a job whose objects are already provisioned (the links are given): no initial
  // cycle, the watermark is the directory as it stands, the next cycle is incremental.
  void resume(std::int64_t now);

  bool quarantined() const { return quarantined_; }
  std::int64_t next_cycle_at() const { return next_cycle_at_; }

 private:
  struct Escrow {
    int attempts = 0;
    std::int64_t retry_at = 0;
    Failure failure;
  };
  struct CycleStats {
    std::size_t users = 0, groups = 0, failures = 0;
    bool refused = false;  // a 401 or 403: the credential does not work
  };

  entra::Wire wire(bool on_demand = false) const;
  Flow<scimclient::Exchange> call(scimclient::HttpRequestSpec request, bool on_demand);
  void escrow(std::string object, std::string key, std::string action, const scimclient::Exchange& exchange);
  void clear_escrow(const std::string& object, const std::string& key);
  bool escrow_due(const std::string& object, const std::string& key) const;

  Flow<void> user_flow(std::string key, bool on_demand);
  Flow<void> manager_flow(std::string key, bool on_demand);
  Flow<void> group_flow(std::string key, bool on_demand);
  std::vector<entra::Delta> differences(const DirUser& user, const nlohmann::json& target) const;
  bool membership_dirty(const DirGroup& group) const;

  void cycle(std::int64_t at, bool initial);
  // The users, managers and groups phases over the given objects.
  void run_phases(const std::vector<std::string>& users, const std::vector<std::string>& groups, bool on_demand);

  EngineEnv env_;
  EntraOptions options_;
  std::int64_t now_ = 0;
  std::int64_t watermark_ = -1;  // Directory::stamp() at the start of the last cycle
  std::int64_t next_cycle_at_ = 0;
  bool started_ = false;
  bool quarantined_ = false;
  std::map<std::string, Escrow> escrow_;       // "user:<key>" / "group:<key>"
  std::map<std::string, std::string> target_manager_;  // user key -> manager id the target holds
  std::set<std::string> manager_pending_;      // users whose manager had no account yet
  std::set<std::string> deleted_;              // users already DELETEd on the target
  std::set<std::string> deleted_groups_;       // groups already DELETEd on the target
  CycleStats current_;
  std::size_t cycles_ = 0, busy_cycles_ = 0, escrowed_total_ = 0, on_demand_ = 0;
  nlohmann::json quarantines_ = nlohmann::json::array();
};

}  // namespace sim
