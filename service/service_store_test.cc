// ServiceStore on both backends (SQLite, and PostgreSQL on a server of the test's own): accounts,
// certification records, and the run queue the service's instances share — one run under way per
// system, claims in order and never the same run twice (FOR UPDATE SKIP LOCKED on PostgreSQL,
// raced from two stores), leases, cancellation, the first close standing, and what a shared store
// keeps of a run for every instance (its feed, answers, files).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "service/accounts.h"
#include "service/credentials.h"
#include "service/store.h"
#include "storage/postgres.h"
#include "storage/postgres_testing.h"

namespace vxp::service {
namespace {

namespace fs = std::filesystem;

class ServiceStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      place_ = pg::NewTestDatabase("service");
    } else {
      static int n = 0;
      dir_ = (fs::temp_directory_path() /
              ("vxp-service-store-" + std::to_string(::getpid()) + "-" + std::to_string(++n)))
                 .string();
      fs::remove_all(dir_);
      fs::create_directories(dir_);
      place_ = dir_ + "/service.db";
    }
    store_ = Open();
    org_ = *store_->CreateOrganisation("Sở Nội vụ Hà Nội", 1);
    user_ = *store_->CreateUser(org_.id, "an@vendor.vn", "An", Role::kVendor, "hash", 1);
    for (const char* name : {"eOffice A", "eOffice B", "eOffice C"}) {
      SystemRecord s;
      s.organisation_id = org_.id;
      s.name = name;
      s.product = "eOffice";
      s.product_version = "1";
      s.hub_id = std::string("hub-") + name[8];
      s.hub_secret = "secret";
      s.control = "operator";
      systems_.push_back(*store_->CreateSystem(s));
    }
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Another opening of the same database (a second instance of the service).
  std::unique_ptr<ServiceStore> Open() {
    auto s = GetParam() == "postgres" ? OpenPostgresServiceStore(place_)
                                      : OpenSqliteServiceStore(place_);
    EXPECT_TRUE(s) << s.error().message;
    if (!s) throw std::runtime_error("no store");
    return std::move(*s);
  }

  RunRow Queue(const SystemRecord& system, Millis at = 10) {
    RunRow row{.system_id = system.id,
               .organisation_id = org_.id,
               .started_by = user_.id,
               .plan = "self-test",
               .profile = "demo",
               .started = at,
               .request = R"({"plan":"self-test","only":["SANITY-*"]})"};
    auto made = store_->CreateRun(row, std::nullopt);
    EXPECT_TRUE(made) << made.error().message;
    return made ? *made : RunRow{};
  }

  std::string dir_, place_;
  std::unique_ptr<ServiceStore> store_;
  Organisation org_;
  User user_;
  std::vector<SystemRecord> systems_;
};

INSTANTIATE_TEST_SUITE_P(Backends, ServiceStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// Failed logins are counted in the store: two instances on one database (two openings of it,
// each with its own Accounts) throttle an e-mail together, a success at either forgets them, and
// what a stranger typed is kept only as a digest.
TEST_P(ServiceStoreTest, FailedLoginsAreCountedByEveryInstanceAlike) {
  Millis now = 1'790'000'000'000;
  Accounts a(*store_, [&] { return now; });
  std::unique_ptr<ServiceStore> second = Open();
  Accounts b(*second, [&] { return now; });
  ASSERT_TRUE(a.Register(org_.id, "chi@vendor.vn", "Chi", Role::kVendor, "mật khẩu đủ dài"));
  for (int i = 0; i < 5; ++i) {
    Accounts& at = i % 2 == 0 ? a : b;  // the guesses alternate between the instances
    EXPECT_EQ(at.LogIn("chi@vendor.vn", "guess " + std::to_string(i)).error().code,
              "service.login");
  }
  for (Accounts* at : {&a, &b}) {
    auto refused = at->LogIn("CHI@vendor.vn", "mật khẩu đủ dài");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "service.throttled") << refused.error().message;
  }
  // A stranger's e-mail, bytes that are not text included, is throttled too, never an error.
  std::string hostile("\xff\xfe\0@x", 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(b.LogIn(hostile, "x").error().code, "service.login");
  EXPECT_EQ(a.LogIn(hostile, "x").error().code, "service.throttled");
  // The window passes: one success forgets the failures at both.
  now += AccountOptions{}.window;
  ASSERT_TRUE(b.LogIn("chi@vendor.vn", "mật khẩu đủ dài"));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(a.LogIn("chi@vendor.vn", "again " + std::to_string(i)).error().code, "service.login");
  }
  EXPECT_TRUE(b.LogIn("chi@vendor.vn", "mật khẩu đủ dài"));  // four failures: not yet held back
  // Only one window is kept: the failures of the first window are gone from the store.
  auto kept = second->LoginFailures(TokenDigest("login:" + hostile), 0);
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_TRUE(kept->empty());
}

