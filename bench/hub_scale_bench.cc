// Several `vxpkit hub` processes on one PostgreSQL database, beside one process on a SQLite file,
// in one run (issue: beyond one machine). Each figure starts its hubs afresh on an empty store:
//   - durable sendEdoc/s of 10 KB packages (a DocId is answered only once the submission is on
//     stable storage, for both stores), client threads spread round-robin over the instances;
//   - full send → list → get → ack cycles/s, the send through one instance and the list, get and
//     ack through the next one, so that every cycle crosses instances when there are several;
//   - p50/p99 of one call, and the rate as a multiple of the one SQLite process's.
// PostgreSQL is a server of the bench's own (pg::LocalServer, fsync on), on a Unix socket. On a
// 2-core machine the instances, the server and the clients share the cores: more instances show
// what the coordination costs, not more capacity; on more cores they show how far it scales.
// A program, not a test: build/bench/hub_scale_bench [--quick] [--clients N] [--vxpkit PATH]
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "bench/hub_process.h"
#include "clients/hub_client.h"
#include "storage/postgres.h"

namespace {

using vxp::bench::Figures;
using vxp::bench::HubProcess;
using vxp::bench::Measure;
using vxp::clients::HubClient;
using vxp::clients::HubClientOptions;

constexpr int kReceivers = 8;

std::string ReceiverCode(int i) { return "000.00.0" + std::to_string(i) + ".H53"; }

std::unique_ptr<HubClient> Client(const std::string& url, const std::string& id,
                                  const char* secret) {
  HubClientOptions o;
  o.url = url;
  o.credentials = {id, secret};
  return std::move(*HubClient::Create(o));
}

struct Row {
  std::string label;
  Figures send, cycle;
};

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  int clients = 8;
  std::string vxpkit =
      (std::filesystem::canonical("/proc/self/exe").parent_path().parent_path() / "bin" / "vxpkit")
          .string();
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) seconds = 0.7;
    if (std::strcmp(argv[i], "--clients") == 0 && i + 1 < argc) clients = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--vxpkit") == 0 && i + 1 < argc) vxpkit = argv[++i];
  }
  auto server = vxp::pg::LocalServer::Start();
  if (!server) {
    std::fprintf(stderr, "hub_scale_bench: %s\n", server.error().message.c_str());
    return 2;
  }
  const std::string package = vxp::bench::Package(10 << 10);
  std::printf(
      "hub_scale_bench: %d client threads, %.1f s per figure, %zu-byte package, hubs as "
      "processes on loopback\n",
      clients, seconds, package.size());
  auto dir = std::filesystem::temp_directory_path() / "vxpkit-hub-scale-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  struct Setup {
    std::string label;
    int instances;
    bool postgres;
  };
  std::vector<Setup> setups = {{"SQLite file, 1 hub process", 1, false},
                               {"PostgreSQL, 1 hub process", 1, true},
                               {"PostgreSQL, 2 hub processes", 2, true},
                               {"PostgreSQL, 4 hub processes", 4, true}};
  std::vector<Row> rows;
  int n = 0;
  for (const Setup& setup : setups) {
    Row row{setup.label, {}, {}};
    for (int figure = 0; figure < 2; ++figure) {  // a fresh store for each figure
      ++n;
      std::string db = (dir / ("hub" + std::to_string(n) + ".db")).string();
      if (setup.postgres) {
        auto url = (*server)->CreateDatabase("scale" + std::to_string(n));
        if (!url) {
          std::fprintf(stderr, "hub_scale_bench: %s\n", url.error().message.c_str());
          return 2;
        }
        db = *url;
      }
      std::vector<std::unique_ptr<HubProcess>> hubs;
      std::vector<std::string> args = {"--db", db, "--quiet", "--system",
                                       "bench.g22:s1:000.00.00.G22"};
      for (int i = 1; i <= kReceivers; ++i) {
        args.push_back("--system");
        args.push_back("bench.r" + std::to_string(i) + ":s3:" + ReceiverCode(i));
      }
      for (int i = 0; i < setup.instances; ++i) {
        hubs.push_back(std::make_unique<HubProcess>(
            vxpkit, args,
            (dir / ("hub" + std::to_string(n) + "_" + std::to_string(i) + ".log")).string()));
      }
      std::atomic<int> next{0};
      if (figure == 0) {
        struct Sender {
          std::unique_ptr<HubClient> c;
        };
        row.send = Measure<Sender>(
            clients, seconds,
            [&] { return Sender{Client(hubs[next++ % hubs.size()]->url(), "bench.g22", "s1")}; },
            [&](Sender& s) { return s.c->SendEdoc("000.00.00.G22", "edoc", package).has_value(); });
      } else {
        struct Pair {
          std::unique_ptr<HubClient> sender, receiver;
          std::string package;
        };
        row.cycle = Measure<Pair>(
            clients, seconds,
            [&] {
              int k = next++;
              int r = 1 + k % kReceivers;
              auto doc =
                  vxp::edxml::samples::Document(vxp::bench::RandomBytes((10 << 10) * 3 / 4 - 2000));
              doc.document()->to[0].organ_id = ReceiverCode(r);
              return Pair{
                  Client(hubs[k % hubs.size()]->url(), "bench.g22", "s1"),
                  Client(hubs[(k + 1) % hubs.size()]->url(), "bench.r" + std::to_string(r), "s3"),
                  *vxp::edxml::Serialize(doc)};
            },
            [&](Pair& p) {
              if (!p.sender->SendEdoc("000.00.00.G22", "edoc", p.package)) return false;
              auto items = p.receiver->ReceivedList("edoc");
              if (!items || items->empty()) return false;
              const std::string& id = items->front().doc_id;
              return p.receiver->GetEdoc(id).has_value() &&
                     p.receiver->UpdateStatus(id, "done").has_value();
            });
      }
    }
    rows.push_back(row);
  }
  const Row& base = rows.front();
  for (const Row& row : rows) {
    for (const auto& [what, f, b] :
         {std::tuple{"sendEdoc 10 KB, durable", row.send, base.send},
          std::tuple{"send → list → get → ack", row.cycle, base.cycle}}) {
      std::printf("  %-30s %-24s %8.0f/s   p50 %6.2f ms   p99 %7.2f ms   %5.2fx SQLite%s\n",
                  row.label.c_str(), what, f.per_second, f.p50_ms, f.p99_ms,
                  b.per_second > 0 ? f.per_second / b.per_second : 0,
                  f.errors ? "   (errors!)" : "");
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
