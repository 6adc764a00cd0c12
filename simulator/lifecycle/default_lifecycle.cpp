#include "simulator/lifecycle/default_lifecycle.hpp"

#include "simulator/directory/directory_json.hpp"
#include "simulator/lifecycle/apply_event.hpp"

#include <cmath>

namespace sim {

namespace {

class LifecycleBuilder {
 public:
  LifecycleBuilder(const Directory& directory, const GenerateSpec& spec)
      : directory_(directory), spec_(spec), rng_(spec.seed * 7919 + 17),
        factory_(spec, spec.seed + 1000003, directory.users().size()) {}

  std::vector<Event> build(int days) {
    for (int day = 0; day < days; ++day) one_day(day);
    return std::move(events_);
  }

 private:
  // Pushes `event` if it applies to the working copy (it always should; a failure would be a
  // bug here, so it is not hidden).
  void emit(Event event) {
    apply_event(directory_, event);
    events_.push_back(std::move(event));
  }

  std::size_t quota(double per_user_per_day, double& carry) {
    carry += static_cast<double>(directory_.live_users()) * per_user_per_day;
    auto n = static_cast<std::size_t>(std::floor(carry));
    carry -= static_cast<double>(n);
    return n;
  }

  std::vector<std::string> pick_users(bool active, std::size_t count) {
    std::vector<std::string> pool;
    for (const auto& user : directory_.users())
      if (!user.deleted && user.active == active) pool.push_back(user.key);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count && !pool.empty(); ++i) {
      std::size_t at = rng_.below(pool.size());
      out.push_back(pool[at]);
      pool[at] = pool.back();
      pool.pop_back();
    }
    return out;
  }

  std::vector<std::string> live_groups() const {
    std::vector<std::string> out;
    for (const auto& group : directory_.groups())
      if (!group.deleted) out.push_back(group.key);
    return out;
  }

