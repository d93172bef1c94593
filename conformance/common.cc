#include "conformance/common.h"

#include <algorithm>

#include "core/common/datetime.h"
#include "core/edxml/base64.h"
#include "core/edxml/validate.h"
#include "core/lifecycle/lifecycle.h"
#include "core/signing/envelope.h"
#include "core/signing/pdf.h"
#include "core/signing/test_pki.h"
#include "core/signing/trust.h"
#include "core/signing/verify.h"
#include "simulator/hub/faults.h"

namespace vxp::conformance {
namespace {

using std::chrono::milliseconds;

bool Has(const std::vector<std::string>& codes, std::string_view code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : " ") + s;
  return out.empty() ? "none" : out;
}

// The first status about `document_id` to `to` with `code`.
std::optional<harness::SutStatus> Find(const Context& ctx, std::string_view document_id,
                                       std::string_view to, std::string_view code) {
  for (const harness::SutStatus& s : ctx.Statuses(document_id)) {
    if (s.accepted && s.to == to && s.code == code) return s;
  }
  return std::nullopt;
}

}  // namespace

edxml::Judgement ReceiverJudgement(const Context& ctx, std::string_view bytes) {
  edxml::ValidateOptions validate =
      edxml::ReceiverOptions(CivilTime(ctx.Now() / 1000, kVietnamUtcOffsetMinutes).date);
  signing::SignaturePolicy policy;
  policy.verify.at = *signing::ParseTime(signing::test_pki::kPinnedTime);
  policy.require_signed_pdf = true;
  return signing::Judge(bytes, validate, policy);
}

std::string Seen(const Context& ctx) {
  std::string out;
  for (const harness::SutStatus& s : ctx.Statuses()) {
    out += (out.empty() ? "" : "; ") + s.code + " → " + s.to + " about '" + s.document_id + "'" +
           (s.accepted ? "" : " (refused by the hub)");
  }
  return out.empty() ? "the SUT sent no status at all" : "the SUT sent: " + out;
}

std::string NotAcknowledged(const Context& ctx, const Delivered& d, std::string_view status) {
  std::string refused;
  for (const harness::Exchange& x : ctx.Exchanges()) {
    if (x.operation != "updateStatus" || x.error_code == "0" ||
        x.Param("docid") != std::to_string(d.delivery)) {
      continue;
    }
    refused += std::string(refused.empty() ? "" : "; ") + "updateStatus " + x.Param("status") +
               " (exchange #" + std::to_string(x.seq) + ") refused with ErrorCode " + x.error_code +
               (x.detail.empty() ? "" : ": " + x.detail);
  }
  if (!refused.empty()) {
    return "the SUT acknowledged it, but the hub refused the acknowledgement: " + refused;
  }
  return "it was not acknowledged: no updateStatus for DocId " + std::to_string(d.delivery) +
         " (the item is still '" + std::string(status.empty() ? "pending" : status) +
         "' at the hub)";
}

std::string MissedAnswer(const Context& ctx, std::string_view document_id, std::string_view to) {
  std::string other;
  for (const harness::SutStatus& s : ctx.Statuses()) {
    if (s.document_id == document_id && s.to == to && s.accepted) continue;
    std::string why = !s.accepted ? "the hub refused it (ErrorCode " + s.error_code + ")"
                      : s.document_id != document_id
                          ? "it names '" + s.document_id + "' in ResponseFor/DocumentId"
                          : "it goes to " + s.to + " (ResponseFor/OrganId)";
    other += (other.empty() ? "" : "; ") + s.code + ": " + why;
  }
  if (other.empty()) return "";
  return "the SUT did answer, but not about '" + std::string(document_id) + "' to " +
         std::string(to) + ": " + other;
}

bool AwaitAcknowledged(Context& ctx, const Delivered& d, std::string_view what,
                       std::string& status) {
  return ctx.WaitFor(what, ctx.deadlines().ack, [&] {
    auto x = ctx.Delivery(d);
    if (x) status = x->status;
    return status == "done" || status == "fail";
  });
}

