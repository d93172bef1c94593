// index.html: the certification report as one self-contained file — styles and script inline, no
// fonts, images or links to any network address (a Content-Security-Policy forbids loading
// anything). Sections, in order:
//   header     the SUT's identity, profile, suite version, seed, date, duration, replay command
//   banner     the run's verdict and what it means (exit code), and the MUST requirements
//              this run did not test
//   signature  who signed the result, or that nobody did
//   failures   what failed and why: each scenario that fails the run with its first diagnosis
//   summary    counts by verdict and by category
//   scenarios  a table filterable by verdict and category, then one section per scenario: its
//              clauses, reason, findings (expected vs actual, location), steps, charts (load
//              scenarios, inline SVG), evidence (HTTP exchanges and packages, pretty-printed,
//              collapsible) and replay command
//   coverage   every requirement: tested (with this run's verdicts) or not tested and why
// Printing: filters hidden, findings and steps opened, evidence bodies left to the evidence files.
// Pure: the same report and evidence give the same bytes.
#ifndef VXP_REPORTS_HTML_H_
#define VXP_REPORTS_HTML_H_

#include <map>
#include <string>

#include "reports/report.h"

namespace vxp::reports {

// Evidence files by their path relative to the result directory ("evidence/ID/exchanges.json",
// "evidence/ID/sent/document.xml", ...). Missing files are reported as missing in the page.
using EvidenceFiles = results::EvidenceFiles;

std::string Html(const results::RunRecord& run, const EvidenceFiles& evidence);

// An inline SVG line chart of `chart` (axes with min and max, one polyline per series, legend).
std::string SvgChart(const results::Chart& chart);

// `text` with &, <, >, " and ' escaped for HTML text and attribute values.
std::string Escape(std::string_view text);

}  // namespace vxp::reports

#endif  // VXP_REPORTS_HTML_H_
