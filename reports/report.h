// The report writers. Each is a pure function of the result model (results/result_model.h: the run
// in memory, or result.json read back with results::ReadRunRecord) and, for the HTML, of the
// evidence files' bytes:
//   ReportJson  report.json, schema "vxpkit-report/1" (docs/reports.md): the summary a dashboard
//               or CI job reads: counts by verdict and category, one line per scenario, coverage
//   JunitXml    junit.xml: one testcase per scenario (docs/reports.md says how verdicts map); its
//               messages in the run's language (RunRecord::lang), its types and names' IDs as
//               they are
//   Html        index.html (reports/html.h), in the run's language
// Writers never see the SUT's secret: result.json does not carry it. Output is deterministic: the
// same result gives the same bytes (no "generated at" time), so re-rendering a signed result
// leaves it verifiable.
#ifndef VXP_REPORTS_REPORT_H_
#define VXP_REPORTS_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/result.h"
#include "i18n/catalog.h"
#include "results/result_model.h"

namespace vxp::reports {

inline constexpr std::string_view kReportSchema = "vxpkit-report/1";

// The finding a one-line summary of `s` names: its first that is not a PASS; nullptr when none.
const results::FindingRecord* FirstFinding(const results::ScenarioRecord& s);

// A one-line plain-language meaning of the run's verdict and exit code, as the banner says it, in
// `lang` (report.json's "summary" is English, as every field of it).
std::string VerdictSentence(const results::RunRecord& run, i18n::Lang lang = i18n::Lang::kEn);

std::string ReportJson(const results::RunRecord& run);
std::string JunitXml(const results::RunRecord& run);

}  // namespace vxp::reports

#endif  // VXP_REPORTS_REPORT_H_