bool AwaitFetch(Context& ctx, const Delivered& d, std::string_view what) {
  bool listed = false;
  bool fetched = ctx.WaitFor("the SUT to fetch " + std::string(what), ctx.deadlines().fetch, [&] {
    auto x = ctx.Delivery(d);
    return x && x->fetches > 0;
  });
  if (fetched) {
    ctx.Step("the SUT fetched " + std::string(what));
    return true;
  }
  for (const harness::Exchange& x : ctx.Exchanges()) {
    if (x.operation == "getReceivedEdocList" && x.error_code == "0" &&
        x.response_body.find("\"" + std::to_string(d.delivery) + "\"") != std::string::npos) {
      listed = true;
    }
  }
  ctx.MissedDeadline("API-FETCH", "fetch", ctx.deadlines().fetch,
                     "the SUT fetches " + std::string(what) + " (getEdoc DocId " +
                         std::to_string(d.delivery) + ")",
                     listed ? "it listed the item but did not fetch it" : "it did not fetch it");
  return false;
}

bool AwaitCode(Context& ctx, std::string_view document_id, std::string_view to,
               const std::vector<std::string>& codes, std::string_view deadline,
               milliseconds budget) {
  return ctx.WaitFor("status " + Join(codes) + " (" + std::string(deadline) + ")", budget, [&] {
    for (const std::string& c : ctx.Codes(document_id, to)) {
      if (Has(codes, c)) return true;
    }
    return false;
  });
}

std::optional<std::string> ExpectAccepted(Context& ctx, const std::string& name,
                                          const edxml::Package& package, const std::string& given,
                                          const std::string& shape) {
  std::string bytes = given.empty() ? ctx.Bytes(package) : given;
  const std::string id = package.document()->document_id;
  const std::string& sender = package.document()->from.organ_id;
  auto d = shape.empty() ? ctx.Send(name, bytes) : ctx.Inject(name, bytes, sender, shape);
  if (!d || !AwaitFetch(ctx, *d, "the document")) return std::nullopt;
  const auto& dl = ctx.deadlines();
  if (!AwaitCode(ctx, id, sender, {"01"}, "arrived", dl.arrived)) {
    ctx.MissedDeadline("RECV-01-AT-ONCE", "arrived", dl.arrived,
                       "01 (arrived) to " + sender + " about '" + id + "'", Seen(ctx));
  }
  if (!AwaitCode(ctx, id, sender, {"02", "03"}, "answer", dl.answer)) {
    std::string elsewhere = MissedAnswer(ctx, id, sender);
    ctx.MissedDeadline("RECV-ACCEPT-VALID", "answer", dl.answer,
                       "03 (accepted) for a conforming document",
                       elsewhere.empty() ? Seen(ctx) : elsewhere);
    return std::nullopt;
  }
  std::vector<std::string> codes = ctx.Codes(id, sender);
  if (Has(codes, "02")) {
    auto s = Find(ctx, id, sender, "02");
    if (!shape.empty()) {
      ctx.Fail("RECV-PRODUCTION-SHAPES",
               "the SUT rejected a valid document as the live hub delivers it: " + shape,
               "03 (accepted): production delivers documents in this shape",
               "02: " + (s ? s->description : std::string()));
    } else {
      ctx.Fail("RECV-ACCEPT-VALID", "a conforming document was rejected (02)", "03 (accepted)",
               "02: " + (s ? s->description : std::string()));
    }
    return std::nullopt;
  }
  if (!Has(codes, "01")) {
    // 03 came, 01 did not come first.
    ctx.Fail("LIFE-01-FIRST", "03 (accepted) came before any 01 (arrived)", "01 then 03",
             "codes in order: " + Join(codes));
  }
  ctx.Step("the SUT answered " + Join(codes));
  return id;
}

