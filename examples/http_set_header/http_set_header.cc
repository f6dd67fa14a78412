// http_set_header: sets, replaces and removes request headers as its configuration lists them.
// The configuration is JSON: a list of operations, applied in order to every request:
//   {"op": "set", "name": N, "value": V}       the header is V (added when absent)
//   {"op": "replace", "name": N, "value": V}   only a header that is there gets V
//   {"op": "remove", "name": N}
// e.g. {"operations": [{"op": "set", "name": "x-env", "value": "prod"},
//                      {"op": "remove", "name": "x-debug"}]}.
// Style: callbacks
#include <memory>
#include <string>
#include <vector>

#include "coproxy/coproxy.h"

namespace {

struct Operation {
  enum Kind : uint8_t { Set, Replace, Remove } kind = Set;
  std::string name, value;
  void json_fields(coproxy::JsonFields& f) {
    f.required("op", kind, {{"set", Set}, {"replace", Replace}, {"remove", Remove}});
    f.required("name", name);
    if (name.empty()) f.invalid("name", "must name a header");
    if (kind != Remove) f.required("value", value);  // remove takes none: an unknown field
  }
};

struct Config {
  std::vector<Operation> operations;  // none: requests go on as they are
  void json_fields(coproxy::JsonFields& f) { f.optional("operations", operations); }
};

class SetHeader;

class Stream : public coproxy::StreamOf<SetHeader> {
  coproxy::Action on_request_headers(size_t, bool) override;
};

class SetHeader : public coproxy::PluginContext {
 public:
  Config config;

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

coproxy::Action Stream::on_request_headers(size_t, bool) {
  for (const Operation& op : plugin().config.operations) {
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
