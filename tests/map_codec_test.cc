#include "coproxy/map_codec.h"

#include "coproxy/encoded_headers.h"

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace coproxy {
namespace {

std::string u32(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(v >> (8 * i));
  return out;
}

std::vector<std::pair<std::string, std::string>> decode(std::string_view wire) {
  Result<MapView> view = MapView::parse(wire);
  EXPECT_TRUE(view.ok());
  std::vector<std::pair<std::string, std::string>> out;
  for (Header h : *view) out.emplace_back(h.name, h.value);
  return out;
}

TEST(MapCodec, RoundTripsPairsInOrder) {
  std::string wire = encode_map({{":path", "/a"}, {"x", ""}, {"", "v"}, {"x", "2"}});
  EXPECT_EQ(wire.size(), encoded_map_size({{":path", "/a"}, {"x", ""}, {"", "v"}, {"x", "2"}}));
  auto pairs = decode(wire);
  ASSERT_EQ(pairs.size(), 4u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{":path", "/a"}));
  EXPECT_EQ(pairs[1], (std::pair<std::string, std::string>{"x", ""}));
  EXPECT_EQ(pairs[2], (std::pair<std::string, std::string>{"", "v"}));
  EXPECT_EQ(pairs[3], (std::pair<std::string, std::string>{"x", "2"}));
}

TEST(MapCodec, EncodesTheSpecLayout) {
  std::string expected = u32(1) + u32(1) + u32(2) + std::string("k\0vv\0", 5);
  EXPECT_EQ(encode_map({{"k", "vv"}}), expected);
}

constexpr Header kConstant[] = {{":path", "/a"}, {"x", ""}, {"", "v"}};
constexpr Header kNoPath[] = {{":method", "GET"}, {":authority", "a"}};

TEST(MapCodec, AListEncodedAtCompileTimeIsTheRunTimeEncoding) {
  const EncodedHeaderBytes* wire = encoded<kConstant>.encoded();
  ASSERT_NE(wire, nullptr);
  EXPECT_EQ(std::string(wire->data, wire->size), encode_map(kConstant));
  // The span still lists the headers for whatever reads them one by one.
  EXPECT_EQ(encoded<kConstant>.size(), 3u);
  EXPECT_EQ(encoded<kConstant>.begin()->name, ":path");
  EXPECT_EQ(HeaderSpan(kConstant).encoded(), nullptr);
  // Whether a callout could send it is settled when compiling too.
  EXPECT_FALSE(wire->has_request_pseudo_headers);
  static_assert(!encoded<kNoPath>.encoded()->has_request_pseudo_headers);
}

TEST(MapCodec, EmptyInputAndZeroCountAreEmptyMaps) {
  Result<MapView> empty = MapView::parse("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  Result<MapView> zero = MapView::parse(u32(0));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->begin(), zero->end());
}

TEST(MapCodec, FindsTheFirstValueOfAName) {
  std::string wire = encode_map({{"a", "1"}, {"b", "2"}, {"a", "3"}});
  Result<MapView> view = MapView::parse(wire);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->find("a"), "1");
  EXPECT_EQ(view->find("b"), "2");
  EXPECT_FALSE(view->find("c").has_value());
}

TEST(MapCodec, RejectsEveryTruncation) {
  std::string wire = encode_map({{"key", "value"}, {"k2", "v2"}});
  for (size_t n = 1; n < wire.size(); ++n) {
    EXPECT_EQ(MapView::parse(std::string_view(wire.data(), n)).status(), StatusCode::ParseFailure)
        << "prefix of " << n << " bytes";
  }
}

TEST(MapCodec, RejectsCountLargerThanTheBuffer) {
  EXPECT_EQ(MapView::parse(u32(2) + u32(0) + u32(0) + std::string(2, '\0')).status(),
            StatusCode::ParseFailure);
  EXPECT_EQ(MapView::parse(u32(0xffffffff) + std::string(64, '\0')).status(),
            StatusCode::ParseFailure);
}

TEST(MapCodec, RejectsLengthsThatOverflowOrOverlap) {
  // A key length that would wrap 32-bit arithmetic.
  EXPECT_EQ(MapView::parse(u32(1) + u32(0xffffffff) + u32(1) + std::string("a\0b\0", 4)).status(),
            StatusCode::ParseFailure);
  // Lengths whose sum runs past the end (value overlaps the next pair's bytes).
  std::string two = u32(2) + u32(1) + u32(5) + u32(1) + u32(1) + std::string("a\0b\0c\0d\0", 8);
  EXPECT_EQ(MapView::parse(two).status(), StatusCode::ParseFailure);
}

TEST(MapCodec, RejectsMissingTerminatorsAndTrailingBytes) {
  EXPECT_EQ(MapView::parse(u32(1) + u32(1) + u32(1) + std::string("aXb\0", 4)).status(),
            StatusCode::ParseFailure);
  EXPECT_EQ(MapView::parse(encode_map({{"a", "b"}}) + "x").status(), StatusCode::ParseFailure);
  EXPECT_EQ(MapView::parse("ab").status(), StatusCode::ParseFailure);
}

// Random corruptions of valid encodings: parse either fails cleanly or yields pairs that lie
// inside the buffer (AddressSanitizer catches any read outside it).
TEST(MapCodec, SurvivesRandomCorruption) {
  std::mt19937 random(7);
  std::string valid = encode_map({{":authority", "example.com"}, {"x-a", "1"}, {"x-b", "22"}});
  for (int round = 0; round < 20000; ++round) {
    std::string wire = valid;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      wire[random() % wire.size()] = static_cast<char>(random());
    }
    if (random() % 4 == 0) wire.resize(random() % wire.size());
    std::vector<char> exact(wire.begin(), wire.end());  // heap copy: no slack to read into
    Result<MapView> view = MapView::parse(std::string_view(exact.data(), exact.size()));
    if (!view.ok()) continue;
    for (Header h : *view) {
      EXPECT_GE(h.name.data(), exact.data());
      EXPECT_LE(h.value.data() + h.value.size(), exact.data() + exact.size());
    }
  }
}

}  // namespace
}  // namespace coproxy
