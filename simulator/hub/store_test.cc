// Tests of the SQLite store: systems, the directory, fan-out submissions, pending lists,
// acknowledgements, sent lists, durability across reopening a file, and concurrent writers
// sharing group commits.
#include "simulator/hub/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace vxp::hub {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::unique_ptr<Store> Memory() {
  auto s = OpenSqliteStore(":memory:");
  EXPECT_TRUE(s) << s.error().message;
  return std::move(*s);
}

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

TEST(Store, SystemsAndDirectory) {
  auto s = Memory();
  ASSERT_TRUE(s->PutSystem({"00.53.W00", "secret"}));
  EXPECT_EQ((*s->GetSystem("00.53.W00"))->secret, "secret");
  EXPECT_FALSE(*s->GetSystem("nope"));
  EXPECT_TRUE(*s->AddAgency(A(1, "000.00.00.H53", "00.53.W00")));
  EXPECT_FALSE(*s->AddAgency(A(1, "000.00.00.H53", "other")));  // exists
  EXPECT_TRUE(*s->AddAgency(A(2, "000.00.00.G22", "")));
  EXPECT_TRUE(*s->AssignAgency("000.00.00.G22", "00.22.W00"));
  EXPECT_FALSE(*s->AssignAgency("000.00.00.X99", "00.22.W00"));
  EXPECT_EQ((*s->GetAgency("000.00.00.G22"))->system_id, "00.22.W00");
  EXPECT_EQ(s->Agencies()->size(), 2u);
  EXPECT_TRUE(*s->DeleteAgency("000.00.00.G22", 5));
  EXPECT_FALSE(*s->DeleteAgency("000.00.00.G22", 6));
  EXPECT_FALSE(*s->GetAgency("000.00.00.G22"));
  EXPECT_EQ(s->Agencies()->size(), 1u);
  EXPECT_EQ(s->Agencies(true)->size(), 2u);
  EXPECT_TRUE(*s->AddAgency(A(2, "000.00.00.G22", "00.22.W00")));  // re-registration
}

// A store opened to number from a floor hands out no DocId below it, senders' or recipients'.
TEST(Store, DocIdsStartAtTheFloorGiven) {
  auto s = OpenSqliteStore(":memory:", 7'000'000'001);
  ASSERT_TRUE(s) << s.error().message;
  std::vector<std::int64_t> ids;
  auto sender = (*s)->Submit({"00.22.W00", "000.00.00.G22", "edoc", "t", "n", "<edXML/>"},
                             {{"000.00.00.H53", "00.53.W00", ""}}, 100, &ids);
  ASSERT_TRUE(sender) << sender.error().message;
  EXPECT_EQ(*sender, 7'000'000'001);
  EXPECT_THAT(ids, ElementsAre(7'000'000'001));
  EXPECT_EQ(*Memory()->Submit({"00.22.W00", "000.00.00.G22", "edoc", "t", "n", "<edXML/>"},
                              {{"000.00.00.H53", "00.53.W00", ""}}, 100, &ids),
            1);  // without a floor: from 1
}

TEST(Store, FanOutPendingFetchAcknowledge) {
  auto s = Memory();
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

TEST(Store, AcknowledgedSubmissionsSurviveReopening) {
  auto dir = std::filesystem::temp_directory_path() / "vxp_store_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string path = (dir / "hub.db").string();
  std::vector<std::int64_t> ids;
  {
    auto s = std::move(*OpenSqliteStore(path));
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(s->Submit({"sys", "000.00.00.G22", "edoc", "t", "n", std::to_string(i)},
                            {{"000.00.00.H53", "dst", ""}}, i, &ids));
    }
  }
  auto s = std::move(*OpenSqliteStore(path));
  EXPECT_EQ(s->Pending("dst", "edoc")->size(), 20u);
  std::filesystem::remove_all(dir);
}

// Concurrent writers share group commits: each caller must get back its own DocIds and see its
// own status change, and everything acknowledged must be there after reopening.
TEST(Store, ConcurrentWritesCommitTogetherAndEachCallerGetsItsOwn) {
  auto dir = std::filesystem::temp_directory_path() / "vxp_store_group_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string path = (dir / "hub.db").string();
  constexpr int kThreads = 8, kEach = 40;
  std::vector<std::vector<std::int64_t>> delivered(kThreads);
  {
    auto s = std::move(*OpenSqliteStore(path));
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
  auto s = std::move(*OpenSqliteStore(path));
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(DocIds(*s->Pending("dst" + std::to_string(t), "edoc")), delivered[t]) << t;
  }
  std::filesystem::remove_all(dir);
}

TEST(Store, UnopenableFileIsANamedError) {
  auto s = OpenSqliteStore("/nonexistent-dir/hub.db");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.open");
  EXPECT_THAT(s.error().message, ::testing::HasSubstr("/nonexistent-dir/hub.db"));
}

}  // namespace
}  // namespace vxp::hub
