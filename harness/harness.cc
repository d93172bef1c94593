#include "harness/harness.h"

#include <charconv>
#include <chrono>
#include <deque>
#include <iostream>
#include <random>
#include <thread>

#include "clients/http_client.h"
#include "simulator/agency/driver.h"
#include "simulator/http/server.h"
#include "simulator/hub/directory.h"
#include "simulator/hub/settings.h"

namespace vxp::harness {
namespace {

constexpr const char* kPeerSystem = "vxpkit-peers";

wire::Millis SystemNow() { return SystemMillis(); }

constexpr std::string_view kAdapterPath = "/XrdAdapter/adapter";

std::string RandomSecret() {
  std::random_device rd;
  static const char kHex[] = "0123456789abcdef";
  std::string s = "peers-";
  for (int i = 0; i < 32; ++i) s += kHex[rd() % 16];
  return s;
}

bool Fails(Verdict v) { return v == Verdict::kFail || v == Verdict::kWarn; }

// "[ 5/44] ": the progress line's head for the `index`th of `total` scenarios.
std::string Header(size_t index, size_t total) {
  char head[32];
  std::snprintf(head, sizeof head, "[%2zu/%zu] ", index, total);
  return head;
}

}  // namespace

int ComputeExitCode(RunResult& r) {
  r.counts.clear();
  bool error = false, fail = false, inconclusive = false;
  for (const ScenarioResult& s : r.scenarios) {
    ++r.counts[s.verdict];
    if (s.verdict == Verdict::kError) error = true;
    if (s.verdict == Verdict::kFail && !s.expected_failure) fail = true;
    if (s.unexpected_pass) fail = true;
    if (s.verdict == Verdict::kInconclusive) inconclusive = true;
  }
  if (r.final_sanity && r.final_sanity->verdict != Verdict::kPass) inconclusive = true;
  // A run that could not start or stopped at the sanity check judged nothing; an interrupted one
  // judged only part of what was asked, whatever the finished scenarios say.
  if (!r.error.empty() || r.aborted) {
    r.verdict = Verdict::kError;
    r.exit_code = 2;
  } else if (r.interrupted) {
    r.verdict = Verdict::kIncomplete;
    r.exit_code = 4;
  } else if (error) {
    r.verdict = Verdict::kError;
    r.exit_code = 2;
  } else if (fail) {
    r.verdict = Verdict::kFail;
    r.exit_code = 1;
  } else if (inconclusive) {
    r.verdict = Verdict::kInconclusive;
    r.exit_code = 3;
  } else {
    r.verdict = Verdict::kPass;
    r.exit_code = 0;
  }
  return r.exit_code;
}

Result<std::unique_ptr<Harness>> Harness::Start(SutConfig sut, RunOptions options,
                                                std::vector<Scenario> catalogue) {
  auto profile = FindRunProfile(options.profile);
  if (!profile) return tl::unexpected(profile.error());
  if (sut.agencies.empty()) return MakeError("config.sut", "the SUT has no agency");
  auto h = std::unique_ptr<Harness>(new Harness());
  h->sut_ = std::move(sut);
  h->options_ = std::move(options);
  h->profile_ = *profile;
  for (load::Shape* shape :
       {&h->profile_.load.steady, &h->profile_.load.burst, &h->profile_.load.soak}) {
    for (load::Phase& p : shape->phases) {
      p.rate *= options.load_rate_scale;
      if (p.rate_end >= 0) p.rate_end *= options.load_rate_scale;
    }
  }
  h->catalogue_ = std::move(catalogue);

  auto store = hub::OpenSqliteStore(":memory:", options.first_doc_id);
  if (!store) return tl::unexpected(store.error());
  hub::HubConfig hub_config;
  // The SUT file's zone, and UTC+7 for the harness's own peers; else UTC+7 or the host's zone.
  hub_config.utc_offsets_minutes = hub::DefaultTimestampZones();
  if (h->sut_.utc_offset_minutes) {
    hub_config.utc_offsets_minutes = {*h->sut_.utc_offset_minutes};
    if (*h->sut_.utc_offset_minutes != 420) hub_config.utc_offsets_minutes.push_back(420);
  }
  h->hub_ = std::make_unique<hub::Hub>(std::move(*store), hub_config, SystemNow);
  if (auto r = h->hub_->SeedDirectory(hub::DefaultDirectory()); !r) {
    return tl::unexpected(r.error());
  }
  if (auto r = h->hub_->RegisterSystem({h->sut_.system_id, h->sut_.secret}, h->sut_.agencies); !r) {
    return MakeError("config.sut", "registering the SUT's system: " + r.error().message);
  }
  std::vector<std::string> peers = ChoosePeers(h->sut_);
  const std::string peer_secret = RandomSecret();
  if (auto r = h->hub_->RegisterSystem({kPeerSystem, peer_secret}, peers); !r) {
    return tl::unexpected(r.error());
  }
  h->observer_ = std::make_unique<Observer>(h->sut_.system_id, kPeerSystem);
  h->hub_->Subscribe([o = h->observer_.get()](const hub::Event& e) { o->OnEvent(e); });
  if (auto r = h->Listen(); !r) return tl::unexpected(r.error());

  auto client_for = [&]() -> Result<std::unique_ptr<clients::HubClient>> {
    clients::HubClientOptions c;
    c.credentials = {kPeerSystem, peer_secret};
    auto transport = h->HubTransport()();
    if (!transport) return tl::unexpected(transport.error());
    return clients::HubClient::Create(c, std::move(*transport));
  };
  auto peer_client = client_for();
  if (!peer_client) return tl::unexpected(peer_client.error());
  h->peer_client_ = std::move(*peer_client);
  std::vector<mock::MockAgency*> peer_agencies;
  for (const std::string& organ : peers) {
    mock::AgencyOptions o;
    o.organ_id = organ;
    o.seed = h->options_.seed;
    auto agency = mock::MockAgency::Create(client_for, o, SystemNow);
    if (!agency) return tl::unexpected(agency.error());
    mock::ServiceOptions so;
    so.poll_interval = h->profile_.deadlines.peer_poll;
    peer_agencies.push_back(agency->get());
    auto service = mock::AgencyService::Start(std::move(*agency), so);
    if (!service) return tl::unexpected(service.error());
    h->peers_.push_back(std::move(*service));
  }
  h->hub_world_ = LocalHubWorld(*h->hub_, kPeerSystem, *h->peer_client_, std::move(peer_agencies),
                                h->HubTransport());
  World& w = h->world_;
  w.sut = h->sut_;
  w.peers = peers;
  w.peer_system = kPeerSystem;
  w.profile = h->profile_;
  w.strict = h->options_.strict;
  w.hub = h->hub_world_.get();
  w.observer = h->observer_.get();
  w.clock = SystemNow;
  w.hub_url = h->hub_url();
  w.seed = h->options_.seed;
  w.progress = h->options_.progress;
  w.interrupted = h->options_.interrupted;
  w.declined = h->options_.declined;
  w.document_series = h->options_.document_series;
  return h;
}

Result<void> Harness::Listen() {
  if (options_.in_process) return {};
  http::ServerOptions server;
  const std::string& listen = sut_.hub_listen;
  size_t colon = listen.rfind(':');
  server.host = listen.substr(0, colon);
  if (server.host.starts_with('[')) server.host = server.host.substr(1, server.host.size() - 2);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), port);
  if (ec != std::errc() || ptr != listen.data() + listen.size() || port > 65535) {
    return MakeError("config.sut", "hub.listen '" + listen + "' has no valid port");
  }
  server.port = static_cast<unsigned short>(port);
  auto started = http::Server::StartHub(server, *hub_);
  if (!started) return tl::unexpected(started.error());
  server_ = std::move(*started);
  return {};
}

