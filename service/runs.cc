#include "service/runs.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "conformance/common.h"
#include "conformance/run.h"
#include "core/wire/wire.h"
#include "harness/run_record.h"
#include "reports/result_dir.h"
#include "results/json.h"
#include "service/credentials.h"
#include "service/webhook.h"

namespace vxp::service {

struct Runs::Active {
  std::int64_t id = 0;
  std::string hub_id;
  std::atomic<bool> started{false};  // claimed here and executing
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
  // What the store has of it: feed events up to this number; answers applied (by number).
  std::mutex sync_mu;
  std::uint64_t stored = 0;
  std::set<int> applied;
};

namespace {

// A run's feed as a shared store keeps it, for an instance other than its worker's: read from
// the store at most every kPoll while nothing comes. A run that finished without an end event
// (cancelled while queued, or its worker lost) ends with its row's verdict once it has been
// finished for kGrace (its worker may still be copying the end).
class StoredFeed : public FeedSource {
 public:
  static constexpr Millis kPoll = 300;
  static constexpr Millis kGrace = 3000;

  StoredFeed(ServiceStore& store, std::int64_t run_id) : store_(store), run_id_(run_id) {}

  FeedPage Since(std::uint64_t after, std::size_t max) const override {
    std::lock_guard lock(mu_);
    FeedPage page;
    const Millis now = SystemMillis();
    if (now - last_poll_ < kPoll) return page;
    last_poll_ = now;
    auto events = store_.RunEvents(run_id_, after, max);
    if (!events) return page;  // the store failed: the stream waits and asks again
    for (StoredEvent& e : *events) {
      page.ended = e.type == "end";
      page.events.push_back({e.id, std::move(e.type), std::move(e.data)});
    }
    if (!page.events.empty()) {
      last_poll_ = 0;  // more may be waiting
      return page;
    }
    auto run = store_.GetRun(run_id_);
    if (run && *run && !UnderWay(**run) && now - (*run)->finished >= kGrace) {
      boost::json::object end{{"verdict", (*run)->verdict},
                              {"exit_code", (*run)->exit_code},
                              {"summary", (*run)->summary},
                              {"traffic_not_shown", 0}};
      page.events.push_back({after + 1, "end", boost::json::serialize(end)});
      page.ended = true;
    }
    return page;
  }

 private:
  ServiceStore& store_;
  std::int64_t run_id_;
  mutable std::mutex mu_;
  mutable Millis last_poll_ = 0;
};

// An operator's answer as a progress line.
std::string AnswerLine(const std::string& by, std::int64_t number, const std::string& answer) {
  return "operator " + by + ": action " + std::to_string(number) +
         (answer == "done" ? " done" : " cannot be done in the system") +
         " (the harness judges by what reaches the hub)";
}

// The "number" of a prompt or answer event; -1 when it has none.
std::int64_t NumberOf(const StoredEvent& e) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(e.data, ec);
  const auto* n = !ec && v.is_object() ? v.as_object().if_contains("number") : nullptr;
  return n != nullptr && n->is_int64() ? n->as_int64() : -1;
}

std::string ProgressLine(const StoredEvent& e) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(e.data, ec);
  if (ec || !v.is_object()) return "";
  const auto& o = v.as_object();
  auto text = [&](const char* key) {
    const auto* f = o.if_contains(key);
    return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  if (e.type == "progress") return text("line");
  if (e.type == "answer") return AnswerLine(text("by"), NumberOf(e), text("answer"));
  return "";
}

constexpr std::string_view kNotStoppedGracefully =
    "the service stopped before this run finished (it was not stopped gracefully)";
constexpr std::string_view kLostWorker =
    "the instance running it stopped answering (its lease ran out): the run was lost";

std::string WorkerName() {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  auto token = NewToken("");
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" +
         (token ? TokenDigest(*token).substr(0, 6) : "0");
}

}  // namespace

std::string RequestJson(const RunRequest& request) {
  boost::json::array only;
  for (const std::string& o : request.only) only.emplace_back(o);
  return boost::json::serialize(boost::json::object{{"plan", request.plan},
                                                    {"profile", request.profile},
                                                    {"only", std::move(only)},
                                                    {"prompts", request.prompts},
                                                    {"base_url", request.base_url}});
}

