// TCP connection contexts: TcpContextBase is what the dispatcher drives; TcpContext is the
// callback flavour with no-op defaults.
#pragma once

#include <cstddef>

#include "coproxy/abi/types.h"
#include "coproxy/buffer.h"
#include "coproxy/context.h"
#include "coproxy/stream_control.h"

namespace coproxy {

class TcpContextBase : public Context {
 public:
  virtual Action handle_new_connection() = 0;
  virtual Action handle_downstream_data(size_t data_size, bool end_of_stream) = 0;
  virtual void handle_downstream_close(PeerType peer) = 0;
  virtual Action handle_upstream_data(size_t data_size, bool end_of_stream) = 0;
  virtual void handle_upstream_close(PeerType peer) = 0;
  virtual bool handle_done() { return true; }
  virtual void handle_log() = 0;

  static constexpr Buffer downstream_data() { return coproxy::downstream_data(); }
  static constexpr Buffer upstream_data() { return coproxy::upstream_data(); }

  // Closes the connection (proxy_close_stream): nothing more of it goes on.
  Status close();
  bool closed() const { return end_.closed; }

 protected:
  const detail::StreamEnd& stream_end() const { return end_; }

 private:
  detail::StreamEnd end_;  // a connection has no local reply
};

class TcpContext : public TcpContextBase {
 public:
  virtual Action on_new_connection();
  virtual Action on_downstream_data(size_t data_size, bool end_of_stream);
  virtual void on_downstream_close(PeerType peer);
  virtual Action on_upstream_data(size_t data_size, bool end_of_stream);
  virtual void on_upstream_close(PeerType peer);
  // The connection is over (proxy_on_log).
  virtual void on_stream_done();

  Action handle_new_connection() final;
  Action handle_downstream_data(size_t data_size, bool end_of_stream) final;
  void handle_downstream_close(PeerType peer) final;
  Action handle_upstream_data(size_t data_size, bool end_of_stream) final;
  void handle_upstream_close(PeerType peer) final;
  void handle_log() final;
};

}  // namespace coproxy
