// The SQLite ServiceStore: one connection, serialized by a mutex (the service's writes are few
// and small: logins, tokens, registrations), WAL with synchronous=FULL, foreign keys on, and the
// schema brought up to date by numbered migrations (storage/sqlite.h) when opened.
#include <functional>
#include <mutex>

#include "service/store.h"
#include "service/store_rows.h"
#include "storage/sqlite.h"

namespace vxp::service {
namespace {

using sqlite::Connection;
using sqlite::Stmt;

// Append only: a released migration is never edited, the next change is a new entry.
const std::vector<std::string_view> kMigrations = {
    // 1: accounts.
    R"sql(
CREATE TABLE organisations(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, created_ms INTEGER NOT NULL);
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'certifier', 'vendor')),
  password_hash TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE sessions(
  digest TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL, expires_ms INTEGER NOT NULL);
CREATE INDEX sessions_expiry ON sessions(expires_ms);
CREATE TABLE api_tokens(
  id INTEGER PRIMARY KEY, digest TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL,
  created_ms INTEGER NOT NULL, last_used_ms INTEGER NOT NULL DEFAULT 0);
)sql",
    // 2: systems under test.
    R"sql(
CREATE TABLE systems(
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL, product TEXT NOT NULL, product_version TEXT NOT NULL,
  agencies TEXT NOT NULL, capabilities TEXT NOT NULL, control TEXT NOT NULL,
  hub_id TEXT NOT NULL UNIQUE, hub_secret TEXT NOT NULL, created_ms INTEGER NOT NULL,
  UNIQUE (organisation_id, name));
)sql",
    // 3: runs.
    R"sql(
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  system_id INTEGER NOT NULL REFERENCES systems(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  started_by INTEGER NOT NULL REFERENCES users(id),
  plan TEXT NOT NULL, profile TEXT NOT NULL, status TEXT NOT NULL, verdict TEXT NOT NULL,
  exit_code INTEGER NOT NULL, summary TEXT NOT NULL,
  started_ms INTEGER NOT NULL, finished_ms INTEGER NOT NULL);
CREATE INDEX runs_by_organisation ON runs(organisation_id, id);
)sql",
    // 4: webhooks.
    R"sql(
ALTER TABLE systems ADD COLUMN webhook TEXT NOT NULL DEFAULT '';
)sql",
    // 5: users an administrator disabled.
    R"sql(
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
)sql",
    // 6: certification: waivers, decisions, certificates, the audit log. What was decided is
    // never changed or deleted (triggers); a certificate's revocation is its only change.
    R"sql(
CREATE TABLE waivers(
  run_id INTEGER NOT NULL REFERENCES runs(id), scenario_id TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  user_id INTEGER NOT NULL REFERENCES users(id), created_ms INTEGER NOT NULL,
  PRIMARY KEY (run_id, scenario_id));
CREATE TABLE decisions(
  run_id INTEGER PRIMARY KEY REFERENCES runs(id),
  decision TEXT NOT NULL CHECK (decision IN ('certified', 'not certified')),
  comments TEXT NOT NULL, user_id INTEGER NOT NULL REFERENCES users(id),
  decided_ms INTEGER NOT NULL);
CREATE TABLE certificates(
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL UNIQUE REFERENCES decisions(run_id),
  system_id INTEGER NOT NULL REFERENCES systems(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  issued_ms INTEGER NOT NULL, valid_until_ms INTEGER NOT NULL,
  json TEXT NOT NULL, signature TEXT NOT NULL, pdf BLOB NOT NULL,
  revoked_ms INTEGER NOT NULL DEFAULT 0, revoked_reason TEXT NOT NULL DEFAULT '',
  revoked_by INTEGER REFERENCES users(id));
CREATE TABLE audit(
  id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, user_id INTEGER NOT NULL REFERENCES users(id),
  action TEXT NOT NULL, run_id INTEGER NOT NULL DEFAULT 0,
  certificate_id INTEGER NOT NULL DEFAULT 0, detail TEXT NOT NULL);
CREATE INDEX audit_by_run ON audit(run_id, id);
CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER waivers_final_u BEFORE UPDATE ON waivers
  BEGIN SELECT RAISE(ABORT, 'a waiver is final'); END;
CREATE TRIGGER waivers_final_d BEFORE DELETE ON waivers
  BEGIN SELECT RAISE(ABORT, 'a waiver is final'); END;
CREATE TRIGGER decisions_final_u BEFORE UPDATE ON decisions
  BEGIN SELECT RAISE(ABORT, 'a decision is final'); END;
CREATE TRIGGER decisions_final_d BEFORE DELETE ON decisions
  BEGIN SELECT RAISE(ABORT, 'a decision is final'); END;
CREATE TRIGGER certificates_final_u
  BEFORE UPDATE OF id, run_id, system_id, organisation_id, issued_ms, valid_until_ms, json,
    signature, pdf ON certificates
  BEGIN SELECT RAISE(ABORT, 'a certificate is final; it can only be revoked'); END;
CREATE TRIGGER certificates_final_d BEFORE DELETE ON certificates
  BEGIN SELECT RAISE(ABORT, 'a certificate is final; it can only be revoked'); END;
)sql",
    // 7: the run queue (a run is queued, then claimed by a worker and held by its lease), at most
    // one run under way per system, and what a shared store keeps of each run for every
    // instance: its feed, its operator answers, its result files. Runs an earlier vxpkit left
    // running were abandoned by it.
    R"sql(
