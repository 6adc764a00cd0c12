#include "simulator/lifecycle/event.hpp"

#include "simulator/directory/directory_json.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace sim {

namespace {

constexpr std::array<std::pair<EventKind, const char*>, 17> kKinds = {{
    {EventKind::hire, "hire"},
    {EventKind::update, "update"},
    {EventKind::move, "move"},
    {EventKind::join, "join"},
    {EventKind::leave, "leave"},
    {EventKind::deactivate, "deactivate"},
    {EventKind::reactivate, "reactivate"},
    {EventKind::delete_user, "delete"},
    {EventKind::group_create, "group_create"},
    {EventKind::group_rename, "group_rename"},
    {EventKind::group_delete, "group_delete"},
    {EventKind::rotate_token, "rotate_token"},
    {EventKind::outage, "outage"},
    {EventKind::retry_tasks, "retry_tasks"},
    {EventKind::provision_on_demand, "provision_on_demand"},
    {EventKind::import_directory, "import"},
    {EventKind::tamper, "tamper"},
}};

std::string need_string(const nlohmann::json& value, const char* name, const std::string& what) {
  auto it = value.find(name);
  if (it == value.end() || !it->is_string() || it->get<std::string>().empty())
    throw std::invalid_argument(what + " needs \"" + name + "\" (a key string)");
  return it->get<std::string>();
}

}  // namespace

std::string_view to_string(EventKind kind) {
  for (const auto& [k, name] : kKinds)
    if (k == kind) return name;
  return "unknown";
}

EventKind parse_event_kind(std::string_view text) {
  for (const auto& [k, name] : kKinds)
    if (text == name) return k;
  std::string valid;
  for (const auto& [k, name] : kKinds) valid += (valid.empty() ? "" : ", ") + std::string(name);
  throw std::invalid_argument("unknown event kind \"" + std::string(text) + "\"; valid kinds: " + valid);
}

std::int64_t parse_time(const nlohmann::json& value) {
  if (value.is_number_integer()) {
    if (value.get<std::int64_t>() < 0) throw std::invalid_argument("an event time cannot be negative");
    return value.get<std::int64_t>();
  }
  if (!value.is_string()) throw std::invalid_argument("an event's \"at\" must be \"<days>d <HH>:<MM>\" or minutes");
  std::string text = value.get<std::string>();
  int days = 0, hours = 0, minutes = 0, used = 0;
  if (std::sscanf(text.c_str(), "%dd %d:%d%n", &days, &hours, &minutes, &used) != 3 ||
      used != static_cast<int>(text.size()) || days < 0 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59)
    throw std::invalid_argument("event time \"" + text + "\" is not \"<days>d <HH>:<MM>\" (e.g. \"2d 09:30\")");
  return static_cast<std::int64_t>(days) * 1440 + hours * 60 + minutes;
}

std::string format_time(std::int64_t minute) {
  char out[32];
  std::snprintf(out, sizeof out, "%lldd %02lld:%02lld", static_cast<long long>(minute / 1440),
                static_cast<long long>(minute % 1440 / 60), static_cast<long long>(minute % 60));
  return out;
}

