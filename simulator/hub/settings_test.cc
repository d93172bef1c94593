// The hub's settings: the system form, the settings file, and each mistake named.
#include "simulator/hub/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vxp::hub {
namespace {

using ::testing::HasSubstr;

TEST(ParseSystemSpec, ReadsTheForm) {
  auto s = ParseSystemSpec("00.53.W00:s3:cret:000.00.00.H53,000.00.01.H53");
  ASSERT_FALSE(s);  // a ':' in the secret makes the third part no identifier list
  s = ParseSystemSpec("00.53.W00:s3cret:000.00.00.H53,000.00.01.H53");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->system.id, "00.53.W00");
  EXPECT_EQ(s->system.secret, "s3cret");
  EXPECT_THAT(s->agencies, ::testing::ElementsAre("000.00.00.H53", "000.00.01.H53"));
  struct Case {
    const char* text;
    const char* says;
  } cases[] = {{"00.53.W00:s3cret", "expected three parts"},
               {":s:000.00.00.H53", "the system id is empty"},
               {"x::000.00.00.H53", "the secret is empty"},
               {"x:s:", "no agency"},
               {"x:s:H53", "'H53' is not an agency identifier"}};
  for (const auto& c : cases) {
    auto r = ParseSystemSpec(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, "settings.system");
    EXPECT_THAT(r.error().message, HasSubstr(c.says));
  }
}

TEST(ParseHubSettings, ReadsEveryKey) {
  auto s = ParseHubSettings(R"({"relay":"reserialize","policy":"reject","maxSkewSeconds":60,
      "maxPackageBytes":1000,"utcOffsetMinutes":0,
      "systems":[{"id":"a","secret":"b","agencies":["000.00.00.G01"]}],
      "faults":["drop,op=getEdoc"],"directory":"d.tsv","tls":{"cert":"c","key":"k"},
      "maxElements":500,"replayCapacity":20,"workers":3,"bulkWorkers":4,
      "bodyBudgetBytes":123456,"maxConnections":50})");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->config.max_elements, 500u);
  EXPECT_EQ(s->config.replay_capacity, 20u);
  EXPECT_EQ(s->limits.workers, 3);
  EXPECT_EQ(s->limits.bulk_workers, 4);
  EXPECT_EQ(s->limits.body_budget, 123456u);
  EXPECT_EQ(s->limits.max_connections, 50);
  EXPECT_EQ(s->config.relay, RelayMode::kReserialize);
  EXPECT_EQ(s->config.policy, SubmitPolicy::kReject);
  EXPECT_EQ(s->config.max_skew, 60000);
  EXPECT_EQ(s->config.max_package_bytes, 1000u);
  EXPECT_EQ(s->config.utc_offsets_minutes, std::vector<int>{0});
  ASSERT_EQ(s->systems.size(), 1u);
  EXPECT_EQ(s->systems[0].agencies[0], "000.00.00.G01");
  ASSERT_EQ(s->faults.size(), 1u);
  EXPECT_EQ(s->faults[0].kind, FaultKind::kDrop);
  EXPECT_EQ(s->directory_file, "d.tsv");
  EXPECT_EQ(s->tls_cert_file, "c");
  EXPECT_EQ(ParseHubSettings("{}")->config.relay, RelayMode::kVerbatim);
}

TEST(ParseHubSettings, TimestampZonesDefaultToVietnamAndTheHost) {
  // A CI runner in UTC: its SDK writes UTC wall-clock time, which must be accepted as well.
  setenv("TZ", "UTC", 1);
  tzset();
  EXPECT_EQ(DefaultTimestampZones(), (std::vector<int>{420, 0}));
  EXPECT_EQ(HubSettings{}.config.utc_offsets_minutes, (std::vector<int>{420, 0}));
  setenv("TZ", "Asia/Ho_Chi_Minh", 1);
  tzset();
  EXPECT_EQ(DefaultTimestampZones(), std::vector<int>{420});
  unsetenv("TZ");
  tzset();
  auto list = ParseHubSettings(R"({"utcOffsetMinutes":[420,-180]})");
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->config.utc_offsets_minutes, (std::vector<int>{420, -180}));
  for (const char* bad : {R"({"utcOffsetMinutes":[]})", R"({"utcOffsetMinutes":[420,"x"]})",
                          R"({"utcOffsetMinutes":900})"}) {
    auto r = ParseHubSettings(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "settings.json");
    EXPECT_THAT(r.error().message, HasSubstr("utcOffsetMinutes")) << bad;
  }
}

TEST(ParseHubSettings, NamesTheMistake) {
  struct Case {
    const char* json;
    const char* says;
  } cases[] = {{"[1]", "not a JSON object"},
               {"{", "not JSON"},
               {R"({"relays":"x"})", "unknown key 'relays'"},
               {R"({"relay":"copy"})", "relay 'copy' is not verbatim or reserialize"},
               {R"({"policy":1})", "policy is not a string"},
               {R"({"maxSkewSeconds":-5})", "maxSkewSeconds is not a whole number"},
               {R"({"workers":0})", "workers must be 1-100000"},
               {R"({"maxConnections":"many"})", "maxConnections is not a whole number"},
               {R"({"systems":[{"id":"a"}]})", "each system needs"},
               {R"({"systems":[{"id":"a","secret":"b","agencies":["x"]}]})",
                "'x' is not an agency identifier"},
               {R"({"faults":["explode"]})", "unknown kind 'explode'"},
               {R"({"tls":{"cert":"c"}})", "tls needs"}};
  for (const auto& c : cases) {
    auto r = ParseHubSettings(c.json);
    ASSERT_FALSE(r) << c.json;
    EXPECT_EQ(r.error().code, "settings.json");
    EXPECT_THAT(r.error().message, HasSubstr(c.says)) << c.json;
  }
}

}  // namespace
}  // namespace vxp::hub
