// What a scenario's run function works with: the SUT's configuration and deadlines, the hub and
// what the SUT did on it (Observer), the mock counter-parties (peers), the SUT control when there
// is one, and the outcome being recorded — findings, steps, packages sent, or a SKIP,
// INCONCLUSIVE or ERROR with its reason.
//
// Rules a run function follows: it only waits through WaitFor/Watch (which detect the harness
// itself stalling), records every package it sends (Send/Inject do), and reports a failure of its
// own machinery with Inconclusive or Error, never as a finding against the SUT.
//
// Not thread-safe: one scenario runs at a time, on the runner's thread. A scenario that ends with
// Linger keeps its Context while its quiet window passes and the next scenario runs; what the SUT
// says about a document then belongs to the scenario that made it (Statuses, JudgeSubmitted).
#ifndef VXP_HARNESS_CONTEXT_H_
#define VXP_HARNESS_CONTEXT_H_

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/finding.h"
#include "core/edxml/model.h"
#include "harness/config.h"
#include "harness/control.h"
#include "harness/hub_world.h"
#include "harness/observer.h"
#include "harness/profile.h"
#include "harness/scenario.h"
#include "results/result_model.h"

namespace vxp::harness {

// A package the harness sent, kept as evidence.
struct Artifact {
  std::string name;  // file name in the evidence, e.g. "01-bad-date.xml"
  std::string bytes;
};

// Where a package the harness submitted went: the submission's DocId and the delivery's DocId at
// the SUT's agency (what the SUT lists, fetches and acknowledges).
struct Delivered {
  std::int64_t submission = 0;
  std::int64_t delivery = 0;
  std::string message_type;
};

// Thrown by WaitFor and Watch when the run is interrupted (RunOptions::interrupted); the runner
// catches it and records the scenario as NOT RUN.
struct RunInterrupted {
  std::string why;
};
// Thrown by WaitFor when the operator answers that the system cannot do what it was asked
// (RunOptions::declined); the runner judges the scenario on it.
struct OperatorDeclined {
  std::string why;
};

// What the harness shares with every scenario of a run.
struct World {
  SutConfig sut;
  std::vector<std::string> peers;
  std::string peer_system;
  RunProfile profile;
  bool strict = false;
  HubWorld* hub = nullptr;  // everything scenarios may do to the hub and the peers
  Observer* observer = nullptr;
  SutControl* control = nullptr;  // nullptr: nothing can make the SUT act
  std::function<wire::Millis()> clock;
  std::string hub_url;  // where the SUT reaches the hub
  std::uint64_t seed = 1;
  int numbering = 0;                 // numbering of the documents the harness makes
  std::int64_t document_series = 0;  // RunOptions::document_series
  // Their DocumentIds, each with the number of the Context (scenario run) that made it.
  std::map<std::string, int> documents;
  int contexts = 0;  // Contexts made so far: the next one's number is contexts + 1
  // The numbers of the Contexts whose quiet window is open (Context::Linger): what the SUT says
  // about their documents is theirs, whichever scenario runs meanwhile.
  std::set<int> lingering;
  std::set<std::int64_t> judged;  // exchange numbers of the SUT's packages already judged
  std::function<void(const std::string&)> progress;  // the run's progress lines; may be empty
  std::function<std::string()> interrupted;          // RunOptions::interrupted; may be empty
  std::function<std::string()> declined;             // RunOptions::declined; may be empty
};

// Takes `count` numbers for documents the harness makes (world.numbering moves on by `count`);
// the first of them. series × 10^6 + n when the run has a document series (RunOptions), else
// (seed mod 900 + 100) × `legacy_scale` + n.
std::int64_t TakeDocumentNumbers(World& world, int count, std::int64_t legacy_scale);

class Context {
 public:
  Context(World& world, const Scenario& scenario);

  // ---- Who and how long.
  const std::string& sut_agency() const { return world_.sut.agencies.front(); }
  const std::string& peer(size_t i = 0) const { return world_.peers.at(i); }
  const Deadlines& deadlines() const { return world_.profile.deadlines; }
  wire::Millis Now() const { return world_.clock(); }
  World& world() { return world_; }
  Observer& observer() { return *world_.observer; }
  HubWorld& hub() { return *world_.hub; }
  SutControl* control() { return world_.control; }
  // How long to wait for something the SUT was told to do: `d`, or the profile's operator
  // deadline when a person carries the instruction out.
  std::chrono::milliseconds ForAction(std::chrono::milliseconds d) const {
    bool person = world_.control != nullptr && world_.control->kind() == "operator";
    return person ? std::max(d, world_.profile.deadlines.operator_) : d;
  }

