// tcp_line_gate on both backends: a known token lets the connection through without its AUTH
// line (the line in one piece or in many, with more bytes behind it), and an unknown token, a
// line too long, a line that never comes in time, a client that closes first each close the
// connection with nothing passed on; the configuration's bad forms are refused.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StreamType;

constexpr const char* kConfig =
    R"({"tokens": ["s3cret", "other"], "max_line": 32, "timeout": "2s"})";

class TcpLineGateTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(kConfig); }
  uint32_t connect() {
    const uint32_t c = emu().open_stream(root_);
    EXPECT_EQ(emu().new_connection(c), Action::Continue);
    return c;
  }
  const coproxy::testing::StreamState& stream(uint32_t c) { return host().stream(c); }
  // The connection was closed by the plugin, and none of its client's bytes went on.
  void expect_closed(uint32_t c, const std::string& why) {
    EXPECT_EQ(stream(c).closed, std::vector<StreamType>{StreamType::Downstream});
    EXPECT_EQ(stream(c).request.forwarded, "");
    EXPECT_EQ(last_log_message(),
              "tcp_line_gate: connection " + std::to_string(c) + " refused: " + why);
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(TcpLineGateTest, "tcp_line_gate");

TEST_P(TcpLineGateTest, AKnownTokenLetsTheRestThroughWithoutTheLine) {
  const uint32_t c = connect();
  EXPECT_EQ(emu().send_downstream_data(c, "AUTH s3cret\r\nhello\n", false), Action::Continue);
  EXPECT_EQ(stream(c).request.forwarded, "hello\n");
  EXPECT_EQ(emu().send_downstream_data(c, "more", false), Action::Continue);  // flows now
  EXPECT_EQ(emu().send_upstream_data(c, "hi", false), Action::Continue);      // never held
  EXPECT_EQ(stream(c).request.forwarded, "hello\nmore");
  EXPECT_EQ(stream(c).response.forwarded, "hi");
  EXPECT_TRUE(stream(c).closed.empty());
  EXPECT_EQ(host().metric_value("tcp_line_gate_admitted_total"), 1u);
}

TEST_P(TcpLineGateTest, ALineInPiecesIsHeldUntilItIsWhole) {
  const uint32_t c = connect();
  EXPECT_EQ(emu().send_downstream_data(c, "AU", false), Action::Pause);
  EXPECT_EQ(emu().send_downstream_data(c, "TH oth", false), Action::Pause);
  EXPECT_EQ(emu().send_downstream_data(c, "er\r", false), Action::Pause);
  EXPECT_EQ(stream(c).request.forwarded, "");
  EXPECT_EQ(emu().send_downstream_data(c, "\nping", false), Action::Continue);  // bare \n ok too
  EXPECT_EQ(stream(c).request.forwarded, "ping");
  EXPECT_EQ(host().metric_value("tcp_line_gate_admitted_total"), 1u);
}

TEST_P(TcpLineGateTest, AnUnknownTokenOrCommandClosesTheConnection) {
  for (const char* line : {"AUTH wrong\n", "AUTH\n", "HELLO s3cret\n", "\r\n", "AUTHs3cret\n"}) {
    const uint32_t c = connect();
    emu().send_downstream_data(c, line, false);
    expect_closed(c, "unknown token");
  }
  EXPECT_EQ(host().metric_value("tcp_line_gate_refused_total"), 5u);
  EXPECT_EQ(host().metric_value("tcp_line_gate_admitted_total"), 0u);
}

TEST_P(TcpLineGateTest, ALineLongerThanTheLimitClosesTheConnection) {
  const uint32_t c = connect();  // 32 bytes at most, line end excluded
  EXPECT_EQ(emu().send_downstream_data(c, std::string(30, 'A'), false), Action::Pause);
  emu().send_downstream_data(c, std::string(3, 'A'), false);
  expect_closed(c, "first line too long");
  const uint32_t exact = connect();  // 32 bytes and its line end: read, then judged
  emu().send_downstream_data(exact, "AUTH " + std::string(27, 'x') + "\n", false);
  expect_closed(exact, "unknown token");
}

TEST_P(TcpLineGateTest, ALineThatDoesNotComeInTimeClosesTheConnection) {
  const uint32_t c = connect();
  EXPECT_EQ(emu().send_downstream_data(c, "AUTH s3", false), Action::Pause);
  emu().advance(1999);
  EXPECT_TRUE(stream(c).closed.empty());
  emu().advance(1);
  expect_closed(c, "no first line in time");
}

TEST_P(TcpLineGateTest, AClientThatEndsBeforeItsLineIsClosed) {
  const uint32_t c = connect();
  emu().send_downstream_data(c, "AUTH s3cret", true);  // end of stream, no line end
  expect_closed(c, "closed before a first line");
}

TEST_P(TcpLineGateTest, AConfigurationThatDoesNotFitIsRefusedWithTheReason) {
  expect_refused({
      {"", "invalid plugin configuration: $: required, the configuration is empty"},
      {R"({"tokens": []})",
       "invalid plugin configuration: $.tokens: must name at least one token"},
      {R"({"tokens": ["a"], "max_line": 0})",
       "invalid plugin configuration: $.max_line: must be at least 1"},
      {R"({"tokens": "a"})",
       "invalid plugin configuration: $.tokens: expected an array, got the string \"a\""},
  });
}

}  // namespace
