// The SQLite implementation of Store.
//
// Writes a caller waits for (Submit, Fetch, SetStatus) are committed in groups: each caller
// queues its work; one of them at a time leads, running every queued piece of work in one
// transaction (each in a savepoint of its own, so one failure rolls back only itself) and
// committing it with one fsync; then every caller of the group returns. A DocId is still answered
// only after its submission is on stable storage — it is just that concurrent submissions share
// the fsync. Nobody waits on purpose to fill a group: callers that arrive while a group commits
// form the next one. Other writes (the directory, systems) run alone.
//
// Reads use a second connection (a WAL reader never waits for the writer), and WAL checkpoints a
// third, on a thread of their own, except for an in-memory database, which one connection holds.
// Statements are prepared once per connection.
#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>

#include "simulator/hub/store.h"
#include "storage/sqlite.h"

namespace vxp::hub {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS systems(id TEXT PRIMARY KEY, secret TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS agencies(
  code TEXT PRIMARY KEY, id INTEGER NOT NULL, pid INTEGER NOT NULL, pcode TEXT NOT NULL,
  name TEXT NOT NULL, mail TEXT NOT NULL, mobile TEXT NOT NULL, fax TEXT NOT NULL,
  system_id TEXT NOT NULL, level INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  modified_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS submissions(
  id INTEGER PRIMARY KEY AUTOINCREMENT, system_id TEXT NOT NULL, from_code TEXT NOT NULL,
  message_type TEXT NOT NULL, title TEXT NOT NULL, notation TEXT NOT NULL,
  created_ms INTEGER NOT NULL, package BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries(
  doc_id INTEGER PRIMARY KEY AUTOINCREMENT,
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  to_code TEXT NOT NULL, to_system TEXT NOT NULL, package BLOB,
  status TEXT NOT NULL DEFAULT 'pending', status_desc TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, fetches INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS deliveries_pending ON deliveries(to_system, status);
-- Listing what is pending must not scan every delivery ever acknowledged (measured: the cycle
-- rate fell with the store's age without it). The WHERE matches Pending's exactly.
CREATE INDEX IF NOT EXISTS deliveries_open ON deliveries(to_system, doc_id)
  WHERE status NOT IN ('done', 'fail');
CREATE INDEX IF NOT EXISTS deliveries_submission ON deliveries(submission_id);
)sql";

constexpr const char* kDeliveryColumns =
    "d.doc_id, d.submission_id, s.message_type, s.from_code, d.to_code, d.to_system, "
    "s.system_id, s.title, s.notation, d.status, d.status_desc, d.created_ms, d.updated_ms, "
    "d.fetches";

using sqlite::Connection;
using sqlite::Stmt;

Delivery ReadDelivery(Stmt& s) {
  Delivery d;
  d.doc_id = s.Int(0);
  d.sender_doc_id = s.Int(1);
  d.message_type = s.Text(2);
  d.from_code = s.Text(3);
  d.to_code = s.Text(4);
  d.to_system = s.Text(5);
  d.sender_system = s.Text(6);
  d.title = s.Text(7);
  d.notation = s.Text(8);
  d.status = s.Text(9);
  d.status_desc = s.Text(10);
  d.created = s.Int(11);
  d.updated = s.Int(12);
  d.fetches = static_cast<int>(s.Int(13));
  return d;
}

Agency ReadAgency(Stmt& s) {
  Agency a;
  a.code = s.Text(0);
  a.id = s.Int(1);
  a.pid = s.Int(2);
  a.pcode = s.Text(3);
  a.name = s.Text(4);
  a.mail = s.Text(5);
  a.mobile = s.Text(6);
  a.fax = s.Text(7);
  a.system_id = s.Text(8);
  a.level = static_cast<int>(s.Int(9));
  a.deleted = s.Int(10) != 0;
  a.modified = s.Int(11);
  return a;
}

constexpr const char* kAgencyColumns =
    "code, id, pid, pcode, name, mail, mobile, fax, system_id, level, deleted, modified_ms";

class SqliteStore : public Store {
 public:
  // `reader`, `checkpointer`: more connections to the same file, or nullptr (then reads go
  // through `writer`, and the writer checkpoints the WAL itself, as SQLite does by default).
  SqliteStore(sqlite3* writer, sqlite3* reader, sqlite3* checkpointer)
      : writer_(writer),
        reader_(reader != nullptr ? std::make_unique<Connection>(reader) : nullptr),
        checkpointer_(checkpointer != nullptr ? std::make_unique<Connection>(checkpointer)
                                              : nullptr) {
    if (checkpointer_ == nullptr) return;
    // Copying the WAL back into the database (and syncing it) is off the committing path: the
    // writer only signals, and a thread of its own runs passive checkpoints, which never block
    // the writer. Should that thread fall far behind, the writer checkpoints inline again.
    sqlite3_wal_autocheckpoint(writer_.db(), 0);
    sqlite3_wal_hook(
        writer_.db(),
        [](void* self, sqlite3* db, const char*, int pages) {
          auto* store = static_cast<SqliteStore*>(self);
          if (pages >= kCheckpointPages * 20) {
            sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
          } else if (pages >= kCheckpointPages) {
            std::lock_guard lock(store->checkpoint_mu_);
            store->checkpoint_due_ = true;
            store->checkpoint_cv_.notify_one();
          }
          return SQLITE_OK;
        },
        this);
    checkpoint_thread_ = std::thread([this] {
      std::unique_lock lock(checkpoint_mu_);
      while (true) {
        checkpoint_cv_.wait(lock, [&] { return checkpoint_due_ || stopping_; });
        if (stopping_) return;
        checkpoint_due_ = false;
        lock.unlock();
        sqlite3_wal_checkpoint_v2(checkpointer_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                  nullptr);
        lock.lock();
      }
    });
  }

  ~SqliteStore() override {
    if (!checkpoint_thread_.joinable()) return;
    {
      std::lock_guard lock(checkpoint_mu_);
      stopping_ = true;
    }
    checkpoint_cv_.notify_one();
    checkpoint_thread_.join();
    sqlite3_wal_hook(writer_.db(), nullptr, nullptr);
  }

  Result<void> PutSystem(const System& system) override {
    std::lock_guard lock(mu_);
    Stmt s(writer_, "INSERT OR REPLACE INTO systems(id, secret) VALUES(?1, ?2)");
    s.Bind(1, system.id).Bind(2, system.secret);
    return Done(s, "store.write");
  }

  Result<std::optional<System>> GetSystem(std::string_view id) override {
    return Read([&](Connection& c) -> Result<std::optional<System>> {
      Stmt s(c, "SELECT id, secret FROM systems WHERE id = ?1");
      s.Bind(1, id);
      int rc = s.Step();
      if (rc == SQLITE_ROW) return std::optional<System>(System{s.Text(0), s.Text(1)});
      if (rc == SQLITE_DONE) return std::optional<System>();
      return MakeError("store.read", s.Error());
    });
  }

  Result<bool> AddAgency(const Agency& a) override {
    std::lock_guard lock(mu_);
    Stmt s(writer_,
           "INSERT INTO agencies(code, id, pid, pcode, name, mail, mobile, fax, system_id, level, "
           "deleted, modified_ms) VALUES(?1, "
           // id 0: the next free one; pid 0: the parent's id, looked up by pcode.
           "COALESCE(NULLIF(?2, 0), (SELECT COALESCE(MAX(id), 0) + 1 FROM agencies)), "
           "COALESCE(NULLIF(?3, 0), (SELECT id FROM agencies WHERE code = ?4), 0), "
           "?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11) "
           "ON CONFLICT(code) DO UPDATE SET id = excluded.id, pid = excluded.pid, "
           "pcode = excluded.pcode, name = excluded.name, mail = excluded.mail, "
           "mobile = excluded.mobile, fax = excluded.fax, system_id = excluded.system_id, "
           "level = excluded.level, deleted = 0, modified_ms = excluded.modified_ms "
           "WHERE agencies.deleted = 1");
    s.Bind(1, a.code).Bind(2, a.id).Bind(3, a.pid).Bind(4, a.pcode).Bind(5, a.name);
    s.Bind(6, a.mail).Bind(7, a.mobile).Bind(8, a.fax).Bind(9, a.system_id);
    s.Bind(10, std::int64_t{a.level}).Bind(11, a.modified);
    if (s.Step() != SQLITE_DONE) return MakeError("store.write", s.Error());
    return sqlite3_changes(writer_.db()) > 0;
  }

  Result<bool> DeleteAgency(std::string_view code, Millis now) override {
    std::lock_guard lock(mu_);
    Stmt s(writer_,
           "UPDATE agencies SET deleted = 1, modified_ms = ?2 WHERE code = ?1 AND deleted = 0");
    s.Bind(1, code).Bind(2, now);
    if (s.Step() != SQLITE_DONE) return MakeError("store.write", s.Error());
    return sqlite3_changes(writer_.db()) > 0;
  }

  Result<std::vector<Agency>> Agencies(bool include_deleted) override {
    return Read([&](Connection& c) -> Result<std::vector<Agency>> {
      std::string sql = std::string("SELECT ") + kAgencyColumns + " FROM agencies" +
                        (include_deleted ? "" : " WHERE deleted = 0") + " ORDER BY id";
      Stmt s(c, sql);
      std::vector<Agency> out;
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadAgency(s));
      if (rc != SQLITE_DONE) return MakeError("store.read", s.Error());
      return out;
    });
  }

  Result<std::optional<Agency>> GetAgency(std::string_view code) override {
    return Read([&](Connection& c) -> Result<std::optional<Agency>> {
      std::string sql = std::string("SELECT ") + kAgencyColumns +
                        " FROM agencies WHERE code = ?1 AND deleted = 0";
      Stmt s(c, sql);
      s.Bind(1, code);
      int rc = s.Step();
      if (rc == SQLITE_ROW) return std::optional<Agency>(ReadAgency(s));
      if (rc == SQLITE_DONE) return std::optional<Agency>();
      return MakeError("store.read", s.Error());
    });
  }

  Result<bool> AssignAgency(std::string_view code, std::string_view system_id) override {
    std::lock_guard lock(mu_);
    Stmt s(writer_, "UPDATE agencies SET system_id = ?2 WHERE code = ?1 AND deleted = 0");
    s.Bind(1, code).Bind(2, system_id);
    if (s.Step() != SQLITE_DONE) return MakeError("store.write", s.Error());
    return sqlite3_changes(writer_.db()) > 0;
  }

  Result<std::int64_t> Submit(const Submission& sub, const std::vector<Recipient>& recipients,
                              Millis now, std::vector<std::int64_t>* doc_ids) override {
    std::int64_t sender_doc_id = 0;
    auto done = InGroup([&]() -> Result<void> {
      sqlite3* db = writer_.db();
      // Packages are written into a zeroblob of their size piece by piece: binding them whole
      // would make SQLite build the record in memory, one more copy of up to 100 MiB.
      Stmt s(writer_,
             "INSERT INTO submissions(system_id, from_code, message_type, title, notation, "
             "created_ms, package) VALUES(?1, ?2, ?3, ?4, ?5, ?6, zeroblob(?7))");
      s.Bind(1, sub.system_id).Bind(2, sub.from_code).Bind(3, sub.message_type);
      s.Bind(4, sub.title).Bind(5, sub.notation).Bind(6, now);
      s.Bind(7, static_cast<std::int64_t>(sub.package.size()));
      if (s.Step() != SQLITE_DONE) return MakeError("store.write", s.Error());
      sender_doc_id = sqlite3_last_insert_rowid(db);
      if (!WriteBlob("submissions", sender_doc_id, sub.package)) {
        return MakeError("store.write", sqlite3_errmsg(db));
      }
      doc_ids->clear();
      for (const Recipient& r : recipients) {
        Stmt d(writer_,
               "INSERT INTO deliveries(submission_id, to_code, to_system, package, created_ms, "
               "updated_ms) VALUES(?1, ?2, ?3, CASE WHEN ?4 > 0 THEN zeroblob(?4) END, ?5, ?5)");
        d.Bind(1, sender_doc_id).Bind(2, r.to_code).Bind(3, r.to_system).Bind(5, now);
        d.Bind(4, static_cast<std::int64_t>(r.package.size()));
        if (d.Step() != SQLITE_DONE) return MakeError("store.write", d.Error());
        std::int64_t doc_id = sqlite3_last_insert_rowid(db);
        if (!r.package.empty() && !WriteBlob("deliveries", doc_id, r.package)) {
          return MakeError("store.write", sqlite3_errmsg(db));
        }
        doc_ids->push_back(doc_id);
      }
      return {};
    });
    if (!done) return tl::unexpected(done.error());
    return sender_doc_id;
  }

  Result<std::vector<Delivery>> Pending(std::string_view system_id,
                                        std::string_view message_type) override {
    return Read([&](Connection& c) -> Result<std::vector<Delivery>> {
      std::string sql = std::string("SELECT ") + kDeliveryColumns +
                        " FROM deliveries d JOIN submissions s ON s.id = d.submission_id "
                        "WHERE d.to_system = ?1 AND s.message_type = ?2 AND d.status NOT IN "
                        "('done', 'fail') ORDER BY d.doc_id";
      Stmt s(c, sql);
      s.Bind(1, system_id).Bind(2, message_type);
      return Rows(s);
    });
  }

  Result<std::optional<std::pair<Delivery, std::string>>> Fetch(
      std::int64_t doc_id, std::string_view system_id) override {
    using Out = std::optional<std::pair<Delivery, std::string>>;
    Out out;
    auto done = InGroup(
        [&]() -> Result<void> {
          Stmt u(
              writer_,
              "UPDATE deliveries SET fetches = fetches + 1 WHERE doc_id = ?1 AND to_system = ?2");
          u.Bind(1, doc_id).Bind(2, system_id);
          if (u.Step() != SQLITE_DONE) return MakeError("store.write", u.Error());
          std::string sql =
              std::string("SELECT ") + kDeliveryColumns +
              ", coalesce(d.package, s.package) FROM deliveries d JOIN submissions s ON "
              "s.id = d.submission_id WHERE d.doc_id = ?1 AND d.to_system = ?2";
          Stmt s(writer_, sql);
          s.Bind(1, doc_id).Bind(2, system_id);
          int rc = s.Step();
          if (rc == SQLITE_ROW) out = Out(std::make_pair(ReadDelivery(s), s.Text(14)));
          if (rc != SQLITE_ROW && rc != SQLITE_DONE) return MakeError("store.read", s.Error());
          return {};
        },
        /*durable=*/false);  // a fetch count is statistics, not a promise to anyone
    if (!done) return tl::unexpected(done.error());
    return out;
  }

  Result<StatusUpdate> SetStatus(std::int64_t doc_id, std::string_view system_id,
                                 std::string_view status, std::string_view desc,
                                 Millis now) override {
    StatusUpdate out;
    // The check and the write are one step for every caller: one transaction, one at a time.
    auto done = InGroup([&]() -> Result<void> {
      {
        Stmt q(writer_, "SELECT status FROM deliveries WHERE doc_id = ?1 AND to_system = ?2");
        q.Bind(1, doc_id).Bind(2, system_id);
        int rc = q.Step();
        if (rc == SQLITE_DONE) return {};
        if (rc != SQLITE_ROW) return MakeError("store.read", q.Error());
        out.found = true;
        out.previous = q.Text(0);
      }
      if (out.previous == "done" || out.previous == "fail") return {};  // final
      Stmt s(writer_,
             "UPDATE deliveries SET status = ?3, status_desc = ?4, updated_ms = ?5 "
             "WHERE doc_id = ?1 AND to_system = ?2");
      s.Bind(1, doc_id).Bind(2, system_id).Bind(3, status).Bind(4, desc).Bind(5, now);
      if (s.Step() != SQLITE_DONE) return MakeError("store.write", s.Error());
      out.changed = sqlite3_changes(writer_.db()) > 0;
      return {};
    });
    if (!done) return tl::unexpected(done.error());
    return out;
  }

  Result<std::vector<Delivery>> Sent(std::string_view system_id, std::string_view message_type,
                                     std::optional<std::int64_t> sender_doc_id) override {
    return Read([&](Connection& c) -> Result<std::vector<Delivery>> {
      std::string sql = std::string("SELECT ") + kDeliveryColumns +
                        " FROM deliveries d JOIN submissions s ON s.id = d.submission_id "
                        "WHERE s.system_id = ?1 AND s.message_type = ?2" +
                        (sender_doc_id ? " AND s.id = ?3" : "") + " ORDER BY d.doc_id";
      Stmt s(c, sql);
      s.Bind(1, system_id).Bind(2, message_type);
      if (sender_doc_id) s.Bind(3, *sender_doc_id);
      return Rows(s);
    });
  }

 private:
  // One caller's piece of a group: its work, and what came of it once the group committed.
  struct Job {
    const std::function<Result<void>()>* work;
    bool durable;
    Result<void> result;
    bool done = false;
  };

  // Runs `work` in the next group transaction and returns once that transaction has committed
  // (or failed: then nothing of `work` is stored). `work` runs on whichever caller leads. A group
  // of which no work is `durable` commits without waiting for the disk (synchronous=NORMAL: in
  // WAL mode it survives the process being killed, not the machine failing).
  Result<void> InGroup(const std::function<Result<void>()>& work, bool durable = true) {
    Job job{&work, durable, {}};
    std::unique_lock lock(group_mu_);
    queue_.push_back(&job);
    while (!job.done) {
      if (leading_) {
        group_cv_.wait(lock);
        continue;
      }
      leading_ = true;
      std::vector<Job*> group;
      group.swap(queue_);
      lock.unlock();
      RunGroup(group);
      lock.lock();
      leading_ = false;
      for (Job* j : group) j->done = true;
      group_cv_.notify_all();
    }
    return std::move(job.result);
  }

  void RunGroup(const std::vector<Job*>& group) {
    std::lock_guard lock(mu_);
    auto fail_all = [&](const std::string& why) {
      for (Job* j : group) j->result = MakeError("store.write", why);
    };
    bool durable = std::any_of(group.begin(), group.end(), [](const Job* j) { return j->durable; });
    if (!durable) writer_.Exec("PRAGMA synchronous=NORMAL");
    struct Restore {
      Connection& c;
      bool durable;
      ~Restore() {
        if (!durable) c.Exec("PRAGMA synchronous=FULL");
      }
    } restore{writer_, durable};
    if (!writer_.Exec("BEGIN IMMEDIATE")) return fail_all(sqlite3_errmsg(writer_.db()));
    for (Job* j : group) {
      writer_.Exec("SAVEPOINT job");
      // Another caller's work runs here: whatever it throws is its own failure, never the
      // group's (a leader unwinding would leave every later writer waiting).
      try {
        j->result = (*j->work)();
      } catch (const std::exception& e) {
        j->result = MakeError("store.write", e.what());
      }
      if (!j->result) writer_.Exec("ROLLBACK TO job");
      writer_.Exec("RELEASE job");
    }
    if (!writer_.Exec("COMMIT")) {
      std::string why = sqlite3_errmsg(writer_.db());
      writer_.Exec("ROLLBACK");
      fail_all("the transaction did not commit: " + why);
    }
  }

  // Runs `read` on the reader connection (or the writer's, for an in-memory database).
  template <class F>
  std::invoke_result_t<F, Connection&> Read(F&& read) {
    if (reader_ != nullptr) {
      std::lock_guard lock(read_mu_);
      return read(*reader_);
    }
    std::lock_guard lock(mu_);
    return read(writer_);
  }

  // Writes `bytes` into the zeroblob of the same size in `table`.package of row `rowid`.
  bool WriteBlob(const char* table, std::int64_t rowid, std::string_view bytes) {
    if (bytes.empty()) return true;
    sqlite3_blob* blob = nullptr;
    if (sqlite3_blob_open(writer_.db(), "main", table, "package", rowid, 1, &blob) != SQLITE_OK) {
      sqlite3_blob_close(blob);
      return false;
    }
    constexpr size_t kPiece = size_t{1} << 20;
    for (size_t at = 0; at < bytes.size(); at += kPiece) {
      size_t n = std::min(kPiece, bytes.size() - at);
      if (sqlite3_blob_write(blob, bytes.data() + at, static_cast<int>(n), static_cast<int>(at)) !=
          SQLITE_OK) {
        sqlite3_blob_close(blob);
        return false;
      }
    }
    return sqlite3_blob_close(blob) == SQLITE_OK;
  }

  Result<void> Done(Stmt& s, const char* code) {
    if (s.Step() != SQLITE_DONE) return MakeError(code, s.Error());
    return {};
  }

  Result<std::vector<Delivery>> Rows(Stmt& s) {
    std::vector<Delivery> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadDelivery(s));
    if (rc != SQLITE_DONE) return MakeError("store.read", s.Error());
    return out;
  }

  std::mutex mu_;  // the writer connection
  Connection writer_;
  std::mutex read_mu_;
  std::unique_ptr<Connection> reader_;
  // SQLite's own default: a checkpoint once the WAL holds 1000 pages.
  static constexpr int kCheckpointPages = 1000;
  std::unique_ptr<Connection> checkpointer_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_due_ = false, stopping_ = false;
  std::thread checkpoint_thread_;
  std::mutex group_mu_;  // the queue and who leads
  std::condition_variable group_cv_;
  std::vector<Job*> queue_;
  bool leading_ = false;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, std::int64_t first_doc_id) {
  auto open = [&](sqlite3** db) -> Result<void> {
    auto opened = sqlite::Open(path, "store.open");
    if (!opened) return tl::unexpected(opened.error());
    *db = *opened;
    return {};
  };
  sqlite3* db = nullptr;
  if (auto opened = open(&db); !opened) return tl::unexpected(opened.error());
  char* err = nullptr;
  const char* setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
  if (sqlite3_exec(db, setup, nullptr, nullptr, &err) != SQLITE_OK ||
      sqlite3_exec(db, kSchema, nullptr, nullptr, &err) != SQLITE_OK ||
      (first_doc_id > 1 &&
       sqlite3_exec(
           db,
           ("INSERT INTO sqlite_sequence(name, seq) SELECT t, 0 FROM (SELECT "
            "'submissions' AS t UNION ALL SELECT 'deliveries') WHERE t NOT IN "
            "(SELECT name FROM sqlite_sequence); UPDATE sqlite_sequence SET seq = "
            "max(seq, " +
            std::to_string(first_doc_id - 1) + ") WHERE name IN ('submissions', 'deliveries');")
               .c_str(),
           nullptr, nullptr, &err) != SQLITE_OK)) {
    std::string why = err != nullptr ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    sqlite3_close(db);
    return MakeError("store.open", "cannot set up " + path + ": " + why);
  }
  // A file gets a reader connection of its own; ":memory:" (or "") names a new database on every
  // open, so there the writer's connection reads too.
  sqlite3* reader = nullptr;
  sqlite3* checkpointer = nullptr;
  if (path != ":memory:" && !path.empty()) {
    for (sqlite3** extra : {&reader, &checkpointer}) {
      if (auto opened = open(extra); !opened) {
        sqlite3_close(reader);
        sqlite3_close(db);
        return tl::unexpected(opened.error());
      }
    }
  }
  return std::unique_ptr<Store>(new SqliteStore(db, reader, checkpointer));
}

}  // namespace vxp::hub