  // ---- Packages.
  // A new, valid document from peer(0) to `to` (default: the SUT's agency) with a fresh
  // DocumentId and number from the run's seed, today's date, and a PDF signed with the test
  // PKI's agency-g22 credential.
  edxml::Package NewDocument(std::vector<std::string> to = {});
  // A signed test PDF (agency-g22, signed at the test PKI's pinned time).
  std::string SignedPdf(std::string_view line);
  // The package's bytes; an error makes the scenario ERROR and returns "".
  std::string Bytes(const edxml::Package& package);
  // A status from `from` (a peer) about a document the SUT sent or received.
  edxml::Package Status(std::string_view code, std::string_view from, std::string_view to,
                        std::string_view document_id, std::string_view notation,
                        std::string_view description);

  // ---- Stimuli. Each records the package as evidence under `name`; on a hub refusal the
  // scenario is INCONCLUSIVE (the harness could not do its part) and nullopt comes back.
  std::optional<Delivered> Send(std::string name, const std::string& bytes,
                                std::string_view message_type = "edoc", std::string_view from = "");
  // Stores a package past the hub's own checks (as if another hub had relayed it), for packages
  // the simulator's sendEdoc would refuse. The step says so.
  // `relayed_as`, when given, says the bytes are shaped as the live hub delivers them (the
  // step names the shape instead).
  std::optional<Delivered> Inject(std::string name, const std::string& bytes, std::string from,
                                  std::string_view relayed_as = "");
  // The SUT's delivery as the hub has it now (status pending/done/fail, fetch count).
  std::optional<hub::Delivery> Delivery(const Delivered& d);

  // ---- Observation.
  // Statuses the SUT submitted since the scenario started (accepted by the hub or not), about
  // `document_id` (ResponseFor/DocumentId); all of them when document_id is "".
  std::vector<SutStatus> Statuses(std::string_view document_id = "") const;
  // Codes of the statuses about `document_id` the hub accepted and that go to `to`.
  std::vector<std::string> Codes(std::string_view document_id, std::string_view to) const;
  // Documents the SUT submitted since the scenario started.
  std::vector<SutPackage> SutDocuments() const;
  std::vector<Exchange> Exchanges() const;

  // Waits until `done()` or `budget` has passed (checking after every hub event and at least
  // every 20 ms). True when done. When it gives up and the harness itself was stalled for a good
  // part of the wait, the scenario becomes INCONCLUSIVE: it cannot tell whether the SUT was late.
  // A wait that lasts more than 2 s says what it waits for and how long it may take, as a
  // progress line (then every 30 s). WaitFor and Watch throw RunInterrupted when the run is
  // interrupted.
  bool WaitFor(std::string_view what, std::chrono::milliseconds budget,
               const std::function<bool()>& done);
  // Lets `window` pass while the SUT works (to see what must not happen).
  void Watch(std::chrono::milliseconds window);
  // The last thing a run function may do instead of Watch(window) followed by `judge`: its own
  // part is done, what is left is to let the quiet window pass and then judge what the SUT did
  // in it. The runner may start the next scenario meanwhile (not one that runs alone, RunsAlone),
  // so the window lasts at least `window`, until that scenario ends. `judge` therefore looks only
  // at this scenario's own documents and deliveries (Statuses(id), Codes, Delivery), never at
  // what is scoped by time alone (Statuses(), Exchanges(), SutDocuments()).
  void Linger(std::chrono::milliseconds window, std::function<void(Context&)> judge);

  // Judges every package the SUT submitted since the scenario started and not judged yet
  // (documents and statuses, whether the hub took them or not) with the schema and the edXML
  // rules in the run profile's mode, and records each FAIL or WARN finding under its own rule ID
  // (EDXML-…, AGENCY-…), saying which exchange carried the package. The runner calls it after
  // every scenario, so a broken package fails the scenario in which it was sent. Returns how
  // many packages it judged now.
  int JudgeSubmitted();

