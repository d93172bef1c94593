// The load engine measured against the hub simulator on loopback, in one run:
//   1. the engine's ceiling: every message due at once on 8 connections (sendEdoc of a 10 KB
//      document), messages/s with p50/p99/p99.9 of one request;
//   2. wrk (Debian's wrk) on the same endpoint with the same request and 8 connections: the
//      baseline the engine's ceiling is a ratio of;
//   3. the engine on the open model at half and 90% of its ceiling: the rate it achieved and the
//      latency from intended send times (how faithfully it keeps a schedule);
//   4. the reference agency's sustained rate: LOAD-STEADY (demo profile) against it at doubling
//      rates until it no longer keeps up, then twice halfway between the last rate it kept up
//      with and the first it did not.
// A program, not a test: build/bench/load_bench [--quick] [--steady SCALE]
// (--steady runs only LOAD-STEADY once, at SCALE times the demo's rates: one rate to profile.)
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "bench/bench_util.h"
#include "conformance/common.h"
#include "conformance/run.h"
#include "core/common/clock.h"
#include "core/common/text.h"
#include "harness/demo.h"
#include "harness/load/engine.h"
#include "harness/load/histogram.h"
#include "simulator/http/server.h"
#include "simulator/hub/hub.h"

namespace {

namespace hub = vxp::hub;
namespace load = vxp::load;
using vxp::clients::HubClient;
using vxp::clients::HubClientOptions;
namespace wire = vxp::wire;

wire::Millis WallClock() { return vxp::SystemMillis(); }

struct Figures {
  double per_second = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = -1;
  long errors = 0;
};

void Print(const char* what, const Figures& f, double baseline) {
  std::printf("  %-44s %9.0f msg/s  p50 %6.2f ms  p99 %6.2f ms  p99.9 ", what, f.per_second,
              f.p50_ms, f.p99_ms);
  if (f.p999_ms >= 0) {
    std::printf("%6.2f ms", f.p999_ms);
  } else {
    std::printf("   n/a   ");
  }
  if (baseline > 0) std::printf("  (%.2fx wrk)", f.per_second / baseline);
  if (f.errors) std::printf("  errors %ld", f.errors);
  std::printf("\n");
}

// Runs the engine over `schedule`; latencies from the intended send time (`from_intended`) or
// from the request's start (the ceiling, where everything is due at once).
Figures Engine(const std::string& url, const std::string& package,
               const std::vector<load::Micros>& schedule, bool from_intended) {
  load::SenderOptions o;
  o.client.url = url;
  o.client.credentials = {"bench.senders", "s1"};
  o.connections = 8;
  auto run = load::SendOnSchedule(
      schedule,
      [&](size_t) {
        return load::Outgoing{"000.00.00.G22", package};
      },
      o);
  Figures f;
  if (!run) {
    std::fprintf(stderr, "load_bench: %s\n", run.error().message.c_str());
    return f;
  }
  load::Histogram h;
  load::Micros first = INT64_MAX, last = 0;
  for (const load::SendRecord& r : run->records) {
    if (!r.error.empty()) ++f.errors;
    h.Record(r.done - (from_intended ? r.intended : r.started));
    first = std::min(first, r.started);
    last = std::max(last, r.done);
  }
  f.per_second =
      static_cast<double>(run->records.size()) / (static_cast<double>(last - first) / 1e6);
  f.p50_ms = static_cast<double>(h.ValueAtPercentile(50)) / 1000;
  f.p99_ms = static_cast<double>(h.ValueAtPercentile(99)) / 1000;
  f.p999_ms = static_cast<double>(h.ValueAtPercentile(99.9)) / 1000;
  return f;
}

// The exact request the engine sends (method, target, headers, body), captured from one send.
hub::Request CaptureRequest(const std::string& package) {
  hub::Request captured;
  auto server = vxp::http::Server::Start({}, [&](const hub::Request& q) {
    captured = q;
    return hub::Response{200, "application/json", wire::OkResponse({{"DocId", "1"}})};
  });
  HubClientOptions co;
  co.url = (*server)->url() + "/XrdAdapter/adapter";
  co.credentials = {"bench.senders", "s1"};
  (void)(*HubClient::Create(co))->SendEdoc("000.00.00.G22", "edoc", package);
  (*server)->Stop(std::chrono::milliseconds(200));
  return captured;
}

// A Lua string literal of exactly `s` (a long string would turn "\r\n" into "\n" and change the
// body the hash-file header signs).
std::string LuaString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03u", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

double ParseMs(const std::string& v) {
  double x = std::atof(v.c_str());
  if (v.find("us") != std::string::npos) return x / 1000;
  if (v.find("ms") != std::string::npos) return x;
  if (v.find('s') != std::string::npos) return x * 1000;
  return x;
}

// wrk with the captured request on `url`, 2 threads, 8 connections; nullopt-like zero figures
// when wrk is missing.
Figures Wrk(const std::string& base_url, const hub::Request& q, int seconds) {
  Figures f;
  if (std::system("command -v wrk >/dev/null 2>&1") != 0) {
    std::printf("  wrk is not installed (apt install wrk): no baseline\n");
    return f;
  }
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "vxpkit-load-bench";
  std::filesystem::create_directories(dir);
  std::ofstream lua(dir / "request.lua");
  lua << "wrk.method = \"" << q.method << "\"\nwrk.body = " << LuaString(q.body) << "\n";
  for (const auto& [name, value] : q.headers) {
    std::string n = vxp::AsciiLower(name);
    if (n == "host" || n == "content-length") continue;
    lua << "wrk.headers[" << LuaString(name) << "] = " << LuaString(value) << "\n";
  }
  // The hub answers its refusals with HTTP 200 and an ErrorCode: count them, so a baseline of
  // refusals cannot pass for throughput.
  lua << "local threads = {}\n"
         "function setup(thread) table.insert(threads, thread) end\n"
         "function init(args) refused = 0 end\n"
         "function response(status, headers, body)\n"
         "  if not string.find(body, '\"ErrorCode\":\"0\"', 1, true) then refused = refused + 1 "
         "end\n"
         "end\n"
         "function done(summary, latency, requests)\n"
         "  local n = 0\n"
         "  for _, t in ipairs(threads) do n = n + t:get(\"refused\") end\n"
         "  io.write(string.format(\"vxpkit-refused: %d\\n\", n))\n"
         "end\n";
  lua.close();
  std::string cmd = "wrk -t2 -c8 -d" + std::to_string(seconds) + "s --latency -s " +
                    (dir / "request.lua").string() + " '" + base_url + q.target + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (p && std::fgets(buf, sizeof buf, p)) out += buf;
  if (p) pclose(p);
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream w(line);
    std::string a, b;
    w >> a >> b;
    if (a == "Requests/sec:") f.per_second = std::atof(b.c_str());
    if (a == "50%") f.p50_ms = ParseMs(b);
    if (a == "99%") f.p99_ms = ParseMs(b);
    if (a == "Non-2xx" || a == "vxpkit-refused:") {
      f.errors += std::atol(line.substr(line.find(':') + 1).c_str());
    }
  }
  if (f.per_second == 0 || f.errors > 0) std::printf("  wrk said:\n%s\n", out.c_str());
  return f;
}

