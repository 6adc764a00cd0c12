// ResourceStore on a SQLite file (WAL) mirrored by in-memory indexes. Every write goes to SQLite
// first and is published to memory only after it committed, all under the exclusive lock, so a
// reader never sees a change that a crash could take back.
#include "reference_server/store/resource_store.hpp"

#include "reference_server/store/creation_order.hpp"
#include "reference_server/store/sqlite_db.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

namespace refserver {

std::string_view to_string(ResourceKind kind) { return kind == ResourceKind::group ? "Group" : "User"; }

ResourcePtr ResourceStore::get(ResourceKind kind, std::string_view id) const {
  ResourcePtr found = find(kind, id);
  if (!found)
    throw scim::Error::not_found(std::string(to_string(kind)) + " " + std::string(id) +
                                 " not found; it was deleted or never existed, list the endpoint to find current ids");
  return found;
}

namespace {

// "SCIM" in the SQLite header's application_id field: how a data file is told apart from any
// other SQLite database (https://www.sqlite.org/fileformat.html#application_id).
constexpr std::int64_t kApplicationId = 0x5343494D;
// PRAGMA user_version of the layout below. A change bumps it and appends a step to kMigrations.
constexpr std::int64_t kSchemaVersion = 2;

// seq is the rowid, so the table is stored in creation order and loading it is a plain scan.
// id has no SQL index: ids are unique through the in-memory index, checked under the write lock
// before every insert and again on load, and an index on random ids would dirty a random b-tree
// page (written to the WAL and checkpointed) on every create.
#define SCIMULATOR_RESOURCE_COLUMNS                                                  \
  "(seq INTEGER PRIMARY KEY, "                                                       \
  "kind INTEGER NOT NULL, "      /* 0 User, 1 Group */                              \
  "id TEXT NOT NULL, "                                                               \
  "version INTEGER NOT NULL, "                                                       \
  "name TEXT NOT NULL, "         /* userName / displayName as sent */               \
  "external_id TEXT NOT NULL, "  /* '' when absent */                               \
  "members TEXT NOT NULL, "      /* group member ids joined by '\n'; '' for users */ \
  "json TEXT NOT NULL)"
constexpr const char* kCreateSchema = "CREATE TABLE resources" SCIMULATOR_RESOURCE_COLUMNS;

// kMigrations[n] upgrades a file from schema version n+1 to n+2, inside the opening transaction.
// 1 -> 2 drops version 1's UNIQUE index on id; SQLite cannot drop a column constraint, so the
// table is rebuilt with the same rows and seqs.
constexpr std::array<const char*, 1> kMigrations{
    "CREATE TABLE resources_v2" SCIMULATOR_RESOURCE_COLUMNS
    "; INSERT INTO resources_v2 SELECT seq, kind, id, version, name, external_id, members, json FROM resources"
    "; DROP TABLE resources; ALTER TABLE resources_v2 RENAME TO resources"};
#undef SCIMULATOR_RESOURCE_COLUMNS

// How long open() waits for the file lock: long enough for a server being restarted to finish
// exiting, short enough to report a second server on the same file promptly.
constexpr std::int64_t kBusyTimeoutMs = 2000;

std::int64_t kind_code(ResourceKind kind) { return kind == ResourceKind::group ? 1 : 0; }
const char* name_attribute(ResourceKind kind) { return kind == ResourceKind::group ? "displayName" : "userName"; }

std::string utc_now_rfc3339() {
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[80];  // room for any int the compiler cannot rule out, not just 4-digit years
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
  if (text.empty()) return out;
  out.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  while (true) {
    auto newline = text.find('\n');
    out.emplace_back(text.substr(0, newline));
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return out;
}

// userName and displayName are unique case-insensitively. Folding is ASCII only (the rule of
// scim::to_lower): "Bob" and "BOB" collide, "É" and "é" do not. Hashing and comparing folded
// bytes in place lets the index key be a view of the stored name, with no lower-cased copy.
unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c; }

std::size_t case_insensitive_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
  for (char c : text) {
    hash ^= ascii_lower(static_cast<unsigned char>(c));
    hash *= 1099511628211ULL;
  }
  return static_cast<std::size_t>(hash);
}

bool case_insensitive_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(static_cast<unsigned char>(a[i])) != ascii_lower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// A name with its folded hash computed once. The table then compares stored hashes while it
// walks a bucket, instead of re-hashing (and fetching from memory) every name it passes: that
// walk dominated loading a million users.
struct NameKey {
  explicit NameKey(std::string_view name) : text(name), hash(case_insensitive_hash(name)) {}
  std::string_view text;
  std::size_t hash;
};

struct NameKeyHash {
  std::size_t operator()(const NameKey& key) const noexcept { return key.hash; }
};

struct NameKeyEqual {
  bool operator()(const NameKey& a, const NameKey& b) const noexcept {
    return a.hash == b.hash && case_insensitive_equal(a.text, b.text);
  }
};

// Lets a std::string-keyed map be searched with a string_view without building a string.
struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

// Keys are views into the indexed record's own strings, which live as long as the record is in
// by_id: no id or name is stored twice. The secondary indexes point at the ResourcePtr held in
// by_id's node (nodes never move), so a name lookup is one hash probe.
struct KindIndex {
  std::unordered_map<std::string_view, ResourcePtr> by_id;
  std::unordered_map<NameKey, const ResourcePtr*, NameKeyHash, NameKeyEqual> by_name;
  std::unordered_multimap<std::string_view, const ResourcePtr*> by_external_id;
  CreationOrder<const ResourcePtr*> by_seq;
};

class SqliteResourceStore final : public ResourceStore {
 public:
  SqliteResourceStore(const std::string& path, Durability durability) : db_(open_database(path)) {
    try {
      configure(durability);
      check_schema();
      insert_ = db_->prepare(
          "INSERT INTO resources(seq, kind, id, version, name, external_id, members, json) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
          true);
      update_ = db_->prepare(
          "UPDATE resources SET version=?2, name=?3, external_id=?4, members=?5, json=?6 WHERE seq=?1", true);
      delete_ = db_->prepare("DELETE FROM resources WHERE seq=?1", true);
      begin_ = db_->prepare("BEGIN IMMEDIATE", true);
      commit_ = db_->prepare("COMMIT", true);
      rollback_ = db_->prepare("ROLLBACK", true);
      savepoint_ = db_->prepare("SAVEPOINT write", true);
      release_ = db_->prepare("RELEASE write", true);
      rollback_to_ = db_->prepare("ROLLBACK TO write", true);
      load();
    } catch (const sqlite::Error& error) {
      throw std::runtime_error(describe_open_failure(path, error));
    }
  }

