#include "simulator/hub/replay.h"

namespace vxp::hub {

void ReplayMemory::Expire(std::int64_t now) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first < now) {
    auto first = by_expiry_.begin();
    auto it = entries_.find(first->second);
    if (it != entries_.end() && it->second.until == first->first) entries_.erase(it);
    by_expiry_.erase(first);
  }
}

std::optional<ReplayMemory::Seen> ReplayMemory::Find(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mu_);
  Expire(now);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second.seen;
}

bool ReplayMemory::Begin(const std::string& key, wire::Op op, std::int64_t until,
                         std::int64_t now) {
  std::lock_guard lock(mu_);
  Expire(now);
  if (entries_.contains(key)) return false;
  while (!entries_.empty() && entries_.size() >= capacity_) {
    auto first = by_expiry_.begin();
    auto it = entries_.find(first->second);
    if (it != entries_.end() && it->second.until == first->first) {
      entries_.erase(it);
      ++evicted_;
    }
    by_expiry_.erase(first);
  }
  if (capacity_ == 0) return true;
  entries_.emplace(key, Entry{Seen{op, false, {}}, until});
  by_expiry_.emplace(until, key);
  return true;
}

void ReplayMemory::Finish(const std::string& key, std::string doc_id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  it->second.seen.done = true;
  it->second.seen.doc_id = std::move(doc_id);
  settled_.notify_all();
}

void ReplayMemory::WaitSettled(const std::string& key, std::chrono::milliseconds limit) {
  std::unique_lock lock(mu_);
  settled_.wait_for(lock, limit, [&] {
    auto it = entries_.find(key);
    return it == entries_.end() || it->second.seen.done;
  });
}

void ReplayMemory::Forget(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);  // its by_expiry_ entry goes when it expires (until no longer matches)
  settled_.notify_all();
}

size_t ReplayMemory::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::uint64_t ReplayMemory::evicted() const {
  std::lock_guard lock(mu_);
  return evicted_;
}

}  // namespace vxp::hub
