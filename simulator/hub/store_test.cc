// Tests of the hub's stores, each run on SQLite and on PostgreSQL (a server of the test's own,
// pg::LocalServer): systems, the directory, fan-out submissions, pending lists, acknowledgements,
// sent lists, durability across reopening, and concurrent writers. Then what only a shared store
// promises: two stores on one PostgreSQL database see one set of mailboxes, the first
// acknowledgement wins wherever it arrives, and a signed request is stored once whichever
// instance it reaches. And what only the SQLite store does: it syncs its group commits itself,
// pipelined, and promises nothing before its sync (with syncs the test holds back or fails).
#include "simulator/hub/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "storage/postgres.h"
#include "storage/postgres_testing.h"
#include "storage/sqlite.h"

namespace vxp::hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A new, empty place for a store of the test's backend: a SQLite file in a directory of its own,
// or a PostgreSQL database of its own.
std::string NewPlace(const std::string& backend) {
  static int n = 0;
  ++n;
  if (backend == "postgres") return pg::NewTestDatabase("hub");
  auto dir = std::filesystem::temp_directory_path() /
             ("vxp_store_test_" + std::to_string(getpid()) + "_" + std::to_string(n));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "hub.db").string();
}

std::unique_ptr<Store> Open(const std::string& place, std::int64_t first_doc_id = 0) {
  auto s = OpenStore(place, first_doc_id);
  EXPECT_TRUE(s) << s.error().message;
  if (!s) throw std::runtime_error("no store");
  return std::move(*s);
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  ~StoreTest() override {
    for (const std::string& p : places_) {
      if (!pg::IsUrl(p)) std::filesystem::remove_all(std::filesystem::path(p).parent_path());
    }
  }
  std::string Place() { return places_.emplace_back(NewPlace(GetParam())); }
  std::unique_ptr<Store> Fresh(std::int64_t first_doc_id = 0) {
    return Open(Place(), first_doc_id);
  }

 private:
  std::vector<std::string> places_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

Agency A(std::int64_t id, std::string code, std::string system) {
  Agency a;
  a.id = id;
  a.code = std::move(code);
  a.name = "Agency " + a.code;
  a.system_id = std::move(system);
  return a;
}

std::vector<std::int64_t> DocIds(const std::vector<Delivery>& ds) {
  std::vector<std::int64_t> out;
  for (const Delivery& d : ds) out.push_back(d.doc_id);
  return out;
}

TEST_P(StoreTest, SystemsAndDirectory) {
  auto s = Fresh();
  ASSERT_TRUE(s->PutSystem({"00.53.W00", "secret"}));
  EXPECT_EQ((*s->GetSystem("00.53.W00"))->secret, "secret");
  EXPECT_FALSE(*s->GetSystem("nope"));
  // Every read below follows a read of the same row: what a write changed is read back, never
  // what was read before it (the SQLite store keeps systems and agencies in memory).
  ASSERT_TRUE(s->PutSystem({"00.53.W00", "rotated"}));
  EXPECT_EQ((*s->GetSystem("00.53.W00"))->secret, "rotated");
  EXPECT_TRUE(*s->AddAgency(A(1, "000.00.00.H53", "00.53.W00")));
  EXPECT_FALSE(*s->AddAgency(A(1, "000.00.00.H53", "other")));  // exists
  EXPECT_EQ((*s->GetAgency("000.00.00.H53"))->system_id, "00.53.W00");
  EXPECT_TRUE(*s->AddAgency(A(2, "000.00.00.G22", "")));
  EXPECT_EQ((*s->GetAgency("000.00.00.G22"))->system_id, "");
  EXPECT_TRUE(*s->AssignAgency("000.00.00.G22", "00.22.W00"));
  EXPECT_FALSE(*s->AssignAgency("000.00.00.X99", "00.22.W00"));
  EXPECT_EQ((*s->GetAgency("000.00.00.G22"))->system_id, "00.22.W00");
  EXPECT_EQ(s->Agencies()->size(), 2u);
  EXPECT_TRUE(*s->DeleteAgency("000.00.00.G22", 5));
  EXPECT_FALSE(*s->DeleteAgency("000.00.00.G22", 6));
  EXPECT_FALSE(*s->GetAgency("000.00.00.G22"));
  EXPECT_EQ(s->Agencies()->size(), 1u);
  EXPECT_EQ(s->Agencies(true)->size(), 2u);
  EXPECT_TRUE(*s->AddAgency(A(2, "000.00.00.G22", "00.23.W00")));  // re-registration
  EXPECT_EQ((*s->GetAgency("000.00.00.G22"))->system_id, "00.23.W00");
}

// Seeding a directory adds what is not listed, keeps what is (under its own name and system), and
// registers a deleted unit again; on PostgreSQL in chunks of a thousand, so 2,500 cross two.
TEST_P(StoreTest, SeedingAddsWhatIsMissingAndKeepsWhatIsListed) {
  auto s = Fresh();
  ASSERT_TRUE(*s->AddAgency(A(1, "000.00.00.H53", "kept.system")));
  ASSERT_TRUE(*s->AddAgency(A(2, "000.00.00.G22", "")));
  ASSERT_TRUE(*s->DeleteAgency("000.00.00.G22", 5));
  std::vector<Agency> seed;
  for (int i = 1; i <= 2500; ++i) {
    seed.push_back(A(10 + i, "000.00." + std::to_string(i % 100) + ".X" + std::to_string(i), "s"));
  }
  seed.push_back(A(1, "000.00.00.H53", "other.system"));
  seed.push_back(A(2, "000.00.00.G22", "new.system"));
  auto added = s->SeedAgencies(seed);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, 2501u);  // 2,500 new and the deleted one again
  EXPECT_EQ((*s->GetAgency("000.00.00.H53"))->system_id, "kept.system");
  EXPECT_EQ((*s->GetAgency("000.00.00.G22"))->system_id, "new.system");
  EXPECT_EQ(s->Agencies()->size(), 2502u);
  EXPECT_EQ(*s->SeedAgencies(seed), 0u);  // again: nothing to add
}

