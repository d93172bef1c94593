// A mock agency: a document-management system connected to the hub, as vendors build them. The
// reference behaviour is what the spec asks of a conforming system (edxml.md §4, §8; hub-api.md
// §4); each fault profile breaks exactly one rule of it, so the conformance suite can prove that
// the scenario aimed at that rule catches it.
//
// The reference agency, on every Poll():
//   - lists pending documents and statuses (both message types) and fetches each;
//   - judges a document with the core (schema, rules, signatures; signed PDFs required by
//     default): answers 01 at once, then 03, or 02 with the first failing rule as the reason;
//   - walks an accepted document through 04, 05, 06 on its schedule (when `progress` is on);
//   - answers a revoke, update or replace document with 01 then 15 (or 16 with a reason when
//     `refuse_requests`), and a recall (13) with 15 or 16; after 15 nothing more for the target;
//   - acknowledges every item (updateStatus done, or fail for bytes it cannot read);
//   - registers a repeated new document (same sender and DocumentId) once: acknowledged, no new
//     statuses;
//   - records the statuses it receives for the documents it sent.
// On request (the test-driver API) it sends documents (valid, its PDF signed with the test PKI),
// advances a received document, recalls a sent one, lists what it holds, resets.
//
// Time: the clock is injected; signatures are made and judged at `signature_time` (the test PKI's
// pinned time by default), so the test certificates never expire under it.
//
// Concurrency: a round handles the items it lists on up to `workers` connections at once (fetching
// and judging them, sending their statuses, acknowledging them), so a load is answered at the
// speed of the hub's group commit rather than one fsync after another. What a round decides it
// decides in list order, on one thread: a repeat of a document handled earlier in the round is
// recognised, and a revoke sees its target if the target came first, exactly as when items are
// handled one by one; a status about another item of the same round is sent only after that
// item's own statuses. The round ends when every item is done.
//
// Thread-safe: one mutex serialises Poll and the driver operations (the driver is served on other
// threads than the poller).
#ifndef VXP_SIMULATOR_AGENCY_AGENCY_H_
#define VXP_SIMULATOR_AGENCY_AGENCY_H_

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "clients/hub_client.h"
#include "core/common/result.h"
#include "core/edxml/model.h"
#include "core/edxml/validate.h"
#include "core/signing/test_pki.h"

namespace vxp::mock {

// A named variant of the reference behaviour.
struct ProfileInfo {
  std::string_view name;
  std::string_view breaks;  // the rule it breaks, in one line
};
// "reference" first, then every fault profile.
const std::vector<ProfileInfo>& Profiles();
bool IsProfile(std::string_view name);

struct AgencyOptions {
  std::string organ_id;    // the agency it acts for, e.g. 000.00.00.H53
  std::string organ_name;  // "" = from the built-in directory, or "Đơn vị <organ_id>"
  std::string profile = "reference";
  // The schedule after 03: each step (04, 05, 06) is sent at the first poll this long after the
  // previous status. `progress` off: only the driver advances documents.
  bool progress = true;
  std::chrono::milliseconds step_delay{0};
  bool refuse_requests = false;  // answer recall/revoke/update/replace with 16 instead of 15
  bool require_signed_pdf = true;
  std::chrono::milliseconds slow_fetch{60'000};   // slow-fetch: how long an item waits unfetched
  std::chrono::milliseconds serial_gap{200};      // serial-under-load: time between documents
  std::optional<signing::Credential> credential;  // nullopt: the built-in agency-h53/-g22 one
  std::int64_t signature_time = 0;  // seconds since the epoch; 0 = the test PKI's pinned time
  std::uint64_t seed = 1;           // numbering of the documents it sends
  // How many items a round handles at once, each on a connection of its own (Create with a
  // ClientFactory; with a single client it is 1).
  int workers = 8;
};

// Makes a new client of the hub with the agency's credentials (one per worker).
using ClientFactory = std::function<Result<std::unique_ptr<clients::HubClient>>()>;

struct StatusRecord {
  std::string code, from, to, description;
  std::string direction;  // "sent" or "received"
  wire::Millis at = 0;
};

// A document the agency holds: one it received, or one it sent.
struct HeldDocument {
  std::string direction;  // "received" or "sent"
  std::string document_id, from;
  std::vector<std::string> to;
  int business_type = 0;
  std::string target_document_id;  // revoke/update/replace: the document it acts on
  std::string subject, notation;
  std::vector<std::string> hub_doc_ids;  // DocIds on the hub (received: the delivery's)
  std::string judgement;                 // received: "accepted", "rejected: <reason>", …
  std::vector<StatusRecord> statuses;    // sent and received, in order
};

// What the driver asks to send.
struct SendRequest {
  std::vector<std::string> to;
  int business_type = 0;
  std::string target_document_id;  // for 1, 2, 3: a document this agency sent earlier
  std::string subject;             // "" = a default
  std::string reason;              // BussinessDocReason for 1, 2, 3
};

struct SendResult {
  std::string document_id;
  std::string doc_id;  // the hub's DocId
};

class MockAgency {
 public:
  // `clock`: now in ms since the epoch. Errors: "agency.profile" (unknown profile),
  // "agency.organ" (the organ id is not a strict agency identifier), "signing.pki".
  // `clients` is called options.workers times (at least once); its errors pass through.
  static Result<std::unique_ptr<MockAgency>> Create(const ClientFactory& clients,
                                                    AgencyOptions options,
                                                    std::function<wire::Millis()> clock);
  // With one connection: a round handles its items one at a time (options.workers is taken as 1).
  static Result<std::unique_ptr<MockAgency>> Create(std::unique_ptr<clients::HubClient> client,
                                                    AgencyOptions options,
                                                    std::function<wire::Millis()> clock);

