#include "simulator/lifecycle/apply_event.hpp"

#include "simulator/directory/directory_json.hpp"

#include <stdexcept>

namespace sim {

namespace {

std::string where(const Event& event) {
  return std::string(to_string(event.kind)) + " event at " + format_time(event.at);
}

DirUser& live_user(Directory& directory, const Event& event, const std::string& key) {
  DirUser* user = directory.find_user(key);
  if (!user || user->deleted) throw std::invalid_argument(where(event) + ": no live directory user \"" + key + "\"");
  return *user;
}

DirGroup& live_group(Directory& directory, const Event& event, const std::string& key) {
  DirGroup* group = directory.find_group(key);
  if (!group || group->deleted) throw std::invalid_argument(where(event) + ": no live directory group \"" + key + "\"");
  return *group;
}

void check_unique_name(const Directory& directory, const Event& event, const std::string& user_name,
                       const std::string& key) {
  // An IdP keeps logins unique ignoring case, as the target must (RFC 7643 §4.1.1).
  if (const DirUser* other = directory.find_user_by_name(user_name); other && other->key != key)
    throw std::invalid_argument(where(event) + ": userName \"" + user_name + "\" is already held by \"" + other->key + "\"");
}

void set_attribute(Directory& directory, const Event& event, DirUser& user, const std::string& name,
                   const nlohmann::json& value) {
  if (!value.is_string())
    throw std::invalid_argument(where(event) + ": \"" + name + "\" must be set to a string");
  std::string text = value.get<std::string>();
  if (name == "userName") {
    if (text.empty()) throw std::invalid_argument(where(event) + ": userName cannot be empty");
    check_unique_name(directory, event, text, user.key);
    directory.rename_user(user, text);
  } else if (name == "email") user.email = text;
  else if (name == "givenName") user.given_name = text;
  else if (name == "familyName") user.family_name = text;
  else if (name == "displayName") user.display_name = text;
  else if (name == "mailNickname") user.mail_nickname = text;
  else if (name == "department") user.department = text;
  else if (name == "employeeNumber") user.employee_number = text;
  else if (name == "title") user.title = text;
  else if (name == "manager") {
    if (!text.empty()) live_user(directory, event, text);
    if (text == user.key) throw std::invalid_argument(where(event) + ": a user cannot be their own manager");
    user.manager = text;
  } else {
    throw std::invalid_argument(where(event) + ": cannot set \"" + name +
                                "\"; settable: userName, email, givenName, familyName, displayName, mailNickname, "
                                "department, employeeNumber, title, manager");
  }
}

}  // namespace

bool changes_directory(EventKind kind) {
  switch (kind) {
    case EventKind::rotate_token:
    case EventKind::outage:
    case EventKind::retry_tasks:
    case EventKind::provision_on_demand:
    case EventKind::import_directory:
    case EventKind::tamper:
      return false;
    default:
      return true;
  }
}

std::vector<Change> apply_event(Directory& directory, const Event& event) {
  std::vector<Change> changes;
  auto user_changed = [&](DirUser& user) {
    user.changed_at = directory.next_stamp();
    changes.push_back({event.kind, event.at, user.key, {}});
  };
  auto group_changed = [&](DirGroup& group) {
    group.changed_at = directory.next_stamp();
    changes.push_back({event.kind, event.at, {}, group.key});
  };
  switch (event.kind) {
    case EventKind::hire: {
      DirUser user = user_from_json(event.payload["user"]);
      if (directory.find_user(user.key)) throw std::invalid_argument(where(event) + ": user key \"" + user.key + "\" is taken");
      check_unique_name(directory, event, user.user_name, user.key);
      if (!user.manager.empty()) live_user(directory, event, user.manager);
      for (const auto& key : event.payload["groups"]) live_group(directory, event, key.get<std::string>());
      user_changed(directory.add_user(std::move(user)));
      for (const auto& key : event.payload["groups"]) {
        DirGroup& group = directory.get_group(key.get<std::string>());
        group.members.insert(event.user);
        group_changed(group);
      }
      break;
    }
    case EventKind::update: {
      DirUser& user = live_user(directory, event, event.user);
      for (const auto& [name, value] : event.payload.items()) set_attribute(directory, event, user, name, value);
      user_changed(user);
      break;
    }
    case EventKind::move: {
      live_user(directory, event, event.user);
      DirGroup& from = live_group(directory, event, event.from);
      DirGroup& to = live_group(directory, event, event.to);
      if (!from.members.erase(event.user))
        throw std::invalid_argument(where(event) + ": \"" + event.user + "\" is not a member of \"" + event.from + "\"");
      to.members.insert(event.user);
      group_changed(from);
      group_changed(to);
      break;
    }
    case EventKind::join:
    case EventKind::leave: {
      live_user(directory, event, event.user);
      DirGroup& group = live_group(directory, event, event.group);
      if (event.kind == EventKind::join) group.members.insert(event.user);
      else if (!group.members.erase(event.user))
        throw std::invalid_argument(where(event) + ": \"" + event.user + "\" is not a member of \"" + event.group + "\"");
      group_changed(group);
      break;
    }
    case EventKind::deactivate:
    case EventKind::reactivate: {
      DirUser& user = live_user(directory, event, event.user);
      user.active = event.kind == EventKind::reactivate;
      user_changed(user);
      break;
    }
    case EventKind::delete_user: {
      DirUser& user = live_user(directory, event, event.user);
      user.deleted = true;
      user.active = false;
      user_changed(user);
      for (auto& group : directory.groups())
        if (!group.deleted && group.members.erase(event.user)) group_changed(group);
      for (auto& report : directory.users())
        if (!report.deleted && report.manager == event.user) {
          report.manager.clear();
          report.changed_at = directory.next_stamp();
          changes.push_back({EventKind::update, event.at, report.key, {}});
        }
      break;
    }
    case EventKind::group_create: {
      DirGroup group = group_from_json(event.payload);
      if (directory.find_group(group.key))
        throw std::invalid_argument(where(event) + ": group key \"" + group.key + "\" is taken");
      if (directory.find_group_by_name(group.display_name))
        throw std::invalid_argument(where(event) + ": a group named \"" + group.display_name + "\" exists");
      for (const auto& member : group.members) live_user(directory, event, member);
      group_changed(directory.add_group(std::move(group)));
      break;
    }
    case EventKind::group_rename: {
      DirGroup& group = live_group(directory, event, event.group);
      std::string name = event.payload["displayName"].get<std::string>();
      if (const DirGroup* other = directory.find_group_by_name(name); other && other->key != group.key)
        throw std::invalid_argument(where(event) + ": a group named \"" + name + "\" exists");
      group.display_name = name;
      group_changed(group);
      break;
    }
    case EventKind::group_delete: {
      DirGroup& group = live_group(directory, event, event.group);
      group.deleted = true;
      group_changed(group);
      break;
    }
    default:
      break;
  }
  return changes;
}

void validate_lifecycle(const Directory& directory, const std::vector<Event>& events) {
  Directory copy = directory;
  for (const Event& event : events) {
    if (changes_directory(event.kind)) {
      apply_event(copy, event);
    } else if (event.kind == EventKind::provision_on_demand) {
      if (!copy.find_user(event.user)) throw std::invalid_argument(where(event) + ": no directory user \"" + event.user + "\"");
    } else if (event.kind == EventKind::tamper) {
      if (!event.user.empty() && !copy.find_user(event.user))
        throw std::invalid_argument(where(event) + ": no directory user \"" + event.user + "\"");
      if (!event.group.empty() && !copy.find_group(event.group))
        throw std::invalid_argument(where(event) + ": no directory group \"" + event.group + "\"");
    }
  }
}

}  // namespace sim
