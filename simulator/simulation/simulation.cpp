#include "simulator/simulation/simulation.hpp"

#include "simulator/convergence/target_snapshot.hpp"
#include "simulator/idp/entra_engine.hpp"
#include "simulator/idp/okta_engine.hpp"
#include "simulator/lifecycle/apply_event.hpp"
#include "simulator/lifecycle/virtual_clock.hpp"
#include "simulator/simulation/target_actions.hpp"

#include <memory>
#include <stdexcept>

namespace sim {

std::string_view to_string(IdpKind idp) {
  switch (idp) {
    case IdpKind::okta: return "okta";
    case IdpKind::okta_aiw: return "okta-aiw";
    case IdpKind::entra: return "entra";
  }
  return "okta";
}

IdpKind parse_idp(std::string_view text) {
  if (text == "okta") return IdpKind::okta;
  if (text == "okta-aiw") return IdpKind::okta_aiw;
  if (text == "entra") return IdpKind::entra;
  throw std::invalid_argument("unknown --idp \"" + std::string(text) + "\"; use okta, okta-aiw or entra");
}

namespace {

nlohmann::json describe(const Event& event) {
  nlohmann::json out = {{"kind", to_string(event.kind)}};
  if (!event.user.empty()) out["user"] = event.user;
  if (!event.group.empty()) out["group"] = event.group;
  if (!event.from.empty()) out["from"] = event.from;
  if (!event.to.empty()) out["to"] = event.to;
  if (event.kind == EventKind::update) {
    nlohmann::json names = nlohmann::json::array();
    for (const auto& [name, value] : event.payload.items()) names.push_back(name);
    out["set"] = names;
  }
  if (event.kind == EventKind::group_rename) out["displayName"] = event.payload["displayName"];
  if (event.kind == EventKind::outage) out["minutes"] = event.minutes;
  if (!event.note.empty()) out["note"] = event.note;
  return out;
}

nlohmann::json entry(std::int64_t minute, const char* type) {
  return {{"minute", minute}, {"time", format_time(minute)}, {"type", type}};
}

// Drives one scenario; the members live as long as the run.
class Driver {
 public:
  Driver(Scenario& scenario, scimclient::Client& client, const SimulationOptions& options)
      : scenario_(scenario), client_(client), options_(options), runtime_(client, options.concurrency),
        clock_(options.real_time), current_(options.credential) {
    EngineEnv env{runtime_, scenario_.directory, links_, [this] { return current_; },
                  [this](nlohmann::json cycle) {
                    nlohmann::json line = entry(cycle["at"].get<std::int64_t>(), "cycle");
                    cycle.erase("at");
                    line.update(cycle);
                    result_.timeline.push_back(std::move(line));
                  }};
    if (options.idp == IdpKind::entra) {
      EntraOptions entra;
      entra.dialect = options.dialect;
      entra.cycle_minutes = options.entra_cycle_minutes;
      engine_ = std::make_unique<EntraEngine>(env, entra);
    } else {
      OktaOptions okta;
      okta.aiw = options.idp == IdpKind::okta_aiw;
      okta.seed = options.seed;
      engine_ = std::make_unique<OktaEngine>(env, okta);
    }
    runtime_.on_exchange([this](const scimclient::Exchange& exchange) {
      if (rotated_ && exchange.ok() && (exchange.status == 401 || exchange.status == 403)) ++refused_after_switch_;
    });
  }

