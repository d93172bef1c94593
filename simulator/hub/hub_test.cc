// The hub core as a request handler, without sockets: every operation, fan-out, status routing,
// acknowledgements, relay modes, the submit policy, each refusal with its catalogue code, and the
// event stream.
#include "simulator/hub/hub.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <optional>

#include "core/edxml/base64.h"
#include "core/edxml/parse.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "core/edxml/validate.h"

namespace vxp::hub {
namespace {

using ::testing::HasSubstr;
namespace errors = wire::errors;

constexpr wire::Millis kNow = 1795168800000;  // 2026-11-20T10:00:00Z

// A client as the SDK is one: each call signed at its own millisecond, so no two calls carry the
// same signed headers (the hub refuses a repeated state change as a replay).
struct Client {
  wire::Credentials creds;
  std::string from;
  mutable int calls = 0;

  Request Make(std::string_view op, std::vector<std::pair<std::string, std::string>> params,
               std::string body = "", std::string method = "") const {
    if (method.empty()) {
      const wire::Operation* info = wire::FindOperation(op);
      method = info != nullptr ? std::string(info->method) : "POST";
    }
    wire::Headers h = wire::BuildHeaders(creds, wire::FormatTimestamp(kNow + ++calls),
                                         "application/json", params);
    return Request{std::move(method), "/XrdAdapter/adapter/" + std::string(op), std::move(h),
                   std::move(body)};
  }