Harness::~Harness() {
  for (auto& p : peers_) p->Stop();
  if (server_) server_->Stop(std::chrono::milliseconds(500));
}

std::string Harness::hub_url() const { return server_ ? server_->url() : "in-process"; }

http::TransportFactory Harness::HubTransport(std::chrono::milliseconds timeout) const {
  if (!server_) {
    hub::Hub* hub = hub_.get();
    return [hub, timeout]() -> Result<std::unique_ptr<http::Transport>> {
      return std::make_unique<http::InProcess>(
          [hub](const hub::Request& r) { return hub->Handle(r); }, std::string(kAdapterPath),
          timeout, "the in-process hub");
    };
  }
  std::string url = server_->url() + std::string(kAdapterPath);
  return [url, timeout]() -> Result<std::unique_ptr<http::Transport>> {
    http::ClientOptions options;
    options.timeout = timeout;
    auto c = http::Client::Create(url, options);
    if (!c) return tl::unexpected(c.error());
    return std::unique_ptr<http::Transport>(std::move(*c));
  };
}

void Harness::Progress(const std::string& line) const {
  if (options_.progress) options_.progress(line);
}

std::string Harness::SkipReason(const Scenario& s) const {
  if (sut_.claims) {
    for (const std::string& c : s.claims) {
      if (std::find(sut_.claims->begin(), sut_.claims->end(), c) == sut_.claims->end()) {
        return std::string(kNotClaimed) + ": the system's conformance statement does not claim \"" +
               c + "\"";
      }
    }
  }
  if (s.needs_outbound && !sut_.outbound) {
    return "the SUT file says the system does not send documents (\"outbound\": false)";
  }
  if (s.needs_control && sut_.driver_url.empty() && !driver_ && !options_.interactive) {
    return "the SUT must be made to act: give its test-driver API (\"driver\" in the SUT file, "
           "docs/driver-api.md) or run with --interactive to be prompted";
  }
  return "";
}

