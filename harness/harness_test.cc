// The harness's own machinery: SUT file and expected-failures parsing, selection, exit codes.
#include "harness/harness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <iterator>
#include <set>

#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "harness/config.h"
#include "harness/observer.h"
#include "harness/profile.h"
#include "harness/run_record.h"

namespace vxp::harness {
namespace {

using ::testing::HasSubstr;

// Runs a second apart never share a DocId; the numbers stay exact in any JSON reader (< 2^53).
TEST(RunOptions, FirstDocIdsFromTheClock) {
  EXPECT_EQ(FirstDocIdAt(1'790'000'000), 1'790'000'000'000'001);
  EXPECT_EQ(FirstDocIdAt(1'790'000'001) - FirstDocIdAt(1'790'000'000), 1'000'000);
  EXPECT_LT(FirstDocIdAt(4'000'000'000), std::int64_t{1} << 53);  // past the year 2096
  // Document series: 1–99999 (an 11-digit CodeNumber at most), distinct within a day.
  std::set<std::int64_t> day;
  for (std::int64_t s = 1'790'000'000; s < 1'790'000'000 + 86'400; ++s) {
    std::int64_t series = DocumentSeriesAt(s);
    ASSERT_GE(series, 1);
    ASSERT_LE(series, 99'999);
    day.insert(series);
  }
  EXPECT_EQ(day.size(), 86'400u);
}

TEST(SutConfig, ParsesAFullFile) {
  auto c = ParseSutConfig(R"({"system":{"id":"acme","secret":"s3"},
    "agencies":["000.00.00.H53","000.00.01.H53"], "hub":{"listen":"0.0.0.0:8650"},
    "driver":"http://127.0.0.1:8700", "outbound":false,
    "product":{"name":"Acme eOffice","version":"5.2.1"}})");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->system_id, "acme");
  EXPECT_EQ(c->product, "Acme eOffice");
  EXPECT_EQ(c->product_version, "5.2.1");
  EXPECT_EQ(c->agencies.size(), 2u);
  EXPECT_EQ(c->hub_listen, "0.0.0.0:8650");
  EXPECT_FALSE(c->outbound);
  EXPECT_FALSE(c->claims.has_value());  // no statement: every scenario applies
  EXPECT_THAT(ChoosePeers(*c),
              ::testing::ElementsAre("000.00.00.G22", "000.00.00.H41", "000.00.00.H24"));
}

TEST(SutConfig, ReadsAConformanceStatement) {
  auto c = ParseSutConfig(R"({"system":{"id":"acme","secret":"s3"},
    "agencies":["000.00.00.H53"], "claims":["receive","revoke"]})");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->claims.has_value());
  EXPECT_THAT(*c->claims, ::testing::ElementsAre("receive", "revoke"));
}

TEST(SutConfig, EachErrorNamesItsKey) {
  struct Case {
    const char* json;
    const char* says;
  };
  for (const Case& c : {
           Case{"[]", "not a JSON object"},
           Case{R"({"system":{"id":"a","secret":"b"},"product":{"name":"x"},
                  "agencies":["000.00.00.H53"]})",
                "product.'version' is missing"},
           Case{"{\n  \"system\": {\"id\": \"a\"},\n  \"agencies\": [\"000.00.00.H53\",]\n}",
                "not JSON: line 3, column 32: "},
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
           Case{R"({"system":{"id":"a","secret":"b"},"agencies":["000.00.00.H53"],
                  "claims":["receive","withdraw"]})",
                "claims: \"withdraw\" is not a capability (receive, send, revoke, update, "
                "replace, recall)"},
           Case{R"({"system":{"id":"a","secret":"b"},"agencies":["000.00.00.H53"],
                  "claims":"receive"})",
                "'claims' must be a list"},
       }) {
    auto r = ParseSutConfig(c.json);
    ASSERT_FALSE(r) << c.json;
    EXPECT_EQ(r.error().code, "config.sut");
    EXPECT_THAT(r.error().message, HasSubstr(c.says)) << c.json;
  }
}

TEST(SutConfig, TheSdkTimeZone) {
  const char* base = R"({"system":{"id":"a","secret":"b"},"agencies":["000.00.00.H53"],)";
  auto utc = ParseSutConfig(std::string(base) + R"("hub":{"utcOffsetMinutes":0}})");
  ASSERT_TRUE(utc) << utc.error().message;
  EXPECT_EQ(utc->utc_offset_minutes, 0);
  EXPECT_FALSE(ParseSutConfig(std::string(base) + R"("hub":{}})")->utc_offset_minutes);
  auto bad = ParseSutConfig(std::string(base) + R"("hub":{"utcOffsetMinutes":"+07:00"}})");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("hub.utcOffsetMinutes"));
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

