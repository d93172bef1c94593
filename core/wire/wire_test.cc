// Tests of the hub wire protocol: formats, the client's headers, each authentication refusal,
// the response envelope and the error catalogue.
#include "core/wire/wire.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/json.hpp>
#include <set>

#include "core/wire/operations.h"

namespace vxp::wire {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr Millis kNow = 1795168800000;  // 2026-11-20T10:00:00Z

Credentials Creds() { return {"00.53.W00", "s3cret-Tây-Ninh"}; }

AuthPolicy Policy(Millis now = kNow) {
  AuthPolicy p;
  p.secret_of = [](std::string_view id) -> std::optional<std::string> {
    if (id == "00.53.W00") return std::string("s3cret-Tây-Ninh");
    return std::nullopt;
  };
  p.now = now;
  return p;
}

Headers Call(Millis at = kNow) {
  return BuildHeaders(
      Creds(), FormatTimestamp(at), "application/json",
      {{"servicetype", "eDoc"}, {"messagetype", "edoc"}, {"from", "000.00.00.H53"}});
}

void Set(Headers* h, std::string_view name, std::string value) {
  for (auto& [k, v] : *h) {
    if (k == name) v = std::move(value);
  }
}

void Resign(Headers* h, std::string_view secret) {
  Set(h, "XroadVnpt-hash-header",
      HmacSha256Hex(secret, std::string(*Find(*h, "XroadVnpt-sign-header"))));
}

std::string_view CodeOf(const Headers& h) {
  auto r = Authenticate(h, Policy());
  return r ? std::string_view("0") : r.error().error.code;
}

TEST(Timestamp, SdkFormatRoundTrips) {
  auto t = ParseTimestamp("21112026T085133+0902");
  ASSERT_TRUE(t);
  // 08:51:33.902 at UTC+7 is 01:51:33.902Z.
  EXPECT_EQ(*t, 1795225893902);
  EXPECT_EQ(FormatTimestamp(*t), "21112026T085133+0902");
  EXPECT_EQ(FormatTimestamp(kNow), "20112026T170000+0000");
  EXPECT_EQ(FormatTimestamp(kNow, 0), "20112026T100000+0000");
}

TEST(Timestamp, RefusesOtherForms) {
  for (std::string_view bad :
       {"", "21112026T085133", "21112026T085133+902", "2026-11-21T08:51:33", "31022026T000000+0000",
        "21132026T085133+0000", "21112026T085133+1000"}) {
    EXPECT_FALSE(ParseTimestamp(bad)) << bad;
  }
}

TEST(HashFile, UnpaddedLikeTheSdkAndBothFormsAccepted) {
  // Find a body whose digest has a byte below 0x10, so the two forms differ.
  std::string body;
  for (int i = 0; HashFile(body).size() == 64; ++i) body = "package " + std::to_string(i);
  std::string unpadded = HashFile(body);
  EXPECT_LT(unpadded.size(), 64u);
  EXPECT_GE(unpadded.size(), 32u);
  EXPECT_TRUE(HashFileMatches(unpadded, body));
  std::string padded, sdk;
  {
    // Recompute both forms independently of HashFile: the SDK writes each byte with "%x".
    unsigned char md[32];
    unsigned int n = 0;
    EVP_Digest(body.data(), body.size(), md, &n, EVP_sha256(), nullptr);
    char buf[3];
    for (unsigned i = 0; i < n; ++i) {
      std::snprintf(buf, sizeof buf, "%02X", md[i]);
      padded += buf;
      std::snprintf(buf, sizeof buf, "%x", md[i]);
      sdk += buf;
    }
  }
  EXPECT_EQ(unpadded, sdk);
  EXPECT_TRUE(HashFileMatches(padded, body));  // upper case too
  EXPECT_FALSE(HashFileMatches(unpadded, body + "x"));
  EXPECT_FALSE(HashFileMatches("", body));
}

TEST(Hmac, Rfc4231Case2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(BuildHeaders, CarriesEverySignedParameterAndTheSdkHeaders) {
  Headers h = Call();
  EXPECT_EQ(*Find(h, "content-type"), "application/json");
  EXPECT_EQ(*Find(h, "XroadVnpt-from"), "000.00.00.H53");
  EXPECT_EQ(*Find(h, "XroadVnpt-Content-Type"), "application/json");
  EXPECT_EQ(*Find(h, "XroadVnpt-sign-header-key"),
            "systemid;servicetype;messagetype;from;timestamp;Content-Type");
  EXPECT_EQ(*Find(h, "User-Agent"), "JAVASDKAgent/1.0.0 XRoad/VPCP");
  EXPECT_EQ(*Find(h, "XroadVnpt-version"), "3.0.201608");
  std::string sign(*Find(h, "XroadVnpt-sign-header"));
  EXPECT_TRUE(sign.starts_with("{\"XroadVnpt-systemid\":\"00.53.W00\",\"XroadVnpt-servicetype\""));
  EXPECT_EQ(*Find(h, "XroadVnpt-hash-header"), HmacSha256Hex("s3cret-Tây-Ninh", sign));
}

TEST(Authenticate, AcceptsTheClientsHeaders) {
  auto r = Authenticate(Call(), Policy());
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->system_id, "00.53.W00");
  EXPECT_EQ(r->Param("from"), "000.00.00.H53");
  EXPECT_EQ(r->Param("MessageType"), "edoc");
  EXPECT_EQ(r->Param("docId"), "");
}

TEST(Authenticate, HeaderNamesAreCaseInsensitive) {
  Headers h = Call();
  for (auto& [k, v] : h) {
    if (k.starts_with("XroadVnpt-")) k = "xroadvnpt-" + k.substr(10);
  }
  EXPECT_EQ(CodeOf(h), "0");
}

TEST(Authenticate, EachRefusalHasItsOwnError) {
  {
    Headers h = Call();
    std::erase_if(h, [](auto& kv) { return kv.first == "XroadVnpt-hash-header"; });
    auto r = Authenticate(h, Policy());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().error.name, "AUTH_MISSING_HEADER");
    EXPECT_EQ(r.error().detail, "XroadVnpt-hash-header");
  }
  {
    Headers h = BuildHeaders({"99.99.W99", "x"}, FormatTimestamp(kNow), "application/json", {});
    EXPECT_EQ(CodeOf(h), errors::kUnknownSystem.code);
  }
  {
    Headers h =
        BuildHeaders({"00.53.W00", "wrong secret"}, FormatTimestamp(kNow), "application/json", {});
    EXPECT_EQ(CodeOf(h), errors::kBadHmac.code);
  }
  {
    // A header changed after signing: the HMAC still holds (it covers the sign-header), the
    // header disagrees with its signed value.
    Headers h = Call();
    Set(&h, "XroadVnpt-from", "000.00.00.G22");
    auto r = Authenticate(h, Policy());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().error.code, errors::kSignHeaderMismatch.code);
    EXPECT_THAT(r.error().detail, HasSubstr("000.00.00.G22"));
  }
  {
    Headers h = Call();
    std::erase_if(h, [](auto& kv) { return kv.first == "XroadVnpt-from"; });
    EXPECT_EQ(CodeOf(h), errors::kSignHeaderMismatch.code);
  }
  {
    Headers h = Call();
    Set(&h, "XroadVnpt-sign-header", "not json");
    Resign(&h, "s3cret-Tây-Ninh");
    EXPECT_EQ(CodeOf(h), errors::kSignHeaderMalformed.code);
  }
  {
    Headers h = Call();
    Set(&h, "XroadVnpt-sign-header-key", "systemid;timestamp");
    EXPECT_EQ(CodeOf(h), errors::kSignHeaderMalformed.code);
  }
  {
    Headers h = BuildHeaders(Creds(), "yesterday", "application/json", {});
    EXPECT_EQ(CodeOf(h), errors::kBadTimestamp.code);
  }
  {
    Headers h = Call(kNow - 16 * 60 * 1000);
    auto r = Authenticate(h, Policy());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().error.name, "AUTH_STALE_TIMESTAMP");
    EXPECT_THAT(r.error().detail, HasSubstr("by 960 s read as UTC+7"));
    AuthPolicy lax = Policy();
    lax.max_skew = 0;  // freshness check off
    EXPECT_TRUE(Authenticate(h, lax));
  }
}

