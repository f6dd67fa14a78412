#include "coproxy/registration.h"

namespace coproxy {
namespace {

// Constant-initialized, so registrations made by static constructors in any order land here.
constinit const PluginRegistration* registrations = nullptr;

}  // namespace

PluginRegistration::PluginRegistration(const char* name, MakeVm make_vm)
    : name_(name), make_vm_(make_vm), next_(registrations) {
  registrations = this;
}

const PluginRegistration* first_registration() { return registrations; }

const PluginRegistration* find_registration(std::string_view name) {
  for (const PluginRegistration* r = registrations; r != nullptr; r = r->next()) {
    if (r->name() == name) return r;
  }
  return nullptr;
}

}  // namespace coproxy
