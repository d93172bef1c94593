#include "core/common/datetime.h"

#include <cstdio>
#include <ctime>
#include <tuple>

#include "core/common/text.h"

namespace vxp {
namespace {

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// A text of the form yyyy/MM/dd (or yyyy/MM/dd HH:mm:ss, `with_time`): nullopt when the form is
// wrong; otherwise its fields, and which of them does not exist ("" when every one does).
struct Reading {
  DateTime value;
  std::string missing;
};

std::optional<Reading> Read(std::string_view text, bool with_time) {
  if (text.size() != (with_time ? 19u : 10u) || text[4] != '/' || text[7] != '/') {
    return std::nullopt;
  }
  if (with_time && (text[10] != ' ' || text[13] != ':' || text[16] != ':')) return std::nullopt;
  Reading r;
  DateTime& v = r.value;
  for (auto [field, pos, width] : {std::tuple{&v.date.year, 0, 4},
                                   {&v.date.month, 5, 2},
                                   {&v.date.day, 8, 2},
                                   {&v.hour, 11, 2},
                                   {&v.minute, 14, 2},
                                   {&v.second, 17, 2}}) {
    if (pos > 8 && !with_time) break;
    auto n = FixedDigits(text, static_cast<size_t>(pos), static_cast<size_t>(width));
    if (!n) return std::nullopt;
    *field = *n;
  }
  auto two = [&](size_t pos) { return std::string(text.substr(pos, 2)); };
  const Date& d = v.date;
  if (d.year < 1900) {
    r.missing = "the year is before 1900";
  } else if (d.month < 1 || d.month > 12) {
    r.missing = "there is no month " + two(5);
  } else if (d.day < 1) {
    r.missing = "there is no day 00";
  } else if (d.day > DaysInMonth(d.year, d.month)) {
    r.missing = "month " + two(5) + " of " + std::to_string(d.year) + " has " +
                std::to_string(DaysInMonth(d.year, d.month)) + " days";
  } else if (v.hour > 23) {
    r.missing = "there is no hour " + two(11);
  } else if (v.minute > 59) {
    r.missing = "there is no minute " + two(14);
  } else if (v.second > 59) {
    r.missing = "there is no second " + two(17);
  }
  return r;
}

}  // namespace

std::optional<Date> ParseEdxmlDate(std::string_view text) {
  auto r = Read(text, false);
  if (!r || !r->missing.empty()) return std::nullopt;
  return r->value.date;
}

std::string WhyNotEdxmlDate(std::string_view text) {
  auto r = Read(text, false);
  if (!r) return "is not a date written yyyy/MM/dd";
  return r->missing.empty() ? "" : "is written yyyy/MM/dd, but " + r->missing;
}

std::optional<DateTime> ParseEdxmlTimestamp(std::string_view text) {
  auto r = Read(text, true);
  if (!r || !r->missing.empty()) return std::nullopt;
  return r->value;
}

std::string WhyNotEdxmlTimestamp(std::string_view text) {
  auto r = Read(text, true);
  if (!r) return "is not a timestamp written yyyy/MM/dd HH:mm:ss";
  return r->missing.empty() ? "" : "is written yyyy/MM/dd HH:mm:ss, but " + r->missing;
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
