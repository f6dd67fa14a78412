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

// Against std::map under a random mix of operations, across many grow and shift-back cycles.
TEST(IdMap, AgreesWithStdMap) {
  IdMap<uint32_t> map;
  std::map<uint32_t, uint32_t> model;
  std::mt19937 random(42);
  for (int i = 0; i < 200000; ++i) {
    const uint32_t id = random() % 5000;
    switch (random() % 3) {
      case 0: EXPECT_EQ(map.insert(id, i), model.emplace(id, i).second); break;
      case 1: EXPECT_EQ(map.erase(id), model.erase(id) == 1); break;
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
