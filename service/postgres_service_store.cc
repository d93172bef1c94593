// The PostgreSQL ServiceStore: what `vxpkit serve` keeps when several instances of it share one
// database (docs/service.md, "Several instances on one database"). Every method borrows a
// connection from a pool and holds no state of its own, so each instance sees at once what any
// other wrote. The run queue: a run is inserted queued; a worker claims the oldest with
// FOR UPDATE SKIP LOCKED (two workers claiming at once each take a different run, neither
// waits), and holds it by a lease it renews; a run whose lease ran out (its worker was killed or
// lost its database) is closed INCOMPLETE by any other instance. At most one run of a system is
// under way (a partial unique index). What happened during a run (its feed), the operators'
// answers and its result files are kept here, so that every instance serves them.
#include "service/store.h"
#include "service/store_rows.h"
#include "storage/postgres.h"

namespace vxp::service {
namespace {

using pg::Param;
using pg::Rows;

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE organisations(
  id bigserial PRIMARY KEY, name text NOT NULL, created_ms bigint NOT NULL);
CREATE UNIQUE INDEX organisations_name ON organisations(lower(name));
CREATE TABLE users(
  id bigserial PRIMARY KEY,
  organisation_id bigint NOT NULL REFERENCES organisations(id),
  email text NOT NULL, name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'certifier', 'vendor')),
  password_hash text NOT NULL, created_ms bigint NOT NULL,
  disabled boolean NOT NULL DEFAULT false);
CREATE UNIQUE INDEX users_email ON users(lower(email));
CREATE TABLE sessions(
  digest text PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id),
  csrf text NOT NULL, expires_ms bigint NOT NULL);
CREATE INDEX sessions_expiry ON sessions(expires_ms);
CREATE TABLE api_tokens(
  id bigserial PRIMARY KEY, digest text NOT NULL UNIQUE,
  user_id bigint NOT NULL REFERENCES users(id), name text NOT NULL,
  created_ms bigint NOT NULL, last_used_ms bigint NOT NULL DEFAULT 0);
CREATE TABLE systems(
  id bigserial PRIMARY KEY,
  organisation_id bigint NOT NULL REFERENCES organisations(id),
  name text NOT NULL, product text NOT NULL, product_version text NOT NULL,
  agencies text NOT NULL, capabilities text NOT NULL, control text NOT NULL,
  hub_id text NOT NULL UNIQUE, hub_secret text NOT NULL, created_ms bigint NOT NULL,
  webhook text NOT NULL DEFAULT '', UNIQUE (organisation_id, name));
CREATE TABLE runs(
  id bigserial PRIMARY KEY,
  system_id bigint NOT NULL REFERENCES systems(id),
  organisation_id bigint NOT NULL REFERENCES organisations(id),
  started_by bigint NOT NULL REFERENCES users(id),
  plan text NOT NULL, profile text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'finished')),
  verdict text NOT NULL, exit_code integer NOT NULL, summary text NOT NULL,
  started_ms bigint NOT NULL, finished_ms bigint NOT NULL,
  request text NOT NULL DEFAULT '{}', worker text NOT NULL DEFAULT '',
  worker_url text NOT NULL DEFAULT '', lease_until_ms bigint NOT NULL DEFAULT 0,
  cancel boolean NOT NULL DEFAULT false);
CREATE INDEX runs_by_organisation ON runs(organisation_id, id);
CREATE UNIQUE INDEX runs_one_under_way ON runs(system_id) WHERE status <> 'finished';
CREATE INDEX runs_queued ON runs(id) WHERE status = 'queued';
CREATE INDEX runs_running ON runs(lease_until_ms) WHERE status = 'running';
CREATE TABLE run_events(
  run_id bigint NOT NULL REFERENCES runs(id), seq bigint NOT NULL, type text NOT NULL,
  data text NOT NULL, PRIMARY KEY (run_id, seq));
CREATE TABLE run_answers(
  run_id bigint NOT NULL REFERENCES runs(id), number integer NOT NULL, answer text NOT NULL,
  by_email text NOT NULL, at_ms bigint NOT NULL, PRIMARY KEY (run_id, number));
CREATE TABLE run_files(
  run_id bigint NOT NULL REFERENCES runs(id), path text NOT NULL, bytes bytea NOT NULL,
  PRIMARY KEY (run_id, path));
CREATE TABLE waivers(
  run_id bigint NOT NULL REFERENCES runs(id), scenario_id text NOT NULL,
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  user_id bigint NOT NULL REFERENCES users(id), created_ms bigint NOT NULL,
  PRIMARY KEY (run_id, scenario_id));
CREATE TABLE decisions(
  run_id bigint PRIMARY KEY REFERENCES runs(id),
  decision text NOT NULL CHECK (decision IN ('certified', 'not certified')),
  comments text NOT NULL, user_id bigint NOT NULL REFERENCES users(id),
  decided_ms bigint NOT NULL);
