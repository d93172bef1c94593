#include "core/common/datetime.h"

#include <cstdio>

namespace vxp {
namespace {

// Reads `width` ASCII digits at text[pos]; nullopt if any is not a digit.
std::optional<int> Digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

std::optional<Date> DateAt(std::string_view text) {
  if (text.size() < 10 || text[4] != '/' || text[7] != '/') return std::nullopt;
  auto y = Digits(text, 0, 4);
  auto m = Digits(text, 5, 2);
  auto d = Digits(text, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  if (*y < 1900 || *m < 1 || *m > 12 || *d < 1 || *d > DaysInMonth(*y, *m)) return std::nullopt;
  return Date{*y, *m, *d};
}

}  // namespace

std::optional<Date> ParseEdxmlDate(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  return DateAt(text);
}

std::optional<DateTime> ParseEdxmlTimestamp(std::string_view text) {
  if (text.size() != 19 || text[10] != ' ' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto date = DateAt(text.substr(0, 10));
  auto h = Digits(text, 11, 2);
  auto mi = Digits(text, 14, 2);
  auto s = Digits(text, 17, 2);
  if (!date || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  return DateTime{*date, *h, *mi, *s};
}

std::string FormatEdxmlDate(const Date& date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d/%02d/%02d", date.year, date.month, date.day);
  return buf;
}

std::string FormatEdxmlTimestamp(const DateTime& time) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d", FormatEdxmlDate(time.date).c_str(), time.hour,
                time.minute, time.second);
  return buf;
}

}  // namespace vxp
