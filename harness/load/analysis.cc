#include "harness/load/analysis.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "core/lifecycle/lifecycle.h"

namespace vxp::load {
namespace {

double Seconds(Micros us) { return static_cast<double>(us) / 1e6; }

std::string Rate(double per_second) {
  char buf[32];
  std::snprintf(buf, sizeof buf, per_second >= 10 ? "%.0f/s" : "%.1f/s", per_second);
  return buf;
}

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", fraction * 100);
  return buf;
}

// "p50 12 ms · p99 40 ms · p99.9 45 ms · max 50 ms (n=250)".
std::string Percentiles(const Histogram& h) {
  if (h.count() == 0) return "no samples";
  return "p50 " + FormatMicros(h.ValueAtPercentile(50)) + " · p99 " +
         FormatMicros(h.ValueAtPercentile(99)) + " · p99.9 " +
         FormatMicros(h.ValueAtPercentile(99.9)) + " · max " + FormatMicros(h.max()) +
         " (n=" + std::to_string(h.count()) + ")";
}

// Up to three DocumentIds per kind of error, for the messages.
struct Examples {
  std::map<std::string, std::vector<std::string>> ids;
  void Add(const std::string& kind, const std::string& id) {
    auto& v = ids[kind];
    if (v.size() < 3) v.push_back(id);
  }
  std::string Of(const std::string& kind) const {
    auto it = ids.find(kind);
    if (it == ids.end()) return "";
    std::string out;
    for (const std::string& id : it->second) out += (out.empty() ? "" : ", ") + id;
    return " (e.g. " + out + ")";
  }
};

// Per-bin exact percentiles for the chart (bins are small: at most a few thousand values).
double ExactPercentile(std::vector<Micros>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<size_t>(std::ceil(p / 100 * static_cast<double>(v.size()) - 1e-9));
  return static_cast<double>(v[std::clamp<size_t>(rank, 1, v.size()) - 1]);
}

}  // namespace

std::string FormatMicros(Micros us) {
  char buf[32];
  if (us >= 1'000'000) {
    std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(us) / 1e6);
  } else if (us >= 10'000) {
    std::snprintf(buf, sizeof buf, "%.0f ms", static_cast<double>(us) / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1e3);
  }
  return buf;
}

