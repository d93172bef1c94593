// `vxpkit hub` (the hub simulator on a port) and `vxpkit agency` (a mock agency against any hub).
// Both run until SIGINT or SIGTERM, then stop gracefully: requests in progress finish, the store
// is closed, the exit code is 0.
#include <signal.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/common/clock.h"
#include "core/common/datetime.h"
#include "core/signing/detached.h"
#include "service/accounts.h"
#include "service/credentials.h"
#include "service/runs.h"
#include "service/store.h"
#include "service/systems.h"
#include "service/web.h"
#include "simulator/agency/agency.h"
#include "simulator/agency/driver.h"
#include "simulator/http/server.h"
#include "simulator/hub/directory.h"
#include "simulator/hub/settings.h"
#include "storage/postgres.h"

namespace vxp::cli {
namespace {

std::mutex out_mu;

void Say(const std::string& line) {
  std::lock_guard lock(out_mu);
  std::cout << line << std::endl;  // flushed: tests and supervisors read it as it comes
}

wire::Millis Now() { return SystemMillis(); }

// "HH:MM:SS" in Vietnam's zone, for log lines.
std::string Clock(wire::Millis ms) {
  DateTime t = CivilTime(ms / 1000, kVietnamUtcOffsetMinutes);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", t.hour, t.minute, t.second);
  return buf;
}

// Blocks SIGINT and SIGTERM in this thread (and every thread started after), so that only
// WaitForSignal sees them.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

std::string WaitForSignal(const sigset_t& set) {
  int sig = 0;
  sigwait(&set, &sig);
  return sig == SIGINT ? "SIGINT" : "SIGTERM";
}

// Says where `server` listens, waits for SIGINT or SIGTERM (blocked in `signals`), and stops it
// gracefully. Returns the exit code, 0.
int ServeUntilStopped(http::Server& server, const sigset_t& signals) {
  Say("listening on " + server.url());
  std::string sig = WaitForSignal(signals);
  Say("stopping (" + sig + "): finishing requests in progress");
  server.Stop(std::chrono::milliseconds(5000));
  Say("stopped");
  return 0;
}

// "HOST:PORT" (IPv6 as [::1]:PORT). Error naming the problem.
Result<std::pair<std::string, std::uint16_t>> SplitListen(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    return MakeError("cli.listen",
                     "--listen '" + text + "' is not HOST:PORT (e.g. 127.0.0.1:8080)");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string_view digits = std::string_view(text).substr(colon + 1);
  int port = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || end != digits.data() + digits.size() || port < 0 || port > 65535) {
    return MakeError("cli.listen", "--listen '" + text + "': the port is not a number 0-65535");
  }
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

struct HubArgs {
  std::string listen = "127.0.0.1:8080";
  std::string db = ":memory:";
  std::string config;
  std::vector<std::string> systems, faults;
  std::string relay, policy, directory, tls_cert, tls_key;
  int threads = 2;
  int max_connections = 0;  // 0: the settings file's, else 1000
  size_t max_elements = 0;  // 0: the settings file's, else 100,000
  bool quiet = false;
};

int RunHub(const HubArgs& args) {
  hub::HubSettings settings;
  if (!args.config.empty()) {
    auto text = ReadFile(args.config, 1 << 20);
    if (!text) return std::cerr << "vxpkit hub: " << text.error().message << "\n", 2;
    auto parsed = hub::ParseHubSettings(*text);
    if (!parsed) {
      return std::cerr << "vxpkit hub: " << args.config << ": " << parsed.error().message << "\n",
             2;
    }
    settings = std::move(*parsed);
  }
  for (const std::string& s : args.systems) {
    auto spec = hub::ParseSystemSpec(s);
    if (!spec) return std::cerr << "vxpkit hub: " << spec.error().message << "\n", 2;
    settings.systems.push_back(std::move(*spec));
  }
  for (const std::string& f : args.faults) {
    auto fault = hub::ParseFault(f);
    if (!fault) return std::cerr << "vxpkit hub: " << fault.error().message << "\n", 2;
    settings.faults.push_back(std::move(*fault));
  }
  if (!args.relay.empty()) settings.config.relay = *hub::ParseRelayMode(args.relay);
  if (!args.policy.empty()) settings.config.policy = *hub::ParseSubmitPolicy(args.policy);
  if (!args.directory.empty()) settings.directory_file = args.directory;
  if (!args.tls_cert.empty()) settings.tls_cert_file = args.tls_cert;
  if (!args.tls_key.empty()) settings.tls_key_file = args.tls_key;
  if (args.max_connections > 0) settings.limits.max_connections = args.max_connections;
  if (args.max_elements > 0) settings.config.max_elements = args.max_elements;
  bool demo = settings.systems.empty();
  if (demo) settings.systems.push_back(hub::DemoSystem());

  std::vector<hub::Agency> directory = hub::DefaultDirectory();
  if (!settings.directory_file.empty()) {
    auto text = ReadFile(settings.directory_file, 64 << 20);
    if (!text) return std::cerr << "vxpkit hub: " << text.error().message << "\n", 2;
    auto parsed = hub::ParseDirectory(*text);
    if (!parsed) {
      return std::cerr << "vxpkit hub: " << settings.directory_file << ": "
                       << parsed.error().message << "\n",
             2;
    }
    directory = std::move(*parsed);
  }
  auto where = SplitListen(args.listen);
  if (!where) return std::cerr << "vxpkit hub: " << where.error().message << "\n", 2;

  auto store = hub::OpenStore(args.db);
  if (!store) return std::cerr << "vxpkit hub: " << store.error().message << "\n", 2;
  hub::Hub hub(std::move(*store), settings.config, Now);
  if (auto r = hub.SeedDirectory(directory); !r) {
    return std::cerr << "vxpkit hub: " << r.error().message << "\n", 2;
  }
  for (const auto& spec : settings.systems) {
    if (auto r = hub.RegisterSystem(spec.system, spec.agencies); !r) {
      return std::cerr << "vxpkit hub: " << r.error().message << "\n", 2;
    }
  }
  for (const auto& f : settings.faults) hub.faults().Add(f);
  if (!args.quiet) {
    hub.Subscribe([](const hub::Event& e) {
      std::string line = Clock(e.at) + " " + e.operation + " " +
                         (e.system_id.empty() ? "-" : e.system_id) + " " +
                         (e.error_code == "0" ? "OK" : e.error_code) + " " + e.detail;
      for (const auto& f : e.faults) line += " [fault " + f + "]";
      Say(line);
    });
  }

  sigset_t signals = BlockStopSignals();
  http::ServerOptions options;
  options.host = where->first;
  options.port = where->second;
  options.threads = std::max(1, args.threads);
  options.body_limit = settings.config.max_package_bytes + 1024;
  options.tls_cert_file = settings.tls_cert_file;
  options.tls_key_file = settings.tls_key_file;
  options.workers = settings.limits.workers;
  options.bulk_workers = settings.limits.bulk_workers;
  options.body_budget = std::max<std::uint64_t>(settings.limits.body_budget, options.body_limit);
  options.max_connections = settings.limits.max_connections;
  options.log = [](const std::string& line) { Say(line); };
  auto server = http::Server::StartHub(options, hub);
  if (!server) return std::cerr << "vxpkit hub: " << server.error().message << "\n", 2;
  for (const auto& spec : settings.systems) {
    std::string agencies;
    for (const auto& a : spec.agencies) agencies += (agencies.empty() ? "" : ",") + a;
    Say(std::string(demo ? "demo system " : "system ") + spec.system.id +
        (demo ? " secret " + spec.system.secret : "") + " agencies " + agencies);
  }
  for (const auto& f : settings.faults) Say("fault " + f.ToString());
  Say("store " + pg::Redact(args.db) + ", relay " +
      (settings.config.relay == hub::RelayMode::kVerbatim ? "verbatim" : "reserialize") + ", " +
      std::to_string(directory.size()) + " agencies in the directory");
  return ServeUntilStopped(**server, signals);
}

struct AgencyArgs {
  std::string hub_url, system, organ, profile = "reference", driver;
  int poll_ms = 1000;
  int step_ms = 0;
  bool refuse = false;
  bool no_progress = false;
  bool allow_unsigned_pdf = false;
  bool list_profiles = false;
};

int RunAgency(const AgencyArgs& args) {
  if (args.list_profiles) {
    for (const auto& p : mock::Profiles()) {
      std::cout << "  " << p.name << std::string(24 - std::min<size_t>(23, p.name.size()), ' ')
                << p.breaks << "\n";
    }
    return 0;
  }
  if (args.hub_url.empty() || args.system.empty() || args.organ.empty()) {
    std::cerr << "vxpkit agency: --hub, --system and --organ are required (see --help)\n";
    return 2;
  }
  size_t colon = args.system.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == args.system.size()) {
    std::cerr << "vxpkit agency: --system '" << args.system << "' is not ID:SECRET\n";
    return 2;
  }
  clients::HubClientOptions client_options;
  client_options.url = args.hub_url;
  client_options.credentials = {args.system.substr(0, colon), args.system.substr(colon + 1)};
  mock::AgencyOptions options;
  options.organ_id = args.organ;
  options.profile = args.profile;
  options.progress = !args.no_progress;
  options.step_delay = std::chrono::milliseconds(args.step_ms);
  options.refuse_requests = args.refuse;
  options.require_signed_pdf = !args.allow_unsigned_pdf;
  auto agency = mock::MockAgency::Create([&] { return clients::HubClient::Create(client_options); },
                                         options, Now);
  if (!agency) return std::cerr << "vxpkit agency: " << agency.error().message << "\n", 2;