  ResourcePtr find(ResourceKind kind, std::string_view id) const override {
    std::shared_lock lock(mutex_);
    const auto& by_id = index(kind).by_id;
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : it->second;
  }

  ResourcePtr find_by_name(ResourceKind kind, std::string_view name) const override {
    std::shared_lock lock(mutex_);
    const auto& by_name = index(kind).by_name;
    auto it = by_name.find(NameKey(name));
    return it == by_name.end() ? nullptr : *it->second;
  }

  std::vector<ResourcePtr> find_by_external_id(ResourceKind kind, std::string_view external_id) const override {
    std::vector<ResourcePtr> out;
    std::shared_lock lock(mutex_);
    const auto& kind_index = index(kind);
    auto [first, last] = kind_index.by_external_id.equal_range(external_id);
    for (auto it = first; it != last; ++it) out.push_back(*it->second);
    std::sort(out.begin(), out.end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->seq < b->seq; });
    return out;
  }

  std::vector<GroupRef> groups_of(std::string_view member_id) const override {
    std::vector<GroupRef> out;
    std::shared_lock lock(mutex_);
    auto it = groups_by_member_.find(member_id);
    if (it == groups_by_member_.end()) return out;
    const auto& groups = index(ResourceKind::group).by_seq;
    out.reserve(it->second.size());
    for (std::uint64_t seq : it->second) {
      const ResourcePtr& group = *groups.find(seq);
      out.push_back({group->id, group->name});
    }
    return out;
  }

