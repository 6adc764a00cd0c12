#include "simulator/directory/directory.hpp"

namespace sim {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string DirUser::nickname() const {
  if (!mail_nickname.empty()) return mail_nickname;
  return user_name.substr(0, user_name.find('@'));
}

DirUser& Directory::add_user(DirUser user) {
  if (user.key.empty()) throw std::invalid_argument("a directory user needs a key");
  if (user_index_.count(user.key)) throw std::invalid_argument("directory user key \"" + user.key + "\" is used twice");
  user_index_.emplace(user.key, users_.size());
  name_index_[lower(user.user_name)].push_back(users_.size());
  users_.push_back(std::move(user));
  return users_.back();
}

DirGroup& Directory::add_group(DirGroup group) {
  if (group.key.empty()) throw std::invalid_argument("a directory group needs a key");
  if (group_index_.count(group.key))
    throw std::invalid_argument("directory group key \"" + group.key + "\" is used twice");
  group_index_.emplace(group.key, groups_.size());
  groups_.push_back(std::move(group));
  return groups_.back();
}

DirUser* Directory::find_user(const std::string& key) {
  auto it = user_index_.find(key);
  return it == user_index_.end() ? nullptr : &users_[it->second];
}
const DirUser* Directory::find_user(const std::string& key) const {
  auto it = user_index_.find(key);
  return it == user_index_.end() ? nullptr : &users_[it->second];
}
DirUser& Directory::get_user(const std::string& key) {
  if (DirUser* user = find_user(key)) return *user;
  throw NotFound("no directory user \"" + key + "\"");
}
const DirUser& Directory::get_user(const std::string& key) const {
  if (const DirUser* user = find_user(key)) return *user;
  throw NotFound("no directory user \"" + key + "\"");
}
DirGroup* Directory::find_group(const std::string& key) {
  auto it = group_index_.find(key);
  return it == group_index_.end() ? nullptr : &groups_[it->second];
}
const DirGroup* Directory::find_group(const std::string& key) const {
  auto it = group_index_.find(key);
  return it == group_index_.end() ? nullptr : &groups_[it->second];
}
DirGroup& Directory::get_group(const std::string& key) {
  if (DirGroup* group = find_group(key)) return *group;
  throw NotFound("no directory group \"" + key + "\"");
}
const DirGroup& Directory::get_group(const std::string& key) const {
  if (const DirGroup* group = find_group(key)) return *group;
  throw NotFound("no directory group \"" + key + "\"");
}

const DirUser* Directory::find_user_by_name(const std::string& user_name) const {
  std::string wanted = lower(user_name);
  auto it = name_index_.find(wanted);
  if (it == name_index_.end()) return nullptr;
  // The earliest-added live holder, as a scan of users_ in order would find.
  const DirUser* found = nullptr;
  std::size_t found_at = users_.size();
  for (std::size_t position : it->second) {
    const DirUser& user = users_[position];
    if (position < found_at && !user.deleted && lower(user.user_name) == wanted) {
      found = &user;
      found_at = position;
    }
  }
  return found;
}

void Directory::rename_user(DirUser& user, const std::string& user_name) {
  user.user_name = user_name;
  name_index_[lower(user_name)].push_back(static_cast<std::size_t>(&user - users_.data()));
}

const DirGroup* Directory::find_group_by_name(const std::string& display_name) const {
  std::string wanted = lower(display_name);
  for (const auto& group : groups_)
    if (!group.deleted && lower(group.display_name) == wanted) return &group;
  return nullptr;
}

std::vector<std::string> Directory::groups_of(const std::string& user_key) const {
  std::vector<std::string> out;
  for (const auto& group : groups_)
    if (!group.deleted && group.members.count(user_key)) out.push_back(group.key);
  return out;
}

std::size_t Directory::live_users() const {
  std::size_t n = 0;
  for (const auto& user : users_) n += user.deleted ? 0 : 1;
  return n;
}

std::size_t Directory::live_groups() const {
  std::size_t n = 0;
  for (const auto& group : groups_) n += group.deleted ? 0 : 1;
  return n;
}

}  // namespace sim
