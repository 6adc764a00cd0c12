#pragma once
// The reference server's source of truth: a SQLite file (WAL) holding every resource as its
// JSON text, mirrored by in-memory maps so reads and `eq` lookups on indexed attributes never
// touch the disk or scan. A write returns only after its SQLite transaction committed, so a 2xx
// answer built on it survives kill -9.
//
// Group commit: writes that arrive while a commit is under way are committed together in the
// next transaction (each in its own savepoint, so one refused write does not undo another), and
// each writer still returns only after the commit that holds its write. Concurrent writers share
// one commit instead of paying one each.
//
// Records are immutable and shared (ResourcePtr): readers keep a consistent snapshot of a
// resource while writers publish a new record. Conflicting writes are detected by version
// (optimistic concurrency): the caller reads, computes, and writes with the version it read.
#include "scim/error.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace refserver {

namespace sqlite {
class Database;
}

enum class ResourceKind { user, group };

// WAL with synchronous=NORMAL survives a killed process; FULL also survives power loss at the
// cost of an fsync per commit.
enum class Durability { normal, full };
std::string_view to_string(ResourceKind kind);  // "User", "Group"

struct StoredResource {
  ResourceKind kind = ResourceKind::user;
  std::string id;
  std::uint64_t version = 1;  // ETag W/"<version>"; bumped by every write
  std::uint64_t seq = 0;      // creation order, assigned by the store: stable paging order
  std::string json;           // the full representation, meta included; User.groups excluded
  std::string name;           // userName (User) or displayName (Group) as sent
  std::string external_id;    // "" when absent
  // Group members as stored (value ids); empty for users. Kept apart from `json` parsing so
  // the member index can be maintained without re-reading the document.
  std::vector<std::string> member_ids;
};
using ResourcePtr = std::shared_ptr<const StoredResource>;

// A group a member belongs to, for the read-only User.groups attribute (RFC 7643 §4.1.2).
struct GroupRef {
  std::string id;
  std::string display_name;
};

class ResourceStore {
 public:
  // Opens (creating if needed) the SQLite file at `path`; ":memory:" keeps nothing on disk.
  // Loads every stored resource into memory. Throws std::runtime_error naming the file and
  // the SQLite message when the file cannot be opened or is not ours.
  static std::unique_ptr<ResourceStore> open(const std::string& path, Durability durability = Durability::normal);
  virtual ~ResourceStore() = default;

  // Reads. find_* return nullptr / empty when absent; get throws scim::Error 404.
  virtual ResourcePtr find(ResourceKind kind, std::string_view id) const = 0;
  ResourcePtr get(ResourceKind kind, std::string_view id) const;
  // Case-insensitive on userName / displayName: at most one match, since both are unique
  // case-insensitively.
  virtual ResourcePtr find_by_name(ResourceKind kind, std::string_view name) const = 0;
  // externalId is caseExact (RFC 7643 §3.1); several resources may share one.
  virtual std::vector<ResourcePtr> find_by_external_id(ResourceKind kind, std::string_view external_id) const = 0;
  // Groups whose members include `member_id`, in group creation order.
  virtual std::vector<GroupRef> groups_of(std::string_view member_id) const = 0;
  // Every resource of a kind in creation order: a snapshot taken under one lock.
  virtual std::vector<ResourcePtr> all(ResourceKind kind) const = 0;
  // The resources ranked first .. first+count-1 (0-based) of all(kind), and how many all(kind)
  // holds, under one lock; O(log n + count), however deep the page.
  struct Page {
    std::size_t total = 0;
    std::vector<ResourcePtr> resources;
  };
  virtual Page page(ResourceKind kind, std::size_t first, std::size_t count) const = 0;
  virtual std::size_t count(ResourceKind kind) const = 0;

  // Writes. Each commits to SQLite before returning. `also` (may be empty) runs in the write's
  // own savepoint right after its rows, so what it writes (the write's audit entry) commits with
  // the change or not at all, in the same commit. It runs under the store's lock: it must not
  // call back into the store. A throw from it refuses the write.
  using SameTransaction = std::function<void(sqlite::Database&)>;
  // insert: 409 uniqueness if the name (case-insensitive) is taken; assigns seq. Returns the
  // record as stored.
  virtual ResourcePtr insert(StoredResource resource, const SameTransaction& also = {}) = 0;
  // replace: 404 if gone; 412 (ScimType::none) if the stored version differs from
  // `expected_version`; 409 if the new name collides with another resource. The caller sets
  // the new version (normally expected_version + 1) inside `resource`.
  virtual ResourcePtr replace(StoredResource resource, std::uint64_t expected_version,
                              const SameTransaction& also = {}) = 0;
  // remove: 404 if gone; 412 if `expected_version` is given and differs. Removing a user or
  // group also removes it from the members of every group (those groups get a new version
  // and their JSON is rewritten in the same transaction).
  virtual void remove(ResourceKind kind, std::string_view id, std::optional<std::uint64_t> expected_version,
                      const SameTransaction& also = {}) = 0;

  // Runs `work` with sole use of the store's SQLite connection, which holds the file's lock, so
  // other tables of the same file (the access model's tokens, roles and audit log) are reached
  // through it. `work` runs inside a savepoint of the store's next group commit: what it writes
  // has committed when this returns, and nothing of it if it throws. It may itself use
  // SAVEPOINT/RELEASE but not BEGIN/COMMIT, and must not call back into the store.
  virtual void with_database(const std::function<void(sqlite::Database&)>& work) = 0;
};

}  // namespace refserver
