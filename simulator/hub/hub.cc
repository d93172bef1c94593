#include "simulator/hub/hub.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <ctime>
#include <set>

#include "core/agency/agency_id.h"
#include "core/common/datetime.h"
#include "core/common/text.h"
#include "core/common/utf8.h"
#include "core/edxml/base64.h"
#include "core/edxml/parse.h"
#include "core/edxml/relay.h"
#include "core/edxml/serialize.h"

namespace vxp::hub {
namespace {

namespace errors = wire::errors;

// Listing times: ISO 8601 in Vietnam's zone, e.g. "2026-11-20T17:00:00.000+07:00".
std::string ListTime(wire::Millis ms) {
  DateTime t = CivilTime(ms / 1000, kVietnamUtcOffsetMinutes);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+07:00", t.date.year,
                t.date.month, t.date.day, t.hour, t.minute, t.second, static_cast<int>(ms % 1000));
  return buf;
}

// edXML timestamp "yyyy/MM/dd HH:mm:ss" in Vietnam's zone, for the relay's TraceHeader.
std::string EdxmlTime(wire::Millis ms) {
  return FormatEdxmlTimestamp(CivilTime(ms / 1000, kVietnamUtcOffsetMinutes));
}

std::optional<std::int64_t> ParseDocId(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

std::string_view OperationOf(std::string_view target) {
  target = target.substr(0, target.find_first_of("?#"));
  while (!target.empty() && target.back() == '/') target.remove_suffix(1);
  size_t slash = target.rfind('/');
  return slash == std::string_view::npos ? target : target.substr(slash + 1);
}

struct Hub::Call {
  const Request& request;
  std::string operation;
  const wire::Operation* info = nullptr;  // nullptr: not an operation of the API
  wire::Millis now = 0;
  wire::Authenticated auth;
  Event event;
  std::string replay_key;                 // set while this request is remembered as in progress
  std::vector<std::string> signed_names;  // the signed parameters' names (lower case)
  std::string doc_id;                     // sendEdoc: the DocId it was answered with
  bool shared_replay = false;             // replay_key is remembered in the shared store too
};

Hub::Hub(std::unique_ptr<Store> store, HubConfig config, std::function<wire::Millis()> clock)
    : store_(std::move(store)),
      config_(config),
      clock_(std::move(clock)),
      replay_(config.replay_capacity) {}

Result<void> Hub::RegisterSystem(const System& system, const std::vector<std::string>& agencies) {
  auto put = store_->PutSystem(system);
  if (!put) return tl::unexpected(put.error());
  for (const std::string& code : agencies) {
    auto existing = store_->GetAgency(code);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) {
      auto assigned = store_->AssignAgency(code, system.id);
      if (!assigned) return tl::unexpected(assigned.error());
      continue;
    }
    Agency a;
    a.code = code;
    a.name = "Đơn vị " + code;
    a.system_id = system.id;
    a.modified = clock_();
    auto added = store_->AddAgency(a);
    if (!added) return tl::unexpected(added.error());
  }
  return {};
}

Result<void> Hub::SeedDirectory(const std::vector<Agency>& agencies) {
  auto added = store_->SeedAgencies(agencies);
  if (!added) return tl::unexpected(added.error());
  return {};
}

void Hub::Subscribe(std::function<void(const Event&)> sink) {
  std::lock_guard lock(sinks_mu_);
  sinks_.push_back(std::move(sink));
}

Response Hub::Handle(const Request& request) {
  Call call{request, EscapeInvalidUtf8(OperationOf(request.target)), nullptr, clock_(), {}, {}};
  call.info = wire::FindOperation(call.operation);
  call.event.at = call.now;
  call.event.operation = call.operation;
  Response response = DispatchWithFaults(call);
  Publish(call, response);
  return response;
}

std::optional<Response> Hub::Admit(const Request& head) {
  Call call{head, EscapeInvalidUtf8(OperationOf(head.target)), nullptr, clock_(), {}, {}};
  call.info = wire::FindOperation(call.operation);
  call.event.at = call.now;
  call.event.operation = call.operation;
  std::optional<Response> refusal = CheckHead(call, /*peek=*/true);
  if (refusal) {
    call.event.detail += " (before the body was read)";
    Publish(call, *refusal);
  }
  return refusal;
}

void Hub::Publish(Call& call, const Response& response) {
  call.event.request = &call.request;
  call.event.response = &response;
  std::lock_guard lock(sinks_mu_);
  for (const auto& sink : sinks_) sink(call.event);
}

Response Hub::DispatchWithFaults(Call& call) {
  std::string_view op = call.operation;
  FaultTarget target;
  target.operation = op;
  std::string system(wire::Find(call.request.headers, "XroadVnpt-systemid").value_or(""));
  std::string from(wire::Find(call.request.headers, "XroadVnpt-from").value_or(""));
  target.system_id = system;
  target.from = from;
  target.owns = [this](std::string_view code, std::string_view system_id) {
    auto agency = store_->GetAgency(code);
    return agency && *agency && (*agency)->system_id == system_id;
  };
  std::vector<Fault> hits = faults_.Match(target);
  Response response;
  bool handled = false;
  for (const Fault& f : hits) {
    call.event.faults.push_back(f.ToString());
    if (handled) continue;
    if (f.kind == FaultKind::kDrop) {
      call.event.error_code = std::string(errors::kInjectedFault.code);
      call.event.detail = "injected fault: connection dropped without an answer";
      response.drop_connection = true;
      handled = true;
    } else if (f.kind == FaultKind::kError && f.http_status != 0) {
      call.event.error_code = std::string(errors::kInjectedFault.code);
      call.event.detail = "injected fault: HTTP " + std::to_string(f.http_status);
      response = Response{f.http_status, "text/html",
                          "<html><body><h1>" + std::to_string(f.http_status) +
                              " Service Unavailable</h1></body></html>"};
      handled = true;
    } else if (f.kind == FaultKind::kError) {
      response = Fail(call, errors::kInjectedFault, f.ToString());
      handled = true;
    }
  }
  if (!handled) response = Dispatch(call);
  for (const Fault& f : hits) {
    if (handled) break;
    if (f.kind == FaultKind::kErrorAfter) {
      std::string done = call.event.detail;
      response = Fail(call, errors::kInjectedFault, f.ToString());
      call.event.detail += " (after the hub did: " + done + ")";
    }
  }
  // Duplicate and reorder count only listings that list something (faults.h); a response is read
  // for that only when such a fault is in force and this is a listing.
  if (!handled && (op == "getReceivedEdocList" || op == "getSentEdocList") &&
      faults_.AnyListingFault() && ListsSomething(response.body)) {
    for (const Fault& f : faults_.MatchListing(target)) {
      call.event.faults.push_back(f.ToString());
      response.body = f.kind == FaultKind::kDuplicate ? DuplicateListing(response.body)
                                                      : ReverseListing(response.body);
    }
  }
  for (const Fault& f : hits) {
    if (f.kind == FaultKind::kLatency) response.delay += f.latency;
  }
  return response;
}

Response Hub::Fail(Call& call, const wire::HubError& error, std::string detail) {
  call.event.error_code = std::string(error.code);
  call.event.detail =
      std::string(error.desc) + (detail.empty() ? "" : ": " + EscapeInvalidUtf8(detail));
  boost::json::object fields;
  if (call.info != nullptr && call.info->doc_id_always) fields["DocId"] = "";
  return Response{200, "application/json", wire::FailResponse(error, detail, std::move(fields))};
}

Response Hub::Ok(Call& call, boost::json::object fields, std::string detail) {
  call.event.error_code = "0";
  call.event.detail = std::move(detail);
  return Response{200, "application/json", wire::OkResponse(std::move(fields))};
}

// The handler of each operation, indexed by wire::Op (the order of wire::Operations()).
const std::array<Hub::Handler, wire::kOperationCount>& Hub::Handlers() {
  static const std::array<Handler, wire::kOperationCount> kHandlers = [] {
    std::array<Handler, wire::kOperationCount> h{};
    auto set = [&h](wire::Op op, Handler f) { h[static_cast<int>(op)] = f; };
    set(wire::Op::kSendEdoc, &Hub::SendEdoc);
    set(wire::Op::kGetReceivedEdocList, &Hub::ReceivedList);
    set(wire::Op::kGetEdoc, &Hub::GetEdoc);
    set(wire::Op::kDownloadEdoc, &Hub::DownloadEdoc);
    set(wire::Op::kUpdateStatus, &Hub::UpdateStatus);
    set(wire::Op::kGetSentEdocList, &Hub::SentList);
    set(wire::Op::kCountReceiveEdoc, &Hub::Count);
    set(wire::Op::kCountReceiveStatus, &Hub::Count);
    set(wire::Op::kGetAgenciesList, &Hub::AgenciesList);
    set(wire::Op::kGetAgenciesListQD20, &Hub::AgenciesList);
    set(wire::Op::kGetSynchronizeUnit, &Hub::AgenciesList);
    set(wire::Op::kRegisterAgency, &Hub::RegisterAgency);
    set(wire::Op::kDeleteAgency, &Hub::DeleteAgency);
    return h;
  }();
  return kHandlers;
}

bool Hub::Handles(wire::Op op) { return Handlers()[static_cast<int>(op)] != nullptr; }

std::optional<Response> Hub::CheckHead(Call& call, bool peek) {
  if (call.info == nullptr) {
    return Fail(call, errors::kUnknownOperation, "'" + call.operation + "'");
  }
  if (call.request.method != call.info->method) {
    Response r = Fail(call, errors::kBadMethod,
                      EscapeInvalidUtf8(call.request.method) + " " + call.operation + " (" +
                          std::string(call.info->method) + " only)");
    r.status = 405;
    return r;
  }
  wire::AuthPolicy policy;
  policy.secret_of = [this](std::string_view id) -> std::optional<std::string> {
    auto system = store_->GetSystem(id);
    if (!system || !*system) return std::nullopt;
    return (*system)->secret;
  };
  policy.now = call.now;
  policy.max_skew = config_.max_skew;
  policy.utc_offsets_minutes = config_.utc_offsets_minutes;
  auto auth = wire::Authenticate(call.request.headers, policy);
  if (!auth) return Fail(call, auth.error().error, auth.error().detail);
  call.auth = std::move(*auth);
  call.event.system_id = call.auth.system_id;
  // Authenticate leaves only signed parameters in call.auth, so this requires them signed too.
  for (std::string_view name : call.info->required) {
    if (call.auth.Param(name).empty()) {
      return Fail(call, errors::kBadParameter,
                  "XroadVnpt-" + std::string(name) + " is required (and must be signed)");
    }
  }
  std::vector<std::string>& names = call.signed_names;
  for (const auto& [name, value] : call.auth.params) names.push_back(name);
  if (std::string_view foreign = wire::ForeignParameter(*call.info, names); !foreign.empty()) {
    return Fail(call, errors::kForeignParameter,
                "XroadVnpt-" + std::string(foreign) + " is not a parameter of " + call.operation);
  }
  if (wire::IsParameterOf(*call.info, "from")) {
    std::string from = call.auth.Param("from");
    auto sender = store_->GetAgency(from);
    if (!sender) return Fail(call, errors::kInternal, sender.error().message);
    if (!*sender || (*sender)->system_id != call.auth.system_id) {
      return Fail(call, errors::kForeignFrom, from + " (system " + call.auth.system_id + ")");
    }
  }
  return CheckReplay(call, peek);
}

std::optional<Response> Hub::CheckReplay(Call& call, bool peek) {
  // The hash-header is the HMAC over every signed header: the same value, the same request.
  std::string key =
      call.auth.system_id + "\n" +
      AsciiLower(wire::Find(call.request.headers, "XroadVnpt-hash-header").value_or(""));
  const wire::Op op = call.info->op;
  // Without a freshness check a timestamp never goes stale: remembered for a day.
  wire::Millis until =
      call.auth.fresh_until > 0 ? call.auth.fresh_until : call.now + wire::Millis{24} * 3600 * 1000;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::optional<ReplayMemory::Seen> seen = replay_.Find(key, call.now);
    if (seen && !seen->done && seen->op == op && op == wire::Op::kSendEdoc && !peek) {
      // The same submission twice at once (a retry racing its original): the second waits for
      // the first and gets its DocId, or is judged itself if the first was refused.
      replay_.WaitSettled(key, std::chrono::seconds(30));
      seen = replay_.Find(key, call.now);
    }
    if (seen) {
      std::string first(wire::OperationInfo(seen->op).name);
      if (seen->op != op) {
        return Fail(
            call, errors::kReplay,
            "these signed headers were used for " + first + " before; not for " + call.operation);
      }
      if (!call.info->changes_state) return std::nullopt;  // a read may repeat
      if (!seen->done && op == wire::Op::kSendEdoc && peek) {
        return std::nullopt;  // Admit: Handle waits for the first and answers its DocId
      }
      if (!seen->done) {
        return Fail(
            call, errors::kReplay,
            "the same signed " + call.operation + " is being handled; it is not done twice");
      }
      if (op == wire::Op::kSendEdoc) {
        // An SDK may send the same request again when an answer was lost: the first DocId, and
        // nothing stored twice — for the body the signed hash-file names, judged once it came.
        if (peek) return std::nullopt;
        return AnswerRepeated(call, seen->doc_id);
      }
      return Fail(call, errors::kReplay,
                  call.operation + " with these signed headers was already done; a repeated " +
                      "state change is refused");
    }
    if (peek) return std::nullopt;
    if (op == wire::Op::kSendEdoc && store_->Shared()) {
      // Another hub process on the same database may have stored it (the SDK retried through
      // another instance after this one's answer was lost): its DocId, not a second copy.
      auto stored = store_->SubmissionByKey(key);
      if (!stored) return Fail(call, errors::kInternal, stored.error().message);
      if (*stored) return AnswerRepeated(call, std::to_string(**stored));
    }
    // A read is remembered only when its headers would also fit an operation that changes
    // state (getAgenciesList's fit registerAgency): polling fills no memory.
    bool remember = call.info->changes_state;
    for (const wire::Operation& other : wire::Operations()) {
      remember = remember || (other.changes_state && wire::Fits(other, call.signed_names));
    }
    if (!remember) return std::nullopt;
    if (replay_.Begin(key, op, until, call.now)) {
      call.replay_key = key;
      if (store_->Shared() && op != wire::Op::kSendEdoc) return CheckSharedReplay(call, until);
      return std::nullopt;
    }
    // Another request with the same headers began in between: judged against it.
  }
  return Fail(call, errors::kReplay, "the same signed request arrived twice at once");
}