TEST(Authenticate, TimestampsOfTheSdkInAnyAcceptedZone) {
  // The SDK on a machine in UTC writes UTC wall-clock time with no zone: seven hours "old" read
  // as UTC+7.
  Headers utc = BuildHeaders(Creds(), FormatTimestamp(kNow, 0), "application/json", {});
  auto vietnam_only = Authenticate(utc, Policy());
  ASSERT_FALSE(vietnam_only);
  EXPECT_EQ(vietnam_only.error().error.code, errors::kStaleTimestamp.code);
  EXPECT_THAT(vietnam_only.error().detail, HasSubstr("by 25200 s read as UTC+7"));
  AuthPolicy both = Policy();
  both.utc_offsets_minutes = {420, 0};
  EXPECT_TRUE(Authenticate(utc, both));
  EXPECT_TRUE(Authenticate(Call(), both));
  // Neither zone fits: both readings are named.
  Headers far =
      BuildHeaders(Creds(), FormatTimestamp(kNow - 3 * 3600 * 1000, 0), "application/json", {});
  auto r = Authenticate(far, both);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().detail, HasSubstr("read as UTC+7, 10800 s read as UTC+0"));
  EXPECT_EQ(FormatUtcOffset(-210), "UTC-3:30");
}

// What the Java SDK does with a header value: it signs the UTF-8 text, but its HTTP client
// writes the low byte of each UTF-16 character.
std::string LowBytes(std::string_view utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::uint32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    out += static_cast<char>(cp & 0xFF);
    i += len;
  }
  return out;
}

