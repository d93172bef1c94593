// The hub API's operations (hub-api.md §3) as one table: what each is called, how the SDK sends
// it, which XroadVnpt-* parameters it needs, what it answers and whether it changes state. The
// hub dispatches by it, the hub client takes its methods from it, docs/hub-errors.md lists it and
// the tests walk it — so an operation added here without a handler fails the hub's tests instead
// of being answered by another operation. Adding an operation: its Op and kOperations entry here,
// its handler in simulator/hub/hub.{h,cc}.
//
// Pure data; thread-safe.
#ifndef VXP_CORE_WIRE_OPERATIONS_H_
#define VXP_CORE_WIRE_OPERATIONS_H_

#include <span>
#include <string>
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
  std::string_view method;  // the HTTP method the SDK sends; the hub refuses another (2016)
  std::string_view body;    // what the SDK sends as the body
  // XroadVnpt-* parameters (lower-case) the hub requires; each must also be signed (listed in
  // XroadVnpt-sign-header). Without one the hub answers 2002 BAD_PARAMETER naming it.
  std::span<const std::string_view> required;
  std::span<const std::string_view> optional;  // read when present, signed like the others
  bool changes_state;                          // stores, acknowledges or edits something
  std::string_view answer;  // the fields of a successful answer beyond the envelope
  bool doc_id_always;       // every answer, failures included, carries "DocId" (the SDK needs it)
};

namespace operation_params {
// hash-file is required: it binds the body to the signed headers (the SDK always sends it).
inline constexpr std::string_view kSendRequired[] = {"from", "messagetype", "hash-file"};
inline constexpr std::string_view kSendOptional[] = {"servicetype", "to"};
inline constexpr std::string_view kListRequired[] = {"messagetype"};
inline constexpr std::string_view kListOptional[] = {"servicetype", "fromdate", "todate"};
inline constexpr std::string_view kDocId[] = {"docid"};
inline constexpr std::string_view kUpdateRequired[] = {"docid", "status"};
inline constexpr std::string_view kUpdateOptional[] = {"description"};
inline constexpr std::string_view kSentOptional[] = {"servicetype", "docid"};
inline constexpr std::string_view kCountOptional[] = {"servicetype", "messagetype"};
inline constexpr std::string_view kLevel[] = {"level"};
inline constexpr std::string_view kAgencyCode[] = {"agencycode"};

}  // namespace operation_params

// The table itself, indexed by Op (checked in operations.cc).
inline constexpr Operation kOperations[] = {
    {Op::kSendEdoc, "sendEdoc", "POST", "the package bytes and CRLF (application/octet-stream)",
     operation_params::kSendRequired, operation_params::kSendOptional, true, "DocId", true},
    {Op::kGetReceivedEdocList, "getReceivedEdocList", "POST", "empty",
     operation_params::kListRequired, operation_params::kListOptional, false,
     "data[]: docId, serviceType, messageType, created_time, updated_time, from, to, status, "
     "status_desc",
     false},
    {Op::kGetEdoc,
     "getEdoc",
     "POST",
     "{}",
     operation_params::kDocId,
     {},
     false,
     "data: the package, base64",
     false},
    {Op::kDownloadEdoc,
     "downloadEdoc",
     "GET",
     "none",
     operation_params::kDocId,
     {},
     false,
     "the package bytes as the body (application/octet-stream)",
     false},
    {Op::kUpdateStatus, "updateStatus", "POST", "{}", operation_params::kUpdateRequired,
     operation_params::kUpdateOptional, true, "", false},
    {Op::kGetSentEdocList, "getSentEdocList", "POST", "empty", operation_params::kListRequired,
     operation_params::kSentOptional, false,
     "data[]: serviceType, senderDocId, receiverDocId, fromCode, toCode, title, notation, "
     "messageType, sentTime, receivedTime, sendStatus, sendStatusDesc, receiveStatus, "
     "receiveStatusDesc",
     false},
    {Op::kCountReceiveEdoc,
     "countReceiveEdoc",
     "POST",
     "{}",
     {},
     operation_params::kCountOptional,
     false,
     "count",
     false},
    {Op::kCountReceiveStatus,
     "countReceiveStatus",
     "POST",
     "{}",
     {},
     operation_params::kCountOptional,
     false,
     "count",
     false},
    {Op::kGetAgenciesList,
     "getAgenciesList",
     "POST",
     "empty",
     {},
     {},
     false,
     "data[]: id, pid, code, name, mail, oldCode",
     false},
    {Op::kGetAgenciesListQD20,
     "getAgenciesListQD20",
     "POST",
     "empty",
     {},
     operation_params::kLevel,
     false,
     "data[]: id, code, name, mail, code102",
     false},
    {Op::kGetSynchronizeUnit,
     "getSynchronizeUnit",
     "POST",
     "empty",
     {},
     {},
     false,
     "data[]: id, pid, code, name, mail, centerCode, version, deleted, modifyDate, isAgency",
     false},
    {Op::kRegisterAgency,
     "registerAgency",
     "POST",
     R"(JSON {"id","pcode","code","name","mail","mobile","fax"})",
     {},
     {},
     true,
     "",
     false},
    {Op::kDeleteAgency,
     "deleteAgency",
     "POST",
     "{}",
     operation_params::kAgencyCode,
     {},
     true,
     "",
     false},
};

// Every operation, in hub-api.md's order; operations()[static_cast<int>(op)].op == op.
std::span<const Operation> Operations();
const Operation& OperationInfo(Op op);
// The operation of that name (exact spelling), or nullptr.
const Operation* FindOperation(std::string_view name);

// Whether `name` (lower-case, without XroadVnpt-) is a parameter of `op`, required or optional.
bool IsParameterOf(const Operation& op, std::string_view name);
// The first of `names` (lower-case, without XroadVnpt-) that is a parameter of some other
// operation but not of `op`, or "" when there is none: signed headers made for one operation
// must not be accepted by another. servicetype (always "eDoc") and names no operation uses (the
// SDK also signs client-only keys such as filePath) are never foreign.
std::string_view ForeignParameter(const Operation& op, std::span<const std::string> names);
// Whether signed parameters `names` would be accepted by `op`: every required one present, none
// foreign.
bool Fits(const Operation& op, std::span<const std::string> names);

}  // namespace vxp::wire

#endif  // VXP_CORE_WIRE_OPERATIONS_H_
