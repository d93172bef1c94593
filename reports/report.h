// The report model: a run's result.json (schema "vxpkit-result/1", docs/result-schema.md) read
// back into values, with the derived counts every report shows. Each writer is a pure function of
// a Report (and, for the HTML, of the evidence files' bytes):
//   ReportJson  report.json, schema "vxpkit-report/1" (docs/reports.md): the summary a dashboard
//               or CI job reads: counts by verdict and category, one line per scenario, coverage
//   JunitXml    junit.xml: one testcase per scenario (docs/reports.md says how verdicts map)
//   Html        index.html (reports/html.h)
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

namespace vxp::reports {

inline constexpr std::string_view kReportSchema = "vxpkit-report/1";

// Verdicts in the order reports list them.
inline constexpr std::string_view kVerdicts[] = {"PASS", "FAIL",         "WARN",
                                                 "SKIP", "INCONCLUSIVE", "ERROR"};

struct FindingRow {
  std::string rule_id, level, verdict, clause, location;
  std::int64_t line = 0;
  std::string expected, actual, message;
};

struct ChartSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;
};
struct Chart {
  std::string title, x_label, y_label;
  std::vector<ChartSeries> series;
};

struct ScenarioRow {
  std::string id, title, category, level, description, verdict, reason;
  std::vector<std::string> requirements;
  bool expected_failure = false, unexpected_pass = false;
  std::string expected_failure_reason, started;
  std::int64_t duration_ms = 0;
  std::vector<FindingRow> findings;
  std::vector<std::string> steps;
  std::string evidence_dir, exchanges;  // relative to the result directory
  std::vector<std::string> sent;
  std::string replay;
  std::vector<Chart> charts;

  // Does this scenario fail the run? FAIL (not expected), ERROR, INCONCLUSIVE, or an unexpected
  // pass.
  bool Failing() const;
};

struct RequirementRow {
  std::string id, source, summary, level, not_tested;
  std::vector<std::string> tested_by;
  std::vector<std::pair<std::string, std::string>> results;  // this run's (scenario, verdict)
};

struct Report {
  std::string suite_version, started, finished;
  std::int64_t duration_ms = 0;
  std::uint64_t seed = 0;
  bool strict = false;
  std::string profile, profile_description, replay;
  std::map<std::string, std::int64_t> deadlines_ms;
  std::string system_id, driver, control, hub_url;
  std::vector<std::string> agencies, peers;
  bool outbound = false;
  std::string verdict, error, aborted;
  int exit_code = 0;
  std::optional<ScenarioRow> final_sanity;
  std::vector<ScenarioRow> scenarios;
  std::vector<RequirementRow> requirements;

  // Derived from `scenarios`: every verdict of kVerdicts (0 when none), and per category in
  // catalogue order of first appearance.
  std::map<std::string, int> counts;
  std::vector<std::pair<std::string, std::map<std::string, int>>> categories;
};

// Reads result.json's text. Errors "report.input": not JSON, another schema (names it), or a
// field missing or of the wrong type (names its path, e.g. "scenarios[3].verdict").
Result<Report> ReadReport(std::string_view result_json);

// A one-line plain-language meaning of the run's verdict and exit code, as the banner says it.
std::string VerdictSentence(const Report& report);

std::string ReportJson(const Report& report);
std::string JunitXml(const Report& report);

}  // namespace vxp::reports

#endif  // VXP_REPORTS_REPORT_H_
