// The one model of a run's result: what result.json (schema "vxpkit-result/1",
// docs/result-schema.md) holds, as typed values. The harness builds it at the end of a run
// (harness/run_record.h), json.h writes and reads it, and every report (reports/) is rendered
// from it — in memory during a run, or read back from a result directory later. Verdicts and
// levels are the core's enums, times are milliseconds since the epoch, a load run's figures are a
// JSON object (never re-parsed text). Plain values; thread-compatible.
#ifndef VXP_RESULTS_RESULT_MODEL_H_
#define VXP_RESULTS_RESULT_MODEL_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/clock.h"
#include "core/common/finding.h"
#include "i18n/catalog.h"

namespace vxp::results {

inline constexpr std::string_view kResultSchema = "vxpkit-result/1";

// Verdicts in the order reports list and count them.
inline constexpr Verdict kVerdictOrder[] = {
    Verdict::kPass,         Verdict::kFail,  Verdict::kWarn,  Verdict::kSkip,
    Verdict::kInconclusive, Verdict::kError, Verdict::kNotRun};

// A chart a scenario attaches to its result (index.html draws it as SVG): plain numbers.
struct ChartSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y)
};
struct Chart {
  std::string title, x_label, y_label;
  std::vector<ChartSeries> series;
};

// A finding with the clause its rule or requirement comes from.
struct FindingRecord {
  Finding finding;
  std::string clause;
};

// Where a scenario's evidence is, relative to the result directory.
struct EvidenceRecord {
  std::string dir;                          // "evidence/<ID>/"
  std::string exchanges;                    // "evidence/<ID>/exchanges.json"
  std::vector<std::string> sent;            // the packages the harness sent
  std::vector<std::string> files;           // other files (a load run's documents.csv)
  std::int64_t first_seq = 0, end_seq = 0;  // the SUT's exchanges during the scenario
  // Exchanges from end_seq on that concern the scenario: its quiet window overlapped the next
  // scenario (statuses about its documents, fetches and acknowledgements of its deliveries).
  std::vector<std::int64_t> late_seqs;
};

struct ScenarioRecord {
  std::string id, title, category;
  Level level = Level::kMust;
  std::string description;
  std::vector<std::string> requirements;
  Verdict verdict = Verdict::kPass;
  std::string reason;
  bool expected_failure = false, unexpected_pass = false;
  std::string expected_failure_reason;
  Millis started = 0;
  std::int64_t duration_ms = 0;
  std::vector<FindingRecord> findings;
  std::vector<std::string> steps;
  EvidenceRecord evidence;
  std::string replay;
  std::vector<Chart> charts;
  std::optional<boost::json::object> load;  // a load scenario's figures

  // Does this scenario fail the run? FAIL (not expected), ERROR, INCONCLUSIVE, or an unexpected
  // pass.
  bool Failing() const;
};

// A requirement of the registry with this run's verdicts of the scenarios that test it.
struct RequirementRecord {
  std::string id, source, summary;
  Level level = Level::kMust;
  std::vector<std::string> tested_by;
  std::string not_tested;
  std::vector<std::pair<std::string, Verdict>> results;  // (scenario, verdict)
};

// Who vouches for a signed result: written into result.json when the run is signed (vxpkit run,
// demo, load or report with --sign-key), before the reports are rendered and the directory is
// signed, so every report can say who signed it. It is a claim until checked: verify-report
// holds it against the signature (the fingerprint must be the signer's).
struct SigningRecord {
  std::string subject, issuer;  // the signer certificate's, as OpenSSL prints them
  std::string fingerprint;      // hex SHA-256 of the certificate's DER
  std::string certifier;        // the person who signs (default: the subject's CN)
  std::string role;             // their role or office (default: the subject's title or O)
  Millis signed_at = 0;
};

struct RunRecord {
  std::string suite_version;
  Millis started = 0, finished = 0;
  std::uint64_t seed = 0;
  bool strict = false;
  std::string profile, profile_description;
  std::vector<std::pair<std::string, std::int64_t>> deadlines_ms;  // in the profile's order
  std::vector<std::string> only, categories;                       // the selection
  std::map<std::string, std::string> expected_failures;            // id -> reason
  std::string replay;
  // The language the run's reports are written in (--lang); `vxpkit report` renders in it again.
  i18n::Lang lang = i18n::kDefaultLang;
  // The SUT (its secret is never part of a result).
  std::string system_id;
  std::string product, product_version;  // "" when neither the SUT file nor its driver said
  std::vector<std::string> agencies;
  std::string driver, control, hub_url;
  bool outbound = false;
  // The conformance statement (capabilities claimed); nullopt: none given, every one applies.
  std::optional<std::vector<std::string>> claims;
  std::vector<std::string> peers;
  // The outcome.
  Verdict verdict = Verdict::kPass;
  int exit_code = 0;
  std::string error;
  std::optional<std::string> aborted;
  // Why the run stopped before its end (e.g. "SIGINT after 12 of 45 scenarios"): the verdict is
  // INCOMPLETE, the scenarios it did not finish NOT RUN.
  std::optional<std::string> interrupted;
  std::optional<ScenarioRecord> final_sanity;
  std::vector<ScenarioRecord> scenarios;
  std::vector<RequirementRecord> requirements;
  std::optional<SigningRecord> signing;  // absent: the result is not signed

  std::int64_t duration_ms() const { return finished - started; }
};

// A result directory's evidence files: path relative to the directory ("evidence/ID/…") → bytes.
using EvidenceFiles = std::map<std::string, std::string>;

// How many scenarios got each verdict (every verdict of kVerdictOrder present, 0 when none).
std::map<Verdict, int> Counts(const RunRecord& run);
// The same per category, categories in catalogue order of first appearance.
std::vector<std::pair<std::string, std::map<Verdict, int>>> CountsByCategory(const RunRecord& run);

// "2026-11-20T10:00:00.000Z".
std::string IsoUtc(Millis ms);

}  // namespace vxp::results

#endif  // VXP_RESULTS_RESULT_MODEL_H_
