// Faults on demand: the hub misbehaves the way a production hub under load does, so vendors can
// show that their systems cope (slow answers, error answers, dropped connections, items listed
// twice or out of order) and lose nothing.
//
// A fault is written as one line of comma-separated settings, the same on the command line
// (`vxpkit hub --fault …`), in a hub config file and from Python:
//
//   latency,op=getReceivedEdocList,ms=1500           every listing answers 1.5 s late
//   error,op=sendEdoc,agency=000.00.00.H53,times=2   the next 2 submissions from H53 fail (5001)
//   error,op=getEdoc,http=503                        HTTP 503 with a proxy's text body
//   error-after,op=sendEdoc,times=1                  stored, but the answer says it failed
//   drop,op=updateStatus,skip=3,times=1              the 4th acknowledgement: connection closed
//   duplicate,op=getReceivedEdocList                 every pending item listed twice
//   reorder,op=getReceivedEdocList                   pending items newest first
//
// Settings: the kind first (latency, error, error-after, drop, duplicate, reorder); `op=` an
// operation (default: all); `agency=` an agency code: the request's `from` is that agency, or it
// has no `from` and its system owns that agency (default: all); `system=` a system id (default:
// all); `ms=` the latency; `http=` an HTTP status for `error` (default: a JSON 5001 INJECTED_FAULT
// answer); `skip=` matching requests to let through first (default 0); `times=` how many matching
// requests to hit after that (default: all). For duplicate and reorder, skip and times count only
// listings that list at least one item: an empty listing has nothing to list twice or reverse, so
// a client polling an empty mailbox does not use the fault up before a document arrives.
//
// Thread-safe: FaultSet may be matched from many connections at once.
#ifndef VXP_SIMULATOR_HUB_FAULTS_H_
#define VXP_SIMULATOR_HUB_FAULTS_H_

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace vxp::hub {

enum class FaultKind {
  kLatency,     // answer after `latency`
  kError,       // do not handle the request; answer 5001 (or HTTP `http_status`)
  kErrorAfter,  // handle it (a submission is stored), then answer 5001 all the same
  kDrop,        // do not handle it; close the connection without an answer
  kDuplicate,   // list every item twice (getReceivedEdocList, getSentEdocList)
  kReorder,     // list the items in reverse order
};

std::string_view FaultKindName(FaultKind kind);

struct Fault {
  FaultKind kind = FaultKind::kError;
  std::string operation;  // "" = every operation
  std::string agency;     // "" = every agency
  std::string system_id;  // "" = every system
  std::chrono::milliseconds latency{0};
  int http_status = 0;  // kError: 0 = the JSON 5001 answer
  int skip = 0;
  int times = -1;  // -1 = no limit

  std::string ToString() const;  // the one-line form ParseFault reads
};

// Parses the one-line form. Error "fault.parse" naming the setting that is wrong and what is
// allowed (unknown kind, unknown setting, a number that is not one, latency without ms, http on a
// kind other than error, duplicate/reorder on an operation that lists nothing).
Result<Fault> ParseFault(std::string_view spec);

// What a request is, for matching.
struct FaultTarget {
  std::string_view operation;
  std::string_view system_id;  // as the request claims it (before authentication)
  std::string_view from;       // the request's `from`, "" when it has none
  // Whether the system owns an agency (the hub answers from its directory).
  std::function<bool(std::string_view agency, std::string_view system_id)> owns;
};

// The faults in force, with how often each has matched.
class FaultSet {
 public:
  void Add(Fault fault);
  void Clear();
  std::vector<Fault> List() const;

  // The faults that hit this request (counting the match against skip/times), in the order added;
  // never duplicate or reorder, which MatchListing answers.
  std::vector<Fault> Match(const FaultTarget& target);
  // The duplicate and reorder faults that hit a listing answer which lists at least one item
  // (ListsSomething), counted against skip/times the same way. Call it for such answers only.
  std::vector<Fault> MatchListing(const FaultTarget& target);
  // Whether any duplicate or reorder fault is in force (spent or not).
  bool AnyListingFault() const;

 private:
  struct Entry {
    Fault fault;
    int matched = 0;
  };
  std::vector<Fault> MatchWhere(const FaultTarget& target, bool listing);

  mutable std::mutex mu_;
  std::vector<Entry> entries_;
};

// The listing transforms, over a hub JSON answer with a `data` array; other bodies come back as
// they are.
std::string DuplicateListing(std::string_view body);
// Whether a hub JSON answer has a non-empty `data` array.
bool ListsSomething(std::string_view body);
std::string ReverseListing(std::string_view body);

}  // namespace vxp::hub

#endif  // VXP_SIMULATOR_HUB_FAULTS_H_
