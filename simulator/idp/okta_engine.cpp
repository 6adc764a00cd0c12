#include "simulator/idp/okta_engine.hpp"

#include "simulator/idp/scim_json.hpp"

#include <algorithm>

namespace sim {

nlohmann::json to_json(const Failure& failure) {
  return {{"at", failure.at}, {"object", failure.object}, {"key", failure.key}, {"action", failure.action},
          {"detail", failure.detail}};
}

OktaEngine::OktaEngine(EngineEnv env, OktaOptions options)
    : env_(std::move(env)), options_(options), rng_(options.seed * 31 + 7) {}

okta::Wire OktaEngine::wire() const { return okta::Wire{env_.credential(), options_.timeout}; }

std::string OktaEngine::password() {
  // O4: eight random characters such as "1mz050nq" or "gl^m&qWZ".
  static constexpr char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789^&*!";
  std::string out;
  for (int i = 0; i < 8; ++i) out += alphabet[rng_.below(sizeof(alphabet) - 1)];
  return out;
}

// Every request is built in a statement of its own before it is awaited: GCC 12 destroys some
// temporaries of a co_await full-expression twice (a conditional operator's, for one).
Flow<scimclient::Exchange> OktaEngine::call(scimclient::HttpRequestSpec request) {
  // O24: Okta waits as long as Retry-After says, then sends the same request again.
  scimclient::Exchange exchange = co_await send_honouring_retry_after(env_.runtime, std::move(request), options_.throttle);
  co_return exchange;
}

void OktaEngine::park(std::string object, std::string key, std::string action, const scimclient::Exchange& exchange) {
  ++tasks_parked_;
  std::string slot = object + ":" + key;
  tasks_[slot] = Failure{now_, std::move(object), std::move(key), std::move(action), summarize(exchange)};
}

std::vector<okta::Member> OktaEngine::desired_members(const DirGroup& group) const {
  std::vector<okta::Member> out;
  for (const auto& key : group.members)
    if (const std::string* id = env_.links.user_id(key))
      if (const DirUser* user = env_.directory.find_user(key)) out.push_back({*id, user->user_name});
  return out;
}

bool OktaEngine::membership_dirty(const DirGroup& group) const {
  std::set<std::string> desired;
  for (const auto& key : group.members)
    if (env_.links.user_id(key)) desired.insert(key);
  auto it = env_.links.exported_members.find(group.key);
  if (it == env_.links.exported_members.end()) return !desired.empty();
  return it->second != desired;
}

Flow<bool> OktaEngine::provision(std::string key) {
  DirUser user = env_.directory.get_user(key);
  if (user.deleted || !user.active) {
    // Okta pushes no account for a user it has deactivated; one already linked is deactivated.
    const std::string* id = env_.links.user_id(key);
    if (!id) co_return true;
    bool done = co_await deactivate(key, *id);
    co_return done;
  }
  scimclient::HttpRequestSpec find_user_request = okta::find_user(wire(), user.user_name);
  scimclient::Exchange lookup = co_await call(std::move(find_user_request));
  std::optional<ListPage> page = list_page(lookup);
  // O2: Okta also takes a 404 as "no such user".
  bool not_found = lookup.ok() && lookup.status == 404;
  if (!page && !not_found) {
    park("user", key, "look up user by userName", lookup);
    co_return false;
  }
  if (page && !page->resources.empty()) {
    nlohmann::json found = page->resources.front();
    std::string id = found.value("id", "");
    if (id.empty()) {
      park("user", key, "look up user by userName (the match has no id)", lookup);
      co_return false;
    }
    env_.links.user_ids[key] = id;
    // O10: a user found on (re)assignment is switched on, then its profile pushed.
    std::optional<nlohmann::json> active = read_path(found, "active");
    if (!options_.aiw && active && *active == false) {
      scimclient::HttpRequestSpec set_active_request = okta::set_active(wire(), id, true);
      scimclient::Exchange enable = co_await call(std::move(set_active_request));
      if (!success(enable)) {
        park("user", key, "reactivate user", enable);
        co_return false;
      }
    }
    bool pushed = co_await push_profile(key, id);
    co_return pushed;
  }
  scimclient::HttpRequestSpec create_user_request = okta::create_user(wire(), user, password());
  scimclient::Exchange created = co_await call(std::move(create_user_request));
  std::optional<nlohmann::json> body = resource_of(created);
  std::string id = body ? body->value("id", "") : "";
  if (id.empty()) {
    // O5: "Create new user returned empty user"; O6: a 409 stops provisioning of this user.
    park("user", key,
         created.status == 409 ? "create user (409: the target already holds this userName)"
         : success(created)    ? "create user (the response holds no user)"
                               : "create user",
         created);
    co_return false;
  }
  env_.links.user_ids[key] = id;
  tasks_.erase("user:" + key);
  co_return true;
}

Flow<bool> OktaEngine::push_profile(std::string key, std::string id) {
  scimclient::HttpRequestSpec get_user_request = okta::get_user(wire(), id);
  scimclient::Exchange read = co_await call(std::move(get_user_request));
  std::optional<nlohmann::json> server = resource_of(read);
  if (!server) {
    park("user", key, "read user before a profile push", read);
    co_return false;
  }
  nlohmann::json body = okta::merge_profile(std::move(*server), env_.directory.get_user(key));
  scimclient::HttpRequestSpec replace_user_request = okta::replace_user(wire(), id, body);
  scimclient::Exchange put = co_await call(std::move(replace_user_request));
  if (!success(put)) {
    park("user", key, "push profile", put);
    co_return false;
  }
  tasks_.erase("user:" + key);
  co_return true;
}

Flow<bool> OktaEngine::deactivate(std::string key, std::string id) {
  if (options_.aiw) {
    // O11: an AIW app deactivates with a full PUT carrying active: false.
    bool pushed = co_await push_profile(key, id);
    co_return pushed;
  }
  scimclient::HttpRequestSpec set_active_request = okta::set_active(wire(), id, false);
  scimclient::Exchange patch = co_await call(std::move(set_active_request));
  if (!success(patch)) {
    park("user", key, "deactivate user", patch);
    co_return false;
  }
  tasks_.erase("user:" + key);
  co_return true;
}

Flow<void> OktaEngine::user_flow(std::string key, std::vector<UserAction> actions) {
  for (UserAction action : actions) {
    const std::string* linked = env_.links.user_id(key);
    bool ok = true;
    if (action == UserAction::deactivate) {
      if (linked) ok = co_await deactivate(key, *linked);
    } else if (action == UserAction::update && linked) {
      ok = co_await push_profile(key, *linked);
    } else {
      // provision, reactivate (O10 re-runs the lookup), or an update of a user never pushed.
      ok = co_await provision(key);
    }
    if (!ok) co_return;  // the task holds it; a retry pushes the state of that moment
  }
}

Flow<bool> OktaEngine::rename(std::string key, std::string id) {
  // O14: GET, then the path-less replace with the group's id.
  scimclient::HttpRequestSpec get_group_request = okta::get_group(wire(), id);
  scimclient::Exchange read = co_await call(std::move(get_group_request));
  std::optional<nlohmann::json> server = resource_of(read);
  if (!server) {
    park("group", key, "read group before a rename", read);
    co_return false;
  }
  const DirGroup& group = env_.directory.get_group(key);
  scimclient::Exchange update;
  if (options_.aiw) {
    std::vector<okta::Member> members = desired_members(group);
    scimclient::HttpRequestSpec replace_group_request = okta::replace_group(wire(), id, std::move(*server), group.display_name, members);
    update = co_await call(std::move(replace_group_request));
    if (success(update)) {
      std::set<std::string> keys;
      for (const auto& member : group.members)
        if (env_.links.user_id(member)) keys.insert(member);
      env_.links.exported_members[key] = keys;
    }
  } else {
    scimclient::HttpRequestSpec rename_group_request = okta::rename_group(wire(), id, group.display_name);
    update = co_await call(std::move(rename_group_request));
  }
  if (!success(update)) {
    park("group", key, "update group name", update);
    co_return false;
  }
  co_return true;
}

Flow<bool> OktaEngine::push_members(std::string key, std::string id) {
  const DirGroup& group = env_.directory.get_group(key);
  if (options_.aiw) {
    // O11: GET, then PUT with the full member list (rename() does both).
    bool done = co_await rename(key, id);
    co_return done;
  }
  std::set<std::string> desired;
  std::vector<okta::Member> add;
  for (const auto& member : group.members)
    if (env_.links.user_id(member)) desired.insert(member);
  std::set<std::string>& exported = env_.links.exported_members[key];
  std::vector<std::string> remove;
  for (const auto& member : exported)
    if (!desired.count(member))
      if (const std::string* user_id = env_.links.user_id(member)) remove.push_back(*user_id);
  for (const auto& member : desired)
    if (!exported.count(member))
      add.push_back({*env_.links.user_id(member), env_.directory.get_user(member).user_name});
  if (!add.empty() || !remove.empty()) {
    scimclient::HttpRequestSpec update_members_request = okta::update_members(wire(), id, add, remove);
    scimclient::Exchange patch = co_await call(std::move(update_members_request));
    if (!success(patch)) {
      park("group", key, "push group membership", patch);
      co_return false;
    }
    env_.links.exported_members[key] = desired;
  }
  if (options_.rename_after_membership) {
    bool renamed = co_await rename(key, id);
    co_return renamed;
  }
  co_return true;
}

Flow<bool> OktaEngine::push_new_group(std::string key) {
  DirGroup group = env_.directory.get_group(key);
  std::vector<okta::Member> members = desired_members(group);
  std::set<std::string> keys;
  for (const auto& member : group.members)
    if (env_.links.user_id(member)) keys.insert(member);

  scimclient::HttpRequestSpec find_group_request = okta::find_group(wire(), group.display_name);
  scimclient::Exchange lookup = co_await call(std::move(find_group_request));
  std::optional<ListPage> page = list_page(lookup);
  if (!page && !(lookup.ok() && lookup.status == 404)) {
    park("group", key, "look up group by displayName", lookup);
    co_return false;
  }
  if (page && !page->resources.empty()) {
    // Linking to a group the target already has: a full push of the members (O15).
    std::string id = page->resources.front().value("id", "");
    if (id.empty()) {
      park("group", key, "look up group by displayName (the match has no id)", lookup);
      co_return false;
    }
    env_.links.group_ids[key] = id;
    env_.links.exported_members.erase(key);
    if (options_.aiw) {
      bool done = co_await rename(key, id);
      co_return done;
    }
    scimclient::HttpRequestSpec replace_members_request = okta::replace_members(wire(), id, members);
    scimclient::Exchange full = co_await call(std::move(replace_members_request));
    if (!success(full)) {
      park("group", key, "push group membership", full);
      co_return false;
    }
    env_.links.exported_members[key] = keys;
    bool renamed = co_await rename(key, id);
    co_return renamed;
  }
  bool with_members = options_.push_members_in_post || options_.aiw;
  std::vector<okta::Member> sent;
  if (with_members) sent = members;
  scimclient::HttpRequestSpec post = okta::create_group(wire(), group.display_name, sent);
  scimclient::Exchange created = co_await call(std::move(post));
  std::optional<nlohmann::json> body = resource_of(created);
  std::string id = body ? body->value("id", "") : "";
  if (id.empty()) {
    park("group", key, created.status == 409 ? "push group (409: the name is taken)" : "push group", created);
    co_return false;
  }
  env_.links.group_ids[key] = id;
  env_.links.exported_members[key] = with_members ? keys : std::set<std::string>{};
  if (options_.aiw) {
    tasks_.erase("group:" + key);
    co_return true;
  }
  // O13: the members just sent in the POST are sent again as a PATCH add.
  if (!members.empty()) {
    scimclient::HttpRequestSpec update_members_request = okta::update_members(wire(), id, members, {});
    scimclient::Exchange again = co_await call(std::move(update_members_request));
    if (!success(again)) {
      park("group", key, "push group membership", again);
      co_return false;
    }
    env_.links.exported_members[key] = keys;
  }
  bool renamed = true;
  if (options_.rename_after_membership) renamed = co_await rename(key, id);
  if (renamed) tasks_.erase("group:" + key);
  co_return renamed;
}

Flow<void> OktaEngine::group_flow(std::string key, bool renamed) {
  const DirGroup& group = env_.directory.get_group(key);
  const std::string* linked = env_.links.group_id(key);
  if (group.deleted) {
    if (!linked) co_return;
    std::string id = *linked;
    scimclient::HttpRequestSpec delete_group_request = okta::delete_group(wire(), id);
    scimclient::Exchange removed = co_await call(std::move(delete_group_request));
    if (success(removed) || (removed.ok() && removed.status == 404)) {
      env_.links.exported_members.erase(key);
      tasks_.erase("group:" + key);
    } else {
      park("group", key, "delete group", removed);
    }
    co_return;
  }
  if (!linked) {
    bool pushed = co_await push_new_group(key);
    (void)pushed;
    co_return;
  }
  std::string id = *linked;
  bool ok = true;
  if (membership_dirty(group)) ok = co_await push_members(key, id);
  else if (renamed) ok = co_await rename(key, id);
  if (ok) tasks_.erase("group:" + key);
}

void OktaEngine::push(std::map<std::string, std::vector<UserAction>> users, std::map<std::string, bool> groups) {
  for (auto& [key, actions] : users) env_.runtime.spawn(user_flow(key, std::move(actions)));
  env_.runtime.run();
  // Group pushes follow the users they name; a group whose pushed members differ from its
  // members with accounts (a member just created, or one whose creation failed before) is
  // pushed again too.
  for (const auto& group : env_.directory.groups()) {
    if (group.deleted || !env_.links.group_id(group.key) || groups.count(group.key)) continue;
    if (membership_dirty(group)) groups.emplace(group.key, false);
  }
  for (const auto& [key, renamed] : groups) env_.runtime.spawn(group_flow(key, renamed));
  env_.runtime.run();
}

void OktaEngine::start(std::int64_t now) {
  now_ = now;
  std::map<std::string, std::vector<UserAction>> users;
  for (const auto& user : env_.directory.users())
    if (!user.deleted && user.active) users[user.key] = {UserAction::provision};
  std::map<std::string, bool> groups;
  for (const auto& group : env_.directory.groups())
    if (!group.deleted) groups[group.key] = false;
  push(std::move(users), std::move(groups));
}

void OktaEngine::on_changes(const std::vector<Change>& changes, std::int64_t now) {
  now_ = now;
  std::map<std::string, std::vector<UserAction>> users;
  std::map<std::string, bool> groups;
  for (const Change& change : changes) {
    if (!change.user.empty()) {
      UserAction action = UserAction::update;
      switch (change.kind) {
        case EventKind::hire: action = UserAction::provision; break;
        case EventKind::deactivate:
        case EventKind::delete_user: action = UserAction::deactivate; break;  // O12
        case EventKind::reactivate: action = UserAction::reactivate; break;
        default: action = UserAction::update;
      }
      auto& list = users[change.user];
      if (list.empty() || list.back() != action) list.push_back(action);
    }
    if (!change.group.empty()) groups[change.group] = groups[change.group] || change.kind == EventKind::group_rename;
  }
  push(std::move(users), std::move(groups));
}

void OktaEngine::retry_failures(std::int64_t now) {
  now_ = now;
  std::map<std::string, Failure> tasks = std::move(tasks_);
  tasks_.clear();
  std::map<std::string, std::vector<UserAction>> users;
  std::map<std::string, bool> groups;
  for (const auto& [slot, task] : tasks) {
    ++tasks_retried_;
    if (task.object == "user") {
      const DirUser& user = env_.directory.get_user(task.key);
      bool linked = env_.links.user_id(task.key) != nullptr;
      users[task.key] = {!linked                        ? UserAction::provision
                         : user.active && !user.deleted ? UserAction::update
                                                        : UserAction::deactivate};
    } else {
      groups[task.key] = true;
    }
  }
  push(std::move(users), std::move(groups));
}

Flow<void> OktaEngine::import_flow(std::string endpoint) {
  // O17: pages of 100 from startIndex=1 until totalResults is reached.
  nlohmann::json record = {{"at", now_}, {"endpoint", endpoint}, {"pages", 0}, {"resources", 0}};
  std::int64_t start = 1;
  while (true) {
    scimclient::HttpRequestSpec list_page_request = okta::list_page(wire(), endpoint, start);
    scimclient::Exchange exchange = co_await call(std::move(list_page_request));
    std::optional<ListPage> page = list_page(exchange);
    if (!page) {
      record["error"] = summarize(exchange);
      break;
    }
    record["pages"] = record["pages"].get<int>() + 1;
    record["resources"] = record["resources"].get<std::int64_t>() + static_cast<std::int64_t>(page->resources.size());
    record["totalResults"] = page->total_results;
    start += static_cast<std::int64_t>(page->resources.size());
    if (page->resources.empty() || start > page->total_results) break;
  }
  imports_.push_back(record);
}

void OktaEngine::import_directory(std::int64_t now) {
  now_ = now;
  env_.runtime.spawn(import_flow("Users"));
  env_.runtime.spawn(import_flow("Groups"));
  env_.runtime.run();
}

std::vector<Failure> OktaEngine::open_failures() const {
  std::vector<Failure> out;
  for (const auto& [slot, task] : tasks_) out.push_back(task);
  return out;
}

nlohmann::json OktaEngine::report() const {
  nlohmann::json tasks = nlohmann::json::array();
  for (const auto& [slot, task] : tasks_) tasks.push_back(to_json(task));
  return {{"engine", name()},
          {"tasks_parked", tasks_parked_},
          {"tasks_retried", tasks_retried_},
          {"open_tasks", tasks},
          {"imports", imports_}};
}

}  // namespace sim