  std::vector<ResourcePtr> all(ResourceKind kind) const override {
    std::shared_lock lock(mutex_);
    const auto& by_seq = index(kind).by_seq;
    std::vector<ResourcePtr> out;
    out.reserve(by_seq.size());
    by_seq.for_each([&](const ResourcePtr* held) { out.push_back(*held); });
    return out;
  }

  Page page(ResourceKind kind, std::size_t first, std::size_t count) const override {
    std::shared_lock lock(mutex_);
    const auto& by_seq = index(kind).by_seq;
    Page out;
    out.total = by_seq.size();
    out.resources.reserve(std::min(count, out.total - std::min(first, out.total)));
    by_seq.for_range(first, count, [&](const ResourcePtr* held) { out.resources.push_back(*held); });
    return out;
  }

  std::size_t count(ResourceKind kind) const override {
    std::shared_lock lock(mutex_);
    return index(kind).by_id.size();
  }

  void with_database(const std::function<void(sqlite::Database&)>& work) override {
    commit([&] {
      work(*db_);
      return Applied{[] {}, [](const sqlite::Error& error) { return std::make_exception_ptr(error); }};
    });
  }

  ResourcePtr insert(StoredResource resource, const SameTransaction& also = {}) override {
    ResourcePtr stored;
    commit([&] {
      if (resource.id.empty())
        throw scim::Error(500, scim::ScimType::none, "internal error: a resource reached the store without an id");
      if (std::optional<ResourceKind> holder = kind_holding(resource.id))
        throw scim::Error(409, scim::ScimType::uniqueness,
                          "id " + resource.id + " is already used by a " + std::string(to_string(*holder)) +
                              "; ids are assigned by the server and never reused");
      check_name_free(resource.kind, resource.name, nullptr);
      resource.seq = next_seq_;
      // dump() leaves up to twice the needed capacity; at a million records that slack matters.
      resource.json.shrink_to_fit();
      auto record = std::make_shared<const StoredResource>(std::move(resource));
      try {
        write_insert(*record);
        if (also) also(*db_);
      } catch (const sqlite::Error& error) {
        throw storage_failure("create", *record, error);
      }
      ++next_seq_;
      publish(record);
      stored = record;
      return Applied{[this, record] {
                       unpublish(*record);
                       next_seq_ = record->seq;  // undone in reverse order: ends at the batch's first
                     },
                     [this, record](const sqlite::Error& error) {
                       return std::make_exception_ptr(storage_failure("create", *record, error));
                     }};
    });
    return stored;
  }

  ResourcePtr replace(StoredResource resource, std::uint64_t expected_version,
                      const SameTransaction& also = {}) override {
    ResourcePtr stored;
    commit([&] {
      auto& kind_index = index(resource.kind);
      auto it = kind_index.by_id.find(resource.id);
      if (it == kind_index.by_id.end()) throw not_found(resource.kind, resource.id);
      ResourcePtr old = it->second;
      check_version(*old, expected_version);
      check_name_free(resource.kind, resource.name, old.get());
      resource.seq = old->seq;
      resource.json.shrink_to_fit();
      auto record = std::make_shared<const StoredResource>(std::move(resource));
      try {
        write_update(*record);
        if (also) also(*db_);
      } catch (const sqlite::Error& error) {
        throw storage_failure("replace", *record, error);
      }
      unpublish(*old);
      publish(record);
      stored = record;
      return Applied{[this, old, record] {
                       unpublish(*record);
                       publish(old);
                     },
                     [this, record](const sqlite::Error& error) {
                       return std::make_exception_ptr(storage_failure("replace", *record, error));
                     }};
    });
    return stored;
  }

