// Small text helpers shared by the core's parsers. Pure functions; thread-safe.
#ifndef VXP_CORE_COMMON_TEXT_H_
#define VXP_CORE_COMMON_TEXT_H_

#include <cstddef>
#include <optional>
#include <string_view>

namespace vxp {

// Reads exactly `width` ASCII digits starting at text[pos]. Returns their value, or nullopt when
// the text is too short or any of those characters is not a digit.
inline std::optional<int> FixedDigits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace vxp

#endif  // VXP_CORE_COMMON_TEXT_H_