UPDATE runs SET status = 'finished', verdict = 'INCOMPLETE', exit_code = 4, finished_ms = started_ms,
  summary = 'the service stopped before this run finished (it was not stopped gracefully)'
  WHERE status = 'running';
ALTER TABLE runs ADD COLUMN request TEXT NOT NULL DEFAULT '{}';
ALTER TABLE runs ADD COLUMN worker TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN worker_url TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN lease_until_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN cancel INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX runs_one_under_way ON runs(system_id) WHERE status != 'finished';
CREATE INDEX runs_queued ON runs(id) WHERE status = 'queued';
CREATE TABLE run_events(
  run_id INTEGER NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, type TEXT NOT NULL,
  data TEXT NOT NULL, PRIMARY KEY (run_id, seq));
CREATE TABLE run_answers(
  run_id INTEGER NOT NULL REFERENCES runs(id), number INTEGER NOT NULL, answer TEXT NOT NULL,
  by_email TEXT NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY (run_id, number));
CREATE TABLE run_files(
  run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL, bytes BLOB NOT NULL,
  PRIMARY KEY (run_id, path));
)sql",
    // 8: failed logins, counted by every instance alike (they were kept per process).
    R"sql(
CREATE TABLE login_failures(email_key TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX login_failures_key ON login_failures(email_key, at_ms);
CREATE INDEX login_failures_at ON login_failures(at_ms);
)sql",
};

constexpr const char* kUserColumns =
    "u.id, u.organisation_id, u.email, u.name, u.role, u.created_ms, u.disabled";
class SqliteServiceStore : public ServiceStore {
 public:
  explicit SqliteServiceStore(sqlite3* db) : c_(db) {}

  // Durable writes, enforced references, and this vxpkit's schema.
  Result<void> Init(const std::string& path) {
    if (!c_.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")) {
      return MakeError("service.store", "cannot set up " + path + ": " + c_.Error());
    }
    return sqlite::Migrate(c_, kMigrations, "service.store");
  }

