#include "simulator/idp/entra_engine.hpp"

#include "simulator/idp/scim_json.hpp"

#include <algorithm>

namespace sim {

namespace {

const std::string kManagerPath = std::string(kEnterpriseSchema) + ":manager.value";
// The escrow slot of a user's manager link, apart from the user's own (E15: linked separately).
const std::string kManagerLink = "manager link";

// The target's `active` as a boolean, whatever spelling it answered with.
nlohmann::json normalized(const std::string& path, const nlohmann::json& value) {
  if (path == "active" && value.is_string()) return lower(value.get<std::string>()) == "true";
  return value;
}

}  // namespace

EntraEngine::EntraEngine(EngineEnv env, EntraOptions options) : env_(std::move(env)), options_(std::move(options)) {}

entra::Wire EntraEngine::wire(bool on_demand) const {
  // E20: provisioning on demand ignores the aadOptscim062020 flag.
  return entra::Wire{env_.credential(), on_demand ? EntraDialect::scim : options_.dialect, options_.timeout};
}

Flow<scimclient::Exchange> EntraEngine::call(scimclient::HttpRequestSpec request, bool on_demand) {
  // E21: a 429 is retried after Retry-After, only the request that was refused.
  scimclient::Exchange exchange = co_await send_honouring_retry_after(env_.runtime, std::move(request), options_.throttle);
  if (exchange.ok() && (exchange.status == 401 || exchange.status == 403)) current_.refused = true;
  co_return exchange;
}

void EntraEngine::escrow(std::string object, std::string key, std::string action, const scimclient::Exchange& exchange) {
  Escrow& entry = escrow_[object + ":" + key];
  ++entry.attempts;
  std::size_t step = std::min<std::size_t>(static_cast<std::size_t>(entry.attempts - 1), options_.escrow_backoff_minutes.size() - 1);
  entry.retry_at = now_ + options_.escrow_backoff_minutes[step];
  entry.failure = Failure{now_, std::move(object), std::move(key), std::move(action), summarize(exchange)};
  ++current_.failures;
  ++escrowed_total_;
}

void EntraEngine::clear_escrow(const std::string& object, const std::string& key) { escrow_.erase(object + ":" + key); }

bool EntraEngine::escrow_due(const std::string& object, const std::string& key) const {
  auto it = escrow_.find(object + ":" + key);
  return it != escrow_.end() && it->second.retry_at <= now_;
}

std::vector<entra::Delta> EntraEngine::differences(const DirUser& user, const nlohmann::json& target) const {
  std::vector<entra::Delta> deltas;
  for (const MappedAttribute& attribute : entra_mapping(user, env_.links)) {
    if (attribute.path == kManagerPath) continue;  // linked in its own round-trip (E15)
    std::optional<nlohmann::json> actual = read_path(target, attribute.path);
    if (actual) *actual = normalized(attribute.path, *actual);
    if (!actual && attribute.value.is_null()) continue;
    if (actual && !attribute.value.is_null()) {
      if (*actual == attribute.value) continue;
      // E16: a UPN change is sent as a Replace of userName, a change of casing alone included.
      bool fold = attribute.ignore_case && attribute.path != "userName";
      if (fold && actual->is_string() && attribute.value.is_string() &&
          lower(actual->get<std::string>()) == lower(attribute.value.get<std::string>()))
        continue;
    }
    deltas.push_back({attribute.path, attribute.value, actual.has_value()});
  }
  return deltas;
}

bool EntraEngine::membership_dirty(const DirGroup& group) const {
  std::set<std::string> desired;
  for (const auto& key : group.members)
    if (env_.links.user_id(key)) desired.insert(key);
  auto it = env_.links.exported_members.find(group.key);
  if (it == env_.links.exported_members.end()) return !desired.empty();
  return it->second != desired;
}

Flow<void> EntraEngine::user_flow(std::string key, bool on_demand) {
  DirUser user = env_.directory.get_user(key);
  std::string id;
  if (const std::string* linked = env_.links.user_id(key)) id = *linked;
  if (user.deleted) {
    if (id.empty() || deleted_.count(key)) co_return;
    scimclient::HttpRequestSpec delete_user_request = entra::delete_user(wire(on_demand), id);
    scimclient::Exchange removed = co_await call(std::move(delete_user_request), on_demand);
    if (success(removed) || (removed.ok() && removed.status == 404)) {
      deleted_.insert(key);
      clear_escrow("user", key);
    } else {
      escrow("user", key, "delete user", removed);
    }
    co_return;
  }
  std::optional<nlohmann::json> target;
  if (!id.empty()) {
    scimclient::HttpRequestSpec get_user_request = entra::get_user(wire(on_demand), id);
    scimclient::Exchange read = co_await call(std::move(get_user_request), on_demand);
    if (success(read)) {
      target = resource_of(read);
    } else if (read.ok() && read.status == 404) {
      // Gone from the target: forget the anchor and match again, as after a restart.
      env_.links.user_ids.erase(key);
      id.clear();
    } else {
      escrow("user", key, "read user", read);
      co_return;
    }
  }
  if (!target) {
    // E24: a disabled user is never created.
    if (!user.active) co_return;
    scimclient::HttpRequestSpec find_user_request = entra::find_user(wire(on_demand), user.user_name);
    scimclient::Exchange lookup = co_await call(std::move(find_user_request), on_demand);
    std::optional<ListPage> page = list_page(lookup);
    if (!page) {
      escrow("user", key, "match user by userName", lookup);
      co_return;
    }
    if (!page->resources.empty()) {
      target = page->resources.front();
      id = target->value("id", "");
      if (id.empty()) {
        escrow("user", key, "match user by userName (the match has no id)", lookup);
        co_return;
      }
      env_.links.user_ids[key] = id;
    } else {
      scimclient::HttpRequestSpec create_user_request = entra::create_user(wire(on_demand), user);
      scimclient::Exchange created = co_await call(std::move(create_user_request), on_demand);
      std::optional<nlohmann::json> body = resource_of(created);
      id = body ? body->value("id", "") : "";
      if (id.empty()) {
        escrow("user", key,
               created.status == 409 ? "create user (409: the target already holds this userName)" : "create user",
               created);
        co_return;
      }
      env_.links.user_ids[key] = id;
      std::optional<nlohmann::json> manager = read_path(*body, kManagerPath);
      target_manager_[key] = manager && manager->is_string() ? manager->get<std::string>() : "";
      clear_escrow("user", key);
      co_return;
    }
  }
  std::optional<nlohmann::json> manager = read_path(*target, kManagerPath);
  target_manager_[key] = manager && manager->is_string() ? manager->get<std::string>() : "";
  std::vector<entra::Delta> deltas = differences(user, *target);
  if (!deltas.empty()) {
    scimclient::HttpRequestSpec update_user_request = entra::update_user(wire(on_demand), id, deltas);
    scimclient::Exchange patched = co_await call(std::move(update_user_request), on_demand);
    if (!success(patched)) {
      escrow("user", key, "update user", patched);
      co_return;
    }
  }
  clear_escrow("user", key);
}

Flow<void> EntraEngine::manager_flow(std::string key, bool on_demand) {
  const DirUser& user = env_.directory.get_user(key);
  const std::string* linked = env_.links.user_id(key);
  if (!linked || user.deleted) co_return;
  std::string id = *linked;
  std::string desired;
  if (!user.manager.empty()) {
    const std::string* manager = env_.links.user_id(user.manager);
    if (!manager) {
      // The manager has no account yet: link it in a later cycle.
      manager_pending_.insert(key);
      co_return;
    }
    desired = *manager;
  }
  manager_pending_.erase(key);
  if (target_manager_[key] == desired) {
    clear_escrow(kManagerLink, key);
    co_return;
  }
  scimclient::HttpRequestSpec set_manager_request = entra::set_manager(wire(on_demand), id, desired);
  scimclient::Exchange patched = co_await call(std::move(set_manager_request), on_demand);
  if (!success(patched)) {
    // Its own escrow entry: the user's next successful sync must not reset this back-off.
    escrow(kManagerLink, key, "link manager", patched);
    co_return;
  }
  clear_escrow(kManagerLink, key);
  target_manager_[key] = desired;
}

Flow<void> EntraEngine::group_flow(std::string key, bool on_demand) {
  DirGroup group = env_.directory.get_group(key);
  std::string id;
  if (const std::string* linked = env_.links.group_id(key)) id = *linked;
  if (group.deleted) {
    if (id.empty() || deleted_groups_.count(key)) co_return;
    scimclient::HttpRequestSpec delete_group_request = entra::delete_group(wire(on_demand), id);
    scimclient::Exchange removed = co_await call(std::move(delete_group_request), on_demand);
    if (success(removed) || (removed.ok() && removed.status == 404)) {
      deleted_groups_.insert(key);
      env_.links.exported_members.erase(key);
      clear_escrow("group", key);
    } else {
      escrow("group", key, "delete group", removed);
    }
    co_return;
  }
  std::optional<nlohmann::json> target;
  if (!id.empty()) {
    scimclient::HttpRequestSpec get_group_request = entra::get_group(wire(on_demand), id);
    scimclient::Exchange read = co_await call(std::move(get_group_request), on_demand);
    if (success(read)) {
      target = resource_of(read);
    } else if (read.ok() && read.status == 404) {
      env_.links.group_ids.erase(key);
      env_.links.exported_members.erase(key);
      id.clear();
    } else {
      escrow("group", key, "read group", read);
      co_return;
    }
  }
  if (!target) {
    scimclient::HttpRequestSpec find_group_request = entra::find_group(wire(on_demand), group.display_name);
    scimclient::Exchange lookup = co_await call(std::move(find_group_request), on_demand);
    std::optional<ListPage> page = list_page(lookup);
    if (!page) {
      escrow("group", key, "match group by displayName", lookup);
      co_return;
    }
    if (!page->resources.empty()) {
      target = page->resources.front();
      id = target->value("id", "");
      // Members of a matched group are unknown (E7 excludes them): every member is added.
      env_.links.exported_members.erase(key);
    } else {
      scimclient::HttpRequestSpec create_group_request = entra::create_group(wire(on_demand), group);
      scimclient::Exchange created = co_await call(std::move(create_group_request), on_demand);
      target = resource_of(created);
      id = target ? target->value("id", "") : "";
      if (id.empty()) {
        escrow("group", key, created.status == 409 ? "create group (409: the name is taken)" : "create group", created);
        co_return;
      }
      env_.links.exported_members[key] = {};
    }
    if (id.empty()) {
      escrow("group", key, "match group by displayName (the match has no id)", lookup);
      co_return;
    }
    env_.links.group_ids[key] = id;
  }
  std::optional<nlohmann::json> name = read_path(*target, "displayName");
  if (!name || *name != group.display_name) {
    scimclient::HttpRequestSpec rename_group_request = entra::rename_group(wire(on_demand), id, group.display_name);
    scimclient::Exchange renamed = co_await call(std::move(rename_group_request), on_demand);
    if (!success(renamed)) {
      escrow("group", key, "rename group", renamed);
      co_return;
    }
  }
  std::set<std::string> desired;
  for (const auto& member : group.members)
    if (env_.links.user_id(member)) desired.insert(member);
  std::set<std::string> exported = env_.links.exported_members[key];
  std::vector<std::pair<bool, std::string>> work;  // (add?, user key), removals first
  for (const auto& member : exported)
    if (!desired.count(member) && env_.links.user_id(member)) work.emplace_back(false, member);
  for (const auto& member : desired)
    if (!exported.count(member)) work.emplace_back(true, member);
  for (std::size_t start = 0; start < work.size(); start += options_.members_per_patch) {
    std::vector<std::string> add, remove;
    std::size_t end = std::min(work.size(), start + options_.members_per_patch);
    for (std::size_t i = start; i < end; ++i)
      (work[i].first ? add : remove).push_back(*env_.links.user_id(work[i].second));
    scimclient::HttpRequestSpec update_members_request = entra::update_members(wire(on_demand), id, add, remove);
    scimclient::Exchange patched = co_await call(std::move(update_members_request), on_demand);
    if (!success(patched)) {
      escrow("group", key, "update group members", patched);
      co_return;
    }
    std::set<std::string>& record = env_.links.exported_members[key];
    for (std::size_t i = start; i < end; ++i) {
      if (work[i].first) record.insert(work[i].second);
      else record.erase(work[i].second);
    }
  }
  clear_escrow("group", key);
}

void EntraEngine::run_phases(const std::vector<std::string>& users, const std::vector<std::string>& groups,
                             bool on_demand) {
  for (const auto& key : users) env_.runtime.spawn(user_flow(key, on_demand));
  env_.runtime.run();
  // E20: reference attributes after the users exist.
  std::set<std::string> managers(users.begin(), users.end());
  managers.insert(manager_pending_.begin(), manager_pending_.end());
  for (const auto& key : managers) env_.runtime.spawn(manager_flow(key, on_demand));
  env_.runtime.run();
  for (const auto& key : groups) env_.runtime.spawn(group_flow(key, on_demand));
  env_.runtime.run();
  current_.users += users.size();
  current_.groups += groups.size();
}

void EntraEngine::cycle(std::int64_t at, bool initial) {
  now_ = at;
  current_ = {};
  ++cycles_;
  std::size_t requests_before = env_.runtime.stats().requests;
  std::int64_t stamp = env_.directory.stamp();
  std::vector<std::string> users, groups;
  for (const auto& user : env_.directory.users()) {
    bool wanted = initial ? !user.deleted : user.changed_at > watermark_ || escrow_due("user", user.key);
    if (wanted) users.push_back(user.key);
  }
  for (const auto& group : env_.directory.groups()) {
    bool wanted = initial ? !group.deleted
                          : group.changed_at > watermark_ || escrow_due("group", group.key) ||
                                (!group.deleted && env_.links.group_id(group.key) && membership_dirty(group));
    if (wanted) groups.push_back(group.key);
  }
  // E21: a manager link that failed is retried when its own back-off is due.
  for (const auto& [slot, entry] : escrow_)
    if (entry.failure.object == kManagerLink && entry.retry_at <= now_) manager_pending_.insert(entry.failure.key);
  if (!users.empty() || !groups.empty() || !manager_pending_.empty()) run_phases(users, groups, false);
  watermark_ = stamp;

  std::size_t handled = current_.users + current_.groups;
  bool too_many = current_.failures >= options_.quarantine_min_failures &&
                  static_cast<double>(current_.failures) >= options_.quarantine_failure_share * static_cast<double>(handled);
  if ((too_many || current_.refused) && !quarantined_) {
    quarantined_ = true;
    quarantines_.push_back({{"from", at},
                            {"reason", current_.refused ? "the target refused the credential (401/403)"
                                                        : std::to_string(current_.failures) + " of " +
                                                              std::to_string(handled) + " objects failed in one cycle"}});
  } else if (quarantined_ && current_.failures == 0 && !current_.refused) {
    quarantined_ = false;
    quarantines_.back()["until"] = at;
  }
  if (handled > 0) {
    ++busy_cycles_;
    nlohmann::json entry = {{"at", at},
                            {"initial", initial},
                            {"users", current_.users},
                            {"groups", current_.groups},
                            {"failures", current_.failures},
                            {"requests", env_.runtime.stats().requests - requests_before},
                            {"quarantined", quarantined_}};
    if (env_.log) env_.log(std::move(entry));
  }
}

void EntraEngine::start(std::int64_t now) {
  started_ = true;
  cycle(now, true);
  next_cycle_at_ = now + (quarantined_ ? options_.quarantine_cycle_minutes : options_.cycle_minutes);
}

void EntraEngine::resume(std::int64_t now) {
  started_ = true;
  now_ = now;
  watermark_ = env_.directory.stamp();
  next_cycle_at_ = now + options_.cycle_minutes;
}

void EntraEngine::advance(std::int64_t now) {
  if (!started_) return;
  while (next_cycle_at_ <= now) {
    std::int64_t at = next_cycle_at_;
    cycle(at, false);
    next_cycle_at_ = at + (quarantined_ ? options_.quarantine_cycle_minutes : options_.cycle_minutes);
  }
}

std::int64_t EntraEngine::settle(std::int64_t now) {
  advance(now);
  std::int64_t limit = now + options_.settle_minutes;
  std::int64_t last = now;
  auto pending = [&] {
    if (!escrow_.empty()) return true;
    for (const auto& user : env_.directory.users())
      if (user.changed_at > watermark_) return true;
    for (const auto& group : env_.directory.groups()) {
      if (group.changed_at > watermark_) return true;
      if (!group.deleted && env_.links.group_id(group.key) && membership_dirty(group)) return true;
    }
    for (const auto& key : manager_pending_) {
      const DirUser& user = env_.directory.get_user(key);
      if (!user.manager.empty() && env_.links.user_id(user.manager)) return true;
    }
    return false;
  };
  while (pending() && next_cycle_at_ <= limit) {
    last = next_cycle_at_;
    advance(next_cycle_at_);
  }
  return last;
}

void EntraEngine::provision_on_demand(const std::string& user_key, std::int64_t now) {
  now_ = now;
  ++on_demand_;
  CycleStats saved = current_;
  current_ = {};
  run_phases({user_key}, env_.directory.groups_of(user_key), true);
  current_ = saved;
}

std::vector<Failure> EntraEngine::open_failures() const {
  std::vector<Failure> out;
  for (const auto& [slot, entry] : escrow_) out.push_back(entry.failure);
  return out;
}

nlohmann::json EntraEngine::report() const {
  nlohmann::json escrow = nlohmann::json::array();
  for (const auto& [slot, entry] : escrow_) {
    nlohmann::json item = to_json(entry.failure);
    item["attempts"] = entry.attempts;
    item["retry_at"] = entry.retry_at;
    escrow.push_back(item);
  }
  return {{"engine", name()},
          {"dialect", to_string(options_.dialect)},
          {"cycle_minutes", options_.cycle_minutes},
          {"cycles", cycles_},
          {"busy_cycles", busy_cycles_},
          {"escrowed_total", escrowed_total_},
          {"open_escrow", escrow},
          {"quarantined", quarantined_},
          {"quarantines", quarantines_},
          {"provisioned_on_demand", on_demand_}};
}

}  // namespace sim
