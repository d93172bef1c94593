// End to end on loopback: a hub behind the HTTP adapter, reference agencies exchanging documents
// of all four business types and every status code through it (a three-recipient fan-out, a
// recall, a refusal), the driver API, and each fault profile breaking the rule it names — checked
// with the core's lifecycle tracker and the hub's event stream.
#include "simulator/agency/agency.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>

#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "core/lifecycle/lifecycle.h"
#include "core/signing/pdf.h"
#include "core/signing/trust.h"
#include "simulator/agency/driver.h"
#include "simulator/http/server.h"
#include "simulator/hub/directory.h"

namespace vxp::mock {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr wire::Millis kStart = 1795168800000;  // 2026-11-20T10:00:00Z

constexpr const char* kG22 = "000.00.00.G22";
constexpr const char* kH53 = "000.00.00.H53";
constexpr const char* kH41 = "000.00.00.H41";
constexpr const char* kH24 = "000.00.00.H24";

class Exchange : public ::testing::Test {
 protected:
  void SetUp() override {
    auto clock = [this] { return now_.load(); };
    hub_ = std::make_unique<hub::Hub>(std::move(*hub::OpenSqliteStore(":memory:")),
                                      hub::HubConfig{}, clock);
    ASSERT_TRUE(hub_->SeedDirectory(hub::DefaultDirectory()));
    hub_->Subscribe([this](const hub::Event& e) {
      std::lock_guard lock(mu_);
      events_.push_back(e.operation + " " + e.error_code + " " + e.detail);
    });
    auto server = http::Server::StartHub({}, *hub_);
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
  }

  // A client of the hub on the test's clock.
  std::unique_ptr<clients::HubClient> ClientFor(const std::string& system,
                                                const std::string& secret) {
    clients::HubClientOptions c;
    c.url = server_->url() + "/XrdAdapter/adapter";
    c.credentials = {system, secret};
    c.clock = [this] { return now_.load(); };
    return std::move(*clients::HubClient::Create(c));
  }

  // A mock agency for `organ`, in a system of its own ("sys.<level 1>") unless `system` is given.
  MockAgency& Add(const std::string& organ, std::string profile = "reference",
                  AgencyOptions options = {}, std::string system = "") {
    if (system.empty()) {
      system = "sys." + organ.substr(10);
      EXPECT_TRUE(hub_->RegisterSystem({system, "secret-" + system}, {organ}));
    }
    options.organ_id = organ;
    options.profile = std::move(profile);
    // Several workers, so that every test also runs the concurrent round.
    auto agency = MockAgency::Create(
        [&]() -> Result<std::unique_ptr<clients::HubClient>> {
          return ClientFor(system, "secret-" + system);
        },
        options, [this] { return now_.load(); });
    EXPECT_TRUE(agency) << agency.error().message;
    agencies_.push_back(std::move(*agency));
    return *agencies_.back();
  }

  // Polls every agency `rounds` times, a second apart. A reference agency's poll never fails
  // unless the test injected hub faults; a fault profile's failures are kept for the test.
  void Settle(int rounds = 8) {
    for (int i = 0; i < rounds; ++i) {
      for (auto& a : agencies_) {
        auto r = a->Poll();
        if (a->options().profile == "reference" && !faults_injected_) {
          EXPECT_TRUE(r) << a->options().organ_id << ": " << r.error().message;
        } else if (!r) {
          poll_errors_.push_back(r.error().code);
        }
      }
      now_ += 1000;
    }
  }

  // A document from G22 whose PDF is signed, as the raw sample (unsigned) is not.
  static std::string SignedSample() {
    return *edxml::Serialize(edxml::samples::Document(SignedPdf()));
  }
  static std::string SignedPdf() {
    signing::PdfSignOptions o;
    o.signing_time = *signing::ParseTime(signing::test_pki::kPinnedTime);
    return *signing::SignPdf(signing::MakeTestPdf({"test"}),
                             *signing::test_pki::BuiltInCredential("agency-g22"), o);
  }

  std::unique_ptr<clients::HubClient> RawG22() {
    EXPECT_TRUE(hub_->RegisterSystem({"sys.G22", "secret-sys.G22"}, {kG22}));
    return ClientFor("sys.G22", "secret-sys.G22");
  }