  sigset_t signals = BlockStopSignals();
  mock::ServiceOptions service_options;
  service_options.poll_interval = std::chrono::milliseconds(std::max(10, args.poll_ms));
  service_options.log = [](const std::string& line) { Say(Clock(Now()) + " " + line); };
  if (!args.driver.empty()) {
    auto where = SplitListen(args.driver);
    if (!where) return std::cerr << "vxpkit agency: " << where.error().message << "\n", 2;
    service_options.serve_driver = true;
    service_options.driver.host = where->first;
    service_options.driver.port = where->second;
  }
  auto service = mock::AgencyService::Start(std::move(*agency), service_options);
  if (!service) return std::cerr << "vxpkit agency: " << service.error().message << "\n", 2;
  Say("agency " + args.organ + " (profile " + args.profile + ") polling " + args.hub_url +
      " every " + std::to_string(service_options.poll_interval.count()) + " ms as system " +
      client_options.credentials.system_id);
  if (!(*service)->driver_url().empty()) Say("driver listening on " + (*service)->driver_url());
  std::string sig = WaitForSignal(signals);
  Say("stopping (" + sig + ")");
  (*service)->Stop();
  Say("stopped");
  return 0;
}

struct ServeArgs {
  std::string listen = "127.0.0.1:8000";
  std::string data;
  bool demo = false;
  std::string create_admin;
  std::string tls_cert, tls_key;
  std::string office_key, office_cert, office_chain, office_name, public_url;
  int certificate_days = 365;
  std::string certification_profile = "certification";
  std::string db;         // "" : SQLite in --data; else a PostgreSQL URL several instances share
  std::string advertise;  // where the other instances reach this one ("": its listener's URL)
  int workers = 4;
  int run_lease = 30;
};

// The office's credential for certificates, checked by signing with it once; nullopt without
// --office-key.
Result<std::optional<signing::Credential>> OfficeCredential(const ServeArgs& args) {
  if (args.office_key.empty() && args.office_cert.empty()) {
    return std::optional<signing::Credential>();
  }
  if (args.office_key.empty() || args.office_cert.empty()) {
    return MakeError("usage", "--office-key and --office-cert go together");
  }
  signing::Credential c;
  for (auto [path, into] :
       {std::pair{&args.office_key, &c.key_pem}, std::pair{&args.office_cert, &c.cert_pem},
        std::pair{&args.office_chain, &c.chain_pem}}) {
    if (path->empty()) continue;
    auto bytes = ReadFile(*path, 1 << 20);
    if (!bytes) return tl::unexpected(bytes.error());
    *into = std::move(*bytes);
  }
  if (auto tried = signing::SignDetached("vxpkit", c, SystemMillis() / 1000); !tried) {
    return MakeError("usage", "--office-key/--office-cert: " + tried.error().message);
  }
  return std::optional<signing::Credential>(std::move(c));
}

// A random password a person can type: 16 characters of base64url.
std::string DemoPassword() {
  auto token = service::NewToken("");
  return token ? token->substr(0, 16) : std::string();
}

// The organisation called `name`, made when there is none.
Result<service::Organisation> OrganisationNamed(service::ServiceStore& store,
                                                const std::string& name) {
  auto found = store.FindOrganisation(name);
  if (!found) return tl::unexpected(found.error());
  if (*found) return **found;
  return store.CreateOrganisation(name, SystemMillis());
}

// `--create-admin EMAIL`: an administrator of the organisation "Administrators", with a first
// password made and printed once; an e-mail already registered is left as it is.
Result<void> CreateAdmin(service::ServiceStore& store, service::Accounts& accounts,
                         const std::string& email) {
  auto org = OrganisationNamed(store, "Administrators");
  if (!org) return tl::unexpected(org.error());
  std::string password = DemoPassword();
  auto user = accounts.Register(org->id, email, "Administrator", service::Role::kAdmin, password);
  if (!user && user.error().code == "service.exists") {  // a restart with the same option
    Say("administrator " + email + " exists (made earlier; its password was printed then)");
    return {};
  }
  if (!user) return tl::unexpected(user.error());
  Say("administrator " + user->email + " password " + password +
      " (shown once: sign in and keep it secret)");
  return {};
}

// The demo's organisations, accounts and a vendor API token, printed so that a newcomer can sign
// in. Accounts made by an earlier --demo start are kept (their passwords were printed then).
Result<std::optional<service::SystemRecord>> SeedDemo(service::ServiceStore& store,
                                                      service::Accounts& accounts) {
  struct Seed {
    const char* organisation;
    const char* email;
    const char* name;
    service::Role role;
  };
  const Seed seeds[] = {
      {"Demo vendor", "vendor@demo.vxpkit.vn", "Demo Vendor", service::Role::kVendor},
      {"Certifying office", "certifier@demo.vxpkit.vn", "Demo Certifier",
       service::Role::kCertifier},
      {"Certifying office", "admin@demo.vxpkit.vn", "Demo Administrator", service::Role::kAdmin},
  };
  std::optional<service::User> vendor;
  for (const Seed& seed : seeds) {
    auto found = store.FindLogin(seed.email);
    if (!found) return tl::unexpected(found.error());
    if (*found) {
      Say(std::string("demo ") + std::string(service::ToString(seed.role)) + " " + seed.email +
          " (made by an earlier --demo start; its password was printed then)");
      if (seed.role == service::Role::kVendor) vendor = (*found)->first;
      continue;
    }
    auto org = OrganisationNamed(store, seed.organisation);
    if (!org) return tl::unexpected(org.error());
    std::string password = DemoPassword();
    auto user = accounts.Register(org->id, seed.email, seed.name, seed.role, password);
    if (!user) return tl::unexpected(user.error());
    Say(std::string("demo ") + std::string(service::ToString(seed.role)) + " " + seed.email +
        " password " + password);
    if (seed.role == service::Role::kVendor) vendor = *user;
  }
  std::optional<service::SystemRecord> system;
  if (vendor) {
    auto token = accounts.IssueApiToken(*vendor, "demo CI token");
    if (!token) return tl::unexpected(token.error());
    Say("demo API token (vendor) " + *token);
    // The demo vendor's system: the reference agency, run as `vxpkit agency` (printed once the
    // service listens). Made once; an earlier one is kept.
    auto systems = store.Systems(vendor->organisation_id);
    if (!systems) return tl::unexpected(systems.error());
    if (systems->empty()) {
      auto made =
          service::RegisterSystem(store, vendor->organisation_id,
                                  {"Reference agency",
                                   "vxpkit reference agency",
                                   VXP_VERSION,
                                   "000.00.00.H53",
                                   {"receive", "send", "revoke", "update", "replace", "recall"},
                                   ""},
                                  SystemMillis());
      if (!made) return tl::unexpected(made.error());
      system = *made;
    }
  }
  return system;
}

int RunServe(const ServeArgs& args) {
  auto where = SplitListen(args.listen);
  if (!where) return std::cerr << "vxpkit serve: " << where.error().message << "\n", 2;
  if (args.tls_cert.empty() != args.tls_key.empty()) {
    return std::cerr << "vxpkit serve: --tls-cert and --tls-key go together\n", 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(args.data, ec);
  if (ec) {
    return std::cerr << "vxpkit serve: cannot create --data " << args.data << ": " << ec.message()
                     << "\n",
           2;
  }
  const bool shared = !args.db.empty();
  if (shared && !pg::IsUrl(args.db)) {
    return std::cerr << "vxpkit serve: --db takes a PostgreSQL URL (postgresql://…); without it "
                        "the service keeps a SQLite database in --data\n",
           2;
  }
  auto store = shared ? service::OpenPostgresServiceStore(args.db)
                      : service::OpenSqliteServiceStore(args.data + "/service.db");
  if (!store) return std::cerr << "vxpkit serve: " << store.error().message << "\n", 2;
  service::Accounts accounts(**store, [] { return SystemMillis(); });
  Result<std::optional<service::SystemRecord>> seeded = std::optional<service::SystemRecord>();
  if (!args.create_admin.empty()) {
    if (auto made = CreateAdmin(**store, accounts, args.create_admin); !made) {
      return std::cerr << "vxpkit serve: " << made.error().message << "\n", 2;
    }
  }
  if (args.demo) {
    seeded = SeedDemo(**store, accounts);
    if (!seeded) return std::cerr << "vxpkit serve: " << seeded.error().message << "\n", 2;
  }
  // On a shared database each system's hub is kept there too, and fewer are held open (each
  // holds connections; the database remembers what a closed one had seen).
  service::Hubs hubs(
      **store, args.data + "/hubs", [] { return SystemMillis(); }, shared ? 16 : 64,
      shared ? args.db : "");
  // Runs under way when the service stops end INCOMPLETE with what they finished (its
  // destructor, after the listener has stopped).
  service::RunsOptions runs_options;
  runs_options.certification_profile = args.certification_profile;
  runs_options.slots = args.workers;
  runs_options.lease = std::chrono::seconds(args.run_lease);
  service::Runs runs(**store, args.data + "/runs", VXP_VERSION, runs_options);
  auto office = OfficeCredential(args);
  if (!office) return std::cerr << "vxpkit serve: " << office.error().message << "\n", 2;
  if (args.certificate_days < 1 || args.certificate_days > 3660) {
    return std::cerr << "vxpkit serve: --certificate-days must be 1 to 3660\n", 2;
  }
  service::WebOptions web_options{!args.tls_cert.empty(), VXP_VERSION};
  web_options.office = *office;
  web_options.office_name = args.office_name;
  web_options.certificate_days = args.certificate_days;
  web_options.public_url = args.public_url;
  while (web_options.public_url.ends_with('/')) web_options.public_url.pop_back();
  service::WebApp app(**store, accounts, web_options, &hubs, &runs);
  sigset_t signals = BlockStopSignals();
  http::ServerOptions options;
  options.host = where->first;
  options.port = where->second;
  // Packages to the systems' hubs are up to 100 MiB; forms and API calls are held to
  // WebApp::kMaxFormBytes by the admitter before their bodies are read.
  options.body_limit = hub::HubConfig{}.max_package_bytes + 1024;
  options.server_name = "vxpkit-serve";
  options.tls_cert_file = args.tls_cert;
  options.tls_key_file = args.tls_key;
  options.log = [](const std::string& line) { Say(line); };
  auto server = http::Server::Start(
      options, [&app](const wire::HttpRequest& request) { return app.Handle(request); },
      [&app](const wire::HttpRequest& head) { return app.Admit(head); });
  if (!server) return std::cerr << "vxpkit serve: " << server.error().message << "\n", 2;
  runs.SetWorkerUrl(args.advertise.empty() ? (*server)->url() : args.advertise);
  Say(shared ? "data " + pg::Redact(args.db) + " (shared), files " + args.data
             : "data " + args.data + "/service.db");
  Say("worker " + runs.worker() + ": runs " + std::to_string(args.workers) + " at once");
  if (*seeded) {
    const service::SystemRecord& sys = **seeded;
    Say("demo system " + sys.hub_id +
        " (the vendor's); run the reference agency as it with: "
        "vxpkit agency --hub " +
        (*server)->url() + "/hub/" + sys.hub_id + "/XrdAdapter/adapter --system " + sys.hub_id +
        ":" + sys.hub_secret + " --organ " + sys.agencies[0]);
  }
  return ServeUntilStopped(**server, signals);
}

}  // namespace

void RegisterHub(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<HubArgs>();
  CLI::App* cmd = app.add_subcommand(
      "hub",
      "Run the hub simulator: the national hub's HTTP API (docs/hub-simulator.md), which the VNPT "
      "SDK and\n"
      "any vendor's system can connect to unchanged. Messages are kept in SQLite or PostgreSQL\n"
      "(--db); several hubs on one PostgreSQL database serve the same mailboxes. Every\n"
      "request is logged on one line. Stops gracefully on Ctrl-C or SIGTERM.\n\n"
      "Examples:\n"
      "  vxpkit hub --listen 127.0.0.1:8080\n"
      "      the demo system vxpkit-demo / vxpkit-demo-secret owning 000.00.00.G22 and\n"
      "      000.00.00.H53; point the SDK at http://127.0.0.1:8080/XrdAdapter/adapter\n"
      "  vxpkit hub --listen 0.0.0.0:8080 --db hub.db \\\n"
      "      --system 00.53.W00:s3cret:000.00.00.H53 --system 00.22.W00:k3y:000.00.00.G22\n"
      "  vxpkit hub --fault latency,op=getReceivedEdocList,ms=2000 --fault "
      "duplicate,op=getReceivedEdocList\n"
      "      a slow hub that lists every item twice (docs/hub-simulator.md lists the fault forms)\n"
      "  vxpkit hub --listen 0.0.0.0:8081 --db postgresql://hub@db.example/hub \\\n"
      "      --system 00.53.W00:s3cret:000.00.00.H53\n"
      "      one of several instances on one database (put them behind one address); the schema "
      "is\n"
      "      created by whichever starts first");
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--db", args->db,
                  "where messages are kept: a SQLite file, or a PostgreSQL URL (postgresql://…) "
                  "shared by several hubs; survives restarts and crashes (default: in memory)");
  cmd->add_option("--config", args->config, "a JSON settings file (docs/hub-simulator.md)");
  cmd->add_option("--system", args->systems,
                  "ID:SECRET:ORGANID[,ORGANID…] a system and the agencies it sends for (repeat)");
  cmd->add_option("--fault", args->faults, "inject a fault, e.g. drop,op=updateStatus,times=1");
  cmd->add_option("--relay", args->relay, "verbatim (byte-exact, default) or reserialize")
      ->check(CLI::IsMember({"verbatim", "reserialize"}));
  cmd->add_option("--policy", args->policy,
                  "what to do with invalid packages: accept (default), warn, reject")
      ->check(CLI::IsMember({"accept", "warn", "reject"}));
  cmd->add_option("--directory", args->directory, "an agency directory file (tab-separated)");
  cmd->add_option("--tls-cert", args->tls_cert, "serve HTTPS with this PEM certificate (chain)");
  cmd->add_option("--tls-key", args->tls_key, "… and this PEM private key");
  cmd->add_option("--threads", args->threads, "I/O threads")->capture_default_str();
  cmd->add_option("--max-connections", args->max_connections,
                  "connections open at once (default 1000, lowered to the open-file limit); at "
                  "the cap a new one replaces the longest-idle one")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--max-elements", args->max_elements,
                  "elements per package, counted before parsing (default 100000)")
      ->check(CLI::Range(size_t{1}, size_t{100'000'000}));
  cmd->add_flag("--quiet", args->quiet, "do not log each request");
  cmd->callback([args, exit_code] { *exit_code = RunHub(*args); });
}