Result<RunRequest> ParseRequestJson(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return MakeError("service.input", "a run request that is not JSON");
  const auto& o = v.as_object();
  RunRequest r;
  auto text_of = [&](const char* key, std::string& out) {
    if (const auto* f = o.if_contains(key); f != nullptr && f->is_string()) {
      out = std::string(f->as_string());
    }
  };
  text_of("plan", r.plan);
  text_of("profile", r.profile);
  text_of("base_url", r.base_url);
  if (const auto* f = o.if_contains("prompts"); f != nullptr && f->is_bool()) {
    r.prompts = f->as_bool();
  }
  if (const auto* f = o.if_contains("only"); f != nullptr && f->is_array()) {
    for (const auto& item : f->as_array()) {
      if (item.is_string()) r.only.emplace_back(item.as_string());
    }
  }
  return r;
}

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
          {"finished_ms", run.finished},
          {"worker", run.worker}};
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

Runs::Runs(ServiceStore& store, std::string dir, std::string suite_version, RunsOptions options)
    : store_(store),
      dir_(std::move(dir)),
      suite_version_(std::move(suite_version)),
      options_(std::move(options)) {
  if (options_.worker.empty()) options_.worker = WorkerName();
  if (options_.lease < std::chrono::milliseconds(600)) options_.lease = std::chrono::seconds(1);
  // One process's store: every run it left running was abandoned. A shared store: those whose
  // lease ran out (Work closes them as they do).
  (void)store_.CloseAbandonedRuns(store_.Shared() ? kLostWorker : kNotStoppedGracefully,
                                  SystemMillis());
  worker_thread_ = std::thread([this] { Work(); });
}

Runs::~Runs() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_thread_.join();
  std::map<std::int64_t, std::thread> threads;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, run] : runs_) run->cancel = true;
    threads.swap(threads_);
  }
  for (auto& [id, t] : threads) t.join();  // without the lock: a run's thread ends taking it
}

void Runs::SetWorkerUrl(const std::string& url) {
  {
    std::lock_guard lock(mu_);
    worker_url_ = url;
  }
  wake_.notify_all();
}

std::string Runs::DirOf(std::int64_t run_id) {
  std::string dir = dir_ + "/" + std::to_string(run_id);
  std::error_code ec;
  if (!store_.Shared() || std::filesystem::exists(dir, ec)) return dir;
  // Run by another instance: its files, as the store keeps them, into a directory of this one
  // (written aside, then renamed, so that a reader never sees half of them).
  auto files = store_.RunFiles(run_id);
  if (!files || files->empty()) return dir;
  auto token = NewToken("");
  const std::filesystem::path aside =
      dir + ".part-" + (token ? TokenDigest(*token).substr(0, 8) : std::string("0"));
  for (const RunFile& f : *files) {
    std::filesystem::path path = aside / f.path;
    std::filesystem::path rel = std::filesystem::path(f.path).lexically_normal();
    if (rel.is_absolute() || rel.empty() || *rel.begin() == "..") continue;  // not under it
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary);
    out.write(f.bytes.data(), static_cast<std::streamsize>(f.bytes.size()));
  }
  std::filesystem::rename(aside, dir, ec);
  if (ec) std::filesystem::remove_all(aside, ec);  // another request wrote it first
  return dir;
}

Result<RunRow> Runs::Start(const SystemRecord& system, const RunRequest& request,
                           std::int64_t user_id, const std::optional<AuditEntry>& audit) {
  RunRequest r = request;
  if (r.plan == "certification") {
    r.profile = options_.certification_profile;
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
  RunRow row;
  row.system_id = system.id;
  row.organisation_id = system.organisation_id;
  row.started_by = user_id;
  row.plan = r.plan;
  row.profile = r.profile;
  row.started = SystemMillis();
  row.request = RequestJson(r);
  auto made = store_.CreateRun(row, audit);
  if (!made) {
    if (made.error().code == "service.busy") {
      return MakeError("service.busy",
                       "'" + system.name + "' has a run under way: wait for it, or cancel it");
    }
    return tl::unexpected(made.error());
  }
  // Taken here at once when this instance has a free slot (on a shared store the oldest queued
  // run is taken, which may be another).
  Claim(SystemMillis());
  auto now = store_.GetRun(made->id);
  return now && *now ? **now : *made;
}

void Runs::Work() {
  Millis next_renewal = 0;
  const Millis lease = options_.lease.count();
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const Millis now = SystemMillis();
    if (now >= next_renewal) {
      next_renewal = now + lease / 6;
      // The runs under way here before the renewal (one taken during it is not in its answer).
      std::vector<std::shared_ptr<Active>> before;
      {
        std::lock_guard g(mu_);
        for (auto& [id, run] : runs_) {
          if (run->started && !run->done) before.push_back(run);
        }
      }
      auto held = store_.RenewLeases(options_.worker, now + lease);
      if (held) {
        std::set<std::int64_t> kept;
        for (const auto& h : *held) {
          kept.insert(h.run_id);
          if (h.cancel) {
            if (auto run = Local(h.run_id)) run->cancel = true;
          }
        }
        // A run of ours the store no longer has running was closed by another instance (our
        // lease ran out while we were cut off): it stops here too, its verdict stands.
        for (const auto& run : before) {
          if (!run->done && kept.count(run->id) == 0) run->cancel = true;
        }
      }
      if (store_.Shared()) {
        (void)store_.CloseAbandonedRuns(kLostWorker, now);
      }
    }
    std::vector<std::shared_ptr<Active>> mine;
    {
      std::lock_guard g(mu_);
      for (auto& [id, run] : runs_) {
        if (run->started && !run->done) mine.push_back(run);
      }
    }
    for (const auto& run : mine) Sync(run);
    Claim(now);
    lock.lock();
    if (stopping_) break;
    wake_.wait_for(lock, std::chrono::milliseconds(250));
  }
}