namespace {

// What the per-document pass gathers besides the Analysis's own counts.
struct Tally {
  // For the charts: per document, when (µs from origin) it was meant, sent, got 01, got 02/03,
  // and its time to 01 (or the censored wait).
  struct Point {
    Micros intended, sent = -1, arrived = -1, answered = -1, to_01;
  };
  std::vector<Point> points;
  Examples ex;
  Micros first_measured = -1, last_done = 0, last_01 = 0;
  std::int64_t measured_sent = 0, measured_01 = 0, harness_refused = 0;
};

// One document: its send, the SUT's fetch, the statuses that reached its sender (01 once, one
// answer, a legal lifecycle) and its acknowledgement.
void CountDocument(const Inputs& in, const Document& doc, const SendRecord& rec, Micros warmup,
                   Analysis& r, Tally& t) {
  const Micros origin = in.sends.origin;
  Examples& ex = t.ex;
  const bool measured = rec.intended - origin >= warmup;
  Tally::Point pt{rec.intended - origin};
  if (measured) {
    ++r.measured;
    r.lag.Record(rec.started - rec.intended);
    if (t.first_measured < 0) t.first_measured = rec.intended;
  }
  if (!rec.error.empty()) {
    ++t.harness_refused;
    ++r.errors["harness-refused:" + rec.error];
    ex.Add("harness-refused:" + rec.error, doc.document_id);
    pt.to_01 = in.observed_until - rec.intended;
    t.points.push_back(pt);
    return;
  }
  ++r.submitted;
  pt.sent = rec.done - origin;
  if (measured) {
    r.submit.Record(rec.done - rec.intended);
    ++t.measured_sent;
    t.last_done = std::max(t.last_done, rec.done);
  }
  // The SUT's delivery and its fetch.
  DeliveryState delivery;
  if (auto it = in.deliveries.find(rec.doc_id); it != in.deliveries.end()) delivery = it->second;
  auto fetch = in.first_fetches.find(delivery.doc_id);
  if (delivery.doc_id != 0 && fetch != in.first_fetches.end()) {
    ++r.fetched;
    if (measured) r.fetch.Record(fetch->second - rec.intended);
  } else {
    ++r.errors["never-fetched"];
    ex.Add("never-fetched", doc.document_id);
    if (measured) r.fetch.Record(in.observed_until - rec.intended);
  }
  // Its statuses: those the hub accepted and that reach the sender count; the others are
  // errors of their own.
  std::vector<const TapStatus*> to_sender;
  if (auto it = in.statuses.find(doc.document_id); it != in.statuses.end()) {
    for (const TapStatus& s : it->second) {
      if (!s.accepted) continue;
      if (s.to != doc.from) {
        ++r.errors["wrong-party"];
        ex.Add("wrong-party", doc.document_id);
        continue;
      }
      to_sender.push_back(&s);
    }
  }
  int ones = 0, answers = 0;
  const TapStatus *first_01 = nullptr, *answer = nullptr;
  lifecycle::Tracker tracker(doc.document_id, doc.from, doc.to);
  std::string illegal;
  for (const TapStatus* s : to_sender) {
    if (s->code == "01" && ones++ == 0) first_01 = s;
    if (s->code == "02" || s->code == "03") {
      if (answers++ == 0) answer = s;
    }
    for (const Finding& f : tracker.Feed({s->code, s->from, s->to, s->description})) {
      if (f.verdict == Verdict::kFail && illegal.empty()) illegal = f.rule_id;
    }
  }
  if (ones == 0) {
    ++r.no_01;
    ++r.errors["no-01"];
    ex.Add("no-01", doc.document_id);
  } else if (ones > 1) {
    ++r.many_01;
    ++r.errors["duplicate-01"];
    ex.Add("duplicate-01", doc.document_id);
  } else {
    ++r.arrived_once;
  }
  if (first_01 != nullptr) {
    pt.arrived = first_01->at - origin;
    pt.to_01 = first_01->at - rec.intended;
    if (measured) {
      r.arrived.Record(pt.to_01);
      ++t.measured_01;
      t.last_01 = std::max(t.last_01, first_01->at);
    }
  } else {
    pt.to_01 = in.observed_until - rec.intended;
    if (measured) {
      r.arrived.Record(pt.to_01);
      ++r.censored_arrived;
    }
  }
  if (answer == nullptr) {
    ++r.unanswered;
    ++r.errors["unanswered"];
    ex.Add("unanswered", doc.document_id);
    if (measured) {
      r.answered.Record(in.observed_until - rec.intended);
      ++r.censored_answered;
    }
  } else {
    pt.answered = answer->at - origin;
    if (measured) r.answered.Record(answer->at - rec.intended);
    if (answer->code == "03") {
      ++r.accepted;
    } else {
      ++r.rejected;
      ++r.errors["rejected"];
      ex.Add("rejected", doc.document_id);
    }
    if (answers > 1) {
      ++r.many_answers;
      ++r.errors["duplicate-answer"];
      ex.Add("duplicate-answer", doc.document_id);
    }
  }
  if (!illegal.empty()) {
    ++r.illegal;
    ++r.errors["illegal:" + illegal];
    ex.Add("illegal:" + illegal, doc.document_id);
  }
  if (delivery.status == "done") {
    ++r.acknowledged;
  } else {
    ++r.unacknowledged;
    ++r.errors["unacknowledged"];
    ex.Add("unacknowledged", doc.document_id);
  }
  t.points.push_back(pt);
}

// Rates over the measured part, and the share of the SUT's requests the hub refused.
void ComputeRates(const Inputs& in, const Shape& shape, Micros warmup, const Tally& t,
                  Analysis& r) {
  Micros total = 0;
  for (const Phase& p : shape.phases) total += p.duration.count() * 1000;
  r.window_s = Seconds(std::max<Micros>(total - warmup, 1));
  r.offered_rate = static_cast<double>(r.measured) / r.window_s;
  if (t.first_measured >= 0 && t.last_done > t.first_measured) {
    r.sent_rate = static_cast<double>(t.measured_sent) / Seconds(t.last_done - t.first_measured);
  }
  if (t.first_measured >= 0 && t.last_01 > t.first_measured) {
    r.arrived_rate = static_cast<double>(t.measured_01) / Seconds(t.last_01 - t.first_measured);
  }
  std::int64_t refused = 0;
  for (const auto& [code, n] : in.sut_refused) refused += n;
  r.error_rate = in.sut_requests > 0 ? static_cast<double>(refused) / in.sut_requests : 0;
}

// The generator's self-check: a late generator or a hub that refused the harness makes the run
// INCONCLUSIVE. Returns the lateness bound.
Micros SelfCheck(const Thresholds& thresholds, const Tally& t, Analysis& r) {
  const Micros max_lag =
      std::chrono::duration_cast<std::chrono::microseconds>(thresholds.max_lag).count();
  if (r.lag.count() > 0 && r.lag.ValueAtPercentile(99) > max_lag) {
    r.inconclusive = "the load generator fell behind its own schedule: p99 lateness of its sends " +
                     FormatMicros(r.lag.ValueAtPercentile(99)) + ", max " +
                     FormatMicros(r.lag.max()) + " (bound " + FormatMicros(max_lag) +
                     "), so the latencies say more about this machine than about the SUT; run "
                     "it on a less loaded machine or lower the profile's rates";
  } else if (t.harness_refused > 0) {
    r.inconclusive = "the hub refused " + std::to_string(t.harness_refused) + " of the " +
                     std::to_string(r.scheduled) +
                     " documents the harness sent, so the SUT did not get the whole load";
  }
  return max_lag;
}

// LOAD-INTEGRITY: each document answered once, legally, to its sender, and acknowledged. What
// depends on time is judged only when `judge_time`.
void JudgeIntegrity(bool judge_time, const Examples& ex, Analysis& r) {
  auto integrity = [&](const std::string& kind, std::int64_t n, const std::string& what,
                       const std::string& expected) {
    if (n == 0) return;
    r.violations.push_back({"LOAD-INTEGRITY",
                            std::to_string(n) + " of " + std::to_string(r.submitted) +
                                " documents " + what + ex.Of(kind),
                            expected, std::to_string(n) + " " + kind});
  };
  if (judge_time) {
    integrity("no-01", r.no_01, "never got a 01 to their sender", "exactly one 01 per document");
  }
  integrity("duplicate-01", r.many_01, "got more than one 01", "exactly one 01 per document");
  integrity("rejected", r.rejected, "were answered 02, though every load document is valid",
            "03 for every valid document");
  integrity("duplicate-answer", r.many_answers, "were answered 02/03 more than once",
            "one answer per document");
  for (const auto& [kind, n] : r.errors) {
    if (kind.starts_with("illegal:")) {
      integrity(kind, n, "got statuses in an illegal order (" + kind.substr(8) + ")",
                "a legal lifecycle (QCVN 102:2016/BTTTT §4)");
    }
  }
  integrity("wrong-party", r.errors.count("wrong-party") ? r.errors.at("wrong-party") : 0,
            "had statuses addressed to someone other than their sender",
            "statuses go to ResponseFor/OrganId = the sender");
  if (judge_time) {
    integrity("unanswered", r.unanswered,
              "were never answered 02/03 by the end of the drain (lost)",
              "every document answered");
  }
  if (judge_time) {
    integrity("unacknowledged", r.unacknowledged,
              "were never acknowledged with updateStatus done (still listed on the hub)",
              "every delivery acknowledged");
  }
}

// LOAD-LATENCY and LOAD-ERRORS against the profile's bounds.
void JudgeLatencyAndErrors(const Inputs& in, const Thresholds& thresholds, Analysis& r) {
  auto latency = [&](const Histogram& h, milliseconds limit, const std::string& what) {
    Micros bound = limit.count() * 1000;
    if (h.count() == 0 || h.ValueAtPercentile(99) <= bound) return;
    r.violations.push_back({"LOAD-LATENCY",
                            "p99 " + what + " was " + FormatMicros(h.ValueAtPercentile(99)) +
                                ", above the profile's " + FormatMicros(bound) +
                                " (measured from each document's intended send time)",
                            "p99 " + what + " <= " + FormatMicros(bound), Percentiles(h)});
  };
  latency(r.arrived, thresholds.p99_arrived, "time to 01");
  latency(r.answered, thresholds.p99_answered, "time to 02/03");
  if (r.error_rate > thresholds.max_error_rate) {
    std::string kinds;
    for (const auto& [code, n] : in.sut_refused) {
      kinds += (kinds.empty() ? "" : ", ") + std::to_string(n) + " × ErrorCode " + code;
    }
    r.violations.push_back({"LOAD-ERRORS",
                            "the hub refused " + Percent(r.error_rate) + " of the SUT's " +
                                std::to_string(in.sut_requests) + " requests (" + kinds + ")",
                            "at most " + Percent(thresholds.max_error_rate),
                            Percent(r.error_rate)});
  }
}

// The plain-language lines of the scenario's steps.
void Summarize(const Inputs& in, Micros warmup, Micros max_lag, Analysis& r) {
  r.summary.push_back("sent " + std::to_string(r.scheduled) + " documents (" +
                      std::to_string(r.measured) + " measured after a warm-up of " +
                      FormatMicros(warmup) + "); offered " + Rate(r.offered_rate) +
                      ", the hub took them at " + Rate(r.sent_rate) + ", 01 came back at " +
                      Rate(r.arrived_rate));
  r.summary.push_back("hub submit latency: " + Percentiles(r.submit));
  r.summary.push_back("time until the SUT fetched: " + Percentiles(r.fetch));
  r.summary.push_back("time until its 01: " + Percentiles(r.arrived) +
                      (r.censored_arrived ? "; " + std::to_string(r.censored_arrived) +
                                                " never came (counted as the wait so far)"
                                          : ""));
  r.summary.push_back("time until its 02/03: " + Percentiles(r.answered) +
                      (r.censored_answered ? "; " + std::to_string(r.censored_answered) +
                                                 " never came (counted as the wait so far)"
                                           : ""));
  r.summary.push_back("correctness: exactly one 01 for " + std::to_string(r.arrived_once) + " of " +
                      std::to_string(r.submitted) + ", accepted " + std::to_string(r.accepted) +
                      ", rejected " + std::to_string(r.rejected) + ", never answered " +
                      std::to_string(r.unanswered) + ", illegal order " +
                      std::to_string(r.illegal) + ", acknowledged " +
                      std::to_string(r.acknowledged));
  r.summary.push_back("the SUT's hub requests: " + std::to_string(in.sut_requests) + ", refused " +
                      Percent(r.error_rate));
  r.summary.push_back("generator lateness (its own check): " + Percentiles(r.lag) + ", bound p99 " +
                      FormatMicros(max_lag) + ", on " + std::to_string(in.sends.connections) +
                      " connection(s)");
}

// Per-second rates, and time to 01 by send time.
std::vector<results::Chart> Charts(const Inputs& in, const std::vector<Tally::Point>& points) {
  const Micros origin = in.sends.origin;
  Micros span = std::max<Micros>(in.observed_until - origin, 1'000'000);
  Micros bin = std::max<Micros>(1'000'000, (span / 120 + 999'999) / 1'000'000 * 1'000'000);
  size_t bins = static_cast<size_t>(span / bin + 1);
  std::vector<double> offered(bins), sent(bins), ones(bins), answers(bins);
  std::vector<std::vector<Micros>> to_01(bins);
  auto at = [&](Micros t) {
    return std::min(bins - 1, static_cast<size_t>(std::max<Micros>(t, 0) / bin));
  };
  for (const Tally::Point& p : points) {
    offered[at(p.intended)] += 1;
    if (p.sent >= 0) sent[at(p.sent)] += 1;
    if (p.arrived >= 0) ones[at(p.arrived)] += 1;
    if (p.answered >= 0) answers[at(p.answered)] += 1;
    to_01[at(p.intended)].push_back(p.to_01);
  }
  results::Chart rates{"Documents per second", "seconds from the start", "documents/s", {}};
  results::Chart times{"Time to 01 by send time (from the intended send time)",
                       "seconds from the start (by intended send time)",
                       "ms",
                       {}};
  results::ChartSeries so{"offered", {}}, ss{"taken by the hub", {}}, s1{"01 from the SUT", {}},
      sa{"02/03 from the SUT", {}}, p50{"p50", {}}, p99{"p99", {}}, pmax{"max", {}};
  const double per = Seconds(bin);
  for (size_t b = 0; b < bins; ++b) {
    double x = Seconds(static_cast<Micros>(b) * bin);
    so.points.emplace_back(x, offered[b] / per);
    ss.points.emplace_back(x, sent[b] / per);
    s1.points.emplace_back(x, ones[b] / per);
    sa.points.emplace_back(x, answers[b] / per);
    if (!to_01[b].empty()) {
      p50.points.emplace_back(x, ExactPercentile(to_01[b], 50) / 1000);
      p99.points.emplace_back(x, ExactPercentile(to_01[b], 99) / 1000);
      pmax.points.emplace_back(x, ExactPercentile(to_01[b], 100) / 1000);
    }
  }
  rates.series = {so, ss, s1, sa};
  times.series = {p50, p99, pmax};
  return {rates, times};
}

}  // namespace

Analysis Analyze(const Inputs& in, const Shape& shape, const Thresholds& thresholds) {
  Analysis r;
  Tally t;
  const Micros warmup = std::chrono::duration_cast<std::chrono::microseconds>(shape.warmup).count();
  r.scheduled = static_cast<std::int64_t>(in.documents.size());
  r.connections = in.sends.connections;
  for (size_t i = 0; i < in.documents.size() && i < in.sends.records.size(); ++i) {
    CountDocument(in, in.documents[i], in.sends.records[i], warmup, r, t);
  }
  for (const auto& [code, n] : in.sut_refused) r.errors["sut-refused:" + code] += n;
  ComputeRates(in, shape, warmup, t, r);
  const Micros max_lag = SelfCheck(thresholds, t, r);
  // What depends on time (a 01 or an answer or an acknowledgement that had not come yet) is only
  // judged when the generator kept its schedule.
  const bool judge_time = !r.inconclusive;
  JudgeIntegrity(judge_time, t.ex, r);
  if (judge_time) JudgeLatencyAndErrors(in, thresholds, r);
  Summarize(in, warmup, max_lag, r);
  r.charts = Charts(in, t.points);
  return r;
}

namespace {

boost::json::object Latency(const Histogram& h, std::int64_t censored = 0) {
  auto ms = [](Micros us) { return static_cast<double>(us) / 1000.0; };
  boost::json::object o{{"count", h.count()},
                        {"p50_ms", ms(h.ValueAtPercentile(50))},
                        {"p90_ms", ms(h.ValueAtPercentile(90))},
                        {"p99_ms", ms(h.ValueAtPercentile(99))},
                        {"p999_ms", ms(h.ValueAtPercentile(99.9))},
                        {"max_ms", ms(h.max())},
                        {"mean_ms", h.mean() / 1000.0}};
  if (censored > 0) o["censored"] = censored;
  return o;
}

}  // namespace

boost::json::object FiguresJson(const Analysis& r, const Shape& shape, const Thresholds& t) {
  boost::json::array phases;
  for (const Phase& p : shape.phases) {
    phases.push_back(boost::json::object{{"name", p.name},
                                         {"arrival", std::string(ToString(p.arrival))},
                                         {"rate", p.rate},
                                         {"rate_end", p.rate_end < 0 ? p.rate : p.rate_end},
                                         {"duration_ms", p.duration.count()}});
  }
  boost::json::object errors;
  for (const auto& [kind, n] : r.errors) errors[kind] = n;
  boost::json::object o{
      {"phases", phases},
      {"warmup_ms", shape.warmup.count()},
      {"thresholds", boost::json::object{{"p99_arrived_ms", t.p99_arrived.count()},
                                         {"p99_answered_ms", t.p99_answered.count()},
                                         {"max_error_rate", t.max_error_rate},
                                         {"max_lag_ms", t.max_lag.count()}}},
      {"counts", boost::json::object{{"scheduled", r.scheduled},
                                     {"measured", r.measured},
                                     {"submitted", r.submitted},
                                     {"fetched", r.fetched},
                                     {"arrived_once", r.arrived_once},
                                     {"no_01", r.no_01},
                                     {"duplicate_01", r.many_01},
                                     {"accepted", r.accepted},
                                     {"rejected", r.rejected},
                                     {"unanswered", r.unanswered},
                                     {"duplicate_answers", r.many_answers},
                                     {"illegal", r.illegal},
                                     {"acknowledged", r.acknowledged},
                                     {"unacknowledged", r.unacknowledged}}},
      {"rates", boost::json::object{{"window_s", r.window_s},
                                    {"offered_per_s", r.offered_rate},
                                    {"sent_per_s", r.sent_rate},
                                    {"arrived_per_s", r.arrived_rate}}},
      {"latency", boost::json::object{{"submit", Latency(r.submit)},
                                      {"fetch", Latency(r.fetch)},
                                      {"arrived", Latency(r.arrived, r.censored_arrived)},
                                      {"answered", Latency(r.answered, r.censored_answered)},
                                      {"generator_lag", Latency(r.lag)}}},
      {"error_rate", r.error_rate},
      {"errors", errors},
      {"generator_behind", r.inconclusive.has_value()},
      {"generator_connections", r.connections}};
  return o;
}

std::string DocumentsCsv(const Inputs& in) {
  auto ms = [&](Micros t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(t - in.sends.origin) / 1000.0);
    return std::string(buf);
  };
  std::string out =
      "document_id,from,to,intended_ms,sent_ms,hub_doc_id,send_error,delivery_doc_id,"
      "fetched_ms,statuses,acknowledged\n";
  for (size_t i = 0; i < in.documents.size() && i < in.sends.records.size(); ++i) {
    const Document& d = in.documents[i];
    const SendRecord& r = in.sends.records[i];
    DeliveryState del;
    if (auto it = in.deliveries.find(r.doc_id); it != in.deliveries.end()) del = it->second;
    std::string fetched;
    if (auto f = in.first_fetches.find(del.doc_id); del.doc_id && f != in.first_fetches.end()) {
      fetched = ms(f->second);
    }
    std::string codes;
    if (auto it = in.statuses.find(d.document_id); it != in.statuses.end()) {
      for (const TapStatus& s : it->second) {
        codes += (codes.empty() ? "" : " ") + s.code + "@" + ms(s.at) +
                 (s.accepted ? "" : "(refused " + s.error_code + ")") +
                 (s.to == d.from ? "" : "(to " + s.to + ")");
      }
    }
    out += "\"" + d.document_id + "\"," + d.from + "," + d.to + "," + ms(r.intended) + "," +
           (r.error.empty() ? ms(r.done) : "") + "," + r.doc_id + "," + r.error + "," +
           (del.doc_id ? std::to_string(del.doc_id) : "") + "," + fetched + ",\"" + codes + "\"," +
           (del.status == "done" ? "yes" : del.status) + "\n";
  }
  return out;
}

}  // namespace vxp::load
