#include "service/systems.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "clients/http_client.h"
#include "core/agency/agency_id.h"
#include "core/common/text.h"
#include "service/credentials.h"
#include "simulator/hub/settings.h"
#include "simulator/hub/store.h"
#include "storage/postgres.h"

namespace vxp::service {
namespace {

tl::unexpected<Error> Invalid(const std::string& field, const std::string& why) {
  return MakeError("service.input", field + ": " + why);
}

Result<std::string> NewSecret() { return NewToken(""); }

}  // namespace

namespace {

// `input` checked, each field named when it is wrong, into what a record keeps.
Result<SystemRecord> Checked(const NewSystem& input) {
  SystemRecord r;
  r.name = AsciiTrim(input.name);
  r.product = AsciiTrim(input.product);
  r.product_version = AsciiTrim(input.product_version);
  if (r.name.empty() || r.name.size() > 100) return Invalid("name", "1 to 100 characters");
  if (r.product.empty()) return Invalid("product", "the product's name is required");
  if (r.product_version.empty()) return Invalid("version", "the product's version is required");
  std::string agencies = input.agencies;
  std::replace(agencies.begin(), agencies.end(), ',', ' ');
  for (size_t i = 0; i < agencies.size();) {
    size_t end = agencies.find(' ', i);
    if (end == std::string::npos) end = agencies.size();
    std::string code = AsciiTrim(std::string_view(agencies).substr(i, end - i));
    i = end + 1;
    if (code.empty()) continue;
    if (!agency::ParseStrict(code)) {
      return Invalid("agencies", "'" + code +
                                     "' is not an agency identifier in the strict form "
                                     "000.00.00.H53 (QCVN 102:2016)");
    }
    if (std::find(r.agencies.begin(), r.agencies.end(), code) == r.agencies.end()) {
      r.agencies.push_back(code);
    }
  }
  if (r.agencies.empty()) return Invalid("agencies", "at least one agency the system acts for");
  for (const std::string& cap : input.capabilities) {
    if (std::find(kCapabilities.begin(), kCapabilities.end(), cap) == kCapabilities.end()) {
      return Invalid("capabilities", "'" + cap +
                                         "' is not one of receive, send, revoke, update, "
                                         "replace, recall");
    }
    if (std::find(r.capabilities.begin(), r.capabilities.end(), cap) == r.capabilities.end()) {
      r.capabilities.push_back(cap);
    }
  }
  if (std::find(r.capabilities.begin(), r.capabilities.end(), "receive") == r.capabilities.end() &&
      std::find(r.capabilities.begin(), r.capabilities.end(), "send") == r.capabilities.end()) {
    return Invalid("capabilities", "a system receives documents, sends them, or both");
  }
  std::string driver = AsciiTrim(input.driver_url);
  if (driver.empty()) {
    r.control = "operator";
  } else if ((driver.rfind("http://", 0) == 0 || driver.rfind("https://", 0) == 0) &&
             driver.size() > 8 && driver.find_first_of(" \t\"<>") == std::string::npos) {
    r.control = driver;
  } else {
    return Invalid("driver", "'" + driver + "' is not an http:// or https:// URL");
  }
  std::string webhook = AsciiTrim(input.webhook);
  if (!webhook.empty()) {
    auto url = http::ParseUrl(webhook);
    if (!url || webhook.size() > 500 || webhook.find_first_of(" \t\"<>") != std::string::npos) {
      return Invalid("webhook", "'" + webhook.substr(0, 120) +
                                    "' is not an http:// or https:// URL" +
                                    (url ? "" : " (" + url.error().message + ")"));
    }
    r.webhook = webhook;
  }
  return r;
}

}  // namespace

Result<SystemRecord> RegisterSystem(ServiceStore& store, std::int64_t organisation_id,
                                    const NewSystem& input, Millis now) {
  auto checked = Checked(input);
  if (!checked) return tl::unexpected(checked.error());
  SystemRecord r = std::move(*checked);
  r.organisation_id = organisation_id;
  auto id = NewToken("");
  auto secret = NewSecret();
  if (!id) return tl::unexpected(id.error());
  if (!secret) return tl::unexpected(secret.error());
  r.hub_id = "sut-" + TokenDigest(*id).substr(0, 12);
  r.hub_secret = *secret;
  r.created = now;
  return store.CreateSystem(r);
}

Result<SystemRecord> EditSystem(ServiceStore& store, const SystemRecord& system,
                                const NewSystem& input) {
  auto checked = Checked(input);
  if (!checked) return tl::unexpected(checked.error());
  SystemRecord r = std::move(*checked);
  r.id = system.id;
  r.organisation_id = system.organisation_id;
  r.hub_id = system.hub_id;
  r.hub_secret = system.hub_secret;
  r.created = system.created;
  if (auto saved = store.UpdateSystem(r); !saved) return tl::unexpected(saved.error());
  return r;
}

Result<SystemRecord> RotateHubSecret(ServiceStore& store, const SystemRecord& system) {
  auto secret = NewSecret();
  if (!secret) return tl::unexpected(secret.error());
  if (auto set = store.SetHubSecret(system.id, *secret); !set) return tl::unexpected(set.error());
  SystemRecord updated = system;
  updated.hub_secret = *secret;
  return updated;
}

Hubs::Hubs(ServiceStore& store, std::string dir, Clock clock, std::size_t max_open,
           std::string database_url)
    : store_(store),
      dir_(std::move(dir)),
      clock_(std::move(clock)),
      max_open_(max_open),
      database_url_(std::move(database_url)) {}

Result<std::unique_ptr<hub::Store>> Hubs::OpenHubStore(const std::string& hub_id) {
  if (!database_url_.empty()) {
    // A schema of the system's own: its name from the hub id's letters and digits only.
    std::string schema = "hub_";
    for (char ch : hub_id) {
      schema +=
          std::isalnum(static_cast<unsigned char>(ch)) ? static_cast<char>(std::tolower(ch)) : '_';
    }
    auto c = pg::Connect(database_url_, "store.open");
    if (!c) return tl::unexpected(c.error());
    if (auto made = (*c)->Exec("CREATE SCHEMA IF NOT EXISTS " + schema, {}, "store.open"); !made) {
      return tl::unexpected(made.error());
    }
    std::string url = database_url_;
    url += (url.find('?') == std::string::npos ? "?" : "&");
    url += "options=-csearch_path%3D" + schema;
    return hub::OpenPostgresStore(url, 0, 2);
  }
  std::string path = ":memory:";
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return MakeError("service.store", "cannot create " + dir_ + ": " + ec.message());
    path = dir_ + "/" + hub_id + ".db";
  }
  return hub::OpenSqliteStore(path);
}

