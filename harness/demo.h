// The built-in reference agency as a system under test, for `vxpkit demo` and for the suite's
// own tests: a mock agency (the reference behaviour, or one of its fault profiles) for
// 000.00.00.H53 in system "vxpkit-demo", connected to the harness's hub over HTTP exactly as a
// vendor's system would be, and serving the test-driver API on a loopback port — or, when the
// harness runs in process (RunOptions::in_process), reaching the hub and being driven without
// any socket. The harness only reaches it through the hub and the driver.
#ifndef VXP_HARNESS_DEMO_H_
#define VXP_HARNESS_DEMO_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "harness/config.h"
#include "harness/harness.h"
#include "harness/profile.h"
#include "simulator/agency/driver.h"

namespace vxp::harness {

// The demo SUT's configuration: system vxpkit-demo, agency 000.00.00.H53, the hub on
// 127.0.0.1:0 (any free port), no driver yet (StartDemoSut gives its URL).
SutConfig DemoSutConfig();

// Starts the SUT on `harness`'s hub and tells the harness where its driver is. It polls every
// 25 ms, answers 01 and 03/02 by itself, leaves 04–06 to the driver, and gives up on a hub call
// after 1 s (so the demo profile's slow hub is a real timeout for it). Stop it (or destroy it)
// after the run. Errors: "agency.profile" for an unknown `profile`, "http.listen".
Result<std::unique_ptr<mock::AgencyService>> StartDemoSut(Harness& harness, const SutConfig& sut,
                                                          std::string_view profile,
                                                          const Deadlines& deadlines,
                                                          std::uint64_t seed);

}  // namespace vxp::harness

#endif  // VXP_HARNESS_DEMO_H_