Response Hub::AnswerRepeated(Call& call, const std::string& doc_id) {
  std::string_view body = call.request.body;
  while (body.ends_with("\r\n")) body.remove_suffix(2);
  std::string hash = call.auth.Param("hash-file");
  if (!wire::HashFileMatches(hash, body)) return Fail(call, errors::kHashFileMismatch, hash);
  call.doc_id = doc_id;
  return Ok(call, boost::json::object{{"DocId", doc_id}},
            "repeated sendEdoc: answered with its first DocId " + doc_id + ", not stored again");
}

std::optional<Response> Hub::CheckSharedReplay(Call& call, wire::Millis until) {
  // Other hub processes on the same database remember what they accepted there (a sendEdoc is
  // kept once by its submission's request key instead: SubmissionByKey).
  const std::string name(wire::OperationInfo(call.info->op).name);
  auto first = store_->BeginRequest(call.replay_key, name, until, call.now);
  if (first && !*first) {
    call.shared_replay = true;
    return std::nullopt;
  }
  replay_.Forget(call.replay_key);
  call.replay_key.clear();
  if (!first) return Fail(call, errors::kInternal, first.error().message);
  if (**first != name) {
    return Fail(call, errors::kReplay,
                "these signed headers were used for " + **first +
                    " before (through another hub instance); not for " + call.operation);
  }
  if (!call.info->changes_state) return std::nullopt;  // a read may repeat
  return Fail(call, errors::kReplay,
              call.operation +
                  " with these signed headers was already done or is being done (through another "
                  "hub instance); a repeated state change is refused");
}

