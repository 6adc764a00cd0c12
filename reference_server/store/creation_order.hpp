#pragma once
// The resources of one kind in creation order, answering "the k-th resource" in O(log n): a
// client paging through a large directory with startIndex (every IdP's import does) would
// otherwise walk all the resources before its page, and reading the whole directory page by
// page would take time quadratic in its size.
//
// Entries are kept in a vector sorted by seq. seqs are assigned increasing, so a new resource is
// appended; a removed one leaves a tombstone (a null value) so positions stay put, and a Fenwick
// tree over the positions counts the live ones. When tombstones outnumber live entries the
// vector is compacted, which keeps memory proportional to what is stored, not to every seq ever
// assigned.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace refserver {

// Value is a nullable handle (a pointer): null marks a tombstone.
template <typename Value>
class CreationOrder {
 public:
  // Adds `value` under `seq`. A seq above every stored one is appended in O(log n) amortised;
  // one that comes back (a write's undo re-publishing the previous record) takes its old place.
  void insert(std::uint64_t seq, Value value) {
    if (entries_.empty() || seq > entries_.back().first) {
      entries_.emplace_back(seq, value);
      if (entries_.size() > capacity_) {
        rebuild();
      } else {
        add(entries_.size(), +1);
      }
      ++live_;
      return;
    }
    std::size_t at = lower_bound(seq);
    if (at < entries_.size() && entries_[at].first == seq) {
      if (!entries_[at].second) {
        add(at + 1, +1);
        ++live_;
        --dead_;
      }
      entries_[at].second = value;
      return;
    }
    // Below the highest seq and compacted away: rare enough (an undo after a compaction) that a
    // full rebuild is fine.
    entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(at), {seq, value});
    ++live_;
    rebuild();
  }

  void erase(std::uint64_t seq) {
    std::size_t at = lower_bound(seq);
    if (at == entries_.size() || entries_[at].first != seq || !entries_[at].second) return;
    entries_[at].second = Value{};
    add(at + 1, -1);
    --live_;
    ++dead_;
    if (dead_ > live_ && dead_ >= kMinCompaction) compact();
  }

  // The value stored under `seq`, or a null Value.
  Value find(std::uint64_t seq) const {
    std::size_t at = lower_bound(seq);
    return at < entries_.size() && entries_[at].first == seq ? entries_[at].second : Value{};
  }

  std::size_t size() const { return live_; }

  // Calls visit(value) for every live entry, in seq order.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const auto& entry : entries_)
      if (entry.second) visit(entry.second);
  }

  // Calls visit(value) for the live entries ranked first .. first+count-1 (0-based), in order.
  template <typename Visit>
  void for_range(std::size_t first, std::size_t count, Visit&& visit) const {
    if (first >= live_ || count == 0) return;
    for (std::size_t at = position_of_rank(first); at < entries_.size() && count > 0; ++at)
      if (entries_[at].second) {
        visit(entries_[at].second);
        --count;
      }
  }

 private:
  // Compaction waits for this many tombstones, so a small store never churns its vector.
  static constexpr std::size_t kMinCompaction = 1024;

  // Index of the first entry whose seq is not below `seq`.
  std::size_t lower_bound(std::uint64_t seq) const {
    auto at = std::lower_bound(entries_.begin(), entries_.end(), seq,
                               [](const auto& entry, std::uint64_t wanted) { return entry.first < wanted; });
    return static_cast<std::size_t>(at - entries_.begin());
  }

  // Fenwick tree over 1-based positions; tree_[i] counts the live entries of (i - lowbit(i), i].
  void add(std::size_t position, std::int64_t delta) {
    for (; position <= capacity_; position += position & (~position + 1))
      tree_[position] = static_cast<std::uint32_t>(static_cast<std::int64_t>(tree_[position]) + delta);
  }

  // The 0-based position of the live entry with 0-based rank `rank` (< live_).
  std::size_t position_of_rank(std::size_t rank) const {
    std::size_t position = 0, remaining = rank + 1;
    for (std::size_t step = capacity_; step > 0; step >>= 1) {
      std::size_t next = position + step;
      if (next <= capacity_ && tree_[next] < remaining) {
        position = next;
        remaining -= tree_[next];
      }
    }
    // `position` is the longest prefix holding at most `rank` live entries; the entry right after
    // it, 1-based position + 1, is the answer, which is 0-based index `position`.
    return position;
  }

  // Capacity a power of two with room to grow, the tree built in O(n) from the entries.
  void rebuild() {
    capacity_ = 1;
    while (capacity_ < entries_.size() + entries_.size() / 2 + 1) capacity_ <<= 1;
    tree_.assign(capacity_ + 1, 0);
    for (std::size_t i = 1; i <= capacity_; ++i) {
      if (i <= entries_.size() && entries_[i - 1].second) ++tree_[i];
      std::size_t parent = i + (i & (~i + 1));
      if (parent <= capacity_) tree_[parent] += tree_[i];
    }
  }

  void compact() {
    std::erase_if(entries_, [](const auto& entry) { return !entry.second; });
    dead_ = 0;
    rebuild();
  }

  std::vector<std::pair<std::uint64_t, Value>> entries_;
  std::vector<std::uint32_t> tree_{0};
  std::size_t capacity_ = 0;
  std::size_t live_ = 0;
  std::size_t dead_ = 0;
};

}  // namespace refserver
