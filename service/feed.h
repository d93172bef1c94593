// The live feed of a run: what happens during it, in order, for the browser and for CI to follow
// as it happens (Server-Sent Events, FeedStream). Event types and their data (one JSON object):
//   progress  {"line"}                      the harness's progress lines (as `vxpkit run` prints)
//   scenario  {"id","title","verdict","reason","ms"}   a scenario's verdict as it lands
//   traffic   {"at","method","operation","status","code","in","out"}   a request of the system
//             under test to its hub and the hub's answer (at: Unix ms; in/out: body bytes)
//   prompt    {"number","text","deadline_ms","at"}    an operator prompt (no driver)
//   answer    {"number","answer","by","at"}   an operator's answer to a prompt in the browser
//   end       {"verdict","exit_code","summary","traffic_not_shown"}   the last event
// Bounded: at most kMaxTraffic traffic events are kept (the rest are counted in the end event)
// and kMaxOther events of the other kinds. Thread-safe.
#ifndef VXP_SERVICE_FEED_H_
#define VXP_SERVICE_FEED_H_

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/wire/http.h"

namespace vxp::service {

struct FeedEvent {
  std::uint64_t id = 0;  // 1, 2, … in order
  std::string type;
  std::string data;  // one line of JSON
};

// The events of a feed as a reader sees them: RunFeed in the process running the run, or the
// events a shared store keeps for every instance (service/runs.h).
struct FeedPage {
  std::vector<FeedEvent> events;
  bool ended = false;  // and `events` reach the end event
};
class FeedSource {
 public:
  virtual ~FeedSource() = default;
  // The events after the one numbered `after` (0: from the first), at most `max`.
  virtual FeedPage Since(std::uint64_t after, std::size_t max = 500) const = 0;
};

class RunFeed : public FeedSource {
 public:
  static constexpr std::size_t kMaxTraffic = 5000;
  static constexpr std::size_t kMaxOther = 20000;

  // Adds an event (ignored once the feed has ended, or over its kind's bound).
  void Publish(const std::string& type, boost::json::object data);
  // The last event; nothing is added after it.
  void End(boost::json::object data);

  using Page = FeedPage;
  Page Since(std::uint64_t after, std::size_t max = 500) const override;
  bool ended() const;

 private:
  mutable std::mutex mu_;
  std::vector<FeedEvent> events_;
  std::size_t traffic_ = 0, other_ = 0, traffic_dropped_ = 0;
  bool ended_ = false;
};

// One event as Server-Sent Events text: "id: N\nevent: TYPE\ndata: JSON\n\n".
std::string FormatEvent(const FeedEvent& event);

struct FeedStreamOptions {
  std::chrono::milliseconds heartbeat{15'000};  // a comment after this long without an event
  std::chrono::milliseconds lifetime{300'000};  // then the stream ends; EventSource reconnects
  std::function<std::chrono::steady_clock::time_point()> now = std::chrono::steady_clock::now;
  std::shared_ptr<void> hold;  // released with the stream (the service counts open streams)
};

// A feed as a response body (text/event-stream) from the event after `after` (a reconnecting
// EventSource's Last-Event-ID): the events as they come, heartbeats while nothing does, ended
// with the feed (after its end event) or after `lifetime`.
class FeedStream : public wire::BodyStream {
 public:
  FeedStream(std::shared_ptr<const FeedSource> feed, std::uint64_t after,
             FeedStreamOptions options = {});
  Piece Poll() override;
  std::chrono::milliseconds poll_interval() const override {
    return std::chrono::milliseconds(200);
  }

 private:
  std::shared_ptr<const FeedSource> feed_;
  std::uint64_t after_;
  FeedStreamOptions options_;
  std::chrono::steady_clock::time_point opened_, last_;
};

}  // namespace vxp::service

#endif  // VXP_SERVICE_FEED_H_
