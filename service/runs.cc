#include "service/runs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "conformance/common.h"
#include "conformance/run.h"
#include "core/wire/wire.h"
#include "harness/run_record.h"
#include "reports/result_dir.h"
#include "results/json.h"
#include "service/webhook.h"

namespace vxp::service {

struct Runs::Active {
  std::int64_t id = 0;
  std::string hub_id;
  std::atomic<bool> cancel{false};
  std::atomic<bool> done{false};
  std::shared_ptr<RunFeed> feed = std::make_shared<RunFeed>();
  std::mutex progress_mu;
  std::vector<std::string> progress;
  int prompts = 0;                      // operator prompts so far, numbered from 1
  std::map<int, std::string> answered;  // prompt number -> the answer given
  std::string declined;                 // "cannot" to the latest prompt, until the harness takes it
  // The run's hub while it is served: taken shared by each request, exclusively to close it.
  std::shared_mutex hub_mu;
  hub::Hub* hub = nullptr;
};

Result<results::RunRecord> ReadRunResult(const std::string& dir) {
  std::ifstream in(dir + "/result.json", std::ios::binary);
  if (!in) return MakeError("report.input", "no result.json in " + dir);
  std::ostringstream text;
  text << in.rdbuf();
  return results::ReadRunRecord(text.str());
}

boost::json::object RunFields(const RunRow& run) {
  return {{"id", run.id},
          {"system_id", run.system_id},
          {"plan", run.plan},
          {"profile", run.profile},
          {"status", run.status},
          {"verdict", run.verdict},
          {"exit_code", run.exit_code},
          {"summary", run.summary},
          {"started_ms", run.started},
          {"finished_ms", run.finished}};
}

Result<std::vector<ScenarioChange>> CompareRuns(const std::string& before_dir,
                                                const std::string& after_dir) {
  auto before = ReadRunResult(before_dir);
  if (!before) return tl::unexpected(before.error());
  auto after = ReadRunResult(after_dir);
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

Runs::Runs(ServiceStore& store, std::string dir, std::string suite_version,
           std::string certification_profile)
    : store_(store),
      dir_(std::move(dir)),
      suite_version_(std::move(suite_version)),
      certification_profile_(std::move(certification_profile)) {
  (void)store_.CloseAbandonedRuns(
      "the service stopped before this run finished (it was not stopped gracefully)",
      SystemMillis());
}

Runs::~Runs() {
  stopping_ = true;
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
    r.profile = certification_profile_;
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

std::shared_ptr<const RunFeed> Runs::Feed(std::int64_t run_id) {
  std::lock_guard lock(mu_);
  auto it = runs_.find(run_id);
  return it == runs_.end() ? nullptr : it->second->feed;
}

Result<void> Runs::Answer(std::int64_t run_id, int number, const std::string& answer,
                          const std::string& by) {
  if (answer != "done" && answer != "cannot") {
    return MakeError("service.input", "answer: '" + answer + "' is not done or cannot");
  }
  std::shared_ptr<Active> run;
  {
    std::lock_guard lock(mu_);
    auto it = runs_.find(run_id);
    if (it != runs_.end()) run = it->second;
  }
  if (run == nullptr || run->done) {
    return MakeError("service.input", "the run is over: its prompts can no longer be answered");
  }
  {
    std::lock_guard lock(run->progress_mu);
    if (number < 1 || number > run->prompts) {
      return MakeError("service.input", "prompt " + std::to_string(number) + " was not given");
    }
    if (!run->answered.emplace(number, answer).second) {
      return MakeError("service.exists", "prompt " + std::to_string(number) +
                                             " was already answered: " + run->answered[number]);
    }
    if (answer == "cannot" && number == run->prompts) {
      run->declined = "action " + std::to_string(number) + ", answered by " + by;
    }
    std::string line = "operator " + by + ": action " + std::to_string(number) +
                       (answer == "done" ? " done" : " cannot be done in the system") +
                       " (the harness judges by what reaches the hub)";
    if (run->progress.size() < 10000) run->progress.push_back(line);
  }
  run->feed->Publish("answer",
                     {{"number", number}, {"answer", answer}, {"by", by}, {"at", SystemMillis()}});
  return {};
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
  std::optional<wire::HttpResponse> answer;
  if (head_only) {
    answer = run->hub->Admit(request);
    if (!answer) {  // admitted (routed here, no refusal): its traffic event comes with its answer
      return std::optional<std::optional<wire::HttpResponse>>(std::in_place, std::nullopt);
    }
  } else {
    answer = run->hub->Handle(request);
  }
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  std::string operation(path.substr(path.rfind('/') + 1));
  std::string code;
  if (answer->body.size() <= 64 * 1024 && answer->content_type.starts_with("application/json")) {
    if (auto parsed = wire::ParseResponse(answer->body)) code = parsed->error_code;
  }
  run->feed->Publish("traffic", {{"at", SystemMillis()},
                                 {"method", request.method},
                                 {"operation", operation.substr(0, 64)},
                                 {"status", answer->status},
                                 {"code", code},
                                 {"in", request.body.size()},
                                 {"out", answer->body.size()}});
  return std::optional<std::optional<wire::HttpResponse>>(std::in_place, std::move(answer));
}

void Runs::Execute(std::shared_ptr<Active> run, SystemRecord system, RunRequest request) {
  auto say = [&](const std::string& line) {
    {
      std::lock_guard lock(run->progress_mu);
      if (run->progress.size() < 10000) run->progress.push_back(line);
    }
    run->feed->Publish("progress", {{"line", line}});
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
  sut.claims = system.capabilities;  // its conformance statement: the rest is SKIP "not claimed"
  harness::RunOptions options;
  options.profile = request.profile;
  options.only = request.only;
  options.in_process = true;  // the service's own listener serves the run's hub
  // DocIds never handed out before to this system: the system keeps running between runs.
  options.first_doc_id = run->id * 1'000'000'000 + 1;
  options.document_series = run->id % 99'999 + 1;  // nor a document it was sent before
  options.replay_command = "vxpkit serve: run " + std::to_string(run->id) + " of " + system.name;
  options.progress = say;
  options.declined = [&]() -> std::string {
    std::lock_guard lock(run->progress_mu);
    return std::exchange(run->declined, "");
  };
  options.scenario_done = [&](const harness::ScenarioResult& r) {
    {
      std::lock_guard lock(run->progress_mu);
      run->declined.clear();  // an answer too late for its scenario is not the next one's
    }
    run->feed->Publish("scenario", {{"id", r.scenario.id},
                                    {"title", r.scenario.title},
                                    {"verdict", ToString(r.verdict)},
                                    {"reason", r.reason},
                                    {"ms", r.finished - r.started}});
  };
  // A system without a driver is run by a person: each prompt is shown on the run's page with
  // its deadline, and answered there; the harness judges by what reaches the hub either way.
  options.interactive = system.control == "operator" && request.prompts;
  options.prompt = [&](int number, const std::string& text, std::chrono::milliseconds deadline) {
    {
      std::lock_guard lock(run->progress_mu);
      run->prompts = std::max(run->prompts, number);
      run->declined.clear();
    }
    say("ACTION " + std::to_string(number) + ": " + text);
    run->feed->Publish("prompt", {{"number", number},
                                  {"text", text},
                                  {"deadline_ms", deadline.count()},
                                  {"at", SystemMillis()}});
  };
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
  run->done = true;
  run->feed->End({{"verdict", verdict}, {"exit_code", exit_code}, {"summary", summary}});
  {
    // The system is free for its next run at once (a webhook may take a while).
    std::lock_guard lock(mu_);
    if (auto it = by_hub_id_.find(run->hub_id); it != by_hub_id_.end() && it->second == run) {
      by_hub_id_.erase(it);
    }
  }
  if (!system.webhook.empty()) {
    // Told after the run is over and kept; its outcome goes into the run's progress lines.
    auto row = store_.GetRun(run->id);
    if (row && *row) {
      WebhookOptions o;
      o.stop = [this] { return stopping_.load(); };  // not a cancel: a cancelled run is told
      WebhookOutcome told = DeliverWebhook(system.webhook, system.hub_secret,
                                           WebhookBody(**row, system, request.base_url), o);
      std::lock_guard lock(run->progress_mu);
      run->progress.push_back("webhook " + system.webhook + ": " +
                              (told.delivered ? "delivered" : "not delivered") + " (" + told.last +
                              ", " + std::to_string(told.attempts) + " attempt" +
                              (told.attempts == 1 ? "" : "s") + ")");
    }
  }
  // Joined by the next Start only now that it has nothing left to do.
  std::lock_guard lock(mu_);
  done_.push_back(run->id);
  // Finished runs stay in memory (their progress and feed) up to kKeptFinished, the latest; the
  // older ones are read from the store and their directories.
  std::vector<std::int64_t> finished;
  for (const auto& [id, r] : runs_) {
    if (r->done) finished.push_back(id);
  }
  for (std::size_t i = 0; i + kKeptFinished < finished.size(); ++i) runs_.erase(finished[i]);
}

}  // namespace vxp::service
