// What the conformance service keeps (`vxpkit serve`, issue "the conformance service"): its
// organisations, their users and roles, login sessions and API tokens for CI. An interface, so
// that the service runs on SQLite (OpenSqliteServiceStore, one file under --data) or, later,
// PostgreSQL. Tokens are stored only as their digest (service/credentials.h), passwords only as
// their scrypt hash. Errors: "service.store" (the database failed: open, migrate, read or write),
// "service.exists" (an organisation name or e-mail already registered).
#ifndef VXP_SERVICE_STORE_H_
#define VXP_SERVICE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/clock.h"
#include "core/common/result.h"
#include "harness/scenario.h"

namespace vxp::service {

// admin: organisations and users; certifier: every organisation's runs; vendor: its own
// organisation only.
enum class Role { kAdmin, kCertifier, kVendor };
std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view text);

struct Organisation {
  std::int64_t id = 0;
  std::string name;
  Millis created = 0;
};

struct User {
  std::int64_t id = 0;
  std::int64_t organisation_id = 0;
  std::string email;  // as registered, compared without regard to ASCII case
  std::string name;
  Role role = Role::kVendor;
  Millis created = 0;
  bool disabled = false;  // an administrator disabled it: no sign-in, session or API token works
};

struct Session {
  User user;
  std::string csrf;  // the token every state-changing request of this session must carry
  Millis expires = 0;
};

struct ApiToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;  // what its owner called it ("CI of branch main")
  Millis created = 0;
  Millis last_used = 0;  // 0: never
};

// A system under test an organisation registered: what it is, what it claims, how it is
// controlled, and the credentials it authenticates to its hub with (the hub needs the secret
// itself to check HMACs, so it is kept as it is: the database file is the service's to protect).
struct SystemRecord {
  std::int64_t id = 0;
  std::int64_t organisation_id = 0;
  std::string name, product, product_version;
  std::vector<std::string> agencies;      // agency identifiers it acts for (strict form)
  std::vector<std::string> capabilities;  // of kCapabilities
  std::string control;                    // a driver URL (http://…), or "operator"
  std::string hub_id, hub_secret;         // its system id and secret on its hub
  Millis created = 0;
  std::string webhook;  // told when each run is over (service/webhook.h); "" for none
};

// What a system may claim to do: its conformance statement (the plan follows from it).
using harness::kCapabilities;

// A run of a plan against a system, as the service keeps it (its result files are under
// --data/runs/<id>/; on a shared store also in the database, for every instance to serve).
// A run is queued when started, then taken by one worker (an instance of the service) and run
// there: "queued", "running", "finished".
struct RunRow {
  std::int64_t id = 0;
  std::int64_t system_id = 0;
  std::int64_t organisation_id = 0;
  std::int64_t started_by = 0;  // a user id
  std::string plan;             // "self-test" or "certification"
  std::string profile;          // the run profile used
  std::string status;           // "queued", "running" or "finished"
  std::string verdict;          // PASS, FAIL, …, INCOMPLETE; "" while running
  int exit_code = -1;
  std::string summary;  // one line: the verdict's meaning, or why it could not start
  Millis started = 0, finished = 0;
  std::string request;     // what the worker runs: the run request as JSON (service/runs.h)
  std::string worker;      // the instance running it ("" while queued)
  std::string worker_url;  // where that instance serves the run's hub to the others
};

// Whether `run` is queued or running.
inline bool UnderWay(const RunRow& run) { return run.status != "finished"; }

// One event of a run's live feed as kept on a shared store (service/feed.h).
struct StoredEvent {
  std::uint64_t id = 0;
  std::string type, data;
};

// One file of a finished run's result directory, by its path relative to it.
struct RunFile {
  std::string path;
  std::string bytes;
};

// Certification (docs/certification.md). A certifier's waiver of one scenario's verdict in a
// run: the verdict stays as judged and the waiver is shown beside it wherever it appears.
struct Waiver {
  std::int64_t run_id = 0;
  std::string scenario_id;
  std::string reason;  // never empty
  std::int64_t user_id = 0;
  std::string by;  // the certifier's e-mail (read back; ignored when written)
  Millis created = 0;
};