Response Hub::Dispatch(Call& call) {
  if (std::optional<Response> refusal = CheckHead(call, /*peek=*/false)) return *refusal;
  Handler handler = Handlers()[static_cast<int>(call.info->op)];
  Response response = (this->*handler)(call);
  if (call.replay_key.empty()) return response;  // a repeated read: nothing more to remember
  if (call.event.error_code == "0") {
    replay_.Finish(call.replay_key, std::move(call.doc_id));
  } else {
    replay_.Forget(call.replay_key);
    // Refused: nothing changed, so another instance may judge the same headers again. Should
    // this fail, the headers stay remembered until they are stale anyway: a later identical
    // request is refused as a replay, which is what a replay would be.
    if (call.shared_replay) (void)store_->ForgetRequest(call.replay_key);
  }
  return response;
}

Response Hub::SendEdoc(Call& call) {
  std::string type = AsciiLower(call.auth.Param("messagetype"));
  if (type != "edoc" && type != "status") {
    return Fail(call, errors::kBadParameter,
                "messagetype '" + call.auth.Param("messagetype") + "' (edoc or status)");
  }
  std::string service = call.auth.Param("servicetype");
  if (!service.empty() && AsciiLower(service) != "edoc") {
    return Fail(call, errors::kBadParameter, "servicetype '" + service + "' (eDoc)");
  }
  std::string from = call.auth.Param("from");  // registered to the caller: CheckHead
  std::string_view body = call.request.body;
  while (body.ends_with("\r\n")) body.remove_suffix(2);
  if (body.size() > config_.max_package_bytes) {
    return Fail(
        call, errors::kPackageTooLarge,
        std::to_string(body.size()) + " bytes, limit " + std::to_string(config_.max_package_bytes));
  }
  std::string hash = call.auth.Param("hash-file");  // required and signed: CheckHead
  if (!wire::HashFileMatches(hash, body)) return Fail(call, errors::kHashFileMismatch, hash);
  edxml::ParseLimits limits;
  limits.max_bytes = config_.max_package_bytes;
  limits.max_elements = config_.max_elements;
  auto parse = edxml::ParsePackage(body, limits);
  if (!parse) {
    return Fail(call, errors::kPackageMalformed,
                parse.error().rule_id + " line " + std::to_string(parse.error().location.line) +
                    ": " + parse.error().message);
  }
  // Parsed once: the judgement below, the event's subscribers (the harness's observer) and
  // its judge of the SUT's packages all read this.
  auto parsed = std::make_shared<const edxml::ParsedPackage>(std::move(*parse));
  call.event.package = parsed;
  const edxml::Package& package = parsed->package;
  bool is_status = package.kind() == edxml::PackageKind::kStatus;
  if (is_status != (type == "status")) {
    return Fail(
        call, errors::kBadParameter,
        "messagetype " + type + " but the package is a " + (is_status ? "status" : "document"));
  }
  std::string package_from;
  std::vector<std::string> to;
  std::string title, notation;
  if (const auto* d = package.document()) {
    package_from = d->from.organ_id;
    for (const auto& t : d->to) {
      if (std::find(to.begin(), to.end(), t.organ_id) == to.end()) to.push_back(t.organ_id);
    }
    title = d->subject;
    notation = d->code.code_number + "/" + d->code.code_notation;
  } else if (const auto* s = package.status()) {
    package_from = s->from.organ_id;
    to.push_back(s->response_for.organ_id);
    title = s->status_code + (s->description ? " " + *s->description : "");
    notation = s->response_for.code;
  }
  if (package_from != from) {
    return Fail(
        call, errors::kFromMismatch,
        "header from " + from + ", package " + (package_from.empty() ? "(none)" : package_from));
  }
  if (to.empty()) return Fail(call, errors::kNoRecipient, "");
  std::vector<Recipient> recipients;
  for (const std::string& code : to) {
    auto agency = store_->GetAgency(code);
    if (!agency) return Fail(call, errors::kInternal, agency.error().message);
    if (!*agency) return Fail(call, errors::kUnknownRecipient, code);
    recipients.push_back(Recipient{code, (*agency)->system_id, ""});
  }
  if (config_.policy != SubmitPolicy::kAcceptAll) {
    edxml::ValidateOptions options;
    options.limits = limits;
    edxml::Judgement j = edxml::Judge(*parsed, options);
    if (j.verdict == Verdict::kFail) {
      const Finding* first = FirstFailure(j.findings);
      std::string what = first != nullptr ? first->rule_id + ": " + first->message : "FAIL";
      if (config_.policy == SubmitPolicy::kReject) {
        return Fail(call, errors::kPackageInvalid, what);
      }
      call.event.detail = "accepted with findings: " + what + "; ";
    }
  }
  if (config_.relay == RelayMode::kReserialize && type == "edoc") {
    // As the live hub delivers a document (hub-api.md §5): re-serialised by the VNPT library
    // (reordered, empty elements, the Signature in the edXML namespace, the PDF zipped) and a
    // TraceHeader appended. Statuses carry no TraceHeaderList and travel as they came.
    auto bytes = edxml::Relay(body, edxml::RelayShape::LiveHub(from, EdxmlTime(call.now)));
    if (!bytes) return Fail(call, errors::kInternal, bytes.error().message);
    for (Recipient& r : recipients) r.package = *bytes;
  }
  Submission submission{call.auth.system_id, from, type, title, notation, body};
  if (store_->Shared()) submission.request_key = call.replay_key;
  std::vector<std::int64_t> doc_ids;
  auto doc_id = store_->Submit(submission, recipients, call.now, &doc_ids);
  if (!doc_id && doc_id.error().code == "store.repeated") {
    // The same signed request was stored through another instance while this one judged it.
    auto stored = store_->SubmissionByKey(submission.request_key);
    if (stored && *stored) return AnswerRepeated(call, std::to_string(**stored));
  }
  if (!doc_id) return Fail(call, errors::kInternal, doc_id.error().message);
  std::string detail = call.event.detail + "DocId " + std::to_string(*doc_id) + " →";
  for (size_t i = 0; i < recipients.size(); ++i) {
    detail += " " + recipients[i].to_code + " #" + std::to_string(doc_ids[i]);
  }
  call.doc_id = std::to_string(*doc_id);
  boost::json::object fields{{"DocId", call.doc_id}};
  return Ok(call, std::move(fields), detail);
}

