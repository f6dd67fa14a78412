#include "testing/emulator.h"

#include <utility>

namespace coproxy::testing {
namespace {

uint32_t count(const Pairs& pairs) { return static_cast<uint32_t>(pairs.size()); }
uint32_t size32(const std::string& s) { return static_cast<uint32_t>(s.size()); }

}  // namespace

Emulator::Emulator(const Loader& load) : plugin_(load(host_)) {}

Emulator::~Emulator() { plugin_.reset(); }

template <class Call>
auto Emulator::call(uint32_t context, Call&& body) {
  host_.begin_call(context);
  auto result = body();
  host_.end_call();
  return result;
}

uint32_t Emulator::start_plugin(std::string plugin_configuration, std::string root_id,
                                std::string vm_configuration) {
  const uint32_t root = next_context_id_++;
  host_.add_context(root);
  host_.put_property({"plugin_root_id"}, root_id);
  call(root, [&] {
    plugin_->on_context_create(root, 0);
    return 0;
  });
  if (!vm_started_) {
    vm_started_ = true;
    const bool ok = call(root, [&] {
      host_.set_call_buffer(BufferType::VmConfiguration, vm_configuration);
      return plugin_->on_vm_start(root, size32(vm_configuration));
    });
    if (!ok) return 0;
  }
  const bool ok = call(root, [&] {
    host_.set_call_buffer(BufferType::PluginConfiguration, plugin_configuration);
    return plugin_->on_configure(root, size32(plugin_configuration));
  });
  return ok ? root : 0;
}

uint32_t Emulator::open_stream(uint32_t root) {
  const uint32_t stream = next_context_id_++;
  host_.add_context(stream);
  call(stream, [&] {
    plugin_->on_context_create(stream, root);
    return 0;
  });
  return stream;
}

Action Emulator::send_request_headers(uint32_t stream, Pairs headers, bool end_of_stream) {
  host_.stream(stream).maps[0] = std::move(headers);
  return call(stream, [&] {
    return static_cast<Action>(plugin_->on_request_headers(
        stream, count(host_.stream(stream).maps[0]), end_of_stream));
  });
}

Action Emulator::send_request_body(uint32_t stream, std::string chunk, bool end_of_stream) {
  std::string& body = host_.stream(stream).buffers[0];
  body += chunk;
  return call(stream, [&] {
    return static_cast<Action>(plugin_->on_request_body(stream, size32(body), end_of_stream));
  });
}

Action Emulator::send_request_trailers(uint32_t stream, Pairs trailers) {
  host_.stream(stream).maps[1] = std::move(trailers);
  return call(stream, [&] {
    return static_cast<Action>(
        plugin_->on_request_trailers(stream, count(host_.stream(stream).maps[1])));
  });
}

Action Emulator::send_response_headers(uint32_t stream, Pairs headers, bool end_of_stream) {
  host_.stream(stream).maps[2] = std::move(headers);
  return call(stream, [&] {
    return static_cast<Action>(plugin_->on_response_headers(
        stream, count(host_.stream(stream).maps[2]), end_of_stream));
  });
}

Action Emulator::send_response_body(uint32_t stream, std::string chunk, bool end_of_stream) {
  std::string& body = host_.stream(stream).buffers[1];
  body += chunk;
  return call(stream, [&] {
    return static_cast<Action>(plugin_->on_response_body(stream, size32(body), end_of_stream));
  });
}

Action Emulator::send_response_trailers(uint32_t stream, Pairs trailers) {
  host_.stream(stream).maps[3] = std::move(trailers);
  return call(stream, [&] {
    return static_cast<Action>(
        plugin_->on_response_trailers(stream, count(host_.stream(stream).maps[3])));
  });
}

Action Emulator::new_connection(uint32_t stream) {
  return call(stream, [&] { return static_cast<Action>(plugin_->on_new_connection(stream)); });
}

Action Emulator::send_downstream_data(uint32_t stream, std::string chunk, bool end_of_stream) {
  std::string& data = host_.stream(stream).buffers[2];
  data += chunk;
  return call(stream, [&] {
    return static_cast<Action>(plugin_->on_downstream_data(stream, size32(data), end_of_stream));
  });
}

Action Emulator::send_upstream_data(uint32_t stream, std::string chunk, bool end_of_stream) {
  std::string& data = host_.stream(stream).buffers[3];
  data += chunk;
  return call(stream, [&] {
    return static_cast<Action>(plugin_->on_upstream_data(stream, size32(data), end_of_stream));
  });
}

void Emulator::close_downstream(uint32_t stream, PeerType peer) {
  call(stream, [&] {
    plugin_->on_downstream_connection_close(stream, static_cast<uint32_t>(peer));
    return 0;
  });
}

void Emulator::close_upstream(uint32_t stream, PeerType peer) {
  call(stream, [&] {
    plugin_->on_upstream_connection_close(stream, static_cast<uint32_t>(peer));
    return 0;
  });
}

void Emulator::end_stream(uint32_t stream) {
  call(stream, [&] { return plugin_->on_done(stream); });
  call(stream, [&] {
    plugin_->on_log(stream);
    return 0;
  });
  delete_context(stream);
}

bool Emulator::stop_plugin(uint32_t root) {
  return call(root, [&] { return plugin_->on_done(root); }) != 0;
}

void Emulator::delete_context(uint32_t context_id) {
  call(context_id, [&] {
    plugin_->on_delete(context_id);
    return 0;
  });
  host_.remove_context(context_id);
}

void Emulator::tick(uint32_t root) {
  call(root, [&] {
    plugin_->on_tick(root);
    return 0;
  });
}

void Emulator::deliver_queue_ready() {
  for (auto [queue_id, owner] : host_.take_ready_queues()) {
    call(owner, [&] {
      plugin_->on_queue_ready(owner, queue_id);
      return 0;
    });
  }
}

void Emulator::call_foreign_function(uint32_t root, uint32_t function_id, std::string arguments) {
  call(root, [&] {
    host_.set_call_buffer(BufferType::CallData, arguments);
    plugin_->on_foreign_function(root, function_id, size32(arguments));
    return 0;
  });
}

void Emulator::answer_http_call(uint32_t root, uint32_t token, Pairs headers, std::string body,
                                Pairs trailers) {
  call(root, [&] {
    const uint32_t header_count = count(headers), trailer_count = count(trailers);
    host_.set_call_map(MapType::HttpCallResponseHeaders, std::move(headers));
    host_.set_call_map(MapType::HttpCallResponseTrailers, std::move(trailers));
    host_.set_call_buffer(BufferType::HttpCallResponseBody, body);
    plugin_->on_http_call_response(root, token, header_count, size32(body), trailer_count);
    return 0;
  });
}

void Emulator::fail_http_call(uint32_t root, uint32_t token) {
  answer_http_call(root, token, {}, "", {});
}

void Emulator::grpc_initial_metadata(uint32_t root, uint32_t token, Pairs metadata) {
  call(root, [&] {
    const uint32_t n = count(metadata);
    host_.set_call_map(MapType::GrpcReceiveInitialMetadata, std::move(metadata));
    plugin_->on_grpc_receive_initial_metadata(root, token, n);
    return 0;
  });
}

void Emulator::grpc_message(uint32_t root, uint32_t token, std::string message) {
  call(root, [&] {
    host_.set_call_buffer(BufferType::GrpcReceiveBuffer, message);
    plugin_->on_grpc_receive(root, token, size32(message));
    return 0;
  });
}

void Emulator::grpc_trailing_metadata(uint32_t root, uint32_t token, Pairs metadata) {
  call(root, [&] {
    const uint32_t n = count(metadata);
    host_.set_call_map(MapType::GrpcReceiveTrailingMetadata, std::move(metadata));
    plugin_->on_grpc_receive_trailing_metadata(root, token, n);
    return 0;
  });
}

void Emulator::grpc_close(uint32_t root, uint32_t token, uint32_t status, std::string message) {
  call(root, [&] {
    host_.set_call_status(status, message);
    plugin_->on_grpc_close(root, token, status);
    return 0;
  });
}

}  // namespace coproxy::testing