  SimulationResult run() {
    auto started = std::chrono::steady_clock::now();
    for (const Event& event : scenario_.events)
      if (event.kind == EventKind::rotate_token && !options_.rotation)
        throw std::invalid_argument("scenario " + scenario_.name +
                                    " rotates the token: give a second credential and a way to revoke the first "
                                    "(--rotate-to and --revoke-command, or --admin-url and --admin-token)");
    result_.engine = engine_->name();
    say("scimulator simulate: " + engine_->name() + " over scenario " + scenario_.name + " (" +
        std::to_string(scenario_.directory.live_users()) + " users, " + std::to_string(scenario_.directory.live_groups()) +
        " groups, " + std::to_string(scenario_.events.size()) + " events, " + std::to_string(scenario_.days) + " days)");

    if (scenario_.target_seed.contains("users") || scenario_.target_seed.contains("groups")) {
      nlohmann::json line = entry(0, "seed");
      line["requests"] = seed_target(client_, current_, scenario_.target_seed);
      result_.timeline.push_back(std::move(line));
    }
    measured(entry(0, "start"), [&] { engine_->start(0); });
    say("  " + format_time(0) + "  initial provisioning: " + std::to_string(runtime_.stats().requests) + " requests");

    std::size_t i = 0;
    int day = 0;
    while (i < scenario_.events.size()) {
      std::int64_t at = scenario_.events[i].at;
      advance(at);
      report_days(at, day);
      nlohmann::json batch = nlohmann::json::array();
      std::vector<Change> changes;
      std::size_t requests_before = runtime_.stats().requests;
      auto flush = [&] {
        if (batch.empty()) return;
        if (!changes.empty()) engine_->on_changes(changes, at);
        nlohmann::json line = entry(at, "events");
        line["events"] = std::move(batch);
        line["requests"] = runtime_.stats().requests - requests_before;
        result_.timeline.push_back(std::move(line));
        batch = nlohmann::json::array();
        changes.clear();
        requests_before = runtime_.stats().requests;
      };
      for (; i < scenario_.events.size() && scenario_.events[i].at == at; ++i) {
        const Event& event = scenario_.events[i];
        ++result_.events;
        if (changes_directory(event.kind)) {
          std::vector<Change> more = apply_event(scenario_.directory, event);
          changes.insert(changes.end(), more.begin(), more.end());
          batch.push_back(describe(event));
          continue;
        }
        flush();
        special(event);
        requests_before = runtime_.stats().requests;
      }
      flush();
    }
    std::int64_t end = std::max<std::int64_t>(static_cast<std::int64_t>(scenario_.days) * 1440, clock_.now());
    advance(end);
    end_outage();
    result_.end_minute = std::max(end, engine_->settle(end));
    report_days(result_.end_minute, day);
    result_.timeline.push_back(entry(result_.end_minute, "settled"));
    auto provisioned = std::chrono::steady_clock::now();
    result_.provisioning_wall = std::chrono::duration_cast<std::chrono::milliseconds>(provisioned - started);

    std::size_t before = runtime_.stats().requests;
    TargetSnapshot snapshot = read_target(runtime_, current_, 500);
    if (!snapshot.problems.empty()) {
      std::vector<std::string> user_ids, group_ids;
      for (const auto& [key, id] : links_.user_ids) user_ids.push_back(id);
      for (const auto& [key, id] : links_.group_ids) group_ids.push_back(id);
      fill_in_linked(snapshot, runtime_, current_, user_ids, group_ids);
    }
    nlohmann::json line = entry(result_.end_minute, "convergence_read");
    line["requests"] = runtime_.stats().requests - before;
    line["users"] = snapshot.users.size();
    line["groups"] = snapshot.groups.size();
    result_.timeline.push_back(std::move(line));
    auto read = std::chrono::steady_clock::now();
    result_.read_wall = std::chrono::duration_cast<std::chrono::milliseconds>(read - provisioned);
    result_.drift = compare(scenario_.directory, links_, snapshot,
                            [this](const DirUser& user) { return engine_->mapping(user); });
    rotation_drift();
    result_.compare_wall =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - read);

    result_.engine_report = engine_->report();
    result_.open_failures = engine_->open_failures();
    result_.stats = runtime_.stats();
    result_.credential_in_use = current_.describe();
    result_.wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return std::move(result_);
  }

 private:
  void say(const std::string& text) {
    if (options_.progress) options_.progress(text);
  }

  template <class F>
  void measured(nlohmann::json line, F&& work) {
    std::size_t before = runtime_.stats().requests;
    work();
    line["requests"] = runtime_.stats().requests - before;
    result_.timeline.push_back(std::move(line));
  }

  // One line per virtual day passed, so a long run shows it is moving.
  void report_days(std::int64_t at, int& day) {
    while (static_cast<std::int64_t>(day + 1) * 1440 <= at && day + 1 <= scenario_.days) {
      ++day;
      say("  day " + std::to_string(day) + " done: " + std::to_string(result_.events) + " events, " +
          std::to_string(runtime_.stats().requests) + " requests so far");
    }
  }

  // Virtual time moves to `at`. Entra ID's cycles that fall inside an outage window fail (and are
  // escrowed); the window closes at its end minute, whatever comes next.
  void advance(std::int64_t at) {
    if (outage_until_ && *outage_until_ <= at) {
      engine_->advance(*outage_until_ - 1);
      clock_.advance_to(*outage_until_);
      end_outage();
    }
    clock_.advance_to(at);
    engine_->advance(at);
  }