  void remove(ResourceKind kind, std::string_view id, std::optional<std::uint64_t> expected_version,
              const SameTransaction& also = {}) override {
    commit([&] {
      auto& kind_index = index(kind);
      auto it = kind_index.by_id.find(id);
      if (it == kind_index.by_id.end()) throw not_found(kind, id);
      ResourcePtr old = it->second;
      if (expected_version) check_version(*old, *expected_version);

      // Groups listing the removed resource lose that member in the same transaction, so no
      // committed state has a group pointing at a resource that is gone.
      std::vector<ResourcePtr> rewritten, previous;
      if (auto member = groups_by_member_.find(id); member != groups_by_member_.end()) {
        const auto& groups = index(ResourceKind::group).by_seq;
        for (std::uint64_t seq : member->second) {
          const ResourcePtr& group = *groups.find(seq);
          if (group->id == old->id) continue;
          rewritten.push_back(without_member(*group, old->id));
          previous.push_back(group);
        }
      }

      // The batch runs this inside a savepoint: a failure part way leaves none of the rows changed.
      try {
        delete_.bind(1, static_cast<std::int64_t>(old->seq));
        delete_.run();
        for (const auto& group : rewritten) write_update(*group);
        if (also) also(*db_);
      } catch (const sqlite::Error& error) {
        throw storage_failure("delete", *old, error);
      }

      unpublish(*old);
      for (std::size_t i = 0; i < rewritten.size(); ++i) {
        unpublish(*previous[i]);
        publish(rewritten[i]);
      }
      return Applied{[this, old, rewritten, previous] {
                       for (std::size_t i = rewritten.size(); i-- > 0;) {
                         unpublish(*rewritten[i]);
                         publish(previous[i]);
                       }
                       publish(old);
                     },
                     [this, old](const sqlite::Error& error) {
                       return std::make_exception_ptr(storage_failure("delete", *old, error));
                     }};
    });
  }

 private:
  static std::unique_ptr<sqlite::Database> open_database(const std::string& path) {
    try {
      return std::make_unique<sqlite::Database>(path);
    } catch (const sqlite::Error& error) {
      throw std::runtime_error(describe_open_failure(path, error));
    }
  }

  static std::string describe_open_failure(const std::string& path, const sqlite::Error& error) {
    std::string prefix = "data file " + path + ": ";
    switch (error.code()) {
      case SQLITE_NOTADB:
        return prefix + "not a SQLite database, so not a scimulator data file (" + error.what() +
               "); give a new path or one this server created";
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return prefix + "in use by another process (" + error.what() +
               "); stop the other scimulator server using it, or give another path";
      case SQLITE_CORRUPT:
        return prefix + "the database is corrupt (" + error.what() + "); restore it from a backup or start afresh";
      default:
        return prefix + error.what();
    }
  }