void Runs::Claim(Millis now) {
  std::lock_guard claiming(claim_mu_);  // Start and Work: the free slots are counted once
  for (;;) {
    std::string url;
    {
      std::lock_guard lock(mu_);
      if (stopping_ || busy_ >= options_.slots) return;
      url = worker_url_;
    }
    // On a shared store a run is taken only once the others can reach its hub here.
    if (store_.Shared() && url.empty()) return;
    auto claimed = store_.ClaimRun(options_.worker, url, now, now + options_.lease.count());
    if (!claimed || !*claimed) return;
    const RunRow& row = **claimed;
    auto system = store_.GetSystem(row.system_id);
    auto request = ParseRequestJson(row.request);
    if (!system || !*system || !request) {
      (void)store_.FinishRun(
          row.id, "ERROR", 2,
          "the run could not start: " + (!system    ? system.error().message
                                         : !request ? request.error().message
                                                    : std::string("its system is gone")),
          SystemMillis());
      continue;
    }
    auto active = std::make_shared<Active>();
    active->id = row.id;
    active->hub_id = (*system)->hub_id;
    active->started = true;
    std::lock_guard lock(mu_);
    ++busy_;
    runs_[row.id] = active;
    by_hub_id_[active->hub_id] = active;
    // The threads of runs that have ended are joined here, so that a long-lived service does
    // not keep one per run it ever ran.
    for (std::int64_t id : done_) {
      if (auto it = threads_.find(id); it != threads_.end()) {
        it->second.join();
        threads_.erase(it);
      }
    }
    done_.clear();
    threads_.emplace(row.id, std::thread([this, active, sys = **system, req = *request] {
                       Execute(active, sys, req);
                     }));
  }
}

void Runs::Sync(const std::shared_ptr<Active>& run) {
  std::lock_guard lock(run->sync_mu);
  // Out: the feed's new events (every store keeps them: a run's feed outlives the process).
  for (;;) {
    FeedPage page = run->feed->Since(run->stored, 2000);
    if (page.events.empty()) break;
    std::vector<StoredEvent> events;
    for (const FeedEvent& e : page.events) events.push_back({e.id, e.type, e.data});
    if (!store_.AppendRunEvents(run->id, events)) break;  // again on the next round
    run->stored = page.events.back().id;
  }
  if (!store_.Shared() || run->done) return;
  // In: answers given through any instance.
  auto answers = store_.Answers(run->id, 0);
  if (!answers) return;
  for (const auto& a : *answers) {
    if (!run->applied.insert(a.number).second) continue;
    (void)ApplyAnswer(run, a.number, a.answer, a.by);
  }
}

std::shared_ptr<Runs::Active> Runs::Local(std::int64_t run_id) {
  std::lock_guard lock(mu_);
  auto it = runs_.find(run_id);
  return it == runs_.end() ? nullptr : it->second;
}

bool Runs::Cancel(std::int64_t run_id) {
  bool here = false;
  if (auto run = Local(run_id); run != nullptr && !run->done) {
    run->cancel = true;
    here = true;
  }
  // Queued: finished at once. Running elsewhere: its worker learns of it at its next renewal.
  auto told = store_.CancelRun(run_id, "cancelled before it started", SystemMillis());
  return here || (told && *told);
}

std::shared_ptr<const FeedSource> Runs::Feed(std::int64_t run_id) {
  if (auto run = Local(run_id)) return run->feed;
  auto row = store_.GetRun(run_id);
  if (!row || !*row) return nullptr;
  return std::make_shared<StoredFeed>(store_, run_id);
}

