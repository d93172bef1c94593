// Systems under test of the conformance service: registering one (checked field by field, with
// hub credentials made for it) and rotating its hub secret; and the hub each one reaches through
// the service's own listener, at /hub/<hub id>/XrdAdapter/adapter (the SDK takes any base URL).
// Each system has a hub of its own — its own store, knowing only its own credentials — so one
// vendor's traffic never reaches another's mailboxes, and credentials work only at their own
// address.
#ifndef VXP_SERVICE_SYSTEMS_H_
#define VXP_SERVICE_SYSTEMS_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/common/clock.h"
#include "core/common/result.h"
#include "service/store.h"
#include "simulator/hub/hub.h"

namespace vxp::service {

struct NewSystem {
  std::string name, product, product_version;
  std::string agencies;                   // identifiers separated by commas or spaces
  std::vector<std::string> capabilities;  // of kCapabilities
  std::string driver_url;                 // "" for operator prompts
  std::string webhook;                    // "" for none; else an http:// or https:// URL
};

// Registers `input` for `organisation_id`: the record, with its new hub id and secret (to show
// once). Errors "service.input" naming the field and what is wrong with it, "service.exists"
// (a name the organisation already uses), "service.store", "service.crypto".
Result<SystemRecord> RegisterSystem(ServiceStore& store, std::int64_t organisation_id,
                                    const NewSystem& input, Millis now);

// `system` as `input` says (checked as RegisterSystem checks it); its hub id and secret stay.
// The updated record. Errors as RegisterSystem's.
Result<SystemRecord> EditSystem(ServiceStore& store, const SystemRecord& system,
                                const NewSystem& input);

// A new hub secret for `system` (the old one stops working): the updated record.
Result<SystemRecord> RotateHubSecret(ServiceStore& store, const SystemRecord& system);

// The hubs of the registered systems, made on first use, each with a store of its own: a SQLite
// file in `dir` (so what a vendor's system submitted survives a restart; in memory when `dir` is
// ""), or, when the service's instances share a PostgreSQL database (`database_url`), a schema
// of its own there (hub_<hub id>), so that every instance serves the same mailboxes and remembers
// the same requests. Bounded: over `max_open` hubs, those unused for kIdleBeforeClose are closed,
// least recently used first (their files stay; a hub is opened again on its next request). A hub
// unused for less is kept even over the bound: it still remembers the nonces that refuse a
// replay (on PostgreSQL the database remembers them, so the least recently used is closed at
// once). Thread-safe; a hub closed while a request uses it lives until that request is answered.
class Hubs {
 public:
  // Longer than a hub remembers a request (its timestamps are fresh for 15 min either way).
  static constexpr Millis kIdleBeforeClose = 31 * 60 * 1000;

  Hubs(ServiceStore& store, std::string dir, Clock clock, std::size_t max_open = 64,
       std::string database_url = "");

  // The hub of the system whose hub id is `hub_id`; nullptr when there is no such system.
  Result<std::shared_ptr<hub::Hub>> Of(const std::string& hub_id);
  // Tells the system's hub, if it is open, the system's current credentials and agencies (on a
  // shared database, its hub's schema, whether or not it is open here: every instance's hub of
  // the system reads them there).
  Result<void> Update(const SystemRecord& system);
  std::size_t open() const;  // hubs open now

 private:
  struct Open {
    std::shared_ptr<hub::Hub> hub;
    Millis last_used = 0;
  };
  void CloseIdle(Millis now);  // with mu_ held
  Result<std::unique_ptr<hub::Store>> OpenHubStore(const std::string& hub_id);

  ServiceStore& store_;
  std::string dir_;
  Clock clock_;
  std::size_t max_open_;
  std::string database_url_;
  mutable std::mutex mu_;
  std::map<std::string, Open> hubs_;
};

}  // namespace vxp::service

#endif  // VXP_SERVICE_SYSTEMS_H_