  void configure(Durability durability) {
    db_->exec("PRAGMA busy_timeout=" + std::to_string(kBusyTimeoutMs));
    // The in-memory indexes are only right while this process is the file's sole writer, so the
    // file stays locked for as long as the store is open: a second server fails with SQLITE_BUSY
    // instead of silently diverging. (Set before WAL so no shared-memory index is created.)
    db_->exec("PRAGMA locking_mode=EXCLUSIVE");
    db_->exec("PRAGMA journal_mode=WAL");
    // WAL + NORMAL: a commit is in the WAL file (the OS page cache) when the call returns, which
    // survives kill -9 of this process; only a power loss or OS crash can drop the last commits.
    // FULL fsyncs the WAL on every commit and survives those too, at a cost per write.
    db_->exec(durability == Durability::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    // Checkpoint every 10,000 WAL pages (about 40 MB) rather than SQLite's 1,000: a page written by
    // many commits in between (the table's last page, the audit log's) is copied back once, and
    // the checkpoint runs inside a commit, under the store's lock.
    db_->exec("PRAGMA wal_autocheckpoint=10000");
    // Take the lock now rather than at the first write, so a conflict is reported at startup.
    db_->exec("BEGIN EXCLUSIVE; COMMIT");
  }

  void check_schema() {
    std::int64_t application_id = db_->query_int("PRAGMA application_id");
    std::int64_t version = db_->query_int("PRAGMA user_version");
    std::int64_t objects = db_->query_int("SELECT count(*) FROM sqlite_master");
    if (application_id == 0 && version == 0 && objects == 0) {
      // A new (or empty) file: the layout and the marks identifying it commit together.
      db_->exec("BEGIN IMMEDIATE; " + std::string(kCreateSchema) + "; PRAGMA application_id=" +
                std::to_string(kApplicationId) + "; PRAGMA user_version=" + std::to_string(kSchemaVersion) +
                "; COMMIT");
      return;
    }
    if (application_id != kApplicationId)
      throw std::runtime_error("data file " + db_->path() +
                               ": a SQLite database but not a scimulator data file (application_id " +
                               std::to_string(application_id) + ", " + std::to_string(objects) +
                               " schema objects); give a new path or one this server created");
    if (version > kSchemaVersion || version < 1)
      throw std::runtime_error("data file " + db_->path() + ": schema version " + std::to_string(version) +
                               " is not one this build reads (1.." + std::to_string(kSchemaVersion) +
                               "); it was written by another scimulator version, use that version or a new path");
    if (version < kSchemaVersion) {
      std::string steps = "BEGIN IMMEDIATE; ";
      for (std::int64_t from = version; from < kSchemaVersion; ++from)
        steps += std::string(kMigrations[static_cast<std::size_t>(from - 1)]) + "; ";
      db_->exec(steps + "PRAGMA user_version=" + std::to_string(kSchemaVersion) + "; COMMIT");
    }
  }

  // Builds the indexes from the stored columns only: parsing a million JSON documents would
  // take far longer than reading them.
  void load() {
    // Sized up front: growing a million-entry table rehashes it about twenty times. The highest
    // seq is one b-tree descent and bounds the row count; most rows of a big file are users.
    auto expected = static_cast<std::size_t>(db_->query_int("SELECT coalesce(max(seq), 0) FROM resources"));
    KindIndex& users = index(ResourceKind::user);
    users.by_id.reserve(expected);
    users.by_name.reserve(expected);
    users.by_external_id.reserve(expected);
    sqlite::Statement rows =
        db_->prepare("SELECT seq, kind, id, version, name, external_id, members, json FROM resources ORDER BY seq");
    while (rows.step()) {
      auto record = std::make_shared<StoredResource>();
      record->seq = static_cast<std::uint64_t>(rows.column_int64(0));
      std::int64_t kind = rows.column_int64(1);
      if (kind != 0 && kind != 1)
        throw std::runtime_error("data file " + db_->path() + ": row seq " + std::to_string(record->seq) +
                                 " has unknown kind " + std::to_string(kind) +
                                 "; the file is damaged or was written by another scimulator version");
      record->kind = kind == 1 ? ResourceKind::group : ResourceKind::user;
      record->id = rows.column_text(2);
      if (kind_holding(record->id))
        throw std::runtime_error("data file " + db_->path() + ": row seq " + std::to_string(record->seq) +
                                 " repeats the id " + record->id +
                                 " of an earlier row; the file was changed outside scimulator, restore it from a backup");
      record->version = static_cast<std::uint64_t>(rows.column_int64(3));
      record->name = rows.column_text(4);
      record->external_id = rows.column_text(5);
      record->member_ids = split_members(rows.column_text(6));
      record->json = rows.column_text(7);
      next_seq_ = std::max(next_seq_, record->seq + 1);
      publish(std::move(record));
    }
  }

  KindIndex& index(ResourceKind kind) { return indexes_[kind == ResourceKind::group ? 1 : 0]; }
  // The kind whose resources include `id`, if any: ids are unique across both kinds, and this
  // index is what keeps them so (the table has no SQL index on id).
  std::optional<ResourceKind> kind_holding(std::string_view id) const {
    for (ResourceKind kind : {ResourceKind::user, ResourceKind::group})
      if (index(kind).by_id.count(id)) return kind;
    return std::nullopt;
  }
  const KindIndex& index(ResourceKind kind) const { return indexes_[kind == ResourceKind::group ? 1 : 0]; }

  static scim::Error not_found(ResourceKind kind, std::string_view id) {
    return scim::Error::not_found(std::string(to_string(kind)) + " " + std::string(id) +
                                  " not found; it was deleted or never existed, list the endpoint to find current ids");
  }

  // An empty name is not indexed: the validator rejects it, and "" colliding with "" would only
  // produce a confusing 409.
  void check_name_free(ResourceKind kind, const std::string& name, const StoredResource* self) const {
    if (name.empty()) return;
    const auto& by_name = index(kind).by_name;
    auto it = by_name.find(NameKey(name));
    if (it != by_name.end() && it->second->get() != self)
      throw scim::Error(409, scim::ScimType::uniqueness,
                        std::string(name_attribute(kind)) + " \"" + name + "\" is already taken by " +
                            (*it->second)->id +
                            " (" + std::string(name_attribute(kind)) +
                            " is unique regardless of case); choose another or update that " +
                            std::string(to_string(kind)));
  }

  // A stale version means someone else wrote in between; the caller must not overwrite it.
  static void check_version(const StoredResource& current, std::uint64_t expected) {
    if (current.version != expected)
      throw scim::Error(412, scim::ScimType::none,
                        std::string(to_string(current.kind)) + " " + current.id +
                            ": resource changed since version " + std::to_string(expected) + " (now version " +
                            std::to_string(current.version) + "); re-read it and retry with the new version");
  }

  scim::Error storage_failure(const char* action, const StoredResource& resource, const sqlite::Error& error) const {
    return scim::Error(500, scim::ScimType::none,
                       "storage failure: could not " + std::string(action) + " " + std::string(to_string(resource.kind)) +
                           " " + resource.id + " in data file " + db_->path() + " (" + error.what() +
                           "); nothing was changed, check disk space and permissions and retry");
  }

  // The group as it is after `member_id` left it: member list, JSON members, a new version and
  // lastModified, the same way a PATCH remove would have written it.
  static ResourcePtr without_member(const StoredResource& group, const std::string& member_id) {
    auto copy = std::make_shared<StoredResource>(group);
    copy->version = group.version + 1;
    std::erase(copy->member_ids, member_id);
    nlohmann::json doc = nlohmann::json::parse(group.json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      throw scim::Error(500, scim::ScimType::none,
                        "stored Group " + group.id + " is not a JSON object; cannot remove member " + member_id);
    if (auto members = doc.find("members"); members != doc.end() && members->is_array()) {
      nlohmann::json kept = nlohmann::json::array();
      for (auto& member : *members) {
        auto value = member.is_object() ? member.find("value") : member.end();
        if (!(member.is_object() && value != member.end() && value->is_string() && *value == member_id))
          kept.push_back(std::move(member));
      }
      // RFC 7643 §2.5: an empty multi-valued attribute is the same state as an unassigned one.
      if (kept.empty()) doc.erase("members");
      else *members = std::move(kept);
    }
    nlohmann::json& meta = doc["meta"];
    if (!meta.is_object()) meta = nlohmann::json::object();
    meta["version"] = "W/\"" + std::to_string(copy->version) + "\"";
    meta["lastModified"] = utc_now_rfc3339();
    copy->json = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    copy->json.shrink_to_fit();
    return copy;
  }

  // --- group commit ----------------------------------------------------------------------
  // Writers that arrive while a commit is under way queue up; the first of them then commits all
  // of them in one transaction, each inside its own savepoint, so a refused write leaves the
  // others untouched. Each writer returns only after the transaction holding its write
  // committed: an acknowledged write is in the file (see Durability), and a batch of N writes
  // costs one commit instead of N.

  // What a staged write leaves behind: how to take back its in-memory publication, and the error
  // its writer gets when the transaction holding it does not commit.
  struct Applied {
    std::function<void()> undo;
    std::function<std::exception_ptr(const sqlite::Error&)> commit_failure;
  };
  using Stage = std::function<Applied()>;

  struct Writer {
    const Stage* stage = nullptr;
    std::exception_ptr error;
    bool done = false;
  };

  // Enough to amortise the commit; small enough that one batch never holds readers off for long.
  static constexpr std::size_t kMaxBatch = 64;

  // Runs `stage` (checks, SQL, in-memory publication; throws to refuse) in the next batch and
  // returns once that batch committed, or throws what the stage or the commit failed with.
  template <typename Function>
  void commit(Function&& function) {
    Stage stage(std::forward<Function>(function));
    Writer self;
    self.stage = &stage;
    std::unique_lock queue(queue_mutex_);
    queue_.push_back(&self);
    queue_cv_.wait(queue, [&] { return self.done || queue_.front() == &self; });
    if (!self.done) {
      // This writer leads: it commits every writer queued so far, itself first.
      std::vector<Writer*> batch(queue_.begin(),
                                 queue_.begin() + static_cast<std::ptrdiff_t>(std::min(queue_.size(), kMaxBatch)));
      queue.unlock();
      run_batch(batch);
      queue.lock();
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(batch.size()));
      for (Writer* writer : batch) writer->done = true;
      queue_cv_.notify_all();
    }
    if (self.error) std::rethrow_exception(self.error);
  }

  // One transaction for `batch`, under the exclusive lock: readers never see a write before the
  // commit that makes it durable. Never throws; each writer's outcome is left in its Writer.
  void run_batch(const std::vector<Writer*>& batch) noexcept {
    std::unique_lock lock(mutex_);
    std::vector<std::pair<Writer*, Applied>> applied;
    // The transaction is gone (a failed commit, or SQLite rolled it back): every write staged in
    // it is taken back from memory and its writer told why.
    auto lose_transaction = [&](const sqlite::Error& error) {
      for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
        it->second.undo();
        it->first->error = it->second.commit_failure(error);
      }
      applied.clear();
      if (db_->in_transaction()) {
        try {
          rollback_.run();
        } catch (const sqlite::Error&) {
          // The connection rolls back by itself when it cannot; the writers' errors say enough.
        }
      }
    };
    for (Writer* writer : batch) {
      try {
        if (!db_->in_transaction()) begin_.run();
        savepoint_.run();
      } catch (const sqlite::Error& error) {
        writer->error = std::make_exception_ptr(storage_error("could not start a transaction", error));
        continue;
      }
      try {
        Applied done = (*writer->stage)();
        try {
          release_.run();
          applied.emplace_back(writer, std::move(done));
          continue;
        } catch (const sqlite::Error& error) {
          done.undo();
          writer->error = done.commit_failure(error);
        }
      } catch (...) {
        writer->error = std::current_exception();
      }
      // The stage refused or failed: its own rows go back, the batch's others stay.
      try {
        rollback_to_.run();
        release_.run();
      } catch (const sqlite::Error& error) {
        lose_transaction(error);
        continue;
      }
      // Some failures (a full disk, an I/O error) make SQLite roll back the whole transaction.
      if (!db_->in_transaction())
        lose_transaction(sqlite::Error(SQLITE_ABORT, "the transaction was rolled back after a failed write"));
    }
    if (!db_->in_transaction()) return;
    try {
      commit_.run();
    } catch (const sqlite::Error& error) {
      lose_transaction(error);
    }
  }

