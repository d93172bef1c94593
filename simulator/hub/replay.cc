#include "simulator/hub/replay.h"

namespace vxp::hub {

void ReplayMemory::Erase(std::unordered_map<std::string, Entry>::iterator it) {
  by_expiry_.erase({it->second.until, std::string_view(it->first)});
  entries_.erase(it);
}

void ReplayMemory::Expire(std::int64_t now) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first < now) {
    Erase(entries_.find(std::string(by_expiry_.begin()->second)));
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
  if (capacity_ == 0) return true;
  while (entries_.size() >= capacity_) {
    Erase(entries_.find(std::string(by_expiry_.begin()->second)));
    ++evicted_;
  }
  auto [it, added] = entries_.emplace(key, Entry{Seen{op, false, {}}, until});
  by_expiry_.emplace(until, std::string_view(it->first));  // the node's key does not move
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
  if (auto it = entries_.find(key); it != entries_.end()) Erase(it);
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
