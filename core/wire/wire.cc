#include "core/wire/wire.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <set>

#include "core/common/datetime.h"
#include "core/common/text.h"
#include "core/common/utf8.h"

namespace vxp::wire {
namespace {

constexpr std::string_view kPrefix = "XroadVnpt-";

bool StartsWithI(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// Each byte as "%02x" does, or as "%x" does when not `padded` (one digit below 16: the SDK's
// quirk), without a printf call per byte (two per request on every hub exchange).
std::string Hex(const unsigned char* data, size_t n, bool padded) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    if (padded || data[i] >= 16) out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

tl::unexpected<Refusal> Refuse(const HubError& error, std::string detail) {
  return tl::unexpected<Refusal>(Refusal{error, std::move(detail)});
}

}  // namespace

std::optional<std::string_view> Find(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::string FormatTimestamp(Millis at, int utc_offset_minutes) {
  Millis seconds = at >= 0 ? at / 1000 : (at - 999) / 1000;
  DateTime t = CivilTime(seconds, utc_offset_minutes);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d%02d%04dT%02d%02d%02d+%04d", t.date.day, t.date.month,
                t.date.year, t.hour, t.minute, t.second, static_cast<int>(at - seconds * 1000));
  return buf;
}

std::string FormatUtcOffset(int minutes) {
  char buf[16];
  int a = std::abs(minutes);
  if (a % 60 == 0) {
    std::snprintf(buf, sizeof buf, "UTC%c%d", minutes < 0 ? '-' : '+', a / 60);
  } else {
    std::snprintf(buf, sizeof buf, "UTC%c%d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
  }
  return buf;
}

std::optional<Millis> ParseTimestamp(std::string_view s, int utc_offset_minutes) {
  auto d = FixedDigits(s, 0, 2), mo = FixedDigits(s, 2, 2), y = FixedDigits(s, 4, 4);
  auto h = FixedDigits(s, 9, 2), mi = FixedDigits(s, 11, 2), sec = FixedDigits(s, 13, 2);
  auto ms = FixedDigits(s, 16, 4);
  if (s.size() != 20 || s[8] != 'T' || s[15] != '+' || !d || !mo || !y || !h || !mi || !sec ||
      !ms || *ms > 999) {
    return std::nullopt;
  }
  DateTime t{Date{*y, *mo, *d}, *h, *mi, *sec};
  std::int64_t seconds = UnixSeconds(t, utc_offset_minutes);
  if (CivilTime(seconds, utc_offset_minutes) != t) return std::nullopt;  // 31 February, 24:00
  return Millis{seconds} * 1000 + *ms;
}

namespace {

// SHA-256, fetched once: OpenSSL 3 looks an algorithm up in its provider store (under locks) on
// every call that names it implicitly, which cost more than hashing a request's headers.
const EVP_MD* Sha256() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// An HMAC-SHA256 context with its digest set, copied for each use (HMAC() fetches both the MAC
// and the digest on every call).
const EVP_MAC_CTX* HmacTemplate() {
  static EVP_MAC_CTX* const ctx = [] {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* c = mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr;
    EVP_MAC_free(mac);
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                           OSSL_PARAM_construct_end()};
    if (c != nullptr && EVP_MAC_CTX_set_params(c, params) != 1) {
      EVP_MAC_CTX_free(c);
      c = nullptr;
    }
    return c;
  }();
  return ctx;
}

}  // namespace

std::string HashFile(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, Sha256(), nullptr);
  return Hex(md, n, false);
}

bool HashFileMatches(std::string_view header, std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, Sha256(), nullptr);
  std::string h = AsciiLower(header);
  return h == Hex(md, n, false) || h == Hex(md, n, true);
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  unsigned char md[EVP_MAX_MD_SIZE];
  size_t n = 0;
  EVP_MAC_CTX* ctx = HmacTemplate() != nullptr ? EVP_MAC_CTX_dup(HmacTemplate()) : nullptr;
  bool ok = ctx != nullptr &&
            EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                         nullptr) == 1 &&
            EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()) == 1 &&
            EVP_MAC_final(ctx, md, &n, sizeof md) == 1;
  EVP_MAC_CTX_free(ctx);
  if (!ok) {  // not expected; the one-shot form gives the same value
    unsigned int m = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &m);
    n = m;
  }
  return Hex(md, static_cast<unsigned>(n), true);
}

