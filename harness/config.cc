#include "harness/config.h"

#include <fnmatch.h>

#include <algorithm>
#include <boost/json.hpp>

#include "core/agency/agency_id.h"
#include "core/common/json_text.h"
#include "harness/scenario.h"

namespace vxp::harness {
namespace {

namespace json = boost::json;

Result<std::string> StringAt(const json::object& o, std::string_view key, bool required) {
  auto it = o.find(key);
  if (it == o.end()) {
    if (required) return MakeError("config.sut", "'" + std::string(key) + "' is missing");
    return std::string();
  }
  if (!it->value().is_string()) {
    return MakeError("config.sut", "'" + std::string(key) + "' must be a string");
  }
  return std::string(it->value().as_string());
}

Result<std::vector<std::string>> AgencyList(const json::object& o, std::string_view key,
                                            bool required) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end()) {
    if (required) return MakeError("config.sut", "'" + std::string(key) + "' is missing");
    return out;
  }
  if (!it->value().is_array()) {
    return MakeError("config.sut", "'" + std::string(key) + "' must be a list of agency ids");
  }
  for (const json::value& v : it->value().as_array()) {
    if (!v.is_string() || !agency::ParseStrict(v.as_string())) {
      return MakeError("config.sut", "'" + std::string(key) + "': " + json::serialize(v) +
                                         " is not an agency identifier like 000.00.00.H53");
    }
    out.emplace_back(v.as_string());
  }
  if (required && out.empty()) {
    return MakeError("config.sut", "'" + std::string(key) + "' names no agency");
  }
  return out;
}

std::string CapabilityList() {
  std::string out;
  for (const std::string& c : kCapabilities) out += (out.empty() ? "" : ", ") + c;
  return out;
}
}  // namespace

Result<SutConfig> ParseSutConfig(std::string_view text) {
  auto parsed = ParseJsonText(text);
  if (!parsed) return MakeError("config.sut", "not JSON: " + parsed.error().message);
  const json::value& v = *parsed;
  if (!v.is_object()) return MakeError("config.sut", "the SUT file is not a JSON object");
  const json::object& o = v.as_object();
  for (const auto& member : o) {
    static const std::vector<std::string_view> kKnown = {
        "system", "product", "agencies", "hub", "driver", "outbound", "peers", "claims"};
    if (std::find(kKnown.begin(), kKnown.end(), member.key()) == kKnown.end()) {
      return MakeError("config.sut", "unknown key '" + std::string(member.key()) +
                                         "' (known: system, product, agencies, hub, driver, "
                                         "outbound, peers, claims)");
    }
  }
  SutConfig c;
  auto system = o.find("system");
  if (system == o.end() || !system->value().is_object()) {
    return MakeError("config.sut", "'system' is missing (an object with 'id' and 'secret')");
  }
  auto id = StringAt(system->value().as_object(), "id", true);
  if (!id) return MakeError("config.sut", "system." + id.error().message);
  auto secret = StringAt(system->value().as_object(), "secret", true);
  if (!secret) return MakeError("config.sut", "system." + secret.error().message);
  if (id->empty() || secret->empty()) {
    return MakeError("config.sut", "system.id and system.secret must not be empty");
  }
  c.system_id = *id;
  c.secret = *secret;
  if (auto product = o.find("product"); product != o.end()) {
    if (!product->value().is_object()) {
      return MakeError("config.sut", "'product' must be an object with 'name' and 'version'");
    }
    auto name = StringAt(product->value().as_object(), "name", true);
    if (!name) return MakeError("config.sut", "product." + name.error().message);
    auto version = StringAt(product->value().as_object(), "version", true);
    if (!version) return MakeError("config.sut", "product." + version.error().message);
    if (name->empty() || version->empty()) {
      return MakeError("config.sut", "product.name and product.version must not be empty");
    }
    c.product = *name;
    c.product_version = *version;
  }
  auto agencies = AgencyList(o, "agencies", true);
  if (!agencies) return tl::unexpected(agencies.error());
  c.agencies = *agencies;
  auto peers = AgencyList(o, "peers", false);
  if (!peers) return tl::unexpected(peers.error());
  c.peers = *peers;
  if (auto hub = o.find("hub"); hub != o.end()) {
    if (!hub->value().is_object()) return MakeError("config.sut", "'hub' must be an object");
    auto listen = StringAt(hub->value().as_object(), "listen", false);
    if (!listen) return MakeError("config.sut", "hub." + listen.error().message);
    if (!listen->empty()) {
      if (listen->rfind(':') == std::string::npos) {
        return MakeError("config.sut", "hub.listen '" + *listen + "' needs HOST:PORT");
      }
      c.hub_listen = *listen;
    }
    if (const auto* zone = hub->value().as_object().if_contains("utcOffsetMinutes")) {
      if (!zone->is_int64() || zone->as_int64() < -14 * 60 || zone->as_int64() > 14 * 60) {
        return MakeError("config.sut",
                         "hub.utcOffsetMinutes must be minutes east of UTC (-840..840), e.g. 420 "
                         "for Vietnam or 0 for UTC");
      }
      c.utc_offset_minutes = static_cast<int>(zone->as_int64());
    }
  }
  auto driver = StringAt(o, "driver", false);
  if (!driver) return tl::unexpected(driver.error());
  if (!driver->empty() && !driver->starts_with("http://") && !driver->starts_with("https://")) {
    return MakeError("config.sut", "driver '" + *driver + "' must be an http:// or https:// URL");
  }
  c.driver_url = *driver;
  if (auto out = o.find("outbound"); out != o.end()) {
    if (!out->value().is_bool()) return MakeError("config.sut", "'outbound' must be true or false");
    c.outbound = out->value().as_bool();
  }
  if (auto claims = o.find("claims"); claims != o.end()) {
    if (!claims->value().is_array()) {
      return MakeError("config.sut",
                       "'claims' must be a list of capabilities (" + CapabilityList() + ")");
    }
    c.claims.emplace();
    for (const json::value& v : claims->value().as_array()) {
      if (!v.is_string() || std::find(kCapabilities.begin(), kCapabilities.end(), v.as_string()) ==
                                kCapabilities.end()) {
        return MakeError("config.sut", "claims: " + json::serialize(v) + " is not a capability (" +
                                           CapabilityList() + ")");
      }
      c.claims->emplace_back(v.as_string());
    }
  }
  for (const std::string& p : c.peers) {
    if (std::find(c.agencies.begin(), c.agencies.end(), p) != c.agencies.end()) {
      return MakeError("config.sut", "peer " + p + " is one of the SUT's own agencies");
    }
  }
  return c;
}