  // ---- The outcome.
  void Step(std::string text);  // what was done or seen, in order, for the evidence
  // A failed requirement: level from the scenario (SHOULD → WARN, or FAIL with --strict).
  void Fail(std::string requirement, std::string message, std::string expected = "",
            std::string actual = "", std::string location = "");
  // The SUT missed the named deadline: a FAIL whose message names it and its value.
  void MissedDeadline(std::string requirement, std::string_view deadline,
                      std::chrono::milliseconds value, std::string expected, std::string actual);
  // Findings of the core's judges (EDXML-*, DSIG-*, AGENCY-*, LIFE-*), kept as they are, except
  // that --strict turns WARN into FAIL. PASS-level notes are dropped.
  void AddFindings(const std::vector<Finding>& findings, std::string_view where);
  // Evidence beyond packages: a file written to the scenario's evidence directory (a load run's
  // documents.csv), a chart for the report, and a load run's figures (result.json "load").
  void Attach(std::string name, std::string bytes);
  void AddChart(results::Chart chart);
  void SetLoad(boost::json::object figures) { load_ = std::move(figures); }
  // Why the run is being interrupted, "" when it is not (for loops of a scenario's own, such as
  // a load generator's, that must stop early).
  std::string Interrupted() const;
  // A progress line for a long step (a load run), printed as the run's progress.
  void Progress(const std::string& line) const;
  void Skip(std::string reason);
  // When `error` is the system's own refusal (driver.refused, docs/driver-api.md): records what
  // was asked and why the system refused in the steps, makes the scenario SKIP saying the
  // requirement went untested, and returns true. Any other error: false, nothing recorded.
  bool RefusedBySystem(const vxp::Error& error, std::string_view asked);
  void Inconclusive(std::string reason);
  void Error(std::string reason);

  // ---- Read by the runner.
  const std::vector<Finding>& findings() const { return findings_; }
  const std::vector<std::string>& steps() const { return steps_; }
  const std::vector<Artifact>& artifacts() const { return artifacts_; }
  const std::vector<Artifact>& files() const { return files_; }
  const std::vector<results::Chart>& charts() const { return charts_; }
  const std::optional<boost::json::object>& load() const { return load_; }
  std::optional<std::pair<Verdict, std::string>> override_verdict() const { return override_; }
  std::int64_t first_seq() const { return first_seq_; }
  // The quiet window Linger asked for; zero when the scenario did not linger.
  std::chrono::milliseconds linger_window() const { return linger_window_; }
  // While the window is open the runner may start the next scenario: it calls ShareFrom with that
  // scenario's first exchange number. From there on, what the SUT says about other documents is
  // not this scenario's, and what it says about this scenario's documents is not the other's.
  void ShareFrom(std::int64_t seq);
  // Once the window has passed (and the scenario that ran meanwhile ended), the runner closes it:
  // that calls the judge Linger was given.
  void CloseWindow();
  // The exchange number ShareFrom was given; 0 when no other scenario ran in the window.
  std::int64_t shared_from() const { return shared_from_; }
  // The SUT's exchanges from shared_from on that concern this scenario: its statuses about the
  // scenario's documents and its fetches and acknowledgements of the scenario's deliveries.
  std::vector<std::int64_t> LateExchanges() const;

 private:
  // Whether what the SUT sent as exchange `seq` about `document_id` ("" when it names none) is
  // this scenario's: its own documents always; another scenario's while that one's window is
  // open, never; anything else until another scenario shares the hub with it (ShareFrom).
  bool Mine(std::int64_t seq, std::string_view document_id) const;

  World& world_;
  const Scenario& scenario_;
  std::int64_t first_seq_;
  std::vector<Finding> findings_;
  std::vector<std::string> steps_;
  std::vector<Artifact> artifacts_;
  std::vector<Artifact> files_;
  std::vector<results::Chart> charts_;
  std::optional<boost::json::object> load_;
  std::optional<std::pair<Verdict, std::string>> override_;
  int number_;                        // World::contexts when it was made
  std::set<std::string> deliveries_;  // the SUT's DocIds (decimal) that Send and Inject delivered
  std::chrono::milliseconds linger_window_{0};
  std::function<void(Context&)> judge_;  // Linger's
  std::int64_t shared_from_ = 0;
};

}  // namespace vxp::harness

#endif  // VXP_HARNESS_CONTEXT_H_
