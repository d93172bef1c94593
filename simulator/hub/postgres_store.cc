// The PostgreSQL implementation of Store, for a hub of several processes on one database
// (docs/hub-simulator.md, "Several hubs on one PostgreSQL").
//
// Every method borrows a connection from a pool and runs on it alone; there is no state in the
// process that another instance would have to see. What makes several instances safe:
// - Submit writes the submission and every delivery in one transaction, committed with
//   synchronous_commit on (PostgreSQL's default): a DocId is answered only once it is on stable
//   storage, and a delivery exists for every recipient or for none. Concurrent commits share WAL
//   flushes on the server (its own group commit).
// - DocIds come from sequences on the server, so two instances never hand out the same one.
// - A submission may carry the key of the signed request that brought it (request_key, unique):
//   the same signed sendEdoc sent again through another instance, or through two at once, is
//   stored once; the second Submit fails with "store.repeated" and SubmissionByKey names the
//   first DocId.
// - SetStatus locks the delivery's row for its check and write, so the first acknowledgement
//   wins wherever it arrives.
// - Listing is a read: two instances listing for one system at once both list every pending
//   item (no leases); delivery stays at-least-once until the system acknowledges.
#include <algorithm>
#include <atomic>
#include <set>

#include "simulator/hub/store.h"
#include "storage/postgres.h"

namespace vxp::hub {
namespace {

using pg::Param;
using pg::Rows;

// Migration 1: the schema as the SQLite store has it, plus the request key. Packages are stored
// uncompressed out of line (STORAGE EXTERNAL): compressing up to 100 MiB on every submission
// costs more than the disk it saves, and a fetch then reads the bytes as they were sent.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE systems(id text PRIMARY KEY, secret text NOT NULL);
CREATE TABLE agencies(
  code text PRIMARY KEY, id bigint NOT NULL, pid bigint NOT NULL, pcode text NOT NULL,
  name text NOT NULL, mail text NOT NULL, mobile text NOT NULL, fax text NOT NULL,
  system_id text NOT NULL, level integer NOT NULL, deleted boolean NOT NULL DEFAULT false,
  modified_ms bigint NOT NULL);
CREATE TABLE submissions(
  id bigserial PRIMARY KEY, system_id text NOT NULL, from_code text NOT NULL,
  message_type text NOT NULL, title text NOT NULL, notation text NOT NULL,
  created_ms bigint NOT NULL, request_key text UNIQUE, package bytea NOT NULL);
ALTER TABLE submissions ALTER COLUMN package SET STORAGE EXTERNAL;
CREATE TABLE deliveries(
  doc_id bigserial PRIMARY KEY, submission_id bigint NOT NULL REFERENCES submissions(id),
  to_code text NOT NULL, to_system text NOT NULL, package bytea,
  status text NOT NULL DEFAULT 'pending', status_desc text NOT NULL DEFAULT '',
  created_ms bigint NOT NULL, updated_ms bigint NOT NULL, fetches integer NOT NULL DEFAULT 0);
ALTER TABLE deliveries ALTER COLUMN package SET STORAGE EXTERNAL;
CREATE INDEX deliveries_open ON deliveries(to_system, doc_id) WHERE status NOT IN ('done', 'fail');
CREATE INDEX deliveries_submission ON deliveries(submission_id);
CREATE INDEX submissions_sender ON submissions(system_id, message_type);
)sql";

// Migration 2: the signed requests every instance has seen (the shared replay memory), each until
// its timestamp is no longer fresh; expired ones are cleared as new ones arrive.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE requests(key text PRIMARY KEY, op text NOT NULL, until_ms bigint NOT NULL);
CREATE INDEX requests_expiry ON requests(until_ms);
)sql";

constexpr const char* kDeliveryColumns =
    "d.doc_id, d.submission_id, s.message_type, s.from_code, d.to_code, d.to_system, "
    "s.system_id, s.title, s.notation, d.status, d.status_desc, d.created_ms, d.updated_ms, "
    "d.fetches";

constexpr const char* kAgencyColumns =
    "code, id, pid, pcode, name, mail, mobile, fax, system_id, level, deleted::integer, "
    "modified_ms";

Delivery ReadDelivery(const Rows& r, int row) {
  Delivery d;
  d.doc_id = r.Int(row, 0);
  d.sender_doc_id = r.Int(row, 1);
  d.message_type = r.Text(row, 2);
  d.from_code = r.Text(row, 3);
  d.to_code = r.Text(row, 4);
  d.to_system = r.Text(row, 5);
  d.sender_system = r.Text(row, 6);
  d.title = r.Text(row, 7);
  d.notation = r.Text(row, 8);
  d.status = r.Text(row, 9);
  d.status_desc = r.Text(row, 10);
  d.created = r.Int(row, 11);
  d.updated = r.Int(row, 12);
  d.fetches = static_cast<int>(r.Int(row, 13));
  return d;
}