void RegisterServe(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Run the conformance service: a web application and an API for CI where organisations\n"
      "sign in (docs/service.md): accounts (sign-in, sessions, API tokens), systems under\n"
      "test (each with hub credentials and a hub of its own at\n"
      "/hub/<system id>/XrdAdapter/adapter on this listener), live runs of a plan against a\n"
      "system, and certification (docs/certification.md): a certifier reviews a certification\n"
      "run, waives verdicts with reasons, certifies; the certificate (PDF and signed JSON) is\n"
      "published in the public register at /register. Everything it keeps is under --data.\n"
      "Ctrl-C or SIGTERM stops it gracefully: runs under way end INCOMPLETE with what they\n"
      "finished.\n\n"
      "Examples:\n"
      "  vxpkit serve --data service-data --demo\n"
      "      makes a demo vendor, certifier and administrator account, a vendor API token and\n"
      "      the vendor's system, prints them and the command that connects the reference\n"
      "      agency to its hub; open http://127.0.0.1:8000 and sign in\n"
      "  vxpkit serve --data /srv/vxpkit --listen 0.0.0.0:443 --tls-cert c.pem --tls-key k.pem \\\n"
      "      --create-admin ops@office.gov.vn\n"
      "      a first administrator, who adds organisations and users in the browser\n"
      "  vxpkit serve --data /srv/vxpkit … --office-key office.key --office-cert office.crt \\\n"
      "      --public-url https://conformance.office.gov.vn\n"
      "      certificates signed with the office's key, their QR codes leading to that address\n"
      "  vxpkit serve --data /srv/vxpkit --db postgresql://vxp@db.office.gov.vn/conformance \\\n"
      "      --listen 0.0.0.0:8000 --advertise http://10.0.0.11:8000\n"
      "      one of several instances behind one address, sharing the database and its run\n"
      "      queue: each takes runs while it has a free worker (--workers)\n"
      "  curl -H 'Authorization: Bearer vxpt_...' http://127.0.0.1:8000/api/v1/me");
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--data", args->data,
                  "the directory the service keeps its database in (with --db: the files of "
                  "the runs it ran or served)")
      ->required();
  cmd->add_flag("--demo", args->demo,
                "make demo accounts (a vendor, a certifier) and a vendor API token, and print "
                "them");
  cmd->add_option("--create-admin", args->create_admin,
                  "make an administrator with this e-mail (a first password is printed once); "
                  "administrators add organisations and users on the Administration page");
  cmd->add_option("--tls-cert", args->tls_cert, "serve HTTPS with this PEM certificate (chain)");
  cmd->add_option("--tls-key", args->tls_key, "… and this PEM private key");
  cmd->add_option("--office-key", args->office_key,
                  "certification: the office's PEM private key, which signs certificates and the "
                  "register (docs/certification.md); without it runs can be reviewed and refused, "
                  "not certified");
  cmd->add_option("--office-cert", args->office_cert, "… its PEM certificate");
  cmd->add_option("--office-chain", args->office_chain,
                  "… the PEM certificates between it and the anchor verifiers trust (optional)");
  cmd->add_option("--office-name", args->office_name,
                  "the office's name on certificates (default: the certificate's title or O)");
  cmd->add_option("--certificate-days", args->certificate_days,
                  "how many days a certificate is valid")
      ->capture_default_str();
  cmd->add_option("--certification-profile", args->certification_profile,
                  "the run profile of the certification plan: certification (its deadlines and "
                  "an hour of load), or demo to try certification in a minute; every "
                  "certificate names the profile it rests on")
      ->check(CLI::IsMember({"certification", "demo"}))
      ->capture_default_str();
  cmd->add_option("--public-url", args->public_url,
                  "the service's public address for the verification URL and QR code on "
                  "certificates, e.g. https://conformance.example.gov.vn (default: the scheme "
                  "and Host of the certifier's request)");
  cmd->add_option("--db", args->db,
                  "a PostgreSQL URL (postgresql://…) that several instances behind one address "
                  "share: accounts, systems, their hubs, the run queue, feeds and results "
                  "(docs/service.md); default: a SQLite file in --data, for one instance");
  cmd->add_option("--workers", args->workers,
                  "runs this instance takes from the queue at once (0: it serves pages and the "
                  "API and runs none)")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  cmd->add_option("--advertise", args->advertise,
                  "with --db: the URL the other instances reach this one at, to which they "
                  "forward a system's hub traffic during a run taken here (default: the "
                  "listener's URL; set it when listening on 0.0.0.0)");
  cmd->add_option("--run-lease", args->run_lease,
                  "with --db: seconds a run outlives its instance's silence before another "
                  "closes it INCOMPLETE (renewed every sixth of it)")
      ->check(CLI::Range(2, 3600))
      ->capture_default_str();
  cmd->callback([args, exit_code] { *exit_code = RunServe(*args); });
}

