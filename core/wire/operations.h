// The hub API's operations (hub-api.md §3) as one table: what each is called, how the SDK sends
// it, which XroadVnpt-* parameters it needs, what it answers and whether it changes state. The
// hub dispatches by it, the hub client takes its methods from it, docs/hub-errors.md lists it and
// the tests walk it — so an operation added here without a handler fails the hub's tests instead
// of being answered by another operation.
//
// Pure data; thread-safe.
#ifndef VXP_CORE_WIRE_OPERATIONS_H_
#define VXP_CORE_WIRE_OPERATIONS_H_

#include <span>
#include <string_view>

namespace vxp::wire {

enum class Op {
  kSendEdoc,
  kGetReceivedEdocList,
  kGetEdoc,
  kDownloadEdoc,
  kUpdateStatus,
  kGetSentEdocList,
  kCountReceiveEdoc,
  kCountReceiveStatus,
  kGetAgenciesList,
  kGetAgenciesListQD20,
  kGetSynchronizeUnit,
  kRegisterAgency,
  kDeleteAgency,
};
inline constexpr int kOperationCount = 13;

struct Operation {
  Op op;
  std::string_view name;    // the last path segment, as the SDK spells it
  std::string_view method;  // the HTTP method the SDK sends (the hub does not refuse another)
  std::string_view body;    // what the SDK sends as the body
  // XroadVnpt-* parameters (lower-case) the hub requires; each must also be signed (listed in
  // XroadVnpt-sign-header). Without one the hub answers 2002 BAD_PARAMETER naming it.
  std::span<const std::string_view> required;
  std::span<const std::string_view> optional;  // read when present, signed like the others
  bool changes_state;                          // stores, acknowledges or edits something
  std::string_view answer;  // the fields of a successful answer beyond the envelope
  bool doc_id_always;       // every answer, failures included, carries "DocId" (the SDK needs it)
};

// Every operation, in hub-api.md's order; operations()[static_cast<int>(op)].op == op.
std::span<const Operation> Operations();
const Operation& OperationInfo(Op op);
// The operation of that name (exact spelling), or nullptr.
const Operation* FindOperation(std::string_view name);

}  // namespace vxp::wire

#endif  // VXP_CORE_WIRE_OPERATIONS_H_
