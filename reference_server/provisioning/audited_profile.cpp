#include "reference_server/provisioning/audited_profile.hpp"

#include "reference_server/access/current_actor.hpp"

#include <set>

namespace refserver {

namespace {

bool is_active(const nlohmann::json* resource) {
  if (!resource) return false;
  auto it = resource->find("active");
  return it == resource->end() || *it != false;
}

}  // namespace

std::vector<std::string> changed_attributes(const nlohmann::json* before, const nlohmann::json* after) {
  std::set<std::string> names;
  for (const nlohmann::json* side : {before, after})
    if (side && side->is_object())
      for (auto it = side->begin(); it != side->end(); ++it) names.insert(it.key());
  std::vector<std::string> changed;
  for (const std::string& name : names) {
    if (name == "meta" || name == "id") continue;
    const nlohmann::json* old_value = before && before->contains(name) ? &(*before)[name] : nullptr;
    const nlohmann::json* new_value = after && after->contains(name) ? &(*after)[name] : nullptr;
    if (!old_value || !new_value || *old_value != *new_value) changed.push_back(name);
  }
  return changed;
}

ResourceStore::SameTransaction AuditedProfile::record_write(ResourceKind kind, WriteAction action,
                                                           const std::string& id, const nlohmann::json* before,
                                                           const nlohmann::json* after) {
  std::string subject = kind == ResourceKind::user ? "user" : "group";
  std::string verb(to_string(action));
  // Deactivation and reactivation are what an auditor looks for after a leaver: name them.
  if (kind == ResourceKind::user && before && after && is_active(before) != is_active(after))
    verb = is_active(after) ? "reactivate" : "deactivate";
  const nlohmann::json* shown = after ? after : before;
  nlohmann::json detail = {{"changed", changed_attributes(before, after)}};
  const char* name_attribute = kind == ResourceKind::user ? "userName" : "displayName";
  if (shown && shown->contains(name_attribute)) detail[name_attribute] = (*shown)[name_attribute];
  const std::string& actor = access::current_actor();
  return [this, actor = actor.empty() ? std::string("internal") : actor, action = subject + "." + verb,
          resource = (kind == ResourceKind::user ? "Users/" : "Groups/") + id,
          detail = std::move(detail)](sqlite::Database& db) { access_.record_in(db, actor, action, resource, detail); };
}

}  // namespace refserver
