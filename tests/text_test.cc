// coproxy/text.h: trim, before, equals_ignore_case, split (every part) and split_list (HTTP's
// list syntax: trimmed, empty parts skipped), at compile time and at run time.
#include "coproxy/text.h"

#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace coproxy {
namespace {

using Parts = std::vector<std::string_view>;

template <class Range>
Parts parts(Range range) {
  Parts out;
  for (std::string_view part : range) out.push_back(part);
  return out;
}

static_assert(trim("  a b\t") == "a b");
static_assert(before("application/json; charset=utf-8", ';') == "application/json");
static_assert(equals_ignore_case("Application/JSON", "application/json"));

TEST(Text, Trim) {
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim("x"), "x");
  EXPECT_EQ(trim("\t x y \t"), "x y");
  EXPECT_EQ(trim("\nx\n"), "\nx\n");  // only spaces and tabs: a line break is not whitespace here
}

TEST(Text, BeforeAndCase) {
  EXPECT_EQ(before("a;b;c", ';'), "a");
  EXPECT_EQ(before("abc", ';'), "abc");
  EXPECT_EQ(before(";", ';'), "");
  EXPECT_TRUE(equals_ignore_case("", ""));
  EXPECT_TRUE(equals_ignore_case("X-Request-ID", "x-request-id"));
  EXPECT_FALSE(equals_ignore_case("application/jsonx", "application/json"));
  EXPECT_FALSE(equals_ignore_case("[", "{"));  // '[' + 32 is '{': only letters fold
}

TEST(Text, SplitKeepsEveryPart) {
  EXPECT_EQ(parts(split("a,b,c", ',')), (Parts{"a", "b", "c"}));
  EXPECT_EQ(parts(split("a,,b,", ',')), (Parts{"a", "", "b", ""}));
  EXPECT_EQ(parts(split("", ',')), (Parts{""}));
  EXPECT_EQ(parts(split(" a ; b ", ';')), (Parts{" a ", " b "}));
}

TEST(Text, SplitListAsHttpWritesLists) {
  EXPECT_EQ(parts(split_list(" gzip, br ,,deflate ")), (Parts{"gzip", "br", "deflate"}));
  EXPECT_EQ(parts(split_list("")), Parts{});
  EXPECT_EQ(parts(split_list(" , ,\t")), Parts{});
  EXPECT_EQ(parts(split_list("one")), Parts{"one"});
  EXPECT_EQ(parts(split_list("a | b", '|')), (Parts{"a", "b"}));
}

TEST(Text, TheRangeIsAForwardRange) {
  const SplitRange range = split_list("x, y");
  auto it = range.begin();
  auto copy = it++;
  EXPECT_EQ(*copy, "x");
  EXPECT_EQ(*it, "y");
  EXPECT_NE(it, range.end());
  EXPECT_EQ(++it, range.end());
  EXPECT_EQ(std::distance(range.begin(), range.end()), 2);
}

}  // namespace
}  // namespace coproxy