void ExpectProductionShapeAccepted(Context& ctx, const std::string& name,
                                   const edxml::Package& package, const edxml::RelayShape& shape,
                                   const std::string& given, const std::string& what) {
  std::string bytes = given.empty() ? ctx.Bytes(package) : given;
  if (bytes.empty()) return;
  auto relayed = edxml::Relay(bytes, shape);
  if (!relayed) {
    ctx.Error("shaping '" + name + "' as the live hub delivers it: " + relayed.error().message);
    return;
  }
  const std::string described =
      what.empty() ? shape.Describe()
                   : what + (shape.Describe() == "unchanged" ? "" : ", " + shape.Describe());
  edxml::Judgement j = ReceiverJudgement(ctx, *relayed);
  if (const Finding* f = FirstFailure(j.findings)) {
    ctx.Error("vxpkit's own package '" + name + "' (" + described +
              ") is not acceptable to a conforming receiver (" + f->rule_id + ": " + f->message +
              "): a defect of vxpkit, not of the SUT");
    return;
  }
  ctx.Step("a conforming receiver accepts it (checked with vxpkit's own judge: " +
           std::string(ToString(j.verdict)) + ")");
  ExpectAccepted(ctx, name, package, *relayed, described);
}

bool SendRejected(Context& ctx, const std::string& name, const std::string& bytes,
                  const std::string& document_id, const std::string& rule,
                  const std::string& requirement) {
  if (bytes.empty()) return false;
  // The package must break the rule it is named for, as the core judges it.
  edxml::Judgement j = ReceiverJudgement(ctx, bytes);
  if (!HasRule(j.findings, rule) || Worst(j.findings) != Verdict::kFail) {
    ctx.Error("vxpkit's own package '" + name + "' does not break " + rule +
              " as the scenario says: a defect of vxpkit, not of the SUT");
    return false;
  }
  ctx.Step("the package breaks " + rule + " (checked with vxpkit's own judge)");
  auto d = ctx.Send(name, bytes);
  if (!d || !AwaitFetch(ctx, *d, "the package")) return false;
  const auto& dl = ctx.deadlines();
  if (!AwaitCode(ctx, document_id, ctx.peer(), {"02", "03"}, "arrived + answer",
                 dl.arrived + dl.answer)) {
    ctx.MissedDeadline(requirement, "arrived + answer", dl.arrived + dl.answer,
                       "02 (rejected) with a reason naming what is wrong (" + rule + ")",
                       Seen(ctx));
    return false;
  }
  return true;
}

void ExpectRejected(Context& ctx, const std::string& name, const std::string& bytes,
                    const std::string& document_id, const std::string& rule,
                    const std::string& requirement) {
  if (!SendRejected(ctx, name, bytes, document_id, rule, requirement)) return;
  ctx.Linger(ctx.deadlines().quiet, [document_id, rule, requirement](Context& ctx) {
    JudgeRejected(ctx, document_id, rule, requirement);
  });
}

void JudgeRejected(Context& ctx, const std::string& document_id, const std::string& rule,
                   const std::string& requirement) {
  const std::string& sender = ctx.peer();
  std::vector<std::string> codes = ctx.Codes(document_id, sender);
  ctx.Step("the SUT answered " + Join(codes));
  if (Has(codes, "03")) {
    ctx.Fail(requirement, "the SUT accepted (03) a package that breaks " + rule,
             "02 (rejected) with a reason", "codes in order: " + Join(codes));
    return;
  }
  auto rejected = Find(ctx, document_id, sender, "02");
  if (rejected && rejected->description.empty()) {
    ctx.Fail("LIFE-REASON", "02 (rejected) carries no reason in Description",
             "a reason, e.g. '" + rule + ": …'", "an empty Description", "Status/Description");
  }
}

void ExpectUnreadable(Context& ctx, const std::string& name, const std::string& bytes) {
  auto d = ctx.Inject(name, bytes, ctx.peer());
  if (!d || !AwaitFetch(ctx, *d, "the package")) return;
  const auto& dl = ctx.deadlines();
  std::string status;
  if (!AwaitAcknowledged(ctx, *d, "the acknowledgement", status)) {
    auto x = ctx.Delivery(*d);
    ctx.MissedDeadline("API-ACK", "ack", dl.ack,
                       "updateStatus fail (or done with a 02) for the unreadable package",
                       NotAcknowledged(ctx, *d, x ? x->status : ""));
    return;
  }
  ctx.Step("the SUT acknowledged it '" + status + "'");
  ctx.Watch(dl.quiet);
  std::vector<std::string> codes;
  for (const harness::SutStatus& s : ctx.Statuses()) {
    if (s.accepted) codes.push_back(s.code);
  }
  if (Has(codes, "03")) {
    ctx.Fail("RECV-UNREADABLE", "an unreadable package was accepted (03)",
             "updateStatus fail, or 02 with a reason", Seen(ctx));
  } else if (status == "done" && !Has(codes, "02")) {
    ctx.Fail("RECV-UNREADABLE",
             "the package was acknowledged 'done' and nothing was answered: it is silently lost",
             "updateStatus fail (the hub tells the sender), or 02 with a reason",
             "updateStatus done, " + Seen(ctx));
  }
}