void RegisterAgency(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<AgencyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "agency",
      "Run a mock agency against a hub (the simulator or any other): it polls, fetches, judges\n"
      "and answers documents as the reference behaviour does, or breaks one rule (--profile).\n"
      "With --driver it serves the test-driver API (docs/driver-api.md) to send documents,\n"
      "advance, recall. Stops on Ctrl-C or SIGTERM.\n\n"
      "Examples:\n"
      "  vxpkit agency --hub http://127.0.0.1:8080/XrdAdapter/adapter \\\n"
      "      --system vxpkit-demo:vxpkit-demo-secret --organ 000.00.00.H53 --driver "
      "127.0.0.1:9090\n"
      "  curl -d '{\"to\":[\"000.00.00.G22\"]}' http://127.0.0.1:9090/driver/v1/send\n"
      "  vxpkit agency --list-profiles");
  cmd->add_option("--hub", args->hub_url, "the hub's base URL");
  cmd->add_option("--system", args->system, "ID:SECRET of the system the agency belongs to");
  cmd->add_option("--organ", args->organ, "the agency identifier it acts for, e.g. 000.00.00.H53");
  cmd->add_option("--profile", args->profile, "reference, or a fault profile (--list-profiles)")
      ->capture_default_str();
  cmd->add_option("--driver", args->driver, "HOST:PORT to serve the test-driver API on");
  cmd->add_option("--poll-ms", args->poll_ms, "polling interval")->capture_default_str();
  cmd->add_option("--step-ms", args->step_ms, "delay between 03, 04, 05 and 06")
      ->capture_default_str();
  cmd->add_flag("--refuse", args->refuse, "answer recall/revoke/update/replace with 16, not 15");
  cmd->add_flag("--no-progress", args->no_progress, "stay at 03 unless the driver advances");
  cmd->add_flag("--allow-unsigned-pdf", args->allow_unsigned_pdf,
                "accept documents whose PDF is not signed (rejected with 02 by default)");
  cmd->add_flag("--list-profiles", args->list_profiles, "print the profiles and what each breaks");
  cmd->callback([args, exit_code] { *exit_code = RunAgency(*args); });
}

}  // namespace vxp::cli
