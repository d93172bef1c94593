// A finished run as the result model (results/result_model.h) and as files: DIR/result.json
// (written by results/json.h) and DIR/evidence/<SCENARIO-ID>/ — exchanges.json (every HTTP exchange
// of the SUT during the scenario, request and answer), sent/ (the packages the harness sent),
// received/ (the packages the SUT submitted). The SUT's secret appears nowhere.
#ifndef VXP_HARNESS_RUN_RECORD_H_
#define VXP_HARNESS_RUN_RECORD_H_

#include <string>
#include <vector>

#include "core/common/result.h"
#include "harness/harness.h"
#include "i18n/catalog.h"
#include "results/result_model.h"

namespace vxp::harness {

// The result model of `result`. `requirements` (the registry) gives the clauses of findings and
// the coverage.
results::RunRecord MakeRecord(const RunResult& result, const std::vector<Requirement>& requirements,
                              std::string_view suite_version);

// Writes the evidence and result.json of `record` (MakeRecord of `result`) under `dir`
// (created). Returns the evidence files it wrote (for reports rendered from memory). Error
// "io.write" naming the path.
Result<results::EvidenceFiles> WriteRun(const std::string& dir, const RunResult& result,
                                        const results::RunRecord& record);

// The plain-language summary printed at the end of a run, in `lang`: counts, each failing
// scenario with its reason and replay command, where the result is. The reasons are the
// harness's, in English.
std::string Summary(const RunResult& result, const std::string& dir,
                    i18n::Lang lang = i18n::kDefaultLang);

}  // namespace vxp::harness

#endif  // VXP_HARNESS_RUN_RECORD_H_