Agency ReadAgency(const Rows& r, int row) {
  Agency a;
  a.code = r.Text(row, 0);
  a.id = r.Int(row, 1);
  a.pid = r.Int(row, 2);
  a.pcode = r.Text(row, 3);
  a.name = r.Text(row, 4);
  a.mail = r.Text(row, 5);
  a.mobile = r.Text(row, 6);
  a.fax = r.Text(row, 7);
  a.system_id = r.Text(row, 8);
  a.level = static_cast<int>(r.Int(row, 9));
  a.deleted = r.Int(row, 10) != 0;
  a.modified = r.Int(row, 11);
  return a;
}

// A value PostgreSQL cannot hold as text (invalid UTF-8, NUL) names nothing stored: a lookup by
// it finds nothing, a write of it is refused by name.
Error NotText(std::string_view what) {
  return Error{"store.write", std::string(what) + " is not valid UTF-8 text; it cannot be stored"};
}

class PostgresStore : public Store {
 public:
  explicit PostgresStore(std::unique_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

  Result<void> PutSystem(const System& system) override {
    if (!pg::IsText(system.id) || !pg::IsText(system.secret)) {
      return tl::unexpected(NotText("a system's id or secret"));
    }
    auto r = pool_->Borrow()->Exec(
        "INSERT INTO systems(id, secret) VALUES($1, $2) ON CONFLICT(id) DO UPDATE SET "
        "secret = excluded.secret",
        {Param::Text(system.id), Param::Text(system.secret)}, "store.write");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<std::optional<System>> GetSystem(std::string_view id) override {
    if (!pg::IsText(id)) return std::optional<System>();
    auto r = pool_->Borrow()->Exec("SELECT id, secret FROM systems WHERE id = $1",
                                   {Param::Text(id)}, "store.read");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<System>();
    return std::optional<System>(System{r->Text(0, 0), r->Text(0, 1)});
  }

  Result<bool> AddAgency(const Agency& a) override {
    auto st = AddAgencyStatement(a);
    if (!st) return tl::unexpected(st.error());
    auto r = pool_->Borrow()->Exec(st->sql, st->params, "store.write");
    if (!r) return tl::unexpected(r.error());
    return r->Affected() > 0;
  }

  Result<size_t> SeedAgencies(const std::vector<Agency>& agencies) override {
    constexpr size_t kChunk = 1000;
    size_t added = 0;
    auto c = pool_->Borrow();
    // What is listed already is skipped before it is sent (every instance seeds the same
    // directory when it starts); a unit listed in between is kept by the statement itself.
    auto listed = c->Exec("SELECT code FROM agencies WHERE NOT deleted", {}, "store.read");
    if (!listed) return tl::unexpected(listed.error());
    std::set<std::string_view> have;
    for (int i = 0; i < listed->size(); ++i) have.insert(listed->View(i, 0));
    std::vector<const Agency*> missing;
    for (const Agency& a : agencies) {
      if (!have.contains(a.code)) missing.push_back(&a);
    }
    for (size_t at = 0; at < missing.size(); at += kChunk) {
      std::vector<pg::Connection::Statement> statements;
      for (size_t i = at; i < std::min(missing.size(), at + kChunk); ++i) {
        auto st = AddAgencyStatement(*missing[i]);
        if (!st) return tl::unexpected(st.error());
        statements.push_back(std::move(*st));
      }
      auto done = c->Pipeline(statements, "store.write");
      if (!done) return tl::unexpected(done.error());
      for (const Rows& r : *done) added += r.Affected() > 0 ? 1 : 0;
    }
    return added;
  }

  Result<bool> DeleteAgency(std::string_view code, Millis now) override {
    if (!pg::IsText(code)) return false;
    auto r = pool_->Borrow()->Exec(
        "UPDATE agencies SET deleted = true, modified_ms = $2 WHERE code = $1 AND NOT deleted",
        {Param::Text(code), Param::Int(now)}, "store.write");
    if (!r) return tl::unexpected(r.error());
    return r->Affected() > 0;
  }

  Result<std::vector<Agency>> Agencies(bool include_deleted) override {
    auto r =
        pool_->Borrow()->Exec(std::string("SELECT ") + kAgencyColumns + " FROM agencies" +
                                  (include_deleted ? "" : " WHERE NOT deleted") + " ORDER BY id",
                              {}, "store.read");
    if (!r) return tl::unexpected(r.error());
    std::vector<Agency> out;
    out.reserve(static_cast<size_t>(r->size()));
    for (int i = 0; i < r->size(); ++i) out.push_back(ReadAgency(*r, i));
    return out;
  }

  Result<std::optional<Agency>> GetAgency(std::string_view code) override {
    if (!pg::IsText(code)) return std::optional<Agency>();
    auto r = pool_->Borrow()->Exec(
        std::string("SELECT ") + kAgencyColumns + " FROM agencies WHERE code = $1 AND NOT deleted",
        {Param::Text(code)}, "store.read");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<Agency>();
    return std::optional<Agency>(ReadAgency(*r, 0));
  }

  Result<bool> AssignAgency(std::string_view code, std::string_view system_id) override {
    if (!pg::IsText(code)) return false;
    if (!pg::IsText(system_id)) return tl::unexpected(NotText("a system id"));
    auto r =
        pool_->Borrow()->Exec("UPDATE agencies SET system_id = $2 WHERE code = $1 AND NOT deleted",
                              {Param::Text(code), Param::Text(system_id)}, "store.write");
    if (!r) return tl::unexpected(r.error());
    return r->Affected() > 0;
  }

  Result<std::int64_t> Submit(const Submission& sub, const std::vector<Recipient>& recipients,
                              Millis now, std::vector<std::int64_t>* doc_ids) override {
    for (std::string_view v :
         {sub.system_id, sub.from_code, sub.message_type, sub.title, sub.notation}) {
      if (!pg::IsText(v)) return tl::unexpected(NotText("a submission's header field"));
    }
    for (const Recipient& r : recipients) {
      if (!pg::IsText(r.to_code) || !pg::IsText(r.to_system)) {
        return tl::unexpected(NotText("a recipient"));
      }
    }
    if (!pg::IsText(sub.request_key)) return tl::unexpected(NotText("a request key"));
    // One round trip: the submission and its deliveries in one implicit transaction, committed
    // (and on disk) before Pipeline returns. Each delivery finds its submission's id with
    // currval, this connection's last number from the sequence.
    std::vector<pg::Connection::Statement> statements;
    statements.push_back(
        {"INSERT INTO submissions(system_id, from_code, message_type, title, notation, "
         "created_ms, request_key, package) VALUES($1, $2, $3, $4, $5, $6, $7, $8) "
         "ON CONFLICT(request_key) DO NOTHING RETURNING id",
         {Param::Text(sub.system_id), Param::Text(sub.from_code), Param::Text(sub.message_type),
          Param::Text(sub.title), Param::Text(sub.notation), Param::Int(now),
          sub.request_key.empty() ? Param::Null() : Param::Text(sub.request_key),
          Param::Bytes(sub.package)}});
    for (const Recipient& r : recipients) {
      statements.push_back(
          {"INSERT INTO deliveries(submission_id, to_code, to_system, package, created_ms, "
           "updated_ms) VALUES(currval('submissions_id_seq'), $1, $2, $3, $4, $4) "
           "RETURNING doc_id",
           {Param::Text(r.to_code), Param::Text(r.to_system),
            r.package.empty() ? Param::Null() : Param::Bytes(r.package), Param::Int(now)}});
    }
    // A repeated request key inserts no submission, so the first delivery's currval names no
    // submission (or another one of this connection's) and the foreign key refuses it: the whole
    // transaction rolls back, and the empty first result says why.
    auto done = pool_->Borrow()->Pipeline(statements, "store.write");
    if (!done) {
      if (!sub.request_key.empty()) {
        auto first = SubmissionByKey(sub.request_key);
        if (first && *first) {
          return MakeError("store.repeated",
                           "a submission of request " + sub.request_key + " is already stored");
        }
      }
      return tl::unexpected(done.error());
    }
    if ((*done)[0].size() == 0) {
      return MakeError("store.repeated",
                       "a submission of request " + sub.request_key + " is already stored");
    }
    std::int64_t sender_doc_id = (*done)[0].Int(0, 0);
    doc_ids->clear();
    for (size_t i = 1; i < done->size(); ++i) doc_ids->push_back((*done)[i].Int(0, 0));
    return sender_doc_id;
  }

  Result<std::optional<std::int64_t>> SubmissionByKey(std::string_view request_key) override {
    if (request_key.empty() || !pg::IsText(request_key)) return std::optional<std::int64_t>();
    auto r = pool_->Borrow()->Exec("SELECT id FROM submissions WHERE request_key = $1",
                                   {Param::Text(request_key)}, "store.read");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(r->Int(0, 0));
  }

  Result<std::vector<Delivery>> Pending(std::string_view system_id,
                                        std::string_view message_type) override {
    if (!pg::IsText(system_id) || !pg::IsText(message_type)) return std::vector<Delivery>();
    return Deliveries(std::string("SELECT ") + kDeliveryColumns +
                          " FROM deliveries d JOIN submissions s ON s.id = d.submission_id "
                          "WHERE d.to_system = $1 AND s.message_type = $2 AND d.status NOT IN "
                          "('done', 'fail') ORDER BY d.doc_id",
                      {Param::Text(system_id), Param::Text(message_type)});
  }

  Result<std::optional<std::pair<Delivery, std::string>>> Fetch(
      std::int64_t doc_id, std::string_view system_id) override {
    using Out = std::optional<std::pair<Delivery, std::string>>;
    if (!pg::IsText(system_id)) return Out();
    auto r = pool_->Borrow()->Exec(
        std::string("UPDATE deliveries d SET fetches = d.fetches + 1 FROM submissions s "
                    "WHERE d.doc_id = $1 AND d.to_system = $2 AND s.id = d.submission_id "
                    "RETURNING ") +
            kDeliveryColumns + ", coalesce(d.package, s.package)",
        {Param::Int(doc_id), Param::Text(system_id)}, "store.write");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return Out();
    return Out(std::make_pair(ReadDelivery(*r, 0), r->Text(0, 14)));
  }

  Result<StatusUpdate> SetStatus(std::int64_t doc_id, std::string_view system_id,
                                 std::string_view status, std::string_view desc,
                                 Millis now) override {
    StatusUpdate out;
    if (!pg::IsText(system_id)) return out;
    if (!pg::IsText(status) || !pg::IsText(desc)) return tl::unexpected(NotText("a status"));
    // One statement: the row is locked for the check, and a concurrent acknowledgement (through
    // any instance) waits, then sees this one's status as its `previous`.
    auto r = pool_->Borrow()->Exec(
        "WITH cur AS (SELECT doc_id, status FROM deliveries WHERE doc_id = $1 AND to_system = $2 "
        "FOR UPDATE), upd AS (UPDATE deliveries d SET status = $3, status_desc = $4, "
        "updated_ms = $5 FROM cur WHERE d.doc_id = cur.doc_id AND cur.status NOT IN "
        "('done', 'fail') RETURNING d.doc_id) "
        "SELECT cur.status, (SELECT count(*) FROM upd) FROM cur",
        {Param::Int(doc_id), Param::Text(system_id), Param::Text(status), Param::Text(desc),
         Param::Int(now)},
        "store.write");
    if (!r) return tl::unexpected(r.error());
    if (r->size() == 0) return out;
    out.found = true;
    out.previous = r->Text(0, 0);
    out.changed = r->Int(0, 1) > 0;
    return out;
  }

  Result<std::vector<Delivery>> Sent(std::string_view system_id, std::string_view message_type,
                                     std::optional<std::int64_t> sender_doc_id) override {
    if (!pg::IsText(system_id) || !pg::IsText(message_type)) return std::vector<Delivery>();
    std::vector<Param> params = {Param::Text(system_id), Param::Text(message_type)};
    if (sender_doc_id) params.push_back(Param::Int(*sender_doc_id));
    return Deliveries(std::string("SELECT ") + kDeliveryColumns +
                          " FROM deliveries d JOIN submissions s ON s.id = d.submission_id "
                          "WHERE s.system_id = $1 AND s.message_type = $2" +
                          (sender_doc_id ? " AND s.id = $3" : "") + " ORDER BY d.doc_id",
                      params);
  }

  Result<std::optional<std::string>> BeginRequest(std::string_view key, std::string_view op,
                                                  Millis until, Millis now) override {
    if (!pg::IsText(key) || !pg::IsText(op)) return tl::unexpected(NotText("a request key"));
    auto c = pool_->Borrow();
    if (++begun_ % 1000 == 0) {  // now and then, the expired ones go
      (void)c->Exec("DELETE FROM requests WHERE until_ms < $1", {Param::Int(now)});
    }
    // Inserted, or taken over when expired: RETURNING says so. Otherwise the row's operation.
    auto r = c->Exec(
        "WITH ins AS (INSERT INTO requests(key, op, until_ms) VALUES($1, $2, $3) "
        "ON CONFLICT(key) DO UPDATE SET op = excluded.op, until_ms = excluded.until_ms "
        "WHERE requests.until_ms < $4 RETURNING key) "
        "SELECT (SELECT count(*) FROM ins), (SELECT op FROM requests WHERE key = $1)",
        {Param::Text(key), Param::Text(op), Param::Int(until), Param::Int(now)}, "store.write");
    if (!r) return tl::unexpected(r.error());
    if (r->Int(0, 0) > 0) return std::optional<std::string>();
    // NULL: another instance inserted it after this statement began (the same headers at two
    // instances at once); it was first used for what it is used for now, as far as anyone knows.
    return std::optional<std::string>(r->IsNull(0, 1) ? std::string(op) : r->Text(0, 1));
  }

  Result<void> ForgetRequest(std::string_view key) override {
    if (!pg::IsText(key)) return {};
    auto r = pool_->Borrow()->Exec("DELETE FROM requests WHERE key = $1", {Param::Text(key)},
                                   "store.write");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  bool Shared() const override { return true; }

 private:
  // AddAgency's statement: inserted, or registered again when deleted; a listed one is kept.
  static Result<pg::Connection::Statement> AddAgencyStatement(const Agency& a) {
    for (std::string_view v :
         {std::string_view(a.code), std::string_view(a.pcode), std::string_view(a.name),
          std::string_view(a.mail), std::string_view(a.mobile), std::string_view(a.fax),
          std::string_view(a.system_id)}) {
      if (!pg::IsText(v)) return tl::unexpected(NotText("an agency's field"));
    }
    return pg::Connection::Statement{
        "INSERT INTO agencies(code, id, pid, pcode, name, mail, mobile, fax, system_id, level, "
        "deleted, modified_ms) VALUES($1, "
        // id 0: the next free one; pid 0: the parent's id, looked up by pcode.
        "COALESCE(NULLIF($2::bigint, 0), (SELECT COALESCE(MAX(id), 0) + 1 FROM agencies)), "
        "COALESCE(NULLIF($3::bigint, 0), (SELECT id FROM agencies WHERE code = $4), 0), "
        "$4, $5, $6, $7, $8, $9, $10, false, $11) "
        "ON CONFLICT(code) DO UPDATE SET id = excluded.id, pid = excluded.pid, "
        "pcode = excluded.pcode, name = excluded.name, mail = excluded.mail, "
        "mobile = excluded.mobile, fax = excluded.fax, system_id = excluded.system_id, "
        "level = excluded.level, deleted = false, modified_ms = excluded.modified_ms "
        "WHERE agencies.deleted",
        {Param::Text(a.code), Param::Int(a.id), Param::Int(a.pid), Param::Text(a.pcode),
         Param::Text(a.name), Param::Text(a.mail), Param::Text(a.mobile), Param::Text(a.fax),
         Param::Text(a.system_id), Param::Int(a.level), Param::Int(a.modified)}};
  }

  Result<std::vector<Delivery>> Deliveries(const std::string& sql,
                                           const std::vector<Param>& params) {
    auto r = pool_->Borrow()->Exec(sql, params, "store.read");
    if (!r) return tl::unexpected(r.error());
    std::vector<Delivery> out;
    out.reserve(static_cast<size_t>(r->size()));
    for (int i = 0; i < r->size(); ++i) out.push_back(ReadDelivery(*r, i));
    return out;
  }

  std::unique_ptr<pg::Pool> pool_;
  std::atomic<std::uint64_t> begun_{0};
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, std::int64_t first_doc_id,
                                                 int connections) {
  auto pool = pg::Pool::Open(url, connections, "store.open");
  if (!pool) return tl::unexpected(pool.error());
  {
    auto c = (*pool)->Borrow();
    if (auto m = pg::Migrate(*c, "hub", {kSchemaV1, kSchemaV2}, "store.open"); !m) {
      return MakeError("store.open", "cannot set up " + pg::Redact(url) + ": " + m.error().message);
    }
    if (first_doc_id > 1) {
      // Moves each sequence up to the floor, never down: an instance already numbering past it
      // goes on.
      for (const char* seq : {"submissions_id_seq", "deliveries_doc_id_seq"}) {
        auto r = c->Exec(std::string("SELECT setval('") + seq + "', $1::bigint) FROM " + seq +
                             " WHERE (CASE WHEN is_called THEN last_value ELSE last_value - 1 "
                             "END) < $1::bigint",
                         {Param::Int(first_doc_id - 1)}, "store.open");
        if (!r) return tl::unexpected(r.error());
      }
    }
  }
  return std::unique_ptr<Store>(new PostgresStore(std::move(*pool)));
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& where, std::int64_t first_doc_id) {
  if (pg::IsUrl(where)) return OpenPostgresStore(where, first_doc_id);
  return OpenSqliteStore(where, first_doc_id);
}

}  // namespace vxp::hub
