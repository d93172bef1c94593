// Runs of the conformance service: a plan started against a registered system is queued in the
// store, taken by a worker (an instance of the service with a free slot; ServiceStore::ClaimRun)
// and run on a thread of its own by the harness (conformance/run.h, RunCatalogueServed), its
// result written under --data/runs/<id>/ (result.json, the evidence, index.html, junit.xml,
// report.json) and its row kept in the store. While a run is under way the system's hub address
// (/hub/<hub id>/…) leads to the run's hub, where the harness's mock peers send the system
// documents and judge what it sends; before and after, to the system's standing hub (Hubs).
//
// Plans: "self-test" (any selection, the demo or certification profile) and "certification"
// (the whole catalogue, the certification profile). One run at a time per system (the store
// refuses a second). A cancelled run, or one under way when the service stops, ends INCOMPLETE
// with what it finished (the harness's interruption); a run whose worker was lost (killed) is
// marked INCOMPLETE: on SQLite at the next start, on a shared store by any instance once the
// run's lease runs out. A system without a driver is run by a person: the harness's operator
// prompts go into the run's feed (the run's page shows them with their deadline) and are
// answered there (Answer). What happens during a run is published on its feed (service/feed.h)
// as it happens: progress lines, each scenario's verdict, the system's hub traffic, prompts and
// answers, the end. A system's webhook (service/webhook.h) is told when its run is over.
//
// Several instances on one shared store (PostgreSQL; docs/service.md): each takes runs while it
// has free slots; the worker renews its runs' leases every lease/6 and learns of cancellations
// then; it copies each run's feed into the store as it goes (every 250 ms) and the result files
// when it ends, and takes the operators' answers from it. So any instance serves any run's page,
// feed, files, cancel and answers; a system's hub traffic reaching another instance is forwarded
// to the worker's listener (WebApp, RunningRunOf's worker_url).
#ifndef VXP_SERVICE_RUNS_H_
#define VXP_SERVICE_RUNS_H_

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/common/result.h"
#include "core/wire/http.h"
#include "results/result_model.h"
#include "service/feed.h"
#include "service/store.h"

namespace vxp::service {

struct RunsOptions {
  // The run profile of the certification plan ("certification"; "demo" to try the service in
  // minutes: a certificate names the profile it rests on).
  std::string certification_profile = "certification";
  // This instance's name on the run queue ("": made from the host name, the process id and a
  // random part).
  std::string worker;
  int slots = 4;  // runs under way at once on this instance; 0: it takes none
  // A run outlives its worker's silence this long before another instance closes it.
  std::chrono::milliseconds lease{30'000};
};

struct RunRequest {
  std::string plan = "self-test";  // or "certification"
  std::string profile = "demo";    // self-test: demo or certification
  std::vector<std::string> only;   // self-test: scenario ID globs (empty: all)
  // A system without a driver: a person answers operator prompts on the run's page. Otherwise
  // (a CI job) the scenarios that need the system to act are SKIP.
  bool prompts = false;
  // The service's own address (http://HOST:PORT), for the links a webhook carries.
  std::string base_url;
};

// A run's fields as the API and webhooks show them: id, system_id, plan, profile, status,
// verdict, exit_code, summary, started_ms, finished_ms, worker.
boost::json::object RunFields(const RunRow& run);

// How each scenario fared in two runs of one system: "newly failing" (it does not fail the run
// in `before`, it does in `after`), "newly passing" (the other way), "unchanged", "only before",
// "only after".
struct ScenarioChange {
  std::string id, title;
  std::string before, after;  // verdicts; "" when the run did not have the scenario
  std::string change;
};
// Compares the results of two finished runs (their result.json files in their directories).
// Errors "report.input" for a result that does not read.
Result<std::vector<ScenarioChange>> CompareRuns(const std::string& before_dir,
                                                const std::string& after_dir);

// The result (result.json) of the run whose directory is `dir`. Errors "report.input".
Result<results::RunRecord> ReadRunResult(const std::string& dir);

// The request of a run as the queue keeps it (RunRow::request), and back. Errors
// "service.input" for JSON that is not a run request.
std::string RequestJson(const RunRequest& request);
Result<RunRequest> ParseRequestJson(std::string_view text);

class Runs {
 public:
  static constexpr std::size_t kKeptFinished = 32;