TEST_P(ServiceStoreTest, AccountsSessionsAndTokensWork) {
  Millis now = 1'790'000'000'000;
  Accounts accounts(*store_, [&] { return now; });
  auto user =
      accounts.Register(org_.id, "Binh@Vendor.vn", "Bình", Role::kCertifier, "mật khẩu đủ dài");
  ASSERT_TRUE(user) << user.error().message;
  auto again = accounts.Register(org_.id, "binh@vendor.VN", "B", Role::kVendor, "0123456789");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "service.exists");  // e-mails compare without ASCII case
  auto session = accounts.LogIn("BINH@vendor.vn", "mật khẩu đủ dài");
  ASSERT_TRUE(session) << session.error().message;
  auto found = accounts.SessionOf(session->session_token);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->user.name, "Bình");
  EXPECT_EQ((*found)->user.role, Role::kCertifier);
  std::string token = *accounts.IssueApiToken(*user, "CI");
  auto owner = accounts.UserOfApiToken(token);
  ASSERT_TRUE(owner && *owner);
  EXPECT_EQ((*owner)->email, "Binh@Vendor.vn");
  ASSERT_EQ(store_->ApiTokens(user->id)->size(), 1u);
  EXPECT_EQ(store_->ApiTokens(user->id)->front().last_used, now);
  auto disabled = store_->SetUserDisabled(user->id, true);
  ASSERT_TRUE(disabled) << disabled.error().message;
  ASSERT_TRUE(*disabled);
  EXPECT_FALSE(*accounts.SessionOf(session->session_token));  // its sessions ended
  EXPECT_FALSE(*accounts.UserOfApiToken(token));
  EXPECT_FALSE(store_->SetUserDisabled(99999, true).value());
  // Bytes that are not text find nothing; they are never a database error.
  std::string hostile("\xff\xfe\0x", 4);
  auto login = store_->FindLogin(hostile);
  ASSERT_TRUE(login) << login.error().message;
  EXPECT_FALSE(*login);
  EXPECT_FALSE(store_->FindSession(hostile, now).value());
  EXPECT_FALSE(store_->FindSystemByHubId(hostile).value());
  EXPECT_FALSE(store_->FindOrganisation(hostile).value());
  ASSERT_TRUE(store_->CreateOrganisation("Acme Software", 2));
  auto org = store_->CreateOrganisation("ACME software", 2);
  ASSERT_FALSE(org);  // names compare without regard to ASCII case
  EXPECT_EQ(org.error().code, "service.exists");
}

TEST_P(ServiceStoreTest, SystemsAreKeptAndUpdated) {
  SystemRecord b = systems_[1];
  b.agencies = {"000.00.00.H53", "000.00.00.G22"};
  b.capabilities = {"receive", "send"};
  b.webhook = "http://ci.example/hook";
  ASSERT_TRUE(store_->UpdateSystem(b));
  ASSERT_TRUE(store_->SetHubSecret(b.id, "rotated"));
  auto read = store_->FindSystemByHubId("hub-B");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->agencies, b.agencies);
  EXPECT_EQ((*read)->capabilities, b.capabilities);
  EXPECT_EQ((*read)->webhook, "http://ci.example/hook");
  EXPECT_EQ((*read)->hub_secret, "rotated");
  SystemRecord twice = systems_[0];
  twice.hub_id = "another";
  auto clash = store_->CreateSystem(twice);
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, "service.exists");
  EXPECT_EQ(store_->Systems(org_.id)->size(), 3u);
  EXPECT_EQ(store_->Systems(0)->size(), 3u);
}

