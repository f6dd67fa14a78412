#include "coproxy/property.h"

#include "coproxy/map_codec.h"  // detail::append_terminated
#include "host_call.h"
#include "scratch_bytes.h"

namespace coproxy {
namespace {

size_t encoded_path_size(PropertyPath path) {
  size_t size = 0;
  for (std::string_view segment : path) size += segment.size() + 1;
  return size;
}

// The path as its segments, each followed by '\0'.
class EncodedPath : public internal::ScratchBytes {
 public:
  explicit EncodedPath(PropertyPath path) : ok_(allocate(encoded_path_size(path))) {
    if (!ok_) return;
    char* out = data();
    for (std::string_view segment : path) out = detail::append_terminated(out, segment);
  }
  // False when a long path's bytes could not be allocated.
  bool ok() const { return ok_; }

 private:
  bool ok_;
};

}  // namespace

Result<HostBytes> get_property(PropertyPath path) {
  EncodedPath encoded(path);
  if (!encoded.ok()) return StatusCode::InternalFailure;
  return internal::read_host_bytes([&](const char** data, size_t* size) {
    return proxy_get_property(encoded.data(), encoded.size(), data, size);
  });
}

Status set_property(PropertyPath path, std::string_view value) {
  EncodedPath encoded(path);
  if (!encoded.ok()) return StatusCode::InternalFailure;
  return internal::to_status(
      proxy_set_property(encoded.data(), encoded.size(), value.data(), value.size()));
}

}  // namespace coproxy