edxml::Package BadDateDocument(Context& ctx) {
  edxml::Package p = ctx.NewDocument();
  std::string& date = p.document()->promulgation_info.promulgation_date;
  std::replace(date.begin(), date.end(), '/', '-');
  return p;
}

bool SendAndAwaitAnswer(Context& ctx, const std::string& name, const edxml::Package& package,
                        const std::string& requirement, const std::string& expected) {
  const std::string& id = package.document()->document_id;
  auto d = ctx.Send(name, ctx.Bytes(package));
  if (!d || !AwaitFetch(ctx, *d, "the document")) return false;
  const auto budget = ctx.deadlines().arrived + ctx.deadlines().answer;
  if (!AwaitCode(ctx, id, ctx.peer(), {"02", "03"}, "arrived + answer", budget)) {
    ctx.MissedDeadline(requirement, "arrived + answer", budget, expected, Seen(ctx));
    return false;
  }
  return true;
}

std::string JudgeLifecycle(Context& ctx, const std::string& document_id, std::string_view to,
                           std::string_view rule) {
  lifecycle::Tracker tracker(document_id, ctx.peer(), ctx.sut_agency());
  std::string codes;
  for (const harness::SutStatus& s : ctx.Statuses(document_id)) {
    if (!s.accepted || (!to.empty() && s.to != to)) continue;
    codes += (codes.empty() ? "" : " ") + s.code;
    for (const Finding& f : tracker.Feed({s.code, s.from, s.to, s.description})) {
      if (rule.empty() || f.rule_id == rule) ctx.AddFindings({f}, "status " + s.code);
    }
  }
  return codes;
}

int CountOf(const std::vector<std::string>& codes, std::string_view code) {
  return static_cast<int>(std::count(codes.begin(), codes.end(), code));
}

void ExpectAnsweredOnceDespite(Context& ctx, const std::vector<std::string>& specs,
                               const std::string& once_requirement) {
  for (const std::string& spec : specs) {
    auto fault = hub::ParseFault(spec);
    if (!fault) {
      ctx.Error("fault '" + spec + "': " + fault.error().message);
      return;
    }
    ctx.hub().AddFault(*fault);
    ctx.Step("injected the hub fault " + spec);
  }
  // The harness owns the hub: the faults end with the scenario.
  struct Clear {
    harness::HubWorld& hub;
    ~Clear() { hub.ClearFaults(); }
  } clear{ctx.hub()};
  edxml::Package p = ctx.NewDocument();
  const std::string id = p.document()->document_id;
  auto d = ctx.Send("document.xml", ctx.Bytes(p));
  if (!d) return;
  const auto& dl = ctx.deadlines();
  auto budget = dl.fetch + dl.arrived + dl.answer + 3 * dl.hub_latency;
  if (!AwaitCode(ctx, id, ctx.peer(), {"02", "03"}, "fetch + arrived + answer", budget)) {
    auto x = ctx.Delivery(*d);
    std::string elsewhere = MissedAnswer(ctx, id, ctx.peer());
    std::string actual = !elsewhere.empty() ? elsewhere
                         : x && x->status == "done"
                             ? "it was acknowledged 'done' but never answered: lost; " + Seen(ctx)
                             : Seen(ctx);
    ctx.MissedDeadline("API-RETRY", "fetch + arrived + answer (+ the hub's delays)", budget,
                       "the document fetched and answered 01, 03 despite the hub's faults", actual);
    return;
  }
  ctx.Watch(dl.quiet);
  std::vector<std::string> codes = ctx.Codes(id, ctx.peer());
  ctx.Step(Seen(ctx));
  int arrived = CountOf(codes, "01"), accepted = CountOf(codes, "03");
  if (arrived != 1 || accepted != 1) {
    ctx.Fail(once_requirement, "the document was not answered exactly once", "one 01 and one 03",
             std::to_string(arrived) + " × 01, " + std::to_string(accepted) + " × 03");
  }
}