Result<void> Runs::Answer(std::int64_t run_id, int number, const std::string& answer,
                          const std::string& by) {
  if (answer != "done" && answer != "cannot") {
    return MakeError("service.input", "answer: '" + answer + "' is not done or cannot");
  }
  std::shared_ptr<Active> run = Local(run_id);
  if (!store_.Shared()) {
    if (run == nullptr) {
      return MakeError("service.input", "the run is over: its prompts can no longer be answered");
    }
    return ApplyAnswer(run, number, answer, by);
  }
  // A shared store: the answer is recorded there first (one answer per prompt, whichever
  // instance takes it), then applied by the run's worker.
  auto row = store_.GetRun(run_id);
  if (!row) return tl::unexpected(row.error());
  if (!*row || (*row)->status != "running") {
    return MakeError("service.input", "the run is over: its prompts can no longer be answered");
  }
  bool given = false;
  if (run != nullptr) {
    std::lock_guard lock(run->progress_mu);
    given = number >= 1 && number <= run->prompts;
  } else {
    for (std::uint64_t after = 0; !given;) {
      auto events = store_.RunEvents(run_id, after, 2000);
      if (!events || events->empty()) break;
      for (const StoredEvent& e : *events) {
        if (e.type == "prompt" && NumberOf(e) == number) given = true;
      }
      after = events->back().id;
    }
  }
  if (!given)
    return MakeError("service.input", "prompt " + std::to_string(number) + " was not given");
  if (auto kept = store_.AddAnswer(run_id, number, answer, by, SystemMillis()); !kept) {
    if (kept.error().code == "service.exists") {
      return MakeError("service.exists",
                       "prompt " + std::to_string(number) + " was already answered");
    }
    return kept;
  }
  if (run != nullptr) {
    {
      std::lock_guard lock(run->sync_mu);
      run->applied.insert(number);
    }
    return ApplyAnswer(run, number, answer, by);
  }
  return {};
}

Result<void> Runs::ApplyAnswer(const std::shared_ptr<Active>& run, int number,
                               const std::string& answer, const std::string& by) {
  if (run->done) {
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
    if (run->progress.size() < 10000) run->progress.push_back(AnswerLine(by, number, answer));
  }
  run->feed->Publish("answer",
                     {{"number", number}, {"answer", answer}, {"by", by}, {"at", SystemMillis()}});
  return {};
}

std::vector<std::string> Runs::Progress(std::int64_t run_id) {
  if (std::shared_ptr<Active> run = Local(run_id)) {
    std::lock_guard lock(run->progress_mu);
    return run->progress;
  }
  // Run elsewhere, or before this process: its lines as the store keeps its feed.
  std::vector<std::string> lines;
  for (std::uint64_t after = 0; lines.size() < 10000;) {
    auto events = store_.RunEvents(run_id, after, 2000);
    if (!events || events->empty()) break;
    for (const StoredEvent& e : *events) {
      if (std::string line = ProgressLine(e); !line.empty()) lines.push_back(std::move(line));
    }
    after = events->back().id;
  }
  return lines;
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
  if (run->cancel) {  // cancelled between its claim and its start
    options.interrupted = [] { return std::string("cancelled before it started"); };
  }
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
    if (written && store_.Shared()) {  // every instance serves the files
      std::vector<RunFile> files;
      std::error_code ec;
      for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        std::ifstream in(it->path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        files.push_back(
            {std::filesystem::relative(it->path(), dir, ec).generic_string(), bytes.str()});
      }
      if (auto kept = store_.PutRunFiles(run->id, files); !kept) {
        verdict = "ERROR";
        exit_code = 2;
        summary = "the result could not be kept in the database: " + kept.error().message;
      }
    }
  }
  (void)store_.FinishRun(run->id, verdict, exit_code, summary, SystemMillis());
  if (auto row = store_.GetRun(run->id); row && *row && (*row)->verdict != verdict) {
    // Closed before it finished here (cancelled, or its lease ran out): that close stands.
    verdict = (*row)->verdict;
    exit_code = (*row)->exit_code;
    summary = (*row)->summary;
  }
  say("verdict " + verdict + " (exit " + std::to_string(exit_code) + ")");
  run->done = true;
  run->feed->End({{"verdict", verdict}, {"exit_code", exit_code}, {"summary", summary}});
  Sync(run);  // the rest of its feed, its end included, into the store
  {
    // The system is free for its next run at once (a webhook may take a while), and this
    // instance for another.
    std::lock_guard lock(mu_);
    if (auto it = by_hub_id_.find(run->hub_id); it != by_hub_id_.end() && it->second == run) {
      by_hub_id_.erase(it);
    }
    --busy_;
  }
  wake_.notify_all();
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
