// coproxy/json.h: parsing, reading by hand, typed reading with defaults, required fields,
// checks and unknown fields, and the error each wrong input gets (its JSON path and what).
#include "coproxy/json.h"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace {

using coproxy::Json;
using coproxy::JsonFields;
using coproxy::JsonType;
using coproxy::JsonValue;
using coproxy::UnknownFields;
using std::chrono::milliseconds;

TEST(Json, ParsesAndReadsByHand) {
  auto json = Json::parse(R"( {"name": "ada", "id": 7, "tags": ["a", "b\n"], "ok": true,
                               "ratio": 0.5, "none": null, "big": 18446744073709551615} )");
  ASSERT_TRUE(json.ok()) << json.error().message();
  EXPECT_EQ((*json)["name"].string(), "ada");
  EXPECT_EQ((*json)["id"].integer(), 7);
  EXPECT_EQ((*json)["id"].number(), 7.0);
  EXPECT_EQ((*json)["ratio"].integer(), std::nullopt);  // not a whole number
  EXPECT_EQ((*json)["ratio"].number(), 0.5);
  EXPECT_EQ((*json)["ok"].boolean(), true);
  EXPECT_TRUE((*json)["none"].is_null());
  EXPECT_EQ((*json)["big"].integer(), std::nullopt);
  EXPECT_EQ((*json)["big"].unsigned_integer(), 18446744073709551615u);
  EXPECT_EQ((*json)["tags"].size(), 2u);
  EXPECT_EQ((*json)["tags"][1].string(), "b\n");
  EXPECT_EQ((*json)["tags"][2].type(), JsonType::Missing);
  // Lookups that miss chain to Missing, never trap.
  EXPECT_FALSE((*json)["user"]["id"]);
  EXPECT_FALSE((*json)["name"][0]);
  EXPECT_EQ((*json)["name"]["x"].string(), std::nullopt);

  std::vector<std::string> keys;
  for (auto [key, value] : json->root().members()) keys.emplace_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "id", "tags", "ok", "ratio", "none", "big"}));
  std::string joined;
  for (JsonValue tag : (*json)["tags"].elements()) joined += *tag.string();
  EXPECT_EQ(joined, "ab\n");
  EXPECT_EQ((*json)["name"].members().size(), 0u);
}

TEST(Json, AStringMayHoldAnEscapedNul) {
  auto json = Json::parse(R"(["a\u0000b"])");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)[0].string(), std::string_view("a\0b", 3));
}

TEST(Json, MalformedTextSaysWhereAndWhy) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "$: not JSON: line 1, column 1: The document is empty."},
      {"{\"a\": 1,\n \"b\" 2}", "$: not JSON: line 2, column 6: Missing a colon after a name of object member."},
      {"{\"a\": 1} {}", "$: not JSON: line 1, column 10: The document root must not be followed by other values."},
      {"[1, 2", "$: not JSON: line 1, column 6: Missing a comma or ']' after an array element."},
      {"{\"a\": tru}", "$: not JSON: line 1, column 10: Invalid value."},
  };
  for (const auto& [text, message] : cases) {
    auto json = Json::parse(text);
    ASSERT_FALSE(json.ok()) << text;
    EXPECT_EQ(json.error().message(), message) << text;
  }
}

TEST(Json, TextPastTheGivenSizeIsNotRead) {
  const std::string_view text("{\"a\": 1}garbage", 8);
  EXPECT_TRUE(Json::parse(text).ok());
}

enum class Mode { Replace, Append };

struct Upstream {
  std::string cluster;
  milliseconds timeout{500};
  void json_fields(JsonFields& f) {
    f.required("cluster", cluster);
    f.optional("timeout", timeout);
  }
};

struct Config {
  std::string header = "x-default";
  int32_t limit = 10;
  uint16_t port = 80;
  bool fail_open = false;
  double ratio = 1;
  Mode mode = Mode::Replace;
  std::vector<std::string> paths = {"/"};
  std::optional<std::string> note;
  std::map<std::string, int64_t> weights;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<Upstream> upstreams;
  Upstream auth{"auth", milliseconds(100)};