std::vector<std::pair<const Scenario*, std::string>> Harness::Plan() const {
  std::vector<std::pair<const Scenario*, std::string>> plan;
  for (const Scenario& s : catalogue_) {
    if (s.sanity || Selected(options_, s.id, s.category)) plan.emplace_back(&s, SkipReason(s));
  }
  std::stable_partition(plan.begin(), plan.end(), [](const auto& p) { return p.first->sanity; });
  return plan;
}

namespace {

// Runs `step` for the scenario behind `ctx`: an interruption comes back as its reason; the
// operator's "cannot be done" and anything thrown are recorded in `ctx`.
std::optional<std::string> Guarded(Context& ctx, const Scenario& s,
                                   const std::function<void()>& step) {
  try {
    step();
  } catch (const RunInterrupted& i) {
    return i.why;
  } catch (const OperatorDeclined& d) {
    // The system claims what this scenario needs (it was run); its operator says it cannot.
    ctx.Fail(s.requirements.empty() ? s.id : s.requirements.front(),
             "the operator answered that the system cannot do what it was asked (" + d.why +
                 "), though it claims the capability; the scenario stopped waiting",
             "the action done in the system", "the operator: cannot be done");
  } catch (const std::exception& e) {
    ctx.Error(std::string("the scenario threw: ") + e.what());
  }
  return std::nullopt;
}

}  // namespace

Harness::Running Harness::Begin(const Scenario& s, std::deque<Running>& open) {
  Running run;
  run.scenario = &s;
  run.result.scenario = s;
  run.result.started = SystemNow();
  run.ctx = std::make_unique<Context>(world_, s);
  run.result.first_seq = run.ctx->first_seq();
  for (Running& other : open) other.ctx->ShareFrom(run.result.first_seq);
  run.interrupted = Guarded(*run.ctx, s, [&] { s.run(*run.ctx); });
  run.window_ends = std::chrono::steady_clock::now() + run.ctx->linger_window();
  return run;
}

ScenarioResult Harness::Conclude(Running& run) {
  Context& ctx = *run.ctx;
  const Scenario& s = *run.scenario;
  ScenarioResult r = std::move(run.result);
  if (!run.interrupted && ctx.linger_window().count() > 0) {
    run.interrupted = Guarded(ctx, s, [&] {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          run.window_ends - std::chrono::steady_clock::now());
      if (left.count() > 0) ctx.Watch(left);
      ctx.CloseWindow();
    });
  }
  if (!run.interrupted) {
    // Every package the SUT sent during the scenario (and about its documents in its window).
    run.interrupted = Guarded(ctx, s, [&] { ctx.JudgeSubmitted(); });
  }
  r.finished = SystemNow();
  // What the SUT did from the moment another scenario shared the hub is that scenario's, except
  // what concerns this one's documents and deliveries.
  r.end_seq = ctx.shared_from() != 0 ? ctx.shared_from() : observer_->NextSeq();
  r.late_seqs = ctx.LateExchanges();
  r.findings = ctx.findings();
  r.steps = ctx.steps();
  r.artifacts = ctx.artifacts();
  r.files = ctx.files();
  r.charts = ctx.charts();
  r.load = ctx.load();
  r.replay = Replay(s);
  if (run.interrupted) {
    // What it saw so far stays in the evidence; no verdict is drawn from half a scenario.
    r.verdict = Verdict::kNotRun;
    r.reason = "interrupted (" + *run.interrupted + ") while it ran: not judged";
    return r;
  }
  Verdict worst = Worst(r.findings);
  auto o = ctx.override_verdict();
  if (o && o->first == Verdict::kError) {
    r.verdict = Verdict::kError;
    r.reason = o->second;
  } else if (worst == Verdict::kFail) {
    r.verdict = Verdict::kFail;
  } else if (o) {
    r.verdict = o->first;
    r.reason = o->second;
  } else {
    r.verdict = worst == Verdict::kWarn ? Verdict::kWarn : Verdict::kPass;
  }
  if (r.reason.empty()) {
    if (const Finding* f = FirstFailure(r.findings)) {
      r.reason = f->rule_id + ": " + f->message;
    } else if (!r.findings.empty()) {
      r.reason = r.findings.front().rule_id + ": " + r.findings.front().message;
    }
  }
  return r;
}