std::string PdfSignedBy(Context& ctx, std::string_view credential,
                        const std::vector<std::string>& lines) {
  auto c = signing::test_pki::BuiltInCredential(credential);
  if (!c) {
    ctx.Error(c.error().message);
    return "";
  }
  signing::PdfSignOptions o;
  o.signing_time = *signing::ParseTime(signing::test_pki::kPinnedTime);
  auto pdf = signing::SignPdf(signing::MakeTestPdf(lines), *c, o);
  if (!pdf) {
    ctx.Error("signing a test PDF with " + std::string(credential) + ": " + pdf.error().message);
    return "";
  }
  return *pdf;
}

void ExpectPdfRejected(Context& ctx, const std::string& name, const std::string& pdf,
                       const std::string& rule) {
  if (pdf.empty()) return;
  edxml::Package p = ctx.NewDocument();
  p.attachments.front().content_base64 = edxml::EncodeBase64(pdf);
  ExpectRejected(ctx, name, ctx.Bytes(p), p.document()->document_id, rule, "RECV-REJECT-SIGNATURE");
}

std::string SignedEnvelope(Context& ctx, const edxml::Package& package) {
  std::string bytes = ctx.Bytes(package);
  auto c = signing::test_pki::BuiltInCredential("agency-g22");
  if (bytes.empty() || !c) {
    if (!c) ctx.Error(c.error().message);
    return "";
  }
  auto signed_bytes = signing::SignEnvelope(bytes, *c);
  if (!signed_bytes) {
    ctx.Error("signing the envelope: " + signed_bytes.error().message);
    return "";
  }
  return *signed_bytes;
}

edxml::Package RequestDocument(Context& ctx, int type, const edxml::Package& original,
                               const std::string& reason) {
  edxml::Package p = ctx.NewDocument();
  const edxml::DocumentHeader& o = *original.document();
  if (!p.trace_header_list) p.trace_header_list.emplace();
  edxml::Business b;
  b.business_doc_type = std::to_string(type);
  b.document_id = o.document_id;
  b.business_doc_reason = reason;
  b.paper = "0";
  if (type == 1) {
    p.document()->response_for = {
        edxml::ResponseFor{o.from.organ_id, o.code.code_number + "/" + o.code.code_notation,
                           o.promulgation_info.promulgation_date, o.document_id}};
  }
  if (type == 2) b.business_document_info = edxml::BusinessDocumentInfo{"1", "0", std::nullopt};
  if (type == 3) {
    std::vector<edxml::Text> to;
    for (const edxml::Organization& t : o.to) to.push_back(t.organ_id);
    b.replacement_info_list = std::vector<edxml::ReplacementInfo>{{o.document_id, to}};
  }
  p.trace_header_list->business = b;
  return p;
}

