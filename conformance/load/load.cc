#include "conformance/load/load.h"

#include <boost/json.hpp>
#include <cstdio>

#include "core/edxml/serialize.h"
#include "harness/load/analysis.h"
#include "harness/load/engine.h"

namespace vxp::conformance {

std::string LoadAgency(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "000.00.%02d.G%02d", i / 99 + 1, i % 99 + 1);
  return buf;
}

namespace {

// While a load runs, the observer keeps only a sample of the exchanges and hands every hub event
// to the tap; both end with the scenario, whatever path it leaves by.
class Watching {
 public:
  Watching(harness::Observer& observer, load::SutTap& tap) : observer_(observer) {
    observer_.SetSampling(200);
    observer_.SetTap([&tap](const hub::Event& e) { tap.OnEvent(e); });
  }
  ~Watching() {
    observer_.SetTap({});
    observer_.SetSampling(std::nullopt);
  }

 private:
  harness::Observer& observer_;
};

}  // namespace

void RunLoad(Context& ctx, const load::Shape& shape) {
  harness::World& world = ctx.world();
  const load::Settings& settings = world.profile.load;
  auto schedule = load::Arrivals(shape.phases, world.seed);
  if (!schedule) {
    ctx.Error("the profile's load shape: " + schedule.error().message);
    return;
  }
  if (schedule->empty()) {
    ctx.Skip("the profile's load shape sends nothing");
    return;
  }
  std::string phases;
  for (const load::Phase& p : shape.phases) {
    phases += (phases.empty() ? "" : ", ") + p.name + " " + std::string(load::ToString(p.arrival)) +
              " " + std::to_string(static_cast<int>(p.rate)) +
              (p.rate_end >= 0 && p.rate_end != p.rate
                   ? "→" + std::to_string(static_cast<int>(p.rate_end))
                   : "") +
              "/s for " + FormatDuration(p.duration);
  }
  // The senders: agencies of the harness's load system, registered for this run.
  std::vector<std::string> agencies;
  for (int i = 0; i < std::max(1, settings.agencies); ++i) agencies.push_back(LoadAgency(i));
  if (auto r = ctx.hub().AddLoadAgencies(agencies); !r) {
    ctx.Error("registering the load agencies: " + r.error().message);
    return;
  }
  ctx.Step("load: " + std::to_string(schedule->size()) + " documents from " +
           std::to_string(agencies.size()) + " mock agencies to " +
           std::to_string(world.sut.agencies.size()) + " agency(ies) of the SUT; " + phases +
           "; warm-up " + FormatDuration(shape.warmup) + " not measured");

  // One valid, signed document; each message is a copy with its own sender, addressee and
  // DocumentId (a signed PDF per document would measure the harness, not the SUT).
  const edxml::Package base = ctx.NewDocument();
  const std::string sample = ctx.Bytes(base);
  if (sample.empty()) return;
  const std::string date = base.document()->promulgation_info.promulgation_date;
  const std::string trace_time =
      base.trace_header_list && !base.trace_header_list->trace_headers.empty()
          ? base.trace_header_list->trace_headers.front().timestamp
          : "";
  const std::int64_t first_number =
      harness::TakeDocumentNumbers(world, static_cast<int>(schedule->size()), 10'000'000);
  std::vector<load::Document> documents(schedule->size());
  for (size_t i = 0; i < documents.size(); ++i) {
    const std::string number = std::to_string(first_number + static_cast<std::int64_t>(i));
    documents[i].from = agencies[i % agencies.size()];
    documents[i].to = world.sut.agencies[i % world.sut.agencies.size()];
    documents[i].document_id = documents[i].from + "," + date + "," + number + "/VXP-TAI";
  }
  auto make = [&](size_t i) {
    edxml::Package p = base;
    edxml::DocumentHeader& d = *p.document();
    const load::Document& doc = documents[i];
    d.from = edxml::Organization{};
    d.from.organ_id = doc.from;
    d.from.organ_name = "Đơn vị " + doc.from;
    d.to.resize(1);
    d.to[0] = edxml::Organization{};
    d.to[0].organ_id = doc.to;
    d.to[0].organ_name = "Đơn vị " + doc.to;
    const std::string number = std::to_string(first_number + static_cast<std::int64_t>(i));
    d.code = edxml::Code{number, "VXP-TAI"};
    d.document_id = doc.document_id;
    d.subject = "Kiểm thử tải vxpkit số " + number;
    if (p.trace_header_list) p.trace_header_list->trace_headers = {{doc.from, trace_time}};
    auto bytes = edxml::Serialize(p);
    return load::Outgoing{doc.from, bytes ? *bytes : std::string()};
  };

  load::SutTap tap(world.sut.system_id);
  load::Inputs in;
  in.documents = documents;
  {
    Watching watching(ctx.observer(), tap);
    load::SenderOptions so;
    so.connect = [&ctx] { return ctx.hub().NewLoadClient(); };
    so.connections = settings.connections;
    so.stop = [&] { return !ctx.Interrupted().empty(); };
    so.progress = [&](size_t sent, size_t total) {
      ctx.Progress("      load: " + std::to_string(sent) + " of " + std::to_string(total) +
                   " documents sent, " + std::to_string(tap.answered()) + " answered");
    };
    auto sends = load::SendOnSchedule(*schedule, make, so);
    if (!sends) {
      ctx.Error("starting the load generator: " + sends.error().message);
      return;
    }
    in.sends = std::move(*sends);
    size_t submitted = 0;
    for (const load::SendRecord& r : in.sends.records) submitted += r.error.empty() ? 1 : 0;
    ctx.Step("sent the last document; waiting up to " + FormatDuration(settings.drain) +
             " (the profile's drain) for the SUT to answer and acknowledge all " +
             std::to_string(submitted));
    ctx.WaitFor("the SUT to answer the load", settings.drain,
                [&] { return tap.answered() >= submitted && tap.acknowledged() >= submitted; });
    in.observed_until = load::NowMicros();
    in.first_fetches = tap.FirstFetches();
    in.statuses = tap.Statuses();
    in.sut_refused = tap.Refused();
    in.sut_requests = tap.requests();
  }
  ctx.Step(
      "the observer kept the first 200 exchanges of the SUT whole, then only those the hub "
      "refused; documents.csv has every document's timeline");
  // What the hub holds about each delivery to the SUT.
  auto sent = ctx.hub().LoadDeliveries("edoc");
  if (!sent) {
    ctx.Error("reading the hub's deliveries: " + sent.error().message);
    return;
  }
  for (const hub::Delivery& d : *sent) {
    if (std::find(world.sut.agencies.begin(), world.sut.agencies.end(), d.to_code) ==
        world.sut.agencies.end()) {
      continue;
    }
    in.deliveries[std::to_string(d.sender_doc_id)] = {d.doc_id, d.status, d.fetches};
  }

  const load::Thresholds& thresholds = settings.thresholds;
  load::Analysis report = load::Analyze(in, shape, thresholds);
  for (const std::string& line : report.summary) ctx.Step(line);
  for (const load::Violation& v : report.violations) {
    ctx.Fail(v.requirement, v.message, v.expected, v.actual);
  }
  if (report.inconclusive) ctx.Inconclusive(*report.inconclusive);
  for (results::Chart& c : report.charts) ctx.AddChart(std::move(c));
  boost::json::object figures = load::FiguresJson(report, shape, thresholds);
  ctx.Attach("load.json", boost::json::serialize(figures) + "\n");
  ctx.SetLoad(std::move(figures));
  ctx.Attach("documents.csv", load::DocumentsCsv(in));
  ctx.Attach("sample-document.xml", sample);
}

}  // namespace vxp::conformance