Headers BuildHeaders(const Credentials& credentials, std::string_view timestamp,
                     std::string_view content_type,
                     const std::vector<std::pair<std::string, std::string>>& params) {
  std::vector<std::pair<std::string, std::string>> all;
  all.emplace_back("systemid", credentials.system_id);
  for (const auto& p : params) all.push_back(p);
  all.emplace_back("timestamp", std::string(timestamp));
  all.emplace_back("Content-Type", std::string(content_type));

  Headers out;
  out.emplace_back("Content-Type", std::string(content_type));
  boost::json::object sign;
  std::string keys;
  for (const auto& [k, v] : all) {
    std::string name = std::string(kPrefix) + k;
    out.emplace_back(name, v);
    sign[name] = v;
    keys += (keys.empty() ? "" : ";") + k;
  }
  std::string sign_header = boost::json::serialize(sign);
  out.emplace_back("XroadVnpt-sign-header-key", keys);
  out.emplace_back("XroadVnpt-sign-header", sign_header);
  out.emplace_back("XroadVnpt-hash-header", HmacSha256Hex(credentials.secret, sign_header));
  out.emplace_back("User-Agent", "JAVASDKAgent/1.0.0 XRoad/VPCP");
  out.emplace_back("XroadVnpt-version", "3.0.201608");
  return out;
}

std::string Authenticated::Param(std::string_view name) const {
  auto it = params.find(AsciiLower(name));
  return it == params.end() ? std::string() : it->second;
}

tl::expected<Authenticated, Refusal> Authenticate(const Headers& headers,
                                                  const AuthPolicy& policy) {
  auto system_id = Find(headers, "XroadVnpt-systemid");
  auto sign_header = Find(headers, "XroadVnpt-sign-header");
  auto hash_header = Find(headers, "XroadVnpt-hash-header");
  for (auto [value, name] :
       {std::pair{system_id, "XroadVnpt-systemid"}, std::pair{sign_header, "XroadVnpt-sign-header"},
        std::pair{hash_header, "XroadVnpt-hash-header"}}) {
    if (!value || value->empty()) return Refuse(errors::kMissingHeader, name);
  }
  std::optional<std::string> secret =
      policy.secret_of ? policy.secret_of(*system_id) : std::nullopt;
  if (!secret) return Refuse(errors::kUnknownSystem, std::string(*system_id));
  std::string expected = HmacSha256Hex(*secret, *sign_header);
  // Compared in constant time: how far a guess matches must not show in the answer's timing.
  std::string given = AsciiLower(*hash_header);
  bool hmac_ok = given.size() == expected.size() &&
                 CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
  if (!hmac_ok) {
    std::string detail = "XroadVnpt-hash-header " + std::string(*hash_header);
    // The Java SDK signs the UTF-8 text but sends each header character's low byte
    // (ISO-8859-1): Vietnamese text in a signed header can never verify. Say so.
    auto non_ascii = [](std::string_view v) {
      return std::any_of(v.begin(), v.end(), [](char c) { return (c & 0x80) != 0; });
    };
    std::string names;
    for (const auto& [name, value] : headers) {
      if (StartsWithI(name, kPrefix) && !EqualsIgnoreCase(name, "XroadVnpt-sign-header") &&
          non_ascii(value)) {
        names += (names.empty() ? "" : ", ") + name;
      }
    }
    if (names.empty() && non_ascii(*sign_header)) names = "XroadVnpt-sign-header";
    if (!names.empty()) {
      detail += "; a signed header holds non-ASCII bytes (" + names +
                "): the Java SDK sends header values as ISO-8859-1 (the low byte of each "
                "character) while its HMAC covers the UTF-8 text, so Vietnamese text in a header "
                "never verifies. Write such values without diacritics (docs/hub-errors.md)";
    }
    return Refuse(errors::kBadHmac, detail);
  }

  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(*sign_header, ec);
  if (ec || !parsed.is_object()) return Refuse(errors::kSignHeaderMalformed, "not a JSON object");
  Authenticated out;
  out.system_id = std::string(*system_id);
  std::set<std::string> signed_keys;
  for (const auto& [k, v] : parsed.as_object()) {
    if (!v.is_string() || !StartsWithI(k, kPrefix)) {
      return Refuse(errors::kSignHeaderMalformed,
                    "member '" + std::string(k) + "' is not an XroadVnpt-* string");
    }
    std::string key = AsciiLower(std::string_view(k).substr(kPrefix.size()));
    std::string value(v.as_string());
    auto sent = Find(headers, k);
    if (!sent) {
      return Refuse(errors::kSignHeaderMismatch, std::string(k) + " is signed but not sent");
    }
    if (*sent != value) {
      return Refuse(errors::kSignHeaderMismatch, std::string(k) + " is '" + std::string(*sent) +
                                                     "' but the signed value is '" + value + "'");
    }
    signed_keys.insert(key);
    out.params[key] = std::move(value);
  }
  if (auto key_list = Find(headers, "XroadVnpt-sign-header-key")) {
    std::set<std::string> listed;
    std::string_view rest = *key_list;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view one = rest.substr(0, semi);
      if (!one.empty()) listed.insert(AsciiLower(one));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    }
    if (listed != signed_keys) {
      return Refuse(errors::kSignHeaderMalformed,
                    "XroadVnpt-sign-header-key lists other keys than the sign-header");
    }
  }
  for (std::string_view required : {"systemid", "timestamp"}) {
    if (!signed_keys.contains(std::string(required))) {
      return Refuse(errors::kMissingHeader,
                    "XroadVnpt-" + std::string(required) + " is not among the signed headers");
    }
  }
  std::string timestamp = out.params["timestamp"];
  const std::vector<int> zones = policy.utc_offsets_minutes.empty()
                                     ? std::vector<int>{kVietnamUtcOffsetMinutes}
                                     : policy.utc_offsets_minutes;
  if (!ParseTimestamp(timestamp, zones.front())) return Refuse(errors::kBadTimestamp, timestamp);
  if (policy.max_skew <= 0) return out;
  // The latest instant at which any zone's reading of the timestamp is still fresh: until then
  // these headers could be presented again (the hub's replay memory keeps them that long).
  for (int zone : zones) {
    out.fresh_until = std::max(out.fresh_until, *ParseTimestamp(timestamp, zone) + policy.max_skew);
  }
  std::string readings;
  for (int zone : zones) {
    Millis skew = std::llabs(*ParseTimestamp(timestamp, zone) - policy.now);
    if (skew <= policy.max_skew) return out;
    readings += std::string(readings.empty() ? "" : ", ") + std::to_string(skew / 1000) +
                " s read as " + FormatUtcOffset(zone);
  }
  return Refuse(errors::kStaleTimestamp, timestamp + " is away from the hub's clock " +
                                             FormatTimestamp(policy.now, zones.front()) + " (" +
                                             FormatUtcOffset(zones.front()) + ") by " + readings +
                                             "; allowed " + std::to_string(policy.max_skew / 1000) +
                                             " s");
}

