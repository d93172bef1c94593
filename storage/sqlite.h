// SQLite, as vxpkit's stores use it: one connection with its prepared statements (kept for the
// connection's life), a statement use that resets itself, and numbered schema migrations.
// An adapter (it does I/O); the stores behind interfaces are built on it: the hub's mailboxes
// (simulator/hub/sqlite_store.cc) and the conformance service's accounts (service/).
#ifndef VXP_STORAGE_SQLITE_H_
#define VXP_STORAGE_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace vxp::sqlite {

// One SQLite connection with its prepared statements; closes it on destruction.
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() const { return db_; }
  // The statement for `sql`, prepared on first use; nullptr if it does not prepare.
  sqlite3_stmt* Prepare(const std::string& sql);
  bool Exec(const char* sql) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  std::string Error() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

// A use of a prepared statement: bound, stepped, and reset on scope exit.
class Stmt {
 public:
  Stmt(Connection& c, const std::string& sql) : db_(c.db()), stmt_(c.Prepare(sql)) {
    rc_ = stmt_ != nullptr ? SQLITE_OK : SQLITE_ERROR;
  }
  ~Stmt() {
    if (stmt_ != nullptr) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, std::string_view s) {
    if (stmt_ != nullptr) {
      sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
    return *this;
  }
  // Bytes that are not text (a PDF), as a BLOB.
  Stmt& BindBlob(int i, std::string_view b) {
    if (stmt_ != nullptr) {
      sqlite3_bind_blob(stmt_, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
    }
    return *this;
  }
  Stmt& Bind(int i, std::int64_t v) {
    if (stmt_ != nullptr) sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  int Step() { return rc_ = stmt_ != nullptr ? sqlite3_step(stmt_) : SQLITE_ERROR; }
  std::string Text(int col) {
    const auto* p = sqlite3_column_blob(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return p != nullptr ? std::string(static_cast<const char*>(p), static_cast<size_t>(n))
                        : std::string();
  }
  std::int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Error() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int rc_;
};

// Opens (creating) the database at `path` read-write, serialized, with a 5 s busy timeout.
// Error `error_code` ("cannot open PATH: why").
Result<sqlite3*> Open(const std::string& path, std::string_view error_code);

// Brings the database of `c` to the last of `migrations` (migration i, counted from 1, is the SQL
// that takes schema version i-1 to i), each in a transaction of its own with the version it
// reaches (PRAGMA user_version), so that a migration either happens whole or not at all. A
// database at a version later than this program knows is refused, not touched: an older vxpkit
// must not write to a newer schema. Error `error_code` naming the version and why.
Result<void> Migrate(Connection& c, const std::vector<std::string_view>& migrations,
                     std::string_view error_code);

// The database's schema version (PRAGMA user_version).
std::int64_t SchemaVersion(Connection& c);

}  // namespace vxp::sqlite

#endif  // VXP_STORAGE_SQLITE_H_
