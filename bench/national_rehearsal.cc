// A national-scale rehearsal (docs/scale.md): a directory the size of the live hub's and a day of
// national traffic, replayed faster than real time through several hub processes on one
// PostgreSQL.
//   1. A directory of --agencies units (default 111,000; NationalDirectory: four levels of QĐ 20
//      identifiers), each served by its level-1 unit's system (93 systems), loaded in bulk into a
//      new database.
//   2. --instances `vxpkit hub` processes on it (default 2), given the same directory file.
//   3. A day of --docs-per-day documents (default 12,700; the derivation is in docs/scale.md):
//      90 % in office hours (07:30–16:30), the rest over the other hours; each from a random unit
//      to 1–3 others (70 % in its own ministry or province), sent --speed times faster than real
//      time (default 100×) by an open-model pool of senders, each document through the next
//      instance in turn. Every system polls through the instances in turn, fetches and
//      acknowledges what it is sent. --from and --hours choose the part of the day replayed.
//   4. The report: times, rates, the senders' lateness, each hub's peak memory, the database's
//      size, and the exactly-once counters read from the database at the end: submissions stored
//      = sends acknowledged, a delivery for every recipient of each, none twice, none lost, none
//      left unacknowledged. Exit status 1 when a counter is off, so a short run is a test.
// A program, not a test: build/bench/national_rehearsal [--speed X] [--from HOUR] [--hours H]
//   [--docs-per-day N] [--instances N] [--agencies N] [--vxpkit PATH]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "bench/hub_process.h"
#include "clients/hub_client.h"
#include "simulator/hub/directory.h"
#include "simulator/hub/store.h"
#include "storage/postgres.h"