// A certifier's decision on a certification run, final once made.
inline constexpr std::string_view kCertified = "certified";
inline constexpr std::string_view kNotCertified = "not certified";
struct Decision {
  std::int64_t run_id = 0;
  std::string decision;  // kCertified or kNotCertified
  std::string comments;
  std::int64_t user_id = 0;
  std::string by;  // e-mail, read back
  Millis decided = 0;
};

// A certificate the office issued on a "certified" decision: its signed JSON (the facts,
// service/certificate.h), the detached CMS signature of that JSON, and the PDF. Only its
// revocation ever changes.
struct CertificateRecord {
  std::int64_t id = 0;
  std::int64_t run_id = 0, system_id = 0, organisation_id = 0;
  Millis issued = 0, valid_until = 0;
  std::string json, signature, pdf;
  Millis revoked = 0;  // 0: not revoked
  std::string revoked_reason;
  std::string revoked_by;  // e-mail, read back
};

// One line of the append-only audit log: who did what, when (the database refuses to change or
// delete a line).
struct AuditEntry {
  std::int64_t id = 0;
  Millis at = 0;
  std::int64_t user_id = 0;
  std::string by;                   // e-mail, read back
  std::string action;               // e.g. "waiver", "decision", "certificate issued", "revoked"
  std::int64_t run_id = 0;          // 0: none
  std::int64_t certificate_id = 0;  // 0: none
  std::string detail;
};

// How the stores keep a list of words (a system's agencies, its capabilities) in one column:
// separated by single spaces.
std::string JoinWords(const std::vector<std::string>& words);
std::vector<std::string> SplitWords(const std::string& text);

class ServiceStore {
 public:
  virtual ~ServiceStore() = default;

  virtual Result<Organisation> CreateOrganisation(std::string_view name, Millis now) = 0;
  virtual Result<std::optional<Organisation>> GetOrganisation(std::int64_t id) = 0;
  virtual Result<std::optional<Organisation>> FindOrganisation(std::string_view name) = 0;
  virtual Result<std::vector<Organisation>> Organisations() = 0;  // by name
  virtual Result<std::vector<User>> Users() = 0;                  // by organisation, then e-mail
  // Disables or enables a user; disabling ends its sessions. Whether the user exists.
  virtual Result<bool> SetUserDisabled(std::int64_t user_id, bool disabled) = 0;

  // `password_hash` is HashPassword's form.
  virtual Result<User> CreateUser(std::int64_t organisation_id, std::string_view email,
                                  std::string_view name, Role role, std::string_view password_hash,
                                  Millis now) = 0;
  // The user registered with `email` and their password hash; nullopt when none.
  virtual Result<std::optional<std::pair<User, std::string>>> FindLogin(std::string_view email) = 0;
  // Failed logins, by key (Accounts: a digest of the e-mail as typed, lower-cased), kept here so
  // that every instance on a shared database counts the same ones. Records one at `at`, and
  // forgets every failure (of any key) at or before `forget_before`: the table holds one window.
  virtual Result<void> AddLoginFailure(std::string_view key, Millis at, Millis forget_before) = 0;
  // The failures of `key` after `since`, oldest first.
  virtual Result<std::vector<Millis>> LoginFailures(std::string_view key, Millis since) = 0;
  // Forgets the failures of `key` (after a successful login).
  virtual Result<void> ClearLoginFailures(std::string_view key) = 0;

  virtual Result<void> PutSession(std::string_view digest, std::int64_t user_id,
                                  std::string_view csrf, Millis expires) = 0;
  // The session of `digest` if it exists and has not expired at `now`.
  virtual Result<std::optional<Session>> FindSession(std::string_view digest, Millis now) = 0;
  virtual Result<void> DeleteSession(std::string_view digest) = 0;

