#include "simulator/agency/agency.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/agency/agency_id.h"
#include "core/common/datetime.h"
#include "core/edxml/base64.h"
#include "core/edxml/parse.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "core/edxml/text_form.h"
#include "core/lifecycle/lifecycle.h"
#include "core/signing/pdf.h"
#include "core/signing/trust.h"
#include "core/signing/verify.h"
#include "simulator/hub/directory.h"

namespace vxp::mock {
namespace {

const std::vector<ProfileInfo> kProfiles = {
    {"reference", "nothing: the conforming behaviour"},
    {"never-sends-01", "no 01 (arrived) for a received document"},
    {"sends-03-before-01", "03 (accepted) is sent before 01 (arrived)"},
    {"accepts-bad-signature", "documents with bad or missing signatures are accepted (03)"},
    {"accepts-invalid-schema", "documents failing schema or rules are accepted (03)"},
    {"accepts-future-date",
     "a document whose PromulgationDate is in the future is accepted (03): the date is never "
     "compared with today"},
    {"never-acknowledges",
     "fetched items are never acknowledged (updateStatus done), so it fetches them again at every "
     "poll"},
    {"refetches-after-ack",
     "every item it acknowledges is fetched twice more right after (as a system that downloads a "
     "document again to show it): three fetches of each DocId"},
    {"wrong-response-for",
     "statuses name the wrong document in ResponseFor (DocumentId and Code of another)"},
    {"unsigned-outbound", "documents it sends carry no signature (the PDF is unsigned)"},
    {"malformed-agency-id",
     "its packages carry its agency identifier in a legacy form (TraceHeader/OrganId)"},
    {"status-after-terminal", "a 05 follows 06 (finished), and a 04 follows 02 (rejected)"},
    {"ignores-recall", "a recall (13) gets no answer and processing goes on"},
    {"registers-duplicates", "a repeated new document is registered again (a second 01 and 03)"},
    {"wrong-hmac", "requests carry an HMAC made with the wrong secret"},
    {"from-mismatch",
     "the `from` header differs from MessageHeader/From of the documents it sends"},
    {"slow-fetch", "pending items are fetched only after `slow_fetch` (60 s by default)"},
    {"reject-without-reason", "02 (rejected) is sent with no reason"},
    {"status-to-wrong-party",
     "statuses are addressed to itself instead of the document's sender (ResponseFor/OrganId)"},
    {"polls-edoc-only", "only documents are listed and fetched; status messages are never polled"},
    {"rejects-valid-documents", "a conforming new document is rejected (02) as if it were invalid"},
    {"ignores-business-requests",
     "revoke, update and replace documents get 01 but never an answer (15 or 16)"},
    {"loses-on-hub-error",
     "an item whose fetch failed (hub error or timeout) is acknowledged anyway, and so lost"},
    {"processes-after-cancel",
     "after agreeing (15) to a recall or a revoke, it goes on processing the document (a 05)"},
    {"bad-status-timestamp",
     "its statuses write Timestamp in ISO 8601 (2026-12-01T08:00:00), not yyyy/MM/dd HH:mm:ss"},
    {"decomposed-vietnamese",
     "its statuses write Vietnamese in decomposed Unicode (NFD: 'ư' as 'u' + U+031B), not "
     "precomposed as TCVN 6909:2001 does"},
    {"too-strict",
     "documents as production delivers them are rejected: judged by the letter of the standard "
     "(strict mode), every warning counted as a failure, ZIP attachments never opened"},
    {"serial-under-load",
     "documents are handled one at a time, at most one every `serial_gap` (200 ms: 5 per "
     "second), however many wait: single documents are answered in time, a load is not"},
};

std::string Today(wire::Millis now) {
  return FormatEdxmlDate(CivilTime(now / 1000, kVietnamUtcOffsetMinutes).date);
}

std::string DocKey(std::string_view from, std::string_view document_id) {
  return std::string(from) + "|" + std::string(document_id);
}

// The first failing finding, as a status reason: "EDXML-…: message".
std::string ReasonOf(const std::vector<Finding>& findings) {
  const Finding* f = FirstFailure(findings);
  return f == nullptr ? "" : f->rule_id + ": " + f->message;
}

// The directory's name of an agency, or "Đơn vị <code>" for one it does not list.
std::string NameOf(std::string_view organ_id) {
  for (const hub::Agency& a : hub::DefaultDirectory()) {
    if (a.code == organ_id) return a.name;
  }
  return "Đơn vị " + std::string(organ_id);
}

// from-mismatch: a MessageHeader/From other than the `from` header (which stays the agency's own).
std::string MismatchedFrom(const std::string& organ_id) {
  return organ_id == "000.00.00.G01" ? "000.00.00.G02" : "000.00.00.G01";
}

}  // namespace

const std::vector<ProfileInfo>& Profiles() { return kProfiles; }

bool IsProfile(std::string_view name) {
  return std::any_of(kProfiles.begin(), kProfiles.end(),
                     [&](const ProfileInfo& p) { return p.name == name; });
}

Result<std::unique_ptr<MockAgency>> MockAgency::Create(std::unique_ptr<clients::HubClient> client,
                                                       AgencyOptions options,
                                                       std::function<wire::Millis()> clock) {
  options.workers = 1;
  auto one = std::make_shared<std::unique_ptr<clients::HubClient>>(std::move(client));
  return Create([one]() -> Result<std::unique_ptr<clients::HubClient>> { return std::move(*one); },
                std::move(options), std::move(clock));
}

Result<std::unique_ptr<MockAgency>> MockAgency::Create(const ClientFactory& clients,
                                                       AgencyOptions options,
                                                       std::function<wire::Millis()> clock) {
  if (!IsProfile(options.profile)) {
    std::string names;
    for (const auto& p : kProfiles) names += (names.empty() ? "" : ", ") + std::string(p.name);
    return MakeError("agency.profile",
                     "unknown profile '" + options.profile + "'; the profiles are: " + names);
  }
  if (!agency::ParseStrict(options.organ_id)) {
    return MakeError("agency.organ", "'" + options.organ_id +
                                         "' is not an agency identifier of the form "
                                         "000.00.00.H53");
  }
  auto agency = std::unique_ptr<MockAgency>(new MockAgency());
  if (options.organ_name.empty()) options.organ_name = NameOf(options.organ_id);
  if (options.signature_time == 0) {
    options.signature_time = *signing::ParseTime(signing::test_pki::kPinnedTime);
  }
  if (options.credential) {
    agency->credential_ = *options.credential;
  } else {
    auto builtin = signing::test_pki::BuiltInCredential(
        options.organ_id.ends_with("G22") ? "agency-g22" : "agency-h53");
    if (!builtin) return tl::unexpected(builtin.error());
    agency->credential_ = *builtin;
  }
  options.workers = std::max(options.workers, 1);
  for (int i = 0; i < options.workers; ++i) {
    auto client = clients();
    if (!client) return tl::unexpected(client.error());
    if (options.profile == "wrong-hmac") {
      wire::Credentials wrong = (*client)->options().credentials;
      wrong.secret += "-wrong";
      (*client)->UseCredentials(wrong);
    }
    agency->clients_.push_back(std::move(*client));
  }
  agency->options_ = std::move(options);
  agency->clock_ = std::move(clock);
  agency->sent_count_ = static_cast<int>(agency->options_.seed % 1000) * 100;
  return agency;
}

edxml::Organization MockAgency::Self() const {
  edxml::Organization o;
  o.organ_id = options_.organ_id;
  o.organ_name = options_.organ_name;
  o.email = "vanthu@" + options_.organ_id + ".mock.gov.vn";
  return o;
}

edxml::Organization MockAgency::Other(std::string_view organ_id) const {
  edxml::Organization o;
  o.organ_id = std::string(organ_id);
  o.organ_name = NameOf(organ_id);
  return o;
}

std::string MockAgency::Timestamp() const {
  return FormatEdxmlTimestamp(CivilTime(clock_() / 1000, kVietnamUtcOffsetMinutes));
}

void MockAgency::Parallel(size_t n, const std::function<void(clients::HubClient&, size_t)>& fn) {
  std::atomic<size_t> next{0};
  auto work = [&](clients::HubClient* client) {
    for (size_t i = next++; i < n; i = next++) fn(*client, i);
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < std::min(n, clients_.size()); ++t) {
    threads.emplace_back(work, clients_[t].get());
  }
  work(clients_.front().get());
  for (std::thread& t : threads) t.join();
}

Result<int> MockAgency::Poll() {
  std::lock_guard lock(mu_);
  clients::HubClient& client = *clients_.front();
  int handled = 0;
  for (std::string_view type : {"edoc", "status"}) {
    if (type == "status" && Is("polls-edoc-only")) continue;
    auto items = client.ReceivedList(type);
    if (!items) return tl::unexpected(items.error());
    // Which items this round handles (in list order).
    std::vector<const clients::ReceivedItem*> todo;
    for (const clients::ReceivedItem& item : *items) {
      if (item.message_type != type && !item.message_type.empty()) continue;
      // The list is per system; a sibling agency of the same system handles its own items.
      if (!item.to.empty() && item.to != options_.organ_id) continue;
      if (acknowledged_.contains(item.doc_id) && !Is("registers-duplicates")) {
        // Listed again (a duplicate listing, or our acknowledgement was lost): acknowledge again,
        // handle nothing twice.
        if (Is("never-acknowledges")) {
          // Still listed, so fetched again (and recognised as known).
          if (auto again = client.GetEdoc(item.doc_id); !again) {
            return tl::unexpected(again.error());
          }
        } else {
          auto ack = Acknowledge(client, item, "done");
          if (!ack) return tl::unexpected(ack.error());
        }
        continue;
      }
      if (type == "edoc" && Is("serial-under-load")) {
        if (last_document_ && clock_() - *last_document_ < options_.serial_gap.count()) continue;
        last_document_ = clock_();
      }
      if (Is("slow-fetch")) {
        wire::Millis seen = first_seen_.emplace(item.doc_id, clock_()).first->second;
        if (clock_() - seen < options_.slow_fetch.count()) continue;
      }
      todo.push_back(&item);
    }
    // Fetched and judged at once; decided in list order; carried out at once.
    std::vector<Fetched> fetched(todo.size());
    Parallel(todo.size(), [&](clients::HubClient& c, size_t i) {
      fetched[i] = Fetch(c, *todo[i], type == "edoc");
    });
    std::vector<Plan> plans;
    std::set<const HeldDocument*> fresh;  // registered in this round
    for (size_t i = 0; i < todo.size(); ++i) {
      plans.push_back(type == "edoc" ? DecideDocument(*todo[i], fetched[i], fresh)
                                     : DecideStatus(*todo[i], fetched[i]));
    }
    std::vector<std::optional<Error>> failed(plans.size());
    auto execute = [&](clients::HubClient& c, size_t i) {
      if (plans[i].error) {
        failed[i] = plans[i].error;
      } else if (auto r = Execute(c, plans[i]); !r) {
        failed[i] = r.error();
      }
    };
    std::vector<size_t> now_ones, later;
    for (size_t i = 0; i < plans.size(); ++i) {
      (plans[i].after_others ? later : now_ones).push_back(i);
    }
    Parallel(now_ones.size(), [&](clients::HubClient& c, size_t k) { execute(c, now_ones[k]); });
    for (size_t i : later) execute(client, i);
    for (size_t i = 0; i < plans.size(); ++i) {
      if (failed[i]) return tl::unexpected(*failed[i]);
      if (plans[i].counted) ++handled;
    }
  }
  auto scheduled = RunSchedule();
  if (!scheduled) return tl::unexpected(scheduled.error());
  return handled;
}

Result<void> MockAgency::Acknowledge(clients::HubClient& client, const clients::ReceivedItem& item,
                                     std::string_view status) {
  {
    std::lock_guard lock(state_mu_);
    acknowledged_.insert(item.doc_id);
  }
  if (Is("never-acknowledges")) return {};
  auto acked = client.UpdateStatus(item.doc_id, status);
  if (!acked || !Is("refetches-after-ack")) return acked;
  for (int i = 0; i < 2; ++i) {
    if (auto again = client.GetEdoc(item.doc_id); !again) return tl::unexpected(again.error());
  }
  return {};
}

MockAgency::Fetched MockAgency::Fetch(clients::HubClient& client, const clients::ReceivedItem& item,
                                      bool document) const {
  Fetched fetched;
  auto bytes = client.GetEdoc(item.doc_id);
  if (!bytes) {
    fetched.error = bytes.error();
    return fetched;
  }
  if (!document) {
    auto parsed = edxml::ParsePackage(*bytes);
    if (parsed && parsed->package.status() != nullptr) {
      fetched.status_package = std::move(parsed->package);
    }
    return fetched;
  }
  // A conforming receiver: interop for what the hub's relay produces, the standard for what the
  // sender wrote (edxml::ReceiverOptions).
  edxml::ValidateOptions validate = edxml::ReceiverOptions(ParseEdxmlDate(Today(clock_())));
  signing::SignaturePolicy policy;
  policy.verify.at = options_.signature_time;
  policy.require_signed_pdf = options_.require_signed_pdf;
  if (Is("too-strict")) {
    validate.rules = edxml::RuleOptions{};
    validate.rules.today = ParseEdxmlDate(Today(clock_()));
    policy.look_inside_zip = false;
  }
  fetched.judgement = signing::Judge(*bytes, validate, policy);
  if (Is("too-strict")) {
    for (Finding& f : fetched.judgement.findings) {
      if (f.verdict == Verdict::kWarn) f.verdict = Verdict::kFail;  // every warning rejects
    }
  }
  return fetched;
}

MockAgency::Plan MockAgency::PlanFor(const clients::ReceivedItem& item,
                                     const Fetched& fetched) const {
  Plan plan;
  plan.item = &item;
  if (!fetched.error) return plan;
  if (Is("loses-on-hub-error") && !acknowledged_.contains(item.doc_id)) {
    plan.counted = false;  // acknowledged anyway, and so never seen again
  } else {
    plan.error = fetched.error;
  }
  return plan;
}

MockAgency::Plan MockAgency::DecideDocument(const clients::ReceivedItem& item, Fetched& fetched,
                                            std::set<const HeldDocument*>& fresh) {
  Plan plan = PlanFor(item, fetched);
  if (fetched.error) return plan;
  edxml::Judgement& judgement = fetched.judgement;
  const edxml::DocumentHeader* header = judgement.package ? judgement.package->document() : nullptr;
  if (header == nullptr) {
    // Nothing to answer: no sender or document to name in a status. The hub is told "fail"
    // (accepts-invalid-schema swallows it: "done", and nothing else).
    plan.ack = Is("accepts-invalid-schema") ? "done" : "fail";
    return plan;
  }
  std::vector<Finding> counted;
  for (const Finding& f : judgement.findings) {
    bool signature = f.rule_id.starts_with("DSIG-");
    if (signature && Is("accepts-bad-signature")) continue;
    if (!signature && Is("accepts-invalid-schema")) continue;
    if (f.rule_id == "EDXML-HDR-1.4-FUTURE" && Is("accepts-future-date")) continue;
    counted.push_back(f);
  }
  std::string reason = ReasonOf(counted);
  int type = 0;
  std::string target;
  if (const auto& trace = judgement.package->trace_header_list; trace && trace->business) {
    type = std::atoi(trace->business->business_doc_type.c_str());
    target = trace->business->document_id.value_or("");
  }
  if (type == 0 && reason.empty() && Is("rejects-valid-documents")) {
    reason = "Văn bản không đúng quy định";
  }
  const std::string key = DocKey(header->from.organ_id, header->document_id);
  if (auto existing = received_.find(key);
      existing != received_.end() && !Is("registers-duplicates")) {
    held_[existing->second].hub_doc_ids.push_back(item.doc_id);
    return plan;  // a repeat: acknowledged, not registered twice
  }
  HeldDocument held;
  held.direction = "received";
  held.document_id = header->document_id;
  held.from = header->from.organ_id;
  for (const auto& t : header->to) held.to.push_back(t.organ_id);
  held.business_type = type;
  held.target_document_id = target;
  held.subject = header->subject;
  held.notation = header->code.code_number + "/" + header->code.code_notation;
  held.hub_doc_ids.push_back(item.doc_id);
  held.judgement = reason.empty() ? "accepted" : "rejected: " + reason;
  received_.emplace(key, held_.size());
  held_.push_back(std::move(held));
  HeldDocument& h = held_.back();
  auto send = [&](std::string_view code, std::string description = "") {
    plan.actions.push_back(Action{&h, std::string(code), std::move(description), "", ""});
  };
  bool accept = reason.empty();
  std::string rejection = Is("reject-without-reason") ? "" : reason;
  if (type == 0) {
    if (Is("sends-03-before-01") && accept) {
      send("03");
      send("01");
    } else {
      if (!Is("never-sends-01")) send("01");
      accept ? send("03") : send("02", rejection);
      if (!accept && Is("status-after-terminal")) send("04");
    }
    plan.anchor = key;
  } else {
    // Revoke, update, replace: arrival, then the answer to the request.
    if (!Is("never-sends-01")) send("01");
    if (!accept) {
      send("02", rejection);
    } else if (Is("ignores-business-requests")) {
      // No answer to the request.
    } else if (options_.refuse_requests) {
      send("16", "Văn bản đã được xử lý, không thể thay đổi");
    } else {
      send("15");
      if (type == 1) {  // a revoke cancels its target
        for (HeldDocument& t : held_) {
          if (t.direction != "received" || t.from != h.from || t.document_id != target) continue;
          t.judgement = "cancelled by " + h.document_id;
          if (Is("processes-after-cancel")) {
            plan.actions.push_back(Action{&t, "05", "", "", ""});
            plan.after_others = plan.after_others || fresh.contains(&t);
          }
        }
      }
    }
  }
  fresh.insert(&h);
  return plan;
}

MockAgency::Plan MockAgency::DecideStatus(const clients::ReceivedItem& item, Fetched& fetched) {
  Plan plan = PlanFor(item, fetched);
  if (fetched.error) return plan;
  const edxml::StatusHeader* status =
      fetched.status_package ? fetched.status_package->status() : nullptr;
  if (status == nullptr) {
    plan.ack = "fail";
    return plan;
  }
  StatusRecord record{status->status_code,
                      status->from.organ_id,
                      status->response_for.organ_id,
                      status->description.value_or(""),
                      "received",
                      clock_()};
  const std::string& document_id = status->response_for.document_id;
  if (status->status_code == "13") {
    // A recall of a document we received from that sender.
    auto target = std::find_if(held_.begin(), held_.end(), [&](const HeldDocument& h) {
      return h.direction == "received" && h.from == status->from.organ_id &&
             h.document_id == document_id;
    });
    if (target != held_.end()) {
      target->statuses.push_back(record);
      if (!Is("ignores-recall")) {
        bool refuse = options_.refuse_requests;
        plan.actions.push_back(Action{&*target, refuse ? "16" : "15",
                                      refuse ? "Văn bản đã được xử lý, không thể lấy lại" : "", "",
                                      refuse ? "" : "recalled"});
        if (!refuse && Is("processes-after-cancel")) {
          plan.actions.push_back(Action{&*target, "05", "", "", ""});
        }
      }
    }
  } else {
    for (HeldDocument& h : held_) {
      if (h.direction == "sent" && h.document_id == document_id) h.statuses.push_back(record);
    }
  }
  return plan;
}

Result<void> MockAgency::Execute(clients::HubClient& client, const Plan& plan) {
  if (!plan.counted) return Acknowledge(client, *plan.item, "done");  // loses-on-hub-error
  for (const Action& a : plan.actions) {
    if (auto r = SendStatus(client, *a.held, a.code, a.description, a.to); !r) {
      // loses-on-hub-error: whatever failed, the item is acknowledged, and so lost.
      return Is("loses-on-hub-error") ? Acknowledge(client, *plan.item, "done") : r;
    }
    if (!a.judgement_after.empty()) {
      std::lock_guard lock(state_mu_);
      a.held->judgement = a.judgement_after;
    }
  }
  if (!plan.anchor.empty()) {
    std::lock_guard lock(state_mu_);
    last_step_[plan.anchor] = clock_();
  }
  return Acknowledge(client, *plan.item, plan.ack);
}

Result<void> MockAgency::SendStatus(clients::HubClient& client, HeldDocument& held,
                                    std::string_view code, std::string description,
                                    std::string_view to) {
  edxml::Package p = edxml::samples::Status(code);
  edxml::StatusHeader& s = *p.status();
  s.from = Self();
  std::string counterparty = to.empty() ? held.from : std::string(to);
  s.response_for =
      edxml::ResponseFor{counterparty, held.notation, Today(clock_()), held.document_id};
  if (Is("wrong-response-for")) {
    s.response_for.document_id = held.document_id + "-X";
    s.response_for.code = "0/KHONG-CO";
  }
  if (Is("status-to-wrong-party")) s.response_for.organ_id = options_.organ_id;
  s.staff_info = edxml::StaffInfo{"Văn thư", "Cán bộ văn thư", s.from.email, std::nullopt};
  s.description = description.empty() ? std::nullopt : std::optional<std::string>(description);
  if (code == "02" && description.empty() && !Is("reject-without-reason")) {
    s.description = "Văn bản không hợp lệ";
  }
  if (Is("decomposed-vietnamese")) {
    s.from.organ_name = edxml::ToNfd(s.from.organ_name);
    for (edxml::OptText* t : {&s.staff_info->department, &s.staff_info->staff}) {
      if (*t) *t = edxml::ToNfd(**t);
    }
    if (s.description) s.description = edxml::ToNfd(*s.description);
  }
  s.timestamp = Timestamp();
  if (Is("bad-status-timestamp")) {
    // yyyy/MM/dd HH:mm:ss → yyyy-MM-ddTHH:mm:ss, as systems that write ISO 8601 do.
    std::replace(s.timestamp.begin(), s.timestamp.end(), '/', '-');
    std::replace(s.timestamp.begin(), s.timestamp.end(), ' ', 'T');
  }
  auto bytes = edxml::Serialize(p);
  if (!bytes) return tl::unexpected(bytes.error());
  auto doc_id = client.SendEdoc(options_.organ_id, "status", *bytes);
  if (!doc_id) return tl::unexpected(doc_id.error());
  std::lock_guard lock(state_mu_);
  held.statuses.push_back(StatusRecord{std::string(code), options_.organ_id,
                                       s.response_for.organ_id, s.description.value_or(""), "sent",
                                       clock_()});
  return {};
}

Result<void> MockAgency::RunSchedule() {
  if (!options_.progress) return {};
  wire::Millis now = clock_();
  for (HeldDocument& h : held_) {
    if (h.direction != "received" || h.business_type != 0 || h.judgement != "accepted") continue;
    const std::string key = DocKey(h.from, h.document_id);
    std::string last;
    for (const StatusRecord& r : h.statuses) {
      if (r.direction == "sent") last = r.code;
    }
    std::string next = last == "03" ? "04" : last == "04" ? "05" : last == "05" ? "06" : "";
    if (last == "06" && Is("status-after-terminal")) next = "05";
    if (next.empty()) continue;
    if (now - last_step_[key] < options_.step_delay.count()) continue;
    auto r = SendStatus(*clients_.front(), h, next, "");
    if (!r) return tl::unexpected(r.error());
    last_step_[key] = now;
    if (last == "06") h.judgement = "finished";  // status-after-terminal: one extra, then stop
  }
  return {};
}

Result<SendResult> MockAgency::Send(const SendRequest& request) {
  std::lock_guard lock(mu_);
  if (request.to.empty()) return MakeError("driver.request", "`to` names no recipient");
  if (request.business_type < 0 || request.business_type > 3) {
    return MakeError("driver.request", "businessType " + std::to_string(request.business_type) +
                                           " is not 0 (new), 1 (revoke), 2 (update), 3 (replace)");
  }
  const HeldDocument* target = nullptr;
  if (request.business_type != 0) {
    for (const HeldDocument& h : held_) {
      if (h.direction == "sent" && h.document_id == request.target_document_id) target = &h;
    }
    if (target == nullptr) {
      return MakeError("driver.unknown-document", "targetDocumentId '" +
                                                      request.target_document_id +
                                                      "' is not a document this agency sent");
    }
  }
  int number = ++sent_count_;
  std::string today = Today(clock_());
  std::string notation = "MOCK-" + options_.organ_id.substr(10);
  edxml::Package p = edxml::samples::BusinessDocument(request.business_type);
  edxml::DocumentHeader& d = *p.document();
  d.from = Self();
  d.to.clear();
  for (const std::string& t : request.to) d.to.push_back(Other(t));
  d.code = edxml::Code{std::to_string(number), notation};
  d.promulgation_info.promulgation_date = today;
  d.document_id = options_.organ_id + "," + today + "," + std::to_string(number) + "/" + notation;
  if (!request.subject.empty()) d.subject = request.subject;
  d.response_for.clear();
  p.trace_header_list->trace_headers = {edxml::TraceHeader{
      Is("malformed-agency-id") ? options_.organ_id.substr(7) : options_.organ_id, Timestamp()}};
  if (target != nullptr) {
    edxml::Business& b = *p.trace_header_list->business;
    b.document_id = target->document_id;
    if (!request.reason.empty()) b.business_doc_reason = request.reason;
    if (request.business_type == 1) {
      d.response_for.push_back(
          edxml::ResponseFor{options_.organ_id, target->notation, today, target->document_id});
    }
    if (request.business_type == 2) {  // metadata changed, recipients unchanged
      b.business_document_info = edxml::BusinessDocumentInfo{"1", "0", std::nullopt};
    }
    if (request.business_type == 3) {
      b.replacement_info_list = std::vector<edxml::ReplacementInfo>{
          edxml::ReplacementInfo{target->document_id, target->to}};
    }
  }
  // The attachment: a real one-page PDF, signed with the agency's test certificate.
  std::string pdf = signing::MakeTestPdf(
      {d.subject.empty() ? "Van ban" : "Van ban so " + std::to_string(number), options_.organ_id});
  if (!Is("unsigned-outbound")) {
    signing::PdfSignOptions sign;
    sign.signing_time = options_.signature_time;
    auto signed_pdf = signing::SignPdf(pdf, credential_, sign);
    if (!signed_pdf) return tl::unexpected(signed_pdf.error());
    pdf = std::move(*signed_pdf);
  }
  p.attachments.front().content_base64 = edxml::EncodeBase64(pdf);
  if (Is("from-mismatch")) d.from.organ_id = MismatchedFrom(options_.organ_id);
  auto bytes = edxml::Serialize(p);
  if (!bytes) return tl::unexpected(bytes.error());
  auto doc_id = clients_.front()->SendEdoc(options_.organ_id, "edoc", *bytes);
  if (!doc_id) return tl::unexpected(doc_id.error());
  HeldDocument held;
  held.direction = "sent";
  held.document_id = d.document_id;
  held.from = options_.organ_id;
  held.to = request.to;
  held.business_type = request.business_type;
  held.target_document_id = request.target_document_id;
  held.subject = d.subject;
  held.notation = d.code.code_number + "/" + d.code.code_notation;
  held.hub_doc_ids.push_back(*doc_id);
  held_.push_back(std::move(held));
  return SendResult{d.document_id, *doc_id};
}

Result<void> MockAgency::Advance(std::string_view document_id, std::string_view from,
                                 std::string_view code, std::string_view reason) {
  std::lock_guard lock(mu_);
  if (!lifecycle::IsKnownCode(code) || lifecycle::IsSenderCode(code)) {
    return MakeError("driver.code", "'" + std::string(code) +
                                        "' is not a recipient's status code (01-06, 15, 16)");
  }
  if (lifecycle::RequiresReason(code) && reason.empty()) {
    return MakeError("driver.reason", "status " + std::string(code) + " needs a reason");
  }
  for (HeldDocument& h : held_) {
    if (h.direction == "received" && h.document_id == document_id &&
        (from.empty() || h.from == from)) {
      auto r = SendStatus(*clients_.front(), h, code, std::string(reason));
      if (!r) return tl::unexpected(r.error());
      last_step_[DocKey(h.from, h.document_id)] = clock_();
      return {};
    }
  }
  return MakeError("driver.unknown-document",
                   "no received document '" + std::string(document_id) + "'" +
                       (from.empty() ? "" : " from " + std::string(from)));
}

Result<void> MockAgency::Recall(std::string_view document_id, std::string_view to,
                                std::string_view reason) {
  std::lock_guard lock(mu_);
  if (reason.empty()) return MakeError("driver.reason", "a recall (13) needs a reason");
  for (HeldDocument& h : held_) {
    if (h.direction != "sent" || h.document_id != document_id) continue;
    for (const std::string& recipient : h.to) {
      if (!to.empty() && recipient != to) continue;
      auto r = SendStatus(*clients_.front(), h, "13", std::string(reason), recipient);
      if (!r) return tl::unexpected(r.error());
    }
    return {};
  }
  return MakeError("driver.unknown-document",
                   "no sent document '" + std::string(document_id) + "'");
}

std::vector<HeldDocument> MockAgency::Documents() const {
  std::lock_guard lock(mu_);
  return {held_.begin(), held_.end()};
}

void MockAgency::Reset() {
  std::lock_guard lock(mu_);
  held_.clear();
  received_.clear();
  first_seen_.clear();
  last_step_.clear();
  // acknowledged_ is kept: an item handled before the reset is not handled again.
}

}  // namespace vxp::mock