// A store opened to number from a floor hands out no DocId below it, senders' or recipients'.
TEST_P(StoreTest, DocIdsStartAtTheFloorGiven) {
  std::string place = Place();
  auto s = Open(place, 7'000'000'001);
  std::vector<std::int64_t> ids;
  auto sender = s->Submit({"00.22.W00", "000.00.00.G22", "edoc", "t", "n", "<edXML/>"},
                          {{"000.00.00.H53", "00.53.W00", ""}}, 100, &ids);
  ASSERT_TRUE(sender) << sender.error().message;
  EXPECT_EQ(*sender, 7'000'000'001);
  EXPECT_THAT(ids, ElementsAre(7'000'000'001));
  EXPECT_EQ(*Fresh()->Submit({"00.22.W00", "000.00.00.G22", "edoc", "t", "n", "<edXML/>"},
                             {{"000.00.00.H53", "00.53.W00", ""}}, 100, &ids),
            1);  // without a floor: from 1
  // Opened again with a lower floor: the numbering goes on, never back.
  s = Open(place, 5);
  EXPECT_EQ(*s->Submit({"00.22.W00", "000.00.00.G22", "edoc", "t", "n", "<edXML/>"},
                       {{"000.00.00.H53", "00.53.W00", ""}}, 100, &ids),
            7'000'000'002);
}

TEST_P(StoreTest, FanOutPendingFetchAcknowledge) {
  auto s = Fresh();
  Submission sub{"00.22.W00",   "000.00.00.G22",  "edoc",
                 "V/v kết nối", "7816/VPCP-TTĐT", "<edXML>package</edXML>"};
  std::vector<std::int64_t> ids;
  auto sender_doc_id = s->Submit(sub,
                                 {{"000.00.00.H53", "00.53.W00", ""},
                                  {"000.00.00.H41", "00.41.W00", "<edXML>relayed</edXML>"},
                                  {"000.00.00.H01", "00.53.W00", ""}},
                                 100, &ids);
  ASSERT_TRUE(sender_doc_id);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_THAT(DocIds(*s->Pending("00.53.W00", "edoc")), ElementsAre(ids[0], ids[2]));
  EXPECT_THAT(*s->Pending("00.53.W00", "status"), IsEmpty());

  auto fetched = *s->Fetch(ids[1], "00.41.W00");
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->second, "<edXML>relayed</edXML>");
  EXPECT_EQ(fetched->first.sender_doc_id, *sender_doc_id);
  EXPECT_EQ(fetched->first.fetches, 1);
  EXPECT_EQ((*s->Fetch(ids[0], "00.53.W00"))->second, "<edXML>package</edXML>");
  EXPECT_FALSE(*s->Fetch(ids[0], "00.41.W00"));  // not addressed to that system

  EXPECT_TRUE(s->SetStatus(ids[0], "00.53.W00", "done", "", 200)->changed);
  EXPECT_FALSE(s->SetStatus(ids[0], "00.41.W00", "done", "", 200)->found);
  // Final: neither processing nor fail after done is written; done stays done.
  auto again = s->SetStatus(ids[0], "00.53.W00", "processing", "", 205);
  EXPECT_TRUE(again->found);
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->previous, "done");
  EXPECT_FALSE(s->SetStatus(ids[0], "00.53.W00", "fail", "", 206)->changed);
  EXPECT_THAT(DocIds(*s->Pending("00.53.W00", "edoc")), ElementsAre(ids[2]));
  EXPECT_TRUE(s->SetStatus(ids[2], "00.53.W00", "processing", "", 210)->changed);
  EXPECT_THAT(DocIds(*s->Pending("00.53.W00", "edoc")), ElementsAre(ids[2]));  // still pending

  std::vector<Delivery> sent = *s->Sent("00.22.W00", "edoc", std::nullopt);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].status, "done");
  EXPECT_EQ(sent[0].updated, 200);
  EXPECT_EQ(sent[1].status, "pending");
  EXPECT_EQ(sent[0].title, "V/v kết nối");
  EXPECT_EQ(s->Sent("00.22.W00", "edoc", *sender_doc_id + 1)->size(), 0u);
}

TEST_P(StoreTest, AcknowledgedSubmissionsSurviveReopening) {
  std::string path = Place();
  std::vector<std::int64_t> ids;
  {
    auto s = Open(path);
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(s->Submit({"sys", "000.00.00.G22", "edoc", "t", "n", std::to_string(i)},
                            {{"000.00.00.H53", "dst", ""}}, i, &ids));
    }
  }
  auto s = Open(path);
  EXPECT_EQ(s->Pending("dst", "edoc")->size(), 20u);
}