namespace {

using vxp::bench::Clock;
using vxp::bench::HubProcess;
using vxp::clients::HubClient;
using vxp::clients::HubClientOptions;
namespace hub = vxp::hub;

struct Options {
  double speed = 100, from = 0, hours = 24;
  int docs_per_day = 12'700, instances = 2, agencies = 111'000;
  int senders = 16, receivers = 4;
  std::string vxpkit;
};

struct Doc {
  double due = 0;  // seconds after the replay starts
  size_t sender = 0;
  std::vector<size_t> recipients;
};

std::string Secret(const std::string& system) { return "rehearsal-" + system; }

// The day's documents inside [from, from + hours), at their replay times.
std::vector<Doc> Traffic(const Options& o, const std::vector<hub::Agency>& dir) {
  std::mt19937_64 rng(20261202);
  std::uniform_real_distribution<double> unit(0, 1);
  std::map<std::string, std::vector<size_t>> by_system;
  for (size_t i = 0; i < dir.size(); ++i) by_system[dir[i].system_id].push_back(i);
  std::vector<Doc> out;
  for (int i = 0; i < o.docs_per_day; ++i) {
    double hour = unit(rng) < 0.9 ? 7.5 + 9 * unit(rng) : [&] {
      double h = 15 * unit(rng);  // the 15 hours outside 07:30–16:30
      return h < 7.5 ? h : h + 9;
    }();
    Doc d;
    d.sender = static_cast<size_t>(unit(rng) * static_cast<double>(dir.size()));
    double k = unit(rng);
    size_t count = k < 0.6 ? 1 : k < 0.85 ? 2 : 3;
    const auto& home = by_system[dir[d.sender].system_id];
    while (d.recipients.size() < count) {
      size_t r = unit(rng) < 0.7 ? home[static_cast<size_t>(unit(rng) * home.size())]
                                 : static_cast<size_t>(unit(rng) * dir.size());
      if (r != d.sender &&
          std::find(d.recipients.begin(), d.recipients.end(), r) == d.recipients.end()) {
        d.recipients.push_back(r);
      }
    }
    if (hour < o.from || hour >= o.from + o.hours) continue;
    d.due = (hour - o.from) * 3600 / o.speed;
    out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(), [](const Doc& a, const Doc& b) { return a.due < b.due; });
  return out;
}

std::string PackageFor(const Doc& d, size_t n, const std::vector<hub::Agency>& dir,
                       const std::string& attachment) {
  auto package = vxp::edxml::samples::Document(attachment);
  auto* h = package.document();
  vxp::edxml::Organization to = h->to.front();
  h->from.organ_id = dir[d.sender].code;
  h->from.organ_name = dir[d.sender].name;
  h->to.clear();
  for (size_t r : d.recipients) {
    to.organ_id = dir[r].code;
    to.organ_name = dir[r].name;
    h->to.push_back(to);
  }
  h->code.code_number = std::to_string(n + 1);
  h->subject = "Diễn tập liên thông quốc gia, văn bản số " + std::to_string(n + 1);
  h->document_id =
      dir[d.sender].code + ",2026/11/20," + h->code.code_number + "/" + h->code.code_notation;
  return *vxp::edxml::Serialize(package);
}

std::unique_ptr<HubClient> Client(const std::string& url, const std::string& system) {
  HubClientOptions o;
  o.url = url;
  o.credentials = {system, Secret(system)};
  return std::move(*HubClient::Create(o));
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(static_cast<double>(v.size()) * p))];
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "national_rehearsal: %s\n", what.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.vxpkit =
      (std::filesystem::canonical("/proc/self/exe").parent_path().parent_path() / "bin" / "vxpkit")
          .string();
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    double v = std::atof(argv[i + 1]);
    if (flag == "--speed")
      o.speed = v;
    else if (flag == "--from")
      o.from = v;
    else if (flag == "--hours")
      o.hours = v;
    else if (flag == "--docs-per-day")
      o.docs_per_day = static_cast<int>(v);
    else if (flag == "--instances")
      o.instances = static_cast<int>(v);
    else if (flag == "--agencies")
      o.agencies = static_cast<int>(v);
    else if (flag == "--vxpkit")
      o.vxpkit = argv[i + 1];
    else
      return Fail("unknown option " + flag + " (see the header of bench/national_rehearsal.cc)");
  }
  if (o.speed <= 0 || o.hours <= 0 || o.instances < 1 || o.agencies < 93) {
    return Fail("--speed and --hours must be positive, --instances at least 1, --agencies 93");
  }
  auto t0 = Clock::now();
  std::vector<hub::Agency> dir = hub::NationalDirectory(static_cast<size_t>(o.agencies));
  std::vector<Doc> docs = Traffic(o, dir);
  std::printf(
      "national_rehearsal: %zu units, %d documents a day, hours %.2f–%.2f replayed at %.0fx: "
      "%zu documents over %.1f s through %d hub processes on one PostgreSQL\n",
      dir.size(), o.docs_per_day, o.from, o.from + o.hours, o.speed, docs.size(),
      o.hours * 3600 / o.speed, o.instances);

  auto server = vxp::pg::LocalServer::Start();
  if (!server) return Fail(server.error().message);
  auto url = (*server)->CreateDatabase("rehearsal");
  if (!url) return Fail(url.error().message);
  auto work =
      std::filesystem::temp_directory_path() / ("vxpkit-rehearsal-" + std::to_string(getpid()));
  std::filesystem::create_directories(work);
  std::set<std::string> systems;
  for (const auto& a : dir) systems.insert(a.system_id);
  {
    auto t = Clock::now();
    auto store = hub::OpenPostgresStore(*url, 0, 1);
    if (!store) return Fail(store.error().message);
    for (const std::string& s : systems) {
      if (auto r = (*store)->PutSystem({s, Secret(s)}); !r) return Fail(r.error().message);
    }
    auto added = (*store)->SeedAgencies(dir);
    if (!added) return Fail(added.error().message);
    std::printf("  directory loaded: %zu units, %zu systems, in %.1f s\n", *added, systems.size(),
                Seconds(t));
  }
  std::string tsv = (work / "directory.tsv").string();
  std::ofstream(tsv) << hub::DirectoryTsv(dir);
  std::vector<std::string> args = {"--db", *url, "--quiet", "--directory", tsv};
  for (const std::string& s : systems) {
    args.push_back("--system");
    args.push_back(s + ":" + Secret(s) + ":000.00.00." + s.substr(4));
  }
  std::vector<std::unique_ptr<HubProcess>> hubs;
  {
    auto t = Clock::now();
    for (int i = 0; i < o.instances; ++i) {
      hubs.push_back(std::make_unique<HubProcess>(
          o.vxpkit, args, (work / ("hub" + std::to_string(i) + ".log")).string(), 600));
    }
    std::printf("  %d hub processes started (each reads the directory file) in %.1f s\n",
                o.instances, Seconds(t));
  }

  // Senders: an open model, each document sent when due whatever the others are doing.
  const std::string attachment = vxp::bench::RandomBytes(6000);
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::vector<double> lateness, latency;
  std::set<std::string> acknowledged;
  size_t expected_deliveries = 0, refused = 0;
  auto start = Clock::now();
  std::vector<std::thread> senders;
  for (int t = 0; t < o.senders; ++t) {
    senders.emplace_back([&] {
      // A sender keeps one connection open, to the system and instance of its last document:
      // one per system and instance for each of 16 senders would be some 3,000 connections,
      // past the hub's cap, which would then close idle ones under the receivers.
      std::unique_ptr<HubClient> c;
      std::pair<std::string, size_t> held;
      for (size_t n; (n = next++) < docs.size();) {
        const Doc& d = docs[n];
        std::string package = PackageFor(d, n, dir, attachment);
        std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(d.due)));
        size_t instance = n % hubs.size();
        const std::string& system = dir[d.sender].system_id;
        if (c == nullptr || held != std::make_pair(system, instance)) {
          c = Client(hubs[instance]->url(), system);
          held = {system, instance};
        }
        double late = Seconds(start) - d.due;
        auto t1 = Clock::now();
        auto answer = c->SendEdoc(dir[d.sender].code, "edoc", package);
        std::lock_guard lock(mu);
        lateness.push_back(late * 1000);
        latency.push_back(Seconds(t1) * 1000);
        if (!answer) {
          ++refused;
          if (refused <= 5) std::fprintf(stderr, "  refused: %s\n", answer.error().message.c_str());
          continue;
        }
        acknowledged.insert(*answer);
        expected_deliveries += d.recipients.size();
      }
    });
  }
  // Receivers: every system polls, fetches and acknowledges, through the instances in turn.
  std::atomic<bool> sending{true};
  std::atomic<size_t> fetched{0}, acked{0}, receive_errors{0};
  std::vector<std::string> system_list(systems.begin(), systems.end());
  auto receive_error = [&](const std::string& what, const vxp::Error& e) {
    if (++receive_errors > 5) return;
    std::lock_guard lock(mu);
    std::fprintf(stderr, "  %s: %s %s\n", what.c_str(), e.code.c_str(), e.message.c_str());
  };
  std::vector<std::thread> receivers;
  for (int r = 0; r < o.receivers; ++r) {
    receivers.emplace_back([&, r] {
      std::map<std::pair<std::string, size_t>, std::unique_ptr<HubClient>> clients;
      size_t turn = 0;
      auto deadline = Clock::time_point::max();
      while (Clock::now() < deadline) {
        // Whether the senders were still at work when this pass began: a pass that began
        // before the last send was answered may have missed it, so it does not end the drain.
        bool was_sending = sending;
        bool found = false;
        for (size_t s = static_cast<size_t>(r); s < system_list.size();
             s += static_cast<size_t>(o.receivers)) {
          size_t instance = turn++ % hubs.size();
          auto& c = clients[{system_list[s], instance}];
          if (c == nullptr) c = Client(hubs[instance]->url(), system_list[s]);
          auto items = c->ReceivedList("edoc");
          if (!items) {
            receive_error("getReceivedEdocList " + system_list[s], items.error());
            continue;
          }
          for (const auto& item : *items) {
            found = true;
            if (auto got = c->GetEdoc(item.doc_id); !got) {
              receive_error("getEdoc " + item.doc_id, got.error());
              continue;
            }
            ++fetched;
            if (auto done = c->UpdateStatus(item.doc_id, "done"); done) {
              ++acked;
            } else {
              receive_error("updateStatus " + item.doc_id, done.error());
            }
          }
        }
        if (!was_sending && !found) break;  // everything sent has been taken
        if (!was_sending && deadline == Clock::time_point::max()) {
          deadline = Clock::now() + std::chrono::seconds(120);
        }
        if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
  }
  for (auto& t : senders) t.join();
  double send_seconds = Seconds(start);
  sending = false;
  for (auto& t : receivers) t.join();
  double drain_seconds = Seconds(start) - send_seconds;

  // The counters, from the database.
  auto c = vxp::pg::Connect(*url, "rehearsal");
  if (!c) return Fail(c.error().message);
  auto count = [&](const char* sql) -> long {
    auto r = (*c)->Exec(sql);
    return r && r->size() > 0 ? static_cast<long>(r->Int(0, 0)) : -1;
  };
  long stored = count("SELECT count(*) FROM submissions");
  long deliveries = count("SELECT count(*) FROM deliveries");
  long twice = count(
      "SELECT count(*) FROM (SELECT submission_id, to_code FROM deliveries GROUP BY 1, 2 "
      "HAVING count(*) > 1) x");
  long open = count("SELECT count(*) FROM deliveries WHERE status NOT IN ('done', 'fail')");
  long size_mb = count("SELECT pg_database_size(current_database()) / 1048576");
  size_t lost = 0;
  if (auto ids = (*c)->Exec("SELECT id::text FROM submissions")) {
    std::set<std::string> in_db;
    for (int i = 0; i < ids->size(); ++i) in_db.insert(ids->Text(i, 0));
    for (const std::string& id : acknowledged) lost += in_db.contains(id) ? 0 : 1;
  }
  std::printf("  sent %zu documents in %.1f s (%.1f/s; due over %.1f s), then %.1f s to drain\n",
              docs.size(), send_seconds, static_cast<double>(docs.size()) / send_seconds,
              docs.empty() ? 0 : docs.back().due, drain_seconds);
  std::printf("  sendEdoc p50 %.1f ms, p99 %.1f ms; senders late p50 %.1f ms, p99 %.1f ms\n",
              Percentile(latency, 0.5), Percentile(latency, 0.99), Percentile(lateness, 0.5),
              Percentile(lateness, 0.99));
  for (size_t i = 0; i < hubs.size(); ++i) {
    std::printf("  hub %zu peak memory %.0f MiB\n", i,
                static_cast<double>(hubs[i]->PeakRss()) / 1048576.0);
  }
  std::printf("  database %ld MiB; everything took %.1f s\n", size_mb, Seconds(t0));
  struct Counter {
    const char* what;
    long value, want;
  };
  std::vector<Counter> counters = {
      {"sends acknowledged (sent - refused)", static_cast<long>(acknowledged.size()),
       static_cast<long>(docs.size())},
      {"submissions stored (= acknowledged)", stored, static_cast<long>(acknowledged.size())},
      {"deliveries stored (= their recipients)", deliveries,
       static_cast<long>(expected_deliveries)},
      {"delivered as two items", twice, 0},
      {"acknowledged but not stored (lost)", static_cast<long>(lost), 0},
      {"deliveries unacknowledged at the end", open, 0},
      {"fetched and acknowledged by recipients", static_cast<long>(acked),
       static_cast<long>(expected_deliveries)},
      {"receiving errors", static_cast<long>(receive_errors.load()), 0},
  };
  bool ok = true;
  for (const Counter& k : counters) {
    bool good = k.value == k.want;
    ok = ok && good;
    std::printf("  %-42s %8ld %s\n", k.what, k.value,
                good ? "ok" : ("expected " + std::to_string(k.want)).c_str());
  }
  std::printf(
      "  fetches (at least once: a delivery listed again before its acknowledgement is "
      "fetched again) %zu\n",
      fetched.load());
  hubs.clear();
  std::filesystem::remove_all(work);
  std::printf("national_rehearsal: %s\n", ok ? "every counter holds" : "A COUNTER IS OFF");
  return ok ? 0 : 1;
}
