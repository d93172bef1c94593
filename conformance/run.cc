#include "conformance/run.h"

#include "conformance/common.h"
#include "harness/demo.h"
#include "simulator/agency/driver.h"

namespace vxp::conformance {

Result<bool> CheckSelection(const harness::RunOptions& options) {
  for (const std::string& c : options.categories) {
    bool known = false;
    for (const auto& s : Catalogue()) known = known || s.category == c;
    if (!known) {
      return MakeError("config.selection",
                       "unknown category '" + c +
                           "' (transport, inbound, signature, lifecycle, flows, outbound, hub)");
    }
  }
  for (const auto& [id, reason] : options.expected_failures) {
    bool known = false;
    for (const auto& s : Catalogue()) known = known || s.id == id;
    if (!known) {
      return MakeError(
          "config.selection",
          "the expected failure '" + id + "' is not a scenario of the catalogue (vxpkit list)");
    }
  }
  return true;
}

Result<harness::RunResult> RunCatalogue(const harness::SutConfig& sut,
                                        const harness::RunOptions& options,
                                        const std::optional<std::string>& demo_fault,
                                        const std::function<void(const std::string&)>& hub_ready) {
  if (auto ok = CheckSelection(options); !ok) return tl::unexpected(ok.error());
  auto h = harness::Harness::Start(sut, options, Catalogue());
  if (!h) return tl::unexpected(h.error());
  std::unique_ptr<mock::AgencyService> reference;
  if (demo_fault) {
    auto profile = harness::FindRunProfile(options.profile);
    if (!profile) return tl::unexpected(profile.error());
    auto started =
        harness::StartDemoSut((*h)->hub_url(), sut, *demo_fault, profile->deadlines, options.seed);
    if (!started) return tl::unexpected(started.error());
    reference = std::move(*started);
    (*h)->set_driver_url(reference->driver_url());
  }
  if (hub_ready) hub_ready((*h)->hub_url());
  harness::RunResult result = (*h)->Run();
  if (reference) reference->Stop();
  return result;
}

}  // namespace vxp::conformance
