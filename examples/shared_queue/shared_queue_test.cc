// shared_queue on both backends: the sender enqueues every path to the queue it resolves by VM
// id and name (none yet: the request goes on, nothing is sent); the receiver's background task
// takes and counts each message, waits again on a signal that finds the queue empty, and stops
// with its plugin; a bad configuration of either is refused with the operator's message; and
// both together, the sender's queue carried to the receiver's VM.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::StatusCode;
using coproxy::testing::Emulator;
using coproxy::testing::Host;
using coproxy::testing::LogEntry;
using coproxy::testing::PluginUnderTest;
using Logs = std::vector<std::string>;

Logs messages(const Host& host) {
  Logs all;
  for (const LogEntry& entry : host.logs()) all.push_back(entry.message);
  return all;
}

void request(Emulator& emu, uint32_t root, const std::string& path) {
  const uint32_t stream = emu.open_stream(root);
  EXPECT_EQ(emu.send_request_headers(stream, {{":path", path}}, true), Action::Continue);
  emu.end_stream(stream);
}

const std::string kConfig =
    R"({"vm_id": ")" + std::string(Host::kVmId) + R"(", "queue": "http_paths"})";

class SenderTest : public coproxy::testing::PluginTest {};
COPROXY_PLUGIN_TEST_SUITE(SenderTest, "shared_queue");

TEST_P(SenderTest, EveryPathGoesOnTheQueue) {
  uint32_t queue = 0;
  ASSERT_EQ(host().register_shared_queue("http_paths", &queue), StatusCode::Ok);  // the receiver
  const uint32_t root = emu().start_plugin(kConfig);
  request(emu(), root, "/one");
  request(emu(), root, "/two");
  EXPECT_EQ(host().queue_contents(queue), (std::vector<std::string>{"/one", "/two"}));
  EXPECT_EQ(host().metric_value("shared_queue_sent_total"), 2u);
}

TEST_P(SenderTest, NoQueueYetTheRequestGoesOnUnsent) {
  const uint32_t root = emu().start_plugin(kConfig);
  request(emu(), root, "/early");
  EXPECT_EQ(messages(host()), Logs{"shared_queue: no queue yet (NOT_FOUND)"});
  uint32_t queue = 0;
  ASSERT_EQ(host().register_shared_queue("http_paths", &queue), StatusCode::Ok);
  request(emu(), root, "/later");  // found now
  EXPECT_EQ(host().queue_contents(queue), std::vector<std::string>{"/later"});
  EXPECT_EQ(host().metric_value("shared_queue_sent_total"), 1u);
}

TEST_P(SenderTest, AnotherVmsQueueIsNotOurs) {
  uint32_t queue = 0;
  ASSERT_EQ(host().register_shared_queue("http_paths", &queue), StatusCode::Ok);
  const uint32_t root = emu().start_plugin(R"({"vm_id": "other-vm"})");
  request(emu(), root, "/x");
  EXPECT_TRUE(host().queue_contents(queue).empty());
  EXPECT_EQ(messages(host()), Logs{"shared_queue: no queue yet (NOT_FOUND)"});
}

TEST_P(SenderTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {"", "invalid plugin configuration: $: required, the configuration is empty"},
      {R"({"queue": "http_paths"})", "invalid plugin configuration: $.vm_id: required, missing"},
      {R"({"vm_id": "receiver", "queue": ""})",
       "invalid plugin configuration: $.queue: must name a queue"},
      {R"({"vm_id": 7})",
       "invalid plugin configuration: $.vm_id: expected a string, got the number 7"},
      {R"({"vm_id": "receiver", "queue_name": "http_paths"})",
       "invalid plugin configuration: $.queue_name: unknown field (known: vm_id, queue)"},
      {"receiver http_paths",
       "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

class ReceiverTest : public coproxy::testing::PluginTest {
 protected:
  uint32_t queue(const std::string& name) {
    uint32_t id = 0;
    EXPECT_EQ(host().resolve_shared_queue(Host::kVmId, name, &id), StatusCode::Ok);
    return id;
  }
};
COPROXY_PLUGIN_TEST_SUITE(ReceiverTest, "shared_queue_receiver");

TEST_P(ReceiverTest, TakesAndCountsEveryMessage) {
  emu().start_plugin();  // the default queue
  const uint32_t id = queue("http_paths");
  host().enqueue_shared_queue(id, "/a");
  host().enqueue_shared_queue(id, "/b");
  emu().deliver_queue_ready();
  host().enqueue_shared_queue(id, "/c");
  emu().deliver_queue_ready();
  EXPECT_EQ(messages(host()), (Logs{"shared_queue_receiver: /a", "shared_queue_receiver: /b",
                                    "shared_queue_receiver: /c"}));
  EXPECT_EQ(host().metric_value("shared_queue_received_total"), 3u);
  EXPECT_TRUE(host().queue_contents(id).empty());
}

TEST_P(ReceiverTest, ASignalThatFindsTheQueueEmptyWaitsForTheNext) {
  emu().start_plugin(R"({"queue": "jobs"})");
  const uint32_t id = queue("jobs");
  host().enqueue_shared_queue(id, "/taken");
  std::string taken;
  ASSERT_EQ(host().dequeue_shared_queue(id, &taken), StatusCode::Ok);  // another VM was first
  emu().deliver_queue_ready();
  EXPECT_TRUE(messages(host()).empty());
  host().enqueue_shared_queue(id, "/mine");
  emu().deliver_queue_ready();
  EXPECT_EQ(messages(host()), Logs{"shared_queue_receiver: /mine"});
}

TEST_P(ReceiverTest, NothingIsTakenOnceThePluginIsGone) {
  const uint32_t root = emu().start_plugin();
  const uint32_t id = queue("http_paths");
  EXPECT_TRUE(emu().stop_plugin(root));
  emu().delete_context(root);
  host().enqueue_shared_queue(id, "/left");
  emu().deliver_queue_ready();
  EXPECT_EQ(host().queue_contents(id), std::vector<std::string>{"/left"});
  EXPECT_EQ(host().metric_value("shared_queue_received_total"), 0u);
}

TEST_P(ReceiverTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"queue": ""})", "invalid plugin configuration: $.queue: must name a queue"},
      {R"({"queue": ["jobs"]})",
       "invalid plugin configuration: $.queue: expected a string, got an array"},
      {R"({"name": "jobs"})", "invalid plugin configuration: $.name: unknown field (known: queue)"},
      {"jobs", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

// Both plugins: the sender's emulator (this test's) and the receiver's, each with its own
// host; what the sender enqueued is carried to the receiver's queue, as Envoy's shared queue
// carries it between VMs.
TEST_P(SenderTest, TheReceiverCountsWhatTheSenderSent) {
  Emulator receiver(
      coproxy::testing::loader_for(PluginUnderTest{GetParam().backend, "shared_queue_receiver"}));
  ASSERT_TRUE(receiver.loaded());
  ASSERT_NE(receiver.start_plugin(R"({"queue": "http_paths"})"), 0u);
  uint32_t to = 0;
  ASSERT_EQ(receiver.host().resolve_shared_queue(Host::kVmId, "http_paths", &to), StatusCode::Ok);
  uint32_t from = 0;
  ASSERT_EQ(host().register_shared_queue("http_paths", &from), StatusCode::Ok);
  const uint32_t root = emu().start_plugin(kConfig);
  for (const char* path : {"/x", "/y"}) request(emu(), root, path);
  std::string message;
  while (host().dequeue_shared_queue(from, &message) == StatusCode::Ok) {
    receiver.host().enqueue_shared_queue(to, message);
  }
  receiver.deliver_queue_ready();
  EXPECT_EQ(messages(receiver.host()),
            (Logs{"shared_queue_receiver: /x", "shared_queue_receiver: /y"}));
  EXPECT_EQ(receiver.host().metric_value("shared_queue_received_total"), 2u);
  EXPECT_FALSE(receiver.failed());
  EXPECT_TRUE(receiver.host().illegal_calls().empty());
}

}  // namespace
