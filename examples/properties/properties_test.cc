// properties on both backends: clients on the allow-list go on, others get a 403, with the
// path and address read from the host's properties and logged; IPv6 addresses; a request
// with no source.address is denied; an empty allow-list is refused.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;

class PropertiesTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin("10.0.0.1  ::1 192.168.1.7"); }
  // A request from `address` for `path`: what the plugin answered.
  uint32_t request(const std::string& address, const std::string& path) {
    if (!address.empty()) host().put_property({"source", "address"}, address);
    host().put_property({"request", "path"}, path);
    const uint32_t stream = emu().open_stream(root_);
    last_ = emu().send_request_headers(stream, {{":path", path}}, true);
    return stream;
  }
  void expect_denied(uint32_t stream) {
    EXPECT_EQ(last_, Action::Pause);
    ASSERT_TRUE(host().stream(stream).local_response.has_value());
    EXPECT_EQ(host().stream(stream).local_response->status_code, 403u);
    EXPECT_EQ(host().stream(stream).local_response->body, "forbidden\n");
  }
  std::string last_log() { return host().logs().back().message; }
  uint32_t root_ = 0;
  coproxy::testing::Emulator::Delivery last_;
};
COPROXY_PLUGIN_TEST_SUITE(PropertiesTest, "properties");

TEST_P(PropertiesTest, AnAllowedClientGoesOn) {
  const uint32_t stream = request("10.0.0.1:51000", "/orders");
  EXPECT_EQ(last_, Action::Continue);
  EXPECT_FALSE(host().stream(stream).local_response.has_value());
  EXPECT_EQ(last_log(), "properties: /orders from 10.0.0.1:51000 allowed");
  request("192.168.1.7:80", "/");
  EXPECT_EQ(last_, Action::Continue);
}

TEST_P(PropertiesTest, AnyOtherClientGets403) {
  expect_denied(request("10.0.0.2:51000", "/orders"));
  EXPECT_EQ(last_log(), "properties: /orders from 10.0.0.2:51000 denied");
  expect_denied(request("10.0.0.10:51000", "/"));  // a prefix of no entry is no match
}

TEST_P(PropertiesTest, IPv6Addresses) {
  request("[::1]:443", "/v6");
  EXPECT_EQ(last_, Action::Continue);
  expect_denied(request("[::2]:443", "/v6"));
}

TEST_P(PropertiesTest, NoSourceAddressIsDenied) {
  expect_denied(request("", "/"));
  EXPECT_EQ(last_log(), "properties: no source.address (NOT_FOUND): denied");
}

TEST_P(PropertiesTest, AnEmptyAllowListIsRefused) {
  reset_emulator();
  EXPECT_EQ(emu().start_plugin("   "), 0u);
  EXPECT_EQ(last_log(), "properties: the configuration must list the allowed client IPs");
}

}  // namespace
