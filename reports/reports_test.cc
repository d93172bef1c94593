// The report writers over tests/reports/fixture/ (a real run edited to hold every verdict kind;
// tests/reports/make_fixture.py says how): golden junit.xml and report.json, the HTML's
// self-containment and numbers, the pretty printers on hostile input, signed results.
//
// VXP_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (review the diff).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "reports/html.h"
#include "reports/manifest.h"
#include "reports/pretty.h"
#include "reports/report.h"
#include "reports/result_dir.h"
#include "results/file_io.h"
#include "results/json.h"
#include "tests/support/data_files.h"

namespace vxp::reports {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kFixture = std::string(VXP_SOURCE_DIR) + "/tests/reports/fixture";
const std::string kGolden = std::string(VXP_SOURCE_DIR) + "/tests/reports/golden";

const LoadedResult& Fixture() {
  static const LoadedResult loaded = [] {
    auto r = LoadResultDir(kFixture);
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }();
  return loaded;
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  std::string path = kGolden + "/" + name;
  if (std::getenv("VXP_UPDATE_GOLDEN") != nullptr) {
    ASSERT_TRUE(results::WriteFile(path, actual));
    return;
  }
  auto expected = results::ReadFile(path);
  ASSERT_TRUE(expected) << "no golden file " << path << " (VXP_UPDATE_GOLDEN=1 writes it)";
  EXPECT_EQ(*expected, actual) << name << " differs from its golden file; if the change is "
                               << "meant, rerun with VXP_UPDATE_GOLDEN=1 and review the diff";
}

// A scratch copy of the fixture, removed at the end of the test.
struct ScratchDir {
  std::string path;
  ScratchDir() {
    path = (fs::path(VXP_BINARY_DIR) / "reports-test" /
            ::testing::UnitTest::GetInstance()->current_test_info()->name())
               .string();
    fs::remove_all(path);
    fs::create_directories(path);
    fs::copy(kFixture, path, fs::copy_options::recursive);
  }
  ~ScratchDir() { fs::remove_all(path); }
};

TEST(ReadReport, FixtureHasEveryVerdictKind) {
  const results::RunRecord& r = Fixture().run;
  for (Verdict v : results::kVerdictOrder) {
    // NOT RUN belongs to an interrupted run, which has its own test (AnInterruptedRun…).
    if (v != Verdict::kNotRun) {
      EXPECT_GE(results::Counts(r).at(v), 1) << ToString(v);
    }
  }
  EXPECT_EQ(r.scenarios.size(), 9u);  // the sanity check runs first, always
  int expected = 0, unexpected = 0;
  for (const results::ScenarioRecord& s : r.scenarios) {
    expected += s.expected_failure ? 1 : 0;
    unexpected += s.unexpected_pass ? 1 : 0;
  }
  EXPECT_EQ(expected, 1);
  EXPECT_EQ(unexpected, 1);
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_FALSE(results::CountsByCategory(r).empty());
}

TEST(ReadReport, NamesWhatIsWrong) {
  auto not_json = results::ReadRunRecord("{");
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.error().code, "report.input");
  auto other = results::ReadRunRecord(R"({"schema": "vxpkit-result/9"})");
  ASSERT_FALSE(other);
  EXPECT_THAT(other.error().message, HasSubstr("'vxpkit-result/9'"));
  auto text = results::ReadFile(kFixture + "/result.json");
  ASSERT_TRUE(text);
  boost::json::value doc = boost::json::parse(*text);
  doc.at("scenarios").as_array()[2].as_object().erase("verdict");
  auto missing = results::ReadRunRecord(boost::json::serialize(doc));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "result.json: scenarios[2].verdict is missing");
  doc.at("scenarios").as_array()[2].as_object()["verdict"] = "MAYBE";
  auto unknown = results::ReadRunRecord(boost::json::serialize(doc));
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message, HasSubstr("scenarios[2].verdict is 'MAYBE'"));
}