  void json_fields(JsonFields& f) {
    f.optional("header", header);
    f.optional("limit", limit);
    if (limit < 1) f.invalid("limit", "must be at least 1");
    f.optional("port", port);
    f.optional("fail_open", fail_open);
    f.optional("ratio", ratio);
    f.optional("mode", mode, {{"replace", Mode::Replace}, {"append", Mode::Append}});
    f.optional("paths", paths);
    f.optional("note", note);
    f.optional("weights", weights);
    f.optional("headers", headers);
    f.optional("upstreams", upstreams);
    f.optional("auth", auth);
  }
};

TEST(JsonRead, AbsentFieldsKeepTheirDefaults) {
  auto config = coproxy::json_read<Config>("{}");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->header, "x-default");
  EXPECT_EQ(config->limit, 10);
  EXPECT_EQ(config->paths, std::vector<std::string>{"/"});
  EXPECT_EQ(config->note, std::nullopt);
  EXPECT_EQ(config->auth.cluster, "auth");
  EXPECT_EQ(config->auth.timeout, milliseconds(100));
  // A null is an absent field.
  config = coproxy::json_read<Config>(R"({"header": null, "auth": null})");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->header, "x-default");
}

TEST(JsonRead, EveryKindOfField) {
  auto config = coproxy::json_read<Config>(R"({
    "header": "x-tag", "limit": 3, "port": 8080, "fail_open": true, "ratio": 0.25,
    "mode": "append", "paths": ["/a", "/b"], "note": "hi",
    "weights": {"blue": 1, "green": 9},
    "headers": {"x-b": "2", "x-a": "1"},
    "upstreams": [{"cluster": "one"}, {"cluster": "two", "timeout": "1.5s"}],
    "auth": {"cluster": "authz", "timeout": 250}
  })");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->header, "x-tag");
  EXPECT_EQ(config->limit, 3);
  EXPECT_EQ(config->port, 8080);
  EXPECT_TRUE(config->fail_open);
  EXPECT_EQ(config->ratio, 0.25);
  EXPECT_EQ(config->mode, Mode::Append);
  EXPECT_EQ(config->paths, (std::vector<std::string>{"/a", "/b"}));  // replaced, not appended
  EXPECT_EQ(config->note, "hi");
  EXPECT_EQ(config->weights, (std::map<std::string, int64_t>{{"blue", 1}, {"green", 9}}));
  EXPECT_EQ(config->headers,
            (std::vector<std::pair<std::string, std::string>>{{"x-b", "2"}, {"x-a", "1"}}));
  ASSERT_EQ(config->upstreams.size(), 2u);
  EXPECT_EQ(config->upstreams[0].cluster, "one");
  EXPECT_EQ(config->upstreams[0].timeout, milliseconds(500));
  EXPECT_EQ(config->upstreams[1].timeout, milliseconds(1500));
  EXPECT_EQ(config->auth.cluster, "authz");
  EXPECT_EQ(config->auth.timeout, milliseconds(250));
}

TEST(JsonRead, DurationsTakeANumberInTheirUnitOrAStringWithOne) {
  struct Times {
    milliseconds ms{0};
    std::chrono::seconds s{0};
    std::chrono::microseconds us{0};
    void json_fields(JsonFields& f) {
      f.optional("ms", ms);
      f.optional("s", s);
      f.optional("us", us);
    }
  };
  auto times = coproxy::json_read<Times>(R"({"ms": "2m", "s": "1h", "us": "1.5ms"})");
  ASSERT_TRUE(times.ok()) << times.error().message();
  EXPECT_EQ(times->ms, milliseconds(120000));
  EXPECT_EQ(times->s, std::chrono::seconds(3600));
  EXPECT_EQ(times->us, std::chrono::microseconds(1500));
  times = coproxy::json_read<Times>(R"({"ms": "10ns"})");
  ASSERT_FALSE(times.ok());
  EXPECT_EQ(times.error().message(),
            "$.ms: expected a whole number of milliseconds, got the string \"10ns\"");
}

