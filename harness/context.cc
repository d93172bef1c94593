#include "harness/context.h"

#include <algorithm>

#include "core/common/datetime.h"
#include "core/edxml/base64.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "core/edxml/validate.h"
#include "core/signing/pdf.h"
#include "core/signing/test_pki.h"
#include "core/signing/trust.h"

namespace vxp::harness {
namespace {

// The DocumentId a package of the SUT is about: a status's ResponseFor/DocumentId, a document's
// own; "" when it does not parse.
std::string DocumentOf(const SutPackage& p) {
  if (!p.package) return "";
  if (const edxml::StatusHeader* s = p.package->status()) return s->response_for.document_id;
  if (const edxml::DocumentHeader* d = p.package->document()) return d->document_id;
  return "";
}

}  // namespace

Context::Context(World& world, const Scenario& scenario)
    : world_(world),
      scenario_(scenario),
      first_seq_(world.observer->NextSeq()),
      number_(++world.contexts) {}

// ---- Packages.

std::string Context::SignedPdf(std::string_view line) {
  static const auto credential = signing::test_pki::BuiltInCredential("agency-g22");
  if (!credential) {
    Error("the built-in test credential does not load: " + credential.error().message);
    return "";
  }
  signing::PdfSignOptions o;
  o.signing_time = *signing::ParseTime(signing::test_pki::kPinnedTime);
  auto pdf = signing::SignPdf(signing::MakeTestPdf({"vxpkit", std::string(line)}), *credential, o);
  if (!pdf) {
    Error("signing a test PDF failed: " + pdf.error().message);
    return "";
  }
  return *pdf;
}

std::int64_t TakeDocumentNumbers(World& world, int count, std::int64_t legacy_scale) {
  std::int64_t first = (world.document_series > 0 && world.document_series < 100'000
                            ? world.document_series * 1'000'000
                            : static_cast<std::int64_t>(world.seed % 900 + 100) * legacy_scale) +
                       world.numbering + 1;
  world.numbering += count;
  return first;
}

edxml::Package Context::NewDocument(std::vector<std::string> to) {
  if (to.empty()) to = {sut_agency()};
  std::int64_t number = TakeDocumentNumbers(world_, 1, 1000);
  std::string today = FormatEdxmlDate(CivilTime(Now() / 1000, kVietnamUtcOffsetMinutes).date);
  const std::string notation = "VXP-KT";
  edxml::Package p = edxml::samples::Document(SignedPdf("so " + std::to_string(number)));
  edxml::DocumentHeader& d = *p.document();
  auto name_of = [&](const std::string& code) {
    auto a = world_.hub->FindAgency(code);
    return a ? a->name : "Đơn vị " + code;
  };
  if (d.from.organ_id != peer()) {
    d.from = edxml::Organization{};
    d.from.organ_id = peer();
    d.from.organ_name = name_of(peer());
  }
  d.to.clear();
  for (const std::string& t : to) {
    edxml::Organization o;
    o.organ_id = t;
    o.organ_name = name_of(t);
    d.to.push_back(o);
  }
  d.code = edxml::Code{std::to_string(number), notation};
  d.promulgation_info.promulgation_date = today;
  d.document_id = peer() + "," + today + "," + std::to_string(number) + "/" + notation;
  d.subject = "Kiểm thử liên thông vxpkit số " + std::to_string(number);
  world_.documents[d.document_id] = number_;
  if (p.trace_header_list) {
    p.trace_header_list->trace_headers = {edxml::TraceHeader{
        peer(), FormatEdxmlTimestamp(CivilTime(Now() / 1000, kVietnamUtcOffsetMinutes))}};
  }
  return p;
}

std::string Context::Bytes(const edxml::Package& package) {
  auto bytes = edxml::Serialize(package);
  if (!bytes) {
    Error("serialising a package failed: " + bytes.error().message);
    return "";
  }
  return *bytes;
}

edxml::Package Context::Status(std::string_view code, std::string_view from, std::string_view to,
                               std::string_view document_id, std::string_view notation,
                               std::string_view description) {
  edxml::Package p = edxml::samples::Status(code);
  edxml::StatusHeader& s = *p.status();
  s.from = edxml::Organization{};
  s.from.organ_id = std::string(from);
  auto a = world_.hub->FindAgency(from);
  s.from.organ_name = a ? a->name : "Đơn vị " + std::string(from);
  s.response_for.organ_id = std::string(to);
  s.response_for.document_id = std::string(document_id);
  s.response_for.code = std::string(notation);
  s.response_for.promulgation_date =
      FormatEdxmlDate(CivilTime(Now() / 1000, kVietnamUtcOffsetMinutes).date);
  s.description =
      description.empty() ? std::nullopt : std::optional<std::string>(std::string(description));
  s.timestamp = FormatEdxmlTimestamp(CivilTime(Now() / 1000, kVietnamUtcOffsetMinutes));
  return p;
}

// ---- Stimuli.

std::optional<Delivered> Context::Send(std::string name, const std::string& bytes,
                                       std::string_view message_type, std::string_view from) {
  if (bytes.empty()) return std::nullopt;  // Bytes() already recorded the error
  std::string sender = from.empty() ? peer() : std::string(from);
  artifacts_.push_back({name, bytes});
  auto doc_id = world_.hub->SendAsPeer(sender, message_type, bytes);
  if (!doc_id) {
    Inconclusive("the hub refused the harness's own " + std::string(message_type) + " '" + name +
                 "': " + doc_id.error().message);
    return std::nullopt;
  }
  Delivered d{*doc_id, 0, std::string(message_type)};
  auto sent = world_.hub->PeerDeliveries(message_type, d.submission);
  if (sent) {
    for (const hub::Delivery& x : *sent) {
      if (std::find(world_.sut.agencies.begin(), world_.sut.agencies.end(), x.to_code) !=
          world_.sut.agencies.end()) {
        d.delivery = x.doc_id;
        deliveries_.insert(std::to_string(x.doc_id));
      }
    }
  }
  Step("sent " + name + " from " + sender + " (" + std::string(message_type) + ", hub DocId " +
       std::to_string(d.submission) +
       (d.delivery ? ", the SUT's DocId " + std::to_string(d.delivery) : "") + ")");
  return d;
}

std::optional<Delivered> Context::Inject(std::string name, const std::string& bytes,
                                         std::string from, std::string_view relayed_as) {
  artifacts_.push_back({name, bytes});
  auto id =
      world_.hub->Inject(from, sut_agency(), world_.sut.system_id, "vxpkit: " + name, bytes, Now());
  if (!id) {
    Error("storing '" + name + "' in the hub failed: " + id.error().message);
    return std::nullopt;
  }
  deliveries_.insert(std::to_string(id->delivery));
  if (!relayed_as.empty()) {
    Step("placed " + name + " in the SUT's queue as the live hub delivers it (" +
         std::string(relayed_as) + "), the SUT's DocId " + std::to_string(id->delivery));
  } else {
    Step("placed " + name +
         " in the SUT's queue past the hub's checks (the simulator's sendEdoc "
         "would refuse it; another hub might relay it), the SUT's DocId " +
         std::to_string(id->delivery));
  }
  return Delivered{id->submission, id->delivery, "edoc"};
}

std::optional<hub::Delivery> Context::Delivery(const Delivered& d) {
  auto sent = world_.hub->PeerDeliveries(d.message_type, d.submission);
  if (!sent) return std::nullopt;
  for (const hub::Delivery& x : *sent) {
    if (x.doc_id == d.delivery) return x;
  }
  return std::nullopt;
}

// ---- Observation.

std::vector<SutStatus> Context::Statuses(std::string_view document_id) const {
  std::vector<SutStatus> out;
  for (SutStatus& s : world_.observer->Statuses(first_seq_)) {
    // Asked about one document, every status about it; else only those that are this scenario's.
    if (document_id.empty() ? Mine(s.seq, s.document_id) : s.document_id == document_id) {
      out.push_back(std::move(s));
    }
  }
  return out;
}

bool Context::Mine(std::int64_t seq, std::string_view document_id) const {
  if (!document_id.empty()) {
    auto owner = world_.documents.find(std::string(document_id));
    if (owner != world_.documents.end()) {
      if (owner->second == number_) return true;
      if (world_.lingering.contains(owner->second)) return false;
    }
  }
  return shared_from_ == 0 || seq < shared_from_;
}

std::vector<std::string> Context::Codes(std::string_view document_id, std::string_view to) const {
  std::vector<std::string> out;
  for (const SutStatus& s : Statuses(document_id)) {
    if (s.accepted && s.to == to) out.push_back(s.code);
  }
  return out;
}

std::vector<SutPackage> Context::SutDocuments() const {
  std::vector<SutPackage> out;
  for (SutPackage& p : world_.observer->Packages(first_seq_)) {
    if (p.message_type == "edoc") out.push_back(std::move(p));
  }
  return out;
}

std::vector<Exchange> Context::Exchanges() const { return world_.observer->Exchanges(first_seq_); }

bool Context::WaitFor(std::string_view what, std::chrono::milliseconds budget,
                      const std::function<bool()>& done) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + budget;
  auto last = start;
  std::chrono::milliseconds stalled{0};
  // A long wait says what it waits for: after 2 s, then every 30 s.
  auto note = start + std::chrono::seconds(2);
  while (true) {
    // Interrupted first: a run being stopped stops at its next wait, done or not.
    if (std::string why = Interrupted(); !why.empty()) throw RunInterrupted{why};
    if (done()) return true;
    if (world_.declined) {
      if (std::string why = world_.declined(); !why.empty()) throw OperatorDeclined{why};
    }
    auto now = Clock::now();
    // The harness checks every 20 ms at most; a longer gap is time it was not watching.
    auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(now - last);
    if (gap > std::chrono::milliseconds(250)) stalled += gap;
    last = now;
    if (now >= deadline) break;
    if (now >= note) {
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - start);
      Progress("        waiting up to " + FormatDuration(budget) + " for " + std::string(what) +
               " (" + FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(waited)) +
               " so far)");
      note = now + std::chrono::seconds(30);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    world_.observer->WaitChange(std::min(left, std::chrono::milliseconds(20)));
  }
  if (stalled * 4 > budget) {
    Inconclusive("the harness itself was stalled for " + FormatDuration(stalled) + " of the " +
                 FormatDuration(budget) + " it waited for " + std::string(what) +
                 "; it cannot tell whether the SUT was late");
  }
  return false;
}

