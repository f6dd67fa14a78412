// properties on both backends: clients on the allow-list go on, others get a 403, with the
// path and address read from the host's properties and logged; IPv6 addresses; a request
// with no source.address is denied; each stream has its own address; an empty or bad allow-list is refused with the operator's
// message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;

class PropertiesTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"allowed": ["10.0.0.1", "::1", "192.168.1.7"]})"); }
  // A request from `address` ("": none) for `path`: what the plugin answered. The stream's
  // request.path is its own :path, as Envoy derives it.
  uint32_t request(const std::string& address, const std::string& path) {
    const uint32_t stream = emu().open_stream(root_);
    host().stream_facts(stream).source_address = address;
    last_ = emu().send_request_headers(stream, {{":path", path}}, true);
    return stream;
  }
  void expect_denied(uint32_t stream) {
    EXPECT_EQ(last_, Action::Pause);
    ASSERT_TRUE(host().stream(stream).local_response.has_value());
    EXPECT_EQ(host().stream(stream).local_response->status_code, 403u);
    EXPECT_EQ(host().stream(stream).local_response->body, "forbidden\n");
  }
  uint32_t root_ = 0;
  coproxy::testing::Emulator::Delivery last_;
};
COPROXY_PLUGIN_TEST_SUITE(PropertiesTest, "properties");

TEST_P(PropertiesTest, AnAllowedClientGoesOn) {
  const uint32_t stream = request("10.0.0.1:51000", "/orders");
  EXPECT_EQ(last_, Action::Continue);
  EXPECT_FALSE(host().stream(stream).local_response.has_value());
  EXPECT_EQ(last_log_message(), "properties: /orders from 10.0.0.1:51000 allowed");
  request("192.168.1.7:80", "/");
  EXPECT_EQ(last_, Action::Continue);
}

TEST_P(PropertiesTest, AnyOtherClientGets403) {
  expect_denied(request("10.0.0.2:51000", "/orders"));
  EXPECT_EQ(last_log_message(), "properties: /orders from 10.0.0.2:51000 denied");
  expect_denied(request("10.0.0.10:51000", "/"));  // a prefix of no entry is no match
}

TEST_P(PropertiesTest, IPv6Addresses) {
  request("[::1]:443", "/v6");
  EXPECT_EQ(last_, Action::Continue);
  expect_denied(request("[::2]:443", "/v6"));
}

TEST_P(PropertiesTest, EachStreamHasItsOwnClient) {
  const uint32_t denied = emu().open_stream(root_);
  const uint32_t allowed = emu().open_stream(root_);
  host().stream_facts(denied).source_address = "10.0.0.9:4000";
  host().stream_facts(allowed).source_address = "[::1]:4001";
  EXPECT_EQ(emu().send_request_headers(allowed, {{":path", "/a?x=1"}}, true), Action::Continue);
  EXPECT_EQ(last_log_message(), "properties: /a?x=1 from [::1]:4001 allowed");
  EXPECT_EQ(emu().send_request_headers(denied, {{":path", "/b"}}, true), Action::Pause);
  EXPECT_EQ(last_log_message(), "properties: /b from 10.0.0.9:4000 denied");
}

TEST_P(PropertiesTest, NoSourceAddressIsDenied) {
  expect_denied(request("", "/"));
  EXPECT_EQ(last_log_message(), "properties: no source.address (NOT_FOUND): denied");
}

TEST_P(PropertiesTest, ABadAllowListIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {"   ", "invalid plugin configuration: $: required, the configuration is empty"},
      {R"({"allowed": []})",
       "invalid plugin configuration: $.allowed: must list at least one client IP"},
      {R"({"allowed": "10.0.0.1"})",
       "invalid plugin configuration: $.allowed: expected an array, got the string \"10.0.0.1\""},
      {R"({"allow": ["10.0.0.1"]})", "invalid plugin configuration: $.allowed: required, missing"},
      {R"({"allowed": ["10.0.0.1"], "denied": ["10.0.0.2"]})",
       "invalid plugin configuration: $.denied: unknown field (known: allowed)"},
      {"10.0.0.1 ::1",
       "invalid plugin configuration: $: not JSON: line 1, column 5: The document root must not "
       "be followed by other values."},
  });
}

}  // namespace
