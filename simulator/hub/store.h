// The hub's durable state: systems, the agency directory, submissions and their per-recipient
// deliveries. An interface with two implementations: SQLite (WAL, group commits it syncs itself),
// the embedded default for one hub process, and PostgreSQL, for several hub processes on one
// database.
//
// Contract: a Submit that returns a DocId has committed the submission and every delivery to
// stable storage — a crash after it returns loses nothing. Every method is safe to call from
// several threads (the SQLite store serialises them). Errors are harness faults ("store.*").
#ifndef VXP_SIMULATOR_HUB_STORE_H_
#define VXP_SIMULATOR_HUB_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace vxp::hub {

using Millis = std::int64_t;

struct System {
  std::string id;
  std::string secret;
};

// One unit of the directory (getAgenciesList, getAgenciesListQD20, getSynchronizeUnit).
struct Agency {
  std::int64_t id = 0;
  std::int64_t pid = 0;
  std::string code;   // the agency identifier, e.g. 000.00.00.H53
  std::string pcode;  // parent's code ("" for top level)
  std::string name;
  std::string mail, mobile, fax;
  std::string system_id;  // the system that sends and receives for it ("" = none yet)
  int level = 1;          // QĐ 20 level: 1 ministries/provinces, 2, 3, 4
  bool deleted = false;
  Millis modified = 0;
};

struct Submission {
  std::string system_id;     // who sent it
  std::string from_code;     // MessageHeader/From (or the status's sender)
  std::string message_type;  // "edoc" or "status"
  std::string title;         // Subject (documents) or the status description, for listings
  std::string notation;      // Code/CodeNumber/CodeNotation, for listings
  // The bytes as received: a view, not a copy (a package may be 100 MiB); it must stay valid
  // during Submit, which stores it before returning.
  std::string_view package;
  // The signed request that brought it (its system and XroadVnpt-hash-header), or "". A store
  // shared by several hub processes (Shared()) stores one submission per key: a second Submit
  // with the same key stores nothing and fails with "store.repeated"; SubmissionByKey gives the
  // first one's DocId. A store of one process ignores it (the hub's replay memory suffices).
  std::string request_key;
};

// What one recipient gets; the package delivered is `package` (relay mode applied), or the
// submission's bytes when empty.
struct Recipient {
  std::string to_code;
  std::string to_system;
  std::string package;
};

struct Delivery {
  std::int64_t doc_id = 0;         // the recipient's DocId
  std::int64_t sender_doc_id = 0;  // the submission's DocId
  std::string message_type, from_code, to_code, to_system, sender_system;
  std::string title, notation;
  std::string status = "pending";  // pending, processing, done, fail (updateStatus)
  std::string status_desc;
  Millis created = 0, updated = 0;
  int fetches = 0;  // how many times getEdoc/downloadEdoc returned it
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<void> PutSystem(const System& system) = 0;  // insert or replace
  virtual Result<std::optional<System>> GetSystem(std::string_view id) = 0;