  static const HeldDocument* Find(const MockAgency& a, std::string_view direction,
                                  std::string_view document_id,
                                  std::vector<HeldDocument>* storage) {
    *storage = a.Documents();
    for (const HeldDocument& h : *storage) {
      if (h.direction == direction && h.document_id == document_id) return &h;
    }
    return nullptr;
  }

  // The codes `a` sent about a received document.
  static std::vector<std::string> SentCodes(const MockAgency& a, std::string_view document_id) {
    std::vector<HeldDocument> docs;
    const HeldDocument* h = Find(a, "received", document_id, &docs);
    std::vector<std::string> out;
    if (h == nullptr) return out;
    for (const StatusRecord& s : h->statuses) {
      if (s.direction == "sent") out.push_back(s.code);
    }
    return out;
  }

  // The codes the sender received for its document from `recipient`, judged by the lifecycle
  // tracker: every finding is returned as its rule ID.
  static std::pair<std::vector<std::string>, std::vector<std::string>> Judge(
      const MockAgency& sender, std::string_view document_id, std::string_view recipient,
      lifecycle::BusinessType type = lifecycle::BusinessType::kNew) {
    std::vector<HeldDocument> docs;
    const HeldDocument* h = Find(sender, "sent", document_id, &docs);
    std::vector<std::string> codes, rules;
    if (h == nullptr) return {codes, {"NOT-SENT"}};
    lifecycle::Tracker tracker(std::string(document_id), h->from, std::string(recipient), type);
    for (const StatusRecord& s : h->statuses) {
      bool involves = s.direction == "received" ? s.from == recipient : s.to == recipient;
      if (!involves) continue;
      codes.push_back(s.code);
      for (const Finding& f : tracker.Feed({s.code, s.from, s.to, s.description})) {
        rules.push_back(f.rule_id);
      }
    }
    return {codes, rules};
  }

  // The lifecycle rules the statuses `a` sent about a received document break (every copy of it
  // it registered, in order).
  static std::vector<std::string> JudgeReceived(const MockAgency& a, std::string_view document_id) {
    std::vector<std::string> rules;
    std::optional<lifecycle::Tracker> tracker;
    for (const HeldDocument& h : a.Documents()) {
      if (h.direction != "received" || h.document_id != document_id) continue;
      if (!tracker) tracker.emplace(h.document_id, h.from, a.options().organ_id);
      for (const StatusRecord& s : h.statuses) {
        if (s.direction != "sent") continue;
        for (const Finding& f : tracker->Feed({s.code, s.from, s.to, s.description})) {
          rules.push_back(f.rule_id);
        }
      }
    }
    return rules;
  }

  std::vector<std::string> Events() {
    std::lock_guard lock(mu_);
    return events_;
  }

