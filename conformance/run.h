// A run of the catalogue as the CLI and the Python module start one: the selection checked
// against the catalogue, the harness started, the built-in reference agency (or one of its fault
// profiles) started as the SUT for a demo, the run, the reference stopped.
#ifndef VXP_CONFORMANCE_RUN_H_
#define VXP_CONFORMANCE_RUN_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/common/result.h"
#include "harness/config.h"
#include "harness/harness.h"

namespace vxp::conformance {

// Error "config.selection" for a category the catalogue does not have, an --only glob that
// matches no scenario, a selection (globs and categories together) that selects none, or an
// expected failure that is not a scenario of the catalogue (each naming what is wrong).
Result<void> CheckSelection(const harness::RunOptions& options);

// Runs the selected scenarios against `sut`; with `demo_fault` ("reference" or a fault profile)
// against the built-in reference agency instead of a system of the user's. `hub_ready` (may be
// empty) is told the hub's URL once it listens, and, for a demo, the reference's driver URL.
// Errors (nothing ran): CheckSelection's, Harness::Start's, StartDemoSut's. A run that stopped
// at the sanity check is a result (exit code 2), not an error.
Result<harness::RunResult> RunCatalogue(
    const harness::SutConfig& sut, const harness::RunOptions& options,
    const std::optional<std::string>& demo_fault,
    const std::function<void(const std::string& hub_url)>& hub_ready = {});

// As RunCatalogue for a system of the user's, for an adapter that serves the run's hub itself
// (RunOptions::in_process): `started` is given the harness once it is ready, before the first
// scenario, and what it returns is held until the run is over and released before the harness
// goes (the conformance service routes the system's hub address to harness.hub() for that long).
Result<harness::RunResult> RunCatalogueServed(
    const harness::SutConfig& sut, const harness::RunOptions& options,
    const std::function<std::shared_ptr<void>(harness::Harness&)>& started);

// The vectors a run of this build judged with, for a signed result's manifest: name -> hex
// SHA-256 (test PKI certificates and CRLs, the requirements registry, the scenario catalogue).
std::map<std::string, std::string> SuiteVectors();

}  // namespace vxp::conformance

#endif  // VXP_CONFORMANCE_RUN_H_