TEST(Authenticate, NonAsciiSignedHeaderSaysWhyTheHmacFails) {
  Headers h = BuildHeaders(Creds(), FormatTimestamp(kNow), "application/json",
                           {{"docid", "42"}, {"status", "done"}, {"description", "Đã xử lý"}});
  ASSERT_TRUE(Authenticate(h, Policy()));  // as signed, it verifies
  for (auto& [k, v] : h) {
    if (k.starts_with("XroadVnpt-")) v = LowBytes(v);
  }
  auto r = Authenticate(h, Policy());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code, errors::kBadHmac.code);
  EXPECT_THAT(r.error().detail, HasSubstr("XroadVnpt-description"));
  EXPECT_THAT(r.error().detail, HasSubstr("ISO-8859-1"));
  // A wrong secret with ASCII headers does not blame the bytes.
  Headers wrong = BuildHeaders({"00.53.W00", "other"}, FormatTimestamp(kNow), "application/json",
                               {{"description", "Da xu ly"}});
  auto w = Authenticate(wrong, Policy());
  ASSERT_FALSE(w);
  EXPECT_THAT(w.error().detail, Not(HasSubstr("ISO-8859-1")));
}

TEST(Authenticate, SystemIdAndTimestampMustBeSigned) {
  boost::json::object sign{{"XroadVnpt-systemid", "00.53.W00"}};
  Headers h = {{"XroadVnpt-systemid", "00.53.W00"},
               {"XroadVnpt-sign-header", boost::json::serialize(sign)}};
  h.emplace_back("XroadVnpt-hash-header",
                 HmacSha256Hex("s3cret-Tây-Ninh", boost::json::serialize(sign)));
  auto r = Authenticate(h, Policy());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code, errors::kMissingHeader.code);
  EXPECT_THAT(r.error().detail, HasSubstr("timestamp"));
}

TEST(Responses, EnvelopeShapes) {
  EXPECT_EQ(OkResponse(), R"({"status":"OK","ErrorCode":"0","ErrorDesc":"Thanh cong"})");
  EXPECT_EQ(OkResponse({{"DocId", "42"}}),
            R"({"status":"OK","ErrorCode":"0","ErrorDesc":"Thanh cong","DocId":"42"})");
  std::string fail = FailResponse(errors::kForeignFrom, "002.00.20.H13", {{"DocId", ""}});
  auto parsed = ParseResponse(fail);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->ok);
  EXPECT_EQ(parsed->status, "FAIL");
  EXPECT_EQ(parsed->error_code, "1008");
  EXPECT_THAT(
      parsed->error_desc,
      HasSubstr("Don vi gui khong dung voi ma da dang ky (from is not yours): 002.00.20.H13"));
  EXPECT_THAT(parsed->json, HasSubstr("\"DocId\":\"\""));
}

TEST(Responses, ParseRefusesWhatTheSdkCannotRead) {
  EXPECT_EQ(ParseResponse("<html>").error().code, "wire.response");
  EXPECT_THAT(ParseResponse(R"({"status":"OK","ErrorCode":0,"ErrorDesc":""})").error().message,
              HasSubstr("ErrorCode"));
}

TEST(Errors, CodesAndNamesAreUnique) {
  std::set<std::string_view> codes, names;
  for (const HubError& e : AllErrors()) {
    EXPECT_TRUE(codes.insert(e.code).second) << e.code;
    EXPECT_TRUE(names.insert(e.name).second) << e.name;
    EXPECT_FALSE(e.desc.empty());
    EXPECT_FALSE(e.when.empty());
  }
  EXPECT_FALSE(codes.contains("0"));
}

}  // namespace
}  // namespace vxp::wire

namespace vxp::wire {
namespace {

TEST(OperationsTest, SignedParametersFitTheirOperation) {
  const Operation& get = OperationInfo(Op::kGetEdoc);
  const Operation& ack = OperationInfo(Op::kUpdateStatus);
  const Operation& reg = OperationInfo(Op::kRegisterAgency);
  std::vector<std::string> ack_names = {"systemid", "timestamp", "content-type", "docid", "status"};
  EXPECT_EQ(ForeignParameter(get, ack_names), "status");
  EXPECT_TRUE(Fits(ack, ack_names));
  EXPECT_FALSE(Fits(get, ack_names));
  // Client-only keys the SDK signs (filePath) and servicetype are never foreign.
  std::vector<std::string> list_names = {"systemid", "timestamp", "servicetype", "filepath"};
  EXPECT_EQ(ForeignParameter(OperationInfo(Op::kGetAgenciesList), list_names), "");
  EXPECT_TRUE(Fits(reg, list_names));  // why getAgenciesList's headers are remembered
  std::vector<std::string> poll = {"systemid", "timestamp", "servicetype", "messagetype"};
  for (const Operation& op : Operations()) {
    if (op.changes_state) EXPECT_FALSE(Fits(op, poll)) << op.name;  // polling is not
  }
}

}  // namespace
}  // namespace vxp::wire