TEST(Golden, JunitXml) { ExpectGolden("junit.xml", JunitXml(Fixture().run)); }
TEST(Golden, ReportJson) { ExpectGolden("report.json", ReportJson(Fixture().run)); }

TEST(Junit, VerdictsMapToJunitElements) {
  std::string xml = JunitXml(Fixture().run);
  // FAIL: failure typed by the rule; expected failure and SKIP: skipped; ERROR and INCONCLUSIVE:
  // error; an unexpected pass: failure.
  EXPECT_THAT(xml, HasSubstr("<failure type=\"RECV-REJECT-SIGNATURE\""));
  EXPECT_THAT(xml, HasSubstr("<skipped type=\"EXPECTED-FAILURE\""));
  EXPECT_THAT(xml, HasSubstr("<skipped type=\"SKIP\""));
  EXPECT_THAT(xml, HasSubstr("<error type=\"INCONCLUSIVE\""));
  EXPECT_THAT(xml, HasSubstr("<error type=\"ERROR\""));
  EXPECT_THAT(xml, HasSubstr("<failure type=\"UNEXPECTED-PASS\""));
}

TEST(Junit, ControlCharactersFromTheSutAreMadeVisibleNotInvalid) {
  results::RunRecord r = Fixture().run;
  r.scenarios[1].verdict = Verdict::kFail;
  Finding f;
  f.rule_id = "LIFE-REASON";
  f.actual =
      "a\x01"
      "b";
  f.message = "the reason was \x02";
  r.scenarios[1].findings.push_back({f, ""});
  std::string xml = JunitXml(r);
  EXPECT_THAT(xml, HasSubstr("a\\x01b"));
  EXPECT_THAT(xml, Not(HasSubstr("\x01")));
}

TEST(Html, SelfContainedNoNetworkAddress) {
  std::string html = Html(Fixture().run, Fixture().evidence);
  // No element loads anything: no src, no <link>, no CSS url(); links stay in the page or point
  // to the evidence files beside it.
  EXPECT_THAT(html, Not(HasSubstr(" src=")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  std::regex href(R"re(href="([^"]*)")re");
  int links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator();
       ++it, ++links) {
    std::string target = (*it)[1];
    EXPECT_TRUE(target.rfind("#", 0) == 0 || target.rfind("evidence/", 0) == 0) << target;
  }
  EXPECT_GT(links, 20);
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
}

TEST(Html, ShowsTheResultsNumbersAndEveryScenario) {
  const results::RunRecord& r = Fixture().run;
  std::string html = Html(r, Fixture().evidence);
  for (Verdict v : results::kVerdictOrder) {
    std::string shown = "data-count=\"" + std::string(ToString(v)) + "\">" +
                        std::to_string(results::Counts(r).at(v)) + "<";
    EXPECT_THAT(html, HasSubstr(shown));
  }
  for (const results::ScenarioRecord& s : r.scenarios) {
    EXPECT_THAT(html, HasSubstr("id=\"s-" + s.id + "\"")) << s.id;
    EXPECT_THAT(html, HasSubstr(Escape(s.replay)));
  }
  EXPECT_THAT(html, HasSubstr("<polyline"));                     // the chart
  EXPECT_THAT(html, HasSubstr("not tested</strong>"));           // coverage with reasons
  EXPECT_THAT(html, HasSubstr("hub-api.md §4"));                 // clause text
  EXPECT_THAT(html, HasSubstr("breaks DSIG-PDF-CERT-EXPIRED"));  // a finding
  EXPECT_THAT(html, HasSubstr("evidence/INBOUND-VALID/sent/document.xml"));
  EXPECT_EQ(html, Html(r, Fixture().evidence)) << "rendering must be deterministic";
}

TEST(Html, HostileEvidenceIsEscapedNeverInterpreted) {
  results::RunRecord r = Fixture().run;
  EvidenceFiles evidence = Fixture().evidence;
  const results::ScenarioRecord& s = r.scenarios[0];
  evidence[s.evidence.dir + "received/1-evil.xml"] =
      "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
  evidence[s.evidence.exchanges] =
      R"([{"seq":1,"operation":"sendEdoc","request":{"method":"POST","target":"/x",)"
      R"("headers":[["X","<script>alert(1)</script>"]],"body":"</pre><img src=x>"},)"
      R"("response":{"status":200,"body":"{\"a\":\"<b>\"}"}}])";
  r.scenarios[0].title = "<script>alert('t')</script>";
  std::string html = Html(r, evidence);
  EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("&lt;!DOCTYPE x"));  // shown as it is
  EXPECT_THAT(html, Not(HasSubstr("root:")));      // and never expanded
  evidence[s.evidence.exchanges] = "not json";
  EXPECT_THAT(Html(r, evidence), HasSubstr("is not a JSON array of exchanges"));
  evidence.erase(s.evidence.exchanges);
  EXPECT_THAT(Html(r, evidence), HasSubstr(Escape(s.evidence.exchanges) + " is missing"));
}

