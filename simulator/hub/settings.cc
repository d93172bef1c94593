#include "simulator/hub/settings.h"

#include <boost/json.hpp>
#include <ctime>

#include "core/agency/agency_id.h"
#include "core/common/json_text.h"

namespace vxp::hub {

SystemSpec DemoSystem() {
  return SystemSpec{System{std::string(kDemoSystemId), std::string(kDemoSecret)},
                    {"000.00.00.G22", "000.00.00.H53"}};
}

Result<SystemSpec> ParseSystemSpec(std::string_view text) {
  auto fail = [&](const std::string& what) {
    return MakeError("settings.system", "system '" + std::string(text) + "': " + what +
                                            " (the form is ID:SECRET:ORGANID[,ORGANID…], e.g. "
                                            "00.53.W00:s3cret:000.00.00.H53)");
  };
  size_t a = text.find(':');
  size_t b = a == std::string_view::npos ? a : text.find(':', a + 1);
  if (b == std::string_view::npos) return fail("expected three parts separated by ':'");
  SystemSpec spec;
  spec.system.id = std::string(text.substr(0, a));
  spec.system.secret = std::string(text.substr(a + 1, b - a - 1));
  if (spec.system.id.empty()) return fail("the system id is empty");
  if (spec.system.secret.empty()) return fail("the secret is empty");
  std::string_view list = text.substr(b + 1);
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view code = list.substr(0, comma);
    if (!agency::ParseStrict(code)) {
      return fail("'" + std::string(code) + "' is not an agency identifier");
    }
    spec.agencies.emplace_back(code);
    list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
  }
  if (spec.agencies.empty()) return fail("no agency");
  return spec;
}

std::optional<RelayMode> ParseRelayMode(std::string_view text) {
  if (text == "verbatim") return RelayMode::kVerbatim;
  if (text == "reserialize") return RelayMode::kReserialize;
  return std::nullopt;
}

std::optional<SubmitPolicy> ParseSubmitPolicy(std::string_view text) {
  if (text == "accept") return SubmitPolicy::kAcceptAll;
  if (text == "warn") return SubmitPolicy::kWarn;
  if (text == "reject") return SubmitPolicy::kReject;
  return std::nullopt;
}

int HostUtcOffsetMinutes(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return 0;
  return static_cast<int>(local.tm_gmtoff / 60);
}

std::vector<int> DefaultTimestampZones() {
  int host = HostUtcOffsetMinutes(std::time(nullptr));
  return host == 420 ? std::vector<int>{420} : std::vector<int>{420, host};
}

