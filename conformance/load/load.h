// The run of one load scenario (conformance/load/*.cc): mock agencies of the harness's own
// system send the SUT's agencies new, valid, signed documents on the profile's schedule (open
// model, harness/load/schedule.h), the hub's events show when the SUT fetched, answered and
// acknowledged each, and harness/load/analysis.h judges the whole against the profile's bounds.
// Records steps, findings (LOAD-INTEGRITY, LOAD-LATENCY, LOAD-ERRORS), an INCONCLUSIVE when the
// generator fell behind, the charts, result.json's "load" figures, and the evidence files
// load.json and documents.csv.
#ifndef VXP_CONFORMANCE_LOAD_LOAD_H_
#define VXP_CONFORMANCE_LOAD_LOAD_H_

#include "conformance/common.h"
#include "harness/load/load_settings.h"

namespace vxp::conformance {

void RunLoad(Context& ctx, const load::Shape& shape);

// The identifier of the i-th load agency: 000.00.NN.GMM (level 2 numbers blocks of 99, so the
// codes never meet the peers' or a SUT's level-1 codes).
std::string LoadAgency(int i);

}  // namespace vxp::conformance

#endif  // VXP_CONFORMANCE_LOAD_LOAD_H_
