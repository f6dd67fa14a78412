// connect_request_response on both backends: a request's tag in shared data is read back by
// its own response (header and log lines per chunk), two interleaved requests keep their own
// tags (the Go SDK example's one shared key would mix them up), the key emptied at the end, a
// request without x-request-id, a tag gone from shared data.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::StatusCode;
using coproxy::testing::Pairs;

class ConnectRequestResponseTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  uint32_t request(const std::string& id) {
    const uint32_t s = emu().open_stream(root_);
    Pairs headers = {{":path", "/"}};
    if (!id.empty()) headers.push_back({"x-request-id", id});
    emu().send_request_headers(s, headers, true);
    return s;
  }
  std::string shared(const std::string& key) {
    std::string value;
    uint32_t cas = 0;
    EXPECT_EQ(host().get_shared_data(key, &value, &cas), StatusCode::Ok) << key;
    return value;
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(ConnectRequestResponseTest, "connect_request_response");

TEST_P(ConnectRequestResponseTest, TheResponseReadsBackItsRequestsTag) {
  const uint32_t s = request("req-a");
  EXPECT_EQ(shared("connect_request_response:req-a"), "1");
  emu().send_response_headers(s, {{":status", "200"}});
  EXPECT_EQ(host().stream(s).maps[2], (Pairs{{":status", "200"}, {"x-request-tag", "1"}}));
  emu().send_response_body(s, "{\"code\":", false);
  emu().send_response_body(s, "200}", true);
  EXPECT_EQ(host().stream(s).response.forwarded, "{\"code\":200}");
  EXPECT_EQ(log_messages(), (std::vector<std::string>{"request req-a tagged 1",
                                              "response for tag 1, end false: {\"code\":",
                                              "response for tag 1, end true: 200}"}));
  emu().end_stream(s);
  EXPECT_EQ(shared("connect_request_response:req-a"), "");
}

TEST_P(ConnectRequestResponseTest, InterleavedRequestsKeepTheirOwnTags) {
  const uint32_t a = request("req-a");
  const uint32_t b = request("req-b");  // the Go example's one key would now hold b's value
  emu().send_response_headers(a, {{":status", "200"}});
  emu().send_response_headers(b, {{":status", "200"}});
  EXPECT_EQ(host().stream(a).maps[2].back().second, "1");
  EXPECT_EQ(host().stream(b).maps[2].back().second, "2");
  EXPECT_EQ(shared("connect_request_response_tags"), "2");
}

TEST_P(ConnectRequestResponseTest, ARequestWithoutAnIdIsNotTagged) {
  const uint32_t s = request("");
  EXPECT_EQ(log_messages().back(), "request without x-request-id: not tagged");
  emu().send_response_headers(s, {{":status", "200"}});
  EXPECT_EQ(host().stream(s).maps[2], (Pairs{{":status", "200"}}));
  emu().send_response_body(s, "ok", true);
  EXPECT_EQ(log_messages().back(), "response for tag none, end true: ok");
}

TEST_P(ConnectRequestResponseTest, ATagGoneFromSharedData) {
  const uint32_t s = request("req-a");
  ASSERT_EQ(host().set_shared_data("connect_request_response:req-a", "", 0), StatusCode::Ok);
  emu().send_response_headers(s, {{":status", "200"}});
  EXPECT_EQ(host().stream(s).maps[2], (Pairs{{":status", "200"}}));
  emu().send_response_body(s, "ok", true);
  EXPECT_EQ(log_messages().back(), "response for tag none, end true: ok");
}

}  // namespace