TEST(JsonRead, EachWrongInputNamesItsFieldAndWhatWasExpected) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"header": 7})", "$.header: expected a string, got the number 7"},
      {R"({"limit": "3"})", "$.limit: expected an integer, got the string \"3\""},
      {R"({"limit": 1.5})", "$.limit: expected an integer, got the number 1.5"},
      {R"({"limit": 0})", "$.limit: must be at least 1"},
      {R"({"limit": 3000000000})",
       "$.limit: expected an integer from -2147483648 to 2147483647, got 3000000000"},
      {R"({"port": -1})", "$.port: expected an integer from 0 to 65535, got the number -1"},
      {R"({"fail_open": "yes"})", "$.fail_open: expected true or false, got the string \"yes\""},
      {R"({"mode": "prepend"})",
       "$.mode: expected one of \"replace\", \"append\", got the string \"prepend\""},
      {R"({"paths": "/a"})", "$.paths: expected an array, got the string \"/a\""},
      {R"({"paths": ["/a", 2]})", "$.paths[1]: expected a string, got the number 2"},
      {R"({"weights": {"blue": true}})", "$.weights.blue: expected an integer, got true"},
      {R"({"upstreams": [{"cluster": "one"}, {"timeout": 1}]})",
       "$.upstreams[1].cluster: required, missing"},
      {R"({"upstreams": [{"cluster": "one", "timeout": "soon"}]})",
       "$.upstreams[0].timeout: expected a number of milliseconds or a duration such as "
       "\"250ms\", \"1.5s\", \"2m\", got the string \"soon\""},
      {R"({"auth": {"cluster": "a", "timout": 5}})",
       "$.auth.timout: unknown field (known: cluster, timeout)"},
      {R"([1])", "$: expected an object, got an array"},
      {R"({"header": "a", "headr": "b"})",
       "$.headr: unknown field (known: header, limit, port, fail_open, ratio, mode, paths, note, "
       "weights, headers, upstreams, auth)"},
  };
  for (const auto& [text, message] : cases) {
    auto config = coproxy::json_read<Config>(text);
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_EQ(config.error().message(), message) << text;
  }
}

TEST(JsonRead, AnErrorShowsTheNumberItGot) {
  const std::pair<const char*, const char*> cases[] = {
      {"1.5", "1.5"},       {"-0.25", "-0.25"},     {"1e30", "1e30"},
      {"123456.5", "123457"}, {"0.000123", "0.000123"}, {"1.5e-9", "1.5e-9"},
      {"-7", "-7"},         {"1e3", "1000"},        {"0.0", "0"},
  };
  for (const auto& [number, shown] : cases) {
    auto config = coproxy::json_read<Config>(std::string("{\"header\": ") + number + "}");
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.error().message(),
              std::string("$.header: expected a string, got the number ") + shown)
        << number;
  }
}

TEST(JsonRead, UnknownFieldsMayBeIgnored) {
  auto config = coproxy::json_read<Config>(R"({"header": "a", "extra": {"x": 1}})",
                                           UnknownFields::Ignore);
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->header, "a");
}

TEST(JsonRead, ReadingOverAValueKeepsWhatTheJsonLeavesOut) {
  Config config;
  config.header = "x-global";
  config.limit = 50;
  auto json = Json::parse(R"({"limit": 5})");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(coproxy::json_read(json->root(), config), std::nullopt);
  EXPECT_EQ(config.header, "x-global");
  EXPECT_EQ(config.limit, 5);
}

TEST(JsonRead, AFailedReadStopsAtTheFirstError) {
  auto config = coproxy::json_read<Config>(R"({"header": 1, "limit": "x"})");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message(), "$.header: expected a string, got the number 1");
}

// The table of docs/api.md ("Configuration as JSON"), message for message.
struct TaggerConfig {
  std::string header = "x-tagged";
  std::string value;
  std::vector<std::string> skip;
  milliseconds window{1000};
  void json_fields(JsonFields& f) {
    f.optional("header", header);
    if (header.empty()) f.invalid("header", "must not be empty");
    f.required("value", value);
    f.optional("skip", skip);
    f.optional("window", window);
  }
};

TEST(JsonRead, TheMessagesTheApiPageShows) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"value": 1})", "$.value: expected a string, got the number 1"},
      {R"({"header": "x-a"})", "$.value: required, missing"},
      {R"({"value": "1", "windw": "2s"})",
       "$.windw: unknown field (known: header, value, skip, window)"},
      {R"({"value": "1", "window": "soon"})",
       "$.window: expected a number of milliseconds or a duration such as \"250ms\", \"1.5s\", "
       "\"2m\", got the string \"soon\""},
      {R"({"value": "1",})", "$: not JSON: line 1, column 15: Missing a name for object member."},
  };
  for (const auto& [text, message] : cases) {
    auto config = coproxy::json_read<TaggerConfig>(text);
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_EQ(config.error().message(), message) << text;
  }
}

}  // namespace
