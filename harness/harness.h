// The runner: a run of the conformance catalogue against one system under test.
//
// Start() brings up what the SUT connects to — an in-process hub (the hub's real HTTP API on
// sut.hub_listen) with the SUT's system and agencies registered, and the mock counter-parties
// (peers, reference agencies in a system of the harness's own). Run() then
//   1. connects the SUT control: its test-driver API when configured, else operator prompts when
//      interactive, else none (scenarios that need one are SKIP, saying why);
//   2. runs the sanity scenario (TRANSPORT-AUTH): if the SUT does not poll with valid
//      credentials, the run stops there with a diagnosis (exit 2) instead of failing everything;
//   3. runs the selected scenarios in catalogue order, printing progress;
//   4. runs the sanity check again: a SUT that stopped answering makes the run INCONCLUSIVE;
//   5. applies the expected-failures list and computes the exit code.
//
// Thread rules: Start and Run on one thread; the hub and the peers run on their own threads
// until the Harness is destroyed.
#ifndef VXP_HARNESS_HARNESS_H_
#define VXP_HARNESS_HARNESS_H_

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/finding.h"
#include "harness/config.h"
#include "harness/context.h"
#include "harness/observer.h"
#include "harness/profile.h"
#include "harness/scenario.h"
#include "results/result_model.h"

namespace vxp::http {
class Server;
}
namespace vxp::mock {
class AgencyService;
}

namespace vxp::harness {

struct ScenarioResult {
  Scenario scenario;  // metadata (run function included, unused after the run)
  Verdict verdict = Verdict::kPass;
  std::string reason;  // why SKIP, INCONCLUSIVE or ERROR; a one-line summary otherwise
  std::vector<Finding> findings;
  std::vector<std::string> steps;
  std::vector<Artifact> artifacts;
  std::vector<Artifact> files;  // other evidence files (Context::Attach)
  std::vector<results::Chart> charts;
  std::optional<boost::json::object> load;  // a load scenario's figures
  std::int64_t first_seq = 0, end_seq = 0;  // the SUT's exchanges during the scenario
  // When its quiet window overlapped the next scenario (Context::Linger): the SUT's exchanges
  // from end_seq on that concern it (statuses about its documents, fetches and acknowledgements
  // of its deliveries), which are its evidence and not the other scenario's.
  std::vector<std::int64_t> late_seqs;
  wire::Millis started = 0, finished = 0;
  bool expected_failure = false;  // listed, and it failed: does not fail the run
  bool unexpected_pass = false;   // listed, and it passed: fails the run
  std::string expected_reason;
  std::string replay;  // a command that runs this scenario alone
};

struct RunResult {
  SutConfig sut;  // the secret is never written out (result.cc redacts it)
  RunProfile profile;
  RunOptions options;
  std::string control;  // "driver", "operator" or "none"
  std::string hub_url;
  std::vector<std::string> peers;
  wire::Millis started = 0, finished = 0;
  std::vector<ScenarioResult> scenarios;
  std::optional<std::string> aborted;      // why the sanity check stopped the run early
  std::optional<std::string> interrupted;  // why the run was interrupted (RunOptions)
  std::optional<ScenarioResult> final_sanity;
  std::vector<Exchange> exchanges;  // every exchange of the SUT, for the evidence
  std::string error;                // a harness or configuration error before any scenario
  Verdict verdict = Verdict::kPass;
  int exit_code = 0;
  std::map<Verdict, int> counts;
};

// 0 every required scenario passed (expected failures aside), 1 a failure (or an expected
// failure that passed), 2 a harness or configuration error or a run stopped by the sanity check,
// 3 inconclusive, 4 interrupted (INCOMPLETE, whatever the finished scenarios say). Also sets
// result.verdict and result.counts.
int ComputeExitCode(RunResult& result);

class Harness {
 public:
  // Errors: "config.*" (bad agencies, unknown profile), "http.listen" (the port is taken),
  // "store.*", "agency.*".
  static Result<std::unique_ptr<Harness>> Start(SutConfig sut, RunOptions options,
                                                std::vector<Scenario> catalogue);
  ~Harness();

  // The hub's base URL, e.g. http://127.0.0.1:8650 (operations under /XrdAdapter/adapter/);
  // "in-process" when RunOptions::in_process.
  std::string hub_url() const;
  // Makes connections to the hub's API (/XrdAdapter/adapter): HTTP, or in process; each call
  // gives up after `timeout`.
  http::TransportFactory HubTransport(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(30'000)) const;
  bool in_process() const { return options_.in_process; }
  // The run's hub, for an adapter that serves it itself (the conformance service routes a
  // system's hub address to it while the system's run is under way, RunOptions::in_process).
  hub::Hub& hub() { return *hub_; }
  // Replaces the SUT's driver URL before Run (the demo learns it after Start).
  void set_driver_url(std::string url) { sut_.driver_url = std::move(url); }
  // Or reaches the SUT's driver over `transport` (in process); Run connects it.
  void set_driver(http::TransportFactory transport) { driver_ = std::move(transport); }
  // What Run would run, in order, each with the reason it would be skipped ("" = it runs).
  std::vector<std::pair<const Scenario*, std::string>> Plan() const;
  RunResult Run();

 private:
  Harness() = default;
  // Serves the hub over HTTP on sut.hub_listen (nothing when in process).
  Result<void> Listen();
  std::string SkipReason(const Scenario& s) const;
  // A scenario whose run function has returned, kept while its quiet window is open.
  struct Running {
    const Scenario* scenario = nullptr;  // in catalogue_
    std::unique_ptr<Context> ctx;
    ScenarioResult result;  // what is known so far: the scenario, started, first_seq
    std::optional<std::string> interrupted;
    std::chrono::steady_clock::time_point window_ends;
    size_t slot = 0;  // its place in the plan
  };
  // Runs the scenario's run function; the scenarios whose window is `open` share the hub with it
  // from its first exchange on (Context::ShareFrom).
  Running Begin(const Scenario& s, std::deque<Running>& open);
  // Lets the rest of its quiet window pass (when it lingers), judges it and draws the verdict.
  ScenarioResult Conclude(Running& running);
  ScenarioResult RunOne(const Scenario& s);
  std::string Interrupted() const;              // RunOptions::interrupted's answer, "" when none
  std::string Replay(const Scenario& s) const;  // the command that runs `s` alone
  void Progress(const std::string& line) const;

  SutConfig sut_;
  RunOptions options_;
  RunProfile profile_;
  std::vector<Scenario> catalogue_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<Observer> observer_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<clients::HubClient> peer_client_;
  std::vector<std::unique_ptr<mock::AgencyService>> peers_;
  std::unique_ptr<HubWorld> hub_world_;
  http::TransportFactory driver_;
  std::unique_ptr<SutControl> control_;
  World world_;
};

}  // namespace vxp::harness

#endif  // VXP_HARNESS_HARNESS_H_
