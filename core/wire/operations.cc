#include "core/wire/operations.h"

#include <algorithm>

namespace vxp::wire {
namespace {

static_assert(std::size(kOperations) == kOperationCount);

constexpr bool InEnumOrder() {
  for (int i = 0; i < kOperationCount; ++i) {
    if (static_cast<int>(kOperations[i].op) != i) return false;
  }
  return true;
}
static_assert(InEnumOrder(), "kOperations is indexed by Op");

}  // namespace

std::span<const Operation> Operations() { return kOperations; }

const Operation& OperationInfo(Op op) { return kOperations[static_cast<int>(op)]; }

const Operation* FindOperation(std::string_view name) {
  for (const Operation& o : kOperations) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

bool IsParameterOf(const Operation& op, std::string_view name) {
  for (std::string_view p : op.required) {
    if (p == name) return true;
  }
  for (std::string_view p : op.optional) {
    if (p == name) return true;
  }
  return false;
}

std::string_view ForeignParameter(const Operation& op, std::span<const std::string> names) {
  for (const std::string& name : names) {
    if (name == "servicetype" || IsParameterOf(op, name)) continue;
    for (const Operation& other : kOperations) {
      if (IsParameterOf(other, name)) return name;
    }
  }
  return {};
}

bool Fits(const Operation& op, std::span<const std::string> names) {
  for (std::string_view r : op.required) {
    if (std::find(names.begin(), names.end(), r) == names.end()) return false;
  }
  return ForeignParameter(op, names).empty();
}

}  // namespace vxp::wire
