// A run's result as files: DIR/result.json (schema "vxpkit-result/1", docs/result-schema.md and
// docs/result-schema.json) and DIR/evidence/<SCENARIO-ID>/ — exchanges.json (every HTTP exchange
// of the SUT during the scenario, request and answer), sent/ (the packages the harness sent),
// received/ (the packages the SUT submitted). The SUT's secret appears nowhere.
#ifndef VXP_HARNESS_RESULT_H_
#define VXP_HARNESS_RESULT_H_

#include <string>
#include <vector>

#include "core/common/result.h"
#include "harness/harness.h"

namespace vxp::harness {

inline constexpr std::string_view kResultSchema = "vxpkit-result/1";

// result.json's text. `requirements` (the registry) gives clauses for findings and coverage.
std::string ResultJson(const RunResult& result, const std::vector<Requirement>& requirements,
                       std::string_view suite_version);

// Writes result.json and the evidence under `dir` (created). Error "io.write" naming the path.
Result<bool> WriteRun(const std::string& dir, const RunResult& result,
                      const std::vector<Requirement>& requirements, std::string_view suite_version);

// The plain-language summary printed at the end of a run: counts, each failing scenario with its
// first finding and replay command, where the result is.
std::string Summary(const RunResult& result, const std::string& dir);

}  // namespace vxp::harness

#endif  // VXP_HARNESS_RESULT_H_
