// json_validation: awaits the whole JSON request body and checks it has the configured keys.
// The configuration is JSON, {"required_keys": ["id", "name"]}: the top-level keys a body must
// have (none: any JSON object goes). A request that is not application/json (its media type
// read with coproxy/text.h: parameters and case do not matter) is a 415, a body
// past 4 KiB a 413, a body that is not a JSON object a 400 saying why (the parser's message),
// one that lacks a key a 400 naming it. The body is parsed with coproxy::Json.
// Style: stream coroutine
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coro/coro.h"

namespace {

using coproxy::HttpPhase;
using coproxy::StreamType;

// {"required_keys": ["id", "name"]}
struct Config {
  std::vector<std::string> required_keys;
  void json_fields(coproxy::JsonFields& f) { f.optional("required_keys", required_keys); }
};

class Validator;

class Stream : public coproxy::StreamOf<Validator, coproxy::HttpStreamContext> {
  coproxy::Task<void> run() override;
  void reject(uint32_t status, std::string_view why);
};

class Validator : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter rejected{"json_validation_rejected_total"};

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

void Stream::reject(uint32_t status, std::string_view why) {
  plugin().rejected.increment();
  send_local_response(status, why);
}

coproxy::Task<void> Stream::run() {
  co_await phase(HttpPhase::RequestHeaders);
  // The media type without its parameters ("; charset=utf-8"), in any case (RFC 9110 §8.3.1).
  coproxy::Result<coproxy::HostBytes> type = request_headers().get("content-type");
  if (!type.ok() || !coproxy::equals_ignore_case(coproxy::trim(coproxy::before(type->view(), ';')),
                                                 "application/json")) {
    reject(415, "content-type must be application/json");
    co_return;
  }
  coproxy::Result<coproxy::HostBytes> body = co_await whole_body(StreamType::HttpRequest, 4096);
  if (body.status() == coproxy::StatusCode::TooLarge) {
    reject(413, "body too large");
    co_return;
  }
  // No body at all parses as an empty text: "The document is empty."
  coproxy::JsonResult<coproxy::Json> json =
      coproxy::Json::parse(body.ok() ? body->view() : std::string_view());
  if (!json.ok()) {
    reject(400, "invalid JSON object: " + json.error().message());
    co_return;
  }
  if (!json->root().is_object()) {
    reject(400, "invalid JSON object: $: expected an object, got " + json->root().describe());
    co_return;
  }
  for (const std::string& key : plugin().config.required_keys) {
    if (!(*json)[key]) {  // top-level only; a key whose value is null is there
      reject(400, "missing key: " + key);
      co_return;
    }
  }
}  // valid: the body goes on

}  // namespace

COPROXY_REGISTER_PLUGIN(json_validation, Validator);
