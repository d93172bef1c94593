#include "service/feed.h"

namespace vxp::service {

void RunFeed::Publish(const std::string& type, boost::json::object data) {
  std::lock_guard lock(mu_);
  if (ended_) return;
  if (type == "traffic") {
    if (traffic_ >= kMaxTraffic) {
      ++traffic_dropped_;
      return;
    }
    ++traffic_;
  } else if (other_++ >= kMaxOther) {
    return;
  }
  events_.push_back({events_.size() + 1, type, boost::json::serialize(data)});
}

void RunFeed::End(boost::json::object data) {
  std::lock_guard lock(mu_);
  if (ended_) return;
  data["traffic_not_shown"] = traffic_dropped_;
  events_.push_back({events_.size() + 1, "end", boost::json::serialize(data)});
  ended_ = true;
}

RunFeed::Page RunFeed::Since(std::uint64_t after, std::size_t max) const {
  std::lock_guard lock(mu_);
  Page page;
  std::size_t from = std::min<std::uint64_t>(after, events_.size());
  std::size_t to = std::min(events_.size(), from + max);
  page.events.assign(events_.begin() + from, events_.begin() + to);
  page.ended = ended_ && to == events_.size();
  return page;
}

bool RunFeed::ended() const {
  std::lock_guard lock(mu_);
  return ended_;
}

std::string FormatEvent(const FeedEvent& event) {
  return "id: " + std::to_string(event.id) + "\nevent: " + event.type + "\ndata: " + event.data +
         "\n\n";
}

FeedStream::FeedStream(std::shared_ptr<const FeedSource> feed, std::uint64_t after,
                       FeedStreamOptions options)
    : feed_(std::move(feed)), after_(after), options_(std::move(options)) {
  opened_ = last_ = options_.now();
}

wire::BodyStream::Piece FeedStream::Poll() {
  FeedPage page = feed_->Since(after_);
  Piece piece;
  auto now = options_.now();
  for (const FeedEvent& e : page.events) {
    piece.bytes += FormatEvent(e);
    after_ = e.id;
  }
  if (page.ended) {
    piece.end = true;
  } else if (!piece.bytes.empty()) {
    last_ = now;
  } else if (now - opened_ >= options_.lifetime) {
    piece.end = true;  // the browser comes back with Last-Event-ID
  } else if (now - last_ >= options_.heartbeat) {
    piece.bytes = ": keep-alive\n\n";  // a write that finds out whether the peer is still there
    last_ = now;
  }
  return piece;
}

}  // namespace vxp::service