TEST_P(ServiceStoreTest, OneRunUnderWayPerSystemAndClaimsInOrder) {
  RunRow a = Queue(systems_[0]);
  EXPECT_EQ(a.status, "queued");
  RunRow row = a;
  auto busy = store_->CreateRun(row, std::nullopt);
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code, "service.busy");
  RunRow b = Queue(systems_[1]);
  auto first = store_->ClaimRun("w1", "http://127.0.0.1:1", 100, 1000);
  ASSERT_TRUE(first && *first) << (first ? "none" : first.error().message);
  EXPECT_EQ((*first)->id, a.id);
  EXPECT_EQ((*first)->status, "running");
  EXPECT_EQ((*first)->worker, "w1");
  EXPECT_EQ((*first)->worker_url, "http://127.0.0.1:1");
  EXPECT_EQ((*first)->request, R"({"plan":"self-test","only":["SANITY-*"]})");
  auto running = store_->RunningRunOf("hub-A");
  ASSERT_TRUE(running && *running);
  EXPECT_EQ((*running)->worker, "w1");
  EXPECT_FALSE(store_->RunningRunOf("hub-B").value());  // queued, not running
  auto second = store_->ClaimRun("w2", "http://127.0.0.1:2", 100, 1000);
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->id, b.id);
  EXPECT_FALSE(store_->ClaimRun("w2", "u", 100, 1000).value());  // the queue is empty
  // Still under way: a second run of the system is refused until the first finishes.
  EXPECT_EQ(store_->CreateRun(row, std::nullopt).error().code, "service.busy");
  ASSERT_TRUE(store_->FinishRun(a.id, "PASS", 0, "all passed", 200));
  EXPECT_TRUE(store_->CreateRun(row, std::nullopt));
}

// A run created with its audit line: both, with the line naming the new run, or neither.
TEST_P(ServiceStoreTest, ARunAndItsAuditLineAreWrittenTogether) {
  auto row_of = [&](const SystemRecord& system, std::string plan, Millis at) {
    return RunRow{.system_id = system.id,
                  .organisation_id = org_.id,
                  .started_by = user_.id,
                  .plan = plan,
                  .profile = plan == "certification" ? "certification" : "demo",
                  .started = at,
                  .request = R"({"plan":")" + plan + R"("})"};
  };
  RunRow row = row_of(systems_[0], "certification", 10);
  AuditEntry line{.at = 10, .user_id = user_.id, .action = "certification run started"};
  line.detail = "eOffice (Acme 5.2.1)";
  auto made = store_->CreateRun(row, line);
  ASSERT_TRUE(made) << made.error().message;
  auto log = store_->AuditLog(made->id, 10);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(log->front().run_id, made->id);
  EXPECT_EQ(log->front().action, "certification run started");
  EXPECT_EQ(log->front().detail, "eOffice (Acme 5.2.1)");
  // The system is busy: no second run, and no line for it either.
  auto busy = store_->CreateRun(row, line);
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code, "service.busy");
  EXPECT_EQ(store_->AuditLog(0, 10)->size(), 1u);
  // A line the log cannot take (no such user): no run either, and the system stays free.
  AuditEntry orphan = line;
  orphan.user_id = 999'999;
  auto refused = store_->CreateRun(row_of(systems_[1], "certification", 11), orphan);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "service.store") << refused.error().message;
  EXPECT_EQ(store_->Runs(org_.id, 10)->size(), 1u);
  EXPECT_EQ(store_->AuditLog(0, 10)->size(), 1u);
  EXPECT_TRUE(store_->CreateRun(row_of(systems_[1], "self-test", 12), std::nullopt));
}

TEST_P(ServiceStoreTest, LeasesRenewCarryCancellationsAndTheFirstCloseStands) {
  RunRow a = Queue(systems_[0]);
  RunRow b = Queue(systems_[1]);
  RunRow c = Queue(systems_[2]);
  ASSERT_TRUE(store_->ClaimRun("w1", "u1", 100, 1000).value());
  ASSERT_TRUE(store_->ClaimRun("w1", "u1", 100, 1000).value());
  // Cancelling a queued run finishes it at once; a running one is told at its next renewal.
  EXPECT_TRUE(store_->CancelRun(c.id, "cancelled before it started", 150).value());
  auto queued = store_->GetRun(c.id);
  EXPECT_EQ((*queued)->status, "finished");
  EXPECT_EQ((*queued)->verdict, "INCOMPLETE");
  EXPECT_EQ((*queued)->summary, "cancelled before it started");
  EXPECT_FALSE(store_->CancelRun(c.id, "again", 151).value());  // over
  EXPECT_TRUE(store_->CancelRun(b.id, "", 160).value());
  auto held = store_->RenewLeases("w1", 2000);
  ASSERT_TRUE(held);
  ASSERT_EQ(held->size(), 2u);
  std::map<std::int64_t, bool> cancel;
  for (const auto& h : *held) cancel[h.run_id] = h.cancel;
  EXPECT_FALSE(cancel[a.id]);
  EXPECT_TRUE(cancel[b.id]);
  EXPECT_TRUE(store_->RenewLeases("w2", 2000)->empty());  // another worker holds none
  // Closed by someone else (cancelled while queued, or its lease ran out): that close stands.
  ASSERT_TRUE(store_->FinishRun(c.id, "PASS", 0, "a late verdict", 300));
  EXPECT_EQ((*store_->GetRun(c.id))->verdict, "INCOMPLETE");
}

