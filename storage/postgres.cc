#include "storage/postgres.h"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "core/common/utf8.h"

namespace vxp::pg {

bool IsText(std::string_view s) {
  return s.find('\0') == std::string_view::npos && FindInvalidUtf8(s) == std::string_view::npos;
}

bool IsUrl(std::string_view text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

std::string Redact(std::string_view url) {
  // scheme://user:password@host… → scheme://user:***@host…; "password=…" query values too.
  // The password runs to the '@' before the host: it may hold '/' or '?' that its writer did not
  // percent-encode. Too much hidden is better than a password shown.
  static const std::regex userinfo(R"(^(postgres(?:ql)?://[^:@/?]*):[^@]*@)");
  static const std::regex query(R"(([?&]password=)[^&]*)");
  std::string out = std::regex_replace(std::string(url), userinfo, "$1:***@");
  return std::regex_replace(out, query, "$1***");
}

Rows::~Rows() { PQclear(r_); }

Rows& Rows::operator=(Rows&& o) noexcept {
  if (this != &o) {
    PQclear(r_);
    r_ = o.r_;
    o.r_ = nullptr;
  }
  return *this;
}

int Rows::status() const { return r_ != nullptr ? PQresultStatus(r_) : PGRES_FATAL_ERROR; }

int Rows::size() const { return r_ != nullptr ? PQntuples(r_) : 0; }

std::string_view Rows::View(int row, int col) const {
  return {PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col))};
}

std::string Rows::Text(int row, int col) const { return std::string(View(row, col)); }

bool Rows::IsNull(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }

std::int64_t Rows::Int(int row, int col) const {
  if (IsNull(row, col)) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row, col));
  int n = PQgetlength(r_, row, col);
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];  // network order
  switch (n) {
    case 1:
      return static_cast<std::int8_t>(v);
    case 2:
      return static_cast<std::int16_t>(v);
    case 4:
      return static_cast<std::int32_t>(v);
    default:
      return static_cast<std::int64_t>(v);
  }
}

std::int64_t Rows::Affected() const {
  const char* n = r_ != nullptr ? PQcmdTuples(r_) : "";
  return *n != '\0' ? std::strtoll(n, nullptr, 10) : 0;
}

Connection::~Connection() { PQfinish(c_); }

bool Connection::Healthy() {
  if (PQstatus(c_) == CONNECTION_OK) return true;
  PQreset(c_);
  return PQstatus(c_) == CONNECTION_OK;
}

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Result<void> Connection::Usable(std::string_view error_code) {
  if (Healthy()) return {};
  return MakeError(std::string(error_code),
                   "the PostgreSQL connection is lost: " + Trim(PQerrorMessage(c_)));
}

// A statement's parameters as libpq takes them. Integers go as text (NUL-terminated); text and
// bytes in binary form, which for text types is the same bytes: a view need not end in NUL, and
// libpq reads the length of binary values only.
struct Connection::Bound {
  explicit Bound(const std::vector<Param>& params)
      : values(params.size()), lengths(params.size()), formats(params.size()) {
    for (size_t i = 0; i < params.size(); ++i) {
      const Param& p = params[i];
      if (p.kind == Param::kNull) continue;
      if (!p.owned.empty()) {
        values[i] = p.owned.c_str();
        continue;
      }
      values[i] = p.value.data() != nullptr ? p.value.data() : "";
      lengths[i] = static_cast<int>(p.value.size());
      formats[i] = 1;
    }
  }
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
};

Result<Rows> Connection::Exec(std::string_view sql, const std::vector<Param>& params,
                              std::string_view error_code, std::string* sqlstate) {
  if (sqlstate != nullptr) sqlstate->clear();
  // A connection the server dropped (a restart, a killed backend) is opened again once; the
  // statement is not retried on a connection that failed during it: its effect is unknown.
  if (auto usable = Usable(error_code); !usable) return tl::unexpected(usable.error());
  Bound bound(params);
  std::string statement(sql);
  PGresult* r = PQexecParams(c_, statement.c_str(), static_cast<int>(params.size()), nullptr,
                             bound.values.data(), bound.lengths.data(), bound.formats.data(),
                             /*resultFormat=*/1);
  Rows rows(r);
  int status = rows.status();
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return rows;
  return tl::unexpected(Failure(r, error_code, sqlstate));
}

