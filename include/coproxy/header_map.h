// Header maps: request/response headers and trailers, and the maps of callout responses.
#pragma once

#include <optional>
#include <string_view>

#include "coproxy/abi/types.h"
#include "coproxy/header.h"
#include "coproxy/host_bytes.h"
#include "coproxy/map_codec.h"
#include "coproxy/status.h"

namespace coproxy {

// All pairs of a map as the host returned them: owns the bytes, iterates as Header.
class HeaderPairs {
 public:
  HeaderPairs() = default;
  HeaderPairs(HostBytes bytes, MapView view) : bytes_(std::move(bytes)), view_(view) {}

  MapView::iterator begin() const { return view_.begin(); }
  MapView::iterator end() const { return view_.end(); }
  size_t size() const { return view_.size(); }
  bool empty() const { return view_.empty(); }
  std::optional<std::string_view> find(std::string_view name) const { return view_.find(name); }

 private:
  HostBytes bytes_;
  MapView view_;
};

// A handle on one of the host's header maps. Cheap to copy; every call is a host call.
class HeaderMap {
 public:
  constexpr explicit HeaderMap(MapType type) : type_(type) {}
  MapType type() const { return type_; }

  // The value of `name`; NotFound when absent.
  Result<HostBytes> get(std::string_view name) const;
  // Adds a pair (a second value for an existing name is added, not merged, by most hosts).
  Status add(std::string_view name, std::string_view value) const;
  // Sets `name` to `value`, adding it when absent.
  Status replace(std::string_view name, std::string_view value) const;
  Status remove(std::string_view name) const;
  // Every pair; ParseFailure when the host's encoding is malformed.
  Result<HeaderPairs> pairs() const;
  // Replaces the whole map.
  Status set_pairs(HeaderSpan headers) const;
  // The size of the map's encoding in bytes, as the host reports it.
  Result<size_t> byte_size() const;

 private:
  MapType type_;
};

inline constexpr HeaderMap request_headers() { return HeaderMap(MapType::HttpRequestHeaders); }
inline constexpr HeaderMap request_trailers() { return HeaderMap(MapType::HttpRequestTrailers); }
inline constexpr HeaderMap response_headers() { return HeaderMap(MapType::HttpResponseHeaders); }
inline constexpr HeaderMap response_trailers() { return HeaderMap(MapType::HttpResponseTrailers); }

}  // namespace coproxy