Result<HubSettings> ParseHubSettings(std::string_view json, HubSettings s) {
  auto fail = [](const std::string& what) { return MakeError("settings.json", what); };
  auto parsed = ParseJsonText(json);
  if (!parsed) return fail("the settings are not JSON: " + parsed.error().message);
  const boost::json::value& v = *parsed;
  if (!v.is_object()) return fail("the settings are not a JSON object");
  const auto& o = v.as_object();
  auto text = [&](const char* key, std::string* out) -> Result<bool> {
    const auto* f = o.if_contains(key);
    if (f == nullptr) return false;
    if (!f->is_string()) return fail(std::string(key) + " is not a string");
    *out = std::string(f->as_string());
    return true;
  };
  auto number = [&](const char* key, std::int64_t* out) -> Result<bool> {
    const auto* f = o.if_contains(key);
    if (f == nullptr) return false;
    if (!f->is_int64() || f->as_int64() < 0) {
      return fail(std::string(key) + " is not a whole number ≥ 0");
    }
    *out = f->as_int64();
    return true;
  };
  for (const auto& entry : o) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    std::string_view key = entry.key();
    static const char* known[] = {"relay",           "policy",           "maxSkewSeconds",
                                  "maxPackageBytes", "utcOffsetMinutes", "systems",
                                  "faults",          "directory",        "tls",
                                  "maxElements",     "workers",          "bulkWorkers",
                                  "bodyBudgetBytes", "maxConnections",   "replayCapacity"};
    if (std::find_if(std::begin(known), std::end(known), [&](const char* k) { return key == k; }) ==
        std::end(known)) {
      return fail("unknown key '" + std::string(key) + "'");
    }
  }
  std::string str;
  if (auto r = text("relay", &str); !r)
    return tl::unexpected(r.error());
  else if (*r) {
    auto mode = ParseRelayMode(str);
    if (!mode) return fail("relay '" + str + "' is not verbatim or reserialize");
    s.config.relay = *mode;
  }
  if (auto r = text("policy", &str); !r)
    return tl::unexpected(r.error());
  else if (*r) {
    auto policy = ParseSubmitPolicy(str);
    if (!policy) return fail("policy '" + str + "' is not accept, warn or reject");
    s.config.policy = *policy;
  }
  std::int64_t n = 0;
  if (auto r = number("maxSkewSeconds", &n); !r)
    return tl::unexpected(r.error());
  else if (*r)
    s.config.max_skew = n * 1000;
  if (auto r = number("maxPackageBytes", &n); !r)
    return tl::unexpected(r.error());
  else if (*r)
    s.config.max_package_bytes = static_cast<size_t>(n);
  if (auto r = number("maxElements", &n); !r)
    return tl::unexpected(r.error());
  else if (*r)
    s.config.max_elements = static_cast<size_t>(n);
  if (auto r = number("replayCapacity", &n); !r)
    return tl::unexpected(r.error());
  else if (*r)
    s.config.replay_capacity = static_cast<size_t>(n);
  if (auto r = number("bodyBudgetBytes", &n); !r)
    return tl::unexpected(r.error());
  else if (*r)
    s.limits.body_budget = static_cast<std::uint64_t>(n);
  for (auto [key, target] :
       {std::pair{"workers", &s.limits.workers}, std::pair{"bulkWorkers", &s.limits.bulk_workers},
        std::pair{"maxConnections", &s.limits.max_connections}}) {
    if (auto r = number(key, &n); !r)
      return tl::unexpected(r.error());
    else if (*r) {
      if (n < 1 || n > 100'000) return fail(std::string(key) + " must be 1-100000");
      *target = static_cast<int>(n);
    }
  }
  if (const auto* zones = o.if_contains("utcOffsetMinutes")) {
    std::vector<int> list;
    auto one = [&](const boost::json::value& v) {
      if (!v.is_int64() || v.as_int64() < -14 * 60 || v.as_int64() > 14 * 60) return false;
      list.push_back(static_cast<int>(v.as_int64()));
      return true;
    };
    bool ok = zones->is_array() ? !zones->as_array().empty() : one(*zones);
    if (zones->is_array()) {
      for (const auto& v : zones->as_array()) ok = ok && one(v);
    }
    if (!ok) {
      return fail("utcOffsetMinutes must be minutes east of UTC (-840..840), or a list of them");
    }
    s.config.utc_offsets_minutes = std::move(list);
  }
  if (auto r = text("directory", &s.directory_file); !r) return tl::unexpected(r.error());
  if (const auto* tls = o.if_contains("tls")) {
    const auto* cert = tls->is_object() ? tls->as_object().if_contains("cert") : nullptr;
    const auto* key = tls->is_object() ? tls->as_object().if_contains("key") : nullptr;
    if (cert == nullptr || key == nullptr || !cert->is_string() || !key->is_string()) {
      return fail("tls needs {\"cert\": FILE, \"key\": FILE}");
    }
    s.tls_cert_file = std::string(cert->as_string());
    s.tls_key_file = std::string(key->as_string());
  }
  if (const auto* systems = o.if_contains("systems")) {
    if (!systems->is_array()) return fail("systems is not an array");
    for (const auto& item : systems->as_array()) {
      const auto* id = item.is_object() ? item.as_object().if_contains("id") : nullptr;
      const auto* secret = item.is_object() ? item.as_object().if_contains("secret") : nullptr;
      const auto* agencies = item.is_object() ? item.as_object().if_contains("agencies") : nullptr;
      if (id == nullptr || secret == nullptr || agencies == nullptr || !id->is_string() ||
          !secret->is_string() || !agencies->is_array()) {
        return fail("each system needs {\"id\": …, \"secret\": …, \"agencies\": […]}");
      }
      std::string spec =
          std::string(id->as_string()) + ":" + std::string(secret->as_string()) + ":";
      for (size_t i = 0; i < agencies->as_array().size(); ++i) {
        const auto& code = agencies->as_array()[i];
        if (!code.is_string()) return fail("an agency of system " + spec + " is not a string");
        spec += (i ? "," : "") + std::string(code.as_string());
      }
      auto parsed = ParseSystemSpec(spec);
      if (!parsed) return fail(parsed.error().message);
      s.systems.push_back(std::move(*parsed));
    }
  }
  if (const auto* faults = o.if_contains("faults")) {
    if (!faults->is_array()) return fail("faults is not an array");
    for (const auto& item : faults->as_array()) {
      if (!item.is_string()) return fail("each fault is a string such as \"drop,op=getEdoc\"");
      auto fault = ParseFault(item.as_string());
      if (!fault) return fail(fault.error().message);
      s.faults.push_back(std::move(*fault));
    }
  }
  return s;
}

}  // namespace vxp::hub
