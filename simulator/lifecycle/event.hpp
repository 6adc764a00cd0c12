#pragma once
// One thing that happens in the IdP (or to the target) at a virtual time. A lifecycle is a list
// of these, in JSON:
//
//   { "at": "2d 09:00", "kind": "hire", "user": { ...directory user... }, "groups": ["g-1"] }
//   { "at": "2d 11:00", "kind": "move", "user": "u-1", "from": "g-1", "to": "g-2" }
//   { "at": "3d 13:00", "kind": "update", "user": "u-1", "set": { "familyName": "Ng", "email": "A@X.com" } }
//   { "at": 4500, "kind": "outage", "minutes": 90 }
//
// "at" is "<days>d <HH>:<MM>" or a number of minutes from the start. Kinds and their fields:
//   hire {user: object, groups: [keys]}   update {user, set: {attribute: value}}
//   move {user, from, to}   join {user, group}   leave {user, group}
//   deactivate {user}   reactivate {user}   delete {user}        (delete: hard delete in the IdP)
//   group_create {group: object}   group_rename {group, displayName}   group_delete {group}
//   rotate_token   outage {minutes}   retry_tasks   provision_on_demand {user}   import
//   tamper {user | group, action: deactivate|delete|set|remove_member, attribute, value, member}
//     (tamper changes the target behind the IdP's back, to show the convergence check finds it)
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

enum class EventKind {
  hire,
  update,
  move,
  join,
  leave,
  deactivate,
  reactivate,
  delete_user,
  group_create,
  group_rename,
  group_delete,
  rotate_token,
  outage,
  retry_tasks,
  provision_on_demand,
  import_directory,
  tamper,
};

std::string_view to_string(EventKind kind);
// Throws std::invalid_argument listing the valid kinds.
EventKind parse_event_kind(std::string_view text);

struct Event {
  std::int64_t at = 0;  // virtual minutes from the start
  EventKind kind = EventKind::update;
  std::string user;     // user key (hire: the new user's key)
  std::string group;    // group key (group_create: the new group's key)
  std::string from;     // move
  std::string to;       // move
  std::int64_t minutes = 0;  // outage length
  // hire: {"user": {...}, "groups": [...]}; update: the "set" object; group_create: the group
  // object; group_rename: {"displayName": ...}; tamper: the whole event.
  nlohmann::json payload;
  std::string note;
};

// "2d 09:00" or a number of minutes. Throws std::invalid_argument.
std::int64_t parse_time(const nlohmann::json& value);
std::string format_time(std::int64_t minute);

Event event_from_json(const nlohmann::json& value);
nlohmann::json to_json(const Event& event);

// Sorted by time; events at the same minute keep their order (a stable sort).
std::vector<Event> events_from_json(const nlohmann::json& array);

}  // namespace sim