TEST_P(ServiceStoreTest, RunsOfALostWorkerAreClosedIncomplete) {
  RunRow a = Queue(systems_[0]);
  RunRow b = Queue(systems_[1]);
  ASSERT_TRUE(store_->ClaimRun("lost", "u1", 100, 1000).value());
  ASSERT_TRUE(store_->ClaimRun("alive", "u2", 100, 1000).value());
  ASSERT_TRUE(store_->RenewLeases("alive", 5000));
  auto closed = store_->CloseAbandonedRuns("its worker was lost", 3000);
  ASSERT_TRUE(closed);
  auto ra = store_->GetRun(a.id), rb = store_->GetRun(b.id);
  if (GetParam() == "postgres") {
    // Shared: only the run whose lease ran out; the live worker's run goes on.
    EXPECT_EQ(*closed, 1);
    EXPECT_EQ((*rb)->status, "running");
  } else {
    // One process's store: whatever is running was left by the process before.
    EXPECT_EQ(*closed, 2);
    EXPECT_EQ((*rb)->status, "finished");
  }
  EXPECT_EQ((*ra)->status, "finished");
  EXPECT_EQ((*ra)->verdict, "INCOMPLETE");
  EXPECT_EQ((*ra)->exit_code, 4);
  EXPECT_EQ((*ra)->summary, "its worker was lost");
  EXPECT_EQ((*ra)->finished, 3000);
}

// Several workers claiming from several openings of one database at once: every queued run is
// taken exactly once.
TEST_P(ServiceStoreTest, ConcurrentClaimsTakeEachRunOnce) {
  constexpr int kRuns = 40;
  std::vector<SystemRecord> many;
  for (int i = 0; i < kRuns; ++i) {
    SystemRecord s = systems_[0];
    s.name = "system " + std::to_string(i);
    s.hub_id = "many-" + std::to_string(i);
    many.push_back(*store_->CreateSystem(s));
    Queue(many.back());
  }
  std::vector<std::unique_ptr<ServiceStore>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(Open());
  std::mutex mu;
  std::multiset<std::int64_t> taken;
  std::map<std::string, int> by_worker;
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      const std::string name = "w" + std::to_string(w);
      for (;;) {
        auto r = stores[w]->ClaimRun(name, "u", 100, 100000);
        if (!r) {
          ++errors;  // SQLite: a busy database is retried by its timeout; never expected
          continue;
        }
        if (!*r) return;
        std::lock_guard lock(mu);
        taken.insert((*r)->id);
        ++by_worker[name];
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(taken.size(), static_cast<size_t>(kRuns));
  EXPECT_EQ(std::set<std::int64_t>(taken.begin(), taken.end()).size(), static_cast<size_t>(kRuns));
  int held = 0;
  for (const auto& [name, n] : by_worker)
    held += static_cast<int>(store_->RenewLeases(name, 1)->size());
  EXPECT_EQ(held, kRuns);  // each run held by the one worker that took it
}

TEST_P(ServiceStoreTest, FeedsAnswersAndFilesAreKeptForEveryInstance) {
  RunRow a = Queue(systems_[0]);
  std::vector<StoredEvent> events;
  for (std::uint64_t i = 1; i <= 5; ++i) {
    events.push_back({i, i == 5 ? "end" : "progress",
                      R"({"line":"bước \"số\" )" + std::to_string(i) + R"( \\ xong"})"});
  }
  ASSERT_TRUE(store_->AppendRunEvents(a.id, {events.begin(), events.begin() + 3}));
  ASSERT_TRUE(store_->AppendRunEvents(a.id, {events.begin() + 3, events.end()}));
  auto other = Open();
  auto read = other->RunEvents(a.id, 1, 3);
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->size(), 3u);
  EXPECT_EQ(read->at(0).id, 2u);
  EXPECT_EQ(read->at(0).data, events[1].data);  // quotes and backslashes as they were
  EXPECT_EQ(other->RunEvents(a.id, 4, 100)->back().type, "end");
  EXPECT_TRUE(other->RunEvents(a.id, 5, 100)->empty());
  ASSERT_FALSE(store_->AppendRunEvents(a.id, {events[0]}));  // a number is kept once

  ASSERT_TRUE(store_->AddAnswer(a.id, 2, "cannot", "an@vendor.vn", 10));
  ASSERT_TRUE(other->AddAnswer(a.id, 1, "done", "binh@vendor.vn", 11));
  auto twice = other->AddAnswer(a.id, 2, "done", "binh@vendor.vn", 12);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "service.exists");
  auto answers = store_->Answers(a.id, 0);
  ASSERT_TRUE(answers);
  ASSERT_EQ(answers->size(), 2u);
  EXPECT_EQ(answers->at(0).number, 1);
  EXPECT_EQ(answers->at(1).answer, "cannot");
  EXPECT_EQ(answers->at(1).by, "an@vendor.vn");
  EXPECT_EQ(store_->Answers(a.id, 1)->size(), 1u);

  const std::string pdf("%PDF\0\xff\x01 bytes", 13);
  ASSERT_TRUE(store_->PutRunFiles(a.id, {{"index.html", "<html>"}, {"evidence/x.bin", pdf}}));
  ASSERT_TRUE(store_->PutRunFiles(a.id, {{"index.html", "<html>2"}, {"evidence/x.bin", pdf}}));
  auto files = other->RunFiles(a.id);
  ASSERT_TRUE(files);
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ(files->at(0).path, "evidence/x.bin");
  EXPECT_EQ(files->at(0).bytes, pdf);  // bytes, NULs included
  EXPECT_EQ(files->at(1).bytes, "<html>2");
  EXPECT_TRUE(other->RunFiles(a.id + 1)->empty());
}