// Concurrent writers share group commits: each caller must get back its own DocIds and see its
// own status change, and everything acknowledged must be there after reopening.
TEST_P(StoreTest, ConcurrentWritesCommitTogetherAndEachCallerGetsItsOwn) {
  std::string path = Place();
  constexpr int kThreads = 8, kEach = 40;
  std::vector<std::vector<std::int64_t>> delivered(kThreads);
  {
    auto s = Open(path);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::string dst = "dst" + std::to_string(t);
        for (int i = 0; i < kEach; ++i) {
          std::string package = "package " + std::to_string(t) + "/" + std::to_string(i);
          std::vector<std::int64_t> ids;
          auto sender = s->Submit({"sys", "000.00.00.G22", "edoc", "t", "n", package},
                                  {{"000.00.00.H53", dst, ""}}, i, &ids);
          if (!sender || ids.size() != 1) {
            ++failures;
            continue;
          }
          auto fetched = s->Fetch(ids[0], dst);
          if (!fetched || !*fetched || (*fetched)->second != package ||
              (*fetched)->first.sender_doc_id != *sender) {
            ++failures;  // another caller's DocId, or nothing
          }
          if (i % 2 == 0) {
            auto update = s->SetStatus(ids[0], dst, "done", "", i);
            if (!update || !update->changed || update->previous != "pending") ++failures;
          } else {
            delivered[t].push_back(ids[0]);
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures, 0);
  }
  auto s = Open(path);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(DocIds(*s->Pending("dst" + std::to_string(t), "edoc")), delivered[t]) << t;
  }
}

