#include "harness/demo.h"

namespace vxp::harness {

SutConfig DemoSutConfig() {
  SutConfig c;
  c.system_id = "vxpkit-demo";
  c.secret = "vxpkit-demo-secret";
  c.agencies = {"000.00.00.H53"};
  c.hub_listen = "127.0.0.1:0";
  return c;
}

Result<std::unique_ptr<mock::AgencyService>> StartDemoSut(Harness& harness, const SutConfig& sut,
                                                          std::string_view profile,
                                                          const Deadlines& deadlines,
                                                          std::uint64_t seed) {
  clients::HubClientOptions c;
  c.credentials = {sut.system_id, sut.secret};
  http::TransportFactory transports = harness.HubTransport(std::chrono::milliseconds(1000));
  mock::ClientFactory clients = [&]() -> Result<std::unique_ptr<clients::HubClient>> {
    auto transport = transports();
    if (!transport) return tl::unexpected(transport.error());
    return clients::HubClient::Create(c, std::move(*transport));
  };
  mock::AgencyOptions o;
  o.organ_id = sut.agencies.front();
  o.profile = std::string(profile);
  o.progress = false;
  // slow-fetch: later than the profile lets a fetch wait.
  o.slow_fetch = deadlines.fetch + std::chrono::milliseconds(1000);
  o.seed = seed + 7;
  auto agency = mock::MockAgency::Create(clients, o, SystemMillis);
  if (!agency) return tl::unexpected(agency.error());
  mock::ServiceOptions so;
  so.poll_interval = std::chrono::milliseconds(25);
  so.serve_driver = !harness.in_process();
  so.driver.host = "127.0.0.1";
  so.driver.port = 0;
  auto service = mock::AgencyService::Start(std::move(*agency), so);
  if (!service) return tl::unexpected(service.error());
  if (so.serve_driver) {
    harness.set_driver_url((*service)->driver_url());
  } else {
    mock::MockAgency* a = &(*service)->agency();
    harness.set_driver([a]() -> Result<std::unique_ptr<http::Transport>> {
      return std::make_unique<http::InProcess>(
          [a](const wire::HttpRequest& r) { return mock::HandleDriver(*a, r); }, "",
          std::chrono::milliseconds(30'000), "the reference agency's driver (in process)");
    });
  }
  return service;
}

}  // namespace vxp::harness