TEST_P(ServiceStoreTest, CertificationRecordsAreFinalAndAudited) {
  RunRow run = Queue(systems_[0]);
  ASSERT_TRUE(store_->FinishRun(run.id, "FAIL", 1, "", 5));
  const std::int64_t who = user_.id;
  ASSERT_TRUE(store_->AddWaiver({run.id, "HUB-SLOW", "not in production", who, "", 10}));
  EXPECT_EQ(store_->AddWaiver({run.id, "HUB-SLOW", "twice", who, "", 11}).error().code,
            "service.exists");
  auto failed = store_->Decide(
      {run.id, std::string(kCertified), "", who, "", 20},
      [](std::int64_t) -> Result<CertificateRecord> { return MakeError("signing.key", "no key"); });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "signing.key");
  EXPECT_FALSE(store_->GetDecision(run.id)->has_value());  // nothing of it stayed
  auto issued = store_->Decide({run.id, std::string(kCertified), "fine", who, "", 30},
                               [&](std::int64_t id) -> Result<CertificateRecord> {
                                 CertificateRecord c;
                                 c.system_id = systems_[0].id;
                                 c.organisation_id = org_.id;
                                 c.json = "{\"id\":" + std::to_string(id) + "}";
                                 c.signature = "sig";
                                 c.pdf = std::string("%PDF\0\x01", 6);
                                 return c;
                               });
  ASSERT_TRUE(issued && *issued) << (issued ? "none" : issued.error().message);
  const std::int64_t id = (*issued)->id;
  auto cert = store_->GetCertificate(id);
  ASSERT_TRUE(cert && *cert);
  EXPECT_EQ((*cert)->json, "{\"id\":" + std::to_string(id) + "}");
  EXPECT_EQ((*cert)->pdf, std::string("%PDF\0\x01", 6));
  EXPECT_EQ(
      store_->Decide({run.id, std::string(kNotCertified), "", who, "", 31}, nullptr).error().code,
      "service.exists");
  ASSERT_TRUE(store_->RevokeCertificate(id, "found later", who, 50).value());
  EXPECT_EQ(store_->RevokeCertificate(id, "again", who, 51).error().code, "service.exists");
  EXPECT_EQ(store_->Certificates()->front().revoked_by, "an@vendor.vn");
  std::vector<std::string> actions;
  auto log = store_->AuditLog(run.id, 100);
  ASSERT_TRUE(log);
  for (const AuditEntry& e : *log) actions.push_back(e.action);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"waiver", "decision", "certificate issued", "revoked"}));
  if (GetParam() == "postgres") {
    // The database refuses edits of what is final, whoever connects to it.
    auto c = pg::Connect(place_, "test");
    ASSERT_TRUE(c);
    for (const char* sql : {"UPDATE audit SET detail = 'x'", "DELETE FROM audit",
                            "DELETE FROM waivers", "UPDATE decisions SET comments = 'x'",
                            "UPDATE certificates SET json = 'x'", "DELETE FROM certificates"}) {
      auto r = (*c)->Exec(sql, {}, "test");
      ASSERT_FALSE(r) << sql;
      EXPECT_NE(r.error().message.find("final") + r.error().message.find("append-only"),
                2 * std::string::npos)
          << sql << ": " << r.error().message;
    }
  }
}

}  // namespace
}  // namespace vxp::service