  scim::Error storage_error(const std::string& what, const sqlite::Error& error) const {
    return scim::Error(500, scim::ScimType::none,
                       "storage failure: " + what + " in data file " + db_->path() + " (" + error.what() +
                           "); nothing was changed, check disk space and permissions and retry");
  }

  void write_insert(const StoredResource& r) {
    std::string members = join_members(r.member_ids);
    insert_.bind(1, static_cast<std::int64_t>(r.seq));
    insert_.bind(2, kind_code(r.kind));
    insert_.bind(3, r.id);
    insert_.bind(4, static_cast<std::int64_t>(r.version));
    insert_.bind(5, r.name);
    insert_.bind(6, r.external_id);
    insert_.bind(7, members);
    insert_.bind(8, r.json);
    insert_.run();
  }

  void write_update(const StoredResource& r) {
    std::string members = join_members(r.member_ids);
    update_.bind(1, static_cast<std::int64_t>(r.seq));
    update_.bind(2, static_cast<std::int64_t>(r.version));
    update_.bind(3, r.name);
    update_.bind(4, r.external_id);
    update_.bind(5, members);
    update_.bind(6, r.json);
    update_.run();
    // Memory and file disagreeing would be a bug; the file-level lock rules out another writer.
    if (sqlite3_changes(db_->handle()) != 1)
      throw sqlite::Error(SQLITE_NOTFOUND, "row seq " + std::to_string(r.seq) + " of " +
                                               std::string(to_string(r.kind)) + " " + r.id +
                                               " is missing from the file");
  }

