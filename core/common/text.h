// Small text helpers shared by the core's parsers. Pure functions; thread-safe.
#ifndef VXP_CORE_COMMON_TEXT_H_
#define VXP_CORE_COMMON_TEXT_H_

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// `text` without the ASCII white space (space, tab, CR, LF, FF, VT) at either end.
inline std::string AsciiTrim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return "";
  return std::string(text.substr(first, text.find_last_not_of(kSpace) - first + 1));
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

// The name among `names` that `given` most likely misspells: the nearest by edit distance
// (insertions, deletions, substitutions, and swaps of two neighbours; ASCII case ignored), if it
// is at most 2 edits away and nearer than any other; "" otherwise. For "did you mean …?".
inline std::string_view ClosestName(std::string_view given,
                                    const std::vector<std::string_view>& names) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  auto distance = [&](std::string_view a, std::string_view b) {
    // Optimal string alignment distance, over three rows.
    std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
        row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost});
        if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
            lower(a[i - 2]) == lower(b[j - 1])) {
          row[j] = std::min(row[j], before[j - 2] + 1);
        }
      }
      before.swap(previous);
      previous.swap(row);
    }
    return previous[b.size()];
  };
  std::string_view best;
  size_t best_distance = 3;
  bool tie = false;
  for (std::string_view name : names) {
    size_t d = distance(given, name);
    if (d < best_distance) {
      best = name, best_distance = d, tie = false;
    } else if (d == best_distance) {
      tie = true;
    }
  }
  return tie ? std::string_view() : best;
}

}  // namespace vxp

#endif  // VXP_CORE_COMMON_TEXT_H_
