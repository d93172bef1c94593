// The SQLite implementation of Store.
//
// Every write is committed in a group: each caller queues its work; one of them at a time leads,
// running every queued piece of work in one transaction (each in a savepoint of its own, so one
// failure rolls back only itself) and committing it; then every caller of the group returns. A
// DocId is answered only after its submission is on stable storage — it is just that concurrent
// submissions share the sync. Nobody waits on purpose to fill a group: callers that arrive while
// a group commits form the next one.
//
// The groups are pipelined: a leader commits without syncing (synchronous=NORMAL writes the WAL
// frames into the file), hands the lead on, and only then syncs the WAL (fdatasync on a
// descriptor of its own), so the next group's statements run while this group waits for the
// disk. Its callers return once that sync is done. A sync covers every frame written before it,
// so the durable watermark — the highest delivery whose group has synced — only rises, and
// deliveries above it are not yet promised to anyone: listing, fetching, acknowledging and the
// sender's status read none of them. (A status change or a system written by a group is visible
// from its commit, up to one sync before it is on disk; its own caller is still answered only
// after. A killed process loses nothing either way: the frames are in the file.) A sync that
// fails leaves the store refusing every later write: the kernel may have dropped the pages that
// did not reach the disk, and the store can no longer say what is stable.
//
// Reads use a second connection (a WAL reader never waits for the writer), and WAL checkpoints a
// third, on a thread of their own, except for an in-memory database, which one connection holds
// (and which nothing is synced for). Statements are prepared once per connection.
//
// Systems and agencies are also kept in memory once read: every request looks up its caller's
// system (its secret) and a sendEdoc its sender and recipients, and only this store writes them
// (one process owns a SQLite store). A write forgets what it changes once it has committed, and
// a read that raced a write does not keep what it read (a generation count tells).
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>

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
  // `wal_fd`: the WAL file, opened to sync it (the store closes it), or -1 for a database that is
  // never synced (in memory; otherwise every delivery already stored is on stable storage).
  SqliteStore(sqlite3* writer, sqlite3* reader, sqlite3* checkpointer, int wal_fd, WalSync sync)
      : writer_(writer),
        reader_(reader != nullptr ? std::make_unique<Connection>(reader) : nullptr),
        checkpointer_(checkpointer != nullptr ? std::make_unique<Connection>(checkpointer)
                                              : nullptr),
        wal_fd_(wal_fd),
        sync_(sync != nullptr ? std::move(sync)
                              : [](int fd) { return ::fdatasync(fd) == 0 ? 0 : errno; }),
        durable_doc_id_(wal_fd >= 0 ? LastDocId() : std::numeric_limits<std::int64_t>::max()) {
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
    if (wal_fd_ >= 0) ::close(wal_fd_);
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
    auto done = InGroup([&]() -> Result<void> {
      Stmt s(writer_, "INSERT OR REPLACE INTO systems(id, secret) VALUES(?1, ?2)");
      s.Bind(1, system.id).Bind(2, system.secret);
      return Done(s, "store.write");
    });
    cache_.Forget(cache_.systems, system.id);
    return done;
  }

  Result<std::optional<System>> GetSystem(std::string_view id) override {
    return cache_.Get(cache_.systems, id, [&] {
      return Read([&](Connection& c) -> Result<std::optional<System>> {
        Stmt s(c, "SELECT id, secret FROM systems WHERE id = ?1");
        s.Bind(1, id);
        int rc = s.Step();
        if (rc == SQLITE_ROW) return std::optional<System>(System{s.Text(0), s.Text(1)});
        if (rc == SQLITE_DONE) return std::optional<System>();
        return MakeError("store.read", s.Error());
      });
    });
  }

  Result<bool> AddAgency(const Agency& a) override {
    return ChangeInGroup(a.code, [&]() -> Result<void> {
      Stmt s(
          writer_,
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
      return Done(s, "store.write");
    });
  }

  Result<bool> DeleteAgency(std::string_view code, Millis now) override {
    return ChangeInGroup(code, [&]() -> Result<void> {
      Stmt s(writer_,
             "UPDATE agencies SET deleted = 1, modified_ms = ?2 WHERE code = ?1 AND deleted = 0");
      s.Bind(1, code).Bind(2, now);
      return Done(s, "store.write");
    });
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
    return cache_.Get(cache_.agencies, code, [&] {
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
    });
  }

  Result<bool> AssignAgency(std::string_view code, std::string_view system_id) override {
    return ChangeInGroup(code, [&]() -> Result<void> {
      Stmt s(writer_, "UPDATE agencies SET system_id = ?2 WHERE code = ?1 AND deleted = 0");
      s.Bind(1, code).Bind(2, system_id);
      return Done(s, "store.write");
    });
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
                        "('done', 'fail') AND d.doc_id <= ?3 ORDER BY d.doc_id";
      Stmt s(c, sql);
      s.Bind(1, system_id).Bind(2, message_type).Bind(3, durable_doc_id_.load());
      return Rows(s);
    });
  }

  Result<std::optional<std::pair<Delivery, std::string>>> Fetch(
      std::int64_t doc_id, std::string_view system_id) override {
    using Out = std::optional<std::pair<Delivery, std::string>>;
    Out out;
    auto done = InGroup(
        [&]() -> Result<void> {
          if (doc_id > durable_doc_id_) return {};  // not promised to anyone yet
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
      if (doc_id > durable_doc_id_) return {};  // not promised to anyone yet
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
                        "WHERE s.system_id = ?1 AND s.message_type = ?2 AND d.doc_id <= ?3" +
                        (sender_doc_id ? " AND s.id = ?4" : "") + " ORDER BY d.doc_id";
      Stmt s(c, sql);
      s.Bind(1, system_id).Bind(2, message_type).Bind(3, durable_doc_id_.load());
      if (sender_doc_id) s.Bind(4, *sender_doc_id);
      return Rows(s);
    });
  }

 private:
  // One caller's piece of a group: its work, and what came of it once the group committed.
  struct Job {
    const std::function<Result<void>()>* work;
    bool durable;
    Result<void> result;
    bool taken = false;  // in a group that has begun
    bool done = false;
    // Its caller waits here, woken only when it is done or may lead: a notify_all on one shared
    // condition woke every waiting caller twice per group, most of them to sleep again.
    std::condition_variable cv;
  };

  // Runs `work` in the next group transaction and returns once that transaction has committed
  // and, if `work` is `durable`, once the WAL has been synced after it (or failed: then nothing of
  // `work` is stored, or the store is broken). `work` runs on whichever caller leads. The caller of
  // work that is not `durable` (a fetch count) does not wait for the sync unless it leads the
  // group (the leader syncs), and a group of which no work is `durable` is not synced: in WAL
  // mode it survives the process being killed, not the machine failing.
  Result<void> InGroup(const std::function<Result<void>()>& work, bool durable = true) {
    Job job{&work, durable, {}};
    std::unique_lock lock(group_mu_);
    queue_.push_back(&job);
    while (!job.done) {
      if (leading_ || job.taken) {  // another group runs, or this job's group is syncing
        job.cv.wait(lock);
        continue;
      }
      if (!broken_.empty()) {  // after a failed sync nothing more is written
        for (Job* j : queue_) {
          j->result = MakeError("store.write", broken_);
          j->done = true;
          j->cv.notify_one();
        }
        queue_.clear();
        break;
      }
      leading_ = true;
      std::vector<Job*> group;
      group.swap(queue_);
      for (Job* j : group) j->taken = true;
      lock.unlock();
      std::int64_t last_doc_id = RunGroup(group);
      lock.lock();
      leading_ = false;  // the next group's statements may run while this one syncs
      // The first caller waiting to be grouped leads the next group (and takes every other).
      if (!queue_.empty()) queue_.front()->cv.notify_one();
      bool sync = wal_fd_ >= 0 && last_doc_id >= 0 &&
                  std::any_of(group.begin(), group.end(), [](const Job* j) { return j->durable; });
      if (sync) {
        // Work that promises nothing (a fetch count) is answered at its commit, without waiting
        // for the sync that the group's other callers wait for (this caller, the leader, syncs).
        std::erase_if(group, [](Job* j) {
          if (j->durable) return false;
          j->done = true;
          j->cv.notify_one();
          return true;
        });
        lock.unlock();
        int error = sync_(wal_fd_);
        lock.lock();
        if (error == 0) {
          // Every frame written before this sync is on disk, this group's and any earlier one's.
          if (last_doc_id > durable_doc_id_) durable_doc_id_ = last_doc_id;
        } else {
          broken_ = std::string("the disk did not confirm a write (fdatasync of the WAL: ") +
                    std::strerror(error) + "); the store accepts no more writes";
          for (Job* j : group) j->result = MakeError("store.write", broken_);
        }
      }
      for (Job* j : group) {
        j->done = true;
        j->cv.notify_one();
      }
    }
    return std::move(job.result);
  }

  // InGroup for one statement's work on agency `code`: whether it changed a row.
  Result<bool> ChangeInGroup(std::string_view code, const std::function<Result<void>()>& work) {
    bool changed = false;
    auto done = InGroup([&]() -> Result<void> {
      auto r = work();
      changed = r && sqlite3_changes(writer_.db()) > 0;
      return r;
    });
    cache_.Forget(cache_.agencies, code);
    if (!done) return tl::unexpected(done.error());
    return changed;
  }

  // Systems and listed agencies as last read, by id and code. Only rows that exist are kept, and
  // at most kMaxEntries of each (then it starts over), so unknown names sent by anyone cost a
  // read each time but never memory.
  struct Cache {
    static constexpr size_t kMaxEntries = 100'000;
    std::shared_mutex mu;
    std::uint64_t generation = 0;  // moved by every write of a system or an agency
    std::unordered_map<std::string, System> systems;
    std::unordered_map<std::string, Agency> agencies;

    template <class T, class F>
    Result<std::optional<T>> Get(std::unordered_map<std::string, T>& map, std::string_view key,
                                 F&& read) {
      std::uint64_t seen;
      {
        std::shared_lock lock(mu);
        if (auto it = map.find(std::string(key)); it != map.end()) {
          return std::optional<T>(it->second);
        }
        seen = generation;
      }
      Result<std::optional<T>> got = read();
      if (got && *got) {
        std::unique_lock lock(mu);
        if (generation == seen) {  // no write since the read began: what it read is current
          if (map.size() >= kMaxEntries) map.clear();
          map.emplace(std::string(key), **got);
        }
      }
      return got;
    }

    template <class T>
    void Forget(std::unordered_map<std::string, T>& map, std::string_view key) {
      std::unique_lock lock(mu);
      ++generation;
      map.erase(std::string(key));
    }
  };

  // Runs the group in one transaction and commits it (without syncing: the caller does). Returns
  // the highest delivery id once committed, or -1 when the transaction failed (every job failed).
  std::int64_t RunGroup(const std::vector<Job*>& group) {
    std::lock_guard lock(mu_);
    auto fail_all = [&](const std::string& why) {
      for (Job* j : group) j->result = MakeError("store.write", why);
      return std::int64_t{-1};
    };
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
    std::int64_t last_doc_id = LastDocId();
    if (!writer_.Exec("COMMIT")) {
      std::string why = sqlite3_errmsg(writer_.db());
      writer_.Exec("ROLLBACK");
      return fail_all("the transaction did not commit: " + why);
    }
    return last_doc_id;
  }

  // The highest delivery id the writer sees (0 for none).
  std::int64_t LastDocId() {
    Stmt last(writer_, "SELECT COALESCE(MAX(doc_id), 0) FROM deliveries");
    return last.Step() == SQLITE_ROW ? last.Int(0) : 0;
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
  const int wal_fd_;
  const WalSync sync_;
  // The highest delivery whose group has synced; deliveries above it are neither listed nor
  // fetched nor acknowledged. Only rises.
  std::atomic<std::int64_t> durable_doc_id_;
  std::string broken_;  // why writes are refused, after a failed sync (under group_mu_)
  Cache cache_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_due_ = false, stopping_ = false;
  std::thread checkpoint_thread_;
  std::mutex group_mu_;  // the queue and who leads
  std::vector<Job*> queue_;
  bool leading_ = false;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, std::int64_t first_doc_id,
                                               WalSync sync) {
  auto open = [&](sqlite3** db) -> Result<void> {
    auto opened = sqlite::Open(path, "store.open");
    if (!opened) return tl::unexpected(opened.error());
    *db = *opened;
    return {};
  };
  sqlite3* db = nullptr;
  if (auto opened = open(&db); !opened) return tl::unexpected(opened.error());
  char* err = nullptr;
  // synchronous=NORMAL: a commit writes its frames into the WAL without syncing it (the store
  // syncs it itself, outside the writer's turn), and checkpoints still sync.
  const char* setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
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
  int wal_fd = -1;
  if (path != ":memory:" && !path.empty()) {
    auto fail = [&](const Error& e) {
      if (wal_fd >= 0) ::close(wal_fd);
      sqlite3_close(checkpointer);
      sqlite3_close(reader);
      sqlite3_close(db);
      return tl::unexpected(e);
    };
    for (sqlite3** extra : {&reader, &checkpointer}) {
      if (auto opened = open(extra); !opened) return fail(opened.error());
    }
    // The WAL exists from journal_mode=WAL on, and lives as long as a connection is open. What
    // is in it already (a killed process's last commits) and its name in the directory are made
    // stable now, so that every delivery in the store counts as promised.
    auto unix_error = [&](const std::string& what) {
      return Error{"store.open", "cannot " + what + ": " + std::strerror(errno)};
    };
    wal_fd = ::open((path + "-wal").c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd < 0) return fail(unix_error("open " + path + "-wal"));
    if (::fdatasync(wal_fd) != 0) return fail(unix_error("sync " + path + "-wal"));
    std::string dir = std::filesystem::path(path).parent_path().string();
    int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0 || ::fsync(dir_fd) != 0) {
      auto e = unix_error("sync the directory of " + path);
      if (dir_fd >= 0) ::close(dir_fd);
      return fail(e);
    }
    ::close(dir_fd);
  }
  return std::unique_ptr<Store>(new SqliteStore(db, reader, checkpointer, wal_fd, std::move(sync)));
}

}  // namespace vxp::hub