CREATE TABLE certificates(
  id bigserial PRIMARY KEY, run_id bigint NOT NULL UNIQUE REFERENCES decisions(run_id),
  system_id bigint NOT NULL REFERENCES systems(id),
  organisation_id bigint NOT NULL REFERENCES organisations(id),
  issued_ms bigint NOT NULL, valid_until_ms bigint NOT NULL,
  json text NOT NULL, signature text NOT NULL, pdf bytea NOT NULL,
  revoked_ms bigint NOT NULL DEFAULT 0, revoked_reason text NOT NULL DEFAULT '',
  revoked_by bigint REFERENCES users(id));
CREATE TABLE audit(
  id bigserial PRIMARY KEY, at_ms bigint NOT NULL, user_id bigint NOT NULL REFERENCES users(id),
  action text NOT NULL, run_id bigint NOT NULL DEFAULT 0,
  certificate_id bigint NOT NULL DEFAULT 0, detail text NOT NULL);
CREATE INDEX audit_by_run ON audit(run_id, id);
CREATE FUNCTION vxp_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION vxp_refuse('the audit log is append-only');
CREATE TRIGGER waivers_final BEFORE UPDATE OR DELETE ON waivers
  FOR EACH ROW EXECUTE FUNCTION vxp_refuse('a waiver is final');
CREATE TRIGGER decisions_final BEFORE UPDATE OR DELETE ON decisions
  FOR EACH ROW EXECUTE FUNCTION vxp_refuse('a decision is final');
CREATE TRIGGER certificates_final
  BEFORE UPDATE OF id, run_id, system_id, organisation_id, issued_ms, valid_until_ms, json,
    signature, pdf ON certificates
  FOR EACH ROW EXECUTE FUNCTION vxp_refuse('a certificate is final; it can only be revoked');
CREATE TRIGGER certificates_final_d BEFORE DELETE ON certificates
  FOR EACH ROW EXECUTE FUNCTION vxp_refuse('a certificate is final; it can only be revoked');
)sql";

// Failed logins, counted by every instance alike (they were kept per process).
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE login_failures(email_key text NOT NULL, at_ms bigint NOT NULL);
CREATE INDEX login_failures_key ON login_failures(email_key, at_ms);
CREATE INDEX login_failures_at ON login_failures(at_ms);
)sql";

constexpr const char* kUserColumns =
    "u.id, u.organisation_id, u.email, u.name, u.role, u.created_ms, u.disabled::integer";
// One row of PostgreSQL's rows, as store_rows.h reads a row.
struct PgRow {
  const Rows& rows;
  int row;
  std::string Text(int col) const { return rows.Text(row, col); }
  std::int64_t Int(int col) const { return rows.Int(row, col); }
};

constexpr std::string_view kUniqueViolation = "23505";