TEST(Summary, AStoppedRunSaysWhyItsVerdictIsNotTheCounts) {
  RunResult r;
  r.sut.system_id = "acme";
  r.profile = *FindRunProfile("demo");
  r.scenarios = {With("TRANSPORT-AUTH", Verdict::kFail)};
  r.aborted = "the sanity check TRANSPORT-AUTH failed";
  ComputeExitCode(r);
  std::string text = Summary(r, "");
  EXPECT_THAT(text, HasSubstr("FAIL 1"));
  EXPECT_THAT(text, HasSubstr("ERROR 0"));
  EXPECT_THAT(text, HasSubstr("verdict ERROR (exit 2): the run stopped at the sanity check, so "
                              "the SUT was not judged"));
  RunResult plain;
  plain.scenarios = {With("A", Verdict::kFail)};
  ComputeExitCode(plain);
  EXPECT_THAT(Summary(plain, ""), HasSubstr("verdict FAIL (exit 1)\n"));
}

// Reads back what the SDK's ISO-8859-1 header bytes were: each code point one byte.
std::string Latin1Bytes(std::string_view utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(((c & 0x03) << 6) | (utf8[++i] & 0x3F));
    }
  }
  return out;
}

TEST(Evidence, EveryFileParsesWhateverBytesArrived) {
  RunResult r;
  r.sut.system_id = "acme";
  r.profile = *FindRunProfile("demo");
  ScenarioResult s = With("TRANSPORT-ACK", Verdict::kFail);
  s.first_seq = 1;
  s.end_seq = 3;
  // "Đã xử lý" as the Java SDK sends it in a header: the low byte of each character.
  const std::string description = "\x10\xE3 \xED\x1B l\xFD";
  s.findings.push_back(Finding{.rule_id = "API-ACK", .actual = "said: " + description});
  r.scenarios = {s};
  Exchange x;
  x.seq = 1;
  x.operation = "updateStatus";
  x.request_headers = {{"XroadVnpt-description", description}, {"XroadVnpt-docid", "7"}};
  x.request_body = "\xFF\xFE{}";
  x.response_body = R"({"status":"OK"})";
  r.exchanges = {x};
  ComputeExitCode(r);
  const std::string dir = ::testing::TempDir() + "/vxp-evidence-utf8";
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto evidence = WriteRun(dir, r, MakeRecord(r, {}, "test"));
  ASSERT_TRUE(evidence) << evidence.error().message;
  // What the reports are rendered from, in memory, is what was written.
  EXPECT_EQ(evidence->at("evidence/TRANSPORT-ACK/exchanges.json"),
            read(dir + "/evidence/TRANSPORT-ACK/exchanges.json"));
  boost::system::error_code ec;
  // boost::json refuses invalid UTF-8, as every strict JSON reader does.
  boost::json::value exchanges =
      boost::json::parse(read(dir + "/evidence/TRANSPORT-ACK/exchanges.json"), ec);
  ASSERT_FALSE(ec) << ec.message();
  const auto& request = exchanges.as_array()[0].as_object().at("request").as_object();
  const auto& header = request.at("headers").as_array()[0].as_array();
  ASSERT_EQ(header.size(), 3u);
  EXPECT_EQ(header[2].as_string(), "iso-8859-1");
  EXPECT_EQ(Latin1Bytes(header[1].as_string()), description);  // the exact bytes come back
  EXPECT_EQ(request.at("headers").as_array()[1].as_array().size(), 2u);  // UTF-8 stays as it is
  EXPECT_EQ(request.at("body_encoding").as_string(), "iso-8859-1");
  EXPECT_EQ(Latin1Bytes(request.at("body").as_string()), "\xFF\xFE{}");
  boost::json::parse(read(dir + "/result.json"), ec);
  EXPECT_FALSE(ec) << ec.message();
}

// Parse once: the observer keeps the package the hub parsed (the same object, not a copy),
// parses only what the hub refused before parsing, and does not parse again what the hub could
// not parse.
TEST(Observer, ReusesTheHubsParseAndParsesOnlyWhatTheHubDidNot) {
  Observer observer("sut", "peers");
  const std::string bytes = *edxml::Serialize(edxml::samples::Status("01"));
  auto event = [&](std::string error_code, std::string body, bool parsed) {
    hub::Request request{"POST",
                         "/XrdAdapter/adapter/sendEdoc",
                         {{"XroadVnpt-systemid", "sut"}, {"XroadVnpt-messagetype", "status"}},
                         std::move(body)};
    hub::Response response;
    hub::Event e;
    e.operation = "sendEdoc";
    e.system_id = "sut";
    e.error_code = std::move(error_code);
    e.request = &request;
    e.response = &response;
    if (parsed) {
      e.package = std::make_shared<const edxml::ParsedPackage>(*edxml::ParsePackage(bytes));
    }
    observer.OnEvent(e);
    return e.package;
  };
  auto hubs = event("0", bytes, true);
  event(std::string(wire::errors::kForeignFrom.code), bytes, false);  // refused before parsing
  event(std::string(wire::errors::kPackageMalformed.code), "<edXML", false);
  std::vector<SutPackage> packages = observer.Packages();
  ASSERT_EQ(packages.size(), 3u);
  EXPECT_EQ(packages[0].parsed.get(), hubs.get());
  ASSERT_TRUE(packages[1].package);  // parsed here, off the hub's threads
  EXPECT_EQ(packages[1].package->status()->status_code, "01");
  EXPECT_FALSE(packages[2].package);
  EXPECT_TRUE(packages[2].parse_tried);
  ASSERT_EQ(observer.Statuses().size(), 2u);
  EXPECT_FALSE(observer.Statuses()[1].accepted);
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
