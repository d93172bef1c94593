#include "harness/observer.h"

#include <algorithm>

#include "core/common/text.h"
#include "core/edxml/parse.h"
#include "harness/hub_world.h"

namespace vxp::harness {
namespace {

constexpr std::string_view kPrefix = "xroadvnpt-";

}  // namespace

std::string RequestParam(const hub::Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    std::string n = AsciiLower(header);
    if (n.starts_with(kPrefix) && n.substr(kPrefix.size()) == AsciiLower(name)) return value;
  }
  return "";
}

std::string Exchange::Param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

Observer::Observer(std::string sut_system, std::string peer_system)
    : sut_system_(std::move(sut_system)),
      peer_system_(std::move(peer_system)),
      load_system_(LoadSystemOf(peer_system_)) {}

void Observer::OnEvent(const hub::Event& event) {
  if (event.request == nullptr || event.response == nullptr) return;
  {
    std::lock_guard lock(tap_mu_);
    if (tap_) tap_(event);
  }
  // The harness's own peers always authenticate; everything else is the SUT's (or a stranger
  // misconfigured as it, which a diagnosis should see too). Decided before anything is copied:
  // while a load runs, most events are the load system's.
  std::string claimed;  // the last XroadVnpt-systemid, as the params below keep it
  for (const auto& [name, value] : event.request->headers) {
    if (EqualsIgnoreCase(name, "XroadVnpt-systemid")) claimed = value;
  }
  for (const std::string& own : {peer_system_, load_system_}) {
    if (event.system_id == own || (event.system_id.empty() && claimed == own)) return;
  }
  Exchange x;
  x.at = event.at;
  x.operation = event.operation;
  x.system_id = event.system_id;
  x.error_code = event.error_code;
  x.detail = event.detail;
  x.faults = event.faults;
  x.method = event.request->method;
  x.target = event.request->target;
  x.request_headers = event.request->headers;
  for (const auto& [name, value] : x.request_headers) {
    std::string n = AsciiLower(name);
    if (n.starts_with(kPrefix)) x.params[n.substr(kPrefix.size())] = value;
  }
  x.claimed_system = std::move(claimed);
  bool sampled_out = false;
  {
    std::lock_guard lock(mu_);
    sampled_out = keep_ && *keep_ <= 0 && x.error_code == "0";
    if (sampled_out) {
      ++omitted_;
      ++next_seq_;
    } else if (keep_) {
      --*keep_;
    }
  }
  if (sampled_out) {
    changed_.notify_all();
    return;
  }
  x.request_body = event.request->body;
  x.status = event.response->status;
  x.response_body = event.response->body;
  std::optional<SutPackage> package;
  if (x.operation == "sendEdoc" && x.system_id == sut_system_) {
    SutPackage p;
    p.accepted = x.error_code == "0";
    p.error_code = x.error_code;
    p.message_type = AsciiLower(x.Param("messagetype"));
    p.from_header = x.Param("from");
    p.bytes = x.request_body;
    while (p.bytes.ends_with("\r\n")) p.bytes.resize(p.bytes.size() - 2);
    if (event.package) {
      p.parsed = event.package;
      p.package = std::shared_ptr<const edxml::Package>(p.parsed, &p.parsed->package);
      p.parse_tried = true;
    } else if (x.error_code == wire::errors::kPackageMalformed.code) {
      p.parse_tried = true;  // the hub's parse failed; JudgeSubmitted names why
    }
    package = std::move(p);
  }
  {
    std::lock_guard lock(mu_);
    x.seq = next_seq_++;
    if (package) {
      package->seq = x.seq;
      packages_.push_back(std::move(*package));
    }
    exchanges_.push_back(std::move(x));
  }
  changed_.notify_all();
}

std::int64_t Observer::NextSeq() const {
  std::lock_guard lock(mu_);
  return next_seq_;
}

std::vector<Exchange> Observer::Exchanges(std::int64_t from_seq) const {
  std::lock_guard lock(mu_);
  std::vector<Exchange> out;
  for (const Exchange& x : exchanges_) {
    if (x.seq >= from_seq) out.push_back(x);
  }
  return out;
}

void Observer::ParsePending() const {
  std::vector<std::pair<std::int64_t, std::string>> todo;
  {
    std::lock_guard lock(mu_);
    for (const SutPackage& p : packages_) {
      if (!p.parse_tried) todo.emplace_back(p.seq, p.bytes);
    }
  }
  if (todo.empty()) return;
  std::map<std::int64_t, std::shared_ptr<const edxml::ParsedPackage>> done;
  for (const auto& [seq, bytes] : todo) {
    auto parsed = edxml::ParsePackage(bytes);
    done[seq] = parsed ? std::make_shared<const edxml::ParsedPackage>(std::move(*parsed)) : nullptr;
  }
  std::lock_guard lock(mu_);
  for (SutPackage& p : packages_) {
    auto it = done.find(p.seq);
    if (it == done.end() || p.parse_tried) continue;
    p.parse_tried = true;
    p.parsed = it->second;
    if (p.parsed) p.package = std::shared_ptr<const edxml::Package>(p.parsed, &p.parsed->package);
  }
}

std::vector<SutPackage> Observer::Packages(std::int64_t from_seq) const {
  ParsePending();
  std::lock_guard lock(mu_);
  std::vector<SutPackage> out;
  for (const SutPackage& p : packages_) {
    if (p.seq >= from_seq) out.push_back(p);
  }
  return out;
}

std::vector<SutStatus> Observer::Statuses(std::int64_t from_seq) const {
  std::vector<SutStatus> out;
  for (const SutPackage& p : Packages(from_seq)) {
    const edxml::StatusHeader* s = p.package ? p.package->status() : nullptr;
    if (s == nullptr) continue;
    out.push_back(SutStatus{p.seq, p.accepted, s->status_code, s->from.organ_id,
                            s->response_for.organ_id, s->response_for.document_id,
                            s->response_for.code, s->description.value_or(""), p.error_code});
  }
  return out;
}

void Observer::SetTap(std::function<void(const hub::Event&)> tap) {
  std::lock_guard lock(tap_mu_);
  tap_ = std::move(tap);
}

void Observer::SetSampling(std::optional<std::int64_t> keep) {
  std::lock_guard lock(mu_);
  keep_ = keep;
}

std::int64_t Observer::omitted() const {
  std::lock_guard lock(mu_);
  return omitted_;
}

void Observer::WaitChange(std::chrono::milliseconds max) const {
  std::unique_lock lock(mu_);
  std::int64_t seen = next_seq_;
  changed_.wait_for(lock, max, [&] { return next_seq_ != seen; });
}

}  // namespace vxp::harness
