// Calendar values in the formats of edxml.md: dates `yyyy/MM/dd` and timestamps
// `yyyy/MM/dd HH:mm:ss`. Pure functions; "now" is always passed in, never read from a clock.
#ifndef VXP_CORE_COMMON_DATETIME_H_
#define VXP_CORE_COMMON_DATETIME_H_

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vxp {

// Vietnam's zone, UTC+7, in minutes east of UTC: the zone of edXML dates and of the hub's clock.
inline constexpr int kVietnamUtcOffsetMinutes = 7 * 60;

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  auto operator<=>(const Date&) const = default;
};

struct DateTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  auto operator<=>(const DateTime&) const = default;
};

// Parses exactly `yyyy/MM/dd` (zero-padded, a real calendar date, year 1900..9999).
// Returns nullopt for any other text.
std::optional<Date> ParseEdxmlDate(std::string_view text);

// Why `text` is not a date ParseEdxmlDate reads, in one clause after the quoted text: "is not a
// date written yyyy/MM/dd" for the wrong form, "is written yyyy/MM/dd, but month 02 of 2026 has
// 28 days" (or "… there is no month 13", "… the year is before 1900") for a form that is right.
// "" when it is one.
std::string WhyNotEdxmlDate(std::string_view text);

// Parses exactly `yyyy/MM/dd HH:mm:ss` (24-hour clock). Returns nullopt for any other text.
std::optional<DateTime> ParseEdxmlTimestamp(std::string_view text);
// As WhyNotEdxmlDate, for timestamps: "is not a timestamp written yyyy/MM/dd HH:mm:ss", or "is
// written yyyy/MM/dd HH:mm:ss, but …" naming the day, hour, minute or second that does not exist.
std::string WhyNotEdxmlTimestamp(std::string_view text);

// The wall-clock time `utc_offset_minutes` east of UTC at `unix_seconds` (floor semantics for
// negative values), and its inverse. UnixSeconds normalises out-of-range fields (day 31 of
// February is 3 March): callers that parse compare CivilTime(UnixSeconds(t)) with t to refuse them.
DateTime CivilTime(std::int64_t unix_seconds, int utc_offset_minutes = 0);
std::int64_t UnixSeconds(const DateTime& time, int utc_offset_minutes = 0);

// A duration as people read it: "400 ms", "2 s", "1.5 s".
std::string FormatDuration(std::chrono::milliseconds d);

// Formats in the same forms.
std::string FormatEdxmlDate(const Date& date);
std::string FormatEdxmlTimestamp(const DateTime& time);

}  // namespace vxp

#endif  // VXP_CORE_COMMON_DATETIME_H_
