// A run's live feed and its Server-Sent Events form: events in order with their ids, resumed
// after a Last-Event-ID, heartbeats while nothing happens, an end after the end event or the
// stream's lifetime, and the bounds that keep a flood of traffic from growing without end.
#include "service/feed.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vxp::service {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Feed, EventsAreNumberedInOrderAndFormattedAsServerSentEvents) {
  RunFeed feed;
  feed.Publish("progress", {{"line", "[ 1/2] HUB-1: a"}});
  feed.Publish("scenario", {{"id", "HUB-1"}, {"verdict", "PASS"}});
  RunFeed::Page page = feed.Since(0);
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_FALSE(page.ended);
  EXPECT_EQ(page.events[1].id, 2u);
  EXPECT_EQ(FormatEvent(page.events[1]),
            "id: 2\nevent: scenario\ndata: {\"id\":\"HUB-1\",\"verdict\":\"PASS\"}\n\n");
  EXPECT_EQ(feed.Since(1).events.size(), 1u);  // resumed after the first
  EXPECT_TRUE(feed.Since(2).events.empty());
  feed.End({{"verdict", "PASS"}});
  feed.Publish("progress", {{"line", "too late"}});  // nothing after the end
  page = feed.Since(2);
  ASSERT_EQ(page.events.size(), 1u);
  EXPECT_EQ(page.events[0].type, "end");
  EXPECT_THAT(page.events[0].data, HasSubstr("\"traffic_not_shown\":0"));
  EXPECT_TRUE(page.ended);
}

TEST(Feed, TrafficOverItsBoundIsCountedNotKept) {
  RunFeed feed;
  for (std::size_t i = 0; i < RunFeed::kMaxTraffic + 7; ++i) {
    feed.Publish("traffic", {{"operation", "getPendingDocumentIds"}});
  }
  feed.Publish("scenario", {{"id", "HUB-1"}});  // other kinds still get in
  feed.End({});
  std::uint64_t n = 0;
  std::string last;
  for (RunFeed::Page page = feed.Since(0); !page.events.empty(); page = feed.Since(n)) {
    n = page.events.back().id;
    last = page.events.back().data;
  }
  EXPECT_EQ(n, RunFeed::kMaxTraffic + 2);
  EXPECT_THAT(last, HasSubstr("\"traffic_not_shown\":7"));
}

TEST(Feed, AStreamSendsWhatComesHeartbeatsAndEnds) {
  auto feed = std::make_shared<RunFeed>();
  auto now = std::chrono::steady_clock::time_point{};
  FeedStreamOptions o;
  o.heartbeat = std::chrono::seconds(15);
  o.lifetime = std::chrono::seconds(100);
  o.now = [&now] { return now; };
  feed->Publish("progress", {{"line", "one"}});
  feed->Publish("progress", {{"line", "two"}});
  FeedStream stream(feed, 1, o);  // the browser had event 1
  wire::BodyStream::Piece p = stream.Poll();
  EXPECT_THAT(p.bytes, Not(HasSubstr("one")));
  EXPECT_THAT(p.bytes, HasSubstr("id: 2\nevent: progress\ndata: {\"line\":\"two\"}\n\n"));
  EXPECT_FALSE(p.end);
  now += std::chrono::seconds(10);
  EXPECT_EQ(stream.Poll().bytes, "");  // nothing new, no heartbeat yet
  now += std::chrono::seconds(6);
  EXPECT_EQ(stream.Poll().bytes, ": keep-alive\n\n");
  EXPECT_EQ(stream.Poll().bytes, "");
  feed->End({{"verdict", "FAIL"}});
  p = stream.Poll();
  EXPECT_THAT(p.bytes, HasSubstr("event: end"));
  EXPECT_TRUE(p.end);

  // A client that says it has seen more than there is: the ended feed ends, with nothing.
  FeedStream beyond(feed, 99, o);
  p = beyond.Poll();
  EXPECT_TRUE(p.end);
  EXPECT_EQ(p.bytes, "");

  auto quiet = std::make_shared<RunFeed>();
  FeedStream old(quiet, 0, o);
  now += std::chrono::seconds(100);
  EXPECT_TRUE(old.Poll().end);  // after its lifetime: the browser reconnects
}

}  // namespace
}  // namespace vxp::service