  std::atomic<wire::Millis> now_{kStart};
  std::vector<std::string> poll_errors_;
  bool faults_injected_ = false;  // a reference agency's poll may then fail
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<http::Server> server_;
  std::vector<std::unique_ptr<MockAgency>> agencies_;
  std::mutex mu_;
  std::vector<std::string> events_;
};

TEST_F(Exchange, ThreeRecipientsWalkTheWholeLifecycle) {
  MockAgency& g22 = Add(kG22);
  MockAgency& h53 = Add(kH53);
  MockAgency& h41 = Add(kH41);
  MockAgency& h24 = Add(kH24);
  auto sent = g22.Send({{kH53, kH41, kH24}, 0, "", "Về việc kiểm thử", ""});
  ASSERT_TRUE(sent) << sent.error().message;
  Settle();
  for (const MockAgency* r : {&h53, &h41, &h24}) {
    EXPECT_THAT(SentCodes(*r, sent->document_id), ElementsAre("01", "03", "04", "05", "06"))
        << r->options().organ_id;
    auto [codes, rules] = Judge(g22, sent->document_id, r->options().organ_id);
    EXPECT_THAT(codes, ElementsAre("01", "03", "04", "05", "06")) << r->options().organ_id;
    EXPECT_TRUE(rules.empty()) << ::testing::PrintToString(rules);
  }
  // Every item was acknowledged: nothing is pending anywhere.
  for (const auto& system : {"sys.G22", "sys.H53", "sys.H41", "sys.H24"}) {
    for (const auto& type : {"edoc", "status"}) {
      EXPECT_TRUE(hub_->store().Pending(system, type)->empty()) << system << " " << type;
    }
  }
}

TEST_F(Exchange, InvalidDocumentIsRejectedWithTheRule) {
  MockAgency& sender = Add(kG22, "unsigned-outbound");
  MockAgency& h53 = Add(kH53);
  auto sent = sender.Send({{kH53}, 0, "", "", ""});
  ASSERT_TRUE(sent);
  Settle();
  EXPECT_THAT(SentCodes(h53, sent->document_id), ElementsAre("01", "02"));
  std::vector<HeldDocument> docs;
  const HeldDocument* h = Find(sender, "sent", sent->document_id, &docs);
  ASSERT_NE(h, nullptr);
  ASSERT_EQ(h->statuses.size(), 2u);
  EXPECT_THAT(h->statuses[1].description, HasSubstr("DSIG-PDF-UNSIGNED"));  // the reason names it
}

TEST_F(Exchange, RevokeUpdateReplaceAndRecall) {
  AgencyOptions slow;
  slow.progress = false;  // stay at 03 so the requests meet a document in progress
  MockAgency& g22 = Add(kG22);
  MockAgency& h53 = Add(kH53, "reference", slow);
  auto original = g22.Send({{kH53}, 0, "", "", ""});
  ASSERT_TRUE(original);
  Settle(2);
  std::vector<std::string> ids;
  for (int type : {2, 3, 1}) {
    auto s = g22.Send({{kH53}, type, original->document_id, "", "Lý do"});
    ASSERT_TRUE(s) << type << ": " << s.error().message;
    ids.push_back(s->document_id);
  }
  Settle(3);
  auto type_of = [](int i) { return static_cast<lifecycle::BusinessType>(i); };
  EXPECT_THAT(Judge(g22, ids[0], kH53, type_of(2)).first, ElementsAre("01", "15"));
  EXPECT_THAT(Judge(g22, ids[1], kH53, type_of(3)).first, ElementsAre("01", "15"));
  EXPECT_THAT(Judge(g22, ids[2], kH53, type_of(1)).first, ElementsAre("01", "15"));
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(Judge(g22, ids[i], kH53, type_of(i == 2 ? 1 : 2 + i)).second.empty());
  // After the revoke, driving the original further is the driver's business; the schedule is off.
  EXPECT_THAT(SentCodes(h53, original->document_id), ElementsAre("01", "03"));

  // A recall of a second document: 13 from the sender, 15 from the recipient.
  auto second = g22.Send({{kH53}, 0, "", "", ""});
  ASSERT_TRUE(second);
  Settle(2);
  ASSERT_TRUE(g22.Recall(second->document_id, "", "Gửi nhầm"));
  Settle(2);
  auto [codes, rules] = Judge(g22, second->document_id, kH53);
  EXPECT_THAT(codes, ElementsAre("01", "03", "13", "15"));
  EXPECT_TRUE(rules.empty()) << ::testing::PrintToString(rules);
  EXPECT_EQ(g22.Recall(second->document_id, "", "").error().code, "driver.reason");
}

TEST_F(Exchange, RefusalPolicyAnswers16WithAReason) {
  AgencyOptions refuse;
  refuse.refuse_requests = true;
  MockAgency& g22 = Add(kG22);
  Add(kH53, "reference", refuse);
  auto original = g22.Send({{kH53}, 0, "", "", ""});
  Settle(2);
  auto update = g22.Send({{kH53}, 2, original->document_id, "", "Cập nhật"});
  ASSERT_TRUE(update);
  Settle(2);
  std::vector<HeldDocument> docs;
  const HeldDocument* h = Find(g22, "sent", update->document_id, &docs);
  ASSERT_NE(h, nullptr);
  ASSERT_EQ(h->statuses.size(), 2u);
  EXPECT_EQ(h->statuses[1].code, "16");
  EXPECT_FALSE(h->statuses[1].description.empty());
}

TEST_F(Exchange, ARepeatedDocumentIsRegisteredOnce) {
  MockAgency& h53 = Add(kH53);
  auto raw = RawG22();
  std::string bytes = SignedSample();
  ASSERT_TRUE(raw->SendEdoc(kG22, "edoc", bytes));
  ASSERT_TRUE(raw->SendEdoc(kG22, "edoc", bytes));  // the same document again
  Settle(1);
  EXPECT_EQ(h53.Documents().size(), 1u);
  EXPECT_THAT(SentCodes(h53, edxml::samples::kDocumentId), ElementsAre("01", "03", "04"));
  EXPECT_EQ(h53.Documents()[0].hub_doc_ids.size(), 2u);            // both deliveries are known
  EXPECT_TRUE(hub_->store().Pending("sys.H53", "edoc")->empty());  // and both acknowledged
}

// A round handles its items on several connections at once, but decides them in list order:
// forty documents waiting at once are each answered exactly once (01 then 03), and a revoke that
// waits behind its target in the same round cancels it, its 05 (processes-after-cancel) sent only
// after the target's own 01 and 03.
TEST_F(Exchange, ARoundHandlesItsItemsAtOnceAndDecidesThemInOrder) {
  AgencyOptions options;
  options.progress = false;
  options.workers = 8;
  MockAgency& g22 = Add(kG22);
  MockAgency& h53 = Add(kH53, "processes-after-cancel", options);
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    auto sent = g22.Send({{kH53}, 0, "", "Văn bản " + std::to_string(i), ""});
    ASSERT_TRUE(sent) << sent.error().message;
    ids.push_back(sent->document_id);
  }
  auto revoke = g22.Send({{kH53}, 1, ids.back(), "", "Thu hồi"});
  ASSERT_TRUE(revoke) << revoke.error().message;
  auto handled = h53.Poll();  // one round sees all 41
  ASSERT_TRUE(handled) << handled.error().message;
  EXPECT_EQ(*handled, 41);
  for (size_t i = 0; i + 1 < ids.size(); ++i) {
    EXPECT_THAT(SentCodes(h53, ids[i]), ElementsAre("01", "03")) << ids[i];
  }
  EXPECT_THAT(SentCodes(h53, ids.back()), ElementsAre("01", "03", "05"));
  EXPECT_THAT(SentCodes(h53, revoke->document_id), ElementsAre("01", "15"));
  std::vector<HeldDocument> docs;
  const HeldDocument* target = Find(h53, "received", ids.back(), &docs);
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->judgement, "cancelled by " + revoke->document_id);
  EXPECT_TRUE(hub_->store().Pending("sys.H53", "edoc")->empty());  // every item acknowledged
}

