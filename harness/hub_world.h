// What scenarios and the shared steps may do to the hub world — and nothing more of the
// simulator: send as the harness's peer system, place a package in the SUT's queue past the hub's
// checks, read the deliveries of the peers' submissions and the peers' own records, add and clear
// hub faults, give the load engine senders of a system of their own, hand the event stream to a
// sink.
// Scenarios never hold a hub::Hub or a MockAgency, and a hub client only as the load engine's
// sender: another implementation (a hosted session's hub, say) can stand in for LocalHubWorld.
// The harness subscribes its observer to the hub itself, before the hub listens, so that no
// early request of the SUT is missed.
//
// Thread rules: scenario calls come from the runner's thread; Subscribe's sink is called on the
// hub's threads (in order, one at a time).
#ifndef VXP_HARNESS_HUB_WORLD_H_
#define VXP_HARNESS_HUB_WORLD_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/hub_client.h"
#include "clients/transport.h"
#include "core/common/result.h"
#include "simulator/agency/agency.h"
#include "simulator/hub/faults.h"
#include "simulator/hub/hub.h"
#include "simulator/hub/store.h"

namespace vxp::harness {

// A package placed in the SUT's queue: the submission's DocId and the SUT's delivery DocId.
struct Injected {
  std::int64_t submission = 0;
  std::int64_t delivery = 0;
};

class HubWorld {
 public:
  virtual ~HubWorld() = default;

  // sendEdoc through the hub's API as the peer system, from `from` (one of its agencies): the
  // hub's DocId. Errors: the hub client's ("hub.<ErrorCode>", "http.*", "wire.response").
  virtual Result<std::int64_t> SendAsPeer(std::string_view from, std::string_view message_type,
                                          std::string_view bytes) = 0;
  // Stores a document from `from` to the SUT's agency `to` (system `to_system`) without the
  // hub's checks, as if another hub had relayed it. Error "store.*".
  virtual Result<Injected> Inject(std::string_view from, std::string_view to,
                                  std::string_view to_system, std::string title, std::string bytes,
                                  wire::Millis now) = 0;
  // The deliveries of the peers' submissions of `message_type` (of one submission when given),
  // with their acknowledgement state. Error "store.*".
  virtual Result<std::vector<hub::Delivery>> PeerDeliveries(
      std::string_view message_type, std::optional<std::int64_t> submission = std::nullopt) = 0;
  // The directory entry of `code`, or nullopt.
  virtual std::optional<hub::Agency> FindAgency(std::string_view code) = 0;
  // Registers the load runs' sending agencies to the load system (LoadSystemOf). Error "store.*".
  virtual Result<void> AddLoadAgencies(const std::vector<std::string>& codes) = 0;
  // The deliveries of the load system's submissions of `message_type`. Error "store.*".
  virtual Result<std::vector<hub::Delivery>> LoadDeliveries(std::string_view message_type) = 0;
  // What peer agency `i` (in World::peers order) holds: documents and the statuses it sent and
  // received.
  virtual std::vector<mock::HeldDocument> PeerRecords(size_t i) = 0;

  // Faults of the hub (faults.h), in force until cleared.
  virtual void AddFault(const hub::Fault& fault) = 0;
  virtual void ClearFaults() = 0;

  // A new hub client of the load system with its own connection (the load engine's senders).
  virtual Result<std::unique_ptr<clients::HubClient>> NewLoadClient() = 0;

  // Every hub event, in order (the observer).
  virtual void Subscribe(std::function<void(const hub::Event&)> sink) = 0;
};

// The harness's system of the load runs' senders: its own, beside the peer system, so that the
// peers' mock agencies never list the statuses a load makes the SUT send (thousands, addressed to
// agencies no mock agency handles), and nothing the peers hold is mixed with a load's traffic.
std::string LoadSystemOf(std::string_view peer_system);

// The hub world of a harness run: the in-process hub::Hub, the peers' hub client and their mock
// agencies (not owned; they outlive it). `connect` makes a transport to the hub (HTTP or
// in-process), for NewPeerClient.
std::unique_ptr<HubWorld> LocalHubWorld(hub::Hub& hub, std::string peer_system,
                                        clients::HubClient& peer_client,
                                        std::vector<mock::MockAgency*> peer_agencies,
                                        http::TransportFactory connect);

}  // namespace vxp::harness

#endif  // VXP_HARNESS_HUB_WORLD_H_