  // Directory. AddAgency returns false when the code exists (and is not deleted). An id of 0
  // takes the next free id; a pid of 0 takes the id of the agency named by pcode (0 if none).
  virtual Result<bool> AddAgency(const Agency& agency) = 0;
  virtual Result<bool> DeleteAgency(std::string_view code, Millis now) = 0;  // false if unknown
  virtual Result<std::vector<Agency>> Agencies(bool include_deleted = false) = 0;
  virtual Result<std::optional<Agency>> GetAgency(std::string_view code) = 0;
  // Adds each of `agencies` whose code is not listed (a deleted one is registered again, as
  // AddAgency does); listed ones are kept as they are. Returns how many were added. A store may do
  // it in bulk (PostgreSQL: a thousand to a round trip, each thousand in one transaction).
  virtual Result<size_t> SeedAgencies(const std::vector<Agency>& agencies) {
    size_t added = 0;
    for (const Agency& a : agencies) {
      auto existing = GetAgency(a.code);
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) continue;
      auto r = AddAgency(a);
      if (!r) return tl::unexpected(r.error());
      added += *r ? 1 : 0;
    }
    return added;
  }
  // Assigns `code` to `system_id` (the agency must exist). False if unknown.
  virtual Result<bool> AssignAgency(std::string_view code, std::string_view system_id) = 0;

  // Stores a submission and one delivery per recipient in one transaction; returns the sender's
  // DocId and fills each recipient's DocId into *doc_ids (same order).
  virtual Result<std::int64_t> Submit(const Submission& submission,
                                      const std::vector<Recipient>& recipients, Millis now,
                                      std::vector<std::int64_t>* doc_ids) = 0;
  // The DocId of the submission stored with `request_key` (Submission::request_key), if any.
  virtual Result<std::optional<std::int64_t>> SubmissionByKey(std::string_view request_key) {
    (void)request_key;
    return std::optional<std::int64_t>();
  }
  // The shared part of the hub's replay memory (replay.h), for stores several hub processes use:
  // remembers the signed request `key` (first used for operation `op`) until `until`, unless it
  // is remembered already and not expired at `now`; then stores nothing and returns the
  // operation it was first used for. A store of one process remembers nothing (nullopt).
  virtual Result<std::optional<std::string>> BeginRequest(std::string_view key, std::string_view op,
                                                          Millis until, Millis now) {
    (void)key, (void)op, (void)until, (void)now;
    return std::optional<std::string>();
  }
  // Forgets `key` (the request was refused: the same headers may be judged again).
  virtual Result<void> ForgetRequest(std::string_view key) {
    (void)key;
    return {};
  }
  // Whether other hub processes may use the same storage at once (then the hub asks it, not only
  // its own memory, whether a signed sendEdoc was stored before).
  virtual bool Shared() const { return false; }
  // Deliveries to `system_id` of `message_type` not yet acknowledged (done/fail), oldest first.
  virtual Result<std::vector<Delivery>> Pending(std::string_view system_id,
                                                std::string_view message_type) = 0;
  // A delivery to `system_id` and its package; nullopt when no such DocId is addressed to it.
  // Counts the fetch.
  virtual Result<std::optional<std::pair<Delivery, std::string>>> Fetch(
      std::int64_t doc_id, std::string_view system_id) = 0;
  // updateStatus. An acknowledgement is final: once done or fail, the delivery keeps that
  // status (the same one again changes nothing), in one step with the check.
  struct StatusUpdate {
    bool found = false;    // a delivery with that DocId is addressed to `system_id`
    bool changed = false;  // the status was written
    std::string previous;  // its status before
  };
  virtual Result<StatusUpdate> SetStatus(std::int64_t doc_id, std::string_view system_id,
                                         std::string_view status, std::string_view desc,
                                         Millis now) = 0;
  // Deliveries of the submissions `system_id` sent (all, or those of one sender DocId).
  virtual Result<std::vector<Delivery>> Sent(std::string_view system_id,
                                             std::string_view message_type,
                                             std::optional<std::int64_t> sender_doc_id) = 0;
};

// How the SQLite store makes a group of writes stable once committed: given the WAL's file
// descriptor, 0 or an errno value. fdatasync by default; tests hold a sync back or fail it.
using WalSync = std::function<int(int fd)>;

// Opens (creating if needed) a SQLite store at `path` (":memory:" for tests): WAL journal, group
// commits synced by the store itself (sqlite_store.cc says how), busy timeout. Error "store.open"
// naming the file and SQLite's reason. `first_doc_id` > 0: DocIds (of submissions and of
// deliveries) are not numbered below it, so that the hub of one run never hands a system a DocId
// it was given in an earlier run (a system may remember what it fetched); numbering already past
// it goes on.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               std::int64_t first_doc_id = 0,
                                               WalSync sync = nullptr);

// Opens a PostgreSQL store at `url` (postgresql://…): migrates the schema (once, whichever
// instance comes first) and keeps a pool of `connections`. Several processes may open the same
// database at once and serve the same mailboxes (postgres_store.cc says how). `first_doc_id` as
// for SQLite: the sequences are moved up to it, never down. Error "store.open" naming the URL
// (without its password) and PostgreSQL's reason.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url,
                                                 std::int64_t first_doc_id = 0,
                                                 int connections = 8);

// `where` is a PostgreSQL URL (postgresql://… or postgres://…) or a SQLite file (":memory:" for
// none): the store for `vxpkit hub --db`.
Result<std::unique_ptr<Store>> OpenStore(const std::string& where, std::int64_t first_doc_id = 0);

}  // namespace vxp::hub

#endif  // VXP_SIMULATOR_HUB_STORE_H_