Response Hub::ReceivedList(Call& call) {
  std::string type = AsciiLower(call.auth.Param("messagetype"));
  if (type != "edoc" && type != "status") {
    return Fail(call, errors::kBadParameter,
                "messagetype '" + call.auth.Param("messagetype") + "' (edoc or status)");
  }
  auto pending = store_->Pending(call.auth.system_id, type);
  if (!pending) return Fail(call, errors::kInternal, pending.error().message);
  boost::json::array data;
  for (const Delivery& d : *pending) {
    data.push_back(boost::json::object{{"docId", std::to_string(d.doc_id)},
                                       {"serviceType", "eDoc"},
                                       {"messageType", d.message_type},
                                       {"created_time", ListTime(d.created)},
                                       {"updated_time", ListTime(d.updated)},
                                       {"from", d.from_code},
                                       {"to", d.to_code},
                                       {"status", d.status},
                                       {"status_desc", d.status_desc}});
  }
  size_t n = data.size();
  return Ok(call, boost::json::object{{"data", std::move(data)}},
            std::to_string(n) + " pending " + type);
}

Response Hub::GetEdoc(Call& call) { return ReadEdoc(call, false); }

Response Hub::DownloadEdoc(Call& call) { return ReadEdoc(call, true); }

Response Hub::ReadEdoc(Call& call, bool download) {
  std::string raw = call.auth.Param("docid");
  auto doc_id = ParseDocId(raw);
  if (!doc_id) return Fail(call, errors::kUnknownDocId, "'" + raw + "'");
  auto fetched = store_->Fetch(*doc_id, call.auth.system_id);
  if (!fetched) return Fail(call, errors::kInternal, fetched.error().message);
  if (!*fetched) return Fail(call, errors::kUnknownDocId, raw);
  call.event.error_code = "0";
  call.event.detail = "DocId " + raw + " (" + std::to_string((*fetched)->second.size()) + " bytes)";
  if (download) {
    return Response{200, "application/octet-stream", std::move((*fetched)->second)};
  }
  boost::json::object fields{{"data", edxml::EncodeBase64((*fetched)->second)}};
  return Ok(call, std::move(fields), call.event.detail);
}

