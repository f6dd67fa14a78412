// per_route_config on both backends: the global policy, a rule per route and per host (with
// the rule's fields over the global part), the first matching rule winning, a configuration of
// rules alone leaving unmatched streams be, and every malformed rule refused with its path.
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;
using coproxy::testing::Pairs;

constexpr const char* kConfig = R"({
  "tier": "standard",
  "_rules_": [
    {"_match_route_": ["admin"], "tier": "admin", "methods": ["GET"]},
    {"_match_domain_": ["*.internal.example.com", "intranet"], "tier": "internal"},
    {"_match_domain_": ["api.*"], "_match_path_prefix_": ["/v2/"], "tier": "v2"},
    {"_match_service_": ["payments.default.svc.cluster.local:8443"], "tier": "payments"}
  ]
})";

class PerRouteConfigTest : public coproxy::testing::PluginTest {
 protected:
  struct Request {
    std::string route = "";  // none
    std::string authority = "example.com";
    std::string path = "/";
    std::string method = "GET";
    std::string cluster = "web";
  };
  // The response's x-tier ("" when none), or "405" when the request was refused.
  std::string tier_of(uint32_t root, const Request& r) {
    const uint32_t s = emu().open_stream(root);
    if (!r.route.empty()) host().put_stream_property(s, {"route_name"}, r.route);
    host().put_stream_property(s, {"cluster_name"}, r.cluster);
    emu().send_request_headers(
        s, {{":method", r.method}, {":path", r.path}, {":authority", r.authority}}, true);
    if (host().stream(s).local_response) return std::to_string(host().stream(s).local_response->status_code);
    emu().send_response_headers(s, {{":status", "200"}}, true);
    for (const auto& [name, value] : host().stream(s).maps[2]) {
      if (name == "x-tier") return value;
    }
    return "";
  }
};
COPROXY_PLUGIN_TEST_SUITE(PerRouteConfigTest, "per_route_config");

TEST_P(PerRouteConfigTest, EachStreamGetsTheFirstRuleItMatchesElseTheGlobalPart) {
  const uint32_t root = emu().start_plugin(kConfig);
  ASSERT_NE(root, 0u);
  EXPECT_EQ(last_log_message(), "per_route_config: 4 rules");
  EXPECT_EQ(tier_of(root, {}), "standard");
  EXPECT_EQ(tier_of(root, {.route = "admin"}), "admin");
  EXPECT_EQ(tier_of(root, {.route = "admin", .method = "POST"}), "405");
  EXPECT_EQ(tier_of(root, {.route = "administration"}), "standard");  // routes match exactly
  // Hosts: a suffix pattern, exactly, case-insensitive, without the port.
  EXPECT_EQ(tier_of(root, {.authority = "db.internal.example.com"}), "internal");
  EXPECT_EQ(tier_of(root, {.authority = "DB.Internal.Example.com:8080"}), "internal");
  EXPECT_EQ(tier_of(root, {.authority = "internal.example.com"}), "standard");
  EXPECT_EQ(tier_of(root, {.authority = "intranet"}), "internal");
  // Two kinds of key in one rule: both must match. The query is not part of the path.
  EXPECT_EQ(tier_of(root, {.authority = "api.example.com", .path = "/v2/users?x=1"}), "v2");
  EXPECT_EQ(tier_of(root, {.authority = "api.example.com", .path = "/v1/users"}), "standard");
  EXPECT_EQ(tier_of(root, {.authority = "web.example.com", .path = "/v2/users"}), "standard");
  // An Istio cluster name is a service and its port.
  EXPECT_EQ(tier_of(root, {.cluster = "outbound|8443||payments.default.svc.cluster.local"}),
            "payments");
  EXPECT_EQ(tier_of(root, {.cluster = "outbound|80||payments.default.svc.cluster.local"}),
            "standard");
  // The first match wins: an admin route on an internal host is admin.
  EXPECT_EQ(tier_of(root, {.route = "admin", .authority = "a.internal.example.com"}), "admin");
}

TEST_P(PerRouteConfigTest, ARuleTakesWhatItLeavesOutFromTheGlobalPart) {
  const uint32_t root = emu().start_plugin(R"({"tier": "gold", "methods": ["GET", "HEAD"],
    "_rules_": [{"_match_route_": ["uploads"], "methods": ["PUT"]}]})");
  EXPECT_EQ(tier_of(root, {.route = "uploads", .method = "PUT"}), "gold");
  EXPECT_EQ(tier_of(root, {.route = "uploads", .method = "GET"}), "405");  // replaced, not merged
  EXPECT_EQ(tier_of(root, {.method = "HEAD"}), "gold");
}

TEST_P(PerRouteConfigTest, RulesAloneLeaveTheStreamsTheyDoNotMatch) {
  const uint32_t root =
      emu().start_plugin(R"({"_rules_": [{"_match_domain_": ["*"], "_match_route_": ["admin"]}]})");
  EXPECT_EQ(tier_of(root, {.route = "admin"}), "standard");  // the rule, from the defaults
  EXPECT_EQ(tier_of(root, {.route = "web"}), "");            // no policy: left alone
}

TEST_P(PerRouteConfigTest, WithoutRulesEveryStreamGetsTheGlobalPart) {
  EXPECT_EQ(tier_of(emu().start_plugin(R"({"tier": "solo"})"), {.route = "admin"}), "solo");
  EXPECT_EQ(tier_of(emu().start_plugin(""), {}), "standard");
}

TEST_P(PerRouteConfigTest, ABadRuleIsRefusedNamingIt) {
  expect_refused({
      {R"({"_rules_": {"_match_route_": ["a"]}})",
       "invalid plugin configuration: $._rules_: expected an array of rules, got an object"},
      {R"({"_rules_": [{"_match_route_": ["a"]}, {"tier": "x"}]})",
       "invalid plugin configuration: $._rules_[1]: a rule needs one of _match_route_, "
       "_match_route_prefix_, _match_domain_, _match_path_prefix_, _match_service_"},
      {R"({"_rules_": [{"_match_route_": []}]})",
       "invalid plugin configuration: $._rules_[0]._match_route_: must name at least one"},
      {R"({"_rules_": [{"_match_domain_": "a.com"}]})",
       "invalid plugin configuration: $._rules_[0]._match_domain_: expected an array, got the "
       "string \"a.com\""},
      {R"({"_rules_": [{"_match_domain_": ["a.*.com"]}]})",
       "invalid plugin configuration: $._rules_[0]._match_domain_: 'a.*.com': '*' only at the "
       "start or the end"},
      {R"({"_rules_": [{"_match_route_": ["a"], "tier": 7}]})",
       "invalid plugin configuration: $._rules_[0].tier: expected a string, got the number 7"},
      {R"({"_rules_": [{"_match_route_": ["a"], "teir": "x"}]})",
       "invalid plugin configuration: $._rules_[0].teir: unknown field (known: tier, methods)"},
      {R"({"tier": "", "_rules_": []})", "invalid plugin configuration: $.tier: must not be empty"},
      {R"(["tier"])", "invalid plugin configuration: $: expected an object, got an array"},
  });
}

}  // namespace
