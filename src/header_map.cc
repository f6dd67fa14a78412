#include "coproxy/header_map.h"

#include "encoded_map.h"
#include "host_call.h"

namespace coproxy {

using internal::to_status;
using internal::wire;

Result<HostBytes> HeaderMap::get(std::string_view name) const {
  return internal::read_host_bytes([&](const char** data, size_t* size) {
    return proxy_get_header_map_value(wire(type_), name.data(), name.size(), data, size);
  });
}

Status HeaderMap::add(std::string_view name, std::string_view value) const {
  return to_status(proxy_add_header_map_value(wire(type_), name.data(), name.size(),
                                              value.data(), value.size()));
}

Status HeaderMap::replace(std::string_view name, std::string_view value) const {
  return to_status(proxy_replace_header_map_value(wire(type_), name.data(), name.size(),
                                                  value.data(), value.size()));
}

Status HeaderMap::remove(std::string_view name) const {
  return to_status(proxy_remove_header_map_value(wire(type_), name.data(), name.size()));
}

Result<HeaderPairs> HeaderMap::pairs() const {
  Result<HostBytes> bytes = internal::read_host_bytes([&](const char** data, size_t* size) {
    return proxy_get_header_map_pairs(wire(type_), data, size);
  });
  if (!bytes.ok()) return bytes.status();
  Result<MapView> view = MapView::parse(bytes->view());
  if (!view.ok()) return view.status();
  return HeaderPairs(std::move(*bytes), *view);
}

Status HeaderMap::set_pairs(HeaderSpan headers) const {
  internal::EncodedMap encoded(headers);
  if (!encoded.status().ok()) return encoded.status();
  return to_status(proxy_set_header_map_pairs(wire(type_), encoded.data(), encoded.size()));
}

Result<size_t> HeaderMap::byte_size() const {
  size_t size = 0;
  Status status = to_status(proxy_get_header_map_size(wire(type_), &size));
  if (!status.ok()) return status;
  return size;
}

}  // namespace coproxy
