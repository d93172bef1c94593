#include "service/runs.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "conformance/common.h"
#include "conformance/run.h"
#include "harness/run_record.h"
#include "reports/result_dir.h"
#include "results/json.h"

namespace vxp::service {

struct Runs::Active {
  std::int64_t id = 0;
  std::string hub_id;
  std::atomic<bool> cancel{false};
  std::mutex progress_mu;
  std::vector<std::string> progress;
  // The run's hub while it is served: taken shared by each request, exclusively to close it.
  std::shared_mutex hub_mu;
  hub::Hub* hub = nullptr;
};

namespace {

Result<results::RunRecord> ReadResult(const std::string& dir) {
  std::ifstream in(dir + "/result.json", std::ios::binary);
  if (!in) return MakeError("report.input", "no result.json in " + dir);
  std::ostringstream text;
  text << in.rdbuf();
  return results::ReadRunRecord(text.str());
}

}  // namespace

Result<std::vector<ScenarioChange>> CompareRuns(const std::string& before_dir,
                                                const std::string& after_dir) {
  auto before = ReadResult(before_dir);
  if (!before) return tl::unexpected(before.error());
  auto after = ReadResult(after_dir);
  if (!after) return tl::unexpected(after.error());
  std::vector<ScenarioChange> out;
  auto find = [](const results::RunRecord& r, const std::string& id) {
    const results::ScenarioRecord* found = nullptr;
    for (const auto& s : r.scenarios) found = s.id == id ? &s : found;
    return found;
  };
  for (const auto& s : after->scenarios) {
    const results::ScenarioRecord* b = find(*before, s.id);
    ScenarioChange c{s.id, s.title, b ? std::string(ToString(b->verdict)) : "",
                     std::string(ToString(s.verdict)), ""};
    if (b == nullptr) {
      c.change = "only after";
    } else if (!b->Failing() && s.Failing()) {
      c.change = "newly failing";
    } else if (b->Failing() && !s.Failing()) {
      c.change = "newly passing";
    } else {
      c.change = "unchanged";
    }
    out.push_back(std::move(c));
  }
  for (const auto& s : before->scenarios) {
    if (find(*after, s.id) == nullptr) {
      out.push_back({s.id, s.title, std::string(ToString(s.verdict)), "", "only before"});
    }
  }
  // What changed first, then the rest in catalogue order.
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    auto rank = [](const std::string& c) {
      return c == "newly failing" ? 0 : c == "newly passing" ? 1 : c == "unchanged" ? 3 : 2;
    };
    return rank(x.change) < rank(y.change);
  });
  return out;
}

Runs::Runs(ServiceStore& store, std::string dir, std::string suite_version)
    : store_(store), dir_(std::move(dir)), suite_version_(std::move(suite_version)) {
  (void)store_.CloseAbandonedRuns(
      "the service stopped before this run finished (it was not stopped gracefully)",
      SystemMillis());
}

Runs::~Runs() {
  std::map<std::int64_t, std::thread> threads;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, run] : runs_) run->cancel = true;
    threads.swap(threads_);
  }
  for (auto& [id, t] : threads) t.join();  // without the lock: a run's thread ends taking it
}

std::string Runs::DirOf(std::int64_t run_id) const { return dir_ + "/" + std::to_string(run_id); }

Result<RunRow> Runs::Start(const SystemRecord& system, const RunRequest& request,
                           std::int64_t user_id) {
  RunRequest r = request;
  if (r.plan == "certification") {
    r.profile = "certification";
    r.only.clear();
  } else if (r.plan != "self-test") {
    return MakeError("service.input", "plan: '" + r.plan + "' is not self-test or certification");
  }
  if (r.profile != "demo" && r.profile != "certification") {
    return MakeError("service.input", "profile: '" + r.profile + "' is not demo or certification");
  }
  harness::RunOptions check;
  check.only = r.only;
  if (auto ok = conformance::CheckSelection(check); !ok) {
    return MakeError("service.input", ok.error().message);
  }
  std::lock_guard lock(mu_);
  if (by_hub_id_.count(system.hub_id) > 0) {
    return MakeError("service.busy", "'" + system.name +
                                         "' has a run under way: wait for it, or "
                                         "cancel it");
  }
  RunRow row;
  row.system_id = system.id;
  row.organisation_id = system.organisation_id;
  row.started_by = user_id;
  row.plan = r.plan;
  row.profile = r.profile;
  row.started = SystemMillis();
  auto made = store_.CreateRun(row);
  if (!made) return tl::unexpected(made.error());
  auto active = std::make_shared<Active>();
  active->id = made->id;
  active->hub_id = system.hub_id;
  runs_[made->id] = active;
  by_hub_id_[system.hub_id] = active;
  // The threads of runs that have ended are joined here, so that a long-lived service does not
  // keep one per run it ever ran.
  for (std::int64_t id : done_) {
    if (auto it = threads_.find(id); it != threads_.end()) {
      it->second.join();
      threads_.erase(it);
    }
  }
  done_.clear();
  threads_.emplace(made->id,
                   std::thread([this, active, system, r] { Execute(active, system, r); }));
  return *made;
}

