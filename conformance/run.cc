#include "conformance/run.h"

#include "conformance/common.h"
#include "core/signing/detached.h"
#include "core/signing/test_pki.h"
#include "harness/demo.h"
#include "simulator/agency/driver.h"

namespace vxp::embedded {
extern const std::string_view test_root_ca_crt;
extern const std::string_view test_intermediate_ca_crt;
extern const std::string_view test_root_ca_crl;
extern const std::string_view test_intermediate_ca_crl;
extern const std::string_view conformance_requirements_csv;
}  // namespace vxp::embedded

namespace vxp::conformance {

Result<void> CheckSelection(const harness::RunOptions& options) {
  const std::vector<Scenario> catalogue = Catalogue();
  std::string categories;  // in catalogue order
  for (const Scenario& s : catalogue) {
    if (categories.find(s.category) == std::string::npos) {
      categories += (categories.empty() ? "" : ", ") + s.category;
    }
  }
  for (const std::string& c : options.categories) {
    bool known = false;
    for (const auto& s : catalogue) known = known || s.category == c;
    if (!known) {
      return MakeError("config.selection", "unknown category '" + c + "' (" + categories + ")");
    }
  }
  // A glob that matches nothing is a typo, not an empty run that passes.
  for (const std::string& glob : options.only) {
    harness::RunOptions one;
    one.only = {glob};
    bool any = false;
    for (const Scenario& s : catalogue) any = any || harness::Selected(one, s.id, s.category);
    if (!any) {
      return MakeError("config.selection", "--only '" + glob +
                                               "' matches no scenario ID (vxpkit list shows "
                                               "them; globs use * and ?)");
    }
  }
  bool any = false;
  for (const Scenario& s : catalogue) any = any || harness::Selected(options, s.id, s.category);
  if (!any) {
    return MakeError("config.selection",
                     "--only and --category together select no scenario: none of the IDs "
                     "matched is in the categories given");
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
  return {};
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
    auto started = harness::StartDemoSut(**h, sut, *demo_fault, profile->deadlines, options.seed);
    if (!started) return tl::unexpected(started.error());
    reference = std::move(*started);
  }
  if (hub_ready) hub_ready((*h)->hub_url());
  harness::RunResult result = (*h)->Run();
  if (reference) reference->Stop();
  return result;
}

Result<harness::RunResult> RunCatalogueServed(
    const harness::SutConfig& sut, const harness::RunOptions& options,
    const std::function<std::shared_ptr<void>(harness::Harness&)>& started) {
  if (auto ok = CheckSelection(options); !ok) return tl::unexpected(ok.error());
  auto h = harness::Harness::Start(sut, options, Catalogue());
  if (!h) return tl::unexpected(h.error());
  std::shared_ptr<void> held = started ? started(**h) : nullptr;
  harness::RunResult result = (*h)->Run();
  held.reset();  // before the harness (and its hub) go
  return result;
}

std::map<std::string, std::string> SuiteVectors() {
  std::map<std::string, std::string> out;
  out["test-pki/root-ca.crt"] = signing::Sha256Hex(embedded::test_root_ca_crt);
  out["test-pki/intermediate-ca.crt"] = signing::Sha256Hex(embedded::test_intermediate_ca_crt);
  out["test-pki/root-ca.crl"] = signing::Sha256Hex(embedded::test_root_ca_crl);
  out["test-pki/intermediate-ca.crl"] = signing::Sha256Hex(embedded::test_intermediate_ca_crl);
  for (const char* name : {"agency-g22", "agency-h53", "agency-expired", "agency-revoked",
                           "agency-untrusted", "agency-wrong-key-usage"}) {
    auto credential = signing::test_pki::BuiltInCredential(name);
    if (credential) {
      out["test-pki/" + std::string(name) + ".crt"] = signing::Sha256Hex(credential->cert_pem);
    }
  }
  out["conformance/requirements.csv"] = signing::Sha256Hex(embedded::conformance_requirements_csv);
  std::string catalogue;
  for (const harness::Scenario& s : Catalogue()) {
    catalogue +=
        s.id + "\t" + s.title + "\t" + s.category + "\t" + std::string(ToString(s.level)) + "\n";
  }
  out["conformance/catalogue"] = signing::Sha256Hex(catalogue);
  return out;
}

}  // namespace vxp::conformance