  // A sendEdoc of `bytes` as the SDK sends it, from this client's agency (or `as`).
  Request SendRequest(const std::string& bytes, std::string as = "") const {
    return Make("sendEdoc",
                {{"from", as.empty() ? from : as},
                 {"servicetype", "eDoc"},
                 {"messagetype", "edoc"},
                 {"hash-file", wire::HashFile(bytes)}},
                bytes);
  }
};

std::string S(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

boost::json::object Json(const Response& r) {
  EXPECT_EQ(r.status, 200);
  return boost::json::parse(r.body).as_object();
}

std::string Code(const Response& r) { return std::string(Json(r).at("ErrorCode").as_string()); }

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override { Make(HubConfig{}); }

  void Make(HubConfig config) {
    hub_ =
        std::make_unique<Hub>(std::move(*OpenSqliteStore(":memory:")), config, [] { return kNow; });
    ASSERT_TRUE(hub_->RegisterSystem({"00.22.W00", "vpcp"}, {"000.00.00.G22"}));
    ASSERT_TRUE(hub_->RegisterSystem({"00.53.W00", "tayninh"}, {"000.00.00.H53"}));
    ASSERT_TRUE(hub_->RegisterSystem({"00.41.W00", "namdinh"}, {"000.00.00.H41"}));
    hub_->Subscribe(
        [this](const Event& e) { events_.push_back(e.operation + " " + e.error_code); });
  }

  std::string Send(const Client& c, const edxml::Package& p, std::string type = "edoc") {
    std::string bytes = *edxml::Serialize(p);
    Response r = hub_->Handle(c.Make("sendEdoc",
                                     {{"from", c.from},
                                      {"servicetype", "eDoc"},
                                      {"messagetype", type},
                                      {"hash-file", wire::HashFile(bytes)}},
                                     bytes + "\r\n"));
    auto j = Json(r);
    EXPECT_TRUE(j.contains("DocId"));  // success or not: the SDK reads it unconditionally
    return Code(r) == "0" ? std::string(j.at("DocId").as_string()) : "ERR " + Code(r);
  }

  boost::json::array Pending(const Client& c, std::string type = "edoc") {
    auto j = Json(hub_->Handle(
        c.Make("getReceivedEdocList", {{"servicetype", "eDoc"}, {"messagetype", type}})));
    return j.at("data").as_array();
  }

  std::string Get(const Client& c, std::string_view doc_id) {
    auto j = Json(hub_->Handle(c.Make("getEdoc", {{"docId", std::string(doc_id)}}, "{}")));
    if (S(j.at("ErrorCode")) != "0") return "ERR " + std::string(j.at("ErrorCode").as_string());
    return *edxml::DecodeBase64ToString(j.at("data").as_string());
  }

  std::string Ack(const Client& c, std::string_view doc_id, std::string status = "done") {
    return Code(hub_->Handle(
        c.Make("updateStatus", {{"docid", std::string(doc_id)}, {"status", status}}, "{}")));
  }

  const Client g22_{{"00.22.W00", "vpcp"}, "000.00.00.G22"};
  const Client h53_{{"00.53.W00", "tayninh"}, "000.00.00.H53"};
  const Client h41_{{"00.41.W00", "namdinh"}, "000.00.00.H41"};
  std::unique_ptr<Hub> hub_;
  std::vector<std::string> events_;
};

edxml::Package ToBoth() {
  edxml::Package p = edxml::samples::Document();
  edxml::Organization h41 = p.document()->to[0];
  h41.organ_id = "000.00.00.H41";
  p.document()->to.push_back(h41);
  return p;
}

TEST_F(HubTest, FanOutListFetchAcknowledge) {
  std::string sent = Send(g22_, ToBoth());
  ASSERT_FALSE(sent.starts_with("ERR")) << sent;
  auto for_h53 = Pending(h53_);
  auto for_h41 = Pending(h41_);
  ASSERT_EQ(for_h53.size(), 1u);
  ASSERT_EQ(for_h41.size(), 1u);
  std::string doc_h53(for_h53[0].at("docId").as_string());
  std::string doc_h41(for_h41[0].at("docId").as_string());
  EXPECT_NE(doc_h53, doc_h41);  // each recipient gets its own docId
  EXPECT_EQ(S(for_h53[0].at("from")), "000.00.00.G22");
  EXPECT_EQ(S(for_h53[0].at("to")), "000.00.00.H53");
  EXPECT_EQ(S(for_h53[0].at("messageType")), "edoc");
  EXPECT_EQ(Get(h53_, doc_h53), *edxml::Serialize(ToBoth()));  // verbatim relay
  EXPECT_EQ(Get(h53_, doc_h41), "ERR " + std::string(errors::kUnknownDocId.code));  // not theirs
  EXPECT_EQ(Ack(h53_, doc_h53), "0");
  EXPECT_TRUE(Pending(h53_).empty());
  EXPECT_EQ(Pending(h41_).size(), 1u);  // un-acknowledged items stay listed

  auto sent_list = Json(hub_->Handle(g22_.Make(
      "getSentEdocList", {{"servicetype", "eDoc"}, {"messagetype", "edoc"}, {"docId", sent}})));
  auto rows = sent_list.at("data").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(S(rows[0].at("senderDocId")), sent);
  EXPECT_EQ(S(rows[0].at("receiveStatus")), "done");
  EXPECT_EQ(S(rows[1].at("receiveStatus")), "pending");
  EXPECT_EQ(S(rows[0].at("notation")), "7816/VPCP-TTĐT");

  auto count = Json(hub_->Handle(h41_.Make("countReceiveEdoc", {{"messagetype", "edoc"}}, "{}")));
  EXPECT_EQ(count.at("count").as_int64(), 1);
}

TEST_F(HubTest, StatusIsRoutedToResponseFor) {
  ASSERT_FALSE(Send(g22_, edxml::samples::Document()).starts_with("ERR"));
  std::string status = Send(h53_, edxml::samples::Status("01"), "status");
  ASSERT_FALSE(status.starts_with("ERR")) << status;
  auto for_g22 = Pending(g22_, "status");
  ASSERT_EQ(for_g22.size(), 1u);
  EXPECT_EQ(S(for_g22[0].at("from")), "000.00.00.H53");
  auto pkg = edxml::ParsePackage(Get(g22_, std::string(for_g22[0].at("docId").as_string())));
  ASSERT_TRUE(pkg);
  EXPECT_EQ(pkg->package.status()->status_code, "01");
  auto count = Json(hub_->Handle(g22_.Make("countReceiveStatus", {{"messagetype", "status"}})));
  EXPECT_EQ(count.at("count").as_int64(), 1);
}

TEST_F(HubTest, DownloadReturnsTheBytes) {
  Send(g22_, edxml::samples::Document());
  std::string doc(Pending(h53_)[0].at("docId").as_string());
  Response r = hub_->Handle(h53_.Make("downloadEdoc", {{"docId", doc}}, "", "GET"));
  EXPECT_EQ(r.content_type, "application/octet-stream");
  EXPECT_EQ(r.body, *edxml::Serialize(edxml::samples::Document()));
}

TEST_F(HubTest, ReserializeAppendsATraceHeader) {
  Make(HubConfig{.relay = RelayMode::kReserialize});
  Send(g22_, edxml::samples::Document());
  auto got = edxml::ParsePackage(Get(h53_, std::string(Pending(h53_)[0].at("docId").as_string())));
  ASSERT_TRUE(got);
  const auto& traces = got->package.trace_header_list->trace_headers;
  ASSERT_EQ(traces.size(), 2u);
  EXPECT_EQ(traces[1].organ_id, "000.00.00.G22");
  EXPECT_EQ(traces[1].timestamp, "2026/11/20 17:00:00");
}

TEST_F(HubTest, ReserializeDeliversWhatTheLiveHubDelivers) {
  Make(HubConfig{.relay = RelayMode::kReserialize});
  Send(g22_, edxml::samples::Document());
  std::string got = Get(h53_, std::string(Pending(h53_)[0].at("docId").as_string()));
  auto parsed = edxml::ParsePackage(got);
  ASSERT_TRUE(parsed);
  // Zipped PDF, reordered header: the standard's letter warns or fails, a receiver copes.
  EXPECT_EQ(parsed->package.manifest->references.front().content_type, "application/zip");
  edxml::ValidateOptions strict;
  strict.rules.today = Date{2026, 11, 21};
  edxml::Judgement letter = edxml::Validate(got, strict);
  EXPECT_TRUE(HasRule(letter.findings, "EDXML-1-ORDER"));
  edxml::Judgement receiver = edxml::Validate(got, edxml::ReceiverOptions(Date{2026, 11, 21}));
  EXPECT_NE(receiver.verdict, Verdict::kFail);
  // A status travels as it came: it has no TraceHeaderList to append to.
  edxml::Package status = edxml::samples::Status("01");
  status.status()->from.organ_id = "000.00.00.H53";
  status.status()->response_for.organ_id = "000.00.00.G22";
  ASSERT_EQ(Send(h53_, status, "status").substr(0, 3) == "ERR", false);
  std::string pending(Pending(g22_, "status")[0].at("docId").as_string());
  EXPECT_EQ(Get(g22_, pending), *edxml::Serialize(status));
}

TEST_F(HubTest, RejectPolicyRefusesInvalidPackagesWithTheRule) {
  Make(HubConfig{.policy = SubmitPolicy::kReject});
  edxml::Package bad = edxml::samples::Document();
  bad.document()->promulgation_info.promulgation_date = "2026-11-20";
  std::string bytes = *edxml::Serialize(bad);
  Response r = hub_->Handle(g22_.SendRequest(bytes));
  auto j = Json(r);
  EXPECT_EQ(S(j.at("ErrorCode")), errors::kPackageInvalid.code);
  EXPECT_THAT(std::string(j.at("ErrorDesc").as_string()), HasSubstr("EDXML-"));
  EXPECT_EQ(S(j.at("DocId")), "");
  EXPECT_TRUE(Pending(h53_).empty());
}

TEST_F(HubTest, EachSendRefusalHasItsCode) {
  auto send = [&](const Client& c, std::string from, std::string body, std::string type = "edoc",
                  std::optional<std::string> hash = std::nullopt) {
    std::vector<std::pair<std::string, std::string>> params = {
        {"from", from}, {"servicetype", "eDoc"}, {"messagetype", type}};
    if (!hash) hash = wire::HashFile(body);
    if (!hash->empty()) params.emplace_back("hash-file", *hash);
    return Code(hub_->Handle(c.Make("sendEdoc", params, body)));
  };
  std::string doc = *edxml::Serialize(edxml::samples::Document());
  EXPECT_EQ(send(g22_, "000.00.00.H53", doc), errors::kForeignFrom.code);
  EXPECT_EQ(send(g22_, g22_.from, doc, "edoc", ""), errors::kBadParameter.code);  // no hash-file
  EXPECT_EQ(send(g22_, "", doc), errors::kBadParameter.code);
  EXPECT_EQ(send(g22_, g22_.from, doc, "letter"), errors::kBadParameter.code);
  EXPECT_EQ(send(g22_, g22_.from, doc, "status"), errors::kBadParameter.code);
  EXPECT_EQ(send(g22_, g22_.from, doc, "edoc", "abc123"), errors::kHashFileMismatch.code);
  EXPECT_EQ(send(g22_, g22_.from, "<html/>"), errors::kPackageMalformed.code);
  EXPECT_EQ(send(g22_, g22_.from, "<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>"),
            errors::kPackageMalformed.code);
  EXPECT_EQ(send(h53_, h53_.from, doc), errors::kFromMismatch.code);
  edxml::Package unknown = edxml::samples::Document();
  unknown.document()->to[0].organ_id = "000.00.00.H99";
  EXPECT_EQ(send(g22_, g22_.from, *edxml::Serialize(unknown)), errors::kUnknownRecipient.code);
  Make(HubConfig{.max_package_bytes = 1000});
  EXPECT_EQ(send(g22_, g22_.from, doc), errors::kPackageTooLarge.code);
}

TEST_F(HubTest, AuthenticationRefusalsComeFromTheWireLayer) {
  Client wrong_secret{{"00.22.W00", "guess"}, "000.00.00.G22"};
  EXPECT_EQ(Code(hub_->Handle(wrong_secret.Make("getReceivedEdocList", {{"messagetype", "edoc"}}))),
            errors::kBadHmac.code);
  Client stranger{{"99.99.W99", "x"}, ""};
  EXPECT_EQ(Code(hub_->Handle(stranger.Make("getAgenciesList", {}))), errors::kUnknownSystem.code);
  Request bare{"POST", "/adapter/getEdoc", {}, "{}"};
  EXPECT_EQ(Code(hub_->Handle(bare)), errors::kMissingHeader.code);
  EXPECT_EQ(Code(hub_->Handle(g22_.Make("stealEverything", {}))), errors::kUnknownOperation.code);
}

// The operation table is what dispatch reads: every operation has a handler (none falls through to
// another's answer or to UNKNOWN_OPERATION), each required parameter missing is BAD_PARAMETER
// naming it, sent but unsigned it is still missing, and DocId is in every sendEdoc answer.
TEST_F(HubTest, EveryOperationOfTheTableIsDispatched) {
  ASSERT_EQ(wire::Operations().size(), static_cast<size_t>(wire::kOperationCount));
  for (const wire::Operation& op : wire::Operations()) {
    SCOPED_TRACE(std::string(op.name));
    EXPECT_TRUE(Hub::Handles(op.op));
    std::vector<std::pair<std::string, std::string>> all;
    for (std::string_view name : op.required) all.emplace_back(std::string(name), "x");
    events_.clear();
    Response r = hub_->Handle(g22_.Make(op.name, all, "{}", std::string(op.method)));
    if (r.content_type == "application/json") {
      EXPECT_NE(Code(r), errors::kUnknownOperation.code);
      EXPECT_EQ(Json(r).contains("DocId"), op.doc_id_always);
    }
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_EQ(events_[0].substr(0, events_[0].find(' ')), op.name);
    for (std::string_view missing : op.required) {
      auto without = all;
      std::erase_if(without, [&](const auto& p) { return p.first == missing; });
      Response refused = hub_->Handle(g22_.Make(op.name, without, "{}", std::string(op.method)));
      EXPECT_EQ(Code(refused), errors::kBadParameter.code) << missing;
      EXPECT_THAT(std::string(Json(refused).at("ErrorDesc").as_string()),
                  HasSubstr("XroadVnpt-" + std::string(missing) + " is required"));
      EXPECT_EQ(Json(refused).contains("DocId"), op.doc_id_always);
      // Sent, but not among the signed headers: as good as absent.
      Request unsigned_param = g22_.Make(op.name, without, "{}", std::string(op.method));
      unsigned_param.headers.emplace_back("XroadVnpt-" + std::string(missing), "x");
      EXPECT_EQ(Code(hub_->Handle(unsigned_param)), errors::kBadParameter.code) << missing;
    }
  }
  EXPECT_EQ(wire::FindOperation("sendedoc"), nullptr);  // the SDK's spelling only
  EXPECT_EQ(wire::FindOperation("getEdoc")->op, wire::Op::kGetEdoc);
}

TEST_F(HubTest, AnAcknowledgementIsFinal) {
  Send(g22_, ToBoth());
  std::string doc(Pending(h53_)[0].at("docId").as_string());
  std::string other(Pending(h41_)[0].at("docId").as_string());
  EXPECT_EQ(Ack(h53_, doc, "done"), "0");
  EXPECT_EQ(Ack(h53_, doc, "processing"), errors::kStatusFinal.code);
  EXPECT_EQ(Ack(h53_, doc, "fail"), errors::kStatusFinal.code);
  EXPECT_EQ(Ack(h53_, doc, "done"), "0");  // the same acknowledgement again changes nothing
  EXPECT_TRUE(Pending(h53_).empty());      // not listed again
  EXPECT_EQ(Ack(h41_, other, "fail"), "0");
  EXPECT_EQ(Ack(h41_, other, "done"), errors::kStatusFinal.code);
  // The sender's view never goes back.
  auto rows = Json(hub_->Handle(g22_.Make("getSentEdocList",
                                          {{"servicetype", "eDoc"}, {"messagetype", "edoc"}})))
                  .at("data")
                  .as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(S(rows[0].at("receiveStatus")), "done");
  EXPECT_EQ(S(rows[1].at("receiveStatus")), "fail");
}

TEST_F(HubTest, ARepeatedSendIsAnsweredWithItsFirstDocIdAndStoredOnce) {
  std::string bytes = *edxml::Serialize(edxml::samples::Document());
  Request send = g22_.SendRequest(bytes);
  auto first = Json(hub_->Handle(send));
  auto again = Json(hub_->Handle(send));
  EXPECT_EQ(S(first.at("ErrorCode")), "0");
  EXPECT_EQ(S(again.at("ErrorCode")), "0");
  EXPECT_EQ(S(again.at("DocId")), S(first.at("DocId")));
  EXPECT_EQ(Pending(h53_).size(), 1u);  // stored once
  // The captured headers with another body: hash-file is signed, so it does not fit.
  Request other_body = send;
  other_body.body = "<edXML>anything</edXML>";
  EXPECT_EQ(Code(hub_->Handle(other_body)), errors::kHashFileMismatch.code)
      << "a done sendEdoc's headers answer its DocId only for the body they sign";
}

TEST_F(HubTest, ARepeatedStateChangeIsRefusedAndReadsMayRepeat) {
  Send(g22_, edxml::samples::Document());
  std::string doc(Pending(h53_)[0].at("docId").as_string());
  Request ack = h53_.Make("updateStatus", {{"docid", doc}, {"status", "processing"}}, "{}");
  EXPECT_EQ(Code(hub_->Handle(ack)), "0");
  Response replayed = hub_->Handle(ack);
  EXPECT_EQ(Code(replayed), errors::kReplay.code);
  EXPECT_THAT(std::string(Json(replayed).at("ErrorDesc").as_string()), HasSubstr("already done"));
  Request get = h53_.Make("getEdoc", {{"docId", doc}}, "{}");
  EXPECT_EQ(Code(hub_->Handle(get)), "0");
  EXPECT_EQ(Code(hub_->Handle(get)), "0");  // a read may repeat
  // A refused request changed nothing: the same headers may be judged again.
  Request unknown = h53_.Make("updateStatus", {{"docid", "999"}, {"status", "done"}}, "{}");
  EXPECT_EQ(Code(hub_->Handle(unknown)), errors::kUnknownDocId.code);
  EXPECT_EQ(Code(hub_->Handle(unknown)), errors::kUnknownDocId.code);
}

TEST_F(HubTest, SignedHeadersOfOneOperationDoNotServeAnother) {
  Send(g22_, edxml::samples::Document());
  std::string doc(Pending(h53_)[0].at("docId").as_string());
  // updateStatus's headers carry status, a parameter getEdoc does not take.
  Request ack = h53_.Make("updateStatus", {{"docid", doc}, {"status", "processing"}}, "{}");
  Request as_get = ack;
  as_get.target = "/XrdAdapter/adapter/getEdoc";
  Response refused = hub_->Handle(as_get);
  EXPECT_EQ(Code(refused), errors::kForeignParameter.code);
  EXPECT_THAT(std::string(Json(refused).at("ErrorDesc").as_string()),
              HasSubstr("XroadVnpt-status is not a parameter of getEdoc"));
  // getAgenciesList's headers name no parameter at all: once used, they serve nothing else.
  Request list = g22_.Make("getAgenciesList", {});
  EXPECT_EQ(Code(hub_->Handle(list)), "0");
  Request as_register = list;
  as_register.target = "/XrdAdapter/adapter/registerAgency";
  as_register.body = R"({"code":"000.00.09.G22","name":"x"})";
  Response reused = hub_->Handle(as_register);
  EXPECT_EQ(Code(reused), errors::kReplay.code);
  EXPECT_THAT(std::string(Json(reused).at("ErrorDesc").as_string()),
              HasSubstr("used for getAgenciesList before"));
}

TEST_F(HubTest, EachOperationTakesOnlyItsMethod) {
  Response r = hub_->Handle(h53_.Make("getReceivedEdocList", {{"messagetype", "edoc"}}, "", "GET"));
  EXPECT_EQ(r.status, 405);
  auto j = boost::json::parse(r.body).as_object();
  EXPECT_EQ(S(j.at("ErrorCode")), errors::kBadMethod.code);
  EXPECT_THAT(std::string(j.at("ErrorDesc").as_string()), HasSubstr("POST only"));
  r = hub_->Handle(h53_.Make("downloadEdoc", {{"docId", "1"}}, "", "POST"));
  EXPECT_EQ(r.status, 405);
}

TEST_F(HubTest, AdmitRefusesFromTheHeadersAlone) {
  Request head = g22_.Make(
      "sendEdoc",
      {{"from", g22_.from}, {"servicetype", "eDoc"}, {"messagetype", "edoc"}, {"hash-file", "ab"}});
  EXPECT_FALSE(hub_->Admit(head));  // the body may come
  Client wrong{{"00.22.W00", "guess"}, "000.00.00.G22"};
  events_.clear();
  auto refused = hub_->Admit(wrong.Make("sendEdoc", {{"from", g22_.from},
                                                     {"servicetype", "eDoc"},
                                                     {"messagetype", "edoc"},
                                                     {"hash-file", "ab"}}));
  ASSERT_TRUE(refused);
  EXPECT_EQ(Code(*refused), errors::kBadHmac.code);
  EXPECT_TRUE(Json(*refused).contains("DocId"));
  EXPECT_EQ(events_, std::vector<std::string>{"sendEdoc 1003"});  // in the evidence too
  auto foreign = hub_->Admit(g22_.Make("sendEdoc", {{"from", h53_.from},
                                                    {"servicetype", "eDoc"},
                                                    {"messagetype", "edoc"},
                                                    {"hash-file", "ab"}}));
  ASSERT_TRUE(foreign);
  EXPECT_EQ(Code(*foreign), errors::kForeignFrom.code);
}

TEST_F(HubTest, InvalidUtf8InAHeaderIsEscapedInTheAnswerAndTheEvent) {
  std::string detail;
  hub_->Subscribe([&](const Event& e) { detail = e.detail; });
  Request r = h53_.Make("getEdoc", {{"docId", "12"}}, "{}");
  for (auto& [name, value] : r.headers) {
    if (name == "XroadVnpt-docId") value = "12\xE0";  // sent as Latin-1, not as signed
  }
  std::string body = hub_->Handle(r).body;
  EXPECT_EQ(FindInvalidUtf8(body), std::string::npos) << body;
  EXPECT_THAT(body, HasSubstr("12\\\\xE0"));  // JSON-escaped backslash, then xE0
  EXPECT_EQ(FindInvalidUtf8(detail), std::string::npos);
  EXPECT_THAT(detail, HasSubstr("12\\xE0"));
}

TEST_F(HubTest, AFloodOfElementsIsRefusedBeforeItsTree) {
  Make(HubConfig{.max_elements = 1000});
  std::string flood = "<edXML>";
  for (int i = 0; i < 5000; ++i) flood += "<x/>";
  flood += "</edXML>";
  Response r = hub_->Handle(g22_.SendRequest(flood));
  EXPECT_EQ(Code(r), errors::kPackageMalformed.code);
  EXPECT_THAT(std::string(Json(r).at("ErrorDesc").as_string()), HasSubstr("EDXML-XML-ELEMENTS"));
}

TEST_F(HubTest, UpdateStatusValues) {
  Send(g22_, edxml::samples::Document());
  std::string doc(Pending(h53_)[0].at("docId").as_string());
  EXPECT_EQ(Ack(h53_, doc, "read"), errors::kBadStatus.code);
  EXPECT_EQ(Ack(h53_, "999", "done"), errors::kUnknownDocId.code);
  EXPECT_EQ(Ack(h53_, "x1", "done"), errors::kUnknownDocId.code);
  EXPECT_EQ(Ack(h53_, doc, "processing"), "0");
  EXPECT_EQ(Pending(h53_).size(), 1u);
  EXPECT_EQ(Ack(h53_, doc, "fail"), "0");
  EXPECT_TRUE(Pending(h53_).empty());
}

TEST_F(HubTest, DirectoryOperations) {
  auto list = Json(hub_->Handle(g22_.Make("getAgenciesList", {})));
  EXPECT_EQ(list.at("data").as_array().size(), 3u);
  EXPECT_EQ(Code(hub_->Handle(g22_.Make(
                "registerAgency", {},
                R"({"id":"","pcode":"000.00.00.G22","code":"000.00.01.G22","name":"Vụ Pháp chế",)"
                R"("mail":"phapche@chinhphu.vn","mobile":"","fax":""})"))),
            "0");
  EXPECT_EQ(Code(hub_->Handle(
                g22_.Make("registerAgency", {}, R"({"code":"000.00.01.G22","name":"again"})"))),
            errors::kAgencyExists.code);
  EXPECT_EQ(Code(hub_->Handle(g22_.Make("registerAgency", {}, R"({"code":"G22"})"))),
            errors::kBadParameter.code);
  auto qd20 = Json(hub_->Handle(g22_.Make("getAgenciesListQD20", {{"level", "1"}})));
  EXPECT_EQ(qd20.at("data").as_array().size(), 3u);
  auto level2 = Json(hub_->Handle(g22_.Make("getAgenciesListQD20", {{"level", "2"}})));
  ASSERT_EQ(level2.at("data").as_array().size(), 1u);  // the level comes from the identifier
  EXPECT_EQ(S(level2.at("data").as_array()[0].at("code")), "000.00.01.G22");
  auto all = Json(hub_->Handle(g22_.Make("getAgenciesList", {}))).at("data").as_array();
  std::int64_t g22_id = 0, pid = -1;
  for (const auto& u : all) {
    if (S(u.at("code")) == "000.00.00.G22") g22_id = u.at("id").as_int64();
    if (S(u.at("code")) == "000.00.01.G22") pid = u.at("pid").as_int64();
  }
  EXPECT_EQ(pid, g22_id);  // the parent is found by pcode
  EXPECT_EQ(Code(hub_->Handle(h53_.Make("deleteAgency", {{"AgencyCode", "000.00.01.G22"}}, "{}"))),
            errors::kUnknownAgency.code);  // not theirs
  EXPECT_EQ(Code(hub_->Handle(g22_.Make("deleteAgency", {{"AgencyCode", "000.00.01.G22"}}, "{}"))),
            "0");
  auto sync = Json(hub_->Handle(g22_.Make("getSynchronizeUnit", {})));
  bool saw_deleted = false;
  for (const auto& u : sync.at("data").as_array()) {
    if (S(u.at("code")) == "000.00.01.G22") saw_deleted = u.at("deleted").as_bool();
  }
  EXPECT_TRUE(saw_deleted);
}

TEST_F(HubTest, EveryRequestIsAnEvent) {
  Send(g22_, edxml::samples::Document());
  hub_->Handle(Request{"POST", "/x/getEdoc", {}, "{}"});
  EXPECT_THAT(events_, ::testing::ElementsAre("sendEdoc 0", "getEdoc 1001"));
}

TEST_F(HubTest, InjectedErrorBeforeAndAfterTheStore) {
  hub_->faults().Add(*ParseFault("error,op=sendEdoc,agency=000.00.00.G22,times=1"));
  EXPECT_EQ(Send(g22_, edxml::samples::Document()), "ERR 5001");
  EXPECT_TRUE(Pending(h53_).empty());  // refused before the store: nothing was kept
  EXPECT_FALSE(Send(g22_, edxml::samples::Document()).starts_with("ERR"));  // times=1 is spent
  EXPECT_EQ(Pending(h53_).size(), 1u);

  hub_->faults().Clear();
  hub_->faults().Add(*ParseFault("error-after,op=sendEdoc,times=1"));
  EXPECT_EQ(Send(g22_, edxml::samples::Document()), "ERR 5001");
  EXPECT_EQ(Pending(h53_).size(), 2u);  // stored all the same: the sender must cope with that
}

TEST_F(HubTest, InjectedFaultsMatchTheirAgencyOnly) {
  hub_->faults().Add(*ParseFault("error,op=getReceivedEdocList,agency=000.00.00.H41"));
  EXPECT_EQ(Code(hub_->Handle(h41_.Make("getReceivedEdocList", {{"messagetype", "edoc"}}))),
            errors::kInjectedFault.code);  // no `from`: H41's system owns the agency
  EXPECT_EQ(Code(hub_->Handle(h53_.Make("getReceivedEdocList", {{"messagetype", "edoc"}}))), "0");
}

TEST_F(HubTest, InjectedDropHttpErrorAndLatency) {
  hub_->faults().Add(*ParseFault("drop,op=updateStatus"));
  hub_->faults().Add(*ParseFault("error,op=getEdoc,http=503"));
  hub_->faults().Add(*ParseFault("latency,op=getReceivedEdocList,ms=1500"));
  Response dropped = hub_->Handle(h53_.Make("updateStatus", {{"docid", "1"}, {"status", "done"}}));
  EXPECT_TRUE(dropped.drop_connection);
  Response unavailable = hub_->Handle(h53_.Make("getEdoc", {{"docId", "1"}}, "{}"));
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_EQ(unavailable.content_type, "text/html");
  Response slow = hub_->Handle(h53_.Make("getReceivedEdocList", {{"messagetype", "edoc"}}));
  EXPECT_EQ(slow.delay, std::chrono::milliseconds(1500));
  EXPECT_EQ(Code(slow), "0");
  EXPECT_THAT(events_,
              ::testing::ElementsAre("updateStatus 5001", "getEdoc 5001", "getReceivedEdocList 0"));
}

TEST_F(HubTest, InjectedDuplicateAndReorderedListings) {
  std::string first = Send(g22_, edxml::samples::Document());
  std::string second = Send(g22_, edxml::samples::Document());
  ASSERT_FALSE(first.starts_with("ERR") || second.starts_with("ERR"));
  hub_->faults().Add(*ParseFault("reorder,op=getReceivedEdocList,times=1"));
  auto reordered = Pending(h53_);
  ASSERT_EQ(reordered.size(), 2u);
  EXPECT_GT(std::stoll(S(reordered[0].at("docId"))), std::stoll(S(reordered[1].at("docId"))));
  hub_->faults().Add(*ParseFault("duplicate,op=getReceivedEdocList,times=1"));
  auto twice = Pending(h53_);
  ASSERT_EQ(twice.size(), 4u);
  EXPECT_EQ(twice[0].at("docId"), twice[2].at("docId"));
  EXPECT_EQ(Pending(h53_).size(), 2u);  // both faults spent
}

// A client polling an empty mailbox does not use the fault up: duplicate and reorder count only
// listings that list something (HUB-DUPLICATE-LISTING relies on it, however fast the SUT polls).
TEST_F(HubTest, EmptyListingsDoNotSpendAListingFault) {
  std::vector<std::vector<std::string>> seen;
  hub_->Subscribe([&](const Event& e) {
    if (e.operation == "getReceivedEdocList") seen.push_back(e.faults);
  });
  hub_->faults().Add(*ParseFault("duplicate,op=getReceivedEdocList,times=1"));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(Pending(h53_).empty());
  ASSERT_FALSE(Send(g22_, edxml::samples::Document()).starts_with("ERR"));
  EXPECT_EQ(Pending(h53_).size(), 2u);  // listed twice
  EXPECT_EQ(Pending(h53_).size(), 1u);  // spent
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_TRUE(seen[0].empty() && seen[1].empty() && seen[2].empty() && seen[4].empty());
  EXPECT_THAT(seen[3], ::testing::ElementsAre("duplicate,op=getReceivedEdocList,times=1"));
}

TEST_F(HubTest, EventsNameTheInjectedFault) {
  std::vector<std::vector<std::string>> seen;
  hub_->Subscribe([&](const Event& e) { seen.push_back(e.faults); });
  hub_->faults().Add(*ParseFault("latency,ms=10,skip=1,times=1"));
  for (int i = 0; i < 3; ++i)
    hub_->Handle(h53_.Make("countReceiveEdoc", {{"messagetype", "edoc"}}));
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_TRUE(seen[0].empty());
  EXPECT_THAT(seen[1], ::testing::ElementsAre("latency,ms=10,skip=1,times=1"));
  EXPECT_TRUE(seen[2].empty());
}

TEST(OperationOf, LastPathSegmentUnderAnyBase) {
  EXPECT_EQ(OperationOf("/XrdAdapter/adapter/sendEdoc"), "sendEdoc");
  EXPECT_EQ(OperationOf("/a/b/getEdoc?docId=1"), "getEdoc");
  EXPECT_EQ(OperationOf("/getEdoc/"), "getEdoc");
  EXPECT_EQ(OperationOf("sendEdoc"), "sendEdoc");
}

}  // namespace
}  // namespace vxp::hub