  void end_outage() {
    if (!outage_until_) return;
    result_.timeline.push_back(entry(*outage_until_, "outage_end"));
    say("  " + format_time(*outage_until_) + "  the target is reachable again");
    runtime_.set_outage(false);
    outage_until_.reset();
  }

  void special(const Event& event) {
    std::int64_t at = event.at;
    switch (event.kind) {
      case EventKind::rotate_token: rotate(at); break;
      case EventKind::outage: {
        outage_until_ = at + event.minutes;
        runtime_.set_outage(true);
        nlohmann::json line = entry(at, "outage_start");
        line["until"] = format_time(*outage_until_);
        result_.timeline.push_back(std::move(line));
        say("  " + format_time(at) + "  the target is unreachable for " + std::to_string(event.minutes) + " minutes");
        break;
      }
      case EventKind::retry_tasks: measured(entry(at, "retry_tasks"), [&] { engine_->retry_failures(at); }); break;
      case EventKind::provision_on_demand: {
        nlohmann::json line = entry(at, "provision_on_demand");
        line["user"] = event.user;
        measured(std::move(line), [&] { engine_->provision_on_demand(event.user, at); });
        break;
      }
      case EventKind::import_directory: measured(entry(at, "import"), [&] { engine_->import_directory(at); }); break;
      case EventKind::tamper: {
        nlohmann::json line = entry(at, "tamper");
        line.update(runtime_.outage() ? nlohmann::json{{"skipped", "the target is in an outage window"}}
                                      : tamper(client_, current_, links_, event));
        say("  " + format_time(at) + "  tampered with the target behind the IdP's back: " + line.value("action", ""));
        result_.timeline.push_back(std::move(line));
        break;
      }
      default: break;
    }
  }

  // C1: create the second credential, switch the IdP to it, revoke the first, then check that the
  // first is refused (RFC 7644 §3.12: 401 for a credential that is not valid).
  void rotate(std::int64_t at) {
    Credential old = current_;
    Credential next = options_.rotation->issue(old);
    nlohmann::json line = entry(at, "rotation");
    line["from"] = old.describe();
    line["to"] = next.describe();
    line["new_credential_status"] = probe_credential(client_, next);
    current_ = next;
    rotated_ = true;
    options_.rotation->revoke(old);
    int old_status = probe_credential(client_, old);
    line["old_credential_status_after_revoke"] = old_status;
    say("  " + format_time(at) + "  token rotated: " + old.describe() + " -> " + next.describe() +
        "; the old one now gets " + std::to_string(old_status));
    result_.rotations.push_back(line);
    result_.timeline.push_back(std::move(line));
  }

  void rotation_drift() {
    for (const auto& rotation : result_.rotations) {
      int fresh = rotation["new_credential_status"].get<int>();
      if (fresh < 200 || fresh >= 300)
        result_.drift.drift.push_back({DriftKind::credential_refused, "credential", {}, rotation["to"], {}, {}, 200, fresh,
                                       "the new credential was refused right after it was issued"});
      int old = rotation["old_credential_status_after_revoke"].get<int>();
      if (old != 401)
        result_.drift.drift.push_back({DriftKind::stale_credential, "credential", {}, rotation["from"], {}, {}, 401, old,
                                       "the revoked credential still got " + std::to_string(old) + " instead of 401"});
    }
    if (refused_after_switch_ > 0)
      result_.drift.drift.push_back({DriftKind::credential_refused, "credential", {}, current_.describe(), {}, {}, 0,
                                     refused_after_switch_,
                                     std::to_string(refused_after_switch_) +
                                         " request(s) after the switch were refused (401/403): changes were lost"});
    if (!result_.rotations.empty()) result_.rotations.back()["refused_after_switch"] = refused_after_switch_;
  }

  Scenario& scenario_;
  scimclient::Client& client_;
  const SimulationOptions& options_;
  Runtime runtime_;
  VirtualClock clock_;
  Credential current_;
  LinkTable links_;
  std::unique_ptr<Engine> engine_;
  std::optional<std::int64_t> outage_until_;
  bool rotated_ = false;
  std::size_t refused_after_switch_ = 0;
  SimulationResult result_;
};

}  // namespace

SimulationResult run_simulation(Scenario scenario, scimclient::Client& client, const SimulationOptions& options) {
  Driver driver(scenario, client, options);
  return driver.run();
}

}  // namespace sim