TEST_F(Exchange, AgenciesOfOneSystemHandleOnlyTheirOwnItems) {
  ASSERT_TRUE(hub_->RegisterSystem({"shared", "secret-shared"}, {kG22, kH53}));
  MockAgency* g22 = &Add(kG22, "reference", {}, "shared");
  MockAgency* h53 = &Add(kH53, "reference", {}, "shared");
  auto sent = g22->Send({{kH53}, 0, "", "", ""});
  ASSERT_TRUE(sent);
  Settle(6);
  EXPECT_THAT(SentCodes(*h53, sent->document_id), ElementsAre("01", "03", "04", "05", "06"));
  EXPECT_TRUE(SentCodes(*g22, sent->document_id).empty());  // not G22's to answer
  auto [codes, rules] = Judge(*g22, sent->document_id, kH53);
  EXPECT_EQ(codes.size(), 5u);
  EXPECT_TRUE(rules.empty()) << ::testing::PrintToString(rules);
}

TEST_F(Exchange, DriverApi) {
  MockAgency& g22 = Add(kG22);
  Add(kH53);
  auto req = [&](std::string method, std::string target, std::string body) {
    hub::Request r{std::move(method), std::move(target), {}, std::move(body)};
    hub::Response res = HandleDriver(g22, r);
    return std::make_pair(res.status, boost::json::parse(res.body));
  };
  auto [s1, info] = req("GET", "/driver/v1/info", "");
  EXPECT_EQ(s1, 200);
  EXPECT_EQ(info.at("organId").as_string(), kG22);
  EXPECT_EQ(info.at("api").as_string(), kDriverApi);
  auto [s2, sent] = req("POST", "/driver/v1/send", R"({"to":["000.00.00.H53"],"businessType":0})");
  ASSERT_EQ(s2, 200) << boost::json::serialize(sent);
  std::string doc(sent.at("documentId").as_string());
  Settle(3);
  auto [s3, docs] = req("GET", "/driver/v1/documents", "");
  EXPECT_EQ(s3, 200);
  auto statuses = docs.at("documents").as_array()[0].at("statuses").as_array();
  EXPECT_GE(statuses.size(), 2u);
  EXPECT_EQ(
      req("POST", "/driver/v1/recall", R"({"documentId":")" + doc + R"("})").second.at("error"),
      "driver.reason");
  EXPECT_EQ(req("POST", "/driver/v1/advance", R"({"documentId":"nope","code":"04"})").first, 404);
  EXPECT_EQ(
      req("POST", "/driver/v1/advance", R"({"documentId":"x","code":"13"})").second.at("error"),
      "driver.code");
  EXPECT_EQ(req("POST", "/driver/v1/send", "not json").first, 400);
  EXPECT_EQ(req("POST", "/driver/v1/send", R"({"to":[],"businessType":0})").second.at("error"),
            "driver.request");
  EXPECT_EQ(req("POST", "/driver/v1/send",
                R"({"to":["000.00.00.H53"],"businessType":1,"targetDocumentId":"zz"})")
                .first,
            404);
  EXPECT_EQ(req("GET", "/driver/v2/info", "").first, 404);
  EXPECT_EQ(req("POST", "/driver/v1/reset", "").first, 200);
  EXPECT_TRUE(g22.Documents().empty());
}