Response Hub::UpdateStatus(Call& call) {
  std::string raw = call.auth.Param("docid");
  std::string status = AsciiLower(call.auth.Param("status"));
  if (status != "done" && status != "fail" && status != "processing") {
    return Fail(call, errors::kBadStatus, "'" + call.auth.Param("status") + "'");
  }
  auto doc_id = ParseDocId(raw);
  if (!doc_id) return Fail(call, errors::kUnknownDocId, "'" + raw + "'");
  auto set = store_->SetStatus(*doc_id, call.auth.system_id, status, call.auth.Param("description"),
                               call.now);
  if (!set) return Fail(call, errors::kInternal, set.error().message);
  if (!set->found) return Fail(call, errors::kUnknownDocId, raw);
  if (!set->changed) {
    if (set->previous == status) {
      return Ok(call, {}, "DocId " + raw + " already " + status + ": nothing changed");
    }
    return Fail(call, errors::kStatusFinal,
                "DocId " + raw + " was acknowledged " + set->previous + "; " + status +
                    " is refused (an acknowledgement is final)");
  }
  return Ok(call, {}, "DocId " + raw + " " + status);
}

Response Hub::SentList(Call& call) {
  std::string type = AsciiLower(call.auth.Param("messagetype"));
  if (type != "edoc" && type != "status") {
    return Fail(call, errors::kBadParameter,
                "messagetype '" + call.auth.Param("messagetype") + "' (edoc or status)");
  }
  std::optional<std::int64_t> only;
  if (std::string raw = call.auth.Param("docid"); !raw.empty()) {
    only = ParseDocId(raw);
    if (!only) return Fail(call, errors::kUnknownDocId, "'" + raw + "'");
  }
  auto sent = store_->Sent(call.auth.system_id, type, only);
  if (!sent) return Fail(call, errors::kInternal, sent.error().message);
  boost::json::array data;
  for (const Delivery& d : *sent) {
    bool received = d.status == "done";
    data.push_back(boost::json::object{
        {"serviceType", "eDoc"},
        {"senderDocId", std::to_string(d.sender_doc_id)},
        {"receiverDocId", std::to_string(d.doc_id)},
        {"fromCode", d.from_code},
        {"toCode", d.to_code},
        {"title", d.title},
        {"notation", d.notation},
        {"messageType", d.message_type},
        {"sentTime", ListTime(d.created)},
        {"receivedTime", received ? ListTime(d.updated) : ""},
        {"sendStatus", "done"},
        {"sendStatusDesc", "Da gui len truc"},
        {"receiveStatus", d.status},
        {"receiveStatusDesc",
         d.status_desc.empty() ? (received ? "Da nhan" : "Chua nhan") : d.status_desc}});
  }
  size_t n = data.size();
  return Ok(call, boost::json::object{{"data", std::move(data)}},
            std::to_string(n) + " deliveries");
}

