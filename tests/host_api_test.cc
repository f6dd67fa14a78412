// The typed host API against the emulator's Host: each group marshals its arguments and
// results through the real native import bindings.
#include <array>
#include <chrono>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "coproxy/abi/imports.h"
#include "coproxy/coproxy.h"
#include "gtest/gtest.h"
#include "testing/host.h"
#include "testing/native_plugin.h"

namespace coproxy {
namespace {

using testing::Host;
using testing::Pairs;

constexpr uint32_t kStream = 2;

class HostApiTest : public ::testing::Test {
 protected:
  HostApiTest() : scope_(host_) {
    host_.add_context(1);
    host_.add_context(kStream, 1);
    host_.act_as(kStream);
  }
  Host host_;
  testing::ActiveHostScope scope_;
};

TEST(HttpStatus, ThreeDigitsOrNothing) {
  EXPECT_EQ(parse_http_status("200"), 200u);
  EXPECT_EQ(parse_http_status("503"), 503u);
  EXPECT_EQ(parse_http_status("000"), 0u);
  EXPECT_EQ(parse_http_status("999"), 999u);
  for (std::string_view bad : {"", "2", "20", "2000", "20x", "/00", ":00", " 200", "2 0", "-20"}) {
    EXPECT_EQ(parse_http_status(bad), 0u) << bad;
  }
}

// Every kind of header list a user has converts to a HeaderSpan (these did not compile:
// a C array, std::span of a fixed extent), and passes its headers on as they are.
TEST_F(HostApiTest, HeaderListsFromArraysVectorsAndSpans) {
  const Header array[2] = {{"a", "1"}, {"b", "2"}};
  const std::array<Header, 2> std_array = {{{"a", "1"}, {"b", "2"}}};
  const std::vector<Header> vector(std::begin(array), std::end(array));
  const Pairs expected = {{"a", "1"}, {"b", "2"}};
  for (HeaderSpan headers : {HeaderSpan(array), HeaderSpan(std::span(array)),
                             HeaderSpan(std::span<const Header>(array)), HeaderSpan(std_array),
                             HeaderSpan(vector)}) {
    ASSERT_TRUE(request_headers().set_pairs(headers).ok());
    EXPECT_EQ(host_.stream(kStream).maps[0], expected);
  }
}

TEST_F(HostApiTest, HeaderMapGetAddReplaceRemove) {
  host_.stream(kStream).maps[0] = {{":path", "/x"}, {"a", "1"}};
  Result<HostBytes> path = request_headers().get(":path");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->view(), "/x");
  EXPECT_EQ(request_headers().get("missing").status(), StatusCode::NotFound);

  EXPECT_TRUE(request_headers().add("b", "2").ok());
  EXPECT_TRUE(request_headers().replace("a", "one").ok());
  EXPECT_TRUE(request_headers().remove(":path").ok());
  EXPECT_EQ(host_.stream(kStream).maps[0], (Pairs{{"b", "2"}, {"a", "one"}}));
}

TEST_F(HostApiTest, HeaderMapPairsAndSetPairs) {
  host_.stream(kStream).maps[2] = {{":status", "200"}, {"server", "up"}};
  Result<HeaderPairs> pairs = response_headers().pairs();
  ASSERT_TRUE(pairs.ok());
  ASSERT_EQ(pairs->size(), 2u);
  EXPECT_EQ(pairs->find("server"), "up");
  Result<size_t> size = response_headers().byte_size();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, testing::encode_pairs(host_.stream(kStream).maps[2]).size());

  EXPECT_TRUE(response_trailers().set_pairs({{"grpc-status", "0"}, {"t", "v"}}).ok());
  EXPECT_EQ(host_.stream(kStream).maps[3], (Pairs{{"grpc-status", "0"}, {"t", "v"}}));
}

TEST_F(HostApiTest, CalloutMapsExistOnlyDuringTheirCallback) {
  // Envoy: "requested map type is not currently available".
  EXPECT_EQ(HeaderMap(MapType::HttpCallResponseHeaders).get(":status").status(),
            StatusCode::BadArgument);
  host_.set_call_map(MapType::HttpCallResponseHeaders, {{":status", "503"}});
  HttpCallResponse response(7, 1, 0, 0);
  EXPECT_EQ(response.status(), 503u);
  EXPECT_FALSE(response.failed());
  EXPECT_TRUE(HttpCallResponse(7, 0, 0, 0).failed());
}

