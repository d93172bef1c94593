// The hub's memory of accepted signed headers, so that a captured request cannot be played again
// (docs/hub-simulator.md, "Hostile clients"). A request is known by its system and its
// XroadVnpt-hash-header (the HMAC over every signed header, timestamp included): the same value
// means the same signed request. Each is remembered until no accepted zone's reading of its
// timestamp is fresh any more, after which the hub refuses it as stale anyway.
//
// Bounded: at most `capacity` entries (about 300 bytes each); beyond it the one that expires first
// is forgotten (and counted). Thread-safe.
#ifndef VXP_SIMULATOR_HUB_REPLAY_H_
#define VXP_SIMULATOR_HUB_REPLAY_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/wire/operations.h"

namespace vxp::hub {

class ReplayMemory {
 public:
  explicit ReplayMemory(size_t capacity) : capacity_(capacity) {}

  struct Seen {
    wire::Op op;         // the operation it was first used for
    bool done = false;   // answered with success (false: still in progress)
    std::string doc_id;  // sendEdoc: the DocId it was answered with
  };

  // The request `key` as remembered at `now`, or nullopt.
  std::optional<Seen> Find(const std::string& key, std::int64_t now);
  // Remembers `key` as in progress until `until`. False when it is already remembered (another
  // request with the same headers got there first).
  bool Begin(const std::string& key, wire::Op op, std::int64_t until, std::int64_t now);
  // The request succeeded (sendEdoc: with `doc_id`); it stays remembered until it expires.
  void Finish(const std::string& key, std::string doc_id);
  // The request was refused: nothing changed, so the same headers may be judged again.
  void Forget(const std::string& key);
  // Waits up to `limit` while `key` is remembered as in progress (until it is done or forgotten).
  void WaitSettled(const std::string& key, std::chrono::milliseconds limit);

  size_t size() const;
  std::uint64_t evicted() const;  // forgotten early because the memory was full

 private:
  struct Entry {
    Seen seen;
    std::int64_t until = 0;
  };
  void Expire(std::int64_t now);                                    // under mu_
  void Erase(std::unordered_map<std::string, Entry>::iterator it);  // under mu_, with its expiry

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable settled_;
  std::unordered_map<std::string, Entry> entries_;
  // Each entry once, by when it expires; the view is of the entry's key in entries_ (a node's key
  // never moves).
  std::set<std::pair<std::int64_t, std::string_view>> by_expiry_;
  std::uint64_t evicted_ = 0;
};

}  // namespace vxp::hub

#endif  // VXP_SIMULATOR_HUB_REPLAY_H_
