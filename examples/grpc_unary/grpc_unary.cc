// grpc_unary: a unary gRPC call to an auth service checks each request; its status decides.
// auth.Auth/Check gets CheckRequest{string token = 1} (the bearer token, protobuf-encoded by
// hand below) within a deadline. OK: the request goes on with x-user from
// CheckResponse{string user = 1}; UNAUTHENTICATED: 401; PERMISSION_DENIED: 403;
// DEADLINE_EXCEEDED: 504; anything else, or a refused call: 503. The configuration is JSON,
// optional: {"deadline": "200ms"} (or 200, in ms; the default).
// Style: tasks
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "coro/coro.h"

namespace {

using coproxy::Action;
using coproxy::GrpcStatus;
using coproxy::Task;

// Field `field` of a protobuf message as a length-delimited string: its tag, length, bytes.
std::string encode_string_field(uint32_t field, std::string_view value) {
  std::string out(1, static_cast<char>(field << 3 | 2));
  for (size_t n = value.size();; n >>= 7) {
    out.push_back(static_cast<char>((n & 0x7f) | (n > 0x7f ? 0x80 : 0)));
    if (n <= 0x7f) break;
  }
  return out.append(value);
}

// The first string field `field` of a protobuf message; nullopt if it has none or is malformed.
std::optional<std::string_view> decode_string_field(std::string_view message, uint32_t field) {
  size_t at = 0;
  auto varint = [&]() -> std::optional<uint64_t> {
    uint64_t value = 0;
    for (int shift = 0; at < message.size() && shift < 64; shift += 7) {
      const uint8_t byte = static_cast<uint8_t>(message[at++]);
      value |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return std::nullopt;
  };
  while (at < message.size()) {
    const std::optional<uint64_t> tag = varint();
    if (!tag) return std::nullopt;
    const uint64_t wire_type = *tag & 7;
    if (wire_type == 0) {
      if (!varint()) return std::nullopt;
    } else if (wire_type == 2) {
      const std::optional<uint64_t> size = varint();
      if (!size || *size > message.size() - at) return std::nullopt;
      if (*tag >> 3 == field) return message.substr(at, *size);
      at += *size;
    } else {
      return std::nullopt;  // not used by this service
    }
  }
  return std::nullopt;
}

class Auth;

class Stream : public coproxy::StreamOf<Auth, coproxy::AsyncHttpContext> {
  Task<Action> on_request_headers(size_t, bool) override;
};

// {"deadline": "200ms"}
struct Config {
  std::chrono::milliseconds deadline{200};
  void json_fields(coproxy::JsonFields& f) {
    f.optional("deadline", deadline);
    if (deadline.count() == 0) f.invalid("deadline", "must be at least 1ms");
  }
};

class Auth : public coproxy::PluginContext {
 public:
  Config config;
  coproxy::Counter denied{"grpc_unary_denied_total"};

  bool on_plugin_start(size_t) override { return coproxy::read_plugin_configuration(config); }
  std::unique_ptr<coproxy::HttpContextBase> new_http_context() override {
    return std::make_unique<Stream>();
  }
};

Task<Action> Stream::on_request_headers(size_t, bool) {
  const coproxy::HostBytes authorization =
      request_headers().get("authorization").value_or(coproxy::HostBytes());
  std::string_view token = authorization.view();
  if (token.starts_with("Bearer ")) token.remove_prefix(7);
  auto reply = co_await grpc_call({"auth", "auth.Auth", "Check"}, {}, encode_string_field(1, token),
                                  plugin().config.deadline);
  if (!reply.ok()) co_return send_local_response(503, "auth unavailable");  // the host refused
  switch (reply->grpc_status()) {
    case GrpcStatus::Ok: {
      const std::optional<std::string_view> user = decode_string_field(reply->message(), 1);
      if (!user) co_return send_local_response(503, "bad auth answer");
      request_headers().add("x-user", *user);
      co_return Action::Continue;
    }
    case GrpcStatus::Unauthenticated:
      plugin().denied.increment();
      co_return send_local_response(401, "unauthenticated", {{"www-authenticate", "Bearer"}});
    case GrpcStatus::PermissionDenied:
      plugin().denied.increment();
      co_return send_local_response(403, "denied");
    case GrpcStatus::DeadlineExceeded: co_return send_local_response(504, "auth timed out");
    default:
      coproxy::log_warn("grpc_unary: auth answered ", coproxy::grpc_status_name(reply->grpc_status()), " ",
                        reply->message());
      co_return send_local_response(503, "auth unavailable");
  }
}

}  // namespace

COPROXY_REGISTER_PLUGIN(grpc_unary, Auth);
