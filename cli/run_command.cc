// `vxpkit run`, `vxpkit demo`, `vxpkit load`, `vxpkit list`: the conformance suite from the
// command line.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/report_options.h"
#include "conformance/common.h"
#include "conformance/run.h"
#include "harness/demo.h"
#include "harness/harness.h"
#include "harness/run_record.h"
#include "reports/manifest.h"
#include "results/result_model.h"
#include "simulator/agency/agency.h"

namespace vxp::cli {
namespace {

// The first SIGINT or SIGTERM asks the run to stop and write what it knows; a second one exits at
// once (the result is then not written).
std::atomic<int> g_signal{0};

extern "C" void OnStopSignal(int sig) {
  if (g_signal.exchange(sig) != 0) _exit(128 + sig);
  static const char kSaid[] =
      "\nvxpkit: interrupted; writing the result of the scenarios that finished (press Ctrl-C "
      "again to quit at once, writing nothing)\n";
  ssize_t ignored = write(STDERR_FILENO, kSaid, sizeof kSaid - 1);
  (void)ignored;
}

// Installs OnStopSignal for SIGINT and SIGTERM while it lives.
class StopSignals {
 public:
  StopSignals() {
    g_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = OnStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  // "SIGINT" or "SIGTERM" once one came, else "".
  static std::string Received() {
    int sig = g_signal.load();
    return sig == 0 ? "" : sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
  }

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

struct RunArgs {
  std::string sut_file;
  std::string profile = "certification";
  std::vector<std::string> only, categories;
  std::string out = "vxpkit-result";
  bool strict = false, dry_run = false, interactive = false, quiet = false;
  std::uint64_t seed = 1;
  std::string expected_file;
  std::string fault = "reference";  // demo only
  double rate_scale = 1;            // load: every phase's rate times this
  ReportOptions report;
};

void AddSelection(CLI::App* cmd, RunArgs* a) {
  cmd->add_option("--only", a->only,
                  "Run only scenarios whose ID matches this glob (repeatable), e.g. 'INBOUND-*'");
  cmd->add_option("--category", a->categories,
                  "Run only this category (repeatable): transport, inbound, signature, "
                  "lifecycle, flows, outbound, hub, load");
  cmd->add_option("--out", a->out, "Directory for result.json, the evidence and the reports")
      ->capture_default_str();
  cmd->add_option("--seed", a->seed,
                  "Seed of the run (DocumentIds, numbering); reuse it to "
                  "reproduce a run")
      ->capture_default_str();
  cmd->add_flag("--strict", a->strict, "SHOULD scenarios FAIL instead of WARN");
  cmd->add_flag("--dry-run", a->dry_run, "List what would run (and why anything is skipped)");
  cmd->add_option("--expected-failures", a->expected_file,
                  "File of scenario IDs known to fail (one per line, '#' comments): they do "
                  "not fail the run, and one that passes does");
  cmd->add_flag("--quiet", a->quiet, "No progress lines, only the summary");
  a->report.Add(cmd);
}

int Execute(const RunArgs& a, harness::SutConfig sut, bool demo, const std::string& replay) {
  harness::RunOptions options;
  options.profile = a.profile;
  options.only = a.only;
  options.categories = a.categories;
  options.strict = a.strict;
  options.seed = a.seed;
  options.interactive = a.interactive;
  options.load_rate_scale = a.rate_scale;
  options.replay_command = replay;
  options.first_doc_id = harness::FirstDocIdAt(SystemMillis() / 1000);
  options.document_series = harness::DocumentSeriesAt(SystemMillis() / 1000);
  if (!a.quiet) options.progress = [](const std::string& line) { std::cerr << line << "\n"; };
  if (auto formats = a.report.Check(); !formats) {
    std::cerr << "vxpkit: " << formats.error().message << "\n";
    return 2;
  }
  // A signing certificate that does not parse is found before a run, not after it.
  if (auto signer = a.report.Signing(0); !signer) {
    std::cerr << "vxpkit: " << signer.error().message << "\n";
    return 2;
  }
  if (!a.expected_file.empty()) {
    auto text = ReadFile(a.expected_file, 1 << 20);
    if (!text) {
      std::cerr << "vxpkit: " << text.error().message << "\n";
      return 2;
    }
    auto parsed = harness::ParseExpectedFailures(*text);
    if (!parsed) {
      std::cerr << "vxpkit: " << a.expected_file << ": " << parsed.error().message << "\n";
      return 2;
    }
    options.expected_failures = *parsed;
  }
  if (auto ok = conformance::CheckSelection(options); !ok) {
    std::cerr << "vxpkit: " << ok.error().message << "\n";
    return 2;
  }
  if (a.dry_run) {
    // Nothing is bound or sent: the hub stays in process (a port in use does not matter), and
    // the demo's reference agency is there only so that its driver counts.
    options.in_process = true;
    auto h = harness::Harness::Start(sut, options, conformance::Catalogue());
    if (!h) {
      std::cerr << "vxpkit: " << h.error().message << "\n";
      return 2;
    }
    std::unique_ptr<mock::AgencyService> reference;
    if (demo) {
      auto started = harness::StartDemoSut(**h, sut, a.fault,
                                           harness::FindRunProfile(a.profile)->deadlines, a.seed);
      if (!started) {
        std::cerr << "vxpkit: " << started.error().message << "\n";
        return 2;
      }
      reference = std::move(*started);
    }
    std::cout << "Would run against " << sut.system_id << " (profile " << a.profile << ", seed "
              << a.seed << "):\n";
    for (const auto& [s, skip] : (*h)->Plan()) {
      std::cout << "  " << s->id << "  " << s->title;
      if (!skip.empty()) std::cout << "\n      SKIP: " << skip;
      std::cout << "\n";
    }
    return 0;
  }
  auto ready = [&](const std::string& hub_url) {
    if (demo) {
      std::cerr << "vxpkit demo: the built-in reference agency"
                << (a.fault == "reference" ? "" : " with the fault profile '" + a.fault + "'")
                << " (" << sut.agencies.front() << ") against the hub at " << hub_url << "\n";
    } else {
      std::cerr << "vxpkit: the hub for " << sut.system_id << " listens at " << hub_url
                << "/XrdAdapter/adapter/ — start your system now; the sanity check waits "
                << FormatDuration(harness::FindRunProfile(a.profile)->deadlines.sanity)
                << " for its first poll\n";
    }
  };
  StopSignals signals;
  options.interrupted = &StopSignals::Received;
  auto run = conformance::RunCatalogue(
      sut, options, demo ? std::optional<std::string>(a.fault) : std::nullopt, ready);
  if (!run) {
    std::cerr << "vxpkit: " << run.error().message << "\n";
    return 2;
  }
  harness::RunResult& result = *run;
  // A signature left from an earlier run in the same directory would vouch for nothing.
  std::error_code ignored;
  std::filesystem::remove(a.out + "/" + std::string(reports::kManifestFile), ignored);
  std::filesystem::remove(a.out + "/" + std::string(reports::kSignatureFile), ignored);
  results::RunRecord record = harness::MakeRecord(result, conformance::Requirements(), VXP_VERSION);
  record.lang = a.report.Lang().value_or(i18n::kDefaultLang);
  // The certificate was read before the run; should it fail now, the result is still written,
  // unsigned, and the run ends with the error.
  auto signing = a.report.Signing(SystemMillis());
  if (signing) record.signing = *signing;
  auto evidence = harness::WriteRun(a.out, result, record);
  if (!evidence) {
    std::cerr << "vxpkit: " << evidence.error().message << "\n";
    return 2;
  }
  std::cout << harness::Summary(result, a.out, record.lang);
  if (int reported = a.report.Write(a.out, record, *evidence, std::cout); reported != 0) {
    return reported;
  }
  if (!signing) {
    std::cerr << "vxpkit: the result is written but not signed: " << signing.error().message
              << "\n";
    return 2;
  }
  return result.exit_code;
}

std::string Quote(const std::string& s) {
  if (s.find_first_of(" '\"$") == std::string::npos) return s;
  return "'" + s + "'";
}

// The SUT file, or nullopt after saying on stderr what is wrong with it.
std::optional<harness::SutConfig> ReadSut(const std::string& path) {
  auto text = ReadFile(path, 1 << 20);
  if (!text) {
    std::cerr << "vxpkit: " << text.error().message << "\n";
    return std::nullopt;
  }
  auto sut = harness::ParseSutConfig(*text);
  if (!sut) {
    std::cerr << "vxpkit: " << path << ": " << sut.error().message << "\n";
    return std::nullopt;
  }
  return *sut;
}

void RegisterRunCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run the conformance suite against your system (the SUT) and write a result");
  cmd->footer(
      "The harness starts a hub simulator where the SUT file says (hub.listen), registers your\n"
      "system and agencies on it, and drives your system through the scenarios: mock agencies\n"
      "send it valid and broken documents and judge what it answers; with a test-driver API\n"
      "(\"driver\") it is also asked to send, advance and recall documents.\n\n"
      "Exit codes: 0 every required scenario passed; 1 a scenario failed; 2 configuration or\n"
      "harness error, or the sanity check stopped the run (its diagnosis says why); 3 the\n"
      "harness could not decide (inconclusive); 4 interrupted (INCOMPLETE).\n\n"
      "Ctrl-C or SIGTERM stops the run and writes what is known within seconds: the finished\n"
      "scenarios with their verdicts, the rest NOT RUN, the run INCOMPLETE. A second one quits\n"
      "at once, writing nothing.\n\n"
      "Example:\n"
      "  vxpkit run --sut sut.json --profile certification --out result/\n"
      "  vxpkit run --sut sut.json --only 'INBOUND-*' --seed 7\n"
      "See docs/vendor-guide.md.");
  cmd->add_option("--sut", a->sut_file, "The SUT file (JSON; docs/vendor-guide.md)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--profile", a->profile, "Deadlines: certification (realistic) or demo")
      ->capture_default_str();
  cmd->add_flag("--interactive", a->interactive,
                "Without a driver, prompt an operator for actions the SUT must take");
  AddSelection(cmd, a.get());
  cmd->callback([a, exit_code] {
    auto sut = ReadSut(a->sut_file);
    if (!sut) {
      *exit_code = 2;
      return;
    }
    std::string replay = "vxpkit run --sut " + Quote(a->sut_file) + " --profile " + a->profile +
                         (a->strict ? " --strict" : "");
    *exit_code = Execute(*a, *sut, false, replay);
  });
}

void RegisterDemoCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<RunArgs>();
  a->profile = "demo";
  a->out = "vxpkit-demo-result";
  CLI::App* cmd = app.add_subcommand(
      "demo", "Run the whole suite against the built-in reference agency and write a result");
  cmd->footer(
      "The reference agency (a conforming system that ships with vxpkit) is started with its\n"
      "test-driver API and run through every scenario; it passes them all. With --fault it\n"
      "runs one of its fault profiles instead, and the scenarios aimed at that fault fail —\n"
      "a quick way to see what a failure looks like. Fault profiles: vxpkit agency\n"
      "--list-profiles.\n\n"
      "Exit codes as for vxpkit run (0 pass, 1 fail, 2 error, 3 inconclusive, 4 interrupted:\n"
      "Ctrl-C writes what is known, a second Ctrl-C quits at once).\n\n"
      "Example:\n"
      "  vxpkit demo\n"
      "  vxpkit demo --fault never-sends-01 --out /tmp/demo");
  cmd->add_option("--fault", a->fault, "A fault profile of the reference agency")
      ->capture_default_str()
      ->check([](const std::string& name) {
        return mock::IsProfile(name) ? std::string()
                                     : "unknown fault profile (vxpkit agency --list-profiles)";
      });
  AddSelection(cmd, a.get());
  cmd->callback([a, exit_code] {
    std::string replay = "vxpkit demo --fault " + a->fault + (a->strict ? " --strict" : "");
    *exit_code = Execute(*a, harness::DemoSutConfig(), true, replay);
  });
}

void RegisterLoadCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<RunArgs>();
  a->out = "vxpkit-load-result";
  a->profile.clear();  // certification, or demo with --demo
  auto demo = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "load", "Run only the load scenarios (steady, burst, soak) against your system or the demo");
  cmd->footer(
      "Many mock agencies send your system's agencies valid, signed documents on the profile's\n"
      "schedule (open model: they do not wait for your system), and the harness checks that\n"
      "every document gets exactly one 01 and a 03, in order, acknowledged, and that p99 time\n"
      "to 01 and to 02/03 (from each document's intended send time) stays within the profile's\n"
      "bounds. If the generator itself falls behind, the verdict is INCONCLUSIVE, not FAIL.\n"
      "The certification profile sends 100 documents/s for 5 minutes (steady), a burst of\n"
      "500/s, and an hour of 20/s (soak); docs/load.md explains the numbers.\n\n"
      "Exit codes as for vxpkit run: 0 pass, 1 fail, 2 configuration error, 3 inconclusive,\n"
      "4 interrupted (Ctrl-C writes what is known; twice quits at once).\n\n"
      "Examples:\n"
      "  vxpkit load --sut sut.json --only LOAD-STEADY\n"
      "  vxpkit load --sut sut.json --rate-scale 0.5     # half the profile's rates\n"
      "  vxpkit load --demo --fault serial-under-load    # see what a failure looks like");
  cmd->add_option("--sut", a->sut_file, "The SUT file (JSON; docs/vendor-guide.md)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--demo", *demo, "Load the built-in reference agency instead of a SUT");
  cmd->add_option("--fault", a->fault, "With --demo: a fault profile of the reference agency")
      ->capture_default_str()
      ->check([](const std::string& name) {
        return mock::IsProfile(name) ? std::string()
                                     : "unknown fault profile (vxpkit agency --list-profiles)";
      });
  cmd->add_option("--profile", a->profile,
                  "Shapes and bounds: certification (default; demo with --demo)");
  cmd->add_option("--rate-scale", a->rate_scale,
                  "Multiply every phase's rate (e.g. 0.1 for a first try, 2 to find the ceiling)")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 1000.0));
  AddSelection(cmd, a.get());
  cmd->callback([a, demo, exit_code] {
    if (*demo == !a->sut_file.empty()) {
      std::cerr << "vxpkit load: give either --sut FILE or --demo\n";
      *exit_code = 2;
      return;
    }
    for (const std::string& c : a->categories) {
      if (c != "load") {
        std::cerr << "vxpkit load: runs only the load category (use vxpkit run --category " << c
                  << ")\n";
        *exit_code = 2;
        return;
      }
    }
    a->categories = {"load"};
    if (a->profile.empty()) a->profile = *demo ? "demo" : "certification";
    char scale[32];
    std::snprintf(scale, sizeof scale, "%g", a->rate_scale);
    std::string extra = (a->rate_scale != 1 ? std::string(" --rate-scale ") + scale : "");
    if (*demo) {
      *exit_code =
          Execute(*a, harness::DemoSutConfig(), true,
                  "vxpkit load --demo --fault " + a->fault + " --profile " + a->profile + extra);
      return;
    }
    auto sut = ReadSut(a->sut_file);
    if (!sut) {
      *exit_code = 2;
      return;
    }
    *exit_code =
        Execute(*a, *sut, false,
                "vxpkit load --sut " + Quote(a->sut_file) + " --profile " + a->profile + extra);
  });
}

