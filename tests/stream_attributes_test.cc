// The attributes the emulator derives per stream (testing/stream_attributes.h), read through
// the SDK's typed accessors (coproxy/stream_attributes.h) and the real native import bindings:
// each from the stream's own headers or facts, in Envoy's encodings; what a test put wins;
// NotFound where Envoy has nothing; a value of the wrong size is a ParseFailure.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "coproxy/coproxy.h"
#include "gtest/gtest.h"
#include "testing/host.h"
#include "testing/native_plugin.h"

namespace coproxy {
namespace {

using testing::Host;
using testing::Pairs;

constexpr uint32_t kRoot = 1, kStream = 2, kOther = 3;

class StreamAttributesTest : public ::testing::Test {
 protected:
  StreamAttributesTest() : scope_(host_) {
    host_.add_context(kRoot);
    host_.add_context(kStream, kRoot);
    host_.add_context(kOther, kRoot);
    host_.act_as(kStream);
  }
  std::string text(Result<HostBytes> bytes) {
    return bytes.ok() ? std::string(bytes->view()) : std::string("<") + bytes.status().name() + ">";
  }
  Host host_;
  testing::ActiveHostScope scope_;
};

TEST_F(StreamAttributesTest, TheRequestIsReadOffItsHeaders) {
  EXPECT_EQ(request_path().status(), StatusCode::NotFound);  // no headers yet
  host_.stream(kStream).maps[0] = {{":method", "POST"},
                                   {":path", "/orders/7?expand=items#top"},
                                   {":authority", "shop.example.com"},
                                   {":scheme", "https"},
                                   {"x-request-id", "req-1"},
                                   {"user-agent", "curl/8"}};
  EXPECT_EQ(text(request_path()), "/orders/7?expand=items#top");
  EXPECT_EQ(text(request_url_path()), "/orders/7");
  EXPECT_EQ(text(get_property({"request", "query"})), "expand=items");
  EXPECT_EQ(text(request_host()), "shop.example.com");
  EXPECT_EQ(text(request_method()), "POST");
  EXPECT_EQ(text(request_scheme()), "https");
  EXPECT_EQ(text(request_id()), "req-1");
  EXPECT_EQ(text(get_property({"request", "useragent"})), "curl/8");
  EXPECT_EQ(text(request_protocol()), "HTTP/1.1");
  EXPECT_EQ(get_property({"request", "referer"}).status(), StatusCode::NotFound);
  EXPECT_EQ(get_property({"request", "nosuch"}).status(), StatusCode::NotFound);
}

TEST_F(StreamAttributesTest, HeadersAsAMapAndOneByOne) {
  host_.stream(kStream).maps[0] = {{":path", "/"}, {"accept", "a"}, {"x", "1"}, {"accept", "b"}};
  EXPECT_EQ(text(get_property({"request", "headers", "accept"})), "a,b");  // joined, as Envoy
  EXPECT_EQ(get_property({"request", "headers", "missing"}).status(), StatusCode::NotFound);
  Result<HostBytes> all = get_property({"request", "headers"});
  ASSERT_TRUE(all.ok());
  Result<MapView> map = MapView::parse(all->view());
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->size(), 3u);  // one entry a name
  EXPECT_EQ(map->find("accept"), "a,b");
  EXPECT_EQ(map->find(":path"), "/");
}

TEST_F(StreamAttributesTest, TheResponseCodeOnceTheResponseHasOne) {
  EXPECT_EQ(response_code().status(), StatusCode::NotFound);
  host_.stream(kStream).maps[2] = {{":status", "503"}, {"grpc-status", "14"}};
  EXPECT_EQ(response_code().value_or(0), 503);
  EXPECT_EQ(response_grpc_status().value_or(-1), 14);
  host_.stream(kStream).maps[3] = {{"grpc-status", "0"}};  // the trailers' status wins
  EXPECT_EQ(response_grpc_status().value_or(-1), 0);
  EXPECT_EQ(text(get_property({"response", "headers", ":status"})), "503");
  EXPECT_EQ(text(get_property({"response", "trailers", "grpc-status"})), "0");
}

TEST_F(StreamAttributesTest, ALocalReplyIsTheResponseCode) {
  testing::LocalResponse reply;
  reply.status_code = 403;
  host_.stream(kStream).local_response = reply;
  EXPECT_EQ(response_code().value_or(0), 403);
}

TEST_F(StreamAttributesTest, PeersAsAddressIpAndPort) {
  Result<PeerAddress> source = source_address();
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source->text(), "10.0.0.1:50000");  // the emulator's default
  EXPECT_EQ(source->ip(), "10.0.0.1");
  EXPECT_EQ(source->port(), 50000);
  EXPECT_EQ(get_int64_property({"source", "port"}).value_or(0), 50000);
  host_.stream_facts(kStream).destination_address = "[2001:db8::1]:8443";
  Result<PeerAddress> destination = destination_address();
  ASSERT_TRUE(destination.ok());
  EXPECT_EQ(destination->ip(), "2001:db8::1");
  EXPECT_EQ(destination->port(), 8443);
  EXPECT_EQ(get_int64_property({"destination", "port"}).value_or(0), 8443);
  host_.stream_facts(kStream).source_address = "";
  EXPECT_EQ(source_address().status(), StatusCode::NotFound);
}