  Result<Organisation> CreateOrganisation(std::string_view name, Millis now) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "INSERT INTO organisations(name, created_ms) VALUES (?, ?)");
    s.Bind(1, name).Bind(2, now);
    if (int rc = s.Step(); rc != SQLITE_DONE) {
      return Failed(rc, "organisation '" + std::string(name) + "'");
    }
    return Organisation{sqlite3_last_insert_rowid(c_.db()), std::string(name), now};
  }

  Result<std::optional<Organisation>> GetOrganisation(std::int64_t id) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "SELECT id, name, created_ms FROM organisations WHERE id = ?");
    s.Bind(1, id);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<Organisation>();
    if (rc != SQLITE_ROW) return Failed(rc, "organisation");
    return Organisation{s.Int(0), s.Text(1), s.Int(2)};
  }

  Result<std::optional<Organisation>> FindOrganisation(std::string_view name) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "SELECT id, name, created_ms FROM organisations WHERE name = ?");
    s.Bind(1, name);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<Organisation>();
    if (rc != SQLITE_ROW) return Failed(rc, "organisation");
    return Organisation{s.Int(0), s.Text(1), s.Int(2)};
  }

  Result<std::vector<Organisation>> Organisations() override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "SELECT id, name, created_ms FROM organisations ORDER BY name, id");
    std::vector<Organisation> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Int(0), s.Text(1), s.Int(2)});
    if (rc != SQLITE_DONE) return Failed(rc, "organisations");
    return out;
  }

  Result<std::vector<User>> Users() override {
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("SELECT ") + kUserColumns +
                   " FROM users u ORDER BY u.organisation_id, u.email");
    std::vector<User> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadUser(s));
    if (rc != SQLITE_DONE) return Failed(rc, "users");
    return out;
  }

  Result<User> CreateUser(std::int64_t organisation_id, std::string_view email,
                          std::string_view name, Role role, std::string_view password_hash,
                          Millis now) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "INSERT INTO users(organisation_id, email, name, role, password_hash, created_ms) "
           "VALUES (?, ?, ?, ?, ?, ?)");
    s.Bind(1, organisation_id)
        .Bind(2, email)
        .Bind(3, name)
        .Bind(4, ToString(role))
        .Bind(5, password_hash)
        .Bind(6, now);
    if (int rc = s.Step(); rc != SQLITE_DONE)
      return Failed(rc, "user '" + std::string(email) + "'");
    return User{sqlite3_last_insert_rowid(c_.db()),
                organisation_id,
                std::string(email),
                std::string(name),
                role,
                now};
  }

  Result<bool> SetUserDisabled(std::int64_t user_id, bool disabled) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "UPDATE users SET disabled = ? WHERE id = ?");
    s.Bind(1, std::int64_t{disabled ? 1 : 0}).Bind(2, user_id);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "user");
    bool found = sqlite3_changes(c_.db()) > 0;
    if (found && disabled) {
      Stmt end(c_, "DELETE FROM sessions WHERE user_id = ?");
      end.Bind(1, user_id);
      if (int rc = end.Step(); rc != SQLITE_DONE) return Failed(rc, "sessions");
    }
    return found;
  }

  Result<std::optional<std::pair<User, std::string>>> FindLogin(std::string_view email) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("SELECT ") + kUserColumns +
                   ", u.password_hash FROM users u WHERE u.email = ?");
    s.Bind(1, email);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<std::pair<User, std::string>>();
    if (rc != SQLITE_ROW) return Failed(rc, "login");
    return std::make_optional(std::make_pair(ReadUser(s), s.Text(kUserColumnCount)));
  }

  Result<void> AddLoginFailure(std::string_view key, Millis at, Millis forget_before) override {
    std::lock_guard lock(mu_);
    return InTransaction([&]() -> Result<void> {
      Stmt old(c_, "DELETE FROM login_failures WHERE at_ms <= ?");
      old.Bind(1, forget_before);
      if (int rc = old.Step(); rc != SQLITE_DONE) return Failed(rc, "failed logins");
      Stmt s(c_, "INSERT INTO login_failures(email_key, at_ms) VALUES (?, ?)");
      s.Bind(1, key).Bind(2, at);
      if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "failed logins");
      return {};
    });
  }

  Result<std::vector<Millis>> LoginFailures(std::string_view key, Millis since) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "SELECT at_ms FROM login_failures WHERE email_key = ? AND at_ms > ? ORDER BY at_ms");
    s.Bind(1, key).Bind(2, since);
    std::vector<Millis> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(s.Int(0));
    if (rc != SQLITE_DONE) return Failed(rc, "failed logins");
    return out;
  }

  Result<void> ClearLoginFailures(std::string_view key) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "DELETE FROM login_failures WHERE email_key = ?");
    s.Bind(1, key);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "failed logins");
    return {};
  }

  Result<void> PutSession(std::string_view digest, std::int64_t user_id, std::string_view csrf,
                          Millis expires) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "INSERT INTO sessions(digest, user_id, csrf, expires_ms) VALUES (?, ?, ?, ?)");
    s.Bind(1, digest).Bind(2, user_id).Bind(3, csrf).Bind(4, expires);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "session");
    return {};
  }

  Result<std::optional<Session>> FindSession(std::string_view digest, Millis now) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("SELECT ") + kUserColumns +
                   ", s.csrf, s.expires_ms FROM sessions s JOIN users u ON u.id = s.user_id "
                   "WHERE s.digest = ? AND s.expires_ms > ? AND u.disabled = 0");
    s.Bind(1, digest).Bind(2, now);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<Session>();
    if (rc != SQLITE_ROW) return Failed(rc, "session");
    return Session{ReadUser(s), s.Text(kUserColumnCount), s.Int(kUserColumnCount + 1)};
  }

  Result<void> DeleteSession(std::string_view digest) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "DELETE FROM sessions WHERE digest = ?");
    s.Bind(1, digest);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "session");
    return {};
  }

  Result<ApiToken> PutApiToken(std::string_view digest, std::int64_t user_id, std::string_view name,
                               Millis now) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "INSERT INTO api_tokens(digest, user_id, name, created_ms) VALUES (?, ?, ?, ?)");
    s.Bind(1, digest).Bind(2, user_id).Bind(3, name).Bind(4, now);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "API token");
    return ApiToken{sqlite3_last_insert_rowid(c_.db()), user_id, std::string(name), now, 0};
  }

  Result<std::optional<User>> UseApiToken(std::string_view digest, Millis now) override {
    std::lock_guard lock(mu_);
    std::optional<User> user;
    {
      Stmt s(c_, std::string("SELECT ") + kUserColumns +
                     " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.digest = ? "
                     "AND u.disabled = 0");
      s.Bind(1, digest);
      int rc = s.Step();
      if (rc == SQLITE_DONE) return user;
      if (rc != SQLITE_ROW) return Failed(rc, "API token");
      user = ReadUser(s);
    }
    Stmt u(c_, "UPDATE api_tokens SET last_used_ms = ? WHERE digest = ?");
    u.Bind(1, now).Bind(2, digest);
    if (int rc = u.Step(); rc != SQLITE_DONE) return Failed(rc, "API token");
    return user;
  }

  Result<std::vector<ApiToken>> ApiTokens(std::int64_t user_id) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "SELECT id, user_id, name, created_ms, last_used_ms FROM api_tokens WHERE user_id = ? "
           "ORDER BY id");
    s.Bind(1, user_id);
    std::vector<ApiToken> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      out.push_back(ApiToken{s.Int(0), s.Int(1), s.Text(2), s.Int(3), s.Int(4)});
    }
    if (rc != SQLITE_DONE) return Failed(rc, "API tokens");
    return out;
  }

  Result<bool> RevokeApiToken(std::int64_t user_id, std::int64_t token_id) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "DELETE FROM api_tokens WHERE id = ? AND user_id = ?");
    s.Bind(1, token_id).Bind(2, user_id);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "API token");
    return sqlite3_changes(c_.db()) > 0;
  }

  Result<SystemRecord> CreateSystem(const SystemRecord& system) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "INSERT INTO systems(organisation_id, name, product, product_version, agencies, "
           "capabilities, control, hub_id, hub_secret, created_ms, webhook) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.Bind(1, system.organisation_id)
        .Bind(2, system.name)
        .Bind(3, system.product)
        .Bind(4, system.product_version)
        .Bind(5, JoinWords(system.agencies))
        .Bind(6, JoinWords(system.capabilities))
        .Bind(7, system.control)
        .Bind(8, system.hub_id)
        .Bind(9, system.hub_secret)
        .Bind(10, system.created)
        .Bind(11, system.webhook);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "system '" + system.name + "'");
    SystemRecord made = system;
    made.id = sqlite3_last_insert_rowid(c_.db());
    return made;
  }

  Result<std::vector<SystemRecord>> Systems(std::int64_t organisation_id) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("SELECT ") + kSystemColumns +
                   " FROM systems WHERE ?1 = 0 OR organisation_id = ?1 ORDER BY name, id");
    s.Bind(1, organisation_id);
    std::vector<SystemRecord> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadSystem(s));
    if (rc != SQLITE_DONE) return Failed(rc, "systems");
    return out;
  }

  Result<std::optional<SystemRecord>> GetSystem(std::int64_t id) override {
    return OneSystem("id = ?", [&](Stmt& s) { s.Bind(1, id); });
  }

  Result<std::optional<SystemRecord>> FindSystemByHubId(std::string_view hub_id) override {
    return OneSystem("hub_id = ?", [&](Stmt& s) { s.Bind(1, hub_id); });
  }

  Result<void> UpdateSystem(const SystemRecord& system) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "UPDATE systems SET name = ?, product = ?, product_version = ?, agencies = ?, "
           "capabilities = ?, control = ?, webhook = ? WHERE id = ?");
    s.Bind(1, system.name)
        .Bind(2, system.product)
        .Bind(3, system.product_version)
        .Bind(4, JoinWords(system.agencies))
        .Bind(5, JoinWords(system.capabilities))
        .Bind(6, system.control)
        .Bind(7, system.webhook)
        .Bind(8, system.id);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "system '" + system.name + "'");
    return {};
  }

  Result<void> SetHubSecret(std::int64_t id, std::string_view secret) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "UPDATE systems SET hub_secret = ? WHERE id = ?");
    s.Bind(1, secret).Bind(2, id);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "system");
    return {};
  }

 private:
  Result<RunRow> CreateRun(const RunRow& run, const std::optional<AuditEntry>& audit) override {
    std::lock_guard lock(mu_);
    RunRow made = run;
    auto done = InTransaction([&]() -> Result<void> {
      Stmt s(c_,
             "INSERT INTO runs(system_id, organisation_id, started_by, plan, profile, status, "
             "verdict, exit_code, summary, started_ms, finished_ms, request) "
             "VALUES (?, ?, ?, ?, ?, 'queued', '', -1, '', ?, 0, ?)");
      s.Bind(1, run.system_id)
          .Bind(2, run.organisation_id)
          .Bind(3, run.started_by)
          .Bind(4, run.plan)
          .Bind(5, run.profile)
          .Bind(6, run.started)
          .Bind(7, run.request);
      if (int rc = s.Step(); rc != SQLITE_DONE) {
        if (sqlite3_extended_errcode(c_.db()) == SQLITE_CONSTRAINT_UNIQUE) {
          return MakeError("service.busy",
                           "the system has a run under way: wait for it, or "
                           "cancel it");
        }
        return Failed(rc, "run");
      }
      made.id = sqlite3_last_insert_rowid(c_.db());
      if (!audit) return {};
      AuditEntry line = *audit;
      line.run_id = made.id;
      return AppendAudit(line);
    });
    if (!done) return tl::unexpected(done.error());
    made.status = "queued";
    return made;
  }

  Result<std::optional<RunRow>> ClaimRun(std::string_view worker, std::string_view worker_url,
                                         Millis now, Millis lease_until) override {
    (void)now;
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("UPDATE runs SET status = 'running', worker = ?, worker_url = ?, "
                           "lease_until_ms = ? WHERE id = (SELECT id FROM runs WHERE status = "
                           "'queued' ORDER BY id LIMIT 1) RETURNING ") +
                   kRunColumns);
    s.Bind(1, worker).Bind(2, worker_url).Bind(3, lease_until);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<RunRow>();
    if (rc != SQLITE_ROW) return Failed(rc, "run queue");
    RunRow run = ReadRun(s);
    if (rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "run queue");
    return run;
  }

  Result<std::vector<Held>> RenewLeases(std::string_view worker, Millis lease_until) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "UPDATE runs SET lease_until_ms = ? WHERE worker = ? AND status = 'running' "
           "RETURNING id, cancel");
    s.Bind(1, lease_until).Bind(2, worker);
    std::vector<Held> held;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) held.push_back({s.Int(0), s.Int(1) != 0});
    if (rc != SQLITE_DONE) return Failed(rc, "run leases");
    return held;
  }

  Result<bool> CancelRun(std::int64_t id, std::string_view why, Millis now) override {
    std::lock_guard lock(mu_);
    Stmt q(c_,
           "UPDATE runs SET status = 'finished', verdict = 'INCOMPLETE', exit_code = 4, "
           "summary = ?, finished_ms = ? WHERE id = ? AND status = 'queued'");
    q.Bind(1, why).Bind(2, now).Bind(3, id);
    if (int rc = q.Step(); rc != SQLITE_DONE) return Failed(rc, "run");
    if (sqlite3_changes(c_.db()) > 0) return true;
    Stmt r(c_, "UPDATE runs SET cancel = 1 WHERE id = ? AND status = 'running'");
    r.Bind(1, id);
    if (int rc = r.Step(); rc != SQLITE_DONE) return Failed(rc, "run");
    return sqlite3_changes(c_.db()) > 0;
  }

  Result<std::optional<RunRow>> RunningRunOf(std::string_view hub_id) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("SELECT ") + kRunColumns +
                   " FROM runs WHERE status = 'running' AND system_id = "
                   "(SELECT id FROM systems WHERE hub_id = ?)");
    s.Bind(1, hub_id);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<RunRow>();
    if (rc != SQLITE_ROW) return Failed(rc, "run");
    return ReadRun(s);
  }

  Result<void> AppendRunEvents(std::int64_t run_id,
                               const std::vector<StoredEvent>& events) override {
    std::lock_guard lock(mu_);
    return InTransaction([&]() -> Result<void> {
      for (const StoredEvent& e : events) {
        Stmt s(c_, "INSERT INTO run_events(run_id, seq, type, data) VALUES (?, ?, ?, ?)");
        s.Bind(1, run_id).Bind(2, static_cast<std::int64_t>(e.id)).Bind(3, e.type).Bind(4, e.data);
        if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "run events");
      }
      return {};
    });
  }

  Result<std::vector<StoredEvent>> RunEvents(std::int64_t run_id, std::uint64_t after,
                                             std::size_t max) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "SELECT seq, type, data FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq "
           "LIMIT ?");
    s.Bind(1, run_id).Bind(2, static_cast<std::int64_t>(after));
    s.Bind(3, static_cast<std::int64_t>(max));
    std::vector<StoredEvent> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      out.push_back({static_cast<std::uint64_t>(s.Int(0)), s.Text(1), s.Text(2)});
    }
    if (rc != SQLITE_DONE) return Failed(rc, "run events");
    return out;
  }

  Result<void> AddAnswer(std::int64_t run_id, int number, std::string_view answer,
                         std::string_view by, Millis at) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "INSERT INTO run_answers(run_id, number, answer, by_email, at_ms) "
           "VALUES (?, ?, ?, ?, ?)");
    s.Bind(1, run_id).Bind(2, std::int64_t{number}).Bind(3, answer).Bind(4, by).Bind(5, at);
    if (int rc = s.Step(); rc != SQLITE_DONE) {
      return Failed(rc, "an answer to prompt " + std::to_string(number));
    }
    return {};
  }

  Result<std::vector<Answer>> Answers(std::int64_t run_id, int after) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "SELECT number, answer, by_email FROM run_answers WHERE run_id = ? AND number > ? "
           "ORDER BY number");
    s.Bind(1, run_id).Bind(2, std::int64_t{after});
    std::vector<Answer> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      out.push_back({static_cast<int>(s.Int(0)), s.Text(1), s.Text(2)});
    }
    if (rc != SQLITE_DONE) return Failed(rc, "answers");
    return out;
  }

  Result<void> PutRunFiles(std::int64_t run_id, const std::vector<RunFile>& files) override {
    std::lock_guard lock(mu_);
    return InTransaction([&]() -> Result<void> {
      Stmt d(c_, "DELETE FROM run_files WHERE run_id = ?");
      d.Bind(1, run_id);
      if (int rc = d.Step(); rc != SQLITE_DONE) return Failed(rc, "run files");
      for (const RunFile& f : files) {
        Stmt s(c_, "INSERT INTO run_files(run_id, path, bytes) VALUES (?, ?, ?)");
        s.Bind(1, run_id).Bind(2, f.path).BindBlob(3, f.bytes);
        if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "run file " + f.path);
      }
      return {};
    });
  }

  Result<std::vector<RunFile>> RunFiles(std::int64_t run_id) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, "SELECT path, bytes FROM run_files WHERE run_id = ? ORDER BY path");
    s.Bind(1, run_id);
    std::vector<RunFile> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Text(0), s.Text(1)});
    if (rc != SQLITE_DONE) return Failed(rc, "run files");
    return out;
  }

  Result<void> FinishRun(std::int64_t id, std::string_view verdict, int exit_code,
                         std::string_view summary, Millis finished) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "UPDATE runs SET status = 'finished', verdict = ?, exit_code = ?, summary = ?, "
           "finished_ms = ? WHERE id = ? AND status <> 'finished'");
    s.Bind(1, verdict)
        .Bind(2, std::int64_t{exit_code})
        .Bind(3, summary)
        .Bind(4, finished)
        .Bind(5, id);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "run");
    return {};
  }

  Result<std::vector<RunRow>> Runs(std::int64_t organisation_id, int limit) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("SELECT ") + kRunColumns +
                   " FROM runs WHERE ?1 = 0 OR organisation_id = ?1 ORDER BY id DESC LIMIT ?2");
    s.Bind(1, organisation_id).Bind(2, std::int64_t{limit});
    std::vector<RunRow> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadRun(s));
    if (rc != SQLITE_DONE) return Failed(rc, "runs");
    return out;
  }

  Result<std::optional<RunRow>> GetRun(std::int64_t id) override {
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
    s.Bind(1, id);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<RunRow>();
    if (rc != SQLITE_ROW) return Failed(rc, "run");
    return ReadRun(s);
  }

  Result<int> CloseAbandonedRuns(std::string_view why, Millis now) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "UPDATE runs SET status = 'finished', verdict = 'INCOMPLETE', exit_code = 4, "
           "summary = ?, finished_ms = ? WHERE status = 'running'");
    s.Bind(1, why).Bind(2, now);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "runs");
    return sqlite3_changes(c_.db());
  }

  Result<std::optional<SystemRecord>> OneSystem(const std::string& where,
                                                const std::function<void(Stmt&)>& bind) {
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("SELECT ") + kSystemColumns + " FROM systems WHERE " + where);
    bind(s);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<SystemRecord>();
    if (rc != SQLITE_ROW) return Failed(rc, "system");
    return ReadSystem(s);
  }

  Result<void> Audit(const AuditEntry& e) override {
    std::lock_guard lock(mu_);
    return AppendAudit(e);
  }

  Result<std::vector<AuditEntry>> AuditLog(std::int64_t run_id, int limit) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "SELECT a.id, a.at_ms, a.user_id, u.email, a.action, a.run_id, a.certificate_id, "
           "a.detail FROM audit a JOIN users u ON u.id = a.user_id WHERE ? = 0 OR a.run_id = ? "
           "ORDER BY a.id LIMIT ?");
    s.Bind(1, run_id).Bind(2, run_id).Bind(3, std::int64_t{limit});
    std::vector<AuditEntry> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      out.push_back(
          {s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Int(5), s.Int(6), s.Text(7)});
    }
    if (rc != SQLITE_DONE) return Failed(rc, "audit log");
    return out;
  }

  Result<void> AddWaiver(const Waiver& w) override {
    std::lock_guard lock(mu_);
    return InTransaction([&]() -> Result<void> {
      Stmt s(c_,
             "INSERT INTO waivers(run_id, scenario_id, reason, user_id, created_ms) "
             "VALUES (?, ?, ?, ?, ?)");
      s.Bind(1, w.run_id).Bind(2, w.scenario_id).Bind(3, w.reason).Bind(4, w.user_id);
      s.Bind(5, w.created);
      if (int rc = s.Step(); rc != SQLITE_DONE) {
        return Failed(rc, "a waiver of " + w.scenario_id + " in run " + std::to_string(w.run_id));
      }
      return AppendAudit({.at = w.created,
                          .user_id = w.user_id,
                          .action = "waiver",
                          .run_id = w.run_id,
                          .detail = w.scenario_id + ": " + w.reason});
    });
  }

  Result<std::vector<Waiver>> Waivers(std::int64_t run_id) override {
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "SELECT w.run_id, w.scenario_id, w.reason, w.user_id, u.email, w.created_ms "
           "FROM waivers w JOIN users u ON u.id = w.user_id WHERE w.run_id = ? "
           "ORDER BY w.scenario_id");
    s.Bind(1, run_id);
    std::vector<Waiver> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Int(3), s.Text(4), s.Int(5)});
    }
    if (rc != SQLITE_DONE) return Failed(rc, "waivers");
    return out;
  }

  Result<std::optional<CertificateRecord>> Decide(
      const Decision& d,
      const std::function<Result<CertificateRecord>(std::int64_t)>& issue) override {
    std::lock_guard lock(mu_);
    std::optional<CertificateRecord> made;
    auto done = InTransaction([&]() -> Result<void> {
      Stmt s(c_,
             "INSERT INTO decisions(run_id, decision, comments, user_id, decided_ms) "
             "VALUES (?, ?, ?, ?, ?)");
      s.Bind(1, d.run_id).Bind(2, d.decision).Bind(3, d.comments).Bind(4, d.user_id);
      s.Bind(5, d.decided);
      if (int rc = s.Step(); rc != SQLITE_DONE) {
        return Failed(rc, "a decision on run " + std::to_string(d.run_id));
      }
      auto logged =
          AppendAudit({.at = d.decided,
                       .user_id = d.user_id,
                       .action = "decision",
                       .run_id = d.run_id,
                       .detail = d.decision + (d.comments.empty() ? "" : ": ") + d.comments});
      if (!logged || !issue) return logged;
      Stmt next(c_, "SELECT COALESCE(MAX(id), 0) + 1 FROM certificates");
      if (int rc = next.Step(); rc != SQLITE_ROW) return Failed(rc, "certificates");
      const std::int64_t id = next.Int(0);
      auto c = issue(id);
      if (!c) return tl::unexpected(c.error());
      Stmt put(c_,
               "INSERT INTO certificates(id, run_id, system_id, organisation_id, issued_ms, "
               "valid_until_ms, json, signature, pdf) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      put.Bind(1, id).Bind(2, d.run_id).Bind(3, c->system_id).Bind(4, c->organisation_id);
      put.Bind(5, c->issued).Bind(6, c->valid_until).Bind(7, c->json).Bind(8, c->signature);
      put.BindBlob(9, c->pdf);
      if (int rc = put.Step(); rc != SQLITE_DONE) return Failed(rc, "certificate");
      c->id = id;
      c->run_id = d.run_id;
      made = std::move(*c);
      return AppendAudit({.at = d.decided,
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
    std::lock_guard lock(mu_);
    Stmt s(c_,
           "SELECT d.run_id, d.decision, d.comments, d.user_id, u.email, d.decided_ms "
           "FROM decisions d JOIN users u ON u.id = d.user_id WHERE d.run_id = ?");
    s.Bind(1, run_id);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<Decision>();
    if (rc != SQLITE_ROW) return Failed(rc, "decision");
    return Decision{s.Int(0), s.Text(1), s.Text(2), s.Int(3), s.Text(4), s.Int(5)};
  }

  Result<std::vector<CertificateRecord>> Certificates() override {
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("SELECT ") + kCertificateColumns +
                   " FROM certificates c LEFT JOIN users u ON u.id = c.revoked_by "
                   "ORDER BY c.id DESC");
    std::vector<CertificateRecord> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadCertificate(s));
    if (rc != SQLITE_DONE) return Failed(rc, "certificates");
    return out;
  }

  Result<std::optional<CertificateRecord>> GetCertificate(std::int64_t id) override {
    return OneCertificate("c.id = ?", id);
  }

  Result<std::optional<CertificateRecord>> CertificateOfRun(std::int64_t run_id) override {
    return OneCertificate("c.run_id = ?", run_id);
  }

  Result<bool> RevokeCertificate(std::int64_t id, std::string_view reason, std::int64_t user_id,
                                 Millis now) override {
    std::lock_guard lock(mu_);
    bool found = false;
    auto done = InTransaction([&]() -> Result<void> {
      Stmt was(c_, "SELECT revoked_ms, run_id FROM certificates WHERE id = ?");
      was.Bind(1, id);
      int rc = was.Step();
      if (rc == SQLITE_DONE) return {};
      if (rc != SQLITE_ROW) return Failed(rc, "certificate");
      found = true;
      if (was.Int(0) != 0) {
        return MakeError("service.exists",
                         "certificate " + std::to_string(id) + " is revoked already");
      }
      const std::int64_t run_id = was.Int(1);
      Stmt s(c_,
             "UPDATE certificates SET revoked_ms = ?, revoked_reason = ?, revoked_by = ? "
             "WHERE id = ?");
      s.Bind(1, now).Bind(2, reason).Bind(3, user_id).Bind(4, id);
      if (rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "certificate");
      return AppendAudit({.at = now,
                          .user_id = user_id,
                          .action = "revoked",
                          .run_id = run_id,
                          .certificate_id = id,
                          .detail = std::string(reason)});
    });
    if (!done) return tl::unexpected(done.error());
    return found;
  }

  // A failed statement as an error: a taken name or e-mail, a second waiver or decision, is
  // "service.exists".
  tl::unexpected<Error> Failed(int rc, const std::string& what) {
    const int extended = sqlite3_extended_errcode(c_.db());
    if (rc == SQLITE_CONSTRAINT &&
        (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY)) {
      return MakeError("service.exists", what + " is already registered");
    }
    return MakeError("service.store", what + ": " + c_.Error());
  }

  // With mu_ held.
  Result<void> AppendAudit(const AuditEntry& e) {
    Stmt s(c_,
           "INSERT INTO audit(at_ms, user_id, action, run_id, certificate_id, detail) "
           "VALUES (?, ?, ?, ?, ?, ?)");
    s.Bind(1, e.at).Bind(2, e.user_id).Bind(3, e.action).Bind(4, e.run_id);
    s.Bind(5, e.certificate_id).Bind(6, e.detail);
    if (int rc = s.Step(); rc != SQLITE_DONE) return Failed(rc, "audit log");
    return {};
  }

  // Runs `body` in a write transaction (with mu_ held): committed when it succeeds, rolled back
  // when it fails.
  Result<void> InTransaction(const std::function<Result<void>()>& body) {
    if (!c_.Exec("BEGIN IMMEDIATE")) return MakeError("service.store", "begin: " + c_.Error());
    auto r = body();
    if (!r) {
      c_.Exec("ROLLBACK");
      return r;
    }
    if (!c_.Exec("COMMIT")) {
      Error e{"service.store", "commit: " + c_.Error()};
      c_.Exec("ROLLBACK");
      return tl::unexpected(e);
    }
    return {};
  }

  Result<std::optional<CertificateRecord>> OneCertificate(const char* where, std::int64_t key) {
    std::lock_guard lock(mu_);
    Stmt s(c_, std::string("SELECT ") + kCertificateColumns +
                   ", c.pdf FROM certificates c LEFT JOIN users u ON u.id = c.revoked_by WHERE " +
                   where);
    s.Bind(1, key);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<CertificateRecord>();
    if (rc != SQLITE_ROW) return Failed(rc, "certificate");
    CertificateRecord c = ReadCertificate(s);
    c.pdf = s.Text(11);
    return c;
  }

  std::mutex mu_;
  Connection c_;
};

}  // namespace

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find(' ', i);
    if (end == std::string::npos) end = text.size();
    if (end > i) out.push_back(text.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

std::string_view ToString(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kCertifier:
      return "certifier";
    case Role::kVendor:
      return "vendor";
  }
  return "vendor";
}

std::optional<Role> ParseRole(std::string_view text) {
  if (text == "admin") return Role::kAdmin;
  if (text == "certifier") return Role::kCertifier;
  if (text == "vendor") return Role::kVendor;
  return std::nullopt;
}

Result<std::unique_ptr<ServiceStore>> OpenSqliteServiceStore(const std::string& path) {
  auto db = sqlite::Open(path, "service.store");
  if (!db) return tl::unexpected(db.error());
  auto store = std::make_unique<SqliteServiceStore>(*db);
  if (auto ready = store->Init(path); !ready) {
    Error e = ready.error();
    e.message = path + ": " + e.message;
    return tl::unexpected(e);
  }
  return std::unique_ptr<ServiceStore>(std::move(store));
}

}  // namespace vxp::service