  // One round of the receiving loop and the schedule. Returns how many hub items it handled.
  // Errors are the hub client's: the first failing item's, in list order, once every other item
  // of that list is done (a failed item is not acknowledged, so the next round carries on with it).
  Result<int> Poll();

  // Driver operations. Errors "driver.<what>" say what is wrong with the request (unknown
  // document, illegal code, a reason missing); hub errors pass through.
  Result<SendResult> Send(const SendRequest& request);
  Result<void> Advance(std::string_view document_id, std::string_view from, std::string_view code,
                       std::string_view reason);
  Result<void> Recall(std::string_view document_id, std::string_view to, std::string_view reason);
  std::vector<HeldDocument> Documents() const;
  void Reset();

  const AgencyOptions& options() const { return options_; }

 private:
  // A status to send about a held document, and what it changes once sent.
  struct Action {
    HeldDocument* held = nullptr;
    std::string code, description, to;
    std::string judgement_after;  // "" = unchanged
  };
  // What a round does with one listed item: decided in list order, carried out on any worker.
  struct Plan {
    const clients::ReceivedItem* item = nullptr;
    std::optional<Error> error;  // the fetch failed: nothing else is done
    std::vector<Action> actions;
    std::string ack = "done";   // the acknowledgement, after the actions
    std::string anchor;         // the schedule's key to restart once the actions are sent
    bool counted = true;        // counted as handled
    bool after_others = false;  // acts on another item of the round: runs after theirs
  };
  // What a worker fetched for one item, before anything is decided.
  struct Fetched {
    std::optional<Error> error;
    edxml::Judgement judgement;                    // edoc
    std::optional<edxml::Package> status_package;  // status
  };

  MockAgency() = default;
  bool Is(std::string_view profile) const { return options_.profile == profile; }
  // Fetches an item and judges it (a document) or parses it (a status).
  Fetched Fetch(clients::HubClient& client, const clients::ReceivedItem& item, bool document) const;
  // A plan for `item`: empty, or when its fetch failed, the error (loses-on-hub-error: only an
  // acknowledgement, so the item is lost).
  Plan PlanFor(const clients::ReceivedItem& item, const Fetched& fetched) const;
  Plan DecideDocument(const clients::ReceivedItem& item, Fetched& fetched,
                      std::set<const HeldDocument*>& fresh);
  Plan DecideStatus(const clients::ReceivedItem& item, Fetched& fetched);
  Result<void> Execute(clients::HubClient& client, const Plan& plan);
  // Runs fn(client, i) for every i < n on up to workers_ threads, each with its own connection.
  void Parallel(size_t n, const std::function<void(clients::HubClient&, size_t)>& fn);
  Result<void> Acknowledge(clients::HubClient& client, const clients::ReceivedItem& item,
                           std::string_view status);
  // Sends status `code` about `held` (received: to its sender; 13: to `to`).
  Result<void> SendStatus(clients::HubClient& client, HeldDocument& held, std::string_view code,
                          std::string description, std::string_view to = "");
  Result<void> RunSchedule();
  edxml::Organization Self() const;
  edxml::Organization Other(std::string_view organ_id) const;
  std::string Timestamp() const;

  std::vector<std::unique_ptr<clients::HubClient>> clients_;  // [0]: the poller's and the driver's
  AgencyOptions options_;
  std::function<wire::Millis()> clock_;
  signing::Credential credential_;
  mutable std::mutex mu_;  // a round, or a driver operation
  // Guards what the workers of a round change: the statuses of held documents, their judgements,
  // acknowledged_ and last_step_ (held_ itself only grows while no worker runs).
  mutable std::mutex state_mu_;
  std::deque<HeldDocument> held_;                   // in arrival order (a deque: stable references)
  std::map<std::string, size_t> received_;          // DocKey -> index in held_ of a received one
  std::map<std::string, wire::Millis> first_seen_;  // slow-fetch: hub DocId -> when listed
  std::map<std::string, wire::Millis> last_step_;   // received document key -> last status time
  std::set<std::string> acknowledged_;              // hub DocIds (never-acknowledges skips)
  std::optional<wire::Millis> last_document_;       // serial-under-load: when it took the last
  int sent_count_ = 0;
};

}  // namespace vxp::mock

#endif  // VXP_SIMULATOR_AGENCY_AGENCY_H_
