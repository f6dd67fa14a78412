// The same auth filter written three ways, each on both backends: one test, six runs each.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace coproxy::testing {
namespace {

class AuthThreeWays : public PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  uint32_t request(Pairs headers) {
    const uint32_t stream = emu().open_stream(root_);
    last_ = emu().send_request_headers(stream, std::move(headers));
    return stream;
  }
  uint32_t root_ = 0;
  Emulator::Delivery last_;
};

std::vector<PluginUnderTest> every_way() {
  std::vector<PluginUnderTest> all;
  for (const char* plugin : {"auth_callbacks", "auth_tasks", "auth_stream"}) {
    for (const PluginUnderTest& param : both_backends(plugin)) all.push_back(param);
  }
  return all;
}
INSTANTIATE_TEST_SUITE_P(Ways, AuthThreeWays, ::testing::ValuesIn(every_way()),
                         plugin_and_backend_name);

TEST_P(AuthThreeWays, Allowed) {
  const uint32_t s = request({{":path", "/a"}, {"authorization", "Bearer t"}});
  EXPECT_EQ(last_, Action::Pause);
  EXPECT_EQ(host().http_callouts().back().headers.back(), (std::pair<std::string, std::string>{
                                                              "authorization", "Bearer t"}));
  EXPECT_EQ(emu().send_request_body(s, "payload", true), std::nullopt);  // held by the host
  emu().answer_http_call(host().http_callouts().back().token,
                         {{":status", "200"}, {"x-user", "ada"}});
  EXPECT_EQ(host().stream(s).maps[0].back(), (std::pair<std::string, std::string>{"x-user", "ada"}));
  EXPECT_EQ(host().stream(s).continued, std::vector<StreamType>{StreamType::HttpRequest});
  EXPECT_EQ(host().stream(s).request.forwarded, "payload");
}

TEST_P(AuthThreeWays, DeniedFailedOrGone) {
  const uint32_t denied = request({{":path", "/"}});
  emu().answer_http_call(host().http_callouts().back().token, {{":status", "401"}});
  const uint32_t failed = request({{":path", "/"}});
  emu().fail_http_call(host().http_callouts().back().token);
  for (uint32_t s : {denied, failed}) {
    ASSERT_TRUE(host().stream(s).local_response.has_value());
    EXPECT_EQ(host().stream(s).local_response->status_code, 403u);
    EXPECT_TRUE(host().stream(s).continued.empty());
  }
  const uint32_t gone = request({{":path", "/"}});
  const uint32_t token = host().http_callouts().back().token;
  emu().end_stream(gone);
  emu().answer_http_call(token, {{":status", "200"}, {"x-user", "late"}});
  EXPECT_TRUE(host().stream(gone).continued.empty());
}

}  // namespace
}  // namespace coproxy::testing
