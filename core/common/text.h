// Small text helpers shared by the core's parsers. Pure functions; thread-safe.
#ifndef VXP_CORE_COMMON_TEXT_H_
#define VXP_CORE_COMMON_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
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

// `text` with ASCII A–Z lowered; other bytes (UTF-8 included) unchanged.
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Whether `a` and `b` are equal ignoring ASCII case.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace vxp

#endif  // VXP_CORE_COMMON_TEXT_H_