namespace {

std::string Envelope(bool ok, std::string_view code, std::string desc, boost::json::object fields) {
  boost::json::object o(fields.storage());
  o.reserve(3 + fields.size());
  o["status"] = ok ? "OK" : "FAIL";
  o["ErrorCode"] = code;
  o["ErrorDesc"] = desc;
  for (auto& [k, v] : fields) o[k] = std::move(v);
  return boost::json::serialize(o);
}

}  // namespace

std::string OkResponse(boost::json::object fields) {
  return Envelope(true, "0", "Thanh cong", std::move(fields));
}

std::string FailResponse(const HubError& error, std::string_view detail,
                         boost::json::object fields) {
  std::string desc(error.desc);
  // A detail may quote header bytes a client sent in another encoding: escaped, so the answer
  // stays valid UTF-8 JSON.
  if (!detail.empty()) desc += ": " + EscapeInvalidUtf8(detail);
  return Envelope(false, error.code, std::move(desc), std::move(fields));
}

Result<Response> ParseResponse(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) {
    return MakeError("wire.response", "the hub's answer is not a JSON object: '" +
                                          std::string(body.substr(0, 120)) + "'");
  }
  Response out;
  out.json = std::string(body);
  for (auto [field, target] :
       {std::pair{"status", &out.status}, std::pair{"ErrorCode", &out.error_code},
        std::pair{"ErrorDesc", &out.error_desc}}) {
    const boost::json::value* f = v.as_object().if_contains(field);
    if (f == nullptr || !f->is_string()) {
      return MakeError("wire.response",
                       std::string("the hub's answer lacks the string field ") + field);
    }
    *target = std::string(f->as_string());
  }
  out.ok = out.status == "OK" && out.error_code == "0";
  return out;
}

std::span<const HubError> AllErrors() {
  static constexpr HubError kAll[] = {
      errors::kMissingHeader,
      errors::kUnknownSystem,
      errors::kBadHmac,
      errors::kSignHeaderMalformed,
      errors::kSignHeaderMismatch,
      errors::kBadTimestamp,
      errors::kStaleTimestamp,
      errors::kForeignFrom,
      errors::kReplay,
      errors::kUnknownOperation,
      errors::kBadParameter,
      errors::kUnknownDocId,
      errors::kHashFileMismatch,
      errors::kPackageTooLarge,
      errors::kPackageMalformed,
      errors::kPackageInvalid,
      errors::kUnknownRecipient,
      errors::kNoRecipient,
      errors::kFromMismatch,
      errors::kBadStatus,
      errors::kAgencyExists,
      errors::kUnknownAgency,
      errors::kStatusFinal,
      errors::kForeignParameter,
      errors::kBadMethod,
      errors::kBadTransferEncoding,
      errors::kInjectedFault,
      errors::kInternal,
      errors::kBusy,
  };
  return kAll;
}

}  // namespace vxp::wire
