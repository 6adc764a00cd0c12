#pragma once
// The IdP's side of the story: the directory the simulated Okta or Entra ID holds as the source
// of truth. Plain data with find (nullable) / get (throws) pairs. Users and groups keep the order
// they were added in, so every run over the same input sends the same requests.
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace sim {

struct DirUser {
  std::string key;             // the IdP's object id (Okta user id, Entra objectId)
  std::string user_name;       // UPN / Okta login, casing as the IdP holds it
  std::string email;           // primary (Okta) / work (Entra) email, casing kept (E25)
  std::string given_name;
  std::string family_name;
  std::string display_name;
  std::string mail_nickname;   // Entra's externalId source (E8); empty: userName's local part
  bool active = true;
  bool deleted = false;        // hard-deleted in the IdP: gone for good
  std::string department;      // enterprise extension (RFC 7643 §4.3)
  std::string employee_number;
  std::string title;
  std::string manager;         // key of the manager, empty for none
  std::int64_t changed_at = 0; // Directory::stamp() of the last change (Entra's watermark)

  // mail_nickname, or the local part of userName when none was given.
  std::string nickname() const;
};

struct DirGroup {
  std::string key;
  std::string display_name;
  std::set<std::string> members;  // user keys
  bool deleted = false;
  std::int64_t changed_at = 0;  // Directory::stamp() of the last change
};

struct NotFound : std::out_of_range {
  using std::out_of_range::out_of_range;
};

class Directory {
 public:
  // Throws std::invalid_argument for an empty or repeated key.
  DirUser& add_user(DirUser user);
  DirGroup& add_group(DirGroup group);

  DirUser* find_user(const std::string& key);
  const DirUser* find_user(const std::string& key) const;
  DirUser& get_user(const std::string& key);  // throws NotFound
  const DirUser& get_user(const std::string& key) const;
  DirGroup* find_group(const std::string& key);
  const DirGroup* find_group(const std::string& key) const;
  DirGroup& get_group(const std::string& key);
  const DirGroup& get_group(const std::string& key) const;
  // A live (not deleted) user whose userName equals `user_name` ignoring ASCII case: one hash
  // probe, so a generator checking each new name against 100,000 others stays linear.
  const DirUser* find_user_by_name(const std::string& user_name) const;
  // Changes a user's userName, keeping find_user_by_name's index right. userName is changed
  // only through here.
  void rename_user(DirUser& user, const std::string& user_name);
  const DirGroup* find_group_by_name(const std::string& display_name) const;

  // In insertion order, deleted ones included.
  std::vector<DirUser>& users() { return users_; }
  const std::vector<DirUser>& users() const { return users_; }
  std::vector<DirGroup>& groups() { return groups_; }
  const std::vector<DirGroup>& groups() const { return groups_; }

  // Keys of the live groups `user_key` is a member of, in group order.
  std::vector<std::string> groups_of(const std::string& user_key) const;
  std::size_t live_users() const;
  std::size_t live_groups() const;

  // Change stamps: every change takes the next one, so "changed since the watermark" is exact
  // even for changes made at the same virtual minute as a provisioning cycle.
  std::int64_t stamp() const { return stamp_; }
  std::int64_t next_stamp() { return ++stamp_; }

 private:
  std::int64_t stamp_ = 0;
  std::vector<DirUser> users_;
  std::vector<DirGroup> groups_;
  std::unordered_map<std::string, std::size_t> user_index_;
  std::unordered_map<std::string, std::size_t> group_index_;
  // lower(userName) -> positions in users_ that held it, in the order they took it; entries are
  // checked against the user on lookup, so a rename or a deletion needs no removal here.
  std::unordered_map<std::string, std::vector<std::size_t>> name_index_;
};

// ASCII lower case, the match key for caseExact=false strings such as userName (RFC 7643 §4.1.1).
std::string lower(std::string_view text);

}  // namespace sim
