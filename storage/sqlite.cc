#include "storage/sqlite.h"

namespace vxp::sqlite {

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

sqlite3_stmt* Connection::Prepare(const std::string& sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(stmt);
    return nullptr;
  }
  statements_.emplace(sql, stmt);
  return stmt;
}

Result<sqlite3*> Open(const std::string& path, std::string_view error_code) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return MakeError(std::string(error_code), "cannot open " + path + ": " + why);
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

std::int64_t SchemaVersion(Connection& c) {
  Stmt s(c, "PRAGMA user_version");
  return s.Step() == SQLITE_ROW ? s.Int(0) : -1;
}

Result<void> Migrate(Connection& c, const std::vector<std::string_view>& migrations,
                     std::string_view error_code) {
  const auto known = static_cast<std::int64_t>(migrations.size());
  std::int64_t version = SchemaVersion(c);
  if (version < 0) {
    return MakeError(std::string(error_code), "cannot read the schema version: " + c.Error());
  }
  if (version > known) {
    return MakeError(std::string(error_code),
                     "the database is at schema version " + std::to_string(version) +
                         ", later than this vxpkit knows (" + std::to_string(known) +
                         "): use the vxpkit that wrote it, or a newer one");
  }
  for (std::int64_t v = version; v < known; ++v) {
    std::string sql = "BEGIN IMMEDIATE;\n" + std::string(migrations[static_cast<size_t>(v)]) +
                      "\nPRAGMA user_version = " + std::to_string(v + 1) + ";\nCOMMIT;";
    char* err = nullptr;
    if (sqlite3_exec(c.db(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string why = err != nullptr ? err : c.Error();
      sqlite3_free(err);
      c.Exec("ROLLBACK");
      return MakeError(std::string(error_code),
                       "migration to schema version " + std::to_string(v + 1) + " failed: " + why);
    }
  }
  return {};
}

}  // namespace vxp::sqlite
