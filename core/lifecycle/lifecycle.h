// The status lifecycle of edxml.md §4, per (DocumentId, recipient OrganId).
//
//             ┌── 02 (terminal, reason)
//   (sent) ─ 01 ─┤
//             └── 03 ── 04? ── 05* ── 06 (terminal)
//   at any non-terminal point: 13 from the sender → 15 (document cancelled; no 04–06 after it)
//                                                 → 16 (reason; lifecycle continues)
//   update/replace/revoke documents are answered with 15 or 16 as well.
//
// A Tracker judges the statuses of one document at one recipient in the order they are observed.
// Every event is recorded even when it breaks a rule, so one mistake by the system under test does
// not cascade into a finding on every later status. Not thread-safe; one tracker per document and
// recipient. No clock: event order is the caller's.
#ifndef VXP_CORE_LIFECYCLE_LIFECYCLE_H_
#define VXP_CORE_LIFECYCLE_LIFECYCLE_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/finding.h"

namespace vxp::lifecycle {

// BussinessDocType of edxml.md §3.
enum class BusinessType { kNew = 0, kRevoke = 1, kUpdate = 2, kReplace = 3 };

// The status codes of edxml.md §4. No other code exists.
inline constexpr std::array<std::string_view, 9> kStatusCodes = {"01", "02", "03", "04", "05",
                                                                 "06", "13", "15", "16"};

bool IsKnownCode(std::string_view code);
// True for 02, 13 and 16, whose Description must carry a reason (edxml.md §8.5).
bool RequiresReason(std::string_view code);
// True for 13 (sent by the original sender); every other code is sent by the recipient.
bool IsSenderCode(std::string_view code);
// Vietnamese and English meaning of a code, e.g. "03 đã tiếp nhận (accepted)".
std::string_view Describe(std::string_view code);

// One status as observed: its code, the OrganId that emitted it (MessageHeader/From/OrganId), the
// OrganId it is addressed to (ResponseFor/OrganId), and its Description.
struct StatusEvent {
  std::string code;
  std::string from;
  std::string to;
  std::string description;
};

namespace rules {
inline constexpr std::string_view kClause = "QCVN 102:2016/BTTTT §4 (status codes)";
inline constexpr RuleInfo kUnknownCode{"LIFE-CODE-KNOWN", Level::kMust, kClause,
                                       "A status code is one of 01-06, 13, 15, 16.",
                                       "StatusCode 07"};
inline constexpr RuleInfo kFirst{"LIFE-01-FIRST", Level::kMust, kClause,
                                 "01 (arrived) is the recipient's first status for a document.",
                                 "03 sent before any 01"};
inline constexpr RuleInfo kExclusive{"LIFE-02-03-EXCLUSIVE", Level::kMust, kClause,
                                     "Exactly one of 02 (rejected) or 03 (accepted) follows 01.",
                                     "03 after 02"};
inline constexpr RuleInfo kOrder{"LIFE-ORDER", Level::kMust, kClause,
                                 "Statuses progress 01, 03, 04 (optional), 05 (repeatable), 06; "
                                 "04-06 need a prior 03 and never go backwards.",
                                 "05 before 03, or 04 after 05"};
inline constexpr RuleInfo kTerminal{"LIFE-TERMINAL", Level::kMust, kClause,
                                    "Nothing follows 02 or 06 for the same document.",
                                    "05 after 06"};
inline constexpr RuleInfo kDuplicate{
    "LIFE-DUPLICATE", Level::kMust,
    "QCVN 102:2016/BTTTT §4 (status codes); Decision 28/2018/QĐ-TTg (a document registered once)",
    "A status code is sent at most once per document and "
    "recipient, except 05.",
    "two 01 for one document"};
inline constexpr RuleInfo kReason{
    "LIFE-REASON", Level::kMust, "QCVN 102:2016/BTTTT §4 (Description: the reason for 02, 13, 16)",
    "Statuses 02, 13 and 16 carry a reason in Description.", "02 with an empty Description"};
inline constexpr RuleInfo kCancelled{"LIFE-CANCELLED", Level::kMust,
                                     "QCVN 102:2016/BTTTT §4 (status 15); Decision 28/2018/QĐ-TTg "
                                     "(a recalled or revoked document is cancelled)",
                                     "After 15 (recall/revoke accepted) no 04, 05 or 06 follows.",
                                     "05 after 15"};
inline constexpr RuleInfo kWrongParty{
    "LIFE-WRONG-PARTY", Level::kMust,
    "QCVN 102:2016/BTTTT §4 (ResponseFor/OrganId routes a status)",
    "Recipient codes come from the recipient and go to the "
    "sender; 13 comes from the sender and goes to the recipient.",
    "03 emitted by the sender, or addressed to a third agency"};
inline constexpr RuleInfo kUnsolicited{"LIFE-15-16-UNSOLICITED", Level::kMust, kClause,
                                       "15 and 16 answer a recall (13) or an update, replace or "
                                       "revoke document; they are not sent otherwise.",
                                       "15 for a new document that was never recalled"};
inline constexpr RuleInfo kAll[] = {kUnknownCode, kFirst,  kExclusive, kOrder,      kTerminal,
                                    kDuplicate,   kReason, kCancelled, kWrongParty, kUnsolicited};
}  // namespace rules

class Tracker {
 public:
  // `sender` sent document `document_id` of business type `type` to `recipient`.
  Tracker(std::string document_id, std::string sender, std::string recipient,
          BusinessType type = BusinessType::kNew);

  // Judges `event` against the history so far, then records it. Returns no findings when the
  // status is legal; otherwise one finding per broken rule (LIFE-…), located at `where`.
  std::vector<Finding> Feed(const StatusEvent& event, const Location& where = {});

  // True once 02 or 06 was recorded, or 15 cancelled the document.
  bool Terminal() const { return terminal_ || cancelled_; }
  bool Cancelled() const { return cancelled_; }
  // The codes recorded so far, in order.
  const std::vector<std::string>& History() const { return history_; }

 private:
  bool Seen(std::string_view code) const;

  std::string document_id_;
  std::string sender_;
  std::string recipient_;
  BusinessType type_;
  std::vector<std::string> history_;
  int stage_ = 0;  // highest progress stage seen: 1=01, 2=02/03, 3=04, 4=05, 5=06
  bool terminal_ = false;
  bool cancelled_ = false;
  int open_recalls_ = 0;  // 13s not yet answered by 15 or 16
};

}  // namespace vxp::lifecycle

#endif  // VXP_CORE_LIFECYCLE_LIFECYCLE_H_