TEST(Store, UnopenableFileIsANamedError) {
  auto s = OpenSqliteStore("/nonexistent-dir/hub.db");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.open");
  EXPECT_THAT(s.error().message, ::testing::HasSubstr("/nonexistent-dir/hub.db"));
}

// The `hold` syncs from the `first_held`th on are held back until the test lets go; the syncs
// begun are counted.
struct HeldSync {
  std::mutex mu;
  std::condition_variable cv;
  int first_held = 1;
  int hold = 2;
  int begun = 0;
  bool released = false;
  WalSync Fn() {
    return [this](int fd) {
      std::unique_lock lock(mu);
      ++begun;
      bool held = begun >= first_held && begun < first_held + hold;
      cv.notify_all();
      if (held) cv.wait(lock, [&] { return released; });
      return ::fdatasync(fd) == 0 ? 0 : errno;
    };
  }
  bool WaitBegun(int n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(20), [&] { return begun >= n; });
  }
  void Release() {
    std::lock_guard lock(mu);
    released = true;
    cv.notify_all();
  }
};

// Group commits are pipelined: a group's statements run while the group before it waits for the
// disk, and a delivery is listed, fetched, acknowledged or reported to its sender only once its
// group's sync is done.
TEST(SqliteStore, ADeliveryIsPromisedToNobodyBeforeItsGroupIsOnDisk) {
  std::string path = NewPlace("sqlite");
  HeldSync held;
  auto s = OpenSqliteStore(path, 0, held.Fn());
  ASSERT_TRUE(s) << s.error().message;
  Store& store = **s;
  std::vector<std::int64_t> first_ids, second_ids;
  std::thread first([&] {
    EXPECT_TRUE(store.Submit({"sys", "000.00.00.G22", "edoc", "t", "n", "one"},
                             {{"000.00.00.H53", "dst", ""}}, 1, &first_ids));
  });
  ASSERT_TRUE(held.WaitBegun(1));  // the first group has committed and waits for the disk
  std::thread second([&] {
    EXPECT_TRUE(store.Submit({"sys", "000.00.00.G22", "edoc", "t", "n", "two"},
                             {{"000.00.00.H53", "dst", ""}}, 2, &second_ids));
  });
  // The second group commits while the first is still held: it reaches its own sync.
  ASSERT_TRUE(held.WaitBegun(2));
  EXPECT_THAT(*store.Pending("dst", "edoc"), IsEmpty());
  EXPECT_THAT(*store.Sent("sys", "edoc", std::nullopt), IsEmpty());
  for (std::int64_t doc_id : {1, 2}) {  // the ids the two deliveries were given
    EXPECT_EQ(*store.Fetch(doc_id, "dst"), std::nullopt) << doc_id;  // a fetch is not synced
  }
  EXPECT_FALSE(store.SetStatus(2, "dst", "done", "", 3)->found);
  // That acknowledgement's own group was synced (the third sync, not held), and a sync covers
  // every frame written before it: both deliveries are on disk now, their groups' syncs or not.
  EXPECT_THAT(DocIds(*store.Pending("dst", "edoc")), ElementsAre(1, 2));
  held.Release();
  first.join();
  second.join();
  ASSERT_EQ(first_ids.size(), 1u);
  ASSERT_EQ(second_ids.size(), 1u);
  EXPECT_THAT(DocIds(*store.Pending("dst", "edoc")), ElementsAre(first_ids[0], second_ids[0]));
  auto fetched = store.Fetch(first_ids[0], "dst");
  ASSERT_TRUE(fetched && *fetched);
  EXPECT_EQ((*fetched)->second, "one");
  s->reset();
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

// A fetch promises nothing new (it reads only deliveries already on disk): grouped with a
// submission, it is answered at the group's commit, while the submission waits for the sync.
TEST(SqliteStore, AFetchDoesNotWaitForTheSyncOfASubmissionGroupedWithIt) {
  std::string path = NewPlace("sqlite");
  HeldSync held;
  // Every sync after the first is held: the two groups that follow sync in either order.
  held.first_held = 2;
  held.hold = 2;
  auto s = OpenSqliteStore(path, 0, held.Fn());
  ASSERT_TRUE(s) << s.error().message;
  Store& store = **s;
  std::vector<std::int64_t> ids;
  ASSERT_TRUE(store.Submit({"sys", "000.00.00.G22", "edoc", "t", "n", "one"},
                           {{"000.00.00.H53", "dst", ""}}, 1, &ids));
  ASSERT_EQ(ids.size(), 1u);
  // Another connection holds the write lock, so the next group's leader waits inside its
  // transaction, and the two calls made meanwhile form the group after it.
  auto blocker_db = sqlite::Open(path, "test");
  ASSERT_TRUE(blocker_db);
  sqlite::Connection blocker(*blocker_db);
  ASSERT_TRUE(blocker.Exec("BEGIN IMMEDIATE"));
  std::vector<std::int64_t> leader_ids, submission_ids;
  std::thread leader([&] {
    EXPECT_TRUE(store.Submit({"sys", "000.00.00.G22", "edoc", "t", "n", "two"},
                             {{"000.00.00.H53", "dst", ""}}, 2, &leader_ids));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the leader waits for the lock
  std::atomic<bool> submitted{false};
  std::thread submission([&] {
    EXPECT_TRUE(store.Submit({"sys", "000.00.00.G22", "edoc", "t", "n", "three"},
                             {{"000.00.00.H53", "dst", ""}}, 3, &submission_ids));
    submitted = true;
  });
  // The submission is queued first, so it leads their group (and waits for its sync).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto fetch = std::async(std::launch::async, [&] { return store.Fetch(ids[0], "dst"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // both are queued
  EXPECT_TRUE(blocker.Exec("ROLLBACK"));
  EXPECT_TRUE(held.WaitBegun(3));  // both groups have committed; their syncs are held
  bool answered = fetch.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  EXPECT_TRUE(answered) << "the fetch waited for the submission's sync";
  EXPECT_FALSE(submitted) << "the submission was answered before its sync";
  held.Release();  // on every path: the threads and the fetch end
  leader.join();
  submission.join();
  EXPECT_TRUE(submitted);
  auto fetched = fetch.get();
  ASSERT_TRUE(fetched && *fetched) << (fetched ? "not found" : fetched.error().message);
  EXPECT_EQ((*fetched)->second, "one");
  s->reset();
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

// A sync the disk refuses fails its callers by name, and the store writes nothing more: what the
// kernel dropped can no longer be told from what is stable.
TEST(SqliteStore, AFailedSyncFailsItsCallersAndRefusesEveryLaterWrite) {
  std::string path = NewPlace("sqlite");
  std::atomic<bool> failing{false};
  auto s = OpenSqliteStore(path, 0, [&](int fd) { return failing ? EIO : ::fdatasync(fd); });
  ASSERT_TRUE(s) << s.error().message;
  Store& store = **s;
  std::vector<std::int64_t> ids;
  ASSERT_TRUE(store.Submit({"sys", "a", "edoc", "t", "n", "kept"}, {{"b", "dst", ""}}, 1, &ids));
  failing = true;
  auto lost = store.Submit({"sys", "a", "edoc", "t", "n", "lost"}, {{"b", "dst", ""}}, 2, &ids);
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, "store.write");
  EXPECT_THAT(lost.error().message, HasSubstr("fdatasync"));
  EXPECT_THAT(lost.error().message, HasSubstr("Input/output error"));
  failing = false;  // the disk answers again; the store still refuses
  auto later = store.PutSystem({"sys2", "secret"});
  ASSERT_FALSE(later);
  EXPECT_THAT(later.error().message, HasSubstr("accepts no more writes"));
  EXPECT_EQ(DocIds(*store.Pending("dst", "edoc")).size(), 1u);  // only what was synced
  s->reset();
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

// Two hub processes on one database: what one stores the other lists, fetches and acknowledges,
// and of two acknowledgements racing through both, exactly one is written.
TEST(SharedStore, TwoStoresOnOneDatabaseServeOneSetOfMailboxes) {
  std::string url = NewPlace("postgres");
  auto a = Open(url), b = Open(url);  // the second finds the schema migrated
  EXPECT_TRUE(a->Shared());
  ASSERT_TRUE(a->PutSystem({"00.53.W00", "s"}));
  EXPECT_EQ((*b->GetSystem("00.53.W00"))->secret, "s");
  std::vector<std::int64_t> from_a, from_b;
  ASSERT_TRUE(a->Submit({"00.22.W00", "000.00.00.G22", "edoc", "t", "n", "A"},
                        {{"000.00.00.H53", "00.53.W00", ""}}, 1, &from_a));
  ASSERT_TRUE(b->Submit({"00.22.W00", "000.00.00.G22", "edoc", "t", "n", "B"},
                        {{"000.00.00.H53", "00.53.W00", ""}}, 2, &from_b));
  EXPECT_NE(from_a[0], from_b[0]);  // one numbering for both
  EXPECT_THAT(DocIds(*a->Pending("00.53.W00", "edoc")), ElementsAre(from_a[0], from_b[0]));
  EXPECT_THAT(DocIds(*b->Pending("00.53.W00", "edoc")), ElementsAre(from_a[0], from_b[0]));
  EXPECT_EQ((*b->Fetch(from_a[0], "00.53.W00"))->second, "A");

  constexpr int kRounds = 20;
  int changed = 0;
  for (int i = 0; i < kRounds; ++i) {
    std::vector<std::int64_t> ids;
    ASSERT_TRUE(a->Submit({"00.22.W00", "000.00.00.G22", "edoc", "t", "n", "x"},
                          {{"000.00.00.H53", "00.53.W00", ""}}, 3, &ids));
    Store::StatusUpdate ua, ub;
    std::thread ta([&] { ua = *a->SetStatus(ids[0], "00.53.W00", "done", "a", 4); });
    std::thread tb([&] { ub = *b->SetStatus(ids[0], "00.53.W00", "fail", "b", 4); });
    ta.join();
    tb.join();
    EXPECT_NE(ua.changed, ub.changed) << i;  // one wins, the other finds it final
    const Store::StatusUpdate& loser = ua.changed ? ub : ua;
    EXPECT_EQ(loser.previous, ua.changed ? "done" : "fail") << i;
    changed += ua.changed + ub.changed;
  }
  EXPECT_EQ(changed, kRounds);
}

// The same signed sendEdoc reaching two instances at once (a retry racing its original) is
// stored once: one Submit succeeds, the other fails with store.repeated, and the key names the
// first DocId; there is one delivery, not two.
TEST(SharedStore, ASignedRequestIsStoredOnceWhicheverInstanceItReaches) {
  std::string url = NewPlace("postgres");
  auto a = Open(url), b = Open(url);
  for (int i = 0; i < 10; ++i) {
    std::string key = "00.22.W00\nhash" + std::to_string(i);
    Submission sub{"00.22.W00", "000.00.00.G22", "edoc", "t", "n", "package", key};
    Result<std::int64_t> ra, rb;
    std::vector<std::int64_t> ia, ib;
    std::thread ta([&] { ra = a->Submit(sub, {{"000.00.00.H53", "00.53.W00", ""}}, 1, &ia); });
    std::thread tb([&] { rb = b->Submit(sub, {{"000.00.00.H53", "00.53.W00", ""}}, 1, &ib); });
    ta.join();
    tb.join();
    ASSERT_NE(ra.has_value(), rb.has_value()) << i;
    const Result<std::int64_t>& won = ra ? ra : rb;
    const Result<std::int64_t>& lost = ra ? rb : ra;
    EXPECT_EQ(lost.error().code, "store.repeated");
    EXPECT_EQ(*a->SubmissionByKey(key), std::optional<std::int64_t>(*won));
  }
  EXPECT_EQ(a->Pending("00.53.W00", "edoc")->size(), 10u);
  EXPECT_EQ(*a->SubmissionByKey("never sent"), std::nullopt);
}

// The shared replay memory: signed headers one instance accepted are known to the other until they
// expire; forgotten ones (a refused request) may be judged again; of two stores remembering the
// same headers at once, exactly one does.
TEST(SharedStore, SignedRequestsAreRememberedForEveryInstance) {
  std::string url = NewPlace("postgres");
  auto a = Open(url), b = Open(url);
  EXPECT_EQ(*a->BeginRequest("k", "updateStatus", 100, 1), std::nullopt);
  EXPECT_EQ(*b->BeginRequest("k", "updateStatus", 100, 2), "updateStatus");
  EXPECT_EQ(*b->BeginRequest("k", "registerAgency", 100, 3), "updateStatus");
  ASSERT_TRUE(b->ForgetRequest("k"));
  EXPECT_EQ(*b->BeginRequest("k", "registerAgency", 100, 4), std::nullopt);
  EXPECT_EQ(*a->BeginRequest("k", "updateStatus", 300, 101), std::nullopt);  // expired: anew
  for (int i = 0; i < 20; ++i) {
    std::string key = "race" + std::to_string(i);
    Result<std::optional<std::string>> ra, rb;
    std::thread ta([&] { ra = a->BeginRequest(key, "updateStatus", 100, 1); });
    std::thread tb([&] { rb = b->BeginRequest(key, "updateStatus", 100, 1); });
    ta.join();
    tb.join();
    ASSERT_TRUE(ra && rb);
    EXPECT_NE(ra->has_value(), rb->has_value()) << i;  // one remembers it, the other finds it
  }
  // A store of one process shares nothing.
  auto sqlite = Open(NewPlace("sqlite"));
  EXPECT_FALSE(sqlite->Shared());
  EXPECT_EQ(*sqlite->BeginRequest("k", "updateStatus", 100, 1), std::nullopt);
  EXPECT_EQ(*sqlite->BeginRequest("k", "updateStatus", 100, 1), std::nullopt);
}

// What PostgreSQL cannot hold as text (a header a hostile client sent in Latin-1, a NUL) is
// found nowhere and stored nowhere, by name, not a database error.
TEST(SharedStore, BytesThatAreNotTextFindNothingAndAreRefusedByName) {
  auto s = Open(NewPlace("postgres"));
  EXPECT_EQ(*s->GetSystem("00.22.W00\xff"), std::nullopt);
  EXPECT_EQ(*s->GetSystem(std::string("a\0b", 3)), std::nullopt);
  EXPECT_THAT(*s->Pending("\xc3(", "edoc"), IsEmpty());
  auto put = s->PutSystem({"bad\xff", "x"});
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, "store.write");
  EXPECT_THAT(put.error().message, HasSubstr("not valid UTF-8"));
  std::vector<std::int64_t> ids;  // bytes, not text: a package may hold anything
  std::string package("\x00\xff<edXML/>", 10);
  ASSERT_TRUE(s->Submit({"sys", "G22", "edoc", "t", "n", package}, {{"H53", "dst", ""}}, 1, &ids));
  EXPECT_EQ((*s->Fetch(ids[0], "dst"))->second, package);
}

TEST(SharedStore, AnUnreachableDatabaseIsANamedErrorWithoutThePassword) {
  auto s = OpenStore("postgresql://hub:s3cret@/hub?host=/nonexistent-dir&port=5432");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.open");
  EXPECT_THAT(s.error().message, HasSubstr("postgresql://hub:***@/hub"));
  EXPECT_THAT(s.error().message, ::testing::Not(HasSubstr("s3cret")));
}

}  // namespace
}  // namespace vxp::hub