  void one_day(int day) {
    const double rate = spec_.churn / 30.0;
    std::int64_t base = static_cast<std::int64_t>(day) * 1440;
    std::vector<std::string> groups = live_groups();

    // 09:00 hires, each into one or two groups.
    for (std::size_t i = quota(rate, hires_); i-- > 0;) {
      DirUser user = factory_.make(directory_);
      std::vector<std::string> active = pick_users(true, 1);
      if (!active.empty()) user.manager = active.front();
      nlohmann::json member_of = nlohmann::json::array();
      if (!groups.empty()) {
        std::string first = groups[rng_.below(groups.size())];
        member_of.push_back(first);
        std::string second = groups[rng_.below(groups.size())];
        if (second != first && rng_.chance(0.5)) member_of.push_back(second);
      }
      Event event;
      event.at = base + 9 * 60;
      event.kind = EventKind::hire;
      event.user = user.key;
      event.payload = {{"user", to_json(user)}, {"groups", member_of}};
      emit(std::move(event));
    }
    // 09:30 a few leavers come back.
    for (const auto& key : pick_users(false, quota(rate / 10, reactivations_))) {
      emit(simple(base + 9 * 60 + 30, EventKind::reactivate, key));
      if (!groups.empty()) emit(membership(base + 9 * 60 + 30, EventKind::join, key, groups[rng_.below(groups.size())]));
    }
    // 10:00 group lifecycle.
    if (day % 3 == 2 && !groups.empty()) {
      std::string key = groups[rng_.below(groups.size())];
      Event event = simple(base + 10 * 60, EventKind::group_rename, {});
      event.group = key;
      event.payload = {{"displayName", directory_.get_group(key).display_name.substr(0, 40) + " R" + std::to_string(day)}};
      if (!directory_.find_group_by_name(event.payload["displayName"])) emit(std::move(event));
    }
    if (day % 7 == 6) {
      Event event = simple(base + 10 * 60, EventKind::group_create, {});
      event.group = "g-new-" + std::to_string(day);
      nlohmann::json members = nlohmann::json::array();
      for (const auto& key : pick_users(true, 5 + rng_.below(20))) members.push_back(key);
      event.payload = {{"key", event.group}, {"displayName", "Project-" + std::to_string(day)}, {"members", members}};
      emit(std::move(event));
    }
    if (day % 10 == 9 && groups.size() > 4) {
      // Never the role groups at the front: they stand for the roles of the five-step plan.
      std::string key = groups[3 + rng_.below(groups.size() - 3)];
      Event event = simple(base + 10 * 60, EventKind::group_delete, {});
      event.group = key;
      emit(std::move(event));
    }
    groups = live_groups();
    // 11:00 movers: from one of their groups to another.
    for (const auto& key : pick_users(true, quota(rate * 1.5, moves_))) {
      std::vector<std::string> mine = directory_.groups_of(key);
      if (mine.empty() || groups.size() < 2) continue;
      std::string from = mine[rng_.below(mine.size())];
      std::string to = groups[rng_.below(groups.size())];
      if (to == from || directory_.get_group(to).members.count(key)) continue;
      Event event = simple(base + 11 * 60, EventKind::move, key);
      event.from = from;
      event.to = to;
      emit(std::move(event));
    }
    // 13:00 profile edits, casing changes and renames.
    static const char* kDepartments[] = {"Engineering", "Sales", "Support", "Finance", "Research"};
    for (const auto& key : pick_users(true, quota(rate, edits_))) {
      Event event = simple(base + 13 * 60, EventKind::update, key);
      switch (rng_.below(3)) {
        case 0: event.payload = {{"title", "Senior " + directory_.get_user(key).title.substr(0, 30)}}; break;
        case 1: event.payload = {{"department", kDepartments[rng_.below(5)]}}; break;
        default: {
          std::vector<std::string> managers = pick_users(true, 1);
          if (managers.empty() || managers.front() == key) continue;
          event.payload = {{"manager", managers.front()}};
        }
      }
      emit(std::move(event));
    }
    for (const auto& key : pick_users(true, quota(rate / 5, casings_))) {
      const DirUser& user = directory_.get_user(key);
      Event event = simple(base + 13 * 60 + 15, EventKind::update, key);
      // Half change the email's casing only (E25), half the userName's (C2's duplicate story).
      if (rng_.chance(0.5)) {
        std::string recased = capitalized_email(user.email);
        event.payload = {{"email", recased == user.email ? lower(user.email) : recased}};
      } else {
        std::string recased = capitalized_email(user.user_name);
        event.payload = {{"userName", recased == user.user_name ? lower(user.user_name) : recased}};
      }
      emit(std::move(event));
    }
    for (const auto& key : pick_users(true, quota(rate / 10, renames_))) {
      const DirUser& user = directory_.get_user(key);
      std::string family = "Renamed" + std::to_string(day);
      std::string local = lower(user.given_name + "." + family) + "." + key.substr(2);
      std::string domain = user.user_name.substr(user.user_name.find('@') + 1);
      Event event = simple(base + 13 * 60 + 30, EventKind::update, key);
      event.payload = {{"familyName", family},
                       {"displayName", user.given_name + " " + family},
                       {"userName", local + "@" + domain},
                       {"email", local + "@" + domain}};
      if (!directory_.find_user_by_name(local + "@" + domain)) emit(std::move(event));
    }
    // 17:00 leavers: deactivated and taken out of their groups; a few earlier leavers purged.
    for (const auto& key : pick_users(true, quota(rate, leavers_))) {
      emit(simple(base + 17 * 60, EventKind::deactivate, key));
      for (const auto& group : directory_.groups_of(key)) emit(membership(base + 17 * 60, EventKind::leave, key, group));
    }
    for (const auto& key : pick_users(false, quota(rate / 10, deletes_)))
      emit(simple(base + 17 * 60 + 30, EventKind::delete_user, key));
  }

  static Event simple(std::int64_t at, EventKind kind, const std::string& user) {
    Event event;
    event.at = at;
    event.kind = kind;
    event.user = user;
    return event;
  }

  static Event membership(std::int64_t at, EventKind kind, const std::string& user, const std::string& group) {
    Event event = simple(at, kind, user);
    event.group = group;
    return event;
  }

  Directory directory_;
  GenerateSpec spec_;
  Rng rng_;
  UserFactory factory_;
  std::vector<Event> events_;
  double hires_ = 0, reactivations_ = 0, moves_ = 0, edits_ = 0, casings_ = 0, renames_ = 0, leavers_ = 0, deletes_ = 0;
};

}  // namespace

std::vector<Event> default_lifecycle(const Directory& directory, const GenerateSpec& spec, int days) {
  return LifecycleBuilder(directory, spec).build(days);
}

}  // namespace sim