  void publish(ResourcePtr record) {
    auto& kind_index = index(record->kind);
    const StoredResource* raw = record.get();
    const ResourcePtr* held = &kind_index.by_id.emplace(raw->id, std::move(record)).first->second;
    kind_index.by_seq.insert(raw->seq, held);
    if (!raw->name.empty()) kind_index.by_name.emplace(NameKey(raw->name), held);
    if (!raw->external_id.empty()) kind_index.by_external_id.emplace(raw->external_id, held);
    if (raw->kind == ResourceKind::group)
      for (const auto& member : raw->member_ids) {
        auto slot = groups_by_member_.find(member);
        if (slot == groups_by_member_.end()) slot = groups_by_member_.emplace(member, std::vector<std::uint64_t>{}).first;
        auto& seqs = slot->second;
        auto at = std::lower_bound(seqs.begin(), seqs.end(), raw->seq);
        if (at == seqs.end() || *at != raw->seq) seqs.insert(at, raw->seq);
      }
  }

  // The caller keeps `record` alive until this returns: the index keys are views into it.
  void unpublish(const StoredResource& record) {
    auto& kind_index = index(record.kind);
    if (auto it = kind_index.by_name.find(NameKey(record.name));
        it != kind_index.by_name.end() && it->second->get() == &record)
      kind_index.by_name.erase(it);
    auto [first, last] = kind_index.by_external_id.equal_range(record.external_id);
    for (auto it = first; it != last; ++it)
      if (it->second->get() == &record) {
        kind_index.by_external_id.erase(it);
        break;
      }
    if (record.kind == ResourceKind::group)
      for (const auto& member : record.member_ids) {
        auto slot = groups_by_member_.find(member);
        if (slot == groups_by_member_.end()) continue;
        std::erase(slot->second, record.seq);
        if (slot->second.empty()) groups_by_member_.erase(slot);
      }
    kind_index.by_seq.erase(record.seq);
    kind_index.by_id.erase(record.id);
  }

  // The statements are declared after db_ so they are finalized before the connection closes (a
  // close with live statements is deferred, and the WAL would not be checkpointed).
  std::unique_ptr<sqlite::Database> db_;
  sqlite::Statement insert_, update_, delete_, begin_, commit_, rollback_, savepoint_, release_, rollback_to_;
  mutable std::shared_mutex mutex_;
  // The writers waiting for a batch, in arrival order; the front one leads the next batch.
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Writer*> queue_;
  std::array<KindIndex, 2> indexes_;
  // Member id → seqs of the groups listing it, ascending, i.e. in group creation order. A sorted
  // vector rather than a std::set: most members are in a handful of groups.
  std::unordered_map<std::string, std::vector<std::uint64_t>, TransparentHash, std::equal_to<>> groups_by_member_;
  std::uint64_t next_seq_ = 1;
};

}  // namespace

std::unique_ptr<ResourceStore> ResourceStore::open(const std::string& path, Durability durability) {
  return std::make_unique<SqliteResourceStore>(path, durability);
}

}  // namespace refserver
