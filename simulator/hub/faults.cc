#include "simulator/hub/faults.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "core/common/text.h"
#include "core/wire/operations.h"

namespace vxp::hub {
namespace {

constexpr std::pair<FaultKind, std::string_view> kKinds[] = {
    {FaultKind::kLatency, "latency"},        {FaultKind::kError, "error"},
    {FaultKind::kErrorAfter, "error-after"}, {FaultKind::kDrop, "drop"},
    {FaultKind::kDuplicate, "duplicate"},    {FaultKind::kReorder, "reorder"},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ParseInt(std::string_view s, int* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string Transform(std::string_view body, bool duplicate) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return std::string(body);
  boost::json::value* data = v.as_object().if_contains("data");
  if (data == nullptr || !data->is_array()) return std::string(body);
  boost::json::array& items = data->as_array();
  if (duplicate) {
    boost::json::array twice = items;
    for (const auto& item : items) twice.push_back(item);
    items = std::move(twice);
  } else {
    std::reverse(items.begin(), items.end());
  }
  return boost::json::serialize(v);
}

}  // namespace

std::string_view FaultKindName(FaultKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "?";
}

std::string Fault::ToString() const {
  std::string out(FaultKindName(kind));
  if (!operation.empty()) out += ",op=" + operation;
  if (!agency.empty()) out += ",agency=" + agency;
  if (!system_id.empty()) out += ",system=" + system_id;
  if (kind == FaultKind::kLatency) out += ",ms=" + std::to_string(latency.count());
  if (http_status != 0) out += ",http=" + std::to_string(http_status);
  if (skip != 0) out += ",skip=" + std::to_string(skip);
  if (times >= 0) out += ",times=" + std::to_string(times);
  return out;
}

Result<Fault> ParseFault(std::string_view spec) {
  auto fail = [&](const std::string& what) {
    return MakeError("fault.parse", "fault '" + std::string(spec) + "': " + what);
  };
  Fault fault;
  bool have_kind = false, have_ms = false;
  std::string_view rest = spec;
  while (!rest.empty() || !have_kind) {
    size_t comma = rest.find(',');
    std::string_view item = Trim(rest.substr(0, comma));
    rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
    size_t eq = item.find('=');
    std::string_view key = eq == std::string_view::npos ? "kind" : Trim(item.substr(0, eq));
    std::string_view value = eq == std::string_view::npos ? item : Trim(item.substr(eq + 1));
    if (key == "kind") {
      bool known = false;
      for (const auto& [k, name] : kKinds) {
        if (name == value) fault.kind = k, known = true;
      }
      if (!known) {
        return fail("unknown kind '" + std::string(value) +
                    "' (latency, error, error-after, drop, duplicate, reorder)");
      }
      have_kind = true;
    } else if (key == "op") {
      // A misspelled operation would match nothing, and the fault would never fire.
      if (wire::FindOperation(value) == nullptr) {
        std::vector<std::string_view> names;
        for (const wire::Operation& o : wire::Operations()) names.push_back(o.name);
        std::string_view near = ClosestName(value, names);
        std::string all;
        for (std::string_view n : names) all += (all.empty() ? "" : ", ") + std::string(n);
        return fail("unknown operation '" + std::string(value) + "'" +
                    (near.empty() ? "" : " (did you mean " + std::string(near) + "?)") +
                    "; the operations: " + all);
      }
      fault.operation = std::string(value);
    } else if (key == "agency") {
      fault.agency = std::string(value);
    } else if (key == "system") {
      fault.system_id = std::string(value);
    } else if (key == "ms" || key == "http" || key == "skip" || key == "times") {
      int n = 0;
      if (!ParseInt(value, &n) || n < 0) {
        return fail(std::string(key) + " '" + std::string(value) + "' is not a whole number");
      }
      if (key == "ms") fault.latency = std::chrono::milliseconds(n), have_ms = true;
      if (key == "http") fault.http_status = n;
      if (key == "skip") fault.skip = n;
      if (key == "times") fault.times = n;
    } else {
      return fail("unknown setting '" + std::string(key) +
                  "' (op, agency, system, ms, http, skip, times)");
    }
    if (comma == std::string_view::npos && !have_kind) return fail("no kind given");
  }
  if (fault.kind == FaultKind::kLatency && !have_ms) return fail("latency needs ms=");
  if (fault.http_status != 0 &&
      (fault.kind != FaultKind::kError || fault.http_status < 400 || fault.http_status > 599)) {
    return fail("http= is an HTTP error status (400-599) of an error fault");
  }
  if ((fault.kind == FaultKind::kDuplicate || fault.kind == FaultKind::kReorder) &&
      !fault.operation.empty() && fault.operation != "getReceivedEdocList" &&
      fault.operation != "getSentEdocList") {
    return fail(std::string(FaultKindName(fault.kind)) +
                " applies to getReceivedEdocList or getSentEdocList, not " + fault.operation);
  }
  return fault;
}

void FaultSet::Add(Fault fault) {
  std::lock_guard lock(mu_);
  entries_.push_back(Entry{std::move(fault), 0});
}

void FaultSet::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
}

std::vector<Fault> FaultSet::List() const {
  std::lock_guard lock(mu_);
  std::vector<Fault> out;
  for (const Entry& e : entries_) out.push_back(e.fault);
  return out;
}

std::vector<Fault> FaultSet::Match(const FaultTarget& target) { return MatchWhere(target, false); }

std::vector<Fault> FaultSet::MatchListing(const FaultTarget& target) {
  return MatchWhere(target, true);
}

bool FaultSet::AnyListingFault() const {
  std::lock_guard lock(mu_);
  return std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) {
    return e.fault.kind == FaultKind::kDuplicate || e.fault.kind == FaultKind::kReorder;
  });
}

std::vector<Fault> FaultSet::MatchWhere(const FaultTarget& target, bool listing) {
  std::lock_guard lock(mu_);
  std::vector<Fault> hits;
  for (Entry& e : entries_) {
    const Fault& f = e.fault;
    if ((f.kind == FaultKind::kDuplicate || f.kind == FaultKind::kReorder) != listing) continue;
    if (!f.operation.empty() && f.operation != target.operation) continue;
    if (!f.system_id.empty() && f.system_id != target.system_id) continue;
    if (!f.agency.empty()) {
      bool hit = !target.from.empty() ? f.agency == target.from
                                      : target.owns && target.owns(f.agency, target.system_id);
      if (!hit) continue;
    }
    int n = e.matched++;
    if (n < f.skip) continue;
    if (f.times >= 0 && n >= f.skip + f.times) continue;
    hits.push_back(f);
  }
  return hits;
}

std::string DuplicateListing(std::string_view body) { return Transform(body, true); }

std::string ReverseListing(std::string_view body) { return Transform(body, false); }

bool ListsSomething(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return false;
  const boost::json::value* data = v.as_object().if_contains("data");
  return data != nullptr && data->is_array() && !data->as_array().empty();
}

}  // namespace vxp::hub
