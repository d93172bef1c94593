#include "core/common/datetime.h"

#include <cstdio>

#include "core/common/text.h"

namespace vxp {
namespace {

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

std::optional<Date> DateAt(std::string_view text) {
  if (text.size() < 10 || text[4] != '/' || text[7] != '/') return std::nullopt;
  auto y = FixedDigits(text, 0, 4);
  auto m = FixedDigits(text, 5, 2);
  auto d = FixedDigits(text, 8, 2);
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
  auto h = FixedDigits(text, 11, 2);
  auto mi = FixedDigits(text, 14, 2);
  auto s = FixedDigits(text, 17, 2);
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
