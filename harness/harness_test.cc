// The harness's own machinery: SUT file and expected-failures parsing, selection, exit codes.
#include "harness/harness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/config.h"
#include "harness/profile.h"

namespace vxp::harness {
namespace {

using ::testing::HasSubstr;

TEST(SutConfig, ParsesAFullFile) {
  auto c = ParseSutConfig(R"({"system":{"id":"acme","secret":"s3"},
    "agencies":["000.00.00.H53","000.00.01.H53"], "hub":{"listen":"0.0.0.0:8650"},
    "driver":"http://127.0.0.1:8700", "outbound":false})");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->system_id, "acme");
  EXPECT_EQ(c->agencies.size(), 2u);
  EXPECT_EQ(c->hub_listen, "0.0.0.0:8650");
  EXPECT_FALSE(c->outbound);
  EXPECT_THAT(ChoosePeers(*c),
              ::testing::ElementsAre("000.00.00.G22", "000.00.00.H41", "000.00.00.H24"));
}

TEST(SutConfig, EachErrorNamesItsKey) {
  struct Case {
    const char* json;
    const char* says;
  };
  for (const Case& c : {
           Case{"[]", "not a JSON object"},
           Case{R"({"agencies":["000.00.00.H53"]})", "'system' is missing"},
           Case{R"({"system":{"id":"a"},"agencies":["000.00.00.H53"]})", "system.'secret'"},
           Case{R"({"system":{"id":"a","secret":"b"},"agencies":["28.22.H53"]})",
                "not an agency identifier"},
           Case{R"({"system":{"id":"a","secret":"b"},"agencies":[]})", "names no agency"},
           Case{R"({"system":{"id":"a","secret":"b"},"agencies":["000.00.00.H53"],"drver":"x"})",
                "unknown key 'drver'"},
           Case{R"({"system":{"id":"a","secret":"b"},"agencies":["000.00.00.H53"],"driver":"x"})",
                "http:// or https://"},
           Case{R"({"system":{"id":"a","secret":"b"},"agencies":["000.00.00.H53"],
                  "hub":{"listen":"8650"}})",
                "HOST:PORT"},
           Case{R"({"system":{"id":"a","secret":"b"},"agencies":["000.00.00.H53"],
                  "peers":["000.00.00.H53"]})",
                "one of the SUT's own agencies"},
       }) {
    auto r = ParseSutConfig(c.json);
    ASSERT_FALSE(r) << c.json;
    EXPECT_EQ(r.error().code, "config.sut");
    EXPECT_THAT(r.error().message, HasSubstr(c.says)) << c.json;
  }
}

TEST(SutConfig, PeersAvoidTheSutsAgencies) {
  SutConfig c;
  c.agencies = {"000.00.00.G22"};
  EXPECT_THAT(ChoosePeers(c),
              ::testing::ElementsAre("000.00.00.H41", "000.00.00.H24", "000.00.00.G01"));
}

TEST(ExpectedFailures, ParsesIdsReasonsAndComments) {
  auto r = ParseExpectedFailures(
      "# known gaps\n\nSIGNATURE-PDF-REVOKED  CRL fetch not done yet\nFLOW-RECALL # ticket 12\n"
      "HUB-SLOW\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->size(), 3u);
  EXPECT_EQ(r->at("SIGNATURE-PDF-REVOKED"), "CRL fetch not done yet");
  EXPECT_EQ(r->at("FLOW-RECALL"), "ticket 12");
  EXPECT_EQ(r->at("HUB-SLOW"), "");
  auto bad = ParseExpectedFailures("OK-ID\nflow recall\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "config.expected");
  EXPECT_THAT(bad.error().message, HasSubstr("line 2"));
}

TEST(Selection, GlobsAndCategories) {
  RunOptions o;
  EXPECT_TRUE(Selected(o, "INBOUND-BAD-DATE", "inbound"));
  o.only = {"INBOUND-*", "HUB-SLOW"};
  EXPECT_TRUE(Selected(o, "INBOUND-BAD-DATE", "inbound"));
  EXPECT_TRUE(Selected(o, "HUB-SLOW", "hub"));
  EXPECT_FALSE(Selected(o, "HUB-ERRORS", "hub"));
  o.only.clear();
  o.categories = {"flows"};
  EXPECT_FALSE(Selected(o, "INBOUND-BAD-DATE", "inbound"));
  EXPECT_TRUE(Selected(o, "FLOW-RECALL", "flows"));
}

ScenarioResult With(std::string id, Verdict v) {
  ScenarioResult s;
  s.scenario.id = std::move(id);
  s.verdict = v;
  return s;
}

TEST(ExitCode, GradesTheRun) {
  RunResult r;
  r.scenarios = {With("A", Verdict::kPass), With("B", Verdict::kSkip), With("C", Verdict::kWarn)};
  EXPECT_EQ(ComputeExitCode(r), 0);  // WARN (SHOULD) does not fail a run
  EXPECT_EQ(r.verdict, Verdict::kPass);
  r.scenarios.push_back(With("D", Verdict::kInconclusive));
  EXPECT_EQ(ComputeExitCode(r), 3);
  r.scenarios.push_back(With("E", Verdict::kFail));
  EXPECT_EQ(ComputeExitCode(r), 1);
  EXPECT_EQ(r.counts[Verdict::kFail], 1);
  r.scenarios.back().expected_failure = true;  // a listed failure does not fail the run
  EXPECT_EQ(ComputeExitCode(r), 3);
  r.scenarios.push_back(With("F", Verdict::kPass));
  r.scenarios.back().unexpected_pass = true;  // a listed failure that passes does
  EXPECT_EQ(ComputeExitCode(r), 1);
  r.scenarios.push_back(With("G", Verdict::kError));
  EXPECT_EQ(ComputeExitCode(r), 2);
  RunResult aborted;
  aborted.aborted = "sanity";
  EXPECT_EQ(ComputeExitCode(aborted), 2);
}

TEST(Profiles, KnownNamesAndTheirDeadlines) {
  EXPECT_EQ(RunProfiles().front().name, "certification");
  auto demo = FindRunProfile("demo");
  ASSERT_TRUE(demo);
  EXPECT_LT(demo->deadlines.fetch, FindRunProfile("certification")->deadlines.fetch);
  auto bad = FindRunProfile("fast");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "config.profile");
  EXPECT_THAT(bad.error().message, HasSubstr("certification, demo"));
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(1500)), "1.5 s");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(300)), "300 ms");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(120000)), "120 s");
}

}  // namespace
}  // namespace vxp::harness