TEST(PeerAddress, TakesApartWhatHostsGive) {
  struct Case {
    std::string text;
    std::string ip;
    std::optional<uint16_t> port;
  };
  const Case cases[] = {{"10.0.0.1:80", "10.0.0.1", 80},
                        {"[::1]:443", "::1", 443},
                        {"[::1]", "[::1]", std::nullopt},
                        {"::1", "::1", std::nullopt},
                        {"/tmp/envoy.sock", "/tmp/envoy.sock", std::nullopt},
                        {"1.2.3.4:", "1.2.3.4", std::nullopt},
                        {"1.2.3.4:65536", "1.2.3.4", std::nullopt},
                        {"1.2.3.4:8x", "1.2.3.4", std::nullopt}};
  for (const Case& c : cases) {
    char* copy = static_cast<char*>(std::malloc(c.text.size()));
    std::memcpy(copy, c.text.data(), c.text.size());
    const PeerAddress address{HostBytes(copy, c.text.size())};
    EXPECT_EQ(address.ip(), c.ip) << c.text;
    EXPECT_EQ(address.port(), c.port) << c.text;
  }
}

TEST_F(StreamAttributesTest, TheConnectionTheRouteAndTheTime) {
  host_.set_time(1'700'000'000'123'000'000);
  host_.stream_facts(kStream).start_ns = host_.now_ns();
  EXPECT_EQ(request_time().value_or(std::chrono::nanoseconds(0)).count(),
            1'700'000'000'123'000'000);
  EXPECT_EQ(connection_id().value_or(0), kStream);  // the context id, unless set
  EXPECT_EQ(connection_mtls().value_or(true), false);
  host_.stream_facts(kStream).mtls = true;
  EXPECT_EQ(connection_mtls().value_or(false), true);
  EXPECT_EQ(text(route_name()), "");  // Envoy's route name is empty, not absent
  EXPECT_EQ(cluster_name().status(), StatusCode::NotFound);
  host_.stream_facts(kStream).route_name = "orders";
  host_.stream_facts(kStream).cluster_name = "orders_v2";
  EXPECT_EQ(text(route_name()), "orders");
  EXPECT_EQ(text(get_property({"xds", "cluster_name"})), "orders_v2");
}

TEST_F(StreamAttributesTest, EachStreamHasItsOwn) {
  host_.stream(kStream).maps[0] = {{":path", "/mine"}};
  host_.stream(kOther).maps[0] = {{":path", "/theirs"}};
  EXPECT_TRUE(set_property({"tier"}, "gold").ok());
  host_.act_as(kOther);
  EXPECT_EQ(text(request_path()), "/theirs");
  EXPECT_EQ(get_property({"tier"}).status(), StatusCode::NotFound);  // the other's filter state
  host_.act_as(kRoot);
  EXPECT_EQ(request_path().status(), StatusCode::NotFound);  // a plugin context has no request
  EXPECT_EQ(host_.stream_property(kStream, {"tier"}), "gold");
}

TEST_F(StreamAttributesTest, WhatATestPutWins) {
  host_.stream(kStream).maps[0] = {{":path", "/derived"}};
  host_.put_property({"request", "path"}, "/host-wide");
  EXPECT_EQ(text(request_path()), "/host-wide");
  host_.put_stream_property(kStream, {"request", "path"}, "/this-stream");
  EXPECT_EQ(text(request_path()), "/this-stream");
}

TEST_F(StreamAttributesTest, ValuesOfTheWrongSizeAreParseFailures) {
  host_.put_stream_property(kStream, {"response", "code"}, "200");
  EXPECT_EQ(response_code().status(), StatusCode::ParseFailure);
  host_.put_stream_property(kStream, {"connection", "mtls"}, "true");
  EXPECT_EQ(connection_mtls().status(), StatusCode::ParseFailure);
  host_.put_stream_property(kStream, {"connection", "id"}, std::string(4, '\0'));
  EXPECT_EQ(connection_id().status(), StatusCode::ParseFailure);
}

}  // namespace
}  // namespace coproxy