void Context::Watch(std::chrono::milliseconds window) {
  auto end = std::chrono::steady_clock::now() + window;
  while (std::chrono::steady_clock::now() < end) {
    if (std::string why = Interrupted(); !why.empty()) throw RunInterrupted{why};
    world_.observer->WaitChange(std::chrono::milliseconds(20));
  }
}

void Context::Linger(std::chrono::milliseconds window, std::function<void(Context&)> judge) {
  linger_window_ = window;
  judge_ = std::move(judge);
}

void Context::ShareFrom(std::int64_t seq) {
  if (shared_from_ != 0) return;
  shared_from_ = seq;
  world_.lingering.insert(number_);
}

void Context::CloseWindow() {
  // The window is closed whatever the judge does: what the SUT says next about these documents
  // goes to the scenario that runs then, as it did before this scenario lingered.
  struct Closed {
    World& world;
    int number;
    ~Closed() { world.lingering.erase(number); }
  } closed{world_, number_};
  if (judge_) judge_(*this);
}

std::vector<std::int64_t> Context::LateExchanges() const {
  std::vector<std::int64_t> late;
  if (shared_from_ == 0) return late;
  for (const SutPackage& p : world_.observer->Packages(shared_from_)) {
    auto owner = world_.documents.find(DocumentOf(p));
    if (owner != world_.documents.end() && owner->second == number_) late.push_back(p.seq);
  }
  for (const Exchange& x : world_.observer->Exchanges(shared_from_)) {
    if (x.operation != "getEdoc" && x.operation != "downloadEdoc" &&
        x.operation != "updateStatus") {
      continue;
    }
    if (deliveries_.contains(x.Param("docid"))) late.push_back(x.seq);
  }
  std::sort(late.begin(), late.end());
  late.erase(std::unique(late.begin(), late.end()), late.end());
  return late;
}