class PostgresServiceStore : public ServiceStore {
 public:
  explicit PostgresServiceStore(std::unique_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

  bool Shared() const override { return true; }

  Result<Organisation> CreateOrganisation(std::string_view name, Millis now) override {
    auto r = Q("INSERT INTO organisations(name, created_ms) VALUES ($1, $2) RETURNING id",
               {Param::Text(name), Param::Int(now)}, "organisation '" + std::string(name) + "'");
    if (!r) return tl::unexpected(r.error());
    return Organisation{r->Int(0, 0), std::string(name), now};
  }

  Result<std::optional<Organisation>> GetOrganisation(std::int64_t id) override {
    return OneOrganisation("id = $1", Param::Int(id));
  }

  Result<std::optional<Organisation>> FindOrganisation(std::string_view name) override {
    if (!pg::IsText(name)) return std::optional<Organisation>();
    return OneOrganisation("lower(name) = lower($1)", Param::Text(name));
  }

  Result<std::vector<Organisation>> Organisations() override {
    auto r =
        Q("SELECT id, name, created_ms FROM organisations ORDER BY name, id", {}, "organisations");
    if (!r) return tl::unexpected(r.error());
    std::vector<Organisation> out;
    for (int i = 0; i < r->size(); ++i) out.push_back({r->Int(i, 0), r->Text(i, 1), r->Int(i, 2)});
    return out;
  }

  Result<std::vector<User>> Users() override {
    auto r = Q(std::string("SELECT ") + kUserColumns +
                   " FROM users u ORDER BY u.organisation_id, lower(u.email)",
               {}, "users");
    if (!r) return tl::unexpected(r.error());
    std::vector<User> out;
    for (int i = 0; i < r->size(); ++i) out.push_back(ReadUser(PgRow{*r, i}));
    return out;
  }

  Result<bool> SetUserDisabled(std::int64_t user_id, bool disabled) override {
    // Disabling ends the user's sessions, in the same statement.
    auto r =
        Q("WITH u AS (UPDATE users SET disabled = ($1::bigint <> 0) WHERE id = $2 "
          "RETURNING id), s AS (DELETE FROM sessions WHERE $1::bigint <> 0 AND user_id IN "
          "(SELECT id FROM u) RETURNING 1) "
          "SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM s)",
          {Param::Int(disabled ? 1 : 0), Param::Int(user_id)}, "user");
    if (!r) return tl::unexpected(r.error());
    return r->Int(0, 0) > 0;
  }

  Result<User> CreateUser(std::int64_t organisation_id, std::string_view email,
                          std::string_view name, Role role, std::string_view password_hash,
                          Millis now) override {
    auto r =
        Q("INSERT INTO users(organisation_id, email, name, role, password_hash, created_ms) "
          "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
          {Param::Int(organisation_id), Param::Text(email), Param::Text(name),
           Param::Text(ToString(role)), Param::Text(password_hash), Param::Int(now)},
          "user '" + std::string(email) + "'");
    if (!r) return tl::unexpected(r.error());
    return User{r->Int(0, 0), organisation_id, std::string(email), std::string(name), role, now};
  }

  Result<std::optional<std::pair<User, std::string>>> FindLogin(std::string_view email) override {
    using Found = std::optional<std::pair<User, std::string>>;
    if (!pg::IsText(email)) return Found();
    auto r = Q(std::string("SELECT ") + kUserColumns +
                   ", u.password_hash FROM users u WHERE lower(u.email) = lower($1)",
               {Param::Text(email)}, "login");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return Found();
    return std::make_optional(std::make_pair(ReadUser(PgRow{*r, 0}), r->Text(0, kUserColumnCount)));
  }

  Result<void> AddLoginFailure(std::string_view key, Millis at, Millis forget_before) override {
    auto lease = pool_->Borrow();
    return InTransaction(*lease, [&]() -> Result<void> {
      auto old = Q(*lease, "DELETE FROM login_failures WHERE at_ms <= $1",
                   {Param::Int(forget_before)}, "failed logins");
      if (!old) return tl::unexpected(old.error());
      auto r = Q(*lease, "INSERT INTO login_failures(email_key, at_ms) VALUES ($1, $2)",
                 {Param::Text(key), Param::Int(at)}, "failed logins");
      if (!r) return tl::unexpected(r.error());
      return {};
    });
  }

  Result<std::vector<Millis>> LoginFailures(std::string_view key, Millis since) override {
    auto r =
        Q("SELECT at_ms FROM login_failures WHERE email_key = $1 AND at_ms > $2 ORDER BY at_ms",
          {Param::Text(key), Param::Int(since)}, "failed logins");
    if (!r) return tl::unexpected(r.error());
    std::vector<Millis> out;
    for (int i = 0; i < r->size(); ++i) out.push_back(r->Int(i, 0));
    return out;
  }

  Result<void> ClearLoginFailures(std::string_view key) override {
    auto r =
        Q("DELETE FROM login_failures WHERE email_key = $1", {Param::Text(key)}, "failed logins");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<void> PutSession(std::string_view digest, std::int64_t user_id, std::string_view csrf,
                          Millis expires) override {
    auto r = Q("INSERT INTO sessions(digest, user_id, csrf, expires_ms) VALUES ($1, $2, $3, $4)",
               {Param::Text(digest), Param::Int(user_id), Param::Text(csrf), Param::Int(expires)},
               "session");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<std::optional<Session>> FindSession(std::string_view digest, Millis now) override {
    if (!pg::IsText(digest)) return std::optional<Session>();
    auto r = Q(std::string("SELECT ") + kUserColumns +
                   ", s.csrf, s.expires_ms FROM sessions s JOIN users u ON u.id = s.user_id "
                   "WHERE s.digest = $1 AND s.expires_ms > $2 AND NOT u.disabled",
               {Param::Text(digest), Param::Int(now)}, "session");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<Session>();
    return Session{ReadUser(PgRow{*r, 0}), r->Text(0, kUserColumnCount),
                   r->Int(0, kUserColumnCount + 1)};
  }

  Result<void> DeleteSession(std::string_view digest) override {
    if (!pg::IsText(digest)) return {};
    auto r = Q("DELETE FROM sessions WHERE digest = $1", {Param::Text(digest)}, "session");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<ApiToken> PutApiToken(std::string_view digest, std::int64_t user_id, std::string_view name,
                               Millis now) override {
    auto r =
        Q("INSERT INTO api_tokens(digest, user_id, name, created_ms) VALUES ($1, $2, $3, $4) "
          "RETURNING id",
          {Param::Text(digest), Param::Int(user_id), Param::Text(name), Param::Int(now)},
          "API token");
    if (!r) return tl::unexpected(r.error());
    return ApiToken{r->Int(0, 0), user_id, std::string(name), now, 0};
  }

  Result<std::optional<User>> UseApiToken(std::string_view digest, Millis now) override {
    if (!pg::IsText(digest)) return std::optional<User>();
    auto r = Q(std::string("UPDATE api_tokens t SET last_used_ms = $2 FROM users u WHERE "
                           "u.id = t.user_id AND t.digest = $1 AND NOT u.disabled RETURNING ") +
                   kUserColumns,
               {Param::Text(digest), Param::Int(now)}, "API token");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<User>();
    return ReadUser(PgRow{*r, 0});
  }

  Result<std::vector<ApiToken>> ApiTokens(std::int64_t user_id) override {
    auto r =
        Q("SELECT id, user_id, name, created_ms, last_used_ms FROM api_tokens "
          "WHERE user_id = $1 ORDER BY id",
          {Param::Int(user_id)}, "API tokens");
    if (!r) return tl::unexpected(r.error());
    std::vector<ApiToken> out;
    for (int i = 0; i < r->size(); ++i) {
      out.push_back({r->Int(i, 0), r->Int(i, 1), r->Text(i, 2), r->Int(i, 3), r->Int(i, 4)});
    }
    return out;
  }

  Result<bool> RevokeApiToken(std::int64_t user_id, std::int64_t token_id) override {
    auto r = Q("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2",
               {Param::Int(token_id), Param::Int(user_id)}, "API token");
    if (!r) return tl::unexpected(r.error());
    return r->Affected() > 0;
  }

  Result<SystemRecord> CreateSystem(const SystemRecord& system) override {
    auto r =
        Q("INSERT INTO systems(organisation_id, name, product, product_version, agencies, "
          "capabilities, control, hub_id, hub_secret, created_ms, webhook) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
          {Param::Int(system.organisation_id), Param::Text(system.name),
           Param::Text(system.product), Param::Text(system.product_version),
           Param::Text(JoinWords(system.agencies)), Param::Text(JoinWords(system.capabilities)),
           Param::Text(system.control), Param::Text(system.hub_id), Param::Text(system.hub_secret),
           Param::Int(system.created), Param::Text(system.webhook)},
          "system '" + system.name + "'");
    if (!r) return tl::unexpected(r.error());
    SystemRecord made = system;
    made.id = r->Int(0, 0);
    return made;
  }

  Result<std::vector<SystemRecord>> Systems(std::int64_t organisation_id) override {
    auto r = Q(std::string("SELECT ") + kSystemColumns +
                   " FROM systems WHERE $1 = 0 OR organisation_id = $1 ORDER BY name, id",
               {Param::Int(organisation_id)}, "systems");
    if (!r) return tl::unexpected(r.error());
    std::vector<SystemRecord> out;
    for (int i = 0; i < r->size(); ++i) out.push_back(ReadSystem(PgRow{*r, i}));
    return out;
  }

  Result<std::optional<SystemRecord>> GetSystem(std::int64_t id) override {
    return OneSystem("id = $1", Param::Int(id));
  }

  Result<std::optional<SystemRecord>> FindSystemByHubId(std::string_view hub_id) override {
    if (!pg::IsText(hub_id)) return std::optional<SystemRecord>();
    return OneSystem("hub_id = $1", Param::Text(hub_id));
  }

  Result<void> SetHubSecret(std::int64_t id, std::string_view secret) override {
    auto r = Q("UPDATE systems SET hub_secret = $1 WHERE id = $2",
               {Param::Text(secret), Param::Int(id)}, "system");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<void> UpdateSystem(const SystemRecord& system) override {
    auto r = Q(
        "UPDATE systems SET name = $1, product = $2, product_version = $3, agencies = $4, "
        "capabilities = $5, control = $6, webhook = $7 WHERE id = $8",
        {Param::Text(system.name), Param::Text(system.product), Param::Text(system.product_version),
         Param::Text(JoinWords(system.agencies)), Param::Text(JoinWords(system.capabilities)),
         Param::Text(system.control), Param::Text(system.webhook), Param::Int(system.id)},
        "system '" + system.name + "'");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<RunRow> CreateRun(const RunRow& run, const std::optional<AuditEntry>& audit) override {
    auto lease = pool_->Borrow();
    RunRow made = run;
    auto done = InTransaction(*lease, [&]() -> Result<void> {
      std::string state;
      auto r = Q(*lease,
                 "INSERT INTO runs(system_id, organisation_id, started_by, plan, profile, status, "
                 "verdict, exit_code, summary, started_ms, finished_ms, request) "
                 "VALUES ($1, $2, $3, $4, $5, 'queued', '', -1, '', $6, 0, $7) RETURNING id",
                 {Param::Int(run.system_id), Param::Int(run.organisation_id),
                  Param::Int(run.started_by), Param::Text(run.plan), Param::Text(run.profile),
                  Param::Int(run.started), Param::Text(run.request)},
                 "run", &state);
      if (!r) {
        if (state == kUniqueViolation) {
          return MakeError("service.busy",
                           "the system has a run under way: wait for it, or cancel it");
        }
        return tl::unexpected(r.error());
      }
      made.id = r->Int(0, 0);
      if (!audit) return {};
      AuditEntry line = *audit;
      line.run_id = made.id;
      return AppendAudit(*lease, line);
    });
    if (!done) return tl::unexpected(done.error());
    made.status = "queued";
    return made;
  }

  Result<std::optional<RunRow>> ClaimRun(std::string_view worker, std::string_view worker_url,
                                         Millis now, Millis lease_until) override {
    (void)now;
    auto r =
        Q(std::string("UPDATE runs SET status = 'running', worker = $1, worker_url = $2, "
                      "lease_until_ms = $3 WHERE id = (SELECT id FROM runs WHERE status = "
                      "'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING ") +
              kRunColumns,
          {Param::Text(worker), Param::Text(worker_url), Param::Int(lease_until)}, "run queue");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<RunRow>();
    return ReadRun(PgRow{*r, 0});
  }

  Result<std::vector<Held>> RenewLeases(std::string_view worker, Millis lease_until) override {
    auto r =
        Q("UPDATE runs SET lease_until_ms = $1 WHERE worker = $2 AND status = 'running' "
          "RETURNING id, cancel::integer",
          {Param::Int(lease_until), Param::Text(worker)}, "run leases");
    if (!r) return tl::unexpected(r.error());
    std::vector<Held> held;
    for (int i = 0; i < r->size(); ++i) held.push_back({r->Int(i, 0), r->Int(i, 1) != 0});
    return held;
  }

  Result<bool> CancelRun(std::int64_t id, std::string_view why, Millis now) override {
    auto r =
        Q("WITH queued AS (UPDATE runs SET status = 'finished', verdict = 'INCOMPLETE', "
          "exit_code = 4, summary = $2, finished_ms = $3 WHERE id = $1 AND status = "
          "'queued' RETURNING id), running AS (UPDATE runs SET cancel = true WHERE id = $1 "
          "AND status = 'running' RETURNING id) "
          "SELECT (SELECT count(*) FROM queued) + (SELECT count(*) FROM running)",
          {Param::Int(id), Param::Text(why), Param::Int(now)}, "run");
    if (!r) return tl::unexpected(r.error());
    return r->Int(0, 0) > 0;
  }

  Result<std::optional<RunRow>> RunningRunOf(std::string_view hub_id) override {
    if (!pg::IsText(hub_id)) return std::optional<RunRow>();
    auto r = Q(std::string("SELECT ") + kRunColumns +
                   " FROM runs WHERE status = 'running' AND system_id = "
                   "(SELECT id FROM systems WHERE hub_id = $1)",
               {Param::Text(hub_id)}, "run");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<RunRow>();
    return ReadRun(PgRow{*r, 0});
  }

  Result<void> FinishRun(std::int64_t id, std::string_view verdict, int exit_code,
                         std::string_view summary, Millis finished) override {
    auto r =
        Q("UPDATE runs SET status = 'finished', verdict = $1, exit_code = $2, summary = $3, "
          "finished_ms = $4 WHERE id = $5 AND status <> 'finished'",
          {Param::Text(verdict), Param::Int(exit_code), Param::Text(summary), Param::Int(finished),
           Param::Int(id)},
          "run");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<std::vector<RunRow>> Runs(std::int64_t organisation_id, int limit) override {
    auto r = Q(std::string("SELECT ") + kRunColumns +
                   " FROM runs WHERE $1 = 0 OR organisation_id = $1 ORDER BY id DESC LIMIT $2",
               {Param::Int(organisation_id), Param::Int(limit)}, "runs");
    if (!r) return tl::unexpected(r.error());
    std::vector<RunRow> out;
    for (int i = 0; i < r->size(); ++i) out.push_back(ReadRun(PgRow{*r, i}));
    return out;
  }

  Result<std::optional<RunRow>> GetRun(std::int64_t id) override {
    auto r = Q(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = $1", {Param::Int(id)},
               "run");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<RunRow>();
    return ReadRun(PgRow{*r, 0});
  }

  Result<int> CloseAbandonedRuns(std::string_view why, Millis now) override {
    auto r =
        Q("UPDATE runs SET status = 'finished', verdict = 'INCOMPLETE', exit_code = 4, "
          "summary = $1, finished_ms = $2 WHERE status = 'running' AND lease_until_ms < $2",
          {Param::Text(why), Param::Int(now)}, "runs");
    if (!r) return tl::unexpected(r.error());
    return static_cast<int>(r->Affected());
  }

  Result<void> AppendRunEvents(std::int64_t run_id,
                               const std::vector<StoredEvent>& events) override {
    if (events.empty()) return {};
    // One round trip and one transaction for the batch.
    std::vector<pg::Connection::Statement> statements;
    for (const StoredEvent& e : events) {
      if (!pg::IsText(e.type) || !pg::IsText(e.data)) {
        return MakeError("service.input", "run events: an event that is not UTF-8 text");
      }
      statements.push_back(
          {"INSERT INTO run_events(run_id, seq, type, data) "
           "VALUES ($1, $2, $3, $4)",
           {Param::Int(run_id), Param::Int(static_cast<std::int64_t>(e.id)), Param::Text(e.type),
            Param::Text(e.data)}});
    }
    auto r = pool_->Borrow()->Pipeline(statements, "service.store");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<std::vector<StoredEvent>> RunEvents(std::int64_t run_id, std::uint64_t after,
                                             std::size_t max) override {
    auto r =
        Q("SELECT seq, type, data FROM run_events WHERE run_id = $1 AND seq > $2 "
          "ORDER BY seq LIMIT $3",
          {Param::Int(run_id), Param::Int(static_cast<std::int64_t>(after)),
           Param::Int(static_cast<std::int64_t>(max))},
          "run events");
    if (!r) return tl::unexpected(r.error());
    std::vector<StoredEvent> out;
    for (int i = 0; i < r->size(); ++i) {
      out.push_back({static_cast<std::uint64_t>(r->Int(i, 0)), r->Text(i, 1), r->Text(i, 2)});
    }
    return out;
  }

  Result<void> AddAnswer(std::int64_t run_id, int number, std::string_view answer,
                         std::string_view by, Millis at) override {
    auto r =
        Q("INSERT INTO run_answers(run_id, number, answer, by_email, at_ms) "
          "VALUES ($1, $2, $3, $4, $5)",
          {Param::Int(run_id), Param::Int(number), Param::Text(answer), Param::Text(by),
           Param::Int(at)},
          "an answer to prompt " + std::to_string(number));
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<std::vector<Answer>> Answers(std::int64_t run_id, int after) override {
    auto r =
        Q("SELECT number, answer, by_email FROM run_answers WHERE run_id = $1 AND "
          "number > $2 ORDER BY number",
          {Param::Int(run_id), Param::Int(after)}, "answers");
    if (!r) return tl::unexpected(r.error());
    std::vector<Answer> out;
    for (int i = 0; i < r->size(); ++i) {
      out.push_back({static_cast<int>(r->Int(i, 0)), r->Text(i, 1), r->Text(i, 2)});
    }
    return out;
  }

  Result<void> PutRunFiles(std::int64_t run_id, const std::vector<RunFile>& files) override {
    std::vector<pg::Connection::Statement> statements;
    statements.push_back({"DELETE FROM run_files WHERE run_id = $1", {Param::Int(run_id)}});
    for (const RunFile& f : files) {
      if (!pg::IsText(f.path)) {
        return MakeError("service.store", "run file: a path that is not UTF-8 text");
      }
      statements.push_back({"INSERT INTO run_files(run_id, path, bytes) VALUES ($1, $2, $3)",
                            {Param::Int(run_id), Param::Text(f.path), Param::Bytes(f.bytes)}});
    }
    auto r = pool_->Borrow()->Pipeline(statements, "service.store");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<std::vector<RunFile>> RunFiles(std::int64_t run_id) override {
    auto r = Q("SELECT path, bytes FROM run_files WHERE run_id = $1 ORDER BY path",
               {Param::Int(run_id)}, "run files");
    if (!r) return tl::unexpected(r.error());
    std::vector<RunFile> out;
    for (int i = 0; i < r->size(); ++i) out.push_back({r->Text(i, 0), r->Text(i, 1)});
    return out;
  }

  Result<void> Audit(const AuditEntry& e) override {
    auto lease = pool_->Borrow();
    return AppendAudit(*lease, e);
  }

  Result<std::vector<AuditEntry>> AuditLog(std::int64_t run_id, int limit) override {
    auto r =
        Q("SELECT a.id, a.at_ms, a.user_id, u.email, a.action, a.run_id, a.certificate_id, "
          "a.detail FROM audit a JOIN users u ON u.id = a.user_id WHERE $1 = 0 OR "
          "a.run_id = $1 ORDER BY a.id LIMIT $2",
          {Param::Int(run_id), Param::Int(limit)}, "audit log");
    if (!r) return tl::unexpected(r.error());
    std::vector<AuditEntry> out;
    for (int i = 0; i < r->size(); ++i) {
      out.push_back({r->Int(i, 0), r->Int(i, 1), r->Int(i, 2), r->Text(i, 3), r->Text(i, 4),
                     r->Int(i, 5), r->Int(i, 6), r->Text(i, 7)});
    }
    return out;
  }

  Result<void> AddWaiver(const Waiver& w) override {
    auto lease = pool_->Borrow();
    return InTransaction(*lease, [&]() -> Result<void> {
      auto r = Q(*lease,
                 "INSERT INTO waivers(run_id, scenario_id, reason, user_id, created_ms) "
                 "VALUES ($1, $2, $3, $4, $5)",
                 {Param::Int(w.run_id), Param::Text(w.scenario_id), Param::Text(w.reason),
                  Param::Int(w.user_id), Param::Int(w.created)},
                 "a waiver of " + w.scenario_id + " in run " + std::to_string(w.run_id));
      if (!r) return tl::unexpected(r.error());
      return AppendAudit(*lease, {.at = w.created,
                                  .user_id = w.user_id,
                                  .action = "waiver",
                                  .run_id = w.run_id,
                                  .detail = w.scenario_id + ": " + w.reason});
    });
  }

  Result<std::vector<Waiver>> Waivers(std::int64_t run_id) override {
    auto r =
        Q("SELECT w.run_id, w.scenario_id, w.reason, w.user_id, u.email, w.created_ms "
          "FROM waivers w JOIN users u ON u.id = w.user_id WHERE w.run_id = $1 "
          "ORDER BY w.scenario_id",
          {Param::Int(run_id)}, "waivers");
    if (!r) return tl::unexpected(r.error());
    std::vector<Waiver> out;
    for (int i = 0; i < r->size(); ++i) {
      out.push_back(
          {r->Int(i, 0), r->Text(i, 1), r->Text(i, 2), r->Int(i, 3), r->Text(i, 4), r->Int(i, 5)});
    }
    return out;
  }

  Result<std::optional<CertificateRecord>> Decide(
      const Decision& d,
      const std::function<Result<CertificateRecord>(std::int64_t)>& issue) override {
    auto lease = pool_->Borrow();
    std::optional<CertificateRecord> made;
    auto done = InTransaction(*lease, [&]() -> Result<void> {
      auto r = Q(*lease,
                 "INSERT INTO decisions(run_id, decision, comments, user_id, decided_ms) "
                 "VALUES ($1, $2, $3, $4, $5)",
                 {Param::Int(d.run_id), Param::Text(d.decision), Param::Text(d.comments),
                  Param::Int(d.user_id), Param::Int(d.decided)},
                 "a decision on run " + std::to_string(d.run_id));
      if (!r) return tl::unexpected(r.error());
      auto logged = AppendAudit(
          *lease, {.at = d.decided,
                   .user_id = d.user_id,
                   .action = "decision",
                   .run_id = d.run_id,
                   .detail = d.decision + (d.comments.empty() ? "" : ": ") + d.comments});
      if (!logged || !issue) return logged;
      auto next = Q(*lease, "SELECT nextval('certificates_id_seq')", {}, "certificates");
      if (!next) return tl::unexpected(next.error());
      const std::int64_t id = next->Int(0, 0);
      auto c = issue(id);
      if (!c) return tl::unexpected(c.error());
      auto put =
          Q(*lease,
            "INSERT INTO certificates(id, run_id, system_id, organisation_id, issued_ms, "
            "valid_until_ms, json, signature, pdf) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            {Param::Int(id), Param::Int(d.run_id), Param::Int(c->system_id),
             Param::Int(c->organisation_id), Param::Int(c->issued), Param::Int(c->valid_until),
             Param::Text(c->json), Param::Text(c->signature), Param::Bytes(c->pdf)},
            "certificate");
      if (!put) return tl::unexpected(put.error());
      c->id = id;
      c->run_id = d.run_id;
      made = std::move(*c);
      return AppendAudit(*lease, {.at = d.decided,
                                  .user_id = d.user_id,
                                  .action = "certificate issued",
                                  .run_id = d.run_id,
                                  .certificate_id = id,
                                  .detail = "certificate " + std::to_string(id)});
    });
    if (!done) return tl::unexpected(done.error());
    return made;
  }

  Result<std::optional<Decision>> GetDecision(std::int64_t run_id) override {
    auto r =
        Q("SELECT d.run_id, d.decision, d.comments, d.user_id, u.email, d.decided_ms "
          "FROM decisions d JOIN users u ON u.id = d.user_id WHERE d.run_id = $1",
          {Param::Int(run_id)}, "decision");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<Decision>();
    return Decision{r->Int(0, 0), r->Text(0, 1), r->Text(0, 2),
                    r->Int(0, 3), r->Text(0, 4), r->Int(0, 5)};
  }

  Result<std::vector<CertificateRecord>> Certificates() override {
    auto r = Q(std::string("SELECT ") + kCertificateColumns +
                   " FROM certificates c LEFT JOIN users u ON u.id = c.revoked_by "
                   "ORDER BY c.id DESC",
               {}, "certificates");
    if (!r) return tl::unexpected(r.error());
    std::vector<CertificateRecord> out;
    for (int i = 0; i < r->size(); ++i) out.push_back(ReadCertificate(PgRow{*r, i}));
    return out;
  }

  Result<std::optional<CertificateRecord>> GetCertificate(std::int64_t id) override {
    return OneCertificate("c.id = $1", id);
  }

  Result<std::optional<CertificateRecord>> CertificateOfRun(std::int64_t run_id) override {
    return OneCertificate("c.run_id = $1", run_id);
  }

  Result<bool> RevokeCertificate(std::int64_t id, std::string_view reason, std::int64_t user_id,
                                 Millis now) override {
    auto lease = pool_->Borrow();
    bool found = false;
    auto done = InTransaction(*lease, [&]() -> Result<void> {
      auto was = Q(*lease, "SELECT revoked_ms, run_id FROM certificates WHERE id = $1 FOR UPDATE",
                   {Param::Int(id)}, "certificate");
      if (!was) return tl::unexpected(was.error());
      if (was->size() == 0) return {};
      found = true;
      if (was->Int(0, 0) != 0) {
        return MakeError("service.exists",
                         "certificate " + std::to_string(id) + " is revoked already");
      }
      const std::int64_t run_id = was->Int(0, 1);
      auto r = Q(*lease,
                 "UPDATE certificates SET revoked_ms = $1, revoked_reason = $2, revoked_by = $3 "
                 "WHERE id = $4",
                 {Param::Int(now), Param::Text(reason), Param::Int(user_id), Param::Int(id)},
                 "certificate");
      if (!r) return tl::unexpected(r.error());
      return AppendAudit(*lease, {.at = now,
                                  .user_id = user_id,
                                  .action = "revoked",
                                  .run_id = run_id,
                                  .certificate_id = id,
                                  .detail = std::string(reason)});
    });
    if (!done) return tl::unexpected(done.error());
    return found;
  }

 private:
  // Runs `sql` on a connection of the pool (or on `c`): a unique violation (a taken name or
  // e-mail, a second waiver or decision) is "service.exists", text PostgreSQL cannot hold is
  // "service.input", any other failure "service.store", each naming `what`.
  Result<Rows> Q(const std::string& sql, const std::vector<Param>& params, const std::string& what,
                 std::string* state = nullptr) {
    auto lease = pool_->Borrow();
    return Q(*lease, sql, params, what, state);
  }
  Result<Rows> Q(pg::Connection& c, const std::string& sql, const std::vector<Param>& params,
                 const std::string& what, std::string* state = nullptr) {
    for (const Param& p : params) {
      if (p.kind == Param::kText && !pg::IsText(p.value)) {
        return MakeError("service.input", what + ": a value that is not UTF-8 text without NUL");
      }
    }
    std::string sqlstate;
    auto r = c.Exec(sql, params, "service.store", &sqlstate);
    if (state != nullptr) *state = sqlstate;
    if (r) return r;
    if (sqlstate == kUniqueViolation) {
      return MakeError("service.exists", what + " is already registered");
    }
    Error e = r.error();
    e.message = what + ": " + e.message;
    return tl::unexpected(e);
  }

  Result<void> AppendAudit(pg::Connection& c, const AuditEntry& e) {
    auto r = Q(c,
               "INSERT INTO audit(at_ms, user_id, action, run_id, certificate_id, detail) "
               "VALUES ($1, $2, $3, $4, $5, $6)",
               {Param::Int(e.at), Param::Int(e.user_id), Param::Text(e.action),
                Param::Int(e.run_id), Param::Int(e.certificate_id), Param::Text(e.detail)},
               "audit log");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  // Runs `body` in a transaction on `c`: committed when it succeeds, rolled back when it fails.
  Result<void> InTransaction(pg::Connection& c, const std::function<Result<void>()>& body) {
    if (auto b = c.Exec("BEGIN", {}, "service.store"); !b) return tl::unexpected(b.error());
    auto r = body();
    if (!r) {
      (void)c.Exec("ROLLBACK", {}, "service.store");
      return r;
    }
    if (auto done = c.Exec("COMMIT", {}, "service.store"); !done) {
      (void)c.Exec("ROLLBACK", {}, "service.store");
      return tl::unexpected(done.error());
    }
    return {};
  }

  Result<std::optional<Organisation>> OneOrganisation(const std::string& where, Param key) {
    auto r = Q("SELECT id, name, created_ms FROM organisations WHERE " + where, {std::move(key)},
               "organisation");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<Organisation>();
    return Organisation{r->Int(0, 0), r->Text(0, 1), r->Int(0, 2)};
  }

  Result<std::optional<SystemRecord>> OneSystem(const std::string& where, Param key) {
    auto r = Q(std::string("SELECT ") + kSystemColumns + " FROM systems WHERE " + where,
               {std::move(key)}, "system");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<SystemRecord>();
    return ReadSystem(PgRow{*r, 0});
  }

  Result<std::optional<CertificateRecord>> OneCertificate(const char* where, std::int64_t key) {
    auto r =
        Q(std::string("SELECT ") + kCertificateColumns +
              ", c.pdf FROM certificates c LEFT JOIN users u ON u.id = c.revoked_by WHERE " + where,
          {Param::Int(key)}, "certificate");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<CertificateRecord>();
    CertificateRecord c = ReadCertificate(PgRow{*r, 0});
    c.pdf = r->Text(0, 11);
    return c;
  }

  std::unique_ptr<pg::Pool> pool_;
};

}  // namespace

Result<std::unique_ptr<ServiceStore>> OpenPostgresServiceStore(const std::string& url,
                                                               int connections) {
  auto pool = pg::Pool::Open(url, connections, "service.store");
  if (!pool) return tl::unexpected(pool.error());
  {
    auto lease = (*pool)->Borrow();
    if (auto m = pg::Migrate(*lease, "service", {kSchemaV1, kSchemaV2}, "service.store"); !m) {
      return tl::unexpected(m.error());
    }
  }
  return std::unique_ptr<ServiceStore>(std::make_unique<PostgresServiceStore>(std::move(*pool)));
}

}  // namespace vxp::service