Response Hub::Count(Call& call) {
  std::string type = call.operation == "countReceiveEdoc" ? "edoc" : "status";
  auto pending = store_->Pending(call.auth.system_id, type);
  if (!pending) return Fail(call, errors::kInternal, pending.error().message);
  boost::json::object fields{{"count", static_cast<std::int64_t>(pending->size())}};
  return Ok(call, std::move(fields), std::to_string(pending->size()));
}

Response Hub::AgenciesList(Call& call) {
  const std::string& flavour = call.operation;
  bool sync = flavour == "getSynchronizeUnit";
  auto agencies = store_->Agencies(sync);
  if (!agencies) return Fail(call, errors::kInternal, agencies.error().message);
  std::string level = call.auth.Param("level");
  boost::json::array data;
  for (const Agency& a : *agencies) {
    if (flavour == "getAgenciesListQD20") {
      if (!level.empty() && level != std::to_string(a.level)) continue;
      data.push_back(boost::json::object{
          {"id", a.id}, {"code", a.code}, {"name", a.name}, {"mail", a.mail}, {"code102", a.code}});
    } else if (sync) {
      data.push_back(boost::json::object{{"id", a.id},
                                         {"pid", a.pid},
                                         {"code", a.code},
                                         {"name", a.name},
                                         {"mail", a.mail},
                                         {"centerCode", a.system_id},
                                         {"version", 1},
                                         {"deleted", a.deleted},
                                         {"modifyDate", ListTime(a.modified)},
                                         {"isAgency", true}});
    } else {
      data.push_back(boost::json::object{{"id", a.id},
                                         {"pid", a.pid},
                                         {"code", a.code},
                                         {"name", a.name},
                                         {"mail", a.mail},
                                         {"oldCode", ""}});
    }
  }
  size_t n = data.size();
  return Ok(call, boost::json::object{{"data", std::move(data)}}, std::to_string(n) + " agencies");
}

