// ResourceStore on SQLite (WAL) with in-memory indexes. SQLite is written first; memory is
// published only after the statement committed, so nothing is visible that a crash could lose.
#include "reference_server/store/resource_store.hpp"

#include "scim/schema.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

namespace refserver {

std::string_view to_string(ResourceKind kind) { return kind == ResourceKind::user ? "User" : "Group"; }

ResourcePtr ResourceStore::get(ResourceKind kind, std::string_view id) const {
  ResourcePtr found = find(kind, id);
  if (!found) throw scim::Error::not_found(std::string(to_string(kind)) + " " + std::string(id) + " not found");
  return found;
}

namespace {

constexpr int schema_version = 1;

std::string now_rfc3339() {
  auto now = std::chrono::system_clock::now();
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis % 1000));
  return buffer;
}

std::string join_members(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out.push_back('\n');
    out += id;
  }
  return out;
}

std::vector<std::string> split_members(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("SQLite prepare failed: ") + sqlite3_errmsg(db));
  }
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&& other) noexcept {
    std::swap(db_, other.db_);
    std::swap(stmt_, other.stmt_);
    return *this;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt* get() { return stmt_; }
  void bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }
  void bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  // Runs a statement that returns no rows; throws scim::Error 500 on failure.
  void run() {
    int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (rc != SQLITE_DONE)
      throw scim::Error(500, scim::ScimType::none, std::string("storage failure: ") + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

struct KindIndex {
  std::unordered_map<std::string, ResourcePtr> by_id;
  std::unordered_map<std::string, std::string> id_by_name;  // lower-cased name → id
  std::unordered_multimap<std::string, std::string> ids_by_external_id;
  std::map<std::uint64_t, ResourcePtr> by_seq;
};

class SqliteResourceStore final : public ResourceStore {
 public:
  SqliteResourceStore(const std::string& path, Durability durability) : path_(path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) fail("cannot open");
    exec("PRAGMA busy_timeout=5000");
    exec("PRAGMA journal_mode=WAL");
    exec(durability == Durability::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    check_schema();
    insert_ = Statement(db_, "INSERT INTO resources(id, kind, seq, version, name, external_id, members, json) "
                             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    update_ = Statement(db_, "UPDATE resources SET version=?2, name=?3, external_id=?4, members=?5, json=?6 WHERE id=?1");
    delete_ = Statement(db_, "DELETE FROM resources WHERE id=?1");
    begin_ = Statement(db_, "BEGIN IMMEDIATE");
    commit_ = Statement(db_, "COMMIT");
    rollback_ = Statement(db_, "ROLLBACK");
    load();
  }

  ~SqliteResourceStore() override {
    insert_ = Statement();
    update_ = Statement();
    delete_ = Statement();
    begin_ = Statement();
    commit_ = Statement();
    rollback_ = Statement();
    sqlite3_close_v2(db_);
  }

  ResourcePtr find(ResourceKind kind, std::string_view id) const override {
    std::shared_lock lock(mutex_);
    const auto& index = indexes_[static_cast<int>(kind)];
    auto it = index.by_id.find(std::string(id));
    return it == index.by_id.end() ? nullptr : it->second;
  }

  ResourcePtr find_by_name(ResourceKind kind, std::string_view name) const override {
    std::string key = scim::to_lower(name);
    std::shared_lock lock(mutex_);
    const auto& index = indexes_[static_cast<int>(kind)];
    auto it = index.id_by_name.find(key);
    if (it == index.id_by_name.end()) return nullptr;
    return index.by_id.at(it->second);
  }

  std::vector<ResourcePtr> find_by_external_id(ResourceKind kind, std::string_view external_id) const override {
    std::vector<ResourcePtr> out;
    std::shared_lock lock(mutex_);
    const auto& index = indexes_[static_cast<int>(kind)];
    auto [first, last] = index.ids_by_external_id.equal_range(std::string(external_id));
    for (auto it = first; it != last; ++it) out.push_back(index.by_id.at(it->second));
    std::sort(out.begin(), out.end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->seq < b->seq; });
    return out;
  }

  std::vector<GroupRef> groups_of(std::string_view member_id) const override {
    std::vector<GroupRef> out;
    std::shared_lock lock(mutex_);
    auto it = groups_by_member_.find(std::string(member_id));
    if (it == groups_by_member_.end()) return out;
    const auto& groups = indexes_[static_cast<int>(ResourceKind::group)].by_id;
    std::vector<ResourcePtr> found;
    for (const auto& group_id : it->second) found.push_back(groups.at(group_id));
    std::sort(found.begin(), found.end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->seq < b->seq; });
    for (const auto& group : found) out.push_back({group->id, group->name});
    return out;
  }

  std::vector<ResourcePtr> all(ResourceKind kind) const override {
    std::shared_lock lock(mutex_);
    const auto& index = indexes_[static_cast<int>(kind)];
    std::vector<ResourcePtr> out;
    out.reserve(index.by_seq.size());
    for (const auto& [seq, resource] : index.by_seq) out.push_back(resource);
    return out;
  }

  std::size_t count(ResourceKind kind) const override {
    std::shared_lock lock(mutex_);
    return indexes_[static_cast<int>(kind)].by_id.size();
  }

  ResourcePtr insert(StoredResource resource) override {
    std::unique_lock lock(mutex_);
    auto& index = indexes_[static_cast<int>(resource.kind)];
    check_name_free(resource.kind, resource.name, "");
    if (index.by_id.count(resource.id))
      throw scim::Error(409, scim::ScimType::uniqueness, "id " + resource.id + " already exists");
    resource.seq = next_seq_;
    write_insert(resource);
    ++next_seq_;
    auto stored = std::make_shared<const StoredResource>(std::move(resource));
    publish(stored);
    return stored;
  }

  ResourcePtr replace(StoredResource resource, std::uint64_t expected_version) override {
    std::unique_lock lock(mutex_);
    auto& index = indexes_[static_cast<int>(resource.kind)];
    auto it = index.by_id.find(resource.id);
    if (it == index.by_id.end())
      throw scim::Error::not_found(std::string(to_string(resource.kind)) + " " + resource.id + " not found");
    ResourcePtr old = it->second;
    check_version(*old, expected_version);
    check_name_free(resource.kind, resource.name, resource.id);
    resource.seq = old->seq;
    write_update(resource);
    auto stored = std::make_shared<const StoredResource>(std::move(resource));
    unpublish(*old);
    publish(stored);
    return stored;
  }

  void remove(ResourceKind kind, std::string_view id_view, std::optional<std::uint64_t> expected_version) override {
    std::string id(id_view);
    std::unique_lock lock(mutex_);
    auto& index = indexes_[static_cast<int>(kind)];
    auto it = index.by_id.find(id);
    if (it == index.by_id.end()) throw scim::Error::not_found(std::string(to_string(kind)) + " " + id + " not found");
    ResourcePtr old = it->second;
    if (expected_version) check_version(*old, *expected_version);

    // The groups that list this resource as a member get a rewritten member list, in the same
    // transaction, so no group ever points at a resource that is gone.
    std::vector<ResourcePtr> rewritten;
    if (auto groups = groups_by_member_.find(id); groups != groups_by_member_.end()) {
      const auto& group_index = indexes_[static_cast<int>(ResourceKind::group)];
      for (const auto& group_id : groups->second) {
        if (group_id == id) continue;
        rewritten.push_back(without_member(*group_index.by_id.at(group_id), id));
      }
    }
    begin_.run();
    try {
      delete_.bind(1, id);
      delete_.run();
      for (const auto& group : rewritten) write_update(*group);
      commit_.run();
    } catch (...) {
      try {
        rollback_.run();
      } catch (...) {
      }
      throw;
    }
    unpublish(*old);
    for (const auto& group : rewritten) {
      ResourcePtr previous = indexes_[static_cast<int>(ResourceKind::group)].by_id.at(group->id);
      unpublish(*previous);
      publish(group);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    std::string message = "data file " + path_ + ": " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw std::runtime_error(message);
  }

  void exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      fail(std::string(sql) + " failed (" + message + ")");
    }
  }

  int query_int(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) fail("not a scimulator data file");
    int value = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
    sqlite3_finalize(stmt);
    return value;
  }

  void check_schema() {
    int version = query_int("PRAGMA user_version");
    int tables = query_int("SELECT count(*) FROM sqlite_master WHERE type='table'");
    if (version == 0 && tables == 0) {
      exec("CREATE TABLE resources(id TEXT PRIMARY KEY, kind INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE, "
           "version INTEGER NOT NULL, name TEXT NOT NULL, external_id TEXT NOT NULL, members TEXT NOT NULL, "
           "json TEXT NOT NULL)");
      exec(("PRAGMA user_version=" + std::to_string(schema_version)).c_str());
      return;
    }
    if (version != schema_version || query_int("SELECT count(*) FROM sqlite_master WHERE name='resources'") != 1)
      fail("not a scimulator reference-server data file (schema version " + std::to_string(version) +
           "); pass another --data path");
  }

  void load() {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT id, kind, seq, version, name, external_id, members, json FROM resources ORDER BY seq",
                           -1, &stmt, nullptr) != SQLITE_OK)
      fail("cannot read resources");
    auto text = [&](int column) {
      const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      return std::string(data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
    };
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      auto resource = std::make_shared<StoredResource>();
      resource->id = text(0);
      resource->kind = sqlite3_column_int(stmt, 1) == 1 ? ResourceKind::group : ResourceKind::user;
      resource->seq = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 2));
      resource->version = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 3));
      resource->name = text(4);
      resource->external_id = text(5);
      resource->member_ids = split_members(text(6));
      resource->json = text(7);
      resource->json.shrink_to_fit();
      next_seq_ = std::max(next_seq_, resource->seq + 1);
      publish(std::move(resource));
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) fail("cannot read resources");
  }

  void check_name_free(ResourceKind kind, const std::string& name, const std::string& self_id) const {
    const auto& index = indexes_[static_cast<int>(kind)];
    auto it = index.id_by_name.find(scim::to_lower(name));
    if (it != index.id_by_name.end() && it->second != self_id)
      throw scim::Error(409, scim::ScimType::uniqueness,
                        std::string(kind == ResourceKind::user ? "userName" : "displayName") + " \"" + name +
                            "\" is already taken by " + it->second);
  }

  static void check_version(const StoredResource& current, std::uint64_t expected) {
    if (current.version != expected)
      throw scim::Error(412, scim::ScimType::none,
                        std::string(to_string(current.kind)) + " " + current.id + " changed since version " +
                            std::to_string(expected) + "; re-read it and retry");
  }

  ResourcePtr without_member(const StoredResource& group, const std::string& member_id) {
    auto copy = std::make_shared<StoredResource>(group);
    copy->version = group.version + 1;
    copy->member_ids.erase(std::remove(copy->member_ids.begin(), copy->member_ids.end(), member_id),
                           copy->member_ids.end());
    nlohmann::json doc = nlohmann::json::parse(group.json);
    if (auto members = doc.find("members"); members != doc.end() && members->is_array()) {
      nlohmann::json kept = nlohmann::json::array();
      for (auto& member : *members)
        if (!(member.is_object() && member.value("value", "") == member_id)) kept.push_back(std::move(member));
      if (kept.empty()) doc.erase("members");
      else *members = std::move(kept);
    }
    if (doc.contains("meta") && doc["meta"].is_object()) {
      doc["meta"]["version"] = "W/\"" + std::to_string(copy->version) + "\"";
      doc["meta"]["lastModified"] = now_rfc3339();
    }
    copy->json = doc.dump();
    return copy;
  }

  void write_insert(const StoredResource& r) {
    std::string members = join_members(r.member_ids);
    insert_.bind(1, r.id);
    insert_.bind(2, static_cast<std::int64_t>(r.kind == ResourceKind::group ? 1 : 0));
    insert_.bind(3, static_cast<std::int64_t>(r.seq));
    insert_.bind(4, static_cast<std::int64_t>(r.version));
    insert_.bind(5, r.name);
    insert_.bind(6, r.external_id);
    insert_.bind(7, members);
    insert_.bind(8, r.json);
    insert_.run();
  }

  void write_update(const StoredResource& r) {
    std::string members = join_members(r.member_ids);
    update_.bind(1, r.id);
    update_.bind(2, static_cast<std::int64_t>(r.version));
    update_.bind(3, r.name);
    update_.bind(4, r.external_id);
    update_.bind(5, members);
    update_.bind(6, r.json);
    update_.run();
  }

  void publish(ResourcePtr resource) {
    auto& index = indexes_[static_cast<int>(resource->kind)];
    index.by_id[resource->id] = resource;
    index.id_by_name[scim::to_lower(resource->name)] = resource->id;
    if (!resource->external_id.empty()) index.ids_by_external_id.emplace(resource->external_id, resource->id);
    index.by_seq[resource->seq] = resource;
    if (resource->kind == ResourceKind::group)
      for (const auto& member : resource->member_ids) groups_by_member_[member].insert(resource->id);
  }

  void unpublish(const StoredResource& resource) {
    auto& index = indexes_[static_cast<int>(resource.kind)];
    index.by_id.erase(resource.id);
    auto name = index.id_by_name.find(scim::to_lower(resource.name));
    if (name != index.id_by_name.end() && name->second == resource.id) index.id_by_name.erase(name);
    auto [first, last] = index.ids_by_external_id.equal_range(resource.external_id);
    for (auto it = first; it != last; ++it)
      if (it->second == resource.id) {
        index.ids_by_external_id.erase(it);
        break;
      }
    index.by_seq.erase(resource.seq);
    if (resource.kind == ResourceKind::group)
      for (const auto& member : resource.member_ids) {
        auto groups = groups_by_member_.find(member);
        if (groups == groups_by_member_.end()) continue;
        groups->second.erase(resource.id);
        if (groups->second.empty()) groups_by_member_.erase(groups);
      }
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  Statement insert_, update_, delete_, begin_, commit_, rollback_;
  mutable std::shared_mutex mutex_;
  KindIndex indexes_[2];
  std::unordered_map<std::string, std::set<std::string>> groups_by_member_;
  std::uint64_t next_seq_ = 1;
};

}  // namespace

std::unique_ptr<ResourceStore> ResourceStore::open(const std::string& path, Durability durability) {
  return std::make_unique<SqliteResourceStore>(path, durability);
}

}  // namespace refserver
