// The hub simulator on loopback, through the HTTP adapter and the wire protocol (HMAC headers,
// JSON envelopes), against a trivial endpoint served by the same adapter in the same process (the
// transport baseline: what keep-alive HTTP on loopback costs before the hub does any work):
//   - sendEdoc/s for 10 KB packages, with the SQLite store on disk (each acknowledged submission
//     is on stable storage) and in memory;
//   - full send → list → get → ack cycles/s, with p50/p99 latency of one cycle;
//   Each of these figures is measured in rounds that alternate with the trivial endpoint (one
//   second each), so a ratio compares two measurements taken seconds apart, not a whole run
//   apart: on a shared machine the rate of both moves by tens of percent within a minute. It
//   prints the median round's figures and ratio, and the range of the rounds' ratios.
//   - a small authenticated request's p99 while two clients keep 20 MB packages of five million
//     elements in flight, beside its p99 with nothing else in flight (the hardening target:
//     under 100 ms on a 2-core machine).
// A program, not a test: build/bench/hub_bench [--quick] [--clients N] [--rounds N]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "clients/hub_client.h"
#include "core/common/clock.h"
#include "simulator/http/server.h"
#include "simulator/hub/directory.h"
#include "simulator/hub/hub.h"

namespace {

using vxp::bench::Clock;
using vxp::bench::Figures;
using vxp::bench::Measure;
namespace hub = vxp::hub;
using vxp::clients::HubClient;
using vxp::clients::HubClientOptions;
namespace wire = vxp::wire;

std::string ReceiverCode(int i) { return "000.00.0" + std::to_string(i) + ".H53"; }

struct Running {
  std::unique_ptr<hub::Hub> hub;
  std::unique_ptr<vxp::http::Server> server;
};

Running StartHub(const std::string& db) {
  Running r;
  auto store = hub::OpenSqliteStore(db);
  if (!store) {
    std::fprintf(stderr, "hub_bench: %s\n", store.error().message.c_str());
    std::exit(2);
  }
  auto now = [] { return vxp::SystemMillis(); };
  r.hub = std::make_unique<hub::Hub>(std::move(*store), hub::HubConfig{}, now);
  (void)r.hub->SeedDirectory(hub::DefaultDirectory());
  (void)r.hub->RegisterSystem({"bench.g22", "s1"}, {"000.00.00.G22"});
  (void)r.hub->RegisterSystem({"bench.h53", "s2"}, {"000.00.00.H53"});
  // One receiving system per client thread of the cycle figure (000.00.01.H53, 000.00.02.H53…),
  // so that the threads do not race for the same pending items.
  for (int i = 1; i <= 8; ++i) {
    (void)r.hub->RegisterSystem({"bench.r" + std::to_string(i), "s3"}, {ReceiverCode(i)});
  }
  vxp::http::ServerOptions options;
  options.threads = 2;
  r.server = std::move(*vxp::http::Server::StartHub(options, *r.hub));
  return r;
}

std::unique_ptr<HubClient> Client(const std::string& url, const char* id, const char* secret) {
  HubClientOptions o;
  o.url = url;
  o.credentials = {id, secret};
  return std::move(*HubClient::Create(o));
}

// A figure measured in rounds alternating with its baseline: the median round by ratio (the
// baseline's rate over the figure's, i.e. how many trivial requests one operation costs), and the
// lowest and highest ratio of the rounds.
struct Paired {
  Figures figure, base;
  double ratio = 0, low = 0, high = 0;
  bool errors = false;
};

Paired Alternate(int rounds, const std::function<Figures()>& base,
                 const std::function<Figures()>& figure) {
  std::vector<Paired> all(rounds);
  bool errors = false;
  for (Paired& p : all) {
    p.base = base();
    p.figure = figure();
    p.ratio = p.base.per_second / std::max(p.figure.per_second, 1e-9);
    errors = errors || p.figure.errors > 0 || p.base.errors > 0;
  }
  std::sort(all.begin(), all.end(),
            [](const Paired& a, const Paired& b) { return a.ratio < b.ratio; });
  Paired out = all[all.size() / 2];
  out.low = all.front().ratio;
  out.high = all.back().ratio;
  out.errors = errors;
  return out;
}

void Print(const char* what, const Paired& p, const char* unit) {
  std::printf("  %-44s %9.0f %s/s   p50 %6.2f ms   p99 %6.2f ms   %5.2fx baseline (%.2f-%.2f)%s\n",
              what, p.figure.per_second, unit, p.figure.p50_ms, p.figure.p99_ms, p.ratio, p.low,
              p.high, p.errors ? "   (errors!)" : "");
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  int clients = 2, rounds = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) seconds = 0.5, rounds = 1;
    if (std::strcmp(argv[i], "--clients") == 0 && i + 1 < argc) clients = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    }
  }
  const double slice = std::min(seconds, 1.0);  // one round of a figure, and of its baseline
  const std::string package = vxp::bench::Package(10 << 10);
  std::printf(
      "hub_bench: %d client threads, %.1f s for the baseline, %d round(s) of %.1f s per figure "
      "(each beside %.1f s of the baseline), %zu-byte package, loopback\n",
      clients, seconds, rounds, slice, slice, package.size());

  // The baseline: the same adapter, a handler that does nothing, the same body size.
  vxp::http::ServerOptions options;
  options.threads = 2;
  auto trivial = std::move(*vxp::http::Server::Start(options, [](const hub::Request&) {
    return hub::Response{200, "application/json", R"({"status":"OK","ErrorCode":"0"})"};
  }));
  struct Raw {
    std::unique_ptr<vxp::http::Client> c;
  };
  auto measure_base = [&](double for_seconds) {
    return Measure<Raw>(
        clients, for_seconds,
        [&] { return Raw{std::move(*vxp::http::Client::Create(trivial->url()))}; },
        [&](Raw& r) { return r.c->Send("POST", "/x", {}, package).has_value(); });
  };
  Figures base = measure_base(seconds);
  std::printf("  %-44s %9.0f req/s   p50 %6.2f ms   p99 %6.2f ms   (baseline)\n",
              "trivial endpoint, 10 KB POST", base.per_second, base.p50_ms, base.p99_ms);

  auto dir = std::filesystem::temp_directory_path() / "vxpkit-hub-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const auto& [label, db] :
       {std::pair<const char*, std::string>{"disk", (dir / "hub.db").string()},
        {"memory", ":memory:"}}) {
    Running running = StartHub(db);
    std::string url = running.server->url() + "/XrdAdapter/adapter";
    struct Sender {
      std::unique_ptr<HubClient> c;
    };
    Paired send = Alternate(
        rounds, [&] { return measure_base(slice); },
        [&] {
          return Measure<Sender>(
              clients, slice, [&] { return Sender{Client(url, "bench.g22", "s1")}; },
              [&](Sender& s) {
                return s.c->SendEdoc("000.00.00.G22", "edoc", package).has_value();
              });
        });
    Print((std::string("sendEdoc 10 KB, store on ") + label).c_str(), send, "doc");

    // Full cycles. Each client thread owns its sender and its receiving system: it sends, lists
    // (exactly that one item is pending), fetches and acknowledges. The store holds every
    // submission of the figure before, so listing runs against a store with history.
    struct Pair {
      std::unique_ptr<HubClient> sender, receiver;
      std::string package;
    };
    std::atomic<int> next_receiver{0};
    auto measure_cycle = [&] {
      return Measure<Pair>(
          clients, slice,
          [&] {
            int i = 1 + next_receiver++ % 8;
            auto doc =
                vxp::edxml::samples::Document(vxp::bench::RandomBytes((10 << 10) * 3 / 4 - 2000));
            doc.document()->to[0].organ_id = ReceiverCode(i);
            return Pair{Client(url, "bench.g22", "s1"),
                        Client(url, ("bench.r" + std::to_string(i)).c_str(), "s3"),
                        *vxp::edxml::Serialize(doc)};
          },
          [&](Pair& p) {
            if (!p.sender->SendEdoc("000.00.00.G22", "edoc", p.package)) return false;
            auto items = p.receiver->ReceivedList("edoc");
            if (!items || items->size() != 1) return false;  // exactly the one just sent
            const std::string& id = items->front().doc_id;
            auto bytes = p.receiver->GetEdoc(id);
            return bytes.has_value() && p.receiver->UpdateStatus(id, "done").has_value();
          });
    };
    Paired cycle = Alternate(
        rounds, [&] { return measure_base(slice); }, measure_cycle);
    Print((std::string("send → list → get → ack cycle, store on ") + label).c_str(), cycle,
          "cycle");
    running.server->Stop();
  }
  std::filesystem::remove_all(dir);

  // Hostile neighbours: two clients keep element floods in flight while one asks for its list.
  {
    Running running = StartHub(":memory:");
    std::string url = running.server->url() + "/XrdAdapter/adapter";
    struct Lister {
      std::unique_ptr<HubClient> c;
    };
    auto lister = [&] { return Lister{Client(url, "bench.h53", "s2")}; };
    auto list = [](Lister& l) { return l.c->ReceivedList("edoc").has_value(); };
    Figures alone = Measure<Lister>(1, seconds, lister, list);
    std::string flood = "<edXML>";
    for (int i = 0; i < 5'000'000; ++i) flood += "<x/>";
    flood += "</edXML>";
    std::atomic<bool> stop{false};
    std::atomic<long> floods{0};
    std::vector<std::thread> flooders;
    for (int i = 0; i < 2; ++i) {
      flooders.emplace_back([&] {
        auto c = Client(url, "bench.g22", "s1");
        while (!stop) {
          auto r = c->SendEdoc("000.00.00.G22", "edoc", flood);
          if (!r && r.error().code == "hub.2006") ++floods;  // refused: EDXML-XML-ELEMENTS
        }
      });
    }
    while (floods < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    Figures beside = Measure<Lister>(1, seconds, lister, list);
    stop = true;
    for (auto& t : flooders) t.join();
    std::printf("  %-44s %9.0f req/s   p50 %6.2f ms   p99 %6.2f ms   (baseline)\n",
                "getReceivedEdocList, nothing else in flight", alone.per_second, alone.p50_ms,
                alone.p99_ms);
    std::printf(
        "  %-44s %9.0f req/s   p50 %6.2f ms   p99 %6.2f ms   %5.2fx baseline p99 (target p99 "
        "< 100 ms)%s\n",
        "… beside two 20 MB element floods", beside.per_second, beside.p50_ms, beside.p99_ms,
        beside.p99_ms / std::max(alone.p99_ms, 1e-9), beside.errors ? "   (errors!)" : "");
    std::printf("  %-44s %9ld refused with 2006 EDXML-XML-ELEMENTS meanwhile\n", "floods",
                floods.load());
    running.server->Stop();
  }
  return 0;
}