void RegisterList(CLI::App& app, int* exit_code) {
  auto category = std::make_shared<std::string>();
  CLI::App* cmd =
      app.add_subcommand("list", "The scenario catalogue, and which requirements it covers");
  cmd->add_option("--category", *category, "Only this category");
  cmd->callback([category, exit_code] {
    if (!category->empty()) {
      harness::RunOptions selection;
      selection.categories = {*category};
      if (auto checked = conformance::CheckSelection(selection); !checked) {
        std::cerr << "vxpkit list: " << checked.error().message << "\n";
        *exit_code = 2;
        return;
      }
    }
    std::string current;
    for (const auto& s : conformance::Catalogue()) {
      if (!category->empty() && s.category != *category) continue;
      if (s.category != current) {
        current = s.category;
        std::cout << "\n" << current << "\n";
      }
      std::cout << "  " << s.id << " [" << ToString(s.level) << "]"
                << (s.needs_control ? " (needs driver or operator)" : "") << "\n      " << s.title
                << "\n      requirements:";
      for (const std::string& r : s.requirements) std::cout << " " << r;
      std::cout << "\n";
    }
    if (category->empty()) {
      int tested = 0;
      std::cout << "\nRequirements (conformance/requirements.csv):\n";
      for (const auto& r : conformance::Requirements()) {
        tested += r.tested_by.empty() ? 0 : 1;
        std::cout << "  " << r.id << " [" << ToString(r.level) << "] " << r.source << "\n      "
                  << r.summary << "\n      ";
        if (r.tested_by.empty()) {
          std::cout << "NOT TESTED: " << r.not_tested << "\n";
        } else {
          std::cout << "tested by:";
          for (const std::string& t : r.tested_by) std::cout << " " << t;
          std::cout << "\n";
        }
      }
      std::cout << "\n"
                << conformance::Catalogue().size() << " scenarios; " << tested << " of "
                << conformance::Requirements().size() << " requirements tested\n";
    }
    *exit_code = 0;
  });
}

}  // namespace

void RegisterRun(CLI::App& app, int* exit_code) {
  RegisterRunCommand(app, exit_code);
  RegisterDemoCommand(app, exit_code);
  RegisterLoadCommand(app, exit_code);
  RegisterList(app, exit_code);
}

}  // namespace vxp::cli
