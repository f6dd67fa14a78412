// Replaces the global operator new/delete of a test binary so that plugin_allocations()
// (native_plugin.h) also counts the plugin's own operator new calls. Link it only into tests
// that count allocations (//testing:allocation_counter).
#include <cstdlib>
#include <new>

#include "testing/native_plugin.h"

namespace {

void* allocate(std::size_t size) {
  if (coproxy::testing::in_plugin_code()) coproxy::testing::count_plugin_operator_new();
  void* block = std::malloc(size ? size : 1);
  if (block == nullptr) throw std::bad_alloc();
  return block;
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (coproxy::testing::in_plugin_code()) coproxy::testing::count_plugin_operator_new();
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* block) noexcept { std::free(block); }
void operator delete[](void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }
void operator delete[](void* block, std::size_t) noexcept { std::free(block); }
