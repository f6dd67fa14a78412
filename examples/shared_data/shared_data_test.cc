// shared_data on both backends: the shared counter numbers responses and the largest size only
// grows, as the host's shared data shows; another VM's write between the plugin's read and its
// write (made from the trace hook) forces a CAS retry; a writer that always wins fails it.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StatusCode;
using coproxy::testing::Pairs;

class SharedDataTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  // One request (with these headers) and its response; the response's headers.
  Pairs request(Pairs headers) {
    const uint32_t stream = emu().open_stream(root_);
    EXPECT_EQ(emu().send_request_headers(stream, std::move(headers), true), Action::Continue);
    EXPECT_EQ(emu().send_response_headers(stream, {{":status", "200"}}, true), Action::Continue);
    emu().end_stream(stream);
    return host().stream(stream).maps[2];
  }
  std::string shared(std::string_view key) {
    std::string value;
    uint32_t cas = 0;
    if (host().get_shared_data(key, &value, &cas) != StatusCode::Ok) return "<none>";
    return value;
  }
  // Another VM writes `key` right after each of the plugin's reads of it, `times` times.
  void race(std::string key, std::string value, int times) {
    host().enable_trace([this, key, value, times, seen = 0](std::string_view line) mutable {
      if (seen < times && line.find("proxy_get_shared_data(\"" + key + "\"") != line.npos) {
        ++seen;
        host().set_shared_data(key, value, 0);
      }
    });
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(SharedDataTest, "shared_data");

TEST_P(SharedDataTest, TheSharedCounterNumbersEveryResponse) {
  EXPECT_EQ(request({{":path", "/"}}), (Pairs{{":status", "200"}, {"x-request-number", "1"}}));
  EXPECT_EQ(request({{":path", "/"}}), (Pairs{{":status", "200"}, {"x-request-number", "2"}}));
  EXPECT_EQ(shared("shared_data_requests"), "2");
}

TEST_P(SharedDataTest, AnotherVmsCountIsPartOfTheSequence) {
  ASSERT_EQ(host().set_shared_data("shared_data_requests", "41", 0), StatusCode::Ok);
  EXPECT_EQ(request({{":path", "/"}}).back().second, "42");
}

TEST_P(SharedDataTest, AWriteInBetweenIsRetried) {
  request({{":path", "/"}});
  race("shared_data_requests", "10", 1);  // another VM counted to 10 after our read
  EXPECT_EQ(request({{":path", "/"}}).back().second, "11");  // not 2: the write was retried
  EXPECT_EQ(shared("shared_data_requests"), "11");
}

TEST_P(SharedDataTest, AWriterThatAlwaysWinsFailsTheCounter) {
  request({{":path", "/"}});
  race("shared_data_requests", "7", 1000);
  EXPECT_EQ(request({{":path", "/"}}), (Pairs{{":status", "200"}}));  // no number
  EXPECT_EQ(last_log_message(), "shared_data: the counter failed: CAS_MISMATCH");
  EXPECT_EQ(shared("shared_data_requests"), "7");
}

TEST_P(SharedDataTest, TheLargestSizeOnlyGrows) {
  EXPECT_EQ(shared("shared_data_largest"), "<none>");
  request({{":path", "/"}, {"content-length", "10"}});
  EXPECT_EQ(shared("shared_data_largest"), "10");
  uint32_t cas_before = 0;
  std::string value;
  host().get_shared_data("shared_data_largest", &value, &cas_before);
  request({{":path", "/"}, {"content-length", "3"}});  // smaller: not written at all
  uint32_t cas_after = 0;
  host().get_shared_data("shared_data_largest", &value, &cas_after);
  EXPECT_EQ(cas_after, cas_before);
  request({{":path", "/"}, {"content-length", "250"}});
  EXPECT_EQ(shared("shared_data_largest"), "250");
  request({{":path", "/"}, {"content-length", "many"}});  // not a number: ignored
  EXPECT_EQ(shared("shared_data_largest"), "250");
}

TEST_P(SharedDataTest, TheLargestSizeIsRetriedAgainstALargerWrite) {
  request({{":path", "/"}, {"content-length", "10"}});
  race("shared_data_largest", "500", 1);  // another VM saw 500 meanwhile
  request({{":path", "/"}, {"content-length", "100"}});
  EXPECT_EQ(shared("shared_data_largest"), "500");  // the retry saw 500 and left it
}

}  // namespace