TEST_F(HostApiTest, BufferGetSetPrependAppendReplace) {
  host_.stream(kStream).buffers[0] = "world";
  EXPECT_TRUE(request_body().prepend("hello ").ok());
  EXPECT_TRUE(request_body().append("!").ok());
  Result<HostBytes> all = request_body().get();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->view(), "hello world!");
  Result<HostBytes> part = request_body().get(6, 5);
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part->view(), "world");
  Result<BufferStatus> status = request_body().status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->size, 12u);
  EXPECT_TRUE(request_body().replace("new").ok());
  EXPECT_EQ(host_.stream(kStream).buffers[0], "new");
  EXPECT_TRUE(request_body().set(1, 1, "EE").ok());
  EXPECT_EQ(host_.stream(kStream).buffers[0], "nEEw");
  EXPECT_EQ(vm_configuration().get().status(), StatusCode::NotFound);  // not in on_vm_start
}

// cpp-host reads a map beyond 1,024 pairs or 1 MiB as empty, without an error (a set would
// wipe the map); the SDK refuses it with BadArgument and sends nothing.
TEST_F(HostApiTest, MapsAtTheHostsLimitsWorkAndBeyondThemAreRefused) {
  std::vector<std::string> names;
  for (size_t i = 0; i <= kMaxMapPairs; ++i) names.push_back("h" + std::to_string(i));
  std::vector<Header> pairs;
  for (size_t i = 0; i < kMaxMapPairs; ++i) pairs.push_back({names[i], "v"});
  ASSERT_TRUE(request_headers().set_pairs(pairs).ok());
  EXPECT_EQ(host_.stream(kStream).maps[0].size(), kMaxMapPairs);
  pairs.push_back({names[kMaxMapPairs], "v"});
  EXPECT_EQ(request_headers().set_pairs(pairs).code(), StatusCode::BadArgument);
  EXPECT_EQ(host_.stream(kStream).maps[0].size(), kMaxMapPairs);  // untouched

  // One pair whose encoding is exactly kMaxMapBytes: 4 + 8 bytes of sizes, "k\0", value\0.
  const std::string at_limit(kMaxMapBytes - 4 - 8 - 2 - 1, 'x');
  ASSERT_TRUE(request_headers().set_pairs({{"k", at_limit}}).ok());
  EXPECT_EQ(host_.stream(kStream).maps[0].at(0).second.size(), at_limit.size());
  const std::string beyond = at_limit + "x";
  EXPECT_EQ(request_headers().set_pairs({{"k", beyond}}).code(), StatusCode::BadArgument);
  EXPECT_EQ(send_local_response(403, "", {{"k", beyond}}).code(), StatusCode::BadArgument);
  EXPECT_EQ(dispatch_http_call("auth",
                               {{":method", "GET"}, {":path", "/"}, {":authority", "a"},
                                {"k", beyond}},
                               {}, {}, std::chrono::milliseconds(100))
                .status()
                .code(),
            StatusCode::BadArgument);
  EXPECT_TRUE(host_.http_callouts().empty());
  EXPECT_TRUE(host_.illegal_calls().empty());
}

// A plugin that sends such a map anyway (on the raw ABI) gets what cpp-host does: the map is
// read as empty, and the emulator records the call.
TEST_F(HostApiTest, TheHostReadsAMapBeyondItsLimitsAsEmpty) {
  host_.stream(kStream).maps[0] = {{"a", "1"}};
  std::vector<Header> pairs;
  std::vector<std::string> names;
  for (size_t i = 0; i <= kMaxMapPairs; ++i) names.push_back("h" + std::to_string(i));
  for (const std::string& name : names) pairs.push_back({name, "v"});
  const std::string encoded = encode_map(pairs);
  EXPECT_EQ(proxy_set_header_map_pairs(0, encoded.data(), encoded.size()), 0);  // OK
  EXPECT_TRUE(host_.stream(kStream).maps[0].empty());
  ASSERT_EQ(host_.illegal_calls().size(), 1u);
  EXPECT_NE(host_.illegal_calls()[0].reason.find("beyond the host's limits"), std::string::npos);
}

