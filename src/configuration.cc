#include "coproxy/configuration.h"

#include <string_view>

#include "coproxy/buffer.h"
#include "coproxy/log.h"

namespace coproxy::detail {

namespace {

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

bool read_configuration(BufferType buffer, const char* what, ConfigurationOptions options,
                        ConfigurationReader reader, void* into) {
  Result<HostBytes> bytes = Buffer(buffer).get();
  // A host that was given no configuration may answer NotFound rather than empty bytes.
  if (!bytes.ok() && bytes.status().code() != StatusCode::NotFound) {
    log_error("cannot read the ", what, ": ", bytes.status().name());
    return false;
  }
  const std::string_view text = bytes.ok() ? bytes->view() : std::string_view();
  if (blank(text)) {
    if (!options.required) return true;  // the defaults
    log_error("invalid ", what, ": $: required, the configuration is empty");
    return false;
  }
  JsonResult<Json> json = Json::parse(text);
  std::optional<JsonError> error;
  if (!json.ok()) {
    error = json.error();
  } else {
    error = reader(json->root(), into, options.unknown_fields);
  }
  if (!error) return true;
  log_error("invalid ", what, ": ", error->message());
  return false;
}

}  // namespace coproxy::detail
