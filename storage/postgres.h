// PostgreSQL, as vxpkit's stores use it (libpq): a bounded pool of connections to one database,
// statements with parameters and binary results, numbered schema migrations that several
// processes may run at once, and a throwaway server for tests and benchmarks (LocalServer).
// An adapter (it does I/O); the stores behind interfaces are built on it (the hub's mailboxes,
// simulator/hub/postgres_store.cc).
//
// Errors are Results: `error_code` as the caller names it, and a message with PostgreSQL's own
// reason and SQLSTATE. Passwords in a URL never appear in a message.
#ifndef VXP_STORAGE_POSTGRES_H_
#define VXP_STORAGE_POSTGRES_H_

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

struct pg_conn;
struct pg_result;

namespace vxp::pg {

// True for "postgresql://…" and "postgres://…" (libpq's URI forms).
bool IsUrl(std::string_view text);
// `url` with any password replaced by "***", for messages and logs.
std::string Redact(std::string_view url);

// Whether `s` can be stored as PostgreSQL text: valid UTF-8 without NUL.
bool IsText(std::string_view s);

// One parameter of a statement: text (ints are written as text), bytes (bytea, sent binary, not
// copied: the view must stay valid during the call) or NULL.
struct Param {
  enum Kind { kText, kBytes, kNull };
  Kind kind = kNull;
  std::string_view value;
  std::string owned;  // an integer's digits

  // Text must be valid UTF-8 without NUL (PostgreSQL's text); IsText tells.
  static Param Text(std::string_view v) { return {kText, v, {}}; }
  static Param Bytes(std::string_view v) { return {kBytes, v, {}}; }
  static Param Int(std::int64_t v) {
    Param p{kText, {}, std::to_string(v)};
    return p;
  }
  static Param Null() { return {}; }
};

// The rows of one statement, in binary form: text and bytea columns are their bytes, integers
// (int2/int4/int8) and booleans are decoded.
class Rows {
 public:
  explicit Rows(pg_result* r) : r_(r) {}
  ~Rows();
  Rows(Rows&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Rows& operator=(Rows&& o) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;

  int size() const;
  int status() const;  // libpq's ExecStatusType
  std::string Text(int row, int col) const;
  std::string_view View(int row, int col) const;
  std::int64_t Int(int row, int col) const;
  bool Bool(int row, int col) const { return Int(row, col) != 0; }
  bool IsNull(int row, int col) const;
  std::int64_t Affected() const;  // rows an INSERT/UPDATE/DELETE touched

 private:
  pg_result* r_;
};

// One connection; closes it on destruction.
class Connection {
 public:
  explicit Connection(pg_conn* c) : c_(c) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql` with `params` ($1, $2, …). Error `error_code` with PostgreSQL's message and
  // SQLSTATE; *sqlstate (when given) receives the SQLSTATE of a failure ("" when the connection
  // itself failed).
  Result<Rows> Exec(std::string_view sql, const std::vector<Param>& params = {},
                    std::string_view error_code = "store.sql", std::string* sqlstate = nullptr);
  // Runs `statements` in one round trip (libpq's pipeline mode) as one implicit transaction,
  // which commits when the last has run: all of them, or none. Returns once the commit is done
  // (durable, with synchronous_commit on). The rows of each, or the first failure, as Exec.
  struct Statement {
    std::string sql;
    std::vector<Param> params;
  };
  Result<std::vector<Rows>> Pipeline(const std::vector<Statement>& statements,
                                     std::string_view error_code, std::string* sqlstate = nullptr);
  // Runs a script of several statements (no parameters, no rows): migrations.
  Result<void> Script(std::string_view sql, std::string_view error_code);
  // Whether the connection is usable; reconnects once when it is not.
  bool Healthy();

 private:
  struct Bound;
  // Healthy, or error `error_code` saying the connection is lost and why.
  Result<void> Usable(std::string_view error_code);
  Error Failure(pg_result* r, std::string_view error_code, std::string* sqlstate);
  pg_conn* c_;
};

// Opens one connection to `url`. Error `error_code` naming the (redacted) URL and why.
Result<std::unique_ptr<Connection>> Connect(const std::string& url, std::string_view error_code);

// A fixed number of connections, lent one at a time; a borrower waits while all are lent.
class Pool {
 public:
  static Result<std::unique_ptr<Pool>> Open(const std::string& url, int size,
                                            std::string_view error_code);

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    ~Lease() {
      if (c_ != nullptr) pool_->Return(std::move(c_));
    }
    Lease(Lease&&) = default;
    Connection* operator->() { return c_.get(); }
    Connection& operator*() { return *c_; }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> c_;
  };
  Lease Borrow();
  int size() const { return size_; }

 private:
  void Return(std::unique_ptr<Connection> c);
  int size_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// Brings the database to the last of `migrations` (migration i, counted from 1, takes schema
// version i-1 to i): every pending one in a single transaction, which also records the version
// reached in the table vxp_schema(name, version) — all of them or none — under a
// transaction-level advisory lock on `name`, so that several processes opening one database at
// once migrate it once. A database at a version later than this
// program knows is refused, not touched. Error `error_code` naming the version and why.
Result<void> Migrate(Connection& c, std::string_view name,
                     const std::vector<std::string_view>& migrations, std::string_view error_code);

// A PostgreSQL server of its own in a temporary directory, for tests and benchmarks: initdb, then
// the server listening on a Unix socket in that directory only (no TCP port), stopped and removed
// on destruction. The server dies with this process too (it is not left behind by a crash).
// As root, it runs as the unprivileged user `postgres` (Debian's package creates it), because
// PostgreSQL refuses to run as root. The binaries are found under /usr/lib/postgresql/*/bin (the
// highest version) or in $VXP_PG_BINDIR. Errors name what is missing and how to install it
// (scripts/install-deps.sh).
class LocalServer {
 public:
  static Result<std::unique_ptr<LocalServer>> Start();
  ~LocalServer();

  // A URL for database `db` ("postgres" exists; CreateDatabase makes more).
  std::string Url(std::string_view db = "postgres") const;
  Result<std::string> CreateDatabase(std::string_view name);  // its URL
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }

 private:
  LocalServer() = default;
  std::string dir_;
  pid_t pid_ = -1;
};

}  // namespace vxp::pg

#endif  // VXP_STORAGE_POSTGRES_H_
