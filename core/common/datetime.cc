#include "core/common/datetime.h"

#include <cstdio>
#include <ctime>

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

namespace {

// Of a text whose digits stand where yyyy/MM/dd puts them: which part does not exist ("" if none).
std::string MissingDatePart(std::string_view text) {
  int y = *FixedDigits(text, 0, 4), m = *FixedDigits(text, 5, 2), d = *FixedDigits(text, 8, 2);
  if (y < 1900) return "the year is before 1900";
  if (m < 1 || m > 12) return "there is no month " + std::string(text.substr(5, 2));
  if (d < 1) return "there is no day 00";
  if (d > DaysInMonth(y, m)) {
    return "month " + std::string(text.substr(5, 2)) + " of " + std::to_string(y) + " has " +
           std::to_string(DaysInMonth(y, m)) + " days";
  }
  return "";
}

bool HasDateForm(std::string_view text) {
  return text.size() >= 10 && text[4] == '/' && text[7] == '/' && FixedDigits(text, 0, 4) &&
         FixedDigits(text, 5, 2) && FixedDigits(text, 8, 2);
}

}  // namespace

std::string WhyNotEdxmlDate(std::string_view text) {
  if (ParseEdxmlDate(text)) return "";
  if (text.size() != 10 || !HasDateForm(text)) return "is not a date written yyyy/MM/dd";
  return "is written yyyy/MM/dd, but " + MissingDatePart(text);
}

std::string WhyNotEdxmlTimestamp(std::string_view text) {
  if (ParseEdxmlTimestamp(text)) return "";
  if (text.size() != 19 || !HasDateForm(text) || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':' || !FixedDigits(text, 11, 2) || !FixedDigits(text, 14, 2) ||
      !FixedDigits(text, 17, 2)) {
    return "is not a timestamp written yyyy/MM/dd HH:mm:ss";
  }
  std::string why = MissingDatePart(text);
  if (why.empty() && *FixedDigits(text, 11, 2) > 23) {
    why = "there is no hour " + std::string(text.substr(11, 2));
  }
  if (why.empty() && *FixedDigits(text, 14, 2) > 59) {
    why = "there is no minute " + std::string(text.substr(14, 2));
  }
  if (why.empty()) why = "there is no second " + std::string(text.substr(17, 2));
  return "is written yyyy/MM/dd HH:mm:ss, but " + why;
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

DateTime CivilTime(std::int64_t unix_seconds, int utc_offset_minutes) {
  std::time_t t = static_cast<std::time_t>(unix_seconds + std::int64_t{utc_offset_minutes} * 60);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return DateTime{Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, tm.tm_hour, tm.tm_min,
                  tm.tm_sec};
}

std::int64_t UnixSeconds(const DateTime& time, int utc_offset_minutes) {
  std::tm tm{};
  tm.tm_year = time.date.year - 1900;
  tm.tm_mon = time.date.month - 1;
  tm.tm_mday = time.date.day;
  tm.tm_hour = time.hour;
  tm.tm_min = time.minute;
  tm.tm_sec = time.second;
  return static_cast<std::int64_t>(timegm(&tm)) - std::int64_t{utc_offset_minutes} * 60;
}

std::string FormatDuration(std::chrono::milliseconds d) {
  if (d < std::chrono::milliseconds(1000)) return std::to_string(d.count()) + " ms";
  char buf[32];
  if (d.count() % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(d.count() / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  }
  return buf;
}

}  // namespace vxp