bool Runs::Cancel(std::int64_t run_id) {
  std::lock_guard lock(mu_);
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return false;
  bool under_way =
      by_hub_id_.count(it->second->hub_id) > 0 && by_hub_id_[it->second->hub_id] == it->second;
  it->second->cancel = true;
  return under_way;
}

std::vector<std::string> Runs::Progress(std::int64_t run_id) {
  std::shared_ptr<Active> run;
  {
    std::lock_guard lock(mu_);
    auto it = runs_.find(run_id);
    if (it == runs_.end()) return {};
    run = it->second;
  }
  std::lock_guard lock(run->progress_mu);
  return run->progress;
}

std::optional<std::optional<wire::HttpResponse>> Runs::Route(const std::string& hub_id,
                                                             const wire::HttpRequest& request,
                                                             bool head_only) {
  std::shared_ptr<Active> run;
  {
    std::lock_guard lock(mu_);
    auto it = by_hub_id_.find(hub_id);
    if (it == by_hub_id_.end()) return std::nullopt;
    run = it->second;
  }
  std::shared_lock lock(run->hub_mu);
  if (run->hub == nullptr) return std::nullopt;  // starting or over: the standing hub answers
  if (head_only) return std::optional<wire::HttpResponse>(run->hub->Admit(request));
  return std::optional<wire::HttpResponse>(run->hub->Handle(request));
}

void Runs::Execute(std::shared_ptr<Active> run, SystemRecord system, RunRequest request) {
  auto say = [&](const std::string& line) {
    std::lock_guard lock(run->progress_mu);
    if (run->progress.size() < 10000) run->progress.push_back(line);
  };
  harness::SutConfig sut;
  sut.system_id = system.hub_id;
  sut.secret = system.hub_secret;
  sut.agencies = system.agencies;
  sut.driver_url = system.control == "operator" ? "" : system.control;
  sut.outbound = std::find(system.capabilities.begin(), system.capabilities.end(), "send") !=
                 system.capabilities.end();
  sut.product = system.product;
  sut.product_version = system.product_version;
  harness::RunOptions options;
  options.profile = request.profile;
  options.only = request.only;
  options.in_process = true;  // the service's own listener serves the run's hub
  options.replay_command = "vxpkit serve: run " + std::to_string(run->id) + " of " + system.name;
  options.progress = say;
  options.interrupted = [run]() -> std::string {
    return run->cancel ? "cancelled (or the service stopped)" : "";
  };
  auto result = conformance::RunCatalogueServed(sut, options, [&](harness::Harness& h) {
    {
      std::unique_lock lock(run->hub_mu);
      run->hub = &h.hub();
    }
    say("the run's hub answers at /hub/" + system.hub_id + "/XrdAdapter/adapter");
    // Released when the run is over, before the harness goes: wait for requests in flight.
    return std::shared_ptr<void>(nullptr, [run](void*) {
      std::unique_lock lock(run->hub_mu);
      run->hub = nullptr;
    });
  });
  std::string verdict = "ERROR", summary;
  int exit_code = 2;
  if (!result) {
    summary = "the run could not start: " + result.error().message;
  } else {
    results::RunRecord record =
        harness::MakeRecord(*result, conformance::Requirements(), suite_version_);
    std::string dir = DirOf(run->id);
    auto evidence = harness::WriteRun(dir, *result, record);
    auto written = evidence
                       ? reports::WriteReports(dir, record, *evidence, {"html", "junit", "json"})
                       : Result<std::vector<std::string>>(tl::unexpected(evidence.error()));
    verdict = std::string(ToString(result->verdict));
    exit_code = result->exit_code;
    summary = harness::Summary(*result, "");
    if (!written) summary = "the result could not be written: " + written.error().message;
  }
  (void)store_.FinishRun(run->id, verdict, exit_code, summary, SystemMillis());
  say("verdict " + verdict + " (exit " + std::to_string(exit_code) + ")");
  std::lock_guard lock(mu_);
  if (auto it = by_hub_id_.find(run->hub_id); it != by_hub_id_.end() && it->second == run) {
    by_hub_id_.erase(it);
  }
  done_.push_back(run->id);
}

}  // namespace vxp::service
