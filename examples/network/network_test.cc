// network on both backends: bytes counted both ways and across connections, data flowing
// untouched, the open-connections gauge, and the log line when a connection is over (who
// closed first, or neither: the proxy ended it).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;

class NetworkTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(); }
  uint32_t connect() {
    const uint32_t c = emu().open_stream(root_);
    EXPECT_EQ(emu().new_connection(c), Action::Continue);
    return c;
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(NetworkTest, "network");

TEST_P(NetworkTest, CountsBothWaysAndLogsOnClose) {
  const uint32_t c = connect();
  EXPECT_EQ(host().metric_value("network_connections_open"), 1u);
  EXPECT_EQ(emu().send_downstream_data(c, "GET / HTTP/1.0\r\n", false), Action::Continue);
  EXPECT_EQ(emu().send_downstream_data(c, "\r\n", false), Action::Continue);
  EXPECT_EQ(emu().send_upstream_data(c, "HTTP/1.0 200 OK\r\n\r\nhi", true), Action::Continue);
  EXPECT_EQ(host().stream(c).request.forwarded, "GET / HTTP/1.0\r\n\r\n");  // untouched
  EXPECT_EQ(host().stream(c).response.forwarded, "HTTP/1.0 200 OK\r\n\r\nhi");
  EXPECT_EQ(host().metric_value("network_downstream_bytes_total"), 18u);
  EXPECT_EQ(host().metric_value("network_upstream_bytes_total"), 21u);
  // Envoy closed the upstream side after its end of stream; the client's close ends the
  // connection (proxy_on_done, _log, _delete), when the log line is written.
  EXPECT_TRUE(host().logs().empty());
  emu().close_downstream(c);
  ASSERT_EQ(host().logs().size(), 1u);
  EXPECT_EQ(host().logs()[0].message,
            "connection closed by the server: 18 bytes from the client, 21 from the server");
  EXPECT_EQ(host().metric_value("network_connections_open"), 0u);
}

TEST_P(NetworkTest, CountersAddUpAcrossConnections) {
  const uint32_t a = connect();
  const uint32_t b = connect();
  EXPECT_EQ(host().metric_value("network_connections_open"), 2u);
  emu().send_downstream_data(a, "12345", false);
  emu().send_downstream_data(b, "678", false);
  emu().send_upstream_data(b, "ok", false);
  emu().close_downstream(b);
  emu().end_stream(b);
  EXPECT_EQ(last_log_message(),
            "connection closed by the client: 3 bytes from the client, 2 from the server");
  EXPECT_EQ(host().metric_value("network_downstream_bytes_total"), 8u);
  EXPECT_EQ(host().metric_value("network_upstream_bytes_total"), 2u);
  EXPECT_EQ(host().metric_value("network_connections_open"), 1u);
  emu().end_stream(a);  // no peer closed: the proxy ended it
  EXPECT_EQ(last_log_message(),
            "connection closed by the proxy: 5 bytes from the client, 0 from the server");
}

TEST_P(NetworkTest, AConnectionWithoutDataDefinesNoByteCounters) {
  const uint32_t c = connect();
  emu().close_downstream(c);
  emu().end_stream(c);
  EXPECT_EQ(last_log_message(),
            "connection closed by the client: 0 bytes from the client, 0 from the server");
  EXPECT_EQ(host().metric_value("network_downstream_bytes_total"), 0u);
}

}  // namespace