std::size_t Hubs::open() const {
  std::lock_guard lock(mu_);
  return hubs_.size();
}

void Hubs::CloseIdle(Millis now) {
  if (hubs_.size() <= max_open_) return;
  std::vector<std::pair<Millis, std::string>> idle;
  const Millis idle_for = database_url_.empty() ? kIdleBeforeClose : 0;
  for (const auto& [id, open] : hubs_) {
    if (now - open.last_used >= idle_for) idle.emplace_back(open.last_used, id);
  }
  std::sort(idle.begin(), idle.end());
  for (const auto& [last, id] : idle) {
    if (hubs_.size() <= max_open_) break;
    hubs_.erase(id);  // a request still using it holds it until it is answered
  }
}

Result<std::shared_ptr<hub::Hub>> Hubs::Of(const std::string& hub_id) {
  std::lock_guard lock(mu_);
  const Millis now = clock_();
  if (auto it = hubs_.find(hub_id); it != hubs_.end()) {
    it->second.last_used = now;
    return it->second.hub;
  }
  auto system = store_.FindSystemByHubId(hub_id);
  if (!system) return tl::unexpected(system.error());
  if (!*system) return std::shared_ptr<hub::Hub>();
  auto hub_store = OpenHubStore(hub_id);
  if (!hub_store) return tl::unexpected(hub_store.error());
  hub::HubConfig config;
  config.utc_offsets_minutes = hub::DefaultTimestampZones();
  auto made = std::make_shared<hub::Hub>(std::move(*hub_store), config, clock_);
  if (auto r =
          made->RegisterSystem({(*system)->hub_id, (*system)->hub_secret}, (*system)->agencies);
      !r) {
    return tl::unexpected(r.error());
  }
  hubs_.emplace(hub_id, Open{made, now});
  CloseIdle(now);
  return made;
}

Result<void> Hubs::Update(const SystemRecord& system) {
  if (!database_url_.empty()) {
    // Shared: the hub's schema is what every instance's hub of it checks, so it is told now,
    // opened if it is not (a rotated secret must stop working everywhere at once).
    auto hub = Of(system.hub_id);
    if (!hub) return tl::unexpected(hub.error());
    if (*hub == nullptr) return {};
    return (*hub)->RegisterSystem({system.hub_id, system.hub_secret}, system.agencies);
  }
  std::lock_guard lock(mu_);
  auto it = hubs_.find(system.hub_id);
  if (it == hubs_.end()) return {};  // made from the store, as it is then, on first use
  return it->second.hub->RegisterSystem({system.hub_id, system.hub_secret}, system.agencies);
}

}  // namespace vxp::service