std::string Context::Interrupted() const {
  return world_.interrupted ? world_.interrupted() : std::string();
}

// ---- The outcome.

void Context::Step(std::string text) { steps_.push_back(std::move(text)); }

void Context::Fail(std::string requirement, std::string message, std::string expected,
                   std::string actual, std::string location) {
  Finding f;
  f.rule_id = std::move(requirement);
  f.level = scenario_.level;
  f.verdict = scenario_.level == Level::kMust || world_.strict ? Verdict::kFail : Verdict::kWarn;
  f.location.path = std::move(location);
  f.expected = std::move(expected);
  f.actual = std::move(actual);
  f.message = std::move(message);
  findings_.push_back(std::move(f));
}

void Context::MissedDeadline(std::string requirement, std::string_view deadline,
                             std::chrono::milliseconds value, std::string expected,
                             std::string actual) {
  Fail(std::move(requirement),
       "deadline '" + std::string(deadline) + "' (" + FormatDuration(value) + ", profile " +
           world_.profile.name + ") passed: " + expected + " was expected, " + actual,
       expected, actual);
}

void Context::AddFindings(const std::vector<Finding>& findings, std::string_view where) {
  for (Finding f : findings) {
    if (f.verdict == Verdict::kPass || f.verdict == Verdict::kSkip) continue;
    if (world_.strict && f.verdict == Verdict::kWarn) f.verdict = Verdict::kFail;
    if (!where.empty()) f.message = std::string(where) + ": " + f.message;
    findings_.push_back(std::move(f));
  }
}