Error Connection::Failure(pg_result* r, std::string_view error_code, std::string* sqlstate) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  if (sqlstate != nullptr && state != nullptr) *sqlstate = state;
  std::string why = Trim(r != nullptr ? PQresultErrorMessage(r) : "");
  if (why.empty()) why = Trim(PQerrorMessage(c_));
  return Error{
      std::string(error_code),
      "PostgreSQL: " + why + (state != nullptr ? " (SQLSTATE " + std::string(state) + ")" : "")};
}

Result<std::vector<Rows>> Connection::Pipeline(const std::vector<Statement>& statements,
                                               std::string_view error_code, std::string* sqlstate) {
  if (sqlstate != nullptr) sqlstate->clear();
  if (auto usable = Usable(error_code); !usable) return tl::unexpected(usable.error());
  auto lost = [&]() {
    return MakeError(std::string(error_code), "PostgreSQL: " + Trim(PQerrorMessage(c_)));
  };
  if (PQenterPipelineMode(c_) != 1) return lost();
  bool sent = true;
  for (const Statement& st : statements) {
    Bound bound(st.params);
    sent = sent && PQsendQueryParams(c_, st.sql.c_str(), static_cast<int>(st.params.size()),
                                     nullptr, bound.values.data(), bound.lengths.data(),
                                     bound.formats.data(), /*resultFormat=*/1) == 1;
  }
  sent = sent && PQpipelineSync(c_) == 1;
  // Every result is read, up to the sync, whatever failed: the connection must leave pipeline
  // mode clean for its next borrower.
  std::vector<Rows> out;
  std::optional<Error> failure;
  if (!sent) failure = lost().value();
  for (size_t i = 0; sent && i <= statements.size(); ++i) {
    PGresult* r = PQgetResult(c_);
    if (r == nullptr) {  // the connection failed
      failure = failure.value_or(lost().value());
      break;
    }
    Rows rows(r);
    int status = rows.status();
    if (i == statements.size()) {
      if (status != PGRES_PIPELINE_SYNC) failure = failure.value_or(lost().value());
      break;
    }
    while (PGresult* more = PQgetResult(c_)) PQclear(more);  // the NULL that ends a statement
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      out.push_back(std::move(rows));
    } else if (status != PGRES_PIPELINE_ABORTED && !failure) {
      failure = Failure(r, error_code, sqlstate);
    }
  }
  if (PQexitPipelineMode(c_) != 1) {
    // Results left unread (a broken connection): the next use starts afresh.
    PQreset(c_);
  }
  if (failure) return tl::unexpected(*failure);
  return out;
}
Result<void> Connection::Script(std::string_view sql, std::string_view error_code) {
  if (auto usable = Usable(error_code); !usable) return tl::unexpected(usable.error());
  Rows rows(PQexec(c_, std::string(sql).c_str()));
  int status = rows.status();
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
  return MakeError(std::string(error_code), "PostgreSQL: " + Trim(PQerrorMessage(c_)));
}

Result<std::unique_ptr<Connection>> Connect(const std::string& url, std::string_view error_code) {
  PGconn* c = PQconnectdb(url.c_str());
  auto conn = std::make_unique<Connection>(c);
  if (c == nullptr || PQstatus(c) != CONNECTION_OK) {
    std::string why = c != nullptr ? Trim(PQerrorMessage(c)) : "out of memory";
    return MakeError(std::string(error_code), "cannot connect to " + Redact(url) + ": " + why);
  }
  // Integers arrive as text parameters sent binary (Exec): the server must read them as text of
  // the client encoding, which is UTF-8 everywhere in vxpkit.
  PQsetClientEncoding(c, "UTF8");
  // Notices ("relation … already exists, skipping") are not errors: not printed.
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  return conn;
}

