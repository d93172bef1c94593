// The load engine's parts: the open-model schedule, the judgement of what a run recorded (every
// verdict path, with synthetic records), and the sender against a real hub on loopback.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <set>

#include "core/common/clock.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "harness/load/analysis.h"
#include "harness/load/engine.h"
#include "harness/load/schedule.h"
#include "simulator/agency/agency.h"
#include "simulator/http/server.h"

namespace vxp::load {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(Schedule, ConstantRateIsEvenlySpacedAndJoinsPhases) {
  auto a =
      Arrivals({{"a", Arrival::kConstant, 10, -1, 1s}, {"b", Arrival::kConstant, 20, -1, 1s}}, 1);
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 30u);
  EXPECT_EQ((*a)[0], 50'000);  // centred: half a step in
  EXPECT_EQ((*a)[1], 150'000);
  EXPECT_EQ((*a)[9], 950'000);
  EXPECT_EQ((*a)[10], 1'025'000);  // the second phase at 20/s
  EXPECT_EQ((*a)[29], 1'975'000);
  EXPECT_TRUE(std::is_sorted(a->begin(), a->end()));
}

TEST(Schedule, RampFollowsTheCumulativeRate) {
  // 10/s → 30/s over 10 s: Λ(t) = 10t + t², 200 messages; the n-th (centred) at 10t + t² = n − ½.
  auto a = Arrivals({{"ramp", Arrival::kConstant, 10, 30, 10s}}, 1);
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 200u);
  for (size_t n : {0u, 50u, 199u}) {
    double t = static_cast<double>((*a)[n]) / 1e6;
    EXPECT_NEAR(10 * t + t * t, static_cast<double>(n) + 0.5, 1e-3) << n;
  }
  // Twice as many in the last second as in the first.
  auto in = [&](double from, double to) {
    return std::count_if(a->begin(), a->end(),
                         [&](Micros t) { return t >= from * 1e6 && t < to * 1e6; });
  };
  EXPECT_EQ(in(0, 1), 11);
  EXPECT_EQ(in(9, 10), 29);
}

TEST(Schedule, PoissonHasTheRightMeanAndIsReproducible) {
  std::vector<Phase> phases = {{"p", Arrival::kPoisson, 200, -1, 50s}};
  auto a = Arrivals(phases, 5), b = Arrivals(phases, 5), c = Arrivals(phases, 6);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  // 10,000 expected; a Poisson count has σ = 100.
  EXPECT_NEAR(static_cast<double>(a->size()), 10'000, 400);
  // Exponential gaps: their coefficient of variation is 1 (a constant rate's is 0).
  double sum = 0, sq = 0;
  for (size_t i = 1; i < a->size(); ++i) {
    double g = static_cast<double>((*a)[i] - (*a)[i - 1]);
    sum += g;
    sq += g * g;
  }
  double n = static_cast<double>(a->size() - 1), mean = sum / n;
  EXPECT_NEAR(mean, 5'000, 250);
  EXPECT_NEAR(std::sqrt(sq / n - mean * mean) / mean, 1.0, 0.05);
}

TEST(Schedule, RefusesNonsense) {
  auto neg = Arrivals({{"x", Arrival::kConstant, -1, -1, 1s}}, 1);
  ASSERT_FALSE(neg);
  EXPECT_EQ(neg.error().code, "load.schedule");
  EXPECT_THAT(neg.error().message, HasSubstr("'x'"));
  auto empty = Arrivals({{"y", Arrival::kConstant, 1, -1, 0s}}, 1);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, "load.schedule");
  EXPECT_THAT(empty.error().message, HasSubstr("'y'"));
  auto huge = Arrivals({{"z", Arrival::kConstant, 1e9, -1, 10s}}, 1);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, "load.schedule");
  EXPECT_THAT(huge.error().message, HasSubstr("more than the limit"));
  EXPECT_EQ(ParseArrival("poisson").value(), Arrival::kPoisson);
  EXPECT_FALSE(ParseArrival("bursty"));
}

// ---- Analyze, on synthetic runs: 100 documents at 10/s, each fetched after 5 ms, 01 after
// 20 ms, 03 after 40 ms, acknowledged; `tweak` breaks what a test needs broken.
struct Synthetic {
  Inputs in;
  Shape shape{{{"steady", Arrival::kConstant, 10, -1, 10s}}, 1s};
  Thresholds thresholds{
      .p99_arrived = 500ms, .p99_answered = 1s, .max_error_rate = 0.001, .max_lag = 100ms};

  Synthetic() {
    in.sends.origin = 1'000'000'000;
    for (int i = 0; i < 100; ++i) {
      Micros t = in.sends.origin + i * 100'000;
      std::string id = "000.00.01.G01,2026/11/21," + std::to_string(i) + "/VXP-TAI";
      in.documents.push_back({id, "000.00.01.G01", "000.00.00.H53"});
      in.sends.records.push_back({t, t + 100, t + 2'000, std::to_string(1000 + i), ""});
      in.deliveries[std::to_string(1000 + i)] = {5000 + i, "done", 1};
      in.first_fetches[5000 + i] = t + 5'000;
      in.statuses[id] = {Status(t + 20'000, "01"), Status(t + 40'000, "03")};
    }
    in.sut_requests = 1000;
    in.observed_until = in.sends.origin + 12'000'000;
  }
  static TapStatus Status(Micros at, std::string code) {
    return {at, true, "0", std::move(code), "000.00.00.H53", "000.00.01.G01", ""};
  }
  Analysis Run() const { return Analyze(in, shape, thresholds); }
};

std::vector<std::string> Requirements(const Analysis& r) {
  std::vector<std::string> out;
  for (const Violation& v : r.violations) out.push_back(v.requirement);
  return out;
}

TEST(Analyze, AConformingRunPassesWithItsFigures) {
  Analysis r = Synthetic().Run();
  EXPECT_TRUE(r.violations.empty()) << r.violations.front().message;
  EXPECT_FALSE(r.inconclusive);
  EXPECT_EQ(r.scheduled, 100);
  EXPECT_EQ(r.measured, 90);  // the first second is warm-up
  EXPECT_EQ(r.arrived_once, 100);
  EXPECT_EQ(r.accepted, 100);
  EXPECT_EQ(r.acknowledged, 100);
  EXPECT_EQ(r.arrived.count(), 90);
  EXPECT_EQ(r.arrived.ValueAtPercentile(99), 20'000);
  EXPECT_EQ(r.answered.ValueAtPercentile(50), 40'000);
  EXPECT_EQ(r.submit.ValueAtPercentile(50), 2'000);
  EXPECT_EQ(r.fetch.ValueAtPercentile(50), 5'000);
  EXPECT_NEAR(r.offered_rate, 10, 0.01);
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.charts.size(), 2u);
  EXPECT_EQ(r.charts[0].series.size(), 4u);
  EXPECT_THAT(r.summary[3], HasSubstr("time until its 01: p50 20 ms · p99 20 ms"));
}

TEST(Analyze, ASecond01IsAnIntegrityFailure) {
  Synthetic s;
  auto& st = s.in.statuses.begin()->second;
  st.push_back(Synthetic::Status(st.back().at + 1000, "01"));
  Analysis r = s.Run();
  EXPECT_THAT(Requirements(r), ::testing::Contains("LOAD-INTEGRITY"));
  EXPECT_EQ(r.many_01, 1);
  EXPECT_EQ(r.errors["duplicate-01"], 1);
  // 01 after 03 is also out of order for the lifecycle judge.
  EXPECT_EQ(r.illegal, 1);
  EXPECT_THAT(r.violations.front().message, HasSubstr("1 of 100 documents got more than one 01"));
}

TEST(Analyze, ALostDocumentIsAnIntegrityFailureAndCountsInTheTail) {
  Synthetic s;
  auto it = std::prev(s.in.statuses.end());
  std::string lost = it->first;
  s.in.statuses.erase(it);
  s.in.deliveries.rbegin()->second.status = "pending";
  Analysis r = s.Run();
  EXPECT_EQ(r.no_01, 1);
  EXPECT_EQ(r.unanswered, 1);
  EXPECT_EQ(r.unacknowledged, 1);
  EXPECT_EQ(r.censored_arrived, 1);
  // The lost document waited from its intended time to the end of observation: the max shows it.
  EXPECT_GE(r.arrived.max(), 2'000'000);
  bool named = false;
  for (const Violation& v : r.violations) {
    if (v.requirement == "LOAD-INTEGRITY") named |= v.message.find(lost) != std::string::npos;
  }
  EXPECT_TRUE(named) << "the message names an example document";
  // One document of 90 waiting 2 s is more than 1%: the p99 shows it too.
  EXPECT_THAT(Requirements(r), ::testing::Contains("LOAD-LATENCY"));
}

TEST(Analyze, ARejectionOfAValidDocumentFails) {
  Synthetic s;
  s.in.statuses.begin()->second[1].code = "02";
  s.in.statuses.begin()->second[1].description = "Sai thể thức";
  Analysis r = s.Run();
  EXPECT_EQ(r.rejected, 1);
  EXPECT_THAT(Requirements(r), ::testing::ElementsAre("LOAD-INTEGRITY"));
}

TEST(Analyze, StatusesToTheWrongPartyDoNotCount) {
  Synthetic s;
  for (TapStatus& t : s.in.statuses.begin()->second) t.to = "000.00.00.H53";
  Analysis r = s.Run();
  EXPECT_EQ(r.errors["wrong-party"], 2);
  EXPECT_EQ(r.no_01, 1);
}

TEST(Analyze, SlowAnswersFailTheLatencyBoundWithFigures) {
  Synthetic s;
  // Every fifth document's 01 comes after 800 ms (above the 500 ms bound at p99).
  int i = 0;
  for (auto& [id, st] : s.in.statuses) {
    if (i++ % 5 == 0) st[0].at += 780'000, st[1].at += 780'000;
  }
  Analysis r = s.Run();
  EXPECT_THAT(Requirements(r), ::testing::ElementsAre("LOAD-LATENCY"));
  EXPECT_THAT(r.violations[0].message, HasSubstr("p99 time to 01 was 800 ms"));
  EXPECT_THAT(r.violations[0].message, HasSubstr("500 ms"));
  EXPECT_THAT(r.violations[0].actual, HasSubstr("p50 20 ms"));
}

TEST(Analyze, RefusedSutRequestsFailTheErrorRate) {
  Synthetic s;
  s.in.sut_refused["1003"] = 5;
  Analysis r = s.Run();
  EXPECT_THAT(Requirements(r), ::testing::ElementsAre("LOAD-ERRORS"));
  EXPECT_THAT(r.violations[0].message,
              HasSubstr("0.50% of the SUT's 1000 requests (5 × ErrorCode 1003)"));
}

TEST(Analyze, AGeneratorBehindItsScheduleIsInconclusiveNotFail) {
  Synthetic s;
  // The senders started each document 300 ms late, and the SUT looks slow because of it.
  for (SendRecord& rec : s.in.sends.records) rec.started = rec.intended + 300'000;
  for (auto& [id, st] : s.in.statuses) st[0].at += 600'000, st[1].at += 600'000;
  Analysis r = s.Run();
  ASSERT_TRUE(r.inconclusive);
  EXPECT_THAT(*r.inconclusive, HasSubstr("fell behind its own schedule"));
  EXPECT_THAT(*r.inconclusive, HasSubstr("300 ms"));
  EXPECT_TRUE(r.violations.empty()) << r.violations.front().message;
  // A duplicate is still a fact, whatever the generator did.
  s.in.statuses.begin()->second.push_back(Synthetic::Status(s.in.observed_until - 1, "03"));
  EXPECT_THAT(Requirements(s.Run()), ::testing::Contains("LOAD-INTEGRITY"));
}

TEST(Analyze, TheHubRefusingTheHarnessIsInconclusive) {
  Synthetic s;
  s.in.sends.records[50].error = "hub.9999";
  s.in.sends.records[50].doc_id.clear();
  Analysis r = s.Run();
  ASSERT_TRUE(r.inconclusive);
  EXPECT_THAT(*r.inconclusive, HasSubstr("refused 1 of the 100"));
  EXPECT_EQ(r.errors["harness-refused:hub.9999"], 1);
}

TEST(Analyze, FiguresJsonAndCsvCarryTheFigures) {
  Synthetic s;
  Analysis r = s.Run();
  std::string json = boost::json::serialize(FiguresJson(r, s.shape, s.thresholds));
  EXPECT_THAT(json, HasSubstr("\"p99_ms\":2E1"));
  EXPECT_THAT(json, HasSubstr("\"accepted\":100"));
  EXPECT_THAT(json, HasSubstr("\"generator_behind\":false"));
  std::string csv = DocumentsCsv(s.in);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 101);
  EXPECT_THAT(csv, HasSubstr("\"01@20.0 03@40.0\",yes"));
}

// ---- The sender and the tap against a real hub on loopback.
wire::Millis WallClock() { return SystemMillis(); }

class HubOnLoopback : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = hub::OpenSqliteStore(":memory:");
    ASSERT_TRUE(store);
    // Timestamps are checked for freshness against the hub's clock: the wall clock.
    hub_ = std::make_unique<hub::Hub>(std::move(*store), hub::HubConfig{}, WallClock);
    ASSERT_TRUE(hub_->RegisterSystem({"senders", "s3cret"}, {"000.00.01.G01"}));
    ASSERT_TRUE(hub_->RegisterSystem({"sut", "sut-secret"}, {"000.00.00.H53"}));
    hub_->Subscribe([this](const hub::Event& e) { tap_.OnEvent(e); });
    auto server = http::Server::StartHub({}, *hub_);
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->Stop(500ms);
  }
  SenderOptions Options() {
    SenderOptions o;
    o.client.url = server_->url() + "/XrdAdapter/adapter";
    o.client.credentials = {"senders", "s3cret"};
    o.connections = 2;
    o.lead = 50'000;
    return o;
  }
  std::unique_ptr<hub::Hub> hub_;
  SutTap tap_{"sut"};
  std::unique_ptr<http::Server> server_;
};

// A valid document from the sending system's agency to the SUT's.
Outgoing Message(size_t i) {
  edxml::Package p = edxml::samples::Document();
  p.document()->from.organ_id = "000.00.01.G01";
  p.document()->to.resize(1);
  p.document()->to[0].organ_id = "000.00.00.H53";
  p.document()->document_id = "000.00.01.G01,2026/11/21," + std::to_string(i) + "/VXP-TAI";
  return {"000.00.01.G01", edxml::Serialize(p).value()};
}

// An interrupted run stops its generator: nothing is sent after `stop` says so.
TEST_F(HubOnLoopback, StopsSendingWhenAskedTo) {
  std::vector<Micros> schedule;
  for (int i = 0; i < 50; ++i) schedule.push_back(i * 10'000);
  SenderOptions o = Options();
  o.connections = 1;
  std::atomic<bool> stop{false};
  o.stop = [&] { return stop.load(); };
  // Message 5 is made, then the run is stopped before its time comes.
  auto make = [&](size_t i) {
    if (i == 5) stop = true;
    return Message(i);
  };
  auto run = SendOnSchedule(schedule, make, o);
  ASSERT_TRUE(run) << run.error().message;
  ASSERT_EQ(run->records.size(), 50u);
  for (size_t i = 0; i < 50; ++i) {
    const SendRecord& r = run->records[i];
    if (i < 5) {
      EXPECT_TRUE(r.error.empty()) << i << ": " << r.error;
      EXPECT_FALSE(r.doc_id.empty()) << i;
    } else {
      EXPECT_EQ(r.error, "stopped") << i;
      EXPECT_EQ(r.started, 0) << i;
    }
  }
}

TEST_F(HubOnLoopback, SendsEveryMessageNoEarlierThanItsTimeAndTheTapSeesTheSutAnswer) {
  std::vector<Micros> schedule;
  for (int i = 0; i < 20; ++i) schedule.push_back(i * 10'000);  // 100/s
  auto run = SendOnSchedule(schedule, Message, Options());
  ASSERT_TRUE(run) << run.error().message;
  ASSERT_EQ(run->records.size(), 20u);
  for (size_t i = 0; i < 20; ++i) {
    const SendRecord& r = run->records[i];
    EXPECT_EQ(r.intended, run->origin + schedule[i]);
    EXPECT_GE(r.started, r.intended);
    EXPECT_GE(r.done, r.started);
    EXPECT_TRUE(r.error.empty()) << r.error;
    EXPECT_FALSE(r.doc_id.empty());
  }
  // The reference agency as the SUT: the sample's PDF is unsigned, so it answers 01 then 02.
  clients::HubClientOptions co;
  co.url = server_->url() + "/XrdAdapter/adapter";
  co.credentials = {"sut", "sut-secret"};
  auto sut = mock::MockAgency::Create(clients::HubClient::Create(co).value(),
                                      {.organ_id = "000.00.00.H53", .progress = false}, WallClock);
  ASSERT_TRUE(sut) << sut.error().message;
  for (int round = 0; round < 5 && tap_.answered() < 20; ++round) ASSERT_TRUE((*sut)->Poll());
  EXPECT_EQ(tap_.answered(), 20u);
  EXPECT_EQ(tap_.acknowledged(), 20u);
  EXPECT_EQ(tap_.FirstFetches().size(), 20u);
  auto statuses = tap_.Statuses();
  ASSERT_EQ(statuses.size(), 20u);
  const auto& first = statuses.at("000.00.01.G01,2026/11/21,0/VXP-TAI");
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].code, "01");
  EXPECT_EQ(first[1].code, "02");
  EXPECT_EQ(first[0].to, "000.00.01.G01");
  EXPECT_TRUE(tap_.Refused().empty());
  EXPECT_GT(tap_.requests(), 60);  // listings, 20 fetches, 40 statuses, 20 acknowledgements
}

TEST_F(HubOnLoopback, AStalledHubMakesTheSendsLateAndTheRunInconclusive) {
  // Every submission of the senders takes 200 ms: one connection cannot keep 50/s.
  hub_->faults().Add(hub::ParseFault("latency,op=sendEdoc,system=senders,ms=200").value());
  std::vector<Micros> schedule;
  for (int i = 0; i < 5; ++i) schedule.push_back(i * 20'000);
  SenderOptions o = Options();
  o.connections = 1;
  o.max_connections = 1;  // a generator that may not grow
  auto run = SendOnSchedule(schedule, Message, o);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->connections, 1);
  // The last one could only start after four 200 ms answers.
  EXPECT_GE(run->records[4].started - run->records[4].intended, 4 * 200'000 - 4 * 20'000);
  Inputs in;
  for (size_t i = 0; i < 5; ++i)
    in.documents.push_back({"d" + std::to_string(i), "000.00.01.G01", "000.00.00.H53"});
  in.sends = *run;
  in.observed_until = NowMicros();
  Analysis r =
      Analyze(in, {{{"s", Arrival::kConstant, 50, -1, 100ms}}, 0ms},
              {.p99_arrived = 1s, .p99_answered = 1s, .max_error_rate = 0, .max_lag = 100ms});
  ASSERT_TRUE(r.inconclusive);
  EXPECT_THAT(*r.inconclusive, HasSubstr("fell behind its own schedule"));
  // Nothing answered them yet, but that is not held against the SUT.
  EXPECT_TRUE(r.violations.empty()) << r.violations.front().message;
}

// A hub slow to answer does not hold the open model back: a sender that finds itself late opens
// another connection, so the messages are not queued behind one another's answers.
TEST_F(HubOnLoopback, ASlowHubMakesTheGeneratorOpenMoreConnections) {
  hub_->faults().Add(hub::ParseFault("latency,op=sendEdoc,system=senders,ms=200").value());
  std::vector<Micros> schedule;
  for (int i = 0; i < 10; ++i) schedule.push_back(i * 20'000);
  SenderOptions o = Options();
  o.connections = 1;
  o.max_connections = 6;
  auto run = SendOnSchedule(schedule, Message, o);
  ASSERT_TRUE(run);
  // The second message is due 20 ms after the first, whose answer takes 200 ms: it is late, so
  // the pool grows, and never beyond its bound.
  EXPECT_GT(run->connections, 1);
  EXPECT_LE(run->connections, 6);
  std::set<std::string> ids;
  for (const SendRecord& r : run->records) {
    EXPECT_TRUE(r.error.empty()) << r.error;
    ids.insert(r.doc_id);
  }
  EXPECT_EQ(ids.size(), 10u);  // each sent once, each with its own DocId
  EXPECT_EQ(ids.count(""), 0u);
}

TEST_F(HubOnLoopback, ABadHubUrlIsAnErrorNotACrash) {
  SenderOptions o = Options();
  o.client.url = "not a url";
  auto run = SendOnSchedule({0}, Message, o);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, "http.url");
}

}  // namespace
}  // namespace vxp::load
