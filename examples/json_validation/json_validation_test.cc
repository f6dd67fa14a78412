// json_validation on both backends: a valid body held until its end and passed on, each kind of
// bad JSON a 400 saying why, a missing key a 400 naming it, the wrong content type a 415, a body
// past the limit a 413, the client gone while the body is held, and a bad configuration refused
// with the operator's message.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "testing/plugin_test.h"

namespace {

using coproxy::Action;

class JsonValidationTest : public coproxy::testing::PluginTest {
 protected:
  void SetUp() override { root_ = emu().start_plugin(R"({"required_keys": ["id", "name"]})"); }
  uint32_t post(const std::vector<std::string>& chunks, std::string type = "application/json") {
    const uint32_t stream = emu().open_stream(root_);
    emu().send_request_headers(stream, {{":method", "POST"}, {"content-type", type}});
    for (size_t i = 0; i < chunks.size(); ++i) {
      emu().send_request_body(stream, chunks[i], i + 1 == chunks.size());
    }
    return stream;
  }
  // The local reply's "status body", or "" when the request went on.
  std::string reply(uint32_t stream) {
    const auto& response = host().stream(stream).local_response;
    return response ? std::to_string(response->status_code) + " " + response->body : "";
  }
  uint32_t root_ = 0;
};
COPROXY_PLUGIN_TEST_SUITE(JsonValidationTest, "json_validation");

TEST_P(JsonValidationTest, AValidBodyIsHeldUntilItsEndThenGoesOn) {
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":method", "POST"}, {"content-type", "application/json"}});
  EXPECT_EQ(emu().send_request_body(s, "{\"id\": 7, \"name\":", false), Action::Pause);
  EXPECT_EQ(host().stream(s).request.forwarded, "");
  emu().send_request_body(s, " \"ada\", \"tags\": [1, -2.5e3, true, null, {\"x\": \"\\\"\"}]}",
                          true);
  EXPECT_EQ(reply(s), "");
  EXPECT_EQ(host().stream(s).request.forwarded,
            "{\"id\": 7, \"name\": \"ada\", \"tags\": [1, -2.5e3, true, null, {\"x\": \"\\\"\"}]}");
  EXPECT_EQ(host().metric_value("json_validation_rejected_total"), 0u);
}

TEST_P(JsonValidationTest, BadJsonIs400SayingWhy) {
  const std::pair<const char*, const char*> cases[] = {
      {"{\"id\": 1, \"name\": 2",
       "$: not JSON: line 1, column 20: Missing a comma or '}' after an object member."},
      {"{\"id\": 1 \"name\": 2}",
       "$: not JSON: line 1, column 10: Missing a comma or '}' after an object member."},
      {"[1, 2]", "$: expected an object, got an array"},
      {"{\"id\": 01, \"name\": 2}",
       "$: not JSON: line 1, column 9: Missing a comma or '}' after an object member."},
      {"{\"id\": tru, \"name\": 2}", "$: not JSON: line 1, column 11: Invalid value."},
      {"{\"id\": 1, \"name\": 2} extra",
       "$: not JSON: line 1, column 22: The document root must not be followed by other values."},
      {"not json", "$: not JSON: line 1, column 2: Invalid value."},
      {"{\"id\": \"a\nb\"}", "$: not JSON: line 1, column 10: Invalid escape character in string."},
  };
  for (const auto& [bad, why] : cases) {
    const uint32_t s = post({bad});
    EXPECT_EQ(reply(s), std::string("400 invalid JSON object: ") + why) << bad;
    EXPECT_EQ(host().stream(s).request.forwarded, "") << bad;
  }
  EXPECT_EQ(host().metric_value("json_validation_rejected_total"), 8u);
}

TEST_P(JsonValidationTest, AMissingKeyIs400NamingIt) {
  EXPECT_EQ(reply(post({"{\"id\": 1}"})), "400 missing key: name");
  // Only top-level keys count.
  EXPECT_EQ(reply(post({"{\"name\": \"x\", \"inner\": {\"id\": 1}}"})), "400 missing key: id");
  // A key whose value is null is there.
  EXPECT_EQ(reply(post({"{\"id\": null, \"name\": \"x\"}"})), "");
}

TEST_P(JsonValidationTest, OnlyJsonIsAccepted) {
  EXPECT_EQ(reply(post({"id=1"}, "text/plain")), "415 content-type must be application/json");
  EXPECT_EQ(reply(post({"{\"id\": 1, \"name\": 2}"}, "application/json; charset=utf-8")), "");
  // Media types are case-insensitive; their parameters and the spaces around them go.
  EXPECT_EQ(reply(post({"{\"id\": 1, \"name\": 2}"}, " Application/JSON ;charset=utf-8")), "");
  EXPECT_EQ(reply(post({"{}"}, "application/jsonx")), "415 content-type must be application/json");
  EXPECT_EQ(reply(post({"{}"}, "application/json-patch+json")),
            "415 content-type must be application/json");
}

TEST_P(JsonValidationTest, ABodyPastTheLimitIs413) {
  EXPECT_EQ(reply(post({"{\"id\": \"" + std::string(4000, 'a'), std::string(200, 'a') + "\"}"})),
            "413 body too large");
}

TEST_P(JsonValidationTest, NoBodyIs400) {
  const uint32_t s = emu().open_stream(root_);
  emu().send_request_headers(s, {{":method", "POST"}, {"content-type", "application/json"}}, true);
  EXPECT_EQ(reply(s),
            "400 invalid JSON object: $: not JSON: line 1, column 1: The document is empty.");
}

TEST_P(JsonValidationTest, ClientGoneWhileTheBodyIsHeld) {
  const uint32_t s = post({});
  emu().send_request_body(s, "{\"id\":", false);
  emu().end_stream(s);
  EXPECT_EQ(reply(s), "");
  EXPECT_EQ(host().stream(s).request.forwarded, "");
}

TEST_P(JsonValidationTest, WithoutKeysAnyObjectGoes) {
  const uint32_t s = emu().open_stream(emu().start_plugin());
  emu().send_request_headers(s, {{"content-type", "application/json"}});
  emu().send_request_body(s, "{}", true);
  EXPECT_EQ(reply(s), "");
  EXPECT_EQ(host().stream(s).request.forwarded, "{}");
}

TEST_P(JsonValidationTest, ABadConfigurationIsRefusedWithTheOperatorsMessage) {
  expect_refused({
      {R"({"required_keys": "id"})",
       "invalid plugin configuration: $.required_keys: expected an array, got the string \"id\""},
      {R"({"required_keys": ["id", 2]})",
       "invalid plugin configuration: $.required_keys[1]: expected a string, got the number 2"},
      {R"({"required": ["id"]})",
       "invalid plugin configuration: $.required: unknown field (known: required_keys)"},
      {"id name", "invalid plugin configuration: $: not JSON: line 1, column 1: Invalid value."},
  });
}

}  // namespace
