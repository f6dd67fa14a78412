#include "coproxy/detail/id_map.h"

#include <map>
#include <random>

#include "gtest/gtest.h"

namespace coproxy::detail {
namespace {

TEST(IdMap, InsertFindErase) {
  IdMap<int> map;
  EXPECT_EQ(map.find(1), nullptr);
  EXPECT_TRUE(map.insert(1, 10));
  EXPECT_FALSE(map.insert(1, 11));
  ASSERT_NE(map.find(1), nullptr);
  EXPECT_EQ(*map.find(1), 10);
  EXPECT_TRUE(map.erase(1));
  EXPECT_FALSE(map.erase(1));
  EXPECT_EQ(map.find(1), nullptr);
  EXPECT_TRUE(map.empty());
}

// Id 0 marks an empty slot inside the table, so it is kept beside it: it must behave like
// any other id, through every operation and across growth.
TEST(IdMap, IdZeroIsAnIdLikeAnyOther) {
  IdMap<int> map;
  EXPECT_EQ(map.find(0), nullptr);
  EXPECT_FALSE(map.erase(uint32_t{0}));
  EXPECT_TRUE(map.insert(0, 7));
  EXPECT_FALSE(map.insert(0, 8));
  for (uint32_t id = 1; id <= 100; ++id) ASSERT_TRUE(map.insert(id, static_cast<int>(id)));
  ASSERT_NE(map.find(0), nullptr);
  EXPECT_EQ(*map.find(0), 7);
  EXPECT_EQ(map.size(), 101u);
  int visited_zero = 0;
  map.for_each([&](uint32_t id, int value) { visited_zero += id == 0 && value == 7; });
  EXPECT_EQ(visited_zero, 1);
  map.erase(map.find(0));
  EXPECT_EQ(map.find(0), nullptr);
  EXPECT_EQ(map.size(), 100u);
  EXPECT_TRUE(map.insert(0, 9));
  EXPECT_TRUE(map.erase(uint32_t{0}));
  EXPECT_EQ(map.find(0), nullptr);
  EXPECT_EQ(*map.find(100), 100);
}

// Against std::map under a random mix of operations, across many grow and shift-back cycles.
TEST(IdMap, AgreesWithStdMap) {
  IdMap<uint32_t> map;
  std::map<uint32_t, uint32_t> model;
  std::mt19937 random(42);
  for (int i = 0; i < 200000; ++i) {
    const uint32_t id = random() % 5000;  // 0 included
    switch (random() % 4) {
      case 0: EXPECT_EQ(map.insert(id, i), model.emplace(id, i).second); break;
      case 1: EXPECT_EQ(map.erase(id), model.erase(id) == 1); break;
      case 2:  // by the pointer a lookup gave
        if (uint32_t* found = map.find(id)) {
          map.erase(found);
          EXPECT_EQ(model.erase(id), 1u);
        } else {
          EXPECT_EQ(model.count(id), 0u);
        }
        break;
      default: {
        uint32_t* found = map.find(id);
        auto it = model.find(id);
        ASSERT_EQ(found != nullptr, it != model.end());
        if (found) EXPECT_EQ(*found, it->second);
      }
    }
  }
  EXPECT_EQ(map.size(), model.size());
  size_t visited = 0;
  map.for_each([&](uint32_t id, uint32_t value) {
    ++visited;
    EXPECT_EQ(model.at(id), value);
  });
  EXPECT_EQ(visited, model.size());
}

}  // namespace
}  // namespace coproxy::detail
