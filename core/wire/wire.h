// The hub's wire protocol (hub-api.md §2–3), both directions: a client builds the XroadVnpt-*
// headers of a call (sign-header JSON, HMAC-SHA256 hash-header, timestamp) and a server checks
// them; the hash-file form; the status/ErrorCode/ErrorDesc response envelope.
//
// No I/O and no clock reads: times are arguments. All functions are pure and thread-safe.
#ifndef VXP_CORE_WIRE_WIRE_H_
#define VXP_CORE_WIRE_WIRE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/clock.h"
#include "core/common/datetime.h"
#include "core/common/result.h"
#include "core/wire/errors.h"
#include "core/wire/http.h"

namespace vxp::wire {

// The value of the first header named `name` (case-insensitive), if any.
std::optional<std::string_view> Find(const Headers& headers, std::string_view name);

// ---- Formats.

// Milliseconds since the Unix epoch.
using Millis = vxp::Millis;

// The SDK's timestamp "ddMMyyyy'T'HHmmss'+'SSSS": local wall-clock time, the four digits after
// '+' being milliseconds (e.g. "21112026T085133+0902"). `utc_offset_minutes` is the client's zone
// (the SDK uses the JVM's; Vietnam is +420). **Decision:** the hub reads timestamps in a
// configured zone, default UTC+7.
std::string FormatTimestamp(Millis at, int utc_offset_minutes = kVietnamUtcOffsetMinutes);
std::optional<Millis> ParseTimestamp(std::string_view text,
                                     int utc_offset_minutes = kVietnamUtcOffsetMinutes);

// "UTC+7", "UTC+0", "UTC-3:30": a zone as messages name it.
std::string FormatUtcOffset(int minutes);

// SHA-256 of `bytes` as the SDK prints it: each byte with %x, so no zero padding (56–64 chars).
std::string HashFile(std::string_view bytes);
// Whether `header` is the SHA-256 of `bytes` in the unpadded or the padded form (any case).
bool HashFileMatches(std::string_view header, std::string_view bytes);

// Lower-case hex HMAC-SHA256 of `message` with `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// ---- Client side.

struct Credentials {
  std::string system_id;
  std::string secret;
};

// The headers of one call. `params` are the call's parameters other than systemid, timestamp
// and Content-Type (e.g. {"servicetype","eDoc"}, {"messagetype","edoc"}, {"from", …}); they are
// signed in the given order after systemid and before timestamp and Content-Type, as the Java SDK
// does. Produces Content-Type, XroadVnpt-<key> for each entry, XroadVnpt-sign-header-key,
// XroadVnpt-sign-header, XroadVnpt-hash-header, User-Agent and XroadVnpt-version.
Headers BuildHeaders(const Credentials& credentials, std::string_view timestamp,
                     std::string_view content_type,
                     const std::vector<std::pair<std::string, std::string>>& params);

// ---- Server side.

struct AuthPolicy {
  // The secret of a system, or nullopt for an unknown system.
  std::function<std::optional<std::string>(std::string_view system_id)> secret_of;
  Millis now = 0;
  Millis max_skew = 15 * 60 * 1000;  // hub setting; 0 disables the freshness check
  // The zones a timestamp may be written in (minutes east of UTC). The SDK writes the JVM's
  // local time with no zone, so a timestamp is fresh when it is fresh read in any of them; the
  // first is the one named in messages. Never empty (an empty list is read as {420}).
  std::vector<int> utc_offsets_minutes = {kVietnamUtcOffsetMinutes};
};

// A request whose headers authenticated.
struct Authenticated {
  std::string system_id;
  // The signed parameters with their XroadVnpt- prefix removed, keys lower-cased
  // ("systemid", "timestamp", "content-type", "from", "docid", …).
  std::map<std::string, std::string> params;
  // The last instant (ms since the epoch) at which the timestamp would still be fresh read in any
  // accepted zone; 0 when freshness is not checked (max_skew 0).
  Millis fresh_until = 0;
  // A parameter by case-insensitive name, or "" when absent.
  std::string Param(std::string_view name) const;
};

// A refusal: the catalogue entry and what exactly was wrong.
struct Refusal {
  HubError error;
  std::string detail;
};

// Checks a request's authentication exactly as hub-api.md §2 describes: required headers, the
// system, the HMAC over the sign-header bytes as sent (never re-serialised), the sign-header JSON
// and its agreement with sign-header-key and with every signed header actually sent, then the
// timestamp's form and freshness. Each failure is its own catalogue error. Whether `from` belongs
// to the system is the hub's check (it owns the directory).
tl::expected<Authenticated, Refusal> Authenticate(const Headers& headers, const AuthPolicy& policy);

// ---- Responses.

// {"status":"OK","ErrorCode":"0","ErrorDesc":"Thanh cong", …fields} as compact JSON, the members
// of `fields` appended in order (e.g. {"DocId":"…"}). `fields` is moved from, not copied or
// re-parsed: a getEdoc answer can hold 133 MB of base64.
std::string OkResponse(boost::json::object fields = {});
// {"status":"FAIL","ErrorCode":code,"ErrorDesc":"desc[: detail]", …fields}; invalid UTF-8 in
// `detail` (header bytes a client sent) is escaped as \xNN, so the answer is valid UTF-8.
std::string FailResponse(const HubError& error, std::string_view detail = "",
                         boost::json::object fields = {});

// A parsed response envelope (client side).
struct Response {
  bool ok = false;  // status "OK" and ErrorCode "0"
  std::string status, error_code, error_desc;
  std::string json;  // the whole body
};
// Error "wire.response" when the body is not a JSON object carrying status, ErrorCode and
// ErrorDesc as strings (what the SDK requires).
Result<Response> ParseResponse(std::string_view body);

}  // namespace vxp::wire

#endif  // VXP_CORE_WIRE_WIRE_H_