TEST(Html, IdenticalPollsAreFoldedIntoOneLine) {
  results::RunRecord r = Fixture().run;
  EvidenceFiles evidence = Fixture().evidence;
  std::string poll =
      R"({"seq":%d,"operation":"getPendingDocumentIds","request":{"method":"GET","target":"/p",)"
      R"("headers":[],"body":""},"response":{"status":200,"body":"[]"}})";
  std::string all = "[";
  for (int i = 1; i <= 5; ++i) {
    char buf[512];
    std::snprintf(buf, sizeof buf, poll.c_str(), i);
    all += (i > 1 ? "," : "") + std::string(buf);
  }
  evidence[r.scenarios[0].evidence.exchanges] = all + "]";
  EXPECT_THAT(Html(r, evidence), HasSubstr("#1–#5 (5 identical)"));
}

TEST(Pretty, XmlIsIndentedAndLongTextElided) {
  std::string big(5000, 'A');
  std::string xml = "<a><b x=\"1\">" + big + "</b><c/></a>";
  std::string pretty = PrettyXml(xml, 100);
  EXPECT_THAT(pretty, HasSubstr("\n  <b x=\"1\">"));
  EXPECT_THAT(pretty, HasSubstr("…[4900 more characters]"));
  EXPECT_EQ(PrettyXml("<a><b></a>"), "<a><b></a>");  // malformed: unchanged
  std::string dtd = "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>";
  EXPECT_EQ(PrettyXml(dtd), dtd);  // a DTD: unchanged, nothing expanded
}

TEST(Pretty, JsonIsIndentedAndLongStringsElided) {
  EXPECT_EQ(PrettyJson(R"({"a":[1,{"b":"c"}],"d":{}})"),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"c\"\n    }\n  ],\n  \"d\": {}\n}");
  EXPECT_THAT(PrettyJson("{\"k\":\"" + std::string(1000, 'x') + "\"}", 10),
              HasSubstr("…[990 more characters]"));
  EXPECT_EQ(PrettyJson("{not json"), "{not json");
  EXPECT_THAT(PrettyBody(std::string(40000, 'z'), 100), HasSubstr("…[39900 more characters]"));
}

TEST(Pretty, ElideNeverSplitsAUtf8Character) {
  std::string text = "Công văn";  // "ô" is two bytes at offsets 1-2
  EXPECT_EQ(Elide(text, 2), "C…[" + std::to_string(text.size() - 1) + " more characters]");
  EXPECT_EQ(Elide(text, 100), text);
}