int Context::JudgeSubmitted() {
  edxml::ValidateOptions o;
  o.rules.strictness = world_.profile.packages;
  o.rules.today = CivilTime(Now() / 1000, kVietnamUtcOffsetMinutes).date;
  int judged = 0;
  for (const SutPackage& p : world_.observer->Packages(first_seq_)) {
    if (world_.judged.contains(p.seq) || !Mine(p.seq, DocumentOf(p))) continue;
    world_.judged.insert(p.seq);
    ++judged;
    // The package as parsed once (by the hub or the observer); the parse failure otherwise.
    edxml::Judgement j = p.parsed ? edxml::Judge(*p.parsed, o) : edxml::Validate(p.bytes, o);
    if (j.verdict == Verdict::kPass) continue;
    std::string what = std::string(p.message_type == "status" ? "status" : "document");
    if (p.package && p.package->status()) what = "status " + p.package->status()->status_code;
    std::string where = "the SUT's " + what + " (sendEdoc, exchange #" + std::to_string(p.seq) +
                        (p.accepted ? "" : ", refused by the hub") + ")";
    AddFindings(j.findings, where);
    Step("vxpkit judged " + where + ": " + std::string(ToString(j.verdict)));
  }
  return judged;
}

void Context::Attach(std::string name, std::string bytes) {
  files_.push_back({std::move(name), std::move(bytes)});
}

void Context::AddChart(results::Chart chart) { charts_.push_back(std::move(chart)); }

void Context::Progress(const std::string& line) const {
  if (world_.progress) world_.progress(line);
}

void Context::Skip(std::string reason) {
  if (!override_) override_ = {Verdict::kSkip, std::move(reason)};
}

bool Context::RefusedBySystem(const vxp::Error& error, std::string_view asked) {
  if (error.code != "driver.refused") return false;
  Step("asked the system to " + std::string(asked) + "; its own rules refuse it: " + error.message);
  Skip("REFUSED by the system's own rules when asked to " + std::string(asked) + " (" +
       error.message + "): the requirement is not tested");
  return true;
}
void Context::Inconclusive(std::string reason) {
  if (!override_ || override_->first == Verdict::kSkip) {
    override_ = {Verdict::kInconclusive, std::move(reason)};
  }
}
void Context::Error(std::string reason) { override_ = {Verdict::kError, std::move(reason)}; }

}  // namespace vxp::harness