Result<std::unique_ptr<Pool>> Pool::Open(const std::string& url, int size,
                                         std::string_view error_code) {
  auto pool = std::unique_ptr<Pool>(new Pool());
  pool->size_ = std::max(1, size);
  for (int i = 0; i < pool->size_; ++i) {
    auto c = Connect(url, error_code);
    if (!c) return tl::unexpected(c.error());
    pool->idle_.push_back(std::move(*c));
  }
  return pool;
}

Pool::Lease Pool::Borrow() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty(); });
  std::unique_ptr<Connection> c = std::move(idle_.back());
  idle_.pop_back();
  return Lease(this, std::move(c));
}

void Pool::Return(std::unique_ptr<Connection> c) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(c));
  }
  cv_.notify_one();
}

Result<void> Migrate(Connection& c, std::string_view name,
                     const std::vector<std::string_view>& migrations, std::string_view error_code) {
  std::string code(error_code);
  auto run = [&](std::string_view sql, const std::vector<Param>& params = {}) {
    return c.Exec(sql, params, code);
  };
  if (auto r = run("BEGIN"); !r) return tl::unexpected(r.error());
  auto fail = [&](Error e) -> Result<void> {
    (void)run("ROLLBACK");
    return tl::unexpected(std::move(e));
  };
  // Every process that opens the database takes this lock first: the second waits for the first
  // to finish migrating, then finds nothing left to do.
  if (auto r = run("SELECT pg_advisory_xact_lock(hashtext($1))", {Param::Text(name)}); !r) {
    return fail(r.error());
  }
  if (auto r = run("CREATE TABLE IF NOT EXISTS vxp_schema(name text PRIMARY KEY, "
                   "version integer NOT NULL)");
      !r) {
    return fail(r.error());
  }
  auto current = run("SELECT version FROM vxp_schema WHERE name = $1", {Param::Text(name)});
  if (!current) return fail(current.error());
  std::int64_t version = current->size() > 0 ? current->Int(0, 0) : 0;
  auto known = static_cast<std::int64_t>(migrations.size());
  if (version > known) {
    return fail(Error{code, "the " + std::string(name) + " schema is at version " +
                                std::to_string(version) + ", newer than this vxpkit knows (" +
                                std::to_string(known) + "); use the vxpkit that wrote it"});
  }
  for (std::int64_t v = version; v < known; ++v) {
    // Migrations are scripts of several statements: the simple query protocol runs them.
    if (auto applied = c.Script(migrations[static_cast<size_t>(v)], code); !applied) {
      Error e = applied.error();
      e.message =
          "migration " + std::to_string(v + 1) + " of " + std::string(name) + ": " + e.message;
      return fail(e);
    }
  }
  if (auto r = run("INSERT INTO vxp_schema(name, version) VALUES($1, $2) ON CONFLICT(name) DO "
                   "UPDATE SET version = excluded.version",
                   {Param::Text(name), Param::Int(known)});
      !r) {
    return fail(r.error());
  }
  if (auto r = run("COMMIT"); !r) return fail(r.error());
  return {};
}

namespace {

// The directory holding initdb and postgres: $VXP_PG_BINDIR, else the highest version under
// /usr/lib/postgresql (Debian's layout). "" when there is none.
std::string ServerBinDir() {
  if (const char* env = std::getenv("VXP_PG_BINDIR"); env != nullptr && *env != '\0') return env;
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    std::string name = entry.path().filename().string();
    int version = std::atoi(name.c_str());
    auto bin = entry.path() / "bin";
    if (version > best_version && std::filesystem::exists(bin / "initdb") &&
        std::filesystem::exists(bin / "postgres")) {
      best_version = version;
      best = bin.string();
    }
  }
  return best;
}

// Starts `argv` with its output appended to `log`, as `uid`/`gid` when they are not -1; with
// `die_with_parent`, it is killed when the thread that started it ends.
Result<pid_t> Spawn(const std::vector<std::string>& argv, const std::string& log, uid_t uid,
                    gid_t gid, bool die_with_parent) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return MakeError("pg.server", std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    if (uid != static_cast<uid_t>(-1)) {
      if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(126);
    }
    // After setuid: a change of credentials clears the parent-death signal.
    if (die_with_parent) prctl(PR_SET_PDEATHSIG, SIGKILL);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

std::string Tail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream all;
  all << in.rdbuf();
  std::string s = all.str();
  if (s.size() > 1500) s = "…" + s.substr(s.size() - 1500);
  return Trim(s);
}

}  // namespace

