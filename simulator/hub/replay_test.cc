#include "simulator/hub/replay.h"

#include <gtest/gtest.h>

#include <thread>

namespace vxp::hub {
namespace {

TEST(ReplayMemoryTest, RemembersUntilItsTimestampIsStale) {
  ReplayMemory memory(10);
  EXPECT_FALSE(memory.Find("s\nabc", 0));
  ASSERT_TRUE(memory.Begin("s\nabc", wire::Op::kSendEdoc, 1000, 0));
  EXPECT_FALSE(memory.Begin("s\nabc", wire::Op::kSendEdoc, 1000, 1));  // already there
  auto seen = memory.Find("s\nabc", 10);
  ASSERT_TRUE(seen);
  EXPECT_FALSE(seen->done);
  memory.Finish("s\nabc", "42");
  seen = memory.Find("s\nabc", 999);
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->done);
  EXPECT_EQ(seen->doc_id, "42");
  EXPECT_EQ(seen->op, wire::Op::kSendEdoc);
  EXPECT_FALSE(memory.Find("s\nabc", 1001));  // stale: the hub refuses it as 1007 anyway
  EXPECT_EQ(memory.size(), 0u);
}

TEST(ReplayMemoryTest, ForgetsARefusedRequest) {
  ReplayMemory memory(10);
  ASSERT_TRUE(memory.Begin("k", wire::Op::kUpdateStatus, 1000, 0));
  memory.Forget("k");
  EXPECT_FALSE(memory.Find("k", 1));
  EXPECT_TRUE(memory.Begin("k", wire::Op::kUpdateStatus, 1000, 2));
}

TEST(ReplayMemoryTest, WaitsUntilTheFirstIsSettled) {
  ReplayMemory memory(10);
  ASSERT_TRUE(memory.Begin("k", wire::Op::kSendEdoc, 1000, 0));
  std::thread first([&] { memory.Finish("k", "7"); });
  memory.WaitSettled("k", std::chrono::seconds(30));
  first.join();
  EXPECT_EQ(memory.Find("k", 1)->doc_id, "7");
}

TEST(ReplayMemoryTest, BoundedByCapacityForgettingTheFirstToExpire) {
  ReplayMemory memory(3);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(memory.Begin("k" + std::to_string(i), wire::Op::kGetEdoc, 100 + i, 0));
  }
  EXPECT_EQ(memory.size(), 3u);
  EXPECT_EQ(memory.evicted(), 2u);
  EXPECT_FALSE(memory.Find("k0", 1));
  EXPECT_FALSE(memory.Find("k1", 1));
  EXPECT_TRUE(memory.Find("k4", 1));
}

}  // namespace
}  // namespace vxp::hub