TEST(Chart, OnePolylinePerSeriesAndBadPointsIgnored) {
  results::Chart c{
      "Latency",
      "s",
      "ms",
      {{"p50", {{0, 1}, {1, 2}}}, {"p99", {{0, 3}, {1, std::nan("")}}}, {"empty", {}}}};
  std::string svg = SvgChart(c);
  size_t n = 0;
  for (size_t at = svg.find("<polyline"); at != std::string::npos;
       at = svg.find("<polyline", at + 1)) {
    ++n;
  }
  EXPECT_EQ(n, 3u);
  EXPECT_THAT(svg, Not(HasSubstr("nan")));
  EXPECT_THAT(SvgChart(results::Chart{"none", "", "", {}}), HasSubstr("none"));
}

TEST(Formats, ParsesTheListAndNamesAnUnknownFormat) {
  auto all = ParseFormats("html,junit,json");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
  auto bad = ParseFormats("html,pdf");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "report.format");
  EXPECT_THAT(bad.error().message, HasSubstr("'pdf'"));
}

TEST(Manifest, ListsEveryFileAndRedactsTheSecret) {
  FileSet files{{"result.json", R"({"run":{"seed":3},"sut":{"system_id":"s","secret":"hunter2"}})"},
                {"evidence/A/exchanges.json", "[]"}};
  auto m = BuildManifest(files, "0.1.0", {{"v", "00"}});
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_THAT(*m, Not(HasSubstr("hunter2")));
  EXPECT_THAT(*m, HasSubstr(R"x("secret":"(redacted)")x"));
  EXPECT_THAT(*m, HasSubstr(R"("path":"evidence/A/exchanges.json")"));
  auto same = CheckManifest(*m, files);
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->alterations.empty());
  EXPECT_EQ(same->files, 2u);
  FileSet changed = files;
  changed["evidence/A/exchanges.json"] = "[1]";
  changed.erase("result.json");
  changed["evidence/A/extra.xml"] = "<x/>";
  auto diff = CheckManifest(*m, changed);
  ASSERT_TRUE(diff);
  ASSERT_EQ(diff->alterations.size(), 3u);
  std::map<std::string, std::string> kinds;
  for (const Alteration& a : diff->alterations) kinds[a.path] = a.kind;
  EXPECT_EQ(kinds["evidence/A/exchanges.json"], "altered");
  EXPECT_EQ(kinds["result.json"], "missing");
  EXPECT_EQ(kinds["evidence/A/extra.xml"], "added");
  EXPECT_FALSE(BuildManifest({}, "0.1.0", {}));
  auto junk = CheckManifest("[]", files);
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code, "report.manifest");
}

std::string Key(const std::string& name) {
  return testing::Slurp(std::string(VXP_SOURCE_DIR) + "/vectors/keys/" + name);
}

// A run renders its reports from the model in memory; `vxpkit report` later renders them from
// result.json read back. Both must give the same bytes, or a signed result would not re-render.
TEST(WriteReports, FromMemoryAndFromTheDirectoryAreTheSame) {
  ScratchDir from_disk;
  ASSERT_TRUE(WriteReports(from_disk.path, {"html", "junit", "json"}));
  std::string memory = from_disk.path + "-memory";
  fs::remove_all(memory);
  fs::create_directories(memory);
  ASSERT_TRUE(WriteReports(memory, Fixture().run, Fixture().evidence, {"html", "junit", "json"}));
  for (const char* name : {"index.html", "junit.xml", "report.json"}) {
    auto a = results::ReadFile(from_disk.path + "/" + name);
    auto b = results::ReadFile(memory + "/" + name);
    ASSERT_TRUE(a && b) << name;
    EXPECT_EQ(*a, *b) << name;
  }
  fs::remove_all(memory);
}

