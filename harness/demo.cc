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

Result<std::unique_ptr<mock::AgencyService>> StartDemoSut(const std::string& hub_url,
                                                          const SutConfig& sut,
                                                          std::string_view profile,
                                                          const Deadlines& deadlines,
                                                          std::uint64_t seed) {
  mock::HubClientOptions c;
  c.url = hub_url + "/XrdAdapter/adapter";
  c.credentials = {sut.system_id, sut.secret};
  c.http.timeout = std::chrono::milliseconds(1000);
  auto client = mock::HubClient::Create(c);
  if (!client) return tl::unexpected(client.error());
  mock::AgencyOptions o;
  o.organ_id = sut.agencies.front();
  o.profile = std::string(profile);
  o.progress = false;
  // slow-fetch: later than the profile lets a fetch wait.
  o.slow_fetch = deadlines.fetch + std::chrono::milliseconds(1000);
  o.seed = seed + 7;
  auto agency = mock::MockAgency::Create(std::move(*client), o, [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  });
  if (!agency) return tl::unexpected(agency.error());
  mock::ServiceOptions so;
  so.poll_interval = std::chrono::milliseconds(25);
  so.serve_driver = true;
  so.driver.host = "127.0.0.1";
  so.driver.port = 0;
  return mock::AgencyService::Start(std::move(*agency), so);
}

}  // namespace vxp::harness
