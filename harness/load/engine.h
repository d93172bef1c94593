// The load engine's moving parts: a sender that puts messages on the hub at their intended
// times (schedule.h), whatever the hub or the system under test does, and a tap that notes, from
// the hub's event stream, when the SUT fetched each delivery and which statuses it sent.
//
// Open model, no coordinated omission: a message's latencies are measured from its *intended*
// send time. When every connection is busy the next message starts late and its lateness counts
// in every latency it has; the lateness itself is recorded (SendRecord::started − intended), so
// the analysis can tell a slow SUT from a generator that could not keep its own schedule.
//
// Times are microseconds of the steady clock (NowMicros), comparable across threads.
#ifndef VXP_HARNESS_LOAD_ENGINE_H_
#define VXP_HARNESS_LOAD_ENGINE_H_

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "clients/hub_client.h"
#include "core/common/result.h"
#include "harness/load/schedule.h"
#include "simulator/hub/hub.h"

namespace vxp::load {

// Now on the steady clock, in µs.
Micros NowMicros();

// One message to send: who sends it (the `from` parameter) and the package.
struct Outgoing {
  std::string from;
  std::string bytes;
};

struct SendRecord {
  Micros intended = 0;  // when it was meant to go
  Micros started = 0;   // when the request started
  Micros done = 0;      // when the hub's answer was read
  std::string doc_id;   // the hub's DocId; "" when the send failed
  std::string error;    // "" on success, else the client's code ("hub.1003", "http.timeout", …)
};

struct SenderOptions {
  clients::HubClientOptions client;  // the hub and the sending system's credentials
  // When set, each connection's client comes from it instead (e.g. in process, no socket).
  std::function<Result<std::unique_ptr<clients::HubClient>>()> connect;
  int connections = 8;  // connections (one thread each) opened at the start
  // A message sent more than `grow_after` after its time, while every other connection waits
  // for an answer, opens one more connection, up to `max_connections`, so that a SUT slow to
  // answer does not hold the schedule back (the open model); lateness that more connections
  // cannot cure (a machine short of CPU) still shows in the generator's own check.
  // max_connections <= connections never grows.
  int max_connections = 64;
  Micros grow_after = 20'000;
  Micros lead = 200'000;  // the schedule starts this long after the call
  // Called about every `progress_every` with how many messages went so far (on the caller's
  // thread); may be empty.
  std::function<void(size_t sent, size_t total)> progress;
  Micros progress_every = 5'000'000;
  // Asked before each message is made and again at its time: true stops the run early (the rest
  // are not sent, and carry the error "stopped"). May be empty.
  std::function<bool()> stop;
};

struct SendRun {
  Micros origin = 0;                // the schedule's time 0
  std::vector<SendRecord> records;  // in schedule order
  int connections = 0;              // opened in all (the first ones and those grown)
};

// Sends message i (built by make(i) on a sending thread, shortly before its time) at
// origin + schedule[i]; returns when every message was sent or failed. Error "http.url" when the
// hub URL does not parse (nothing sent).
Result<SendRun> SendOnSchedule(const std::vector<Micros>& schedule,
                               const std::function<Outgoing(size_t)>& make,
                               const SenderOptions& options);

// A status the SUT submitted, as the tap saw it.
struct TapStatus {
  Micros at = 0;
  bool accepted = false;   // the hub took it
  std::string error_code;  // the hub's ErrorCode ("0" when accepted)
  std::string code, from, to, description;
};

// Watches the hub for the SUT's fetches and statuses. Subscribe OnEvent to the hub's events
// (Observer::SetTap). Thread-safe.
class SutTap {
 public:
  explicit SutTap(std::string sut_system) : sut_system_(std::move(sut_system)) {}

  void OnEvent(const hub::Event& event);

  // The first successful getEdoc/downloadEdoc of each delivery DocId by the SUT.
  std::map<std::int64_t, Micros> FirstFetches() const;
  // The SUT's statuses by the DocumentId they answer (ResponseFor/DocumentId), in order.
  std::map<std::string, std::vector<TapStatus>> Statuses() const;
  // Documents that got an accepted 02 or 03 so far (cheap; for waiting).
  size_t answered() const { return answered_.load(); }
  // Deliveries the SUT acknowledged with updateStatus done so far (cheap; for waiting).
  size_t acknowledged() const { return acknowledged_.load(); }
  // The SUT's requests during the tap, and those the hub refused, by ErrorCode.
  std::int64_t requests() const { return requests_.load(); }
  std::map<std::string, int> Refused() const;

 private:
  const std::string sut_system_;
  mutable std::mutex mu_;
  std::map<std::int64_t, Micros> fetches_;
  std::map<std::string, std::vector<TapStatus>> statuses_;
  std::set<std::string> answered_ids_;
  std::map<std::string, int> refused_;
  std::set<std::int64_t> acknowledged_ids_;
  std::atomic<size_t> answered_{0}, acknowledged_{0};
  std::atomic<std::int64_t> requests_{0};
};

}  // namespace vxp::load

#endif  // VXP_HARNESS_LOAD_ENGINE_H_
