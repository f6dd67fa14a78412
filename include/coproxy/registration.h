// Registering a plugin module: which VmContext the module's exports drive.
//
//   COPROXY_REGISTER_PLUGIN(hello, HelloPlugin);   // one plugin context type for every root id
//   COPROXY_REGISTER_VM(multi, MyVm);              // MyVm picks a plugin context by root id
//
// A .wasm holds one registration. Natively several plugins may be linked into one test
// binary; a host picks one by name (find_registration) and runs it in its own instance.
#pragma once

#include <memory>
#include <string_view>

#include "coproxy/vm_context.h"

namespace coproxy {

class PluginRegistration {
 public:
  using MakeVm = std::unique_ptr<VmContext> (*)();
  PluginRegistration(const char* name, MakeVm make_vm);

  std::string_view name() const { return name_; }
  std::unique_ptr<VmContext> make_vm() const { return make_vm_(); }
  const PluginRegistration* next() const { return next_; }

 private:
  const char* name_;
  MakeVm make_vm_;
  const PluginRegistration* next_;
};

// Every registration linked into this binary (most recent first), or nullptr.
const PluginRegistration* first_registration();
// The registration called `name`, or nullptr.
const PluginRegistration* find_registration(std::string_view name);

}  // namespace coproxy

#define COPROXY_REGISTER_VM(name, VmType)                                              \
  static const ::coproxy::PluginRegistration coproxy_registration_##name(              \
      #name, []() -> std::unique_ptr<::coproxy::VmContext> {                           \
        return std::make_unique<VmType>();                                             \
      })

#define COPROXY_REGISTER_PLUGIN(name, PluginType) \
  COPROXY_REGISTER_VM(name, ::coproxy::SinglePluginVm<PluginType>)
