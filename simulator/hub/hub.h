// The hub core: the national hub's API as a pure request handler over a Store (hub-api.md §3).
// The HTTP adapter turns bytes on a socket into a Request and back; everything the hub decides
// is here, testable without a port.
//
// Thread-safe: Handle may be called from many connections at once (the store serialises writes;
// the configuration is immutable; event sinks are called under a lock, in order).
#ifndef VXP_SIMULATOR_HUB_HUB_H_
#define VXP_SIMULATOR_HUB_HUB_H_

#include <array>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/edxml/parse.h"
#include "core/edxml/validate.h"
#include "core/wire/operations.h"
#include "core/wire/wire.h"
#include "simulator/hub/faults.h"
#include "simulator/hub/replay.h"
#include "simulator/hub/store.h"

namespace vxp::hub {

// What the hub does to a package between sender and recipient (hub-api.md §5 decision).
enum class RelayMode {
  kVerbatim,     // byte-exact (the default for conformance)
  kReserialize,  // like the live hub: a TraceHeader appended, canonical re-serialisation
};

// What the hub does with a package that fails validation.
enum class SubmitPolicy {
  kAcceptAll,  // store and deliver anything that parses as edXML
  kWarn,       // the same, with the findings in the event stream
  kReject,     // refuse a package with a MUST failure (PACKAGE_INVALID)
};

struct HubConfig {
  RelayMode relay = RelayMode::kVerbatim;
  SubmitPolicy policy = SubmitPolicy::kAcceptAll;
  size_t max_package_bytes = size_t{100} << 20;  // edxml.md §6 decision
  wire::Millis max_skew = 15 * 60 * 1000;        // timestamp freshness; 0 = off
  // Zones the SDK's timestamps may be written in (wire::AuthPolicy): UTC+7 here; the adapters
  // (`vxpkit hub`, the harness) add the host's own zone by default (DefaultTimestampZones).
  std::vector<int> utc_offsets_minutes = {420};
  // Elements per package, counted before parsing (edxml::ParseLimits::max_elements): over it, a
  // package is 2006 PACKAGE_MALFORMED naming EDXML-XML-ELEMENTS.
  size_t max_elements = 100'000;
  // Accepted signed requests remembered against replay (replay.h): about 300 bytes each, so the
  // default holds at most 75 MB. State changes are remembered, and reads whose headers would fit
  // a state change; polling is not.
  size_t replay_capacity = 250'000;
};

using Request = wire::HttpRequest;
using Response = wire::HttpResponse;

// One request and the hub's answer, for the harness's evidence and for tests.
struct Event {
  wire::Millis at = 0;
  std::string operation;
  std::string system_id;   // "" when authentication failed before it was known
  std::string error_code;  // "0" on success
  std::string detail;      // the ErrorDesc, or what happened ("DocId 12 → 000.00.00.H53 #40")
  std::vector<std::string> faults;  // the injected faults that hit this request (faults.h form)
  // sendEdoc: the package as the hub parsed it (nullptr when it was refused before parsing or
  // did not parse). Shared, immutable: subscribers may keep it.
  std::shared_ptr<const edxml::ParsedPackage> package;
  const Request* request = nullptr;    // valid during the callback only
  const Response* response = nullptr;  // valid during the callback only
};

class Hub {
 public:
  // `clock` returns the current time in ms since the epoch (tests pin it).
  Hub(std::unique_ptr<Store> store, HubConfig config, std::function<wire::Millis()> clock);

  // Registers a system and its agencies (creating directory entries for codes not yet there).
  Result<void> RegisterSystem(const System& system, const std::vector<std::string>& agencies);
  // Seeds the directory (existing codes are kept).
  Result<void> SeedDirectory(const std::vector<Agency>& agencies);

  Response Handle(const Request& request);

  // What the hub can decide from the request line and headers alone, before any body is read:
  // the operation and its method, authentication (system, HMAC, timestamp), the operation's
  // parameters, the sender's agency and a replay. A refusal (also sent to the subscribers), or
  // nullopt when the body may be read and Handle called. Handle checks all of it again, so a
  // caller that skips Admit loses nothing but the early refusal. Changes no state.
  std::optional<Response> Admit(const Request& head);

  // Every request and response, in order.
  void Subscribe(std::function<void(const Event&)> sink);

  // The faults in force; add and clear them at any time (faults.h).
  FaultSet& faults() { return faults_; }

  Store& store() { return *store_; }
  // Whether the hub has a handler for `op` (every operation of wire::Operations() must).
  static bool Handles(wire::Op op);
  const HubConfig& config() const { return config_; }

 private:
  struct Call;
  using Handler = Response (Hub::*)(Call&);
  static const std::array<Handler, wire::kOperationCount>& Handlers();
  Response Dispatch(Call& call);
  // The checks Admit makes; a refusal or nullopt. `peek`: a replay is only looked at, not
  // remembered (Admit), else the request is remembered as in progress in call.replay_key.
  std::optional<Response> CheckHead(Call& call, bool peek);
  std::optional<Response> CheckReplay(Call& call, bool peek);
  // For a store shared with other hub processes: the request, just remembered here, in the
  // store's memory too; a refusal when another instance accepted the same headers.
  std::optional<Response> CheckSharedReplay(Call& call, wire::Millis until);
  void Publish(Call& call, const Response& response);
  // A signed sendEdoc seen before (by this process, or stored by another on a shared store):
  // the first DocId, for the body its signed hash-file names.
  Response AnswerRepeated(Call& call, const std::string& doc_id);
  // Dispatch with the matching injected faults applied before and after.
  Response DispatchWithFaults(Call& call);
  Response SendEdoc(Call& call);
  Response ReceivedList(Call& call);
  Response GetEdoc(Call& call);
  Response DownloadEdoc(Call& call);
  Response ReadEdoc(Call& call, bool download);
  Response UpdateStatus(Call& call);
  Response SentList(Call& call);
  Response Count(Call& call);
  Response AgenciesList(Call& call);
  Response RegisterAgency(Call& call);
  Response DeleteAgency(Call& call);
  // The refusal and the success answer; Fail adds "DocId":"" where the operation needs it.
  Response Fail(Call& call, const wire::HubError& error, std::string detail);
  Response Ok(Call& call, boost::json::object fields, std::string detail = "");

  std::unique_ptr<Store> store_;
  HubConfig config_;
  std::function<wire::Millis()> clock_;
  FaultSet faults_;
  ReplayMemory replay_;
  std::mutex sinks_mu_;
  std::vector<std::function<void(const Event&)>> sinks_;
};

// The last path segment of a request target ("/XrdAdapter/adapter/sendEdoc?x=1" → "sendEdoc").
std::string_view OperationOf(std::string_view target);

}  // namespace vxp::hub

#endif  // VXP_SIMULATOR_HUB_HUB_H_
