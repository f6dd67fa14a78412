// http_set_header: sets, replaces and removes request headers as its configuration lists them.
// Configuration: operations separated by ';', applied in order to every request:
//   set name=value       the header is value (added when absent)
//   replace name=value   only a header that is there gets value
//   remove name
// e.g. "set x-env=prod; replace user-agent=coproxy; remove x-debug".
// Style: callbacks
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coproxy/coproxy.h"

namespace {

struct Operation {
  enum Kind : uint8_t { Set, Replace, Remove } kind;
  std::string name, value;
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

class SetHeader;

class Stream : public coproxy::StreamOf<SetHeader> {
  coproxy::Action on_request_headers(size_t, bool) override;
};

class SetHeader : public coproxy::PluginContext {
 public:
  std::vector<Operation> operations;

  bool on_plugin_start(size_t) override {
    coproxy::Result<coproxy::HostBytes> config = coproxy::plugin_configuration().get();
    std::string_view text = config.ok() ? config->view() : std::string_view();
    while (!text.empty()) {
      const size_t semicolon = text.find(';');
      const std::string_view line = trim(text.substr(0, semicolon));
      text = semicolon == std::string_view::npos ? std::string_view() : text.substr(semicolon + 1);
      if (line.empty()) continue;
      const size_t space = line.find(' ');
      const std::string_view verb = line.substr(0, space);
      const std::string_view rest =
          space == std::string_view::npos ? std::string_view() : trim(line.substr(space + 1));
      const size_t equals = rest.find('=');
      if (verb == "remove" && !rest.empty() && equals == std::string_view::npos) {
        operations.push_back({Operation::Remove, std::string(rest), ""});
      } else if ((verb == "set" || verb == "replace") && equals != 0 &&
                 equals != std::string_view::npos) {
        operations.push_back({verb == "set" ? Operation::Set : Operation::Replace,
                              std::string(rest.substr(0, equals)),
                              std::string(rest.substr(equals + 1))});
      } else {
        coproxy::log_error("http_set_header: not an operation: '", line, "'");
        return false;
      }
    }
    return true;
  }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  for (const Operation& op : plugin().operations) {
    switch (op.kind) {
      case Operation::Set: request_headers().replace(op.name, op.value); break;
      case Operation::Replace:
        if (request_headers().get(op.name).ok()) request_headers().replace(op.name, op.value);
        break;
      case Operation::Remove: request_headers().remove(op.name); break;
    }
  }
  return coproxy::Action::Continue;
}

}  // namespace

COPROXY_REGISTER_PLUGIN(http_set_header, SetHeader);