TEST_F(Exchange, DriverServedOverHttpWhileThePollerRuns) {
  MockAgency& g22 = Add(kG22);
  Add(kH53);
  auto owned = std::move(agencies_[0]);
  agencies_.erase(agencies_.begin());
  ServiceOptions options;
  options.poll_interval = std::chrono::milliseconds(20);
  options.serve_driver = true;
  auto service = AgencyService::Start(std::move(owned), options);
  ASSERT_TRUE(service) << service.error().message;
  auto client = *http::Client::Create((*service)->driver_url());
  auto res = client->Send("POST", "/driver/v1/send", {{"Content-Type", "application/json"}},
                          R"({"to":["000.00.00.H53"]})");
  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 200) << res->body;
  // The recipient answers; the service's own poller collects the statuses (bounded wait).
  for (int i = 0; i < 200 && g22.Documents()[0].statuses.size() < 5; ++i) {
    agencies_[0]->Poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(g22.Documents()[0].statuses.size(), 5u);  // 01 03 04 05 06
  (*service)->Stop();
}

// Each fault profile breaks the rule it names, and only by that can it be told apart.
struct ProfileCase {
  const char* profile;
  const char* rule;  // what a judge of the exchange finds
};

class ProfileTest : public Exchange, public ::testing::WithParamInterface<ProfileCase> {};

