// What a load run showed, judged: per-document correctness (exactly one 01, a legal lifecycle,
// an answer, an acknowledgement; none lost, none doubled), latency percentiles from each
// document's intended send time (hub submit, SUT fetch, 01, 02/03), offered against achieved
// rates, errors by kind, and the generator's own lateness. Pure: Analyze is a function of what
// the engine recorded and the settings, so every verdict path has a unit test.
//
// Verdicts (docs/load.md):
//   LOAD-INTEGRITY  any document without exactly one 01, answered 02 (the documents are valid),
//                   answered twice, with an illegal transition (LIFE-*), never answered by the
//                   end of the drain, or never acknowledged: FAIL, naming how many and examples.
//   LOAD-LATENCY    p99 time to 01 or p99 time to 02/03 above the profile's threshold: FAIL with
//                   the percentiles.
//   LOAD-ERRORS     the share of the SUT's hub requests the hub refused above the threshold.
//   Generator behind (p99 lateness of the harness's own sends above max_lag, or the hub refusing
//   the harness's sends): INCONCLUSIVE with the figures; latency, error rate and whatever had not
//   come yet (01, answer, acknowledgement) are not judged then, but duplicates, rejections,
//   misaddressed statuses and illegal transitions still are.
#ifndef VXP_HARNESS_LOAD_ANALYSIS_H_
#define VXP_HARNESS_LOAD_ANALYSIS_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/load/engine.h"
#include "harness/load/histogram.h"
#include "harness/load/load_settings.h"
#include "harness/load/schedule.h"
#include "results/result_model.h"

namespace vxp::load {

// One document of the run (schedule order).
struct Document {
  std::string document_id, from, to;
};

// What the hub holds about the SUT's delivery of one document (store().Sent).
struct DeliveryState {
  std::int64_t doc_id = 0;
  std::string status;  // pending, processing, done, fail
  int fetches = 0;
};

struct Inputs {
  std::vector<Document> documents;
  SendRun sends;
  std::map<std::string, DeliveryState> deliveries;         // by the submission's DocId
  std::map<std::int64_t, Micros> first_fetches;            // by delivery DocId
  std::map<std::string, std::vector<TapStatus>> statuses;  // by DocumentId
  std::map<std::string, int> sut_refused;  // the SUT's refused requests by ErrorCode
  std::int64_t sut_requests = 0;           // all of the SUT's requests during the run
  Micros observed_until = 0;               // end of the drain
};

struct Violation {
  std::string requirement;  // LOAD-INTEGRITY, LOAD-LATENCY, LOAD-ERRORS
  std::string message, expected, actual;
};

struct Analysis {
  // Counts over every document (warm-up included).
  std::int64_t scheduled = 0, measured = 0, submitted = 0, fetched = 0, arrived_once = 0, no_01 = 0,
               many_01 = 0, accepted = 0, rejected = 0, unanswered = 0, many_answers = 0,
               illegal = 0, acknowledged = 0, unacknowledged = 0;
  std::map<std::string, std::int64_t> errors;  // kind → count
  // Measured documents only, in µs. Documents never fetched/answered are recorded with the time
  // they had waited when observation ended (a lower bound) and counted in `censored`.
  Histogram lag, submit, fetch, arrived, answered;
  std::int64_t censored_arrived = 0, censored_answered = 0;
  double window_s = 0, offered_rate = 0, sent_rate = 0, arrived_rate = 0;
  double error_rate = 0;
  int connections = 0;  // the generator's, in all (SendRun::connections)
  std::vector<Violation> violations;
  std::optional<std::string> inconclusive;
  std::vector<std::string> summary;  // plain-language lines for the scenario's steps
  std::vector<results::Chart> charts;
};

Analysis Analyze(const Inputs& in, const Shape& shape, const Thresholds& thresholds);

// result.json's "load" object (docs/result-schema.md): settings, counts, rates, errors and the
// percentiles of each latency in ms.
boost::json::object FiguresJson(const Analysis& report, const Shape& shape,
                                const Thresholds& thresholds);
// One line per document: what happened to it, when (ms from the schedule's start).
std::string DocumentsCsv(const Inputs& in);

// "1.2 s" / "340 ms" / "0.8 ms" for µs.
std::string FormatMicros(Micros us);

}  // namespace vxp::load

#endif  // VXP_HARNESS_LOAD_ANALYSIS_H_
