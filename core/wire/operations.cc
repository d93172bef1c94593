#include "core/wire/operations.h"

namespace vxp::wire {
namespace {

using P = std::string_view;
constexpr P kSendRequired[] = {"from", "messagetype"};
constexpr P kSendOptional[] = {"servicetype", "to", "hash-file"};
constexpr P kListRequired[] = {"messagetype"};
constexpr P kListOptional[] = {"servicetype", "fromdate", "todate"};
constexpr P kDocId[] = {"docid"};
constexpr P kUpdateRequired[] = {"docid", "status"};
constexpr P kUpdateOptional[] = {"description"};
constexpr P kSentOptional[] = {"servicetype", "docid"};
constexpr P kCountOptional[] = {"servicetype", "messagetype"};
constexpr P kLevel[] = {"level"};
constexpr P kAgencyCode[] = {"agencycode"};

constexpr Operation kAll[] = {
    {Op::kSendEdoc, "sendEdoc", "POST", "the package bytes and CRLF (application/octet-stream)",
     kSendRequired, kSendOptional, true, "DocId", true},
    {Op::kGetReceivedEdocList, "getReceivedEdocList", "POST", "empty", kListRequired, kListOptional,
     false,
     "data[]: docId, serviceType, messageType, created_time, updated_time, from, to, status, "
     "status_desc",
     false},
    {Op::kGetEdoc, "getEdoc", "POST", "{}", kDocId, {}, false, "data: the package, base64", false},
    {Op::kDownloadEdoc,
     "downloadEdoc",
     "GET",
     "none",
     kDocId,
     {},
     false,
     "the package bytes as the body (application/octet-stream)",
     false},
    {Op::kUpdateStatus, "updateStatus", "POST", "{}", kUpdateRequired, kUpdateOptional, true, "",
     false},
    {Op::kGetSentEdocList, "getSentEdocList", "POST", "empty", kListRequired, kSentOptional, false,
     "data[]: serviceType, senderDocId, receiverDocId, fromCode, toCode, title, notation, "
     "messageType, sentTime, receivedTime, sendStatus, sendStatusDesc, receiveStatus, "
     "receiveStatusDesc",
     false},
    {Op::kCountReceiveEdoc,
     "countReceiveEdoc",
     "POST",
     "{}",
     {},
     kCountOptional,
     false,
     "count",
     false},
    {Op::kCountReceiveStatus,
     "countReceiveStatus",
     "POST",
     "{}",
     {},
     kCountOptional,
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
     kLevel,
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
    {Op::kDeleteAgency, "deleteAgency", "POST", "{}", kAgencyCode, {}, true, "", false},
};
static_assert(std::size(kAll) == kOperationCount);

constexpr bool InEnumOrder() {
  for (int i = 0; i < kOperationCount; ++i) {
    if (static_cast<int>(kAll[i].op) != i) return false;
  }
  return true;
}
static_assert(InEnumOrder(), "kAll is indexed by Op");

}  // namespace

std::span<const Operation> Operations() { return kAll; }

const Operation& OperationInfo(Op op) { return kAll[static_cast<int>(op)]; }

const Operation* FindOperation(std::string_view name) {
  for (const Operation& o : kAll) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

}  // namespace vxp::wire