TEST_P(ProfileTest, BreaksItsRule) {
  const ProfileCase& c = GetParam();
  MockAgency& g22 = Add(kG22);
  MockAgency& sut = Add(kH53, c.profile);
  std::string profile = c.profile;
  auto original = g22.Send({{kH53}, 0, "", "", ""});
  ASSERT_TRUE(original);
  Settle(profile == "slow-fetch" ? 2 : 6);
  std::vector<std::string> found;
  auto [codes, rules] = Judge(g22, original->document_id, kH53);
  found.insert(found.end(), rules.begin(), rules.end());
  if (codes.empty()) found.push_back("NO-STATUS");
  if (profile == "ignores-recall" || profile == "status-after-terminal") {
    // Exercise the recall path and the terminal rule with a rejected document.
    auto recalled = g22.Send({{kH53}, 0, "", "", ""});
    Settle(1);
    ASSERT_TRUE(g22.Recall(recalled->document_id, "", "Gửi nhầm"));
    Settle(3);
    auto [c2, r2] = Judge(g22, recalled->document_id, kH53);
    if (profile == "ignores-recall" && std::find(c2.begin(), c2.end(), "15") == c2.end() &&
        std::find(c2.begin(), c2.end(), "16") == c2.end()) {
      found.push_back("RECALL-UNANSWERED");
    }
  }
  for (const std::string& e : poll_errors_) found.push_back("POLL-" + e);
  if (profile == "never-acknowledges" && !hub_->store().Pending("sys.H53", "edoc")->empty()) {
    found.push_back("UNACKNOWLEDGED");
  }
  if (auto sent = hub_->store().Sent("sys.G22", "edoc", std::nullopt); sent) {
    // Each document addressed to the SUT: fetched once, or (a lost answer) twice.
    for (const hub::Delivery& d : *sent) {
      if (d.fetches > 2) found.push_back("REFETCHED-" + std::to_string(d.fetches));
    }
  }
  if (profile == "registers-duplicates" || profile == "reject-without-reason") {
    // Sent twice, as a sender might. Signed: accepted (03); the raw sample is unsigned: 02.
    std::string bytes = profile == "registers-duplicates"
                            ? SignedSample()
                            : *edxml::Serialize(edxml::samples::Document());
    auto raw = RawG22();
    ASSERT_TRUE(raw->SendEdoc(kG22, "edoc", bytes));
    ASSERT_TRUE(raw->SendEdoc(kG22, "edoc", bytes));
    Settle(1);
    for (const std::string& rule : JudgeReceived(sut, edxml::samples::kDocumentId)) {
      found.push_back(rule);
    }
  }
  if (profile == "accepts-bad-signature" || profile == "accepts-invalid-schema") {
    // A package the SUT must reject: an unsigned PDF, or a signed one with an impossible date.
    edxml::Package p =
        edxml::samples::Document(profile == "accepts-invalid-schema" ? SignedPdf() : std::string());
    if (profile == "accepts-invalid-schema") {
      p.document()->promulgation_info.promulgation_date = "2026/13/45";
    }
    ASSERT_TRUE(RawG22()->SendEdoc(kG22, "edoc", *edxml::Serialize(p)));
    Settle(1);
    std::vector<std::string> codes = SentCodes(sut, edxml::samples::kDocumentId);
    if (std::find(codes.begin(), codes.end(), "03") != codes.end()) found.push_back("ACCEPTED-BAD");
  }
  if (profile == "from-mismatch") {
    auto out = sut.Send({{kG22}, 0, "", "", ""});
    found.push_back(out ? "SENT" : "SEND-" + out.error().code);
  }
  if (profile == "polls-edoc-only") {
    ASSERT_TRUE(sut.Send({{kG22}, 0, "", "", ""}));
    Settle(2);
    if (!hub_->store().Pending("sys.H53", "status")->empty()) found.push_back("STATUS-UNPOLLED");
  }
  if (profile == "rejects-valid-documents") {
    auto [c, r] = Judge(g22, original->document_id, kH53);
    if (std::find(c.begin(), c.end(), "02") != c.end()) found.push_back("REJECTED-VALID");
  }
  if (profile == "ignores-business-requests") {
    auto update = g22.Send({{kH53}, 2, original->document_id, "", "Cập nhật"});
    ASSERT_TRUE(update);
    Settle(2);
    auto [c, r] = Judge(g22, update->document_id, kH53, lifecycle::BusinessType::kUpdate);
    if (std::find(c.begin(), c.end(), "15") == c.end() &&
        std::find(c.begin(), c.end(), "16") == c.end()) {
      found.push_back("REQUEST-UNANSWERED");
    }
  }
  if (profile == "loses-on-hub-error" || profile == "reference") {
    // One failed fetch: the reference fetches again on its next poll; the faulty one has lost it.
    hub_->faults().Add(*hub::ParseFault("error,op=getEdoc,system=sys.H53,times=1"));
    faults_injected_ = true;
    auto again = g22.Send({{kH53}, 0, "", "", ""});
    ASSERT_TRUE(again);
    Settle(3);
    if (Judge(g22, again->document_id, kH53).first.empty()) found.push_back("LOST");
  }
  if (profile == "serial-under-load" || profile == "reference") {
    // Three documents at once: all answered within two poll rounds, or a backlog.
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(g22.Send({{kH53}, 0, "", "", ""})->document_id);
    Settle(2);  // the SUT answers in the first round, the sender reads the answers in the second
    int answered = 0;
    for (const std::string& id : ids) answered += Judge(g22, id, kH53).first.empty() ? 0 : 1;
    if (answered < 3) found.push_back("BACKLOG");
  }
  if (profile == "unsigned-outbound" || profile == "malformed-agency-id") {
    auto out = sut.Send({{kG22}, 0, "", "", ""});
    ASSERT_TRUE(out) << out.error().message;
    Settle(1);
    std::vector<HeldDocument> docs;
    const HeldDocument* h = Find(g22, "received", out->document_id, &docs);
    ASSERT_NE(h, nullptr);
    found.push_back(h->judgement.substr(0, h->judgement.find(':', 10)));
  }
  if (profile == "reference") {
    EXPECT_TRUE(found.empty()) << ::testing::PrintToString(found);
  } else {
    EXPECT_THAT(found, ::testing::Contains(HasSubstr(c.rule))) << ::testing::PrintToString(found);
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, ProfileTest,
    ::testing::Values(
        ProfileCase{"reference", ""}, ProfileCase{"never-sends-01", "LIFE-01-FIRST"},
        ProfileCase{"sends-03-before-01", "LIFE-01-FIRST"},
        ProfileCase{"accepts-bad-signature", "ACCEPTED-BAD"},
        ProfileCase{"accepts-invalid-schema", "ACCEPTED-BAD"},
        ProfileCase{"never-acknowledges", "UNACKNOWLEDGED"},
        ProfileCase{"refetches-after-ack", "REFETCHED-3"},
        ProfileCase{"wrong-response-for", "NO-STATUS"},
        ProfileCase{"unsigned-outbound", "rejected: DSIG-PDF-UNSIGNED"},
        ProfileCase{"malformed-agency-id", "rejected: AGENCY-5-FORMAT"},
        ProfileCase{"status-after-terminal", "LIFE-TERMINAL"},
        ProfileCase{"ignores-recall", "RECALL-UNANSWERED"},
        ProfileCase{"registers-duplicates", "LIFE-DUPLICATE"},
        ProfileCase{"wrong-hmac", "POLL-hub.1003"}, ProfileCase{"from-mismatch", "SEND-hub.2010"},
        ProfileCase{"slow-fetch", "NO-STATUS"}, ProfileCase{"reject-without-reason", "LIFE-REASON"},
        ProfileCase{"status-to-wrong-party", "NO-STATUS"},
        ProfileCase{"polls-edoc-only", "STATUS-UNPOLLED"},
        ProfileCase{"rejects-valid-documents", "REJECTED-VALID"},
        ProfileCase{"ignores-business-requests", "REQUEST-UNANSWERED"},
        ProfileCase{"loses-on-hub-error", "LOST"}, ProfileCase{"serial-under-load", "BACKLOG"}),
    [](const auto& info) {
      std::string n = info.param.profile;
      std::replace(n.begin(), n.end(), '-', '_');
      return n;
    });

TEST(ProfilesList, NamesEveryRequiredProfile) {
  std::vector<std::string> names;
  for (const auto& p : Profiles()) names.emplace_back(p.name);
  for (const char* required : {"never-sends-01",
                               "sends-03-before-01",
                               "accepts-bad-signature",
                               "accepts-invalid-schema",
                               "never-acknowledges",
                               "refetches-after-ack",
                               "wrong-response-for",
                               "unsigned-outbound",
                               "malformed-agency-id",
                               "status-after-terminal",
                               "ignores-recall",
                               "registers-duplicates",
                               "wrong-hmac",
                               "from-mismatch",
                               "slow-fetch",
                               "reject-without-reason",
                               "status-to-wrong-party",
                               "polls-edoc-only",
                               "rejects-valid-documents",
                               "ignores-business-requests",
                               "loses-on-hub-error",
                               "serial-under-load"}) {
    EXPECT_THAT(names, ::testing::Contains(required));
  }
  EXPECT_EQ(names.front(), "reference");
}

}  // namespace
}  // namespace vxp::mock