// An interrupted run: what finished keeps its verdict, the rest is NOT RUN, the run INCOMPLETE,
// and every report says so — JUnit with an error, so that CI shows red.
TEST(Reports, AnInterruptedRunIsIncompleteInEveryReport) {
  results::RunRecord run = Fixture().run;
  run.error.clear();
  run.final_sanity.reset();
  for (size_t i = 5; i < run.scenarios.size(); ++i) {
    run.scenarios[i].verdict = Verdict::kNotRun;
    run.scenarios[i].reason = "not run: the run was interrupted (SIGTERM)";
    run.scenarios[i].findings.clear();
    run.scenarios[i].expected_failure = run.scenarios[i].unexpected_pass = false;
  }
  run.interrupted = "SIGTERM after 5 of 9 scenarios";
  run.verdict = Verdict::kIncomplete;
  run.exit_code = 4;
  auto back = results::ReadRunRecord(results::ToJson(run));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->verdict, Verdict::kIncomplete);
  EXPECT_EQ(back->interrupted, run.interrupted);
  EXPECT_EQ(results::Counts(*back).at(Verdict::kNotRun), 4);

  std::string junit = JunitXml(run);
  EXPECT_THAT(junit, HasSubstr("<skipped type=\"NOT-RUN\" message=\"not run: the run was "
                               "interrupted (SIGTERM)\""));
  EXPECT_THAT(junit, HasSubstr("<error type=\"INCOMPLETE\" message=\"INCOMPLETE: the run was "
                               "interrupted (SIGTERM after 5 of 9 scenarios)"));
  std::string html = Html(run, Fixture().evidence);
  EXPECT_THAT(html, HasSubstr("class=\"banner v-INCOMPLETE\""));
  EXPECT_THAT(html, HasSubstr("<span class=\"badge v-NOT-RUN\">NOT RUN</span>"));
  EXPECT_THAT(html, HasSubstr("The run was interrupted (SIGTERM after 5 of 9 scenarios, exit 4)"));
  EXPECT_THAT(ReportJson(run), HasSubstr("\"NOT RUN\": 4"));
}

TEST(SignedResult, VerifiesAndNamesEveryAlteration) {
  ScratchDir dir;
  ASSERT_TRUE(WriteReports(dir.path, {"html", "junit", "json"}));
  std::string cert = Key("agency-h53.crt") + Key("intermediate-ca.crt");
  auto signed_ok = SignResultDir(dir.path, Key("agency-h53.key"), cert, 1795000000, "0.1.0",
                                 {{"conformance/catalogue", "ab12"}});
  ASSERT_TRUE(signed_ok) << signed_ok.error().message;
  auto v = VerifyResultDir(dir.path, Key("root-ca.crt"));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_TRUE(v->signer.trusted);
  EXPECT_TRUE(v->intact());
  EXPECT_THAT(v->signer.subject, HasSubstr("H53"));
  EXPECT_TRUE(v->check.alterations.empty());
  EXPECT_GT(v->check.files, 30u);  // result.json, reports and the evidence
  auto signed_manifest = results::ReadFile(dir.path + "/manifest.json");
  ASSERT_TRUE(signed_manifest);
  EXPECT_THAT(*signed_manifest, HasSubstr("\"conformance/catalogue\""));

  // Re-rendering is deterministic: the signature still holds.
  ASSERT_TRUE(WriteReports(dir.path, {"html", "junit", "json"}));
  ASSERT_TRUE(VerifyResultDir(dir.path, "")->check.alterations.empty());

  ASSERT_TRUE(results::WriteFile(dir.path + "/evidence/INBOUND-VALID/exchanges.json", "[]"));
  fs::remove(dir.path + "/junit.xml");
  auto altered = VerifyResultDir(dir.path, "");
  ASSERT_TRUE(altered);
  ASSERT_EQ(altered->check.alterations.size(), 2u);
  EXPECT_EQ(altered->check.alterations[0].path, "evidence/INBOUND-VALID/exchanges.json");
  EXPECT_EQ(altered->check.alterations[0].kind, "altered");
  EXPECT_EQ(altered->check.alterations[1].path, "junit.xml");
  EXPECT_EQ(altered->check.alterations[1].kind, "missing");

  auto manifest = results::ReadFile(dir.path + "/manifest.json");
  ASSERT_TRUE(results::WriteFile(dir.path + "/manifest.json", *manifest + " "));
  auto forged = VerifyResultDir(dir.path, "");
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, "signing.detached.mismatch");

  ASSERT_TRUE(results::WriteFile(dir.path + "/manifest.json", *manifest));
  // Another anchor: the files may be intact, but nothing vouches for the signer.
  auto untrusted = VerifyResultDir(dir.path, Key("untrusted-root-ca.crt"));
  ASSERT_TRUE(untrusted) << untrusted.error().message;
  EXPECT_FALSE(untrusted->signer.trusted);
  EXPECT_THAT(untrusted->signer.untrusted_reason, HasSubstr("does not reach the trust anchors"));

  fs::remove(dir.path + "/manifest.json.p7s");
  auto unsigned_dir = VerifyResultDir(dir.path, "");
  ASSERT_FALSE(unsigned_dir);
  EXPECT_EQ(unsigned_dir.error().code, "report.unsigned");
}

