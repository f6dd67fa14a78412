// http_routing on both backends: each user routed by the hash of its header (the same side
// every time), the canary share over many users, 0% and 100%, another header, a client's own
// x-route-to overwritten, requests without the header, and bad configurations refused.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

class HttpRoutingTest : public coproxy::testing::PluginTest {
 protected:
  // Where a request with `headers` goes: the x-route-to the plugin set.
  std::string route(uint32_t root, Pairs headers) {
    const uint32_t stream = emu().open_stream(root);
    EXPECT_EQ(emu().send_request_headers(stream, std::move(headers), true), Action::Continue);
    std::string to;
    for (const auto& [name, value] : host().stream(stream).maps[0]) {
      if (name == "x-route-to") to += (to.empty() ? "" : ",") + value;
    }
    return to;
  }
  std::string user(uint32_t root, const std::string& id) {
    return route(root, {{":path", "/"}, {"x-user-id", id}});
  }
};
COPROXY_PLUGIN_TEST_SUITE(HttpRoutingTest, "http_routing");

TEST_P(HttpRoutingTest, EachUserIsRoutedByTheHashOfItsId) {
  const uint32_t root = emu().start_plugin(R"({"canary": 30})");
  // FNV-1a mod 100: erin 25, grace 27, ivan 21 (below 30); ada 63, bob 44.
  EXPECT_EQ(user(root, "erin"), "canary");
  EXPECT_EQ(user(root, "grace"), "canary");
  EXPECT_EQ(user(root, "ivan"), "canary");
  EXPECT_EQ(user(root, "ada"), "primary");
  EXPECT_EQ(user(root, "bob"), "primary");
  EXPECT_EQ(user(root, "erin"), "canary");  // the same side every time
  EXPECT_EQ(host().metric_value("http_routing_route=canary"), 4u);
  EXPECT_EQ(host().metric_value("http_routing_route=primary"), 2u);
}

TEST_P(HttpRoutingTest, TheCanaryGetsItsShareOfUsers) {
  const uint32_t root = emu().start_plugin(R"({"canary": 10})");
  // 200 users (the fault sweep reruns this test once for each of its host calls).
  for (int i = 0; i < 200; ++i) user(root, "user-" + std::to_string(i));
  EXPECT_EQ(host().metric_value("http_routing_route=canary"), 21u);
  EXPECT_EQ(host().metric_value("http_routing_route=primary"), 179u);
}

TEST_P(HttpRoutingTest, NoneOrAll) {
  const uint32_t none = emu().start_plugin(R"({"canary": 0})");
  const uint32_t all = emu().start_plugin(R"({"canary": 100})");
  for (const char* id : {"ada", "bob", "judy", ""}) {
    EXPECT_EQ(user(none, id), "primary") << id;
    EXPECT_EQ(user(all, id), "canary") << id;
  }
}

TEST_P(HttpRoutingTest, WithoutTheHeaderPrimary) {
  EXPECT_EQ(route(emu().start_plugin(R"({"canary": 100})"), {{":path", "/"}}), "primary");
}

TEST_P(HttpRoutingTest, AnotherHeader) {
  const uint32_t root = emu().start_plugin(R"({"header": "x-session", "canary": 30})");
  EXPECT_EQ(route(root, {{"x-user-id", "ada"}, {"x-session", "erin"}}), "canary");
  EXPECT_EQ(route(root, {{"x-user-id", "erin"}}), "primary");
}

TEST_P(HttpRoutingTest, AClientCannotPickItsRoute) {
  const uint32_t root = emu().start_plugin(R"({"canary": 30})");
  EXPECT_EQ(route(root, {{"x-user-id", "ada"}, {"x-route-to", "canary"}}), "primary");
}

TEST_P(HttpRoutingTest, BadConfigurationsAreRefusedWithTheOperatorsMessage) {
  expect_refused({
      {"", "invalid plugin configuration: $: required, the configuration is empty"},
      {R"({"header": "x-session"})", "invalid plugin configuration: $.canary: required, missing"},
      {R"({"canary": 101})",
       "invalid plugin configuration: $.canary: must be a percentage, 0 to 100"},
      {R"({"canary": "30"})",
       "invalid plugin configuration: $.canary: expected an integer, got the string \"30\""},
      {R"({"canary": 30, "header": ""})",
       "invalid plugin configuration: $.header: must name a header"},
      {R"({"canary": 10, "weight": 3})",
       "invalid plugin configuration: $.weight: unknown field (known: canary, header)"},
      {"canary=30", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