  // `dir`: where run directories go (--data/runs). `suite_version` goes into every result.
  // Closes the runs this store's workers abandoned, then takes queued runs (on a shared store
  // once SetWorkerUrl has said where this instance listens).
  Runs(ServiceStore& store, std::string dir, std::string suite_version, RunsOptions options = {});
  // Stops taking runs, interrupts every run under way here and waits for each to write what it
  // finished.
  ~Runs();

  // Where the other instances reach this one's listener (http://HOST:PORT), to forward a
  // system's hub traffic to the run's hub here.
  void SetWorkerUrl(const std::string& url);

  // Queues `request` against `system` for `user_id`, and takes it at once when this instance has
  // a free slot: the run's row (status "running" then). With `audit`, its line is written with
  // the run, in one transaction (ServiceStore::CreateRun): no line, no run. Errors
  // "service.input" (an unknown plan or profile, a selection that selects nothing),
  // "service.busy" (the system has a run under way), "service.store".
  Result<RunRow> Start(const SystemRecord& system, const RunRequest& request, std::int64_t user_id,
                       const std::optional<AuditEntry>& audit = std::nullopt);
  // Asks the run to stop; it ends INCOMPLETE with what it finished (a queued run at once).
  // Whether it was under way.
  bool Cancel(std::int64_t run_id);
  // The progress lines of a run (under way or finished; on SQLite only those run by this
  // process since it started, the kKeptFinished latest), oldest first.
  std::vector<std::string> Progress(std::int64_t run_id);
  // The live feed of a run: run here (the kKeptFinished latest), or kept by a shared store;
  // nullptr otherwise.
  std::shared_ptr<const FeedSource> Feed(std::int64_t run_id);
  // An operator's answer to prompt `number` of a run under way: "done" or "cannot" (it cannot be
  // done in the system), by `by` (an e-mail); into the feed and the progress lines. Errors
  // "service.input" (no such prompt, an unknown answer, the run is over), "service.exists"
  // (already answered).
  Result<void> Answer(std::int64_t run_id, int number, const std::string& answer,
                      const std::string& by);
  // The run's result directory. On a shared store, a finished run's files are copied there from
  // the store first when this instance does not have them.
  std::string DirOf(std::int64_t run_id);

  // When a run of the system with hub id `hub_id` is under way here: its hub's answer to
  // `request` (`head_only`: Admit's, which may be nullopt). nullopt when no run of it is under
  // way here.
  std::optional<std::optional<wire::HttpResponse>> Route(const std::string& hub_id,
                                                         const wire::HttpRequest& request,
                                                         bool head_only);

  const std::string& worker() const { return options_.worker; }

 private:
  struct Active;
  void Execute(std::shared_ptr<Active> run, SystemRecord system, RunRequest request);
  // The queue's loop: claims runs while slots are free, renews leases, copies feeds, takes
  // answers, closes runs whose worker was lost.
  void Work();
  void Claim(Millis now);
  void Sync(const std::shared_ptr<Active>& run);  // feed out, answers in (shared store)
  // Applies an answer to a run under way here (with its checks).
  Result<void> ApplyAnswer(const std::shared_ptr<Active>& run, int number,
                           const std::string& answer, const std::string& by);
  std::shared_ptr<Active> Local(std::int64_t run_id);

  ServiceStore& store_;
  std::string dir_;
  std::string suite_version_;
  RunsOptions options_;
  std::mutex mu_;
  std::mutex claim_mu_;
  std::condition_variable wake_;  // a run was queued here, a slot freed, or the service stops
  std::string worker_url_;
  std::map<std::int64_t, std::shared_ptr<Active>> runs_;      // by run id (kept when done)
  std::map<std::string, std::shared_ptr<Active>> by_hub_id_;  // under way
  std::map<std::int64_t, std::thread> threads_;               // by run id, until joined
  std::vector<std::int64_t> done_;     // runs whose thread has ended, to join
  int busy_ = 0;                       // runs under way here
  std::atomic<bool> stopping_{false};  // the service stops: webhooks are not retried
  std::thread worker_thread_;
};

}  // namespace vxp::service

#endif  // VXP_SERVICE_RUNS_H_
