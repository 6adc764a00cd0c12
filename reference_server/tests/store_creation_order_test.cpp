// CreationOrder: the store's rank index behind deep pages. Checked against a std::map model
// through appends, deletions, compaction and re-inserted seqs (a write's undo).
#include "reference_server/store/creation_order.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

namespace refserver {
namespace {

// Values are pointers to these slots, so a value names the seq it was stored under.
std::vector<std::uint64_t> g_slots(100000);
const std::uint64_t* value_for(std::uint64_t seq) { return &g_slots.at(seq); }

std::vector<std::uint64_t> window(const CreationOrder<const std::uint64_t*>& order, std::size_t first, std::size_t count) {
  std::vector<std::uint64_t> out;
  order.for_range(first, count, [&](const std::uint64_t* value) { out.push_back(static_cast<std::uint64_t>(value - g_slots.data())); });
  return out;
}

std::vector<std::uint64_t> window(const std::map<std::uint64_t, bool>& model, std::size_t first, std::size_t count) {
  std::vector<std::uint64_t> out;
  auto it = model.begin();
  for (std::size_t i = 0; i < first && it != model.end(); ++i) ++it;
  for (; it != model.end() && out.size() < count; ++it) out.push_back(it->first);
  return out;
}

TEST(CreationOrder, RanksCountOnlyLiveEntriesInSeqOrder) {
  CreationOrder<const std::uint64_t*> order;
  for (std::uint64_t seq : {1, 2, 4, 7, 8, 9}) order.insert(seq, value_for(seq));
  order.erase(4);
  order.erase(8);
  EXPECT_EQ(order.size(), 4u);
  EXPECT_EQ(window(order, 0, 10), (std::vector<std::uint64_t>{1, 2, 7, 9}));
  EXPECT_EQ(window(order, 2, 1), (std::vector<std::uint64_t>{7}));
  EXPECT_EQ(window(order, 3, 5), (std::vector<std::uint64_t>{9}));
  EXPECT_TRUE(window(order, 4, 5).empty());
  EXPECT_TRUE(window(order, 0, 0).empty());
  EXPECT_EQ(order.find(7), value_for(7));
  EXPECT_EQ(order.find(4), nullptr);
  EXPECT_EQ(order.find(5), nullptr);
}

TEST(CreationOrder, AReinsertedSeqTakesItsOldPlace) {
  CreationOrder<const std::uint64_t*> order;
  for (std::uint64_t seq = 1; seq <= 5; ++seq) order.insert(seq, value_for(seq));
  order.erase(3);
  order.insert(3, value_for(3));  // a replace's undo publishes the old record again
  order.erase(5);
  order.insert(5, value_for(5));  // an insert's undo, then the next insert reusing the seq
  EXPECT_EQ(window(order, 0, 10), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(window(order, 2, 2), (std::vector<std::uint64_t>{3, 4}));
}

TEST(CreationOrder, CompactionKeepsOrderAndRanks) {
  CreationOrder<const std::uint64_t*> order;
  std::map<std::uint64_t, bool> model;
  for (std::uint64_t seq = 1; seq <= 6000; ++seq) {
    order.insert(seq, value_for(seq));
    model[seq] = true;
  }
  // Erase two of every three: tombstones pass the live count, so the vector is compacted.
  for (std::uint64_t seq = 1; seq <= 6000; ++seq)
    if (seq % 3 != 0) {
      order.erase(seq);
      model.erase(seq);
    }
  // A seq compacted away comes back in the middle (an undo right after a compaction).
  order.insert(1000, value_for(1000));
  model[1000] = true;
  ASSERT_EQ(order.size(), model.size());
  for (std::size_t first : {0, 1, 332, 333, 334, 1000, 1999, 2000, 2001})
    EXPECT_EQ(window(order, first, 7), window(model, first, 7)) << "first " << first;
}

TEST(CreationOrder, MatchesAnOrderedMapUnderRandomWrites) {
  CreationOrder<const std::uint64_t*> order;
  std::map<std::uint64_t, bool> model;
  std::mt19937 random(7);
  std::uint64_t next_seq = 1;
  for (int step = 0; step < 40000; ++step) {
    int action = static_cast<int>(random() % 10);
    if (action < 6 || model.empty()) {
      order.insert(next_seq, value_for(next_seq));
      model[next_seq] = true;
      ++next_seq;
    } else if (action < 9) {
      auto it = model.begin();
      std::advance(it, static_cast<long>(random() % model.size()));
      order.erase(it->first);
      model.erase(it);
    } else {
      // Re-publish a seq that was erased (or never stored: find reports null for it).
      std::uint64_t seq = 1 + random() % next_seq;
      if (seq < next_seq && !model.count(seq) && order.find(seq) == nullptr) {
        order.insert(seq, value_for(seq));
        model[seq] = true;
      }
    }
    if (step % 997 == 0) {
      ASSERT_EQ(order.size(), model.size()) << "step " << step;
      std::size_t first = model.empty() ? 0 : random() % model.size();
      ASSERT_EQ(window(order, first, 50), window(model, first, 50)) << "step " << step << " first " << first;
    }
  }
  std::vector<std::uint64_t> all;
  order.for_each([&](const std::uint64_t* value) { all.push_back(static_cast<std::uint64_t>(value - g_slots.data())); });
  EXPECT_EQ(all, window(model, 0, model.size()));
}

}  // namespace
}  // namespace refserver