std::vector<std::string> ChoosePeers(const SutConfig& sut) {
  if (!sut.peers.empty()) return sut.peers;
  std::vector<std::string> out;
  for (const char* code : {"000.00.00.G22", "000.00.00.H41", "000.00.00.H24", "000.00.00.G01",
                           "000.00.00.H01", "000.00.00.H30"}) {
    if (std::find(sut.agencies.begin(), sut.agencies.end(), code) == sut.agencies.end()) {
      out.emplace_back(code);
    }
    if (out.size() == 3) break;
  }
  return out;
}

Result<std::map<std::string, std::string>> ParseExpectedFailures(std::string_view text) {
  std::map<std::string, std::string> out;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    size_t end = line.find_first_of(" \t#");
    std::string id(line.substr(0, end));
    bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [](char ch) {
      return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
    });
    if (!ok) {
      return MakeError("config.expected", "line " + std::to_string(line_no) + ": '" + id +
                                              "' is not a scenario ID (like INBOUND-BAD-DATE)");
    }
    std::string reason;
    if (end != std::string_view::npos) {
      std::string_view rest = line.substr(end);
      size_t start = rest.find_first_not_of(" \t#");
      if (start != std::string_view::npos) reason = rest.substr(start);
    }
    out[id] = reason;
  }
  return out;
}

bool Selected(const RunOptions& options, std::string_view id, std::string_view category) {
  if (!options.categories.empty() && std::find(options.categories.begin(), options.categories.end(),
                                               category) == options.categories.end()) {
    return false;
  }
  if (options.only.empty()) return true;
  std::string s(id);
  return std::any_of(options.only.begin(), options.only.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), s.c_str(), 0) == 0;
  });
}

std::int64_t DocumentSeriesAt(std::int64_t unix_seconds) { return unix_seconds % 99'999 + 1; }

std::int64_t FirstDocIdAt(std::int64_t unix_seconds) { return unix_seconds * 1'000'000 + 1; }

}  // namespace vxp::harness