TEST_F(HostApiTest, PropertiesBySegments) {
  host_.put_property({"request", "path"}, "/p");
  Result<HostBytes> path = get_property({"request", "path"});
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->view(), "/p");
  EXPECT_EQ(get_property({"request"}).status(), StatusCode::NotFound);
  EXPECT_TRUE(set_property({"filter_state", "k"}, "v").ok());
  EXPECT_EQ(get_property({"filter_state", "k"})->view(), "v");
  // A long path goes through the heap instead of the stack buffer.
  std::string long_segment(1000, 'x');
  EXPECT_TRUE(set_property({long_segment, "y"}, "z").ok());
  EXPECT_EQ(get_property({long_segment, "y"})->view(), "z");
}

// What Dispatcher::create_plugin does around the plugin's constructor: the metrics made
// meanwhile (the plugin's members) are defined at once; one made and dropped again is not; one
// made later is defined on its first use.
TEST_F(HostApiTest, MetricsMadeWithThePluginAreDefinedBeforeItStarts) {
  {
    detail::PluginMetrics collecting;
    Counter kept{"kept_total"};
    { Gauge dropped{"dropped"}; }
    Histogram original{"copied_ms"};
    Histogram copy = original;  // both defined: the host gives them one id
    collecting.define_all();
    EXPECT_EQ(host_.metric_value("kept_total"), 0u);
    EXPECT_EQ(host_.metric_value("copied_ms"), 0u);
    EXPECT_EQ(host_.metric_value("dropped"), std::nullopt);
    ASSERT_TRUE(kept.increment().ok());
    ASSERT_TRUE(copy.record(7).ok());
    EXPECT_EQ(host_.metric_value("kept_total"), 1u);
    EXPECT_EQ(host_.metric_value("copied_ms"), 7u);
    EXPECT_EQ(host_.metrics().size(), 2u);  // each name once
  }
  Counter later{"later_total"};
  EXPECT_EQ(host_.metric_value("later_total"), std::nullopt);
  ASSERT_TRUE(later.increment(3).ok());
  EXPECT_EQ(host_.metric_value("later_total"), 3u);
}

// A quota shared by every VM: taken while it stays within the limit, refused (nothing
// written) past it; a race with another writer is retried on the value that writer left.
TEST_F(HostApiTest, SharedCounterTakesFromAQuota) {
  const SharedCounter quota("quota");
  Result<SharedCounter::QuotaTake> take = quota.take_if_below(4);
  ASSERT_TRUE(take.ok());
  EXPECT_TRUE(take->taken);
  EXPECT_EQ(take->remaining, 3);
  host_.race_shared_data("quota", "2");  // another VM takes one in between: the CAS moves
  take = quota.take_if_below(4);
  ASSERT_TRUE(take.ok());
  EXPECT_TRUE(take->taken);  // retried on that writer's 2: now 3
  EXPECT_EQ(take->remaining, 1);
  take = quota.take_if_below(4, 2);  // 3 + 2 would pass 4: refused, nothing written
  ASSERT_TRUE(take.ok());
  EXPECT_FALSE(take->taken);
  EXPECT_EQ(take->remaining, 1);
  take = quota.take_if_below(4);
  ASSERT_TRUE(take.ok());
  EXPECT_TRUE(take->taken);
  EXPECT_EQ(take->remaining, 0);
  take = quota.take_if_below(4);
  ASSERT_TRUE(take.ok());
  EXPECT_FALSE(take->taken);
  EXPECT_EQ(take->remaining, 0);
  EXPECT_EQ(quota.get().value_or(-1), 4);
  EXPECT_EQ(quota.take_if_below(4, -1).status(), StatusCode::BadArgument);
}

