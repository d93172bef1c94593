// The result model's one writer and one reader: what the writer writes the reader reads back
// whole (charts, load figures, evidence, coverage), the committed fixture written by an earlier
// vxpkit reads and writes back to the same JSON, and every defect of an edited result.json is
// named by its path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "results/json.h"
#include "results/result_model.h"
#include "tests/support/data_files.h"

namespace vxp::results {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

RunRecord Sample() {
  RunRecord r;
  r.suite_version = "0.1.0";
  r.started = 1795168800123;
  r.finished = 1795168861456;
  r.seed = 7;
  r.strict = true;
  r.profile = "demo";
  r.profile_description = "short deadlines";
  r.deadlines_ms = {{"sanity", 3000}, {"fetch", 2000}};
  r.only = {"INBOUND-*"};
  r.expected_failures = {{"INBOUND-BAD-DATE", "ticket 42"}};
  r.replay = "vxpkit demo --seed 7";
  r.system_id = "vxpkit-demo";
  r.agencies = {"000.00.00.H53"};
  r.driver = "http://127.0.0.1:1";
  r.control = "driver";
  r.outbound = true;
  r.hub_url = "in-process";
  r.peers = {"000.00.00.G22"};
  r.verdict = Verdict::kFail;
  r.exit_code = 1;
  r.aborted = std::nullopt;
  ScenarioRecord s;
  s.id = "LOAD-STEADY";
  s.title = "Steady load";
  s.category = "load";
  s.level = Level::kShould;
  s.requirements = {"LOAD-LATENCY"};
  s.verdict = Verdict::kWarn;
  s.reason = "LOAD-LATENCY: p99 too high";
  s.started = 1795168800200;
  s.duration_ms = 61000;
  Finding f;
  f.rule_id = "LOAD-LATENCY";
  f.level = Level::kShould;
  f.verdict = Verdict::kWarn;
  f.location = {"/edXML/x", 12};
  f.expected = "≤ 2 s";
  f.actual = "\xe9t\xe9";  // ISO-8859-1 bytes the SUT sent: written as their reading
  f.message = "p99 3 s";
  s.findings.push_back({f, "vxpkit decision: load"});
  s.steps = {"sent 100 documents"};
  s.evidence = {"evidence/LOAD-STEADY/",
                "evidence/LOAD-STEADY/exchanges.json",
                {"evidence/LOAD-STEADY/sent/a.xml"},
                {"evidence/LOAD-STEADY/documents.csv"},
                4,
                9};
  s.replay = "vxpkit demo --only LOAD-STEADY --seed 7";
  s.charts = {{"Rates", "s", "docs/s", {{"offered", {{0, 1.5}, {1, 2}}}}}};
  s.load = boost::json::object{{"counts", {{"accepted", 100}}}, {"error_rate", 0.25}};
  r.scenarios.push_back(s);
  ScenarioRecord sanity = s;
  sanity.id = "TRANSPORT-AUTH";
  sanity.charts.clear();
  sanity.load.reset();
  sanity.verdict = Verdict::kPass;
  r.final_sanity = sanity;
  r.requirements = {{"LOAD-LATENCY",
                     "vxpkit",
                     "p99 bounded",
                     Level::kShould,
                     {"LOAD-STEADY"},
                     "",
                     {{"LOAD-STEADY", Verdict::kWarn}}},
                    {"X-1", "spec", "untested", Level::kMay, {}, "needs a person", {}}};
  return r;
}

TEST(ResultJson, WhatIsWrittenIsReadBackWhole) {
  const std::string written = ToJson(Sample());
  auto read = ReadRunRecord(written);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(ToJson(*read), written);
  const ScenarioRecord& s = read->scenarios.at(0);
  EXPECT_EQ(s.verdict, Verdict::kWarn);
  EXPECT_EQ(s.level, Level::kShould);
  EXPECT_EQ(s.started, 1795168800200);
  EXPECT_EQ(s.evidence.first_seq, 4);
  EXPECT_EQ(s.evidence.files.at(0), "evidence/LOAD-STEADY/documents.csv");
  ASSERT_TRUE(s.load.has_value());
  EXPECT_EQ(s.load->at("error_rate").as_double(), 0.25);
  EXPECT_EQ(s.charts.at(0).series.at(0).points.at(0).second, 1.5);
  EXPECT_EQ(s.findings.at(0).finding.actual, "\xc3\xa9t\xc3\xa9");  // é t é, valid UTF-8
  EXPECT_EQ(read->requirements.at(0).results.at(0).second, Verdict::kWarn);
  EXPECT_EQ(read->expected_failures.at("INBOUND-BAD-DATE"), "ticket 42");
  EXPECT_EQ(read->duration_ms(), 61333);
  EXPECT_THAT(written, HasSubstr(R"("counts":{"PASS":0,"FAIL":0,"WARN":1,"SKIP":0,)"));
  EXPECT_FALSE(read->claims.has_value());  // no conformance statement: no "claims" key
  EXPECT_THAT(written, Not(HasSubstr("\"claims\"")));

  RunRecord stated = Sample();
  stated.claims = std::vector<std::string>{"receive", "recall"};
  const std::string with_claims = ToJson(stated);
  auto back = ReadRunRecord(with_claims);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_TRUE(back->claims.has_value());
  EXPECT_THAT(*back->claims, ::testing::ElementsAre("receive", "recall"));
  EXPECT_EQ(ToJson(*back), with_claims);
}

// Every number as a double: chart points are written as doubles (0E0), the fixture has 0.
boost::json::value Numbers(boost::json::value v) {
  if (v.is_number()) return v.to_number<double>();
  if (v.is_array()) {
    for (auto& e : v.as_array()) e = Numbers(e);
  } else if (v.is_object()) {
    for (auto& kv : v.as_object()) kv.value() = Numbers(kv.value());
  }
  return v;
}

TEST(ResultJson, TheCommittedFixtureReadsAndWritesBackTheSame) {
  std::string fixture =
      testing::Slurp(std::string(VXP_SOURCE_DIR) + "/tests/reports/fixture/result.json");
  ASSERT_FALSE(fixture.empty());
  auto read = ReadRunRecord(fixture);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(Numbers(boost::json::parse(ToJson(*read))), Numbers(boost::json::parse(fixture)));
}

TEST(ResultJson, AnEditedFileIsRefusedNamingThePath) {
  boost::json::value v = boost::json::parse(ToJson(Sample()));
  auto refused = [&](auto edit) {
    boost::json::value copy = v;
    edit(copy.as_object());
    auto r = ReadRunRecord(boost::json::serialize(copy));
    EXPECT_FALSE(r);
    return r ? std::string("(read)") : r.error().code + " " + r.error().message;
  };
  EXPECT_EQ(refused([](auto& o) { o["schema"] = "vxpkit-result/0"; }),
            "report.input result.json has schema 'vxpkit-result/0'; this vxpkit reads "
            "vxpkit-result/1");
  EXPECT_THAT(refused([](auto& o) { o["scenarios"].as_array()[0].as_object()["verdict"] = "OK"; }),
              HasSubstr("scenarios[0].verdict is 'OK', not a verdict"));
  EXPECT_THAT(refused([](auto& o) { o["run"].as_object()["started"] = "yesterday"; }),
              HasSubstr("run.started is 'yesterday'"));
  EXPECT_THAT(
      refused([](auto& o) {
        o["scenarios"].as_array()[0].as_object()["findings"].as_array()[0].as_object()["level"] =
            "OFTEN";
      }),
      HasSubstr("scenarios[0].findings[0].level is 'OFTEN'"));
  EXPECT_THAT(refused([](auto& o) { o["sut"].as_object().erase("system_id"); }),
              HasSubstr("sut.system_id is missing"));
  auto junk = ReadRunRecord("not json");
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code, "report.input");
}

TEST(FindingJson, IsTheOneShapeOfAFinding) {
  Finding f;
  f.rule_id = "EDXML-HDR-1.4-DATE";
  f.location = {"/edXML/x", 3};
  boost::json::object o = FindingJson(f);
  EXPECT_EQ(o.size(), 8u);
  EXPECT_EQ(o.at("rule_id").as_string(), "EDXML-HDR-1.4-DATE");
  EXPECT_EQ(o.at("verdict").as_string(), "FAIL");
  EXPECT_EQ(o.at("line").as_int64(), 3);
}

}  // namespace
}  // namespace vxp::results