Result<std::unique_ptr<LocalServer>> LocalServer::Start() {
  std::string bin = ServerBinDir();
  if (bin.empty()) {
    return MakeError("pg.missing",
                     "PostgreSQL's server programs (initdb, postgres) are not installed under "
                     "/usr/lib/postgresql: run scripts/install-deps.sh (Debian package "
                     "postgresql), or set VXP_PG_BINDIR");
  }
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      return MakeError("pg.missing",
                       "PostgreSQL refuses to run as root and there is no user 'postgres' to run "
                       "it as: run scripts/install-deps.sh (Debian package postgresql creates it)");
    }
    uid = pw->pw_uid;
    gid = pw->pw_gid;
  }
  char templ[] = "/tmp/vxp-pg-XXXXXX";
  if (mkdtemp(templ) == nullptr) {
    return MakeError("pg.server",
                     std::string("cannot create a directory in /tmp: ") + std::strerror(errno));
  }
  auto server = std::unique_ptr<LocalServer>(new LocalServer());
  server->dir_ = templ;
  if (uid != static_cast<uid_t>(-1) && chown(templ, uid, gid) != 0) {
    return MakeError("pg.server",
                     "cannot give " + server->dir_ + " to user postgres: " + std::strerror(errno));
  }
  std::string data = server->dir_ + "/data", log = server->dir_ + "/server.log";
  auto init = Spawn({bin + "/initdb", "-D", data, "-U", "vxp", "-A", "trust", "-E", "UTF8",
                     "--locale=C", "--no-sync"},
                    log, uid, gid, /*die_with_parent=*/false);
  if (!init) return tl::unexpected(init.error());
  int status = 0;
  waitpid(*init, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return MakeError("pg.server", "initdb failed in " + server->dir_ + ":\n" + Tail(log));
  }
  auto pid =
      Spawn({bin + "/postgres", "-D", data, "-k", server->dir_, "-c", "listen_addresses=", "-p",
             "5432", "-c", "max_connections=300", "-c", "shared_buffers=64MB"},
            log, uid, gid, /*die_with_parent=*/true);
  if (!pid) return tl::unexpected(pid.error());
  server->pid_ = *pid;
  std::string url = server->Url();
  for (int i = 0; i < 600; ++i) {  // up to 30 s
    if (PQping(url.c_str()) == PQPING_OK) return server;
    if (waitpid(server->pid_, &status, WNOHANG) == server->pid_) {
      server->pid_ = -1;
      return MakeError("pg.server", "the PostgreSQL server in " + server->dir_ +
                                        " stopped while starting:\n" + Tail(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return MakeError("pg.server", "the PostgreSQL server in " + server->dir_ +
                                    " did not start in 30 s:\n" + Tail(log));
}

LocalServer::~LocalServer() {
  if (pid_ > 0) {
    kill(pid_, SIGINT);  // fast shutdown: active sessions are ended
    int status = 0;
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {  // up to 10 s
      gone = waitpid(pid_, &status, WNOHANG) == pid_;
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!gone) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

std::string LocalServer::Url(std::string_view db) const {
  return "postgresql://vxp@/" + std::string(db) + "?host=" + dir_ + "&port=5432";
}

Result<std::string> LocalServer::CreateDatabase(std::string_view name) {
  bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
  if (!plain) return MakeError("pg.server", "a database name of a-z, 0-9 and _ only");
  auto c = Connect(Url(), "pg.server");
  if (!c) return tl::unexpected(c.error());
  if (auto r = (*c)->Exec("CREATE DATABASE " + std::string(name), {}, "pg.server"); !r) {
    return tl::unexpected(r.error());
  }
  return Url(name);
}

}  // namespace vxp::pg