void ExpectRequestAnswered(Context& ctx, int type) {
  static const char* kNames[] = {"", "revoke", "update", "replace"};
  edxml::Package original = ctx.NewDocument();
  auto accepted = ExpectAccepted(ctx, "original.xml", original);
  if (!accepted) return;
  edxml::Package request =
      RequestDocument(ctx, type, original, "Kiểm thử: " + std::string(kNames[type]));
  const std::string id = request.document()->document_id;
  auto d = ctx.Send(std::string(kNames[type]) + ".xml", ctx.Bytes(request));
  if (!d || !AwaitFetch(ctx, *d, "the " + std::string(kNames[type]) + " document")) return;
  const auto& dl = ctx.deadlines();
  const std::string& sender = ctx.peer();
  if (!AwaitCode(ctx, id, sender, {"15", "16", "02"}, "arrived + answer", dl.arrived + dl.answer)) {
    ctx.MissedDeadline(
        "RECV-REQUEST-ANSWER", "arrived + answer", dl.arrived + dl.answer,
        "15 (agreed) or 16 (refused, with a reason) to the " + std::string(kNames[type]),
        Seen(ctx));
    return;
  }
  std::vector<std::string> codes = ctx.Codes(id, sender);
  ctx.Step("the SUT answered the " + std::string(kNames[type]) + " with " + Join(codes));
  if (Has(codes, "02")) {
    ctx.Fail("RECV-REQUEST-ANSWER", "a valid " + std::string(kNames[type]) + " was rejected (02)",
             "15 or 16", "codes: " + Join(codes));
    return;
  }
  if (!Has(codes, "01")) {
    ctx.Fail("LIFE-01-FIRST", "the " + std::string(kNames[type]) + " got no 01 (arrived)",
             "01, then 15 or 16", "codes: " + Join(codes));
  }
  if (auto refused = Find(ctx, id, sender, "16"); refused && refused->description.empty()) {
    ctx.Fail("LIFE-REASON", "16 (refused) carries no reason", "a reason in Description",
             "an empty Description", "Status/Description");
  }
  if (type == 1 && Has(codes, "15")) {
    ExpectNothingAfterCancel(ctx, *accepted, *Find(ctx, id, sender, "15"), "revoke");
  }
}

void ExpectNothingAfterCancel(Context& ctx, const std::string& document_id,
                              const harness::SutStatus& agreed, std::string_view request) {
  ctx.Linger(ctx.deadlines().quiet,
             [document_id, agreed, request = std::string(request)](Context& ctx) {
               for (const harness::SutStatus& s : ctx.Statuses(document_id)) {
                 if (!s.accepted || s.to != agreed.to || s.seq <= agreed.seq) continue;
                 if (s.code == "04" || s.code == "05" || s.code == "06") {
                   ctx.Fail("LIFE-CANCELLED",
                            "the document was processed further after the SUT agreed to the " +
                                request + " (15)",
                            "no 04, 05 or 06 about '" + document_id + "' after 15",
                            s.code + " followed the 15", "Status/StatusCode");
                 }
               }
               ctx.Step(Seen(ctx));
             });
}

std::optional<harness::SutPackage> AskToSend(Context& ctx, const std::vector<std::string>& to,
                                             const std::string& requirement) {
  harness::SendOrder order;
  order.from = ctx.sut_agency();
  order.to = to;
  order.subject = "Kiểm thử gửi văn bản vxpkit";
  auto sent = ctx.control()->Send(order);
  if (!sent && ctx.RefusedBySystem(sent.error(), "send a document to " + to.front())) {
    return std::nullopt;
  }
  if (!sent) {
    ctx.Step("the SUT's control answered: " + sent.error().code + ": " + sent.error().message);
  } else {
    ctx.Step("asked the SUT (" + std::string(ctx.control()->kind()) + ") to send a document to " +
             to.front() + (to.size() > 1 ? " and " + std::to_string(to.size() - 1) + " more" : ""));
  }
  std::optional<harness::SutPackage> found;
  const auto budget = ctx.ForAction(ctx.deadlines().outbound);
  ctx.WaitFor("the SUT's document at the hub", budget, [&] {
    for (harness::SutPackage& p : ctx.SutDocuments()) found = std::move(p);
    return found.has_value();
  });
  if (!found) {
    ctx.MissedDeadline(
        requirement, "outbound", budget, "a sendEdoc of the document from the SUT",
        sent ? "nothing reached the hub" : "its control failed: " + sent.error().message);
    return std::nullopt;
  }
  ctx.Step(
      "the SUT submitted a document (" +
      (found->accepted ? std::string("accepted") : "refused with ErrorCode " + found->error_code) +
      ")");
  return found;
}

std::vector<hub::Delivery> StatusItemsToSut(Context& ctx, wire::Millis since) {
  std::vector<hub::Delivery> out;
  auto sent = ctx.hub().PeerDeliveries("status");
  if (!sent) return out;
  for (const hub::Delivery& d : *sent) {
    bool to_sut = std::find(ctx.world().sut.agencies.begin(), ctx.world().sut.agencies.end(),
                            d.to_code) != ctx.world().sut.agencies.end();
    if (to_sut && d.created >= since) out.push_back(d);
  }
  return out;
}

}  // namespace vxp::conformance