  virtual Result<ApiToken> PutApiToken(std::string_view digest, std::int64_t user_id,
                                       std::string_view name, Millis now) = 0;
  // The owner of the API token of `digest` (its last use set to `now`); nullopt when none.
  virtual Result<std::optional<User>> UseApiToken(std::string_view digest, Millis now) = 0;
  virtual Result<std::vector<ApiToken>> ApiTokens(std::int64_t user_id) = 0;
  // Whether `user_id` had the token `token_id`, now revoked.
  virtual Result<bool> RevokeApiToken(std::int64_t user_id, std::int64_t token_id) = 0;

  // `system` with its id set. "service.exists" for a name its organisation already uses.
  virtual Result<SystemRecord> CreateSystem(const SystemRecord& system) = 0;
  // The systems of `organisation_id`, or of every organisation when it is 0, by name.
  virtual Result<std::vector<SystemRecord>> Systems(std::int64_t organisation_id) = 0;
  virtual Result<std::optional<SystemRecord>> GetSystem(std::int64_t id) = 0;
  virtual Result<std::optional<SystemRecord>> FindSystemByHubId(std::string_view hub_id) = 0;
  virtual Result<void> SetHubSecret(std::int64_t id, std::string_view secret) = 0;
  // Saves what a system's organisation may change: name, product and version, agencies,
  // capabilities, control, webhook (not its organisation, hub id or secret). "service.exists"
  // for a name its organisation already uses.
  virtual Result<void> UpdateSystem(const SystemRecord& system) = 0;

  // Whether several service instances share this store (PostgreSQL): runs' feeds, answers and
  // files then go through it (below), since the instance a browser or a system under test
  // reaches may not be the one running the run.
  virtual bool Shared() const { return false; }

  // The run queue (docs/service.md, "Several instances on one database").
  // `run` with its id set, queued. "service.busy" when its system has a run queued or running.
  // With `audit`, its line (run_id set to the new run's id) is written in the same transaction:
  // the run and its line, or neither (a certification run is never queued unrecorded).
  virtual Result<RunRow> CreateRun(const RunRow& run, const std::optional<AuditEntry>& audit) = 0;
  // The oldest queued run, now running under `worker` (served at `worker_url`) with its lease
  // until `lease_until`; nullopt when none is queued. Several workers claiming at once each get
  // a different run (on PostgreSQL: FOR UPDATE SKIP LOCKED).
  virtual Result<std::optional<RunRow>> ClaimRun(std::string_view worker,
                                                 std::string_view worker_url, Millis now,
                                                 Millis lease_until) = 0;
  // Extends the lease of every run `worker` is running to `lease_until`: each such run's id and
  // whether someone asked to cancel it. A run of the worker's that is missing was closed by
  // another instance (its lease ran out).
  struct Held {
    std::int64_t run_id = 0;
    bool cancel = false;
  };
  virtual Result<std::vector<Held>> RenewLeases(std::string_view worker, Millis lease_until) = 0;
  // Asks run `id` to stop: a queued run is finished INCOMPLETE with `why` at once, a running
  // one is told through its worker's next renewal. Whether it was under way.
  virtual Result<bool> CancelRun(std::int64_t id, std::string_view why, Millis now) = 0;
  // The run of the system with hub id `hub_id` that is running, if any.
  virtual Result<std::optional<RunRow>> RunningRunOf(std::string_view hub_id) = 0;
  // Finishes run `id` with its verdict, unless it was finished already (cancelled while queued,
  // or closed when its worker's lease ran out): the first close stands.
  virtual Result<void> FinishRun(std::int64_t id, std::string_view verdict, int exit_code,
                                 std::string_view summary, Millis finished) = 0;
  // Runs of `organisation_id` (every organisation's when 0), newest first, at most `limit`.
  virtual Result<std::vector<RunRow>> Runs(std::int64_t organisation_id, int limit) = 0;
  virtual Result<std::optional<RunRow>> GetRun(std::int64_t id) = 0;
  // Runs whose worker stopped without finishing them become finished INCOMPLETE with `why`; how
  // many. On SQLite (one process) every run still "running"; on a shared store those whose lease
  // ran out before `now`.
  virtual Result<int> CloseAbandonedRuns(std::string_view why, Millis now) = 0;