// A result whose certifier block names one certificate but that another key signed: the block
// (what every report shows) is a lie, whatever the signature.
TEST(SignedResult, ACertifierBlockNamingAnotherSignerIsMisattributed) {
  ScratchDir dir;
  results::RunRecord run = Fixture().run;
  auto h53 = signing::DescribeSigner(Key("agency-h53.crt"));
  ASSERT_TRUE(h53);
  run.signing = results::SigningRecord{h53->subject,    h53->issuer, h53->fingerprint,
                                       "Nguyễn Văn An", "Certifier", 1795000000000};
  ASSERT_TRUE(results::WriteFile(dir.path + "/result.json", results::ToJson(run)));
  ASSERT_TRUE(WriteReports(dir.path, run, Fixture().evidence, {"html"}));
  auto html = results::ReadFile(dir.path + "/index.html");
  ASSERT_TRUE(html);
  EXPECT_THAT(*html, HasSubstr("<span id=\"certifier\">Nguyễn Văn An</span>"));
  EXPECT_THAT(*html, HasSubstr(h53->fingerprint));

  std::string g22 = Key("agency-g22.crt") + Key("intermediate-ca.crt");
  ASSERT_TRUE(SignResultDir(dir.path, Key("agency-g22.key"), g22, 1795000000, "0.1.0", {}));
  auto v = VerifyResultDir(dir.path, Key("root-ca.crt"));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_TRUE(v->signer.trusted);
  EXPECT_FALSE(v->intact());
  ASSERT_EQ(v->check.alterations.size(), 1u);
  EXPECT_EQ(v->check.alterations[0].kind, "misattributed");
  EXPECT_EQ(v->check.alterations[0].path, "result.json");
  ASSERT_TRUE(v->claim);
  EXPECT_EQ(v->claim->certifier, "Nguyễn Văn An");

  // Signed by the certificate it names: intact.
  std::string h53_chain = Key("agency-h53.crt") + Key("intermediate-ca.crt");
  ASSERT_TRUE(SignResultDir(dir.path, Key("agency-h53.key"), h53_chain, 1795000000, "0.1.0", {}));
  auto ok = VerifyResultDir(dir.path, Key("root-ca.crt"));
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->intact());
}

TEST(SignedResult, RefusesAKeyThatIsNotTheCertificates) {
  ScratchDir dir;
  auto wrong =
      SignResultDir(dir.path, Key("agency-g22.key"), Key("agency-h53.crt"), 0, "0.1.0", {});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, "signing.key");
  EXPECT_FALSE(fs::exists(dir.path + "/manifest.json"));
}

TEST(LoadResultDir, SaysWhenADirectoryIsNotAResult) {
  auto r = LoadResultDir(std::string(VXP_SOURCE_DIR) + "/docs");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "io.read");
  EXPECT_THAT(r.error().message, HasSubstr("is not a result directory"));
}

}  // namespace
}  // namespace vxp::reports