ScenarioResult Harness::RunOne(const Scenario& s) {
  std::deque<Running> none;
  Running run = Begin(s, none);
  return Conclude(run);
}

std::string Harness::Replay(const Scenario& s) const {
  return options_.replay_command + " --only " + s.id + " --seed " + std::to_string(options_.seed);
}

std::string Harness::Interrupted() const {
  return options_.interrupted ? options_.interrupted() : std::string();
}

RunResult Harness::Run() {
  RunResult result;
  result.sut = sut_;
  result.profile = profile_;
  result.options = options_;
  result.hub_url = hub_url();
  result.peers = world_.peers;
  result.started = SystemNow();
  result.control = "none";
  world_.sut = sut_;
  if (driver_ || !sut_.driver_url.empty()) {
    auto connect = [&]() -> Result<std::unique_ptr<SutControl>> {
      if (!driver_)
        return ConnectDriver(sut_.driver_url, sut_.agencies, profile_.deadlines.outbound);
      auto transport = driver_();
      if (!transport) return tl::unexpected(transport.error());
      return ConnectDriver(std::move(*transport), sut_.agencies);
    };
    // The system may start after the harness (the vendor guide's order): its driver gets the
    // sanity deadline to come up, as its first poll does.
    using Clock = std::chrono::steady_clock;
    const auto give_up = Clock::now() + profile_.deadlines.sanity;
    auto control = connect();
    if (!control && control.error().code == "driver.unreachable") {
      Progress("waiting up to " + FormatDuration(profile_.deadlines.sanity) +
               " for your system's test-driver API at " + sut_.driver_url +
               " to answer /driver/v1/info (start your system now)");
    }
    while (!control && control.error().code == "driver.unreachable" && Interrupted().empty() &&
           Clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      control = connect();
    }
    if (!control && !Interrupted().empty()) {
      // Nothing ran: the plan below records every scenario as NOT RUN.
    } else if (!control) {
      result.error = control.error().code + ": " + control.error().message;
      if (control.error().code == "driver.unreachable") {
        result.error += " (waited " + FormatDuration(profile_.deadlines.sanity) +
                        ", the sanity deadline, for it to come up)";
      }
      result.finished = SystemNow();
      ComputeExitCode(result);
      return result;
    } else {
      control_ = std::move(*control);
      auto [name, version] = control_->Product();
      if (sut_.product.empty()) {
        sut_.product = name;
        sut_.product_version = version;
      } else if (!name.empty() && (name != sut_.product || version != sut_.product_version)) {
        // A certificate must name the product that was tested: two answers cannot both be it.
        result.error = "config.sut: the SUT file names the product '" + sut_.product + "' " +
                       sut_.product_version + ", but its driver says '" + name + "' " + version +
                       " in /driver/v1/info: correct whichever is wrong";
        result.finished = SystemNow();
        ComputeExitCode(result);
        return result;
      }
      result.sut = sut_;
      world_.sut = sut_;
    }
  } else if (options_.interactive) {
    control_ = options_.prompt ? OperatorPrompts(options_.prompt, profile_.deadlines.operator_)
                               : OperatorPrompts(std::cerr, profile_.deadlines.operator_);
  }
  world_.control = control_.get();
  if (control_) result.control = std::string(control_->kind());

  auto plan = Plan();
  const size_t total = plan.size();
  // Results are handed on in plan order; a scenario whose quiet window is open (Context::Linger)
  // waits in `open` while the next ones run, unless the next runs alone (RunsAlone).
  std::vector<std::optional<ScenarioResult>> done(total);
  std::deque<Running> open;
  size_t emitted = 0;
  size_t last_header = total;  // the scenario whose header was the last line printed
  auto hand_on = [&]() {
    while (emitted < total && done[emitted] && !result.aborted) {
      const size_t slot = emitted++;
      ScenarioResult r = std::move(*done[slot]);
      const Scenario& scenario = *plan[slot].first;
      if (auto it = options_.expected_failures.find(scenario.id);
          it != options_.expected_failures.end()) {
        r.expected_reason = it->second;
        if (Fails(r.verdict)) r.expected_failure = true;
        if (r.verdict == Verdict::kPass) r.unexpected_pass = true;
      }
      if (r.verdict != Verdict::kNotRun || !r.reason.starts_with("not run:")) {
        std::string verdict(ToString(r.verdict));
        if (r.expected_failure) verdict += " (expected failure)";
        if (r.unexpected_pass) {
          verdict += " (listed as an expected failure: remove it from the list)";
        }
        // Named when other lines came between its header and its verdict.
        Progress("        " + (last_header == slot ? "" : scenario.id + ": ") + verdict + " in " +
                 FormatDuration(std::chrono::milliseconds(r.finished - r.started)) +
                 (r.reason.empty() ? "" : ": " + r.reason));
        last_header = total;
      }
      if (r.verdict == Verdict::kNotRun && !result.interrupted) {
        result.interrupted =
            Interrupted() +
            (r.reason.starts_with("not run:") ? "" : " during " + scenario.id + ",") + " after " +
            std::to_string(slot) + " of " + std::to_string(total) + " scenarios";
      }
      bool stop = scenario.sanity && r.verdict != Verdict::kPass && !result.interrupted;
      if (options_.scenario_done) options_.scenario_done(r);
      result.scenarios.push_back(std::move(r));
      if (stop) {
        result.aborted = "the sanity check " + scenario.id +
                         " failed, so no other scenario ran: " + result.scenarios.back().reason;
      }
    }
  };
  // Concludes the open windows that have passed (all of them with `all`, waiting for each).
  auto close = [&](bool all) {
    while (!open.empty() && (all || open.front().window_ends <= std::chrono::steady_clock::now())) {
      Running run = std::move(open.front());
      open.pop_front();
      done[run.slot] = Conclude(run);
    }
    hand_on();
  };
  for (size_t slot = 0; slot < total && !result.aborted; ++slot) {
    const auto& [scenario, skip] = plan[slot];
    ScenarioResult r;
    if (std::string why = Interrupted(); !why.empty()) {
      close(true);  // an open window ends as NOT RUN: it was not watched to its end
      r.scenario = *scenario;
      r.verdict = Verdict::kNotRun;
      r.reason = "not run: the run was interrupted (" + why + ")";
      r.started = r.finished = SystemNow();
      r.first_seq = r.end_seq = observer_->NextSeq();
      r.replay = Replay(*scenario);
      done[slot] = std::move(r);
      hand_on();
      continue;
    }
    if (!skip.empty()) {
      Progress(Header(slot + 1, total) + scenario->id + ": " + scenario->title);
      last_header = slot;
      r.scenario = *scenario;
      r.verdict = Verdict::kSkip;
      r.reason = skip;
      r.replay = Replay(*scenario);
      r.started = r.finished = SystemNow();
      r.first_seq = r.end_seq = observer_->NextSeq();
      done[slot] = std::move(r);
      hand_on();
      continue;
    }
    close(RunsAlone(*scenario));
    if (result.aborted) break;
    Progress(Header(slot + 1, total) + scenario->id + ": " + scenario->title);
    last_header = slot;
    Running run = Begin(*scenario, open);
    run.slot = slot;
    close(false);
    if (!run.interrupted && run.ctx->linger_window().count() > 0) {
      open.push_back(std::move(run));
    } else {
      done[slot] = Conclude(run);
    }
    hand_on();
  }
  close(true);
  if (!result.aborted && !result.interrupted) {
    for (const auto& [scenario, skip] : plan) {
      if (!scenario->sanity) continue;
      Progress("[final] " + scenario->id + ": the SUT still polls with valid credentials");
      result.final_sanity = RunOne(*scenario);
      if (options_.scenario_done) options_.scenario_done(*result.final_sanity);
      Progress("        " + std::string(ToString(result.final_sanity->verdict)) +
               (result.final_sanity->reason.empty() ? "" : ": " + result.final_sanity->reason));
    }
  }
  result.exchanges = observer_->Exchanges();
  result.finished = SystemNow();
  ComputeExitCode(result);
  return result;
}

}  // namespace vxp::harness