// One LOAD-STEADY run at `scale` times the demo's rates: whether the SUT kept up (the scenario
// passes and the 01s come back as fast as documents are offered), and the rate offered; nullopt
// when the run did not start.
std::optional<std::pair<bool, double>> Steady(double scale) {
  vxp::harness::RunOptions options;
  options.profile = "demo";
  options.only = {"LOAD-STEADY"};
  options.load_rate_scale = scale;
  auto run = vxp::conformance::RunCatalogue(vxp::harness::DemoSutConfig(), options,
                                            std::string("reference"));
  if (!run || run->scenarios.size() < 2) {
    std::printf("  the run did not start: %s\n",
                run ? run->error.c_str() : run.error().message.c_str());
    return std::nullopt;
  }
  const auto& s = run->scenarios.back();
  boost::json::object figures = s.load.value_or(boost::json::object{});
  double offered = 0, arrived = 0, p99 = 0;
  if (figures.contains("rates")) {
    offered = figures["rates"].at("offered_per_s").to_number<double>();
    arrived = figures["rates"].at("arrived_per_s").to_number<double>();
    p99 = figures["latency"].at("arrived").at("p99_ms").to_number<double>();
  }
  bool keeps_up = s.verdict == vxp::Verdict::kPass && arrived >= 0.95 * offered;
  std::printf("  offered %6.0f/s  01 back at %6.0f/s  p99 time to 01 %8.1f ms  %s, %s\n", offered,
              arrived, p99, std::string(vxp::ToString(s.verdict)).c_str(),
              keeps_up ? "keeps up" : "falls behind");
  return std::make_pair(keeps_up, offered);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  if (argc > 1 && std::strcmp(argv[1], "--steady") == 0) {
    char* end = nullptr;
    double scale = argc > 2 ? std::strtod(argv[2], &end) : 0;
    if (argc != 3 || *end != '\0' || !(scale > 0)) {
      std::fprintf(stderr, "load_bench: --steady needs one positive number, e.g. --steady 28\n");
      return 2;
    }
    std::printf(
        "load_bench: LOAD-STEADY against the reference agency at %s times the demo's rates\n",
        argv[2]);
    return Steady(scale) ? 0 : 1;
  }
  std::printf("load_bench%s: the load engine against the hub simulator on loopback\n",
              quick ? " (quick)" : "");
  auto store = hub::OpenSqliteStore(":memory:");  // the harness's store
  hub::Hub h(std::move(*store), hub::HubConfig{}, WallClock);
  (void)h.RegisterSystem({"bench.senders", "s1"}, {"000.00.00.G22"});
  (void)h.RegisterSystem({"bench.sut", "s2"}, {"000.00.00.H53"});
  vxp::http::ServerOptions so;
  so.threads = 2;
  auto server = vxp::http::Server::Start(so, [&](const hub::Request& q) { return h.Handle(q); });
  if (!server) {
    std::fprintf(stderr, "load_bench: %s\n", server.error().message.c_str());
    return 2;
  }
  const std::string url = (*server)->url() + "/XrdAdapter/adapter";
  const std::string package = vxp::bench::Package(10 << 10);
  const int seconds = quick ? 2 : 5;

  std::printf("\nsendEdoc of a %s document, 8 connections:\n",
              vxp::bench::SizeLabel(package.size()).c_str());
  Figures wrk = Wrk((*server)->url(), CaptureRequest(package), seconds);
  Print("wrk (baseline, closed loop)", wrk, 0);
  std::vector<load::Micros> at_once(static_cast<size_t>(quick ? 4000 : 20000), 0);
  Figures ceiling = Engine(url, package, at_once, false);
  Print("load engine, every message due at once", ceiling, wrk.per_second);
  for (double share : {0.5, 0.9}) {
    double rate = ceiling.per_second * share;
    auto schedule = load::Arrivals(
        {{"open", load::Arrival::kConstant, rate, -1, std::chrono::seconds(seconds)}}, 1);
    Figures open = Engine(url, package, *schedule, true);
    char what[96];
    std::snprintf(what, sizeof what, "load engine, open model at %.0f/s (%.0f%%)", rate,
                  share * 100);
    Print(what, open, wrk.per_second);
  }
  (*server)->Stop(std::chrono::milliseconds(500));

  std::printf(
      "\nthe reference agency under LOAD-STEADY (demo profile, doubling the rates, then two "
      "halvings of the gap):\n");
  double sustained = 0, passed = 0, failed = 0;
  for (double scale :
       quick ? std::vector<double>{1, 4, 16} : std::vector<double>{1, 2, 4, 8, 16, 32, 64}) {
    auto r = Steady(scale);
    if (!r) break;
    if (!r->first) {
      failed = scale;
      break;
    }
    passed = scale;
    sustained = r->second;
  }
  // Between the last rate it kept up with and the first it did not, twice: the sustained rate
  // within a quarter of the last doubling instead of a factor of two.
  for (int i = 0; i < (quick ? 0 : 2) && passed > 0 && failed > 0; ++i) {
    double scale = (passed + failed) / 2;
    auto r = Steady(scale);
    if (!r) break;
    if (r->first) {
      passed = scale;
      sustained = r->second;
    } else {
      failed = scale;
    }
  }
  std::printf(
      "  sustained: %.0f documents/s (the highest rate LOAD-STEADY passed at with the 01s "
      "keeping pace)\n",
      sustained);
  return 0;
}