  // A run's feed, answers and files on a shared store (see Shared()).
  // Appends `events` (numbered on from the last kept) to run `run_id`'s feed.
  virtual Result<void> AppendRunEvents(std::int64_t run_id,
                                       const std::vector<StoredEvent>& events) = 0;
  // The events of run `run_id` after the one numbered `after`, at most `max`, in order.
  virtual Result<std::vector<StoredEvent>> RunEvents(std::int64_t run_id, std::uint64_t after,
                                                     std::size_t max) = 0;
  // Records an operator's answer to prompt `number` of a run ("service.exists" when it was
  // answered already).
  virtual Result<void> AddAnswer(std::int64_t run_id, int number, std::string_view answer,
                                 std::string_view by, Millis at) = 0;
  // The answers of run `run_id` to prompts numbered after `after`: (number, answer, by).
  struct Answer {
    int number = 0;
    std::string answer, by;
  };
  virtual Result<std::vector<Answer>> Answers(std::int64_t run_id, int after) = 0;
  // Keeps the files of run `run_id`'s result directory (replacing any kept before).
  virtual Result<void> PutRunFiles(std::int64_t run_id, const std::vector<RunFile>& files) = 0;
  virtual Result<std::vector<RunFile>> RunFiles(std::int64_t run_id) = 0;

  // Certification. Each change below writes its audit line in the same transaction.
  // Appends `entry` (its id and `by` are ignored) to the audit log.
  virtual Result<void> Audit(const AuditEntry& entry) = 0;
  // The audit log of `run_id` (every line when 0), oldest first, at most `limit` lines.
  virtual Result<std::vector<AuditEntry>> AuditLog(std::int64_t run_id, int limit) = 0;
  // Records `waiver`. "service.exists" when the scenario already has a waiver in that run.
  virtual Result<void> AddWaiver(const Waiver& waiver) = 0;
  virtual Result<std::vector<Waiver>> Waivers(std::int64_t run_id) = 0;  // by scenario
  // Records `decision`; when `issue` is given (a certified decision), the certificate it makes
  // for the id it is given, in the same transaction: all of it, or nothing. "service.exists"
  // when the run was decided already; `issue`'s error as it is.
  virtual Result<std::optional<CertificateRecord>> Decide(
      const Decision& decision,
      const std::function<Result<CertificateRecord>(std::int64_t certificate_id)>& issue) = 0;
  virtual Result<std::optional<Decision>> GetDecision(std::int64_t run_id) = 0;
  // Every certificate, newest first, without its PDF bytes.
  virtual Result<std::vector<CertificateRecord>> Certificates() = 0;
  virtual Result<std::optional<CertificateRecord>> GetCertificate(std::int64_t id) = 0;
  virtual Result<std::optional<CertificateRecord>> CertificateOfRun(std::int64_t run_id) = 0;
  // Revokes certificate `id` with `reason`. Whether it exists; "service.exists" when it was
  // revoked already.
  virtual Result<bool> RevokeCertificate(std::int64_t id, std::string_view reason,
                                         std::int64_t user_id, Millis now) = 0;
};

// The store in the SQLite database at `path` (created, and migrated to this vxpkit's schema).
Result<std::unique_ptr<ServiceStore>> OpenSqliteServiceStore(const std::string& path);

// The store in the PostgreSQL database at `url` (postgresql://…), shared by every instance of
// the service that opens it (migrated once, by whichever opens it first), with a pool of
// `connections`.
Result<std::unique_ptr<ServiceStore>> OpenPostgresServiceStore(const std::string& url,
                                                               int connections = 8);

}  // namespace vxp::service

#endif  // VXP_SERVICE_STORE_H_
