// What a wasm plugin needs from the C and C++ runtimes, smaller than what they ship:
// - malloc & co. on SizeClassHeap instead of dlmalloc (8 KB of code);
// - memcpy, memmove, memset as single bulk-memory instructions (the C versions are 3 KB);
// - libc++'s abort path and the global operator new/delete without stdio, which would
//   otherwise import fd_write, fd_seek, fd_close from WASI;
// - the SDK's version, as a custom section.
// Natively this file is empty.
#if defined(__wasm__)

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "coproxy/detail/recycling_pool.h"
#include "coproxy/detail/size_class_heap.h"
#include "coproxy/version.h"

// The SDK's version as the module's custom section "coproxy_version" (21 bytes): clang emits
// no custom section from a section attribute, but its assembler does from a section named
// .custom_section.<name>, which wasm-ld and wasm-opt keep.
asm(".section .custom_section.coproxy_version,\"\",@\n"
    ".ascii \"" COPROXY_VERSION "\"\n"
    ".section .text,\"\",@\n");

namespace {

constexpr size_t kPageSize = 65536;

extern "C" unsigned char __heap_base;  // first byte after the data and the stack (wasm-ld)

// The last page of the 4 GiB a wasm32 memory can reach stays unused: its end, 2^32, does not
// fit in a pointer, and the heap's arithmetic would wrap to 0.
constexpr size_t kMaxPages = 65535;

void* grow_memory(size_t min_bytes, size_t* granted) {
  const size_t pages = (min_bytes + kPageSize - 1) / kPageSize;
  if (pages > kMaxPages - __builtin_wasm_memory_size(0)) return nullptr;
  const size_t old_pages = __builtin_wasm_memory_grow(0, pages);
  if (old_pages == SIZE_MAX) return nullptr;
  *granted = pages * kPageSize;
  return reinterpret_cast<void*>(old_pages * kPageSize);
}

// The memory between the data, the stack and the end of the initial memory goes to the heap
// on its first allocation, with as many more pages as that allocation needs (new pages follow
// the old end).
void* take_memory(size_t min_bytes, size_t* granted) {
  static bool initial_taken = false;
  if (initial_taken) return grow_memory(min_bytes, granted);
  char* start = reinterpret_cast<char*>(&__heap_base);
  const size_t initial =
      __builtin_wasm_memory_size(0) * kPageSize - reinterpret_cast<uintptr_t>(start);
  size_t grown = 0;
  if (initial < min_bytes && grow_memory(min_bytes - initial, &grown) == nullptr) return nullptr;
  initial_taken = true;
  *granted = initial + grown;
  return start;
}

// Constant-initialized, not made on first use: static constructors may allocate before this
// file's would run, and malloc and free test nothing before reaching it.
constinit coproxy::detail::SizeClassHeap heap(take_memory);

}  // namespace

extern "C" {

void* malloc(size_t size) { return heap.allocate(size); }
void free(void* p) { heap.free(p); }
void* calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return nullptr;
  void* p = heap.allocate(count * size);
  if (p != nullptr) __builtin_memset(p, 0, count * size);
  return p;
}
void* realloc(void* p, size_t size) { return heap.reallocate(p, size); }
void* aligned_alloc(size_t alignment, size_t size) { return heap.allocate_aligned(alignment, size); }
int posix_memalign(void** out, size_t alignment, size_t size) {
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = heap.allocate_aligned(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}
size_t malloc_usable_size(void* p) { return p ? heap.usable_size(p) : 0; }
// wasi-libc's internal names for the same functions.
void* __libc_malloc(size_t size) { return malloc(size); }
void __libc_free(void* p) { free(p); }
void* __libc_calloc(size_t count, size_t size) { return calloc(count, size); }

// With -mbulk-memory each of these compiles to one memory.copy / memory.fill instruction.
void* memcpy(void* __restrict dst, const void* __restrict src, size_t n) {
  __builtin_memcpy(dst, src, n);
  return dst;
}
void* memmove(void* dst, const void* src, size_t n) {
  __builtin_memmove(dst, src, n);
  return dst;
}
void* memset(void* dst, int c, size_t n) {
  __builtin_memset(dst, c, n);
  return dst;
}

}  // extern "C"

namespace std {
inline namespace __2 {
// libc++ calls this on a failed hardening check or a bad_alloc with exceptions off; the
// standard one prints. Not noexcept: it must match libc++'s declaration.
[[noreturn]] void __libcpp_verbose_abort(const char*, ...) { __builtin_trap(); }
}  // namespace __2
}  // namespace std

// A call through a pure virtual slot (a destructor calling a virtual): libc++abi's version
// prints through stdio, which would import WASI's fd_write into every plugin that has an
// abstract class. Trap instead; the host fails the VM either way.
extern "C" [[noreturn]] void __cxa_pure_virtual() { __builtin_trap(); }

// Memory exhausted: the throwing forms log why and trap (coproxy::detail::out_of_memory), since
// with exceptions off a nullptr from them would be written through (address 0 is valid wasm
// memory, so nothing would catch it). The nothrow forms return nullptr.
namespace {
void* allocate_or_trap(void* block) {
  if (block == nullptr) coproxy::detail::out_of_memory();
  return block;
}
}  // namespace
void* operator new(std::size_t size) { return allocate_or_trap(std::malloc(size ? size : 1)); }
void* operator new[](std::size_t size) { return allocate_or_trap(std::malloc(size ? size : 1)); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return std::malloc(size ? size : 1); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return std::malloc(size ? size : 1); }
void* operator new(std::size_t size, std::align_val_t align) {
  return allocate_or_trap(std::aligned_alloc(static_cast<std::size_t>(align), size ? size : 1));
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return allocate_or_trap(std::aligned_alloc(static_cast<std::size_t>(align), size ? size : 1));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

#endif  // __wasm__