// Two VMs (two leases of one key, each its own holder) and the host's clock: one holds it,
// renews it, and the other takes it once it has expired or was given up; a value that is no
// lease counts as free; a host that refuses shared data is an error, not a false.
TEST_F(HostApiTest, SharedLeaseElectsOneHolderAtATime) {
  using std::chrono::milliseconds;
  host_.set_time(1'000'000'000);
  SharedLease first("poller", milliseconds(300));
  SharedLease second("poller", milliseconds(300));
  EXPECT_EQ(first.hold().value(), true);
  EXPECT_EQ(second.hold().value(), false);
  EXPECT_NE(first.holder(), second.holder());
  EXPECT_EQ(get_shared_data("poller")->value.view(), first.holder() + " 1300000000");
  host_.set_time(1'200'000'000);
  EXPECT_EQ(first.hold().value(), true);  // renewed: now until 1.5 s
  host_.set_time(1'499'999'999);
  EXPECT_EQ(second.hold().value(), false);
  host_.set_time(1'500'000'000);  // expired: the next to ask takes it
  EXPECT_EQ(second.hold().value(), true);
  EXPECT_EQ(first.hold().value(), false);
  EXPECT_TRUE(second.release().ok());
  EXPECT_TRUE(first.release().ok());  // not its holder: changes nothing
  EXPECT_EQ(first.hold().value(), true);
  ASSERT_TRUE(set_shared_data("poller", "garbage").ok());
  EXPECT_EQ(second.hold().value(), true);
  host_.inject_fault("proxy_get_shared_data", StatusCode::InternalFailure);
  EXPECT_EQ(first.hold().status().code(), StatusCode::InternalFailure);
}

TEST_F(HostApiTest, LogOnceWritesTheFirstOfARunAndCountsIt) {
  LogOnce failing;
  for (int i = 0; i < 3; ++i) failing.warn("down ", i);
  ASSERT_EQ(host_.logs().size(), 1u);
  EXPECT_EQ(host_.logs()[0].message, "down 0");
  EXPECT_EQ(host_.logs()[0].level, LogLevel::Warn);
  EXPECT_EQ(failing.times(), 3u);
  EXPECT_EQ(failing.clear(), 3u);
  EXPECT_EQ(failing.clear(), 0u);
  failing.error("down again");
  ASSERT_EQ(host_.logs().size(), 2u);
  EXPECT_EQ(host_.logs()[1].level, LogLevel::Error);
}

TEST_F(HostApiTest, SharedDataCompareAndSwap) {
  EXPECT_EQ(get_shared_data("k").status(), StatusCode::NotFound);
  ASSERT_TRUE(set_shared_data("k", "v1").ok());
  Result<SharedValue> first = get_shared_data("k");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->value.view(), "v1");
  ASSERT_TRUE(set_shared_data("k", "v2", first->cas).ok());
  EXPECT_EQ(set_shared_data("k", "v3", first->cas).code(), StatusCode::CasMismatch);
  EXPECT_EQ(get_shared_data("k")->value.view(), "v2");
}

TEST_F(HostApiTest, SharedQueues) {
  Result<uint32_t> id = register_shared_queue("jobs");
  ASSERT_TRUE(id.ok());
  Result<uint32_t> resolved = resolve_shared_queue(Host::kVmId, "jobs");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(*resolved, *id);
  EXPECT_EQ(resolve_shared_queue(Host::kVmId, "nope").status(), StatusCode::NotFound);
  EXPECT_EQ(dequeue_shared_queue(*id).status(), StatusCode::Empty);
  ASSERT_TRUE(enqueue_shared_queue(*id, "a").ok());
  ASSERT_TRUE(enqueue_shared_queue(*id, "b").ok());
  EXPECT_EQ(dequeue_shared_queue(*id)->view(), "a");
  EXPECT_EQ(dequeue_shared_queue(*id)->view(), "b");
  EXPECT_EQ(enqueue_shared_queue(999, "x").code(), StatusCode::NotFound);
}

TEST_F(HostApiTest, Metrics) {
  Result<Metric> counter = define_counter("requests");
  ASSERT_TRUE(counter.ok());
  EXPECT_TRUE(counter->increment().ok());
  EXPECT_TRUE(counter->increment(4).ok());
  EXPECT_EQ(counter->get().value_or(0), 5u);
  EXPECT_EQ(counter->increment(-1).code(), StatusCode::BadArgument);
  Result<Metric> gauge = define_gauge("inflight");
  ASSERT_TRUE(gauge.ok());
  EXPECT_TRUE(gauge->record(7).ok());
  EXPECT_TRUE(gauge->increment(-2).ok());
  EXPECT_EQ(host_.metric_value("inflight"), 5u);
  Result<Metric> histogram = define_histogram("latency");
  ASSERT_TRUE(histogram.ok());
  EXPECT_TRUE(histogram->record(12).ok());
  EXPECT_EQ(Metric::define(static_cast<MetricType>(9), "bad").status(), StatusCode::BadArgument);
}

TEST_F(HostApiTest, LoggingRespectsTheHostLevel) {
  host_.set_log_level(LogLevel::Warn);
  log_info("dropped");
  log_warn("kept ", 42, " ", -7, " ", true);
  log_error("also kept");
  ASSERT_EQ(host_.logs().size(), 2u);
  EXPECT_EQ(host_.logs()[0].level, LogLevel::Warn);
  EXPECT_EQ(host_.logs()[0].message, "kept 42 -7 true");
  EXPECT_EQ(host_.logs()[1].level, LogLevel::Error);
  EXPECT_FALSE(log_enabled(LogLevel::Debug));
  EXPECT_TRUE(log_enabled(LogLevel::Critical));
}

TEST_F(HostApiTest, LongLogLinesAreCutNotOverflowed) {
  std::string long_text(2000, 'y');
  log_info("start ", long_text, " end");
  ASSERT_EQ(host_.logs().size(), 1u);
  EXPECT_EQ(host_.logs()[0].message.size(), detail::LogLine::kCapacity);
  EXPECT_EQ(host_.logs()[0].message.substr(detail::LogLine::kCapacity - 3), "...");
}

TEST_F(HostApiTest, TimeAndTick) {
  host_.set_time(123456789);
  EXPECT_EQ(current_time_nanoseconds().value_or(0), 123456789u);
  EXPECT_TRUE(set_tick_period(std::chrono::milliseconds(250)).ok());
  EXPECT_EQ(host_.tick_period_ms(1), 250u);  // a stream sets its plugin context's tick
  EXPECT_EQ(set_tick_period(std::chrono::milliseconds(-1)).code(), StatusCode::BadArgument);
}

TEST_F(HostApiTest, LocalResponseContinueClose) {
  EXPECT_TRUE(send_local_response(403, "denied", {{"x-why", "policy"}}, "rbac").ok());
  const auto& local = host_.stream(kStream).local_response;
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->status_code, 403u);
  EXPECT_EQ(local->body, "denied");
  EXPECT_EQ(local->headers, (Pairs{{"x-why", "policy"}}));
  EXPECT_EQ(local->details, "rbac");
  EXPECT_EQ(local->grpc_status, -1);
  EXPECT_TRUE(continue_stream(StreamType::HttpRequest).ok());
  EXPECT_TRUE(close_stream(StreamType::HttpResponse).ok());
  EXPECT_EQ(host_.stream(kStream).continued, std::vector<StreamType>{StreamType::HttpRequest});
  EXPECT_EQ(host_.stream(kStream).closed, std::vector<StreamType>{StreamType::HttpResponse});
  EXPECT_EQ(continue_stream(static_cast<StreamType>(9)).code(), StatusCode::BadArgument);
}

TEST_F(HostApiTest, HttpCallDispatch) {
  Result<uint32_t> token =
      dispatch_http_call("auth", {{":method", "POST"}, {":path", "/check"}, {":authority", "a"}},
                         "body", {{"t", "1"}}, std::chrono::milliseconds(300));
  ASSERT_TRUE(token.ok());
  ASSERT_EQ(host_.http_callouts().size(), 1u);
  const testing::HttpCallout& call = host_.http_callouts()[0];
  EXPECT_EQ(call.token, *token);
  EXPECT_EQ(call.upstream, "auth");
  EXPECT_EQ(call.body, "body");
  EXPECT_EQ(call.trailers, (Pairs{{"t", "1"}}));
  EXPECT_EQ(call.timeout_ms, 300u);
  EXPECT_EQ(call.context_id, kStream);
  // Missing pseudo-headers are refused before the host is asked.
  EXPECT_EQ(dispatch_http_call("auth", {{":method", "GET"}}).status(), StatusCode::BadArgument);
  EXPECT_EQ(host_.http_callouts().size(), 1u);
}

constexpr Header kConstantCheck[] = {{":method", "GET"}, {":path", "/c"}, {":authority", "a"}};
constexpr Header kConstantNoAuthority[] = {{":method", "GET"}, {":path", "/c"}};

TEST_F(HostApiTest, HttpCallWithAListEncodedAtCompileTime) {
  Result<uint32_t> token = dispatch_http_call("auth", encoded<kConstantCheck>);
  ASSERT_TRUE(token.ok());
  ASSERT_EQ(host_.http_callouts().size(), 1u);
  EXPECT_EQ(host_.http_callouts()[0].headers,
            (Pairs{{":method", "GET"}, {":path", "/c"}, {":authority", "a"}}));
  EXPECT_EQ(dispatch_http_call("auth", encoded<kConstantNoAuthority>).status(),
            StatusCode::BadArgument);
  EXPECT_EQ(host_.http_callouts().size(), 1u);
}

TEST_F(HostApiTest, GrpcCallStreamSendCancelClose) {
  GrpcMethod method{"grpc-cluster", "pkg.Service", "Method"};
  Result<uint32_t> unary = dispatch_grpc_call(method, {{"md", "1"}}, "request");
  ASSERT_TRUE(unary.ok());
  Result<uint32_t> stream = open_grpc_stream(method, {});
  ASSERT_TRUE(stream.ok());
  EXPECT_TRUE(grpc_send(*stream, "m1").ok());
  EXPECT_TRUE(grpc_send(*stream, "m2", true).ok());
  EXPECT_TRUE(grpc_close(*stream).ok());
  EXPECT_TRUE(grpc_cancel(*unary).ok());
  EXPECT_EQ(grpc_cancel(*unary).code(), StatusCode::NotFound);
  const testing::GrpcCallout* s = host_.find_grpc(*stream);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->messages, (std::vector<std::string>{"m1", "m2"}));
  EXPECT_TRUE(s->end_of_stream_sent);
  EXPECT_TRUE(s->closed);
  EXPECT_EQ(host_.find_grpc(*unary)->initial_metadata, (Pairs{{"md", "1"}}));
}

TEST_F(HostApiTest, GetStatusOnlyInsideACallWithOne) {
  EXPECT_EQ(get_status().status(), StatusCode::NotFound);
  host_.set_call_status(14, "unavailable");
  Result<CallStatus> status = get_status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->code, 14u);
  EXPECT_EQ(status->message.view(), "unavailable");
}