Event event_from_json(const nlohmann::json& value) {
  if (!value.is_object()) throw std::invalid_argument("an event must be a JSON object");
  Event event;
  if (!value.contains("kind") || !value["kind"].is_string()) throw std::invalid_argument("an event needs \"kind\"");
  event.kind = parse_event_kind(value["kind"].get<std::string>());
  event.at = value.contains("at") ? parse_time(value["at"]) : 0;
  std::string what = std::string(to_string(event.kind)) + " event at " + format_time(event.at);
  if (value.contains("note") && value["note"].is_string()) event.note = value["note"];
  switch (event.kind) {
    case EventKind::hire: {
      if (!value.contains("user") || !value["user"].is_object())
        throw std::invalid_argument(what + " needs \"user\" (a directory user object)");
      DirUser user = user_from_json(value["user"]);
      event.user = user.key;
      nlohmann::json groups = value.value("groups", nlohmann::json::array());
      if (!groups.is_array()) throw std::invalid_argument(what + ": \"groups\" must be an array of group keys");
      event.payload = {{"user", value["user"]}, {"groups", groups}};
      break;
    }
    case EventKind::update:
      event.user = need_string(value, "user", what);
      if (!value.contains("set") || !value["set"].is_object() || value["set"].empty())
        throw std::invalid_argument(what + " needs \"set\" (an object of attributes to change)");
      event.payload = value["set"];
      break;
    case EventKind::move:
      event.user = need_string(value, "user", what);
      event.from = need_string(value, "from", what);
      event.to = need_string(value, "to", what);
      break;
    case EventKind::join:
    case EventKind::leave:
      event.user = need_string(value, "user", what);
      event.group = need_string(value, "group", what);
      break;
    case EventKind::deactivate:
    case EventKind::reactivate:
    case EventKind::delete_user:
    case EventKind::provision_on_demand:
      event.user = need_string(value, "user", what);
      break;
    case EventKind::group_create: {
      if (!value.contains("group") || !value["group"].is_object())
        throw std::invalid_argument(what + " needs \"group\" (a directory group object)");
      event.group = group_from_json(value["group"]).key;
      event.payload = value["group"];
      break;
    }
    case EventKind::group_rename:
      event.group = need_string(value, "group", what);
      event.payload = {{"displayName", need_string(value, "displayName", what)}};
      break;
    case EventKind::group_delete:
      event.group = need_string(value, "group", what);
      break;
    case EventKind::outage:
      if (!value.contains("minutes") || !value["minutes"].is_number_integer() || value["minutes"].get<int>() <= 0)
        throw std::invalid_argument(what + " needs \"minutes\" (a positive whole number)");
      event.minutes = value["minutes"].get<std::int64_t>();
      break;
    case EventKind::tamper: {
      std::string action = need_string(value, "action", what);
      if (action != "deactivate" && action != "delete" && action != "set" && action != "remove_member")
        throw std::invalid_argument(what + ": \"action\" must be deactivate, delete, set or remove_member");
      if (action == "remove_member") {
        event.group = need_string(value, "group", what);
        event.user = need_string(value, "member", what);
      } else {
        event.user = need_string(value, "user", what);
      }
      if (action == "set") {
        need_string(value, "attribute", what);
        if (!value.contains("value")) throw std::invalid_argument(what + " needs \"value\"");
      }
      event.payload = value;
      break;
    }
    case EventKind::rotate_token:
    case EventKind::retry_tasks:
    case EventKind::import_directory:
      break;
  }
  return event;
}

nlohmann::json to_json(const Event& event) {
  nlohmann::json out{{"at", format_time(event.at)}, {"kind", to_string(event.kind)}};
  switch (event.kind) {
    case EventKind::hire:
      out["user"] = event.payload["user"];
      out["groups"] = event.payload["groups"];
      break;
    case EventKind::update:
      out["user"] = event.user;
      out["set"] = event.payload;
      break;
    case EventKind::move:
      out["user"] = event.user;
      out["from"] = event.from;
      out["to"] = event.to;
      break;
    case EventKind::join:
    case EventKind::leave:
      out["user"] = event.user;
      out["group"] = event.group;
      break;
    case EventKind::group_create:
      out["group"] = event.payload;
      break;
    case EventKind::group_rename:
      out["group"] = event.group;
      out["displayName"] = event.payload["displayName"];
      break;
    case EventKind::group_delete:
      out["group"] = event.group;
      break;
    case EventKind::outage:
      out["minutes"] = event.minutes;
      break;
    case EventKind::tamper:
      out = event.payload;
      out["at"] = format_time(event.at);
      break;
    case EventKind::rotate_token:
    case EventKind::retry_tasks:
    case EventKind::import_directory:
      break;
    default:
      out["user"] = event.user;
  }
  if (!event.note.empty()) out["note"] = event.note;
  return out;
}

std::vector<Event> events_from_json(const nlohmann::json& array) {
  if (!array.is_array()) throw std::invalid_argument("\"events\" must be an array");
  std::vector<Event> events;
  for (std::size_t i = 0; i < array.size(); ++i) {
    try {
      events.push_back(event_from_json(array[i]));
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument("event #" + std::to_string(i + 1) + ": " + error.what());
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
  return events;
}

}  // namespace sim