Response Hub::RegisterAgency(Call& call) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(call.request.body, ec);
  if (ec || !v.is_object())
    return Fail(call, errors::kBadParameter, "the body is not a JSON object");
  auto text = [&](const char* key) -> std::string {
    const boost::json::value* f = v.as_object().if_contains(key);
    if (f == nullptr) return {};
    if (f->is_string()) return std::string(f->as_string());
    if (f->is_int64()) return std::to_string(f->as_int64());
    return {};
  };
  Agency a;
  a.code = text("code");
  auto id = agency::ParseStrict(a.code);
  if (!id) {
    return Fail(call, errors::kBadParameter, "code '" + a.code + "' is not an agency identifier");
  }
  a.level = id->depth;
  a.name = text("name");
  a.pcode = text("pcode");
  a.mail = text("mail");
  a.mobile = text("mobile");
  a.fax = text("fax");
  a.system_id = call.auth.system_id;
  a.modified = call.now;
  auto added = store_->AddAgency(a);
  if (!added) return Fail(call, errors::kInternal, added.error().message);
  if (!*added) return Fail(call, errors::kAgencyExists, a.code);
  return Ok(call, {}, "registered " + a.code);
}

Response Hub::DeleteAgency(Call& call) {
  std::string code = call.auth.Param("agencycode");
  auto agency = store_->GetAgency(code);
  if (!agency) return Fail(call, errors::kInternal, agency.error().message);
  if (!*agency || (*agency)->system_id != call.auth.system_id) {
    return Fail(call, errors::kUnknownAgency, "'" + code + "'");
  }
  auto deleted = store_->DeleteAgency(code, call.now);
  if (!deleted) return Fail(call, errors::kInternal, deleted.error().message);
  return Ok(call, {}, "deleted " + code);
}

}  // namespace vxp::hub
