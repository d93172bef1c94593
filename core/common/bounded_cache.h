// A bounded, thread-safe cache for pure functions of their key (parsed certificates, chain
// verdicts): what is found in it must be exactly what computing it again would give.
//
// Two generations of at most `capacity` entries each: lookups search both, and an entry found in
// the old generation moves to the young one; inserts go to the young one, and when it is full the
// old generation is dropped and the young one takes its place. So a working set smaller than
// `capacity` stays cached, and the cache never holds more than 2 × `capacity` entries whatever
// keys a hostile peer sends.
#ifndef VXP_CORE_COMMON_BOUNDED_CACHE_H_
#define VXP_CORE_COMMON_BOUNDED_CACHE_H_

#include <cstddef>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

namespace vxp {

template <typename K, typename V, typename Hash = std::hash<K>>
class BoundedCache {
 public:
  explicit BoundedCache(size_t capacity) : capacity_(capacity > 0 ? capacity : 1) {}

  // A copy of the value cached for `key`, if any.
  std::optional<V> Find(const K& key) {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = young_.find(key); it != young_.end()) return it->second;
    auto it = old_.find(key);
    if (it == old_.end()) return std::nullopt;
    V value = it->second;
    auto node = old_.extract(it);
    InsertLocked(std::move(node.key()), std::move(node.mapped()));
    return value;
  }

  // Caches `value` for `key`, replacing what was there.
  void Insert(K key, V value) {
    std::lock_guard<std::mutex> lock(mu_);
    old_.erase(key);
    InsertLocked(std::move(key), std::move(value));
  }

  // How many entries are held (both generations).
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return young_.size() + old_.size();
  }

 private:
  void InsertLocked(K key, V value) {
    if (auto it = young_.find(key); it != young_.end()) {
      it->second = std::move(value);
      return;
    }
    if (young_.size() >= capacity_) {
      old_ = std::move(young_);
      young_ = {};
    }
    young_.emplace(std::move(key), std::move(value));
  }

  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<K, V, Hash> young_, old_;
};

}  // namespace vxp

#endif  // VXP_CORE_COMMON_BOUNDED_CACHE_H_
