// The harness's view of the hub: every request of the system under test (and every request that
// failed authentication, which may be the SUT misconfigured) with the hub's answer, numbered in
// order, and every package the SUT submitted, parsed. This is the evidence a verdict rests on.
//
// Subscribe OnEvent to the hub (hub::Hub::Subscribe). Thread-safe: the hub calls OnEvent from its
// I/O threads while a scenario reads and waits on another. OnEvent only copies (the hub calls it
// under the lock every I/O thread waits on): it reuses the package the hub parsed, and what the
// hub did not parse is parsed when a scenario reads it.
#ifndef VXP_HARNESS_OBSERVER_H_
#define VXP_HARNESS_OBSERVER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/edxml/model.h"
#include "core/edxml/parse.h"
#include "simulator/hub/hub.h"

namespace vxp::harness {

// One HTTP exchange with the hub, as evidence.
struct Exchange {
  std::int64_t seq = 0;
  wire::Millis at = 0;
  std::string operation;
  std::string system_id;       // as authenticated; "" when authentication failed
  std::string claimed_system;  // the XroadVnpt-systemid header as sent
  std::string error_code;      // "0" on success
  std::string detail;
  std::vector<std::string> faults;  // faults the harness injected into this exchange
  std::string method, target;
  wire::Headers request_headers;
  std::string request_body;
  int status = 0;
  std::string response_body;
  // XroadVnpt-<name> parameters as sent, names lower-cased ("docid", "messagetype", "from", …).
  std::map<std::string, std::string> params;
  std::string Param(const std::string& name) const;
};

// A package the SUT submitted with sendEdoc, whether the hub took it or not.
struct SutPackage {
  std::int64_t seq = 0;
  bool accepted = false;     // the hub answered OK
  std::string error_code;    // the hub's ErrorCode
  std::string message_type;  // the messagetype parameter
  std::string from_header;   // the from parameter
  std::string bytes;
  // The package as the hub parsed it (or, when the hub refused it before parsing, as the
  // observer parsed it off the hub's threads); nullptr when it does not parse. `package` points
  // into `parsed`.
  std::shared_ptr<const edxml::ParsedPackage> parsed;
  std::shared_ptr<const edxml::Package> package;
  bool parse_tried = false;
};

// A status the SUT submitted, flattened.
struct SutStatus {
  std::int64_t seq = 0;
  bool accepted = false;
  std::string code, from, to;  // StatusCode, From/OrganId, ResponseFor/OrganId
  std::string document_id;     // ResponseFor/DocumentId
  std::string notation;        // ResponseFor/Code
  std::string description;
  std::string error_code;  // the hub's ErrorCode for the submission ("0" when accepted)
};

// A request's XroadVnpt-<name> header (name compared case-insensitively), or "".
std::string RequestParam(const hub::Request& request, std::string_view name);

class Observer {
 public:
  // `sut_system`: the SUT's system id; `peer_system`: the harness's own, whose requests are not
  // recorded (nor are those of its load system, LoadSystemOf(peer_system)).
  Observer(std::string sut_system, std::string peer_system);

  void OnEvent(const hub::Event& event);

  // The number the next exchange will get: a scenario remembers it when it starts.
  std::int64_t NextSeq() const;
  std::vector<Exchange> Exchanges(std::int64_t from_seq = 0) const;
  std::vector<SutPackage> Packages(std::int64_t from_seq = 0) const;
  std::vector<SutStatus> Statuses(std::int64_t from_seq = 0) const;
  // Blocks until a new exchange is recorded or `max` passes.
  void WaitChange(std::chrono::milliseconds max) const;

  // Also hands every hub event (the harness's own requests included) to `tap`, on the hub's
  // threads, until it is cleared with an empty function. The load engine watches this way.
  void SetTap(std::function<void(const hub::Event&)> tap);
  // Under load: keep the next `keep` exchanges whole, then only those the hub refused (every
  // exchange is still numbered and counted in omitted()); nullopt goes back to keeping all.
  // Evidence of a load run stays readable instead of holding every poll of thousands of
  // documents.
  void SetSampling(std::optional<std::int64_t> keep);
  std::int64_t omitted() const;

 private:
  // Parses the recorded packages the hub did not parse, outside the lock the hub's threads take.
  void ParsePending() const;

  const std::string sut_system_, peer_system_, load_system_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::vector<Exchange> exchanges_;
  mutable std::vector<SutPackage> packages_;
  std::int64_t next_seq_ = 1;
  std::optional<std::int64_t> keep_;  // sampling: how many more exchanges to keep whole
  std::int64_t omitted_ = 0;
  std::mutex tap_mu_;
  std::function<void(const hub::Event&)> tap_;
};

}  // namespace vxp::harness

#endif  // VXP_HARNESS_OBSERVER_H_