TEST_F(HostApiTest, ForeignFunctions) {
  host_.register_foreign_function("reverse", [](std::string_view args) {
    return std::optional<std::string>(std::string(args.rbegin(), args.rend()));
  });
  EXPECT_EQ(call_foreign_function("reverse", "abc")->view(), "cba");
  EXPECT_EQ(call_foreign_function("missing", "").status(), StatusCode::NotFound);
}

TEST_F(HostApiTest, EffectiveContextAndDone) {
  EXPECT_TRUE(set_effective_context(1).ok());
  EXPECT_EQ(host_.effective_context(), 1u);
  EXPECT_EQ(set_effective_context(99).code(), StatusCode::BadArgument);
  EXPECT_TRUE(signal_done().ok());
  EXPECT_EQ(host_.done_calls(), 1u);
}

TEST(StatusTest, NamesFollowTheSpec) {
  EXPECT_STREQ(Status(StatusCode::NotFound).name(), "NOT_FOUND");
  EXPECT_STREQ(status_name(StatusCode::CasMismatch), "CAS_MISMATCH");
  Result<int> error = StatusCode::Empty;
  EXPECT_FALSE(error.ok());
  EXPECT_EQ(error.value_or(3), 3);
  Result<int> from_ok_status = Status();  // an Ok status cannot carry no value
  EXPECT_EQ(from_ok_status.status(), StatusCode::InternalFailure);
}

}  // namespace
}  // namespace coproxy
